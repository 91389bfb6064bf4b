// Budgets over the wire: what a real Chromium with a fresh profile downloads
// from `benefits serve` (the release build, precompressed), and how soon the
// tier shows. Prints the figures; a budget overrun fails the run.
//
// - First load of `/`: every byte the page fetched (encoded bodies) until the
//   network is idle.
// - Signed-in cold visit of each partner page: a fresh profile holding only
//   the session cookie (no service worker, no caches, no stored data); the
//   page's own downloads, API responses included. The heaviest must fit, and
//   no route may need more than 8 requests beyond the first load's files.
// - The tier on the overview: from navigation start to `#effective-tier` in
//   the DOM, for a returning user (service worker installed) and cold.
//
// Page downloads are measured with the service worker blocked: once
// registered it precaches the whole build in the background for offline use,
// racing the page for the same files. Its downloads are measured on their own
// and printed apart.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { DEMO, artifacts, dist, launchBrowser, serverBinary, signIn, startBenefitsServer, waitForApp } from './helpers.mjs';

// The product's budgets (issue 15); an overrun fails the run. Where the
// figures come from (docs/LOAD.md, "Over the wire"): the first load is the
// main module built for size (std built with the app, no Debug formatting,
// the app's own route matcher) and minified scripts; a partner page adds
// its lazy modules, merged by what each merge costs (crates/wasm-split) and
// sent compressed with the main module as their dictionary (`dcb`, which
// Chromium accepts: the run checks it did).
const BUDGET = { firstLoadKb: 150, partnerColdKb: 250, tierMs: 300, routeRequests: 8 };
const PARTNER_PAGES = ['', '/why', '/benefits', '/offers', '/settings'];
const skip = serverBinary() ? false : 'the benefits binary is not built (cargo build -p benefits-server)';

let browser;
let server;
const figures = {};
before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  server = await startBenefitsServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (Object.keys(figures).length) fs.writeFileSync(path.join(artifacts, 'wire-budget.json'), JSON.stringify(figures, null, 2) + '\n');
});

const kb = (n) => Math.round((n / 1024) * 10) / 10;

/// Records every finished request of a context: the page's and the service worker's.
function recorder(context) {
  const rows = [];
  const pending = [];
  context.on('requestfinished', (req) => {
    pending.push(
      req.sizes().then(async (s) => {
        const res = await req.response();
        rows.push({
          url: new URL(req.url()).pathname,
          bytes: s.responseBodySize,
          headers: s.responseHeadersSize,
          encoding: (await res?.headerValue('content-encoding')) || '',
          byWorker: !!req.serviceWorker(),
          fromWorker: !!res?.fromServiceWorker(),
        });
      // A request still finishing when its context closes has no sizes; it
      // was not counted and is not needed.
      }).catch(() => {}),
    );
  });
  return {
    async settle() {
      await Promise.all(pending);
    },
    page: () => rows.filter((r) => !r.byWorker && !r.fromWorker),
    worker: () => rows.filter((r) => r.byWorker),
    reset: () => rows.splice(0),
  };
}

function total(rows) {
  return { requests: rows.length, kb: kb(rows.reduce((a, r) => a + r.bytes, 0)), headersKb: kb(rows.reduce((a, r) => a + r.headers, 0)) };
}

