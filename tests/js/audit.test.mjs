// The audit page's core (www/audit-core.js) in Node with the built package: CSV reading, column detection, the
// sample generator's labels against the audit's findings, and the masked report. The page itself: audit.e2e.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Audit, CsvReader, csvCell, detectColumns, generateSample, resolveKind } from '../../www/audit-core.js';
import { importPkg, EXAMPLES } from './support.mjs';

const api = await importPkg();
const AS_OF = '2026-11-28';

function records(text) {
  const reader = new CsvReader(text);
  const out = [];
  for (;;) {
    const fields = [];
    const line = reader.next(fields);
    if (line === 0) return out;
    out.push([line, fields]);
  }
}

test('CSV: BOM, quotes, doubled quotes, line breaks inside quotes, CRLF, blank lines, a missing final newline', () => {
  const text = '\ufeffa,"b,c","say ""hi"""\r\n\r\n"multi\nline",x,\n"",,"tail"junk\nlast';
  assert.deepEqual(records(text), [
    [1, ['a', 'b,c', 'say "hi"']],
    [3, ['multi\nline', 'x', '']],
    [5, ['', '', 'tailjunk']],
    [6, ['last']],
  ]);
  assert.deepEqual(records(''), []);
  assert.deepEqual(records('\ufeff'), []);
  assert.deepEqual(records('"unterminated,\nstill'), [[1, ['unterminated,\nstill']]]);
});

test('columns: a header in Chinese or English in any order, else by position', () => {
  assert.deepEqual(detectColumns(['手机号码', '证件号码', '姓名']), { header: true, columns: { name: 2, idKind: -1, idNumber: 1, phone: 0 } });
  assert.deepEqual(detectColumns(['Name', 'ID_Number', 'Document Kind', 'Phone']).columns, { name: 0, idKind: 2, idNumber: 1, phone: 3 });
  assert.deepEqual(detectColumns(['证件号码']), { header: true, columns: { name: -1, idKind: -1, idNumber: 0, phone: -1 } });
  assert.deepEqual(detectColumns(['张三', '居民身份证', EXAMPLES.valid, '13812345678']), { header: false, columns: { name: 0, idKind: 1, idNumber: 2, phone: 3 } });
  assert.deepEqual(detectColumns(['张三', EXAMPLES.valid, '13812345678']).columns, { name: 0, idKind: -1, idNumber: 1, phone: 2 });
  assert.deepEqual(detectColumns([EXAMPLES.valid]), { header: false, columns: { name: -1, idKind: -1, idNumber: 0, phone: -1 } });
  assert.equal(resolveKind(' 居民身份证 '), 'cn_resident');
  assert.equal(resolveKind('HK_ID'), 'hk_id');
  assert.equal(resolveKind(''), '');
  assert.equal(resolveKind('驾驶证'), null);
});

test('an audit without a header, with a number split by a quoted line break, and a header without a number column', () => {
  const audit = new Audit(api, `张三,,${EXAMPLES.valid},13812345678\n李四,,"1101\n05",13812345678\n`, { asOf: AS_OF });
  while (!audit.step(1)) {}
  const summary = audit.summary();
  assert.equal(summary.rows, 2);
  assert.equal(summary.header, false);
  // The split number is checked on its own (checkId), not as two batch lines.
  assert.deepEqual(summary.counts.idNumber, { [api.checkId('1101\n05', { asOf: AS_OF }).issues[0].code]: 1 });
  assert.deepEqual(audit.problems.map((p) => p.line), [2]);

  const noIds = new Audit(api, '姓名,手机号码\n张三,13812345678\n', { asOf: AS_OF });
  assert.equal(noIds.step(), true);
  assert.equal(noIds.summary().missingIdColumn, true);
});

test('the generated sample: every planted code is found on its row, minors by band as labelled', () => {
  const { text, planned } = generateSample(api, 10000, { asOf: AS_OF, seed: 7 });
  assert.equal(generateSample(api, 50, { asOf: AS_OF, seed: 7 }).text, generateSample(api, 50, { asOf: AS_OF, seed: 7 }).text, 'deterministic');
  const audit = new Audit(api, text, { asOf: AS_OF });
  let steps = 0;
  while (!audit.step(1500)) steps += 1;
  assert.ok(steps >= 6, 'chunked');
  const summary = audit.summary();
  assert.equal(summary.rows, 10000);
  assert.deepEqual(summary.counts, Object.fromEntries(Object.entries(planned.counts).map(([field, codes]) => [field, Object.fromEntries(Object.entries(codes).sort((a, b) => b[1] - a[1]))])));
  const { adult, ...minors } = summary.bands;
  assert.ok(adult > 7500);
  assert.deepEqual(Object.fromEntries(Object.entries(minors).sort()), Object.fromEntries(Object.entries(planned.bands).sort()));
  assert.equal(summary.problemRows, planned.problemRows);

  // Row by row: the codes found are the labels of that line.
  const byLine = new Map(audit.problems.map((p) => [p.line, Object.values(p.codes).filter(Boolean).sort()]));
  for (const [line, fields] of records(text).slice(1)) {
    const labels = fields[4].split(' ').filter((l) => l && !l.startsWith('minor:')).sort();
    assert.deepEqual(byLine.get(line) ?? [], labels, `line ${line}`);
  }
});

test('the report and the shown rows are masked, with the messages in the chosen language', () => {
  const { text } = generateSample(api, 3000, { asOf: AS_OF, seed: 11 });
  const ids = new Set(records(text).slice(1).map(([, fields]) => fields[2]).filter(Boolean));
  const audit = new Audit(api, text, { asOf: AS_OF });
  while (!audit.step()) {}
  for (const locale of ['zh-CN', 'en']) {
    const report = audit.reportCsv(locale);
    const rows = records(report);
    assert.equal(rows.length - 1, audit.problems.length);
    for (const [, fields] of rows.slice(1)) {
      assert.ok(!ids.has(fields[3]), 'no full number');
      assert.ok(fields[3] === '' || fields[3].includes('*'));
    }
    const page = audit.problemsPage(locale, 0, 10);
    assert.equal(page.length, 10);
    for (const row of page) for (const issue of row.issues) assert.match(issue.message, locale === 'en' ? /^[\x20-\x7e]+$/ : /[\u4e00-\u9fff]/);
  }
  const examples = audit.examples('en');
  assert.ok(examples.some((e) => e.code === 'id_checksum_mismatch' && /^The check character is wrong/.test(e.message)));
});

test('report cells: quoted when needed, formulas neutralised', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "x"'), '"say ""x"""');
  assert.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvCell('+86 138****5678'), "'+86 138****5678");
  assert.equal(csvCell('张*'), '张*');
});
