// The guardian's own limits for a minor's account, in the guardian area (guardian.html): the policy's values for the
// child's age and the guardian's settings, from GET {base}/registrations/{id}/limits, saved with PUT (the whole
// setting, `Authorization: Bearer <access code>`). The server decides: it applies the stricter of the policy and the
// guardian (POST …/evaluate), refuses a setting looser than the rule lets a guardian set (guardian_limit_too_loose),
// and, with the access code (which the child may hold too), accepts only a stricter one (guardian_limit_only_tighter:
// loosening goes through the platform). This page only shows and sends; no rule is copied here.

import { el } from './site.js';
import { apiRequest, bearer } from './sync-adapter.js';
import { syncMessage } from './sync-messages.js';

const STRINGS = {
  'zh-CN': {
    title: '监护人设置：时长与消费',
    lede: '可在规则之内为孩子设置更严格的限制。使用访问码只能收紧；如需放宽，请联系监护专线，由平台核实您的监护人身份后办理。',
    daily: '每日使用时长（分钟）',
    perPayment: '单次充值上限（元）',
    perDay: '每日充值累计上限（元）',
    perMonth: '每月充值累计上限（元）',
    night: '禁止使用时段（在规则的夜间时段之外另加）',
    nightStart: '开始',
    nightEnd: '结束',
    policyMinutes: (policy, max) => (max > policy ? `规则默认 ${policy} 分钟，监护人最多可设 ${max} 分钟` : `规则上限 ${policy} 分钟`),
    policyYuan: (yuan) => `规则上限 ${yuan} 元`,
    noRule: '规则未设上限',
    policyNight: (start, end) => `规则：${start}–次日 ${end} 不提供服务`,
    save: '保存设置',
    saving: '正在保存…',
    saved: (by) => `已保存（${by === 'admin' ? '平台设置' : '凭访问码设置'}）。服务器在判断每次使用和充值时都会同时适用规则和这些设置，以更严格者为准。`,
    notMinor: '该账户为成年人账户，不适用监护人设置。',
    loadFailed: (status) => (status ? `无法读取监护人设置（HTTP ${status}）` : '无法读取监护人设置：无法连接服务器'),
    saveFailed: (status) => `保存失败（HTTP ${status || '无响应'}）`,
    notNumber: '请输入不小于 0 的数字',
    bothTimes: '请同时填写开始和结束时间',
    tooLooseMinutes: (max) => `不能超过 ${max} 分钟`,
    tooLooseYuan: (yuan) => `不能超过 ${yuan} 元`,
    invalid: '该项设置无效',
    current: '当前设置',
    none: '尚未设置，适用规则的默认值。',
  },
  en: {
    title: "The guardian's limits: time and spending",
    lede: "Set stricter limits for your child, within the rules. With the access code limits can only be made stricter; to loosen them, call the guardian line: the platform verifies that you are the guardian first.",
    daily: 'Time a day (minutes)',
    perPayment: 'Most for one payment (CNY)',
    perDay: 'Most paid in a day (CNY)',
    perMonth: 'Most paid in a month (CNY)',
    night: 'No use between (added to the rules’ night-time)',
    nightStart: 'From',
    nightEnd: 'To',
    policyMinutes: (policy, max) => (max > policy ? `The rule’s default is ${policy} minutes; a guardian may set up to ${max}` : `The rule allows at most ${policy} minutes`),
    policyYuan: (yuan) => `The rule allows at most ${yuan} CNY`,
    noRule: 'No limit in the rules',
    policyNight: (start, end) => `The rules: no service ${start}–${end} the next day`,
    save: 'Save the limits',
    saving: 'Saving…',
    saved: (by) => `Saved (${by === 'admin' ? 'by the platform' : 'with the access code'}). The server applies the rules and these limits to every use and payment, the stricter of the two.`,
    notMinor: "An adult's account: there are no guardian limits.",
    loadFailed: (status) => (status ? `The limits cannot be read (HTTP ${status})` : 'The limits cannot be read: the server cannot be reached'),
    saveFailed: (status) => `Could not save (HTTP ${status || 'no answer'})`,
    notNumber: 'Enter a number, 0 or more',
    bothTimes: 'Enter both times',
    tooLooseMinutes: (max) => `At most ${max} minutes`,
    tooLooseYuan: (yuan) => `At most ${yuan} CNY`,
    invalid: 'This setting is not valid',
    current: 'Current limits',
    none: 'Not set: the rules’ defaults apply.',
  },
};

/** The inputs: the member of the setting each one edits, and its unit. */
const FIELDS = [
  { id: 'limits-daily', key: 'dailySeconds', label: 'daily', unit: 'minutes' },
  { id: 'limits-per-payment', key: 'perPaymentFen', label: 'perPayment', unit: 'yuan' },
  { id: 'limits-per-day', key: 'perDayFen', label: 'perDay', unit: 'yuan' },
  { id: 'limits-per-month', key: 'perMonthFen', label: 'perMonth', unit: 'yuan' },
];

