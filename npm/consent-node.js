// Node entry of `shiming/consent` (agreement documents and consent receipts, e.g. a backend verifying receipts):
// instantiated synchronously at import. ReadingTracker and ConsentGate need a browser DOM.
//   import { verifyReceipt } from 'shiming/consent';
import { readFileSync } from 'node:fs';
import { initSync } from './consent/shiming_consent.js';

initSync({ module: readFileSync(new URL('./consent/shiming_consent_bg.wasm', import.meta.url)) });

export * from './consent/shiming_consent.js';
