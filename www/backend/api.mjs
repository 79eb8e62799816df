// The reference backend of the shiming sync protocol v1 (docs/protocol.md): plain Node, no framework.
//
//   GET    /policy                 the policy bundle: minor-protection policy, agreement documents, server time,
//                                  the document kinds accepted (`idKinds`)
//   POST   /consents               consent receipts, each verified with the package's verifyReceipt
//   POST   /registrations          a registration, re-validated with the package's checkRegistration
//   GET    /registrations          admin listing, personal data masked (bearer token if configured)
//   GET    /registrations/{id}/consents  the account's consent receipts, as stored (bearer token if configured)
//   DELETE /registrations/{id}     account cancellation: the person's data erased, from disk too
//
// `createApi(options)` returns `{ handle(req, res, path) }`; www/serve.mjs mounts it at /api.
//
// Order of work for a request: faults that answer at once (429, 500/503) → method and path → for POST: the
// Idempotency-Key, Content-Type, body (size limit), key claim (replay / 409 / 422 reused) → the delay fault →
// the work, whose 2xx is written only after the journal is fsynced → the drop fault (socket destroyed instead of the
// answer) or the answer. Logs carry method, path, status, duration and the idempotency key: never personal data.

import { mkdtemp, readFile } from 'node:fs/promises';
import { createHash, timingSafeEqual } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { Store } from './store.mjs';
import { Idempotency, isValidKey, sha256Hex } from './idempotency.mjs';
import { createFaults } from './faults.mjs';
import { defaultDocumentsDir, loadDocuments } from './documents.mjs';
import { checkConsents, loadConsentModule } from './consents.mjs';
import { acceptedKinds, listingRow, parseKinds, prepareRegistration } from './registrations.mjs';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export const PROTOCOL = 1;
/** Largest accepted request body: 20 receipts of about 1.5 KB each fit many times over. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The package directory: `options.pkgDir`, else `SHIMING_PKG`, else `<repo>/pkg`. */
export function resolvePkgDir(pkgDir) {
  return resolve(pkgDir ?? process.env.SHIMING_PKG ?? join(repoRoot, 'pkg'));
}

function issuesBody(code, path = [], params = {}) {
  return { issues: [{ path, code, params }] };
}

