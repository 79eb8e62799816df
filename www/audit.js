// The bulk account audit page (issue 7): the page thread only shows things. Reading the file, generating samples
// and every check run in a module worker (audit-worker.js, which imports /pkg/shiming.js and calls `await init()`),
// so the page stays responsive during a million-row audit and can cancel it.
//
// Privacy: this thread never reads the file's content. It hands the File to the worker and gets back counts, codes,
// the module's messages and masked values (maskId / maskName / maskPhone). Nothing is logged or sent anywhere.

import { el, applyPageLocale } from './site.js';
import { AGE_BANDS } from './kinds.js';
import { bandLabels, kindLabels } from './labels.js';

const STRINGS = {
  'zh-CN': {
    pageTitle: '账户实名信息批量审计 · shiming',
    skip: '跳到数据选择',
    title: '账户实名信息批量审计',
    lede: '定期审计用户账户的实名信息：证件号码、姓名和手机号码逐行校验。所有处理都在本机浏览器的 WebAssembly 中完成，文件不会上传。',
    language: '语言',
    inputTitle: '选择数据',
    fileLabel: '选择 CSV 文件，或把文件拖到这里',
    fileHint: '每行一个用户：姓名、证件类型、证件号码、手机号码（逗号分隔，可有表头行；字段可加双引号）。编码自动识别：UTF-8（带或不带 BOM）或 GB18030/GBK（中文版 Excel 默认保存的 CSV）。证件类型可留空（自动识别），或填写如“居民身份证”“香港身份证”“cn_resident”。',
    encodingLabel: '文件编码',
    encodingAuto: '自动识别',
    encodingUsed: (name, how) => `编码：${name}（${how}）`,
    encodingHow: { detected: '自动识别', bom: '自动识别，带 BOM', chosen: '手动选择' },
    sampleLabel: '或生成测试样本（行数）',
    generate: '生成样本',
    sampleHint: '样本全部为虚构数据：证件号码由 generateTestId 生成（测试号码，不属于任何真实人员），姓名与手机号码随机组合。其中一部分行带有预先标注的错误，另有一部分为未成年人。',
    sampleDownload: '下载样本 CSV',
    runTitle: '审计',
    start: '开始审计',
    cancel: '取消',
    progressLabel: '进度',
    loading: '正在加载 WebAssembly 模块…',
    loadFailed: '无法加载校验模块，请刷新页面重试。',
    ready: '请选择 CSV 文件或生成测试样本，然后开始审计。',
    generating: (n) => `正在生成 ${n} 行测试样本…`,
    generated: (n, problems, ms) => `已生成 ${n} 行测试样本（其中 ${problems} 行带有标注的错误，用时 ${ms} 毫秒）。可以开始审计。`,
    selectedSample: (n) => `当前数据：生成的测试样本，${n} 行。`,
    selectedFile: (name, size) => `当前数据：文件“${name}”（${size}）。`,
    fileSelected: '已选择文件，可以开始审计。',
    notCsv: '请选择 CSV 文件。',
    running: '正在审计…',
    progressRows: (n) => `已处理 ${n} 行`,
    done: (rows, problems) => `审计完成：共 ${rows} 行，其中 ${problems} 行有问题。`,
    cancelled: (rows) => `已取消审计（已处理 ${rows} 行）。结果不完整，未予显示。`,
    failed: '审计失败：',
    reasons: {
      no_input: '没有可审计的数据',
      no_id_column: '表头中没有证件号码列（如“证件号码”或“id_number”）',
      read: '无法读取文件',
    },
    resultsTitle: '审计结果',
    stats: {
      rows: '总行数',
      problemRows: '有问题的行',
      idValid: '证件号码有效',
      idInvalid: '证件号码无效',
      minors: '未成年人',
      underFourteen: '其中未满 14 周岁',
      asOf: '审计日期（北京时间）',
      columns: '已识别的列',
    },
    columnNames: { name: '姓名', idKind: '证件类型', idNumber: '证件号码', phone: '手机号码' },
    headerYes: '（有表头）',
    headerNo: '（无表头，按位置）',
    perfTitle: '耗时（本机计算）',
    perf: {
      idBatch: '证件号码批量校验',
      rate: (n) => `${n} 行/秒`,
      parse: '解析 CSV',
      name: '姓名校验',
      phone: '手机号码校验',
      age: '年龄段',
      compute: '计算合计',
      wall: '总耗时（含读取文件）',
    },
    ms: (n) => `${n} 毫秒`,
    codesTitle: '问题统计（按代码）',
    colField: '字段',
    colCode: '代码',
    colCount: '行数',
    colExample: '说明（示例）',
    codesHint: '每行按各字段的第一个问题计数。说明来自校验模块，可能带有示例行的参数（如应有的校验码）。',
    noProblems: '没有发现问题。',
    fields: { idKind: '证件类型', idNumber: '证件号码', name: '姓名', phone: '手机号码' },
    minorsTitle: '未成年人（按年龄段）',
    colBand: '年龄段',
    colGuardian: '需监护人同意',
    yes: '是',
    no: '否',
    noMinors: '有效证件号码中没有未成年人。',
    minorsHint: (asOf, dates) => `年龄按 ${asOf}（北京时间）计算，依据 shiming 的 ageBand；${dates} 个不同出生日期。无出生日期的证件（如香港身份证）不计入。`,
    bands: bandLabels('zh-CN'),
    problemsTitle: '问题行（已脱敏）',
    colLine: '行号',
    colName: '姓名',
    colKind: '证件类型',
    colId: '证件号码',
    colPhone: '手机号码',
    colIssues: '问题',
    invalidKind: '（无法识别）',
    autoKind: '自动识别',
    empty: '（空）',
    prev: '上一页',
    next: '下一页',
    pageText: (from, to, total) => `第 ${from}–${to} 行，共 ${total} 行`,
    reportPending: '正在准备报告…',
    reportReady: (n) => `下载报告（CSV，${n} 行）`,
    reportHint: '报告为 CSV 文件（UTF-8），每个问题行一行：行号、脱敏后的姓名、证件号码和手机号码、问题代码与说明。',
    backLink: '单个号码校验',
    footer: '证件号码按 GB 11643-1999 与各证件的公开规则校验，姓名与手机号码按 shiming 的规则校验。页面只显示脱敏后的信息，不记录、不上传任何个人信息。',
    kinds: { ...kindLabels('zh-CN'), cn_resident_legacy: '第一代居民身份证' },
  },
  en: {
    pageTitle: 'Bulk account audit · shiming',
    skip: 'Skip to the data',
    title: 'Bulk account audit',
    lede: "Audit your users' real-name records periodically: every ID number, name and mobile number is checked. Everything runs in WebAssembly in this browser; the file is never uploaded.",
    language: 'Language',
    inputTitle: 'Choose the data',
    fileLabel: 'Choose a CSV file, or drop it here',
    fileHint: 'One user per line: name, document kind, document number, phone (comma-separated, header row optional; fields may be quoted). The encoding is detected: UTF-8 (with or without BOM) or GB18030/GBK (what Excel in Chinese saves as CSV). The kind may be empty (detected) or e.g. "居民身份证", "Hong Kong identity card", "cn_resident".',
    encodingLabel: 'File encoding',
    encodingAuto: 'Detect',
    encodingUsed: (name, how) => `Encoding: ${name} (${how})`,
    encodingHow: { detected: 'detected', bom: 'detected, with BOM', chosen: 'chosen' },
    sampleLabel: 'Or generate a test sample (rows)',
    generate: 'Generate',
    sampleHint: 'The sample is made up: document numbers come from generateTestId (test numbers of no real person), names and phones are random. Some rows carry labelled errors, and some are minors.',
    sampleDownload: 'Download the sample CSV',
    runTitle: 'Audit',
    start: 'Start the audit',
    cancel: 'Cancel',
    progressLabel: 'Progress',
    loading: 'Loading the WebAssembly module…',
    loadFailed: 'The checking module could not be loaded. Reload the page to try again.',
    ready: 'Choose a CSV file or generate a test sample, then start the audit.',
    generating: (n) => `Generating a test sample of ${n} rows…`,
    generated: (n, problems, ms) => `Generated a test sample of ${n} rows (${problems} with labelled errors) in ${ms} ms. Ready to audit.`,
    selectedSample: (n) => `Data: the generated test sample, ${n} rows.`,
    selectedFile: (name, size) => `Data: the file “${name}” (${size}).`,
    fileSelected: 'File chosen: ready to audit.',
    notCsv: 'Choose a CSV file.',
    running: 'Auditing…',
    progressRows: (n) => `${n} rows done`,
    done: (rows, problems) => `Audit complete: ${rows} rows, ${problems} with problems.`,
    cancelled: (rows) => `Audit cancelled after ${rows} rows. The results are incomplete and are not shown.`,
    failed: 'The audit failed: ',
    reasons: {
      no_input: 'there is no data to audit',
      no_id_column: 'the header names no document-number column (such as "证件号码" or "id_number")',
      read: 'the file could not be read',
    },
    resultsTitle: 'Results',
    stats: {
      rows: 'Rows',
      problemRows: 'Rows with problems',
      idValid: 'Valid document numbers',
      idInvalid: 'Invalid document numbers',
      minors: 'Minors',
      underFourteen: 'of whom under 14',
      asOf: 'Audit date (Beijing time)',
      columns: 'Columns found',
    },
    columnNames: { name: 'name', idKind: 'document kind', idNumber: 'document number', phone: 'phone' },
    headerYes: ' (header row)',
    headerNo: ' (no header: by position)',
    perfTitle: 'Time (computed on this device)',
    perf: {
      idBatch: 'Document numbers (batch check)',
      rate: (n) => `${n} rows/s`,
      parse: 'CSV parsing',
      name: 'Name checks',
      phone: 'Phone checks',
      age: 'Age bands',
      compute: 'Compute, total',
      wall: 'Wall time (with reading the file)',
    },
    ms: (n) => `${n} ms`,
    codesTitle: 'Problems by code',
    colField: 'Field',
    colCode: 'Code',
    colCount: 'Rows',
    colExample: 'Message (example)',
    codesHint: "Each row counts once per field, by the field's first problem. Messages come from the checking module and may carry the example row's parameters (such as the expected check character).",
    noProblems: 'No problems found.',
    fields: { idKind: 'Document kind', idNumber: 'Document number', name: 'Name', phone: 'Phone' },
    minorsTitle: 'Minors by age band',
    colBand: 'Age band',
    colGuardian: 'Guardian consent needed',
    yes: 'Yes',
    no: 'No',
    noMinors: 'No minors among the valid document numbers.',
    minorsHint: (asOf, dates) => `Ages as of ${asOf} (Beijing time), by shiming's ageBand; ${dates} distinct birth dates. Documents without a birth date (such as Hong Kong identity cards) are not counted.`,
    bands: bandLabels('en'),
    problemsTitle: 'Rows with problems (masked)',
    colLine: 'Line',
    colName: 'Name',
    colKind: 'Document kind',
    colId: 'Document number',
    colPhone: 'Phone',
    colIssues: 'Problems',
    invalidKind: '(not recognised)',
    autoKind: 'Detected',
    empty: '(empty)',
    prev: 'Previous',
    next: 'Next',
    pageText: (from, to, total) => `Rows ${from}–${to} of ${total}`,
    reportPending: 'Preparing the report…',
    reportReady: (n) => `Download the report (CSV, ${n} rows)`,
    reportHint: 'The report is a CSV file (UTF-8) with one line per row with problems: the line, the masked name, document number and phone, the issue codes and messages.',
    backLink: 'Check one number',
    footer: "Document numbers are checked by GB 11643-1999 and each document's published rules, names and mobile numbers by shiming's rules. The page shows masked values only and neither records nor uploads any personal data.",
    kinds: { ...kindLabels('en'), cn_resident_legacy: 'First-generation resident ID' },
  },
};

