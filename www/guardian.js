// The guardian area (guardian.html, 家长监护专区): the platform's guardian contact from config.json (a named person in
// charge, a dedicated line, this area, the quarterly report: the "四有"), and for an account (a minor's, typically),
// looked up by its account number (the server id, r_…) and its access code (the `accountToken` the registration page
// showed once): the protection rules that apply (the backend's policy), the consent records, withdrawal
// (buildWithdrawal, sent through the sync client as POST {base}/consents), the guardian's own limits
// (guardian-limits.js: GET/PUT {base}/registrations/{id}/limits) and cancellation of the account.
//
// Every account request carries `Authorization: Bearer <access code>`: the account's masked row from
// GET {base}/registrations/{id}, its receipts, acceptances and withdrawals from GET {base}/registrations/{id}/consents
// (the server is their system of record, nothing is kept in the browser), the withdrawals (the sync client is opened
// with that header once the account is found), and DELETE {base}/registrations/{id}. The code lives in this page's
// memory only: never in a URL, the console or localStorage. A withdrawal is built from the server's copy of the
// receipt; buildWithdrawal needs that receipt's document version, and GET {base}/policy publishes current versions
// only: a receipt for a retired version is shown with a note, and cannot be withdrawn from this page (the guardian
// line can).

import { buildWithdrawal, verifyReceiptSignature, setMinorPolicy, minorPolicy } from './pkg/all.js';
import { el, initialLocale, applyPageLocale, bindLocaleSwitch, loadConfig, pick } from './site.js';
import { apiRequest, bearer, fetchConsents, isOffline, openSync } from './sync-adapter.js';
import { syncMessage } from './sync-messages.js';
import { STRINGS as REGISTER, policyLines } from './register-strings.js';
import { guardianLimits } from './guardian-limits.js';
import { reasonText, stateNote, stateText } from './account-state.js';

