// One document, one account (protocol 4.3 step 5): uniqueness by identity key (`<kind>:<canonical number>`), not by the
// raw string, and `sync_already_registered` only to a request that passed every step before, consents included.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';

import { ADULT_KINDS, CHILD_KINDS, NO_BIRTH_DATE_KINDS, assertIssues } from '../lib/context.mjs';

const TAKEN = [{ path: ['form', 'idNumber'], code: 'sync_already_registered', params: {} }];

/** Consents for a new registrationId, then the registration of `form`; the answer (not asserted). */
async function attempt(t, form, kinds = ADULT_KINDS, guardian = null) {
  const registrationId = t.registrationId();
  const consents = await t.consentTo(registrationId, kinds, { guardianId: guardian?.reference });
  return t.postRegistration(t.registrationBody(registrationId, form, consents.ids, guardian ? { guardian: guardian.body } : {}));
}

export default [
  {
    area: 'uniqueness',
    name: 'an 18-digit resident ID registered, then its 15-digit form: 422 sync_already_registered',
    async run(t) {
      await t.needKinds('cn_resident', 'cn_resident_legacy');
      // A first-generation number upgrades to an 18-digit one born in 19xx.
      const seed = randomInt(2 ** 32);
      const legacy = t.shiming.generateTestId({ seed, kind: 'cn_resident_legacy' });
      const full = t.shiming.identityKey(legacy, { kinds: ['cn_resident_legacy'] }).split(':')[1];
      assert.equal(full.length, 18);
      const first = await attempt(t, { name: '李样例', idNumber: full, phone: '13800133001' });
      assert.equal(first.status, 201, first.text.slice(0, 600));
      const second = await attempt(t, { name: '李样例', idNumber: legacy, phone: '13800133002' });
      assertIssues(second, 422, TAKEN);
    },
  },
  {
    area: 'uniqueness',
    name: 'a resident ID ending in X registered, then with a lower-case x: 422 sync_already_registered',
    async run(t) {
      await t.needKinds('cn_resident');
      let idNumber;
      for (let seed = randomInt(2 ** 31); !idNumber?.endsWith('X'); seed += 1) {
        idNumber = t.shiming.generateTestId({ seed, kind: 'cn_resident', birthDate: t.yearsAgo(40, randomInt(15, 345)) });
      }
      const first = await attempt(t, { name: '王示范', idNumber, phone: '13800133003' });
      assert.equal(first.status, 201, first.text.slice(0, 600));
      const lower = await attempt(t, { name: '王示范', idNumber: idNumber.toLowerCase(), phone: '13800133004' });
      assertIssues(lower, 422, TAKEN);
    },
  },
  {
    area: 'uniqueness',
    name: 'an HK ID registered, then in lower case or without its brackets: 422 sync_already_registered',
    async run(t) {
      await t.needKinds('hk_id');
      const { form } = await t.person({ age: 40, kind: 'hk_id' });
      const first = await attempt(t, form);
      assert.equal(first.status, 201, first.text.slice(0, 600));
      for (const idNumber of [form.idNumber.toLowerCase(), form.idNumber.replace(/[()]/g, '')]) {
        const again = await attempt(t, { ...form, idNumber, phone: '13800133012' });
        assertIssues(again, 422, TAKEN);
      }
    },
  },
  {
    area: 'uniqueness',
    name: 'sync_already_registered is never the answer while the consents do not cover (none, another\'s, unknown); only once they do',
    async run(t) {
      const taken = await t.register();
      const form = { ...taken.form, phone: '13800133021' };
      const none = await t.postRegistration(t.registrationBody(t.registrationId(), form, []));
      assertIssues(none, 422, ADULT_KINDS.map((kind) => ({ path: ['consents'], code: 'sync_consent_missing', params: { kind } })));
      const theirs = await t.consentTo(t.registrationId(), ADULT_KINDS);
      const borrowed = await t.postRegistration(t.registrationBody(t.registrationId(), form, theirs.ids));
      assert.equal(borrowed.status, 422);
      assert.ok(borrowed.json.issues.every((i) => i.code === 'sync_consent_missing'), borrowed.text.slice(0, 600));
      const unknown = await t.postRegistration(t.registrationBody(t.registrationId(), form, [`rc-never-stored-${Date.now()}`]));
      assert.equal(unknown.status, 422);
      assert.ok(unknown.json.issues.every((i) => i.code === 'sync_consent_missing'), unknown.text.slice(0, 600));
      const covered = await attempt(t, form);
      assertIssues(covered, 422, TAKEN);
    },
  },
  {
    area: 'uniqueness',
    name: 'a minor\'s taken document is told only with the guardian set',
    async run(t) {
      const accepted = await t.idKinds();
      const kind = NO_BIRTH_DATE_KINDS.find((k) => accepted.includes(k)) ?? (await t.personKind());
      const child = await t.person({ age: 10, kind });
      const guardian = await t.guardian();
      const first = await attempt(t, child.form, CHILD_KINDS, guardian);
      assert.equal(first.status, 201, first.text.slice(0, 600));
      const adultSet = await attempt(t, child.form, ADULT_KINDS, guardian);
      assert.deepEqual(adultSet.json?.issues?.map((i) => i.code), ['sync_consent_missing', 'sync_consent_missing'], adultSet.text.slice(0, 600));
      const full = await attempt(t, child.form, CHILD_KINDS, guardian);
      assertIssues(full, 422, TAKEN);
    },
  },
];
