// The audit page's worker (a module worker): it loads the shiming module the documented way for plain pages
// (`import init from './pkg/shiming.js'; await init()`), reads the CSV, runs the audit in chunks (www/audit-core.js)
// and answers the page with counts, codes, messages and masked values only. The raw records never leave this worker.
//
// The file is read in chunks (READ_BYTES), decoded as its encoding says (detected, or the user's choice) and parsed
// as it comes, so that memory does not grow with the file beyond the rows with problems.
//
// Messages in:  { type: 'generate', rows, seed? }
//               | { type: 'audit', runId, file? (a File; else the last sample), encoding? (ENCODING_CHOICES) }
//               | { type: 'cancel', runId } | { type: 'page', runId, locale, start, count }
//               | { type: 'examples', runId, locale } | { type: 'report', runId, locale, reportId }
// Messages out: { type: 'ready' } | { type: 'failed', stage, reason } | { type: 'generated', rows, planned, blob, ms }
//               | { type: 'encoding', runId, encoding, how ('bom' | 'detected' | 'chosen') }
//               | { type: 'progress', runId, fraction, rows } | { type: 'done', runId, summary, wallMs }
//               | { type: 'cancelled', runId, rows } | { type: 'page', ... } | { type: 'examples', ... }
//               | { type: 'report', runId, reportId, blob, rows }
// Errors are reported by stage and a fixed reason, never with a record's content.

import init, * as shiming from './pkg/shiming.js';
import { Audit, CHUNK_ROWS, ENCODING_CHOICES, NotUtf8Error, decodeBlob, generateSample, todayInShanghai } from './audit-core.js';

let sample = null; // { blob } of the last generated sample (a UTF-8 CSV with a BOM, read like a chosen file)
let audit = null; // the last audit (finished or not)
let runId = 0;
const cancelled = new Set();

/** Lets queued messages (a cancel request) run between chunks. A MessageChannel task is not throttled like setTimeout. */
function yieldToMessages() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** A module error's own message (they start with "shiming:" and never hold input); anything else by its name only. */
function reasonOf(error) {
  const message = String(error?.message ?? '');
  return message.startsWith('shiming') ? message : error?.name ?? 'Error';
}

/** Thrown out of an audit when it is cancelled (or replaced by a newer one). */
class Cancelled extends Error {}

async function runAudit(message) {
  const id = message.runId;
  runId = id;
  const started = performance.now();
  const blob = message.file ?? sample?.blob;
  if (!blob) {
    postMessage({ type: 'failed', runId: id, stage: 'read', reason: 'no_input' });
    return;
  }
  let choice = ENCODING_CHOICES.includes(message.encoding) ? message.encoding : 'auto';
  // 'auto' took the file for UTF-8 from its first chunk and a later one was not: read it again as GB18030.
  let fallback = false;
  for (;;) {
    try {
      await auditBlob(id, blob, choice, fallback, started);
      return;
    } catch (error) {
      if (error instanceof NotUtf8Error && choice === 'auto') {
        choice = 'gb18030';
        fallback = true;
        continue;
      }
      audit = null;
      if (error instanceof Cancelled) {
        cancelled.delete(id);
        postMessage({ type: 'cancelled', runId: id, rows: error.rows });
      } else {
        postMessage({ type: 'failed', runId: id, stage: error.stage ?? 'audit', reason: reasonOf(error) });
      }
      return;
    }
  }
}

