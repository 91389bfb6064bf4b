// Journeys against the real server: `benefits serve` with a fresh database
// seeded by `benefits seed-demo` (skipped when the binary is not built).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startBenefitsServer, serverBinary, openPage, waitForApp, assertAccessible, screenshot, signIn, DEMO,
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

const expectedHttpError = (status) => new RegExp(`Failed to load resource: the server responded with a status of ${status}`);

test('partner admin: tier, why, contact (account email refused), activate; operator marks contacted; partner sees it', { skip }, async () => {
  const page = await openPage(browser, { allow: [expectedHttpError(422)] });
  const { partner } = DEMO.contosoAdmin;
  await signIn(page, server.url, DEMO.contosoAdmin.email, DEMO.contosoAdmin.password);
  assert.equal(new URL(page.url()).pathname, `/partners/${partner}`);
  await page.waitForSelector('#effective-tier');
  assert.match(await page.textContent('#effective-tier'), /^(Tier \d|No tier)$/);
  await page.waitForSelector('.chart__svg');
  await assertAccessible(page, 'overview');
  await screenshot(page, 'overview');

  await page.click('nav >> text=Why this tier');
  await page.waitForSelector('#why-sales tbody tr');
  assert.ok((await page.locator('#why-sales tbody tr').count()) > 0);
  await page.selectOption('#verdict-filter', 'excluded');
  await assertAccessible(page, 'why');
  await screenshot(page, 'why');

  await page.click('nav >> text=Marketing benefits');
  await page.waitForSelector('#contact-summary');
  if (await page.locator('text=Change contact').count()) await page.click('text=Change contact');
  const userValue = await page.locator('#contact-user option').nth(1).getAttribute('value');
  await page.selectOption('#contact-user', userValue);
  await page.fill('#contact-email', 'account@contoso.example');
  await page.fill('#contact-phone', '+1 425 555 0100');
  await page.selectOption('#contact-language', 'en');
  await page.click('#contact-save');
  assert.match(await page.textContent('#contact-email-error'), /different from your partner account/);
  await assertAccessible(page, 'contact form with an error');
  await page.fill('#contact-email', 'marketing.lead@contoso.example');
  await page.click('#contact-save');
  await page.waitForSelector('text=is now your marketing contact');

  const card = page.locator('article.benefit-card', { has: page.locator('button:not([disabled])', { hasText: /^Activate$/ }) }).first();
  const activate = card.locator('button', { hasText: /^Activate$/ });
  const benefitId = await card.getAttribute('data-benefit');
  const benefitName = await card.locator('h3').textContent();
  await activate.click();
  // Located by id again: once activated the card no longer has an Activate button.
  const activated = page.locator(`article[data-benefit="${benefitId}"]`);
  await activated.locator('text=Activated. The Rewards team will contact').waitFor();
  assert.match(await activated.locator('.status').textContent(), /Activated/);
  await screenshot(page, 'benefits');
  await assertAccessible(page, 'benefits');

  const op = await openPage(browser);
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  assert.equal(new URL(op.url()).pathname, '/operator');
  await op.waitForSelector('#activation-queue');
  await op.click(`button[aria-label="Mark contacted: ${benefitName} for Contoso Analytics"]`);
  await op.waitForSelector(`button[aria-label="Mark in progress: ${benefitName} for Contoso Analytics"]`);
  await assertAccessible(op, 'operator console');
  await screenshot(op, 'operator');
  op.assertNoConsoleErrors();
  await op.context().close();

  await page.reload();
  await waitForApp(page);
  const after = page.locator(`article[data-benefit="${benefitId}"] .status`);
  await after.waitFor();
  assert.match(await after.textContent(), /Contacted/);
  page.assertNoConsoleErrors();
  await page.context().close();
});

test('a member cannot do admin things', { skip }, async () => {
  const page = await openPage(browser);
  await signIn(page, server.url, DEMO.contosoMember.email, DEMO.contosoMember.password);
  await page.goto(`${server.url}/partners/contoso/settings`);
  await page.waitForSelector('#users');
  assert.equal(await page.locator('#invite-title').count(), 0, 'no invitation form for members');
  assert.equal(await page.locator('#users select').count(), 0, 'no role selects');
  await page.goto(`${server.url}/partners/contoso/offers`);
  await page.waitForSelector('#offers');
  assert.equal(await page.locator('#import-title').count(), 0, 'no import');
  assert.equal(await page.locator('#add-offer-title').count(), 0, 'no add-offer form');
  await page.goto(`${server.url}/partners/contoso/benefits`);
  await page.waitForSelector('#contact-summary');
  assert.equal(await page.locator('#contact-save').count(), 0, 'cannot assign the contact');
  await assertAccessible(page, 'benefits as member');
  await screenshot(page, 'member-benefits');
  page.assertNoConsoleErrors();
  await page.context().close();
});