const BAND_ORDER = AGE_BANDS.filter((band) => band !== 'adult'); // the minor bands, youngest first
const PAGE_SIZE = 25;

const $ = (id) => document.getElementById(id);
const ui = {
  file: $('file'),
  drop: $('drop'),
  encoding: $('encoding'),
  encodingUsed: $('encoding-used'),
  generateForm: $('generate-form'),
  sampleRows: $('sample-rows'),
  generate: $('generate'),
  selected: $('selected'),
  selectedText: $('selected-text'),
  sampleDownload: $('sample-download'),
  start: $('start'),
  cancel: $('cancel'),
  progress: $('progress'),
  progressText: $('progress-text'),
  status: $('status'),
  results: $('results'),
  stats: $('stats'),
  perf: $('perf'),
  codes: $('codes').tBodies[0],
  minors: $('minors').tBodies[0],
  minorsHint: $('minors-hint'),
  problems: $('problems').tBodies[0],
  prev: $('prev'),
  next: $('next'),
  pageText: $('page-text'),
  report: $('report'),
};

const state = {
  locale: 'zh-CN',
  ready: false,
  busy: false, // generating or auditing
  input: null, // { kind: 'file', file } | { kind: 'sample', rows }
  encoding: null, // { encoding, how } with which the worker reads the input (its 'encoding' message)
  audited: false, // an audit of this input has started (then a new encoding choice reads it again)
  runId: 0,
  running: false,
  summary: null, // of the finished audit shown
  examples: null,
  page: null, // { start, total, rows }
  pageStart: 0,
  reportId: 0,
  reportUrl: null,
  sampleUrl: null,
  statusKey: null, // [key, ...args] of the status message, re-rendered on a language switch
  progressRows: 0,
};

