// Pages that need no server data: the what-if journey, the program tables, the shell.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, startStaticServer, openPage, waitForApp, assertAccessible, screenshot, dist } from './helpers.mjs';

let browser;
let server;
before(async () => {
  server = await startStaticServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('what-if: adding Teams users changes the tier, instantly and offline', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}/what-if`);
  await waitForApp(page);
  assert.equal(await page.textContent('#effective-tier'), 'Tier 2');
  assert.equal(await page.textContent('#today-tier'), 'Tier 1');
  await assertAccessible(page, 'what-if');
  await page.fill('#mau-month', '2025-07');
  await page.fill('#mau-value', '2000000');
  await page.click('#mau-add');
  await page.waitForFunction(() => document.querySelector('#effective-tier')?.textContent === 'Tier 5');
  assert.equal(await page.textContent('#today-tier'), 'Tier 5');
  // A hypothetical sale with a bad amount is refused next to its field.
  await page.fill('#sale-date', '2025-07-01');
  await page.fill('#sale-amount', '12.345');
  await page.click('#sale-add');
  assert.match(await page.textContent('#sale-amount-error'), /at most 2 decimal places/);
  await assertAccessible(page, 'what-if with errors');
  await screenshot(page, 'what-if');
  page.assertNoConsoleErrors();
  await page.context().close();
});

test('what-if: moving the evaluation date re-evaluates', async () => {
  const page = await openPage(browser, { viewport: { width: 360, height: 800 }, colorScheme: 'dark' });
  await page.goto(`${server.url}/what-if`);
  await waitForApp(page);
  await page.fill('#as-of', '2024-07-02');
  await page.waitForFunction(() => document.querySelector('#benefit-year')?.textContent.includes('2024'));
  assert.equal(await page.textContent('#effective-tier'), 'Tier 1');
  await screenshot(page, 'what-if-mobile-dark');
  await assertAccessible(page, 'what-if (mobile, dark)');
  page.assertNoConsoleErrors();
  await page.context().close();
});

test('program: the catalog as accessible tables', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}/program`);
  await waitForApp(page);
  await page.waitForSelector('#thresholds');
  assert.match(await page.textContent('#thresholds caption'), /Minimum TTM value per tier/);
  assert.equal(await page.locator('#thresholds tbody tr').count(), 5);
  assert.match(await page.textContent('#thresholds'), /\$4,000,000 \(published\)/);
  assert.match(await page.textContent('#thresholds'), /illustrative/);
  assert.ok((await page.locator('#benefit-matrix th[scope=row]').count()) >= 10);
  assert.ok((await page.locator('#benefit-definitions tbody tr').count()) >= 10);
  await assertAccessible(page, 'program');
  await screenshot(page, 'program');
  page.assertNoConsoleErrors();
  await page.context().close();
});

test('shell: skip link, keyboard focus, 404 page', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}/no/such/page`);
  await waitForApp(page);
  assert.equal(await page.textContent('h1'), 'Page not found');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await assertAccessible(page, '404');
  await screenshot(page, 'not-found');
  // The header names the product and offers sign-in.
  assert.match(await page.textContent('header'), /Benefits workspace/);
  await page.click('text=Sign in');
  await page.waitForSelector('#email');
  await assertAccessible(page, 'sign-in');
  await screenshot(page, 'sign-in');
  page.assertNoConsoleErrors();
  await page.context().close();
});

test('lazy routes: the start page fetches no page module; What-if fetches exactly its own', async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'split-manifest.json'), 'utf8'));
  const [, whatIf] = Object.entries(manifest.splits).find(([name]) => name.startsWith('what_if_page'));
  const page = await openPage(browser);
  const fetched = [];
  page.on('request', (r) => {
    if (!r.serviceWorker()) fetched.push(new URL(r.url()).pathname.slice(1));
  });
  const lazyFetched = () => fetched.filter((f) => /^(split|chunk)_.*\.wasm$/.test(f)).sort();
  await page.goto(`${server.url}/`);
  await waitForApp(page);
  await page.waitForSelector('text=Preview a tier without signing in');
  assert.ok(fetched.some((f) => manifest.main.includes(f)), 'the main module was loaded');
  assert.deepEqual(lazyFetched(), [], 'the start page needs no lazy module');
  await page.click('text=Preview a tier without signing in');
  await page.waitForSelector('#effective-tier');
  assert.deepEqual([...new Set(lazyFetched())], [...whatIf].sort(), 'What-if fetched the modules the manifest lists for it');
  // Back and forth: the modules are fetched once per page load, not per visit.
  const count = lazyFetched().length;
  await page.goBack();
  await page.waitForSelector('text=Preview a tier without signing in');
  await page.click('text=Preview a tier without signing in');
  await page.waitForSelector('#effective-tier');
  assert.equal(lazyFetched().length, count);
  page.assertNoConsoleErrors();
  await page.context().close();
});

test('lazy routes: a page module that cannot be fetched is an error with "Try again", and trying again loads it', async () => {
  const page = await openPage(browser, {
    serviceWorkers: 'block',
    allow: [/Failed to load resource/, /TypeError: Failed to fetch|failed to load split module|NetworkError/i],
  });
  let blocked = 0;
  await page.route(/\/split_what_if_page-[^/]*\.wasm$/, (route) => {
    blocked += 1;
    return route.abort('internetdisconnected');
  });
  await page.goto(`${server.url}/what-if`);
  await waitForApp(page);
  const alert = page.locator('main [role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not be reached/);
  assert.ok(blocked >= 1);
  assert.equal(await page.locator('h1').textContent(), 'This page could not be loaded');
  await assertAccessible(page, 'a page that could not be fetched');
  await screenshot(page, 'lazy-route-failed');

  await page.unroute(/\/split_what_if_page-[^/]*\.wasm$/);
  await page.click('main button:has-text("Try again")');
  await page.waitForSelector('#effective-tier');
  assert.equal(await page.locator('main [role=alert]').count(), 0);
  // The app kept running throughout: client-side navigation still works.
  await page.click('nav >> text=Program');
  await page.waitForSelector('table');
  page.assertNoConsoleErrors();
  await page.context().close();
});
