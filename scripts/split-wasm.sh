#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml): splits the app's wasm at its lazy routes.
#
# Trunk 0.21 cannot split a module (trunk-rs/trunk#1022): splitting needs the
# linker's relocations (-Clink-args=--emit-relocs, .cargo/config.toml), which
# wasm-bindgen drops. So this hook takes cargo's own output, splits it with
# crates/wasm-split (the library `cargo leptos --split` uses), runs
# wasm-bindgen on the main module under Trunk's hashed file names, runs
# wasm-opt -Oz on every module (release), and replaces Trunk's files in the
# staging dir; scripts/finish-split.mjs names the lazy modules by content
# hash and corrects index.html's integrity hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
staging=${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}
profile=${TRUNK_PROFILE:-debug}
cargo_profile=debug
[ "$profile" = release ] && cargo_profile=wasm-release
target_dir=${CARGO_TARGET_DIR:-target}
input="$target_dir/wasm32-unknown-unknown/$cargo_profile/benefits-app.wasm"
[ -f "$input" ] || { echo "split-wasm: $input not found" >&2; exit 1; }

shopt -s nullglob
js_files=("$staging"/benefits-app-*.js)
[ "${#js_files[@]}" -eq 1 ] || { echo "split-wasm: expected one benefits-app-*.js in $staging, found ${#js_files[@]}" >&2; exit 1; }
js=$(basename "${js_files[0]}")
stem=${js%.js}
link="$stem-split.js"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo_bin=${REAL_CARGO:-cargo}
# Code shared by several lazy pages goes into chunks (crates/wasm-split):
# merged until no page needs more than seven (a route: its own module and
# at most seven chunks, issue 15's limit of 8 requests), each merge the one
# adding the fewest bytes to the pages that did not need that code, a byte
# counting more on the pages with a download budget: the five partner pages
# the wire-budget test visits (benefits, the heaviest, most), then what-if,
# the program and sign-in (docs/LOAD.md, "Over the wire", has the weights
# measured each way). The names are lazy_page!'s split names (src/lib.rs)
# and `outbox_send` (src/offline.rs: sending the offline outbox); an unknown
# name fails the build.
groups=(
  --chunk-limit 7
  --weight overview_page,why_page,offers_page,settings_page=10
  --weight benefits_page=30
  --weight what_if_page,program_page,sign_in_page=4
)
# The splitter is a native program: none of the release app build's
# standard-library settings (scripts/build-app.sh) apply to it.
env -u RUSTC_BOOTSTRAP -u CARGO_UNSTABLE_BUILD_STD -u CARGO_UNSTABLE_BUILD_STD_FEATURES \
  "$cargo_bin" run --quiet --locked --release --package benefits-wasm-split -- "$input" "$work/split" "$js" "$link" "${groups[@]}"
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-name "$stem" --out-dir "$work/bindgen" "$work/split/main.wasm"
if [ "$profile" = release ]; then
  # -Oz on every module, two at a time. The lazy modules come straight from
  # the splitter: also drop the producers and target-features sections the
  # browser never reads, and the splitter's name subsection binaryen does not
  # know (its warning about it is filtered out).
  ls "$work/bindgen/${stem}_bg.wasm" "$work"/split/split_*.wasm "$work"/split/chunk_*.wasm \
    | xargs -P 2 -I{} wasm-opt -Oz --strip-producers --strip-target-features {} -o {} \
    2> >(grep -v "unknown name subsection" >&2)
fi
node scripts/finish-split.mjs "$staging" "$stem" "$work"
