// Standard Schema v1 (https://standardschema.dev) for one field and for a whole form with the page's own field names.
// Every rule and message is the module's: each schema here asks the module's `registrationSchema` (options parsed
// once, when the schema is made) and only renames fields and paths, so a field checks exactly as it does inside
// `checkRegistration`. A schema's `validate` never throws: a value of the wrong type is an issue.
import { checksModule } from './ids.js';

/** @typedef {import('./shiming.js').Issue} Issue */
/** @typedef {(value: unknown) => ({ value: any, issues?: undefined } | { issues: ReadonlyArray<Issue> })} Validate */
/** @typedef {Record<string, unknown>} Options */

/** The form's fields, as `checkRegistration` names them. */
const FIELDS = ['name', 'idKind', 'idNumber', 'phone', 'password', 'username', 'birthDate'];

/** A value no field accepts (not text): the module reports it as `form_field_invalid_type`. */
const NOT_TEXT = Symbol('not text');

/** @param {Validate} validate */
function standard(validate) {
  return { '~standard': { version: 1, vendor: 'shiming', validate } };
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The options object of a schema factory: absent, or a plain object (anything else is a TypeError, as elsewhere).
 * @param {unknown} options @returns {Options}
 */
function optionsOf(options) {
  if (options === undefined || options === null) return {};
  if (!isObject(options)) throw new TypeError('shiming: options must be an object');
  return options;
}

/**
 * The closest of `known` to `key`, for a TypeError's "did you mean" (as the module's own check of option keys).
 * @param {string} key @param {readonly string[]} known
 */
function closest(key, known) {
  let best = known[0];
  for (const candidate of known) if (distance(key, candidate) < distance(key, best)) best = candidate;
  return best;
}

/** Levenshtein distance. @param {string} a @param {string} b */
function distance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}

/** @param {string} parent @param {string} key @param {readonly string[]} known */
function unknownKey(parent, key, known) {
  const at = parent ? `${parent}.` : '';
  return new TypeError(`shiming: unknown option '${at}${key}' (did you mean '${at}${closest(key, known)}'?)`);
}

/** `options`, when it has no key but `keys`. @param {Options} options @param {readonly string[]} keys */
function only(options, keys) {
  for (const key of Object.keys(options)) if (!keys.includes(key)) throw unknownKey('', key, keys);
  return options;
}

/**
 * A schema for one field of the form: `validate(value)` checks `{ [field]: value }` with `options.fields = [field]`,
 * and gives the field's normalised value (or its issues, with paths relative to the field).
 */
/** @param {import('./shiming.js').RegistrationField} field @param {Options} moduleOptions */
function fieldSchema(field, moduleOptions) {
  /** @type {Validate} */
  const validate = checksModule().registrationSchema({ ...moduleOptions, fields: [field] })['~standard'].validate;
  return standard((value) => {
    // In a form, a date of birth may be left out (the document may carry one); a date schema of its own wants one,
    // so an absent date is a value of the wrong type there.
    const absent = field === 'birthDate' && (value === undefined || value === null);
    const result = validate({ [field]: absent ? NOT_TEXT : value });
    if (result.issues) return { issues: result.issues.map((issue) => ({ ...issue, path: issue.path.slice(1) })) };
    // The date of birth is not part of the normalised value: a valid one is returned as it was given.
    return { value: field === 'birthDate' ? value : /** @type {Record<string, unknown>} */ (result.value)[field] };
  });
}

/** An ID number: `checkId`'s rules and options (`asOf`, `locale`, `kinds`, `allowPilotEra`); the output is the normalised number. */
/** @param {unknown} [options] */
export function idNumberSchema(options) {
  const o = only(optionsOf(options), ['asOf', 'locale', 'kinds', 'allowPilotEra']);
  return fieldSchema('idNumber', o);
}

/** A person's name (`locale`, `maxChars`); the output is the normalised name. */
/** @param {unknown} [options] */
export function nameSchema(options) {
  const { maxChars, ...rest } = only(optionsOf(options), ['locale', 'maxChars']);
  return fieldSchema('name', maxChars === undefined ? rest : { ...rest, name: { maxChars } });
}

/** A mobile number (`locale`, `regions`); the output is the number in E.164 form (`+8613812345678`). */
/** @param {unknown} [options] */
export function phoneSchema(options) {
  const { regions, ...rest } = only(optionsOf(options), ['locale', 'regions']);
  return fieldSchema('phone', regions === undefined ? rest : { ...rest, phone: { regions } });
}