const yuan = (fen) => (fen / 100).toFixed(fen % 100 ? 2 : 0);
const toInput = (value, unit) => (value === undefined || value === null ? '' : unit === 'minutes' ? String(value / 60) : yuan(value));

/** The guardian-limits card of one page: `show(account, token)`, `hide()`, `render(locale)`. */
export function guardianLimits(container) {
  let locale = 'zh-CN';
  let account = null;
  let token = null;
  /** The server's answer: `{ limits, bounds, updatedBy, … }`, or `{ error: status }`. */
  let data = null;
  /** What the last save said: `{ state: 'saving' | 'saved' | 'error', text: (strings) => text, fields: { key: text } }`. */
  let status = null;
  const t = () => STRINGS[locale] ?? STRINGS['zh-CN'];

  /** The inputs' values as typed (kept across a re-render, e.g. a language switch). */
  function typed() {
    const values = {};
    for (const f of [...FIELDS, { id: 'limits-night-start' }, { id: 'limits-night-end' }]) {
      const input = container.querySelector(`#${f.id}`);
      if (input) values[f.id] = input.value;
    }
    return values;
  }

  function fromServer() {
    const limits = data?.limits ?? {};
    const values = {};
    for (const f of FIELDS) values[f.id] = toInput(limits[f.key], f.unit);
    values['limits-night-start'] = limits.curfew?.start ?? '';
    values['limits-night-end'] = limits.curfew?.end ?? '';
    return values;
  }

  function hint(field) {
    const strings = t();
    const bounds = data?.bounds ?? {};
    if (field.key === 'dailySeconds') {
      const daily = bounds.dailySeconds;
      return daily ? strings.policyMinutes(daily.policy / 60, daily.guardianMax / 60) : strings.noRule;
    }
    const cap = bounds[field.key];
    return cap === undefined || cap === null ? strings.noRule : strings.policyYuan(yuan(cap));
  }

  function render(next = locale, values = null) {
    locale = next;
    const strings = t();
    if (!account) {
      container.hidden = true;
      return;
    }
    container.hidden = false;
    const body = [el('h2', { id: 'limits-title', text: strings.title })];
    if (!account.isMinor) {
      body.push(el('p', { 'data-testid': 'limits-state', 'data-state': 'adult', text: strings.notMinor }));
      container.replaceChildren(...body);
      return;
    }
    if (data?.error !== undefined) {
      body.push(el('p', { class: 'error', 'data-testid': 'limits-state', 'data-state': 'error', text: strings.loadFailed(data.error) }));
      container.replaceChildren(...body);
      return;
    }
    const shown = values ?? fromServer();
    const problems = status?.fields ?? {};
    const field = (f) => {
      const problem = problems[f.key];
      return el(
        'div',
        { class: 'field' },
        el('label', { for: f.id, text: strings[f.label] }),
        el('input', {
          id: f.id,
          'data-testid': f.id,
          type: 'number',
          min: '0',
          step: f.unit === 'minutes' ? '1' : '0.01',
          inputmode: 'decimal',
          value: shown[f.id] ?? '',
          'aria-describedby': `${f.id}-hint ${f.id}-msg`,
          ...(problem ? { 'aria-invalid': 'true' } : {}),
        }),
        el('p', { class: 'hint', id: `${f.id}-hint`, text: hint(f) }),
        el('div', { class: 'msg', id: `${f.id}-msg`, 'aria-live': 'polite' }, problem ? el('p', { class: 'error', text: problem }) : null),
      );
    };
    const night = data?.bounds?.curfew;
    body.push(
      el('p', { class: 'hint', text: strings.lede }),
      el('p', { 'data-testid': 'limits-current', class: 'muted', text: data?.limits ? `${strings.current}: ${describe(data.limits, strings)}` : strings.none }),
      el(
        'form',
        { id: 'limits-form', 'data-testid': 'limits-form', novalidate: '' },
        ...FIELDS.map(field),
        el(
          'fieldset',
          { class: 'field' },
          el('legend', { text: strings.night }),
          el('label', { for: 'limits-night-start', text: strings.nightStart }),
          el('input', { id: 'limits-night-start', 'data-testid': 'limits-night-start', type: 'time', value: shown['limits-night-start'] ?? '', ...(problems.curfew ? { 'aria-invalid': 'true' } : {}) }),
          el('label', { for: 'limits-night-end', text: strings.nightEnd }),
          el('input', { id: 'limits-night-end', 'data-testid': 'limits-night-end', type: 'time', value: shown['limits-night-end'] ?? '', ...(problems.curfew ? { 'aria-invalid': 'true' } : {}) }),
          night ? el('p', { class: 'hint', text: strings.policyNight(night.start, night.end) }) : null,
          problems.curfew ? el('p', { class: 'error', text: problems.curfew }) : null,
        ),
        el('button', { type: 'submit', class: 'primary', 'data-testid': 'limits-save', text: strings.save }),
        el('p', {
          class: status?.state === 'error' ? 'status-line error' : 'status-line',
          role: 'status',
          'data-testid': 'limits-status',
          'data-state': status?.state ?? '',
          text: status ? status.text(strings) : '',
        }),
      ),
    );
    container.replaceChildren(...body);
    container.querySelector('#limits-form').addEventListener('submit', save);
  }

  /** The setting the inputs describe, or the problems that keep it from being sent. */
  function read() {
    const strings = t();
    const values = typed();
    const setting = {};
    const fields = {};
    for (const f of FIELDS) {
      const text = values[f.id]?.trim() ?? '';
      if (!text) continue;
      const number = Number(text);
      if (!Number.isFinite(number) || number < 0) {
        fields[f.key] = strings.notNumber;
        continue;
      }
      setting[f.key] = f.unit === 'minutes' ? Math.round(number * 60) : Math.round(number * 100);
    }
    const start = values['limits-night-start'];
    const end = values['limits-night-end'];
    if (start && end) setting.curfew = { start, end };
    else if (start || end) fields.curfew = strings.bothTimes;
    return { setting, fields, values };
  }

  async function save(event) {
    event.preventDefault();
    if (!account || !token) return;
    const { setting, fields, values } = read();
    if (Object.keys(fields).length) {
      status = { state: 'error', text: () => '', fields };
      render(locale, values);
      return;
    }
    status = { state: 'saving', text: (s) => s.saving };
    render(locale, values);
    const id = account.id;
    const answer = await apiRequest('PUT', `/registrations/${encodeURIComponent(id)}/limits`, { headers: bearer(token), json: setting });
    if (account?.id !== id) return;
    if (answer.ok && answer.body) {
      data = answer.body;
      const by = answer.body.updatedBy;
      status = { state: 'saved', text: (s) => s.saved(by) };
      render(locale);
      return;
    }
    const issues = Array.isArray(answer.body?.issues) ? answer.body.issues : [];
    const problems = {};
    const general = [];
    for (const issue of issues) {
      const key = issue.path?.[1];
      const message = messageOf(issue);
      if (key && (FIELDS.some((f) => f.key === key) || key === 'curfew')) problems[key] = message;
      else general.push(message);
    }
    const httpStatus = answer.status;
    status = {
      state: 'error',
      code: issues[0]?.code,
      text: (s) => (general.length ? general.map((m) => (typeof m === 'function' ? m(s) : m)).join('；') : Object.keys(problems).length ? '' : s.saveFailed(httpStatus)),
      fields: Object.fromEntries(Object.entries(problems).map(([k, m]) => [k, typeof m === 'function' ? m(t()) : m])),
    };
    render(locale, values);
  }

  /** A server issue's message: a bound in minutes or CNY for `guardian_limit_too_loose`, the package's message otherwise. */
  function messageOf(issue) {
    if (issue.code === 'guardian_limit_too_loose' && typeof issue.params?.max === 'number') {
      const max = issue.params.max;
      return issue.path?.[1] === 'dailySeconds' || issue.path?.[1] === 'playSecondsPerDay'
        ? (s) => s.tooLooseMinutes(max / 60)
        : (s) => s.tooLooseYuan(yuan(max));
    }
    // guardian_limit_invalid's message is in shiming/policy, which this page does not load for one line.
    if (issue.code === 'guardian_limit_invalid') return (s) => s.invalid;
    return syncMessage(issue.code, issue.params, locale) ?? issue.code;
  }

  return {
    async show(nextAccount, nextToken, nextLocale) {
      account = nextAccount;
      token = nextToken;
      locale = nextLocale;
      data = null;
      status = null;
      if (account?.isMinor) {
        const id = account.id;
        const answer = await apiRequest('GET', `/registrations/${encodeURIComponent(id)}/limits`, { headers: bearer(token) });
        if (account?.id !== id) return;
        data = answer.ok && answer.body ? answer.body : { error: answer.status };
      }
      render(locale);
    },
    hide() {
      account = null;
      token = null;
      data = null;
      status = null;
      container.hidden = true;
      container.replaceChildren();
    },
    render(nextLocale) {
      render(nextLocale, account ? typed() : null);
    },
  };
}

/** A stored setting in words. */
function describe(limits, strings) {
  const parts = [];
  for (const f of FIELDS) {
    if (limits[f.key] !== undefined) parts.push(`${strings[f.label]} ${toInput(limits[f.key], f.unit)}`);
  }
  if (limits.curfew) parts.push(`${strings.night} ${limits.curfew.start}–${limits.curfew.end}`);
  return parts.join('；');
}
