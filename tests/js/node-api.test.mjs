// The built package in Node 20: pkg/node.js directly, and `import('shiming')` through the package's `exports`
// (a temporary node_modules/shiming symlink to pkg/), with no init call either way.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { assertPkgBuilt, importPkg, pkgDir, EXAMPLES, withCheck } from './support.mjs';

assertPkgBuilt();
const api = await importPkg('node.js');
const { checkId, isValidId, checkIdBatch } = api;

const AS_OF = '2024-06-01';
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** The shape every issue must have, and no personal data in it. */
function assertIssueShape(issue, input) {
  assert.deepEqual(Object.keys(issue).sort(), ['code', 'message', 'params', 'path']);
  assert.ok(Array.isArray(issue.path), 'path is an array');
  for (const segment of issue.path) assert.ok(typeof segment === 'string' || typeof segment === 'number');
  assert.match(issue.code, SNAKE);
  assert.equal(typeof issue.params, 'object');
  assert.ok(issue.params !== null && !Array.isArray(issue.params));
  for (const value of Object.values(issue.params)) {
    const ok =
      typeof value === 'string' ||
      typeof value === 'number' ||
      (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    assert.ok(ok, `param value of ${issue.code} has a typed value`);
  }
  assert.equal(typeof issue.message, 'string');
  assert.ok(issue.message.length > 0);
  if (input && input.trim().length >= 6) {
    const text = JSON.stringify(issue);
    assert.ok(!text.includes(input.trim()), `issue ${issue.code} must not contain the input`);
  }
}

function codes(result) {
  return (result.ok ? result.warnings : result.issues).map((i) => i.code);
}

describe('package layout', () => {
  test('package.json exports a node entry, a default entry and ./web', async () => {
    const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'shiming');
    assert.equal(pkg.type, 'module');
    assert.match(pkg.version, /^\d+\.\d+\.\d+/);
    assert.equal(pkg.exports['.'].node, './node.js');
    assert.equal(pkg.exports['.'].default, './index.js');
    assert.ok(pkg.exports['.'].types);
    assert.ok(pkg.exports['./web']);
    for (const file of pkg.files) {
      // every listed file or directory exists
      await (file.endsWith('/') ? readdir(join(pkgDir, file)) : readFile(join(pkgDir, file)));
    }
  });

  test('the .d.ts types have no `any` in the public shapes', async () => {
    const dts = await readFile(join(pkgDir, 'shiming.d.ts'), 'utf8');
    const publicPart = dts.split('export type InitInput')[0];
    assert.doesNotMatch(publicPart, /\bany\b/);
    for (const name of ['checkId', 'isValidId', 'checkIdBatch']) assert.match(dts, new RegExp(`export function ${name}\\(`));
  });

  test('the .d.ts marks options as optional (checkId(input) type-checks)', async () => {
    const dts = await readFile(join(pkgDir, 'shiming.d.ts'), 'utf8');
    for (const name of ['checkId', 'isValidId', 'checkIdBatch']) {
      const signature = dts.match(new RegExp(`export function ${name}\\(([^)]*)\\)`))?.[1];
      assert.ok(signature, `${name} is declared`);
      assert.match(signature, /,\s*options\?:/, `${name}(${signature}): options must be optional`);
    }
  });

  test('exports the documented functions', () => {
    for (const name of ['checkId', 'isValidId', 'checkIdBatch']) assert.equal(typeof api[name], 'function', name);
  });
});

