// checkRegistration and registrationSchema through the built package (pkg/node.js), plus one real Standard
// Schema consumer from npm: @tanstack/form-core's FormApi, headless in Node.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { FormApi, FieldApi } from '@tanstack/form-core';
import { assertPkgBuilt, importPkg, EXAMPLES } from './support.mjs';

assertPkgBuilt();
const { checkRegistration, registrationSchema, registrationFormSchema, generateTestId, checkId } = await importPkg('node.js');

const OPTIONS = Object.freeze({ asOf: '2026-11-28', locale: 'en' });
const PHONE = '13812345678';
const GOOD = Object.freeze({ name: '张三', idNumber: EXAMPLES.valid, phone: PHONE });

/** [path[0], code] of each issue. */
const summary = (result) => result.issues.map((i) => [i.path[0], i.code]);

describe('checkRegistration', () => {
  test('a valid form: normalised fields and derived values', () => {
    const r = checkRegistration({ ...GOOD, name: ' 张三', phone: '+86 138-1234-5678', password: 'correct horse 7', username: 'zhangsan' }, OPTIONS);
    assert.equal(r.ok, true);
    assert.deepEqual(r.value, {
      name: '张三',
      idKind: 'cn_resident',
      idNumber: EXAMPLES.valid,
      phone: '+8613812345678',
      password: 'correct horse 7',
      username: 'zhangsan',
      derived: {
        kind: 'cn_resident',
        birthDate: '1949-12-31',
        birthDateSource: 'document',
        gender: 'female',
        age: 76,
        isMinor: false,
        ageBand: 'adult',
        needsGuardianConsent: false,
        region: { code: '110105', province: '北京市', county: '朝阳区' },
      },
      identityKey: `cn_resident:${EXAMPLES.valid}`,
    });
    assert.deepEqual(r.warnings.map((w) => [w.path[0], w.code]), [
      ['name', 'name_whitespace_trimmed'],
      ['phone', 'phone_separators_removed'],
    ]);
  });

  test('every problem of the form is reported at once, each at its path', () => {
    const r = checkRegistration({ name: '张\u200B三', idNumber: EXAMPLES.badChecksum, phone: '1381234567', password: 'short', username: 'a b' }, OPTIONS);
    assert.equal(r.ok, false);
    assert.deepEqual(summary(r), [
      ['idNumber', 'id_checksum_mismatch'],
      ['name', 'name_invisible_character'],
      ['phone', 'phone_invalid_length'],
      ['password', 'password_too_short'],
      ['password', 'password_too_few_classes'],
      ['username', 'username_invalid_character'],
    ]);
    assert.ok(Array.isArray(r.warnings));
    for (const issue of r.issues) {
      assert.equal(typeof issue.message, 'string');
      assert.equal(typeof issue.params, 'object');
    }
  });

  test('cross-field rules: the name script fits the document; the kind must be allowed', () => {
    assert.deepEqual(summary(checkRegistration({ ...GOOD, name: 'Zhang San' }, OPTIONS)), [['name', 'name_script_mismatch']]);
    const permit = generateTestId({ seed: 5, kind: 'hk_macao_taiwan_residence_permit' });
    assert.equal(checkId(permit, OPTIONS).ok, true);
    assert.equal(checkRegistration({ ...GOOD, name: 'CHAN, Tai Man', idNumber: permit }, OPTIONS).ok, true);
    const mainlandOnly = { ...OPTIONS, kinds: ['cn_resident'] };
    const r = checkRegistration({ ...GOOD, name: '陈大文', idNumber: permit, idKind: 'hk_macao_taiwan_residence_permit' }, mainlandOnly);
    assert.deepEqual(summary(r), [['idKind', 'id_kind_not_allowed']]);
    assert.deepEqual(r.issues[0].params, { kind: 'hk_macao_taiwan_residence_permit', allowed: ['cn_resident'] });
    assert.deepEqual(summary(checkRegistration({ ...GOOD, idKind: 'bogus' }, OPTIONS)), [['idKind', 'id_kind_invalid']]);
  });

  test('the password and username never hold personal data, and no issue repeats any', () => {
    for (const [password, data] of [
      [`Pw${PHONE}`, 'phone'],
      ['zs#345678', 'phone'],
      ['abc31002x!', 'id_number'],
      ['mima1949-12-31', 'id_number'],
    ]) {
      for (const locale of ['zh-CN', 'en']) {
        const r = checkRegistration({ ...GOOD, password, username: `u_${password.replace(/[^a-z0-9]/gi, '')}` }, { ...OPTIONS, locale });
        assert.equal(r.ok, false);
        const codes = r.issues.map((i) => i.code);
        assert.ok(codes.includes('password_contains_personal_data'), `${password}: ${codes}`);
        assert.equal(r.issues.find((i) => i.code === 'password_contains_personal_data').params.data, data);
        const text = JSON.stringify(r.issues);
        for (const secret of [password, PHONE, EXAMPLES.valid, '张三', '19491231']) {
          assert.ok(!text.includes(secret), `an issue repeats personal data (${locale})`);
        }
      }
    }
  });

  test('minors and the age rule', () => {
    const id = generateTestId({ seed: 9, birthDate: '2008-11-28' });
    const byDefault = checkRegistration({ ...GOOD, idNumber: id }, OPTIONS);
    assert.deepEqual([byDefault.value.derived.age, byDefault.value.derived.isMinor], [17, true]);
    const onBirthday = checkRegistration({ ...GOOD, idNumber: id }, { ...OPTIONS, ageRule: 'on_birthday' });
    assert.deepEqual([onBirthday.value.derived.age, onBirthday.value.derived.isMinor], [18, false]);
  });

  test('per-field checks on input (options.fields)', () => {
    const form = { name: 'Zhang San', idNumber: EXAMPLES.badChecksum, phone: '' };
    assert.deepEqual(summary(checkRegistration(form, { ...OPTIONS, fields: ['phone'] })), [['phone', 'phone_empty']]);
    const nameOnly = checkRegistration(form, { ...OPTIONS, fields: ['name'] });
    assert.deepEqual(nameOnly, { ok: true, value: { name: 'Zhang San' }, warnings: [] });
    // The cross-field rule still reads the other fields.
    const pw = checkRegistration({ ...GOOD, password: `x${PHONE}` }, { ...OPTIONS, fields: ['password'] });
    assert.deepEqual(summary(pw), [['password', 'password_contains_personal_data']]);
  });

  test('the form is untrusted: garbage becomes issues; only malformed options throw', () => {
    for (const form of [null, undefined, 5, 'x', [], () => 1, Symbol('f')]) {
      const r = checkRegistration(form, OPTIONS);
      assert.deepEqual(summary(r), [[undefined, 'form_invalid_type']]);
      assert.deepEqual(r.issues[0].path, []);
    }
    const r = checkRegistration({ name: 5, idKind: {}, idNumber: [EXAMPLES.valid], phone: 13812345678, password: true, username: 1n }, OPTIONS);
    assert.deepEqual(summary(r), ['name', 'idKind', 'idNumber', 'phone', 'password', 'username'].map((f) => [f, 'form_field_invalid_type']));
    const throwing = { ...GOOD, get password() { throw new Error('boom'); } };
    assert.deepEqual(summary(checkRegistration(throwing, OPTIONS)), [['password', 'form_field_invalid_type']]);
    for (const options of [5, { fields: [] }, { fields: ['email'] }, { ageRule: 'x' }, { password: { minLength: 0 } },
      { password: { minLength: 20, maxLength: 10 } }, { password: { minClasses: 5 } }, { password: 'x' }, { username: { maxLength: 1.5 } },
      { phone: { regions: ['us'] } }, { name: { maxChars: 10 } }, { asOf: 'today' }, { kinds: ['x'] }]) {
      assert.throws(() => checkRegistration(GOOD, options), (e) => (e instanceof TypeError || e instanceof RangeError) && e.message.startsWith('shiming:'), JSON.stringify(options));
    }
  });
});

