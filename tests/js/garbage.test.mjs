// Every export, called with garbage. Each call must end cleanly: a TypeError or RangeError (a caller mistake),
// or a normal result (ok: false for bad input). Anything else, above all a wasm trap (`RuntimeError:
// unreachable`, which leaves the instance unusable), fails. Afterwards the module must still answer correctly.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { assertPkgBuilt, importPkg, EXAMPLES } from './support.mjs';

assertPkgBuilt();
// Both modules: the checks ('shiming') and the policy runtime ('shiming/policy').
const api = { ...(await importPkg('node.js')), ...(await importPkg('policy-node.js')) };

const AS_OF = '2024-06-01';
const MB16 = 16 * 1024 * 1024;
/** The wasm-bindgen glue's own exports: not part of the checking API. */
const GLUE = new Set(['default', 'initSync']);
/** The checking exports: (input, options?) → a result. Each is put through every garbage test below. */
const CHECKERS = new Set(['checkId', 'isValidId', 'checkIdBatch', 'checkPhone', 'isValidPhone', 'checkName', 'isValidName', 'checkRegistration']);
/**
 * The package JS's own entry points into the module (npm/ids.js), not API: exported because the entries re-export
 * the whole module. Each is put through garbage below all the same.
 */
const INTERNAL = new Set(['__idScratch', '__idScratchLength', '__idMemory', '__idOptionsToken', '__isValidIdAscii', '__checkIdAscii']);
/** The other exports, each with a garbage test of its own below. */
const OTHERS = new Set(['setPhoneSegments', 'phoneSegmentsVersion', 'maskId', 'maskPhone', 'maskName', 'generateTestId', 'registrationSchema',
  'registrationFormSchema', 'idNumberSchema', 'nameSchema', 'phoneSchema', 'birthDateSchema', 'passwordSchema', 'usernameSchema',
  'setRegionNames', 'regionNamesLoaded', 'loadRegionNames', 'ageOn', 'ageBand', 'checkGuardian', 'evaluatePolicy', 'setMinorPolicy',
  'minorPolicy', 'identityKey', 'configure', 'minorPolicyPreset', 'checkGuardianLimits',
  'issueMessage', 'resolveLocale', 'isMessageKey', 'setMessageHook', 'loadLocale', 'kindLabel', 'bandLabel']);
const allFunctions = Object.entries(api).filter(([name, value]) => typeof value === 'function' && !GLUE.has(name));
const functions = allFunctions.filter(([name]) => CHECKERS.has(name));
/** Good options of a checker: a trusted date where it takes one (checkName and checkPhone take none). */
const goodOptions = (name) => (['checkName', 'isValidName', 'checkPhone', 'isValidPhone'].includes(name) ? {} : { asOf: AS_OF });

