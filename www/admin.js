// The admin view (admin.html): the stored registrations, masked by the server (GET {base}/registrations, a page at a
// time: `{ registrations, next }`, the next page with ?after=<next>), with each account's verification state, whether
// its phone was confirmed and whether it is frozen; freezing with a reason code (PUT {base}/registrations/{id}/freeze)
// and unfreezing (DELETE …/freeze) after a dialog; account cancellation (DELETE {base}/registrations/{id}) after a
// confirmation dialog; the account audit (admin-lifecycle.js) and the server's audit log (admin-audit.js). All need the
// admin token: the extra headers of the settings (Authorization: Bearer <admin token>) go with every request, and a
// 401/403 says how to add it.

import { el, initialLocale, applyPageLocale, bindLocaleSwitch } from './site.js';
import { apiRequest, loadSettings } from './sync-adapter.js';
import { syncMessage } from './sync-messages.js';
import { auditLog } from './admin-audit.js';
import { BANDS, FREEZE_REASONS, accountAudits, reasonText, verificationCell } from './admin-lifecycle.js';

const STRINGS = {
  'zh-CN': {
    pageTitle: '注册记录管理 · shiming',
    title: '注册记录管理',
    lede: '服务器保存的注册记录（个人信息已打码）。注销账号会删除该用户的资料与同意记录。',
    listTitle: '注册记录',
    reload: '刷新',
    loading: '正在加载…',
    count: (n) => `共 ${n} 条记录`,
    countMore: (n) => `已显示 ${n} 条记录，还有更多`,
    loadMore: '加载更多',
    empty: '暂无注册记录。',
    needToken: '查看注册记录需要管理令牌。',
    tokenHowTo: ['请在', '设置', '页面的“附加请求头”中添加一行 ', 'Authorization: Bearer <管理令牌>', '，保存后刷新本页。管理令牌由服务器在首次启动时打印（或由启动参数 --admin-token 指定）。'],
    wrongToken: '设置中的令牌未被接受：它不是管理令牌。',
    failed: (status) => (status ? `加载失败（HTTP ${status}）` : '无法连接服务器'),
    cols: ['账户编号（注册时间）', '姓名', '证件号码', '手机号码', '年龄段', '同意记录', '实名核验', '账号状态', ''],
    minor: '未成年',
    delete: '注销',
    deleteLabel: (id) => `注销账户 ${id}`,
    confirmTitle: '注销该账号？',
    confirmText: (row) => `将删除账户 ${row.id}（${row.name}，${row.idNumber}）的资料和 ${row.consents.length} 条同意记录，且无法恢复。`,
    notInForce: '未生效：',
    reasons: { withdrawn: '已撤回', new_version: '有新版本待同意', never_accepted: '未同意' },
    cancel: '取消',
    confirmDelete: '注销并删除',
    deleted: (id) => `已注销账户 ${id}。`,
    deleteFailed: (status) => `注销失败（HTTP ${status || '无响应'}）`,
    bands: BANDS['zh-CN'],
    phoneConfirmed: '手机已验证',
    phoneUnconfirmed: '手机未验证',
    active: '正常',
    frozen: '已冻结',
    frozenSince: (time) => `冻结于 ${time}`,
    lastActive: (day) => `最近使用 ${day}`,
    freeze: '冻结',
    unfreeze: '解冻',
    freezeLabel: (id) => `冻结账户 ${id}`,
    unfreezeLabel: (id) => `解冻账户 ${id}`,
    freezeTitle: '冻结该账号？',
    unfreezeTitle: '解冻该账号？',
    freezeText: (id) => `将冻结账户 ${id}。`,
    unfreezeText: (id) => `账户 ${id} 将恢复正常，平台可以再次允许其各项活动。`,
    freezeEffect: (message) => `冻结后，平台对该账户每项活动的判定都将答复不允许（sync_account_frozen${message ? `：“${message}”` : ''}）；本人仍可查看账户、撤回同意和注销账号。原因只能从列表中选择，不填写文字（避免个人信息进入审计日志）。`,
    freezeReason: '冻结原因',
    chooseReason: '请选择原因',
    freezeCancel: '取消',
    confirmFreeze: '确认冻结',
    confirmUnfreeze: '确认解冻',
    frozenDone: (id, reason) => `已冻结账户 ${id}（${reason}）。`,
    unfrozenDone: (id) => `已解冻账户 ${id}。`,
    freezeFailed: (id, status) => `未能冻结账户 ${id}（${status ? `HTTP ${status}` : '无响应'}）`,
    unfreezeFailed: (id, status) => `未能解冻账户 ${id}（${status ? `HTTP ${status}` : '无响应'}）`,
    why: {
      0: '无法连接服务器。',
      401: '需要管理令牌：请在“设置”中添加。',
      403: '设置中的令牌不是管理令牌。',
      404: '该账户已不存在。',
      503: '服务器暂时无法保存，未做任何更改；请稍后再试。',
    },
    sep: '：',
  },
  en: {
    pageTitle: 'Registrations · shiming',
    title: 'Registrations',
    lede: 'The registrations the server stores (personal data masked). Cancelling an account erases the person’s data and consent records.',
    listTitle: 'Registrations',
    reload: 'Reload',
    loading: 'Loading…',
    count: (n) => `${n} record${n === 1 ? '' : 's'}`,
    countMore: (n) => `${n} records shown, more to load`,
    loadMore: 'Load more',
    empty: 'No registrations yet.',
    needToken: 'The registrations are shown with the admin token only.',
    tokenHowTo: ['On the ', 'Settings', ' page, add the line ', 'Authorization: Bearer <admin token>', ' under “Extra request headers”, save, and reload this page. The server prints the admin token on its first start (or it is the one given with --admin-token).'],
    wrongToken: 'The token in the settings was refused: it is not the admin token.',
    failed: (status) => (status ? `Could not load (HTTP ${status})` : 'The server cannot be reached'),
    cols: ['Account (registered)', 'Name', 'Document', 'Mobile', 'Age band', 'Consents', 'Verification', 'Status', ''],
    minor: 'minor',
    delete: 'Cancel account',
    deleteLabel: (id) => `Cancel account ${id}`,
    confirmTitle: 'Cancel this account?',
    confirmText: (row) => `This erases account ${row.id} (${row.name}, ${row.idNumber}) and its ${row.consents.length} consent records. It cannot be undone.`,
    notInForce: 'Not in force: ',
    reasons: { withdrawn: 'withdrawn', new_version: 'new version to accept', never_accepted: 'never accepted' },
    cancel: 'Keep it',
    confirmDelete: 'Cancel and erase',
    deleted: (id) => `Account ${id} was cancelled.`,
    deleteFailed: (status) => `Could not cancel (HTTP ${status || 'no answer'})`,
    bands: BANDS.en,
    phoneConfirmed: 'Phone confirmed',
    phoneUnconfirmed: 'Phone not confirmed',
    active: 'Active',
    frozen: 'Frozen',
    frozenSince: (time) => `since ${time}`,
    lastActive: (day) => `Last used ${day}`,
    freeze: 'Freeze',
    unfreeze: 'Unfreeze',
    freezeLabel: (id) => `Freeze account ${id}`,
    unfreezeLabel: (id) => `Unfreeze account ${id}`,
    freezeTitle: 'Freeze this account?',
    unfreezeTitle: 'Unfreeze this account?',
    freezeText: (id) => `Account ${id} will be frozen.`,
    unfreezeText: (id) => `Account ${id} becomes active again: the platform may allow its activities again.`,
    freezeEffect: (message) => `While it is frozen, every evaluation of an activity for it answers not allowed (sync_account_frozen${message ? `: “${message}”` : ''}); the person can still read the account, withdraw consents and cancel it. The reason is chosen from the list, never typed (no personal data goes into the audit log).`,
    freezeReason: 'Reason',
    chooseReason: 'Choose a reason',
    freezeCancel: 'Go back',
    confirmFreeze: 'Freeze',
    confirmUnfreeze: 'Unfreeze',
    frozenDone: (id, reason) => `Account ${id} was frozen (${reason}).`,
    unfrozenDone: (id) => `Account ${id} was unfrozen.`,
    freezeFailed: (id, status) => `Account ${id} was not frozen (${status ? `HTTP ${status}` : 'no answer'})`,
    unfreezeFailed: (id, status) => `Account ${id} was not unfrozen (${status ? `HTTP ${status}` : 'no answer'})`,
    why: {
      0: 'The server cannot be reached.',
      401: 'The admin token is needed: add it on the Settings page.',
      403: 'The token in the settings is not the admin token.',
      404: 'This account no longer exists.',
      503: 'The server cannot store anything now; nothing was changed. Try again later.',
    },
    sep: ': ',
  },
};

