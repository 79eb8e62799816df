// checkRegistration's two ways of building a result (bindings/checks/src/registration_fast.rs): a valid form without
// warnings is built by a JS function from one record of numbers, a refusal from id_fast's issue templates; any other
// result, and every result while a test turns the fast path off (shiming_reg_fast(false)) or a message hook answers
// for the locale (refusals), comes from the general path. The results must be the same, property for property and in
// the same order, on generated forms (valid, invalid, edge cases, hostile objects), in zh-CN and en, with option sets
// that are remembered and ones that are not, with and without a message hook; and the fast paths must be taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';

import { assertPkgBuilt, importPkg } from './support.mjs';
import { makeCorpus, AS_OF } from '../../bench/corpus.mjs';

assertPkgBuilt();
const shiming = await importPkg('node.js');
const { checkRegistration, registrationSchema, generateTestId, configure, setMessageHook } = shiming;
const snippets = new URL('../../pkg/snippets/', import.meta.url);
const js = await import(new URL(`${readdirSync(snippets).find((d) => d.startsWith('shiming-checks-js-'))}/js/checks.js`, snippets));

const KINDS = [
  'cn_resident', 'cn_resident_legacy', 'hk_macao_taiwan_residence_permit', 'foreign_permanent_resident', 'hk_id', 'mo_id',
  'tw_id', 'hk_macao_home_return_permit', 'tw_mtp', 'cn_passport', 'uscc',
];

/** Deep equality that also compares the order of keys (JSON.stringify is order-sensitive). */
function same(a, b, label) {
  assert.equal(JSON.stringify(a), JSON.stringify(b), label);
  assert.deepStrictEqual(a, b, label);
}

/** A small deterministic generator (the forms are the same on every run). */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  '张三', '张三', '欧阳娜娜', '阿卜杜拉·艾买提', '买买提・吐尔逊', '买买提.吐尔逊', ' 张三 ', 'Zhang San', 'CHAN Tai Man',
  '张', '张三1', '张\u200B三', '张\uD800三', '𠀀𠀁', `张${'三'.repeat(40)}`, '', '·', '张三😀', '北京某某科技有限公司',
  undefined, null, 42, { toString: () => '张三' },
];
const PHONES = [
  '13812345678', '13812345678', '+8613812345678', '8613812345678', '138 1234 5678', '１３８１２３４５６７８', '+85291234567',
  '+85366123456', '0912345678', '+886912345678', '19912345678', '14012345678', '1381234567', '138123456789', '',
  'phone', '+1 202 555 0100', undefined, 13812345678,
];
const PASSWORDS = [
  'correct horse 7', 'correct horse 7', 'Tr0ub4dor&3', 'short', '', 'aaaaaaaa', '13812345678x', 'x19491231ab',
  '密码😀abc123', 'pass\uDC00word1', 'p'.repeat(70), undefined, undefined, 7,
];
const USERNAMES = [undefined, undefined, undefined, 'zhangsan', ' zhangsan ', 'a', '', 'user 13812345678', '张三_01', 5];
const BIRTH_DATES = [undefined, undefined, undefined, '', '1990-01-01', '1949-12-31', '2030-01-01', '1990-02-30', 'x', 3];
const ID_KINDS = [undefined, undefined, undefined, '', 'cn_resident', 'hk_id', 'passport', 'uscc', 7];

/** Valid numbers of every kind (some of minors, some with separators), their corruptions, and the bench's corpus. */
function numbers() {
  const out = [];
  for (const kind of KINDS) {
    for (let seed = 0; seed < 12; seed++) out.push(generateTestId({ seed, kind }));
  }
  for (const birthDate of ['2026-11-27', '2026-01-01', '2025-11-28', '2020-05-05', '2013-03-01', '2012-11-28', '2009-07-07', '2008-11-29', '1900-01-01']) {
    for (let seed = 0; seed < 4; seed++) out.push(generateTestId({ seed, birthDate }));
  }
  const valid = out.slice();
  for (const n of valid.slice(0, 60)) {
    out.push(n.slice(1), n.slice(0, -1) + (n.endsWith('1') ? '2' : '1'), ` ${n}`, n.toLowerCase(), n.replace(/\d/, '０'));
  }
  out.push('', ' ', 'x', '11010519491231002x', '１１０１０５１９４９１２３１００２Ｘ', '110105491231002', '中文'.repeat(9));
  out.push(...makeCorpus(1500, 5).lines);
  return out;
}

