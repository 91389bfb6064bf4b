// Writes a brotli (quality 11) and a gzip (level 9) copy beside every wasm,
// js, css, html, json and webmanifest file of a built dist folder, so that
// `benefits serve` sends the smallest encoding the browser accepts without
// compressing anything per request. A copy that would not be smaller is not
// written (the server then sends the file as it is). Old copies are removed
// first (and the dictionary-compressed `.dcb` copies post-build.sh writes
// after this), so none can outlive the file it was made from.
//   node scripts/compress-dist.mjs [DIST]   (default: dist)
// Run last in the build: after the split and the service worker, whose
// precache list names the plain files only.
import { readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = process.argv[2] || 'dist';
const COMPRESSIBLE = /\.(wasm|js|css|html|json|webmanifest|svg)$/;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function brotli(buf, path) {
  return brotliCompressSync(buf, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      [constants.BROTLI_PARAM_MODE]: path.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
}

for (const stale of walk(dist).filter((p) => /\.(br|gz|dcb)$/.test(p))) unlinkSync(stale);

const totals = { files: 0, raw: 0, br: 0, gz: 0 };
for (const path of walk(dist).filter((p) => COMPRESSIBLE.test(p))) {
  const buf = readFileSync(path);
  const br = brotli(buf, path);
  const gz = gzipSync(buf, { level: 9 });
  if (br.length < buf.length) writeFileSync(`${path}.br`, br);
  if (gz.length < buf.length) writeFileSync(`${path}.gz`, gz);
  totals.files += 1;
  totals.raw += buf.length;
  totals.br += Math.min(br.length, buf.length);
  totals.gz += Math.min(gz.length, buf.length);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`compress-dist: ${totals.files} files, ${kb(totals.raw)} raw -> ${kb(totals.br)} brotli, ${kb(totals.gz)} gzip`);
