// The Standard Schemas (npm/schemas.js) through the built package in Node: each field alone, inside zod and valibot
// objects (as the README shows), and the whole form with the page's own field names and every other member passed
// through.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import * as v from 'valibot';

import { assertPkgBuilt, importPkg, EXAMPLES } from './support.mjs';

assertPkgBuilt();
const { idNumberSchema, nameSchema, phoneSchema, birthDateSchema, passwordSchema, usernameSchema, registrationSchema, checkRegistration } =
  await importPkg('node.js');

const AS_OF = '2026-11-28';
const validate = (schema, value) => schema['~standard'].validate(value);

/** The README's zod adapter: a shiming field schema as a zod schema. */
function zodField(schema) {
  return z.unknown().transform((value, ctx) => {
    const result = schema['~standard'].validate(value);
    if (!result.issues) return result.value;
    for (const issue of result.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, params: { code: issue.code } });
    return z.NEVER;
  });
}

/** The README's valibot adapter. */
function valibotField(schema) {
  return v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const result = schema['~standard'].validate(dataset.value);
      if (!result.issues) return result.value;
      for (const issue of result.issues) addIssue({ message: issue.message });
      return NEVER;
    }),
  );
}

describe('field schemas', () => {
  test('each field alone: the normalised value, or issues with paths relative to the field', () => {
    assert.deepEqual(validate(idNumberSchema({ asOf: AS_OF }), ` ${EXAMPLES.valid.toLowerCase()} `), { value: EXAMPLES.valid });
    const bad = validate(idNumberSchema({ asOf: AS_OF, locale: 'en' }), EXAMPLES.badChecksum);
    assert.equal(bad.issues.length, 1);
    assert.equal(bad.issues[0].code, 'id_checksum_mismatch');
    assert.deepEqual(bad.issues[0].path, []);
    assert.match(bad.issues[0].message, /check character/);
    assert.deepEqual(validate(phoneSchema(), '138 1234 5678'), { value: '+8613812345678' });
    assert.equal(validate(phoneSchema({ regions: ['hk'] }), '13812345678').issues[0].code, 'phone_invalid_length');
    assert.deepEqual(validate(nameSchema(), ' 张三 '), { value: '张三' });
    assert.equal(validate(nameSchema({ locale: 'en' }), '').issues[0].code, 'name_empty');
    assert.deepEqual(validate(birthDateSchema({ asOf: AS_OF }), '2010-02-03'), { value: '2010-02-03' });
    assert.equal(validate(birthDateSchema({ asOf: AS_OF }), '2010-02-30').issues[0].code, 'birth_date_invalid');
    assert.deepEqual(validate(passwordSchema(), 'correct horse 7'), { value: 'correct horse 7' });
    assert.ok(validate(passwordSchema({ minLength: 20 }), 'correct horse 7').issues.length > 0);
    assert.ok(validate(passwordSchema(), undefined).issues.length > 0, 'a password schema requires the password');
    assert.deepEqual(validate(usernameSchema(), 'reader_01'), { value: 'reader_01' });
  });

  test('the same verdict as checkRegistration on the field', () => {
    for (const id of [EXAMPLES.valid, EXAMPLES.valid2, EXAMPLES.badChecksum, 'A123456(3)', '', '11010519491231002']) {
      const alone = validate(idNumberSchema({ asOf: AS_OF }), id);
      const inForm = checkRegistration({ idNumber: id }, { asOf: AS_OF, fields: ['idNumber'] });
      assert.equal(!alone.issues, inForm.ok, id);
      if (alone.issues) assert.deepEqual(alone.issues.map((i) => i.code), inForm.issues.map((i) => i.code), id);
    }
  });

  test('validate never throws: a value of the wrong type is an issue', () => {
    for (const schema of [idNumberSchema(), nameSchema(), phoneSchema(), birthDateSchema(), passwordSchema(), usernameSchema()]) {
      for (const value of [42, null, {}, [], Symbol('x'), 10n, () => 1]) {
        const result = validate(schema, value);
        assert.ok(result.issues?.length > 0, String(typeof value));
      }
    }
    assert.equal(validate(phoneSchema(), 13812345678).issues[0].code, 'form_field_invalid_type');
  });

  test('options are checked when the schema is made: an unknown key names the closest one', () => {
    assert.throws(() => idNumberSchema({ kind: ['cn_resident'] }), { name: 'TypeError', message: /unknown option 'kind' \(did you mean 'kinds'\?\)/ });
    assert.throws(() => phoneSchema({ region: ['hk'] }), { name: 'TypeError', message: /'region' \(did you mean 'regions'\?\)/ });
    assert.throws(() => nameSchema({ maxChar: 30 }), /did you mean 'maxChars'/);
    assert.throws(() => idNumberSchema({ kinds: ['nope'] }), RangeError);
    assert.throws(() => idNumberSchema('en'), TypeError);
  });

  test('inside a zod object, with the other fields of the page', () => {
    const form = z.object({
      realName: zodField(nameSchema()),
      idCard: zodField(idNumberSchema({ asOf: AS_OF, locale: 'en' })),
      mobile: zodField(phoneSchema()),
      agree: z.literal(true),
    });
    const ok = form.safeParse({ realName: '张三', idCard: EXAMPLES.valid.toLowerCase(), mobile: '13812345678', agree: true });
    assert.equal(ok.success, true, JSON.stringify(ok.error?.issues));
    assert.deepEqual(ok.data, { realName: '张三', idCard: EXAMPLES.valid, mobile: '+8613812345678', agree: true });
    const bad = form.safeParse({ realName: '张三', idCard: EXAMPLES.badChecksum, mobile: '13812345678', agree: true });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error.issues.map((i) => i.path), [['idCard']]);
    assert.match(bad.error.issues[0].message, /check character/);
  });

  test('inside a valibot object', () => {
    const form = v.object({
      realName: valibotField(nameSchema()),
      idCard: valibotField(idNumberSchema({ asOf: AS_OF })),
      mobile: valibotField(phoneSchema()),
      smsCode: v.pipe(v.string(), v.length(6)),
    });
    const ok = v.safeParse(form, { realName: '张三', idCard: EXAMPLES.valid, mobile: '+86 138 1234 5678', smsCode: '123456' });
    assert.equal(ok.success, true, JSON.stringify(ok.issues));
    assert.deepEqual(ok.output, { realName: '张三', idCard: EXAMPLES.valid, mobile: '+8613812345678', smsCode: '123456' });
    const bad = v.safeParse(form, { realName: '张三', idCard: EXAMPLES.valid, mobile: '12345', smsCode: '123456' });
    assert.equal(bad.success, false);
    assert.deepEqual(v.flatten(bad.issues).nested && Object.keys(v.flatten(bad.issues).nested), ['mobile']);
  });
});