const $ = (id) => document.getElementById(id);
let locale = initialLocale();
let rows = null;
/** The listing's cursor of the next page (null: no more). */
let next = null;
/** After a 401/403: `{ status, withToken }` (whether the settings sent an Authorization header); else null. */
let denied = null;
let lastStatus = null;
/** Whether `lastStatus` reports a failure (shown as an error). */
let lastStatusIsError = false;
const t = () => STRINGS[locale];
/** The server's audit log, below the listing (it records this page's own reads too). */
const audit = auditLog(document.getElementById('audit'));
/** The account audit's reports; a run changes age bands (and may delete accounts): the listing follows. */
const accountAudit = accountAudits(document.getElementById('account-audit'), {
  onRun: async () => {
    lastStatus = null;
    await load();
    if (rows) await audit.load();
  },
});

function applyLocale(next) {
  locale = STRINGS[next] ? next : 'zh-CN';
  applyPageLocale(locale, t());
  fillReasons();
}

function setStatus(text, isError = false) {
  $('status-text').textContent = text;
  $('status-text').classList.toggle('error', isError);
}

/** The freeze dialog's reasons, in the page's language (the choice is kept). */
function fillReasons() {
  const select = $('freeze-reason');
  const chosen = select.value;
  select.replaceChildren(
    el('option', { value: '', text: t().chooseReason }),
    ...FREEZE_REASONS.map((code) => el('option', { value: code, text: reasonText(code, locale) })),
  );
  select.value = chosen;
}

