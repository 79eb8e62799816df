// checkName / isValidName through the built package in Node.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { assertPkgBuilt, importPkg } from './support.mjs';

assertPkgBuilt();
const { checkName, isValidName } = await importPkg('node.js');

describe('checkName', () => {
  test('names that must never be rejected', () => {
    for (const name of ['王', '䶮', '古丽米热·艾比布力', '欧阳娜娜', '𠀀', 'Chan Tai Man', 'CHAN, Tai Man', "O'Brien", 'José Álvarez']) {
      assert.equal(isValidName(name), true, name);
    }
  });

  test('look-alike dots are normalised and reported', () => {
    const r = checkName('古丽米热•艾比布力', { locale: 'en' });
    assert.equal(r.ok, true);
    assert.equal(r.value.normalized, '古丽米热·艾比布力');
    assert.equal(r.value.chars, 9);
    assert.deepEqual(r.warnings.map((w) => w.code), ['name_separator_normalized']);
  });

  test('invisible, bidi and private-use characters each have a code and a position', () => {
    assert.equal(checkName('张\u200B三').issues[0].code, 'name_invisible_character');
    assert.equal(checkName('张\u202E三').issues[0].code, 'name_bidi_control');
    const pua = checkName('张\uE000');
    assert.equal(pua.issues[0].code, 'name_private_use');
    assert.equal(pua.issues[0].params.position, 2);
    assert.equal(checkName('张三Li').issues[0].code, 'name_mixed_script');
    assert.equal(checkName('·张三').issues[0].code, 'name_separator_misplaced');
  });

  test('length: 50 by default, configurable, never below 25', () => {
    assert.equal(checkName('张'.repeat(50)).ok, true);
    assert.equal(checkName('张'.repeat(51)).issues[0].code, 'name_too_long');
    assert.equal(checkName('张'.repeat(60), { maxChars: 60 }).ok, true);
    assert.throws(() => checkName('张三', { maxChars: 24 }), RangeError);
    assert.throws(() => checkName('张三', { script: 'cyrillic' }), RangeError);
    assert.throws(() => checkName(42), TypeError);
  });
});
