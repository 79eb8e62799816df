// Browser and bundler entry of `shiming` (Vite, webpack 5, Rollup): the module is instantiated by a top-level
// await, so no init call is needed:
//   import { checkId } from 'shiming';
// For a plain <script type="module"> page, or a WebView without top-level await, import 'shiming/web' and call
// `await init()` yourself.
import init, { regionNamesLoaded, setRegionNames } from './shiming.js';
import * as wasm from './shiming.js';
import { registerModule } from './messages.js';
import { bindChecksModule } from './ids.js';

await init();
registerModule(wasm, 'kinds locale messages');
bindChecksModule(wasm);

export * from './shiming.js';
// isValidId and checkId with the string written straight into wasm memory (same rules as the module's own).
export { isValidId, checkId } from './ids.js';
// The page's one configuration and the Traditional Chinese tables, shared with every other module of the package.
export { configure, loadLocale, kindLabel, bandLabel } from './messages.js';
// The form's and each field's Standard Schema (they replace the module's registrationSchema: same rules, plus
// fieldNames and pass-through).
export {
  registrationSchema, registrationFormSchema, idNumberSchema, nameSchema, phoneSchema, birthDateSchema, passwordSchema,
  usernameSchema,
} from './schemas.js';

/**
 * Loads the GB/T 2260 region names (about 24 KB gzip, a separate chunk for bundlers), so that checkId returns the
 * province, city and county of a region, not only its code. Call it once, e.g. after the first paint.
 */
export async function loadRegionNames() {
  if (!regionNamesLoaded()) {
    setRegionNames((await import('./regions.js')).default);
  }
}
