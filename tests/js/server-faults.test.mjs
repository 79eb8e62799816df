// Fault tests of the Rust reference server (server/, `shiming-server`, issue 13): what a 2xx promises ("never a 2xx
// before the commit is durable"; a write that cannot be committed is 503 with Retry-After, reads keep working, the
// server recovers by itself: docs/protocol.md, section 1 and the checklist) under a crash, a full disk, a failed
// deletion and two instances racing on one PostgreSQL, and that records and idempotency replays survive restarts.
// The conformance suite leaves these to the server (they need its process, its disk and its database).
//
// Each test is independent: its own data directory, tmpfs or PostgreSQL cluster. The binary is SHIMING_SERVER_BIN
// (else target/debug/shiming-server, see server.mjs). The tmpfs tests need root (mount); the PostgreSQL test needs
// Debian's postgresql (scripts/pg.sh); each skips, saying why, without them.
// Test data: generateTestId numbers and made-up names and phone numbers only, never real people.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import { importPkg } from './support.mjs';
import { POSTGRES_MISSING, runServerCommand, startPostgres, startRustServer, stopPostgres } from './server.mjs';
import { call, callWithRetry, documentsOf, listAll, makeJobs, retry } from './server-client.mjs';

const shiming = await importPkg('node.js');

// ---- helpers ---------------------------------------------------------------------------------------------------------

const NO_RATE_LIMIT = ['--write-rate', '0'];
const adminToken = () => `admin-${randomBytes(16).toString('hex')}`;
const ok = (res) => res.status >= 200 && res.status < 300;

async function tempDir(prefix = 'shiming-faults-') {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Asserts an answer is the storage-failure answer: 503 `sync_unavailable` with a whole-seconds `Retry-After`. */
function assertUnavailable(res, what) {
  assert.equal(res.status, 503, `${what}: expected 503, got ${res.status} ${res.text}`);
  assert.match(String(res.headers['retry-after'] ?? ''), /^[1-9]\d*$/, `${what}: 503 without Retry-After`);
  assert.deepEqual(res.json?.issues?.map((i) => i.code), ['sync_unavailable'], `${what}: ${res.text}`);
}

/** Asserts that a replay of an acknowledged request gives the same answer (status and body), marked as a replay. */
function assertReplay(replay, original, what) {
  assert.equal(replay.status, original.status, `${what}: replay status ${replay.status} ${replay.text}`);
  assert.equal(replay.headers['idempotent-replayed'], 'true', `${what}: not marked as a replay`);
  assert.deepEqual(replay.json, original.json, `${what}: the replay differs from the acknowledged answer`);
}

/** The listing's rows by registrationId, asserting that no registrationId (nor server id) appears twice. */
function byRegistrationId(rows) {
  const map = new Map();
  for (const row of rows) {
    assert.ok(!map.has(row.registrationId), `registrationId ${row.registrationId} is stored twice`);
    map.set(row.registrationId, row);
  }
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'a server id appears twice in the listing');
  return map;
}

function assertNoPanic(server) {
  assert.doesNotMatch(server.log(), /panicked|thread '.*' panicked/, 'the server panicked');
}

