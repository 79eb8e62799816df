// The bulk account audit (issue 7): CSV reading, the audit itself and the test-sample generator, without any DOM or
// worker code, so that the page's worker (www/audit-worker.js) and the Node tests (tests/js/audit.test.mjs) run the
// same code. `api` is the shiming module's namespace: `./pkg/shiming.js` after `await init()` in the worker,
// `pkg/node.js` in Node.
//
// Every rule comes from the module: document numbers go through `checkIdBatch` (one call per chunk and declared
// document kind), names through `checkName`, phones through `checkPhone`, ages through `ageBand`, masks through
// `maskId`/`maskName`/`maskPhone`, messages from the issues those calls return. What is read here is layout only:
// CSV syntax and which column is which. Birth dates come from the batch too (`checkIdBatch`'s `birthDates`).
//
// Privacy: the raw values stay inside this module's objects (in the browser: inside the worker). What leaves it for
// display or download is counts, codes, messages and masked values (`problemsPage`, `examples`, `reportCsv`).

import { DIAGNOSTIC_KINDS } from './kinds.js';
import { checkChar, mulberry32 } from './test-data.js';
import Papa from './vendor/papaparse.js';

/** Rows parsed and checked per step: the worker posts progress and looks for a cancel request between steps. */
export const CHUNK_ROWS = 20000;

/** The fields of a record, in the order of the registration form's paths. */
export const FIELDS = ['idKind', 'idNumber', 'name', 'phone'];

/** The document kinds with a birth date at characters 7-14 of their 18-character number (GB 11643 layout). */

const ID_KINDS = [
  'cn_resident', 'cn_resident_legacy', 'hk_macao_taiwan_residence_permit', 'foreign_permanent_resident', 'hk_id',
  'mo_id', 'tw_id', 'hk_macao_home_return_permit', 'tw_mtp', 'cn_passport', 'uscc',
];

/**
 * What the document-kind column may hold: the kind's code, or its usual Chinese or English name. An empty cell means
 * "detect the kind". Anything else is reported as `id_kind_invalid` (and the number is still checked, kind detected).
 */
const KIND_ALIASES = new Map([
  ...ID_KINDS.map((kind) => [kind, kind]),
  ...Object.entries({
    cn_resident: ['居民身份证', '身份证', '二代身份证', '第二代居民身份证', 'resident id', 'resident id card', 'id card'],
    cn_resident_legacy: ['第一代居民身份证', '一代身份证', 'first-generation resident id'],
    hk_macao_taiwan_residence_permit: ['港澳台居民居住证', 'residence permit'],
    foreign_permanent_resident: ['外国人永久居留身份证', '外国人永久居留证', 'permanent residence id'],
    hk_id: ['香港身份证', '香港永久性居民身份证', 'hong kong identity card', 'hkid'],
    mo_id: ['澳门身份证', '澳门居民身份证', 'macau identity card'],
    tw_id: ['台湾身份证', 'taiwan id'],
    hk_macao_home_return_permit: ['港澳居民来往内地通行证', '回乡证', 'home return permit'],
    tw_mtp: ['台湾居民来往大陆通行证', '台胞证', 'mainland travel permit for taiwan residents'],
    cn_passport: ['中国护照', '护照', '中华人民共和国护照', 'passport'],
    uscc: ['统一社会信用代码', 'unified social credit code'],
  }).flatMap(([kind, names]) => names.map((name) => [name, kind])),
]);

/** Header names per column (compared trimmed and lowercased, spaces and underscores ignored). */
const HEADER_ALIASES = {
  name: ['姓名', '名字', '真实姓名', 'name', 'fullname', 'realname'],
  idKind: ['证件类型', '证件种类', 'kind', 'idkind', 'documentkind', 'documenttype', 'doctype', 'type'],
  idNumber: ['证件号码', '证件号', '身份证号', '身份证号码', 'idnumber', 'id', 'documentnumber', 'number', 'idno'],
  phone: ['手机号码', '手机号', '手机', '电话', '联系电话', 'phone', 'mobile', 'phonenumber', 'mobilenumber'],
};
const headerKey = (cell) => cell.trim().toLowerCase().replace(/[\s_\-]/g, '');
const HEADER_LOOKUP = new Map(Object.entries(HEADER_ALIASES).flatMap(([field, names]) => names.map((n) => [headerKey(n), field])));

