// Node entry of `shiming/all` (every export of the four modules, from one wasm module, as in the browser):
// instantiated synchronously at import, the region names and the Traditional Chinese tables installed.
// ReadingTracker and ConsentGate need a browser DOM; SyncClient needs IndexedDB (see shiming/sync).
//   import { checkRegistration, verifyReceipt, evaluatePolicy } from 'shiming/all';
import { readFileSync } from 'node:fs';
import { initSync, setRegionNames } from './all/shiming_all.js';
import * as wasm from './all/shiming_all.js';
import regionNames from './regions.js';
import { installLocales, registerModule } from './messages.js';
import locales from './locales-node.js';
import { bindChecksModule } from './ids.js';

initSync({ module: readFileSync(new URL('./all/shiming_all_bg.wasm', import.meta.url)) });
setRegionNames(regionNames);
registerModule(wasm, 'kinds locale messages');
bindChecksModule(wasm);
installLocales(locales);

export * from './all/shiming_all.js';
export { isValidId, checkId } from './ids.js';
export { configure, loadLocale, kindLabel, bandLabel } from './messages.js';
export {
  registrationSchema, registrationFormSchema, idNumberSchema, nameSchema, phoneSchema, birthDateSchema, passwordSchema,
  usernameSchema,
} from './schemas.js';

/** Region names are installed at import in Node: this resolves at once. */
export async function loadRegionNames() {}