const t = () => STRINGS[state.locale];
const fmt = (n) => new Intl.NumberFormat(state.locale).format(n);
const fmtMs = (ms) => new Intl.NumberFormat(state.locale, { maximumFractionDigits: ms < 10 ? 1 : 0 }).format(ms);

// ---------------------------------------------------------------------------------------------------------------
// Status line (aria-live) and controls.

function setStatus(kind, key, ...args) {
  state.statusKey = [kind, key, ...args];
  renderStatus();
}

function renderStatus() {
  if (!state.statusKey) return;
  const [kind, key, ...args] = state.statusKey;
  const value = t()[key];
  let text = typeof value === 'function' ? value(...args.map((a) => (typeof a === 'number' ? fmt(a) : a))) : value;
  if (key === 'failed') text = t().failed + (t().reasons[args[0]] ?? args[0]);
  ui.status.textContent = text;
  ui.status.dataset.state = kind;
}

function updateControls() {
  const idle = state.ready && !state.busy;
  ui.file.disabled = !idle;
  ui.encoding.disabled = !idle;
  ui.sampleRows.disabled = !idle;
  ui.generate.disabled = !idle;
  ui.start.disabled = !idle || state.input === null;
  ui.cancel.disabled = !state.running;
  ui.drop.classList.toggle('disabled', !idle);
}

