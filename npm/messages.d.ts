// The page's one message setup, shared by every entry of the package (messages.js).
import type { AgeBand, IdKind, Locale, LocaleTable, ShimingConfig, ShimingDefaults } from './shiming.js';

/**
 * The page's one configuration, for every module of the package it has loaded and those it loads later:
 * `{ kinds?, locale?, messages? }`. Each key given replaces its default (`messages` the whole wording), `null`
 * restores the shipped defaults; a malformed option throws before anything changed. Returns the defaults now in
 * force.
 */
export declare function configure(options: ShimingConfig | null): ShimingDefaults;
/**
 * Loads a locale's messages for every module of the package the page has loaded (and those it loads later): zh-Hant,
 * zh-HK and zh-TW are not compiled into the wasm modules (about 5 KB gzip each, a chunk of their own). Takes any
 * BCP 47 tag and resolves to the locale it renders in ('zh-MO' → 'zh-HK', 'fr' → 'en').
 */
export declare function loadLocale(tag: string): Promise<'zh-CN' | 'en' | 'zh-Hant' | 'zh-HK' | 'zh-TW'>;
/** Registers a wasm module's exports with the page's setup (the package's entries do it). @internal */
export declare function registerModule(exports: object, keys: string): void;
/** Installs tables already at hand in every module (the Node entries do it). @internal */
export declare function installLocales(tables: LocaleTable[]): void;
/**
 * A document kind's name as a label (a menu, a table column) in `options.locale` (default: the configured locale):
 * the document (居民身份证), where a message names its number. A Traditional locale not loaded yet labels in zh-CN.
 */
export declare function kindLabel(kind: IdKind, options?: { locale?: Locale }): string;
/** An age band's name as a label (未满 3 周岁 … 成年人) in `options.locale` (default: the configured locale). */
export declare function bandLabel(band: AgeBand, options?: { locale?: Locale }): string;
