// Standard Schema v1 for one field, and for a whole form with the page's own field names (schemas.js).
import type {
  IdOptions, Issue, Locale, PhoneRegion, RegistrationField, RegistrationForm, RegistrationOptions, RegistrationValue,
  StandardSchemaV1,
} from './shiming.js';

/** A shiming schema: a Standard Schema v1 whose `validate` never throws and answers at once (never a Promise). */
export interface ShimingSchema<Input, Output> extends StandardSchemaV1<Input, Output> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: 'shiming';
    readonly validate: (value: unknown) => { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<Issue> };
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** An ID number (`checkId`'s rules); the output is the normalised number. */
export declare function idNumberSchema(options?: Pick<IdOptions, 'asOf' | 'locale' | 'kinds' | 'allowPilotEra'>): ShimingSchema<string, string>;
/** A person's name; the output is the normalised name. */
export declare function nameSchema(options?: { locale?: Locale; maxChars?: number }): ShimingSchema<string, string>;
/** A mobile number; the output is its E.164 form, e.g. '+8613812345678'. */
export declare function phoneSchema(options?: { locale?: Locale; regions?: PhoneRegion[] }): ShimingSchema<string, string>;
/** A declared date of birth, YYYY-MM-DD: a real date, not after `asOf`; the output is the date. */
export declare function birthDateSchema(options?: { asOf?: string; locale?: Locale }): ShimingSchema<string, string>;
/** A password, required, with `checkRegistration`'s password policy; the output is the password as given. */
export declare function passwordSchema(options?: { locale?: Locale; minLength?: number; maxLength?: number; minClasses?: 1 | 2 | 3 | 4 }): ShimingSchema<string, string>;
/** A username, required, with `checkRegistration`'s username policy; the output is the username. */
export declare function usernameSchema(options?: { locale?: Locale; minLength?: number; maxLength?: number }): ShimingSchema<string, string>;

/** The page's own key for any field of the form, e.g. `{ name: 'realName', idNumber: 'idCard', phone: 'mobile' }`. */
export type FieldNames = { readonly [F in RegistrationField]?: string };
/** `T` with each form field's key replaced by the page's key from `N`. */
export type Renamed<T, N extends FieldNames> = {
  [K in keyof T as K extends keyof N ? (N[K] extends string ? N[K] : K) : K]: T[K];
};
/** The form's value: the checked fields normalised (under the page's keys), `derived`, `identityKey`, and every other member passed through. */
export type RegistrationSchemaValue<V, N extends FieldNames = {}> = Renamed<V, N> & { readonly [key: string]: unknown };

/**
 * The whole form (`checkRegistration`'s rules and options), with `fieldNames` mapping form fields to the page's keys.
 * Every other member of the value passes through untouched; issue paths use the page's keys.
 */
export declare function registrationSchema(
  options?: RegistrationOptions & { fields?: undefined; fieldNames?: undefined },
): ShimingSchema<RegistrationForm, RegistrationSchemaValue<RegistrationValue>>;
export declare function registrationSchema<const N extends FieldNames>(
  options: RegistrationOptions & { fields?: undefined; fieldNames: N },
): ShimingSchema<Renamed<RegistrationForm, N>, RegistrationSchemaValue<RegistrationValue, N>>;
export declare function registrationSchema<const N extends FieldNames = {}>(
  options: RegistrationOptions & { fieldNames?: N },
): ShimingSchema<Renamed<RegistrationForm, N>, RegistrationSchemaValue<Partial<RegistrationValue>, N>>;

/** The keys of the page's form `Values` that hold text (or may be absent): where a checked field can be read from. */
export type TextKeys<Values> = { [K in keyof Values]-?: Values[K] extends string | undefined ? K : never }[keyof Values] & string;
/**
 * `fieldNames` for the page's form `Values`: each form field to one of the form's own text keys. (`Values` is never
 * inferred from it: `[V][V extends unknown ? 0 : never]` defers inference, so the form's type must be given.)
 */
export type FormFieldNames<Values> = { readonly [F in RegistrationField]?: TextKeys<[Values][Values extends unknown ? 0 : never]> };
/**
 * The value of `registrationFormSchema<Values>`: the form's own values (every member passed through, the checked fields
 * normalised, still text) with `derived` and `identityKey`; with `fields`, those two only when `idNumber` is listed.
 */
export type RegistrationFormValue<Values, Checked extends 'all' | 'some' = 'all'> = Omit<Values, 'derived' | 'identityKey'> &
  (Checked extends 'all' ? Pick<RegistrationValue, 'derived' | 'identityKey'> : Partial<Pick<RegistrationValue, 'derived' | 'identityKey'>>);

/**
 * `registrationSchema`, typed for the page's own form: the schema's input is `Values` (e.g. `typeof defaultValues`),
 * so a form library that types its whole-form validator by the form's values takes it, e.g. TanStack Form's
 * `validators: { onSubmit: registrationFormSchema<typeof defaultValues>({ fieldNames: { name: 'realName' } }) }`.
 * Each `fieldNames` entry must name a text member of `Values`. Same rules, options and behaviour as `registrationSchema`.
 */
export declare function registrationFormSchema<Values extends object>(
  options?: RegistrationOptions & { fields?: undefined; fieldNames?: FormFieldNames<Values> },
): ShimingSchema<Values, RegistrationFormValue<Values>>;
export declare function registrationFormSchema<Values extends object>(
  options: RegistrationOptions & { fieldNames?: FormFieldNames<Values> },
): ShimingSchema<Values, RegistrationFormValue<Values, 'some'>>;

// The Standard Schema spec's type helpers, which wasm-bindgen's declaration of the interface lacks:
// `StandardSchemaV1.InferOutput<typeof schema>` is what `validate` gives, `InferInput` what it is meant for.
declare module './shiming.js' {
  namespace StandardSchemaV1 {
    /** The input type of a Standard Schema. */
    type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['input'];
    /** The output type of a Standard Schema: the value of a successful `validate`. */
    type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output'];
  }
}
