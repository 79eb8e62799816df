// A plain module page: the default entry (top-level await: every browser with ES modules in use today has it) and
// the raw entry with its own init, a module worker sent messages before its wasm is ready, and the lazily imported
// entries. The numbers are the public standard examples (GB 11643-1999).
import { checkId, loadRegionNames } from 'shiming';
import init, { isValidId } from 'shiming/web';

const asOf = '2024-06-01';
const out = {};
try {
  await init();
  out.valid = checkId('11010519491231002X', { asOf }).ok;
  out.isValid = [isValidId('110101199003074477', { asOf }), isValidId('110101199003074478', { asOf })];
  await loadRegionNames();
  out.county = checkId('11010519491231002X', { asOf }).value.region.county;
  const { evaluatePolicy } = await import('shiming/policy');
  out.policy = evaluatePolicy(null, 30, { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 },
    '2026-11-27T20:30:00+08:00').code;
  const { documentDigest } = await import('shiming/consent');
  out.digest = documentDigest('');
  const { SyncClient } = await import('shiming/sync');
  out.sync = typeof SyncClient.open;

  // Import maps do not reach into workers: the worker imports the file by its path.
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const inputs = ['11010519491231002X', '110101199003074478', '110101199003074477', 'x'];
  const answers = new Map();
  const done = new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      answers.set(data.id, data.ok);
      if (answers.size === inputs.length) resolve();
    };
    worker.onerror = (event) => reject(new Error(`worker error: ${event.message}`));
    setTimeout(() => reject(new Error(`worker answered ${answers.size} of ${inputs.length} messages`)), 10_000);
  });
  inputs.forEach((input, id) => worker.postMessage({ id, input, asOf }));
  await done;
  out.worker = inputs.map((_, id) => answers.get(id));
  worker.terminate();
} catch (error) {
  out.error = String(error?.stack ?? error);
}
document.getElementById('out').textContent = JSON.stringify(out);
document.body.dataset.ready = 'true';
