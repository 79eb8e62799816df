// The audit log in the admin view (admin.html): GET {base}/_audit, the server's append-only record of every admin read
// and lifecycle action (who, what, when, which account by its number; never personal data), newest first. Reading it
// is itself recorded. The admin token goes with the settings' extra headers, as for the listing.

import { el } from './site.js';
import { apiRequest } from './sync-adapter.js';
import { reasonText, stateText } from './admin-lifecycle.js';

const STRINGS = {
  'zh-CN': {
    title: '审计日志',
    note: '服务器记录的每一次管理操作与账号生命周期操作（谁、何时、做了什么、涉及哪个账户），只追加不修改，至少保存六个月；不含个人信息。',
    cols: ['时间', '操作者', '操作', '账户', '说明'],
    actors: { admin: '管理员', account: '账号本人或监护人（访问码）', server: '服务器' },
    actions: {
      'admin.list': '查看注册记录列表',
      'admin.read': '查看账户',
      'admin.audit': '查看审计日志',
      'account.delete': '注销账号',
      'limits.set': '设置监护人限制',
      'limits.clear': '清除监护人限制',
      'account.freeze': '冻结账号',
      'account.unfreeze': '解冻账号',
      'account.verification': '实名核验结果',
      'account.unused_notice': '通知长期未使用',
      'accounts.audit': '运行账号审计',
      'admin.account_audits': '查看账号审计报告',
    },
    parts: { consents: '同意记录', limits: '监护人限制' },
    auditDetail: (bands, notified) => `年龄段变化 ${bands} 个，通知 ${notified} 个`,
    empty: '暂无记录。',
    failed: (status) => (status ? `无法读取审计日志（HTTP ${status}）` : '无法读取审计日志：无法连接服务器'),
  },
  en: {
    title: 'Audit log',
    note: 'Every admin action and account lifecycle action the server recorded (who, when, what, which account): appended, never changed, kept at least six months; no personal data.',
    cols: ['Time', 'By', 'Action', 'Account', 'Detail'],
    actors: { admin: 'Admin', account: 'The account holder or guardian (access code)', server: 'Server' },
    actions: {
      'admin.list': 'Viewed the registrations',
      'admin.read': 'Viewed an account',
      'admin.audit': 'Viewed the audit log',
      'account.delete': 'Cancelled the account',
      'limits.set': "Set the guardian's limits",
      'limits.clear': "Cleared the guardian's limits",
      'account.freeze': 'Froze the account',
      'account.unfreeze': 'Unfroze the account',
      'account.verification': 'Real-name verification result',
      'account.unused_notice': 'Notified as unused',
      'accounts.audit': 'Ran the account audit',
      'admin.account_audits': 'Viewed the account audit reports',
    },
    parts: { consents: 'consents', limits: "guardian's limits" },
    auditDetail: (bands, notified) => `${bands} age band change${bands === '1' ? '' : 's'}, ${notified} notified`,
    empty: 'Nothing recorded yet.',
    failed: (status) => (status ? `The audit log cannot be read (HTTP ${status})` : 'The audit log cannot be read: the server cannot be reached'),
  },
};

/** A record's detail in words: a freeze reason, a verification state, an audit's counts; else as recorded. */
function detailText(entry, locale) {
  const detail = entry.detail ?? '';
  if (!detail) return '';
  const s = STRINGS[locale];
  if (entry.action === 'account.freeze') return reasonText(detail, locale);
  if (entry.action === 'account.verification') return stateText(detail, locale);
  if (entry.action === 'admin.read') return s.parts[detail] ?? detail;
  const counts = entry.action === 'accounts.audit' && /^bands:(\d+) notified:(\d+)$/.exec(detail);
  if (counts) return s.auditDetail(counts[1], counts[2]);
  return detail;
}

/** The audit-log card: `load()` (again), `render(locale)`. */
export function auditLog(container) {
  let locale = 'zh-CN';
  /** `{ entries }` or `{ error: status }`, or null before the first load. */
  let data = null;

  function render(next = locale) {
    locale = STRINGS[next] ? next : 'zh-CN';
    const s = STRINGS[locale];
    if (data === null) {
      container.hidden = true;
      return;
    }
    container.hidden = false;
    const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Shanghai' });
    const body =
      data.error !== undefined
        ? el('p', { class: 'error', 'data-testid': 'audit-error', text: s.failed(data.error) })
        : !data.entries.length
          ? el('p', { class: 'muted', text: s.empty })
          : el(
              'div',
              { class: 'table-wrap' },
              el(
                'table',
                {},
                el('thead', {}, el('tr', {}, s.cols.map((c) => el('th', { scope: 'col', text: c })))),
                el(
                  'tbody',
                  {},
                  data.entries.map((e) =>
                    el(
                      'tr',
                      { 'data-testid': 'audit-row', 'data-action': e.action, 'data-actor': e.actor, 'data-detail': e.detail ?? '' },
                      el('td', { text: time.format(new Date(e.at)) }),
                      el('td', { text: s.actors[e.actor] ?? e.actor }),
                      el('td', { text: s.actions[e.action] ?? e.action }),
                      el('td', {}, e.account ? el('code', { text: e.account }) : ''),
                      el('td', { 'data-testid': 'audit-detail', text: detailText(e, locale) }),
                    ),
                  ),
                ),
              ),
            );
    container.replaceChildren(el('h2', { id: 'audit-title', text: s.title }), el('p', { class: 'hint', text: s.note }), body);
  }

  return {
    async load() {
      const answer = await apiRequest('GET', '/_audit?limit=50');
      if (answer.status === 401 || answer.status === 403) data = null; // the listing already says how to add the token
      else data = answer.ok && Array.isArray(answer.body?.entries) ? { entries: answer.body.entries } : { error: answer.status };
      render(locale);
    },
    render,
  };
}
