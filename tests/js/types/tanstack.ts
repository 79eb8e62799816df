// TanStack Form (@tanstack/form-core, a pinned devDependency) with shiming's field schemas as its field validators,
// typed with no cast and no annotation: each field's schema is that field's validator, and its issues are the field's
// errors. (The whole form's schema as `validators.onSubmit` works at run time but does not type-check yet: TanStack
// wants the schema's input type to be the form's values, and registrationSchema's is RegistrationForm.)
// Never run: compiled by tests/js/types.test.mjs against the packed package (strict, no skipLibCheck).
import { FieldApi, FormApi } from '@tanstack/form-core';
import { idNumberSchema, nameSchema, phoneSchema, type StandardSchemaV1 } from 'shiming';

// The page's form: its own keys, and fields shiming does not check (an agreement box, an SMS code).
const defaultValues = { realName: '', idCard: '', mobile: '', smsCode: '', agree: false };

export const form = new FormApi({
  defaultValues,
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