async function auditBlob(id, blob, choice, fallback, started) {
  audit = new Audit(shiming, { asOf: todayInShanghai() });
  audit.runId = id;
  const run = audit;
  let readMs = 0;
  let encoding = null;
  const onEncoding = (found) => {
    encoding = fallback ? { encoding: found.encoding, how: 'detected' } : found;
    postMessage({ type: 'encoding', runId: id, ...encoding });
  };
  const checkCancel = async () => {
    await yieldToMessages();
    if (cancelled.has(id) || runId !== id) throw Object.assign(new Cancelled(), { rows: run.rows });
  };
  postMessage({ type: 'progress', runId: id, fraction: 0, rows: 0 });
  const size = Math.max(1, blob.size);
  let before = 0; // bytes of the chunks already checked
  const chunks = decodeBlob(blob, choice, { onEncoding });
  for (;;) {
    const t0 = performance.now();
    let next;
    try {
      next = await chunks.next();
    } catch (error) {
      if (!(error instanceof NotUtf8Error)) error.stage = 'read';
      throw error;
    }
    readMs += performance.now() - t0;
    if (next.done) break;
    const { text, end, final } = next.value;
    run.push(text);
    if (final) run.end();
    const total = run.waiting;
    for (;;) {
      await checkCancel();
      const finished = run.step(CHUNK_ROWS);
      if (finished) break;
      const share = total === 0 ? 1 : 1 - run.waiting / total;
      postMessage({ type: 'progress', runId: id, fraction: Math.min(1, (before + (end - before) * share) / size), rows: run.rows });
      if (run.waiting === 0) break;
    }
    before = end;
    if (run.done) break;
  }
  if (!run.done) {
    run.end();
    while (!run.step(CHUNK_ROWS)) await checkCancel();
  }
  const summary = run.summary();
  summary.timings.readMs = readMs;
  summary.encoding = encoding;
  postMessage({ type: 'done', runId: id, summary, wallMs: performance.now() - started });
}

function current(message) {
  return audit && audit.done && audit.runId === message.runId ? audit : null;
}

async function handle(message) {
  switch (message.type) {
    case 'generate': {
      const started = performance.now();
      const rows = Math.max(1, Math.min(2_000_000, Math.floor(Number(message.rows) || 0)));
      const { text, planned } = generateSample(shiming, rows, { seed: message.seed ?? 20240601, asOf: todayInShanghai() });
      const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
      sample = { blob };
      postMessage({ type: 'generated', rows, planned, blob, ms: performance.now() - started });
      break;
    }
    case 'audit':
      await runAudit(message);
      break;
    case 'cancel':
      cancelled.add(message.runId);
      break;
    case 'page': {
      const done = current(message);
      if (!done) break;
      const rows = done.problemsPage(message.locale, message.start, message.count);
      postMessage({ type: 'page', runId: message.runId, locale: message.locale, start: message.start, total: done.problems.length, rows });
      break;
    }
    case 'examples': {
      const done = current(message);
      if (!done) break;
      postMessage({ type: 'examples', runId: message.runId, locale: message.locale, examples: done.examples(message.locale) });
      break;
    }
    case 'report': {
      const done = current(message);
      if (!done) break;
      const blob = new Blob([done.reportCsv(message.locale)], { type: 'text/csv;charset=utf-8' });
      postMessage({ type: 'report', runId: message.runId, reportId: message.reportId, locale: message.locale, blob, rows: done.problems.length });
      break;
    }
    default:
      break;
  }
}

/**
 * Runs the batch path once on made-up numbers, so that the engine has optimised it (wasm tier-up) before a file is
 * audited: the first chunk of a real audit would otherwise pay for it.
 */
function warmUp() {
  const numbers = Array.from({ length: 64 }, (_, i) => shiming.generateTestId({ seed: i + 1 }));
  const text = Array.from({ length: 8192 }, (_, i) => numbers[i % 64]).join('\n') + '\n';
  for (let i = 0; i < 4; i += 1) shiming.checkIdBatch(text, { asOf: todayInShanghai() });
}

const ready = init().then(
  () => {
    warmUp();
    postMessage({ type: 'ready' });
    return true;
  },
  (error) => {
    postMessage({ type: 'failed', stage: 'load', reason: reasonOf(error) });
    return false;
  },
);

// Messages are handled one at a time, in order, except `cancel`, which must get through while an audit runs.
let queue = Promise.resolve();
self.addEventListener('message', (event) => {
  const message = event.data;
  if (message?.type === 'cancel') {
    cancelled.add(message.runId);
    return;
  }
  queue = queue.then(async () => {
    if (!(await ready)) return;
    try {
      await handle(message);
    } catch (error) {
      postMessage({ type: 'failed', runId: message?.runId, stage: message?.type ?? 'unknown', reason: reasonOf(error) });
    }
  });
});
