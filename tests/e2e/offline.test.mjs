// Offline: the installed app shell, tier status and what-if without a network,
// the outbox of offline benefit actions, conflicts, updates, and no personal
// data in the browser's storage. Real Chromium against the real server.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  DEMO, assertAccessible, dist, launchBrowser, openPage, root, screenshot, serverBinary, signIn, startBenefitsServer, waitForApp,
} from './helpers.mjs';

const skip = serverBinary() ? false : 'the benefits binary is not built (cargo build -p benefits-server)';
// While offline, the browser reports each request it could not make.
const OFFLINE_NOISE = [/ERR_INTERNET_DISCONNECTED/, /Failed to load resource/, /Failed to fetch/];
const FABRIKAM = DEMO.fabrikamAdmin;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/// Runs `body`; on failure saves a screenshot and the page's console for diagnosis.
async function diagnosed(page, name, body) {
  const log = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  try {
    await body();
  } catch (e) {
    await screenshot(page, `FAILED-${name}`).catch(() => {});
    fs.writeFileSync(path.join(root, 'tests/e2e/artifacts', `FAILED-${name}.log`), log.join('\n'));
    throw e;
  }
}

/// Waits until the service worker controls the page, so reloads work offline.
async function waitForServiceWorker(page) {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return !!reg.active && !!navigator.serviceWorker.controller;
  });
}

/// A JSON API call in the page's session (cookies and CSRF token from `me`).
async function api(page, method, url, { version } = {}) {
  return page.evaluate(
    async ({ method, url, version }) => {
      const me = await (await fetch('/api/session/me')).json();
      const headers = { 'X-CSRF-Token': me.csrf_token, Accept: 'application/json' };
      if (version !== undefined) headers['If-Match'] = `"${version}"`;
      const res = await fetch(url, { method, headers });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    { method, url, version },
  );
}

async function benefit(page, pid, id) {
  const res = await api(page, 'GET', `/api/partners/${pid}/benefits`);
  assert.equal(res.status, 200);
  return res.body.find((b) => b.id === id);
}

async function auditFor(page, pid, benefitId) {
  const res = await api(page, 'GET', `/api/partners/${pid}/audit`);
  assert.equal(res.status, 200);
  return res.body.items.filter((e) => e.target.startsWith(`benefit:${benefitId}@`));
}

/// The first benefit card whose Activate button is enabled.
async function activatableCard(page) {
  const card = page.locator('article.benefit-card', { has: page.locator('button:not([disabled])', { hasText: /^Activate$/ }) }).first();
  await card.waitFor();
  return { card, id: await card.getAttribute('data-benefit') };
}

test('load online, go offline, reload: the app opens with the same tier, the offline banner, and what-if', { skip }, async () => {
  const server = await startBenefitsServer();
  const page = await openPage(browser, { allow: OFFLINE_NOISE });
  try {
    await signIn(page, server.url, FABRIKAM.email, FABRIKAM.password);
    await page.waitForSelector('#effective-tier');
    const online = {
      effective: await page.textContent('#effective-tier'),
      today: await page.textContent('#today-tier'),
      benefits: await page.textContent('#unlocked-benefits'),
    };
    await waitForServiceWorker(page);
    // Installable: a manifest with 192 and 512 px icons, all served (and precached).
    const manifest = await page.evaluate(async () => {
      const m = await (await fetch(document.querySelector('link[rel=manifest]').href)).json();
      const icons = await Promise.all(m.icons.map(async (i) => [i.sizes, (await fetch(i.src)).status]));
      return { display: m.display, start_url: m.start_url, icons };
    });
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, '/');
    assert.deepEqual(manifest.icons.filter(([sizes]) => /192|512/.test(sizes)), [['192x192', 200], ['512x512', 200]]);

    await page.context().setOffline(true);
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('[data-testid=offline-banner]');
    assert.match(await page.textContent('[data-testid=offline-banner]'), /Offline — data as of/);
    await page.waitForSelector('#effective-tier');
    assert.equal(await page.textContent('#effective-tier'), online.effective);
    assert.equal(await page.textContent('#today-tier'), online.today);
    assert.equal(await page.textContent('#unlocked-benefits'), online.benefits);
    await assertAccessible(page, 'overview offline');
    await screenshot(page, 'offline-overview');

    // Why this tier, from the same last-synced data: the lines need the
    // network (the server pages them); the daily and monthly totals are kept.
    await page.click('nav >> text=Why this tier');
    await page.waitForSelector('#why-daily tbody tr');
    // Fabrikam has no marketplace sales: one row says so.
    assert.match(await page.textContent('#why-daily tbody'), /No sales in the two years kept/);
    assert.ok((await page.locator('#why-months tbody tr').count()) >= 12, 'a row per month of the window');
    assert.equal(await page.locator('#why-sales').count(), 0);
    assert.equal(await page.locator('[data-testid=offline-banner]').count(), 1);
    await assertAccessible(page, 'why offline');

    // What-if, computed in the browser from the last-synced data.
    await page.goto(`${server.url}/what-if`);
    await waitForApp(page);
    await page.click('button:has-text("Start from my current data")');
    await page.waitForFunction(() => /Fabrikam/.test(document.querySelector('#what-if-source')?.textContent || ''));
    await page.waitForSelector('#effective-tier');
    const before = await page.textContent('#effective-tier');
    await page.fill('#mau-month', (await page.inputValue('#as-of')).slice(0, 7));
    await page.fill('#mau-value', '2000000');
    await page.click('#mau-add');
    await page.waitForFunction((b) => document.querySelector('#effective-tier')?.textContent !== b, before);
    assert.match(await page.textContent('#effective-tier'), /Tier 5/);
    await screenshot(page, 'offline-what-if');
    page.assertNoConsoleErrors();
  } finally {
    await page.context().close();
    await server.close();
  }
});

