// The test page of tests/js/consent.e2e.test.mjs: one document in a scroll box, a checkbox bound to its reading,
// and a button bound to a second document that needs no reading. Everything the test checks is put on `window.t`.
import { makeDocument, ReadingTracker, ConsentGate } from '/pkg/consent.js';

const text = Array.from({ length: 60 }, (_, i) => `第 ${i + 1} 条　用户应当遵守法律法规，妥善保管账号。`).join('\n');
const service = makeDocument({ id: 'service', version: '1', kind: 'service_agreement', title: '网站服务使用协议', locale: 'zh-CN', text });
const privacy = makeDocument({ id: 'privacy', version: '1', kind: 'privacy_policy', title: '隐私政策', locale: 'zh-CN', text: '隐私政策全文' });
document.getElementById('agreement').textContent = service.text;

const events = [];
const tracker = new ReadingTracker(document.getElementById('agreement'), { minSeconds: 1, locale: 'en' });
const gate = new ConsentGate(document.getElementById('agree'), tracker, {
  locale: 'en',
  // Calls back into the gate from its own callback: must not trap (nothing is borrowed while it runs).
  onChange: (status) => events.push({ ...status, again: gate?.status().state }),
});
const noReading = new ReadingTracker(document.getElementById('agree-button'), { reachEnd: false });
const buttonGate = new ConsentGate(document.getElementById('agree-button'), noReading);

const input = (sequence) => ({ subject: 'reg:0f3c9a2e4b7d4e1a', sequence, clientTime: 1764374400 });
window.t = {
  service,
  privacy,
  events,
  tracker: () => tracker.status(),
  gate: () => gate.status(),
  buttonGate: () => buttonGate.status(),
  receipt: () => gate.receipt(service, input(1)),
  buttonReceipt: () => buttonGate.receipt(privacy, input(2)),
};
document.getElementById('state').textContent = 'ready';