describe('registrationSchema (Standard Schema v1)', () => {
  test('the ~standard interface', () => {
    const schema = registrationSchema(OPTIONS);
    const std = schema['~standard'];
    assert.equal(std.version, 1);
    assert.equal(std.vendor, 'shiming');
    assert.equal(typeof std.validate, 'function');
    const ok = std.validate({ ...GOOD });
    assert.equal(ok.issues, undefined);
    assert.equal(ok.value.idNumber, EXAMPLES.valid);
    const bad = std.validate({ ...GOOD, phone: '' });
    assert.equal(bad.value, undefined);
    assert.deepEqual(bad.issues.map((i) => [i.path, i.message]), [[['phone'], 'Enter the mobile number']]);
    assert.deepEqual(std.validate(42).issues.map((i) => i.code), ['form_invalid_type']);
    assert.throws(() => registrationSchema({ ageRule: 'x' }), RangeError);
    assert.throws(() => registrationSchema(5), TypeError);
  });

  test('without asOf, "today" is read at each validate call', () => {
    const schema = registrationSchema({ locale: 'en' });
    assert.equal(schema['~standard'].validate({ ...GOOD }).value.derived.kind, 'cn_resident');
  });

  test('a real consumer: @tanstack/form-core validates with the schema and maps issues to fields', async () => {
    let submitted = null;
    const form = new FormApi({
      defaultValues: { name: 'Zhang San', idNumber: EXAMPLES.badChecksum, phone: '', password: 'x' },
      validators: { onSubmit: registrationSchema(OPTIONS) },
      onSubmit: ({ value }) => {
        submitted = value;
      },
    });
    form.mount();
    const fields = Object.fromEntries(['name', 'idNumber', 'phone', 'password'].map((name) => {
      const field = new FieldApi({ form, name });
      field.mount();
      return [name, field];
    }));
    await form.handleSubmit();
    assert.equal(submitted, null);
    assert.equal(form.state.canSubmit, false);
    const codes = (name) => fields[name].state.meta.errors.map((e) => e.code);
    assert.deepEqual(codes('idNumber'), ['id_checksum_mismatch']);
    assert.deepEqual(codes('phone'), ['phone_empty']);
    assert.deepEqual(codes('password'), ['password_too_short', 'password_too_few_classes']);
    assert.deepEqual(codes('name'), []);
    assert.equal(fields.phone.state.meta.errors[0].message, 'Enter the mobile number');

    fields.name.setValue('张三');
    fields.idNumber.setValue(EXAMPLES.valid);
    fields.phone.setValue(PHONE);
    fields.password.setValue('correct horse 7');
    await form.handleSubmit();
    assert.deepEqual(submitted, { name: '张三', idNumber: EXAMPLES.valid, phone: PHONE, password: 'correct horse 7' });
    for (const name of Object.keys(fields)) assert.deepEqual(fields[name].state.meta.errors, [], name);
  });

  test('registrationFormSchema (the same schema, typed for the page\'s form): TanStack validates the page\'s own keys', async () => {
    let submitted = null;
    const defaultValues = { realName: 'Zhang San', idCard: EXAMPLES.badChecksum, mobile: '', smsCode: '', agree: false };
    const schema = registrationFormSchema({ ...OPTIONS, fieldNames: { name: 'realName', idNumber: 'idCard', phone: 'mobile' } });
    const form = new FormApi({
      defaultValues,
      validators: { onSubmit: schema },
      onSubmit: ({ value }) => {
        submitted = value;
      },
    });
    form.mount();
    const fields = Object.fromEntries(Object.keys(defaultValues).map((name) => {
      const field = new FieldApi({ form, name });
      field.mount();
      return [name, field];
    }));
    await form.handleSubmit();
    assert.equal(submitted, null);
    const codes = (name) => fields[name].state.meta.errors.map((e) => e.code);
    assert.deepEqual(codes('idCard'), ['id_checksum_mismatch']);
    assert.deepEqual(codes('mobile'), ['phone_empty']);
    for (const name of ['realName', 'smsCode', 'agree']) assert.deepEqual(codes(name), [], name);

    fields.realName.setValue('张三');
    fields.idCard.setValue(EXAMPLES.valid.toLowerCase());
    fields.mobile.setValue(PHONE);
    fields.smsCode.setValue('123456');
    fields.agree.setValue(true);
    await form.handleSubmit();
    assert.deepEqual(submitted, { realName: '张三', idCard: EXAMPLES.valid.toLowerCase(), mobile: PHONE, smsCode: '123456', agree: true });
    for (const name of Object.keys(fields)) assert.deepEqual(fields[name].state.meta.errors, [], name);
    // The schema's own value: the page's members passed through, the checked ones normalised, and what was derived.
    const { value } = schema['~standard'].validate(submitted);
    assert.deepEqual([value.idCard, value.smsCode, value.agree, value.derived.kind], [EXAMPLES.valid, '123456', true, 'cn_resident']);
    assert.equal(typeof value.identityKey, 'string');
    // Exactly registrationSchema's rules; a wrong fieldNames names this factory.
    assert.deepEqual(value, registrationSchema({ ...OPTIONS, fieldNames: { name: 'realName', idNumber: 'idCard', phone: 'mobile' } })['~standard'].validate(submitted).value);
    assert.throws(() => registrationFormSchema({ fieldNames: { name: '' } }), { name: 'TypeError', message: /^registrationFormSchema\(options\)/ });
  });
});