describe('registrationSchema with the page\'s field names', () => {
  const FIELD_NAMES = { name: 'realName', idNumber: 'idCard', phone: 'mobile' };

  test('maps the fields, passes every other member through, and adds derived and identityKey', () => {
    const schema = registrationSchema({ asOf: AS_OF, fieldNames: FIELD_NAMES });
    const input = { realName: ' 张三 ', idCard: EXAMPLES.valid, mobile: '138-1234-5678', agree: true, smsCode: '123456', email: 'a@example.com' };
    const result = validate(schema, input);
    assert.equal(result.issues, undefined, JSON.stringify(result.issues));
    assert.equal(result.value.realName, '张三');
    assert.equal(result.value.idCard, EXAMPLES.valid);
    assert.equal(result.value.mobile, '+8613812345678');
    assert.equal(result.value.agree, true);
    assert.equal(result.value.smsCode, '123456');
    assert.equal(result.value.email, 'a@example.com');
    assert.equal(result.value.derived.birthDate, '1949-12-31');
    assert.equal(typeof result.value.identityKey, 'string');
    for (const key of ['name', 'idNumber', 'phone']) assert.equal(key in result.value, false, `no ${key} beside the page's own key`);
    assert.equal(input.realName, ' 张三 ', 'the input is not changed');
  });

  test('issues carry the page\'s keys', () => {
    const schema = registrationSchema({ asOf: AS_OF, fieldNames: FIELD_NAMES });
    const result = validate(schema, { realName: '', idCard: EXAMPLES.badChecksum, mobile: '123', agree: true });
    assert.deepEqual([...new Set(result.issues.map((i) => i.path[0]))].sort(), ['idCard', 'mobile', 'realName']);
    // A field under the module's own name is another member of the page's form, not the field.
    const misnamed = validate(schema, { name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678' });
    assert.ok(misnamed.issues.some((i) => i.path[0] === 'realName' && i.code === 'name_empty'));
  });

  test('without fieldNames: the module\'s field names, and the other members still pass through', () => {
    const result = validate(registrationSchema({ asOf: AS_OF }), { name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678', agree: true });
    assert.equal(result.value.agree, true);
    assert.equal(result.value.phone, '+8613812345678');
  });

  test('never throws on a hostile form; wrong fieldNames throw when the schema is made', () => {
    const schema = registrationSchema({ asOf: AS_OF, fieldNames: FIELD_NAMES });
    const hostile = {
      realName: '张三',
      mobile: '13812345678',
      get idCard() {
        throw new Error('boom');
      },
    };
    const result = validate(schema, hostile);
    assert.ok(result.issues.some((i) => i.path[0] === 'idCard' && i.code === 'form_field_invalid_type'));
    for (const value of [null, 42, 'x', []]) assert.ok(validate(schema, value).issues.length > 0);
    assert.throws(() => registrationSchema({ fieldNames: { idNumbr: 'idCard' } }), { name: 'TypeError', message: /'fieldNames\.idNumbr' \(did you mean 'fieldNames\.idNumber'\?\)/ });
    assert.throws(() => registrationSchema({ fieldNames: { name: 'x', phone: 'x' } }), /both name and phone/);
    assert.throws(() => registrationSchema({ fieldNames: { name: '' } }), TypeError);
    assert.throws(() => registrationSchema({ fieldNames: 'realName' }), TypeError);
  });
});
