// Durable storage of the reference backend: one append-only journal of JSON lines, replayed into memory at start.
//
//   <data-dir>/journal.jsonl     one entry per line (see `Entry` below); the only file that holds data
//   <data-dir>/journal.jsonl.tmp exists only during a compaction
//
// Durability: an entry is written and fsynced (FileHandle.sync) before the promise of `append` resolves, and the API
// answers 2xx only after that; a registration or a batch of receipts and its idempotency record are ONE line, so a
// crash can never keep the one without the other. A torn last line (a crash in the middle of a write) is dropped
// at replay and cut off the file; a malformed line anywhere else stops the server from starting.
//
// Erasure (account deletion): the registration, its receipts and the idempotency records that refer to them are
// removed from memory, then the journal is rewritten from memory (compaction) into a temporary file, which is
// fsynced, renamed over the journal, and the directory fsynced: the person's data is no longer in the file, only a
// tombstone with the server's id and the time. (Blocks the file system freed may still hold old bytes until they are
// reused: erasing those is the disk encryption's job, not the application's.)
//
// Uniqueness: one registration per document, by its identity key (`record.identityKey`, the package's `identityKey`:
// `<kind>:<canonical number>`, so a 15-digit resident ID and its 18-digit form are one document). A record written
// before the key was stored (an older journal) gets it at replay from the package (`Store.open`'s `identityKeyOf`),
// in memory; the next compaction writes it. The key holds the full number: it is personal data like the form, erased
// with it, and never part of an answer (the admin listing masks the number).
//
// Entry kinds (every entry has `type` and `at`, the server time in ms):
//   { type: 'registration', at, record: Registration, idem: IdemRecord | null }
//   { type: 'receipts', at, receipts: StoredReceipt[], idem: IdemRecord | null }
//   { type: 'idempotency', at, idem: IdemRecord }          (a final rejection, stored so that a retry replays it)
//   { type: 'tombstone', at, id }                          (a deleted registration: the server id only)
// IdemRecord = { key, scope, bodyHash, status, body, refs: { registrationIds: string[], receiptIds: string[] } }
//   `bodyHash` is the SHA-256 of the request body: the body itself is never stored.