/** How to give the admin token (after a 401 or 403). */
function renderDenied() {
  const strings = t();
  const [before, link, middle, header, after] = strings.tokenHowTo;
  $('table').replaceChildren(
    el(
      'div',
      { class: 'notice-box', 'data-testid': 'admin-auth-hint' },
      el('p', { class: 'error', 'data-testid': 'admin-auth-problem', text: denied.withToken ? `${strings.needToken} ${strings.wrongToken}` : strings.needToken }),
      el('p', {}, before, el('a', { href: './settings.html', 'data-testid': 'admin-settings-link', text: link }), middle, el('code', { text: header }), after),
    ),
  );
}

function countText() {
  return next ? t().countMore(rows.length) : t().count(rows.length);
}

function render() {
  const strings = t();
  if (denied) {
    renderDenied();
    return;
  }
  if (!rows) return;
  if (rows.length === 0) {
    $('table').replaceChildren(el('p', { class: 'placeholder', 'data-testid': 'admin-empty', text: strings.empty }));
    return;
  }
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' });
  $('table').replaceChildren(
    el(
      'table',
      {},
      el('caption', { class: 'visually-hidden', text: strings.listTitle }),
      el('thead', {}, el('tr', {}, strings.cols.map((c, i) => el('th', { scope: 'col', text: c || null }, i === strings.cols.length - 1 ? el('span', { class: 'visually-hidden', text: strings.delete }) : null)))),
      el(
        'tbody',
        {},
        rows.map((row) =>
          el(
            'tr',
            { 'data-testid': 'admin-row', 'data-id': row.id },
            el(
              'td',
              {},
              el('span', { class: 'mono nowrap account-id', text: row.id }),
              row.createdAt ? el('span', { class: 'hint cell-note', 'data-testid': 'row-created', text: time.format(new Date(row.createdAt)) }) : null,
            ),
            el('td', { class: 'nowrap', 'data-testid': 'row-name', text: row.name }),
            el('td', { class: 'mono', 'data-testid': 'row-id-number', text: row.idNumber }),
            el(
              'td',
              { 'data-testid': 'row-phone', 'data-confirmed': String(Boolean(row.phoneConfirmed)) },
              el('span', { class: 'mono nowrap', text: row.phone }),
              row.phoneConfirmed
                ? el('span', { class: 'cell-note' }, el('span', { class: 'badge ok', 'data-testid': 'phone-mark', text: strings.phoneConfirmed }), row.phoneConfirmedAt ? el('span', { class: 'hint', text: ` ${time.format(new Date(row.phoneConfirmedAt))}` }) : null)
                : el('span', { class: 'hint cell-note', 'data-testid': 'phone-mark', text: strings.phoneUnconfirmed }),
            ),
            el('td', { text: (strings.bands[row.ageBand] ?? row.ageBand ?? '') + (row.isMinor ? ` (${strings.minor})` : '') }),
            el(
              'td',
              { 'data-testid': 'row-consents', 'data-in-force': String(row.consentState?.inForce ?? true) },
              String(row.consents?.length ?? 0),
              // A consent the account needs that is no longer in force (the server's consentState): the platform
              // stops what depends on it until the user accepts again.
              row.consentState && !row.consentState.inForce
                ? el('span', {
                    class: 'error',
                    text: ` · ${strings.notInForce}${row.consentState.reconsent.map((r) => `${r.kind} ${strings.reasons[r.reason] ?? r.reason}`).join('，')}`,
                  })
                : null,
            ),
            verificationCell(row.verification, locale, time),
            el(
              'td',
              { 'data-testid': 'row-frozen', 'data-frozen': String(Boolean(row.frozen)), 'data-reason': row.frozen?.reason ?? '' },
              row.frozen
                ? [
                    el('span', { class: 'badge bad', 'data-testid': 'frozen-state', text: strings.frozen }),
                    el('span', { class: 'cell-note', 'data-testid': 'frozen-reason', text: reasonText(row.frozen.reason, locale) }),
                    typeof row.frozen.at === 'number' ? el('span', { class: 'hint cell-note', text: strings.frozenSince(time.format(new Date(row.frozen.at))) }) : null,
                  ]
                : el('span', { class: 'badge ok', 'data-testid': 'frozen-state', text: strings.active }),
              typeof row.lastActiveDay === 'number' ? el('span', { class: 'hint cell-note', 'data-testid': 'last-active', text: strings.lastActive(day.format(new Date(row.lastActiveDay))) }) : null,
              el(
                'span',
                { class: 'cell-note' },
                row.frozen
                  ? el('button', { type: 'button', 'data-testid': 'unfreeze', 'data-id': row.id, 'aria-label': strings.unfreezeLabel(row.id), text: strings.unfreeze })
                  : el('button', { type: 'button', 'data-testid': 'freeze', 'data-id': row.id, 'aria-label': strings.freezeLabel(row.id), text: strings.freeze }),
              ),
            ),
            el('td', {}, el('button', { type: 'button', class: 'danger', 'data-testid': 'delete', 'data-id': row.id, 'aria-label': strings.deleteLabel(row.id), text: strings.delete })),
          ),
        ),
      ),
    ),
    // (replaceChildren would show a null as the text "null".)
    ...(next ? [el('p', {}, el('button', { type: 'button', id: 'load-more', 'data-testid': 'load-more', text: strings.loadMore }))] : []),
  );
}

