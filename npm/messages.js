// The page's one message setup, shared by every entry of the package (a bundler loads this file once, whichever
// entries a page imports): `configure` and `loadLocale` apply to every wasm module the page has loaded, and to each
// module that loads later. Each module is a wasm instance of its own, so each entry registers its module here.
//
// The wasm modules compile the zh-CN and English messages only. The Traditional Chinese tables (locales/*.js) and
// the platform's own wording (`configure({ messages })`) live here: while the page has either, every module asks
// `render` below first for each message (`setMessageHook`), and renders its own when it answers nothing.

import names from './locales/names.js';

// The Traditional Chinese tables, generated at build time from the crate's locale files (examples/locale_tables.rs):
// each a chunk of its own that a page downloads only when it loads that locale.
const LOCALES = {
  'zh-Hant': () => import('./locales/zh-Hant.js'),
  'zh-HK': () => import('./locales/zh-HK.js'),
  'zh-TW': () => import('./locales/zh-TW.js'),
};

/**
 * @typedef {{ configure(options: object | null): any, setMessageHook(hook: Hook | null, locales?: string[]): void,
 *   resolveLocale(tag: string): string, isMessageKey(key: string): boolean }} ModuleExports
 * @typedef {(key: string, params: Record<string, any>, locale: string) => string | undefined} Hook
 * @typedef {string | ((issue: { code: string, params: Record<string, any> }, locale: string) => string)} Wording
 * @typedef {{ locale: string, listSeparator: string, messages: Record<string, string>,
 *   values: Record<string, string>, labels: Record<string, string> }} Table
 */

/** @type {{ exports: ModuleExports, keys: string[] }[]} The modules registered: keys are the options each takes. */
const modules = [];
/** @type {Map<string, Table>} The tables loaded, by locale. */
const tables = new Map();
/** @type {Map<string, Wording>} The platform's wording, by message key (`id_empty`, `id_checksum_mismatch.kind`). */
let wordings = new Map();
/** @type {Record<string, unknown>} What configure was given so far (`messages` aside), for modules that load later. */
let configured = {};

/**
 * Registers a wasm module's exports (`configure`, `setMessageHook`, `resolveLocale`, `isMessageKey`) so that the
 * page's setup applies to it: the configuration given so far, and the hook if the page has tables or wording.
 */
/**
 * @param {ModuleExports} exports
 * @param {string} keys
 */
export function registerModule(exports, keys) {
  if (modules.some((m) => m.exports === exports)) return;
  const module = { exports, keys: keys.split(' ') };
  modules.push(module);
  const options = pick(configured, module.keys);
  if (Object.keys(options).length > 0) exports.configure(options);
  exports.setMessageHook(...hookArguments());
}

/** Every option some module's configure takes (`messages` is this file's own). */
const KNOWN = ['kinds', 'locale', 'messages'];

/**
 * The options for a module that takes `keys`: those it takes, and any the package does not know (so that the module
 * throws the TypeError that names a misspelt key); never `messages`, which is this file's.
 */
/**
 * @param {Record<string, unknown>} options
 * @param {string[]} keys
 */
function pick(options, keys) {
  return Object.fromEntries(Object.entries(options)
    .filter(([key]) => key !== 'messages' && (keys.includes(key) || !KNOWN.includes(key))));
}

function active() {
  return tables.size > 0 || wordings.size > 0;
}

/**
 * The hook's arguments: `render` for every locale while the page has wording, else for the loaded tables' only (a
 * page with Traditional tables is not asked about zh-CN messages: a quarter of checkId's time in Node, measured).
 * @returns {[Hook | null, string[] | undefined]}
 */
function hookArguments() {
  if (!active()) return [null, undefined];
  return [render, wordings.size > 0 ? undefined : [...tables.keys()]];
}

function installHook() {
  for (const module of modules) module.exports.setMessageHook(...hookArguments());
}

/**
 * The page's defaults, for every module: `{ kinds?, locale?, messages? }` (see the README, "One configuration per
 * page"). Each key given replaces its default (`messages` replaces the whole wording), `null` restores the shipped
 * defaults. A malformed option throws before anything changed. Returns the defaults now in force.
 */
/** @param {Record<string, unknown> | null} options */
export function configure(options) {
  if (modules.length === 0) throw new Error('shiming: configure() before any module of the package was loaded');
  if (options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw new TypeError('shiming: configure takes an object { kinds?, locale?, messages? } or null');
  }
  const next = options === null ? new Map() : parseWordings(options);
  // The module with the most options first: it checks every key (an unknown key or a malformed value throws there,
  // before anything changed anywhere).
  const ordered = [...modules].sort((a, b) => b.keys.length - a.keys.length);
  let result;
  for (const module of ordered) {
    const answer = module.exports.configure(options === null ? null : pick(options, module.keys));
    result ??= answer;
  }
  configured = options === null ? {} : { ...configured, ...pick(options, KNOWN) };
  if (next) {
    wordings = next;
    installHook();
  }
  return result;
}

/**
 * `options.messages` checked: a Map of the wording, or undefined when the options leave it out.
 * @param {Record<string, unknown>} options
 * @returns {Map<string, Wording> | undefined}
 */
function parseWordings(options) {
  const { messages } = options;
  if (messages === undefined) return undefined;
  if (messages === null) return new Map();
  if (typeof messages !== 'object' || Array.isArray(messages)) {
    throw new TypeError('shiming: options.messages must be an object { [code]: template or function } or null');
  }
  const parsed = new Map();
  for (const [key, value] of Object.entries(/** @type {Record<string, unknown>} */ (messages))) {
    if (!modules[0].exports.isMessageKey(key)) {
      throw new RangeError(`shiming: options.messages has an unknown key '${key}': a code (id_empty) or a code and `
        + 'its variant (id_checksum_mismatch.kind)');
    }
    if (typeof value !== 'string' && typeof value !== 'function') {
      throw new TypeError(`shiming: options.messages.${key} must be a template string or a function `
        + '(issue, locale) => string');
    }
    parsed.set(key, /** @type {Wording} */ (value));
  }
  return parsed;
}

