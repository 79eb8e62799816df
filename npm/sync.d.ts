// The module is already initialised when this entry's import resolves.
export * from './sync/shiming_sync.js';