/** Today's date in Asia/Shanghai as YYYY-MM-DD, whatever the device's time zone. */
export function todayInShanghai(now = new Date()) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A declared document kind as the module names it: '' (detect), a kind, or null (not a kind). */
export function resolveKind(cell) {
  const key = cell.trim().toLowerCase();
  if (key === '') return '';
  return KIND_ALIASES.get(key) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the file: its encoding, then CSV.
//
// Encodings: a byte order mark says UTF-8, UTF-16LE or UTF-16BE; without one, the first chunk is tried as UTF-8
// (strictly; a character cut at the chunk's end waits for the next) and read as GB18030 when it is not UTF-8.
// GB18030 is a superset of GBK, the encoding in which Excel for Chinese Windows saves "CSV". TextDecoder does the
// decoding (both encodings are in the Encoding Standard, in every browser and in Node).
//
// CSV is papaparse's (www/vendor/papaparse.js, written by scripts/build.mjs): comma-separated, fields optionally in
// double quotes with "" for a quote and line breaks inside; the line end (CRLF, LF or CR) is papaparse's guess from
// the start of the file; blank lines are skipped. The text comes in chunks and is parsed as it comes: a record cut
// by a chunk's end is parsed again with the next chunk, so that the records (and their line numbers) are the same
// whatever the chunk size.

/** Bytes read and decoded at a time. */
export const READ_BYTES = 1 << 20;

/** The encodings a user may choose: `auto` detects (above). */
export const ENCODING_CHOICES = ['auto', 'utf-8', 'gb18030'];

/** Thrown when a file read as UTF-8 because its first chunk was UTF-8 turns out not to be: read it again as GB18030. */
export class NotUtf8Error extends Error {
  constructor() {
    super('shiming audit: not UTF-8 after all');
    this.name = 'NotUtf8Error';
  }
}

/**
 * The encoding of a file from its first bytes: `{ encoding, how }`, `how` being 'bom' (a byte order mark) or
 * 'detected'. `whole`: the bytes are the whole file (else a multi-byte character cut at their end is no evidence).
 */
export function sniffEncoding(bytes, { whole = false } = {}) {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', how: 'bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', how: 'bom' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', how: 'bom' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !whole });
    return { encoding: 'utf-8', how: 'detected' };
  } catch {
    return { encoding: 'gb18030', how: 'detected' };
  }
}

/**
 * Reads a Blob (a File) as text, `chunkBytes` at a time: yields `{ text, end, final }` (`end`: the bytes read so
 * far). `choice` is one of ENCODING_CHOICES; `onEncoding({ encoding, how })` is called before the first text, `how`
 * being 'bom', 'detected' or 'chosen'. A BOM is not part of the text. When `auto` took the file for UTF-8 and a later
 * chunk is not, NotUtf8Error is thrown (the caller starts again with 'gb18030').
 */
export async function* decodeBlob(blob, choice = 'auto', { chunkBytes = READ_BYTES, onEncoding = () => {} } = {}) {
  let decoder = null;
  let start = 0;
  for (;;) {
    const end = Math.min(blob.size, start + chunkBytes);
    const bytes = new Uint8Array(await blob.slice(start, end).arrayBuffer());
    const final = end >= blob.size;
    if (decoder === null) {
      const found = choice === 'auto' ? sniffEncoding(bytes, { whole: final }) : { encoding: choice, how: 'chosen' };
      onEncoding(found);
      // Strict only where the guess could be wrong: a file taken for UTF-8 without a BOM.
      decoder = new TextDecoder(found.encoding, { fatal: found.how === 'detected' && found.encoding === 'utf-8' });
    }
    let text;
    try {
      text = decoder.decode(bytes, { stream: !final });
    } catch (error) {
      if (decoder.fatal && error instanceof TypeError) throw new NotUtf8Error();
      throw error;
    }
    yield { text, end, final };
    if (final) return;
    start = end;
  }
}

/** A record longer than this is cut at a chunk's end rather than carried on (only a broken file has one: a quote
 * never closed makes the rest of the file one field). */
const MAX_RECORD_CHARS = 1 << 22;

/** CSV records from text that comes in chunks (papaparse does the parsing). */
export class CsvRecords {
  /** @param {object} Papa papaparse */
  constructor(Papa) {
    this.Papa = Papa;
    /** The text of a record not finished by the last chunk. */
    this.rest = '';
    /** The line (1-based, as an editor counts them) where `rest` starts. */
    this.line = 1;
    /** The line end, papaparse's guess, kept once a complete record was read. */
    this.newline = undefined;
  }