/** Forms from the lists above: a field left out now and then, and hostile objects among them. */
function forms() {
  const next = random(19);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const out = [];
  for (const idNumber of numbers()) {
    const form = { name: pick(NAMES), idNumber, phone: pick(PHONES) };
    for (const [key, list] of [['password', PASSWORDS], ['username', USERNAMES], ['birthDate', BIRTH_DATES], ['idKind', ID_KINDS]]) {
      const value = pick(list);
      if (value !== undefined || next() < 0.3) form[key] = value;
    }
    if (next() < 0.05) delete form.name;
    out.push(form);
    // The bench's form: valid numbers take the fast path.
    out.push({ name: '张三', idNumber, phone: '13812345678', password: 'correct horse 7' });
  }
  const valid = generateTestId({ seed: 1 });
  const throwing = { name: '张三', phone: '13812345678' };
  Object.defineProperty(throwing, 'idNumber', { get() { throw new Error('no'); }, enumerable: true });
  const proxy = new Proxy({ name: '张三', idNumber: valid, phone: '13812345678' }, {});
  const bare = Object.assign(Object.create(null), { name: '张三', idNumber: valid, phone: '13812345678' });
  const inherited = Object.assign(Object.create({ phone: '13812345678' }), { name: '张三', idNumber: valid });
  // A getter that checks another form while this one is read.
  const reentrant = { name: '张三', idNumber: valid };
  Object.defineProperty(reentrant, 'phone', {
    get() { checkRegistration({ name: '李四', idNumber: generateTestId({ seed: 9 }), phone: '13912345678', password: 'other pass 9' }); return '13812345678'; },
    enumerable: true,
  });
  const big = { name: '张三', idNumber: valid, phone: '13812345678', password: `${'口'.repeat(200)}a1`, username: 'u'.repeat(40) };
  out.push(throwing, proxy, bare, inherited, reentrant, big, { ...big, password: 'correct horse 7' }, {}, [], null, undefined, 'form', 42,
    () => {}, new String('x'), { name: new String('张三'), idNumber: valid, phone: '13812345678' });
  return out;
}

const FORMS = forms();

/** A form for a failure's message (a throwing getter's form included). */
function describe(form) {
  try {
    return JSON.stringify(form);
  } catch {
    return String(Object.keys(form ?? {}));
  }
}
const FIELDS = ['name', 'idKind', 'idNumber', 'phone', 'password', 'username', 'birthDate'];

/** Option sets: remembered ones (the same object every time) and ones parsed on every call. */
function optionSets(locale) {
  return [
    Object.freeze({ asOf: AS_OF, locale }),
    { asOf: '2026-11-28', locale, ageRule: 'on_birthday', guardianMinAge: 16 },
    { asOf: AS_OF, locale, kinds: KINDS },
    { asOf: AS_OF, locale, fields: ['name', 'phone'] },
    { asOf: AS_OF, locale, fields: ['idNumber', 'password'] },
    { asOf: AS_OF, locale, fields: FIELDS },
    { asOf: AS_OF, locale, password: { required: true, minLength: 10, minClasses: 3 }, username: { required: true, minLength: 3 } },
    { asOf: AS_OF, locale, name: { maxChars: 25 }, phone: { regions: ['cn'] } },
    { locale },
  ];
}

/** Every form under every option set, in this order (one call per form and set). */
function run(locale) {
  const out = [];
  for (const options of optionSets(locale)) for (const form of FORMS) out.push(checkRegistration(form, options));
  return out;
}

