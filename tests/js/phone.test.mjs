// checkPhone and the run-time segment table, through the built package in Node.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { assertPkgBuilt, importPkg } from './support.mjs';

assertPkgBuilt();
const { checkPhone, isValidPhone, setPhoneSegments, phoneSegmentsVersion } = await importPkg('node.js');

describe('checkPhone', () => {
  test('mainland numbers in the forms people type, with E.164 and the segment', () => {
    for (const written of ['13812345678', '+86 138 1234 5678', '0086-138-1234-5678', '８６１３８１２３４５６７８']) {
      const r = checkPhone(written);
      assert.equal(r.ok, true, written);
      assert.equal(r.value.region, 'cn');
      assert.equal(r.value.e164, '+8613812345678');
      assert.deepEqual(r.value.segment, { prefix: '138', class: 'china_mobile' });
    }
    assert.deepEqual(checkPhone('+86 138 1234 5678').warnings.map((w) => w.code), ['phone_separators_removed']);
  });

  test('16x/19x and unknown segments are accepted, unknown ones with a warning', () => {
    assert.equal(checkPhone('19212345678').value.segment.class, 'china_broadnet');
    const unknown = checkPhone('16812345678', { locale: 'en' });
    assert.equal(unknown.ok, true);
    assert.equal(unknown.value.segment.class, 'unknown');
    assert.equal(unknown.warnings[0].code, 'phone_segment_unknown');
  });

  test('Hong Kong, Macau and Taiwan; regions restrict', () => {
    assert.equal(checkPhone('+852 9123 4567').value.e164, '+85291234567');
    assert.equal(checkPhone('+853 6612 3456').value.region, 'mo');
    assert.equal(checkPhone('0912-345-678').value.e164, '+886912345678');
    const refused = checkPhone('+852 9123 4567', { regions: ['cn'], locale: 'en' });
    assert.equal(refused.ok, false);
    assert.equal(refused.issues[0].code, 'phone_region_not_allowed');
    assert.equal(refused.issues[0].message, 'This form does not accept Hong Kong mobile numbers');
    assert.throws(() => checkPhone('13812345678', { regions: ['us'] }), RangeError);
  });

  test('problems have codes and both messages, never the number', () => {
    const zh = checkPhone('1381234567');
    assert.equal(zh.issues[0].code, 'phone_invalid_length');
    assert.equal(zh.issues[0].message, '中国内地手机号码应为 11 位数字，当前为 10 位');
    assert.deepEqual(zh.issues[0].params, { region: 'cn', expected: 11, length: 10 });
    assert.ok(!zh.issues[0].message.includes('1381234567'));
    assert.throws(() => checkPhone(13812345678), TypeError);
  });

  test('a segment table from the backend replaces the shipped one; null restores it', () => {
    const shipped = phoneSegmentsVersion();
    setPhoneSegments({ version: '2026-06', source: 'backend', segments: { 148: 'china_mobile', 149: 'data_only' } });
    assert.equal(phoneSegmentsVersion(), '2026-06');
    assert.equal(checkPhone('14812345678').value.segment.class, 'china_mobile');
    assert.equal(checkPhone('13812345678').value.segment.class, 'unknown');
    setPhoneSegments(null);
    assert.equal(phoneSegmentsVersion(), shipped);
    assert.equal(checkPhone('13812345678').value.segment.class, 'china_mobile');
  });
});

describe('isValidPhone', () => {
  const SAMPLES = [
    '13812345678', '+86 138 1234 5678', '0086-138-1234-5678', '８６１３８１２３４５６７８', '14112345678', '14812345678',
    '1381234567', '23812345678', '91234567', '+852 9123 4567', '+853 6612 3456', '0912 345 678', '+886 912 345 678',
    '+1 415 555 0100', '', '+', '138-1234-5678x', '1+3812345678', '12345678', '+852 1234 5678', '16812345678',
  ];

  test('is checkPhone(…).ok, for every region set', () => {
    for (const regions of [undefined, ['cn'], ['hk'], ['tw'], ['hk', 'mo'], ['cn', 'hk', 'mo', 'tw']]) {
      for (const input of SAMPLES) {
        const options = regions ? { regions } : undefined;
        assert.equal(isValidPhone(input, options), checkPhone(input, options).ok, `${input} ${regions}`);
      }
    }
    assert.equal(isValidPhone('13812345678'), true);
    assert.equal(isValidPhone('14812345678'), false); // an IoT segment: no 11-digit numbers
    assert.equal(isValidPhone('91234567', { regions: ['hk'] }), true);
  });

  test('follows the segment table in force', () => {
    try {
      setPhoneSegments({ version: 'test', segments: { 138: 'iot', 148: 'china_mobile' } });
      assert.equal(isValidPhone('13812345678'), false);
      assert.equal(checkPhone('13812345678').ok, false);
      assert.equal(isValidPhone('14812345678'), true);
    } finally {
      setPhoneSegments(null);
    }
    assert.equal(isValidPhone('13812345678'), true);
  });

  test('refuses what checkPhone refuses: a non-string, wrong options', () => {
    assert.throws(() => isValidPhone(13812345678), TypeError);
    assert.throws(() => isValidPhone('13812345678', { regions: ['us'] }), RangeError);
    assert.throws(() => isValidPhone('13812345678', { locale: 5 }), TypeError);
  });
});