  /**
   * Reads `text`, the next part of the file (`final`: the last), and calls `onRecord(fields, line)` for each complete
   * record, `line` being where it starts. Blank lines are skipped (a line of "" is a record of one empty field).
   */
  push(text, final, onRecord) {
    let input = this.rest + text;
    this.rest = '';
    // A CR at the end may be half of a CRLF: it waits for the rest (papaparse would take it for the line end).
    let held = '';
    if (!final && input.charCodeAt(input.length - 1) === 13) {
      held = '\r';
      input = input.slice(0, -1);
    }
    if (input === '') {
      this.rest = held;
      return;
    }
    // papaparse drops a leading U+FEFF and counts its cursor after it.
    const skip = input.charCodeAt(0) === 0xfeff ? 1 : 0;
    let line = this.line;
    let breakChar = '';
    let nextBreak = -1;
    let last = null;
    let lastStart = skip;
    let start = skip;
    const emit = (fields, from, to) => {
      if (!(fields.length === 1 && fields[0] === '' && input.charCodeAt(from) !== 34)) onRecord(fields, line);
      while (nextBreak !== -1 && nextBreak < to) {
        line += 1;
        nextBreak = input.indexOf(breakChar, nextBreak + 1);
      }
    };
    this.Papa.parse(input, {
      delimiter: ',',
      newline: this.newline,
      step: (results) => {
        if (breakChar === '') {
          breakChar = results.meta.linebreak === '\r' ? '\r' : '\n';
          nextBreak = input.indexOf(breakChar, skip);
        }
        // Each record is passed on when the next one starts: the last one may be unfinished.
        if (last !== null) {
          emit(last, lastStart, start);
          if (this.newline === undefined) this.newline = results.meta.linebreak;
        }
        last = results.data;
        lastStart = start;
        start = results.meta.cursor + skip;
      },
    });
    if (last !== null && (final || start - lastStart > MAX_RECORD_CHARS)) {
      emit(last, lastStart, start);
      this.rest = held;
    } else {
      this.rest = (last === null ? input : input.slice(lastStart)) + held;
    }
    this.line = line;
  }
}

/**
 * Which column holds which field. A first record whose cells name at least two known columns is a header; otherwise
 * the columns are positional: 4 or more cells are name, document kind, document number, phone; 3 are name, number,
 * phone; 2 are name and number; 1 is the number.
 * @returns {{ header: boolean, columns: { name: number, idKind: number, idNumber: number, phone: number } }}
 */
export function detectColumns(firstRecord) {
  const columns = { name: -1, idKind: -1, idNumber: -1, phone: -1 };
  let named = 0;
  firstRecord.forEach((cell, index) => {
    const field = HEADER_LOOKUP.get(headerKey(cell));
    if (field && columns[field] === -1) {
      columns[field] = index;
      named += 1;
    }
  });
  if (named >= 2 || (named === 1 && firstRecord.length === 1 && columns.idNumber === 0)) return { header: true, columns };
  const n = firstRecord.length;
  if (n >= 4) return { header: false, columns: { name: 0, idKind: 1, idNumber: 2, phone: 3 } };
  if (n === 3) return { header: false, columns: { name: 0, idKind: -1, idNumber: 1, phone: 2 } };
  if (n === 2) return { header: false, columns: { name: 0, idKind: -1, idNumber: 1, phone: -1 } };
  return { header: false, columns: { name: -1, idKind: -1, idNumber: 0, phone: -1 } };
}

// ---------------------------------------------------------------------------------------------------------------
// The audit.

const now = () => performance.now();

const dateOfKey = (key) => {
  const s = String(key);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};

/**
 * The kinds an audit reads when a row declares none: every personal document, the first-generation 15-digit number
 * included. An audit looks at accounts already stored (old data), so it classifies every document it can read; the
 * registration defaults (the package's: resident ID, residence permit, permanent residence ID) are for new accounts.
 */
export const AUDIT_KINDS = DIAGNOSTIC_KINDS;

export class Audit {
  /**
   * An audit of CSV text given in parts: `push(text)` for each, `end()` after the last; `step()` checks what has been
   * read. Memory holds the records of the parts not yet checked, the rows with problems and the counts.
   * @param {object} api the shiming module
   * @param {{ asOf?: string, kinds?: string[] }} [options] "today" (YYYY-MM-DD); default today in Asia/Shanghai.
   *   `kinds`: the document kinds read when a row declares none; default AUDIT_KINDS.
   */
  constructor(api, { asOf = todayInShanghai(), kinds = AUDIT_KINDS } = {}) {
    this.api = api;
    this.csv = new CsvRecords(Papa);
    this.asOf = asOf;
    this.kinds = kinds;
    this.columns = null;
    this.header = false;
    this.rows = 0;
    this.ended = false;
    this.done = false;
    this.timings = { parseMs: 0, idBatchMs: 0, ageMs: 0, nameMs: 0, phoneMs: 0 };
    /** Per field: code → rows whose first issue in that field has that code. */
    this.counts = { idKind: new Map(), idNumber: new Map(), name: new Map(), phone: new Map() };
    this.idValid = 0;
    /** Valid numbers per birth date (YYYYMMDD as a number), and each date's age band. */
    this.dateCounts = new Map();
    this.bandCache = new Map();
    /** What the package says of each band met: `ageBand`'s `isMinor` and `needsGuardianConsent`. */
    this.bandRules = new Map();
    this.nameCache = new Map();
    this.kindCache = new Map();
    /** Rows with at least one problem: raw values (never sent out) and the first code per field ('' = fine). */
    this.problems = [];
    /** `${field} ${code}` → index into problems of the first row with that code, for the example message. */
    this.firstProblem = new Map();
    /** Set when the header names no document-number column. */
    this.missingIdColumn = false;
    /** The records read and not yet checked, by column (`next`: the first not checked). */
    this.pending = { next: 0, lines: [], ids: [], names: [], phones: [], kinds: [], alone: [] };
    this.onRecord = (fields, line) => this.take(fields, line);
  }