const STRINGS = {
  'zh-CN': {
    pageTitle: '家长监护 · shiming',
    title: '家长监护专区',
    lede: '为未成年人的父母和其他监护人提供：联系平台、查看孩子账户适用的保护规则与同意记录、撤回同意。',
    lookupTitle: '查询未成年人账户',
    accountLabel: '账户编号',
    accountHint: '注册成功后显示的账户编号（r_…）。',
    codeLabel: '访问码',
    codeHint: '注册成功后与账户编号一起显示的访问码（at_…）。它只用于本页的查询和操作，不会保存在本浏览器中。',
    lookupSubmit: '查询',
    accountTitle: '账户信息',
    contactTitle: '联系我们',
    person: '监护服务负责人',
    hotline: '监护专线',
    hours: '服务时间',
    email: '电子邮箱',
    area: '监护专区',
    areaValue: '本页（每个页面底部均有入口）',
    report: '定期报告',
    enterId: '请输入账户编号',
    enterCode: '请输入访问码',
    idShape: '请输入以 r_ 开头的账户编号（不是以 reg- 开头的注册编号）',
    denied: '账户编号或访问码不正确',
    notFound: '未找到该账户，请核对编号',
    lookupFailed: (status) => (status ? `查询失败（HTTP ${status}）` : '无法连接服务器'),
    adultAccount: '该账户为成年人账户，不适用未成年人保护规则。',
    name: '姓名',
    band: '年龄段',
    verification: '实名核验',
    frozenLabel: '账户状态',
    frozen: (reason) => `已被平台冻结（${reason}）：付费、游戏等受平台管控的功能暂不可用；您仍可以查看账户、撤回同意和注销账户。`,
    guardian: '监护人',
    rules: '适用的保护规则',
    consents: '同意记录',
    retiredVersion: (version) => `（该记录对应的协议版本 v${version} 已不是当前版本，无法在此撤回，请联系监护专线）`,
    consentsFailed: (status) => (status ? `无法读取同意记录（HTTP ${status}）` : '无法读取同意记录：无法连接服务器'),
    noConsents: '该账户没有同意记录。',
    withdraw: '撤回同意',
    withdrawLabel: (title) => `撤回同意：《${title}》`,
    withdrawn: '已撤回',
    withdrawing: '正在提交撤回…',
    withdrawQueued: '撤回已保存，联网后自动提交',
    withdrawDone: '撤回已送达服务器。该账户需要重新取得同意后才能继续使用相关功能。',
    withdrawFailed: '撤回未被接受：',
    guardianRef: '监护人编号',
    signatureValid: (keyId) => `服务器签名有效（密钥 ${keyId}）：该记录确由服务器接收，未被改动`,
    accepted: '同意时间',
    confirmWithdraw: (title) => `确定撤回对《${title}》的同意吗？`,
    cancelTitle: '注销账号',
    cancelText: '注销后，该账户的资料和全部同意记录将从服务器删除，且无法恢复。',
    cancelAccount: '注销账号',
    confirmCancel: '确定注销该账号吗？资料和同意记录将被删除，且无法恢复。',
    cancelled: '该账号已注销，资料和同意记录已删除。',
    cancelFailed: (status) => `注销失败（HTTP ${status || '无响应'}）`,
  },
  en: {
    pageTitle: 'For parents · shiming',
    title: 'Parents & guardians',
    lede: "For parents and other guardians of minors: contact the platform, see the rules that apply to your child's account and its consent records, and withdraw consent.",
    lookupTitle: "Look up a child's account",
    accountLabel: 'Account number',
    accountHint: 'The account number shown after sign-up (r_…).',
    codeLabel: 'Access code',
    codeHint: 'The access code shown with the account number after sign-up (at_…). It is used for this page’s look-up and actions only, and is not kept in this browser.',
    lookupSubmit: 'Look up',
    accountTitle: 'Account',
    contactTitle: 'Contact us',
    person: 'Person in charge',
    hotline: 'Guardian line',
    hours: 'Hours',
    email: 'E-mail',
    area: 'Guardian area',
    areaValue: 'This page (linked from the footer of every page)',
    report: 'Regular report',
    enterId: 'Enter the account number',
    enterCode: 'Enter the access code',
    idShape: 'Enter the account number, which starts with r_ (not the registration number, which starts with reg-)',
    denied: 'The account number or the access code is not right',
    notFound: 'No such account: check the number',
    lookupFailed: (status) => (status ? `Look-up failed (HTTP ${status})` : 'The server cannot be reached'),
    adultAccount: "An adult's account: the minor-protection rules do not apply.",
    name: 'Name',
    band: 'Age band',
    verification: 'Real-name check',
    frozenLabel: 'Account status',
    frozen: (reason) => `Frozen by the platform (${reason}): payments, play and other features the platform gates are unavailable; you can still view the account, withdraw consents and cancel it.`,
    guardian: 'Guardian',
    rules: 'Rules that apply',
    consents: 'Consent records',
    retiredVersion: (version) => `(this record is for version ${version} of the agreement, which is no longer current: it cannot be withdrawn here; call the guardian line)`,
    consentsFailed: (status) => (status ? `The consent records cannot be read (HTTP ${status})` : 'The consent records cannot be read: the server cannot be reached'),
    noConsents: 'This account has no consent records.',
    withdraw: 'Withdraw consent',
    withdrawLabel: (title) => `Withdraw consent: “${title}”`,
    withdrawn: 'Withdrawn',
    withdrawing: 'Sending the withdrawal…',
    withdrawQueued: 'Withdrawal saved: it is sent when you are back online',
    withdrawDone: 'The withdrawal reached the server. The account needs consent again before it can use these features.',
    withdrawFailed: 'The withdrawal was not accepted: ',
    guardianRef: 'Guardian reference',
    signatureValid: (keyId) => `Server signature valid (key ${keyId}): the server accepted this record, unchanged`,
    accepted: 'Accepted at',
    confirmWithdraw: (title) => `Withdraw consent to “${title}”?`,
    cancelTitle: 'Cancel the account',
    cancelText: 'Cancelling erases the account’s data and all its consent records from the server. It cannot be undone.',
    cancelAccount: 'Cancel the account',
    confirmCancel: 'Cancel this account? Its data and consent records are erased, and this cannot be undone.',
    cancelled: 'The account was cancelled: its data and consent records were erased.',
    cancelFailed: (status) => `Could not cancel (HTTP ${status || 'no answer'})`,
  },
};

/** A representative age for an age band (the listing gives the band, not the age). */
const BAND_AGE = { under_3: 0, '3_to_8': 3, '8_to_12': 8, '12_to_14': 12, '14_to_16': 14, '16_to_18': 16, adult: 18 };