describe('checkId', () => {
  test('a valid 18-character ID: kind, birth date, gender, region', () => {
    const result = checkId(EXAMPLES.valid, { asOf: AS_OF });
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings, []);
    const v = result.value;
    assert.equal(v.kind, 'cn_resident');
    assert.equal(v.normalized, EXAMPLES.valid);
    assert.equal(v.birthDate, '1949-12-31');
    assert.equal(v.gender, 'female');
    assert.equal(v.region.code, '110105');
    assert.equal(v.region.province, '北京市');
    assert.equal(v.region.county, '朝阳区');
    assert.equal(v.upgraded, undefined);
  });

  test('a second valid ID: male', () => {
    const result = checkId(EXAMPLES.valid2, { asOf: AS_OF });
    assert.equal(result.ok, true);
    assert.equal(result.value.gender, 'male');
    assert.equal(result.value.birthDate, '1990-03-07');
    assert.equal(result.value.region.code, '110101');
    assert.equal(result.value.region.county, '东城区');
  });

  test('the default as-of date is today (a 1990 birth is fine, no options at all)', () => {
    assert.equal(checkId(EXAMPLES.valid2).ok, true);
    assert.equal(checkId(EXAMPLES.valid2, {}).ok, true);
    assert.equal(checkId(EXAMPLES.valid2, undefined).ok, true);
  });

  test('a checksum mismatch names the expected character, in zh-CN (default) and en', () => {
    const zh = checkId(EXAMPLES.badChecksum, { asOf: AS_OF });
    assert.equal(zh.ok, false);
    const issue = zh.issues.find((i) => i.code === 'id_checksum_mismatch');
    assert.ok(issue, `expected id_checksum_mismatch, got ${codes(zh)}`);
    assert.equal(issue.params.expected, '7');
    assert.match(issue.message, /7/);
    assert.match(issue.message, /[\u4e00-\u9fff]/, 'the default locale is zh-CN');
    for (const i of zh.issues) assertIssueShape(i, EXAMPLES.badChecksum);

    const en = checkId(EXAMPLES.badChecksum, { asOf: AS_OF, locale: 'en' });
    const enIssue = en.issues.find((i) => i.code === 'id_checksum_mismatch');
    assert.equal(enIssue.params.expected, '7');
    assert.match(enIssue.message, /7/);
    assert.doesNotMatch(enIssue.message, /[\u4e00-\u9fff]/, 'the en message has no Chinese');
    assert.notEqual(enIssue.message, issue.message);

    const zhExplicit = checkId(EXAMPLES.badChecksum, { asOf: AS_OF, locale: 'zh-CN' });
    assert.deepEqual(zhExplicit, zh);
  });

  test('a legacy 15-digit ID is refused by default, and upgraded, with a warning, when listed', () => {
    const refused = checkId(EXAMPLES.legacy, { asOf: AS_OF });
    assert.equal(refused.ok, false);
    assert.equal(refused.issues[0].code, 'id_kind_not_allowed');
    assert.equal(refused.issues[0].params.kind, 'cn_resident_legacy');
    const result = checkId(EXAMPLES.legacy, { asOf: AS_OF, kinds: ['cn_resident_legacy'] });
    assert.equal(result.ok, true);
    assert.equal(result.value.kind, 'cn_resident_legacy');
    assert.equal(result.value.upgraded, EXAMPLES.valid);
    assert.equal(result.value.birthDate, '1949-12-31');
    assert.equal(result.value.gender, 'female');
    assert.ok(result.warnings.length > 0, 'a legacy number is reported');
    for (const w of result.warnings) assertIssueShape(w);
  });

  test('normalisations are warnings: spaces, full-width digits and Ｘ, lowercase x', () => {
    const fullWidth = Array.from(EXAMPLES.valid, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    for (const [input, expected] of [
      [` ${EXAMPLES.valid}  `, 'id_whitespace_trimmed'],
      [fullWidth, 'id_fullwidth_folded'],
      [EXAMPLES.valid.toLowerCase(), 'id_lowercase_x_folded'],
    ]) {
      const result = checkId(input, { asOf: AS_OF, locale: 'en' });
      assert.equal(result.ok, true, `${expected}: ${JSON.stringify(codes(result))}`);
      assert.equal(result.value.normalized, EXAMPLES.valid);
      assert.ok(codes(result).includes(expected), `${expected} in ${codes(result)}`);
      for (const w of result.warnings) assertIssueShape(w, input);
    }
  });

  test('a birth date after the as-of date is an error', () => {
    const result = checkId(EXAMPLES.valid2, { asOf: '1980-01-01' });
    assert.equal(result.ok, false);
    assert.ok(codes(result).includes('id_birth_date_in_future'), String(codes(result)));
  });

  test('kinds restricts what is accepted', () => {
    const legacyOnly18 = checkId(EXAMPLES.legacy, { asOf: AS_OF, kinds: ['cn_resident'] });
    assert.equal(legacyOnly18.ok, false);
    assert.equal(checkId(EXAMPLES.legacy, { asOf: AS_OF, kinds: ['cn_resident_legacy'] }).ok, true);
    assert.equal(checkId(EXAMPLES.valid, { asOf: AS_OF, kinds: ['cn_resident'] }).ok, true);
  });

  test('empty and oversized inputs are ok: false with their own codes', () => {
    const empty = checkId('');
    assert.equal(empty.ok, false);
    assert.deepEqual(codes(empty), ['id_empty']);
    const long = checkId('1'.repeat(10_000));
    assert.equal(long.ok, false);
    assert.deepEqual(codes(long), ['id_too_long']);
    for (const i of [...empty.issues, ...long.issues]) assertIssueShape(i);
  });

  test('other invalid inputs carry well-formed issues in both locales', () => {
    const inputs = ['12345', '11010519491231002Y', '110105194902300021', 'ab\u4e2dcd', '000000199001010000'];
    for (const input of inputs) {
      for (const locale of ['zh-CN', 'en']) {
        const result = checkId(input, { asOf: AS_OF, locale });
        assert.equal(result.ok, false);
        assert.ok(result.issues.length > 0);
        for (const i of result.issues) assertIssueShape(i, input);
      }
    }
  });
});

