// The admin view (admin.html): the stored registrations, masked by the server (GET {base}/registrations), and account
// cancellation (DELETE {base}/registrations/{id}) after a confirmation dialog. The extra headers of the settings
// (e.g. Authorization: Bearer <admin token>) go with every request.

import { el, initialLocale, applySiteChrome, bindLocaleSwitch, syncLocaleRadios } from './site.js';
import { apiRequest } from './sync-adapter.js';
import { syncMessage } from './sync-messages.js';

const STRINGS = {
  'zh-CN': {
    pageTitle: '注册记录管理 · shiming',
    title: '注册记录管理',
    lede: '服务器保存的注册记录（个人信息已打码）。注销账号会删除该用户的资料与同意记录。',
    listTitle: '注册记录',
    reload: '刷新',
    loading: '正在加载…',
    count: (n) => `共 ${n} 条记录`,
    empty: '暂无注册记录。',
    failed: (status) => (status ? `加载失败（HTTP ${status}）` : '无法连接服务器'),
    cols: ['账户编号', '姓名', '证件号码', '手机号码', '年龄段', '同意记录', '注册时间', ''],
    minor: '未成年',
    delete: '注销',
    deleteLabel: (id) => `注销账户 ${id}`,
    confirmTitle: '注销该账号？',
    confirmText: (row) => `将删除账户 ${row.id}（${row.name}，${row.idNumber}）的资料和 ${row.consents.length} 条同意记录，且无法恢复。`,
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
    empty: 'No registrations yet.',
    failed: (status) => (status ? `Could not load (HTTP ${status})` : 'The server cannot be reached'),
    cols: ['Account', 'Name', 'Document', 'Mobile', 'Age band', 'Consents', 'Registered', ''],
    minor: 'minor',
    delete: 'Cancel account',
    deleteLabel: (id) => `Cancel account ${id}`,
    confirmTitle: 'Cancel this account?',
    confirmText: (row) => `This erases account ${row.id} (${row.name}, ${row.idNumber}) and its ${row.consents.length} consent records. It cannot be undone.`,
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
let lastStatus = null;
const t = () => STRINGS[locale];

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

function render() {
  const strings = t();
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
            el('td', { class: 'mono', text: row.phone }),
            el('td', { text: (strings.bands[row.ageBand] ?? row.ageBand ?? '') + (row.isMinor ? ` (${strings.minor})` : '') }),
            el('td', { text: String(row.consents?.length ?? 0) }),
            el('td', { text: row.createdAt ? time.format(new Date(row.createdAt)) : '' }),
            el('td', {}, el('button', { type: 'button', class: 'danger', 'data-testid': 'delete', 'data-id': row.id, 'aria-label': strings.deleteLabel(row.id), text: strings.delete })),
          ),
        ),
      ),
    ),
  );
}

async function load() {
  setStatus(t().loading);
  const answer = await apiRequest('GET', '/registrations');
  if (!answer.ok) {
    rows = null;
    const code = answer.body?.issues?.[0]?.code;
    setStatus(code ? (syncMessage(code, {}, locale) ?? t().failed(answer.status)) : t().failed(answer.status));
    lastStatus = null;
    $('table').replaceChildren();
    return;
  }
  rows = answer.body?.registrations ?? [];
  render();
  if (lastStatus) setStatus(lastStatus());
  else setStatus(t().count(rows.length));
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
  $('reload').focus();
}

async function main() {
  applyLocale(locale);
  bindLocaleSwitch(locale, (next) => {
    applyLocale(next);
    render();
    setStatus(lastStatus ? lastStatus() : rows ? t().count(rows.length) : '');
  });
  $('reload').addEventListener('click', () => {
    lastStatus = null;
    load();
  });
  $('table').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-testid="delete"]');
    if (button) remove(button.dataset.id, button);
  });
  await load();
  document.body.dataset.ready = 'true';
}

main();
