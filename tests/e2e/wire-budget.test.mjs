// Budgets over the wire: what a real Chromium with a fresh profile downloads
// from `benefits serve` (the release build, precompressed), and how soon the
// tier shows. Prints the figures; a budget overrun fails the run.
//
// - First load of `/`: every byte the page fetched (encoded bodies) until the
//   network is idle.
// - Signed-in cold visit of each partner page: a fresh profile holding only
//   the session cookie (no service worker, no caches, no stored data); the
//   page's own downloads, API responses included. The heaviest must fit.
// - The tier on the overview: from navigation start to `#effective-tier` in
//   the DOM, for a returning user (service worker installed) and cold.
//
// The service worker, once registered, precaches the whole build in the
// background for offline use; its downloads are printed apart (they are not
// on the page's critical path, and the browser's HTTP cache serves the files
// the page already fetched).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { DEMO, artifacts, launchBrowser, serverBinary, signIn, startBenefitsServer, waitForApp } from './helpers.mjs';

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

async function freshContext() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(TIER_CLOCK);
  return context;
}

/// A fresh profile with only the session cookie of `user` (signed in through
/// the sign-in page of another, discarded profile).
async function signedInContext(user) {
  const donor = await browser.newContext();
  const page = await donor.newPage();
  await signIn(page, server.url, user.email, user.password);
  const cookies = await donor.cookies();
  await donor.close();
  assert.ok(cookies.some((c) => c.name.startsWith('__Host-')), 'signed in');
  const context = await freshContext();
  await context.addCookies(cookies);
  return context;
}

/// Opens `url` in a new page and waits until the app is up, the network is
/// idle and the service worker has finished precaching (so its downloads are
/// all counted, apart).
async function visit(context, url) {
  const rec = recorder(context);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await waitForApp(page);
  await page.waitForLoadState('networkidle');
  await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active);
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
    figures.firstLoad = { ...total(page), worker: total(rec.worker()), files: page.map((r) => `${r.url} ${kb(r.bytes)} KB ${r.encoding}`) };
    t.diagnostic(`first load of /: ${figures.firstLoad.kb} KB in ${page.length} requests (+${figures.firstLoad.headersKb} KB headers); service worker precache ${figures.firstLoad.worker.kb} KB in ${figures.firstLoad.worker.requests}`);
    for (const r of page.filter((r) => /\.(wasm|js|css|html)$/.test(r.url) || r.url === '/')) {
      assert.ok(r.bytes < 1024 || r.encoding === 'br', `${r.url} was sent without brotli (${r.encoding || 'identity'})`);
    }
    await context.close();
  }

  // 2. Each partner page, signed in, cold.
  const pid = DEMO.contosoAdmin.partner;
  figures.partnerCold = {};
  for (const suffix of PARTNER_PAGES) {
    const context = await signedInContext(DEMO.contosoAdmin);
    const route = `/partners/${pid}${suffix}`;
    const { page, rec } = await visit(context, `${server.url}${route}`);
    const own = total(rec.page());
    // The route's own code: what it fetched beyond the start page's files, its document and the API.
    const extra = rec.page().filter((r) => !firstLoadUrls.has(r.url) && r.url !== route && !r.url.startsWith('/api/'));
    figures.partnerCold[route] = {
      ...own,
      api: total(rec.page().filter((r) => r.url.startsWith('/api/'))),
      beyondFirstLoad: extra.map((r) => r.url),
      worker: total(rec.worker()),
    };
    assert.ok(extra.length <= BUDGET.routeRequests, `${route} made ${extra.length} requests beyond the first load: ${extra.map((r) => r.url).join(' ')}`);
    if (suffix === '') {
      await page.waitForSelector('#effective-tier');
      figures.tierColdMs = Math.round(await page.evaluate(() => window.__tierMs));
      // A returning user: the service worker (installed by `visit`) serves the app.
      await page.goto(`${server.url}${route}`, { waitUntil: 'networkidle' });
      await page.waitForSelector('#effective-tier');
      figures.tierWarmMs = Math.round(await page.evaluate(() => window.__tierMs));
    }
    t.diagnostic(`signed-in cold visit of ${route}: ${own.kb} KB in ${own.requests} requests (API ${figures.partnerCold[route].api.kb} KB; ${extra.length} beyond the first load); service worker precache ${figures.partnerCold[route].worker.kb} KB`);
    await context.close();
  }
  const [heaviest, worst] = Object.entries(figures.partnerCold).sort((a, b) => b[1].kb - a[1].kb)[0];
  t.diagnostic(`tier visible: ${figures.tierWarmMs} ms after navigation (returning user), ${figures.tierColdMs} ms cold`);

  assert.ok(figures.firstLoad.kb <= BUDGET.firstLoadKb, `first load of / is ${figures.firstLoad.kb} KB, over the ${BUDGET.firstLoadKb} KB budget`);
  assert.ok(worst.kb <= BUDGET.partnerColdKb, `signed-in cold visit of ${heaviest} is ${worst.kb} KB, over the ${BUDGET.partnerColdKb} KB budget`);
  assert.ok(figures.tierWarmMs <= BUDGET.tierMs, `the tier showed ${figures.tierWarmMs} ms after navigation, over ${BUDGET.tierMs} ms`);
});