function sendJson(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

class BodyError extends Error {
  constructor(status, code) {
    super(code);
    this.status = status;
    this.code = code;
  }
}

function readBody(req, limit) {
  return new Promise((resolvePromise, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyError(413, 'sync_body_too_large'));
      return;
    }
    const chunks = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyError(413, 'sync_body_too_large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolvePromise(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes) {
  try {
    return { value: JSON.parse(utf8.decode(bytes)) };
  } catch {
    return { error: true };
  }
}

/**
 * Creates the API.
 * @param {{
 *   dataDir?: string,            journal directory; default a new temporary directory, removed by close()
 *   pkgDir?: string,             the built package; default SHIMING_PKG or <repo>/pkg
 *   documentsDir?: string,       default www/backend/documents
 *   policyFile?: string,         default data/policy/cn-2024.json
 *   faults?: object,             see faults.mjs (seed, fail, throttle, delay, drop)
 *   adminToken?: string | null,  bearer token for the admin endpoints (none: open, for the demo)
 *   log?: ((line: string) => void) | boolean,  true: console.log; default: silent
 *   now?: () => number,          the server clock (ms), for tests
 *   kinds?: string[] | null,     the document kinds registrations may use (names as the package's IdKind); default
 *                                (null): the package's default. An unknown name throws.
 * }} [options]
 */
export async function createApi(options = {}) {
  const kinds = parseKinds(options.kinds);
  const pkgDir = resolvePkgDir(options.pkgDir);
  const shiming = await import(pathToFileURL(join(pkgDir, 'node.js')).href);
  if (typeof shiming.identityKey !== 'function') {
    throw new Error(
      `${join(pkgDir, 'node.js')} has no identityKey export: this build of the package is too old for the backend ` +
        '(uniqueness by document needs it); rebuild with `bash scripts/build.sh`',
    );
  }
  // What the server's check accepts, asked of the package (also checks that it knows every configured name).
  const idKinds = acceptedKinds(shiming, kinds);
  const consent = await loadConsentModule(pkgDir);
  const documents = await loadDocuments(options.documentsDir ?? defaultDocumentsDir, consent?.makeDocument ?? null);
  const policyText = await readFile(options.policyFile ?? join(repoRoot, 'data', 'policy', 'cn-2024.json'), 'utf8');
  const policy = JSON.parse(policyText);
  const phoneSegments = null;
  const bundleVersion = createHash('sha256')
    .update(JSON.stringify({ protocol: PROTOCOL, policy, documents: documents.current.map((d) => d.digest), phoneSegments, idKinds }))
    .digest('hex')
    .slice(0, 16);

  const temporary = options.dataDir === undefined;
  const dataDir = temporary ? await mkdtemp(join(tmpdir(), 'shiming-backend-')) : resolve(options.dataDir);
  const store = await Store.open(dataDir, {
    // Records of a journal written before identity keys were stored: keyed by the kind they were stored as.
    identityKeyOf: (form) => {
      try {
        return shiming.identityKey(form.idNumber, { kinds: [form.idKind] });
      } catch {
        return null;
      }
    },
  });
  const idempotency = new Idempotency(store);
  const faults = createFaults(options.faults);
  const now = options.now ?? Date.now;
  const log = options.log === true ? (line) => console.log(line) : typeof options.log === 'function' ? options.log : () => {};
  const adminToken = options.adminToken ? createHash('sha256').update(String(options.adminToken)).digest() : null;
  if (store.duplicateKeys > 0) {
    log(`journal: ${store.duplicateKeys} registration(s) share their document with an earlier one (stored before identity keys); kept`);
  }

  function authorized(req) {
    if (!adminToken) return true;
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!match) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]).digest(), adminToken);
  }

  // ---- the endpoints -------------------------------------------------------------------------------------------

  function getPolicy(req, res) {
    const etag = `"${bundleVersion}"`;
    const headers = { ETag: etag };
    const match = (req.headers['if-none-match'] ?? '').split(',').map((s) => s.trim().replace(/^W\//, ''));
    if (match.includes(etag) || match.includes('*')) {
      res.writeHead(304, { ...headers, 'Cache-Control': 'no-store' });
      res.end();
      return 304;
    }
    sendJson(
      res,
      200,
      {
        protocol: PROTOCOL,
        serverTime: now(),
        version: bundleVersion,
        policy,
        documents: documents.current,
        phoneSegments,
        idKinds,
      },
      headers,
    );
    return 200;
  }

  /** POST /consents: `{ status, body, refs }` after the journal write. Inside store.exclusive. */
  async function postConsents(parsed) {
    const refs = {
      receiptIds: Array.isArray(parsed?.receipts)
        ? parsed.receipts.map((r) => r?.consentReceiptID).filter((id) => typeof id === 'string')
        : [],
    };
    if (!consent) return { status: 503, body: issuesBody('sync_consent_unavailable'), refs, transient: true };
    const checked = checkConsents(parsed, { consent, documents: documents.all, store });
    if (checked.issues) return { status: 422, body: { issues: checked.issues }, refs };
    const at = now();
    for (const entry of checked.fresh) entry.serverTime = at;
    const accepted = [...checked.known, ...checked.fresh].map((r) => ({ receiptId: r.receiptId, serverTime: r.serverTime }));
    // Answer in the order of the request.
    const order = new Map(refs.receiptIds.map((id, i) => [id, i]));
    accepted.sort((a, b) => order.get(a.receiptId) - order.get(b.receiptId));
    return {
      status: checked.fresh.length ? 201 : 200,
      body: { accepted },
      refs,
      entry: checked.fresh.length ? { type: 'receipts', at, receipts: checked.fresh } : null,
    };
  }

  /** POST /registrations: `{ status, body, refs, entry? }`. Inside store.exclusive. */
  async function postRegistration(parsed) {
    const refs = { registrationIds: typeof parsed?.registrationId === 'string' ? [parsed.registrationId] : [] };
    const result = prepareRegistration(parsed, {
      shiming,
      consent,
      store,
      currentByKind: documents.currentByKind,
      now: now(),
      kinds,
    });
    return {
      ...result,
      refs,
      entry: result.record ? { type: 'registration', at: result.record.createdAt, record: result.record } : null,
    };
  }

  /**
   * GET /registrations/{id}/consents (`id`: the server id, as for DELETE): every receipt of the account, acceptances
   * and withdrawals, exactly as posted (so that it still verifies) with the server's time; `withdrawn` lists the ids
   * of the withdrawn ones. Null for an unknown id. Receipts hold no personal data, so neither does this answer.
   */
  function accountConsents(id) {
    const record = store.registrations.get(id);
    if (!record) return null;
    const stored = store.receiptsOf(record);
    return {
      id: record.id,
      registrationId: record.registrationId,
      consents: stored.map((r) => ({ receiptId: r.receiptId, serverTime: r.serverTime, receipt: r.receipt })),
      withdrawn: stored.filter((r) => store.withdrawn.has(r.receiptId)).map((r) => r.receiptId),
    };
  }

  const POSTS = { '/consents': postConsents, '/registrations': postRegistration };

  async function handlePost(req, res, path, context) {
    const key = req.headers['idempotency-key'];
    if (!isValidKey(key)) {
      req.resume();
      sendJson(res, 400, issuesBody('sync_idempotency_key_invalid', ['headers', 'Idempotency-Key']));
      return 400;
    }
    context.key = key;
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      sendJson(res, 415, issuesBody('sync_content_type_unsupported', ['headers', 'Content-Type']));
      return 415;
    }
    let bytes;
    try {
      bytes = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      req.resume();
      sendJson(res, error.status, issuesBody(error.code), { Connection: 'close' });
      return error.status;
    }
    const scope = `POST ${path}`;
    const bodyHash = sha256Hex(bytes);
    const claim = idempotency.claim(key, scope, bodyHash);
    if (claim.kind === 'replay') {
      const { status, body } = claim.record;
      if (context.drop()) return 'dropped';
      sendJson(res, status, body, { 'Idempotent-Replayed': 'true' });
      return status;
    }
    if (claim.kind === 'reused') {
      sendJson(res, 422, issuesBody('sync_idempotency_key_reused', ['headers', 'Idempotency-Key']));
      return 422;
    }
    if (claim.kind === 'in_progress') {
      sendJson(res, 409, issuesBody('sync_request_in_progress', ['headers', 'Idempotency-Key']), { 'Retry-After': '1' });
      return 409;
    }
    try {
      const wait = faults.delay();
      if (wait) await sleep(wait);
      const parsed = parseJson(bytes);
      const outcome = await store.exclusive(async () => {
        const result = parsed.error
          ? { status: 400, body: issuesBody('sync_body_invalid_json'), refs: {} }
          : await POSTS[path](parsed.value);
        if (result.transient) return result;
        const idem = Idempotency.record(key, scope, bodyHash, result.status, result.body, result.refs);
        // The record and its idempotency record in one fsynced line; a rejection is stored on its own.
        if (result.entry) await store.append({ ...result.entry, idem });
        else await store.append({ type: 'idempotency', at: now(), idem });
        return result;
      });
      if (context.drop()) return 'dropped';
      sendJson(res, outcome.status, outcome.body);
      return outcome.status;
    } finally {
      claim.release();
    }
  }

  async function route(req, res, path, context) {
    if (path === '/policy') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      const wait = faults.delay();
      if (wait) await sleep(wait);
      if (context.drop()) return 'dropped';
      return getPolicy(req, res);
    }
    if (path === '/consents') {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      return handlePost(req, res, path, context);
    }
    if (path === '/registrations') {
      if (req.method === 'POST') return handlePost(req, res, path, context);
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET, POST');
      if (!authorized(req)) return unauthorized(res);
      const wait = faults.delay();
      if (wait) await sleep(wait);
      const registrations = [...store.registrations.values()].map((r) => listingRow(r, shiming));
      if (context.drop()) return 'dropped';
      sendJson(res, 200, { registrations });
      return 200;
    }
    const consentsMatch = /^\/registrations\/([A-Za-z0-9_-]{1,64})\/consents$/.exec(path);
    if (consentsMatch) {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      if (!authorized(req)) return unauthorized(res);
      const wait = faults.delay();
      if (wait) await sleep(wait);
      const body = accountConsents(consentsMatch[1]);
      if (context.drop()) return 'dropped';
      if (!body) {
        sendJson(res, 404, issuesBody('sync_not_found'));
        return 404;
      }
      sendJson(res, 200, body);
      return 200;
    }
    const match = /^\/registrations\/([A-Za-z0-9_-]{1,64})$/.exec(path);
    if (match) {
      if (req.method !== 'DELETE') return methodNotAllowed(res, 'DELETE');
      if (!authorized(req)) return unauthorized(res);
      const wait = faults.delay();
      if (wait) await sleep(wait);
      const erased = await store.exclusive(() => store.erase(match[1], now()));
      if (context.drop()) return 'dropped';
      if (!erased) {
        sendJson(res, 404, issuesBody('sync_not_found'));
        return 404;
      }
      sendJson(res, 204, undefined);
      return 204;
    }
    req.resume();
    sendJson(res, 404, issuesBody('sync_not_found'));
    return 404;
  }

  function methodNotAllowed(res, allow) {
    res.req.resume();
    sendJson(res, 405, issuesBody('sync_method_not_allowed'), { Allow: allow });
    return 405;
  }

  function unauthorized(res) {
    sendJson(res, 401, issuesBody('sync_unauthorized'), { 'WWW-Authenticate': 'Bearer' });
    return 401;
  }

  /**
   * Handles one API request. `path` is the request path below the mount point (e.g. `/registrations`), without the
   * query string.
   */
  async function handle(req, res, path) {
    const started = performance.now();
    const context = {
      key: null,
      drop() {
        if (!faults.drop()) return false;
        res.socket?.destroy();
        res.destroy();
        return true;
      },
    };
    let status;
    try {
      const throttled = faults.throttle();
      if (throttled) {
        req.resume();
        sendJson(res, 429, issuesBody('sync_rate_limited'), { 'Retry-After': String(throttled.retryAfter) });
        status = 429;
      } else {
        const failed = faults.fail();
        if (failed) {
          req.resume();
          sendJson(res, failed, issuesBody(failed === 503 ? 'sync_unavailable' : 'sync_server_error'));
          status = failed;
        } else {
          status = await route(req, res, path, context);
        }
      }
    } catch (error) {
      status = 500;
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, issuesBody('sync_server_error'));
      else res.destroy();
      // The error's message may quote the request (JSON parser messages do): log its kind only.
      log(`error ${error?.name ?? 'Error'}${error?.code ? ` ${error.code}` : ''} in ${req.method} /api${path}`);
    }
    const ms = Math.round(performance.now() - started);
    log(`${req.method} /api${path} ${status} ${ms}ms${context.key ? ` key=${context.key}` : ''}`);
  }

  async function close() {
    if (temporary) await store.destroy();
    else await store.close();
  }

  return { handle, close, store, dataDir, faults, documents, consentAvailable: consent !== null, bundleVersion, idKinds };
}