function renderSelected() {
  const input = state.input;
  ui.selected.hidden = input === null;
  if (!input) return;
  ui.selectedText.textContent =
    input.kind === 'file' ? t().selectedFile(input.file.name, formatSize(input.file.size)) : t().selectedSample(fmt(input.rows));
  ui.sampleDownload.hidden = input.kind !== 'sample' || !state.sampleUrl;
  renderEncoding();
}

const ENCODING_NAMES = { 'utf-8': 'UTF-8', gb18030: 'GB18030', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE' };

function renderEncoding() {
  const used = state.encoding;
  ui.encodingUsed.hidden = used === null;
  if (!used) return;
  ui.encodingUsed.dataset.encoding = used.encoding;
  ui.encodingUsed.dataset.how = used.how;
  ui.encodingUsed.textContent = t().encodingUsed(ENCODING_NAMES[used.encoding] ?? used.encoding, t().encodingHow[used.how]);
}

/** A new input is read with the detected encoding until the user chooses one. */
function newInput(input) {
  state.input = input;
  state.encoding = null;
  state.audited = false;
  ui.encoding.value = 'auto';
}

function formatSize(bytes) {
  const units = state.locale === 'en' ? ['bytes', 'KB', 'MB', 'GB'] : ['字节', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(state.locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The worker.

const worker = new Worker(new URL('./audit-worker.js', import.meta.url), { type: 'module' });

worker.addEventListener('error', (event) => {
  // A load failure of the worker script itself (the message is the browser's, about the script, not about data).
  event.preventDefault();
  state.ready = false;
  state.busy = false;
  state.running = false;
  setStatus('error', 'loadFailed');
  updateControls();
});

worker.addEventListener('message', (event) => {
  const message = event.data;
  switch (message.type) {
    case 'ready':
      state.ready = true;
      setStatus('idle', 'ready');
      updateControls();
      document.body.dataset.ready = 'true';
      break;
    case 'generated':
      state.busy = false;
      if (state.sampleUrl) URL.revokeObjectURL(state.sampleUrl);
      state.sampleUrl = URL.createObjectURL(message.blob);
      ui.sampleDownload.href = state.sampleUrl;
      ui.sampleDownload.download = `shiming-sample-${message.rows}.csv`;
      newInput({ kind: 'sample', rows: message.rows });
      ui.file.value = '';
      setStatus('idle', 'generated', message.rows, message.planned.problemRows, Math.round(message.ms));
      renderSelected();
      updateControls();
      break;
    case 'encoding':
      if (message.runId !== state.runId) break;
      state.encoding = { encoding: message.encoding, how: message.how };
      renderEncoding();
      break;
    case 'progress':
      if (message.runId !== state.runId) break;
      ui.progress.value = message.fraction;
      state.progressRows = message.rows;
      ui.progressText.textContent = t().progressRows(fmt(message.rows));
      break;
    case 'done':
      if (message.runId !== state.runId) break;
      finishRun();
      if (message.summary.missingIdColumn) {
        setStatus('error', 'failed', 'no_id_column');
        break;
      }
      ui.progress.value = 1;
      ui.progressText.textContent = t().progressRows(fmt(message.summary.rows));
      state.summary = { ...message.summary, wallMs: message.wallMs };
      state.pageStart = 0;
      state.examples = null;
      state.page = null;
      renderResults();
      ui.results.hidden = false;
      ui.results.dataset.state = 'complete';
      setStatus('done', 'done', message.summary.rows, message.summary.problemRows);
      requestDetails();
      break;
    case 'cancelled':
      if (message.runId !== state.runId) break;
      finishRun();
      ui.results.hidden = true;
      ui.results.dataset.state = 'cancelled';
      setStatus('cancelled', 'cancelled', message.rows);
      break;
    case 'failed':
      if (message.stage === 'load') {
        setStatus('error', 'loadFailed');
        break;
      }
      if (message.runId !== undefined && message.runId !== state.runId) break;
      finishRun();
      state.busy = false;
      updateControls();
      setStatus('error', 'failed', message.stage === 'read' && message.reason !== 'no_input' ? 'read' : message.reason);
      break;
    case 'examples':
      if (message.runId !== state.runId || message.locale !== state.locale) break;
      state.examples = message.examples;
      renderCodes();
      break;
    case 'page':
      if (message.runId !== state.runId || message.locale !== state.locale || message.start !== state.pageStart) break;
      state.page = message;
      renderProblems();
      break;
    case 'report':
      if (message.runId !== state.runId || message.reportId !== state.reportId) break;
      if (state.reportUrl) URL.revokeObjectURL(state.reportUrl);
      state.reportUrl = URL.createObjectURL(message.blob);
      ui.report.href = state.reportUrl;
      ui.report.download = `shiming-audit-report-${state.summary.asOf}-${message.locale}.csv`;
      ui.report.removeAttribute('aria-disabled');
      ui.report.dataset.state = 'ready';
      ui.report.dataset.rows = String(message.rows);
      ui.report.textContent = t().reportReady(fmt(message.rows));
      break;
    default:
      break;
  }
});

function finishRun() {
  state.running = false;
  state.busy = false;
  updateControls();
}

/** Messages depend on the language: ask the worker for the example messages, the shown page and the report. */
function requestDetails() {
  if (!state.summary) return;
  const { runId, locale } = state;
  worker.postMessage({ type: 'examples', runId, locale });
  worker.postMessage({ type: 'page', runId, locale, start: state.pageStart, count: PAGE_SIZE });
  state.reportId += 1;
  if (state.reportUrl) {
    URL.revokeObjectURL(state.reportUrl);
    state.reportUrl = null;
  }
  ui.report.removeAttribute('href');
  ui.report.setAttribute('aria-disabled', 'true');
  ui.report.dataset.state = 'pending';
  ui.report.textContent = t().reportPending;
  worker.postMessage({ type: 'report', runId, locale, reportId: state.reportId });
}

// ---------------------------------------------------------------------------------------------------------------
// Results.

function statRow(label, value, testid, extra = {}) {
  return el('div', { class: 'stat' }, el('dt', { text: label }), el('dd', { 'data-testid': testid, ...extra, text: value }));
}

function renderResults() {
  const s = state.summary;
  if (!s) return;
  const text = t();
  const columns = Object.entries(s.columns)
    .filter(([, present]) => present)
    .map(([field]) => text.columnNames[field])
    .join(state.locale === 'en' ? ', ' : '、');
  ui.stats.replaceChildren(
    statRow(text.stats.rows, fmt(s.rows), 'stat-rows', { 'data-value': s.rows }),
    statRow(text.stats.problemRows, fmt(s.problemRows), 'stat-problem-rows', { 'data-value': s.problemRows }),
    statRow(text.stats.idValid, fmt(s.idValid), 'stat-id-valid', { 'data-value': s.idValid }),
    statRow(text.stats.idInvalid, fmt(s.idInvalid), 'stat-id-invalid', { 'data-value': s.idInvalid }),
    statRow(text.stats.minors, fmt(s.minors), 'stat-minors', { 'data-value': s.minors }),
    statRow(text.stats.underFourteen, fmt(s.underFourteen), 'stat-under-14', { 'data-value': s.underFourteen }),
    statRow(text.stats.asOf, s.asOf, 'stat-as-of'),
    statRow(text.stats.columns, columns + (s.header ? text.headerYes : text.headerNo), 'stat-columns'),
  );

  const tm = s.timings;
  const perfRow = (label, ms, testid, extra) =>
    el('div', { class: 'stat' }, el('dt', { text: label }), el('dd', { 'data-testid': testid, 'data-ms': ms.toFixed(1) }, text.ms(fmtMs(ms)), extra ?? null));
  ui.perf.replaceChildren(
    perfRow(
      text.perf.idBatch,
      tm.idBatchMs,
      'perf-id-batch',
      tm.idRowsPerSecond ? el('span', { class: 'muted', 'data-testid': 'perf-rate', 'data-value': tm.idRowsPerSecond, text: ` · ${text.perf.rate(fmt(tm.idRowsPerSecond))}` }) : null,
    ),
    perfRow(text.perf.parse, tm.parseMs, 'perf-parse'),
    s.columns.name ? perfRow(text.perf.name, tm.nameMs, 'perf-name') : null,
    s.columns.phone ? perfRow(text.perf.phone, tm.phoneMs, 'perf-phone') : null,
    perfRow(text.perf.age, tm.ageMs, 'perf-age'),
    perfRow(text.perf.compute, tm.computeMs, 'perf-compute'),
    perfRow(text.perf.wall, s.wallMs, 'perf-wall'),
  );

  // Minors by band.
  const minorRows = BAND_ORDER.filter((band) => s.bands[band]).map((band) =>
    el(
      'tr',
      { 'data-band': band },
      el('th', { scope: 'row', text: text.bands[band] }),
      el('td', { class: 'num', 'data-testid': `band-${band}`, 'data-value': s.bands[band], text: fmt(s.bands[band]) }),
      el('td', { text: s.guardianBands.includes(band) ? text.yes : text.no }),
    ),
  );
  ui.minors.replaceChildren(...(minorRows.length ? minorRows : [el('tr', {}, el('td', { colspan: '3', class: 'muted', text: text.noMinors }))]));
  ui.minorsHint.textContent = text.minorsHint(s.asOf, fmt(s.distinctBirthDates));

  renderCodes();
  renderProblems();
}

function renderCodes() {
  const s = state.summary;
  if (!s) return;
  const text = t();
  const examples = new Map((state.examples ?? []).map((e) => [`${e.field} ${e.code}`, e.message]));
  const rows = [];
  for (const field of ['idKind', 'idNumber', 'name', 'phone']) {
    for (const [code, count] of Object.entries(s.counts[field] ?? {})) {
      rows.push(
        el(
          'tr',
          { 'data-field': field, 'data-code': code },
          el('td', { text: text.fields[field] }),
          el('td', {}, el('code', { text: code })),
          el('td', { class: 'num', 'data-testid': `count-${field}-${code}`, 'data-value': count, text: fmt(count) }),
          el('td', { class: 'message', text: examples.get(`${field} ${code}`) ?? '…' }),
        ),
      );
    }
  }
  ui.codes.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '4', class: 'muted', text: text.noProblems }))]));
}