describe('isValidId', () => {
  test('agrees with checkId', () => {
    const inputs = [EXAMPLES.valid, EXAMPLES.valid2, EXAMPLES.legacy, EXAMPLES.badChecksum, '', 'x', ` ${EXAMPLES.valid}`];
    for (const input of inputs) {
      assert.equal(isValidId(input, { asOf: AS_OF }), checkId(input, { asOf: AS_OF }).ok);
    }
    assert.equal(isValidId(EXAMPLES.valid), true);
    assert.equal(isValidId(EXAMPLES.badChecksum), false);
    assert.equal(isValidId(EXAMPLES.valid2, { asOf: '1980-01-01' }), false);
    assert.equal(isValidId(EXAMPLES.legacy, { kinds: ['cn_resident'] }), false);
  });
});

describe('checkIdBatch birth dates ({ birthDates: true })', () => {
  test("each valid line's birth date as YYYYMMDD, 0 for the rest, the same as checkId's", () => {
    const kinds = ['cn_resident', 'cn_resident_legacy', 'hk_id', 'foreign_permanent_resident'];
    const lines = [
      EXAMPLES.valid,
      EXAMPLES.badChecksum,
      EXAMPLES.legacy,
      ` ${EXAMPLES.valid.replaceAll('0', '０')}`,
      '110105 19491231 002X',
      'A123456(3)',
      '932682198501010017',
      'not an id',
    ];
    const report = checkIdBatch(lines.join('\n'), { asOf: '2026-11-28', kinds }, { birthDates: true });
    assert.ok(report.birthDates instanceof Uint32Array);
    assert.deepEqual([...report.birthDates], [19491231, 0, 19491231, 19491231, 19491231, 0, 19850101, 0]);
    lines.forEach((line, i) => {
      const full = checkId(line, { asOf: '2026-11-28', kinds });
      const expected = full.ok && full.value.birthDate ? Number(full.value.birthDate.replaceAll('-', '')) : 0;
      assert.equal(report.birthDates[i], expected, line);
    });
    // From bytes too; and only when asked.
    const bytes = checkIdBatch(new TextEncoder().encode(lines.join('\n')), { asOf: '2026-11-28', kinds }, { birthDates: true });
    assert.deepEqual([...bytes.birthDates], [...report.birthDates]);
    assert.equal(checkIdBatch(lines.join('\n'), { asOf: '2026-11-28', kinds }).birthDates, undefined);
    assert.equal(checkIdBatch(lines.join('\n'), { asOf: '2026-11-28', kinds }, { birthDates: false }).birthDates, undefined);
  });

  test('a batch option that is not { birthDates?: boolean } is a TypeError', () => {
    assert.throws(() => checkIdBatch(EXAMPLES.valid, {}, 'yes'), TypeError);
    assert.throws(() => checkIdBatch(EXAMPLES.valid, {}, { birthDates: 1 }), TypeError);
  });
});

