// The offline copy and the outbox across sessions and users: after a 401 the
// copy is shown only as signed out; a copy older than the server's
// --offline-max-age-days is deleted; another user signing in on the same
// browser neither sends nor deletes the previous user's outbox, which waits
// for its owner. Real Chromium against the real server.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';

import { DEMO, launchBrowser, openPage, screenshot, serverBinary, signIn, startBenefitsServer, waitForApp } from './helpers.mjs';

const skip = serverBinary() ? false : 'the benefits binary is not built (cargo build -p benefits-server)';
const OFFLINE_NOISE = [/ERR_INTERNET_DISCONNECTED/, /Failed to load resource/, /Failed to fetch/];
const FABRIKAM = DEMO.fabrikamAdmin;
const FABRIKAM_MEMBER = { email: 'member@fabrikam.example', password: 'demo-fabrikam-member-1' };

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function waitForServiceWorker(page) {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return !!reg.active && !!navigator.serviceWorker.controller;
  });
}

/// A JSON API call in the page's session (CSRF token from `me`).
async function api(page, method, url) {
  return page.evaluate(
    async ({ method, url }) => {
      const me = await (await fetch('/api/session/me')).json();
      const res = await fetch(url, { method, headers: { 'X-CSRF-Token': me.csrf_token, Accept: 'application/json' } });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    { method, url },
  );
}

/// What this browser stores for offline use: key → parsed value.
async function stored(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      Object.keys(localStorage)
        .filter((k) => k.startsWith('benefits.offline.v3.'))
        .map((k) => [k, (() => { try { return JSON.parse(localStorage.getItem(k)); } catch { return localStorage.getItem(k); } })()]),
    ),
  );
}

/// Signs in, opens the overview (which keeps the offline copy), and waits for the service worker.
async function signInWithCopy(page, server, who) {
  await signIn(page, server.url, who.email, who.password);
  await page.goto(`${server.url}/partners/fabrikam`);
  await waitForApp(page);
  await page.waitForSelector('#effective-tier');
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.endsWith('.snapshot')));
  await waitForServiceWorker(page);
}

/// Ends every other session of `who` from another browser ("sign out the others").
async function endOtherSessions(server, who) {
  const other = await openPage(browser);
  try {
    await signIn(other, server.url, who.email, who.password);
    const res = await api(other, 'POST', '/api/session/sessions/sign-out-others');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.signed_out >= 1);
  } finally {
    await other.context().close();
  }
}

test('after a 401 the offline copy is shown only as signed out, and signing in again shows the data', { skip }, async () => {
  const server = await startBenefitsServer();
  const page = await openPage(browser, { allow: [...OFFLINE_NOISE, /status of 401/] });
  try {
    await signInWithCopy(page, server, FABRIKAM);
    await endOtherSessions(server, FABRIKAM);

    // The server now answers 401: the app is signed out.
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('form #password');
    // Offline, the stored copy is not shown as if still signed in.
    await page.context().setOffline(true);
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('form #password');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-testid=offline-banner]').count(), 0, 'no offline banner');
    assert.equal(await page.locator('#effective-tier').count(), 0, 'no tier from the stored copy');
    assert.equal(await page.locator('button:has-text("Sign out")').count(), 0, 'nobody is shown signed in');
    await screenshot(page, 'offline-after-401');
    // The copy itself is kept (within its age) for the next sign-in.
    assert.ok(Object.keys(await stored(page)).some((k) => k.endsWith('.snapshot')));

    await page.context().setOffline(false);
    await signInWithCopy(page, server, FABRIKAM);
    // Signed in again, the copy is shown offline once more.
    await page.context().setOffline(true);
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('[data-testid=offline-banner]');
    await page.waitForSelector('#effective-tier');
    page.assertNoConsoleErrors();
  } finally {
    await page.context().close();
    await server.close();
  }
});

test('a copy older than the server\'s --offline-max-age-days is deleted; a younger one is shown offline', { skip }, async () => {
  const server = await startBenefitsServer({ serveArgs: ['--offline-max-age-days', '7'] });
  const page = await openPage(browser, { allow: OFFLINE_NOISE });
  const age = (days) => page.evaluate((days) => {
    const key = Object.keys(localStorage).find((k) => k.endsWith('.snapshot'));
    const snapshot = JSON.parse(localStorage.getItem(key));
    snapshot.saved_at = new Date(Date.now() - days * 86400000).toISOString();
    localStorage.setItem(key, JSON.stringify(snapshot));
  }, days);
  try {
    await signInWithCopy(page, server, FABRIKAM);
    const identity = Object.entries(await stored(page)).find(([k]) => k.endsWith('.identity'))[1];
    assert.equal(identity.max_age_days, 7, 'the server\'s setting, from GET /api/session/me');

    await page.context().setOffline(true);
    await age(6);
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('[data-testid=offline-banner]');
    await page.waitForSelector('#effective-tier');

    await age(8);
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('form #password');
    assert.equal(await page.locator('[data-testid=offline-banner]').count(), 0);
    assert.deepEqual(Object.keys(await stored(page)).filter((k) => k.endsWith('.snapshot')), [], 'the old copy is deleted');
    await screenshot(page, 'offline-copy-expired');
    page.assertNoConsoleErrors();
  } finally {
    await page.context().close();
    await server.close();
  }
});