function renderProblems() {
  const s = state.summary;
  if (!s) return;
  const text = t();
  const page = state.page;
  const total = s.problemRows;
  if (total === 0) {
    ui.problems.replaceChildren(el('tr', {}, el('td', { colspan: '6', class: 'muted', text: text.noProblems })));
  } else if (page) {
    ui.problems.replaceChildren(
      ...page.rows.map((row) =>
        el(
          'tr',
          { 'data-line': row.line },
          el('td', { class: 'num', text: String(row.line) }),
          el('td', { class: row.name ? 'masked' : 'muted', text: row.name || (s.columns.name ? text.empty : '—') }),
          el('td', { class: row.kind === null ? 'muted' : '', text: row.kind === null ? text.invalidKind : row.kind ? text.kinds[row.kind] ?? row.kind : text.autoKind }),
          el('td', { class: row.id ? 'masked' : 'muted', text: row.id || text.empty }),
          el('td', { class: row.phone ? 'masked' : 'muted', text: row.phone || (s.columns.phone ? text.empty : '—') }),
          el(
            'td',
            {},
            el(
              'ul',
              { class: 'issues' },
              ...row.issues.map((issue) =>
                el('li', { 'data-code': issue.code }, el('span', { class: 'field', text: text.fields[issue.field] + (state.locale === 'en' ? ': ' : '：') }), el('span', { class: 'message', text: issue.message }), ' ', el('code', { text: issue.code })),
              ),
            ),
          ),
        ),
      ),
    );
  }
  const from = total === 0 ? 0 : state.pageStart + 1;
  const to = Math.min(total, state.pageStart + PAGE_SIZE);
  ui.pageText.textContent = total === 0 ? '' : text.pageText(fmt(from), fmt(to), fmt(total));
  ui.prev.disabled = state.pageStart === 0;
  ui.next.disabled = state.pageStart + PAGE_SIZE >= total;
}