  /** Reads the next part of the CSV text (parsing only: `step` checks). */
  push(text) {
    const t0 = now();
    if (!this.ended && !this.missingIdColumn) this.csv.push(text, false, this.onRecord);
    this.timings.parseMs += now() - t0;
  }

  /** Says that all the text has been pushed. */
  end() {
    const t0 = now();
    if (!this.ended && !this.missingIdColumn) this.csv.push('', true, this.onRecord);
    this.ended = true;
    if (this.columns === null) this.columns = { name: -1, idKind: -1, idNumber: 0, phone: -1 };
    this.timings.parseMs += now() - t0;
  }

  /** Records read and not yet checked. */
  get waiting() {
    return this.pending.lines.length - this.pending.next;
  }

  /** One record from the CSV reader: the first decides the columns (and is skipped when it is a header). */
  take(fields, line) {
    if (this.missingIdColumn) return;
    if (this.columns === null) {
      const detected = detectColumns(fields);
      this.columns = detected.columns;
      this.header = detected.header;
      if (detected.columns.idNumber === -1) {
        // A header without a document-number column: nothing to audit.
        this.missingIdColumn = true;
        return;
      }
      if (detected.header) return;
    }
    const col = this.columns;
    const pending = this.pending;
    const id = fields[col.idNumber] ?? '';
    // A number with a line break inside (possible in a quoted CSV field) cannot be a batch line: checked on its own.
    if (id.includes('\n') || id.includes('\r')) pending.alone.push(pending.lines.length);
    pending.lines.push(line);
    pending.ids.push(id);
    if (col.name >= 0) pending.names.push(fields[col.name] ?? '');
    if (col.phone >= 0) pending.phones.push(fields[col.phone] ?? '');
    if (col.idKind >= 0) {
      const cell = fields[col.idKind] ?? '';
      let kind = this.kindCache.get(cell);
      if (kind === undefined) {
        kind = resolveKind(cell);
        if (this.kindCache.size < 10000) this.kindCache.set(cell, kind);
      }
      pending.kinds.push(kind);
    }
  }

