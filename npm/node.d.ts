// The module is already initialised when this entry's import resolves.
export * from './shiming.js';
/** Installs the region names (see `setRegionNames`): at once in Node, by a lazily loaded chunk in browsers. */
export declare function loadRegionNames(): Promise<void>;
