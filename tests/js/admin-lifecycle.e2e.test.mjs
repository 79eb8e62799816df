// End to end: the account lifecycle in the admin view (www/admin.html, admin.js, admin-lifecycle.js, admin-audit.js)
// in Debian's chromium, against the Rust server (tests/js/server.mjs) with --fault-control: each account's
// verification state, phone mark and frozen state in the listing; freezing with a reason through the dialog and
// unfreezing, both in the audit-log card; the refusals (401, 403, 503) shown as such; the account audit run from its
// card, with a 13-year-old registered "30 days ago" (the server's clock shifted, as tests/js/lifecycle.test.mjs does)
// who is 14 today; no personal value in the audit card or the report; both languages. The verified and failed states
// and a confirmed phone (this server has no verification provider) are shown from a listing changed on its way to the
// page. Any console error or warning, page error, failed request or HTTP error fails a test unless the test expected
// that very refusal. SHIMING_SCREENSHOTS=1 writes docs/screenshots/admin-lifecycle-*.png.
//
// Test data: generateTestId numbers, made-up names, the customary sample numbers 138001380xx.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import { startRustServer } from './server.mjs';
import { assertPkgBuilt, importPkg, launchChromium, watchPage, repoRoot, pkgDir } from './support.mjs';
import { GUARDIAN, NAME, get, register, send } from './accounts.mjs';

assertPkgBuilt();
const shiming = await importPkg('node.js');

const PKG = process.env.SHIMING_PKG ?? pkgDir;
const AXE_DIR = join(repoRoot, 'node_modules', 'axe-core');
const SHOTS = join(repoRoot, 'docs', 'screenshots');
const SHOOT = process.env.SHIMING_SCREENSHOTS === '1';
const DAY = 86_400_000;

let server;
let browser;
let page;
let watch;
let context;
let child;
let adult;
let guardian;
/** Every personal value of the test persons: none may appear in the audit card or the report. */
let personal;
/** The freeze requests the page sent (method and path). */
const freezeRequests = [];