  /** Checks up to `maxRows` of the records read. Returns true when the whole file has been read and checked. */
  step(maxRows = CHUNK_ROWS) {
    if (this.done) return true;
    if (this.missingIdColumn || (this.ended && this.waiting === 0)) {
      this.done = true;
      return true;
    }
    if (this.waiting === 0) return false;
    const { api, timings } = this;
    const t0 = now();
    const col = this.columns;
    const pending = this.pending;
    const from = pending.next;
    const to = Math.min(pending.lines.length, from + maxRows);
    const lines = pending.lines.slice(from, to);
    const ids = pending.ids.slice(from, to);
    const names = col.name >= 0 ? pending.names.slice(from, to) : [];
    const phones = col.phone >= 0 ? pending.phones.slice(from, to) : [];
    const kinds = col.idKind >= 0 ? pending.kinds.slice(from, to) : [];
    const alone = [];
    while (pending.alone.length && pending.alone[0] < to) alone.push(pending.alone.shift() - from);
    if (to === pending.lines.length) {
      this.pending = { next: 0, lines: [], ids: [], names: [], phones: [], kinds: [], alone: [] };
    } else {
      pending.next = to;
    }
    const kindColumn = col.idKind;
    const n = lines.length;

    // One batch text per declared kind ('' and invalid declarations: detect the kind).
    const groups = new Map();
    if (kindColumn < 0 && alone.length === 0) {
      groups.set('', { rows: null, text: n === 0 ? '' : ids.join('\n') + '\n' });
    } else {
      const skip = new Set(alone);
      for (let i = 0; i < n; i += 1) {
        if (skip.size !== 0 && skip.has(i)) continue;
        const kind = kindColumn >= 0 ? kinds[i] ?? '' : '';
        let group = groups.get(kind);
        if (!group) groups.set(kind, (group = { rows: [], text: '' }));
        group.rows.push(i);
      }
      for (const group of groups.values()) group.text = group.rows.map((i) => ids[i]).join('\n') + '\n';
    }
    const t1 = now();
    timings.parseMs += t1 - t0;

    // Document numbers: the batch API (the timed part).
    const idCodes = new Array(n);
    // Each valid number's birth date as YYYYMMDD (0: none), from the same batch call.
    const birthKeys = new Uint32Array(n);
    for (const [kind, group] of groups) {
      const rows = group.rows;
      const count = rows === null ? n : rows.length;
      if (count === 0) continue;
      const options = { asOf: this.asOf, kinds: kind ? [kind] : this.kinds };
      const report = api.checkIdBatch(group.text, options, { birthDates: true });
      if (report.total !== count) throw new Error('shiming audit: the batch line count does not match the rows');
      const { status, codes, birthDates } = report;
      if (rows === null) {
        for (let k = 0; k < n; k += 1) {
          const s = status[k];
          idCodes[k] = s === 0 ? '' : codes[s - 1];
        }
        birthKeys.set(birthDates);
      } else {
        for (let k = 0; k < count; k += 1) {
          const s = status[k];
          idCodes[rows[k]] = s === 0 ? '' : codes[s - 1];
          birthKeys[rows[k]] = birthDates[k];
        }
      }
    }
    for (const i of alone) {
      const kind = col.idKind >= 0 ? kinds[i] ?? '' : '';
      const result = api.checkId(ids[i], { asOf: this.asOf, kinds: kind ? [kind] : this.kinds });
      idCodes[i] = result.ok ? '' : result.issues[0].code;
      const birthDate = result.ok ? result.value.birthDate : undefined;
      if (birthDate) birthKeys[i] = Number(birthDate.replaceAll('-', ''));
    }
    const t2 = now();
    timings.idBatchMs += t2 - t1;

    // Age bands of the valid numbers: rows are counted per birth date, and ageBand runs once per distinct date.
    const dateCounts = this.dateCounts;
    for (let i = 0; i < n; i += 1) {
      if (idCodes[i] !== '') continue;
      this.idValid += 1;
      const key = birthKeys[i];
      if (key === 0) continue; // a document without a birth date
      dateCounts.set(key, (dateCounts.get(key) ?? 0) + 1);
    }
    for (const key of dateCounts.keys()) {
      if (this.bandCache.has(key)) continue;
      const { band, isMinor, needsGuardianConsent } = api.ageBand(dateOfKey(key), this.asOf);
      this.bandCache.set(key, band);
      if (!this.bandRules.has(band)) this.bandRules.set(band, { isMinor, needsGuardianConsent });
    }
    const t3 = now();
    timings.ageMs += t3 - t2;

    // Names (cached per distinct name: names repeat) and phones.
    const nameCodes = col.name >= 0 ? new Array(n) : null;
    if (nameCodes) {
      const cache = this.nameCache;
      for (let i = 0; i < n; i += 1) {
        const name = names[i];
        let code = cache.get(name);
        if (code === undefined) {
          // isValidName builds no result object: three times cheaper on the (common) valid names.
          if (api.isValidName(name)) code = '';
          else {
            const result = api.checkName(name);
            code = result.ok ? '' : result.issues[0].code;
          }
          if (cache.size >= 200000) cache.clear();
          cache.set(name, code);
        }
        nameCodes[i] = code;
      }
    }
    const t4 = now();
    timings.nameMs += t4 - t3;
    const phoneCodes = col.phone >= 0 ? new Array(n) : null;
    if (phoneCodes) {
      for (let i = 0; i < n; i += 1) {
        const result = api.checkPhone(phones[i]);
        phoneCodes[i] = result.ok ? '' : result.issues[0].code;
      }
    }
    const t5 = now();
    timings.phoneMs += t5 - t4;

    // Tally, and keep the rows with problems.
    for (let i = 0; i < n; i += 1) {
      const kindCode = col.idKind >= 0 && kinds[i] === null ? 'id_kind_invalid' : '';
      const idCode = idCodes[i];
      const nameCode = nameCodes ? nameCodes[i] : '';
      const phoneCode = phoneCodes ? phoneCodes[i] : '';
      if (kindCode === '' && idCode === '' && nameCode === '' && phoneCode === '') continue;
      const index = this.problems.length;
      const codes = { idKind: kindCode, idNumber: idCode, name: nameCode, phone: phoneCode };
      for (const field of FIELDS) {
        const code = codes[field];
        if (code === '') continue;
        const counts = this.counts[field];
        counts.set(code, (counts.get(code) ?? 0) + 1);
        const key = `${field} ${code}`;
        if (!this.firstProblem.has(key)) this.firstProblem.set(key, index);
      }
      this.problems.push({
        line: lines[i],
        name: nameCodes ? names[i] : null,
        kind: col.idKind >= 0 ? kinds[i] : '',
        id: ids[i],
        phone: phoneCodes ? phones[i] : null,
        codes,
      });
    }
    this.rows += n;
    timings.parseMs += now() - t5;
    if (this.ended && this.waiting === 0) this.done = true;
    return this.done;
  }

  /** Audits a whole CSV text at once (the Node tests; the page's worker pushes a file's text as it reads it). */
  static ofText(api, text, options) {
    const audit = new Audit(api, options);
    audit.push(text);
    audit.end();
    return audit;
  }