/** The first page of the listing (again), or the next one (`more`). */
async function load({ more = false } = {}) {
  setStatus(t().loading);
  const answer = await apiRequest('GET', more && next ? `/registrations?after=${encodeURIComponent(next)}` : '/registrations');
  if (!answer.ok || !Array.isArray(answer.body?.registrations)) {
    if (more && rows && answer.status !== 401 && answer.status !== 403) {
      // The next page failed: what is shown stays, "load more" too.
      setStatus(t().failed(answer.status), true);
      return;
    }
    rows = null;
    next = null;
    lastStatus = null;
    const withToken = Object.keys(loadSettings().headers).some((name) => name.toLowerCase() === 'authorization');
    denied = answer.status === 401 || answer.status === 403 ? { status: answer.status, withToken } : null;
    const code = answer.body?.issues?.[0]?.code;
    setStatus(code ? (syncMessage(code, {}, locale) ?? t().failed(answer.status)) : t().failed(answer.status || (answer.ok ? 502 : 0)), true);
    if (denied) renderDenied();
    else $('table').replaceChildren();
    return;
  }
  denied = null;
  const page = answer.body.registrations;
  rows = more && rows ? [...rows, ...page.filter((r) => !rows.some((known) => known.id === r.id))] : page;
  next = typeof answer.body.next === 'string' && page.length ? answer.body.next : null;
  render();
  if (lastStatus) setStatus(lastStatus(), lastStatusIsError);
  else setStatus(countText());
}

function confirmDelete(row) {
  const dialog = $('confirm');
  $('confirm-text').textContent = t().confirmText(row);
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'delete'), { once: true });
    dialog.showModal();
    dialog.querySelector('[value="cancel"]').focus();
  });
}

async function remove(id, button) {
  const row = rows.find((r) => r.id === id);
  if (!row || !(await confirmDelete(row))) {
    button.focus();
    return;
  }
  const answer = await apiRequest('DELETE', `/registrations/${encodeURIComponent(id)}`);
  lastStatus = answer.ok ? () => t().deleted(id) : () => t().deleteFailed(answer.status);
  lastStatusIsError = !answer.ok;
  await load();
  if (rows) await audit.load();
  $('reload').focus();
}

