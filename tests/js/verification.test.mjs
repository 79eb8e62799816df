// Real-name verification on the Rust server (server/src/verification.rs, issue 16 item 1), over HTTP, against the
// local NPPA simulator (tests/js/support/nppa-simulator.mjs: the published interface specification, implemented
// independently; tests only): a registration verified, failed (marked, or refused when verification is required),
// pending then verified by the server's verifier, a provider that does not answer (held with 503, then stored on the
// client's retry), a minor who stays a minor, the 上线/下线 reports, the start-up gates, and no personal data in logs.
//
// Test data: generateTestId numbers, made-up names, the customary sample numbers 138001380xx.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startNppaSimulator } from './support/nppa-simulator.mjs';
import { startVerifyStub } from './support/verify-stub.mjs';
import { runServerCommand, startRustServer } from './server.mjs';
import { documentsDeclaring, get, idNumberOf, register, send } from './accounts.mjs';

const APP = 'shiming-test-app';
const BIZ = '1101999999';
const SECRET = '0123456789abcdef0123456789abcdef';

const dirs = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function withNppa(extraArgs, run) {
  const sim = await startNppaSimulator({ appId: APP, bizId: BIZ, secretKey: SECRET });
  const documents = await documentsDeclaring(['recipient:nppa']);
  dirs.push(documents);
  const server = await startRustServer({
    quiet: false,
    args: [
      '--verify-provider', 'nppa',
      '--nppa-app-id', APP,
      '--nppa-biz-id', BIZ,
      '--nppa-check-url', `${sim.url}/idcard/authentication/check`,
      '--nppa-query-url', `${sim.url}/idcard/authentication/query`,
      '--nppa-behavior-url', `${sim.url}/behavior/collection/loginout`,
      '--documents-dir', documents,
      ...extraArgs,
    ],
    env: { SHIMING_NPPA_SECRET_KEY: SECRET },
  });
  try {
    await run(server, sim);
  } finally {
    await server.stop();
    await sim.close();
  }
}

async function row(server, id) {
  const res = await get(server, `/registrations/${id}`);
  assert.equal(res.status, 200);
  return res.json;
}

