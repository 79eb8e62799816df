// The module is already initialised when this entry's import resolves.
export * from './consent/shiming_consent.js';
// configure is the page's one configuration (messages.js), with the module's own signature.
export { loadLocale } from './messages.js';
