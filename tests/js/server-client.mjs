// A plain-JS client of the sync protocol (docs/protocol.md) for the fault tests of the Rust server
// (server-faults.test.mjs) and its benchmark (bench/server.mjs). Not a test file (node --test runs *.test.mjs only).
//
// Receipts are built in plain JS by the conformance suite's builder (tests/conformance/lib/receipts.mjs: RFC 8785 +
// SHA-256), a second implementation the server's verifier must agree with. Test data: generateTestId numbers, made-up
// names and phone numbers only.
//
//   const jobs = makeJobs(shiming, documents, 300, { tag: 'burst' });   // each: consents + registration, fixed keys
//   await call(base, 'POST', '/api/consents', { raw: job.consentsBody, key: job.consentsKey });

import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { buildReceipt } from '../conformance/lib/receipts.mjs';

// ---- HTTP ---------------------------------------------------------------------------------------------------------

/**
 * One HTTP request. Without `agent`, a connection of its own (no keep-alive), so that a killed server or a dropped
 * connection is this request's error. Rejects on a socket error or after `timeoutMs` without an answer (a hang is a
 * failure, never a wait forever).
 * @returns {Promise<{ status: number, headers: object, text: string, json: any }>}
 */
export function call(base, method, path, { body, raw, key, token, headers = {}, agent = false, timeoutMs = 30_000 } = {}) {
  const url = new URL(path, base);
  const payload = raw ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
  const allHeaders = { ...headers };
  if (payload !== undefined) {
    allHeaders['Content-Type'] ??= 'application/json';
    allHeaders['Content-Length'] = payload.length;
  }
  if (key !== undefined) allHeaders['Idempotency-Key'] = key;
  if (token !== undefined) allHeaders.Authorization = `Bearer ${token}`;
  return new Promise((resolvePromise, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: allHeaders, agent },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolvePromise({ status: res.statusCode, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The statuses a client retries with the same key (docs/protocol.md 7.2). */
export const RETRYABLE = (status) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * Retries `attempt(i)` (i = 0, 1, …) until it answers a status that is not retryable, honouring `Retry-After` (as a
 * lower bound; short waits otherwise: these are tests, not a polite client). Every attempt's outcome is kept in
 * `history` ({ status } or { error }). Throws with that history after `attempts` attempts.
 */
export async function retry(attempt, { attempts = 100, pauseMs = 5, history = [] } = {}) {
  for (let i = 0; i < attempts; i += 1) {
    let res;
    try {
      res = await attempt(i);
    } catch (error) {
      history.push({ error: error.code ?? error.message });
      await sleep(pauseMs);
      continue;
    }
    history.push({ status: res.status, replayed: res.headers['idempotent-replayed'] === 'true' });
    if (!RETRYABLE(res.status)) return Object.assign(res, { history });
    const retryAfter = Number(res.headers['retry-after'] ?? 0);
    await sleep(Math.max(Number.isFinite(retryAfter) ? retryAfter * 1000 : 0, pauseMs));
  }
  throw Object.assign(new Error(`gave up after ${attempts} attempts: ${JSON.stringify(history.slice(-5))}`), { history });
}

/** `retry` of one request against one base. */
export function callWithRetry(base, method, path, options, retryOptions) {
  return retry(() => call(base, method, path, options), retryOptions);
}

/** Every row of the admin listing, page by page (`limit=1000`, `after=<next>`), each page retried. */
export async function listAll(base, adminToken, { retryOptions } = {}) {
  const rows = [];
  let after = null;
  for (;;) {
    const path = `/api/registrations?limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const res = await callWithRetry(base, 'GET', path, { token: adminToken }, retryOptions);
    if (res.status !== 200) throw new Error(`listing: ${res.status} ${res.text}`);
    rows.push(...res.json.registrations);
    if (!res.json.next) return rows;
    after = res.json.next;
  }
}

// ---- receipts -----------------------------------------------------------------------------------------------------

/** The consents an adult's registration needs. */
export const ADULT_KINDS = ['service_agreement', 'privacy_policy', 'sensitive_pi'];

/** A UUID version 7 (RFC 9562 §5.7), as the package's consent module makes receipt ids: Unix ms, then random. */
function uuidV7() {
  const hex = randomUUID().replaceAll('-', '');
  const time = Date.now().toString(16).padStart(12, '0');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

// ---- made-up people and complete registrations ------------------------------------------------------------------------

const NAMES = ['张测试', '李样例', '王示范', '赵演示', '钱虚构', '孙假名', '周例子', '吴测验'];

/**
 * `count` complete registrations of made-up adults, ready to send: for each, the three receipts in one
 * `POST /consents` body and the `POST /registrations` body citing them, as bytes (a retry sends the same bytes), with
 * their fixed idempotency keys. ID numbers: `generateTestId` of consecutive seeds from `firstSeed` (born 1950–1999, so
 * adults), duplicates skipped, so that every job is a distinct person.
 */
export function makeJobs(shiming, documents, count, { firstSeed = 1, tag = 't' } = {}) {
  const byKind = new Map(documents.map((d) => [d.kind, d]));
  const seen = new Set();
  const jobs = [];
  let seed = firstSeed;
  while (jobs.length < count) {
    const idNumber = shiming.generateTestId({ seed });
    seed += 1;
    if (seen.has(idNumber)) continue;
    seen.add(idNumber);
    const n = jobs.length;
    // Ids as the package makes them (src/token.rs): time first, so that the server's indexes grow at their end.
    // SHIMING_BENCH_RANDOM_IDS=1: fully random ids instead (a client that ignores the protocol's advice).
    const ordered = process.env.SHIMING_BENCH_RANDOM_IDS !== '1';
    const time = () => (ordered ? `${Date.now().toString(16).padStart(12, '0')}-` : '');
    const registrationId = `reg-${tag}-${time()}${randomUUID()}`;
    const receipts = ADULT_KINDS.map((kind, i) =>
      buildReceipt(byKind.get(kind), registrationId, { sequence: i + 1, receiptId: ordered ? uuidV7() : undefined }));
    const form = { name: NAMES[n % NAMES.length], idNumber, phone: `1380013${String(n % 10000).padStart(4, '0')}` };
    const registration = {
      registrationId,
      form,
      derived: { kind: 'cn_resident' },
      clientSummary: { ok: true, codes: [] },
      consents: receipts.map((r) => r.consentReceiptID),
      clientTime: Date.now(),
    };
    jobs.push({
      n,
      registrationId,
      receiptIds: receipts.map((r) => r.consentReceiptID),
      consentsKey: `sk2-${time()}${tag}-c-${randomUUID()}`,
      consentsBody: Buffer.from(JSON.stringify({ receipts })),
      registrationKey: `sk2-${time()}${tag}-r-${randomUUID()}`,
      registrationBody: Buffer.from(JSON.stringify(registration)),
    });
  }
  return jobs;
}

/** The documents of the policy bundle (GET /api/policy, retried). */
export async function documentsOf(base) {
  const res = await callWithRetry(base, 'GET', '/api/policy');
  if (res.status !== 200) throw new Error(`GET /api/policy: ${res.status} ${res.text}`);
  return res.json.documents;
}
