// shiming/all (npm/all.js, npm/all-node.js; the wasm module bindings/all): the exports of shiming, shiming/policy,
// shiming/consent and shiming/sync from one wasm module. It adds no rule of its own, so:
// - it exports every name the four Node entries export;
// - each of its functions answers as the module it comes from does: the same inputs through both wasm instances
//   (the glue's functions, so that ids.js's binding to one instance does not hide the other), compared in full;
// - its one issueMessage renders every code that any of the four renders (their message sets together), and the
//   page's configure reaches it.
// In a browser it is the demo's registration page's module (page-load.e2e, register.e2e, demo.e2e).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { importPkg, EXAMPLES } from './support.mjs';

const all = await importPkg('all-node.js');
const entries = {
  shiming: await importPkg('node.js'),
  policy: await importPkg('policy-node.js'),
  consent: await importPkg('consent-node.js'),
  sync: await importPkg('sync-node.js'),
};
// The raw glue of each instance (already initialised by the entries above).
const allGlue = await importPkg('all/shiming_all.js');
const checksGlue = await importPkg('shiming.js');
const policyGlue = await importPkg('policy/shiming_policy.js');
const consentGlue = await importPkg('consent/shiming_consent.js');
const hant = (await importPkg('locales/zh-Hant.js')).default;

const ASOF = '2026-11-28';

/** What `glue[name](...args)` did: its answer, or the error it threw (class and message). */
function outcome(glue, name, ...args) {
  try {
    return { answer: glue[name](...args) };
  } catch (error) {
    return { threw: `${error.constructor.name}: ${error.message}` };
  }
}

/** `name` answers (or throws) the same through shiming/all's instance as through `glue`'s. */
function same(glue, name, ...args) {
  assert.deepEqual(outcome(allGlue, name, ...args), outcome(glue, name, ...args), `${name}(${args.map((a) => JSON.stringify(a)?.slice(0, 60)).join(', ')})`);
}