test('an activation made offline is queued, then sent exactly once when the network returns', { skip }, async () => {
  const server = await startBenefitsServer();
  const page = await openPage(browser, { allow: OFFLINE_NOISE });
  try {
    await diagnosed(page, 'outbox', async () => {
    await signIn(page, server.url, FABRIKAM.email, FABRIKAM.password);
    await page.goto(`${server.url}/partners/fabrikam/benefits`);
    await waitForApp(page);
    const { card, id } = await activatableCard(page);
    assert.equal((await benefit(page, 'fabrikam', id)).status, 'unlocked');
    await waitForServiceWorker(page);

    await page.context().setOffline(true);
    await card.locator('button', { hasText: /^Activate$/ }).click();
    await page.locator(`article[data-benefit="${id}"] >> text=queued in the outbox`).waitFor();
    const outbox = page.locator('[data-testid=outbox]');
    await outbox.waitFor();
    assert.match(await outbox.locator('h2').textContent(), /1 waiting to be sent/);
    assert.equal(await outbox.locator('li[data-state=pending]').count(), 1);
    await assertAccessible(page, 'benefits with a queued action');
    await screenshot(page, 'offline-outbox');

    // Reloading while offline keeps the queued action and shows it on its benefit.
    await page.reload();
    await waitForApp(page);
    await page.locator('[data-testid=outbox] li[data-state=pending]').waitFor();
    assert.match(await page.locator(`article[data-benefit="${id}"] .status`).textContent(), /Activated/);

    await page.context().setOffline(false);
    await page.locator('[data-testid=outbox]').waitFor({ state: 'detached' });
    const after = await benefit(page, 'fabrikam', id);
    assert.equal(after.status, 'activated');
    const activations = (await auditFor(page, 'fabrikam', id)).filter((e) => /activate/.test(e.action));
    assert.equal(activations.length, 1, `exactly one activation: ${JSON.stringify(activations)}`);

    // Sending the outbox again (another online event) changes nothing.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForTimeout(300);
    assert.equal((await auditFor(page, 'fabrikam', id)).filter((e) => /activate/.test(e.action)).length, 1);
    page.assertNoConsoleErrors();
    });
  } finally {
    await page.context().close();
    await server.close();
  }
});

