// Locales and the page's one configuration, through the built package in Node (whose entries install the Traditional
// Chinese tables at import): every Traditional message as the crate renders it, locale tags negotiated, and a
// platform's own wording of messages in every module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { assertPkgBuilt, repoRoot as root } from './support.mjs';

assertPkgBuilt();
const shiming = await import('../../pkg/node.js');
const consent = await import('../../pkg/consent-node.js');
const policy = await import('../../pkg/policy-node.js');
const { checkId, checkName, configure, issueMessage, loadLocale, resolveLocale } = shiming;

const asOf = '2026-11-27';
const WRONG_CHECK_DIGIT = '110101199003074478';

test('every Traditional message renders through the package as the crate renders it', () => {
  // The crate renders every template of zh-Hant, zh-HK and zh-TW with sample params (examples/locale_tables.rs);
  // the package renders the same issues from its tables (npm/messages.js): the two must agree to the character.
  const dir = mkdtempSync(join(tmpdir(), 'shiming-locales-'));
  try {
    const file = join(dir, 'fixtures.json');
    const run = spawnSync('cargo', ['run', '--quiet', '--example', 'locale_tables', '--', dir, '--fixtures', file],
      { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const fixtures = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(fixtures.length > 400, `${fixtures.length} fixtures`);
    const keys = new Set();
    for (const { locale, code, key, params, message } of fixtures) {
      keys.add(`${locale} ${key}`);
      // The consent module carries every code's zh-CN message; the registration module only its own; both render
      // every Traditional message from the tables.
      assert.equal(consent.issueMessage({ code, params }, { locale }), message, `${locale} ${key}`);
      assert.equal(issueMessage({ code, params }, { locale }), message, `${locale} ${key}`);
    }
    // Every code of every Traditional locale, and the variants.
    for (const locale of ['zh-Hant', 'zh-HK', 'zh-TW']) {
      for (const key of ['id_empty', 'id_checksum_mismatch.kind', 'password_contains_personal_data.phone',
        'sync_account_frozen', 'minor_payment_over_monthly_limit', 'consent_not_given']) {
        assert.ok(keys.has(`${locale} ${key}`), `${locale} ${key}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Traditional locales render results in their own words', () => {
  const hk = checkId(WRONG_CHECK_DIGIT, { asOf, locale: 'zh-HK' }).issues[0].message;
  const tw = checkId(WRONG_CHECK_DIGIT, { asOf, locale: 'zh-TW' }).issues[0].message;
  const cn = checkId(WRONG_CHECK_DIGIT, { asOf, locale: 'zh-CN' }).issues[0].message;
  assert.match(hk, /身份證/);
  assert.match(tw, /身分證/);
  assert.match(cn, /身份证/);
  assert.match(checkName('', { locale: 'zh-TW' }).issues[0].message, /請輸入/);
  // The kinds named in a message, by the region's names.
  const notAllowed = checkId('A123456789', { asOf, kinds: ['cn_resident'], locale: 'zh-TW' }).issues[0];
  assert.equal(notAllowed.code, 'id_kind_not_allowed');
  assert.equal(notAllowed.message, '這是國民身分證統一編號，此處需要大陸居民身分證號碼');
});

test('any locale tag is understood, and an unknown one falls back instead of throwing', () => {
  for (const [tag, locale] of [
    ['zh', 'zh-CN'], ['zh-Hans', 'zh-CN'], ['zh-SG', 'zh-CN'], ['zh_cn', 'zh-CN'], ['zh-Hans-HK', 'zh-CN'],
    ['zh-Hant', 'zh-Hant'], ['zh-MO', 'zh-HK'], ['zh-Hant-HK', 'zh-HK'], ['ZH-tw', 'zh-TW'],
    ['en', 'en'], ['en-US', 'en'], ['en_GB', 'en'], ['fr', 'en'], ['ja-JP', 'en'], ['', 'zh-CN'],
    ['zh-US', 'zh-CN'], ['zh-Hant-CN', 'zh-Hant'], ['zh-TW-u-nu-hanidec', 'zh-TW'],
  ]) {
    assert.equal(resolveLocale(tag), locale, tag);
    assert.equal(policy.resolveLocale(tag), locale, tag);
  }
  const en = checkId(WRONG_CHECK_DIGIT, { asOf, locale: 'en' }).issues[0].message;
  assert.equal(checkId(WRONG_CHECK_DIGIT, { asOf, locale: 'fr' }).issues[0].message, en);
  assert.equal(checkId(WRONG_CHECK_DIGIT, { asOf, locale: 'en-AU' }).issues[0].message, en);
  // Not a string: still the caller's bug.
  assert.throws(() => checkId(WRONG_CHECK_DIGIT, { locale: 42 }), TypeError);
});

test('loadLocale resolves the tag (Node has every table already)', async () => {
  assert.equal(await loadLocale('zh-Hant-TW'), 'zh-TW');
  assert.equal(await loadLocale('en-US'), 'en');
  await assert.rejects(loadLocale(42), TypeError);
});

test('configure({ messages }) words any message, in every module, and null restores them', (t) => {
  t.after(() => configure(null));
  const builtIn = checkId(WRONG_CHECK_DIGIT, { asOf, locale: 'en' }).issues[0].message;
  const seen = [];
  configure({
    locale: 'en',
    messages: {
      // A template over the issue's params; the kind by its name in the locale.
      id_checksum_mismatch: 'Check digit should be {expected} ({kind})',
      // A function of the issue and the locale.
      name_empty: (issue, locale) => {
        seen.push([issue.code, locale]);
        return locale === 'en' ? 'Your name, please' : '请填写姓名';
      },
      // A variant of a code that has several messages.
      'password_contains_personal_data.phone': 'Keep your phone number out of the password',
      // A function that throws, or answers no string: the built-in message.
      phone_empty: () => { throw new Error('oops'); },
      username_empty: () => 42,
      // The policy module's own code.
      adult: 'An adult: {rule}',
    },
  });
  const issue = checkId(WRONG_CHECK_DIGIT, { asOf }).issues[0];
  assert.equal(issue.message, 'Check digit should be 7 (?)');
  assert.equal(checkName('').issues[0].message, 'Your name, please');
  assert.equal(checkName('', { locale: 'zh-CN' }).issues[0].message, '请填写姓名');
  assert.deepEqual(seen, [['name_empty', 'en'], ['name_empty', 'zh-CN']]);
  assert.equal(issueMessage({ code: 'id_checksum_mismatch', params: { expected: 'X', kind: 'hk_id' } }),
    'Check digit should be X (a Hong Kong identity card number)');
  assert.equal(issueMessage({ code: 'id_checksum_mismatch', params: { expected: 'X', kind: 'hk_id' } },
    { locale: 'zh-TW' }), 'Check digit should be X (香港身分證號碼)');
  assert.equal(consent.issueMessage({ code: 'password_contains_personal_data', params: { data: 'phone' } }),
    'Keep your phone number out of the password');
  assert.notEqual(consent.issueMessage({ code: 'password_contains_personal_data', params: { data: 'birth_date' } }),
    'Keep your phone number out of the password');
  assert.equal(shiming.checkPhone('').issues[0].message, 'Enter the mobile number');
  assert.equal(shiming.checkRegistration({ username: '' }).issues.find((i) => i.code === 'username_empty')?.message,
    issueMessage({ code: 'username_empty' }, { locale: 'en' }));
  const evaluation = policy.evaluatePolicy(null, 30, { type: 'play', usedTodaySeconds: 0 }, '2026-11-27T20:30:00+08:00');
  assert.equal(evaluation.code, 'adult');
  assert.match(evaluation.message, /^An adult: /);

  // A malformed wording throws and changes nothing, the other options included.
  assert.throws(() => configure({ locale: 'zh-CN', messages: { id_emtpy: 'x' } }), /unknown key 'id_emtpy'/);
  assert.throws(() => configure({ messages: { 'id_empty.kind': 'x' } }), RangeError);
  assert.throws(() => configure({ messages: { id_empty: 42 } }), TypeError);
  assert.throws(() => configure({ messages: [] }), TypeError);
  assert.throws(() => configure({ kinds: ['nope'], messages: {} }), RangeError);
  assert.equal(checkName('').issues[0].message, 'Your name, please');

  // Leaving messages out keeps them; null removes them.
  configure({ locale: 'en' });
  assert.equal(checkName('').issues[0].message, 'Your name, please');
  configure({ messages: null });
  assert.equal(checkId(WRONG_CHECK_DIGIT, { asOf }).issues[0].message, builtIn);
  configure(null);
  assert.match(checkName('').issues[0].message, /请输入姓名/);
});

test('kindLabel and bandLabel name documents and age bands in every locale', (t) => {
  t.after(() => configure(null));
  const { kindLabel, bandLabel } = shiming;
  assert.equal(kindLabel('cn_resident'), '居民身份证');
  assert.equal(kindLabel('cn_resident', { locale: 'en' }), 'Resident ID card');
  assert.equal(kindLabel('tw_id', { locale: 'zh-TW' }), '國民身分證');
  assert.equal(kindLabel('tw_id', { locale: 'zh-HK' }), '台灣身份證');
  assert.equal(kindLabel('hk_id', { locale: 'zh-MO' }), '香港身份證');
  assert.equal(bandLabel('under_3'), '未满 3 周岁');
  assert.equal(bandLabel('adult', { locale: 'en-GB' }), 'Adult');
  assert.equal(bandLabel('12_to_14', { locale: 'zh-Hant' }), '12–14 歲');
  // The configured locale is the default.
  configure({ locale: 'en' });
  assert.equal(kindLabel('hk_id'), 'Hong Kong identity card');
  // Every kind and band has a label in every locale, and a label is never the number's name.
  const kinds = ['cn_resident', 'cn_resident_legacy', 'hk_macao_taiwan_residence_permit', 'foreign_permanent_resident',
    'hk_id', 'mo_id', 'tw_id', 'hk_macao_home_return_permit', 'tw_mtp', 'cn_passport', 'uscc'];
  for (const locale of ['zh-CN', 'en', 'zh-Hant', 'zh-HK', 'zh-TW']) {
    for (const kind of kinds) assert.doesNotMatch(kindLabel(kind, { locale }), /号码|號碼|\bnumber\b/, `${locale} ${kind}`);
    for (const band of ['under_3', '3_to_8', '8_to_12', '12_to_14', '14_to_16', '16_to_18', 'adult']) {
      assert.ok(bandLabel(band, { locale }).length > 0, `${locale} ${band}`);
    }
  }
  assert.throws(() => kindLabel('nope'), RangeError);
  assert.throws(() => kindLabel(5), TypeError);
  assert.throws(() => bandLabel('adult', 'en'), TypeError);
});
