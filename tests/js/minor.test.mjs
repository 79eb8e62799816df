// Minors, through the built package in Node: ages and bands, the guardian, the policy (preset, replacement,
// rejection), evaluation at the boundaries the issue names, and the JSON Schema agreeing with the parser.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { importPkg, repoRoot, EXAMPLES } from './support.mjs';

const api = await importPkg('node.js');
const { ageOn, ageBand, checkGuardian, checkRegistration } = api;
// The policy runtime is its own module (shiming/policy).
const { evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits } = await importPkg('policy-node.js');
const preset = JSON.parse(readFileSync(join(repoRoot, 'data/policy/cn-2024-games.json'), 'utf8'));
const content = JSON.parse(readFileSync(join(repoRoot, 'data/policy/cn-2024-content.json'), 'utf8'));
const schema = JSON.parse(readFileSync(join(repoRoot, 'data/policy/policy.schema.json'), 'utf8'));

/** A JSON Schema validator for the keywords policy.schema.json uses (draft 2020-12 subset). */
function schemaErrors(value, node = schema, path = '$', errors = []) {
  if (node.$ref) node = node.$ref.split('/').slice(1).reduce((n, k) => n[k], schema);
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
  if ('const' in node && value !== node.const) errors.push(`${path}: const`);
  if (node.anyOf && !node.anyOf.some((sub) => schemaErrors(value, sub, path, []).length === 0)) errors.push(`${path}: anyOf`);
  if (node.enum && !node.enum.includes(value)) errors.push(`${path}: enum`);
  if (node.type && node.type !== type && !(node.type === 'number' && type === 'integer')) {
    errors.push(`${path}: type ${node.type}`);
    return errors;
  }
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) errors.push(`${path}: minimum`);
    if (node.maximum !== undefined && value > node.maximum) errors.push(`${path}: maximum`);
  }
  if (typeof value === 'string') {
    if (node.minLength !== undefined && value.length < node.minLength) errors.push(`${path}: minLength`);
    if (node.maxLength !== undefined && value.length > node.maxLength) errors.push(`${path}: maxLength`);
    if (node.pattern && !new RegExp(node.pattern, 'u').test(value)) errors.push(`${path}: pattern`);
  }
  if (Array.isArray(value)) {
    if (node.minItems !== undefined && value.length < node.minItems) errors.push(`${path}: minItems`);
    if (node.maxItems !== undefined && value.length > node.maxItems) errors.push(`${path}: maxItems`);
    if (node.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${path}: uniqueItems`);
    if (node.items) value.forEach((item, i) => schemaErrors(item, node.items, `${path}[${i}]`, errors));
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    for (const key of node.required ?? []) if (!(key in value)) errors.push(`${path}.${key}: required`);
    if (node.minProperties !== undefined && keys.length < node.minProperties) errors.push(`${path}: minProperties`);
    if (node.maxProperties !== undefined && keys.length > node.maxProperties) errors.push(`${path}: maxProperties`);
    for (const key of keys) {
      const sub = node.properties?.[key] ?? node.additionalProperties;
      if (sub === false) errors.push(`${path}.${key}: additionalProperties`);
      else if (sub && sub !== true) schemaErrors(value[key], sub, `${path}.${key}`, errors);
    }
  }
  return errors;
}

const play = { type: 'play', usedTodaySeconds: 0 };
const at = (time) => `${time}+08:00`;

describe('minors', () => {
  test('ageOn / ageBand at the 8th, 14th, 16th, 18th birthdays under both rules, and 29 February', () => {
    for (const n of [8, 14, 16, 18]) {
      const birth = '2008-06-15';
      const y = 2008 + n;
      assert.equal(ageOn(birth, `${y}-06-14`).age, n - 1);
      assert.equal(ageOn(birth, `${y}-06-15`).age, n - 1);
      assert.equal(ageOn(birth, `${y}-06-16`).age, n);
      assert.equal(ageOn(birth, `${y}-06-15`, { ageRule: 'on_birthday' }).age, n);
      assert.equal(ageOn(birth, `${y}-06-14`, { ageRule: 'on_birthday' }).age, n - 1);
    }
    assert.equal(ageOn('2008-02-29', '2026-02-28').age, 17);
    assert.equal(ageOn('2008-02-29', '2026-03-01').age, 18);
    assert.equal(ageOn('2008-02-29', '2026-02-28', { ageRule: 'on_birthday' }).age, 18);
    assert.deepEqual(ageBand('2012-06-15', '2026-06-16'), { age: 14, band: '14_to_16', isMinor: true, needsGuardianConsent: false, warnings: [] });
    assert.equal(ageBand('2012-06-15', '2026-06-15').band, '12_to_14');
    assert.equal(ageBand(2).band, 'under_3');
    assert.equal(ageOn('2008-06-15').warnings[0].code, 'untrusted_clock');
    assert.equal(ageOn('2008-06-15', Date.UTC(2026, 5, 15, 16)).age, 18); // 00:00 on 16 June in Shanghai
    assert.throws(() => ageOn('2008-06-15', 'yesterday'), RangeError);
  });

  test('checkRegistration derives ageBand and needsGuardianConsent', () => {
    const r = checkRegistration({ name: '张小三', idNumber: '110101201501010011', phone: '13812345678' }, { asOf: '2026-11-28' });
    assert.equal(r.ok, true);
    assert.equal(r.value.derived.ageBand, '8_to_12');
    assert.equal(r.value.derived.needsGuardianConsent, true);
  });

  test('checkGuardian', () => {
    const options = { asOf: '2026-11-28', minor: { name: '张小三', idNumber: '110101201501010011' } };
    const ok = checkGuardian({ name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678', relation: 'parent' }, options);
    assert.equal(ok.ok, true);
    assert.deepEqual([ok.value.relation, ok.value.age], ['parent', 76]);
    const self = checkGuardian({ name: '张小三', idNumber: '110101201501010011', phone: '13812345678', relation: 'other' }, options);
    assert.deepEqual(self.issues.map((i) => i.code).sort(), ['guardian_not_adult', 'guardian_same_as_minor']);
    for (const issue of self.issues) assert.ok(!issue.message.includes('110101') && !JSON.stringify(issue.params).includes('110101'));
    const bad = checkGuardian({ name: '张三', idNumber: EXAMPLES.valid, phone: '13812345678', relation: 'friend' }, options);
    assert.deepEqual(bad.issues.map((i) => [i.path[0], i.code]), [['relation', 'guardian_relation_invalid']]);
  });

  test('play windows: 19:59:59, 20:00:00, 20:59:59, 21:00:00 on a Friday', () => {
    const r = (time) => evaluatePolicy(null, '2012-01-01', play, at(`2026-11-27T${time}`), { locale: 'en' });
    assert.deepEqual([r('19:59:59').allowed, r('20:00:00').allowed, r('20:59:59').allowed, r('21:00:00').allowed], [false, true, true, false]);
    assert.equal(r('19:59:59').nextAllowedAt, '2026-11-27T20:00:00+08:00');
    assert.equal(r('21:00:00').nextAllowedAt, '2026-11-28T20:00:00+08:00');
    assert.equal(r('20:59:59').remaining, 1);
    const denial = r('21:00:00');
    assert.equal(denial.code, 'minor_play_outside_window');
    assert.equal(denial.rule, 'play');
    assert.match(denial.source, /国新出发〔2021〕14号/);
  });

  test('the holiday calendar: a holiday on a weekday, an adjusted working Saturday, an uncovered year', () => {
    assert.equal(evaluatePolicy(null, 12, play, at('2026-10-06T20:30:00')).allowed, true); // Tuesday, National Day
    const saturday = evaluatePolicy(null, 12, play, at('2026-02-28T20:30:00')); // adjusted working Saturday
    assert.equal(saturday.allowed, false);
    assert.equal(saturday.nextAllowedAt, '2026-03-01T20:00:00+08:00');
    const uncovered = evaluatePolicy(null, 12, play, at('2030-02-01T20:30:00'));
    assert.equal(uncovered.allowed, true);
    assert.deepEqual(uncovered.warnings.map((w) => [w.code, w.params.year]), [['calendar_year_missing', 2030]]);
  });

  test('curfew 21:59 / 22:00, daily limits, rest reminder', () => {
    const session = (age, time, used = 0, continuous = 0) =>
      evaluatePolicy(null, age, { type: 'session', usedTodaySeconds: used, continuousSeconds: continuous }, at(`2026-11-25T${time}`));
    assert.equal(session(15, '21:59:00').allowed, true);
    const curfew = session(15, '22:00:00');
    assert.deepEqual([curfew.allowed, curfew.code, curfew.nextAllowedAt], [false, 'minor_curfew', '2026-11-26T06:00:00+08:00']);
    assert.equal(session(15, '10:00:00', 3600).code, 'minor_daily_limit_reached');
    assert.equal(session(16, '10:00:00', 3600).allowed, true);
    assert.equal(session(16, '10:00:00', 0, 1800).code, 'minor_rest_reminder');
  });

  test('payments: the month total at exactly the cap, and one fen over', () => {
    const pay = (age, amountFen, spentThisMonthFen) => evaluatePolicy(null, age, { type: 'payment', amountFen, spentTodayFen: 0, spentThisMonthFen }, 0);
    assert.equal(pay(10, 5000, 15000).allowed, true);
    const over = pay(10, 5000, 15001);
    assert.deepEqual([over.allowed, over.code, over.params.limitFen], [false, 'minor_payment_over_monthly_limit', 20000]);
    assert.match(over.message, /200 元/);
    assert.equal(pay(7, 1, 0).code, 'minor_payment_not_allowed');
    assert.equal(pay(17, 10001, 0).code, 'minor_payment_over_single_limit');
    assert.equal(pay(18, 10001, 0).code, 'adult');
    assert.equal(evaluatePolicy(null, 'guest', play, 0).code, 'guest_mode_not_allowed');
  });

  test('the policy: the preset in force, replaced at run time, a malformed one rejected whole', () => {
    assert.deepEqual(minorPolicy(), preset);
    assert.deepEqual(setMinorPolicy(JSON.stringify(preset)), { id: 'cn-2024-games', version: preset.version });
    assert.deepEqual(minorPolicyPreset('cn-2024'), preset);
    assert.deepEqual(minorPolicyPreset('cn-2024-content'), content);
    assert.equal(minorPolicyPreset('cn-2025'), undefined);
    const everyDay = structuredClone(preset);
    everyDay.version = 'test';
    everyDay.play.weekdays = [1, 2, 3, 4, 5, 6, 7];
    setMinorPolicy(everyDay);
    assert.equal(evaluatePolicy(null, 12, play, at('2026-11-24T20:30:00')).allowed, true);
    const broken = structuredClone(everyDay);
    broken.dailyLimits[1].seconds = '2h';
    assert.throws(() => setMinorPolicy(broken), (e) => e instanceof RangeError && e.message.includes('$.dailyLimits[1].seconds'));
    assert.equal(minorPolicy().version, 'test');
    setMinorPolicy(null);
    assert.equal(evaluatePolicy(null, 12, play, at('2026-11-24T20:30:00')).allowed, false);
    // A policy passed per call (string or object) wins over the one in force.
    assert.equal(evaluatePolicy(everyDay, 12, play, at('2026-11-24T20:30:00')).allowed, true);
    assert.equal(evaluatePolicy(JSON.stringify(everyDay), 12, play, at('2026-11-24T20:30:00')).allowed, true);
  });

  test('the JSON Schema accepts every preset, and agrees with the parser on malformed documents', () => {
    const presets = readdirSync(join(repoRoot, 'data/policy')).filter((f) => f.endsWith('.json') && f !== 'policy.schema.json');
    assert.deepEqual(presets.sort(), ['cn-2024-content.json', 'cn-2024-games.json']);
    for (const file of presets) {
      const doc = JSON.parse(readFileSync(join(repoRoot, 'data/policy', file), 'utf8'));
      assert.deepEqual(schemaErrors(doc), [], file);
      assert.equal(setMinorPolicy(doc).id, file.replace(/\.json$/, ''));
    }
    setMinorPolicy(null);
    const edits = [
      (p) => { p.payment[0].perMonthFen = 1.5; },
      (p) => { p.payment[0].perMonthFen = -1; },
      (p) => { p.format = 2; },
      (p) => { delete p.sources; },
      (p) => { p.play.windows[0].start = '8pm'; },
      (p) => { p.play.weekdays.push(8); },
      (p) => { p.curfew.extra = true; },
      (p) => { p.calendar[0].workdays[0] = '2024/02/04'; },
      (p) => { p.guestMode.allowed = 'no'; },
      (p) => { p.ageBands.pop(); },
      (p) => { p.dailyLimits[0].seconds = 90000; },
      (p) => { p.restReminder.afterSeconds = 10; },
      (p) => { p.id = ''; },
      (p) => { p.payment[1] = { minAge: 8, maxAge: 16, source: 'nppa-2019' }; },
      (p) => { p.dailyLimits[1].guardianMaxSeconds = 90000; },
      (p) => { p.minorMode.maxAge = 19; },
    ];
    for (const [i, edit] of edits.entries()) {
      const doc = structuredClone(preset);
      edit(doc);
      assert.ok(schemaErrors(doc).length > 0, `edit ${i}: the schema accepted it`);
      assert.throws(() => setMinorPolicy(doc), RangeError, `edit ${i}: the parser accepted it`);
    }
    // Valid variations both accept.
    for (const edit of [(p) => { delete p.curfew; }, (p) => { p.play.note = 'x'; }, (p) => { p.calendar = []; }, (p) => { p.ageRule = 'on_birthday'; }]) {
      const doc = structuredClone(preset);
      edit(doc);
      assert.deepEqual(schemaErrors(doc), []);
      setMinorPolicy(doc);
    }
    setMinorPolicy(null);
  });

  test('cn-2024-content: a 15-year-old within the single-payment cap but over the day\'s total is refused until midnight', () => {
    const now = at('2026-11-25T15:30:00');
    const pay = (amountFen, spentTodayFen, options) =>
      evaluatePolicy(content, 15, { type: 'payment', amountFen, spentTodayFen, spentThisMonthFen: spentTodayFen }, now, options);
    const ok = pay(3000, 7000);
    assert.deepEqual([ok.allowed, ok.remaining], [true, 3000]);
    const refused = pay(3000, 8000);
    assert.deepEqual(
      [refused.allowed, refused.code, refused.rule, refused.params, refused.nextAllowedAt, refused.remaining, refused.byGuardian],
      [false, 'minor_payment_over_daily_limit', 'payment', { limitFen: 10000, remainingFen: 2000 }, '2026-11-26T00:00:00+08:00', 2000, false],
    );
    assert.match(refused.message, /单日充值累计不得超过 100 元，今日还可充值 20 元/);
    assert.match(refused.source, /shiming 的默认值/);
    assert.equal(pay(5001, 0).code, 'minor_payment_over_single_limit');
    assert.equal(refused.minorMode, true);
    // No play rules on a content platform; the games preset keeps them.
    assert.equal(evaluatePolicy(content, 15, play, at('2026-11-24T10:00:00')).allowed, true);
    assert.equal(evaluatePolicy(preset, 15, play, at('2026-11-24T10:00:00')).code, 'minor_play_outside_window');
    // An activity without spentTodayFen is a caller's mistake, never a pass.
    assert.throws(() => evaluatePolicy(content, 15, { type: 'payment', amountFen: 1, spentThisMonthFen: 0 }, now), TypeError);
  });

  test('a guardian\'s limits: tighter applies, looser only within guardianMaxSeconds, checked before storing', () => {
    const now = at('2026-11-25T15:30:00');
    const session = (age, used, limits) =>
      evaluatePolicy(content, age, { type: 'session', usedTodaySeconds: used, continuousSeconds: 0 }, now, { limits });
    const tighter = session(15, 1800, { dailySeconds: 1800 });
    assert.deepEqual([tighter.allowed, tighter.code, tighter.byGuardian, tighter.source, tighter.params.limitMinutes],
      [false, 'minor_daily_limit_reached', true, undefined, 30]);
    assert.equal(session(15, 1800).allowed, true, 'the policy alone allows an hour');
    // A 15-year-old's guardian cannot lengthen the hour; a 16-year-old's may, up to the rule's bound.
    assert.equal(session(15, 3600, { dailySeconds: 7200 }).allowed, false);
    assert.equal(session(16, 7200, { dailySeconds: 10800 }).allowed, true);
    assert.equal(session(16, 7200).allowed, false);
    const check15 = checkGuardianLimits(content, 15, { dailySeconds: 7200, perDayFen: 5000 }, now);
    assert.deepEqual(check15.issues.map((i) => [i.code, i.path.join('.'), i.params.max]), [['guardian_limit_too_loose', 'dailySeconds', 3600]]);
    assert.deepEqual(check15.bounds, { dailySeconds: { policy: 3600, guardianMax: 3600 }, perPaymentFen: 5000, perDayFen: 10000, perMonthFen: 20000 });
    assert.equal(checkGuardianLimits(content, 16, { dailySeconds: 10800 }, now).ok, true);
    assert.equal(checkGuardianLimits(content, 16, { perPaymentFen: 20000 }, now).issues[0].code, 'guardian_limit_too_loose');
    assert.deepEqual(checkGuardianLimits(content, 16, '{"dailySeconds":"2h"}', now).issues.map((i) => [i.code, i.path.join('.')]),
      [['guardian_limit_invalid', 'dailySeconds']]);
    // Payments: the guardian's caps and a guardian's zero.
    const pay = (amountFen, limits) =>
      evaluatePolicy(content, 15, { type: 'payment', amountFen, spentTodayFen: 0, spentThisMonthFen: 0 }, now, { limits });
    assert.deepEqual([pay(2000, { perPaymentFen: 1000 }).code, pay(2000, { perPaymentFen: 1000 }).byGuardian], ['minor_payment_over_single_limit', true]);
    assert.equal(pay(1, { perPaymentFen: 0 }).code, 'minor_payment_blocked_by_guardian');
    assert.equal(pay(4000, { perPaymentFen: 90000 }).allowed, true);
    assert.equal(pay(6000, { perPaymentFen: 90000 }).code, 'minor_payment_over_single_limit', 'a looser cap never applies');
    // The guardian's night-time adds to the policy's.
    const evening = evaluatePolicy(content, 15, { type: 'session', usedTodaySeconds: 0, continuousSeconds: 0 }, at('2026-11-25T21:15:00'),
      { limits: { curfew: { start: '21:00', end: '07:00' } } });
    assert.deepEqual([evening.allowed, evening.code, evening.byGuardian, evening.nextAllowedAt],
      [false, 'minor_curfew', true, '2026-11-26T07:00:00+08:00']);
    assert.throws(() => evaluatePolicy(content, 15, play, now, { limits: { daily: 1 } }), RangeError);
  });
});
