// The suite's HTTP client: one request per connection (no keep-alive), JSON in and out, the protocol client's retry on
// 429 (same key and body, after Retry-After), client-side pacing of writes, and a watch over every answer for the
// test persons' data.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown (and counted) when an answer carries a test person's data. */
export class PersonalDataLeak extends Error {}

/**
 * @param {{ baseUrl: string, writeRate?: number, timeoutMs?: number }} options  `writeRate`: at most this many
 *   POST/DELETE per second leave the suite (0: unpaced); the protocol's reference server limits writes per client
 *   (by default 50 per second, bursts of 200).
 */
export function createClient({ baseUrl, writeRate = 40, timeoutMs = 30_000 }) {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const transport = base.protocol === 'https:' ? httpsRequest : base.protocol === 'http:' ? httpRequest : null;
  if (!transport) throw new Error(`the base URL must be http: or https:, not ${base.protocol}`);

  /** Personal data the suite sent: value → what it is (name, idNumber, phone, birthDate). */
  const personal = new Map();
  const leaks = [];
  const stats = { requests: 0, scanned: 0, throttled: 0 };

  // Pacing: a token bucket of `writeRate` writes per second with bursts of WRITE_BURST (below the reference server's
  // 50 per second, bursts of 200). Each write reserves its token at once, so concurrent writes queue up in order.
  const WRITE_BURST = 20;
  let tokens = WRITE_BURST;
  let stamp = Date.now();
  async function pace() {
    if (!writeRate) return;
    const now = Date.now();
    tokens = Math.min(WRITE_BURST, tokens + ((now - stamp) / 1000) * writeRate);
    stamp = now;
    tokens -= 1;
    if (tokens < 0) await sleep((-tokens / writeRate) * 1000);
  }

  function urlOf(path) {
    // `path` is relative to the base: '/policy' → <base>/policy.
    return new URL(path.replace(/^\//, ''), base);
  }

  /** Remembers a value the suite sent as personal data, so that no answer may carry it. */
  function remember(value, what) {
    if (typeof value !== 'string') return;
    const trimmed = value.trim();
    // Short strings (e.g. a deliberately invalid 5-digit phone) could appear by chance in ids and times.
    if (what === 'name' ? trimmed.length < 2 : trimmed.length < 8) return;
    personal.set(trimmed, what);
  }

  function scan(method, path, res) {
    stats.scanned += 1;
    const haystack = `${JSON.stringify(res.headers)}\n${res.text}`;
    // The policy answer's documents are the platform's own texts: a birth date may appear there as a plain date.
    const isPolicy = method === 'GET' && /\/policy$/.test(path);
    for (const [value, what] of personal) {
      if (what === 'birthDate' && isPolicy) continue;
      if (haystack.includes(value)) {
        const leak = `the answer to ${method} ${path} (${res.status}) holds a test person's ${what}`;
        leaks.push(leak);
        throw new PersonalDataLeak(leak);
      }
    }
  }

  /**
   * One request. `body` is sent as JSON; `raw` as is (a Buffer); `key` as Idempotency-Key; `token` as a bearer token;
   * `headers` are added (e.g. Host); `paced: false` sends a write at once (a burst meant to overlap). Resolves `{ status, headers, text, json }`; rejects on a socket error before an
   * answer. A 429 is retried with the same key and body after its Retry-After (at most `retries429` times), unless
   * `retry429: false`.
   */
  async function call(method, path, { body, raw, key, token, headers = {}, retry429 = true, retries429 = 8, scanAnswer = true, paced = true } = {}) {
    const payload = raw ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
    const all = { ...headers };
    if (payload !== undefined && !Object.keys(all).some((h) => h.toLowerCase() === 'content-type')) {
      all['Content-Type'] = 'application/json';
    }
    if (key !== undefined) all['Idempotency-Key'] = key;
    if (token !== undefined) all.Authorization = `Bearer ${token}`;
    if (payload !== undefined) all['Content-Length'] = payload.length;
    for (let attempt = 0; ; attempt += 1) {
      if (paced && method !== 'GET' && method !== 'HEAD') await pace();
      const res = await once(method, path, all, payload);
      stats.requests += 1;
      if (scanAnswer) scan(method, path, res);
      if (res.status === 429) {
        stats.throttled += 1;
        checkThrottle(method, path, res);
        if (retry429 && attempt < retries429) {
          await sleep(Number(res.headers['retry-after']) * 1000);
          continue;
        }
      }
      return res;
    }
  }

  function checkThrottle(method, path, res) {
    const retryAfter = res.headers['retry-after'];
    if (!/^[0-9]+$/.test(retryAfter ?? '') || Number(retryAfter) < 1) {
      throw new Error(`${method} ${path}: a 429 must carry Retry-After in whole seconds (at least 1), got ${JSON.stringify(retryAfter)}`);
    }
    if (Number(retryAfter) > 60) {
      throw new Error(`${method} ${path}: a 429 asked to wait ${retryAfter} s: the suite gives up`);
    }
    const code = res.json?.issues?.[0]?.code;
    if (code !== 'sync_rate_limited') {
      throw new Error(`${method} ${path}: a 429 must carry the code sync_rate_limited, got ${JSON.stringify(code)}`);
    }
  }

  function once(method, path, headers, payload) {
    const url = urlOf(path);
    return new Promise((resolvePromise, reject) => {
      let answered = false;
      const req = transport(
        url,
        { method, headers, agent: false, timeout: timeoutMs },
        (res) => {
          answered = true;
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('error', reject);
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
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      // A server that answers early (413) and closes may make the rest of the upload fail: the answer counts.
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      req.end(payload);
    });
  }

  return { call, remember, base, urlOf, leaks, stats, personal };
}
