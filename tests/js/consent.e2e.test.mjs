// shiming/consent in a real browser with real input (issue 5): Playwright's clicks, wheel and keys are trusted
// events (isTrusted), unlike anything a page script can dispatch. Served by the Rust server (static files only) under its strict CSP.
// Any console error or warning, page error or failed request fails the test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import { startRustServer } from './server.mjs';
import { assertPkgBuilt, importPkg, launchChromium, watchPage, pkgDir } from './support.mjs';

assertPkgBuilt();
const consent = await importPkg('consent-node.js');

let server;
let browser;
let page;
let watch;

before(async () => {
  server = await startRustServer({
    args: ['--no-api'],
    mounts: [
      { prefix: '/pkg/', dir: pkgDir },
      { prefix: '/', dir: fileURLToPath(new URL('./consent-page/', import.meta.url)) },
    ],
  });
  browser = await launchChromium();
  page = await browser.newPage();
  watch = watchPage(page);
  await page.goto(`${server.base}/index.html`);
  await page.waitForFunction(() => document.getElementById('state').textContent === 'ready');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the checkbox stays disabled until the text is scrolled to the end and shown for a second', async () => {
  assert.equal(await page.isDisabled('#agree'), true);
  const status = await page.evaluate(() => window.t.tracker());
  assert.equal(status.reachedEnd, false);
  assert.deepEqual(status.missing.map((i) => i.code), ['consent_end_not_reached', 'consent_reading_too_short']);
  assert.equal(status.missing[1].message, 'Keep reading for 1 s more before you agree');
  // Scrolling with the mouse wheel over the box, as a user does.
  await page.hover('#agreement');
  for (let i = 0; i < 40 && !(await page.evaluate(() => window.t.tracker().reachedEnd)); i += 1) {
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(50);
  }
  assert.equal((await page.evaluate(() => window.t.tracker())).reachedEnd, true);
  await page.waitForFunction(() => !document.getElementById('agree').disabled, null, { timeout: 5000 });
  assert.equal((await page.evaluate(() => window.t.gate())).state, 'ready');
});

test('a click from script is refused and undone; the same click by the user is consent', async () => {
  await page.evaluate(() => document.getElementById('agree').click());
  assert.equal(await page.isChecked('#agree'), false, 'the scripted click is undone');
  const refused = await page.evaluate(() => window.t.gate());
  assert.deepEqual(refused.issues.map((i) => i.code), ['consent_untrusted_event']);
  assert.equal(refused.issues[0].message, 'Consent must come from your own click or key press');
  const noReceipt = await page.evaluate(() => window.t.receipt());
  assert.equal(noReceipt.ok, false);

  await page.click('#agree'); // a trusted click
  assert.equal(await page.isChecked('#agree'), true);
  assert.equal((await page.evaluate(() => window.t.gate())).state, 'accepted');
  const built = await page.evaluate(() => window.t.receipt());
  assert.equal(built.ok, true, JSON.stringify(built.issues));
  const { receipt } = built;
  assert.equal(receipt.consentKind, 'explicit');
  assert.equal(receipt.reading.reachedEnd, true);
  assert.ok(receipt.reading.visibleSeconds >= 1);
  assert.ok(receipt.reading.viewport.width > 0);

  // The browser's receipt verifies in Node with the same module, against the document the server publishes.
  const service = await page.evaluate(() => window.t.service);
  const verified = consent.verifyReceipt(receipt, [consent.makeDocument({ ...service, digest: undefined })]);
  assert.equal(verified.ok, true, JSON.stringify(verified.issues));

  // Unticking by the user takes it back.
  await page.click('#agree');
  assert.deepEqual((await page.evaluate(() => window.t.receipt())).issues.map((i) => i.code), ['consent_not_given']);
  // The callback ran on every change, and could call the gate from inside.
  const events = await page.evaluate(() => window.t.events);
  assert.ok(events.some((e) => e.state === 'accepted' && e.again === 'accepted'));
});

test('clicking the label and pressing Space are the user’s own acts too', async () => {
  await page.click('label'); // the browser forwards it to the box as a trusted click
  assert.equal(await page.isChecked('#agree'), true);
  assert.equal((await page.evaluate(() => window.t.gate())).state, 'accepted');

  assert.equal((await page.evaluate(() => window.t.buttonGate())).state, 'ready');
  await page.evaluate(() => document.getElementById('agree-button').click());
  assert.deepEqual((await page.evaluate(() => window.t.buttonGate())).issues.map((i) => i.code), ['consent_untrusted_event']);
  await page.focus('#agree-button');
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('#agree-button', 'aria-pressed'), 'true');
  const built = await page.evaluate(() => window.t.buttonReceipt());
  assert.equal(built.ok, true, JSON.stringify(built.issues));
  assert.equal(built.receipt.document.id, 'privacy');
});

test('no console problems and no failed requests', () => {
  watch.assertClean(assert);
});
