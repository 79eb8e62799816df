// Node entry of `shiming`: the module is instantiated synchronously at import, so no init call is needed:
//   import { checkId } from 'shiming';
// The region names and the Traditional Chinese tables are installed at import too.
import { readFileSync } from 'node:fs';
import { initSync, setRegionNames } from './shiming.js';
import * as wasm from './shiming.js';
import regionNames from './regions.js';
import { installLocales, registerModule } from './messages.js';
import locales from './locales-node.js';
import { bindChecksModule } from './ids.js';

initSync({ module: readFileSync(new URL('./shiming_bg.wasm', import.meta.url)) });
setRegionNames(regionNames);
registerModule(wasm, 'kinds locale messages');
bindChecksModule(wasm);
installLocales(locales);

export * from './shiming.js';
// isValidId and checkId with the string written straight into wasm memory (same rules as the module's own).
export { isValidId, checkId } from './ids.js';
export { configure, loadLocale, kindLabel, bandLabel } from './messages.js';
// The form's and each field's Standard Schema (they replace the module's registrationSchema: same rules, plus
// fieldNames and pass-through).
export {
  registrationSchema, registrationFormSchema, idNumberSchema, nameSchema, phoneSchema, birthDateSchema, passwordSchema,
  usernameSchema,
} from './schemas.js';

/** Region names are installed at import in Node: this resolves at once. */
export async function loadRegionNames() {}
