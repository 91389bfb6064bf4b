// Writes DIST/sw.js from sw/service-worker.js with the build's precache list.
// Usage: node scripts/gen-sw.mjs dist
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] || 'dist';
const template = readFileSync(fileURLToPath(new URL('../sw/service-worker.js', import.meta.url)), 'utf8');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(dist)
  .map((path) => '/' + relative(dist, path).split(sep).join('/'))
  .filter((url) => url !== '/sw.js' && !url.endsWith('.map'))
  .sort();
if (!files.includes('/index.html')) {
  console.error(`gen-sw: ${dist}/index.html is missing; build the app first`);
  process.exit(1);
}

const hash = createHash('sha256');
for (const url of files) {
  hash.update(url);
  hash.update(readFileSync(join(dist, url)));
}
const version = hash.digest('hex').slice(0, 16);
const out = template.replace('__VERSION__', version).replace('__PRECACHE__', JSON.stringify(files, null, 2));
writeFileSync(join(dist, 'sw.js'), out);
console.log(`gen-sw: ${dist}/sw.js, version ${version}, ${files.length} files precached`);
