// checkId's two ways of building a result (bindings/checks/src/id_fast.rs): a valid number typed exactly as normalised
// takes the fast path, the same number with a space before it the general one (the same value, plus a warning). The
// values must be the same, property for property and in the same order, for every kind, with region names loaded
// (Node's entry loads them) and without. The bare module is tested first: importing the Node entry afterwards reuses its
// instance (initSync does not instantiate twice) and installs the names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, checkId as rawCheckId, generateTestId as rawGenerate } from '../../pkg/shiming.js';
import { makeCorpus, AS_OF } from '../../bench/corpus.mjs';

const KINDS = [
  'cn_resident', 'cn_resident_legacy', 'hk_macao_taiwan_residence_permit', 'foreign_permanent_resident', 'hk_id', 'mo_id',
  'tw_id', 'hk_macao_home_return_permit', 'tw_mtp', 'cn_passport', 'uscc',
];
const OPTIONS = Object.freeze({ asOf: AS_OF, kinds: KINDS });

/** Deep equality that also compares the order of keys (JSON.stringify is order-sensitive). */
function same(a, b, label) {
  assert.equal(JSON.stringify(a), JSON.stringify(b), label);
  assert.deepStrictEqual(a, b, label);
}

function compare(checkId, numbers) {
  let fast = 0;
  for (const n of numbers) {
    const direct = checkId(n, OPTIONS);
    const spaced = checkId(` ${n}`, OPTIONS);
    assert.equal(direct.ok, spaced.ok, n);
    if (!direct.ok) continue;
    same(direct.value, spaced.value, n);
    assert.deepEqual(Object.keys(direct), ['ok', 'value', 'warnings'], n);
    assert.deepEqual(spaced.warnings.map((w) => w.code), ['id_whitespace_trimmed', ...direct.warnings.map((w) => w.code)], n);
    if (direct.warnings.length === 0 && direct.value.normalized === n) fast++;
  }
  return fast;
}

function numbers(generate) {
  const out = [];
  for (const kind of KINDS) {
    for (let seed = 0; seed < 300; seed++) out.push(generate({ seed, kind }));
  }
  out.push(...makeCorpus(20_000, 7).lines);
  return out;
}

test('the fast and the general result agree without region names (the bare module)', () => {
  initSync({ module: readFileSync(new URL('../../pkg/shiming_bg.wasm', import.meta.url)) });
  const fast = compare(rawCheckId, numbers(rawGenerate));
  assert.ok(fast > 10_000, `the fast path was taken ${fast} times`);
  assert.deepEqual(rawCheckId('11010519491231002X', OPTIONS).value.region, { code: '110105' });
});

test('the fast and the general result agree on every kind, with region names (Node entry)', async () => {
  const shiming = await import('../../pkg/node.js');
  const list = numbers(shiming.generateTestId);
  const fast = compare(shiming.checkId, list);
  assert.ok(fast > 10_000, `the fast path was taken ${fast} times`);
  // A region with names, so that the names really are compared.
  const r = shiming.checkId('11010519491231002X', OPTIONS);
  assert.equal(r.value.region.province, '北京市');
});

test('each fast result is a fresh object: changing one changes no later result', async () => {
  const shiming = await import('../../pkg/node.js');
  const first = shiming.checkId('11010519491231002X', OPTIONS);
  first.value.region.code = 'changed';
  first.value.region.province = 'changed';
  first.value.kind = 'changed';
  first.warnings.push('changed');
  const second = shiming.checkId('11010519491231002X', OPTIONS);
  assert.equal(second.value.region.code, '110105');
  assert.equal(second.value.region.province, '北京市');
  assert.equal(second.value.kind, 'cn_resident');
  assert.deepEqual(second.warnings, []);
  assert.notEqual(first.value, second.value);
});

// isValidId through npm/ids.js (the string written into wasm memory, options as a token) against checkId's verdict,
// under every way of passing options: none, a remembered object, one that cannot be remembered (kinds), one changed
// in place, other options in between, and after configure.
test('isValidId and checkId (npm/ids.js: the string written into wasm memory, options as a token) agree on every kind and every way of passing options', async () => {
  const shiming = await import('../../pkg/node.js');
  const list = numbers(shiming.generateTestId);
  list.push('', ' ', '１１０１０５１９４９１２３１００２Ｘ', '11010519491231002x', 'x'.repeat(64), 'x'.repeat(65), '中'.repeat(10));
  const remembered = { asOf: AS_OF };
  const withKinds = { asOf: AS_OF, kinds: ['cn_resident', 'hk_id'] };
  const ways = [
    [undefined, undefined],
    [remembered, { asOf: AS_OF }],
    [withKinds, { asOf: AS_OF, kinds: ['cn_resident', 'hk_id'] }],
    [OPTIONS, OPTIONS],
  ];
  for (const [given, fresh] of ways) {
    for (const n of list) assert.equal(shiming.isValidId(n, given), shiming.checkId(n, fresh).ok, `${n} ${JSON.stringify(given)}`);
    // Both through the same token, alternating.
    for (const n of list.slice(0, 500)) assert.equal(shiming.isValidId(n, given), shiming.checkId(n, given).ok, `${n} ${JSON.stringify(given)}`);
  }
  // The same object changed in place: the new asOf counts (a number born 2025 is in the future in 2024).
  const born2025 = shiming.generateTestId({ seed: 1, birthDate: '2025-05-05' });
  const mutable = { asOf: '2026-01-01' };
  assert.equal(shiming.isValidId(born2025, mutable), true);
  mutable.asOf = '2024-01-01';
  assert.equal(shiming.isValidId(born2025, mutable), false);
  mutable.kinds = ['hk_id'];
  assert.equal(shiming.isValidId(born2025, { asOf: '2026-01-01', kinds: ['hk_id'] }), false);
  mutable.asOf = '2026-01-01';
  assert.equal(shiming.isValidId(born2025, mutable), false);
  delete mutable.kinds;
  assert.equal(shiming.isValidId(born2025, mutable), true);
  // configure changes the defaults and forgets remembered options: both paths follow.
  shiming.configure({ kinds: ['hk_id'] });
  try {
    assert.equal(shiming.isValidId(born2025), false);
    assert.equal(shiming.isValidId(born2025, mutable), false);
    assert.equal(shiming.isValidId('A123456(3)', mutable), true);
    assert.equal(shiming.checkId(born2025, mutable).issues[0].code, 'id_kind_not_allowed');
    assert.equal(shiming.checkId('A123456(3)', mutable).value.kind, 'hk_id');
  } finally {
    shiming.configure(null);
  }
  assert.equal(shiming.isValidId(born2025, mutable), true);
  // Bad options still throw as the module's own isValidId does.
  assert.throws(() => shiming.isValidId(born2025, { asOf: '2026-02-30' }), RangeError);
  assert.throws(() => shiming.isValidId(born2025, { kind: ['cn_resident'] }), TypeError);
  assert.throws(() => shiming.isValidId(42), TypeError);
});
