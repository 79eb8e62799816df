// The Rust server (server/, shiming-server) as a process, beyond the protocol (the conformance suite covers that):
// encryption at rest proven on the raw bytes of the SQLite file and its WAL and of a pg_dump, deletion that removes
// the bytes, keys (creation, rotation, the wrong keys refused), the admin token, start-up errors, logs without
// personal data, static files that never leave their mounts.
//
// Test data: generateTestId numbers, a made-up name and the customary sample number 13800138000.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { importPkg, repoRoot } from './support.mjs';
import { POSTGRES_MISSING, runServerCommand, startPostgres, startRustServer, stopPostgres } from './server.mjs';
import { GUARDIAN, NAME, PHONE, get, post, register } from './accounts.mjs';

const shiming = await importPkg('node.js');
const consent = await importPkg('consent-node.js');

const ADULT = ['service_agreement', 'privacy_policy', 'sensitive_pi'];

const dirs = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'shiming-server-js-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A raw GET: the path and the Host header exactly as given (fetch normalises both). */
function rawGet(base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A request's status, headers and raw body (never decompressed, unlike fetch's). */
function rawRequest(base, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every encoding a value could be found in: UTF-8, UTF-16LE, hex and base64 of the UTF-8. */
function encodings(text) {
  const utf8 = Buffer.from(text, 'utf8');
  return [utf8, Buffer.from(text, 'utf16le'), Buffer.from(utf8.toString('hex')), Buffer.from(utf8.toString('base64').replace(/=+$/, ''))];
}

function assertAbsent(bytes, values, where) {
  for (const value of values) {
    for (const encoded of encodings(value)) {
      assert.equal(bytes.indexOf(encoded), -1, `${where} holds a personal value (${encoded.length} bytes) in one of its encodings`);
    }
  }
}

async function sqliteBytes(dataDir) {
  const parts = [];
  for (const file of ['shiming.sqlite3', 'shiming.sqlite3-wal']) {
    if (existsSync(join(dataDir, file))) parts.push(await readFile(join(dataDir, file)));
  }
  return Buffer.concat(parts);
}

describe('encrypted at rest (SQLite)', () => {
  test('after registrations, neither the database file nor its WAL holds a name, a number or a phone in any encoding', async () => {
    const dataDir = await tempDir();
    const server = await startRustServer({ dataDir });
    const people = [];
    try {
      for (let seed = 1; seed <= 3; seed += 1) people.push(await register(server, 100 + seed, { phone: `1380013800${seed}` }));
      // A child with a guardian: the guardian's details are stored too, encrypted.
      const guardian = { ...GUARDIAN, idNumber: shiming.generateTestId({ seed: 150, birthDate: '1978-03-09' }) };
      people.push(await register(server, 104, { phone: '13800138004', guardian }));
      // The listing shows them masked, so the server can read what it stored.
      const listing = await get(server, '/registrations');
      assert.equal(listing.status, 200);
      assert.equal(listing.json.registrations.length, 4);
      for (const row of listing.json.registrations) {
        assert.equal(row.name, '欧**试');
        assert.match(row.idNumber, /^\d{4}\*{10}\d{3}[\dX]$/);
      }
      const child = listing.json.registrations.find((r) => r.guardian);
      assert.deepEqual(child.guardian, { name: shiming.maskName(GUARDIAN.name), idNumber: shiming.maskId(guardian.idNumber), phone: shiming.maskPhone(`+86${GUARDIAN.phone}`), relation: 'parent' });
      const bytes = await sqliteBytes(dataDir);
      assert.ok(bytes.length > 0);
      assertAbsent(bytes, [NAME, ...people.flatMap((p) => [p.idNumber, p.idNumber.slice(0, 17)]), '13800138001', '+8613800138001'], 'the SQLite files');
      assertAbsent(bytes, [GUARDIAN.name, guardian.idNumber, guardian.idNumber.slice(0, 17), GUARDIAN.phone, `+86${GUARDIAN.phone}`], 'the SQLite files (the guardian)');
      // The token is stored hashed only.
      assertAbsent(bytes, [people[0].accountToken], 'the SQLite files');
    } finally {
      await server.stop();
    }
    // And after a clean stop (the WAL checkpointed into the file).
    assertAbsent(await sqliteBytes(dataDir), [NAME, people[0].idNumber, '13800138001'], 'the SQLite files after a stop');
  });

  test('deletion removes the rows from the bytes of the files (secure_delete, the WAL truncated), and a restart keeps it deleted', async () => {
    const dataDir = await tempDir();
    let server = await startRustServer({ dataDir });
    let kept;
    let gone;
    try {
      kept = await register(server, 201);
      // The deleted account is a child's: its guardian's (encrypted) details go with it.
      gone = await register(server, 202, { guardian: { ...GUARDIAN, idNumber: shiming.generateTestId({ seed: 250, birthDate: '1979-08-21' }) } });
      let bytes = await sqliteBytes(dataDir);
      // Row markers that are not personal but live in the same rows as the encrypted values.
      const markers = [gone.registrationId, ...gone.receipts.map((r) => r.consentReceiptID), gone.receipts[0].digest, gone.receipts[0].guardianId];
      for (const marker of markers) assert.notEqual(bytes.indexOf(Buffer.from(marker)), -1, 'the registration is on disk before');
      const res = await fetch(`${server.api}/registrations/${gone.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${gone.accountToken}` } });
      assert.equal(res.status, 204);
      bytes = await sqliteBytes(dataDir);
      for (const marker of markers) assert.equal(bytes.indexOf(Buffer.from(marker)), -1, 'a deleted row\'s bytes are still in the files');
      assert.notEqual(bytes.indexOf(Buffer.from(kept.registrationId)), -1, 'the other account is untouched');
    } finally {
      // Stopped even when an assertion fails (a server left running keeps `node --test` from ending).
      await server.stop();
    }
    server = await startRustServer({ dataDir, adminToken: server.adminToken });
    try {
      assert.equal((await get(server, `/registrations/${gone.id}`)).status, 404);
      assert.equal((await get(server, `/registrations/${kept.id}`)).status, 200);
    } finally {
      await server.stop();
    }
  });
});

