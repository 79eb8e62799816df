// End to end, in Debian's chromium: the registration page (www/index.html + register.js) with phone ownership by a
// one-time code, against the reference server with the development SMS sender (`--sms-sender file`), which requires a
// confirmed phone. The person fills the form and clicks "发送验证码"; the test reads the code from the outbox file (as
// the person reads the SMS), types it, confirms, registers, and sees the phone marked confirmed. A server that sends
// no codes shows no button. Every page is watched: any console error or warning, failed request or HTTP error fails
// the test. ID numbers come from the package's generateTestId (test data).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startRustServer } from './server.mjs';
import { assertPkgBuilt, importPkg, launchChromium, watchPage, repoRoot, pkgDir, readAndAccept } from './support.mjs';

assertPkgBuilt();
const { generateTestId } = await importPkg();

const MOUNTS = [
  { prefix: '/pkg/', dir: process.env.SHIMING_PKG ?? pkgDir },
  { prefix: '/', dir: join(repoRoot, 'www') },
];
const PERSON = { name: '王小明', idNumber: generateTestId({ seed: 1611, birthDate: '1991-06-18', gender: 'male' }), phone: '13800138091' };

let dir;
let server;
let plain;
let browser;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shiming-phone-e2e-'));
  server = await startRustServer({
    mounts: MOUNTS,
    args: ['--fault-control', '--sms-sender', 'file', '--sms-outbox', join(dir, 'outbox.jsonl'), '--require-phone-confirmation'],
  });
  plain = await startRustServer({ mounts: MOUNTS });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await plain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function openPage(target, path = '/', settings = null) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, locale: 'zh-CN' });
  if (settings) await context.addInitScript((value) => localStorage.setItem('shiming.settings', value), JSON.stringify(settings));
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${target.base}${path}`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, watch, context };
}

/** The codes the outbox holds for `phone` (E.164), oldest first. */
async function codesFor(phone) {
  const file = join(dir, 'outbox.jsonl');
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((m) => m.to === phone)
    .map((m) => m.code);
}

test('send a code, read it, type it, confirm, register: the phone is marked confirmed (required by this server)', async () => {
  const { page, watch, context } = await openPage(server);
  await page.getByLabel('姓名', { exact: true }).fill(PERSON.name);
  await page.getByLabel('证件号码', { exact: true }).fill(PERSON.idNumber);
  await page.getByLabel('手机号码', { exact: true }).fill(PERSON.phone);
  await page.getByLabel('手机号码', { exact: true }).press('Tab');
  await page.waitForSelector('[data-testid="preview-age-band"]');
  assert.match(await page.locator('#phone-hint').textContent(), /要求验证手机号码/);
  for (const kind of ['service_agreement', 'privacy_policy', 'sensitive_pi']) await readAndAccept(page, kind);

  // Without a confirmed phone this server refuses a registration: the page says so and sends nothing.
  await page.getByTestId('submit').click();
  await page.locator('#form-error li[data-code="phone_not_confirmed"]').waitFor();
  assert.match(await page.getByTestId('form-error').textContent(), /请先验证手机号码/);
  assert.equal(await page.locator('[data-testid="submission"]').count(), 0, 'nothing was queued');

  const send = page.getByTestId('phone-send');
  assert.equal((await send.textContent()).trim(), '发送验证码');
  await send.click();
  await page.getByTestId('phone-code-field').waitFor();
  await page.waitForFunction(() => /秒后可重发/.test(document.getElementById('phone-send').textContent));
  assert.equal(await send.isDisabled(), true, 'the button waits out the resend time');
  assert.match(await page.getByTestId('phone-code-msg').textContent(), /验证码已发送，5 分钟内有效/);
  const codes = await codesFor(`+86${PERSON.phone}`);
  assert.equal(codes.length, 1, 'one SMS');
  const [code] = codes;
  assert.ok(!(await page.content()).includes(code), 'the page never had the code before the person typed it');

  await page.getByLabel('短信验证码').fill(code);
  await page.getByTestId('phone-confirm').click();
  await page.waitForSelector('[data-testid="phone-code-msg"][data-state="confirmed"]');
  assert.match(await page.getByTestId('phone-code-msg').textContent(), /^✓手机号码已验证$/);
  assert.equal(await page.getByTestId('phone-code-field').isHidden(), true);

  await page.getByTestId('submit').click();
  await page.waitForSelector('[data-testid="submission"][data-state="synced"]', { timeout: 15_000 });
  await page.getByTestId('success').waitFor();
  const shown = page.getByTestId('success-phone');
  assert.equal((await shown.textContent()).trim(), '手机号码：已验证');
  assert.equal(await shown.getAttribute('data-confirmed'), 'true');
  await page.locator('label:has([data-testid="locale-en"])').click();
  await page.waitForSelector('html[lang="en"]');
  assert.equal((await shown.textContent()).trim(), 'Mobile number: confirmed');

  // The server's record, not the page's word.
  const id = (await page.getByTestId('success-account').textContent()).trim();
  const row = await (await fetch(`${server.api}/registrations/${id}`, { headers: { authorization: `Bearer ${server.adminToken}` } })).json();
  assert.equal(row.phoneConfirmed, true);
  assert.ok(!watch.consoleTexts.some((line) => line.includes(code) || line.includes(PERSON.phone)), 'nothing logged');
  watch.assertClean(assert);
  await context.close();

  // The admin page shows it by the masked number.
  const admin = await openPage(server, '/admin.html', { baseUrl: '/api', headers: { Authorization: `Bearer ${server.adminToken}` } });
  const cell = admin.page.locator(`[data-testid="admin-row"][data-id="${id}"] [data-testid="row-phone"]`);
  await cell.waitFor();
  assert.equal(await cell.getAttribute('data-confirmed'), 'true');
  assert.match(await cell.locator('[data-testid="phone-mark"]').textContent(), /手机已验证/);
  admin.watch.assertClean(assert);
  await admin.context.close();
});

test('a server that sends no codes: no button and no code field, in either language', async () => {
  const { page, watch, context } = await openPage(plain);
  assert.equal(await page.getByTestId('phone-send').isHidden(), true);
  assert.equal(await page.getByTestId('phone-code-field').isHidden(), true);
  await page.locator('label:has([data-testid="locale-en"])').click();
  await page.waitForSelector('html[lang="en"]');
  assert.equal(await page.getByTestId('phone-send').isHidden(), true, 'still hidden after a language switch');
  watch.assertClean(assert);
  await context.close();
});
