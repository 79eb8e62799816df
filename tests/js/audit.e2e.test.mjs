// End to end: the bulk account audit page (www/audit.html, issue 7) in Debian's chromium through playwright-core,
// served by the Rust server (static files only, --no-api) under its strict Content-Security-Policy. The audit runs in a module
// worker that imports /pkg/shiming.js. Any console error or warning (of the page or the worker), page error, failed
// request or HTTP error fails the test, and no full document number may appear in the page, the console or the report.
//
// SHIMING_PKG points the server at another build of the package (default: <repo>/pkg).
// SHIMING_AUDIT_FULL=1 makes the million-row run a full generated sample (names and phones too, ~10 s more) instead
// of a column of document numbers.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { startRustServer } from './server.mjs';
import { CsvRecords, generateSample } from '../../www/audit-core.js';
import Papa from '../../www/vendor/papaparse.js';
import { assertPkgBuilt, launchChromium, watchPage, repoRoot, pkgDir as defaultPkgDir, withCheck, EXAMPLES } from './support.mjs';

const pkgDir = process.env.SHIMING_PKG ? resolve(process.env.SHIMING_PKG) : defaultPkgDir;
if (!process.env.SHIMING_PKG) assertPkgBuilt();

/** A full document number (18 characters, or 15 digits): never to be seen unmasked. */
const FULL_ID = /\d{17}[\dX]|(?<!\d)\d{15}(?!\d)/;

function readCsv(text) {
  const records = [];
  new CsvRecords(Papa).push(text, true, (fields, line) => records.push({ line, fields }));
  return records;
}

let server;
let browser;
let page;
let watch;
let base;
let workDir;
const workerConsole = [];

before(async () => {
  server = await startRustServer({
    args: ['--no-api'],
    mounts: [
      { prefix: '/pkg/', dir: pkgDir },
      { prefix: '/', dir: join(repoRoot, 'www') },
    ],
  });
  base = server.base;
  workDir = mkdtempSync(join(tmpdir(), 'shiming-audit-'));
  browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  watch = watchPage(page);
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      workerConsole.push(message.text());
      if (['error', 'warning', 'assert'].includes(message.type())) watch.problems.push(`worker console.${message.type()}: ${message.text()}`);
    });
  });
  await page.goto(`${base}/audit.html`);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const status = () => page.getByTestId('status');
const value = async (testid) => Number(await page.getByTestId(testid).getAttribute('data-value'));

/** Records every value the progress bar takes (a MutationObserver on its `value` attribute). */
async function recordProgress() {
  await page.evaluate(() => {
    const bar = document.getElementById('progress');
    window.__progress = [];
    window.__progressObserver?.disconnect();
    window.__progressObserver = new MutationObserver(() => window.__progress.push(bar.value));
    window.__progressObserver.observe(bar, { attributes: true, attributeFilter: ['value'] });
  });
}

async function runAudit({ timeout = 60000 } = {}) {
  await page.getByTestId('start').click();
  await page.waitForSelector('[data-testid="status"][data-state="done"], [data-testid="status"][data-state="error"]', { timeout });
  assert.equal(await status().getAttribute('data-state'), 'done', await status().textContent());
  assert.equal(await page.getByTestId('results').getAttribute('data-state'), 'complete');
}

async function download(testid) {
  await page.waitForSelector(`[data-testid="${testid}"][href]`, { timeout: 60000 });
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = join(workDir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** The codes shown for each problem row, by CSV line: { line: ['field code', ...] }. */
async function problemCodes() {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-testid="problems"] tbody tr[data-line]')].map((tr) => [
        tr.dataset.line,
        [...tr.querySelectorAll('li[data-code]')].map((li) => li.dataset.code),
      ]),
    ),
  );
}