describe('encrypted at rest (PostgreSQL)', () => {
  let pg = null;
  before(() => {
    if (!POSTGRES_MISSING) pg = startPostgres();
  });
  after(() => {
    if (pg) stopPostgres(pg.dir);
  });

  test('a pg_dump after registrations holds no name, number or phone in any encoding', async (t) => {
    if (!pg) {
      t.skip(POSTGRES_MISSING);
      return;
    }
    const server = await startRustServer({ args: ['--database-url', pg.url] });
    try {
      const person = await register(server, 301, { phone: '13800138003' });
      const dump = execFileSync('pg_dump', ['--data-only', pg.url], { maxBuffer: 64 << 20 });
      assert.ok(dump.includes(Buffer.from(person.registrationId)), 'the dump holds the registration');
      assertAbsent(dump, [NAME, person.idNumber, '13800138003', '+8613800138003', person.accountToken], 'pg_dump');
      assert.equal((await get(server, '/registrations')).json.registrations[0].name, '欧**试');
    } finally {
      await server.stop();
    }
  });

  test('the audit log on PostgreSQL: a record cannot be changed, nor deleted before six months, nor truncated', async (t) => {
    if (!pg) {
      t.skip(POSTGRES_MISSING);
      return;
    }
    // A database of its own in the cluster (the one above was written with another key file).
    execFileSync('psql', [pg.url, '-c', 'CREATE DATABASE audit_test'], { stdio: 'pipe' });
    const url = pg.url.replace(/\/[^/]*$/, '/audit_test');
    const server = await startRustServer({ args: ['--database-url', url] });
    try {
      assert.equal((await get(server, '/registrations')).status, 200); // an admin read: one record
      const psql = (sql) => {
        try {
          execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
          return null;
        } catch (e) {
          return String(e.stderr);
        }
      };
      assert.match(psql("UPDATE audit_log SET actor = 'server'") ?? 'accepted', /append-only/);
      assert.match(psql('DELETE FROM audit_log') ?? 'accepted', /180 days/);
      assert.match(psql('TRUNCATE audit_log') ?? 'accepted', /append-only/);
      const log = await get(server, '/_audit');
      assert.ok(log.json.entries.some((e) => e.action === 'admin.list'), 'the record is still there');
    } finally {
      await server.stop();
    }
  });
});

