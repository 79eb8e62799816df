// Node entry of `shiming/consent` (agreement documents and consent receipts, e.g. a backend verifying receipts):
// instantiated synchronously at import, the Traditional Chinese tables installed. ReadingTracker and ConsentGate need
// a browser DOM.
//   import { verifyReceipt } from 'shiming/consent';
import { readFileSync } from 'node:fs';
import { initSync } from './consent/shiming_consent.js';
import * as wasm from './consent/shiming_consent.js';
import { installLocales, registerModule } from './messages.js';
import locales from './locales-node.js';

initSync({ module: readFileSync(new URL('./consent/shiming_consent_bg.wasm', import.meta.url)) });
registerModule(wasm, 'locale messages');
installLocales(locales);

export * from './consent/shiming_consent.js';
export { configure, loadLocale } from './messages.js';