/// Notes when `#effective-tier` first appears, in ms after navigation start.
const TIER_CLOCK = () => {
  new MutationObserver((_, obs) => {
    if (document.getElementById('effective-tier')) {
      window.__tierMs = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

async function freshContext({ serviceWorkers = 'block' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers });
  await context.addInitScript(TIER_CLOCK);
  return context;
}

/// A fresh profile with only the session cookie of `user` (signed in through
/// the sign-in page of another, discarded profile).
async function signedInContext(user, options) {
  const donor = await browser.newContext();
  const page = await donor.newPage();
  await signIn(page, server.url, user.email, user.password);
  const cookies = await donor.cookies();
  await donor.close();
  assert.ok(cookies.some((c) => c.name.startsWith('__Host-')), 'signed in');
  const context = await freshContext(options);
  await context.addCookies(cookies);
  return context;
}

/// Opens `url` in a new page and waits until the app is up and the network is
/// idle (and, with `worker`, until the service worker has precached the build).
async function visit(context, url, { worker = false } = {}) {
  const rec = recorder(context);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await waitForApp(page);
  await page.waitForLoadState('networkidle');
  if (worker) await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active);
  await rec.settle();
  return { page, rec };
}

test('wire budgets: first load, signed-in cold visits, time to the tier', { skip }, async (t) => {
  // 1. The start page, fresh profile.
  const firstLoadUrls = new Set();
  {
    const context = await freshContext();
    const { rec } = await visit(context, `${server.url}/`);
    const page = rec.page();
    for (const r of page) firstLoadUrls.add(r.url);
    figures.firstLoad = { ...total(page), files: page.map((r) => `${r.url} ${kb(r.bytes)} KB ${r.encoding}`) };
    for (const r of page.filter((r) => /\.(wasm|js|css|html)$/.test(r.url) || r.url === '/')) {
      assert.ok(r.bytes < 1024 || r.encoding === 'br', `${r.url} was sent without brotli (${r.encoding || 'identity'})`);
    }
    await context.close();
  }
  {
    // The same visit with the service worker, for its precache alone.
    const context = await freshContext({ serviceWorkers: 'allow' });
    const { rec } = await visit(context, `${server.url}/`, { worker: true });
    figures.precache = total(rec.worker());
    await context.close();
  }
  t.diagnostic(`first load of /: ${figures.firstLoad.kb} KB in ${figures.firstLoad.requests} requests (+${figures.firstLoad.headersKb} KB headers); ` +
    `then the service worker precaches ${figures.precache.kb} KB in ${figures.precache.requests} requests`);

  // 2. Each partner page, signed in, cold.
  const pid = DEMO.contosoAdmin.partner;
  figures.partnerCold = {};
  for (const suffix of PARTNER_PAGES) {
    const context = await signedInContext(DEMO.contosoAdmin);
    const route = `/partners/${pid}${suffix}`;
    const { rec } = await visit(context, `${server.url}${route}`);
    const own = total(rec.page());
    // The route's own code: what it fetched beyond the start page's files, its document and the API.
    const extra = rec.page().filter((r) => !firstLoadUrls.has(r.url) && r.url !== route && !r.url.startsWith('/api/'));
    // The lazy modules came compressed with the main module as dictionary:
    // the server offered it and Chromium kept it (a browser without
    // Compression Dictionary Transport gets the brotli copies, printed below).
    const lazy = extra.filter((r) => /^\/(split|chunk)_.*\.wasm$/.test(r.url));
    assert.ok(lazy.length > 0, `${route} loaded no lazy module`);
    for (const r of lazy) assert.equal(r.encoding, 'dcb', `${r.url} was sent as ${r.encoding || 'identity'}, not dictionary-compressed`);
    const pageBytes = rec.page().reduce((a, r) => a + r.bytes, 0);
    const brotliOnly = lazy.reduce((a, r) => a + fs.statSync(path.join(dist, `${r.url}.br`)).size - r.bytes, pageBytes);
    figures.partnerCold[route] = { ...own, api: total(rec.page().filter((r) => r.url.startsWith('/api/'))), beyondFirstLoad: extra.map((r) => r.url) };
    figures.partnerCold[route].withoutDictionaryKb = kb(brotliOnly);
    t.diagnostic(`signed-in cold visit of ${route}: ${own.kb} KB in ${own.requests} requests (API ${figures.partnerCold[route].api.kb} KB; ${extra.length} beyond the first load; ${kb(brotliOnly)} KB without the dictionary)`);
    assert.ok(extra.length <= BUDGET.routeRequests, `${route} made ${extra.length} requests beyond the first load: ${extra.map((r) => r.url).join(' ')}`);
    await context.close();
  }
  const [heaviest, worst] = Object.entries(figures.partnerCold).sort((a, b) => b[1].kb - a[1].kb)[0];

  // 3. The tier: cold (service worker allowed, installing), then a returning user.
  {
    const context = await signedInContext(DEMO.contosoAdmin, { serviceWorkers: 'allow' });
    const route = `${server.url}/partners/${pid}`;
    const { page } = await visit(context, route, { worker: true });
    await page.waitForSelector('#effective-tier');
    figures.tierColdMs = Math.round(await page.evaluate(() => window.__tierMs));
    // The returning user's figure is the median of five visits, so one
    // scheduling hiccup of a busy machine does not decide the budget; a page
    // that is slow every time still fails it. Every sample is printed.
    const samples = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(route, { waitUntil: 'networkidle' });
      await page.waitForSelector('#effective-tier');
      samples.push(Math.round(await page.evaluate(() => window.__tierMs)));
    }
    figures.tierWarmSamples = samples;
    figures.tierWarmMs = [...samples].sort((a, b) => a - b)[2];
    await context.close();
  }
  t.diagnostic(`tier visible: ${figures.tierWarmMs} ms after navigation (returning user, median of ${figures.tierWarmSamples.join(', ')} ms), ${figures.tierColdMs} ms cold`);

  const verdict = (value, target) => (value <= target ? 'met' : 'NOT MET');
  t.diagnostic(`budgets: first load ${figures.firstLoad.kb}/${BUDGET.firstLoadKb} KB ${verdict(figures.firstLoad.kb, BUDGET.firstLoadKb)}; ` +
    `heaviest partner page (${heaviest}) ${worst.kb}/${BUDGET.partnerColdKb} KB ${verdict(worst.kb, BUDGET.partnerColdKb)}; ` +
    `tier ${figures.tierWarmMs}/${BUDGET.tierMs} ms ${verdict(figures.tierWarmMs, BUDGET.tierMs)}`);
  assert.ok(figures.firstLoad.kb <= BUDGET.firstLoadKb, `first load of / is ${figures.firstLoad.kb} KB, over ${BUDGET.firstLoadKb} KB`);
  assert.ok(worst.kb <= BUDGET.partnerColdKb, `signed-in cold visit of ${heaviest} is ${worst.kb} KB, over ${BUDGET.partnerColdKb} KB`);
  assert.ok(figures.tierWarmMs <= BUDGET.tierMs, `the tier showed ${figures.tierWarmMs} ms after navigation, over ${BUDGET.tierMs} ms`);
});