test('a conflict: an opt-out elsewhere while this browser queued an activation is shown, not overwritten', { skip }, async () => {
  const server = await startBenefitsServer();
  const first = await openPage(browser, { allow: [...OFFLINE_NOISE, /412/] });
  const second = await openPage(browser);
  try {
    await signIn(first, server.url, FABRIKAM.email, FABRIKAM.password);
    await first.goto(`${server.url}/partners/fabrikam/benefits`);
    await waitForApp(first);
    const { card, id } = await activatableCard(first);

    await first.context().setOffline(true);
    await card.locator('button', { hasText: /^Activate$/ }).click();
    await first.locator('[data-testid=outbox] li[data-state=pending]').waitFor();

    // Meanwhile, in another browser, the same partner opts out of that benefit.
    await signIn(second, server.url, FABRIKAM.email, FABRIKAM.password);
    const b = await benefit(second, 'fabrikam', id);
    const optOut = await api(second, 'POST', `/api/partners/fabrikam/benefits/${id}/opt-out`, { version: b.version });
    assert.equal(optOut.status, 200, JSON.stringify(optOut.body));

    await first.context().setOffline(false);
    const conflict = first.locator('[data-testid=outbox] li[data-state=conflict]');
    await conflict.waitFor();
    assert.match(await conflict.textContent(), /changed on the server/);
    assert.equal(await conflict.locator('button', { hasText: 'Send again' }).count(), 1);
    assert.equal(await conflict.locator('button', { hasText: 'Discard' }).count(), 1);
    assert.equal((await benefit(second, 'fabrikam', id)).status, 'opted_out', 'the opt-out stands');
    assert.equal((await auditFor(second, 'fabrikam', id)).filter((e) => /activate/.test(e.action)).length, 0);
    await assertAccessible(first, 'outbox with a conflict');
    await screenshot(first, 'offline-conflict');

    // The user decides: discard. The outbox empties; the server is untouched.
    await conflict.locator('button', { hasText: 'Discard' }).click();
    await first.locator('[data-testid=outbox]').waitFor({ state: 'detached' });
    assert.equal((await benefit(second, 'fabrikam', id)).status, 'opted_out');
    first.assertNoConsoleErrors();
    second.assertNoConsoleErrors();
  } finally {
    await first.context().close();
    await second.context().close();
    await server.close();
  }
});

test('a conflict sent again reads the benefit list (not the workspace) and resends against the current version', { skip }, async () => {
  const server = await startBenefitsServer();
  const first = await openPage(browser, { allow: [...OFFLINE_NOISE, /412/, /409/, /422/] });
  const second = await openPage(browser);
  try {
    await signIn(first, server.url, FABRIKAM.email, FABRIKAM.password);
    await first.goto(`${server.url}/partners/fabrikam/benefits`);
    await waitForApp(first);
    const { card, id } = await activatableCard(first);
    await first.context().setOffline(true);
    await card.locator('button', { hasText: /^Activate$/ }).click();
    await first.locator('[data-testid=outbox] li[data-state=pending]').waitFor();
    await signIn(second, server.url, FABRIKAM.email, FABRIKAM.password);
    const b = await benefit(second, 'fabrikam', id);
    assert.equal((await api(second, 'POST', `/api/partners/fabrikam/benefits/${id}/opt-out`, { version: b.version })).status, 200);
    await first.context().setOffline(false);
    const conflict = first.locator('[data-testid=outbox] li[data-state=conflict]');
    await conflict.waitFor();

    // The user decides: send again. The shell reads the benefits list for the current version…
    const current = (await benefit(second, 'fabrikam', id)).version;
    const listed = first.waitForResponse((r) => new URL(r.url()).pathname === '/api/partners/fabrikam/benefits' && r.request().method() === 'GET');
    const resent = first.waitForRequest((r) => r.method() === 'POST' && r.url().includes(`/benefits/${id}/activate`));
    await conflict.locator('button', { hasText: 'Send again' }).click();
    assert.equal((await listed).status(), 200);
    // …and sends the activation again with that version, which is no longer a conflict.
    const request = await resent;
    assert.equal(request.headers()['if-match'], `"${current}"`);
    await first.locator('[data-testid=outbox] li[data-state=conflict]').waitFor({ state: 'detached' });
  } finally {
    await first.context().close();
    await second.context().close();
    await server.close();
  }
});