function describeValue(value) {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${JSON.stringify(value.slice(0, 20))}… (${value.length} units)` : JSON.stringify(value);
    return `string ${shown}`;
  }
  if (typeof value === 'symbol') return 'symbol';
  if (typeof value === 'function') return 'function';
  if (typeof value === 'bigint') return `bigint ${value}n`;
  try {
    const json = JSON.stringify(value);
    return `${Object.prototype.toString.call(value)} ${json && json.length > 60 ? `${json.slice(0, 60)}…` : json}`;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Calls fn and classifies what happened: { threw: Error } or { value }. A wasm trap or any error other than
 * TypeError / RangeError fails at once, naming the call.
 */
function callCleanly(label, fn) {
  try {
    return { value: fn() };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      assert.fail(`${label}: wasm trap (${error.message}): the instance is now unusable`);
    }
    if (!(error instanceof TypeError || error instanceof RangeError)) {
      assert.fail(`${label}: threw ${error?.constructor?.name ?? typeof error}: ${error?.message ?? error}`);
    }
    assert.ok(typeof error.message === 'string' && error.message.length > 0, `${label}: the error has a message`);
    return { threw: error };
  }
}

/** A returned value is the documented "no" for bad input: false, { ok: false }, or a batch report. */
function assertCleanNo(label, value) {
  if (typeof value === 'boolean') {
    assert.equal(value, false, `${label}: returned true`);
  } else if (value && typeof value === 'object' && 'ok' in value) {
    assert.equal(value.ok, false, `${label}: returned ok: true`);
    assert.ok(Array.isArray(value.issues) && value.issues.length > 0, `${label}: ok: false without issues`);
    for (const issue of value.issues) {
      assert.equal(typeof issue.code, 'string');
      assert.equal(typeof issue.message, 'string');
    }
  } else if (value && typeof value === 'object' && 'total' in value) {
    assert.equal(value.valid + value.invalid, value.total, `${label}: inconsistent batch report`);
    assert.equal(value.status.length, value.total);
  } else {
    assert.fail(`${label}: unexpected return value ${describeValue(value)}`);
  }
}

/** Any clean result shape (for inputs that are odd but legal, where ok: true may be right). */
function assertResultShape(label, value) {
  if (typeof value === 'boolean') return;
  assert.ok(value && typeof value === 'object', `${label}: returned ${describeValue(value)}`);
  if ('ok' in value) {
    assert.equal(typeof value.ok, 'boolean');
    if (value.ok) assert.ok(value.value && Array.isArray(value.warnings), `${label}: malformed ok result`);
    else assert.ok(Array.isArray(value.issues) && value.issues.length > 0, `${label}: ok: false without issues`);
  } else {
    assert.equal(value.valid + value.invalid, value.total, `${label}: inconsistent batch report`);
  }
}

// Values that are not strings (nor, for checkIdBatch, Uint8Arrays).
const nonStrings = [
  null,
  undefined,
  0,
  -0,
  42,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.MAX_SAFE_INTEGER,
  110105194912310020, // a number that looks like an ID
  10n,
  true,
  false,
  {},
  [],
  [EXAMPLES.valid],
  { length: 18 },
  { toString: () => EXAMPLES.valid },
  Object.create(null),
  Symbol('garbage'),
  () => EXAMPLES.valid,
  new Date(0),
  /11010519491231002X/,
  new Map(),
  new Uint16Array(18),
  new Float64Array(2),
  new ArrayBuffer(18),
  new DataView(new ArrayBuffer(4)),
  Promise.resolve(EXAMPLES.valid),
  new Proxy({}, {}),
  new Error('not an id'),
];

// Strings that are not IDs: lone surrogates, control characters, multi-byte text, boundary and huge lengths.
function garbageStrings() {
  const list = [
    '',
    ' ',
    '\0',
    '\uD800',
    '\uDFFF',
    'ab\uDFFFcd',
    '\uDFFF\uD800',
    '\uD83D',
    '😀'.repeat(18),
    '中'.repeat(18),
    '\u202E11010519491231002X',
    '１'.repeat(18),
    'X'.repeat(18),
    '-'.repeat(18),
    '0'.repeat(18),
    '9'.repeat(18),
    '\n'.repeat(1000),
    '\r\n\r\n',
    'NaN',
    'undefined',
    'null',
    '11010519491231002\uD800',
    '\uD80011010519491231002X',
    `${EXAMPLES.valid}\n${EXAMPLES.valid}`,
    '1'.repeat(64),
    '1'.repeat(65),
    '中'.repeat(64),
    '😀'.repeat(64),
    '😀'.repeat(65),
    'é'.repeat(200),
    '1'.repeat(MB16),
    '😀'.repeat(MB16 / 2),
    `${EXAMPLES.valid}\n`.repeat(MB16 / 19),
  ];
  // A lone surrogate and a 4-byte character at every position of a valid ID.
  for (let i = 0; i <= EXAMPLES.valid.length; i += 1) {
    list.push(EXAMPLES.valid.slice(0, i) + '\uD800' + EXAMPLES.valid.slice(i + 1));
    list.push(EXAMPLES.valid.slice(0, i) + '😀' + EXAMPLES.valid.slice(i));
  }
  return list;
}

// Options that are wrong: each must be refused (TypeError / RangeError), or give ok: false.
const badOptions = [
  5,
  'x',
  true,
  Symbol('options'),
  () => ({}),
  10n,
  { asOf: 12 },
  { asOf: 'yesterday' },
  { asOf: '' },
  { asOf: '2024-13-01' },
  { asOf: '2024-02-30' },
  { asOf: '2023-02-29' },
  { asOf: '24-06-01' },
  { asOf: '2024/06/01' },
  { asOf: '２０２４-06-01' },
  { asOf: '\uD800' },
  { asOf: new Date() },
  { asOf: 'x'.repeat(MB16) },
  { kinds: 'x' },
  { kinds: 'cn_resident' },
  { kinds: ['bogus'] },
  { kinds: [null] },
  { kinds: [1] },
  { kinds: {} },
  { kinds: 5 },
  { locale: 5 },
  { locale: ['en'] },
  // A misspelt or unknown option throws rather than being ignored (tests/js/options.test.mjs).
  { unknownOption: 1 },
  { kind: ['cn_resident'] },
];

// Options that are odd but may be legal: any clean outcome is fine.
const oddOptions = [
  null,
  undefined,
  {},
  [],
  Object.create(null),
  new Proxy({ locale: 'en' }, {}),
  { asOf: '0001-01-01' },
  { asOf: '9999-12-31' },
  { asOf: '2024-02-29' },
  { kinds: [] },
  { kinds: ['cn_resident', 'cn_resident'] },
  { kinds: new Array(100_000).fill('cn_resident_legacy') },
  { asOf: undefined, locale: undefined, kinds: undefined },
  { asOf: null, locale: null, kinds: null },
  // Any locale tag falls back to a locale (Locale::negotiate): 'fr' → en, '' → zh-CN.
  { locale: 'fr' },
  { locale: '' },
  { locale: '\uD800' },
];

describe('garbage in, clean errors out', () => {
  test('the checking exports are the ones known here', () => {
    const names = functions.map(([name]) => name).sort();
    for (const name of ['checkId', 'checkIdBatch', 'isValidId', 'checkPhone']) assert.ok(names.includes(name), name);
    // A new export must be added to CHECKERS or OTHERS (and so to a garbage test) before it ships.
    for (const [name] of allFunctions) {
      assert.ok(CHECKERS.has(name) || OTHERS.has(name) || INTERNAL.has(name), `untested export ${name}`);
    }
  });

  test('the package JS\'s internal entry points: garbage never traps, and isValidId still answers', () => {
    const values = [...nonStrings, ...badOptions, -1, 2 ** 32, 1e300, NaN, '64', 65, 0];
    for (const a of values) {
      for (const b of [undefined, 0, 1, 2 ** 31, -5, 'x']) {
        try {
          const r = api.__isValidIdAscii(a, b);
          assert.ok(r === 0 || r === 1 || r === 2, `__isValidIdAscii(${describeValue(a)}, ${describeValue(b)}) = ${r}`);
        } catch (e) {
          // The glue's number conversion refuses a BigInt or a Symbol.
          assert.ok(e instanceof TypeError, `__isValidIdAscii(${describeValue(a)}, ${describeValue(b)}): ${e}`);
        }
        for (const c of [undefined, 'x', EXAMPLES.valid, 42]) {
          try {
            const r = api.__checkIdAscii(a, b, c);
            assert.ok(r === undefined || typeof r.ok === 'boolean', `__checkIdAscii(${describeValue(a)}, ${describeValue(b)}, ${describeValue(c)})`);
          } catch (e) {
            assert.ok(e instanceof TypeError, `__checkIdAscii(${describeValue(a)}, ${describeValue(b)}, ${describeValue(c)}): ${e}`);
          }
        }
      }
      try {
        const token = api.__idOptionsToken(a);
        assert.equal(typeof token, 'number', describeValue(a));
      } catch (e) {
        assert.ok(e instanceof TypeError || e instanceof RangeError, `${describeValue(a)}: ${e}`);
      }
    }
    assert.equal(typeof api.__idScratch(), 'number');
    assert.equal(api.__idScratchLength(), 64);
    assert.ok(api.__idMemory() instanceof WebAssembly.Memory);
    assert.equal(api.isValidId(EXAMPLES.valid, { asOf: AS_OF }), true);
    assert.equal(api.isValidId(EXAMPLES.valid), true);
  });

  test('identityKey: garbage gives a TypeError or RangeError, else a string or null', () => {
    for (const value of nonStrings) assert.throws(() => api.identityKey(value), TypeError, describeValue(value));
    for (const value of garbageStrings()) {
      const key = api.identityKey(value, { asOf: AS_OF });
      assert.ok(key === null || typeof key === 'string', describeValue(value));
    }
    for (const options of badOptions) {
      assert.throws(() => api.identityKey(EXAMPLES.valid, options), (e) => e instanceof TypeError || e instanceof RangeError, describeValue(options));
    }
    assert.equal(api.identityKey(EXAMPLES.valid, { asOf: AS_OF }), `cn_resident:${EXAMPLES.valid}`);
  });

  test('configure: garbage throws and changes nothing', () => {
    const before = api.configure({});
    for (const value of [undefined, 5, 'x', [], true, () => ({}), { kinds: 'x' }, { kinds: [] }, { kinds: ['bogus'] }, { kinds: [null] }, { locale: 5 },
      { messages: 5 }, { messages: { nope: 'x' } }, { messages: { id_empty: 5 } }, { kinds: ['bogus'], messages: {} }]) {
      assert.throws(() => api.configure(value), (e) => e instanceof TypeError || e instanceof RangeError, describeValue(value));
      assert.deepEqual(api.configure({}), before, `${describeValue(value)} changed nothing`);
    }
  });

  test('messages: issueMessage, resolveLocale, isMessageKey, setMessageHook, loadLocale end cleanly on garbage', async () => {
    const values = [...nonStrings, ...garbageStrings().slice(0, 60)];
    for (const value of values) {
      const label = describeValue(value);
      for (const [name, fn, check] of [
        ['issueMessage', () => api.issueMessage(value), (r) => typeof r === 'string'],
        ['issueMessage(code)', () => api.issueMessage({ code: value, params: value }), (r) => typeof r === 'string'],
        ['issueMessage(options)', () => api.issueMessage({ code: 'id_empty' }, value), (r) => typeof r === 'string'],
        ['resolveLocale', () => api.resolveLocale(value), (r) => ['zh-CN', 'en', 'zh-Hant', 'zh-HK', 'zh-TW'].includes(r)],
        ['isMessageKey', () => api.isMessageKey(value), (r) => typeof r === 'boolean'],
      ]) {
        const outcome = callCleanly(`${name}(${label})`, fn);
        if ('value' in outcome) assert.ok(check(outcome.value), `${name}(${label}) gave ${outcome.value}`);
      }
      if (typeof value !== 'function' && value !== null && value !== undefined) {
        assert.throws(() => api.setMessageHook(value), TypeError, label);
        if (value !== undefined && value !== null && !Array.isArray(value)) {
          assert.throws(() => api.setMessageHook(() => undefined, value), TypeError, `locales ${label}`);
        }
      }
      for (const name of ['kindLabel', 'bandLabel']) {
        const outcome = callCleanly(`${name}(${label})`, () => api[name](value));
        if ('value' in outcome) assert.equal(typeof outcome.value, 'string', `${name}(${label})`);
        else assert.ok(outcome.threw instanceof TypeError || outcome.threw instanceof RangeError, `${name}(${label})`);
      }
      await api.loadLocale(value).then(
        (locale) => assert.equal(typeof locale, 'string', label),
        (e) => assert.ok(e instanceof TypeError, `${label}: ${e}`),
      );
    }
    assert.equal(api.isMessageKey('id_checksum_mismatch.kind'), true);
    assert.equal(api.isMessageKey('id_checksum_mismatch.kinds'), false);
    assert.equal(api.issueMessage({ code: 'no_such_code' }), 'no_such_code');
  });

  for (const name of ['maskId', 'maskPhone', 'maskName']) {
    test(`${name}: garbage gives a TypeError or a masked string, never the whole input`, () => {
      const fn = api[name];
      for (const value of nonStrings) {
        assert.throws(() => fn(value), TypeError, `${name}(${describeValue(value)})`);
      }
      for (const value of garbageStrings()) {
        const masked = fn(value);
        assert.equal(typeof masked, 'string');
        // Spaces, brackets, hyphens, dots and '+' are layout, shown as written: only letters and digits are hidden.
        const significant = name === 'maskName' ? [...value.trim()].length : (value.match(/[^\s()\-‐-―−.+]/gu) ?? []).length;
        if (significant >= 2) assert.notEqual(masked, value.trim(), `${name} left ${describeValue(value)} unmasked`);
      }
      for (const options of [{ keepStart: -1 }, { keepEnd: 1.5 }, { keepStart: 'x' }, { maskChar: '' }, { maskChar: '**' }, 5, []]) {
        assert.throws(() => fn('11010519491231002X', options), (e) => e instanceof TypeError || e instanceof RangeError);
      }
    });
  }

  test('setRegionNames: garbage throws TypeError/RangeError and the names in force stay', () => {
    const { setRegionNames, regionNamesLoaded, checkId } = api;
    for (const text of [...nonStrings, '', 'x', '北京市\n'.repeat(100), '\n'.repeat(1_000_000)]) {
      assert.throws(() => setRegionNames(text), (e) => e instanceof TypeError || e instanceof RangeError, describeValue(text));
    }
    assert.equal(regionNamesLoaded(), true);
    assert.equal(checkId('11010519491231002X', { asOf: AS_OF }).value.region.county, '朝阳区');
  });

  test('generateTestId: garbage specs throw TypeError/RangeError; good specs give valid numbers', () => {
    const { generateTestId, checkId } = api;
    for (const spec of [...nonStrings, 'x', {}, { seed: -1 }, { seed: 1.5 }, { seed: 'x' }, { seed: 1, kind: 'hk' },
      { seed: 1, birthDate: '2001-02-29' }, { seed: 1, gender: 'x' }, { seed: 1, region: '99010' }, { seed: 1, region: '990101' },
      { seed: 1, kind: 'cn_resident_legacy', birthDate: '2001-01-01' }]) {
      assert.throws(() => generateTestId(spec), (e) => e instanceof TypeError || e instanceof RangeError, describeValue(spec));
    }
    for (let seed = 0; seed < 200; seed++) {
      assert.equal(checkId(generateTestId({ seed }), { asOf: AS_OF }).ok, true, `seed ${seed}`);
    }
    // Every kind has test numbers, and they are detected as that kind.
    for (const kind of ['cn_resident', 'cn_resident_legacy', 'hk_macao_taiwan_residence_permit', 'foreign_permanent_resident',
      'hk_id', 'mo_id', 'tw_id', 'hk_macao_home_return_permit', 'tw_mtp', 'cn_passport', 'uscc']) {
      for (let seed = 0; seed < 20; seed++) {
        const result = checkId(generateTestId({ seed, kind, birthDate: '1990-01-01' }), { asOf: AS_OF, kinds: [kind] });
        assert.equal(result.ok && result.value.kind, kind, `${kind} seed ${seed}`);
      }
    }
    const id = generateTestId({ seed: 42, birthDate: '2010-06-01', gender: 'male', region: '110101' });
    assert.equal(id, generateTestId({ seed: 42, birthDate: '2010-06-01', gender: 'male', region: '110101' }));
    const value = checkId(id, { asOf: AS_OF }).value;
    assert.deepEqual([value.birthDate, value.gender, value.region.code], ['2010-06-01', 'male', '110101']);
  });

  test('checkRegistration, registrationSchema and registrationFormSchema: garbage forms give issues, never an exception or a trap', () => {
    const { checkRegistration, registrationSchema, registrationFormSchema } = api;
    const validate = registrationSchema({ asOf: AS_OF })['~standard'].validate;
    // The typed form's schema, with the page's own keys (and with the module's).
    const formValidates = [registrationFormSchema({ asOf: AS_OF, fieldNames: { name: 'realName', idNumber: 'idCard', phone: 'mobile' } }),
      registrationFormSchema({ asOf: AS_OF })].map((schema) => schema['~standard'].validate);
    const forms = [
      ...nonStrings,
      ...garbageStrings().slice(0, 40),
      ...garbageStrings().map((value) => ({ name: value, idNumber: value, phone: value, password: value, username: value, idKind: value })),
      ...nonStrings.map((value) => ({ name: value, idNumber: value, phone: value, password: value, username: value, idKind: value })),
      { name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678', password: '\uD800'.repeat(100), username: '😀'.repeat(100) },
      new Proxy({}, { get() { throw new Error('trap'); } }),
      new Proxy({}, { getPrototypeOf() { throw new Error('trap'); } }),
    ];
    for (const [index, form] of forms.entries()) {
      let label = `checkRegistration(form #${index})`;
      try {
        label = `checkRegistration(${describeValue(form)})`;
      } catch {
        // A proxy whose traps throw cannot even be described.
      }
      const outcome = callCleanly(label, () => checkRegistration(form, { asOf: AS_OF }));
      assert.ok('value' in outcome, `${label}: threw ${outcome.threw?.message}`);
      assertResultShape(label, outcome.value);
      for (const check of [validate, ...formValidates]) {
        const validated = callCleanly(`validate: ${label}`, () => check(form));
        assert.ok('value' in validated, `validate threw ${validated.threw?.message}`);
        assert.ok(Array.isArray(validated.value.issues) !== ('value' in validated.value), `${label}: malformed Standard Schema result`);
      }
    }
    for (const options of [...badOptions, { fields: 'name' }, { fields: [] }, { password: 5 }, { password: { minLength: -1 } }, { username: [] },
      { ageRule: 5 }, { name: { maxChars: 1e9 } }, { phone: { regions: 'cn' } }]) {
      if (options && typeof options === 'object' && 'asOf' in options && typeof options.asOf === 'string' && options.asOf.length > 100) continue;
      for (const [name, factory] of [['registrationSchema', registrationSchema], ['registrationFormSchema', registrationFormSchema]]) {
        const label = `${name}(${describeValue(options)})`;
        const outcome = callCleanly(label, () => factory(options));
        assert.ok('threw' in outcome, `${label}: accepted`);
      }
    }
    for (const fieldNames of ['realName', 5, { nmae: 'realName' }, { name: '' }, { name: 5 }, { name: 'x', phone: 'x' }]) {
      const label = `registrationFormSchema({ fieldNames: ${describeValue(fieldNames)} })`;
      assert.ok('threw' in callCleanly(label, () => registrationFormSchema({ fieldNames })), `${label}: accepted`);
    }
  });

  test('the field schemas: garbage values give issues, never an exception; garbage options throw when the schema is made', () => {
    const factories = ['idNumberSchema', 'nameSchema', 'phoneSchema', 'birthDateSchema', 'passwordSchema', 'usernameSchema'];
    const values = [...nonStrings, ...garbageStrings().slice(0, 60), new Proxy({}, { get() { throw new Error('trap'); } })];
    for (const name of factories) {
      const validate = api[name]()['~standard'].validate;
      for (const value of values) {
        const label = `${name}().validate(${typeof value === 'string' ? describeValue(value) : typeof value})`;
        const outcome = callCleanly(label, () => validate(value));
        assert.ok('value' in outcome, `${label}: threw ${outcome.threw?.message}`);
        assert.ok(Array.isArray(outcome.value.issues) !== ('value' in outcome.value), `${label}: malformed Standard Schema result`);
      }
      for (const options of [5, 'en', [], { nope: 1 }, { locale: 5 }]) {
        const outcome = callCleanly(`${name}(${describeValue(options)})`, () => api[name](options));
        assert.ok('threw' in outcome, `${name}(${describeValue(options)}): accepted`);
      }
    }
  });

  test('minors: ageOn, ageBand, checkGuardian, evaluatePolicy, checkGuardianLimits, minorPolicyPreset, setMinorPolicy end cleanly on garbage', () => {
    const { ageOn, ageBand, checkGuardian, evaluatePolicy, setMinorPolicy, minorPolicy, checkGuardianLimits, minorPolicyPreset } = api;
    const values = [...nonStrings, ...garbageStrings().slice(0, 40), '2024-02-30', '9999-12-31', '0001-01-01', -1, 201, 1e300];
    for (const value of values) {
      for (const [name, fn] of [['ageOn', () => ageOn(value, value, value)], ['ageBand', () => ageBand(value, AS_OF)],
        ['ageOn(asOf)', () => ageOn('2010-01-01', value)], ['checkGuardian', () => checkGuardian(value, { asOf: AS_OF, minor: {} })],
        ['checkGuardian(fields)', () => checkGuardian({ name: value, idNumber: value, phone: value, relation: value, idKind: value }, { asOf: AS_OF, minor: { name: value, idNumber: value } })],
        ['evaluatePolicy(subject)', () => evaluatePolicy(null, value, { type: 'play', usedTodaySeconds: 0 }, 0)],
        ['evaluatePolicy(activity)', () => evaluatePolicy(null, 10, value, 0)],
        ['evaluatePolicy(now)', () => evaluatePolicy(null, 10, { type: 'session', usedTodaySeconds: value, continuousSeconds: 0 }, value)],
        ['evaluatePolicy(policy)', () => evaluatePolicy(value, 10, { type: 'play', usedTodaySeconds: 0 }, 0)],
        ['evaluatePolicy(limits)', () => evaluatePolicy(null, 10, { type: 'session', usedTodaySeconds: 0, continuousSeconds: 0 }, 0, { limits: value })],
        ['evaluatePolicy(limits member)', () => evaluatePolicy(null, 10, { type: 'payment', amountFen: 1, spentTodayFen: 0, spentThisMonthFen: 0 }, 0, { limits: { perDayFen: value, curfew: { start: value, end: '07:00' } } })],
        ['checkGuardianLimits(limits)', () => checkGuardianLimits(null, 15, value, 0)],
        ['checkGuardianLimits(subject)', () => checkGuardianLimits(null, value, { dailySeconds: 60 }, 0)],
        ['checkGuardianLimits(policy)', () => checkGuardianLimits(value, 15, { dailySeconds: 60 }, 0)]]) {
        const label = `${name}(${describeValue(value)})`;
        const outcome = callCleanly(label, fn);
        if ('value' in outcome) assert.ok(outcome.value && typeof outcome.value === 'object', `${label}: returned ${describeValue(outcome.value)}`);
      }
    }
    const before = JSON.stringify(minorPolicy());
    const policies = [...nonStrings.filter((v) => v !== null), '', '{', 'x'.repeat(MB16), '[]', '{}', JSON.stringify({ ...minorPolicy(), format: 2 }),
      JSON.stringify({ ...minorPolicy(), payment: [{ minAge: 0, maxAge: 8, perPaymentFen: 1.5, perMonthFen: 0, source: 'nppa-2019' }] }),
      '['.repeat(100000), `{"a":"${'\\ud800'}"}`];
    for (const policy of policies) {
      const label = `setMinorPolicy(${describeValue(policy)})`;
      const outcome = callCleanly(label, () => setMinorPolicy(policy));
      assert.ok('threw' in outcome, `${label}: accepted`);
      assert.equal(JSON.stringify(minorPolicy()), before, `${label}: changed the policy in force`);
    }
    assert.equal(evaluatePolicy(null, 30, { type: 'play', usedTodaySeconds: 0 }, 0).code, 'adult');
    for (const value of [...nonStrings, ...garbageStrings().slice(0, 40)]) {
      const label = `minorPolicyPreset(${describeValue(value)})`;
      const outcome = callCleanly(label, () => minorPolicyPreset(value));
      if ('value' in outcome) assert.ok(outcome.value === undefined, `${label}: returned a policy`);
    }
  });

  test('setPhoneSegments: garbage tables throw TypeError/RangeError and the table in force stays', () => {
    const { setPhoneSegments, phoneSegmentsVersion, checkPhone } = api;
    const before = phoneSegmentsVersion();
    const garbageTables = [
      ...nonStrings.filter((v) => v !== null),
      'x'.repeat(MB16),
      {},
      { version: 5, segments: {} },
      { version: '', segments: { 138: 'china_mobile' } },
      { version: 'v', segments: [] },
      { version: 'v', segments: {} },
      { version: 'v', segments: { 38: 'china_mobile' } },
      { version: 'v', segments: { '1a8': 'china_mobile' } },
      { version: 'v', segments: { 138: 'china_mobil' } },
      { version: 'v', segments: { 138: 5 } },
      { version: 'v', segments: { '\uD800': 'virtual' } },
      { version: 'v', segments: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [String(10000 + i), 'bogus'])) },
    ];
    for (const table of garbageTables) {
      const label = `setPhoneSegments(${describeValue(table)})`;
      try {
        setPhoneSegments(table);
        assert.fail(`${label}: accepted`);
      } catch (error) {
        assert.ok(error instanceof TypeError || error instanceof RangeError, `${label}: ${error?.constructor?.name}: ${error?.message}`);
      }
      assert.equal(phoneSegmentsVersion(), before, `${label}: changed the table in force`);
    }
    assert.equal(checkPhone('13812345678').ok, true);
    assert.equal(typeof phoneSegmentsVersion(0, {}, 'ignored'), 'string');
  });

  for (const [name, fn] of functions) {
    test(`${name}: non-string inputs throw a TypeError`, () => {
      for (const value of nonStrings) {
        const label = `${name}(${describeValue(value)})`;
        const outcome = callCleanly(label, () => fn(value));
        if ('value' in outcome) assertCleanNo(label, outcome.value);
      }
    });

    test(`${name}: garbage strings give ok: false, never an exception`, () => {
      for (const value of garbageStrings()) {
        const label = `${name}(${describeValue(value)})`;
        const outcome = callCleanly(label, () => fn(value, goodOptions(name)));
        assert.ok('value' in outcome, `${label}: threw ${outcome.threw?.message} for a string input`);
        // A batch reports per line, and a "garbage" string can be a perfectly good Latin name.
        if (name === 'checkIdBatch' || name === 'checkName' || name === 'isValidName') assertResultShape(label, outcome.value);
        else if (value === `${EXAMPLES.valid}\n${EXAMPLES.valid}`) assertResultShape(label, outcome.value);
        else assertCleanNo(label, outcome.value);
      }
    });

    test(`${name}: wrong options are refused`, () => {
      for (const options of badOptions) {
        const label = `${name}(valid id, ${describeValue(options)})`;
        const outcome = callCleanly(label, () => fn(EXAMPLES.valid, options));
        if ('value' in outcome) assertCleanNo(label, outcome.value);
      }
    });

    test(`${name}: odd options end cleanly`, () => {
      for (const options of oddOptions) {
        const label = `${name}(valid id, ${describeValue(options)})`;
        const outcome = callCleanly(label, () => fn(EXAMPLES.valid, options));
        if ('value' in outcome) assertResultShape(label, outcome.value);
      }
    });

    test(`${name}: an options getter that throws propagates its own error, not a trap`, () => {
      const boom = new Error('boom from a getter');
      const options = {
        get asOf() {
          throw boom;
        },
        get locale() {
          throw boom;
        },
        get kinds() {
          throw boom;
        },
      };
      try {
        fn(EXAMPLES.valid, options);
      } catch (error) {
        assert.ok(!(error instanceof WebAssembly.RuntimeError), `wasm trap: ${error.message}`);
        assert.ok(error === boom || error instanceof TypeError, `unexpected ${error?.constructor?.name}: ${error?.message}`);
      }
    });
  }

  test('checkIdBatch: garbage bytes', () => {
    const { checkIdBatch } = api;
    const pseudoRandom = new Uint8Array(MB16);
    let state = 0x12345678;
    for (let i = 0; i < pseudoRandom.length; i += 1) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      pseudoRandom[i] = state & 0xff;
    }
    for (const bytes of [
      new Uint8Array(0),
      new Uint8Array([0xff, 0xfe, 0x0a, 0xc0, 0x80, 0x0a, 0xed, 0xa0, 0x80]),
      new Uint8Array(1000).fill(0x0a),
      new Uint8Array(MB16).fill(0x31),
      pseudoRandom,
      new Uint8Array(new ArrayBuffer(64), 8, 18).fill(0x31),
      Buffer.from(`${EXAMPLES.valid}\n\xff\xfe\n`, 'latin1'),
    ]) {
      const label = `checkIdBatch(Uint8Array(${bytes.length}))`;
      const outcome = callCleanly(label, () => checkIdBatch(bytes, { asOf: AS_OF }));
      assert.ok('value' in outcome, `${label}: threw ${outcome.threw?.message}`);
      assertResultShape(label, outcome.value);
    }
  });

  test('the module still answers correctly afterwards (no trap, no corrupted state)', () => {
    const { checkId, isValidId, checkIdBatch } = api;
    const result = checkId(EXAMPLES.valid, { asOf: AS_OF });
    assert.equal(result.ok, true);
    assert.equal(result.value.normalized, EXAMPLES.valid);
    assert.equal(result.value.birthDate, '1949-12-31');
    assert.equal(result.value.gender, 'female');
    assert.equal(result.value.region.code, '110105');
    const bad = checkId(EXAMPLES.badChecksum, { asOf: AS_OF, locale: 'en' });
    assert.equal(bad.ok, false);
    assert.equal(bad.issues[0].code, 'id_checksum_mismatch');
    assert.equal(bad.issues[0].params.expected, '7');
    assert.equal(isValidId(EXAMPLES.valid2), true);
    assert.equal(isValidId(EXAMPLES.badChecksum), false);
    const batch = checkIdBatch(`${EXAMPLES.valid}\n${EXAMPLES.badChecksum}\n${EXAMPLES.legacy}`, { asOf: AS_OF, kinds: ['cn_resident', 'cn_resident_legacy'] });
    assert.deepEqual([batch.total, batch.valid, batch.invalid], [3, 2, 1]);
    assert.equal(api.checkPhone('+86 138 1234 5678').value.e164, '+8613812345678');
    assert.equal(api.checkRegistration({ name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678' }, { asOf: AS_OF }).ok, true);
  });
});
