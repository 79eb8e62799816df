// `shiming/all`: every export of `shiming`, `shiming/policy`, `shiming/consent` and `shiming/sync` from one wasm
// module. The module is already initialised when this entry's import resolves.
export * from './all/shiming_all.js';
// configure is the page's one configuration (messages.js), with the module's own signature.
export { loadLocale, kindLabel, bandLabel } from './messages.js';
export {
  registrationSchema, registrationFormSchema, idNumberSchema, nameSchema, phoneSchema, birthDateSchema, passwordSchema,
  usernameSchema,
} from './schemas.js';
export type {
  ShimingSchema, FieldNames, Renamed, RegistrationSchemaValue, TextKeys, FormFieldNames, RegistrationFormValue,
} from './schemas.js';
/** Installs the region names (see `setRegionNames`): at once in Node, by a lazily loaded chunk in browsers. */
export declare function loadRegionNames(): Promise<void>;