/** Sends a job's two requests once each, in order; the consents' and the registration's answers (or errors). */
async function sendOnce(base, job) {
  const out = { consents: null, registration: null };
  try {
    out.consents = await call(base, 'POST', '/api/consents', { raw: job.consentsBody, key: job.consentsKey });
  } catch (error) {
    out.consents = { error };
    return out;
  }
  if (!ok(out.consents)) return out;
  try {
    out.registration = await call(base, 'POST', '/api/registrations', { raw: job.registrationBody, key: job.registrationKey });
  } catch (error) {
    out.registration = { error };
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool(items, limit, fn) {
  let next = 0;
  const results = new Array(items.length);
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

// ---- tmpfs (root only) -----------------------------------------------------------------------------------------------

/** Why the tmpfs tests cannot run here (a string), or false. */
function tmpfsUnavailable() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root, to mount a small tmpfs';
  const dir = join(tmpdir(), `shiming-tmpfs-probe-${process.pid}`);
  try {
    execFileSync('mkdir', ['-p', dir]);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { encoding: 'utf8' });
    if (mounted.status !== 0) return `cannot mount a tmpfs here: ${(mounted.stderr || mounted.error?.message || '').trim()}`;
    spawnSync('umount', [dir]);
    return false;
  } finally {
    spawnSync('rmdir', [dir]);
  }
}
const NO_TMPFS = tmpfsUnavailable();

function mountTmpfs(dir, sizeK) {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeK}k,mode=0700`, 'tmpfs', dir]);
}
function resizeTmpfs(dir, sizeK) {
  execFileSync('mount', ['-o', `remount,size=${sizeK}k`, dir]);
}
function unmount(dir) {
  // Lazy, so that a server that is somehow still running cannot keep the test from cleaning up.
  spawnSync('umount', ['-l', dir]);
}

/** Fills the file system of `dir` to the last byte with `dir/filler`; returns its path. */
function fill(dir) {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  try {
    for (const size of [256 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if (error.code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

/** The size in bytes of the SQLite write-ahead log in `dir` (0 when there is none). */
function walBytes(dir) {
  try {
    return statSync(join(dir, 'shiming.sqlite3-wal')).size;
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
}

// ---- PostgreSQL --------------------------------------------------------------------------------------------------------

// The cluster helpers and POSTGRES_MISSING are in server.mjs (shared with the other server tests).

// ---- a. kill -9 during a burst ---------------------------------------------------------------------------------------

test('kill -9 during a burst of 300 registrations (SQLite): every acknowledged write is stored once, the rest finish with their keys after a restart', { timeout: 180_000 }, async (t) => {
  const N = 300;
  const dataDir = await tempDir();
  const token = adminToken();
  let server = await startRustServer({ dataDir, adminToken: token, args: NO_RATE_LIMIT });
  try {
    const documents = await documentsOf(server.base);
    const jobs = makeJobs(shiming, documents, N, { tag: 'kill' });
    const acked = { consents: new Map(), registration: new Map() };
    const refused = [];
    const killAt = Math.floor(N / 3);
    let killed = null;
    const first = server;
    await Promise.all(
      jobs.map(async (job) => {
        const out = await sendOnce(first.base, job);
        for (const [stage, res] of Object.entries(out)) {
          if (!res || res.error) continue;
          if (ok(res)) acked[stage].set(job.n, res);
          else refused.push({ stage, res });
        }
        if (acked.registration.size >= killAt && !killed) killed = first.kill();
      }),
    );
    assert.ok(killed, `the server was not killed: only ${acked.registration.size} registrations were acknowledged`);
    const { signal } = await killed;
    assert.equal(signal, 'SIGKILL');
    const unfinished = jobs.filter((j) => !acked.registration.has(j.n));
    assert.ok(unfinished.length > 0, 'the kill came after the burst: nothing was in flight');
    t.diagnostic(`at the kill: ${acked.consents.size} consents and ${acked.registration.size} registrations acknowledged, ${unfinished.length} registrations unfinished`);
    for (const { stage, res } of refused) assertUnavailable(res, `${stage} during the burst`);
    assertNoPanic(first);

    // Restart on the same data directory; every request again with its key, until it succeeds.
    server = await startRustServer({ dataDir, adminToken: token, args: NO_RATE_LIMIT });
    const finals = await pool(jobs, 64, async (job) => {
      const consents = await callWithRetry(server.base, 'POST', '/api/consents', { raw: job.consentsBody, key: job.consentsKey });
      assert.ok(ok(consents), `consents of job ${job.n} after the restart: ${consents.status} ${consents.text}`);
      const registration = await callWithRetry(server.base, 'POST', '/api/registrations', { raw: job.registrationBody, key: job.registrationKey });
      assert.ok(ok(registration), `registration of job ${job.n} after the restart: ${registration.status} ${registration.text}`);
      if (acked.consents.has(job.n)) assertReplay(consents, acked.consents.get(job.n), `consents of job ${job.n}`);
      if (acked.registration.has(job.n)) assertReplay(registration, acked.registration.get(job.n), `registration of job ${job.n}`);
      assert.equal(registration.json.registrationId, job.registrationId);
      assert.match(registration.json.accountToken ?? '', /^at_[A-Za-z0-9_-]{43}$/);
      return registration.json;
    });

    const rows = byRegistrationId(await listAll(server.base, token));
    assert.equal(rows.size, N, `${rows.size} registrations stored, expected ${N}`);
    for (const [i, job] of jobs.entries()) {
      const row = rows.get(job.registrationId);
      assert.ok(row, `job ${job.n} (${acked.registration.has(job.n) ? 'acknowledged' : 'retried'}) is not stored`);
      assert.equal(row.id, finals[i].id, `job ${job.n}: the listing and the answer disagree on the id`);
      assert.deepEqual(row.consents, job.receiptIds);
    }
    assertNoPanic(server);
  } finally {
    await server.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
});

// ---- b. full disk ------------------------------------------------------------------------------------------------------

test('full disk (SQLite on a small tmpfs): every failed write is 503 with Retry-After, reads work, nothing acknowledged is lost, it recovers by itself when space returns', { skip: NO_TMPFS, timeout: 180_000 }, async (t) => {
  const dir = await tempDir();
  mountTmpfs(dir, 512);
  const token = adminToken();
  let server = null;
  try {
    server = await startRustServer({ dataDir: dir, adminToken: token, args: NO_RATE_LIMIT });
    const documents = await documentsOf(server.base);
    const jobs = makeJobs(shiming, documents, 400, { tag: 'full' });
    const acked = new Map(); // job.n → the registration's answer
    const ackedConsents = new Map();
    const failed = []; // { job, stage, res }
    const answers = [];
    let used = 0;
    let failures = 0;
    // Register one at a time until writes fail, then a few more to see that they keep failing cleanly.
    for (const job of jobs) {
      used += 1;
      const out = await sendOnce(server.base, job);
      for (const [stage, res] of Object.entries(out)) {
        if (!res) continue;
        assert.ok(!res.error, `${stage} of job ${job.n}: no answer (${res.error?.code ?? res.error?.message}); the server crashed?`);
        answers.push({ stage, res });
        if (ok(res)) (stage === 'consents' ? ackedConsents : acked).set(job.n, res);
        else failed.push({ job, stage, res });
      }
      if (!ok(out.consents) || !ok(out.registration)) failures += 1;
      if (failures >= 6) break;
    }
    assert.ok(failed.length > 0, `${used} registrations fit on the tmpfs: it is too large for this test`);
    assert.ok(acked.size > 0, 'not even one registration fit: the tmpfs is too small for this test');
    for (const { stage, res, job } of failed) assertUnavailable(res, `${stage} of job ${job.n} on a full disk`);

    // Reads keep working, and hold everything acknowledged.
    const policy = await call(server.base, 'GET', '/api/policy');
    assert.equal(policy.status, 200, `GET /api/policy on a full disk: ${policy.status}`);
    let rows = byRegistrationId(await listAll(server.base, token, { retryOptions: { attempts: 1 } }));
    const firstFailure = Math.min(...failed.map((f) => f.job.n));
    const lost = jobs.filter((j) => acked.has(j.n) && rows.get(j.registrationId)?.id !== acked.get(j.n).json.id);
    assert.equal(
      lost.length,
      0,
      `jobs ${lost.slice(0, 8).map((j) => j.n).join(', ')}${lost.length > 8 ? ', …' : ''}: ${lost.length} of ${acked.size} acknowledged registrations (201) are not stored; ` +
        `${lost.filter((j) => j.n > firstFailure).length} of them were acknowledged after the first failed write (job ${firstFailure}); ` +
        `the listing holds ${rows.size}`,
    );
    t.diagnostic(`${acked.size} registrations fit before the disk was full; ${failed.length} writes failed (503)`);
    const sample = acked.get(jobs.find((j) => acked.has(j.n)).n).json;
    const own = await call(server.base, 'GET', `/api/registrations/${sample.id}`, { token: sample.accountToken });
    assert.equal(own.status, 200, `GET own account on a full disk: ${own.status} ${own.text}`);
    // Still full: a write still fails cleanly.
    const again = failed[0];
    const stillFull = await call(server.base, 'POST', again.stage === 'consents' ? '/api/consents' : '/api/registrations', {
      raw: again.stage === 'consents' ? again.job.consentsBody : again.job.registrationBody,
      key: again.stage === 'consents' ? again.job.consentsKey : again.job.registrationKey,
    });
    assertUnavailable(stillFull, 'a retry while the disk is still full');

    // Room again, no restart: the failed requests succeed when retried with their keys, new ones too.
    resizeTmpfs(dir, 16 * 1024);
    const retried = [...new Set(failed.map((f) => f.job))];
    await pool(retried, 8, async (job) => {
      const consents = await callWithRetry(server.base, 'POST', '/api/consents', { raw: job.consentsBody, key: job.consentsKey }, { attempts: 10 });
      assert.ok(ok(consents), `consents of job ${job.n} after space returned: ${consents.status} ${consents.text}`);
      if (ackedConsents.has(job.n)) assertReplay(consents, ackedConsents.get(job.n), `consents of job ${job.n}`);
      const registration = await callWithRetry(server.base, 'POST', '/api/registrations', { raw: job.registrationBody, key: job.registrationKey }, { attempts: 10 });
      assert.ok(ok(registration), `registration of job ${job.n} after space returned: ${registration.status} ${registration.text}`);
      acked.set(job.n, registration);
    });
    const fresh = jobs[used];
    const freshOut = await sendOnce(server.base, fresh);
    assert.equal(freshOut.consents.status, 201, `a new consent after space returned: ${freshOut.consents.status} ${freshOut.consents.text}`);
    assert.equal(freshOut.registration?.status, 201, `a new registration after space returned: ${freshOut.registration?.status} ${freshOut.registration?.text}`);
    acked.set(fresh.n, freshOut.registration);

    const expected = jobs.filter((j) => acked.has(j.n));
    const check = async (label) => {
      rows = byRegistrationId(await listAll(server.base, token));
      assert.equal(rows.size, expected.length, `${label}: ${rows.size} stored, ${expected.length} acknowledged`);
      for (const job of expected) {
        assert.equal(rows.get(job.registrationId)?.id, acked.get(job.n).json.id, `${label}: job ${job.n}`);
      }
    };
    await check('after space returned');
    assertNoPanic(server);

    // A crash and a restart: everything acknowledged is still there, and replays answer the same.
    await server.kill();
    server = await startRustServer({ dataDir: dir, adminToken: token, args: NO_RATE_LIMIT });
    await check('after a restart');
    for (const job of expected) {
      const replay = await call(server.base, 'POST', '/api/registrations', { raw: job.registrationBody, key: job.registrationKey });
      assertReplay(replay, acked.get(job.n), `registration of job ${job.n} after the restart`);
    }
  } finally {
    await server?.kill();
    unmount(dir);
    await rm(dir, { recursive: true, force: true });
  }
});

// ---- c. a failed deletion ----------------------------------------------------------------------------------------------

test('a deletion the disk cannot commit answers 503 and leaves the account whole; once space returns, a retry deletes it for good', { skip: NO_TMPFS, timeout: 120_000 }, async () => {
  const dir = await tempDir();
  mountTmpfs(dir, 4 * 1024);
  const token = adminToken();
  let server = null;
  try {
    server = await startRustServer({ dataDir: dir, adminToken: token, args: NO_RATE_LIMIT });
    const documents = await documentsOf(server.base);
    const jobs = makeJobs(shiming, documents, 4, { tag: 'del' });
    const answers = [];
    for (const job of jobs) {
      const out = await sendOnce(server.base, job);
      assert.equal(out.consents.status, 201, out.consents.text);
      assert.equal(out.registration.status, 201, out.registration.text);
      answers.push(out);
    }
    const [gone, ...kept] = jobs.slice(0, 3);
    const account = answers[0].registration.json;

    // A full disk stops a commit only when the commit needs space the disk has not got. SQLite's write-ahead log keeps
    // its size when the server's checkpointer has copied it into the database: the next transaction writes over the
    // log from its start, in space already allocated, so a small deletion on a "full" disk can commit, durably, and
    // 204 is then the right answer (this test failed so, now and then, when the checkpointer ran between the last
    // registration and the fill). A deletion that is answered truncates the log to nothing (the server's checkpoint
    // after a deletion): delete a fourth account first, so that the log is empty when the disk is filled and any
    // commit needs a new page.
    const primed = await call(server.base, 'DELETE', `/api/registrations/${answers[3].registration.json.id}`, { token });
    assert.equal(primed.status, 204, `DELETE of a fourth account, with space: ${primed.status} ${primed.text}`);

    const filler = fill(dir);
    assert.equal(walBytes(dir), 0, 'the write-ahead log is not empty on the full disk: the deletion might commit into its allocated space');
    const first = await call(server.base, 'DELETE', `/api/registrations/${account.id}`, { token });
    assertUnavailable(first, 'DELETE on a full disk');
    const second = await call(server.base, 'DELETE', `/api/registrations/${account.id}`, { token: account.accountToken });
    assertUnavailable(second, 'DELETE again (with the account token) on a full disk');

    // An admin's read cannot be recorded in the audit log on a full disk, so it is refused: no admin access goes
    // unrecorded.
    assertUnavailable(await call(server.base, 'GET', `/api/registrations/${account.id}`, { token }), 'an admin read on a full disk');
    // The account is whole: its row, its receipts, its token (the account's own reads are not admin actions).
    const row = await call(server.base, 'GET', `/api/registrations/${account.id}`, { token: account.accountToken });
    assert.equal(row.status, 200, `GET the account after the failed deletion: ${row.status} ${row.text}`);
    assert.equal(row.json.registrationId, gone.registrationId);
    assert.deepEqual(row.json.consents, gone.receiptIds);
    const consents = await call(server.base, 'GET', `/api/registrations/${account.id}/consents`, { token: account.accountToken });
    assert.equal(consents.status, 200, consents.text);
    assert.deepEqual(consents.json.consents.map((c) => c.receiptId), gone.receiptIds);
    const replayBefore = await call(server.base, 'POST', '/api/registrations', { raw: gone.registrationBody, key: gone.registrationKey });
    assertReplay(replayBefore, answers[0].registration, 'the registration\'s replay after the failed deletion');

    // Space again: the retry deletes it, for good.
    await rm(filler);
    const retried = await callWithRetry(server.base, 'DELETE', `/api/registrations/${account.id}`, { token }, { attempts: 10 });
    assert.equal(retried.status, 204, `DELETE after space returned: ${retried.status} ${retried.text}`);
    const after = await call(server.base, 'GET', `/api/registrations/${account.id}`, { token });
    assert.equal(after.status, 404, `GET the account after its DELETE answered 204: ${after.status} (the deletion was acknowledged but not stored)`);
    const afterConsents = await call(server.base, 'GET', `/api/registrations/${account.id}/consents`, { token });
    assert.equal(afterConsents.status, 404, `GET its consents after the DELETE answered 204: ${afterConsents.status}`);
    const afterToken = await call(server.base, 'GET', `/api/registrations/${account.id}`, { token: account.accountToken });
    assert.equal(afterToken.status, 401, `its old account token after the DELETE answered 204: ${afterToken.status}`);
    const replay = await call(server.base, 'POST', '/api/registrations', { raw: gone.registrationBody, key: gone.registrationKey });
    assert.equal(replay.status, 410, `the original registration request after the deletion: ${replay.status} ${replay.text}`);
    assert.deepEqual(replay.json.issues.map((i) => i.code), ['sync_account_deleted']);
    const consentsReplay = await call(server.base, 'POST', '/api/consents', { raw: gone.consentsBody, key: gone.consentsKey });
    assert.equal(consentsReplay.status, 410, `the original consents request after the deletion: ${consentsReplay.status} ${consentsReplay.text}`);

    const rows = byRegistrationId(await listAll(server.base, token));
    assert.deepEqual([...rows.keys()].sort(), kept.map((j) => j.registrationId).sort());
    assertNoPanic(server);

    // After a crash and a restart, it stays deleted.
    await server.kill();
    server = await startRustServer({ dataDir: dir, adminToken: token, args: NO_RATE_LIMIT });
    assert.equal((await call(server.base, 'GET', `/api/registrations/${account.id}`, { token })).status, 404);
    const afterRestart = await call(server.base, 'POST', '/api/registrations', { raw: gone.registrationBody, key: gone.registrationKey });
    assert.equal(afterRestart.status, 410, afterRestart.text);
    assert.deepEqual([...byRegistrationId(await listAll(server.base, token)).keys()].sort(), kept.map((j) => j.registrationId).sort());
  } finally {
    await server?.kill();
    unmount(dir);
    await rm(dir, { recursive: true, force: true });
  }
});

// ---- d. two instances on one PostgreSQL ----------------------------------------------------------------------------------

test('two instances on one PostgreSQL under faults, 1,000 registrations whose retries alternate between them: exactly 1,000 stored, none twice', { skip: POSTGRES_MISSING, timeout: 240_000 }, async (t) => {
  const N = 1000;
  const pg = startPostgres();
  const keyDir = await tempDir();
  const keyFile = join(keyDir, 'keys.json');
  const token = adminToken();
  const servers = [];
  try {
    const made = await runServerCommand(['keys', 'new', '--key-file', keyFile]);
    assert.equal(made.code, 0, made.stderr);
    const common = ['--database-url', pg.url, '--key-file', keyFile, ...NO_RATE_LIMIT];
    const faults = ['--fault-fail', '20%', '--fault-drop', '10%', '--fault-delay', '10%', '--fault-delay-ms', '20'];
    // One after the other: the first creates the schema.
    servers.push(await startRustServer({ adminToken: token, args: [...common, ...faults, '--fault-seed', '11'] }));
    servers.push(await startRustServer({ adminToken: token, args: [...common, ...faults, '--fault-seed', '22'] }));
    const bases = servers.map((s) => s.base);

    const documents = await documentsOf(bases[0]);
    const jobs = makeJobs(shiming, documents, N, { tag: 'pg' });
    const stats = { attempts: 0, errors: 0, replays: 0, statuses: {} };
    const send = (job, path, raw, key) =>
      retry(
        (attempt) => {
          stats.attempts += 1;
          // Each job starts on one instance (alternating by job), and each retry goes to the other one.
          return call(bases[(job.n + attempt) % 2], 'POST', path, { raw, key });
        },
        { attempts: 60 },
      );
    const finals = await pool(jobs, 48, async (job) => {
      const consents = await send(job, '/api/consents', job.consentsBody, job.consentsKey);
      const registration = await send(job, '/api/registrations', job.registrationBody, job.registrationKey);
      for (const res of [consents, registration]) {
        for (const h of res.history) {
          if (h.error) stats.errors += 1;
          else stats.statuses[h.status] = (stats.statuses[h.status] ?? 0) + 1;
          if (h.replayed) stats.replays += 1;
        }
      }
      assert.ok(ok(consents), `consents of job ${job.n}: ${consents.status} ${consents.text}`);
      assert.ok(ok(registration), `registration of job ${job.n}: ${registration.status} ${registration.text}`);
      assert.equal(registration.json.registrationId, job.registrationId);
      return registration.json;
    });
    t.diagnostic(`${stats.attempts} attempts for ${2 * N} requests: ${stats.errors} dropped connections, ${stats.replays} replays, statuses ${JSON.stringify(stats.statuses)}`);
    // The faults did happen (otherwise this test proves nothing).
    assert.ok(stats.errors > 0, `no dropped connection in ${stats.attempts} attempts`);
    assert.ok(stats.replays > 0, 'no retry was answered by a replay');
    assert.ok((stats.statuses[500] ?? 0) + (stats.statuses[503] ?? 0) > 0, 'no injected failure');
    const unexpected = Object.keys(stats.statuses).filter((s) => !['200', '201', '500', '503'].includes(s));
    assert.deepEqual(unexpected, [], `unexpected statuses: ${JSON.stringify(stats.statuses)}`);

    // A third instance without faults reads the result.
    const reader = await startRustServer({ adminToken: token, args: common });
    servers.push(reader);
    const rows = byRegistrationId(await listAll(reader.base, token));
    assert.equal(rows.size, N, `${rows.size} registrations stored, expected ${N}`);
    for (const [i, job] of jobs.entries()) {
      const row = rows.get(job.registrationId);
      assert.ok(row, `job ${job.n} is not stored`);
      assert.equal(row.id, finals[i].id, `job ${job.n}: the listing and the answer disagree on the id`);
      assert.deepEqual(row.consents, job.receiptIds);
    }
    for (const s of servers) assertNoPanic(s);
  } finally {
    for (const s of servers) await s.kill();
    stopPostgres(pg.dir);
    await rm(keyDir, { recursive: true, force: true });
  }
});

// ---- e. restart durability and replay ----------------------------------------------------------------------------------

test('records and idempotency replays survive a restart (SIGTERM, then SIGKILL) (SQLite)', { timeout: 120_000 }, async () => {
  const dataDir = await tempDir();
  const token = adminToken();
  let server = await startRustServer({ dataDir, adminToken: token, args: NO_RATE_LIMIT });
  try {
    const documents = await documentsOf(server.base);
    const jobs = makeJobs(shiming, documents, 12, { tag: 'restart' });
    const answers = await pool(jobs, 4, (job) => sendOnce(server.base, job));
    for (const out of answers) {
      assert.equal(out.consents.status, 201, out.consents.text);
      assert.equal(out.registration.status, 201, out.registration.text);
    }
    // One account is cancelled before the restarts.
    const gone = jobs[0];
    const goneAccount = answers[0].registration.json;
    assert.equal((await call(server.base, 'DELETE', `/api/registrations/${goneAccount.id}`, { token: goneAccount.accountToken })).status, 204);
    const kept = jobs.slice(1);
    // A rejected request's answer is remembered too.
    const rejectedKey = `k-restart-rejected-${randomBytes(8).toString('hex')}`;
    const rejectedBody = Buffer.from(JSON.stringify({ registrationId: 'reg-restart-rejected', form: {}, consents: [] }));
    const rejected = await call(server.base, 'POST', '/api/registrations', { raw: rejectedBody, key: rejectedKey });
    assert.equal(rejected.status, 422, rejected.text);

    const verify = async (label) => {
      const rows = byRegistrationId(await listAll(server.base, token));
      assert.deepEqual([...rows.keys()].sort(), kept.map((j) => j.registrationId).sort(), label);
      for (const [i, job] of jobs.entries()) {
        if (job === gone) continue;
        const { consents, registration } = answers[i];
        assert.equal(rows.get(job.registrationId).id, registration.json.id, `${label}: job ${job.n}`);
        const c = await call(server.base, 'POST', '/api/consents', { raw: job.consentsBody, key: job.consentsKey });
        assertReplay(c, consents, `${label}: consents of job ${job.n}`);
        const r = await call(server.base, 'POST', '/api/registrations', { raw: job.registrationBody, key: job.registrationKey });
        assertReplay(r, registration, `${label}: registration of job ${job.n}`);
        const own = await call(server.base, 'GET', `/api/registrations/${registration.json.id}`, { token: registration.json.accountToken });
        assert.equal(own.status, 200, `${label}: the account token of job ${job.n}: ${own.status}`);
        const receipts = await call(server.base, 'GET', `/api/registrations/${registration.json.id}/consents`, { token: registration.json.accountToken });
        assert.deepEqual(receipts.json.consents.map((x) => x.receiptId), job.receiptIds, label);
      }
      // The same key with another body: reused, not replayed.
      const reused = await call(server.base, 'POST', '/api/registrations', { raw: kept[0].consentsBody, key: kept[0].registrationKey });
      assert.equal(reused.status, 422, `${label}: ${reused.text}`);
      assert.deepEqual(reused.json.issues.map((x) => x.code), ['sync_idempotency_key_reused']);
      const rejectedAgain = await call(server.base, 'POST', '/api/registrations', { raw: rejectedBody, key: rejectedKey });
      assertReplay(rejectedAgain, rejected, `${label}: the rejected request`);
      // The cancelled account stays cancelled.
      assert.equal((await call(server.base, 'GET', `/api/registrations/${goneAccount.id}`, { token })).status, 404, label);
      const goneReplay = await call(server.base, 'POST', '/api/registrations', { raw: gone.registrationBody, key: gone.registrationKey });
      assert.equal(goneReplay.status, 410, `${label}: ${goneReplay.text}`);
    };

    await verify('before any restart');
    await server.stop();
    server = await startRustServer({ dataDir, adminToken: token, args: NO_RATE_LIMIT });
    await verify('after SIGTERM and a restart');
    await server.kill();
    server = await startRustServer({ dataDir, adminToken: token, args: NO_RATE_LIMIT });
    await verify('after SIGKILL and a restart');
    // And it still takes new registrations.
    const [extra] = makeJobs(shiming, documents, 1, { tag: 'restart-extra', firstSeed: 5000 });
    const out = await sendOnce(server.base, extra);
    assert.equal(out.registration?.status, 201, out.registration?.text);
    assertNoPanic(server);
  } finally {
    await server.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
});