import { open, mkdir, rename, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const JOURNAL = 'journal.jsonl';

export class Store {
  /** @private */
  constructor(dataDir, identityKeyOf) {
    this.dataDir = dataDir;
    this.identityKeyOf = identityKeyOf;
    this.path = join(dataDir, JOURNAL);
    /** @type {Map<string, object>} server id → registration */
    this.registrations = new Map();
    /** registrationId → server id */
    this.byRegistrationId = new Map();
    /** identity key (`<kind>:<canonical number>`) → server id */
    this.byIdentityKey = new Map();
    /** registrations replayed whose identity key an earlier one already holds (journals from before the keys) */
    this.duplicateKeys = 0;
    /** receiptId → { receiptId, digest, serverTime, subject, kind, documentId, documentVersion, consentKind, withdraws, receipt } */
    this.receipts = new Map();
    /** withdrawn receiptId → the withdrawal's receiptId */
    this.withdrawn = new Map();
    /** idempotency key → IdemRecord */
    this.idempotency = new Map();
    /** server id → deletion time */
    this.tombstones = new Map();
    this.lines = 0;
    this.handle = null;
    this.queue = Promise.resolve();
    this.closed = false;
  }

  /**
   * Opens (creating if needed) the data directory and replays its journal.
   * @param {string} dataDir
   * @param {{ identityKeyOf?: (form: { idKind: string, idNumber: string }) => string | null }} [options]
   *   the identity key of a stored form that has none (a journal written before keys were stored); without it, or
   *   when it gives null, such a record is keyed `<idKind>:<idNumber>` as before
   */
  static async open(dataDir, { identityKeyOf = null } = {}) {
    const store = new Store(dataDir, identityKeyOf);
    await mkdir(dataDir, { recursive: true });
    await store.replay();
    store.handle = await open(store.path, 'a');
    await store.handle.sync();
    await syncDir(dataDir);
    return store;
  }

  async replay() {
    let text;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (error.code === 'ENOENT') return;
      throw error;
    }
    const lines = text.split('\n');
    // Everything up to the last newline is complete; what follows it is a torn write (or empty).
    const tail = lines.pop();
    if (tail !== '') {
      let torn = false;
      try {
        JSON.parse(tail);
      } catch {
        torn = true;
      }
      const keep = Buffer.byteLength(text, 'utf8') - Buffer.byteLength(tail, 'utf8');
      const handle = await open(this.path, 'r+');
      try {
        if (torn) {
          await handle.truncate(keep);
        } else {
          // A complete entry whose newline was lost: keep it and restore the newline.
          await handle.write('\n', Buffer.byteLength(text, 'utf8'));
          lines.push(tail);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    lines.forEach((line, index) => {
      if (line === '') return;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        throw new Error(`${this.path}: line ${index + 1} is not JSON: the journal is corrupt (refusing to start)`);
      }
      this.apply(entry);
      this.lines += 1;
    });
  }

  /** Applies one entry to memory (replay and live writes share this). */
  apply(entry) {
    switch (entry.type) {
      case 'registration': {
        const record = entry.record;
        this.registrations.set(record.id, record);
        this.byRegistrationId.set(record.registrationId, record.id);
        if (typeof record.identityKey !== 'string') record.identityKey = this.keyOfOldRecord(record.form);
        // An older journal may hold two accounts of one document (stored when raw strings were compared): the
        // first keeps the key, the others are counted (`duplicateKeys`) and stay listed.
        const holder = this.byIdentityKey.get(record.identityKey);
        if (holder === undefined || holder === record.id) this.byIdentityKey.set(record.identityKey, record.id);
        else this.duplicateKeys += 1;
        this.tombstones.delete(record.id);
        break;
      }
      case 'receipts':
        for (const stored of entry.receipts) {
          this.receipts.set(stored.receiptId, stored);
          if (stored.withdraws) this.withdrawn.set(stored.withdraws, stored.receiptId);
        }
        break;
      case 'idempotency':
        break;
      case 'tombstone':
        this.tombstones.set(entry.id, entry.at);
        break;
      default:
        throw new Error(`${this.path}: unknown journal entry type ${JSON.stringify(entry.type)}`);
    }
    if (entry.idem) this.idempotency.set(entry.idem.key, entry.idem);
  }

  /** The identity key of a record that was stored without one. */
  keyOfOldRecord(form) {
    const key = this.identityKeyOf?.(form) ?? null;
    return typeof key === 'string' && key !== '' ? key : rawKey(form);
  }

  /**
   * Runs `fn` alone: no other exclusive section or write runs meanwhile. Checks that must hold at the moment of the
   * write (an ID number registered once) go inside, with the write.
   */
  exclusive(fn) {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Writes and fsyncs one entry, then applies it. Call inside `exclusive`. */
  async append(entry) {
    if (this.closed) throw new Error('the store is closed');
    await this.handle.write(`${JSON.stringify(entry)}\n`);
    await this.handle.sync();
    this.apply(entry);
    this.lines += 1;
  }

  /**
   * The stored receipts that belong to a registration, in the order they were stored: those whose subject is
   * `reg:<registrationId>` or which it cites, and the withdrawals of those. The same set `erase` removes, and what
   * `GET /registrations/{id}/consents` answers.
   */
  receiptsOf(record) {
    const subject = `reg:${record.registrationId}`;
    const ids = new Set(record.consents);
    for (const stored of this.receipts.values()) {
      if (stored.subject === subject) ids.add(stored.receiptId);
    }
    for (const stored of this.receipts.values()) {
      if (stored.withdraws && ids.has(stored.withdraws)) ids.add(stored.receiptId);
    }
    return [...this.receipts.values()].filter((stored) => ids.has(stored.receiptId));
  }

  /**
   * Erases a registration: the record, the receipts whose subject is `reg:<registrationId>` or which it cites,
   * withdrawals of those, and every idempotency record referring to any of them; leaves a tombstone; compacts the
   * journal. Returns false if the id is unknown. Call inside `exclusive`.
   */
  async erase(id, at) {
    const record = this.registrations.get(id);
    if (!record) return false;
    const receiptIds = new Set(this.receiptsOf(record).map((stored) => stored.receiptId));
    this.registrations.delete(id);
    this.byRegistrationId.delete(record.registrationId);
    if (this.byIdentityKey.get(record.identityKey) === id) {
      this.byIdentityKey.delete(record.identityKey);
      // Another account of the same document (an older journal's duplicate) takes the key over.
      for (const other of this.registrations.values()) {
        if (other.identityKey === record.identityKey) {
          this.byIdentityKey.set(other.identityKey, other.id);
          this.duplicateKeys -= 1;
          break;
        }
      }
    } else {
      this.duplicateKeys -= 1; // it was one of those duplicates
    }
    for (const receiptId of receiptIds) {
      const stored = this.receipts.get(receiptId);
      if (stored?.withdraws) this.withdrawn.delete(stored.withdraws);
      this.receipts.delete(receiptId);
      this.withdrawn.delete(receiptId);
    }
    for (const [key, idem] of this.idempotency) {
      const refs = idem.refs ?? {};
      if (
        refs.registrationIds?.includes(record.registrationId) ||
        refs.receiptIds?.some((r) => receiptIds.has(r))
      ) {
        this.idempotency.delete(key);
      }
    }
    this.tombstones.set(id, at);
    await this.compact();
    return true;
  }

  /** The journal's entries that rebuild the current memory state. */
  *snapshot() {
    const at = Date.now();
    for (const [id, deletedAt] of this.tombstones) yield { type: 'tombstone', at: deletedAt, id };
    // Receipts before registrations, in their original order (withdrawals after what they withdraw).
    for (const stored of this.receipts.values()) yield { type: 'receipts', at: stored.serverTime, receipts: [stored], idem: null };
    for (const record of this.registrations.values()) yield { type: 'registration', at: record.createdAt, record, idem: null };
    for (const idem of this.idempotency.values()) yield { type: 'idempotency', at, idem };
  }

  /** Rewrites the journal from memory: temp file, fsync, rename, fsync the directory. Call inside `exclusive`. */
  async compact() {
    const tmp = `${this.path}.tmp`;
    const out = await open(tmp, 'w');
    let lines = 0;
    try {
      let chunk = '';
      for (const entry of this.snapshot()) {
        chunk += `${JSON.stringify(entry)}\n`;
        lines += 1;
        if (chunk.length > 1 << 20) {
          await out.write(chunk);
          chunk = '';
        }
      }
      await out.write(chunk);
      await out.sync();
    } finally {
      await out.close();
    }
    await this.handle.close();
    this.handle = null;
    try {
      await rename(tmp, this.path);
      await syncDir(this.dataDir);
    } finally {
      this.handle = await open(this.path, 'a');
    }
    this.lines = lines;
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle?.close();
    this.handle = null;
  }

  /** Removes the data directory (only for temporary directories the server created itself). */
  async destroy() {
    await this.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** The key of a record stored before identity keys were (the raw `<idKind>:<idNumber>`): the last resort. */
export function rawKey(form) {
  return `${form.idKind}:${form.idNumber}`;
}

async function syncDir(dir) {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes(error.code)) throw error;
  } finally {
    await handle?.close();
  }
}
