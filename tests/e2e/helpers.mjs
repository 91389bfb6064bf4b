// Shared harness for the end-to-end specs (node --test tests/e2e/).
// Chromium is the system one (/usr/bin/chromium), driven by playwright-core;
// axe-core checks accessibility; a screenshot of each spec goes to artifacts/.
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'tools/package.json'));
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const artifacts = path.join(here, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
export const dist = path.join(root, process.env.E2E_DIST || 'dist');

// Headless Chromium as root hangs on refused connections without these (TOOLCHAIN.md).
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

export async function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.png': 'image/png',
};

/// A tiny static server for dist/ with the SPA fallback, and no API: /api/* is a JSON 404,
/// like a browser that cannot reach the server. Enough for the pages that work offline.
export async function startStaticServer(dir = dist) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing: run scripts/build-app.sh`);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    // Every start asks who is signed in: here nobody, as a visitor of the real server.
    if (url.pathname === '/api/session/me') {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ code: 'unauthenticated', message: 'Sign in to continue.' }));
    }
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ code: 'not_found', message: 'No API on the static test server.' }));
    }
    let file = path.join(dir, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/// The `benefits` binary, if built (scripts/e2e.sh builds it).
export function serverBinary() {
  const candidates = [process.env.BENEFITS_BIN, path.join(root, 'target/debug/benefits'), path.join(root, 'target/release/benefits')];
  return candidates.find((p) => p && fs.existsSync(p));
}

/// `benefits serve` on a free port with a fresh temporary database seeded by `benefits seed-demo`.
/// `feeds`: marketplace feed files ingested after the demo seed, each
/// `{ kind, csv }`, through `benefits ingest` as the marketplace's job would.
/// `serveArgs` are added to the `serve` command line.
export async function startBenefitsServer({ today, distDir = dist, feeds = [], serveArgs = [] } = {}) {
  const bin = serverBinary();
  if (!bin) throw new Error('the benefits binary is not built (cargo build -p benefits-server)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'benefits-e2e-'));
  const db = path.join(tmp, 'e2e.sqlite3');
  const seedArgs = ['seed-demo', '--db', db, ...(today ? ['--today', today] : [])];
  const seeded = spawnSync(bin, seedArgs, { encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`seed-demo failed: ${seeded.stderr}`);
  for (const [i, { kind, csv }] of feeds.entries()) {
    const file = path.join(tmp, `feed-${i}.csv`);
    fs.writeFileSync(file, csv);
    const ingested = spawnSync(bin, ['ingest', kind, file, '--db', db], { encoding: 'utf8' });
    if (ingested.status !== 0) throw new Error(`ingest ${kind} failed: ${ingested.stderr}`);
  }
  const port = await freePort();
  // Mail goes to .eml files in the temporary folder (the tests read the links there).
  const mailDir = path.join(tmp, 'mail');
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--db', db, '--dist', distDir, '--mail-dir', mailDir, ...serveArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {}
    if (child.exitCode !== null) throw new Error(`benefits serve exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    mailDir,
    log: () => log,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/// A page that records console errors and uncaught exceptions. `allow` lists
/// regular expressions of errors a spec expects (e.g. a 404 it provokes).
/// `serviceWorkers: 'block'` keeps the service worker out, so that `page.route`
/// sees every request. `locale` sets the browser's language (`'pl-PL'`).
export async function openPage(browser, { viewport = { width: 1280, height: 900 }, colorScheme = 'light', allow = [], serviceWorkers = 'allow', locale } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, serviceWorkers, ...(locale ? { locale } : {}) });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error' || allow.some((re) => re.test(msg.text()))) return;
    // Every start asks the server who is signed in; a visitor's answer is 401.
    if (/status of 401/.test(msg.text()) && (msg.location().url || '').endsWith('/api/session/me')) return;
    errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  page.assertNoConsoleErrors = () => assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
  page.allowErrors = (re) => allow.push(re);
  return page;
}

/// Waits until the app has started (the boot line is gone and the main region exists).
export async function waitForApp(page) {
  await page.waitForSelector('main#main');
  await page.waitForFunction(() => !document.getElementById('boot-status'));
}

/// Runs axe-core (WCAG 2.x A and AA) on the page and asserts there are no violations.
/// Injected through the DevTools protocol, so the server's CSP does not block it.
export async function assertAccessible(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
  assert.deepEqual(summary, [], `axe violations on ${label}:\n${summary.join('\n')}`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/// Signs in through the sign-in page and waits for the landing page.
export async function signIn(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/sign-in`);
  await waitForApp(page);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), page.click('button[type=submit]')]);
}

export const DEMO = {
  operator: { email: 'rewards@program.example', password: 'demo-operator-7261' },
  contosoAdmin: { email: 'admin@contoso.example', password: 'demo-contoso-admin-1', partner: 'contoso' },
  contosoMember: { email: 'member@contoso.example', password: 'demo-contoso-member-1', partner: 'contoso' },
  adatumAdmin: { email: 'admin@adatum.example', password: 'demo-adatum-admin-1', partner: 'adatum' },
  fabrikamAdmin: { email: 'admin@fabrikam.example', password: 'demo-fabrikam-admin-1', partner: 'fabrikam' },
};

/// The one-time link of the newest message to `to` in the server's mail folder
/// (each message an .eml file; quoted-printable soft breaks undone). Waits for it.
export async function linkInMail(mailDir, to, { after = 0 } = {}) {
  for (let i = 0; i < 100; i++) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    const found = files
      .map((f) => ({ f, stat: fs.statSync(path.join(mailDir, f)) }))
      .filter(({ stat }) => stat.mtimeMs > after)
      .sort((a, b) => b.stat.mtimeMs - a.stat.mtimeMs)
      .map(({ f }) => fs.readFileSync(path.join(mailDir, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='))
      .find((m) => m.includes(`To: ${to}`));
    const link = found?.match(/https?:\/\/\S+/)?.[0];
    if (link) return link;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail with a link to ${to} in ${mailDir}`);
}
