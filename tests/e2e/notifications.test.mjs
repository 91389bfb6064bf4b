// Notifications in the browser against the real server: the marketing contact
// sees the unread count in the header rise when an admin activates a benefit
// (refreshed when the window regains focus), opens the entry to the benefit,
// marks all read; their email setting for benefit updates is locked on while
// the engagement is active; the calendar address serves an iCalendar feed.
// The operator sees the activation in the console's header and list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startBenefitsServer, serverBinary, openPage, assertAccessible, signIn, screenshot, waitForApp, DEMO,
} from './helpers.mjs';

const skip = serverBinary() ? false : 'the benefits binary is not built (cargo build -p benefits-server)';
let browser;
let server;
before(async () => {
  if (skip) return;
  server = await startBenefitsServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/// A signed-in API session's headers (the cookie and CSRF token by hand: the cookie is Secure, this is http).
async function sessionHeaders({ email, password }) {
  const res = await fetch(`${server.url}/api/session/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'benefits' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await res.json();
  return { cookie, 'x-csrf-token': csrf, origin: server.url };
}

async function focusWindow(page) {
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
}

test('the contact is told of an activation in the workspace: count, list, link, read, email lock, calendar', { skip }, async () => {
  // Contoso's marketing contact is its member (English).
  const contact = await openPage(browser);
  await signIn(contact, server.url, DEMO.contosoMember.email, DEMO.contosoMember.password);
  await contact.goto(`${server.url}/notifications`);
  await waitForApp(contact);
  await contact.locator('h1', { hasText: 'Notifications' }).waitFor();
  // The list's own count (the header's arrives on its own request).
  const summary = await contact.locator('#inbox-summary, #inbox-empty').first().textContent();
  const before = Number(summary.match(/^(\d+) unread/)?.[1] || 0);
  await contact.waitForFunction((n) => Number(document.querySelector('[data-testid=unread-count]')?.textContent || 0) === n, before);

  // An admin activates a benefit (through the API, as another person would).
  const admin = await sessionHeaders(DEMO.contosoAdmin);
  const benefits = await (await fetch(`${server.url}/api/partners/contoso/benefits`, { headers: admin })).json();
  const b = benefits.find((x) => x.actions.includes('activate'));
  assert.ok(b, 'Contoso has a benefit to activate');
  const res = await fetch(`${server.url}/api/partners/contoso/benefits/${b.id}/activate`, {
    method: 'POST',
    headers: { ...admin, 'if-match': `"${b.version}"` },
  });
  assert.equal(res.status, 200, await res.text());

  // Coming back to the window refreshes the count and the list.
  await focusWindow(contact);
  await contact.waitForFunction((n) => Number(document.querySelector('[data-testid=unread-count]')?.textContent || 0) === n, before + 1);
  const first = contact.locator('#inbox li').first();
  await first.locator('.inbox__title', { hasText: `${b.name} is activated` }).waitFor();
  assert.equal(await first.getAttribute('data-kind'), 'activated');
  assert.equal(await contact.locator('.notification-bell').textContent(), `Notifications${before + 1}, ${before + 1} unread`);
  await assertAccessible(contact, 'notifications page');
  await screenshot(contact, 'notifications');

  // Opening it goes to the benefit and marks it read.
  await Promise.all([contact.waitForURL((u) => u.pathname === '/partners/contoso/benefits'), first.locator('.inbox__title').click()]);
  assert.equal(new URL(contact.url()).hash, `#${b.id}`);
  await contact.waitForFunction((n) => Number(document.querySelector('[data-testid=unread-count]')?.textContent || 0) === n, before);

  // Mark all read: the count disappears.
  await contact.goto(`${server.url}/notifications`);
  await waitForApp(contact);
  if (before > 0) {
    await contact.click('text=Mark all as read');
    await contact.locator('#inbox-summary', { hasText: 'Everything is read.' }).waitFor();
  }
  await contact.locator('[data-testid=unread-count]').waitFor({ state: 'detached' });

  // Benefit updates are locked on for the contact of an engagement under way; tier news can be turned off.
  const updates = contact.locator('#email-benefit_updates');
  await updates.waitFor();
  assert.equal(await updates.isChecked(), true);
  assert.equal(await updates.isDisabled(), true);
  const tier = contact.locator('#email-tier_news');
  assert.equal(await tier.isChecked(), true);
  await tier.uncheck();
  await contact.waitForFunction(() => document.querySelector('#email-tier_news') && !document.querySelector('#email-tier_news').checked);
  const prefs = await (await fetch(`${server.url}/api/notifications/preferences`, { headers: await sessionHeaders(DEMO.contosoMember) })).json();
  assert.deepEqual(prefs.groups.find((g) => g.group === 'tier_news'), { group: 'tier_news', email: false, locked: false });

  // The calendar address: shown once, serves the contact-by date of the activation.
  await contact.click('#calendar-create');
  const url = await contact.locator('#calendar-url').inputValue();
  assert.match(url, /\/api\/ics\/[^/]+\.ics$/);
  const ics = await (await fetch(url.replace(/^https?:\/\/[^/]+/, server.url))).text();
  assert.match(ics, /BEGIN:VCALENDAR/);
  assert.ok(ics.includes(`Rewards team contact due: ${b.name}`), ics);
  await contact.locator('#calendar-revoke').waitFor();
  contact.assertNoConsoleErrors();
  await contact.context().close();

  // The Rewards team sees it in the console's header and list.
  const op = await openPage(browser);
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  await op.locator('[data-testid=unread-count]').waitFor();
  await op.click('.notification-bell');
  await op.locator('#inbox .inbox__title', { hasText: `Contoso Analytics activated ${b.name}` }).waitFor();
  await assertAccessible(op, 'operator notifications');
  op.assertNoConsoleErrors();
  await op.context().close();
});
