// End to end (issue 12): every account has a known age, whatever the document. In Debian's chromium, against the
// reference backend, the Rust server (tests/js/server.mjs; started with every personal kind, as the demo is):
// - a Hong Kong ID carries no birth date: the page shows a birth-date field and says why; a declared 2014 birth date
//   makes a minor under 14, who reaches the guardian step and registers only with the guardian's consent;
// - a hostile client that rewrites the page's request (drops the guardian's consents, or the birth date) is refused
//   by the server, which re-derives the age itself; nothing is stored.
// ID numbers come from the package's generateTestId (test data, never real people).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { startRustServer } from './server.mjs';
import { DEMO_KINDS } from '../../www/kinds.js';
import { assertPkgBuilt, importPkg, launchChromium, watchPage, repoRoot, pkgDir, birthDateYearsAgo, readAndAccept } from './support.mjs';

assertPkgBuilt();
const { generateTestId } = await importPkg();

const PKG = process.env.SHIMING_PKG ?? pkgDir;
const CHILD_KINDS = ['service_agreement', 'privacy_policy', 'sensitive_pi', 'children_privacy_rules'];


const TWELVE = birthDateYearsAgo(12);
const GUARDIAN = { name: '陈建华', idNumber: generateTestId({ seed: 71, birthDate: '1981-06-15', gender: 'male' }), phone: '13700137001' };

let server;
let base;
let browser;

before(async () => {
  server = await startRustServer({
    args: ['--kinds', DEMO_KINDS.join(',')],
    mounts: [
      { prefix: '/pkg/', dir: PKG },
      { prefix: '/', dir: join(repoRoot, 'www') },
    ],
  });
  base = server.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPage(locale = 'zh-CN') {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, locale });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, watch, context };
}