/** The general path's results: the fast path off, and a hook that answers for every locale with nothing. */
function general(locale, hook = () => undefined) {
  js.shiming_reg_fast(false);
  setMessageHook(hook);
  try {
    const built = js.shiming_reg_built();
    const refusals = js.shiming_id_refusals_built();
    const results = run(locale);
    assert.equal(js.shiming_reg_built(), built, 'the fast path is off');
    assert.equal(js.shiming_id_refusals_built(), refusals, 'a hook answering for the locale takes the general path');
    return results;
  } finally {
    setMessageHook(null);
    js.shiming_reg_fast(true);
    // The Node entry installs the Traditional tables' hook: put it back as configure does.
    configure({ messages: null });
  }
}

for (const locale of ['zh-CN', 'en']) {
  test(`the fast and the general results agree (${locale}), and the fast paths are taken`, () => {
    const reference = general(locale);
    const valid = reference.filter((r) => r.ok && r.warnings.length === 0).length;
    const refused = reference.filter((r) => !r.ok && r.warnings.length === 0).length;
    assert.ok(valid > 8_000 && refused > 8_000, `${valid} valid results without warnings, ${refused} refusals`);
    const built = js.shiming_reg_built();
    const refusals = js.shiming_id_refusals_built();
    const first = run(locale);
    const again = run(locale);
    // Every valid result without a warning is built by JS (a longer form's strings may not fit: a few general ones).
    assert.ok(js.shiming_reg_built() - built > 2 * valid - 200, `${js.shiming_reg_built() - built} of ${2 * valid}`);
    // Most refusals of the second pass come from templates (a collision or a list param sends some the general way).
    assert.ok(js.shiming_id_refusals_built() - refusals > refused / 2, `${js.shiming_id_refusals_built() - refusals} refusals from templates`);
    for (let i = 0; i < reference.length; i++) {
      const label = `${i}: ${describe(FORMS[i % FORMS.length])} ${locale}`;
      same(first[i], reference[i], label);
      same(again[i], reference[i], `${label} (again)`);
    }
  });
}

test('with the page\'s messages (configure) the fast and the general results agree, and refusals take the general path', () => {
  const messages = {
    id_checksum_mismatch: '{kind}: the last character should be {expected}',
    name_empty: (issue, locale) => (locale === 'en' ? 'Your name, please' : '请填写姓名'),
    'password_contains_personal_data.phone': 'no phone in the password',
  };
  for (const locale of ['zh-CN', 'en']) {
    try {
      // The reference: the fast path off, the same wording.
      js.shiming_reg_fast(false);
      configure({ messages });
      let reference;
      try {
        reference = run(locale);
      } finally {
        js.shiming_reg_fast(true);
      }
      const built = js.shiming_reg_built();
      const refusals = js.shiming_id_refusals_built();
      const results = run(locale);
      assert.ok(js.shiming_reg_built() > built, 'valid results are built by JS with a hook too');
      assert.equal(js.shiming_id_refusals_built(), refusals, 'no refusal from templates while the hook answers');
      for (let i = 0; i < reference.length; i++) same(results[i], reference[i], `${i} ${locale}`);
      assert.ok(results.some((r) => !r.ok && r.issues.some((x) => x.message === 'no phone in the password' || x.message.endsWith('should be X'))));
    } finally {
      configure({ messages: null });
    }
  }
});

test('registrationSchema\'s validate takes the same paths', () => {
  const schema = registrationSchema({ asOf: AS_OF });
  const validate = schema['~standard'].validate;
  const built = js.shiming_reg_built();
  const fast = FORMS.map((f) => validate(f));
  assert.ok(js.shiming_reg_built() > built);
  js.shiming_reg_fast(false);
  try {
    setMessageHook(() => undefined);
    const reference = FORMS.map((f) => validate(f));
    for (let i = 0; i < FORMS.length; i++) same(fast[i], reference[i], String(i));
  } finally {
    setMessageHook(null);
    js.shiming_reg_fast(true);
    configure({ messages: null });
  }
});

