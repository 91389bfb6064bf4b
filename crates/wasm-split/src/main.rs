//! Splits the app's wasm (built with `-Clink-args=--emit-relocs`) into a main
//! module and one lazily fetched module per `#[lazy]` split point, using the
//! same library as `cargo leptos --split`. Trunk cannot split yet
//! (trunk-rs/trunk#1022), so `scripts/split-wasm.sh` runs this as a Trunk
//! post-build hook, then runs wasm-bindgen on the main module.
//!
//! Usage:
//!   benefits-wasm-split INPUT.wasm OUT_DIR MAIN_JS LINK_JS [--group SPLIT,SPLIT,...]...
//!
//! Each `--group` names splits usually visited together (the partner pages,
//! the operator pages, ...). Code shared between splits then goes into one
//! chunk per combination of groups instead of one per combination of splits:
//! a route needs a handful of larger modules instead of dozens of small ones
//! (the vendored library's `chunk_groups`, crates/wasm-split/vendor/VENDORED.md).
//!
//! Writes OUT_DIR/main.wasm (for wasm-bindgen), OUT_DIR/split_*.wasm and
//! OUT_DIR/chunk_*.wasm (the lazy modules), OUT_DIR/LINK_JS (the loader the
//! main module imports; it imports `initSync` from MAIN_JS) and
//! OUT_DIR/split-manifest.json (split name -> files it needs).

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: benefits-wasm-split INPUT.wasm OUT_DIR MAIN_JS LINK_JS [--group SPLIT,SPLIT,...]...";
    let (Some([input, out_dir, main_js, link_js]), Some(groups)) = (args.get(..4), groups(&args[4.min(args.len())..])) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    match run(Path::new(input), Path::new(out_dir), main_js, link_js, groups) {
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

/// The `--group a,b,c` options; `None` on anything else.
fn groups(args: &[String]) -> Option<Vec<Vec<String>>> {
    args.chunks(2)
        .map(|pair| match pair {
            [flag, list] if flag == "--group" => Some(list.split(',').map(str::to_string).collect()),
            _ => None,
        })
        .collect()
}

fn run(input: &Path, out_dir: &Path, main_js: &str, link_js: &str, groups: Vec<Vec<String>>) -> Result<String, String> {
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
        opts
    })
    .map_err(|e| format!("splitting {}: {e:#}", input.display()))?;
    // A misspelt split name would silently leave its pages ungrouped.
    if let Some(unknown) = groups.iter().flatten().find(|name| !split.prefetch_map.contains_key(*name)) {
        return Err(format!("--group names `{unknown}`, which is not a split of {}", input.display()));
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
