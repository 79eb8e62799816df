// What every page of the demo shares: the navigation and footer texts (zh-CN and en), the language choice (kept in
// localStorage: a preference, no personal data), the guardian contact from config.json (the "四有" of 家长监护工程),
// and a small DOM helper. Messages about what the user typed never come from here: they come from the module.

export const LOCALES = ['zh-CN', 'en'];

const SITE = {
  'zh-CN': {
    brand: '实名注册',
    navRegister: '注册',
    navCheck: '证件校验',
    navAudit: '批量核查',
    navAdmin: '管理',
    navGuardian: '家长监护',
    navSettings: '设置',
    skip: '跳到主要内容',
    language: '语言',
    footerGuardian: '家长监护专区',
    footerHotline: '监护专线',
    footerNote: '本页为 shiming 演示：所有号码均为测试数据生成器生成，请勿输入真实个人信息。',
  },
  en: {
    brand: 'Real-name sign-up',
    navRegister: 'Sign up',
    navCheck: 'ID check',
    navAudit: 'Bulk audit',
    navAdmin: 'Admin',
    navGuardian: 'For parents',
    navSettings: 'Settings',
    skip: 'Skip to main content',
    language: 'Language',
    footerGuardian: 'Parents & guardians',
    footerHotline: 'Guardian line',
    footerNote: 'A shiming demo: use numbers from the test-data generator only, never real personal data.',
  },
};

/** The pages of the demo, in the navigation's order: file and the SITE text of its link. */
const PAGES = [
  ['index.html', 'navRegister'],
  ['check.html', 'navCheck'],
  ['audit.html', 'navAudit'],
  ['admin.html', 'navAdmin'],
  ['guardian.html', 'navGuardian'],
  ['settings.html', 'navSettings'],
];

/**
 * The shared chrome, built once here for every page that asks for it with an empty `<header data-site-header>` and
 * `<footer data-site-footer>`: the skip link, the brand, the navigation, the language switch and the guardian footer.
 * It runs when a page's module imports this one, so it is in place before the page's own code looks for the
 * language radios. Texts start in zh-CN; `applySiteChrome` translates them.
 */
function mountSiteChrome() {
  if (typeof document === 'undefined') return;
  const t = SITE['zh-CN'];
  const header = document.querySelector('header[data-site-header]');
  if (header && !header.hasChildNodes()) {
    const radio = (value, id, testid, label) =>
      el('label', {}, el('input', { type: 'radio', name: 'locale', value, id, 'data-testid': testid, checked: value === 'zh-CN' }), el('span', { lang: value, text: label }));
    header.before(el('a', { class: 'skip', href: '#main', 'data-site': 'skip', text: t.skip }));
    header.append(
      el(
        'div',
        { class: 'site-bar' },
        el('a', { class: 'brand', href: './index.html' }, el('span', { class: 'brand-mark', 'aria-hidden': 'true', text: '实' }), el('span', { 'data-site': 'brand', text: t.brand })),
        el('nav', { class: 'site-nav', 'aria-label': '导航 Navigation' }, PAGES.map(([href, key]) => el('a', { href: `./${href}`, 'data-site': key, text: t[key] }))),
        el(
          'fieldset',
          { class: 'lang', 'data-testid': 'locale' },
          el('legend', { class: 'visually-hidden', 'data-site': 'language', text: t.language }),
          radio('zh-CN', 'locale-zh', 'locale-zh', '中文'),
          radio('en', 'locale-en', 'locale-en', 'English'),
        ),
      ),
    );
    // The current page is known before any locale: marked at once, not when the page has loaded.
    markCurrentPage();
    // The switch works from the first paint: a choice made while the page's module is still loading translates the
    // chrome at once and reaches the page when it binds (bindLocaleSwitch), instead of being lost.
    for (const input of header.querySelectorAll('input[name="locale"]')) {
      input.addEventListener('change', () => {
        if (!input.checked) return;
        chosenLocale = input.value;
        rememberLocale(input.value);
        applySiteChrome(input.value);
        for (const listener of localeListeners) listener(input.value);
      });
    }
    const start = initialLocale();
    if (start !== 'zh-CN') {
      syncLocaleRadios(start);
      applySiteChrome(start);
    }
  }
  const footer = document.querySelector('footer[data-site-footer]');
  if (footer && !footer.hasChildNodes()) {
    footer.append(
      el(
        'p',
        {},
        el('a', { href: './guardian.html', 'data-testid': 'footer-guardian', 'data-site': 'footerGuardian', text: t.footerGuardian }),
        ' ',
        el('span', { class: 'sep', 'aria-hidden': 'true', text: '·' }),
        ' ',
        el('span', { id: 'footer-hotline', 'data-testid': 'footer-hotline' }),
      ),
      el('p', { 'data-site': 'footerNote', text: t.footerNote }),
    );
  }
}

