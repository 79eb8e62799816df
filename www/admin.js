// The admin view (admin.html): the stored registrations, masked by the server (GET {base}/registrations, a page at a
// time: `{ registrations, next }`, the next page with ?after=<next>), and account cancellation
// (DELETE {base}/registrations/{id}) after a confirmation dialog, and the server's audit log (admin-audit.js). Both need the admin token: the extra headers of the
// settings (Authorization: Bearer <admin token>) go with every request, and a 401/403 says how to add it.

import { el, initialLocale, applySiteChrome, bindLocaleSwitch, syncLocaleRadios } from './site.js';
import { apiRequest, loadSettings } from './sync-adapter.js';
import { syncMessage } from './sync-messages.js';
import { auditLog } from './admin-audit.js';

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
    cols: ['账户编号', '姓名', '证件号码', '手机号码', '年龄段', '同意记录', '注册时间', ''],
    minor: '未成年',
    phoneConfirmed: '已验证',
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
    bands: { under_3: '未满 3 周岁', '3_to_8': '3–8 周岁', '8_to_12': '8–12 周岁', '12_to_14': '12–14 周岁', '14_to_16': '14–16 周岁', '16_to_18': '16–18 周岁', adult: '成年人' },
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
    cols: ['Account', 'Name', 'Document', 'Mobile', 'Age band', 'Consents', 'Registered', ''],
    minor: 'minor',
    phoneConfirmed: 'confirmed',
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
    bands: { under_3: 'Under 3', '3_to_8': '3 to 8', '8_to_12': '8 to 12', '12_to_14': '12 to 14', '14_to_16': '14 to 16', '16_to_18': '16 to 18', adult: 'Adult' },
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
const t = () => STRINGS[locale];
/** The server's audit log, below the listing (it records this page's own reads too). */
const audit = auditLog(document.getElementById('audit'));

function applyLocale(next) {
  locale = STRINGS[next] ? next : 'zh-CN';
  document.documentElement.lang = locale;
  document.title = t().pageTitle;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    const text = t()[node.dataset.i18n];
    if (typeof text === 'string') node.textContent = text;
  }
  syncLocaleRadios(locale);
  applySiteChrome(locale);
}

function setStatus(text) {
  $('status-text').textContent = text;
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
            el('td', { class: 'mono', text: row.id }),
            el('td', { 'data-testid': 'row-name', text: row.name }),
            el('td', { class: 'mono', 'data-testid': 'row-id-number', text: row.idNumber }),
            el(
              'td',
              { class: 'mono' },
              row.phone,
              // A phone confirmed by a one-time code (the server's record, docs/protocol.md 4.6 and 13); nothing is
              // said of the others: a server without codes confirms none.
              row.phoneConfirmed === true
                ? el('span', { class: 'ok', 'data-testid': 'row-phone-confirmed', text: ` · ${strings.phoneConfirmed}` })
                : null,
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
            el('td', { text: row.createdAt ? time.format(new Date(row.createdAt)) : '' }),
            el('td', {}, el('button', { type: 'button', class: 'danger', 'data-testid': 'delete', 'data-id': row.id, 'aria-label': strings.deleteLabel(row.id), text: strings.delete })),
          ),
        ),
      ),
    ),
    next ? el('p', {}, el('button', { type: 'button', id: 'load-more', 'data-testid': 'load-more', text: strings.loadMore })) : null,
  );
}

/** The first page of the listing (again), or the next one (`more`). */
async function load({ more = false } = {}) {
  setStatus(t().loading);
  const answer = await apiRequest('GET', more && next ? `/registrations?after=${encodeURIComponent(next)}` : '/registrations');
  if (!answer.ok || !Array.isArray(answer.body?.registrations)) {
    if (more && rows && answer.status !== 401 && answer.status !== 403) {
      // The next page failed: what is shown stays, "load more" too.
      setStatus(t().failed(answer.status));
      return;
    }
    rows = null;
    next = null;
    lastStatus = null;
    const withToken = Object.keys(loadSettings().headers).some((name) => name.toLowerCase() === 'authorization');
    denied = answer.status === 401 || answer.status === 403 ? { status: answer.status, withToken } : null;
    const code = answer.body?.issues?.[0]?.code;
    setStatus(code ? (syncMessage(code, {}, locale) ?? t().failed(answer.status)) : t().failed(answer.status || (answer.ok ? 502 : 0)));
    if (denied) renderDenied();
    else $('table').replaceChildren();
    return;
  }
  denied = null;
  const page = answer.body.registrations;
  rows = more && rows ? [...rows, ...page.filter((r) => !rows.some((known) => known.id === r.id))] : page;
  next = typeof answer.body.next === 'string' && page.length ? answer.body.next : null;
  render();
  if (lastStatus) setStatus(lastStatus());
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
  await load();
  if (rows) await audit.load();
  $('reload').focus();
}

async function main() {
  applyLocale(locale);
  bindLocaleSwitch(locale, (next) => {
    applyLocale(next);
    render();
    audit.render(next);
    setStatus(lastStatus ? lastStatus() : rows ? countText() : '');
  });
  $('reload').addEventListener('click', async () => {
    lastStatus = null;
    await load();
    // Only with the admin token (the listing answered): without it, one refusal on the page is enough.
    if (rows) await audit.load();
  });
  $('table').addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-testid="delete"]');
    if (button) remove(button.dataset.id, button);
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
  if (rows) await audit.load();
  document.body.dataset.ready = 'true';
}

main();