/** `y-m-d` of a date `years` years and `days` days before `ms`. */
function bornBefore(ms, years, days) {
  const d = new Date(ms - days * DAY);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

async function shiftClock(days) {
  const res = await send(server, 'PUT', '/_faults', { clockOffsetDays: days });
  assert.equal(res.status, 200, JSON.stringify(res.json));
}

before(async () => {
  server = await startRustServer({
    args: ['--fault-control', '--account-audit-interval-hours', '0'],
    mounts: [
      { prefix: '/pkg/', dir: PKG },
      { prefix: '/__axe/', dir: AXE_DIR },
      { prefix: '/', dir: join(repoRoot, 'www') },
    ],
  });
  // A child registered "30 days ago", 13 then and 14 today (on the 10th day before today), with a guardian.
  const realNow = Date.now();
  await shiftClock(-30);
  guardian = { ...GUARDIAN, idNumber: shiming.generateTestId({ seed: 850, birthDate: '1980-04-02' }) };
  child = await register(server, 801, { phone: '13800138081', birthDate: bornBefore(realNow, 14, 10), guardian, nowMs: realNow - 30 * DAY });
  await shiftClock(0);
  adult = await register(server, 802, { phone: '13800138082' });
  personal = [NAME, adult.idNumber, '13800138082', child.idNumber, '13800138081', guardian.name, guardian.idNumber, guardian.phone];

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript((value) => {
    if (!localStorage.getItem('shiming.settings')) localStorage.setItem('shiming.settings', value);
  }, JSON.stringify({ baseUrl: '/api', headers: { Authorization: `Bearer ${server.adminToken}` } }));
  page = await context.newPage();
  watch = watchPage(page);
  page.on('request', (request) => {
    if (request.url().endsWith('/freeze')) freezeRequests.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  await page.goto(`${server.base}/admin.html`);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (id) => page.locator(`[data-testid="admin-row"][data-id="${id}"]`);
const status = async () => (await page.getByTestId('admin-status').textContent()).trim();
const text = async (locator) => (await locator.textContent()).trim();

/** Drops the expected refusal (its HTTP error and console line) from the page's problems, after waiting for both. */
async function allowRefusal(status, url) {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[status];
  const lines = [`HTTP ${status}: ${url}`, `console.error: Failed to load resource: the server responded with a status of ${status} (${reason})`];
  for (let i = 0; i < 100 && !lines.every((line) => watch.problems.includes(line)); i += 1) await new Promise((r) => setTimeout(r, 50));
  for (const line of lines) {
    const at = watch.problems.indexOf(line);
    assert.notEqual(at, -1, `expected: ${line}\n${watch.problems.join('\n')}`);
    watch.problems.splice(at, 1);
  }
}

async function axeCheck(label) {
  await page.addScriptTag({ url: '/__axe/axe.min.js' });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `${label}: axe found serious violations: ${JSON.stringify(serious, null, 1)}`);
}

/** With SHIMING_SCREENSHOTS=1: the top of the page, or one card (`testid`), into docs/screenshots/. */
async function shot(name, testid = null) {
  if (!SHOOT) return;
  const path = join(SHOTS, `${name}.png`);
  if (testid) {
    await page.getByTestId(testid).screenshot({ path });
    return;
  }
  // Small files for the docs: a dense page is clipped a little.
  for (const height of [900, 760, 620]) {
    await page.screenshot({ path, clip: { x: 0, y: 0, width: 1280, height } });
    if ((await stat(path)).size <= 180_000) return;
  }
}

/** The text of the audit-log card and the account-audit card: no personal value of any test person. */
async function assertNoPersonalData() {
  for (const testid of ['audit', 'account-audit']) {
    const shown = await page.getByTestId(testid).innerText();
    for (const value of personal) assert.equal(shown.includes(value), false, `${testid} shows a personal value`);
  }
  const body = await page.evaluate(() => document.body.innerText);
  for (const value of personal) assert.equal(body.includes(value), false, 'the page shows a personal value unmasked');
}

/** Opens the freeze dialog of `id`, chooses `reason`, and confirms. */
async function freezeThroughDialog(id, reason) {
  await row(id).getByTestId('freeze').click();
  await page.getByTestId('freeze-dialog').waitFor();
  await page.getByTestId('freeze-reason').selectOption(reason);
  await page.getByTestId('freeze-confirm').click();
}

describe('the account lifecycle in the admin view', () => {
  test('each row shows its verification state, whether the phone was confirmed, and that it is not frozen', async () => {
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await page.waitForSelector('[data-testid="admin-row"]');
    assert.equal(await page.getByTestId('admin-row').count(), 2);
    for (const id of [adult.id, child.id]) {
      const cell = row(id).getByTestId('row-verification');
      assert.equal(await cell.getAttribute('data-state'), 'unverified');
      assert.equal(await text(cell.getByTestId('verification-state')), '未核验');
      assert.match(await cell.textContent(), /未经权威来源核验（号码格式正确不等于身份属实）/);
      assert.equal(await row(id).getByTestId('row-phone').getAttribute('data-confirmed'), 'false');
      assert.equal(await text(row(id).getByTestId('phone-mark')), '手机未验证');
      assert.equal(await row(id).getByTestId('row-frozen').getAttribute('data-frozen'), 'false');
      assert.equal(await text(row(id).getByTestId('frozen-state')), '正常');
      assert.equal(await row(id).getByTestId('unfreeze').count(), 0);
    }
    // The child's band as registered 30 days ago (the audit has not run yet).
    assert.match(await row(child.id).textContent(), /12–14 周岁 \(未成年\)/);
    // The account-audit card: no report yet; reading it is in the audit log.
    await page.getByTestId('account-audit-empty').waitFor();
    assert.match(await text(page.getByTestId('account-audit-empty')), /^尚无审计报告。/);
    assert.match(await text(page.locator('[data-testid="audit-row"][data-action="admin.account_audits"]').first()), /查看账号审计报告/);
    await axeCheck('admin with the lifecycle columns');
    await assertNoPersonalData();
    watch.assertClean(assert);
  });

  test('freeze with a reason through the dialog (cancel first; no reason, no request), then unfreeze; both in the audit log', async () => {
    const dialog = page.getByTestId('freeze-dialog');
    // Cancelled: nothing sent.
    await row(adult.id).getByTestId('freeze').click();
    await dialog.waitFor();
    assert.equal(await text(page.locator('#freeze-title')), '冻结该账号？');
    assert.match(await text(page.locator('#freeze-text')), new RegExp(adult.id));
    // What a frozen account gets: its code (the package's message, where the page's module carries it).
    assert.match(await text(page.locator('#freeze-effect')), /^冻结后，平台对该账户每项活动的判定都将答复不允许（sync_account_frozen(：“该账户已被平台冻结”)?）/);
    const options = await page.getByTestId('freeze-reason').locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    assert.deepEqual(options, [
      ['', '请选择原因'],
      ['verification_failed', '实名核验未通过'],
      ['suspected_impersonation', '疑似冒用他人身份'],
      ['guardian_request', '监护人要求'],
      ['legal_order', '有权机关依法要求'],
      ['security_risk', '账号存在安全风险'],
      ['user_request', '账号本人要求'],
      ['other', '其他原因'],
    ]);
    // No reason chosen: the dialog stays open and nothing is sent.
    await page.getByTestId('freeze-confirm').click();
    assert.equal(await dialog.isVisible(), true);
    await page.getByTestId('freeze-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(freezeRequests, []);
    assert.equal(await row(adult.id).getByTestId('row-frozen').getAttribute('data-frozen'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'freeze', 'focus back on the button');

    // Frozen, with a reason.
    await freezeThroughDialog(adult.id, 'suspected_impersonation');
    await page.waitForSelector(`[data-testid="admin-row"][data-id="${adult.id}"] [data-testid="row-frozen"][data-frozen="true"]`);
    assert.deepEqual(freezeRequests, [`PUT /api/registrations/${adult.id}/freeze`]);
    const frozenCell = row(adult.id).getByTestId('row-frozen');
    assert.equal(await frozenCell.getAttribute('data-reason'), 'suspected_impersonation');
    assert.equal(await text(frozenCell.getByTestId('frozen-state')), '已冻结');
    assert.equal(await text(frozenCell.getByTestId('frozen-reason')), '疑似冒用他人身份');
    assert.equal(await status(), `已冻结账户 ${adult.id}（疑似冒用他人身份）。`);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'unfreeze');
    const stored = await get(server, `/registrations/${adult.id}`);
    assert.equal(stored.json.frozen.reason, 'suspected_impersonation');
    // In the audit log: by the admin, the account by its number, the reason in words.
    const frozeRecord = page.locator(`[data-testid="audit-row"][data-action="account.freeze"][data-actor="admin"]`).filter({ hasText: adult.id });
    await frozeRecord.waitFor();
    assert.equal(await frozeRecord.getAttribute('data-detail'), 'suspected_impersonation');
    assert.match(await frozeRecord.textContent(), /管理员冻结账号/);
    assert.equal(await text(frozeRecord.getByTestId('audit-detail')), '疑似冒用他人身份');
    await axeCheck('a frozen account');
    await shot('admin-lifecycle-frozen');

    // Unfrozen: the dialog asks without a reason.
    await row(adult.id).getByTestId('unfreeze').click();
    await dialog.waitFor();
    assert.equal(await text(page.locator('#freeze-title')), '解冻该账号？');
    assert.equal(await page.locator('#freeze-reason-field').isHidden(), true);
    assert.equal(await text(page.getByTestId('freeze-confirm')), '确认解冻');
    await page.getByTestId('freeze-confirm').click();
    await page.waitForSelector(`[data-testid="admin-row"][data-id="${adult.id}"] [data-testid="row-frozen"][data-frozen="false"]`);
    assert.equal(await status(), `已解冻账户 ${adult.id}。`);
    assert.equal((await get(server, `/registrations/${adult.id}`)).json.frozen, null);
    const thawRecord = page.locator(`[data-testid="audit-row"][data-action="account.unfreeze"][data-actor="admin"]`).filter({ hasText: adult.id });
    await thawRecord.waitFor();
    assert.match(await thawRecord.textContent(), /解冻账号/);
    assert.deepEqual(freezeRequests, [`PUT /api/registrations/${adult.id}/freeze`, `DELETE /api/registrations/${adult.id}/freeze`]);
    await assertNoPersonalData();
    watch.assertClean(assert);
  });

  test('a refused freeze says why (503 storage, 401 no admin token, 403 an account token) and changes nothing', async () => {
    const url = `${server.api}/registrations/${adult.id}/freeze`;
    const cell = () => row(adult.id).getByTestId('row-frozen');
    const errorShown = async (pattern) => {
      await page.waitForFunction(() => document.getElementById('status-text').classList.contains('error'));
      assert.match(await status(), pattern);
      assert.equal(await cell().getAttribute('data-frozen'), 'false');
    };
    // The server cannot store anything: every API request answers 503.
    assert.equal((await send(server, 'PUT', '/_faults', { failRate: 1, failStatuses: [503] })).status, 200);
    await freezeThroughDialog(adult.id, 'security_risk');
    await errorShown(new RegExp(`^未能冻结账户 ${adult.id}（HTTP 503）：服务器暂时无法保存，未做任何更改；请稍后再试。$`));
    await allowRefusal(503, url);
    assert.equal((await send(server, 'PUT', '/_faults', { failRate: 0 })).status, 200);

    // A token that is not the admin's (none of the server's): 401; an account's own token: 403.
    const settings = await page.evaluate(() => localStorage.getItem('shiming.settings'));
    for (const [token, code, why] of [
      ['not-the-admin-token', 401, '需要管理令牌：请在“设置”中添加。'],
      [adult.accountToken, 403, '设置中的令牌不是管理令牌。'],
    ]) {
      await page.evaluate((value) => localStorage.setItem('shiming.settings', JSON.stringify({ baseUrl: '/api', headers: { Authorization: `Bearer ${value}` } })), token);
      await page.getByTestId('reload').focus();
      await freezeThroughDialog(adult.id, 'security_risk');
      await page.waitForFunction((c) => document.getElementById('status-text').textContent.includes(`HTTP ${c}`), code);
      await errorShown(new RegExp(`^未能冻结账户 ${adult.id}（HTTP ${code}）：${why}$`));
      await allowRefusal(code, url);
    }
    await page.evaluate((value) => localStorage.setItem('shiming.settings', value), settings);
    assert.equal((await get(server, `/registrations/${adult.id}`)).json.frozen, null);
    watch.assertClean(assert);
  });

  test('the account audit, run from its card: the 13-year-old is 14 now (12–14 → 14–16), counts, nothing personal', async () => {
    await page.getByTestId('account-audit-run').click();
    await page.waitForSelector('[data-testid="account-audit"][data-state="done"]');
    const report = page.getByTestId('account-audit-report');
    assert.equal(await text(page.getByTestId('account-audit-status')), '审计已完成：检查了 2 个账号。');
    assert.equal(await page.getByTestId('report-accounts').getAttribute('data-value'), '2');
    assert.equal(await page.getByTestId('report-frozen').getAttribute('data-value'), '0');
    assert.equal(await text(page.getByTestId('report-verification')), '未核验 2');
    assert.match(await text(report.locator('h3')), /^最新报告：.* · 管理员手动运行$/);
    const change = page.locator(`[data-testid="band-changes"] tr[data-account="${child.id}"]`);
    assert.deepEqual([await change.getAttribute('data-from'), await change.getAttribute('data-to')], ['12_to_14', '14_to_16']);
    assert.deepEqual(await change.locator('td').allInnerTexts(), [child.id, '12–14 周岁', '→ 14–16 周岁']);
    assert.equal(await page.locator('[data-testid="band-changes"] tbody tr').count(), 1);
    assert.equal(await text(page.getByTestId('report-recheck')), '未通过重新校验所有账号均通过现行规则的校验。');
    assert.match(await text(page.getByTestId('report-unused')), /^超过 365 天未使用的账号没有长期未使用的账号。$/);
    assert.match(await text(page.getByTestId('report-cleanup')), /未启用未使用账号的清理（仅报告）。/);
    assert.equal(await text(page.getByTestId('cleanup-notified')), '无');
    assert.equal(await text(page.getByTestId('cleanup-deleted')), '无');
    // The listing follows the audit: the child's band is the new one.
    await page.waitForFunction((id) => /14–16 周岁 \(未成年\)/.test(document.querySelector(`[data-testid="admin-row"][data-id="${id}"]`)?.textContent ?? ''), child.id);
    // The run is in the audit log (by the admin, the counts in words).
    const run = page.locator('[data-testid="audit-row"][data-action="accounts.audit"][data-actor="admin"]').first();
    await run.waitFor();
    assert.equal(await run.getAttribute('data-detail'), 'bands:1 notified:0');
    assert.equal(await text(run.getByTestId('audit-detail')), '年龄段变化 1 个，通知 0 个');
    assert.match(await run.textContent(), /运行账号审计/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'account-audit-run');
    // The report the server keeps is the one shown.
    const kept = await get(server, '/_account-audits?limit=1');
    assert.equal(await report.getAttribute('data-seq'), String(kept.json.reports[0].seq));
    await assertNoPersonalData();
    await axeCheck('the account audit report');
    await shot('admin-lifecycle-audit', 'account-audit');
    watch.assertClean(assert);
  });

  test('in English: the states, the reasons, the dialog, the audit log and the report', async () => {
    await page.locator('label:has([data-testid="locale-en"])').click();
    await page.waitForSelector('html[lang="en"]');
    const newest = page.getByTestId('account-audit-report');
    assert.equal(await text(row(adult.id).getByTestId('verification-state')), 'Unverified');
    assert.match(await row(adult.id).getByTestId('row-verification').textContent(), /Not checked with an authoritative source \(a well-formed number is not a verified identity\)/);
    assert.equal(await text(row(adult.id).getByTestId('phone-mark')), 'Phone not confirmed');
    assert.equal(await text(row(adult.id).getByTestId('frozen-state')), 'Active');
    assert.match(await row(child.id).textContent(), /14 to 16 \(minor\)/);
    // The audit log in English.
    const froze = page.locator(`[data-testid="audit-row"][data-action="account.freeze"]`).filter({ hasText: adult.id });
    assert.match(await froze.textContent(), /AdminFroze the account/);
    assert.equal(await text(froze.getByTestId('audit-detail')), 'Suspected impersonation');
    assert.match(await page.locator('[data-testid="audit-row"][data-action="account.unfreeze"]').first().textContent(), /Unfroze the account/);
    assert.equal(await text(page.locator('[data-testid="audit-row"][data-action="accounts.audit"]').first().getByTestId('audit-detail')), '1 age band change, 0 notified');
    assert.match(await page.locator('[data-testid="audit-row"][data-action="admin.account_audits"]').first().textContent(), /Viewed the account audit reports/);
    // The report in English.
    assert.equal(await text(page.locator('#account-audit-title')), 'Account audit');
    assert.equal(await text(page.getByTestId('account-audit-status')), 'Audit finished: 2 accounts checked.');
    assert.deepEqual(await newest.locator(`[data-testid="band-changes"] tr[data-account="${child.id}"] td`).allInnerTexts(), [child.id, '12 to 14', '→ 14 to 16']);
    assert.equal(await text(newest.getByTestId('report-verification')), 'Unverified 2');
    assert.match(await text(newest.getByTestId('report-cleanup')), /The clean-up of unused accounts is off \(reported only\)\./);
    assert.equal(await text(newest.getByTestId('cleanup-deleted')), 'none');

    // Frozen in English, for a legal order; the dialog in English, with the package's English message.
    await row(adult.id).getByTestId('freeze').click();
    await page.getByTestId('freeze-dialog').waitFor();
    assert.equal(await text(page.locator('#freeze-title')), 'Freeze this account?');
    assert.match(await text(page.locator('#freeze-effect')), /answers not allowed \(sync_account_frozen(: “This account is frozen by the platform”)?\)/);
    assert.equal(await text(page.getByTestId('freeze-cancel')), 'Go back');
    assert.equal(await page.getByTestId('freeze-reason').locator('option[value="legal_order"]').textContent(), 'Legal order of a competent authority');
    await page.getByTestId('freeze-reason').selectOption('legal_order');
    await page.getByTestId('freeze-confirm').click();
    await page.waitForSelector(`[data-testid="admin-row"][data-id="${adult.id}"] [data-testid="row-frozen"][data-frozen="true"]`);
    assert.equal(await text(row(adult.id).getByTestId('frozen-reason')), 'Legal order of a competent authority');
    assert.equal(await text(row(adult.id).getByTestId('frozen-state')), 'Frozen');
    assert.equal(await status(), `Account ${adult.id} was frozen (Legal order of a competent authority).`);
    const legal = page.locator(`[data-testid="audit-row"][data-action="account.freeze"][data-detail="legal_order"]`).filter({ hasText: adult.id });
    await legal.waitFor();
    assert.equal(await text(legal.getByTestId('audit-detail')), 'Legal order of a competent authority');

    // A second run: nothing changes band now, one account is frozen; the first report is kept below.
    await page.getByTestId('account-audit-run').click();
    await page.waitForSelector('[data-testid="account-audit"][data-state="done"]');
    assert.equal(await newest.getByTestId('report-frozen').getAttribute('data-value'), '1');
    assert.equal(await text(newest.getByTestId('report-band-changes')), 'Age band changesNo account changed age band.');
    assert.equal(await page.getByTestId('account-audit-older').count(), 1);
    assert.match(await text(page.getByTestId('account-audit-older').locator('summary')), / · run by the admin$/);
    assert.equal(await text(page.locator('[data-testid="audit-row"][data-action="accounts.audit"]').first().getByTestId('audit-detail')), '0 age band changes, 0 notified');
    await assertNoPersonalData();
    await axeCheck('the admin view in English');
    await shot('admin-lifecycle-en');

    // Back in Chinese, the frozen row says why in Chinese.
    await page.locator('label:has([data-testid="locale-zh"])').click();
    await page.waitForSelector('html[lang="zh-CN"]');
    assert.equal(await text(row(adult.id).getByTestId('frozen-reason')), '有权机关依法要求');
    assert.equal(await text(page.locator('[data-testid="audit-row"][data-action="accounts.audit"]').first().getByTestId('audit-detail')), '年龄段变化 0 个，通知 0 个');
    watch.assertClean(assert);
  });

  test('verified and failed verifications and a confirmed phone, as a server with a provider lists them (the listing answered from the test)', async () => {
    // The reference server here has no verification provider: the listing's answer is changed on its way to the page.
    const other = await context.newPage();
    const otherWatch = watchPage(other);
    const at = Date.UTC(2026, 0, 15, 2, 30);
    await other.route('**/api/registrations', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      for (const r of body.registrations) {
        if (r.id === adult.id) Object.assign(r, { verification: { state: 'verified', provider: 'nppa', at, code: null }, phoneConfirmed: true, phoneConfirmedAt: at });
        if (r.id === child.id) r.verification = { state: 'failed', provider: 'nppa', at, code: 'verification_mismatch' };
      }
      await route.fulfill({ response, json: body });
    });
    await other.goto(`${server.base}/admin.html`);
    await other.waitForSelector('body[data-ready="true"]');
    const cell = (id) => other.locator(`[data-testid="admin-row"][data-id="${id}"] [data-testid="row-verification"]`);
    const phone = (id) => other.locator(`[data-testid="admin-row"][data-id="${id}"] [data-testid="phone-mark"]`);
    const check = async (locale) => {
      const zh = locale === 'zh-CN';
      assert.equal(await cell(adult.id).getAttribute('data-state'), 'verified');
      assert.equal(await text(cell(adult.id).getByTestId('verification-state')), zh ? '已核验' : 'Verified');
      assert.match(await cell(adult.id).textContent(), zh ? /国家新闻出版署网络游戏防沉迷实名认证系统 确认姓名与证件号码一致，2026\/1\/15 10:30/ : /the NPPA real-name system for online games confirmed the name and the number, 1\/15\/26, 10:30/);
      assert.equal(await text(phone(adult.id)), zh ? '手机已验证' : 'Phone confirmed');
      assert.equal(await cell(child.id).getAttribute('data-state'), 'failed');
      assert.equal(await text(cell(child.id).getByTestId('verification-state')), zh ? '核验未通过' : 'Verification failed');
      assert.equal(await text(cell(child.id).getByTestId('verification-code')), zh ? '姓名与证件号码不一致 verification_mismatch' : 'the name and the number do not match verification_mismatch');
      assert.equal(await text(phone(child.id)), zh ? '手机未验证' : 'Phone not confirmed');
    };
    await check('zh-CN');
    await other.locator('label:has([data-testid="locale-en"])').click();
    await other.waitForSelector('html[lang="en"]');
    await check('en');
    await other.locator('label:has([data-testid="locale-zh"])').click();
    await other.waitForSelector('html[lang="zh-CN"]');
    otherWatch.assertClean(assert);
    await other.close();
  });
});