const $ = (id) => document.getElementById(id);
let locale = initialLocale();
const t = () => STRINGS[locale];
let client = null;
/** The access code the sync client was opened with. */
let clientToken = null;
let documents = [];
/** The server's published Ed25519 keys (GET {base}/policy `signingKeys`). */
let signingKeys = [];
/** receiptId → the check of its server signature: { ok, keyId } or { ok: false, code, message }. */
const signatures = new Map();
let account = null;
/** The account's access code, as typed (memory only). */
let accessToken = null;
/** The result of the last cancellation, shown under the form: () => text. */
let lookupStatus = null;
/** The HTTP status of a failed cancellation (shown in the account), or null. */
let cancelProblem = null;
/** The account's receipts from the server: `{ consents: [{ receiptId, serverTime, receipt }], withdrawn }`, or `{ error: status }`. */
let records = null;
const withdrawals = new Map(); // queue entry id → { withdraws, status, receipt }
/** The guardian's limits for the account (its own card: typed values survive the account's re-renders). */
const limits = guardianLimits(document.getElementById('limits-card'));

function applyLocale(next) {
  locale = STRINGS[next] ? next : 'zh-CN';
  applyPageLocale(locale, t());
}

async function renderContact() {
  const config = await loadConfig();
  const g = config?.guardian ?? {};
  const strings = t();
  const row = (label, value, testid) => (value ? [el('dt', { text: label }), el('dd', { 'data-testid': testid }, value)] : []);
  $('contact').replaceChildren(
    ...row(strings.person, pick(g.personInCharge, locale), 'contact-person'),
    ...row(strings.hotline, g.hotline ? el('a', { href: `tel:${g.hotline.replace(/[^\d+]/g, '')}`, text: g.hotline }) : null, 'contact-hotline'),
    ...row(strings.hours, pick(g.hours, locale), 'contact-hours'),
    ...row(strings.email, g.email ? el('a', { href: `mailto:${g.email}`, text: g.email }) : null, 'contact-email'),
    ...row(strings.area, strings.areaValue, 'contact-area'),
    ...row(strings.report, [pick(g.reportNote, locale), g.lastReport ? el('br') : null, pick(g.lastReport, locale)].filter(Boolean), 'contact-report'),
  );
}

const LOOKUP_FIELDS = { 'account-id': 'account-msg', 'access-code': 'code-msg' };

/** The look-up's error, to show again in another language: `{ message: (strings) => text, fields }`, or null. */
let lookupProblem = null;

/**
 * An error of the look-up (`message(strings)`, or null to clear): under the first of `fields`, which are marked
 * invalid (the others are cleared).
 */
function showAccountMessage(message, fields = ['account-id']) {
  lookupProblem = message ? { message, fields } : null;
  const text = message ? message(t()) : null;
  for (const [field, box] of Object.entries(LOOKUP_FIELDS)) {
    const shown = text && field === fields[0];
    $(box).replaceChildren(...(shown ? [el('p', { class: 'error' }, el('span', { class: 'icon', 'aria-hidden': 'true', text: '!' }), text)] : []));
    if (text && fields.includes(field)) $(field).setAttribute('aria-invalid', 'true');
    else $(field).removeAttribute('aria-invalid');
  }
}

function showLookupStatus(next) {
  lookupStatus = next;
  $('lookup-status').textContent = next ? next() : '';
}

/** Forgets the account and its access code. */
function forget() {
  account = null;
  accessToken = null;
  records = null;
  $('account').hidden = true;
  limits.hide();
}

async function lookup(event) {
  event?.preventDefault();
  const id = $('account-id').value.trim();
  const code = $('access-code').value.trim();
  showLookupStatus(null);
  const problem = !id
    ? [(s) => s.enterId, ['account-id']]
    : id.startsWith('reg-') || !/^[A-Za-z0-9_-]{1,64}$/.test(id)
      ? [(s) => s.idShape, ['account-id']]
      : !code
        ? [(s) => s.enterCode, ['access-code']]
        : null;
  if (problem) {
    forget();
    showAccountMessage(...problem);
    return;
  }
  const answer = await apiRequest('GET', `/registrations/${encodeURIComponent(id)}`, { headers: bearer(code) });
  if (!answer.ok || typeof answer.body?.id !== 'string') {
    forget();
    // 401 (no such code) and 403 (another account's code) alike: which ids exist is not told.
    const status = answer.ok ? 502 : answer.status;
    if (status === 401 || status === 403) showAccountMessage((s) => s.denied, ['account-id', 'access-code']);
    else if (status === 404) showAccountMessage((s) => s.notFound);
    else showAccountMessage((s) => s.lookupFailed(status));
    return;
  }
  showAccountMessage(null);
  account = answer.body;
  accessToken = code;
  records = null;
  cancelProblem = null;
  await useClient(code);
  await loadRecords();
  renderAccount();
  await limits.show(account, code, locale);
}

