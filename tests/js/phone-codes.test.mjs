// Phone ownership by a one-time code (server/src/phone_codes.rs, docs/protocol.md section 13), against the real server
// binary with the development SMS sender (`--sms-sender file`): the test reads each code from the outbox file, as a
// person reads it on their phone. Beyond the protocol: a server without a sender answers 404 phone_codes_disabled.
//
// Test data: generateTestId numbers, made-up names and 138/139 sample numbers.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { importPkg } from './support.mjs';
import { POSTGRES_MISSING, runServerCommand, startPostgres, startRustServer, stopPostgres } from './server.mjs';

const shiming = await importPkg('node.js');
const consent = await importPkg('consent-node.js');

const ADULT = ['service_agreement', 'privacy_policy', 'sensitive_pi'];

const dirs = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'shiming-phone-codes-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A server with the file sender; `args` on top. `outbox` is where its codes go. */
async function codeServer(args = [], options = {}) {
  const outbox = join(await tempDir(), 'outbox.jsonl');
  const server = await startRustServer({ ...options, args: ['--fault-control', '--sms-sender', 'file', '--sms-outbox', outbox, ...args] });
  return Object.assign(server, { outbox });
}

async function post(server, path, body, { key = `k-${randomUUID()}`, token } = {}) {
  const res = await fetch(`${server.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

async function get(server, path, token = server.adminToken) {
  const res = await fetch(`${server.api}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** The outbox's messages, oldest first. */
async function outbox(server) {
  if (!existsSync(server.outbox)) return [];
  return (await readFile(server.outbox, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** Sends a code to `phone` (national form, +86) and reads it from the outbox. */
async function sendCode(server, phone) {
  const before = (await outbox(server)).length;
  const res = await post(server, '/phone-codes', { phone });
  assert.equal(res.status, 202, res.text);
  const messages = await outbox(server);
  assert.equal(messages.length, before + 1, 'one message per code');
  const message = messages.at(-1);
  assert.equal(message.to, `+86${phone}`);
  assert.match(message.code, /^\d{6}$/);
  assert.ok(message.text.includes(message.code));
  assert.ok(!res.text.includes(message.code), 'the code is never in the answer');
  return { res, code: message.code };
}

const confirm = (server, phone, code) => post(server, '/phone-codes/confirm', { phone, code });
const wrongOf = (code) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** The body of a made-up adult's registration citing its three consents (stored first). */
async function registrationBody(server, seed, phone, extra = {}) {
  const policy = (await get(server, '/policy', null)).json;
  const registrationId = `reg-${randomUUID()}`;
  const receipts = ADULT.map((kind, i) => {
    const built = consent.buildReceipt(policy.documents.find((d) => d.kind === kind), {
      subject: `reg:${registrationId}`,
      sequence: i + 1,
      clientTime: Math.floor(Date.now() / 1000),
      reading: { reachedEnd: true, visibleSeconds: 30, viewport: { width: 390, height: 844 }, locale: 'zh-CN' },
    });
    assert.equal(built.ok, true);
    return built.receipt;
  });
  const stored = await post(server, '/consents', { receipts });
  assert.equal(stored.status, 201, stored.text);
  const idNumber = shiming.generateTestId({ seed, birthDate: '1990-05-17' });
  return {
    registrationId,
    form: { name: '欧阳测试', idNumber, phone },
    consents: receipts.map((r) => r.consentReceiptID),
    ...extra,
  };
}

async function register(server, seed, phone, extra) {
  return post(server, '/registrations', await registrationBody(server, seed, phone, extra));
}

/** Every encoding a value could be found in: UTF-8, UTF-16LE, hex and base64 of the UTF-8. */
function assertAbsent(text, values, where) {
  const bytes = Buffer.from(text);
  for (const value of values) {
    const utf8 = Buffer.from(value, 'utf8');
    for (const encoded of [utf8, Buffer.from(value, 'utf16le'), Buffer.from(utf8.toString('hex')), Buffer.from(utf8.toString('base64').replace(/=+$/, ''))]) {
      assert.equal(bytes.indexOf(encoded), -1, `${where} holds a personal value or a code`);
    }
  }
}

describe('phone codes (file sender)', () => {
  test('send, read the outbox, confirm, register: phoneConfirmed in the answer, the account and the listing; codes and numbers never in the log', async () => {
    const server = await codeServer([], { quiet: false });
    const phone = '13800138011';
    const codes = [];
    try {
      const policy = (await get(server, '/policy', null)).json;
      assert.deepEqual(policy.phoneCodes, { required: false, codeLength: 6, expiresInSeconds: 300, resendAfterSeconds: 60, validForSeconds: 1800 });
      const { res, code } = await sendCode(server, phone);
      codes.push(code);
      assert.deepEqual(res.json, { expiresInSeconds: 300, resendAfterSeconds: 60 });
      if (process.platform !== 'win32') assert.equal((await stat(server.outbox)).mode & 0o777, 0o600, 'the outbox is private');
      // The same number written another way is the same number.
      const confirmed = await confirm(server, '+86 138-0013-8011', code);
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.deepEqual(confirmed.json, { confirmed: true, validForSeconds: 1800 });
      // A code is used once.
      const again = await confirm(server, phone, code);
      assert.equal(again.status, 422);
      assert.deepEqual(again.json.issues, [{ path: ['code'], code: 'phone_code_expired', params: {} }]);

      const reg = await register(server, 701, phone);
      assert.equal(reg.status, 201, reg.text);
      assert.equal(reg.json.phoneConfirmed, true);
      const own = await get(server, `/registrations/${reg.json.id}`, reg.json.accountToken);
      assert.equal(own.status, 200);
      assert.equal(own.json.phoneConfirmed, true);
      const row = (await get(server, '/registrations')).json.registrations.find((r) => r.id === reg.json.id);
      assert.equal(row.phoneConfirmed, true);

      // The confirmation was used by that registration: another one with the same number is not confirmed by it.
      const second = await register(server, 702, phone);
      assert.equal(second.status, 201, second.text);
      assert.equal(second.json.phoneConfirmed, false);
      // A number that was never confirmed.
      const third = await register(server, 703, '13900139012');
      assert.equal(third.json.phoneConfirmed, false);
      assert.equal((await get(server, `/registrations/${third.json.id}`)).json.phoneConfirmed, false);
    } finally {
      await server.stop();
    }
    const log = server.log();
    assert.match(log, /route="\/phone-codes" status=202/);
    assert.match(log, /route="\/phone-codes\/confirm" status=200/);
    assertAbsent(log, [...codes, phone, `+86${phone}`, '13900139012'], 'the log');
  });

  test('a wrong code says how many tries are left; the fifth wrong one voids the code; a new code works', async () => {
    const server = await codeServer(['--phone-code-resend-secs', '1']);
    const phone = '13800138021';
    try {
      const { code } = await sendCode(server, phone);
      for (const left of [4, 3, 2, 1]) {
        const wrong = await confirm(server, phone, wrongOf(code));
        assert.equal(wrong.status, 422);
        assert.deepEqual(wrong.json.issues, [{ path: ['code'], code: 'phone_code_wrong', params: { attemptsLeft: left } }]);
      }
      const fifth = await confirm(server, phone, wrongOf(code));
      assert.deepEqual(fifth.json.issues, [{ path: ['code'], code: 'phone_code_attempts_exhausted', params: {} }]);
      // Void: even the right code does not confirm now.
      const right = await confirm(server, phone, code);
      assert.equal(right.status, 422);
      assert.equal(right.json.issues[0].code, 'phone_code_attempts_exhausted');
      await sleep(1100);
      const fresh = await sendCode(server, phone);
      assert.equal((await confirm(server, phone, fresh.code)).status, 200);
      // A malformed code is the request's fault, not a try.
      for (const code of ['12345', '1234567', '12345a', '１２３４５６']) {
        const bad = await confirm(server, phone, code);
        assert.equal(bad.status, 422);
        assert.deepEqual(bad.json.issues[0].path, ['code']);
        assert.equal(bad.json.issues[0].code, 'sync_field_invalid');
      }
    } finally {
      await server.stop();
    }
  });

  test('a code expires (--phone-code-ttl-secs), and so does a confirmation (--phone-confirmation-ttl-secs)', async () => {
    const server = await codeServer(['--phone-code-ttl-secs', '1', '--phone-code-resend-secs', '1', '--phone-confirmation-ttl-secs', '1']);
    const phone = '13800138031';
    try {
      const { res, code } = await sendCode(server, phone);
      assert.equal(res.json.expiresInSeconds, 1);
      await sleep(1200);
      const late = await confirm(server, phone, code);
      assert.deepEqual(late.json.issues, [{ path: ['code'], code: 'phone_code_expired', params: {} }]);
      const fresh = await sendCode(server, phone);
      assert.equal((await confirm(server, phone, fresh.code)).status, 200);
      await sleep(1200);
      const reg = await register(server, 711, phone);
      assert.equal(reg.status, 201);
      assert.equal(reg.json.phoneConfirmed, false, 'a lapsed confirmation does not count');
    } finally {
      await server.stop();
    }
  });

  test('per-number send limits: one a minute, five an hour (429 phone_code_rate_limited with Retry-After); other numbers are not held up', async () => {
    const server = await codeServer();
    const hourly = await codeServer(['--phone-code-resend-secs', '1']);
    try {
      await sendCode(server, '13800138041');
      const before = (await outbox(server)).length;
      const again = await post(server, '/phone-codes', { phone: '13800138041' });
      assert.equal(again.status, 429);
      const [issue] = again.json.issues;
      assert.equal(issue.code, 'phone_code_rate_limited');
      assert.deepEqual(issue.path, ['phone']);
      assert.ok(issue.params.retryAfterSeconds >= 58 && issue.params.retryAfterSeconds <= 60, String(issue.params.retryAfterSeconds));
      assert.equal(again.headers.get('retry-after'), String(issue.params.retryAfterSeconds));
      assert.equal((await outbox(server)).length, before, 'nothing was sent');
      await sendCode(server, '13800138042');

      for (let i = 0; i < 5; i += 1) {
        if (i) await sleep(1050);
        await sendCode(hourly, '13800138043');
      }
      await sleep(1050);
      const sixth = await post(hourly, '/phone-codes', { phone: '13800138043' });
      assert.equal(sixth.status, 429);
      assert.ok(sixth.json.issues[0].params.retryAfterSeconds > 3500, 'the hour is the limit now');
    } finally {
      await server.stop();
      await hourly.stop();
    }
  });

  test('per client address: --phone-code-client-limit codes an hour, whatever the numbers (SMS pumping)', async () => {
    const server = await codeServer(['--phone-code-client-limit', '2']);
    try {
      await sendCode(server, '13800138044');
      await sendCode(server, '13800138045');
      const third = await post(server, '/phone-codes', { phone: '13800138046' });
      assert.equal(third.status, 429);
      const [issue] = third.json.issues;
      assert.deepEqual([issue.path, issue.code], [[], 'phone_code_rate_limited']);
      // One code every 30 minutes at 2 an hour.
      assert.ok(issue.params.retryAfterSeconds > 1700 && issue.params.retryAfterSeconds <= 1800, String(issue.params.retryAfterSeconds));
      assert.equal(third.headers.get('retry-after'), String(issue.params.retryAfterSeconds));
      assert.equal((await outbox(server)).length, 2);
      // A bad number is refused before it costs the client a code.
      assert.equal((await post(server, '/phone-codes', { phone: '1380013804' })).json.issues[0].code, 'phone_invalid_length');
    } finally {
      await server.stop();
    }
  });

  test('a bad number gets the core\'s codes and no code is sent; bodies other than { phone } / { phone, code } are refused', async () => {
    const server = await codeServer();
    try {
      const short = await post(server, '/phone-codes', { phone: '1380013800' });
      assert.equal(short.status, 422);
      assert.deepEqual(short.json.issues, [{ path: ['phone'], code: 'phone_invalid_length', params: { region: 'cn', expected: 11, length: 10 } }]);
      const foreign = await post(server, '/phone-codes', { phone: '+1 202 555 0143' });
      assert.equal(foreign.json.issues[0].code, 'phone_country_code_unsupported');
      const empty = await post(server, '/phone-codes', { phone: '' });
      assert.equal(empty.json.issues[0].code, 'phone_empty');
      assert.equal((await post(server, '/phone-codes', {})).json.issues[0].code, 'sync_field_missing');
      assert.deepEqual((await post(server, '/phone-codes', { phone: 13800138000 })).json.issues[0].path, ['phone']);
      assert.deepEqual((await post(server, '/phone-codes', { phone: '13800138051', code: '123456' })).json.issues[0].path, ['code']);
      assert.equal((await post(server, '/phone-codes/confirm', { phone: '13800138051' })).json.issues[0].code, 'sync_field_missing');
      const text = await fetch(`${server.api}/phone-codes`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
      assert.equal(text.status, 415);
      assert.equal((await fetch(`${server.api}/phone-codes`)).status, 405);
      // A number nobody sent a code to: expired (whether a code was sent to a number is not told apart).
      const none = await confirm(server, '13800138052', '123456');
      assert.deepEqual(none.json.issues, [{ path: ['code'], code: 'phone_code_expired', params: {} }]);
      assert.deepEqual(await outbox(server), [], 'nothing was sent');
    } finally {
      await server.stop();
    }
  });
});

describe('--require-phone-confirmation', () => {
  test('an unconfirmed phone is refused, a claim in the body is refused, one number\'s confirmation does not cover another, and a confirmation is used once', async () => {
    const server = await codeServer(['--require-phone-confirmation']);
    try {
      assert.equal((await get(server, '/policy', null)).json.phoneCodes.required, true);
      const refused = await register(server, 801, '13800138061');
      assert.equal(refused.status, 422, refused.text);
      assert.deepEqual(refused.json.issues, [{ path: ['form', 'phone'], code: 'phone_not_confirmed', params: {} }]);

      // A hostile client says it confirmed: refused, whatever it says and where.
      for (const [extra, path] of [
        [{ phoneConfirmed: true }, ['phoneConfirmed']],
        [{ phoneConfirmedAt: Date.now() }, ['phoneConfirmedAt']],
      ]) {
        const claimed = await register(server, 802, '13800138061', extra);
        assert.equal(claimed.status, 422);
        assert.deepEqual(claimed.json.issues.map((i) => [i.path, i.code]), [[path, 'sync_field_invalid']]);
      }
      const inForm = await registrationBody(server, 803, '13800138061');
      inForm.form.phoneConfirmed = true;
      const claimedInForm = await post(server, '/registrations', inForm);
      assert.deepEqual(claimedInForm.json.issues.map((i) => [i.path, i.code]), [[['form', 'phoneConfirmed'], 'sync_field_invalid']]);

      // A confirmation is for its number only.
      const a = await sendCode(server, '13800138062');
      assert.equal((await confirm(server, '13800138062', a.code)).status, 200);
      const other = await register(server, 804, '13800138063');
      assert.equal(other.status, 422);
      assert.equal(other.json.issues[0].code, 'phone_not_confirmed');
      // Nor does another number's code confirm it.
      const b = await sendCode(server, '13800138063');
      assert.equal((await confirm(server, '13800138063', a.code === b.code ? wrongOf(b.code) : a.code)).json.issues[0].code, 'phone_code_wrong');

      const body = await registrationBody(server, 805, '13800138062');
      const key = `k-${randomUUID()}`;
      const stored = await post(server, '/registrations', body, { key });
      assert.equal(stored.status, 201, stored.text);
      assert.equal(stored.json.phoneConfirmed, true);
      // The retry of that request replays its answer; the same registration under a new key answers 200 (its
      // confirmation is not taken twice).
      const replay = await post(server, '/registrations', body, { key });
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(replay.json.phoneConfirmed, true);
      const same = await post(server, '/registrations', body);
      assert.equal(same.status, 200);
      assert.equal((await get(server, `/registrations/${stored.json.id}`)).json.phoneConfirmed, true);
      // The used confirmation does not register anyone else.
      const reuse = await register(server, 806, '13800138062');
      assert.equal(reuse.status, 422);
      assert.equal(reuse.json.issues[0].code, 'phone_not_confirmed');
    } finally {
      await server.stop();
    }
  });

  test('needs a sender: the server refuses to start without one', async () => {
    const dataDir = await tempDir();
    const run = await runServerCommand(['--data-dir', dataDir, '--port', '0', '--require-phone-confirmation']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--require-phone-confirmation needs an SMS sender/);
    const file = await runServerCommand(['--data-dir', dataDir, '--port', '0', '--fault-control', '--sms-sender', 'file']);
    assert.notEqual(file.code, 0);
    assert.match(file.stderr, /--sms-outbox/);
    // Never on a server that is not a test server: the outbox keeps what the texts say the server never keeps.
    const production = await runServerCommand(['--data-dir', dataDir, '--port', '0', '--sms-sender', 'file', '--sms-outbox', join(dataDir, 'outbox.jsonl')]);
    assert.notEqual(production.code, 0);
    assert.match(production.stderr, /development and tests only, and needs --fault-control/);
    const help = await runServerCommand(['--help']);
    for (const name of ['--sms-sender', '--sms-outbox', '--require-phone-confirmation', '--phone-code-ttl-secs', 'SHIMING_REQUIRE_PHONE_CONFIRMATION', 'DEVELOPMENT AND TESTS ONLY']) {
      assert.ok(help.stdout.includes(name), `--help names ${name}`);
    }
  });

  test('the flags come from the environment too', async () => {
    const outbox = join(await tempDir(), 'outbox.jsonl');
    const server = await startRustServer({ env: { SHIMING_FAULT_CONTROL: 'true', SHIMING_SMS_SENDER: 'file', SHIMING_SMS_OUTBOX: outbox, SHIMING_REQUIRE_PHONE_CONFIRMATION: 'true' } });
    try {
      assert.equal((await get(server, '/policy', null)).json.phoneCodes.required, true);
    } finally {
      await server.stop();
    }
  });
});

test('without a sender (the default): 404 phone_codes_disabled, no phoneCodes in the policy, every phone unconfirmed', async () => {
  const server = await startRustServer();
  try {
    const res = await post(server, '/phone-codes', { phone: '13800138071' });
    assert.equal(res.status, 404);
    assert.deepEqual(res.json.issues, [{ path: [], code: 'phone_codes_disabled', params: {} }]);
    assert.equal((await post(server, '/phone-codes/confirm', { phone: '13800138071', code: '123456' })).json.issues[0].code, 'phone_codes_disabled');
    assert.equal('phoneCodes' in (await get(server, '/policy', null)).json, false);
    const reg = await register(server, 901, '13800138071');
    assert.equal(reg.status, 201);
    assert.equal(reg.json.phoneConfirmed, false);
    assert.equal((await get(server, `/registrations/${reg.json.id}`)).json.phoneConfirmed, false);
    // The claim is refused here too: only a server's record could ever say it.
    assert.equal((await register(server, 902, '13800138072', { phoneConfirmed: true })).status, 422);
  } finally {
    await server.stop();
  }
});

test('two instances on one PostgreSQL agree: a code sent by one is confirmed on the other, and its registration on the first is confirmed', { skip: POSTGRES_MISSING, timeout: 120_000 }, async () => {
  const pg = startPostgres();
  const keyFile = join(await tempDir(), 'keys.json');
  const outbox = join(await tempDir(), 'outbox.jsonl');
  const servers = [];
  try {
    const made = await runServerCommand(['keys', 'new', '--key-file', keyFile]);
    assert.equal(made.code, 0, made.stderr);
    const args = ['--database-url', pg.url, '--key-file', keyFile, '--fault-control', '--sms-sender', 'file', '--sms-outbox', outbox, '--require-phone-confirmation'];
    const adminToken = `admin-${randomUUID()}`;
    // One after the other: the first creates the schema.
    servers.push(Object.assign(await startRustServer({ adminToken, args }), { outbox }));
    servers.push(Object.assign(await startRustServer({ adminToken, args }), { outbox }));
    const [a, b] = servers;
    const phone = '13800138081';
    const { code } = await sendCode(a, phone);
    // The send limits are the database's: the other instance refuses a second code within the minute.
    assert.equal((await post(b, '/phone-codes', { phone })).status, 429);
    assert.equal((await confirm(b, phone, wrongOf(code))).json.issues[0].params.attemptsLeft, 4);
    assert.equal((await confirm(a, phone, wrongOf(code))).json.issues[0].params.attemptsLeft, 3);
    assert.equal((await confirm(b, phone, code)).status, 200);
    const reg = await register(a, 1001, phone);
    assert.equal(reg.status, 201, reg.text);
    assert.equal(reg.json.phoneConfirmed, true);
    const again = await register(b, 1002, phone);
    assert.equal(again.json.issues[0].code, 'phone_not_confirmed');
  } finally {
    for (const server of servers) await server.stop();
    stopPostgres(pg.dir);
  }
});

describe('an SMS gateway (--sms-sender http): a provider\'s HTTPS API by a JSON mapping, against a local stub', () => {
  test('the number and the code go to the configured gateway with its secret header from the environment; the code confirms; a gateway that does not confirm is a 503; a gateway no current text names is refused at start', async () => {
    const { startVerifyStub } = await import('./support/verify-stub.mjs');
    const { documentsDeclaring } = await import('./accounts.mjs');
    const stub = await startVerifyStub({ requireHeaders: { authorization: 'Bearer sms-secret-token' } });
    const dir = await tempDir();
    const config = join(dir, 'sms.json');
    const recipient = 'Example SMS Co.';
    await writeFile(config, JSON.stringify({
      recipient,
      url: `${stub.url}/v1/send`,
      headers: { Authorization: 'Bearer ${EXAMPLE_SMS_TOKEN}' },
      body: { mobile: '{{phone}}', content: '{{text}}', tpl: { code: '{{code}}' } },
      success: { pointer: '/code', values: ['OK'] },
      timeoutMs: 3000,
    }));
    const env = { EXAMPLE_SMS_TOKEN: 'sms-secret-token' };
    // Not declared: the gateway is a third party the texts must name.
    const refused = await runServerCommand(['--data-dir', dir, '--admin-token', 'a-token', '--port', '0', '--sms-sender', 'http', '--sms-http-config', config], { env });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /recipient:Example SMS Co\./);
    assert.equal(refused.stderr.includes('sms-secret-token'), false);

    const documents = await documentsDeclaring([`recipient:${recipient}`]);
    dirs.push(documents);
    const server = await startRustServer({ quiet: false, args: ['--sms-sender', 'http', '--sms-http-config', config, '--documents-dir', documents], env });
    try {
      stub.addRule({ match: '13800138111', status: 200, body: { code: 'OK' } });
      stub.addRule({ match: '13800138112', status: 200, body: { code: 'QUOTA_EXCEEDED' } });
      const sent = await post(server, '/phone-codes', { phone: '13800138111' });
      assert.equal(sent.status, 202, sent.text);
      const request = stub.requests.find((r) => r.body.includes('13800138111'));
      assert.equal(request.headers.authorization, 'Bearer sms-secret-token');
      const body = JSON.parse(request.body);
      assert.equal(body.mobile, '13800138111');
      assert.match(body.tpl.code, /^\d{6}$/);
      assert.ok(body.content.includes(body.tpl.code), 'the text carries the code');
      assert.equal((await confirm(server, '13800138111', body.tpl.code)).status, 200);
      const registered = await register(server, 901, '13800138111');
      assert.deepEqual([registered.status, registered.json.phoneConfirmed], [201, true]);

      const unconfirmed = await post(server, '/phone-codes', { phone: '13800138112' });
      assert.equal(unconfirmed.status, 503, unconfirmed.text);
      assert.ok(Number(unconfirmed.headers.get('retry-after')) >= 1);
      const log = server.log();
      for (const value of ['sms-secret-token', body.tpl.code, '13800138111', '13800138112']) assert.equal(log.includes(value), false, 'nothing of the message or the secret in the log');
    } finally {
      await server.stop();
      await stub.close();
    }
  });
});
