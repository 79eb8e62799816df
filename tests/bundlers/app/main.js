// An app (built by Vite 6, 7, 8 and webpack 5: tests/bundlers/README.md) that uses the package as the README says:
// the default entry with no init call, the other entries loaded lazily, and a module worker that is sent messages
// the moment it is created (before its wasm can be ready).
// The numbers are the public standard examples (GB 11643-1999).
import { checkId, isValidId, loadRegionNames, regionNamesLoaded, idNumberSchema } from 'shiming';

const asOf = '2024-06-01';
const out = {};
try {
  out.valid = checkId('11010519491231002X', { asOf, locale: 'en' }).ok;
  out.invalid = checkId('110101199003074478', { asOf }).issues?.[0]?.code;
  out.isValid = [isValidId('110101199003074477', { asOf }), isValidId('110101199003074478', { asOf })];
  out.schema = idNumberSchema({ asOf })['~standard'].validate('11010519491231002X').value;
  out.namesBefore = regionNamesLoaded();
  await loadRegionNames();
  out.county = checkId('11010519491231002X', { asOf }).value.region.county;

  const { evaluatePolicy } = await import('shiming/policy');
  out.policy = evaluatePolicy(null, 30, { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 },
    '2026-11-27T20:30:00+08:00').code;
  const { documentDigest } = await import('shiming/consent');
  out.digest = /^[0-9a-f]{64}$/.test(documentDigest('协议正文'));
  const { SyncClient } = await import('shiming/sync');
  out.sync = typeof SyncClient.open;

  // The README's worker pattern: messages posted at once, before the worker's wasm is instantiated, are all answered.
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