function showPage(start) {
  state.pageStart = start;
  worker.postMessage({ type: 'page', runId: state.runId, locale: state.locale, start, count: PAGE_SIZE });
}

// ---------------------------------------------------------------------------------------------------------------
// Input and actions.

function chooseFile(file) {
  if (!file) return;
  if (!/\.(csv|txt)$/i.test(file.name) && !/csv|text\/plain/.test(file.type)) {
    setStatus('error', 'notCsv');
    return;
  }
  newInput({ kind: 'file', file });
  setStatus('idle', 'fileSelected');
  renderSelected();
  updateControls();
}

ui.file.addEventListener('change', () => chooseFile(ui.file.files?.[0]));

for (const type of ['dragenter', 'dragover']) {
  ui.drop.addEventListener(type, (event) => {
    if (!event.dataTransfer?.types?.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = state.ready && !state.busy ? 'copy' : 'none';
    ui.drop.classList.add('dragging');
  });
}
ui.drop.addEventListener('dragleave', (event) => {
  if (!ui.drop.contains(event.relatedTarget)) ui.drop.classList.remove('dragging');
});
ui.drop.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.drop.classList.remove('dragging');
  if (state.ready && !state.busy) chooseFile(event.dataTransfer?.files?.[0]);
});
// A file dropped next to the zone must not navigate away from the page.
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => event.preventDefault());

