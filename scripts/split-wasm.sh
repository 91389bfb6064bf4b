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
# Pages that use much the same code share it in one chunk per combination of
# these groups (crates/wasm-split): a route needs its own module and at most
# four chunks (three groups). The groups follow the code, not the menu: the
# pages that show the evaluation (the partner's overview and why, the
# program, what-if: charts, tiers, the catalog), the pages of forms and lists
# (benefits, offers, settings, account, notifications, sign-in and the
# account links), and the operator's. Measured against one group per menu
# (partner / operator / public): the heaviest partner page fetches ~12 KB
# less (docs/LOAD.md). The names are lazy_page!'s split names (src/lib.rs)
# and `outbox_send` (src/offline.rs: sending the offline outbox); an unknown
# name fails the build.
groups=(
  --group overview_page,why_page,program_page,what_if_page
  --group benefits_page,offers_page,settings_page,account_page,notifications_page,outbox_send,invite_page,forgot_password_page,reset_password_page,confirm_email_page,sign_in_page
  --group operator_page,operator_partner_page,audit_page,dashboard_page,catalog_edit_page
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
