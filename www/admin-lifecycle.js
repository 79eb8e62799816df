// The account lifecycle in the admin view (admin.html, issue 16): the words for an account's verification state and
// the reasons it may be frozen (shared by the listing, the audit log and this card), and the account-audit card:
// GET {base}/_account-audits (the newest reports first) and POST {base}/_account-audits (run the audit now). A report
// holds counts and account numbers (r_…) only, never personal data; so does this card. Codes are rendered with the
// package's messages (sync-messages.js) where it has one, and shown as they are otherwise.

import { el } from './site.js';
import { bandLabels } from './labels.js';
import { apiRequest } from './sync-adapter.js';
import { FREEZE_REASONS, WORDS, reasonText, stateText, stateNote, codeText } from './account-state.js';

/** The age bands in words (the listing and the band changes of a report). */
export const BANDS = { 'zh-CN': bandLabels('zh-CN'), en: bandLabels('en') };

export { FREEZE_REASONS, WORDS, reasonText, stateText, codeText };

/**
 * The verification cell of an account (`verification` of a listing row): the state in words, what it means, the
 * provider and the time when verified, the code when failed.
 */
export function verificationCell(verification, locale, time) {
  const state = verification?.state ?? 'unverified';
  const note = stateNote(verification, locale, time);
  const badge = state === 'verified' ? 'badge ok' : state === 'failed' ? 'badge bad' : 'pill';
  const code = verification?.code;
  return el(
    'td',
    { 'data-testid': 'row-verification', 'data-state': state },
    el('span', { class: badge, 'data-testid': 'verification-state', text: stateText(state, locale) }),
    el('span', { class: 'hint cell-note', text: note }),
    code && state !== 'verified'
      ? el('span', { class: 'hint cell-note', 'data-testid': 'verification-code' }, codeText(code, locale) ? `${codeText(code, locale)} ` : '', el('code', { text: code }))
      : null,
  );
}

const STRINGS = {
  'zh-CN': {
    title: '账号审计',
    note: '服务器定期（也可立即）按现行规则重新检查每个账号：随年龄增长重新计算年龄段，重新校验证件与手机号码，列出长期未使用的账号。报告只含数量与账户编号，不含个人信息。',
    run: '立即运行审计',
    running: '正在审计…',
    ran: (n) => `审计已完成：检查了 ${n} 个账号。`,
    runFailed: (status) => (status ? `审计未能完成（HTTP ${status}）` : '审计未能完成：无法连接服务器'),
    loadFailed: (status) => (status ? `无法读取审计报告（HTTP ${status}）` : '无法读取审计报告：无法连接服务器'),
    denied: { 401: '需要管理令牌（HTTP 401）。', 403: '设置中的令牌不是管理令牌（HTTP 403）。' },
    unavailable: '服务器暂时无法保存（HTTP 503），审计未完成；请稍后再试。',
    empty: '尚无审计报告。服务器会按设定的间隔运行审计，也可以点击“立即运行审计”。',
    latest: '最新报告',
    older: '较早的报告',
    triggers: { admin: '管理员手动运行', schedule: '定时运行' },
    heading: (time, trigger) => `${time} · ${trigger}`,
    meta: (today, policy) => `审计日期 ${today} · 规则 ${policy}`,
    counts: '概况',
    accounts: '账号总数',
    frozen: '已冻结',
    verification: '核验状态',
    bandChanges: '年龄段变化',
    bandCols: ['账户', '原年龄段', '现年龄段'],
    noBandChanges: '没有账号的年龄段发生变化。',
    recheck: '未通过重新校验',
    recheckCols: ['账户', '问题'],
    noRecheck: '所有账号均通过现行规则的校验。',
    unused: (days) => `超过 ${days} 天未使用的账号`,
    unusedCols: ['账户', '最后使用日'],
    noUnused: '没有长期未使用的账号。',
    cleanup: '清理',
    cleanupOff: '未启用未使用账号的清理（仅报告）。',
    cleanupOn: (days) => `已启用清理：先通知，${days} 天后仍未使用则删除。`,
    notified: '已通知',
    deleted: '已删除',
    none: '无',
    unknownBand: '无年龄段',
    sep: '：',
  },
  en: {
    title: 'Account audit',
    note: 'The server checks every account again under the rules in force, on a schedule (or now): age bands recomputed as people grow older, documents and phones checked again, accounts unused for long listed. A report holds counts and account numbers only, never personal data.',
    run: 'Run the audit now',
    running: 'Auditing…',
    ran: (n) => `Audit finished: ${n} account${n === 1 ? '' : 's'} checked.`,
    runFailed: (status) => (status ? `The audit did not finish (HTTP ${status})` : 'The audit did not finish: the server cannot be reached'),
    loadFailed: (status) => (status ? `The audit reports cannot be read (HTTP ${status})` : 'The audit reports cannot be read: the server cannot be reached'),
    denied: { 401: 'The admin token is needed (HTTP 401).', 403: 'The token in the settings is not the admin token (HTTP 403).' },
    unavailable: 'The server cannot store anything now (HTTP 503): the audit did not finish. Try again later.',
    empty: 'No audit report yet. The server runs the audit on its schedule; “Run the audit now” runs it at once.',
    latest: 'Newest report',
    older: 'Earlier reports',
    triggers: { admin: 'run by the admin', schedule: 'scheduled' },
    heading: (time, trigger) => `${time} · ${trigger}`,
    meta: (today, policy) => `Audit date ${today} · rules ${policy}`,
    counts: 'Summary',
    accounts: 'Accounts',
    frozen: 'Frozen',
    verification: 'Verification',
    bandChanges: 'Age band changes',
    bandCols: ['Account', 'Was', 'Now'],
    noBandChanges: 'No account changed age band.',
    recheck: 'Failed the check again',
    recheckCols: ['Account', 'Problem'],
    noRecheck: 'Every account passes the rules in force.',
    unused: (days) => `Accounts unused for more than ${days} days`,
    unusedCols: ['Account', 'Last used'],
    noUnused: 'No account has gone unused that long.',
    cleanup: 'Clean-up',
    cleanupOff: 'The clean-up of unused accounts is off (reported only).',
    cleanupOn: (days) => `Clean-up on: notified first, deleted after ${days} days if still unused.`,
    notified: 'Notified',
    deleted: 'Deleted',
    none: 'none',
    unknownBand: 'no age band',
    sep: ': ',
  },
};

