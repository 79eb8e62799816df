// `shiming/web`: the module without top-level await, for a plain <script type="module"> page or a WebView without
// it. Call `await init()` once (it fetches shiming_bg.wasm next to this file, or takes a URL, Response or module)
// before any other export.
import glueInit, { initSync as glueInitSync } from './shiming.js';
import * as wasm from './shiming.js';
import { registerModule } from './messages.js';
import { bindChecksModule } from './ids.js';

/**
 * Instantiates the module (once; later calls return the same exports).
 * @param {Parameters<typeof glueInit>[0]} [input]
 */
export default async function init(input) {
  const exports = await glueInit(input);
  registerModule(wasm, 'kinds locale messages');
  bindChecksModule(wasm);
  return exports;
}

/**
 * Instantiates the module synchronously from its bytes or a compiled `WebAssembly.Module`.
 * @param {Parameters<typeof glueInitSync>[0]} module
 */
export function initSync(module) {
  const exports = glueInitSync(module);
  registerModule(wasm, 'kinds locale messages');
  bindChecksModule(wasm);
  return exports;
}

export * from './shiming.js';
// isValidId and checkId with the string written straight into wasm memory (same rules as the module's own).
export { isValidId, checkId } from './ids.js';
export { configure, loadLocale, kindLabel, bandLabel } from './messages.js';
export {
  registrationSchema, registrationFormSchema, idNumberSchema, nameSchema, phoneSchema, birthDateSchema, passwordSchema,
  usernameSchema,
} from './schemas.js';