/** Every stored registration (masked): the admin listing, all its pages. */
async function listing() {
  const rows = [];
  let after = null;
  for (let i = 0; i < 50; i += 1) {
    const query = `?limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const response = await fetch(`${base}/api/registrations${query}`, { headers: { Authorization: `Bearer ${server.adminToken}` } });
    assert.equal(response.status, 200);
    const body = await response.json();
    rows.push(...body.registrations);
    after = body.next;
    if (!after) return rows;
  }
  return assert.fail('the listing does not end');
}


/** A Hong Kong resident aged 12: the number says nothing of the age, the declared birth date does. */
async function fillHongKongChild(page, seed) {
  const idNumber = generateTestId({ seed, kind: 'hk_id' });
  await page.getByLabel('姓名', { exact: true }).fill('陈小明');
  await page.getByLabel('证件号码', { exact: true }).fill(idNumber);
  await page.getByLabel('手机号码', { exact: true }).fill('+852 9123 4567');
  await page.getByLabel('手机号码', { exact: true }).press('Tab');
  await page.getByTestId('birth-date-field').waitFor();
  await page.getByLabel('出生日期', { exact: true }).fill(TWELVE);
  await page.getByLabel('出生日期', { exact: true }).press('Tab');
  return idNumber;
}

async function fillGuardian(page) {
  await page.getByTestId('guardian-step').waitFor();
  await page.getByLabel('监护人姓名').fill(GUARDIAN.name);
  await page.getByLabel('监护人证件号码').fill(GUARDIAN.idNumber);
  await page.getByLabel('监护人手机号码').fill(GUARDIAN.phone);
  await page.getByLabel('与未成年人的关系').selectOption('parent');
}

/** Drops the 422 that Chromium reports for a refused request (the response and its console line), once each. */
function allow422(watch) {
  for (const line of [
    `HTTP 422: ${base}/api/registrations`,
    'console.error: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
  ]) {
    const at = watch.problems.indexOf(line);
    if (at !== -1) watch.problems.splice(at, 1);
  }
}

describe('a document without a birth date', () => {
  test('the birth-date field appears, says why in both languages, and a declared 2014-ish date leads to the guardian step', async () => {
    const { page, watch, context } = await openPage();
    const field = page.getByTestId('birth-date-field');
    // A resident ID encodes the birth date: no field.
    await page.getByLabel('证件号码', { exact: true }).fill(generateTestId({ seed: 72, birthDate: '1990-01-02' }));
    await page.getByLabel('证件号码', { exact: true }).press('Tab');
    await page.getByTestId('preview-age-band').waitFor();
    assert.equal(await field.isHidden(), true);
    // A Hong Kong ID does not: the field, and why.
    await page.getByLabel('证件号码', { exact: true }).fill(generateTestId({ seed: 73, kind: 'hk_id' }));
    await field.waitFor();
    assert.match(await page.getByTestId('birth-date-hint').textContent(), /未成年人/);
    // Submitting without it names the field and the code.
    await page.getByTestId('submit').click();
    await page.locator('#form-error li[data-code="birth_date_required"]').waitFor();
    await page.locator('#birth-date-msg .error[data-code="birth_date_required"]').waitFor();
    // English: the same field, its reason and the module's message.
    await page.locator('label:has([data-testid="locale-en"])').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await page.getByTestId('birth-date-hint').textContent(), /protect minors/);
    assert.match(await page.locator('#birth-date-msg .error').textContent(), /no birth date/);
    await page.locator('label:has([data-testid="locale-zh"])').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    // A 12-year-old: the preview, the band, the guardian step.
    await page.getByLabel('出生日期', { exact: true }).fill(TWELVE);
    await page.getByLabel('出生日期', { exact: true }).press('Tab');
    await page.getByTestId('preview-guardian').waitFor();
    assert.equal((await page.getByTestId('preview-age-band').textContent()).trim(), '12–14 周岁');
    await page.getByTestId('guardian-step').waitFor();
    watch.assertClean(assert);
    await context.close();
  });

  test('a Hong Kong child registers only with the guardian, and the server keeps the declared age', async () => {
    const { page, watch, context } = await openPage();
    await fillHongKongChild(page, 74);
    for (const kind of CHILD_KINDS) await readAndAccept(page, kind);
    // Without the guardian: blocked on the page.
    await page.getByTestId('submit').click();
    await page.getByTestId('form-error').waitFor();
    assert.equal(await page.locator('[data-testid="submission"]').count(), 0, 'nothing was queued');
    await fillGuardian(page);
    await readAndAccept(page, 'guardian_consent');
    await page.getByTestId('submit').click();
    await page.waitForSelector('[data-testid="submission"][data-state="synced"]', { timeout: 15_000 });
    const registrationId = (await page.getByTestId('success-id').textContent()).trim();
    const row = (await listing()).find((r) => r.registrationId === registrationId);
    assert.equal(row.kind, 'hk_id');
    assert.equal(row.ageBand, '12_to_14');
    assert.equal(row.isMinor, true);
    assert.equal(row.birthDateSource, 'declared');
    assert.equal(row.consents.length, 5);
    watch.assertClean(assert);
    await context.close();
  });
});

describe('the page bypassed: requests rewritten by hand', () => {
  for (const [what, rewrite, code] of [
    ['the guardian’s consents dropped', (body) => ({ ...body, consents: body.consents.slice(0, 3) }), 'sync_consent_missing'],
    [
      'the birth date dropped (an HK ID "without an age")',
      (body) => {
        const { birthDate, ...form } = body.form;
        assert.equal(birthDate, TWELVE);
        return { ...body, form, derived: undefined, consents: body.consents.slice(0, 3) };
      },
      'birth_date_required',
    ],
  ]) {
    test(`${what}: the server decides`, async () => {
      const { page, watch, context } = await openPage();
      const idNumber = await fillHongKongChild(page, 80 + what.length);
      for (const kind of CHILD_KINDS) await readAndAccept(page, kind);
      await fillGuardian(page);
      await readAndAccept(page, 'guardian_consent');
      await page.route(`${base}/api/registrations`, async (route) => {
        const request = route.request();
        if (request.method() !== 'POST') return route.continue();
        const body = rewrite(JSON.parse(request.postData()));
        await route.continue({ postData: JSON.stringify(body) });
      });
      const before = (await listing()).length;
      const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/registrations'));
      await page.getByTestId('submit').click();
      const response = await answer;
      assert.equal(response.status(), 422);
      const issues = (await response.json()).issues;
      assert.ok(issues.some((i) => i.code === code), JSON.stringify(issues));
      assert.ok(!JSON.stringify(issues).includes(idNumber), 'no number in the answer');
      await page.waitForSelector('[data-testid="submission"][data-state="rejected"]', { timeout: 15_000 });
      assert.equal((await listing()).length, before, 'nothing was stored');
      allow422(watch);
      watch.assertClean(assert);
      await context.close();
    });
  }
});