test("another user signing in keeps the previous user's outbox, never sends it, and its owner's next sign-in sends it", { skip }, async () => {
  const server = await startBenefitsServer();
  const page = await openPage(browser, { allow: [...OFFLINE_NOISE, /status of 401/] });
  const activations = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/benefits\/[^/]+\/activate$/.test(r.url())) activations.push(r.url());
  });
  try {
    await signIn(page, server.url, FABRIKAM.email, FABRIKAM.password);
    await page.goto(`${server.url}/partners/fabrikam/benefits`);
    await waitForApp(page);
    const card = page.locator('article.benefit-card', { has: page.locator('button:not([disabled])', { hasText: /^Activate$/ }) }).first();
    await card.waitFor();
    const id = await card.getAttribute('data-benefit');
    await waitForServiceWorker(page);

    // Offline, the admin queues an activation; meanwhile their session is ended elsewhere.
    await page.context().setOffline(true);
    await card.locator('button', { hasText: /^Activate$/ }).click();
    await page.locator('[data-testid=outbox] li[data-state=pending]').waitFor();
    const ownerKey = Object.keys(await stored(page)).find((k) => k.endsWith('.outbox'));
    await endOtherSessions(server, FABRIKAM);
    await page.context().setOffline(false);
    // The outbox tries, gets 401, and keeps the action.
    await page.waitForFunction(() => navigator.onLine);
    await page.waitForTimeout(500);
    assert.equal((await stored(page))[ownerKey].items.length, 1);
    const sentBefore = activations.length;

    // A colleague signs in on this browser.
    await signIn(page, server.url, FABRIKAM_MEMBER.email, FABRIKAM_MEMBER.password);
    await page.goto(`${server.url}/partners/fabrikam/benefits`);
    await waitForApp(page);
    await page.waitForSelector('[data-testid=outbox-others]');
    assert.match(await page.textContent('[data-testid=outbox-others]'), /1 offline action queued by another user/);
    assert.equal(await page.locator('[data-testid=outbox]').count(), 0, "the other user's actions are not listed");
    await page.waitForTimeout(500);
    assert.equal(activations.length, sentBefore, 'nothing is sent as the wrong user');
    const kept = await stored(page);
    assert.equal(kept[ownerKey]?.items?.length, 1, "the previous user's outbox is kept");
    const owner = ownerKey.split('.')[3];
    assert.ok(!(`benefits.offline.v3.${owner}.snapshot` in kept), "the previous user's copy of the partner's data is gone");
    await screenshot(page, 'outbox-of-another-user');

    // The colleague signs out; the owner signs in again: the action is sent, once.
    await page.click('button:has-text("Sign out")');
    await page.waitForURL((u) => u.pathname.startsWith('/sign-in'));
    assert.equal((await stored(page))[ownerKey]?.items?.length, 1, 'kept across the other user\'s sign-out');
    await signIn(page, server.url, FABRIKAM.email, FABRIKAM.password);
    await page.waitForFunction((k) => (JSON.parse(localStorage.getItem(k) || '{"items":[]}').items || []).length === 0, ownerKey);
    const list = await api(page, 'GET', '/api/partners/fabrikam/benefits');
    assert.equal(list.body.find((b) => b.id === id).status, 'activated');
    const audit = await api(page, 'GET', '/api/partners/fabrikam/audit');
    assert.equal(audit.body.items.filter((e) => e.target.startsWith(`benefit:${id}@`) && /activate/.test(e.action)).length, 1);
    page.assertNoConsoleErrors();
  } finally {
    await page.context().close();
    await server.close();
  }
});

test('an action queued offline can be discarded by its owner before it is sent', { skip }, async () => {
  const server = await startBenefitsServer();
  const page = await openPage(browser, { allow: OFFLINE_NOISE });
  try {
    await signIn(page, server.url, FABRIKAM.email, FABRIKAM.password);
    await page.goto(`${server.url}/partners/fabrikam/benefits`);
    await waitForApp(page);
    const card = page.locator('article.benefit-card', { has: page.locator('button:not([disabled])', { hasText: /^Activate$/ }) }).first();
    await card.waitFor();
    const id = await card.getAttribute('data-benefit');
    await waitForServiceWorker(page);
    await page.context().setOffline(true);
    await card.locator('button', { hasText: /^Activate$/ }).click();
    const pending = page.locator('[data-testid=outbox] li[data-state=pending]');
    await pending.waitFor();
    await pending.locator('button', { hasText: 'Discard' }).click();
    await page.locator('[data-testid=outbox]').waitFor({ state: 'detached' });
    await page.context().setOffline(false);
    await page.waitForTimeout(500);
    const list = await api(page, 'GET', '/api/partners/fabrikam/benefits');
    assert.equal(list.body.find((b) => b.id === id).status, 'unlocked');
    page.assertNoConsoleErrors();
  } finally {
    await page.context().close();
    await server.close();
  }
});