/** The account-audit card: `load()` (the newest reports), `render(locale)`; its button runs the audit. */
export function accountAudits(container, { onRun } = {}) {
  let locale = 'zh-CN';
  /** `{ reports }` or `{ error: status }`, or null before the first load (or without the admin token). */
  let data = null;
  /** The card's own status after a run: `{ text: (s) => string, error }`, or null. */
  let status = null;
  let busy = false;

  const s = () => STRINGS[locale];
  const band = (b) => (b ? (BANDS[locale][b] ?? b) : s().unknownBand);
  const account = (id) => el('code', { text: id });

  function table(testid, cols, rows) {
    return el(
      'div',
      { class: 'table-wrap' },
      el('table', { 'data-testid': testid }, el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col', text: c })))), el('tbody', {}, rows)),
    );
  }

  function section(title, testid, ...body) {
    return el('section', { class: 'report-part', 'data-testid': testid }, el('h4', { text: title }), ...body);
  }

  function reportView(entry, time, day) {
    const strings = s();
    const r = entry.report ?? {};
    const states = Object.entries(r.verification ?? {});
    const unused = r.unused ?? { accounts: [] };
    const cleanup = r.cleanup ?? {};
    const list = (ids) => (ids?.length ? ids.flatMap((id, i) => (i ? ['，', account(id)] : [account(id)])) : [strings.none]);
    return [
      el('p', { class: 'hint', text: strings.meta(r.today ?? '', r.policy ? `${r.policy.id} v${r.policy.version}` : '') }),
      section(
        strings.counts,
        'report-counts',
        el(
          'dl',
          { class: 'info' },
          el('div', { class: 'info-row' }, el('dt', { text: strings.accounts }), el('dd', { 'data-testid': 'report-accounts', 'data-value': String(r.accounts ?? 0), text: String(r.accounts ?? 0) })),
          el('div', { class: 'info-row' }, el('dt', { text: strings.frozen }), el('dd', { 'data-testid': 'report-frozen', 'data-value': String(r.frozen ?? 0), text: String(r.frozen ?? 0) })),
          el(
            'div',
            { class: 'info-row' },
            el('dt', { text: strings.verification }),
            el('dd', { 'data-testid': 'report-verification' }, states.length ? states.map(([state, n], i) => el('span', { 'data-state': state, 'data-value': String(n), text: `${i ? '，' : ''}${stateText(state, locale)} ${n}` })) : strings.none),
          ),
        ),
      ),
      section(
        strings.bandChanges,
        'report-band-changes',
        r.bandChanges?.length
          ? table(
              'band-changes',
              strings.bandCols,
              r.bandChanges.map((c) => el('tr', { 'data-account': c.account, 'data-from': c.from ?? '', 'data-to': c.to ?? '' }, el('td', {}, account(c.account)), el('td', { text: band(c.from) }), el('td', { text: `→ ${band(c.to)}` }))),
            )
          : el('p', { class: 'muted', text: strings.noBandChanges }),
      ),
      section(
        strings.recheck,
        'report-recheck',
        r.recheckFailures?.length
          ? table(
              'recheck-failures',
              strings.recheckCols,
              r.recheckFailures.map((f) =>
                el(
                  'tr',
                  { 'data-account': f.account },
                  el('td', {}, account(f.account)),
                  el('td', {}, el('ul', { class: 'codes' }, (f.codes ?? []).map((code) => el('li', { 'data-code': code }, codeText(code, locale) ? `${codeText(code, locale)} ` : '', el('code', { text: code }))))),
                ),
              ),
            )
          : el('p', { class: 'muted', text: strings.noRecheck }),
      ),
      section(
        strings.unused(unused.afterDays ?? '?'),
        'report-unused',
        unused.accounts?.length
          ? table(
              'unused-accounts',
              strings.unusedCols,
              unused.accounts.map((a) => el('tr', { 'data-account': a.account }, el('td', {}, account(a.account)), el('td', { text: typeof a.lastActiveDay === 'number' ? day.format(new Date(a.lastActiveDay)) : '' }))),
            )
          : el('p', { class: 'muted', text: strings.noUnused }),
      ),
      section(
        strings.cleanup,
        'report-cleanup',
        el('p', { class: 'hint', text: cleanup.enabled ? strings.cleanupOn(cleanup.noticeDays ?? '?') : strings.cleanupOff }),
        el(
          'dl',
          { class: 'info' },
          el('div', { class: 'info-row' }, el('dt', { text: strings.notified }), el('dd', { 'data-testid': 'cleanup-notified' }, list(cleanup.notified))),
          el('div', { class: 'info-row' }, el('dt', { text: strings.deleted }), el('dd', { 'data-testid': 'cleanup-deleted' }, list(cleanup.deleted))),
        ),
      ),
    ];
  }

  function render(next = locale) {
    locale = STRINGS[next] ? next : 'zh-CN';
    const strings = s();
    if (data === null) {
      container.hidden = true;
      return;
    }
    container.hidden = false;
    const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Shanghai' });
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' });
    const heading = (entry) => strings.heading(time.format(new Date(entry.finishedAt ?? entry.startedAt)), strings.triggers[entry.trigger] ?? entry.trigger);
    let body;
    if (data.error !== undefined) {
      body = el('p', { class: 'error', 'data-testid': 'account-audit-error', text: strings.loadFailed(data.error) });
    } else if (!data.reports.length) {
      body = el('p', { class: 'muted', 'data-testid': 'account-audit-empty', text: strings.empty });
    } else {
      const [newest, ...older] = data.reports;
      body = [
        el('article', { class: 'report', 'data-testid': 'account-audit-report', 'data-seq': String(newest.seq) }, el('h3', { text: `${strings.latest}${strings.sep}${heading(newest)}` }), reportView(newest, time, day)),
        older.length
          ? el(
              'div',
              { class: 'older-reports' },
              el('h3', { text: strings.older }),
              older.map((entry) => el('details', { 'data-testid': 'account-audit-older', 'data-seq': String(entry.seq) }, el('summary', { text: heading(entry) }), el('div', { class: 'report' }, reportView(entry, time, day)))),
            )
          : null,
      ];
    }
    container.replaceChildren(
      el('div', { class: 'row' }, el('h2', { id: 'account-audit-title', text: strings.title }), el('button', { type: 'button', 'data-testid': 'account-audit-run', disabled: busy, text: busy ? strings.running : strings.run, onclick: run })),
      el('p', { class: 'hint', text: strings.note }),
      el('p', { class: `status-line${status?.error ? ' error' : ''}`, role: 'status', 'data-testid': 'account-audit-status', text: status ? status.text(strings) : '' }),
      ...[body].flat().filter(Boolean),
    );
  }

  async function load() {
    const answer = await apiRequest('GET', '/_account-audits?limit=5');
    if (answer.status === 401 || answer.status === 403) data = null; // the listing already says how to add the token
    else data = answer.ok && Array.isArray(answer.body?.reports) ? { reports: answer.body.reports } : { error: answer.status };
    render(locale);
  }

  async function run() {
    if (busy) return;
    busy = true;
    // The card's state for scripts and tests: running, then done or error once everything it refreshes is shown.
    container.dataset.state = 'running';
    status = { text: (strings) => strings.running };
    render(locale);
    const answer = await apiRequest('POST', '/_account-audits');
    busy = false;
    if (answer.ok && answer.body) {
      const n = answer.body.accounts ?? 0;
      status = { text: (strings) => strings.ran(n) };
    } else {
      const code = answer.body?.issues?.[0]?.code;
      const { status: http } = answer;
      status = {
        error: true,
        text: (strings) =>
          strings.denied[http] ?? (http === 503 ? strings.unavailable : `${strings.runFailed(http)}${code && codeText(code, locale) ? `${strings.sep}${codeText(code, locale)}` : ''}`),
      };
    }
    // The stored reports (the new one with its number and end time), then whatever else wants to know.
    if (answer.status !== 401 && answer.status !== 403) await load();
    else render(locale);
    await onRun?.();
    container.dataset.state = answer.ok ? 'done' : 'error';
    container.querySelector('[data-testid="account-audit-run"]')?.focus();
  }

  return { load, render, run };
}