describe('checkIdBatch', () => {
  const lines = [
    EXAMPLES.valid,
    EXAMPLES.valid2,
    EXAMPLES.badChecksum,
    EXAMPLES.legacy,
    'not an id',
    '',
    EXAMPLES.valid.toLowerCase(),
    withCheck('11010519490230002'), // 30 February, with a correct check character
  ];
  const text = lines.join('\n');

  function assertConsistent(report) {
    assert.equal(report.total, lines.length);
    assert.equal(report.valid + report.invalid, report.total);
    assert.ok(report.status instanceof Uint8Array);
    assert.equal(report.status.length, report.total);
    assert.ok(Array.isArray(report.codes));
    const tally = {};
    lines.forEach((line, i) => {
      const single = checkId(line, { asOf: AS_OF });
      const status = report.status[i];
      assert.equal(status === 0, single.ok, `line ${i}: batch and checkId agree on validity`);
      if (status !== 0) {
        const code = report.codes[status - 1];
        assert.equal(code, single.issues[0].code, `line ${i}: status byte is 1 + index of the first issue's code`);
        tally[code] = (tally[code] ?? 0) + 1;
      }
    });
    assert.deepEqual({ ...report.byCode }, tally);
    assert.equal(Object.values(report.byCode).reduce((a, b) => a + b, 0), report.invalid);
  }

  test('from a string', () => {
    const report = checkIdBatch(text, { asOf: AS_OF });
    // The legacy number is refused by default (id_kind_not_allowed): 3 valid, 5 invalid.
    assert.equal(report.valid, 3);
    assert.equal(report.invalid, 5);
    assert.equal(report.byCode.id_kind_not_allowed, 1);
    assertConsistent(report);
    assert.equal(report.byCode.id_checksum_mismatch, 1);
    assert.equal(report.byCode.id_birth_date_invalid, 1);
    assert.equal(report.byCode.id_empty, 1);
  });

  test('from UTF-8 bytes: the same result', () => {
    const bytes = new TextEncoder().encode(text);
    const report = checkIdBatch(bytes, { asOf: AS_OF });
    assertConsistent(report);
    assert.deepEqual(report, checkIdBatch(text, { asOf: AS_OF }));
  });

  test('CRLF line ends and a final newline', () => {
    const crlf = checkIdBatch(`${lines.join('\r\n')}\r\n`, { asOf: AS_OF });
    assert.deepEqual(crlf, checkIdBatch(text, { asOf: AS_OF }));
  });

  test('an empty batch', () => {
    const report = checkIdBatch('');
    assert.equal(report.total, 0);
    assert.equal(report.valid, 0);
    assert.equal(report.status.length, 0);
    assert.deepEqual({ ...report.byCode }, {});
  });

  test('a larger batch matches isValidId line by line', () => {
    const many = [];
    for (let i = 0; i < 2000; i += 1) many.push(i % 3 === 0 ? EXAMPLES.badChecksum : i % 3 === 1 ? EXAMPLES.valid : EXAMPLES.valid2);
    const report = checkIdBatch(many.join('\n'), { asOf: AS_OF });
    assert.equal(report.total, 2000);
    assert.equal(report.invalid, many.filter((l) => !isValidId(l, { asOf: AS_OF })).length);
  });

  test('options apply to the batch', () => {
    const report = checkIdBatch(EXAMPLES.legacy, { asOf: AS_OF, kinds: ['cn_resident'] });
    assert.equal(report.valid, 0);
    assert.equal(report.invalid, 1);
  });
});

