// Idempotency keys (wire protocol v1, "Common rules"): every POST carries `Idempotency-Key`; a retry with the same
// key and the same body gets the original status and body back (`Idempotent-Replayed: true`) and never creates a
// second record; the same key with another body is 422 `sync_idempotency_key_reused`; the same key while the first
// request is still running is 409 `sync_request_in_progress` with `Retry-After: 1`.
//
// Completed records live in the store (the journal), so replays survive a restart; requests in flight live here,
// in memory only (a restart forgets them, and the client's retry then runs the request again, which is safe: a
// request that had stored something has its record in the same journal line as its data).
//
// A record holds the SHA-256 of the request body, never the body (it holds personal data), and the response body,
// which never holds personal data (server ids, receipt ids, issue codes and their params).

import { createHash } from 'node:crypto';

export const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function isValidKey(key) {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}

export function sha256Hex(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

export class Idempotency {
  /** @param {import('./store.mjs').Store} store */
  constructor(store) {
    this.store = store;
    /** key → scope of the request in flight */
    this.inFlight = new Map();
  }

  /**
   * Claims `key` for a request of `scope` (e.g. `POST /registrations`) with body hash `bodyHash`.
   * @returns {{ kind: 'new', release: () => void } | { kind: 'replay', record: object } | { kind: 'reused' }
   *   | { kind: 'in_progress' }}
   */
  claim(key, scope, bodyHash) {
    const record = this.store.idempotency.get(key);
    if (record) {
      if (record.scope === scope && record.bodyHash === bodyHash) return { kind: 'replay', record };
      return { kind: 'reused' };
    }
    if (this.inFlight.has(key)) return { kind: 'in_progress' };
    this.inFlight.set(key, scope);
    let released = false;
    return {
      kind: 'new',
      release: () => {
        if (!released) this.inFlight.delete(key);
        released = true;
      },
    };
  }

  /** The record to store with an outcome. */
  static record(key, scope, bodyHash, status, body, refs = {}) {
    return {
      key,
      scope,
      bodyHash,
      status,
      body,
      refs: { registrationIds: refs.registrationIds ?? [], receiptIds: refs.receiptIds ?? [] },
    };
  }
}
