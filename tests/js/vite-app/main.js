// A bundled app that uses the package the way a user of Vite would: a bare import, no init call.
// (The numbers are the public standard examples.)
import { checkId, isValidId, checkIdBatch, loadRegionNames, regionNamesLoaded, loadLocale, configure } from 'shiming';
// The raw glue is the same module instance, already initialised: its init resolves at once.
import init, { checkId as checkIdWeb } from 'shiming/web';

const asOf = '2024-06-01';
const legacyToo = { asOf, kinds: ['cn_resident', 'cn_resident_legacy'] };
const batch = checkIdBatch(new TextEncoder().encode('11010519491231002X\n110101199003074478\n110105491231002'), legacyToo);

await init();

// Region names are a separate chunk, loaded on demand.
const namesBefore = regionNamesLoaded();
const codeOnly = checkId('11010519491231002X', { asOf }).value.region;
await loadRegionNames();

// Traditional Chinese is a chunk of its own per locale: until it is loaded, zh-HK renders as zh-CN.
const wrong = '110101199003074478';
const hkBefore = checkId(wrong, { asOf, locale: 'zh-HK' }).issues[0].message;
const hkLocale = await loadLocale('zh-Hant-HK');
const hkAfter = checkId(wrong, { asOf, locale: 'zh-HK' }).issues[0].message;

// One configuration per page: the wording given before the policy module loads applies to it too.
configure({ messages: { adult: 'Grown-up' } });

// The policy runtime is its own wasm module, loaded only by the pages that import it (here lazily).
const { evaluatePolicy } = await import('shiming/policy');
const policy = evaluatePolicy(null, 30, { type: 'payment', amountFen: 100, spentTodayFen: 0, spentThisMonthFen: 0 }, '2026-11-27T20:30:00+08:00');

const out = {
  valid: checkId('11010519491231002X', { asOf, locale: 'en' }),
  invalid: checkId('110101199003074478', { asOf, locale: 'zh-CN' }),
  legacy: checkId('110105491231002', legacyToo),
  isValid: [isValidId('110101199003074477', { asOf }), isValidId('110101199003074478', { asOf })],
  batch: { total: batch.total, valid: batch.valid, invalid: batch.invalid, byCode: batch.byCode, status: Array.from(batch.status) },
  web: checkIdWeb('110101199003074477', { asOf }).ok,
  names: { before: namesBefore, after: regionNamesLoaded(), codeOnly },
  policy: { allowed: policy.allowed, code: policy.code, message: policy.message },
  locales: { hkBefore, hkLocale, hkAfter },
};
configure({ messages: null });

document.getElementById('out').textContent = JSON.stringify(out);
document.body.dataset.ready = 'true';
