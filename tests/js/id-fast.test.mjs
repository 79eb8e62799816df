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

// Without credit codes (the default kinds), most valid resident IDs take the core's quick path
// (shiming::id::check_resident_quick) before the fast result; with every kind, check_id first.
const DEFAULT_KINDS = Object.freeze({ asOf: AS_OF });

function compare(checkId, numbers) {
  return compareUnder(checkId, numbers, OPTIONS) + compareUnder(checkId, numbers, DEFAULT_KINDS);
}

function compareUnder(checkId, numbers, options) {
  let fast = 0;
  for (const n of numbers) {
    const direct = checkId(n, options);
    const spaced = checkId(` ${n}`, options);
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

// Refusals: each distinct issue is built once by the general path and kept as a template by the JS side, which copies
// it for later refusals (bindings/checks/src/id_fast.rs). While a message hook answers for the locale, every refusal
// takes the general path: a hook that answers nothing gives the module's own messages, so it is the reference.
function refusals(generate) {
  const out = ['', ' ', 'x', '1', '1'.repeat(25), '１１０１０５', '11010519491231002x', '中文', 'A123456(A)', 'Ｘ'.repeat(18)];
  const valid = [];
  for (const kind of KINDS) for (let seed = 0; seed < 40; seed++) valid.push(generate({ seed, kind }));
  for (const n of valid) {
    for (let at = 0; at < n.length; at++) {
      const digit = String((Number(n[at]) + 1) % 10);
      out.push(n.slice(0, at) + (Number.isNaN(Number(n[at])) ? '7' : digit) + n.slice(at + 1));
      out.push(n.slice(0, at) + 'Q' + n.slice(at + 1));
    }
    out.push(n.slice(1), n + '1', n.slice(0, -1));
  }
  out.push(...makeCorpus(20_000, 11).lines);
  return out;
}

test('refusals from templates are the general path\'s, in every locale, and fresh objects', async () => {
  const { readdirSync } = await import('node:fs');
  const shiming = await import('../../pkg/shiming.js');
  const snippets = new URL('../../pkg/snippets/', import.meta.url);
  const dir = readdirSync(snippets).find((d) => d.startsWith('shiming-checks-js-'));
  const js = await import(new URL(`${dir}/js/checks.js`, snippets));
  const list = refusals(shiming.generateTestId);
  for (const locale of ['zh-CN', 'en']) {
    const options = { ...OPTIONS, locale };
    const before = js.shiming_id_refusals_built();
    const first = list.map((n) => shiming.checkId(n, options));
    const again = list.map((n) => shiming.checkId(n, options));
    const built = js.shiming_id_refusals_built() - before;
    shiming.setMessageHook(() => undefined);
    let general;
    try {
      const held = js.shiming_id_refusals_built();
      general = list.map((n) => shiming.checkId(n, options));
      assert.equal(js.shiming_id_refusals_built(), held, 'a hook answering for the locale takes the general path');
    } finally {
      shiming.setMessageHook(null);
    }
    const refused = general.filter((r) => !r.ok).length;
    assert.ok(refused > 8_000, `${refused} refusals`);
    // Most refusals of the second pass come from templates (a slot collision sends a few through the general path).
    assert.ok(built > refused, `${built} refusals built from templates of ${2 * refused}`);
    for (let i = 0; i < list.length; i++) {
      same(first[i], general[i], `${list[i]} ${locale}`);
      same(again[i], general[i], `${list[i]} ${locale} (again)`);
    }
  }
  // A refusal handed out is the caller's: changing it changes no later one.
  const a = shiming.checkId('110105194912310021', OPTIONS);
  const b = shiming.checkId('110105194912310021', OPTIONS);
  assert.notEqual(a.issues, b.issues);
  assert.notEqual(a.issues[0].params, b.issues[0].params);
  a.issues[0].params.expected = 'changed';
  a.issues[0].message = 'changed';
  a.issues[0].path.push('changed');
  a.issues.push('changed');
  const c = shiming.checkId('110105194912310021', OPTIONS);
  same(c, b, 'after changing an earlier refusal');
  assert.equal(c.issues[0].params.expected, 'X');
});
