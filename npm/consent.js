// Browser and bundler entry of `shiming/consent` (agreements, the reading tracker, acceptance and consent receipts;
// a wasm module of its own): instantiated by a top-level await.
//   import { ReadingTracker, ConsentGate, makeDocument } from 'shiming/consent';
import init from './consent/shiming_consent.js';
import * as wasm from './consent/shiming_consent.js';
import { registerModule } from './messages.js';

await init();
registerModule(wasm, 'locale messages');

export * from './consent/shiming_consent.js';
// The page's one configuration and the Traditional Chinese tables, shared with every other module of the package.
export { configure, loadLocale } from './messages.js';
