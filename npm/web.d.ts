// `shiming/web`: call `await init()` once before any other export.
export { default, initSync } from './shiming.js';
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
