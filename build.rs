//! Fails the build when the translation files disagree: a key missing in
//! either locale, or a text whose `{placeholders}` differ, named by its
//! key. (leptos_i18n itself only warns about a key missing in a non-default
//! locale and falls back to English.)

#[path = "src/locale/check.rs"]
mod check;

fn read(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"))
}

fn main() {
    println!("cargo::rerun-if-changed=locales");
    println!("cargo::rerun-if-changed=src/locale/check.rs");
    let problems = check::compare("en", &read("locales/en.json"), "pl", &read("locales/pl.json"));
    if !problems.is_empty() {
        for p in &problems {
            println!("cargo::error=locales: {p}");
        }
        panic!("the translation files disagree:\n{}", problems.join("\n"));
    }
}
