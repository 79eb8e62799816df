// Personal data (protocol 2): name, ID number, phone and a declared birth date appear only in the body of
// POST /registrations, never in an answer. The suite's client watches every answer of the run (body and headers) for
// the values it sent; this area adds the requests most likely to echo them, and sums up.

import assert from 'node:assert/strict';

export default [
  {
    area: 'privacy',
    name: 'rejections never echo the form: broken JSON holding the number, wrong member types, a conflicting birth date',
    async run(t) {
      const { form } = await t.person();
      t.rememberForm(form);
      const broken = await t.call('POST', '/registrations', {
        raw: Buffer.from(`{"registrationId":"${t.registrationId()}","form":{"name":"${form.name}","idNumber":"${form.idNumber}","phone":"${form.phone}"`),
        key: t.key(),
      });
      assert.equal(broken.status, 400);
      const digits = form.idNumber.replace(/\D/g, '').slice(0, 15);
      t.remember(digits, 'idNumber');
      const typed = await t.postRegistration({ registrationId: t.registrationId(), form: { ...form, idNumber: Number(digits) }, consents: [] });
      assert.equal(typed.status, 422, typed.text.slice(0, 300));
      const wrongRoot = await t.call('POST', '/consents', { body: { receipts: [{ piiPrincipalId: form.idNumber, name: form.name, phone: form.phone }] }, key: t.key() });
      assert.equal(wrongRoot.status, 422, wrongRoot.text.slice(0, 300));
      const conflict = await t.postRegistration(t.registrationBody(t.registrationId(), { ...form, birthDate: '1901-02-03' }, []));
      assert.equal(conflict.status, 422, conflict.text.slice(0, 300));
    },
  },
  {
    area: 'privacy',
    name: 'no answer of the whole run (bodies and headers) held a test person\'s name, ID number, phone or birth date',
    async run(t) {
      const { leaks, stats } = t.runStats();
      assert.deepEqual(leaks, [], 'answers that held personal data');
      t.note(`${stats.scanned} answers scanned`);
    },
  },
];
