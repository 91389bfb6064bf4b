#!/usr/bin/env bash
# Prints raw, gzip (-9) and brotli (quality 11) sizes of the wasm, js and css
# in a Trunk dist folder, and the first load: everything index.html pulls in,
# plus the lazy-module loader the main module imports (split-manifest.json,
# written by scripts/split-wasm.sh). The lazy routes' own modules are fetched
# after the app has started; the report adds them up per route, so a direct
# visit to each route is visible too, and what Chromium downloads for them
# with the main module as their dictionary (the build's `.dcb` copies; the
# ceiling applies to brotli, what every browser gets).
# Fails when the first load is over the budget (brotli), or when a route's
# total is over --route-ceiling-kb (a regression guard; default: no check).
#   scripts/size-report.sh [DIST] [--budget-kb N] [--route-ceiling-kb N]
#   defaults: dist, 250
set -euo pipefail
cd "$(dirname "$0")/.."
dist=dist
budget_kb=250
route_ceiling_kb=0
while [ $# -gt 0 ]; do
  case "$1" in
    --budget-kb) budget_kb="$2"; shift 2 ;;
    --route-ceiling-kb) route_ceiling_kb="$2"; shift 2 ;;
    *) dist="$1"; shift ;;
  esac
done
if [ ! -f "$dist/index.html" ]; then
  echo "size-report: $dist/index.html not found; build first (scripts/build-app.sh --release)" >&2
  exit 2
fi
# Node's zlib has both gzip and brotli, so no extra system package is needed.
exec node - "$dist" "$budget_kb" "$route_ceiling_kb" <<'JS'
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const [dist, budgetKb, routeCeilingKb] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
// The first load: index.html and every local file it references (href, src, data-*).
const refs = new Set(['index.html']);
for (const m of html.matchAll(/(?:href|src|data-js|data-wasm)="\/?([^"#?]+)"/g)) {
  if (fs.existsSync(path.join(dist, m[1]))) refs.add(m[1]);
}
const manifestPath = path.join(dist, 'split-manifest.json');
const manifest = fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : null;
if (manifest) for (const f of manifest.main) refs.add(f);
const lazy = new Set(manifest ? Object.values(manifest.splits).flat() : []);
const files = fs.readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f)).sort();
const kb = (n) => (n / 1024).toFixed(1).padStart(8);
const rows = [];
const total = { raw: 0, gzip: 0, br: 0 };
for (const f of files) {
  const buf = fs.readFileSync(path.join(dist, f));
  const gzip = zlib.gzipSync(buf, { level: 9 }).length;
  const br = zlib.brotliCompressSync(buf, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      [zlib.constants.BROTLI_PARAM_MODE]: f.endsWith('.wasm') ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
    },
  }).length;
  const first = refs.has(f);
  rows.push({ f, raw: buf.length, gzip, br, first });
  if (first) { total.raw += buf.length; total.gzip += gzip; total.br += br; }
}
const bySize = new Map(rows.map((r) => [r.f, r]));
console.log(`${'file'.padEnd(44)} ${'raw KB'.padStart(8)} ${'gzip KB'.padStart(8)} ${'br KB'.padStart(8)}  first load`);
for (const r of rows.filter((r) => !lazy.has(r.f))) console.log(`${r.f.padEnd(44)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.br)}  ${r.first ? 'yes' : ''}`);
if (lazy.size) {
  const l = rows.filter((r) => lazy.has(r.f)).reduce((a, r) => ({ n: a.n + 1, raw: a.raw + r.raw, gzip: a.gzip + r.gzip, br: a.br + r.br }), { n: 0, raw: 0, gzip: 0, br: 0 });
  console.log(`${`lazy modules (${l.n} files, *_*.wasm)`.padEnd(44)} ${kb(l.raw)} ${kb(l.gzip)} ${kb(l.br)}  (per route below)`);
}
console.log(`${'FIRST LOAD TOTAL'.padEnd(44)} ${kb(total.raw)} ${kb(total.gzip)} ${kb(total.br)}`);
let failed = false;
if (manifest) {
  console.log(`\nper lazy route: first load + the route's modules (a direct visit)`);
  console.log(`${'route module'.padEnd(44)} ${'files'.padStart(8)} ${'own br KB'.padStart(10)} ${'total br KB'.padStart(12)} ${'own dcb KB'.padStart(11)}`);
  // The `.dcb` copy where the build wrote one (release), else brotli.
  const dcb = (f) => (fs.existsSync(path.join(dist, `${f}.dcb`)) ? fs.statSync(path.join(dist, `${f}.dcb`)).size : bySize.get(f).br);
  for (const [split, deps] of Object.entries(manifest.splits).sort()) {
    const own = deps.reduce((a, f) => a + bySize.get(f).br, 0);
    const ownDcb = deps.reduce((a, f) => a + dcb(f), 0);
    const name = split.replace(/_\d+$/, '');
    const over = routeCeilingKb > 0 && total.br + own > routeCeilingKb * 1024;
    if (over) failed = true;
    console.log(`${name.padEnd(44)} ${String(deps.length).padStart(8)} ${kb(own).padStart(10)} ${kb(total.br + own).padStart(12)} ${kb(ownDcb).padStart(11)}${over ? `  OVER ${routeCeilingKb} KB` : ''}`);
  }
}
const budget = budgetKb * 1024;
if (total.br > budget) {
  console.error(`size-report: FAIL first load is ${(total.br / 1024).toFixed(1)} KB brotli, over the ${budgetKb} KB budget`);
  process.exit(1);
}
if (failed) {
  console.error(`size-report: FAIL a route's total is over the ${routeCeilingKb} KB ceiling`);
  process.exit(1);
}
console.log(`size-report: OK first load ${(total.br / 1024).toFixed(1)} KB brotli (budget ${budgetKb} KB)`);
JS
