// The account lifecycle on the Rust server (server/src/lifecycle.rs, issue 16 item 3), over HTTP: freezing and
// unfreezing by the admin (and what a frozen account can no longer do), the account audit that recomputes age bands as
// people grow older, unused accounts reported, notified and cleaned up, every action in the audit log.
//
// Time passes through the server's clock shift for tests (`clockOffsetDays` of PUT /_faults, only with
// --fault-control): an account registered "30 days ago" by a 13-year-old is audited today, when they are 14.
//
// Test data: generateTestId numbers, made-up names, the customary sample numbers 138001380xx.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { importPkg } from './support.mjs';
import { runServerCommand, startRustServer } from './server.mjs';
import { GUARDIAN, documentsDeclaring, get, register, send } from './accounts.mjs';

const shiming = await importPkg('node.js');

const DAY = 86_400_000;

const dirs = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** `y-m-d` of a date `years` years and `days` days before `ms` (Asia/Shanghai is not needed: days of margin). */
function bornBefore(ms, years, days) {
  const d = new Date(ms - days * DAY);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

async function shiftClock(server, days) {
  const res = await send(server, 'PUT', '/_faults', { clockOffsetDays: days });
  assert.equal(res.status, 200, JSON.stringify(res.json));
}

const play = { type: 'play', usedTodaySeconds: 0 };
const payment = (amountFen) => ({ type: 'payment', amountFen, spentTodayFen: 0, spentThisMonthFen: 0 });

async function auditLog(server) {
  const res = await get(server, '/_audit?limit=200');
  assert.equal(res.status, 200);
  return res.json.records ?? res.json.entries ?? res.json;
}

describe('freezing', () => {
  test('the admin freezes with a reason code; a frozen account is refused every gated activity and every change but its own consents and cancellation; unfreezing restores it; both in the audit log', async () => {
    const server = await startRustServer();
    try {
      const person = await register(server, 501, { phone: '13800138051' });
      const path = `/registrations/${person.id}`;
      assert.equal((await send(server, 'POST', `${path}/evaluate`, { activity: payment(100) })).json.allowed, true);

      // Only the admin, only a listed reason, nothing else in the body.
      assert.equal((await send(server, 'PUT', `${path}/freeze`, { reason: 'security_risk' }, person.accountToken)).status, 403);
      assert.equal((await send(server, 'PUT', `${path}/freeze`, { reason: 'security_risk' }, null)).status, 401);
      assert.equal((await send(server, 'PUT', `${path}/freeze`, { reason: '他冒用了张三的身份证' })).status, 422);
      assert.equal((await send(server, 'PUT', `${path}/freeze`, { reason: 'other', note: 'x' })).status, 422);
      assert.equal((await send(server, 'PUT', `${path}/freeze`, {})).status, 422);
      assert.equal((await send(server, 'PUT', '/registrations/r_0000000000000000000000/freeze', { reason: 'other' })).status, 404);

      const frozen = await send(server, 'PUT', `${path}/freeze`, { reason: 'suspected_impersonation' });
      assert.equal(frozen.status, 200, JSON.stringify(frozen.json));
      assert.equal(frozen.json.frozen.reason, 'suspected_impersonation');
      const view = await get(server, path, person.accountToken);
      assert.equal(view.status, 200, 'the person still reads their account');
      assert.deepEqual([view.json.frozen.reason, typeof view.json.frozen.at], ['suspected_impersonation', 'number']);

      // Every gated activity is refused, whoever asks.
      for (const activity of [payment(100), play, { type: 'session', usedTodaySeconds: 0, continuousSeconds: 0 }]) {
        for (const token of [server.adminToken, person.accountToken]) {
          const res = await send(server, 'POST', `${path}/evaluate`, { activity }, token);
          assert.equal(res.status, 200);
          assert.deepEqual([res.json.allowed, res.json.code, res.json.params.reason], [false, 'sync_account_frozen', 'suspected_impersonation']);
        }
      }
      // The account's own token may not change its limits; the consents stay readable.
      const limits = await send(server, 'PUT', `${path}/limits`, { perPaymentFen: 0 }, person.accountToken);
      assert.deepEqual([limits.status, limits.json.issues[0].code], [403, 'sync_account_frozen']);
      assert.equal((await get(server, `${path}/consents`, person.accountToken)).status, 200);

      // Unfreezing restores it.
      const thawed = await send(server, 'DELETE', `${path}/freeze`);
      assert.deepEqual([thawed.status, thawed.json.frozen], [200, null]);
      assert.equal((await send(server, 'POST', `${path}/evaluate`, { activity: payment(100) })).json.allowed, true);
      const again = await send(server, 'DELETE', `${path}/freeze`);
      assert.deepEqual([again.status, again.json.frozen], [200, null], 'idempotent');
      assert.equal((await send(server, 'DELETE', '/registrations/r_0000000000000000000000/freeze')).status, 404);

      // Frozen again, the person can still cancel the account (PIPL Art. 47).
      assert.equal((await send(server, 'PUT', `${path}/freeze`, { reason: 'legal_order' })).status, 200);
      const cancel = await fetch(`${server.api}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${person.accountToken}` } });
      assert.equal(cancel.status, 204);

      const records = await auditLog(server);
      const mine = records.filter((r) => r.account === person.id).map((r) => [r.actor, r.action, r.detail ?? null]);
      for (const expected of [
        ['admin', 'account.freeze', 'suspected_impersonation'],
        ['admin', 'account.unfreeze', null],
        ['admin', 'account.freeze', 'legal_order'],
        ['account', 'account.delete', null],
      ]) {
        assert.ok(mine.some((r) => JSON.stringify(r) === JSON.stringify(expected)), `audit log has ${expected.join(' ')}: ${JSON.stringify(mine)}`);
      }
      const text = JSON.stringify(records);
      for (const value of [person.idNumber, '13800138051', person.registrationId, person.accountToken]) assert.equal(text.includes(value), false);
    } finally {
      await server.stop();
    }
  });
});