  /** Counts and timings: no personal data. */
  summary() {
    const t = this.timings;
    const computeMs = t.parseMs + t.idBatchMs + t.ageMs + t.nameMs + t.phoneMs;
    const counts = {};
    for (const field of FIELDS) counts[field] = Object.fromEntries([...this.counts[field]].sort((a, b) => b[1] - a[1]));
    const byBand = new Map();
    for (const [key, count] of this.dateCounts) {
      const band = this.bandCache.get(key);
      byBand.set(band, (byBand.get(band) ?? 0) + count);
    }
    const bands = Object.fromEntries(byBand);
    const rules = this.bandRules;
    const minors = [...byBand].reduce((sum, [band, count]) => sum + (rules.get(band).isMinor ? count : 0), 0);
    // Under 14 (PIPL Art. 31): the bands for which the package's ageBand asks a guardian's consent.
    const guardianBands = [...rules].filter(([, rule]) => rule.needsGuardianConsent).map(([band]) => band);
    const underFourteen = guardianBands.reduce((sum, band) => sum + (byBand.get(band) ?? 0), 0);
    return {
      rows: this.rows,
      header: this.header,
      missingIdColumn: this.missingIdColumn,
      columns: Object.fromEntries(Object.entries(this.columns ?? {}).map(([field, index]) => [field, index >= 0])),
      asOf: this.asOf,
      problemRows: this.problems.length,
      idValid: this.idValid,
      idInvalid: this.rows - this.idValid,
      counts,
      bands,
      minors,
      underFourteen,
      guardianBands,
      distinctBirthDates: this.bandCache.size,
      timings: { ...t, computeMs, idRowsPerSecond: t.idBatchMs > 0 ? Math.round(this.rows / (t.idBatchMs / 1000)) : null },
    };
  }

  /** The issues of one problem row in `locale`, from the module (all the field's issues, not only the first). */
  issuesOf(problem, locale) {
    const { api } = this;
    const issues = [];
    const { codes } = problem;
    if (codes.idKind) issues.push({ field: 'idKind', code: codes.idKind, message: this.kindInvalidMessage(locale) });
    if (codes.idNumber) {
      const kind = problem.kind || undefined;
      const result = api.checkId(problem.id, { asOf: this.asOf, locale, kinds: kind ? [kind] : this.kinds });
      if (!result.ok) for (const issue of result.issues) issues.push({ field: 'idNumber', code: issue.code, message: issue.message });
    }
    if (codes.name) {
      const result = api.checkName(problem.name, { locale });
      if (!result.ok) for (const issue of result.issues) issues.push({ field: 'name', code: issue.code, message: issue.message });
    }
    if (codes.phone) {
      const result = api.checkPhone(problem.phone, { locale });
      if (!result.ok) for (const issue of result.issues) issues.push({ field: 'phone', code: issue.code, message: issue.message });
    }
    return issues;
  }

  kindInvalidMessage(locale) {
    this.kindMessages ??= new Map();
    let message = this.kindMessages.get(locale);
    if (message === undefined) {
      const result = this.api.checkRegistration({ idKind: 'not-a-kind' }, { fields: ['idKind'], locale, asOf: this.asOf });
      message = result.ok ? '' : result.issues.find((issue) => issue.code === 'id_kind_invalid')?.message ?? '';
      this.kindMessages.set(locale, message);
    }
    return message;
  }

  /** A problem row for display: masked values, the declared kind, the issues. */
  masked(problem, locale) {
    const { api } = this;
    return {
      line: problem.line,
      name: problem.name ? api.maskName(problem.name) : '',
      kind: problem.kind,
      id: problem.id ? api.maskId(problem.id) : '',
      phone: problem.phone ? api.maskPhone(problem.phone) : '',
      issues: this.issuesOf(problem, locale),
    };
  }

  /** One page of problem rows, masked, with messages in `locale`. */
  problemsPage(locale, start, count) {
    return this.problems.slice(start, start + count).map((problem) => this.masked(problem, locale));
  }

  /** Per field and code: the count and the message of the first row with it (messages may carry that row's params). */
  examples(locale) {
    const out = [];
    for (const field of FIELDS) {
      for (const [code, count] of [...this.counts[field]].sort((a, b) => b[1] - a[1])) {
        const problem = this.problems[this.firstProblem.get(`${field} ${code}`)];
        const issue = this.issuesOf(problem, locale).find((i) => i.field === field && i.code === code);
        out.push({ field, code, count, message: issue?.message ?? '' });
      }
    }
    return out;
  }

  /** The report: one line per problem row, masked values, codes and messages in `locale`; UTF-8 BOM for Excel. */
  reportCsv(locale) {
    const head = REPORT_HEADERS[locale] ?? REPORT_HEADERS['zh-CN'];
    const out = ['\ufeff' + head.map(csvCell).join(',')];
    for (const problem of this.problems) {
      const row = this.masked(problem, locale);
      out.push(
        [
          String(row.line),
          row.name,
          row.kind === null ? '' : row.kind,
          row.id,
          row.phone,
          row.issues.map((i) => i.code).join(' '),
          row.issues.map((i) => i.message).join(locale === 'en' ? '; ' : '；'),
        ]
          .map(csvCell)
          .join(','),
      );
    }
    return out.join('\r\n') + '\r\n';
  }
}