describe('keys', () => {
  test('rotation: new writes use the new key, values written before stay readable; the wrong keys stop the start', async () => {
    const dataDir = await tempDir();
    const keyFile = join(await tempDir(), 'keys.json');
    const made = await runServerCommand(['keys', 'new', '--key-file', keyFile]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600, 'the key file is readable by its owner only');
    assert.notEqual((await runServerCommand(['keys', 'new', '--key-file', keyFile])).code, 0, 'keys new never overwrites');

    let server = await startRustServer({ dataDir, args: ['--key-file', keyFile] });
    const before = await register(server, 401);
    await server.stop();
    const rotated = await runServerCommand(['keys', 'rotate', '--key-file', keyFile]);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /k2/);
    const file = JSON.parse(await readFile(keyFile, 'utf8'));
    assert.equal(file.current, 'k2');
    assert.equal(file.data_keys.length, 2);

    server = await startRustServer({ dataDir, args: ['--key-file', keyFile], adminToken: server.adminToken });
    try {
      const afterRotation = await register(server, 402);
      const rows = (await get(server, '/registrations')).json.registrations;
      assert.deepEqual(rows.map((r) => r.id).sort(), [before.id, afterRotation.id].sort());
      for (const row of rows) assert.equal(row.name, '欧**试', 'both the k1 and the k2 values decrypt');
    } finally {
      await server.stop();
    }
    // Another key set on this database: refused, with a message that names the problem.
    const otherKeys = join(await tempDir(), 'keys.json');
    await runServerCommand(['keys', 'new', '--key-file', otherKeys]);
    const wrong = await startRustServer({ dataDir, args: ['--key-file', otherKeys] }).catch((e) => e);
    assert.ok(wrong instanceof Error);
    assert.match(wrong.message, /not the ones this database was written with/);
  });

  test('SHIMING_KEYS (the key file\'s JSON) wins over the key file; a malformed one stops the start', async () => {
    const keyFile = join(await tempDir(), 'keys.json');
    await runServerCommand(['keys', 'new', '--key-file', keyFile]);
    const text = await readFile(keyFile, 'utf8');
    const dataDir = await tempDir();
    const server = await startRustServer({ dataDir, env: { SHIMING_KEYS: text } });
    try {
      await register(server, 501);
    } finally {
      await server.stop();
    }
    assert.equal(existsSync(join(dataDir, 'keys.json')), false, 'no key file is created when SHIMING_KEYS is set');
    const bad = await startRustServer({ dataDir: await tempDir(), env: { SHIMING_KEYS: '{"format":1}' } }).catch((e) => e);
    assert.ok(bad instanceof Error);
    assert.match(bad.message, /key file is not valid/);
  });
});

describe('admin token and start-up', () => {
  test('without a token the first start creates one, prints it once and stores only its hash; an empty token is refused', async () => {
    const dataDir = await tempDir();
    let server = await startRustServer({ dataDir, adminToken: null });
    const token = server.createdAdminToken;
    assert.match(token ?? '', /^adm_[A-Za-z0-9_-]{43}$/);
    assert.equal((await get(server, '/registrations', null)).status, 401);
    assert.equal((await get(server, '/registrations', 'wrong')).status, 401);
    assert.equal((await get(server, '/registrations', token)).status, 200);
    await server.stop();
    const bytes = await sqliteBytes(dataDir);
    assert.equal(bytes.indexOf(Buffer.from(token)), -1, 'the token itself is not stored');
    server = await startRustServer({ dataDir, adminToken: null });
    try {
      assert.equal(server.createdAdminToken, null, 'printed once only');
      assert.equal((await get(server, '/registrations', token)).status, 200, 'the stored hash still admits it');
    } finally {
      await server.stop();
    }
    for (const empty of ['', '  ']) {
      const refused = await runServerCommand(['--port', '0', '--data-dir', await tempDir(), '--admin-token', empty]);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /empty/);
    }
  });

  test('an unknown document kind or fault rate stops the start with a message naming it; --help documents every flag and its variable', async () => {
    const unknown = await runServerCommand(['--port', '0', '--data-dir', await tempDir(), '--kinds', 'cn_resident,martian_id']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /martian_id/);
    const rate = await runServerCommand(['--port', '0', '--data-dir', await tempDir(), '--fault-fail', '150%']);
    assert.notEqual(rate.code, 0);
    assert.match(rate.stderr, /fault-fail/);
    const help = await runServerCommand(['--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--host', '--port', '--data-dir', '--database-url', '--admin-token', '--key-file', '--kinds', '--allowed-hosts', '--mount', '--write-rate', '--max-connections', '--request-timeout-secs', '--fault-fail', '--fault-drop']) {
      assert.ok(help.stdout.includes(flag), `--help lists ${flag}`);
    }
    for (const variable of ['SHIMING_DATA_DIR', 'SHIMING_DATABASE_URL', 'SHIMING_ADMIN_TOKEN', 'SHIMING_KINDS', 'SHIMING_FAULT_FAIL']) {
      assert.ok(help.stdout.includes(variable), `--help names ${variable}`);
    }
  });

  test('flags come from the environment too', async () => {
    const server = await startRustServer({ env: { SHIMING_KINDS: 'cn_resident,hk_id' } });
    try {
      assert.deepEqual((await get(server, '/policy', null)).json.idKinds, ['cn_resident', 'hk_id']);
    } finally {
      await server.stop();
    }
  });
});