ui.generateForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!state.ready || state.busy) return;
  const rows = Math.floor(Number(ui.sampleRows.value));
  if (!Number.isFinite(rows) || rows < 1 || rows > 2_000_000) {
    ui.sampleRows.setAttribute('aria-invalid', 'true');
    ui.sampleRows.focus();
    return;
  }
  ui.sampleRows.removeAttribute('aria-invalid');
  state.busy = true;
  updateControls();
  setStatus('busy', 'generating', rows);
  worker.postMessage({ type: 'generate', rows });
});

function startAudit() {
  if (!state.ready || state.busy || !state.input) return;
  state.runId += 1;
  state.audited = true;
  state.busy = true;
  state.running = true;
  state.summary = null;
  ui.results.hidden = true;
  ui.results.dataset.state = 'running';
  ui.progress.value = 0;
  ui.progressText.textContent = '';
  updateControls();
  setStatus('running', 'running');
  worker.postMessage({ type: 'audit', runId: state.runId, file: state.input.kind === 'file' ? state.input.file : undefined, encoding: ui.encoding.value });
  ui.cancel.focus();
}

ui.start.addEventListener('click', startAudit);

// Another encoding reads the data again (once it has been audited; before, it applies to the next audit).
ui.encoding.addEventListener('change', () => {
  if (state.audited) startAudit();
});

