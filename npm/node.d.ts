// The module is already initialised when this entry's import resolves.
export * from './shiming.js';
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