describe('logs', () => {
  test('a registration, its listing and its deletion leave no personal value in the log; lines carry request ids and routes', async () => {
    const server = await startRustServer({ quiet: false });
    let person;
    try {
      person = await register(server, 601, { phone: '13800138006' });
      await get(server, '/registrations');
      await fetch(`${server.api}/registrations/${person.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${server.adminToken}` } });
      // A key shaped like an ID number is refused and not logged.
      const shaped = await post(server, '/consents', { receipts: [] }, { key: person.idNumber });
      assert.equal(shaped.status, 400);
    } finally {
      await server.stop();
    }
    const log = server.log();
    assert.match(log, /request=\w+ method=POST route="\/registrations" status=201/);
    assert.match(log, /route="\/registrations\/\{id\}" status=204/);
    assertAbsent(Buffer.from(log), [NAME, person.idNumber, '13800138006', person.accountToken, server.adminToken], 'the log');
  });
});

describe('static files', () => {
  test('never a file outside a mount (symlinks, traversal), never the data directory, and the security headers everywhere', async () => {
    const root = await tempDir();
    const www = join(root, 'www');
    await mkdir(www);
    await writeFile(join(www, 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(join(root, 'secret.txt'), 'outside');
    await symlink(join(root, 'secret.txt'), join(www, 'link.txt'));
    const dataDir = join(www, 'var');
    const server = await startRustServer({ dataDir, mounts: [{ prefix: '/', dir: www }] });
    try {
      const page = await fetch(`${server.base}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      assert.equal((await fetch(`${server.base}/link.txt`)).status, 404);
      assert.equal(await rawGet(server.base, '/%2e%2e/secret.txt'), 403);
      assert.equal(await rawGet(server.base, '/../secret.txt'), 403);
      for (const file of ['var/shiming.sqlite3', 'var/keys.json', 'var/shiming.sqlite3-wal']) {
        assert.equal((await fetch(`${server.base}/${file}`)).status, 404, `${file} is never served`);
      }
      // DNS rebinding: a name the server does not answer for gets 421, pages and API alike.
      assert.equal(await rawGet(server.base, '/', { host: `rebind.example:${server.port}` }), 421);
      assert.equal(await rawGet(server.base, '/api/policy', { host: `rebind.example:${server.port}` }), 421);
      assert.equal(await rawGet(server.base, '/', { host: `localhost:${server.port}` }), 200);
    } finally {
      await server.stop();
    }
  });
});

describe('the policy answer is gzipped when accepted', () => {
  test('GET /api/policy: gzip under Accept-Encoding (the same document), identity without it, Vary on both, 304 unchanged; other answers never gzipped', async () => {
    const { gunzipSync } = await import('node:zlib');
    const server = await startRustServer();
    try {
      const plain = await rawRequest(server.base, '/api/policy');
      assert.equal(plain.status, 200);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers.vary, 'accept-encoding');
      const identity = JSON.parse(plain.body.toString('utf8'));

      const zipped = await rawRequest(server.base, '/api/policy', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(zipped.status, 200);
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.equal(zipped.headers.vary, 'accept-encoding');
      assert.equal(zipped.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(zipped.headers['cache-control'], 'no-store');
      assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
      assert.ok(zipped.body.length * 3 < plain.body.length, `${zipped.body.length} B gzipped, ${plain.body.length} B plain`);
      const decoded = JSON.parse(gunzipSync(zipped.body).toString('utf8'));
      assert.ok(decoded.serverTime >= identity.serverTime);
      assert.deepEqual({ ...decoded, serverTime: 0 }, { ...identity, serverTime: 0 });
      assert.equal(zipped.headers.etag, plain.headers.etag);

      // Refused codings: identity.
      for (const accept of ['gzip;q=0', 'identity', 'br', 'gzip;q=0.5, identity;q=1']) {
        const res = await rawRequest(server.base, '/api/policy', { headers: { 'accept-encoding': accept } });
        assert.equal(res.headers['content-encoding'], undefined, accept);
        assert.deepEqual({ ...JSON.parse(res.body.toString('utf8')), serverTime: 0 }, { ...identity, serverTime: 0 }, accept);
      }
      // The client's revalidation still answers 304, with no body.
      const notModified = await rawRequest(server.base, '/api/policy', { headers: { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.etag } });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.body.length, 0);
      // An answer that could echo what the caller sent stays identity (BREACH), even when gzip is accepted.
      const refused = await rawRequest(server.base, '/api/consents', {
        method: 'POST',
        headers: { 'accept-encoding': 'gzip', 'content-type': 'application/json', 'idempotency-key': `k-gzip-${randomUUID()}` },
        body: JSON.stringify({ receipts: [] }),
      });
      assert.equal(refused.status, 422);
      assert.equal(refused.headers['content-encoding'], undefined);
      assert.ok(Array.isArray(JSON.parse(refused.body.toString('utf8')).issues));
    } finally {
      await server.stop();
    }
  });
});

describe('bounded under abuse', () => {
  test('stalled requests are closed after the time limit, connections over the bound are refused, and the server keeps serving', async () => {
    const { connect } = await import('node:net');
    const server = await startRustServer({ args: ['--request-timeout-secs', '2', '--max-connections', '20'] });
    const open = (send) =>
      new Promise((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          if (send) socket.write(send);
        });
        const state = { socket, closed: false, data: '' };
        socket.on('data', (d) => (state.data += d));
        socket.on('close', () => (state.closed = true));
        socket.on('error', () => {});
        setTimeout(() => resolve(state), 100);
      });
    try {
      // Ten stalled headers and ten stalled chunked bodies hold twenty connections: the bound.
      const opening = [];
      for (let i = 0; i < 10; i += 1) opening.push(open(`GET /api/policy HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`));
      for (let i = 0; i < 10; i += 1) {
        opening.push(
          open(
            `POST /api/consents HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nIdempotency-Key: k-stall-${i}\r\n` +
              'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"rec\r\n',
          ),
        );
      }
      const stalled = await Promise.all(opening);
      const extra = await open(null);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(extra.closed, true, 'a connection over the bound is closed at once');
      // After the time limit every stalled one is closed (the body ones with 408 sync_request_timeout).
      await new Promise((r) => setTimeout(r, 3500));
      assert.ok(stalled.every((s) => s.closed), `${stalled.filter((s) => !s.closed).length} stalled connections still open`);
      assert.ok(stalled.slice(10).every((s) => s.data.includes(' 408 ') && s.data.includes('sync_request_timeout')));
      // And the server serves again.
      assert.equal((await fetch(`${server.api}/policy`)).status, 200);
    } finally {
      await server.stop();
    }
  });

  test('writes over the per-client rate get 429 with Retry-After; reads are not limited', async () => {
    // One write every 20 s after the burst: nothing refills while this test runs, however slow the machine.
    const server = await startRustServer({ args: ['--write-rate', '0.05', '--write-burst', '5'] });
    try {
      const statuses = [];
      let retryAfter = null;
      for (let i = 0; i < 8; i += 1) {
        const res = await post(server, '/consents', { receipts: [] });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      assert.deepEqual(statuses.slice(0, 5), [422, 422, 422, 422, 422]);
      assert.ok(statuses.slice(5).includes(429), statuses.join(','));
      assert.match(retryAfter ?? '', /^[1-9]\d*$/);
      for (let i = 0; i < 20; i += 1) assert.equal((await fetch(`${server.api}/policy`)).status, 200);
      // An evaluation writes nothing: a platform asking before every payment is not throttled as a writer (here it
      // reaches the auth check, 401, instead of 429).
      for (let i = 0; i < 10; i += 1) {
        const res = await fetch(`${server.api}/registrations/r_0000000000000000000000/evaluate`, { method: 'POST', body: '{}' });
        assert.equal(res.status, 401);
      }
      // A write of the account area still is.
      const limited = await fetch(`${server.api}/registrations/r_0000000000000000000000/limits`, { method: 'PUT', body: '{}' });
      assert.equal(limited.status, 429);
    } finally {
      await server.stop();
    }
  });
});

describe('idempotency keys held by a request', () => {
  test('a client that goes away mid-request does not leave its key claimed: the retry gets the stored answer, never 409 for ever', async () => {
    const server = await startRustServer({ args: ['--fault-delay', '100%', '--fault-delay-ms', '600'] });
    try {
      const policy = (await get(server, '/policy', null)).json;
      const registrationId = `reg-${randomUUID()}`;
      const receipts = ADULT.map((kind, i) =>
        consent.buildReceipt(policy.documents.find((d) => d.kind === kind), {
          subject: `reg:${registrationId}`,
          sequence: i + 1,
          clientTime: Math.floor(Date.now() / 1000),
          reading: { reachedEnd: true, visibleSeconds: 30, viewport: { width: 390, height: 844 }, locale: 'zh-CN' },
        }).receipt,
      );
      const key = `k-${randomUUID()}`;
      const abort = new AbortController();
      const first = fetch(`${server.api}/consents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ receipts }),
        signal: abort.signal,
      }).catch((e) => e);
      await new Promise((r) => setTimeout(r, 150));
      abort.abort();
      assert.ok((await first) instanceof Error);
      // While the first request still runs on the server, its key answers 409; after it, the stored answer.
      let last;
      for (let i = 0; i < 20; i += 1) {
        last = await post(server, '/consents', { receipts }, { key });
        if (last.status !== 409) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok([200, 201].includes(last.status), `${last.status} ${JSON.stringify(last.json)}`);
      assert.deepEqual(last.json.accepted.map((a) => a.receiptId), receipts.map((r) => r.consentReceiptID));
    } finally {
      await server.stop();
    }
  });
});

