// Options are checked: every export that takes an options object (or a spec, or nested options) throws a TypeError
// for a key it does not know, naming the key and the closest known one, instead of ignoring a misspelt option.
// Each case is called once with a typo (the error) and once with the same options spelt right (a normal result).
// ReadingTracker and ConsentGate need a DOM: bindings/tests/tests/wasm_browser.rs checks them.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { importPkg, pkgDir, EXAMPLES } from './support.mjs';

const api = await importPkg('node.js');
const policy = await importPkg('policy-node.js');
const consent = await importPkg('consent-node.js');
// shiming/sync has no Node entry (it is a browser client), but its options are checked before anything of the
// browser is touched: its raw glue, instantiated here by hand, is enough.
const sync = await importPkg('sync/shiming_sync.js');
sync.initSync({ module: readFileSync(join(pkgDir, 'sync/shiming_sync_bg.wasm')) });

const AS_OF = '2024-06-01';

/** Asserts that `call` throws a TypeError "unknown option '<key>' (did you mean '<closest>'?)". */
function assertUnknown(call, key, closest) {
  assert.throws(call, (error) => {
    assert.ok(error instanceof TypeError, `a TypeError, not ${error?.constructor?.name}: ${error?.message}`);
    assert.equal(error.message, `shiming: unknown option '${key}' (did you mean '${closest}'?)`);
    return true;
  });
}

