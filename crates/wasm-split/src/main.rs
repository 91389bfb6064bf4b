//! Splits the app's wasm (built with `-Clink-args=--emit-relocs`) into a main
//! module and one lazily fetched module per `#[lazy]` split point, using the
//! same library as `cargo leptos --split`. Trunk cannot split yet
//! (trunk-rs/trunk#1022), so `scripts/split-wasm.sh` runs this as a Trunk
//! post-build hook, then runs wasm-bindgen on the main module.
//!
//! Usage:
//!   benefits-wasm-split INPUT.wasm OUT_DIR MAIN_JS LINK_JS [--chunk-limit N [--weight SPLIT,SPLIT,...=W]...] [--group SPLIT,SPLIT,...]...
//!
//! `--chunk-limit N` merges the chunks of code shared between splits until no
//! split needs more than N of them, each merge the one adding the fewest
//! bytes to the splits that did not need its code (the vendored library's
//! `chunk_limit`); `--weight a,b=W` makes a byte added to those splits'
//! downloads count W times (the routes with a download budget). Each
//! `--group` names splits usually visited together: code shared between
//! splits then goes into one chunk per combination of groups instead of one
//! per combination of splits (`chunk_groups`; both in
//! crates/wasm-split/vendor/VENDORED.md). Either way a route needs a handful
//! of larger modules instead of dozens of small ones.
//!
//! Writes OUT_DIR/main.wasm (for wasm-bindgen), OUT_DIR/split_*.wasm and
//! OUT_DIR/chunk_*.wasm (the lazy modules), OUT_DIR/LINK_JS (the loader the
//! main module imports; it imports `initSync` from MAIN_JS) and
//! OUT_DIR/split-manifest.json (split name -> files it needs).
//!
//!   benefits-wasm-split dcb DICTIONARY.wasm FILE.wasm...
//!
//! writes `FILE.wasm.dcb` beside each lazy module of a built dist folder:
//! the module compressed with the main module as dictionary (`dictionary`).

mod dictionary;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some((dict, files)) = args.strip_prefix(&["dcb".to_string()]).and_then(|rest| rest.split_first()) {
        return report(dictionary::write_copies(Path::new(dict), files));
    }
    let usage = "usage: benefits-wasm-split INPUT.wasm OUT_DIR MAIN_JS LINK_JS [--chunk-limit N [--weight SPLIT,SPLIT,...=W]...] [--group SPLIT,SPLIT,...]...\n       benefits-wasm-split dcb DICTIONARY.wasm FILE.wasm...";
    let (Some([input, out_dir, main_js, link_js]), Some(options)) = (args.get(..4), options(&args[4.min(args.len())..])) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    report(run(Path::new(input), Path::new(out_dir), main_js, link_js, options))
}

/// Prints a command's summary, or its error, and says how it ended.
fn report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("benefits-wasm-split: {message}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, Default, PartialEq)]
struct Grouping {
    groups: Vec<Vec<String>>,
    chunk_limit: Option<usize>,
    weights: std::collections::HashMap<String, u64>,
}

/// The `--group a,b,c`, `--chunk-limit N` and `--weight a,b=W` options;
/// `None` on anything else.
fn options(args: &[String]) -> Option<Grouping> {
    let mut out = Grouping::default();
    for pair in args.chunks(2) {
        match pair {
            [flag, list] if flag == "--group" => out.groups.push(list.split(',').map(str::to_string).collect()),
            [flag, n] if flag == "--chunk-limit" => out.chunk_limit = Some(n.parse().ok().filter(|&n| n > 0)?),
            [flag, spec] if flag == "--weight" => {
                let (splits, weight) = spec.split_once('=')?;
                let weight: u64 = weight.parse().ok().filter(|&w| w > 0)?;
                out.weights.extend(splits.split(',').map(|s| (s.to_string(), weight)));
            }
            _ => return None,
        }
    }
    Some(out)
}

fn run(input: &Path, out_dir: &Path, main_js: &str, link_js: &str, options: Grouping) -> Result<String, String> {
    let Grouping { groups, chunk_limit, weights } = options;
    let wasm = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let main_out = out_dir.join("main.wasm");
    let main_module = format!("./{main_js}");
    let link_name = format!("./{link_js}");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&wasm);
        opts.output_dir = out_dir;
        opts.main_out_path = &main_out;
        opts.main_module = &main_module;
        opts.link_name = &link_name;
        opts.chunk_groups = groups.clone();
        opts.chunk_limit = chunk_limit;
        opts.split_weights = weights.clone();
        opts
    })
    .map_err(|e| format!("splitting {}: {e:#}", input.display()))?;
    // A misspelt split name would silently leave its pages ungrouped or unweighted.
    if let Some(unknown) = groups.iter().flatten().chain(weights.keys()).find(|name| !split.prefetch_map.contains_key(*name)) {
        return Err(format!("--group or --weight names `{unknown}`, which is not a split of {}", input.display()));
    }
    // Sorted, so the manifest is byte-for-byte the same for the same input.
    let manifest: std::collections::BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    let manifest_path = out_dir.join("split-manifest.json");
    std::fs::write(&manifest_path, json).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    Ok(format!(
        "benefits-wasm-split: {} lazy modules from {}",
        split.split_modules.len(),
        input.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_are_groups_and_a_positive_chunk_limit() {
        let parsed = options(&args(&["--group", "a,b", "--chunk-limit", "7", "--group", "c", "--weight", "a,c=4"])).unwrap();
        let weights = [("a".to_string(), 4), ("c".to_string(), 4)].into();
        assert_eq!(parsed, Grouping { groups: vec![vec!["a".into(), "b".into()], vec!["c".into()]], chunk_limit: Some(7), weights });
        assert_eq!(options(&[]), Some(Grouping::default()));
        assert_eq!(options(&args(&["--chunk-limit", "0"])), None);
        assert_eq!(options(&args(&["--chunk-limit", "x"])), None);
        assert_eq!(options(&args(&["--group"])), None);
        assert_eq!(options(&args(&["--other", "a"])), None);
        assert_eq!(options(&args(&["--weight", "a"])), None);
        assert_eq!(options(&args(&["--weight", "a=0"])), None);
    }
}
