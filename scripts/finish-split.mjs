// Last step of scripts/split-wasm.sh: moves the split build into Trunk's
// staging dir.
//   node scripts/finish-split.mjs STAGING STEM WORK
// - STEM.js and STEM_bg.wasm (wasm-bindgen's output for the main module)
//   replace Trunk's files of the same names;
// - each lazy module WORK/split/{split,chunk}_*.wasm is copied as
//   NAME-<sha256 prefix>.wasm, and the loader STEM-split.js refers to it by
//   that name, so a browser or service worker never mixes two builds;
// - in a release build (TRUNK_PROFILE=release) the scripts are minified with
//   esbuild (tools/node_modules): wasm-bindgen's glue, the loader, boot.js
//   and pwa.js, and the stylesheet: about 3 KB less brotli on every first
//   load;
// - index.html's integrity attributes are recomputed for the replaced files;
// - split-manifest.json maps each lazy route's module to the files it needs
//   (read by scripts/size-report.sh).
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [staging, stem, work] = process.argv.slice(2);
if (!staging || !stem || !work) {
  console.error('usage: node scripts/finish-split.mjs STAGING STEM WORK');
  process.exit(2);
}
const split = join(work, 'split');
const bindgen = join(work, 'bindgen');

const release = process.env.TRUNK_PROFILE === 'release';
// esbuild from tools/node_modules (scripts/setup.sh), resolved from there
// whatever the working directory.
const esbuild = release ? createRequire(new URL('../tools/package.json', import.meta.url))('esbuild') : null;
/// A script or stylesheet as shipped: minified in a release build (whitespace,
/// local names and syntax; exports and property names stay as they are).
const ship = (code, loader = 'js') =>
  release ? esbuild.transformSync(code, loader === 'css' ? { minify: true, loader } : { minify: true, format: 'esm' }).code : code;

writeFileSync(join(staging, `${stem}.js`), ship(readFileSync(join(bindgen, `${stem}.js`), 'utf8')));
copyFileSync(join(bindgen, `${stem}_bg.wasm`), join(staging, `${stem}_bg.wasm`));

const link = `${stem}-split.js`;
let loader = readFileSync(join(split, link), 'utf8');
const renamed = {};
for (const name of readdirSync(split).filter((f) => /^(split|chunk)_.*\.wasm$/.test(f)).sort()) {
  const bytes = readFileSync(join(split, name));
  const hashed = `${name.slice(0, -5)}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.wasm`;
  const quoted = `"./${name}"`;
  if (!loader.includes(quoted)) {
    console.error(`finish-split: ${link} does not load ${name}`);
    process.exit(1);
  }
  loader = loader.replaceAll(quoted, `"./${hashed}"`);
  copyFileSync(join(split, name), join(staging, hashed));
  renamed[name.slice(0, -5)] = hashed;
}
writeFileSync(join(staging, link), ship(loader));
// Trunk copied these from public/ as they are.
for (const script of ['boot.js', 'pwa.js']) {
  writeFileSync(join(staging, script), ship(readFileSync(join(staging, script), 'utf8')));
}
// Trunk's stylesheet (main-<hash>.css), as it is.
const styles = readdirSync(staging).filter((f) => /^main-[0-9a-f]+\.css$/.test(f));
for (const css of styles) writeFileSync(join(staging, css), ship(readFileSync(join(staging, css), 'utf8'), 'css'));

const prefetch = JSON.parse(readFileSync(join(split, 'split-manifest.json'), 'utf8'));
const manifest = { main: [`${stem}.js`, `${stem}_bg.wasm`, link], splits: {} };
for (const [splitName, deps] of Object.entries(prefetch)) {
  manifest.splits[splitName] = deps.map((d) => {
    if (!renamed[d]) {
      console.error(`finish-split: manifest names ${d}, which the split did not write`);
      process.exit(1);
    }
    return renamed[d];
  });
}
writeFileSync(join(staging, 'split-manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

const sri = (file) => 'sha384-' + createHash('sha384').update(readFileSync(join(staging, file))).digest('base64');
const htmlPath = join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
for (const file of [`${stem}.js`, `${stem}_bg.wasm`, ...styles]) {
  const re = new RegExp(`(href="[^"]*${file.replace(/[.]/g, '\\.')}"[^>]*integrity=")[^"]*(")`);
  if (re.test(html)) html = html.replace(re, `$1${sri(file)}$2`);
}
writeFileSync(htmlPath, html);
console.log(`finish-split: main module ${stem}_bg.wasm, ${Object.keys(renamed).length} lazy modules, loader ${link}`);