export const REPORT_HEADERS = {
  'zh-CN': ['行号', '姓名（脱敏）', '证件类型', '证件号码（脱敏）', '手机号码（脱敏）', '问题代码', '问题说明'],
  en: ['Line', 'Name (masked)', 'Document kind', 'Document number (masked)', 'Phone (masked)', 'Issue codes', 'Issues'],
};

/** One CSV cell: quoted when needed; a leading = + - @ is neutralised so that spreadsheets never run it as a formula. */
export function csvCell(value) {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

// ---------------------------------------------------------------------------------------------------------------
// The test sample: made-up records for trying the page. Every document number comes from `generateTestId` (the
// module's test data: real check characters, real dates and divisions, and never a real person's number), names are
// random pairs of common characters, phones random numbers in common segments. A share of rows carries one planted
// error per field, labelled in the last column with the code the audit must find; minors are labelled with their
// age band. The same (rows, seed) always gives the same file.

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '萧', '田', '董', '潘', '袁', '蔡', '蒋', '余', '欧阳', '司马', '上官'];
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅文志海燕鹏飞晓雪宇轩子涵思雨浩然欣怡嘉睿博文佳琪梓萱一诺沐辰若曦';
const UYGHUR = ['阿依', '古丽', '买买提', '热依拉', '艾力', '努尔', '帕提古丽', '阿不都'];
const HK_SURNAMES = ['CHAN', 'WONG', 'LEUNG', 'LAU', 'CHEUNG', 'LEE', 'NG', 'HO', 'TSANG', 'YEUNG'];
const HK_GIVEN = ['Tai Man', 'Siu Ming', 'Ka Yan', 'Wing Sze', 'Chi Keung', 'Mei Ling', 'Ho Yin', 'Wai Lun'];
const PHONE_PREFIXES = ['138', '139', '135', '136', '137', '150', '151', '158', '159', '186', '185', '130', '131', '133', '153', '177', '180', '189', '199', '198', '166', '191'];
/** A number with its check character: to plant errors that only the date or the region explains, and to vary the
 * order code of a generated number. */
const withCheck = (body17) => body17 + checkChar(body17);

const SAMPLE_HEADER = ['姓名', '证件类型', '证件号码', '手机号码', '预期结果'];

/**
 * Makes a sample CSV of `rows` records.
 * @returns {{ text: string, planned: { rows: number, counts: Record<string, Record<string, number>>, bands: Record<string, number>, problemRows: number } }}
 */
