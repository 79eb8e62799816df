// isValidId and checkId with their arguments written straight into wasm memory (bindings/checks/src/id_ascii.rs): a
// short ASCII string goes into a scratch buffer, options an earlier call parsed go as a token, and isValidId passes
// numbers only (checkId the string too, which its usual result reuses). One token for both, so a loop alternating
// them with one options object parses it once. Anything else (a longer or non-ASCII string, a non-string, options
// that cannot be remembered, a token configure() made stale) takes the module's own function, which has the same
// rules and reports caller errors.
//
// The module is the one an entry binds (`shiming`'s, or `shiming/all`'s, which carries the same exports): the first
// bound, so that a page importing both entries keeps one instance's scratch buffer and tokens.

/**
 * The module's entry points for this file, left out of its .d.ts (not API), and its two functions.
 * @typedef {{
 *   __idScratch(): number, __idScratchLength(): number, __idMemory(): WebAssembly.Memory,
 *   __idOptionsToken(options: unknown): number, __isValidIdAscii(length: number, token: number): number,
 *   __checkIdAscii(length: number, token: number, input: string): import('./shiming.js').IdCheckResult | undefined,
 *   isValidId: typeof import('./shiming.js').isValidId, checkId: typeof import('./shiming.js').checkId,
 *   registrationSchema: typeof import('./shiming.js').registrationSchema,
 * }} ChecksModule
 */
/** @type {ChecksModule | null} */
let internal = null;

/**
 * Binds the checks module these helpers (and schemas.js) call; the package's entries do it once it is initialised.
 * @param {object} exports the glue's exports
 */
export function bindChecksModule(exports) {
  internal ??= /** @type {ChecksModule} */ (/** @type {unknown} */ (exports));
}

/** The bound checks module (an Error before any entry initialised one: with `shiming/web`, call `init()` first). */
export function checksModule() {
  if (internal === null) throw new Error('shiming: the wasm module is not initialised yet (shiming/web: await init() first)');
  return internal;
}

/** @type {Uint8Array | null} */
let bytes = null;
/** @type {WebAssembly.Memory | null} */
let memory = null;
let scratch = 0;
let max = 0;
// The options last parsed, as the module remembered them (token 0: not remembered).
/** @type {unknown} */
let lastOptions = null;
/** @type {unknown} */
let lastAsOf;
/** @type {unknown} */
let lastLocale;
let lastToken = 0;

/**
 * The token of `options` (0 when the general path must take them), or -1 for no options.
 * @param {any} options whatever the caller passed
 */
function tokenOf(options) {
  if (options === undefined || options === null) return -1;
  try {
    if (options === lastOptions && options.asOf === lastAsOf && options.locale === lastLocale
      && options.kinds == null && options.allowPilotEra == null) {
      return lastToken;
    }
    const asOf = options.asOf;
    const locale = options.locale;
    const token = checksModule().__idOptionsToken(options);
    lastOptions = token === 0 ? null : options;
    lastAsOf = asOf;
    lastLocale = locale;
    lastToken = token;
    return token;
  } catch (_) {
    // A throwing getter or malformed options: the general path reports them.
    lastOptions = null;
    return 0;
  }
}

/**
 * Writes `input` into the scratch buffer when it is a short ASCII string, and returns its token for `options` (-1:
 * none); 0 when the general path must take the call.
 * @param {unknown} input
 * @param {unknown} options
 */
function prepare(input, options) {
  if (typeof input !== 'string') return 0;
  if (max === 0) {
    const internal = checksModule();
    scratch = internal.__idScratch();
    max = internal.__idScratchLength();
    memory = internal.__idMemory();
  }
  const n = input.length;
  if (n > max) return 0;
  const token = tokenOf(options);
  if (token === 0) return 0;
  if (bytes === null || bytes.byteLength === 0) bytes = new Uint8Array(/** @type {WebAssembly.Memory} */ (memory).buffer);
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c > 127) return 0;
    bytes[scratch + i] = c;
  }
  return token;
}

/**
 * Whether `input` is a valid ID number of an allowed kind (the module's isValidId, faster on short strings).
 * @param {string} input
 * @param {import('./shiming.js').IdOptions} [options]
 * @returns {boolean}
 */
export function isValidId(input, options) {
  const token = prepare(input, options);
  if (token !== 0) {
    const r = /** @type {ChecksModule} */ (internal).__isValidIdAscii(input.length, token === -1 ? 0 : token);
    if (r !== 2) return r === 1;
    lastOptions = null;
  }
  return checksModule().isValidId(input, options);
}

/**
 * Checks one ID number (the module's checkId, faster on short strings). See the README for the result.
 * @param {string} input
 * @param {import('./shiming.js').IdOptions} [options]
 * @returns {import('./shiming.js').IdCheckResult}
 */
export function checkId(input, options) {
  const token = prepare(input, options);
  if (token !== 0) {
    const r = /** @type {ChecksModule} */ (internal).__checkIdAscii(input.length, token === -1 ? 0 : token, input);
    if (r !== undefined) return r;
    lastOptions = null;
  }
  return checksModule().checkId(input, options);
}
