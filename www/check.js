// The ID check page (check.html): type any ID document number, see the check live (the kind is detected).
//
// This page loads the raw wasm-bindgen glue the documented way for a plain <script type="module"> page:
//   import init, { checkId } from '/pkg/shiming.js';  await init();
// (With a bundler, `import { checkId } from 'shiming'` needs no init call.)
//
// Privacy: the number is only ever shown masked (1101**********123X, by the library's maskId) unless the user
// asks to reveal it, and nothing here logs or sends it anywhere.

import init, { checkId, configure, maskId, setRegionNames, ageBand } from './pkg/shiming.js';
import { DIAGNOSTIC_KINDS } from './kinds.js';
import { bandLabels, kindLabels } from './labels.js';
// The policy runtime is a module of its own (shiming/policy); this page uses it for the policy summary.
import initPolicy, { minorPolicy } from './pkg/policy/shiming_policy.js';
import { applyPageLocale, bindLocaleSwitch, initialLocale } from './site.js';

const STRINGS = {
  'zh-CN': {
    pageTitle: '实名校验 · shiming',
    title: '证件号码校验',
    lede: '输入号码即时校验。一切都在本机的 WebAssembly 中完成，号码不会被发送到任何地方。',
    language: '语言',
    inputLabel: '证件号码',
    inputHint: '居民身份证、港澳台居民居住证、外国人永久居留身份证、港澳台身份证、回乡证、台胞证或护照，自动识别类型。全角字符、小写字母与首尾空格会被规范化并提示。',
    asOfLabel: '校验日期',
    asOfHint: '默认今天（北京时间）。出生日期不得晚于此日期。',
    reveal: '显示完整号码',
    resultTitle: '校验结果',
    loading: '正在加载 WebAssembly 模块…',
    loadFailed: '无法加载校验模块：',
    empty: '请输入证件号码，结果会即时显示在这里。',
    valid: '有效',
    invalid: '无效',
    callError: '无法校验：',
    issues: '问题',
    warnings: '提示',
    details: '提取的信息',
    kind: '证件类型',
    normalized: '号码',
    birthDate: '出生日期',
    gender: '性别',
    region: '登记地',
    regionCode: '行政区划代码',
    upgraded: '升级后的 18 位号码',
    jurisdiction: '居民所属地',
    nationality: '国籍代码',
    jurisdictions: { cn: '中国内地', hk: '香港', mo: '澳门', tw: '台湾' },
    kinds: { ...kindLabels('zh-CN'), cn_resident: '居民身份证（18 位）' },
    genders: { male: '男', female: '女' },
    ageBand: '年龄段',
    bands: bandLabels('zh-CN'),
    guardian: '（需监护人同意）',
    policy: '未成年人保护规则',
    policyAdult: '成年人：不受限制',
    payment: (p) => (p.perPaymentFen === 0 ? '不能充值付费' : `单次 ≤ ${p.perPaymentFen / 100} 元，每月 ≤ ${p.perMonthFen / 100} 元`),
    play: (p) => `网络游戏：周五、六、日及法定节假日 ${p.windows.map((w) => `${w.start}–${w.end}`).join('、')}`,
    daily: (d) => `未成年人模式每日 ≤ ${d.seconds / 60} 分钟`,
    curfew: (c) => `${c.start}–${c.end} 不提供服务`,
    footer: '校验依据 GB 11643-1999（校验码 ISO 7064 MOD 11-2）、GB/T 2260 行政区划代码及各证件的公开规则；无公开校验规则的证件仅检查格式。无法确认号码是否真实签发。',
  },
  en: {
    pageTitle: 'Real-name check · shiming',
    title: 'ID document check',
    lede: 'Checked live as you type, entirely in WebAssembly on this device. The number is never sent anywhere.',
    language: 'Language',
    inputLabel: 'Document number',
    inputHint: 'Resident ID, residence permit, permanent residence ID, Hong Kong / Macau / Taiwan ID, travel permits or passport: the kind is detected. Full-width characters, lowercase letters and surrounding spaces are normalised, with a notice.',
    asOfLabel: 'Check as of',
    asOfHint: 'Default: today (Beijing time). The birth date may not be after it.',
    reveal: 'Show the full number',
    resultTitle: 'Result',
    loading: 'Loading the WebAssembly module…',
    loadFailed: 'Could not load the checking module: ',
    empty: 'Type a document number; the result appears here as you type.',
    valid: 'Valid',
    invalid: 'Invalid',
    callError: 'Cannot check: ',
    issues: 'Problems',
    warnings: 'Notices',
    details: 'Extracted information',
    kind: 'Document',
    normalized: 'Number',
    birthDate: 'Date of birth',
    gender: 'Gender',
    region: 'Registered in',
    regionCode: 'Division code',
    upgraded: 'Upgraded 18-character number',
    jurisdiction: 'Resident of',
    nationality: 'Nationality code',
    jurisdictions: { cn: 'Mainland China', hk: 'Hong Kong', mo: 'Macau', tw: 'Taiwan' },
    kinds: {
      ...kindLabels('en'),
      cn_resident: 'Resident ID card (18 characters)',
      hk_macao_taiwan_residence_permit: 'Residence permit (Hong Kong, Macau, Taiwan residents)',
      hk_macao_home_return_permit: 'Mainland Travel Permit (Hong Kong, Macau)',
    },
    genders: { male: 'Male', female: 'Female' },
    ageBand: 'Age band',
    bands: bandLabels('en'),
    guardian: ' (guardian consent needed)',
    policy: 'Minor protection',
    policyAdult: 'Adult: no limits',
    payment: (p) => (p.perPaymentFen === 0 ? 'No payments' : `≤ ${p.perPaymentFen / 100} CNY a payment, ≤ ${p.perMonthFen / 100} CNY a month`),
    play: (p) => `Online games: Fri, Sat, Sun and holidays ${p.windows.map((w) => `${w.start}–${w.end}`).join(', ')}`,
    daily: (d) => `Minor mode ≤ ${d.seconds / 60} min a day`,
    curfew: (c) => `No service ${c.start}–${c.end}`,
    footer: 'Checks follow GB 11643-1999 (ISO 7064 MOD 11-2 check character), the GB/T 2260 division codes and each document’s published rules; documents without a public check are checked for format only. Whether a number was actually issued cannot be checked.',
  },
};