test("a partner cannot reach another partner's data by editing the URL", { skip }, async () => {
  const page = await openPage(browser, { allow: [expectedHttpError(404)] });
  await signIn(page, server.url, DEMO.contosoAdmin.email, DEMO.contosoAdmin.password);
  await page.goto(`${server.url}/partners/adatum`);
  await page.waitForSelector('.notice--error');
  assert.match(await page.textContent('.notice--error'), /Not found/);
  assert.equal(await page.locator('#effective-tier').count(), 0);
  await assertAccessible(page, 'other partner');
  await screenshot(page, 'other-partner-refused');
  page.assertNoConsoleErrors();
  await page.context().close();
});

test('an operator feed upload with a bad row lists the row and changes nothing; partners only read their offers', { skip }, async () => {
  const page = await openPage(browser, { allow: [expectedHttpError(422)] });
  await signIn(page, server.url, DEMO.contosoAdmin.email, DEMO.contosoAdmin.password);
  await page.goto(`${server.url}/partners/contoso/offers`);
  await page.waitForSelector('#offers tbody tr');
  const offerId = (await page.locator('#offers tbody tr .hint').first().textContent()).trim();
  assert.equal(await page.locator('#import-title').count(), 0, 'partners cannot upload their own figures');
  assert.match(await page.textContent('#offers'), /Demo data/, 'where each offer came from');
  const exportCsv = () => page.evaluate(() => fetch('/api/partners/contoso/export/sales.csv').then((r) => r.text()));
  const before = await exportCsv();
  await page.context().close();

  const ops = await openPage(browser, { allow: [expectedHttpError(422)] });
  await signIn(ops, server.url, DEMO.operator.email, DEMO.operator.password);
  await ops.goto(`${server.url}/operator`);
  await ops.waitForSelector('#import-title');
  await ops.selectOption('#import-kind', 'sales');
  await ops.fill('#import-text', [
    'external_id,partner_id,offer_id,date,amount_usd,status',
    `e2e-good-1,contoso,${offerId},2025-01-10,100.00,billed`,
    `e2e-bad-2,contoso,${offerId},2025-01-11,12.345,billed`,
  ].join('\n'));
  await ops.click('#import-submit');
  await ops.waitForSelector('#import-errors');
  const rows = await ops.locator('#import-errors tbody tr').allTextContents();
  assert.equal(rows.length, 1);
  assert.match(rows[0], /^3/);
  assert.match(await ops.textContent('#import-result'), /Nothing was written/);
  await assertAccessible(ops, 'feed upload errors');
  await screenshot(ops, 'feed-upload-errors');
  assert.equal(await ops.evaluate(() => fetch('/api/operator/partners/contoso/sales').then((r) => r.json()).then((l) => l.filter((s) => s.external_id.startsWith('e2e-')).length)), 0, 'no row was written');
  await ops.context().close();
  assert.ok(before.length > 0);
});

