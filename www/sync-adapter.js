// The one place where the pages meet the backend: the settings (base URL and extra headers, kept in localStorage;
// never personal data), the sync client of `shiming/sync` (consents and registrations go through its encrypted,
// offline-first queue, purged once synced: docs/protocol.md), and plain requests for the endpoints the client does
// not cover (the admin listing; an account's row, consent receipts and deletion, with the account's access code or
// the admin token). Nothing else is kept in the browser.
//
// The access code (the server's `accountToken`, answered once per registration) is held in memory only: the
// registration page shows it once; the guardian area sends it as `Authorization: Bearer <code>`. It never goes into
// a URL, the console or localStorage.
//
// The transport is our own so that a device that knows it is offline (navigator.onLine false) does not even try: the
// attempt counts as a transport error, the entry stays queued, and the client's `online` listener wakes the queue
// when the network is back. Everything else is plain fetch, redirects refused (the protocol never redirects).

import { SyncClient } from './pkg/all.js';

const SETTINGS_KEY = 'shiming.settings';
export const DEFAULT_SETTINGS = Object.freeze({ baseUrl: '/api', headers: {} });

/** A header name (RFC 9110 token) and a value without line breaks: anything else is refused on save. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
const FORBIDDEN_HEADERS = new Set(['content-type', 'idempotency-key', 'content-length', 'host', 'cookie']);

export function loadSettings() {
  try {
    const stored = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? 'null');
    if (stored && typeof stored.baseUrl === 'string' && stored.baseUrl && typeof stored.headers === 'object') {
      return { baseUrl: stored.baseUrl, headers: { ...stored.headers } };
    }
  } catch {
    // Unreadable settings: the defaults apply.
  }
  return { baseUrl: DEFAULT_SETTINGS.baseUrl, headers: {} };
}

/**
 * Parses the settings form: `headersText` has one `Name: value` per line. Returns `{ ok, settings }` or
 * `{ ok: false, problem, line }` (problem: 'base_url' | 'header_syntax' | 'header_name' | 'header_reserved').
 */
export function parseSettings(baseUrl, headersText) {
  const base = baseUrl.trim().replace(/\/+$/, '');
  try {
    const url = new URL(base || '/', location.href);
    if (!['http:', 'https:'].includes(url.protocol) || !base) return { ok: false, problem: 'base_url' };
  } catch {
    return { ok: false, problem: 'base_url' };
  }
  const headers = {};
  const lines = headersText.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, problem: 'header_syntax', line: i + 1 };
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!HEADER_NAME.test(name)) return { ok: false, problem: 'header_name', line: i + 1 };
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) return { ok: false, problem: 'header_reserved', line: i + 1 };
    headers[name] = value;
  }
  return { ok: true, settings: { baseUrl: base, headers } };
}

export function saveSettings(settings) {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify({ baseUrl: settings.baseUrl, headers: settings.headers }));
}

export function resetSettings() {
  localStorage.removeItem(SETTINGS_KEY);
}

