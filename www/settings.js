// The settings (settings.html): the backend's base URL and extra headers, kept in localStorage (no personal data), so
// that the pages can talk to any backend that speaks docs/protocol.md.

import { initialLocale, applyPageLocale, bindLocaleSwitch, el } from './site.js';
import { loadSettings, parseSettings, saveSettings, resetSettings, headersText, apiRequest } from './sync-adapter.js';

const STRINGS = {
  'zh-CN': {
    pageTitle: '设置 · shiming',
    title: '设置',
    lede: '本页可连接任何实现了同步协议（docs/protocol.md）的后端。设置保存在本浏览器中，不含个人信息。',
    baseLabel: '后端地址',
    baseHint: '例如 /api 或 https://example.test/api（须允许本页跨域访问，且在 CSP connect-src 之内）。',
    headersLabel: '附加请求头',
    headersHint: '每行一个“名称: 值”，例如 Authorization: Bearer 管理令牌。请勿放入个人信息。',
    save: '保存',
    test: '测试连接',
    reset: '恢复默认',
    saved: '已保存。刷新其他页面后生效。',
    resetDone: '已恢复默认设置。',
    problems: {
      base_url: '后端地址无效：请填写 http(s) 地址或以 / 开头的路径',
      header_syntax: (line) => `第 ${line} 行应为“名称: 值”`,
      header_name: (line) => `第 ${line} 行的请求头名称无效`,
      header_reserved: (line) => `第 ${line} 行的请求头由客户端设置，不能自定义`,
    },
    testing: '正在连接…',
    testOk: (p) => `连接成功：协议版本 ${p.protocol}，${p.documents?.length ?? 0} 份协议，服务器时间 ${new Date(p.serverTime).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`,
    testFailed: (status) => (status ? `连接失败（HTTP ${status}）` : '无法连接该地址'),
  },
  en: {
    pageTitle: 'Settings · shiming',
    title: 'Settings',
    lede: 'These pages can talk to any backend that implements the sync protocol (docs/protocol.md). Settings stay in this browser and hold no personal data.',
    baseLabel: 'Backend base URL',
    baseHint: 'E.g. /api or https://example.test/api (it must allow this origin, and be within the CSP connect-src).',
    headersLabel: 'Extra request headers',
    headersHint: 'One “Name: value” per line, e.g. Authorization: Bearer <admin token>. Never put personal data here.',
    save: 'Save',
    test: 'Test connection',
    reset: 'Restore defaults',
    saved: 'Saved. Reload the other pages to use it.',
    resetDone: 'Defaults restored.',
    problems: {
      base_url: 'The base URL is not valid: an http(s) URL or a path starting with /',
      header_syntax: (line) => `Line ${line} should be “Name: value”`,
      header_name: (line) => `Line ${line}: not a valid header name`,
      header_reserved: (line) => `Line ${line}: this header is set by the client and cannot be changed`,
    },
    testing: 'Connecting…',
    testOk: (p) => `Connected: protocol ${p.protocol}, ${p.documents?.length ?? 0} agreements, server time ${new Date(p.serverTime).toLocaleString('en', { timeZone: 'Asia/Shanghai' })}`,
    testFailed: (status) => (status ? `Could not connect (HTTP ${status})` : 'The address cannot be reached'),
  },
};

const $ = (id) => document.getElementById(id);
let locale = initialLocale();
const t = () => STRINGS[locale];
let message = null;

function applyLocale(next) {
  locale = STRINGS[next] ? next : 'zh-CN';
  applyPageLocale(locale, t());
  showMessage();
}

function showMessage(next) {
  if (next !== undefined) message = next;
  const box = $('settings-msg');
  if (!message) {
    box.replaceChildren();
    return;
  }
  const { kind, text } = message();
  box.replaceChildren(el('p', { class: kind }, el('span', { class: 'icon', 'aria-hidden': 'true', text: kind === 'error' ? '!' : 'i' }), text));
}

function fill() {
  const settings = loadSettings();
  $('base-url').value = settings.baseUrl;
  $('headers').value = headersText(settings.headers);
}

function main() {
  applyLocale(locale);
  bindLocaleSwitch(locale, applyLocale);
  fill();
  $('settings').addEventListener('submit', (event) => {
    event.preventDefault();
    const parsed = parseSettings($('base-url').value, $('headers').value);
    if (!parsed.ok) {
      const problem = t().problems[parsed.problem];
      showMessage(() => ({ kind: 'error', text: typeof t().problems[parsed.problem] === 'function' ? t().problems[parsed.problem](parsed.line) : t().problems[parsed.problem] }));
      (parsed.problem === 'base_url' ? $('base-url') : $('headers')).focus();
      void problem;
      return;
    }
    saveSettings(parsed.settings);
    fill();
    showMessage(() => ({ kind: 'notice', text: t().saved }));
  });
  $('reset').addEventListener('click', () => {
    resetSettings();
    fill();
    showMessage(() => ({ kind: 'notice', text: t().resetDone }));
  });
  $('test').addEventListener('click', async () => {
    showMessage(() => ({ kind: 'notice', text: t().testing }));
    const answer = await apiRequest('GET', '/policy');
    const body = answer.body;
    showMessage(answer.ok && body ? () => ({ kind: 'notice', text: t().testOk(body) }) : () => ({ kind: 'error', text: t().testFailed(answer.status) }));
  });
  document.body.dataset.ready = 'true';
}

main();