// checkRegistration remembers the options object it parsed last (src/registration.rs, bindings/checks/js/checks.js):
// a reused object must give what a fresh copy of it gives, whatever is changed in place between calls.
const { configure } = await importPkg('node.js');

describe('checkRegistration with one options object reused', () => {
  const minor = generateTestId({ seed: 3, birthDate: '2015-06-01' });
  const adult = generateTestId({ seed: 4, birthDate: '2008-11-28' });
  const forms = [
    GOOD,
    { ...GOOD, idNumber: minor },
    { ...GOOD, idNumber: adult },
    { ...GOOD, idNumber: 'A123456(3)', birthDate: '1990-01-01' },
    { name: '张三' },
    { ...GOOD, password: 'short' },
    { ...GOOD, password: `x${PHONE}y` },
    { ...GOOD, name: '阿'.repeat(30) },
  ];
  // Each call with `reused` follows one with it (so that it is the object remembered, if any: the change made in
  // place since must be seen), and is compared with a fresh copy; the last call leaves `reused` remembered.
  const same = (reused, label) => {
    for (const form of forms) {
      const first = checkRegistration(form, reused);
      const again = checkRegistration(form, reused);
      const fresh = checkRegistration(form, structuredClone(reused));
      assert.deepStrictEqual(first, fresh, `${label} ${JSON.stringify(form)}`);
      assert.deepStrictEqual(again, fresh, `${label} ${JSON.stringify(form)} (again)`);
      checkRegistration(form, reused);
    }
  };

  // Each change is made to an object just remembered, then checked against a fresh copy, on every form; each must
  // change some result (else the test could not see it ignored).
  const changes = [
    ['asOf', (o) => { o.asOf = '2026-11-29'; }],
    ['locale', (o) => { o.locale = 'en'; }],
    ['ageRule', (o) => { o.ageRule = 'on_birthday'; }],
    ['kinds', (o) => { o.kinds = ['hk_id']; }],
    ['kinds changed in place', (o) => { o.kinds.push('hk_id'); }, { kinds: ['cn_resident'] }],
    ['name', (o) => { o.name = { maxChars: 25 }; }],
    ['phone', (o) => { o.phone = { regions: ['hk'] }; }],
    ['password', (o) => { o.password = { minLength: 30 }; }],
    ['password changed in place', (o) => { o.password.minLength = 30; }, { password: { minLength: 8 } }],
    ['username', (o) => { o.username = { required: true }; }],
    ['fields', (o) => { o.fields = ['name']; }],
  ];
  for (const [label, change, extra] of changes) {
    test(`a change in place counts at the next call: ${label}`, () => {
      let changed = 0;
      for (const form of forms) {
        const o = { asOf: '2026-11-28', ...structuredClone(extra ?? {}) };
        const before = checkRegistration(form, o);
        checkRegistration(form, o);
        change(o);
        const after = checkRegistration(form, o);
        assert.deepStrictEqual(after, checkRegistration(form, structuredClone(o)), `${label} ${JSON.stringify(form)}`);
        if (JSON.stringify(after) !== JSON.stringify(before)) changed++;
      }
      assert.ok(changed > 0, `${label} changed no result`);
    });
  }

  test('changes in place, one after another, on one object', () => {
    const o = { asOf: '2026-11-28' };
    same(o, 'asOf only');
    o.asOf = '2026-11-27';
    same(o, 'asOf changed');
    o.locale = 'en';
    same(o, 'locale added');
    o.ageRule = 'on_birthday';
    same(o, 'ageRule added');
    o.guardianMinAge = 16;
    same(o, 'guardianMinAge added');
    o.kinds = ['hk_id'];
    same(o, 'kinds added');
    delete o.kinds;
    o.asOf = '2026-02-30';
    assert.throws(() => checkRegistration(GOOD, o), RangeError);
    o.asOf = '2026-11-28';
    same(o, 'after a bad asOf');
  });

  test('configure between calls counts', () => {
    const o = { asOf: '2026-11-28' };
    same(o, 'before configure');
    configure({ kinds: ['hk_id'], locale: 'en' });
    try {
      same(o, 'after configure');
      const r = checkRegistration(GOOD, o);
      assert.equal(r.ok, false);
      assert.match(r.issues[0].message, /[A-Za-z]/);
    } finally {
      configure(null);
    }
    same(o, 'after configure(null)');
    assert.equal(checkRegistration(GOOD, o).ok, true);
  });

  test('a throwing getter is reported as before, and nothing is remembered', () => {
    const o = { asOf: '2026-11-28' };
    checkRegistration(GOOD, o);
    let throwing = true;
    Object.defineProperty(o, 'locale', { configurable: true, enumerable: true, get() { if (throwing) throw new Error('getter'); return 'en'; } });
    assert.throws(() => checkRegistration(GOOD, o), /getter/);
    throwing = false;
    same(o, 'a getter that no longer throws');
  });
});