describe('shiming/all', () => {
  test('exports every name of the four entries, and the same kind of value', () => {
    for (const [entry, exports] of Object.entries(entries)) {
      for (const [name, value] of Object.entries(exports)) {
        assert.ok(name in all, `shiming/all lacks ${entry}'s ${name}`);
        assert.equal(typeof all[name], typeof value, `${entry}'s ${name}`);
      }
    }
    // Its module is one instance: a class of the consent module and one of the sync module come from the same glue.
    assert.equal(all.ReadingTracker, allGlue.ReadingTracker);
    assert.equal(all.SyncClient, allGlue.SyncClient);
    assert.notEqual(all.ReadingTracker, entries.consent.ReadingTracker);
  });

  test('the checks answer as the checks module does: ID numbers, forms, phones, names, masks, guardians', () => {
    const ids = [
      EXAMPLES.valid, '11010519491231002x', '110105194912310021', '11010519491231002', '', ' 11010519491231002X ',
      '810000199001011234', 'H01234567', 'A123456789', '91350100M000100Y43', '1101051949123100２X', 'x'.repeat(80),
      null, 42,
    ];
    for (let seed = 1; seed <= 200; seed += 1) ids.push(checksGlue.generateTestId({ seed }));
    for (const locale of ['zh-CN', 'en']) {
      const options = { asOf: ASOF, locale };
      for (const id of ids) {
        same(checksGlue, 'checkId', id, options);
        same(checksGlue, 'isValidId', id, options);
      }
      const forms = [
        {},
        { name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678' },
        { name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678', password: 'abc' },
        { name: 'Zhang', idNumber: '110105194912310021', phone: '1381234' },
        { name: '买买提·吐尔逊', idNumber: checksGlue.generateTestId({ seed: 9, birthDate: '2015-03-01' }), phone: '+86 138 1234 5678' },
        { name: 42, idNumber: [], phone: null },
      ];
      for (const form of forms) {
        same(checksGlue, 'checkRegistration', form, options);
      }
      for (const phone of ['13812345678', '+8613812345678', '12345', '', '19912345678']) {
        same(checksGlue, 'checkPhone', phone, { locale });
      }
      for (const name of ['张三', 'Zhang San', '', '张'.repeat(40), '李·四']) {
        same(checksGlue, 'checkName', name, { locale });
      }
      const guardian = { name: '李四', idNumber: EXAMPLES.valid, phone: '13912345678', relationship: 'parent' };
      const minor = { idNumber: checksGlue.generateTestId({ seed: 3, birthDate: '2016-05-05' }) };
      same(checksGlue, 'checkGuardian', guardian, minor, options);
    }
    same(checksGlue, 'maskId', EXAMPLES.valid);
    same(checksGlue, 'maskPhone', '13812345678');
    same(checksGlue, 'maskName', '张三丰');
    same(checksGlue, 'identityKey', EXAMPLES.valid);
    same(checksGlue, 'ageBand', EXAMPLES.valid, { asOf: ASOF });
    const batch = ids.filter((id) => typeof id === 'string').join('\n');
    same(checksGlue, 'checkIdBatch', batch, { asOf: ASOF });
  });

  test('the policy answers as the policy module does', () => {
    assert.deepEqual(allGlue.minorPolicy(), policyGlue.minorPolicy());
    const activities = [
      { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 },
      { type: 'payment', amountFen: 5001, spentTodayFen: 0, spentThisMonthFen: 0 },
      { type: 'play', usedTodaySeconds: 0 },
      { type: 'play', usedTodaySeconds: 3600 },
      { type: 'nonsense' },
    ];
    for (const age of [null, 7, 12, 15, 17, 30]) {
      for (const activity of activities) {
        for (const at of ['2026-11-27T20:30:00+08:00', '2026-11-28T10:00:00+08:00', 'not a time']) {
          same(policyGlue, 'evaluatePolicy', null, age, activity, at);
        }
      }
    }
  });

  test('the consent functions answer as the consent module does', () => {
    for (const text of ['', '协议', '服务协议\n第一条……'.repeat(50), 42]) same(consentGlue, 'documentDigest', text);
    const fields = { id: 'privacy', version: '1', kind: 'privacy_policy', title: '隐私政策', locale: 'zh-CN', text: '第一条……' };
    for (const bad of [fields, { ...fields, kind: 'cookies' }, { ...fields, id: '' }, null]) same(consentGlue, 'makeDocument', bad);
    const document = consentGlue.makeDocument(fields);
    for (const checked of [document, { ...document, reading: null }, { kind: 'x' }]) same(consentGlue, 'checkDocument', checked, { locale: 'en' });
    for (const band of ['under_8', 'age_8_to_15', 'age_16_to_17', 'adult', 'nonsense']) same(consentGlue, 'requiredDocuments', band);
    const reading = { reachedEnd: true, visibleSeconds: 42, viewport: { width: 390, height: 844 }, locale: 'zh-CN' };
    const input = { subject: 'reg:5b2f0c1d9e8a4f67', sequence: 1, clientTime: 1764374400, reading };
    // Refusals are deterministic; an acceptance carries a fresh ID and so is compared by what verifies it.
    same(consentGlue, 'buildReceipt', document, { ...input, reading: { ...reading, reachedEnd: false } }, { locale: 'en' });
    same(consentGlue, 'buildReceipt', document, { ...input, sequence: -1 });
    const built = consentGlue.buildReceipt(document, input);
    assert.equal(built.ok, true, JSON.stringify(built.issues));
    same(consentGlue, 'verifyReceipt', built.receipt, [document]);
    same(consentGlue, 'verifyReceipt', { ...built.receipt, subject: 'reg:someone-else' }, [document], { locale: 'en' });
    const mine = allGlue.buildReceipt(document, input);
    assert.equal(mine.ok, true);
    assert.deepEqual(consentGlue.verifyReceipt(mine.receipt, [document]), allGlue.verifyReceipt(mine.receipt, [document]));
    same(consentGlue, 'guardianReference', EXAMPLES.valid);
  });

  test('its issueMessage renders every code any of the four renders, as that module does, under the page\'s configure', () => {
    const codes = Object.keys(hant.messages).filter((key) => !key.includes('.'));
    assert.ok(codes.length > 100, `${codes.length} codes`);
    const modules = [checksGlue, consentGlue];
    let rendered = 0;
    try {
      for (const locale of ['zh-CN', 'en', 'zh-Hant']) {
        all.configure({ locale: 'en' });
        for (const code of codes) {
          const issue = { code, params: {} };
          const answers = modules.map((glue) => glue.issueMessage(issue, { locale })).filter((m) => m !== code);
          const mine = allGlue.issueMessage(issue, { locale });
          if (answers.length > 0) {
            assert.equal(mine, answers[0], `${code} in ${locale}`);
            rendered += 1;
          }
        }
      }
    } finally {
      all.configure({ locale: null });
    }
    assert.ok(rendered > 100, `${rendered} messages compared`);
    // The page's configure reaches the one module: its default locale follows.
    try {
      all.configure({ locale: 'en' });
      assert.equal(allGlue.checkName('', {}).issues[0].message, checksGlue.checkName('', {}).issues[0].message);
      assert.match(allGlue.checkName('', {}).issues[0].message, /[a-z]/i);
    } finally {
      all.configure({ locale: null });
    }
  });

  test('the sync client: the same class shape, and in Node it says it needs a browser window', async () => {
    const error = (promise) => promise.then(() => 'opened', (e) => e.constructor.name);
    assert.equal(await error(all.SyncClient.open({ baseUrl: '/api' })), await error(entries.sync.SyncClient.open({ baseUrl: '/api' })));
    assert.deepEqual(Object.getOwnPropertyNames(all.SyncClient.prototype).sort(), Object.getOwnPropertyNames(entries.sync.SyncClient.prototype).sort());
  });
});