async function until(what, check, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('verification against the NPPA system (its simulator)', () => {
  test('verified, failed (marked), pending then verified by the verifier; the pi stays on the server; a minor stays a minor; no personal data in the log', async () => {
    await withNppa([], async (server, sim) => {
      const ok = await register(server, 801, { phone: '13800138081' });
      assert.deepEqual(ok.verification, { state: 'verified' });
      const okRow = await row(server, ok.id);
      assert.deepEqual([okRow.verification.state, okRow.verification.provider, okRow.verification.code], ['verified', 'nppa', null]);
      assert.equal(typeof okRow.verification.at, 'number');
      assert.equal(JSON.stringify(okRow).includes('"reference"'), false, 'the pi is not shown');

      // The simulator saw the name and number, encrypted and signed by the specification.
      const checks = sim.requests.filter((r) => r.path === '/idcard/authentication/check' && r.errcode === 0);
      assert.ok(checks.some((r) => r.business?.idNum === ok.idNumber && r.business?.name === '欧阳测试'));
      assert.ok(checks.every((r) => /^[0-9a-f]{32}$/.test(r.business.ai)), 'ai: 32 hex characters');
      assert.ok(checks.every((r) => !r.body.includes(ok.idNumber)), 'the body is encrypted');

      // Failed: stored and marked (verification not required).
      const failing = idNumberOf(802);
      sim.setScenario(failing, { type: 'failed' });
      const bad = await register(server, 802, { phone: '13800138082' });
      assert.deepEqual(bad.verification, { state: 'failed' });
      assert.deepEqual([(await row(server, bad.id)).verification.code, (await row(server, bad.id)).frozen], ['verification_mismatch', null]);

      // Pending, then verified: the server's verifier asks again.
      const slow = idNumberOf(803);
      sim.setScenario(slow, { type: 'pending', queries: 1, then: 'verified' });
      const later = await register(server, 803, { phone: '13800138083' });
      assert.deepEqual(later.verification, { state: 'pending' });
      const done = await until('the pending account is verified', async () => {
        const r = await row(server, later.id);
        return r.verification.state === 'verified' && r;
      });
      assert.equal(done.verification.provider, 'nppa');
      assert.ok(sim.requests.some((r) => r.path === '/idcard/authentication/query'), 'asked with the query interface');

      // A 15-year-old verified stays a minor: verification never changes the age the server computed.
      const year = new Date().getFullYear();
      const teen = await register(server, 804, { phone: '13800138084', age: 15 });
      assert.deepEqual(teen.verification, { state: 'verified' });
      const teenRow = await row(server, teen.id);
      assert.deepEqual([teenRow.ageBand, teenRow.isMinor], ['14_to_16', true]);
      const pay = await send(server, 'POST', `/registrations/${teen.id}/evaluate`, { activity: { type: 'payment', amountFen: 20_000, spentTodayFen: 0, spentThisMonthFen: 0 } });
      assert.equal(pay.json.allowed, false, `a minor's payment cap still applies (${year})`);

      // The audit log records each verdict (no personal data).
      const audit = (await get(server, '/_audit?limit=200')).json.entries;
      assert.ok(audit.some((e) => e.action === 'account.verification' && e.account === later.id && e.detail === 'verified'));

      const log = server.log();
      for (const value of [ok.idNumber, failing, slow, '欧阳测试', '13800138081']) assert.equal(log.includes(value), false, 'no personal data in the log');
    });
  });

  test('--verification-required: a failure is refused (422, remembered for the key), a provider that does not answer holds the registration (503 + Retry-After) until the client\'s retry with the same key, and a pending account that fails later is frozen', async () => {
    await withNppa(['--verification-required', '--kinds', 'cn_resident'], async (server, sim) => {
      const failing = idNumberOf(811);
      sim.setScenario(failing, { type: 'failed' });
      const refused = await register(server, 811, { phone: '13800138091', status: 422 });
      assert.deepEqual(refused.issues, [{ path: ['form', 'idNumber'], code: 'sync_verification_failed', params: { reason: 'verification_mismatch' } }]);
      assert.equal((await get(server, '/registrations')).json.registrations.length, 0, 'nothing stored');

      // The system is down: 1001 on every call. The registration is held, not stored, not remembered.
      const down = idNumberOf(812);
      sim.setScenario(down, { type: 'error', errcode: 1001 });
      const key = 'k-verification-retry-0001';
      const held = await register(server, 812, { phone: '13800138092', status: 503, key });
      assert.equal(held.issues[0].code, 'sync_verification_unavailable');
      assert.ok(Number(held.headers.get('retry-after')) >= 1);
      // The system is back: the same request, the same key, is stored.
      sim.setScenario(down, null);
      const retried = await send(server, 'POST', '/registrations', held.body, null).catch(() => null);
      assert.equal(retried?.status, 400, 'a POST needs its Idempotency-Key');
      const res = await fetch(`${server.api}/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(held.body),
      });
      const stored = await res.json();
      assert.deepEqual([res.status, stored.verification], [201, { state: 'verified' }]);
      const payment = { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 };
      assert.equal((await send(server, 'POST', `/registrations/${stored.id}/evaluate`, { activity: payment })).json.allowed, true);

      // Pending, then failed: the account is frozen.
      const flip = idNumberOf(813);
      sim.setScenario(flip, { type: 'pending', queries: 1, then: 'failed' });
      const pending = await register(server, 813, { phone: '13800138093' });
      assert.deepEqual(pending.verification, { state: 'pending' });
      // Another, frozen by the admin before its verification fails: that freeze and its reason stand.
      const flipToo = idNumberOf(814);
      sim.setScenario(flipToo, { type: 'pending', queries: 1, then: 'failed' });
      const held2 = await register(server, 814, { phone: '13800138094' });
      assert.equal((await send(server, 'PUT', `/registrations/${held2.id}/freeze`, { reason: 'legal_order' })).status, 200);
      // Not verified yet: where verification is required, nothing the platform gates is allowed.
      const early = await send(server, 'POST', `/registrations/${pending.id}/evaluate`, { activity: payment });
      assert.deepEqual([early.json.allowed, early.json.code, early.json.params.state], [false, 'sync_verification_unavailable', 'pending']);
      const frozen = await until('the failed account is frozen', async () => {
        const r = await row(server, pending.id);
        return r.frozen && r;
      });
      assert.deepEqual([frozen.verification.state, frozen.frozen.reason], ['failed', 'verification_failed']);
      const play = await send(server, 'POST', `/registrations/${pending.id}/evaluate`, { activity: { type: 'play', usedTodaySeconds: 0 } });
      assert.deepEqual([play.json.allowed, play.json.code], [false, 'sync_account_frozen']);
      // One freeze, recorded once, by the server; an admin's freeze that came first would stand unchanged.
      const freezes = (await get(server, '/_audit?limit=200')).json.entries.filter((e) => e.account === pending.id && e.action === 'account.freeze');
      assert.deepEqual(freezes.map((e) => [e.actor, e.detail]), [['server', 'verification_failed']]);
      const other = await until('the admin-frozen account fails its verification', async () => {
        const r = await row(server, held2.id);
        return r.verification.state === 'failed' && r;
      });
      assert.equal(other.frozen.reason, 'legal_order');
      const otherFreezes = (await get(server, '/_audit?limit=200')).json.entries.filter((e) => e.account === held2.id && e.action === 'account.freeze');
      assert.deepEqual(otherFreezes.map((e) => [e.actor, e.detail]), [['admin', 'legal_order']]);
    });
  });

  test('sessions: a verified player\'s 上线/下线 reported with its pi; an unverified account has none to report', async () => {
    await withNppa([], async (server, sim) => {
      const player = await register(server, 821, { phone: '13800138095' });
      for (const event of ['start', 'end']) {
        const res = await send(server, 'POST', `/registrations/${player.id}/sessions`, { event, session: 'game-session-0001' });
        assert.equal(res.status, 204, JSON.stringify(res.json));
      }
      const reports = sim.requests.filter((r) => r.path === '/behavior/collection/loginout');
      assert.deepEqual(reports.map((r) => [r.errcode, r.business.collections[0].bt, r.business.collections[0].si, r.business.collections[0].ct]), [[0, 1, 'game-session-0001', 0], [0, 0, 'game-session-0001', 0]]);
      assert.match(reports[0].business.collections[0].pi, /^[0-9a-z]{38}$/);
      // Only the platform reports: the player's own token cannot send a 下线 that would stop the system's clock.
      const own = await send(server, 'POST', `/registrations/${player.id}/sessions`, { event: 'end', session: 'game-session-0001' }, player.accountToken);
      assert.deepEqual([own.status, own.json.issues[0].code], [403, 'sync_forbidden']);
      assert.equal(sim.requests.filter((r) => r.path === '/behavior/collection/loginout').length, 2, 'nothing reported for it');
      assert.equal((await send(server, 'POST', `/registrations/${player.id}/sessions`, { event: 'pause', session: 's' })).status, 422);
      assert.equal((await send(server, 'POST', `/registrations/${player.id}/sessions`, { event: 'start', session: 'x'.repeat(33) })).status, 422);

      sim.setScenario(idNumberOf(822), { type: 'failed' });
      const stranger = await register(server, 822, { phone: '13800138096' });
      assert.equal((await send(server, 'POST', `/registrations/${stranger.id}/sessions`, { event: 'start', session: 's-2' })).status, 409);
    });
  });
});

describe('verification against a commercial three-factor service (a local stub), by a documented mapping', () => {
  test('the name, number and phone go to the configured service with the secret header from the environment; its codes mark the account verified or failed; an unmapped answer is never a verdict', async () => {
    const stub = await startVerifyStub({ requireHeaders: { authorization: 'APPCODE test-appcode' } });
    const recipient = 'Example Data Co.';
    const dir = await mkdtemp(join(tmpdir(), 'shiming-generic-'));
    dirs.push(dir);
    const config = join(dir, 'verify.json');
    await writeFile(config, JSON.stringify({
      recipient,
      url: `${stub.url}/v2/mobile/three-factors`,
      method: 'POST',
      factors: 3,
      kinds: ['cn_resident'],
      headers: { Authorization: 'APPCODE ${EXAMPLE_DATA_APPCODE}' },
      body: { name: '{{name}}', idcard: '{{idNumber}}', mobile: '{{phone}}', bizNo: '{{reference}}' },
      timeoutMs: 3000,
      result: { pointer: '/data/result', verified: ['1'], failed: { 2: 'verification_mismatch', 3: 'verification_phone_mismatch' }, pending: ['0'] },
    }));
    const documents = await documentsDeclaring([`recipient:${recipient}`]);
    dirs.push(documents);
    const server = await startRustServer({
      args: ['--verify-provider', 'http', '--verify-http-config', config, '--documents-dir', documents],
      env: { EXAMPLE_DATA_APPCODE: 'test-appcode' },
    });
    try {
      stub.addRule({ match: '13800138071', status: 200, body: { data: { result: '1' } } });
      stub.addRule({ match: '13800138072', status: 200, body: { data: { result: '3' } } });
      stub.addRule({ match: '13800138073', status: 200, body: { data: { result: 'something new' } } });
      const ok = await register(server, 841, { phone: '13800138071' });
      const phoneWrong = await register(server, 842, { phone: '13800138072' });
      const unknown = await register(server, 843, { phone: '13800138073' });
      assert.deepEqual([ok.verification.state, phoneWrong.verification.state, unknown.verification.state], ['verified', 'failed', 'pending']);
      assert.deepEqual([(await row(server, ok.id)).verification.provider, (await row(server, phoneWrong.id)).verification.code], ['http', 'verification_phone_mismatch']);
      const sent = stub.requests.find((r) => r.body.includes('13800138071'));
      assert.equal(sent.headers.authorization, 'APPCODE test-appcode');
      const body = JSON.parse(sent.body);
      assert.deepEqual([body.name, body.idcard, body.mobile], ['欧阳测试', ok.idNumber, '13800138071']);
      assert.match(body.bizNo, /^[0-9a-f]{32}$/);
      assert.equal(server.log().includes('test-appcode'), false, 'the secret is never logged');
    } finally {
      await server.stop();
      await stub.close();
    }
  });
});

describe('the gates at start', () => {
  test('a provider that sends personal data to a third party needs a current text that says so; --verification-required needs a provider', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shiming-verify-'));
    dirs.push(dataDir);
    const nppa = ['--verify-provider', 'nppa', '--nppa-app-id', APP, '--nppa-biz-id', BIZ, '--nppa-secret-key', SECRET];
    const refused = await runServerCommand(['--data-dir', dataDir, '--admin-token', 'a-token', '--port', '0', ...nppa]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /recipient:nppa/);
    assert.equal(refused.stderr.includes(SECRET), false, 'the secret is never printed');
    // Required verification, and a kind the provider cannot verify: anyone could choose it and stay unverified.
    const documents = await documentsDeclaring(['recipient:nppa']);
    dirs.push(documents);
    const uncovered = await runServerCommand(['--data-dir', dataDir, '--admin-token', 'a-token', '--port', '0', ...nppa, '--documents-dir', documents, '--verification-required']);
    assert.notEqual(uncovered.code, 0);
    assert.match(uncovered.stderr, /cannot verify hk_macao_taiwan_residence_permit/);
    const alone = await runServerCommand(['--data-dir', dataDir, '--admin-token', 'a-token', '--port', '0', '--verification-required']);
    assert.notEqual(alone.code, 0);
    assert.match(alone.stderr, /verification-required/);
  });

  test('without a provider every account is recorded unverified, never verified', async () => {
    const server = await startRustServer();
    try {
      const person = await register(server, 831, { phone: '13800138097' });
      assert.deepEqual(person.verification, { state: 'unverified' });
      const r = await row(server, person.id);
      assert.deepEqual(r.verification, { state: 'unverified', provider: null, at: null, code: null });
      assert.equal((await send(server, 'POST', `/registrations/${person.id}/sessions`, { event: 'start', session: 's-1' })).status, 204);
    } finally {
      await server.stop();
    }
  });
});
