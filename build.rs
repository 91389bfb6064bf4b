//! Fails the build when the translation files disagree: a key missing in
//! either locale, or a text whose `{placeholders}` differ, named by its
//! key. (leptos_i18n itself only warns about a key missing in a non-default
//! locale and falls back to English.)
//!
//! Also writes `locale_keys.rs`: each key's place in the sorted list of keys
//! (`pub mod app { pub const title: u16 = …; }`). English is compiled into
//! the app; Polish is fetched as `pl.json` only when it is used, and read
//! into a table in that same order (`src/locale/mod.rs`).

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
    write_key_indices(&read("locales/en.json"));
}

/// `locale_keys.rs` in OUT_DIR: nested modules mirroring the keys, each
/// text's constant its index in the sorted list of dotted keys.
fn write_key_indices(en: &serde_json::Value) {
    let mut keys = Vec::new();
    check::flatten("", en, &mut keys);
    keys.sort();
    let index: std::collections::BTreeMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut out = format!("/// How many texts a locale has.\npub const COUNT: usize = {};\n", keys.len());
    write_module(en, "", &index, &mut out);
    let path = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("locale_keys.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn write_module(value: &serde_json::Value, prefix: &str, index: &std::collections::BTreeMap<&str, usize>, out: &mut String) {
    let serde_json::Value::Object(map) = value else { return };
    for (name, child) in map {
        let key = format!("{prefix}{name}");
        if child.is_object() {
            out.push_str(&format!("#[allow(non_snake_case, non_upper_case_globals, dead_code)]\npub mod {name} {{\n"));
            write_module(child, &format!("{key}."), index, out);
            out.push_str("}\n");
        } else {
            out.push_str(&format!("#[allow(non_upper_case_globals, dead_code)]\npub const {name}: u16 = {};\n", index[key.as_str()]));
        }
    }
}
