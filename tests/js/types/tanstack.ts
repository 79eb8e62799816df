// TanStack Form (@tanstack/form-core, a pinned devDependency) with shiming's schemas as its validators, typed with no
// cast: each field's schema is that field's validator, and its issues are the field's errors; the whole form's schema
// is the form's validator. TanStack types a form validator by the form's values (a Standard Schema's input must be
// TFormData, and FormOptions is invariant in it), so the whole form's schema is `registrationFormSchema<Values>`,
// given the form's type: `validators: { onSubmit: registrationFormSchema<typeof defaultValues>({ fieldNames }) }`,
// each `fieldNames` entry a text member of the form (registrationSchema's own input, RegistrationForm, is not).
// Never run: compiled by tests/js/types.test.mjs against the packed package (strict, no skipLibCheck).
import { FieldApi, FormApi } from '@tanstack/form-core';
import { idNumberSchema, nameSchema, phoneSchema, registrationFormSchema, registrationSchema, type StandardSchemaV1 } from 'shiming';

// The page's form: its own keys, and fields shiming does not check (an agreement box, an SMS code).
const defaultValues = { realName: '', idCard: '', mobile: '', smsCode: '', agree: false };

// The whole form's schema, typed for the page's form: its input is the form's values, and fieldNames names its keys.
const formSchema = registrationFormSchema<typeof defaultValues>({ fieldNames: { name: 'realName', idNumber: 'idCard', phone: 'mobile' } });

export const form = new FormApi({
  defaultValues,
  validators: { onSubmit: formSchema },
  onSubmit: ({ value }) => {
    // The form's own values, as TanStack types them.
    const agreed: boolean = value.agree;
    const code: string = value.smsCode;
    return `${agreed} ${code}`;
  },
});

// One field, one schema: the validator's input is the field's value, a string.
export const idCard = new FieldApi({ form, name: 'idCard', validators: { onChange: idNumberSchema(), onBlur: idNumberSchema({ kinds: ['cn_resident'] }) } });
export const realName = new FieldApi({ form, name: 'realName', validators: { onChange: nameSchema({ locale: 'en' }) } });
export const mobile = new FieldApi({ form, name: 'mobile', validators: { onChangeAsync: phoneSchema({ regions: ['cn', 'hk'] }) } });

// A field's errors are the schema's issues: each has a message to show.
export const messages: string[] = idCard.state.meta.errors.flatMap((error) => (error ? [error.message] : []));

// The schemas' outputs, inferred: the normalised number, and the whole form's value under the page's keys.
type Output<S extends StandardSchemaV1> = StandardSchemaV1.InferOutput<S>;
export const normalised: Output<ReturnType<typeof idNumberSchema>> = '11010519491231002X';
// @ts-expect-error: a field's schema takes the field's string, not the whole form's values
export const wrong = new FieldApi({ form, name: 'agree', validators: { onChange: idNumberSchema() } });

// The whole form's value: the form's own members (checked ones normalised), with what the check derived.
type FormValue = Output<typeof formSchema>;
export const agreed: FormValue['agree'] = true;
export const derivedKind: FormValue['derived']['kind'] = 'cn_resident';
// With `fields` (a check on input), e.g. as the form's onChange validator: `derived` only when idNumber is listed.
const phoneOnly = registrationFormSchema<typeof defaultValues>({ fields: ['phone'], fieldNames: { phone: 'mobile' } });
export const onInput = new FormApi({ defaultValues, validators: { onChange: phoneOnly, onSubmit: formSchema } });
export const noKey: Output<typeof phoneOnly>['identityKey'] = undefined;
// @ts-expect-error: fieldNames names a key the form does not have
export const unknownKey = registrationFormSchema<typeof defaultValues>({ fieldNames: { name: 'fullName' } });
// @ts-expect-error: a checked field is read from text, not from the agreement box
export const notText = registrationFormSchema<typeof defaultValues>({ fieldNames: { name: 'agree' } });
// @ts-expect-error: the form's type is given, never inferred from fieldNames (it would be { realName: any })
export const untyped = registrationFormSchema({ fieldNames: { name: 'realName' } });
// @ts-expect-error: registrationSchema's input is RegistrationForm under the page's keys, not the page's whole form
export const notForm = new FormApi({ defaultValues, validators: { onSubmit: registrationSchema({ fieldNames: { name: 'realName', idNumber: 'idCard', phone: 'mobile' } }) } });
