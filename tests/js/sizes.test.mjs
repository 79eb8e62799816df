// scripts/sizes.mjs (where each module's bytes go) kept from rotting, cheaply: its wasm parser and categories run on
// the built pkg/ modules, without the named rebuild (`node scripts/sizes.mjs`, a dev command). The shipped modules
// have no name section, so their code is all "unnamed": what is checked is the parse (sections that tile the file,
// one body per declared function, data segments) and that the categories add up to the file's size; and that the
// script still reads scripts/build.mjs's MODULES and wasm-opt flags.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { assertPkgBuilt, pkgDir } from './support.mjs';
import { buildConfig, categorise, estimateGzip, functionCategory, messageStrings, parseWasm, report } from '../../scripts/sizes.mjs';

assertPkgBuilt();
const { modules, flags } = buildConfig();

test('sizes.mjs reads build.mjs: the modules and the wasm-opt flags', () => {
  assert.ok(modules.length >= 4);
  for (const m of modules) {
    assert.equal(typeof m.name, 'string');
    assert.ok(Array.isArray(m.cargo) && m.cargo.length > 0);
    assert.equal(typeof m.dir, 'string');
  }
  assert.ok(flags.includes('--converge') && flags.includes('--disable-simd'));
});

test('function names fall in the categories the table shows', () => {
  const cases = {
    'shiming::id::detect::check_compact::hd0c598edddb5ae33': 'rules/shiming::id',
    '<shiming::issue::Code as core::fmt::Debug>::fmt::h0123456789abcdef': 'rules/shiming::issue',
    'checkId externref shim multivalue shim': 'glue/exported shims',
    'shiming_js_common::dto::issues::h243c02411048b996': 'glue/bindings crates (DTOs)',
    '<serde_wasm_bindgen::ser::ObjectSerializer as serde_core::ser::SerializeStruct>::serialize_field': 'glue/serde_wasm_bindgen',
    '<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<dlmalloc[e24a27700634d609]::sys::System>>::malloc': 'std/allocator (talc)',
    'talc::base::Talc<S,B>::allocate::h7169dfaa12c87fb5': 'std/allocator (talc)',
    'core::fmt::write::h0123456789abcdef': 'std/fmt',
    '': 'other/unnamed code',
  };
  for (const [name, category] of Object.entries(cases)) assert.equal(functionCategory(name), category, name);
});

test('the message text of src/i18n is found', () => {
  const messages = messageStrings().map((b) => b.toString());
  assert.ok(messages.length > 100);
  assert.ok(messages.includes('Enter the ID number'));
});

const messages = messageStrings();
for (const m of modules) {
  test(`pkg/${join(m.dir, `${m.name}_bg.wasm`)}: parsed, and its categories sum to its size`, () => {
    const bytes = readFileSync(join(pkgDir, m.dir, `${m.name}_bg.wasm`));
    const module = parseWasm(bytes);
    // The sections tile the file after the 8-byte header.
    let at = 8;
    for (const s of module.sections) {
      assert.equal(s.start, at);
      at = s.end;
    }
    assert.equal(at, bytes.length);
    // One body per function the function section declares; the bodies tile the code section after its count.
    const declared = module.sections.find((s) => s.name === 'function');
    const code = module.sections.find((s) => s.name === 'code');
    assert.ok(declared && code && module.functions.length > 0);
    assert.equal(module.functions.length, readLeb(bytes, declared.payload));
    assert.equal(module.functions.at(-1).end, code.end);
    assert.ok(module.data.length > 0);
    const rows = categorise(bytes, module, messages);
    assert.equal(rows.reduce((s, r) => s + r.bytes, 0), bytes.length);
    if (m.name === 'shiming') assert.ok(rows.find((r) => r.key === 'messages/messages')?.bytes > 1000, 'messages found');
    estimateGzip(rows, 50_000);
    assert.ok(Math.abs(rows.reduce((s, r) => s + r.gzip, 0) - 50_000) <= rows.length);
    const r = report(m.name, bytes, 50_000, { top: 3, messages });
    assert.equal(r.size, bytes.length);
    assert.equal(r.topFunctions.length, 3);
  });
}

/** An unsigned LEB128 at `at`. */
function readLeb(bytes, at) {
  let result = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return result;
  }
}
