// The module is already initialised when this entry's import resolves.
export * from './consent/shiming_consent.js';
