// `shiming/web`: the module without top-level await, for a plain <script type="module"> page or a WebView without
// it. Call `await init()` once (it fetches shiming_bg.wasm next to this file, or takes a URL, Response or module)
// before any other export.
export { default, initSync } from './shiming.js';
export * from './shiming.js';
export {
  registrationSchema, idNumberSchema, nameSchema, phoneSchema, birthDateSchema, passwordSchema, usernameSchema,
} from './schemas.js';