describe('a value that does not decrypt', () => {
  test('an operator who drops an old data key after rotation sees [unreadable] in the listing and an error in the log, never an empty field', async () => {
    const dataDir = await tempDir();
    const keyFile = join(await tempDir(), 'keys.json');
    await runServerCommand(['keys', 'new', '--key-file', keyFile]);
    let server = await startRustServer({ dataDir, args: ['--key-file', keyFile] });
    const person = await register(server, 701);
    await server.stop();
    await runServerCommand(['keys', 'rotate', '--key-file', keyFile]);
    const file = JSON.parse(await readFile(keyFile, 'utf8'));
    file.data_keys = file.data_keys.filter((k) => k.id !== 'k1');
    await writeFile(keyFile, JSON.stringify(file));
    server = await startRustServer({ dataDir, args: ['--key-file', keyFile], adminToken: server.adminToken, quiet: false });
    try {
      const row = (await get(server, `/registrations/${person.id}`)).json;
      assert.equal(row.name, '[unreadable]');
      assert.equal(row.idNumber, '[unreadable]');
      assert.equal(row.phone, '[unreadable]');
    } finally {
      await server.stop();
    }
    assert.match(server.log(), new RegExp(`ERROR.*a stored value does not decrypt.*row=${person.id}|row=${person.id}.*does not decrypt`));
  });
});

