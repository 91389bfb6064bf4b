// The operator console's account forms against the real server: invite an
// operator and a partner's people, resend and revoke pending invitations, and
// edit a partner's name and account email (audited). Mail is read from the
// server's --mail-dir (.eml files).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { DEMO, assertAccessible, launchBrowser, linkInMail, openPage, screenshot, serverBinary, signIn, startBenefitsServer, waitForApp } from './helpers.mjs';

const skip = serverBinary() ? false : 'the benefits binary is not built (cargo build -p benefits-server)';
const expectedHttpError = (status) => new RegExp(`Failed to load resource: the server responded with a status of ${status}`);
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

/// Accepts an emailed invitation in a fresh browser; returns the page, signed in.
async function accept(link, name, password) {
  const page = await openPage(browser);
  await page.goto(link);
  await waitForApp(page);
  await page.waitForSelector('#invite-place');
  await page.fill('#invite-name', name);
  await page.fill('#invite-password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/invite/')), page.click('text=Join and sign in')]);
  return page;
}

test('an operator invites an operator from the console, resends the link (the old one stops working) and revokes another', { skip }, async () => {
  const op = await openPage(browser);
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  await op.waitForSelector('#operator-invite-email');
  // The program team's invitations give the operator role only: no role to choose.
  assert.equal(await op.locator('#operator-invite-role').count(), 0);

  await op.fill('#operator-invite-email', 'grace@program.example');
  await op.fill('#operator-invite-name', 'Grace Hopper');
  await op.click('form:has(#operator-invite-email) button[type=submit]');
  await op.waitForSelector('[data-testid=operator-invite-sent]');
  const table = op.locator('[data-testid=operator-invite-pending]');
  await table.locator('tr', { hasText: 'grace@program.example' }).waitFor();
  assert.match(await table.locator('tr', { hasText: 'grace@program.example' }).textContent(), /Grace Hopper.*Operator/);
  const first = await linkInMail(server.mailDir, 'grace@program.example');

  // Resend: a new email with a new link.
  const sentAt = Date.now();
  await op.click('button:has-text("Resend to grace@program.example")');
  await op.waitForSelector('text=A new link is on its way to grace@program.example');
  const second = await linkInMail(server.mailDir, 'grace@program.example', { after: sentAt });
  assert.notEqual(second, first);
  const stale = await openPage(browser, { allow: [expectedHttpError(404)] });
  await stale.goto(first);
  await waitForApp(stale);
  await stale.waitForSelector('text=not valid any more');
  await stale.context().close();

  // Revoke another pending invitation: it leaves the list and its link stops working.
  await op.fill('#operator-invite-email', 'nobody@program.example');
  await op.click('form:has(#operator-invite-email) button[type=submit]');
  await table.locator('tr', { hasText: 'nobody@program.example' }).waitFor();
  const revokedLink = await linkInMail(server.mailDir, 'nobody@program.example');
  await op.click('button:has-text("Revoke nobody@program.example")');
  await op.waitForSelector('text=The invitation to nobody@program.example is revoked');
  await table.locator('tr', { hasText: 'nobody@program.example' }).waitFor({ state: 'detached' });
  const revoked = await openPage(browser, { allow: [expectedHttpError(404)] });
  await revoked.goto(revokedLink);
  await waitForApp(revoked);
  await revoked.waitForSelector('text=not valid any more');
  await revoked.context().close();
  await assertAccessible(op, 'operator console with pending operator invitations');
  await screenshot(op, 'console-operator-invitations');

  // The resent link makes Grace an operator.
  const grace = await accept(second, 'Grace Hopper', 'compiler of the first order');
  await grace.waitForURL((u) => u.pathname === '/operator');
  await grace.waitForSelector('#operator-partners');
  op.assertNoConsoleErrors();
  grace.assertNoConsoleErrors();
  await grace.context().close();
  await op.context().close();
});

test("an operator edits a partner's name and account email and invites its people from the partner's console page", { skip }, async () => {
  const op = await openPage(browser, { allow: [expectedHttpError(422)] });
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  await op.goto(`${server.url}/operator/partners/adatum`);
  await waitForApp(op);
  await op.waitForSelector('#partner-name');
  const before = { name: await op.inputValue('#partner-name'), email: await op.inputValue('#partner-account-email') };

  // A bad address is refused, naming the field; nothing changes.
  await op.fill('#partner-account-email', 'not an address');
  await op.click('text=Save partner details');
  await op.waitForSelector('#partner-account-email-error');
  // Then a good edit is saved and audited with before and after.
  await op.fill('#partner-name', 'Adatum Corporation');
  await op.fill('#partner-account-email', 'program@adatum.example');
  await op.click('text=Save partner details');
  await op.waitForSelector('[data-testid=partner-saved]');
  assert.match(await op.textContent('[data-testid=partner-saved]'), /Adatum Corporation · program@adatum\.example/);
  const read = await api(op, 'GET', '/api/operator/partners/adatum');
  assert.deepEqual([read.body.name, read.body.account_email], ['Adatum Corporation', 'program@adatum.example']);
  const audit = await api(op, 'GET', '/api/operator/audit?partner_id=adatum');
  const update = audit.body.items.find((e) => e.action === 'partner.update');
  assert.ok(update, JSON.stringify(audit.body.items.slice(0, 3)));
  assert.equal(update.before.name, before.name);
  assert.equal(update.after.account_email, 'program@adatum.example');

  // Invite one of Adatum's people as an admin; the pending list shows it.
  await op.fill('#partner-invite-email', 'lin@adatum.example');
  await op.selectOption('#partner-invite-role', 'admin');
  await op.click('form:has(#partner-invite-email) button[type=submit]');
  const row = op.locator('[data-testid=partner-invite-pending] tr', { hasText: 'lin@adatum.example' });
  await row.waitFor();
  assert.match(await row.textContent(), /Admin/);
  await assertAccessible(op, "operator's partner page with its details and invitations");
  await screenshot(op, 'console-partner-details');

  const lin = await accept(await linkInMail(server.mailDir, 'lin@adatum.example'), 'Lin Admin', 'ledger of the adatum year');
  await lin.waitForURL((u) => u.pathname === '/partners/adatum');
  const me = await api(lin, 'GET', '/api/session/me');
  assert.deepEqual([me.body.user.role, me.body.partner.id, me.body.partner.name], ['admin', 'adatum', 'Adatum Corporation']);
  // Accepted: no longer pending.
  await op.reload();
  await waitForApp(op);
  await op.waitForSelector('[data-testid=partner-invite-none]');
  op.assertNoConsoleErrors();
  lin.assertNoConsoleErrors();
  await lin.context().close();
  await op.context().close();
});