/** The freeze (or unfreeze) dialog: the chosen reason code (`true` to unfreeze), or null when cancelled. */
function confirmFreeze(row, unfreeze) {
  const strings = t();
  const dialog = $('freeze');
  const select = $('freeze-reason');
  $('freeze-title').textContent = unfreeze ? strings.unfreezeTitle : strings.freezeTitle;
  $('freeze-text').textContent = unfreeze ? strings.unfreezeText(row.id) : strings.freezeText(row.id);
  // What a frozen account gets: its code, in the package's words where the module the page loads carries them
  // (shiming/consent does not carry the account codes' messages: only shiming/sync does).
  $('freeze-effect').textContent = unfreeze ? '' : strings.freezeEffect(syncMessage('sync_account_frozen', {}, locale));
  $('freeze-effect').hidden = unfreeze;
  $('freeze-reason-field').hidden = unfreeze;
  select.required = !unfreeze;
  select.value = '';
  const confirm = $('freeze-confirm');
  confirm.textContent = unfreeze ? strings.confirmUnfreeze : strings.confirmFreeze;
  confirm.className = unfreeze ? '' : 'danger';
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm' ? (unfreeze ? true : select.value || null) : null), { once: true });
    dialog.showModal();
    (unfreeze ? $('freeze-cancel') : select).focus();
  });
}

/** Freezes (with a reason from the dialog) or unfreezes an account; the row shows the server's answer. */
async function setFrozen(id, unfreeze, button) {
  const row = rows?.find((r) => r.id === id);
  const reason = row ? await confirmFreeze(row, unfreeze) : null;
  if (!reason) {
    button.focus();
    return;
  }
  const path = `/registrations/${encodeURIComponent(id)}/freeze`;
  const answer = unfreeze ? await apiRequest('DELETE', path) : await apiRequest('PUT', path, { json: { reason } });
  if (answer.ok && answer.body && 'frozen' in answer.body) {
    const shown = rows.find((r) => r.id === id);
    if (shown) Object.assign(shown, { frozen: answer.body.frozen, lastActiveDay: answer.body.lastActiveDay ?? shown.lastActiveDay });
    const code = answer.body.frozen?.reason;
    lastStatus = unfreeze ? () => t().unfrozenDone(id) : () => t().frozenDone(id, reasonText(code, locale));
    lastStatusIsError = false;
  } else {
    const { status } = answer;
    const code = answer.body?.issues?.[0]?.code;
    lastStatus = () => {
      const strings = t();
      const why = strings.why[status] ?? (code ? syncMessage(code, answer.body.issues[0].params, locale) : null) ?? '';
      return `${unfreeze ? strings.unfreezeFailed(id, status) : strings.freezeFailed(id, status)}${why ? strings.sep + why : ''}`;
    };
    lastStatusIsError = true;
  }
  render();
  setStatus(lastStatus(), lastStatusIsError);
  // Focus on the row's new button at once, with the row's new state (not after the audit log's request: the
  // keyboard user acts on the row, and a slow log would move the focus under them later).
  const again = document.querySelector(`[data-testid="admin-row"][data-id="${CSS.escape(id)}"] [data-testid="${answer.ok === !unfreeze ? 'unfreeze' : 'freeze'}"]`);
  (again ?? $('reload')).focus();
  // The change is in the audit log (or its refusal is not: nothing changed).
  if (answer.ok) await audit.load();
}

async function main() {
  applyLocale(locale);
  bindLocaleSwitch(locale, (next) => {
    applyLocale(next);
    render();
    audit.render(next);
    accountAudit.render(next);
    setStatus(lastStatus ? lastStatus() : rows ? countText() : '', Boolean(lastStatus) && lastStatusIsError);
  });
  $('reload').addEventListener('click', async () => {
    lastStatus = null;
    await load();
    // Only with the admin token (the listing answered): without it, one refusal on the page is enough.
    if (rows) {
      await accountAudit.load();
      await audit.load();
    }
  });
  $('table').addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-testid="delete"]');
    if (button) remove(button.dataset.id, button);
    const freeze = event.target.closest('button[data-testid="freeze"], button[data-testid="unfreeze"]');
    if (freeze) setFrozen(freeze.dataset.id, freeze.dataset.testid === 'unfreeze', freeze);
    if (event.target.closest('button[data-testid="load-more"]')) {
      lastStatus = null;
      const shown = rows?.length ?? 0;
      await load({ more: true });
      // Focus the first new row's button (or the next "load more"): the keyboard user goes on where the list grew.
      const added = document.querySelectorAll('[data-testid="admin-row"] [data-testid="delete"]')[shown];
      (added ?? $('load-more') ?? $('reload'))?.focus();
    }
  });
  await load();
  audit.render(locale);
  accountAudit.render(locale);
  // One after the other: the audit log then shows the read of the reports.
  if (rows) {
    await accountAudit.load();
    await audit.load();
  }
  document.body.dataset.ready = 'true';
}

main();