/** The sync client, opened with the account's access code (withdrawals carry it). */
async function useClient(token) {
  if (client && clientToken === token) return;
  const previous = client;
  client = null;
  clientToken = null;
  await previous?.close().catch(() => {});
  try {
    client = await openSync({ onStatus, dbName: 'shiming-guardian', headers: bearer(token) });
    clientToken = token;
    // The client's trusted clock (withdrawals are stamped with it).
    if (!isOffline()) await client.refreshPolicy().catch(() => null);
  } catch {
    client = null;
  }
}

/** (Re)reads the account's receipts from the server. */
async function loadRecords() {
  if (!account) return;
  const forAccount = account;
  const answer = await fetchConsents(account.id, accessToken);
  if (account !== forAccount) return;
  records = answer.ok ? { consents: answer.consents, withdrawn: answer.withdrawn } : { error: answer.status };
  await checkSignatures(forAccount);
}

/** Checks each receipt's server countersignature against the published keys (the package, with WebCrypto). */
async function checkSignatures(forAccount) {
  signatures.clear();
  for (const { receipt } of records?.consents ?? []) {
    let result;
    try {
      result = await verifyReceiptSignature(receipt, signingKeys, { locale });
    } catch {
      continue; // a key list the package cannot read: no line rather than a wrong one
    }
    if (account !== forAccount) return;
    signatures.set(
      receipt.consentReceiptID,
      result.ok ? { ok: true, keyId: result.receipt.serverSignature.keyId } : { ok: false, code: result.issues[0].code, message: result.issues[0].message },
    );
  }
}

/** DELETE {base}/registrations/{id} with the access code, after a confirmation. */
async function cancelAccount(button) {
  if (!account || !accessToken) return;
  if (!window.confirm(t().confirmCancel)) {
    button.focus();
    return;
  }
  const id = account.id;
  const answer = await apiRequest('DELETE', `/registrations/${encodeURIComponent(id)}`, { headers: bearer(accessToken) });
  if (answer.ok) {
    forget();
    $('access-code').value = '';
    // The code opens nothing any more: the client that carried it goes too.
    const previous = client;
    client = null;
    clientToken = null;
    previous?.close().catch(() => {});
    showLookupStatus(() => t().cancelled);
    $('account-id').focus();
    return;
  }
  cancelProblem = answer.status;
  renderAccount();
}

/** The server's receipts of the account (empty until loaded). */
function receipts() {
  return (records?.consents ?? []).map((c) => c.receipt);
}

/** The document version a receipt names, among the policy's (current) documents; undefined if retired. */
function documentOf(receipt) {
  return documents.find((d) => d.id === receipt.document.id && d.version === receipt.document.version);
}

/** The label of a guardian's relation (the registration page's strings). */
function relationLabel(reg, relation) {
  const key = `relation${relation.charAt(0).toUpperCase()}${relation.slice(1)}`;
  return reg[key] ?? relation;
}

/** Whether the server's signature on a receipt holds: the evidence that it was accepted as shown. */
function signatureLine(receiptId, strings) {
  const check = signatures.get(receiptId);
  if (!check) return null;
  return check.ok
    ? el('div', { class: 'hint', 'data-testid': 'signature', 'data-state': 'valid', text: strings.signatureValid(check.keyId) })
    : el('div', { class: 'hint error', 'data-testid': 'signature', 'data-state': check.code, text: check.message });
}