export function generateSample(api, rows, { seed = 20240601, asOf = todayInShanghai() } = {}) {
  const rand = mulberry32(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const digits = (n) => {
    let s = '';
    for (let i = 0; i < n; i += 1) s += String(Math.floor(rand() * 10));
    return s;
  };
  const [ty, tm, td] = asOf.split('-').map(Number);
  const todayUtc = Date.UTC(ty, tm - 1, td);
  const isoOf = (ms) => new Date(ms).toISOString().slice(0, 10);

  // Pools of generated numbers; each is reused with different order codes (check character recomputed), so that a
  // million distinct valid numbers cost a few thousand generateTestId calls.
  const adultPool = [];
  const minorPool = [];
  const minorBirths = []; // the birth date each minor number was made with (variants keep it)
  const adultSize = Math.min(4096, Math.max(16, rows));
  const minorSize = Math.min(1024, Math.max(16, rows));
  for (let i = 0; i < adultSize; i += 1) adultPool.push(api.generateTestId({ seed: seed + i }));
  for (let i = 0; i < minorSize; i += 1) {
    // Born 30 days to about 17.8 years ago: minors, in every band.
    const birth = isoOf(todayUtc - (30 + Math.floor(rand() * 6470)) * 86400000);
    minorPool.push(api.generateTestId({ seed: seed + 100000 + i, birthDate: birth }));
    minorBirths.push(birth);
  }
  const bandCache = new Map();
  const bandOf = (date) => {
    let band = bandCache.get(date);
    if (band === undefined) bandCache.set(date, (band = api.ageBand(date, asOf).band));
    return band;
  };
  const used = { adult: 0, minor: 0 };
  const fromPool = (pool, which) => {
    const n = used[which]++;
    const base = pool[n % pool.length];
    const variant = Math.floor(n / pool.length);
    if (variant === 0) return base;
    const order = ((Number(base.slice(14, 17)) + variant - 1) % 999) + 1;
    return withCheck(base.slice(0, 14) + String(order).padStart(3, '0'));
  };

  const counts = { idKind: {}, idNumber: {}, name: {}, phone: {} };
  const bands = {};
  let problemRows = 0;
  const plan = (labels, field, code) => {
    counts[field][code] = (counts[field][code] ?? 0) + 1;
    labels.push(code);
  };
  const quoteIfNeeded = (s) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

  const lines = ['\ufeff' + SAMPLE_HEADER.join(',')];
  for (let row = 0; row < rows; row += 1) {
    const labels = [];
    let name;
    let kind;
    let id;
    let phone;
    const r = rand();
    if (r < 0.01) {
      // A Hong Kong resident: HKID, Latin name "SURNAME, Given", +852 mobile.
      kind = pick(['hk_id', '香港身份证']);
      id = api.generateTestId({ seed: seed + 200000 + row, kind: 'hk_id' });
      name = `${pick(HK_SURNAMES)}, ${pick(HK_GIVEN)}`;
      phone = `+852 ${pick(['5', '6', '9'])}${digits(3)} ${digits(4)}`;
    } else if (r < 0.015) {
      // A first-generation 15-digit number (valid, with a warning): the kind is detected.
      kind = '';
      id = api.generateTestId({ seed: seed + 300000 + row, kind: 'cn_resident_legacy' });
    } else {
      kind = pick(['居民身份证', '居民身份证', 'cn_resident', '']);
      const minor = rand() < 0.06;
      const birth = minor ? minorBirths[used.minor % minorPool.length] : null;
      id = minor ? fromPool(minorPool, 'minor') : fromPool(adultPool, 'adult');
      const e = rand();
      // Planted document-number errors, each explained by exactly one code.
      if (e < 0.02) {
        const right = id[17];
        const wrong = '0123456789X'.replace(right, '');
        id = id.slice(0, 17) + wrong[Math.floor(rand() * wrong.length)];
        plan(labels, 'idNumber', 'id_checksum_mismatch');
      } else if (e < 0.035) {
        id = id.slice(0, 17) + (rand() < 0.5 ? '' : digits(2));
        plan(labels, 'idNumber', 'id_invalid_length');
      } else if (e < 0.045) {
        id = id.slice(0, 10) + pick(['O', 'Z', 'S']) + id.slice(11);
        plan(labels, 'idNumber', 'id_invalid_character');
      } else if (e < 0.055) {
        const year = id.slice(6, 10);
        id = withCheck(id.slice(0, 6) + year + pick(['0230', '0431', '1301', '0000', '0632']) + id.slice(14, 17));
        plan(labels, 'idNumber', 'id_birth_date_invalid');
      } else if (e < 0.065) {
        const future = isoOf(todayUtc + (1 + Math.floor(rand() * 3000)) * 86400000).replaceAll('-', '');
        id = withCheck(id.slice(0, 6) + future + id.slice(14, 17));
        plan(labels, 'idNumber', 'id_birth_date_in_future');
      } else if (e < 0.075) {
        id = withCheck(pick(['00', '20', '10', '39', '49']) + id.slice(2, 17));
        plan(labels, 'idNumber', 'id_region_invalid');
      } else if (e < 0.08) {
        id = '';
        plan(labels, 'idNumber', 'id_empty');
      } else if (minor) {
        const band = bandOf(birth);
        bands[band] = (bands[band] ?? 0) + 1;
        labels.push(`minor:${band}`);
      }
    }
    if (kind !== undefined && row % 331 === 7) {
      kind = pick(['驾驶证', '学生证', 'driving licence']);
      plan(labels, 'idKind', 'id_kind_invalid');
    }
    if (name === undefined) {
      const n = rand();
      if (n < 0.01) name = pick(UYGHUR) + '·' + pick(UYGHUR);
      else name = pick(SURNAMES) + GIVEN[Math.floor(rand() * GIVEN.length)] + (rand() < 0.6 ? GIVEN[Math.floor(rand() * GIVEN.length)] : '');
      const e = rand();
      if (e < 0.01) {
        name = '';
        plan(labels, 'name', 'name_empty');
      } else if (e < 0.02) {
        name = name.slice(0, 1) + pick(['Wei', 'Li', 'Na']);
        plan(labels, 'name', 'name_mixed_script');
      } else if (e < 0.03) {
        name = name + String(Math.floor(rand() * 10));
        plan(labels, 'name', 'name_invalid_character');
      }
    }
    if (phone === undefined) {
      phone = pick(PHONE_PREFIXES) + digits(8);
      const e = rand();
      if (e < 0.01) {
        phone = '';
        plan(labels, 'phone', 'phone_empty');
      } else if (e < 0.02) {
        phone = phone.slice(0, 10);
        plan(labels, 'phone', 'phone_invalid_length');
      } else if (e < 0.03) {
        phone = '12' + phone.slice(2);
        plan(labels, 'phone', 'phone_invalid_prefix');
      }
    }
    if (labels.some((label) => !label.startsWith('minor:'))) problemRows += 1;
    // Some numbers quoted, as spreadsheets do with long digit strings.
    const idCell = rand() < 0.05 ? `"${id}"` : quoteIfNeeded(id);
    lines.push([quoteIfNeeded(name), quoteIfNeeded(kind), idCell, quoteIfNeeded(phone), labels.join(' ')].join(','));
  }
  return { text: lines.join('\r\n') + '\r\n', planned: { rows, counts, bands, problemRows } };
}