const doc = consent.makeDocument({ id: 'privacy', version: '1', kind: 'privacy_policy', title: '隐私政策', locale: 'zh-CN', text: '全文' });
const reading = { reachedEnd: true, visibleSeconds: 42, viewport: { width: 390, height: 844 }, locale: 'zh-CN' };
const receiptInput = { subject: 'reg:5b2f0c1d9e8a4f67', sequence: 1, clientTime: 1764374400, reading };
const receipt = consent.buildReceipt(doc, receiptInput).receipt;
const session = { type: 'session', usedTodaySeconds: 0, continuousSeconds: 0 };
const now = '2026-11-27T10:00:00+08:00';
const guardian = { name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678', relation: 'parent' };
const minor = { name: '张小三', idNumber: '110101201501010011' };

// [label, call(options), the options with a typo, the unknown key as named, the suggestion, the options spelt right,
//  a check of the normal result]. A nested typo is named with its path.
const CASES = [
  ['checkId', (o) => api.checkId(EXAMPLES.valid, o), { asOf: AS_OF, kind: ['cn_resident'] }, 'kind', 'kinds',
    { asOf: AS_OF, kinds: ['cn_resident'] }, (r) => assert.equal(r.ok, true)],
  ['isValidId', (o) => api.isValidId(EXAMPLES.valid, o), { asof: AS_OF }, 'asof', 'asOf', { asOf: AS_OF },
    (r) => assert.equal(r, true)],
  ['identityKey', (o) => api.identityKey(EXAMPLES.valid, o), { asOf: AS_OF, allowPilotEra: false, locales: 'en' }, 'locales',
    'locale', { asOf: AS_OF, allowPilotEra: false, locale: 'en' }, (r) => assert.equal(r, `cn_resident:${EXAMPLES.valid}`)],
  ['checkIdBatch(options)', (o) => api.checkIdBatch(EXAMPLES.valid, o), { allowPilotEra: true, AsOf: AS_OF }, 'AsOf',
    'asOf', { allowPilotEra: true, asOf: AS_OF }, (r) => assert.equal(r.valid, 1)],
  ['checkIdBatch(batchOptions)', (o) => api.checkIdBatch(EXAMPLES.valid, { asOf: AS_OF }, o), { birthDate: true },
    'birthDate', 'birthDates', { birthDates: true }, (r) => assert.equal(r.birthDates[0], 19491231)],
  ['checkName', (o) => api.checkName('张三', o), { maxChar: 30 }, 'maxChar', 'maxChars', { maxChars: 30 },
    (r) => assert.equal(r.ok, true)],
  ['isValidName', (o) => api.isValidName('Zhang San', o), { scipt: 'latin' }, 'scipt', 'script', { script: 'latin' },
    (r) => assert.equal(r, true)],
  ['checkPhone', (o) => api.checkPhone('91234567', o), { region: ['hk'] }, 'region', 'regions', { regions: ['hk'] },
    (r) => assert.equal(r.ok, true)],
  ['maskId', (o) => api.maskId(EXAMPLES.valid, o), { keepstart: 3 }, 'keepstart', 'keepStart', { keepStart: 3 },
    (r) => assert.equal(r, '110***********002X')],
  ['maskPhone', (o) => api.maskPhone('13812345678', o), { maskCharacter: '#' }, 'maskCharacter', 'maskChar',
    { maskChar: '#' }, (r) => assert.equal(r, '13#######78')],
  ['maskName', (o) => api.maskName('张小三', o), { keepEnds: 0 }, 'keepEnds', 'keepEnd', { keepEnd: 0 },
    (r) => assert.equal(r, '张**')],
  ['generateTestId', (o) => api.generateTestId(o), { seed: 7, birthdate: '1990-01-01' }, 'birthdate', 'birthDate',
    { seed: 7, birthDate: '1990-01-01' }, (r) => assert.equal(api.checkId(r, { asOf: AS_OF }).value.birthDate, '1990-01-01')],
  ['configure', (o) => api.configure(o), { locales: 'zh-CN' }, 'locales', 'locale', { locale: 'zh-CN' },
    (r) => assert.equal(r.locale, 'zh-CN')],
  ['ageOn', (o) => api.ageOn('2010-06-01', AS_OF, o), { agerule: 'on_birthday' }, 'agerule', 'ageRule',
    { ageRule: 'on_birthday' }, (r) => assert.equal(r.age, 14)],
  ['ageBand', (o) => api.ageBand(12, null, o), { local: 'en' }, 'local', 'locale', { locale: 'en' },
    (r) => assert.equal(r.band, '12_to_14')],
  ['checkRegistration', (o) => api.checkRegistration({}, o), { asOf: AS_OF, field: ['name'] }, 'field', 'fields',
    { asOf: AS_OF, fields: ['name'] }, (r) => assert.equal(r.ok, false)],
  ['checkRegistration(password)', (o) => api.checkRegistration({}, o), { asOf: AS_OF, password: { minLenght: 10 } },
    'password.minLenght', 'password.minLength', { asOf: AS_OF, password: { minLength: 10 } }, (r) => assert.equal(r.ok, false)],
  ['checkRegistration(username)', (o) => api.checkRegistration({}, o), { username: { require: true } },
    'username.require', 'username.required', { username: { required: true } }, (r) => assert.equal(r.ok, false)],
  ['checkRegistration(name)', (o) => api.checkRegistration({}, o), { name: { maxchars: 30 } }, 'name.maxchars',
    'name.maxChars', { name: { maxChars: 30 } }, (r) => assert.equal(r.ok, false)],
  ['checkRegistration(phone)', (o) => api.checkRegistration({}, o), { phone: { regoins: ['cn'] } }, 'phone.regoins',
    'phone.regions', { phone: { regions: ['cn'] } }, (r) => assert.equal(r.ok, false)],
  ['registrationSchema', (o) => api.registrationSchema(o), { asOf: AS_OF, guardianMinage: 16 }, 'guardianMinage',
    'guardianMinAge', { asOf: AS_OF, guardianMinAge: 16 }, (r) => assert.equal(typeof r['~standard'].validate, 'function')],
  ['registrationFormSchema', (o) => api.registrationFormSchema(o), { asOf: AS_OF, fieldNames: { phone: 'mobile' }, kind: ['cn_resident'] },
    'kind', 'kinds', { asOf: AS_OF, fieldNames: { phone: 'mobile' }, kinds: ['cn_resident'] },
    (r) => assert.equal(typeof r['~standard'].validate, 'function')],
  ['checkGuardian', (o) => api.checkGuardian(guardian, o), { asOf: '2026-11-28', minors: minor }, 'minors', 'minor',
    { asOf: '2026-11-28', minor }, (r) => assert.equal(r.ok, true)],
  ['checkGuardian(minor)', (o) => api.checkGuardian(guardian, o), { asOf: '2026-11-28', minor: { ...minor, id: 'x' } },
    'minor.id', 'minor.name', { asOf: '2026-11-28', minor }, (r) => assert.equal(r.ok, true)],
  ['evaluatePolicy', (o) => policy.evaluatePolicy(null, 12, session, now, o), { limit: { dailySeconds: 60 } }, 'limit',
    'limits', { limits: { dailySeconds: 60 } }, (r) => assert.equal(typeof r.allowed, 'boolean')],
  ['checkGuardianLimits', (o) => policy.checkGuardianLimits(null, 15, { dailySeconds: 60 }, 0, o), { Locale: 'en' },
    'Locale', 'locale', { locale: 'en' }, (r) => assert.equal(typeof r.ok, 'boolean')],
  ['checkDocument', (o) => consent.checkDocument(doc, o), { locale: 'en', strict: true }, 'strict', 'locale',
    { locale: 'en' }, (r) => assert.equal(r.ok, true)],
  ['buildReceipt', (o) => consent.buildReceipt(doc, receiptInput, o), { lang: 'en' }, 'lang', 'locale', { locale: 'en' },
    (r) => assert.equal(r.ok, true)],
  ['buildWithdrawal', (o) => consent.buildWithdrawal(receipt, { sequence: 2, clientTime: 1764374500 }, [doc], o),
    { locale: 'en', lcoale: 'en' }, 'lcoale', 'locale', { locale: 'en' }, (r) => assert.equal(r.ok, true)],
  ['verifyReceipt', (o) => consent.verifyReceipt(receipt, [doc], o), { locale_: 'en' }, 'locale_', 'locale',
    { locale: 'en' }, (r) => assert.equal(r.ok, true)],
  ['verifyReceiptSignature', (o) => consent.verifyReceiptSignature(receipt, [], o), { locales: 'en' }, 'locales', 'locale',
    { locale: 'en' }, (r) => assert.ok(r instanceof Promise)],
  ['syncReceipt', (o) => consent.syncReceipt(receipt, 1764374460, o), { LOCALE: 'en' }, 'LOCALE', 'locale',
    { locale: 'en' }, (r) => assert.equal(r.ok, true)],
  ['needsReconsent', (o) => consent.needsReconsent([receipt], [doc], o), { local: 'en' }, 'local', 'locale',
    { locale: 'en' }, (r) => assert.deepEqual(r.reconsent, [])],
  ['issueMessage', (o) => consent.issueMessage({ code: 'adult' }, o), { language: 'en' }, 'language', 'locale',
    { locale: 'en' }, (r) => assert.equal(typeof r, 'string')],
  ['SyncClient.open', (o) => sync.SyncClient.open(o), { baseUrl: '/api', onstatus: () => {} }, 'onstatus', 'onStatus',
    { baseUrl: '/api', onStatus: () => {} }, (r) => assert.ok(r instanceof Promise)],
  ['SyncClient.open(backoff)', (o) => sync.SyncClient.open(o), { baseUrl: '/api', backoff: { capMS: 1000 } },
    'backoff.capMS', 'backoff.capMs', { baseUrl: '/api', backoff: { capMs: 1000 } }, (r) => assert.ok(r instanceof Promise)],
];

describe('unknown option keys throw a TypeError naming the key and the closest known one', () => {
  for (const [label, call, typo, key, closest, good, check] of CASES) {
    test(label, async () => {
      assertUnknown(() => call(typo), key, closest);
      const result = call(good);
      check(result);
      // Node has no IndexedDB: a client opened here fails later, in its promise, for that reason and not its options.
      if (result instanceof Promise) await result.catch((error) => assert.doesNotMatch(String(error?.message), /option/));
    });
  }

  test('the defaults configure set are restored', () => {
    api.configure(null);
    assert.equal(api.configure({}).locale, 'zh-CN');
  });

  test('a key far from every known one still names the closest', () => {
    assertUnknown(() => api.checkId(EXAMPLES.valid, { asOf: AS_OF, zzzzzzzzzz: 1 }), 'zzzzzzzzzz', 'asOf');
    assertUnknown(() => api.checkPhone('13812345678', { asOf: AS_OF }), 'asOf', 'locale');
  });

  test('an options object reused in a loop is checked on its first call', () => {
    // checkId remembers the last options object it parsed (input.rs): the check must come before that.
    const options = { asOf: AS_OF, locael: 'en' };
    for (let i = 0; i < 3; i++) assertUnknown(() => api.checkId(EXAMPLES.valid, options), 'locael', 'locale');
  });

  test('inherited and symbol keys are not options', () => {
    const inherited = Object.create({ unrelated: 1 });
    inherited.asOf = AS_OF;
    assert.equal(api.isValidId(EXAMPLES.valid, inherited), true);
    assert.equal(api.isValidId(EXAMPLES.valid, { asOf: AS_OF, [Symbol('tag')]: 1 }), true);
  });
});