function renderAccount() {
  if (!account) return;
  const strings = t();
  const reg = REGISTER[locale];
  const all = receipts();
  const withdrawnIds = new Set([
    ...(records?.withdrawn ?? []),
    ...all.filter((r) => r.consentKind === 'withdrawal').map((r) => r.withdraws),
    ...[...withdrawals.values()].filter((w) => w.status === 'acked').map((w) => w.withdraws),
  ]);
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
  const age = BAND_AGE[account.ageBand] ?? 18;
  const rules = account.isMinor ? policyLines(minorPolicy(), age, reg) : [];
  const consentItems = all.filter((r) => r.consentKind !== 'withdrawal').map((receipt) => {
    const receiptId = receipt.consentReceiptID;
    const exact = documentOf(receipt);
    const document = exact ?? documents.find((d) => d.id === receipt.document.id) ?? { title: receipt.document.kind };
    const pending = [...withdrawals.values()].find((w) => w.withdraws === receiptId);
    const withdrawn = withdrawnIds.has(receiptId);
    let state = null;
    if (pending?.status === 'acked') state = el('p', { class: 'hint', 'data-testid': 'withdraw-state', 'data-state': 'acked', text: strings.withdrawDone });
    else if (pending?.status === 'rejected' || pending?.status === 'failed')
      state = el('p', { class: 'hint error', 'data-testid': 'withdraw-state', 'data-state': pending.status, text: strings.withdrawFailed + (pending.issues ?? []).map((i) => syncMessage(i.code, i.params, locale) ?? i.code).join('；') });
    else if (pending) state = el('p', { class: 'hint', 'data-testid': 'withdraw-state', 'data-state': 'pending', text: navigator.onLine ? strings.withdrawing : strings.withdrawQueued });
    return el(
      'li',
      { 'data-testid': 'consent-record', 'data-kind': receipt.document.kind, class: 'consent-record' },
      el('strong', { text: reg.quoted(document.title) }),
      ' ',
      el('span', { class: 'muted', text: `v${receipt.document.version} · ${strings.accepted} ${time.format(new Date(receipt.consentTimestamp * 1000))}` }),
      receipt.guardianId ? el('div', { class: 'hint' }, `${strings.guardianRef}: `, el('code', { text: receipt.guardianId })) : null,
      signatureLine(receiptId, strings),
      !withdrawn && !exact ? el('div', { class: 'hint', 'data-testid': 'retired-version', text: strings.retiredVersion(receipt.document.version) }) : null,
      withdrawn
        ? el('span', { class: 'pill failed', text: strings.withdrawn })
        : !exact
          ? null
          : el('button', { type: 'button', class: 'danger', 'data-testid': 'withdraw', 'data-receipt': receiptId, 'aria-label': strings.withdrawLabel(document.title), text: strings.withdraw }),
      state,
    );
  });
  $('account-body').replaceChildren(
    el(
      'dl',
      { class: 'info' },
      el('div', { class: 'info-row' }, el('dt', { text: strings.name }), el('dd', { text: account.name })),
      el('div', { class: 'info-row' }, el('dt', { text: strings.band }), el('dd', { 'data-testid': 'account-band', text: reg.bands[account.ageBand] ?? account.ageBand })),
      // The account's state as the server records it (docs/protocol.md 4.6).
      account.verification
        ? el(
            'div',
            { class: 'info-row' },
            el('dt', { text: strings.verification }),
            el('dd', { 'data-testid': 'account-verification', 'data-state': account.verification.state }, `${stateText(account.verification.state, locale)}：${stateNote(account.verification, locale, time)}`),
          )
        : null,
      account.frozen
        ? el('div', { class: 'info-row' }, el('dt', { text: strings.frozenLabel }), el('dd', { class: 'error', 'data-testid': 'account-frozen', text: strings.frozen(reasonText(account.frozen.reason, locale)) }))
        : null,
      // A child's guardian, as the server stored and masked it.
      account.guardian
        ? el(
            'div',
            { class: 'info-row' },
            el('dt', { text: strings.guardian }),
            el('dd', { 'data-testid': 'account-guardian', text: `${account.guardian.name}（${relationLabel(reg, account.guardian.relation)}）· ${account.guardian.phone}` }),
          )
        : null,
    ),
    el('h3', { text: strings.rules }),
    account.isMinor
      ? el('ul', { 'data-testid': 'account-rules' }, rules.map((line) => el('li', { text: line })))
      : el('p', { 'data-testid': 'account-rules', text: strings.adultAccount }),
    el('h3', { text: strings.consents }),
    records?.error !== undefined
      ? el('p', { class: 'error', 'data-testid': 'consents-error', text: strings.consentsFailed(records.error) })
      : records && !consentItems.length
        ? el('p', { class: 'muted', text: strings.noConsents })
        : el('ul', { class: 'consent-records' }, consentItems),
    el('h3', { text: strings.cancelTitle }),
    el('p', { class: 'hint', text: strings.cancelText }),
    el('button', { type: 'button', class: 'danger', 'data-testid': 'cancel-account', text: strings.cancelAccount }),
    cancelProblem !== null ? el('p', { class: 'error', 'data-testid': 'cancel-error', text: strings.cancelFailed(cancelProblem) }) : null,
  );
  $('account').hidden = false;
}

