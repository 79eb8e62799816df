// Browser and bundler entry of `shiming/all`: every export of `shiming`, `shiming/policy`, `shiming/consent` and
// `shiming/sync` from one wasm module, for a page that needs all four (a registration page: the checks, the minor
// policy, the agreements and the sync client). One runtime instead of four: about 233 KB gzip instead of 302 KB, and
// one request. A page that needs only some of them imports those entries instead (the checks alone are 106 KB).
// Instantiated by a top-level await:
//   import { checkRegistration, ReadingTracker, SyncClient, minorPolicy } from 'shiming/all';
// Import either this entry or the separate ones, not both: each is a wasm instance of its own (the page's
// `configure` reaches both, but e.g. setMinorPolicy or setPhoneSegments only the instance it was called on).
import init, { regionNamesLoaded, setRegionNames } from './all/shiming_all.js';
import * as wasm from './all/shiming_all.js';
import { registerModule } from './messages.js';
import { bindChecksModule } from './ids.js';

await init();
registerModule(wasm, 'kinds locale messages');
bindChecksModule(wasm);

export * from './all/shiming_all.js';
// As the separate entries: the fast isValidId and checkId, the page's one configuration, the Standard Schemas.
export { isValidId, checkId } from './ids.js';
export { configure, loadLocale, kindLabel, bandLabel } from './messages.js';
export {
  registrationSchema, registrationFormSchema, idNumberSchema, nameSchema, phoneSchema, birthDateSchema, passwordSchema,
  usernameSchema,
} from './schemas.js';

/** Loads the GB/T 2260 region names (as `shiming`'s loadRegionNames: about 24 KB gzip, a chunk of its own). */
export async function loadRegionNames() {
  if (!regionNamesLoaded()) {
    setRegionNames((await import('./regions.js')).default);
  }
}