describe('minor protection on the server (cn-2024-content)', () => {
  test('the day cap, a guardian\'s limits that only the platform may loosen, no age from the client, deleted with the account', async () => {
    const preset = await startRustServer({ args: ['--policy-preset', 'cn-2024-content'] });
    try {
      assert.equal((await get(preset, '/policy', null)).json.policy.id, 'cn-2024-content');
    } finally {
      await preset.stop();
    }
    // The preset without its night-time (22:00-06:00), so that the outcome of a session does not depend on the hour
    // the test runs at (the server's clock is real); everything else as shipped.
    const dir = await tempDir();
    const content = JSON.parse(await readFile(join(repoRoot, 'data/policy/cn-2024-content.json'), 'utf8'));
    delete content.curfew;
    content.id = 'cn-2024-content-without-curfew';
    await writeFile(join(dir, 'policy.json'), JSON.stringify(content));
    const server = await startRustServer({ args: ['--policy-file', join(dir, 'policy.json')] });
    try {
      const teen = await register(server, 301, { age: 15 });
      const older = await register(server, 302, { age: 16, phone: '13800138001' });
      const adult = await register(server, 303, { phone: '13800138002' });
      const send = async (method, who, path, body) => {
        const res = await fetch(`${server.api}/registrations/${who.id}/${path}`, {
          method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token ?? who.accountToken}` },
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        });
        return { status: res.status, json: await res.json().catch(() => null) };
      };
      const admin = (account) => ({ id: account.id, token: server.adminToken });
      const evaluate = (who, activity) => send('POST', who, 'evaluate', { activity });
      const payment = (amountFen, spentTodayFen) => ({ type: 'payment', amountFen, spentTodayFen, spentThisMonthFen: spentTodayFen });
      const session = (usedTodaySeconds) => ({ type: 'session', usedTodaySeconds, continuousSeconds: 0 });

      // The day's total, with the server's clock and the birth date it checked.
      const paid = await evaluate(teen, payment(3000, 8000));
      assert.equal(paid.status, 200, JSON.stringify(paid.json));
      assert.deepEqual([paid.json.allowed, paid.json.code, paid.json.params, paid.json.ageBand, paid.json.minorMode],
        [false, 'minor_payment_over_daily_limit', { limitFen: 10000, remainingFen: 2000 }, '14_to_16', true]);
      const shanghai = new Date(paid.json.serverTime + 8 * 3600_000);
      const tomorrow = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() + 1)).toISOString().slice(0, 10);
      // A guardian's night that starts in two hours, and one that covers now.
      const hour = (n) => `${String((shanghai.getUTCHours() + n + 24) % 24).padStart(2, '0')}:00`;
      const later = { start: hour(2), end: hour(3) };
      const now = { start: hour(-1), end: hour(1) };
      assert.equal(paid.json.nextAllowedAt, `${tomorrow}T00:00:00+08:00`);
      assert.equal((await evaluate(teen, payment(2000, 8000))).json.allowed, true);
      // The client cannot say how old the person is, nor leave out what was spent today.
      assert.equal((await send('POST', teen, 'evaluate', { activity: payment(1, 0), age: 30 })).status, 422);
      assert.equal((await send('POST', teen, 'evaluate', { activity: { ...payment(1, 0), birthDate: '1990-01-01' } })).status, 422);
      const { spentTodayFen, ...withoutToday } = payment(1, 0);
      assert.deepEqual((await evaluate(teen, withoutToday)).json.issues[0], { path: ['activity', 'spentTodayFen'], code: 'sync_field_missing', params: {} });

      // Nothing stored yet: the policy's bounds for the age.
      const before = await send('GET', teen, 'limits');
      assert.deepEqual([before.status, before.json.limits, before.json.bounds.dailySeconds, before.json.bounds.perDayFen], [200, null, { policy: 3600, guardianMax: 3600 }, 10000]);
      // Tighter, with the account's own token: stored, and applied by the server.
      const set = await send('PUT', teen, 'limits', { dailySeconds: 1800, perPaymentFen: 1000, curfew: later });
      assert.equal(set.status, 200, JSON.stringify(set.json));
      assert.deepEqual([set.json.limits, set.json.updatedBy], [{ dailySeconds: 1800, perPaymentFen: 1000, curfew: later }, 'account']);
      const used = await evaluate(teen, session(1800));
      assert.deepEqual([used.json.allowed, used.json.code, used.json.byGuardian, used.json.source], [false, 'minor_daily_limit_reached', true, null]);
      assert.equal((await evaluate(teen, payment(2000, 0))).json.code, 'minor_payment_over_single_limit');
      // The account's token (which the minor may hold) cannot loosen, not even back to the policy's hour...
      const back = await send('PUT', teen, 'limits', { dailySeconds: 3600, perPaymentFen: 1000, curfew: later });
      assert.deepEqual([back.status, back.json.issues[0].code], [403, 'guardian_limit_only_tighter']);
      assert.equal((await send('PUT', teen, 'limits', {})).status, 403, 'nor drop the setting');
      assert.equal((await send('PUT', teen, 'limits', { dailySeconds: 1800, perPaymentFen: 1000, curfew: now })).status, 403, 'nor move the night');
      // The platform may; a night that covers now refuses, and says when it ends.
      assert.equal((await send('PUT', admin(teen), 'limits', { dailySeconds: 1800, perPaymentFen: 1000, curfew: now })).status, 200);
      const night = await evaluate(teen, session(0));
      assert.deepEqual([night.json.allowed, night.json.code, night.json.byGuardian], [false, 'minor_curfew', true]);
      assert.match(night.json.nextAllowedAt, new RegExp(`T${now.end}:00\\+08:00$`));
      // ...and nobody may go past what the rule lets a guardian set (a 15-year-old: the hour).
      const loose = await send('PUT', admin(teen), 'limits', { dailySeconds: 7200 });
      assert.deepEqual([loose.status, loose.json.issues[0].code, loose.json.issues[0].path, loose.json.issues[0].params],
        [422, 'guardian_limit_too_loose', ['limits', 'dailySeconds'], { max: 3600 }]);
      const invalid = await send('PUT', admin(teen), 'limits', { dailySeconds: '2h' });
      assert.deepEqual([invalid.status, invalid.json.issues[0].code, invalid.json.issues[0].path], [422, 'guardian_limit_invalid', ['limits', 'dailySeconds']]);
      assert.equal((await send('PUT', admin(teen), 'limits', { weekly: 1 })).status, 422);
      assert.equal((await send('PUT', admin(teen), 'limits', '{"dailySeconds":')).status, 400);
      // Another account's token, and none at all.
      assert.equal((await send('GET', { id: teen.id, token: older.accountToken }, 'limits')).status, 403);
      assert.equal((await fetch(`${server.api}/registrations/${teen.id}/limits`)).status, 401);
      assert.equal((await send('DELETE', teen, 'limits')).status, 405);

      // A 16-year-old: the guide lets the guardian lengthen the two hours, through the platform (admin) only.
      assert.equal((await send('PUT', older, 'limits', { dailySeconds: 10800 })).status, 403);
      const longer = await send('PUT', admin(older), 'limits', { dailySeconds: 10800 });
      assert.deepEqual([longer.status, longer.json.updatedBy], [200, 'admin']);
      assert.equal((await evaluate(older, session(7200))).json.allowed, true);
      assert.equal((await evaluate(older, session(10800))).json.code, 'minor_daily_limit_reached');
      // An adult's account has no limits; its evaluation says so.
      assert.equal((await send('PUT', admin(adult), 'limits', { dailySeconds: 60 })).status, 422);
      assert.deepEqual([(await evaluate(adult, payment(1_000_000, 0))).json.code], ['adult']);

      // Deleted with the account.
      assert.equal((await fetch(`${server.api}/registrations/${teen.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${teen.accountToken}` } })).status, 204);
      assert.equal((await send('GET', admin(teen), 'limits')).status, 404);
      assert.equal((await evaluate(admin(teen), session(0))).status, 404);
    } finally {
      await server.stop();
    }
  });
});

describe('the audit log', () => {
  test('every admin read and lifecycle action is recorded, newest first, with no personal data; only the admin reads it', async () => {
    const server = await startRustServer();
    try {
      const teen = await register(server, 401, { age: 15 });
      assert.equal((await get(server, '/registrations?limit=10')).status, 200);
      assert.equal((await get(server, `/registrations/${teen.id}`)).status, 200);
      assert.equal((await get(server, `/registrations/${teen.id}/consents`)).status, 200);
      const limits = await fetch(`${server.api}/registrations/${teen.id}/limits`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${teen.accountToken}` },
        body: JSON.stringify({ dailySeconds: 1800 }),
      });
      assert.equal(limits.status, 200);
      // The account reading itself is not an admin action: not recorded.
      assert.equal((await get(server, `/registrations/${teen.id}`, teen.accountToken)).status, 200);
      const gone = await fetch(`${server.api}/registrations/${teen.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${teen.accountToken}` } });
      assert.equal(gone.status, 204);
      assert.equal((await get(server, '/_audit', teen.accountToken)).status, 401, 'a deleted account\'s token opens nothing');
      assert.equal((await get(server, '/_audit', null)).status, 401);
      const log = await get(server, '/_audit?limit=20');
      assert.equal(log.status, 200);
      const shown = log.json.entries.map((e) => [e.actor, e.action, e.account, e.detail]);
      assert.deepEqual(shown, [
        ['admin', 'admin.audit', null, null],
        ['account', 'account.delete', teen.id, null],
        ['account', 'limits.set', teen.id, null],
        ['admin', 'admin.read', teen.id, 'consents'],
        ['admin', 'admin.read', teen.id, null],
        ['admin', 'admin.list', null, null],
      ]);
      assert.ok(log.json.entries.every((e, i, all) => i === 0 || e.seq < all[i - 1].seq), 'newest first');
      const text = JSON.stringify(log.json);
      for (const value of [teen.idNumber, NAME, PHONE, teen.registrationId, teen.accountToken]) assert.equal(text.includes(value), false);
      // Paging, and a bad query.
      const page = await get(server, '/_audit?limit=2');
      assert.deepEqual(page.json.entries.map((e) => e.action), ['admin.audit', 'admin.audit']);
      const next = await get(server, `/_audit?limit=2&before=${page.json.next}`);
      assert.deepEqual(next.json.entries.map((e) => e.action), ['account.delete', 'limits.set']);
      assert.equal((await get(server, '/_audit?limit=0')).status, 422);
      // The retention flag cannot go under six months.
      const refused = await runServerCommand(['--audit-retention-days', '30', '--data-dir', await tempDir()]);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /audit-retention-days/);
    } finally {
      await server.stop();
    }
  });
});