async function withdraw(receiptId, button) {
  const receipt = receipts().find((r) => r.consentReceiptID === receiptId);
  const document = receipt && documentOf(receipt);
  if (!receipt || !document || !client) return;
  if (!window.confirm(t().confirmWithdraw(document.title))) {
    button.focus();
    return;
  }
  // After every receipt of the account, those on the server and the withdrawals still on their way.
  const sequence = Math.max(0, ...receipts().map((r) => r.sequence), ...[...withdrawals.values()].map((w) => w.receipt?.sequence ?? 0)) + 1;
  const built = buildWithdrawal(receipt, { sequence, clientTime: Math.floor(client.now() / 1000) }, documents, { locale });
  if (!built.ok) {
    withdrawals.set(`local-${receiptId}`, { withdraws: receiptId, status: 'rejected', issues: built.issues });
    renderAccount();
    return;
  }
  const queued = await client.submitConsent(built.receipt);
  if (!queued.ok) return;
  const entry = { withdraws: receiptId, status: 'pending', receipt: built.receipt };
  withdrawals.set(queued.id, entry);
  // The entry is sent while submitConsent waits for its encrypted write, so its events (even `acked`) can come
  // before its id is known here: apply the latest one.
  const early = earlyEvents.get(queued.id);
  earlyEvents.clear();
  if (early) {
    onStatus(early);
    return;
  }
  renderAccount();
}

/** Status events of entries whose id submitConsent has not returned yet (see withdraw). */
const earlyEvents = new Map();

function onStatus(event) {
  const entry = withdrawals.get(event.id);
  if (!entry) {
    earlyEvents.set(event.id, event);
    return;
  }
  entry.status = event.status;
  entry.issues = event.issues;
  renderAccount();
  // The server has it now: read the account's receipts again (they are not kept here).
  if (event.status === 'acked' && account) loadRecords().then(renderAccount);
}

async function main() {
  applyLocale(locale);
  bindLocaleSwitch(locale, (next) => {
    applyLocale(next);
    renderContact();
    renderAccount();
    limits.render(next);
    showLookupStatus(lookupStatus);
    showAccountMessage(lookupProblem?.message ?? null, lookupProblem?.fields);
  });
  renderContact();
  $('lookup').addEventListener('submit', lookup);
  $('account-body').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-testid="withdraw"]');
    if (button) withdraw(button.dataset.receipt, button);
    const cancel = event.target.closest('button[data-testid="cancel-account"]');
    if (cancel) cancelAccount(cancel);
  });
  // The documents and the minor-protection policy in force. The sync client is opened once an account is found,
  // with its access code: a withdrawal left queued by an earlier visit is sent then, with the code typed again.
  const answer = await apiRequest('GET', '/policy');
  if (answer.ok && answer.body) {
    try {
      if (answer.body.policy) setMinorPolicy(answer.body.policy);
    } catch {
      // A malformed policy: the preset stays in force.
    }
    documents = Array.isArray(answer.body.documents) ? answer.body.documents : [];
    signingKeys = Array.isArray(answer.body.signingKeys) ? answer.body.signingKeys : [];
  }
  window.addEventListener('online', renderAccount);
  window.addEventListener('offline', renderAccount);
  // ?id=r_… fills the account number (never the access code: it stays out of URLs).
  const preset = new URLSearchParams(location.search).get('id');
  if (preset) {
    $('account-id').value = preset;
    $('access-code').focus();
  }
  document.body.dataset.ready = 'true';
}

main();