test('each fast result is a fresh object, and the form\'s texts are not kept', () => {
  const form = { name: '张三', idNumber: generateTestId({ seed: 3 }), phone: '13812345678', password: 'correct horse 7' };
  const options = { asOf: AS_OF };
  const built = js.shiming_reg_built();
  const first = checkRegistration(form, options);
  first.value.derived.region.code = 'changed';
  first.value.derived.kind = 'changed';
  first.value.name = 'changed';
  first.warnings.push('changed');
  const second = checkRegistration(form, options);
  assert.equal(js.shiming_reg_built(), built + 2);
  assert.notEqual(second.value.derived.region.code, 'changed');
  assert.equal(second.value.derived.kind, 'cn_resident');
  assert.equal(second.value.name, '张三');
  assert.deepEqual(second.warnings, []);
  assert.notEqual(first.value, second.value);
  assert.notEqual(first.value.derived, second.value.derived);
  // A refusal handed out is the caller's too.
  const bad = { ...form, idNumber: '110105194912310021' };
  const a = checkRegistration(bad, options);
  const b = checkRegistration(bad, options);
  a.issues[0].path.push('changed');
  a.issues[0].params.expected = 'changed';
  a.warnings.push('changed');
  same(checkRegistration(bad, options), b, 'after changing an earlier refusal');
  // The JS side keeps none of the form's strings (a password among them) once the result is built, on either path.
  assert.ok(js.shiming_reg_held().every((s) => s === undefined));
  checkRegistration({ ...form, phone: '138 1234 5678' }, options);
  assert.ok(js.shiming_reg_held().every((s) => s === undefined));
  // A getter that checks another form while this one is read: each result is its own form's.
  const reentrant = FORMS.find((f) => f && Object.getOwnPropertyDescriptor(f, 'phone')?.get);
  const r = checkRegistration(reentrant, options);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.value.name, '张三');
  assert.equal(r.value.phone, '+8613812345678');
});

// Both paths read the form through the same JS helper (each field's text written into wasm memory as UTF-8), so the
// comparisons above cannot catch a wrong encoding: the text must be what wasm-bindgen's own conversion gave
// (TextEncoder's UTF-8, a lone surrogate as U+FFFD), on the fast path (a text handed back as bytes or as the
// caller's string) and on the general one.
test('the form\'s texts arrive as TextEncoder encodes them (lone surrogates as U+FFFD)', () => {
  const next = random(7);
  const units = ['a', 'Z', '7', ' ', '~', 'é', '中', '\u00a0', '\u200b', '😀', '\ud800', '\udfff', '\ufeff', '\u07ff', '\u0800', '\uffff'];
  const roundTrip = (s) => new TextDecoder().decode(new TextEncoder().encode(s));
  const form = { name: '张三', idNumber: generateTestId({ seed: 2 }), phone: '13812345678' };
  const options = { asOf: AS_OF, fields: ['password'] };
  let lossy = 0;
  for (let i = 0; i < 3000; i++) {
    let password = 'Aa1';
    const n = 5 + Math.floor(next() * 40);
    for (let j = 0; j < n; j++) password += units[Math.floor(next() * units.length)];
    const expected = roundTrip(password);
    if (expected !== password) lossy++;
    for (const fast of [true, false]) {
      js.shiming_reg_fast(fast);
      try {
        const r = checkRegistration({ ...form, password }, options);
        if (r.ok) assert.equal(r.value.password, expected, JSON.stringify(password));
        else assert.ok(r.issues.every((x) => x.path[0] === 'password'), JSON.stringify(r.issues));
      } finally {
        js.shiming_reg_fast(true);
      }
    }
  }
  assert.ok(lossy > 1000, `${lossy} passwords with a lone surrogate`);
  const r = checkRegistration({ ...form, name: '张三', password: 'pass\udc00word1', username: 'user01' }, { asOf: AS_OF });
  assert.equal(r.value.password, 'pass\ufffdword1');
});