test('home, account settings and the operator partner page are accessible', { skip }, async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}/`);
  await waitForApp(page);
  await page.waitForSelector('h1');
  await assertAccessible(page, 'home');
  await screenshot(page, 'home');

  await signIn(page, server.url, DEMO.contosoAdmin.email, DEMO.contosoAdmin.password);
  await page.goto(`${server.url}/partners/${DEMO.contosoAdmin.partner}/settings`);
  await page.waitForSelector('#users tbody tr');
  await page.waitForSelector('#invite-title');
  await assertAccessible(page, 'account settings');
  await screenshot(page, 'settings');
  page.assertNoConsoleErrors();
  await page.context().close();

  const op = await openPage(browser);
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  await op.goto(`${server.url}/operator/partners/contoso`);
  await op.waitForSelector('#sales-lines tbody tr');
  await op.waitForSelector('.benefit-grid');
  await assertAccessible(op, 'operator partner page');
  await screenshot(op, 'operator-partner');
  op.assertNoConsoleErrors();
  await op.context().close();
});

test('operator: a refused fraud flag is shown naming the row; a refused status move is shown at once, then rolled back with the message', { skip }, async () => {
  const op = await openPage(browser, { allow: [expectedHttpError(409)] });
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  const sales = () => op.evaluate(() => fetch('/api/operator/partners/contoso/sales').then((r) => r.json()));
  const benefits = () => op.evaluate(() => fetch('/api/operator/partners/contoso/benefits').then((r) => r.json()));
  const salesBefore = await sales();
  const benefitsBefore = await benefits();
  // The server refuses, but only once the test has seen the optimistic state.
  let gate;
  const hold = () => {
    let open;
    gate = new Promise((r) => (open = r));
    return open;
  };
  const refuse = async (route) => {
    await gate;
    await route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ code: 'invalid_transition', message: 'Refused for the test', field: 'sales[0]' }) });
  };
  await op.route('**/api/operator/sales/fraud', refuse);
  await op.route('**/api/operator/partners/*/benefits/*/advance', refuse);
  await op.goto(`${server.url}/operator/partners/contoso`);
  await op.waitForSelector('#sales-lines tbody tr[data-sale]');

  const sale = (await op.locator('#sales-lines tbody tr[data-sale]:not(.is-excluded)').first().getAttribute('data-sale'));
  const box = op.locator(`#sales-lines tr[data-sale="${sale}"] .row-check`);
  await box.check();
  await op.fill('#sales-bulk-note', 'Chargeback');
  let answer = hold();
  await op.click('#sales-bulk-apply');
  answer();
  const saleError = op.locator('#sales-bulk-error[role=alert]');
  await saleError.waitFor();
  assert.equal(await saleError.textContent(), 'Row 1: Refused for the test');
  assert.equal(await op.getAttribute('#sales-bulk-note', 'aria-describedby'), 'sales-bulk-error');
  assert.equal(await box.isChecked(), true, 'the selection is kept to try again');

  const benefitId = await op.locator('article.benefit-card', { has: op.locator('button', { hasText: /^Mark / }) }).first().getAttribute('data-benefit');
  const card = op.locator(`article[data-benefit="${benefitId}"]`);
  const move = card.locator('button', { hasText: /^Mark / }).first();
  const statusBefore = (await card.locator('.status').textContent()).trim();
  const target = (await move.textContent()).match(/^Mark (contacted|in progress|delivered)/)[1];
  answer = hold();
  await move.click();
  await card.locator('.status', { hasText: new RegExp(target, 'i') }).waitFor();
  answer();
  await card.locator('[role=alert]', { hasText: 'Refused for the test' }).waitFor();
  assert.equal((await card.locator('.status').textContent()).trim(), statusBefore, 'the status is back to its previous value');
  await assertAccessible(op, 'operator partner page with refusals');
  await screenshot(op, 'operator-partner-refused');

  assert.deepEqual(await sales(), salesBefore, 'no sale changed on the server');
  assert.deepEqual(await benefits(), benefitsBefore, 'no benefit changed on the server');
  op.assertNoConsoleErrors();
  await op.context().close();
});

