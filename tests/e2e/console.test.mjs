// The operators' partner list at program scale, in the browser against the
// real server: 120 more partners than the demo's, fed in as the marketplace would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startBenefitsServer, serverBinary, openPage, assertAccessible, signIn, DEMO,
} from './helpers.mjs';

const skip = serverBinary() ? false : 'the benefits binary is not built (cargo build -p benefits-server)';
const EXTRA = 120;
let browser;
let server;
before(async () => {
  if (skip) return;
  let csv = 'partner_id,name,account_email\n';
  for (let i = 0; i < EXTRA; i++) csv += `zz${String(i).padStart(3, '0')},Zeta Vendor ${String(i).padStart(3, '0')},owner${i}@zeta.example\n`;
  server = await startBenefitsServer({ feeds: [{ kind: 'partners', csv }] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('operator: the partner list pages with a count, finds a partner by a user\'s email and filters by tier', { skip }, async () => {
  const op = await openPage(browser);
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  const count = op.locator('#partner-count');
  await count.filter({ hasText: /^Partners 1–50 of \d+$/ }).waitFor();
  const total = Number((await count.textContent()).match(/of (\d+)/)[1]);
  assert.ok(total >= EXTRA + 3, `all partners are counted (${total})`);
  assert.equal(await op.locator('#operator-partners tbody tr').count(), 50);

  await op.click('#partners-next');
  await count.filter({ hasText: `Partners 51–100 of ${total}` }).waitFor();
  await op.click('#partners-next');
  await count.filter({ hasText: `Partners 101–${Math.min(150, total)} of ${total}` }).waitFor();
  assert.equal(await op.locator('#partners-next').isDisabled(), total <= 150);
  await op.click('#partners-prev');
  await count.filter({ hasText: `Partners 51–100 of ${total}` }).waitFor();

  // A user's email finds their partner (the member of Contoso).
  await op.fill('#partner-search', DEMO.contosoMember.email);
  await op.press('#partner-search', 'Enter');
  await count.filter({ hasText: 'Partners 1–1 of 1' }).waitFor();
  assert.match(await op.locator('#operator-partners tbody tr').first().textContent(), /Contoso/);

  // No tier: the fed-in partners have no offers and no sales.
  await op.fill('#partner-search', 'Zeta');
  await op.press('#partner-search', 'Enter');
  await count.filter({ hasText: `Partners 1–50 of ${EXTRA}` }).waitFor();
  await op.selectOption('#partner-tier', '3');
  await count.filter({ hasText: 'No partner matches.' }).waitFor();
  await op.selectOption('#partner-tier', '0');
  await count.filter({ hasText: `Partners 1–50 of ${EXTRA}` }).waitFor();
  await assertAccessible(op, 'operator partner list');
  op.assertNoConsoleErrors();
  await op.context().close();
});

test('operator: assigns an engagement manager (the partner sees them), then finds it in the audit trail and exports it', { skip }, async () => {
  const op = await openPage(browser);
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  await op.goto(`${server.url}/operator/partners/contoso`);
  const select = op.locator('#manager-select');
  await select.waitFor();
  await select.selectOption('');
  await op.locator('#manager-saved', { hasText: 'no engagement manager' }).waitFor();
  const value = await select.locator('option', { hasText: DEMO.operator.email }).getAttribute('value');
  await select.selectOption(value);
  await op.locator('#manager-saved', { hasText: 'is now the engagement manager' }).waitFor();
  await assertAccessible(op, 'operator partner page with the manager');

  const partner = await openPage(browser);
  await signIn(partner, server.url, DEMO.contosoAdmin.email, DEMO.contosoAdmin.password);
  await partner.locator(`a[href="mailto:${DEMO.operator.email}"]`).waitFor();
  await partner.context().close();

  await op.goto(`${server.url}/operator/audit`);
  await op.locator('#audit-entries tbody tr').first().waitFor();
  await op.fill('#audit-action', 'partner.engagement_manager');
  await op.fill('#audit-partner', 'contoso');
  await op.click('#audit-apply');
  const rows = op.locator('#audit-entries tbody tr');
  await op.waitForFunction(() => document.querySelectorAll('#audit-entries tbody tr').length === 2);
  assert.match(await rows.first().textContent(), new RegExp(`${DEMO.operator.email}.*partner\\.engagement_manager.*engagement_manager_id: —\\s*→\\s*${value}`, 's'));
  const href = await op.locator('#audit-export').getAttribute('href');
  assert.equal(href, '/api/operator/audit/export?partner_id=contoso&action=partner.engagement_manager');
  const csv = await op.evaluate((u) => fetch(u).then((r) => r.text()), href);
  assert.equal(csv.trim().split('\n').length, 3, 'a header and both changes');
  await op.fill('#audit-action', 'no.such.action');
  await op.click('#audit-apply');
  await op.locator('#audit-empty').waitFor();
  await assertAccessible(op, 'audit trail');
  op.assertNoConsoleErrors();
  await op.context().close();
});

test('operator: previews a catalog version\'s impact before publishing it', { skip }, async () => {
  const op = await openPage(browser);
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  // The JSON editor is the catalog editor's "advanced" disclosure.
  await op.goto(`${server.url}/operator/catalogs/new`);
  await op.click('details.catalog-json summary');
  const textarea = op.locator('#catalog-json');
  await textarea.waitFor();
  const catalog = JSON.parse(await textarea.inputValue());
  catalog.version = 'e2e-raised';
  for (const t of catalog.metrics.mbs.tiers) if (t.tier >= 2) t.min = `99999999${t.tier}.00`; // ascending, above anyone's MBS
  await textarea.fill(JSON.stringify(catalog, null, 2));
  await op.click('#catalog-preview');
  const summary = op.locator('#impact-summary');
  await op.locator('#impact-summary, #catalog-json-error').first().waitFor();
  assert.equal(await op.locator('#catalog-json-error').count(), 0, await op.locator('#catalog-json-error').textContent().catch(() => ''));
  const [, moved, partners] = (await summary.textContent()).match(/(\d+) of (\d+) partners would change tier/);
  assert.ok(Number(partners) >= 3);
  const fields = await op.locator('#impact-fields li').allTextContents();
  assert.ok(fields.some((f) => f.startsWith('metrics.mbs.tiers[1].min')), fields.join(' | '));
  assert.ok(fields.some((f) => f.startsWith('version')));
  if (Number(moved) > 0) assert.ok(await op.locator('#impact-partners tbody tr').count() >= Number(moved));
  // Nothing was published by the preview.
  const versions = await op.evaluate(() => fetch('/api/operator/catalogs').then((r) => r.json()).then((l) => l.map((c) => c.version)));
  assert.ok(!versions.includes('e2e-raised'));
  await assertAccessible(op, 'catalog impact preview');
  op.assertNoConsoleErrors();
  await op.context().close();
});