export function headersText(headers) {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

function endpoint(settings, path) {
  return new URL(settings.baseUrl + path, location.href).href;
}

/** True when the browser knows it has no network. */
export const isOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

/** Stored registrations' answers, by registrationId: `{ id, accountToken }` (memory only; see takeAccount). */
const accounts = new Map();

async function transport(request) {
  if (isOffline()) throw new TypeError('offline');
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? undefined,
    redirect: 'manual',
    cache: 'no-store',
    credentials: 'same-origin',
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  if (request.method === 'POST' && request.url.endsWith('/registrations') && response.ok) noteAccount(body);
  return { status: response.status, headers: response.headers, body };
}

/**
 * A stored registration's answer (`{ id, registrationId, serverTime, accountToken, phoneConfirmed?, verification? }`, a replay gives the same): the
 * status event the client emits next (`acked`) carries no body, so the page takes the account from here.
 */
function noteAccount(text) {
  try {
    const answer = JSON.parse(text);
    if (typeof answer?.registrationId === 'string' && typeof answer.id === 'string') {
      accounts.set(answer.registrationId, {
        id: answer.id,
        accountToken: typeof answer.accountToken === 'string' ? answer.accountToken : null,
        // The server's record of the phone's confirmation by a one-time code (docs/protocol.md 4.6, 13).
        phoneConfirmed: typeof answer.phoneConfirmed === 'boolean' ? answer.phoneConfirmed : null,
        // The server's real-name verification of the new account (docs/protocol.md 4.6), when it reports one.
        verification: typeof answer.verification?.state === 'string' ? answer.verification.state : null,
      });
    }
  } catch {
    // Not JSON: the client treats it as the protocol says; nothing to note.
  }
}

/**
 * The server's account for a registration this page sent and the server stored: `{ id, accountToken, phoneConfirmed }` (the token
 * may be null: a backend without access codes), or null. Forgotten once taken: the page shows the code once.
 */
export function takeAccount(registrationId) {
  const account = accounts.get(registrationId) ?? null;
  accounts.delete(registrationId);
  return account;
}

/** `headers` with `extra` on top; a name in both (in any case) takes the value of `extra`. */
function mergeHeaders(headers, extra) {
  const names = new Set(Object.keys(extra).map((name) => name.toLowerCase()));
  return { ...Object.fromEntries(Object.entries(headers).filter(([name]) => !names.has(name.toLowerCase()))), ...extra };
}

/** The header that carries an access code (or the admin token). */
export function bearer(token) {
  return { Authorization: `Bearer ${token}` };
}

/**
 * Opens the sync client with the saved settings. `dbName` keeps each page's queue apart; `headers` go on top of the
 * settings' (e.g. an account's `Authorization`). The retry schedule is shorter than the library's default (cap 8 s
 * instead of 5 min): a person is waiting on this page.
 * @returns {Promise<import('./pkg/all/shiming_all.js').SyncClient>}
 */
export async function openSync({ onStatus, dbName = 'shiming-demo', headers = {} } = {}) {
  const settings = loadSettings();
  return SyncClient.open({
    baseUrl: new URL(settings.baseUrl, location.href).href.replace(/\/+$/, ''),
    headers: mergeHeaders(settings.headers, headers),
    transport,
    onStatus,
    dbName,
    backoff: { baseMs: 500, capMs: 8000 },
    throttleFloorMs: 2000,
  });
}

/**
 * GET {base}/policy through the client (so that its trusted clock is set). Resolves to the response or null.
 */
export async function refreshPolicy(client) {
  if (isOffline()) return null;
  const refreshed = await client.refreshPolicy();
  return refreshed.ok ? refreshed.response : refreshed.response ?? null;
}

/**
 * A plain request to the endpoints the client does not cover (GET/DELETE/PUT {base}/registrations…), with the settings'
 * extra headers and `headers` on top (e.g. `bearer(code)`). Resolves to `{ ok, status, body }` (body parsed when
 * JSON; `json`: a body sent as JSON); a network failure is `{ ok: false, status: 0 }`.
 */
export async function apiRequest(method, path, { headers = {}, json } = {}) {
  const settings = loadSettings();
  if (isOffline()) return { ok: false, status: 0, body: null };
  try {
    const response = await fetch(endpoint(settings, path), {
      method,
      headers: mergeHeaders(settings.headers, json === undefined ? headers : { ...headers, 'Content-Type': 'application/json' }),
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { ok: response.ok, status: response.status, body };
  } catch {
    return { ok: false, status: 0, body: null };
  }
}

/**
 * An id for records that must never carry personal data: `prefix`, the time (12 hex digits of Unix ms, so that a
 * server's index on ids grows at its end, as the package's receipt ids and idempotency keys do), `-`, 24 random hex
 * digits.
 */
export function randomId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const time = Date.now().toString(16).padStart(12, '0').slice(-12);
  return `${prefix}${time}-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * GET {base}/registrations/{id}/consents (docs/protocol.md 4.4): the account's receipts, acceptances and withdrawals,
 * exactly as the server stored them. The server is their system of record: the page keeps none of them (anything a
 * page stores is encrypted and purged once synced; the sync client's queue does that for what it sends).
 * `id` is the server's id (r_…), `token` the account's access code (or the admin token; null: the settings' headers
 * only). Resolves to `{ ok: true, consents: [{ receiptId, serverTime, receipt }], withdrawn }` or `{ ok: false, status }`
 * (401/403: not this account's code; 404: no such account; 0: no network).
 */
export async function fetchConsents(id, token = null) {
  const answer = await apiRequest('GET', `/registrations/${encodeURIComponent(id)}/consents`, { headers: token ? bearer(token) : {} });
  const body = answer.body;
  if (!answer.ok || !Array.isArray(body?.consents) || !Array.isArray(body?.withdrawn)) {
    return { ok: false, status: answer.ok ? 502 : answer.status };
  }
  const consents = body.consents.filter((c) => c && typeof c.receiptId === 'string' && c.receipt && typeof c.receipt === 'object');
  return { ok: true, consents, withdrawn: body.withdrawn.filter((id) => typeof id === 'string') };
}

// Earlier versions of the demo kept receipts in plain localStorage under this key: remove what they left behind.
try {
  localStorage.removeItem('shiming.receipts');
} catch {
  // No storage (privacy mode): nothing to remove.
}