test("partner: an Activate the server refuses shows at once, then rolls back with the server's reason", { skip }, async () => {
  const { partner } = DEMO.fabrikamAdmin;
  const page = await openPage(browser, { allow: [expectedHttpError(412)] });
  await signIn(page, server.url, DEMO.fabrikamAdmin.email, DEMO.fabrikamAdmin.password);
  await page.goto(`${server.url}/partners/${partner}/benefits`);
  const first = page.locator('article.benefit-card', { has: page.locator('button:not([disabled])', { hasText: /^Activate$/ }) }).first();
  await first.waitFor();
  const benefitId = await first.getAttribute('data-benefit');
  const card = page.locator(`article[data-benefit="${benefitId}"]`);
  const statusBefore = (await card.locator('.status').textContent()).trim();
  assert.doesNotMatch(statusBefore, /Activated|Revoked/);

  // Meanwhile the program revokes the benefit, so the page the partner sees is stale.
  const op = await openPage(browser);
  await signIn(op, server.url, DEMO.operator.email, DEMO.operator.password);
  const revoked = await op.evaluate(async ({ pid, bid }) => {
    const me = await fetch('/api/session/me').then((r) => r.json());
    const list = await fetch(`/api/operator/partners/${pid}/benefits`).then((r) => r.json());
    const { version } = list.find((b) => b.id === bid);
    const r = await fetch(`/api/operator/partners/${pid}/benefits/${bid}/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'If-Match': `"${version}"` },
      body: JSON.stringify({ reason: 'delisted' }),
    });
    return { status: r.status, body: await r.json() };
  }, { pid: partner, bid: benefitId });
  assert.equal(revoked.status, 200);
  assert.equal(revoked.body.status, 'revoked');
  op.assertNoConsoleErrors();
  await op.context().close();

  // The real server answers; the test only holds the request until it has seen the optimistic state.
  let open;
  const gate = new Promise((r) => (open = r));
  await page.route('**/api/partners/*/benefits/*/activate', async (route) => {
    await gate;
    await route.continue();
  });
  await card.locator('button', { hasText: /^Activate$/ }).click();
  await card.locator('.status', { hasText: /Activated/ }).waitFor();
  open();
  const alert = card.locator('[role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /Someone changed this in the meantime/);
  assert.equal((await card.locator('.status').textContent()).trim(), statusBefore, 'the status is back to what the page showed');
  assert.equal(await card.locator('button', { hasText: /^Activate$/ }).isEnabled(), true, 'the button is usable again');
  await assertAccessible(page, 'benefits page with a refused activation');
  await screenshot(page, 'benefits-refused');

  // Nothing was activated: the server still has the revocation, and a reload shows it.
  const ws = await page.evaluate((pid) => fetch(`/api/partners/${pid}/workspace`).then((r) => r.json()), partner);
  assert.equal(ws.benefits.find((b) => b.id === benefitId).status, 'revoked');
  await page.unroute('**/api/partners/*/benefits/*/activate');
  await page.reload();
  await waitForApp(page);
  await card.locator('.status', { hasText: /Revoked/ }).waitFor();
  page.assertNoConsoleErrors();
  await page.context().close();
});

test("program: a signed-in partner sees its own position in the tier tables", { skip }, async () => {
  const page = await openPage(browser);
  await signIn(page, server.url, DEMO.contosoAdmin.email, DEMO.contosoAdmin.password);
  await page.waitForSelector('#effective-tier');
  const tier = (await page.textContent('#effective-tier')).match(/Tier (\d+)/)[1];
  await page.click('nav >> text=Program');
  await page.waitForSelector('#your-position');
  assert.match(await page.textContent('#your-position'), new RegExp(`effective tier ${tier} this benefit year`));
  const marked = page.locator('tr.is-you');
  assert.equal(await marked.count(), 1);
  assert.match(await marked.locator('th').textContent(), new RegExp(`Tier ${tier} · your tier`));
  assert.ok((await page.locator('.you-badge', { hasText: 'you today' }).count()) >= 1, "today's tier per metric is marked");
  assert.equal(await page.locator(`th:has-text("Tier ${tier} (yours)")`).count(), 1);
  await assertAccessible(page, 'program with position');
  await screenshot(page, 'program-position');
  page.assertNoConsoleErrors();
  await page.context().close();
});

test('cold visit: a valid session cookie and empty storage render the partner page; no cookie shows the sign-in form', { skip }, async () => {
  const { partner } = DEMO.contosoAdmin;
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const first = await context.newPage();
    await signIn(first, server.url, DEMO.contosoAdmin.email, DEMO.contosoAdmin.password);
    // Only the HttpOnly session cookie remains: nothing the app stored itself.
    await first.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
    await first.close();

    const page = await context.newPage();
    await page.goto(`${server.url}/partners/${partner}/benefits`);
    await waitForApp(page);
    await page.waitForSelector('#contact-summary');
    assert.equal(await page.textContent('h1'), 'Marketing benefits');
    assert.equal(await page.locator('#email').count(), 0, 'no sign-in form');
  } finally {
    await context.close();
  }

  const anonymous = await openPage(browser, { serviceWorkers: 'block', allow: [expectedHttpError(401)] });
  await anonymous.goto(`${server.url}/partners/${partner}/benefits`);
  await waitForApp(anonymous);
  await anonymous.waitForSelector('#email');
  await anonymous.fill('#email', DEMO.contosoAdmin.email);
  await anonymous.fill('#password', DEMO.contosoAdmin.password);
  await anonymous.click('button[type=submit]');
  await anonymous.waitForSelector('#contact-summary');
  assert.equal(new URL(anonymous.url()).pathname, `/partners/${partner}/benefits`, 'signed in where the visit began');
  await anonymous.context().close();
});
