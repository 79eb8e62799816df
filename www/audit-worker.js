// The audit page's worker (a module worker): it loads the shiming module the documented way for plain pages
// (`import init from './pkg/shiming.js'; await init()`), reads the CSV, runs the audit in chunks (www/audit-core.js)
// and answers the page with counts, codes, messages and masked values only. The raw records never leave this worker.
//
// Messages in:  { type: 'generate', rows, seed? } | { type: 'audit', runId, file? (a File; else the last sample) }
//               | { type: 'cancel', runId } | { type: 'page', runId, locale, start, count }
//               | { type: 'examples', runId, locale } | { type: 'report', runId, locale, reportId }
// Messages out: { type: 'ready' } | { type: 'failed', stage, reason } | { type: 'generated', rows, planned, blob, ms }
//               | { type: 'progress', runId, fraction, rows } | { type: 'done', runId, summary, wallMs }
//               | { type: 'cancelled', runId, rows } | { type: 'page', ... } | { type: 'examples', ... }
//               | { type: 'report', runId, reportId, blob, rows }
// Errors are reported by stage and a fixed reason, never with a record's content.

import init, * as shiming from './pkg/shiming.js';
import { Audit, CHUNK_ROWS, generateSample, todayInShanghai } from './audit-core.js';

let sample = null; // { text } of the last generated sample
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

async function runAudit(message) {
  const id = message.runId;
  runId = id;
  const started = performance.now();
  let text;
  try {
    if (message.file) {
      // File.text() decodes UTF-8 (a BOM, if any, is kept as U+FEFF and skipped by the reader).
      text = await message.file.text();
    } else if (sample) {
      text = sample.text;
    } else {
      postMessage({ type: 'failed', runId: id, stage: 'read', reason: 'no_input' });
      return;
    }
  } catch (error) {
    postMessage({ type: 'failed', runId: id, stage: 'read', reason: reasonOf(error) });
    return;
  }
  const readMs = performance.now() - started;
  audit = new Audit(shiming, text, { asOf: todayInShanghai() });
  audit.runId = id;
  postMessage({ type: 'progress', runId: id, fraction: 0, rows: 0 });
  for (;;) {
    await yieldToMessages();
    if (cancelled.has(id) || runId !== id) {
      cancelled.delete(id);
      postMessage({ type: 'cancelled', runId: id, rows: audit.rows });
      audit = null;
      return;
    }
    let finished;
    try {
      finished = audit.step(CHUNK_ROWS);
    } catch (error) {
      postMessage({ type: 'failed', runId: id, stage: 'audit', reason: reasonOf(error) });
      audit = null;
      return;
    }
    if (finished) break;
    postMessage({ type: 'progress', runId: id, fraction: audit.fraction(), rows: audit.rows });
  }
  const summary = audit.summary();
  summary.timings.readMs = readMs;
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
      sample = { text };
      const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
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
