// One entry per page, used once, to measure what a page that imports it downloads (tests/js/bundlers.test.mjs):
// shiming/all, what a registration page that needs the checks, the policy, the agreements and the sync client loads.
import { checkRegistration, documentDigest, minorPolicy, SyncClient } from 'shiming/all';

const checked = checkRegistration({ name: '张三', idNumber: '11010519491231002X', phone: '13812345678' }, { asOf: '2024-06-01' });
document.body.dataset.result = String(checked.ok && documentDigest('协议').length > 0 && minorPolicy() !== null
  && typeof SyncClient.open === 'function');
document.body.dataset.ready = 'true';