test('a new build deployed while the old one is cached: the update prompt appears and applies on request', { skip }, async () => {
  const deployed = fs.mkdtempSync(path.join(os.tmpdir(), 'benefits-dist-'));
  fs.cpSync(dist, deployed, { recursive: true });
  const server = await startBenefitsServer({ distDir: deployed });
  const page = await openPage(browser);
  try {
    await diagnosed(page, 'update', async () => {
    await page.goto(`${server.url}/what-if`);
    await waitForApp(page);
    await waitForServiceWorker(page);
    assert.equal(await page.locator('[data-testid=update-prompt]').count(), 0, 'no prompt for the first install');
    const oldCaches = await page.evaluate(() => caches.keys());

    // Deploy a new build: new content, so a new precache version.
    fs.writeFileSync(path.join(deployed, 'build-id.txt'), `build ${Date.now()}\n`);
    const gen = spawnSync(process.execPath, [path.join(root, 'scripts/gen-sw.mjs'), deployed], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    // As the build does: fresh compressed copies (the server prefers them).
    const compress = spawnSync(process.execPath, [path.join(root, 'scripts/compress-dist.mjs'), deployed], { encoding: 'utf8' });
    assert.equal(compress.status, 0, compress.stderr);
    // A real deployment comes seconds later; HTTP dates have 1 s resolution, so
    // say so, or the browser's revalidation could take the new sw.js for the old.
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(deployed, 'sw.js'), later, later);

    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    const prompt = page.locator('[data-testid=update-prompt]');
    await prompt.waitFor();
    assert.match(await prompt.textContent(), /new version/);
    await assertAccessible(page, 'update prompt');
    await screenshot(page, 'update-prompt');

    await Promise.all([page.waitForEvent('load'), prompt.locator('button', { hasText: 'Reload to update' }).click()]);
    await waitForApp(page);
    await page.waitForFunction(async (old) => {
      const now = await caches.keys();
      return now.length === 1 && !old.includes(now[0]);
    }, oldCaches);
    assert.equal(await page.locator('[data-testid=update-prompt]').count(), 0);
    page.assertNoConsoleErrors();
    });
  } finally {
    await page.context().close();
    await server.close();
    fs.rmSync(deployed, { recursive: true, force: true });
  }
});

test("no personal data in the browser's storage, and sign-out clears the user's cached data", { skip }, async () => {
  const server = await startBenefitsServer();
  const page = await openPage(browser);
  try {
    await signIn(page, server.url, FABRIKAM.email, FABRIKAM.password);
    for (const p of ['', '/why', '/benefits', '/settings']) {
      await page.goto(`${server.url}/partners/fabrikam${p}`);
      await waitForApp(page);
      await page.waitForSelector('h1');
      await page.waitForTimeout(200);
    }
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.endsWith('.snapshot')));
    const stored = await page.evaluate(async () => {
      const local = Object.entries(localStorage).map(([k, v]) => `${k}=${v}`).join('\n');
      const session = Object.entries(sessionStorage).map(([k, v]) => `${k}=${v}`).join('\n');
      const dbs = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name).join(',') : '';
      const cached = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const req of await cache.keys()) cached.push(new URL(req.url).pathname);
      }
      return { local, session, dbs, cookie: document.cookie, cached };
    });
    const sessionCookie = (await page.context().cookies()).find((c) => c.name.includes('session'));
    assert.ok(sessionCookie, 'the session cookie exists');
    assert.ok(sessionCookie.httpOnly && sessionCookie.secure && sessionCookie.sameSite === 'Strict');

    const everything = [stored.local, stored.session, stored.dbs, stored.cookie].join('\n');
    assert.ok(stored.local.includes('"input"'), 'the last-synced data is stored');
    const emails = everything.match(/[\w.+-]+@[\w-]+\.[\w.-]+/g) || [];
    assert.deepEqual(emails, [], 'no email address is stored');
    for (const secret of ['48221234567', '+48 22', FABRIKAM.password, sessionCookie.value]) {
      assert.ok(!everything.includes(secret), `not stored: ${secret.slice(0, 6)}…`);
    }
    // The service worker's cache holds only this build's own shell files: no API answer, nothing per user.
    // (The .br/.gz/.dcb copies are the same files, compressed for the wire.)
    const shell = fs.readdirSync(dist).filter((f) => f !== 'sw.js' && !/\.(br|gz|dcb)$/.test(f)).map((f) => `/${f}`).sort();
    assert.deepEqual([...stored.cached].sort(), shell);

    // Sign out: the user's cached data goes.
    await page.click('button:has-text("Sign out")');
    await page.waitForURL((u) => u.pathname.startsWith('/sign-in'));
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('benefits.offline')));
    assert.deepEqual(left, []);
    page.assertNoConsoleErrors();
  } finally {
    await page.context().close();
    await server.close();
  }
});