describe('the account audit', () => {
  test('a 13-year-old registered 30 days ago is 14 today: the audit moves the account to 14_to_16 and the band that applies changes; a 17-year-old turns 18 and may play outside the minors\' hour', async () => {
    const server = await startRustServer({ args: ['--fault-control', '--account-audit-interval-hours', '0'] });
    try {
      const realNow = Date.now();
      await shiftClock(server, -30);
      const past = realNow - 30 * DAY;
      // 14 on the 10th day before today (real): 13 thirty days ago, with a guardian.
      const guardian = { ...GUARDIAN, idNumber: shiming.generateTestId({ seed: 650, birthDate: '1980-04-02' }) };
      const child = await register(server, 601, {
        phone: '13800138061',
        birthDate: bornBefore(realNow, 14, 10),
        guardian,
        nowMs: past,
      });
      // 18 on the 10th day before today: 17 thirty days ago.
      const teen = await register(server, 602, {
        phone: '13800138062',
        birthDate: bornBefore(realNow, 18, 10),
        kinds: ['service_agreement', 'privacy_policy', 'sensitive_pi'],
        nowMs: past,
      });
      const adult = await register(server, 603, { phone: '13800138063', nowMs: past });
      const before = Object.fromEntries((await get(server, '/registrations')).json.registrations.map((r) => [r.id, r]));
      assert.deepEqual([before[child.id].ageBand, before[child.id].isMinor], ['12_to_14', true]);
      assert.deepEqual([before[teen.id].ageBand, before[teen.id].isMinor], ['16_to_18', true]);
      const childThen = await send(server, 'POST', `/registrations/${child.id}/evaluate`, { activity: payment(100) });
      assert.equal(childThen.json.ageBand, '12_to_14');
      const teenThen = await send(server, 'POST', `/registrations/${teen.id}/evaluate`, { activity: play });

      // An audit on the same day changes nothing.
      const same = await send(server, 'POST', '/_account-audits');
      assert.equal(same.status, 200, JSON.stringify(same.json));
      assert.deepEqual([same.json.accounts, same.json.bandChanges, same.json.recheckFailures], [3, [], []]);

      // Thirty days later.
      await shiftClock(server, 0);
      const report = await send(server, 'POST', '/_account-audits');
      assert.equal(report.status, 200);
      assert.deepEqual(
        report.json.bandChanges.map((c) => [c.account, c.from, c.to]).sort(),
        [[child.id, '12_to_14', '14_to_16'], [teen.id, '16_to_18', 'adult']].sort(),
      );
      assert.deepEqual(report.json.recheckFailures, []);
      assert.equal(report.json.verification.unverified, 3);
      const after = Object.fromEntries((await get(server, '/registrations')).json.registrations.map((r) => [r.id, r]));
      assert.deepEqual([after[child.id].ageBand, after[child.id].isMinor], ['14_to_16', true]);
      assert.deepEqual([after[teen.id].ageBand, after[teen.id].isMinor], ['adult', false]);
      assert.equal(after[adult.id].ageBand, 'adult');
      // What applies follows: the evaluation's band, and the adult's play is no longer held to the minors' hours.
      const childNow = await send(server, 'POST', `/registrations/${child.id}/evaluate`, { activity: payment(100) });
      assert.equal(childNow.json.ageBand, '14_to_16');
      const teenNow = await send(server, 'POST', `/registrations/${teen.id}/evaluate`, { activity: play });
      assert.deepEqual([teenNow.json.allowed, teenNow.json.ageBand], [true, 'adult']);
      assert.equal(teenThen.json.ageBand, '16_to_18');

      // The reports are kept, newest first, and the runs are in the audit log; nothing personal in either.
      const reports = await get(server, '/_account-audits?limit=5');
      assert.equal(reports.status, 200);
      assert.deepEqual(reports.json.reports.map((r) => r.trigger), ['admin', 'admin']);
      assert.equal(reports.json.reports[0].report.bandChanges.length, 2);
      assert.equal((await get(server, '/_account-audits', child.accountToken)).status, 403);
      assert.equal((await send(server, 'POST', '/_account-audits', undefined, child.accountToken)).status, 403);
      const records = await auditLog(server);
      assert.ok(records.filter((r) => r.action === 'accounts.audit').length >= 2);
      const text = JSON.stringify(reports.json) + JSON.stringify(records);
      for (const value of [child.idNumber, teen.idNumber, guardian.idNumber, '13800138061', '欧阳测试', child.registrationId]) {
        assert.equal(text.includes(value), false);
      }
    } finally {
      await server.stop();
    }
  });

  test('--unused-cleanup needs a current text that says so: the shipped texts do not, and the server refuses to start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shiming-cleanup-'));
    dirs.push(dataDir);
    const refused = await runServerCommand(['--data-dir', dataDir, '--admin-token', 'a-token', '--port', '0', '--unused-cleanup']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /unused-cleanup/);
  });

  test('unused accounts: reported after --unused-after-days; with --unused-cleanup, notified first, then deleted after the notice days unless used', async () => {
    const documents = await documentsDeclaring(['unused-cleanup']);
    dirs.push(documents);
    const outbox = join(documents, 'outbox.jsonl');
    const cleanup = ['--account-audit-interval-hours', '0', '--unused-after-days', '30', '--unused-notice-days', '7', '--unused-cleanup', '--documents-dir', documents];
    // The notice is sent for real, by SMS: no sender, no cleanup.
    const silent = await runServerCommand(['--data-dir', documents, '--admin-token', 'a-token', '--port', '0', ...cleanup]);
    assert.notEqual(silent.code, 0);
    assert.match(silent.stderr, /needs an SMS sender/);
    const server = await startRustServer({
      args: ['--fault-control', '--sms-sender', 'file', '--sms-outbox', outbox, ...cleanup],
    });
    try {
      const realNow = Date.now();
      await shiftClock(server, -40);
      const idle = await register(server, 701, { phone: '13800138071', nowMs: realNow - 40 * DAY });
      const returning = await register(server, 702, { phone: '13800138072', nowMs: realNow - 40 * DAY });
      await shiftClock(server, 0);
      const fresh = await register(server, 703, { phone: '13800138073' });

      const first = await send(server, 'POST', '/_account-audits');
      assert.equal(first.status, 200);
      assert.deepEqual(first.json.unused.accounts.map((a) => a.account).sort(), [idle.id, returning.id].sort());
      assert.deepEqual(first.json.cleanup.notified.sort(), [idle.id, returning.id].sort());
      assert.deepEqual(first.json.cleanup.deleted, []);
      // Each was told, on its phone, before anything is deleted.
      const notices = (await readFile(outbox, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
      assert.deepEqual(notices.map((n) => n.to).sort(), ['+8613800138071', '+8613800138072']);
      for (const notice of notices) assert.match(notice.text, /已超过 30 天未使用，7 天后将被删除/);

      // One of them comes back (its own token), after the notice.
      await shiftClock(server, 3);
      assert.equal((await get(server, `/registrations/${returning.id}`, returning.accountToken)).status, 200);
      await new Promise((r) => setTimeout(r, 300));
      // Notice days pass.
      await shiftClock(server, 10);
      const second = await send(server, 'POST', '/_account-audits');
      assert.deepEqual(second.json.cleanup.deleted, [idle.id]);
      assert.equal((await get(server, `/registrations/${idle.id}`)).status, 404);
      assert.equal((await get(server, `/registrations/${returning.id}`)).status, 200, 'used since the notice: kept');
      assert.equal((await get(server, `/registrations/${fresh.id}`)).status, 200);
      const records = await auditLog(server);
      const cleaned = records.filter((r) => r.account === idle.id).map((r) => [r.actor, r.action]);
      assert.ok(cleaned.some(([a, b]) => a === 'server' && b === 'account.unused_notice'));
      assert.ok(cleaned.some(([a, b]) => a === 'server' && b === 'account.delete'));
    } finally {
      await server.stop();
    }
  });
});