const $ = (id) => document.getElementById(id);
const input = $('id-input');
const asOf = $('as-of');
const reveal = $('reveal');
const result = $('result');
let locale = 'zh-CN';

/** Today's date in Asia/Shanghai as YYYY-MM-DD, whatever this device's time zone. */
function todayInShanghai() {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}


function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function issueList(issues, testid, title, kind) {
  if (issues.length === 0) return null;
  return el(
    'div',
    { class: `issues ${kind}` },
    el('h3', { text: title }),
    el(
      'ul',
      { 'data-testid': testid },
      ...issues.map((issue) =>
        el(
          'li',
          { 'data-code': issue.code },
          el('span', { class: 'message', text: issue.message }),
          ' ',
          el('code', { text: issue.code }),
        ),
      ),
    ),
  );
}

function infoRow(label, value, testid, extra) {
  if (value === undefined || value === null || value === '') return null;
  return el(
    'div',
    { class: 'info-row' },
    el('dt', { text: label }),
    el('dd', { 'data-testid': testid }, el('span', { text: value }), extra ?? null),
  );
}

/** The rules of the policy in force that apply at `age`, as short lines (the policy is data: minorPolicy()). */
function policySummary(t, age) {
  if (age >= 18) return [t.policyAdult];
  const policy = minorPolicy();
  const fits = (rule) => rule && rule.minAge <= age && age < rule.maxAge;
  const lines = [];
  const payment = (policy.payment ?? []).find(fits);
  if (payment) lines.push(t.payment(payment));
  if (fits(policy.play)) lines.push(t.play(policy.play));
  const daily = (policy.dailyLimits ?? []).find(fits);
  if (daily) lines.push(t.daily(daily));
  if (fits(policy.curfew)) lines.push(t.curfew(policy.curfew));
  return lines;
}