/** A declared date of birth, YYYY-MM-DD (`asOf`, `locale`): a real date, not after `asOf`; the output is the date. */
/** @param {unknown} [options] */
export function birthDateSchema(options) {
  return fieldSchema('birthDate', only(optionsOf(options), ['asOf', 'locale']));
}

/** A password (`locale`, and `checkRegistration`'s `password` policy: `minLength`, `maxLength`, `minClasses`). */
/** @param {unknown} [options] */
export function passwordSchema(options) {
  const { locale, ...policy } = only(optionsOf(options), ['locale', 'minLength', 'maxLength', 'minClasses']);
  return fieldSchema('password', { locale, password: { ...policy, required: true } });
}

/** A username (`locale`, and `checkRegistration`'s `username` policy: `minLength`, `maxLength`). */
/** @param {unknown} [options] */
export function usernameSchema(options) {
  const { locale, ...policy } = only(optionsOf(options), ['locale', 'minLength', 'maxLength']);
  return fieldSchema('username', { locale, username: { ...policy, required: true } });
}

/** `options.fieldNames`: each form field to the page's own key; absent fields keep their names. */
/** @param {unknown} fieldNames @param {string} who the factory, for a TypeError @returns {Record<string, string>} */
function fieldNamesOf(fieldNames, who) {
  if (fieldNames === undefined || fieldNames === null) return {};
  if (!isObject(fieldNames)) throw new TypeError(`${who}(options): options.fieldNames must be an object`);
  const used = new Map();
  for (const [field, key] of Object.entries(fieldNames)) {
    if (!FIELDS.includes(field)) throw unknownKey('fieldNames', field, FIELDS);
    if (typeof key !== 'string' || key === '') {
      throw new TypeError(`${who}(options): options.fieldNames.${field} must be a non-empty string`);
    }
    if (used.has(key)) throw new TypeError(`${who}(options): options.fieldNames gives '${key}' to both ${used.get(key)} and ${field}`);
    used.set(key, field);
  }
  return /** @type {Record<string, string>} */ (fieldNames);
}

/** Reads `value[key]` as the module reads a form: a throwing getter is a value of the wrong type, never a throw. */
/** @param {Record<string, unknown>} value @param {string} key */
function read(value, key) {
  try {
    return { present: key in value, value: value[key] };
  } catch {
    return { present: true, value: NOT_TEXT };
  }
}

/**
 * The whole form as a Standard Schema: `checkRegistration`'s rules and options, plus `fieldNames` (the page's own key
 * for any form field, e.g. `{ name: 'realName', idNumber: 'idCard', phone: 'mobile' }`). Every other member of the
 * value (an agreement checkbox, an SMS code, …) passes through untouched; the checked fields come back normalised
 * under the page's keys, with `derived` and `identityKey` added. Issue paths use the page's keys.
 */
/** @param {unknown} [options] */
export function registrationSchema(options) {
  return formSchema(options, 'registrationSchema');
}

/**
 * The same schema as `registrationSchema`, typed for the page's own form (`registrationFormSchema<Values>(options)` in
 * TypeScript: its input is the form's values, as a form library that checks the whole form wants it). Only the types
 * differ.
 */
/** @param {unknown} [options] */
export function registrationFormSchema(options) {
  return formSchema(options, 'registrationFormSchema');
}

/** @param {unknown} options @param {string} who the factory, for a TypeError */
function formSchema(options, who) {
  const { fieldNames, ...rest } = optionsOf(options);
  const names = fieldNamesOf(fieldNames, who);
  /** @type {Validate} */
  const validate = checksModule().registrationSchema(options === undefined || options === null ? undefined : rest)['~standard'].validate;
  /** @param {string | number} field */
  const keyOf = (field) => names[field] ?? field;
  return standard((value) => {
    if (!isObject(value)) return validate(value);
    /** @type {Record<string, unknown>} */
    const form = {};
    for (const field of FIELDS) {
      const got = read(value, keyOf(field));
      if (got.present) form[field] = got.value;
    }
    const result = validate(form);
    if (result.issues) {
      return { issues: result.issues.map((issue) => ({ ...issue, path: issue.path.length ? [keyOf(issue.path[0]), ...issue.path.slice(1)] : issue.path })) };
    }
    /** @type {Record<string, unknown>} */
    const out = {};
    /** @type {Record<string, unknown>} */
    const checked = result.value;
    try {
      Object.assign(out, value);
    } catch {
      // A member behind a throwing getter is not copied; the checked fields below still are.
    }
    for (const field of FIELDS) if (checked[field] !== undefined) out[keyOf(field)] = checked[field];
    if (checked.derived !== undefined) out.derived = checked.derived;
    if (checked.identityKey !== undefined) out.identityKey = checked.identityKey;
    return { value: out };
  });
}
