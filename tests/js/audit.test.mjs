// The audit page's core (www/audit-core.js) in Node with the built package: reading a file (its encoding, CSV by
// papaparse, in chunks), column detection, the sample generator's labels against the audit's findings, and the masked
// report. The page itself: audit.e2e.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { importPkg, EXAMPLES, repoRoot } from './support.mjs';

// audit-core imports papaparse from www/vendor/, which scripts/build.mjs writes.
if (!existsSync(join(repoRoot, 'www/vendor/papaparse.js'))) throw new Error('www/vendor/papaparse.js is missing: build first with `bash scripts/build.sh`');
const { Audit, CsvRecords, NotUtf8Error, csvCell, decodeBlob, detectColumns, generateSample, resolveKind, sniffEncoding } = await import('../../www/audit-core.js');
const { default: Papa } = await import('../../www/vendor/papaparse.js');

const api = await importPkg();
const AS_OF = '2026-11-28';

/** The records of a CSV text as [line, fields], the text given in parts of `chunk` characters (default: whole). */
function records(text, chunk = Infinity) {
  const reader = new CsvRecords(Papa);
  const out = [];
  const onRecord = (fields, line) => out.push([line, fields]);
  for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk), false, onRecord);
  reader.push('', true, onRecord);
  return out;
}

/** The GBK file of the e2e test, made by `iconv -f UTF-8 -t GB18030` from lines with these names, CRLF. */
const GBK_FIXTURE = join(repoRoot, 'tests/js/fixtures/accounts-gb18030.csv');
const GBK_NAMES = ['测试甲', '测试乙', '测试,丙', '测试丁', '测试戊'];

test('CSV (papaparse): quotes, doubled quotes, line breaks inside quotes, CRLF, blank lines, a missing final newline', () => {
  const text = '\ufeffa,"b,c","say ""hi"""\r\n\r\n"multi\r\nline",x,\r\n"",,""\r\n""\r\nlast';
  const expected = [
    [1, ['a', 'b,c', 'say "hi"']],
    [3, ['multi\r\nline', 'x', '']],
    [5, ['', '', '']],
    [6, ['']],
    [7, ['last']],
  ];
  assert.deepEqual(records(text), expected);
  const lf = (value) => value.replaceAll('\r\n', '\n');
  assert.deepEqual(records(lf(text)), expected.map(([line, fields]) => [line, fields.map(lf)]));
  assert.deepEqual(records(''), []);
  assert.deepEqual(records('\ufeff'), []);
  assert.deepEqual(records('"unterminated,\nstill'), [[1, ['unterminated,\nstill']]]);
});

test('CSV in chunks: the same records and lines whatever the chunk size (records, quotes and CRLF cut anywhere)', () => {
  const { text } = generateSample(api, 300, { asOf: AS_OF, seed: 5 });
  const tricky = text + '"a\r\nb","say ""x""",\r\n\r\n,,\r\n"end"';
  const whole = records(tricky);
  assert.equal(whole.length, 301 + 3);
  for (const chunk of [1, 2, 3, 5, 17, 64, 1000]) assert.deepEqual(records(tricky, chunk), whole, `chunks of ${chunk}`);
});

test('encodings: BOM, UTF-8 by a strict decode, else GB18030; decoded in chunks, characters cut at a chunk edge', async () => {
  const gbk = readFileSync(GBK_FIXTURE);
  const utf8 = Buffer.from(new TextDecoder('gb18030').decode(gbk), 'utf8');
  assert.ok(!gbk.equals(utf8), 'the fixture is not UTF-8');
  assert.deepEqual(sniffEncoding(gbk, { whole: true }), { encoding: 'gb18030', how: 'detected' });
  assert.deepEqual(sniffEncoding(utf8, { whole: true }), { encoding: 'utf-8', how: 'detected' });
  assert.deepEqual(sniffEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])), { encoding: 'utf-8', how: 'bom' });
  assert.deepEqual(sniffEncoding(Buffer.from([0xff, 0xfe, 0x41, 0])), { encoding: 'utf-16le', how: 'bom' });
  // A UTF-8 character cut at the end of a first chunk is not evidence against UTF-8.
  assert.deepEqual(sniffEncoding(utf8.subarray(0, 2)), { encoding: 'utf-8', how: 'detected' });

  const read = async (bytes, choice, chunkBytes) => {
    const found = [];
    let text = '';
    for await (const part of decodeBlob(new Blob([bytes]), choice, { chunkBytes, onEncoding: (e) => found.push(e) })) text += part.text;
    return { text, found };
  };
  for (const chunkBytes of [1, 2, 3, 7, 1 << 20]) {
    if (chunkBytes === 1) {
      // One byte (0xd0) could be the start of a UTF-8 character: the next is not, and the read stops.
      await assert.rejects(read(gbk, 'auto', chunkBytes), NotUtf8Error);
    } else {
      assert.deepEqual((await read(gbk, 'auto', chunkBytes)).found, [{ encoding: 'gb18030', how: 'detected' }]);
    }
    const gb = await read(gbk, 'gb18030', chunkBytes);
    assert.deepEqual(gb.found, [{ encoding: 'gb18030', how: 'chosen' }]);
    assert.deepEqual(records(gb.text).slice(1).map(([, fields]) => fields[0]), GBK_NAMES, `GB18030 in chunks of ${chunkBytes}`);
    const bom = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), 'auto', chunkBytes);
    assert.equal(bom.text, utf8.toString('utf8'), 'the BOM is not text');
    assert.equal((await read(utf8, 'auto', chunkBytes)).text, utf8.toString('utf8'));
  }
  // Read as UTF-8 on the user's word: not the names.
  const wrong = await read(gbk, 'utf-8', 1 << 20);
  assert.ok(wrong.text.includes('\ufffd') && !wrong.text.includes('测试'));
  // Taken for UTF-8 from an ASCII first chunk, then not: the caller reads it again as GB18030.
  await assert.rejects(read(Buffer.concat([Buffer.from('id_number\n'.repeat(10)), gbk]), 'auto', 16), NotUtf8Error);
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
  const audit = Audit.ofText(api, `张三,,${EXAMPLES.valid},13812345678\n李四,,"1101\n05",13812345678\n`, { asOf: AS_OF });
  while (!audit.step(1)) {}
  const summary = audit.summary();
  assert.equal(summary.rows, 2);
  assert.equal(summary.header, false);
  // The split number is checked on its own (checkId), not as two batch lines.
  assert.deepEqual(summary.counts.idNumber, { [api.checkId('1101\n05', { asOf: AS_OF }).issues[0].code]: 1 });
  assert.deepEqual(audit.problems.map((p) => p.line), [2]);

  const noIds = Audit.ofText(api, '姓名,手机号码\n张三,13812345678\n', { asOf: AS_OF });
  assert.equal(noIds.step(), true);
  assert.equal(noIds.summary().missingIdColumn, true);
});

test('the generated sample: every planted code is found on its row, minors by band as labelled', () => {
  const { text, planned } = generateSample(api, 10000, { asOf: AS_OF, seed: 7 });
  assert.equal(generateSample(api, 50, { asOf: AS_OF, seed: 7 }).text, generateSample(api, 50, { asOf: AS_OF, seed: 7 }).text, 'deterministic');
  const audit = Audit.ofText(api, text, { asOf: AS_OF });
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
  const audit = Audit.ofText(api, text, { asOf: AS_OF });
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