/**
 * Loads and installs a locale's messages: zh-Hant, zh-HK and zh-TW are not compiled into the wasm modules (about
 * 5 KB gzip each, a chunk of their own); zh-CN and en always are. Takes any BCP 47 tag (`navigator.language`) and
 * resolves to the locale it renders in ('zh-MO' → 'zh-HK', 'fr' → 'en'); a locale that needs no table resolves at
 * once.
 */
/** @param {string} tag */
export async function loadLocale(tag) {
  if (modules.length === 0) throw new Error('shiming: loadLocale() before any module of the package was loaded');
  const locale = modules[0].exports.resolveLocale(tag);
  const load = LOCALES[/** @type {keyof LOCALES} */ (locale)];
  if (load && !tables.has(locale)) {
    tables.set(locale, (await load()).default);
    installHook();
  }
  return locale;
}

/** Installs tables already at hand (Node's entries install every table at import). */
/** @param {Table[]} list */
export function installLocales(list) {
  for (const table of list) tables.set(table.locale, table);
  installHook();
}

/**
 * The hook every module asks first: the message of the issue with message key `key` (a code, or a code and its
 * variant) and `params` in `locale`, from the platform's wording, then the locale's table; undefined when neither
 * has it (the module renders its own).
 */
/** @type {Hook} */
function render(key, params, locale) {
  const code = key.split('.')[0];
  const wording = wordings.get(key) ?? wordings.get(code);
  if (typeof wording === 'function') {
    try {
      const text = wording({ code, params }, locale);
      if (typeof text === 'string') return text;
    } catch {
      // The built-in message, as documented: a wording function that fails does not break a check.
    }
  }
  const table = tables.get(locale);
  const template = typeof wording === 'string' ? wording : table?.messages[key] ?? table?.messages[code];
  if (template === undefined) return undefined;
  const named = table ?? /** @type {Record<string, Table>} */ (names)[locale] ?? names['zh-CN'];
  return fill(template, params, named.values, named.listSeparator);
}

/**
 * Fills each `{param}` of a template as the crate's `i18n::fill` does (src/i18n/mod.rs; tests/js/locales.test.mjs
 * compares the two on every Traditional message): amounts in fen as yuan, kinds and regions by their names, lists
 * joined with the locale's separator, `?` for a param the issue lacks.
 */
/**
 * @param {string} template
 * @param {Record<string, any>} params
 * @param {Record<string, string>} values
 * @param {string} separator
 */
function fill(template, params, values, separator) {
  const name = (/** @type {string} */ value) => values[value] ?? value;
  const text = (/** @type {string} */ param) => {
    const value = params[param];
    if (value === undefined || value === null) return '?';
    if (Array.isArray(value)) return value.map((item) => name(String(item))).join(separator);
    if (typeof value === 'number') {
      if (!param.endsWith('Fen')) return String(value);
      const fen = Math.abs(value % 100);
      return `${Math.trunc(value / 100)}${fen === 0 ? '' : `.${String(fen).padStart(2, '0')}`}`;
    }
    return name(String(value));
  };
  // The same scan as the crate's: a '{' without a '}' after it is text.
  let out = '';
  let rest = template;
  for (let open = rest.indexOf('{'); open >= 0; open = rest.indexOf('{')) {
    out += rest.slice(0, open);
    const after = rest.slice(open + 1);
    const close = after.indexOf('}');
    if (close < 0) {
      out += '{';
      rest = after;
      continue;
    }
    out += text(after.slice(0, close));
    rest = after.slice(close + 1);
  }
  return out + rest;
}

/** The locales a tag may name exactly, for a page that labels before any module registered. */
const LOCALE_TAGS = ['zh-CN', 'en', 'zh-Hant', 'zh-HK', 'zh-TW'];

/**
 * A document kind's or an age band's label in `locale` (default: the configured one, else zh-CN).
 * @param {string} value
 * @param {{ locale?: string } | undefined} options
 * @param {string} what
 */
function label(value, options, what) {
  if (typeof value !== 'string') throw new TypeError(`shiming: ${what}(value) takes a string`);
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TypeError(`shiming: ${what}(value, options) takes options { locale? }`);
  }
  const tag = options?.locale ?? configured.locale ?? 'zh-CN';
  if (typeof tag !== 'string') throw new TypeError('shiming: options.locale must be a string');
  const locale = modules[0]?.exports.resolveLocale(tag) ?? (LOCALE_TAGS.includes(tag) ? tag : 'zh-CN');
  // A Traditional locale not loaded yet labels in zh-CN, as its messages render.
  const labels = (tables.get(locale) ?? /** @type {Record<string, Table>} */ (names)[locale] ?? names['zh-CN']).labels;
  const text = labels[value];
  if (text === undefined) throw new RangeError(`shiming: ${what}: unknown value '${value}'`);
  return text;
}

/**
 * The name of a document kind as a label (a menu, a table column) in `options.locale`: the document (居民身份证),
 * where a message names its number. From the crate's locale files, like the messages.
 * @param {string} kind
 * @param {{ locale?: string }} [options]
 */
export function kindLabel(kind, options) {
  return label(kind, options, 'kindLabel');
}

/**
 * The name of an age band (`ageBand`'s answer) as a label in `options.locale`: 未满 3 周岁 … 成年人.
 * @param {string} band
 * @param {{ locale?: string }} [options]
 */
export function bandLabel(band, options) {
  return label(band, options, 'bandLabel');
}