describe('wrong argument types throw a TypeError', () => {
  const cases = [null, undefined, 42, {}, [], true, Symbol('s'), () => {}, 10n];
  for (const [name, fn] of [
    ['checkId', (x) => checkId(x)],
    ['isValidId', (x) => isValidId(x)],
    ['checkIdBatch', (x) => checkIdBatch(x)],
  ]) {
    test(name, () => {
      for (const value of cases) {
        assert.throws(() => fn(value), TypeError, `${name}(${typeof value})`);
      }
      assert.throws(() => fn(new Uint16Array(4)), TypeError);
    });
  }
  test('the error message is clear', () => {
    assert.throws(() => checkId(null), (e) => e instanceof TypeError && /string/.test(e.message));
  });
  test('malformed options', () => {
    assert.throws(() => checkId(EXAMPLES.valid, { asOf: 12 }), TypeError);
    assert.throws(() => checkId(EXAMPLES.valid, { locale: 5 }), TypeError);
    assert.throws(() => checkId(EXAMPLES.valid, { kinds: 'cn_resident' }), TypeError);
    assert.throws(() => checkId(EXAMPLES.valid, { asOf: '2024-02-30' }), (e) => e instanceof RangeError || e instanceof TypeError);
    assert.throws(() => checkId(EXAMPLES.valid, { kinds: ['bogus'] }), (e) => e instanceof RangeError || e instanceof TypeError);
  });
});

describe("through the package's exports", () => {
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shiming-exports-'));
    await mkdir(join(dir, 'node_modules'));
    await symlink(pkgDir, join(dir, 'node_modules', 'shiming'), 'dir');
    await writeFile(join(dir, 'package.json'), '{"type":"module","private":true}\n');
    await writeFile(
      join(dir, 'probe.mjs'),
      [
        "export * as main from 'shiming';",
        "export * as web from 'shiming/web';",
        "export const resolved = { main: import.meta.resolve('shiming'), web: import.meta.resolve('shiming/web') };",
      ].join('\n'),
    );
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("import('shiming') resolves to the node entry and needs no init", async () => {
    const { main, web, resolved } = await import(pathToFileURL(join(dir, 'probe.mjs')).href);
    assert.match(resolved.main, /\/node\.js$/, 'Node picks the "node" condition');
    assert.match(resolved.web, /\/web\.js$/);
    const result = main.checkId(EXAMPLES.valid, { asOf: AS_OF, locale: 'en' });
    assert.equal(result.ok, true);
    assert.equal(result.value.birthDate, '1949-12-31');
    assert.equal(main.isValidId(EXAMPLES.badChecksum), false);
    assert.equal(main.checkIdBatch(`${EXAMPLES.valid}\n${EXAMPLES.badChecksum}`).valid, 1);
    // 'shiming/web' is the glue without top-level await: an init function, and the same (already initialised)
    // instance in Node, with the same schemas as the main entry.
    assert.equal(typeof web.default, 'function');
    assert.equal(typeof web.initSync, 'function');
    assert.equal(web.checkId(EXAMPLES.valid).ok, true);
    assert.equal(web.registrationSchema, main.registrationSchema);
    assert.equal(web.registrationFormSchema, main.registrationFormSchema);
    assert.equal(typeof web.idNumberSchema, 'function');
  });
});
