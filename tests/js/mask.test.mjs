// maskId / maskPhone / maskName through the built package in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { assertPkgBuilt, importPkg } from './support.mjs';

assertPkgBuilt();
const { maskId, maskPhone, maskName } = await importPkg('node.js');

test('safe defaults', () => {
  assert.equal(maskId('11010519491231002X'), '1101**********002X');
  assert.equal(maskPhone('13812345678'), '13*******78');
  assert.equal(maskPhone('+86 138-1234-5678'), '+86 13*******78');
  assert.equal(maskName('张三丰'), '张*丰');
  assert.equal(maskName('张三'), '张*');
  assert.equal(maskName('古丽米热·艾比布力'), '古***·***力');
  assert.equal(maskName('Chan Tai Man'), 'C*** T** M**');
});

test('configurable, with caller mistakes refused', () => {
  assert.equal(maskId('11010519491231002X', { keepStart: 6, keepEnd: 0, maskChar: '•' }), '110105••••••••••••');
  assert.equal(maskPhone('13812345678', { keepStart: 0, keepEnd: 4 }), '*******5678');
  assert.throws(() => maskId('11010519491231002X', { keepStart: -1 }), RangeError);
  assert.throws(() => maskId('11010519491231002X', { maskChar: '**' }), RangeError);
  assert.throws(() => maskName(null), TypeError);
});

test('short inputs keep at most half their characters', () => {
  assert.equal(maskId('1234'), '****');
  assert.equal(maskName('王'), '*');
});
