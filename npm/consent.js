// Browser and bundler entry of `shiming/consent` (agreements, the reading tracker, acceptance and consent receipts;
// a wasm module of its own): instantiated by a top-level await.
//   import { ReadingTracker, ConsentGate, makeDocument } from 'shiming/consent';
import init from './consent/shiming_consent.js';

await init();

export * from './consent/shiming_consent.js';