describe('the audit page', () => {
  test('loads in Chinese with labelled, keyboard-reachable controls and a live status', async () => {
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await page.getByLabel('选择 CSV 文件，或把文件拖到这里').waitFor();
    await page.getByLabel('或生成测试样本（行数）').waitFor();
    await page.getByRole('progressbar', { name: '进度' }).waitFor();
    assert.equal(await status().getAttribute('aria-live'), 'polite');
    assert.equal(await page.getByTestId('start').isDisabled(), true, 'nothing to audit yet');
    // Tab reaches the sample size field and the generate button.
    await page.getByTestId('sample-rows').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'generate');
    watch.assertClean(assert);
  });

  test('a generated 100,000-row sample: progress, counts per code as planted, minors by band, masked table and report', async () => {
    await page.getByTestId('sample-rows').fill('100000');
    await page.getByTestId('generate').click();
    await page.waitForSelector('[data-testid="sample-download"]:not([hidden])', { timeout: 60000 });

    // The generator's labels: the last column of the sample names the code each planted error must get.
    const sample = await download('sample-download');
    const records = readCsv(sample.text);
    assert.deepEqual(records[0].fields.slice(0, 4), ['姓名', '证件类型', '证件号码', '手机号码']);
    const expected = new Map();
    const expectedBands = new Map();
    const sampleIds = new Set();
    let plantedRows = 0;
    for (const { fields } of records.slice(1)) {
      if (fields[2]) sampleIds.add(fields[2]);
      const labels = fields[4].split(' ').filter(Boolean);
      if (labels.some((l) => !l.startsWith('minor:'))) plantedRows += 1;
      for (const label of labels) {
        const target = label.startsWith('minor:') ? expectedBands : expected;
        const key = label.startsWith('minor:') ? label.slice(6) : label;
        target.set(key, (target.get(key) ?? 0) + 1);
      }
    }
    assert.equal(records.length - 1, 100000);
    assert.ok(expected.size >= 8, 'the sample plants several kinds of error');

    await recordProgress();
    const started = Date.now();
    await runAudit();
    const seen = await page.evaluate(() => window.__progress);
    const intermediate = new Set(seen.filter((v) => v > 0 && v < 1));
    assert.ok(intermediate.size >= 2, `the progress bar moved through intermediate values: ${JSON.stringify(seen)}`);
    assert.equal(seen.at(-1), 1);

    assert.equal(await value('stat-rows'), 100000);
    assert.equal(await value('stat-problem-rows'), plantedRows);
    const shown = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-testid="codes"] tr[data-code]')].map((tr) => [tr.dataset.code, Number(tr.querySelector('[data-value]').dataset.value)])),
    );
    assert.deepEqual(shown, Object.fromEntries(expected), 'every code counted as the generator planted it');
    const bands = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-testid="minors"] tr[data-band]')].map((tr) => [tr.dataset.band, Number(tr.querySelector('[data-value]').dataset.value)])),
    );
    assert.deepEqual(bands, Object.fromEntries(expectedBands), 'minors by age band as generated');
    assert.ok(Object.keys(bands).length >= 4, 'minors in several bands');
    assert.equal(await value('stat-minors'), [...expectedBands.values()].reduce((a, b) => a + b, 0));

    // Every code's row carries the module's message (zh-CN).
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="codes"] td.message')].some((td) => td.textContent === '…'));
    const checksumMessage = await page.locator('[data-testid="codes"] tr[data-code="id_checksum_mismatch"] td.message').textContent();
    assert.match(checksumMessage, /^身份证号码校验码错误：第 18 位应为 [0-9X]$/);

    // The problem table: masked values only; no full number of the sample anywhere in the page.
    await page.waitForSelector('[data-testid="problems"] tbody tr[data-line]');
    const masked = await page.$$eval('[data-testid="problems"] td.masked', (tds) => tds.map((td) => td.textContent));
    assert.ok(masked.length > 25, 'names, numbers and phones shown');
    for (const cell of masked) assert.ok(cell.includes('*'), 'every shown value is masked');
    const pageText = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(pageText, FULL_ID);
    for (const token of pageText.split(/[\s,，、：:]+/)) assert.ok(!sampleIds.has(token), 'no full number of the sample in the page');
    // The next page of problems.
    await page.getByTestId('next').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="problems"] tbody tr[data-line]') && Number(document.querySelector('[data-testid="problems"] tbody tr[data-line]').dataset.line) > 0 && document.querySelector('[data-testid="page-text"]').textContent.startsWith('第 26'));

    // The report: one line per problem row, masked values, codes and messages.
    const report = await download('report');
    assert.match(report.name, /^shiming-audit-report-\d{4}-\d{2}-\d{2}-zh-CN\.csv$/);
    assert.equal(report.text.charCodeAt(0), 0xfeff, 'BOM for spreadsheets');
    const reportRecords = readCsv(report.text);
    assert.deepEqual(reportRecords[0].fields, ['行号', '姓名（脱敏）', '证件类型', '证件号码（脱敏）', '手机号码（脱敏）', '问题代码', '问题说明']);
    assert.equal(reportRecords.length - 1, plantedRows);
    assert.doesNotMatch(report.text, FULL_ID);
    const reportCounts = new Map();
    for (const { fields } of reportRecords.slice(1)) {
      const [line, name, , id, phone, codes, messages] = fields;
      assert.ok(Number(line) >= 2);
      assert.ok(id === '' || id.includes('*'), 'masked number');
      assert.ok(name === '' || name.includes('*'), 'masked name');
      assert.ok(phone === '' || phone.includes('*'), 'masked phone');
      assert.ok(codes.length > 0 && messages.length > 0);
      for (const code of new Set(codes.split(' '))) reportCounts.set(code, (reportCounts.get(code) ?? 0) + 1);
    }
    for (const [code, count] of expected) assert.ok((reportCounts.get(code) ?? 0) >= count, `${code} in the report`);

    const ms = (testid) => page.getByTestId(testid).getAttribute('data-ms');
    console.log(
      `audit of 100,000 generated rows: ID batch ${await ms('perf-id-batch')} ms, parse ${await ms('perf-parse')} ms, ` +
        `names ${await ms('perf-name')} ms, phones ${await ms('perf-phone')} ms, age bands ${await ms('perf-age')} ms, ` +
        `compute ${await ms('perf-compute')} ms (test wall ${Date.now() - started} ms)`,
    );
    for (const text of [...watch.consoleTexts, ...workerConsole]) assert.doesNotMatch(text, FULL_ID);
    watch.assertClean(assert);
  });

  test('a chosen CSV file (BOM, header, quotes, CRLF) gets the right codes per row', async () => {
    const rows = [
      '姓名,证件类型,证件号码,手机号码',
      `张三,居民身份证,${EXAMPLES.valid},13812345678`,
      `"王,五",,${EXAMPLES.valid2},13912345678`,
      `李四,cn_resident,"${EXAMPLES.badChecksum}",13712345678`,
      '',
      `赵六,香港身份证,${EXAMPLES.valid2},+852 5123 4567`,
      `"钱""七",居民身份证,${EXAMPLES.valid},1381234567`,
      `孙八,驾驶证,${EXAMPLES.valid},13812345678`,
      `周九,,"",12812345678`,
      `吴十,,${EXAMPLES.legacy},13812345678`,
    ];
    const content = '\ufeff' + rows.join('\r\n') + '\r\n';
    // Dropped on the drop zone: chosen.
    const dataTransfer = await page.evaluateHandle((csv) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([csv], '拖入.csv', { type: 'text/csv' }));
      return transfer;
    }, content);
    await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
    assert.match(await page.getByTestId('selected-text').textContent(), /^当前数据：文件“拖入\.csv”/);
    // Chosen with the file input: the same content.
    const path = join(workDir, '用户.csv');
    writeFileSync(path, content);
    await page.getByTestId('file-input').setInputFiles(path);
    assert.match(await page.getByTestId('selected-text').textContent(), /^当前数据：文件“用户\.csv”/);
    await page.waitForSelector('[data-testid="start"]:not([disabled])');
    await runAudit();
    assert.equal(await value('stat-rows'), 8);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="problems"] tbody tr[data-line]').length === 6);
    assert.deepEqual(await problemCodes(), {
      3: ['name_invalid_character'],
      4: ['id_checksum_mismatch'],
      6: ['id_kind_not_allowed'],
      7: ['name_invalid_character', 'phone_invalid_length'],
      8: ['id_kind_invalid'],
      9: ['id_empty', 'phone_invalid_prefix'],
    });
    assert.equal(await page.getByTestId('stat-columns').textContent(), '姓名、证件类型、证件号码、手机号码（有表头）');
    // The legacy number is valid (an adult); the masked checksum row shows its masked number only.
    assert.equal(await value('stat-id-valid'), 5);
    assert.equal(await page.locator('tr[data-line="4"] td.masked').nth(1).textContent(), '1101**********4478');
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(EXAMPLES.badChecksum));
    watch.assertClean(assert);
  });

  test('switching the language changes the messages', async () => {
    const message = () => page.locator('[data-testid="codes"] tr[data-code="id_checksum_mismatch"] td.message');
    await page.waitForFunction(() => document.querySelector('[data-testid="codes"] tr[data-code="id_checksum_mismatch"] td.message')?.textContent !== '…');
    assert.equal(await message().textContent(), '身份证号码校验码错误：第 18 位应为 7');
    await page.getByText('English', { exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="codes"] tr[data-code="id_checksum_mismatch"] td.message')?.textContent.startsWith('The check character'));
    assert.equal(await message().textContent(), 'The check character is wrong: character 18 should be 7');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await status().textContent(), 'Audit complete: 8 rows, 6 with problems.');
    await page.waitForFunction(() => document.querySelector('tr[data-line="8"] li[data-code="id_kind_invalid"] .message')?.textContent === 'The document type is not valid; choose it again');
    const report = await download('report');
    assert.match(report.name, /-en\.csv$/);
    assert.match(report.text, /The check character is wrong: character 18 should be 7/);
    await page.getByText('中文', { exact: true }).click();
    await page.waitForFunction(() => document.querySelector('tr[data-line="8"] li[data-code="id_kind_invalid"] .message')?.textContent === '证件类型无效，请重新选择');
    watch.assertClean(assert);
  });

  test('a GBK file made by iconv: read as GB18030 (detected), the names right; UTF-8 chosen: another reading', async () => {
    const api = await import(pathToFileURL(join(pkgDir, 'node.js')).href);
    // tests/js/fixtures/accounts-gb18030.csv: `iconv -f UTF-8 -t GB18030` of a CSV (CRLF) with a header and five rows
    // of made-up names (测试甲 … 测试戊) and generateTestId numbers.
    await page.getByTestId('file-input').setInputFiles(join(repoRoot, 'tests/js/fixtures/accounts-gb18030.csv'));
    assert.equal(await page.getByTestId('encoding').inputValue(), 'auto');
    await page.waitForSelector('[data-testid="start"]:not([disabled])');
    await runAudit();
    const used = page.getByTestId('encoding-used');
    assert.equal(await used.getAttribute('data-encoding'), 'gb18030');
    assert.equal(await used.textContent(), '编码：GB18030（自动识别）');
    assert.equal(await value('stat-rows'), 5);
    assert.equal(await page.getByTestId('stat-columns').textContent(), '姓名、证件类型、证件号码、手机号码（有表头）');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="problems"] tbody tr[data-line]').length === 4);
    assert.deepEqual(await problemCodes(), {
      3: ['phone_invalid_length'],
      4: ['name_invalid_character'],
      5: ['id_checksum_mismatch'],
      6: ['id_kind_invalid'],
    });
    const nameCell = (line) => page.locator(`[data-testid="problems"] tr[data-line="${line}"] td`).nth(1).textContent();
    assert.equal(await nameCell(3), api.maskName('测试乙'));
    assert.equal(await nameCell(6), api.maskName('测试戊'));
    await page.getByText('English', { exact: true }).click();
    assert.equal(await used.textContent(), 'Encoding: GB18030 (detected)');
    await page.getByText('中文', { exact: true }).click();

    // The user says UTF-8: the file is read again, and the bytes are not the names (nor the header).
    await page.getByTestId('encoding').selectOption('utf-8');
    await page.waitForSelector('[data-testid="encoding-used"][data-encoding="utf-8"]');
    await page.waitForSelector('[data-testid="status"][data-state="done"]');
    assert.equal(await used.textContent(), '编码：UTF-8（手动选择）');
    assert.equal(await value('stat-rows'), 6, 'the header is not recognised: a row');
    assert.equal(await page.getByTestId('stat-columns').textContent(), '姓名、证件类型、证件号码、手机号码（无表头，按位置）');
    await page.waitForSelector('[data-testid="problems"] tbody tr[data-line="3"]');
    assert.notEqual(await nameCell(3), api.maskName('测试乙'));
    // And back to GB18030 by hand.
    await page.getByTestId('encoding').selectOption('gb18030');
    await page.waitForSelector('[data-testid="encoding-used"][data-encoding="gb18030"][data-how="chosen"]');
    await page.waitForSelector('[data-testid="status"][data-state="done"]');
    assert.equal(await value('stat-rows'), 5);
    watch.assertClean(assert);
  });

  test('UTF-8 files, with and without a BOM: detected, the names right', async () => {
    const api = await import(pathToFileURL(join(pkgDir, 'node.js')).href);
    const text = new TextDecoder('gb18030').decode(readFileSync(join(repoRoot, 'tests/js/fixtures/accounts-gb18030.csv')));
    for (const [file, bytes, how, shown] of [
      ['有BOM.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'bom', '编码：UTF-8（自动识别，带 BOM）'],
      ['无BOM.csv', Buffer.from(text), 'detected', '编码：UTF-8（自动识别）'],
    ]) {
      const path = join(workDir, file);
      writeFileSync(path, bytes);
      await page.getByTestId('file-input').setInputFiles(path);
      await page.waitForSelector('[data-testid="start"]:not([disabled])');
      await runAudit();
      const used = page.getByTestId('encoding-used');
      assert.equal(await used.getAttribute('data-encoding'), 'utf-8');
      assert.equal(await used.getAttribute('data-how'), how);
      assert.equal(await used.textContent(), shown);
      assert.equal(await value('stat-rows'), 5);
      await page.waitForSelector('[data-testid="problems"] tbody tr[data-line="3"]');
      assert.equal(await page.locator('[data-testid="problems"] tr[data-line="3"] td').nth(1).textContent(), api.maskName('测试乙'));
    }
    watch.assertClean(assert);
  });

  test('1,000,000 document numbers: the compute time (printed, not asserted)', { timeout: 300000 }, async () => {
    const api = await import(pathToFileURL(join(pkgDir, 'node.js')).href);
    const path = join(workDir, 'million.csv');
    const full = process.env.SHIMING_AUDIT_FULL === '1';
    if (full) {
      writeFileSync(path, generateSample(api, 1_000_000).text);
    } else {
      // One column of made-up numbers: 1,000 generated test numbers, each with 1,000 order codes.
      const bases = Array.from({ length: 1000 }, (_, i) => api.generateTestId({ seed: 7000 + i }));
      const lines = ['证件号码'];
      for (let i = 0; i < 1_000_000; i += 1) {
        const baseId = bases[i % 1000];
        lines.push(withCheck(baseId.slice(0, 14) + String(Math.floor(i / 1000)).padStart(3, '0')));
      }
      writeFileSync(path, lines.join('\n') + '\n');
    }
    await page.getByTestId('file-input').setInputFiles(path);
    await page.waitForSelector('[data-testid="start"]:not([disabled])');
    await runAudit({ timeout: 240000 });
    assert.equal(await value('stat-rows'), 1_000_000);
    const ms = async (testid) => Number(await page.getByTestId(testid).getAttribute('data-ms'));
    const figures = {
      idBatchMs: await ms('perf-id-batch'),
      rowsPerSecond: await value('perf-rate'),
      parseMs: await ms('perf-parse'),
      ageMs: await ms('perf-age'),
      ...(full ? { nameMs: await ms('perf-name'), phoneMs: await ms('perf-phone') } : {}),
      computeMs: await ms('perf-compute'),
      wallMs: await ms('perf-wall'),
    };
    console.log(`audit of 1,000,000 ${full ? 'generated records' : 'document numbers'} in chromium: ${JSON.stringify(figures)}`);
    assert.ok(figures.idBatchMs > 0);
    watch.assertClean(assert);
  });

  test('cancelling a large audit stops it: the page says so and shows no result', { timeout: 120000 }, async () => {
    // The million-row file of the previous test is still chosen.
    // The cancel is pressed from inside the page the moment the first progress shows: a click sent by the test after
    // it sees the progress can arrive after a million rows are done on a fast (or a busy) machine.
    await page.evaluate(() => {
      const bar = document.getElementById('progress');
      window.__progressObserver?.disconnect();
      window.__progressObserver = new MutationObserver(() => {
        if (bar.value > 0) {
          window.__progressObserver.disconnect();
          document.querySelector('[data-testid="cancel"]').click();
        }
      });
      window.__progressObserver.observe(bar, { attributes: true, attributeFilter: ['value'] });
    });
    await page.getByTestId('start').click();
    await page.waitForSelector('[data-testid="status"][data-state="cancelled"], [data-testid="status"][data-state="done"]');
    assert.equal(await status().getAttribute('data-state'), 'cancelled');
    assert.match(await status().textContent(), /^已取消审计（已处理 [\d,]+ 行）。结果不完整，未予显示。$/);
    assert.equal(await page.getByTestId('results').isHidden(), true);
    assert.equal(await page.getByTestId('results').getAttribute('data-state'), 'cancelled');
    assert.equal(await page.getByTestId('cancel').isDisabled(), true);
    assert.equal(await page.getByTestId('start').isDisabled(), false, 'a new audit can start');
    watch.assertClean(assert);
  });
});