function render() {
  const t = STRINGS[locale];
  const raw = input.value;
  const shown = (number) => (reveal.checked ? number : maskId(number));

  if (raw.trim() === '') {
    result.dataset.state = 'empty';
    result.replaceChildren(
      el('h2', { class: 'visually-hidden', text: t.resultTitle }),
      el('p', { class: 'placeholder', 'data-testid': 'status-text', text: t.empty }),
    );
    return;
  }

  let outcome;
  try {
    outcome = checkId(raw, { locale, ...(asOf.value ? { asOf: asOf.value } : {}) });
  } catch (error) {
    // Only caller mistakes throw (e.g. a malformed as-of date); show them, never the input.
    result.dataset.state = 'error';
    result.replaceChildren(
      el('h2', { class: 'visually-hidden', text: t.resultTitle }),
      el('p', { class: 'placeholder error', 'data-testid': 'status-text', text: t.callError + String(error?.message ?? error) }),
    );
    return;
  }

  const badge = el(
    'span',
    { class: `badge ${outcome.ok ? 'ok' : 'bad'}`, 'data-testid': 'badge', 'data-valid': String(outcome.ok) },
    el('span', { 'aria-hidden': 'true', text: outcome.ok ? '✓ ' : '✗ ' }),
    outcome.ok ? t.valid : t.invalid,
  );

  const children = [el('h2', { class: 'visually-hidden', text: t.resultTitle }), badge];
  if (!outcome.ok) {
    children.push(issueList(outcome.issues, 'issues', t.issues, 'errors'));
  } else {
    const v = outcome.value;
    children.push(issueList(outcome.warnings, 'warnings', t.warnings, 'notices'));
    const regionNames = v.region ? [v.region.province, v.region.city, v.region.county].filter(Boolean).join(' ') : '';
    children.push(
      el('h3', { text: t.details }),
      el(
        'dl',
        { class: 'info', 'data-testid': 'info' },
        infoRow(t.kind, t.kinds[v.kind] ?? v.kind, 'info-kind'),
        infoRow(t.normalized, shown(v.normalized), 'info-normalized'),
        infoRow(t.upgraded, v.upgraded ? shown(v.upgraded) : undefined, 'info-upgraded'),
        infoRow(t.birthDate, v.birthDate, 'info-birth-date'),
        infoRow(t.gender, v.gender ? t.genders[v.gender] : undefined, 'info-gender'),
        infoRow(t.jurisdiction, v.jurisdiction ? t.jurisdictions[v.jurisdiction] : undefined, 'info-jurisdiction'),
        infoRow(t.nationality, v.nationality, 'info-nationality'),
        ...(() => {
          if (!v.birthDate) return [];
          const band = ageBand(v.birthDate, asOf.value || undefined, { locale });
          return [
            infoRow(t.ageBand, t.bands[band.band] + (band.needsGuardianConsent ? t.guardian : ''), 'info-age-band'),
            infoRow(t.policy, policySummary(t, band.age).join('；'), 'info-policy'),
          ];
        })(),
        infoRow(
          t.region,
          regionNames || (v.region ? v.region.code : undefined),
          'info-region',
          v.region && regionNames ? el('span', { class: 'muted', 'data-testid': 'info-region-code', title: t.regionCode, text: ` (${v.region.code})` }) : null,
        ),
      ),
    );
  }
  result.dataset.state = outcome.ok ? 'valid' : 'invalid';
  result.replaceChildren(...children.filter(Boolean));
}

function applyLocale(next) {
  locale = STRINGS[next] ? next : 'zh-CN';
  applyPageLocale(locale, STRINGS[locale]);
}

async function main() {
  applyLocale(initialLocale());
  try {
    await Promise.all([init(), initPolicy()]);
    // A diagnostic page, not a registration gate: it reads every personal document, the first-generation 15-digit
    // number included (registration forms keep the package's defaults; see README, "Which documents by default").
    configure({ kinds: DIAGNOSTIC_KINDS });
  } catch (error) {
    result.dataset.state = 'error';
    $('status-text').textContent = STRINGS[locale].loadFailed + String(error?.message ?? error);
    return;
  }

  // Region names are a separate file (kept out of the .wasm); without them a region shows its code only.
  try {
    setRegionNames((await import('./pkg/regions.js')).default);
  } catch {
    // The check works without names.
  }

  asOf.value = todayInShanghai();
  for (const control of [input, asOf, reveal]) control.disabled = false;
  input.addEventListener('input', render);
  asOf.addEventListener('input', render);
  asOf.addEventListener('change', render);
  reveal.addEventListener('change', render);
  $('form').addEventListener('submit', (event) => event.preventDefault());
  bindLocaleSwitch(locale, (next) => {
    applyLocale(next);
    render();
  });

  render();
  try {
    const response = await fetch('./pkg/package.json');
    const pkg = response.ok ? await response.json() : null;
    if (pkg?.version) $('version').textContent = `shiming v${pkg.version}`;
  } catch {
    // The version line is decoration only.
  }
  document.body.dataset.ready = 'true';
  input.focus();
}

main();