/** Marks the navigation's link to this page (`aria-current`). */
function markCurrentPage() {
  const here = location.pathname.replace(/\/$/, '/index.html').split('/').pop() || 'index.html';
  for (const link of document.querySelectorAll('.site-nav a')) {
    if (link.getAttribute('href').replace('./', '') === here) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** The locale to start with: the one picked on this page already, else ?lang=en, else the last choice, else zh-CN. */
export function initialLocale() {
  if (chosenLocale !== null) return chosenLocale;
  const requested = new URLSearchParams(location.search).get('lang');
  if (LOCALES.includes(requested)) return requested;
  try {
    const stored = localStorage.getItem('shiming.locale');
    if (LOCALES.includes(stored)) return stored;
  } catch {
    // Storage may be disabled: the default applies.
  }
  return 'zh-CN';
}

export function rememberLocale(locale) {
  try {
    localStorage.setItem('shiming.locale', locale);
  } catch {
    // A preference only.
  }
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

let configPromise = null;
/** www/config.json: the platform's guardian contact (named person in charge, dedicated line, report note). */
export function loadConfig() {
  configPromise ??= fetch(new URL('./config.json', import.meta.url))
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
  return configPromise;
}

/** Localised text of a config value: a string, or `{ "zh-CN": …, "en": … }`. */
export function pick(value, locale) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return value[locale] ?? value['zh-CN'] ?? '';
}

/** Translates the shared chrome (`data-site` nodes) and fills the footer's guardian contact. */
export async function applySiteChrome(locale) {
  const t = SITE[locale] ?? SITE['zh-CN'];
  for (const node of document.querySelectorAll('[data-site]')) {
    const text = t[node.dataset.site];
    if (typeof text === 'string') node.textContent = text;
  }
  markCurrentPage();
  const hotline = document.getElementById('footer-hotline');
  if (hotline) {
    const config = await loadConfig();
    const phone = config?.guardian?.hotline;
    hotline.replaceChildren(
      ...(phone ? [`${t.footerHotline} `, el('a', { href: `tel:${phone.replace(/[^\d+]/g, '')}`, text: phone })] : []),
    );
  }
}

/** The locale the user picked on this page (null until they do), and the pages' handlers of the switch. */
let chosenLocale = null;
const localeListeners = [];

/**
 * Binds a page to the language switch: `onChange(locale)` re-renders the page. A choice the user made before the page
 * bound (while its module loaded) is applied now.
 */
export function bindLocaleSwitch(current, onChange) {
  localeListeners.push(onChange);
  if (chosenLocale !== null && chosenLocale !== current) onChange(chosenLocale);
  else syncLocaleRadios(current);
}

export function syncLocaleRadios(locale) {
  for (const radio of document.querySelectorAll('input[name="locale"]')) radio.checked = radio.value === locale;
}

/**
 * Puts a page into `locale`, the one place every page does it: `<html lang>`, the title (`strings.pageTitle`), the
 * page's `data-i18n` nodes from `strings` (except those `keep(node)` says the page fills itself), the language radios
 * and the shared chrome.
 */
export function applyPageLocale(locale, strings, keep = null) {
  document.documentElement.lang = locale;
  document.title = strings.pageTitle;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    const text = strings[node.dataset.i18n];
    if (typeof text === 'string' && !keep?.(node)) node.textContent = text;
  }
  syncLocaleRadios(locale);
  applySiteChrome(locale);
}

mountSiteChrome();