ui.cancel.addEventListener('click', () => {
  if (!state.running) return;
  worker.postMessage({ type: 'cancel', runId: state.runId });
  ui.cancel.disabled = true;
});

ui.prev.addEventListener('click', () => showPage(Math.max(0, state.pageStart - PAGE_SIZE)));
ui.next.addEventListener('click', () => showPage(state.pageStart + PAGE_SIZE));

// ---------------------------------------------------------------------------------------------------------------
// Language.

function applyLocale(next) {
  state.locale = STRINGS[next] ? next : 'zh-CN';
  const text = t();
  applyPageLocale(state.locale, text, (node) => node.id === 'status' || node.id === 'report');
  renderStatus();
  renderSelected();
  if (state.running) ui.progressText.textContent = text.progressRows(fmt(state.progressRows));
  if (state.summary) {
    renderResults();
    requestDetails();
  }
}

for (const radio of document.querySelectorAll('input[name="locale"]')) {
  radio.addEventListener('change', () => {
    if (radio.checked) applyLocale(radio.value);
  });
}

const requested = new URLSearchParams(location.search).get('lang');
applyLocale(requested === 'en' ? 'en' : 'zh-CN');
setStatus('busy', 'loading');
updateControls();

fetch('./pkg/package.json')
  .then((response) => (response.ok ? response.json() : null))
  .then((pkg) => {
    if (pkg?.version) $('version').textContent = `shiming v${pkg.version}`;
  })
  .catch(() => {
    // The version line is decoration only.
  });
