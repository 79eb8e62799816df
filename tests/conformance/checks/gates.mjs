// The gates of issue 12 (protocol 4.3, "Birth date and age"): the server computes the age band itself (from the number,
// or from a declared birth date when the number carries none), requires the guardian set under 14, refuses a personal
// document whose age it cannot compute, and accepts only the kinds it publishes in idKinds.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';

import { ADULT_KINDS, ALL_KINDS, NO_BIRTH_DATE_KINDS, assertIssues, pathsAndCodes } from '../lib/context.mjs';

const GUARDIAN_SET_MISSING = [
  { path: ['consents'], code: 'sync_consent_missing', params: { kind: 'children_privacy_rules' } },
  { path: ['consents'], code: 'sync_consent_missing', params: { kind: 'guardian_consent' } },
];

/** The first kind among `kinds` the server accepts, else skip. */
async function firstAccepted(t, kinds, what) {
  const accepted = await t.idKinds();
  const kind = kinds.find((k) => accepted.includes(k));
  if (!kind) t.skip(`the server accepts no ${what} (${kinds.join(', ')}; its idKinds: ${accepted.join(', ')})`);
  return kind;
}

export default [
  {
    area: 'gates',
    name: 'under 14: the three documents are refused (children_privacy_rules, guardian_consent missing); with them 201, ageBand 8_to_12',
    async run(t) {
      t.needAdmin();
      const registrationId = t.registrationId();
      const child = await t.person({ age: 9 });
      const guardian = await t.guardian();
      const three = await t.consentTo(registrationId, ADULT_KINDS, { guardianId: guardian.reference });
      const refused = await t.postRegistration(
        t.registrationBody(registrationId, child.form, three.ids, { derived: { kind: child.kind, ageBand: 'adult', isMinor: false }, guardian: guardian.body }),
      );
      assertIssues(refused, 422, GUARDIAN_SET_MISSING);
      const two = await t.consentTo(registrationId, ['children_privacy_rules', 'guardian_consent'], { firstSequence: 4, guardianId: guardian.reference });
      const accepted = await t.postRegistration(t.registrationBody(registrationId, child.form, [...three.ids, ...two.ids], { guardian: guardian.body }));
      assert.equal(accepted.status, 201, accepted.text.slice(0, 600));
      const row = await t.row(accepted.json.id);
      assert.deepEqual([row.ageBand, row.isMinor, row.birthDateSource], ['8_to_12', true, child.birthDateSource]);
    },
  },
  {
    area: 'gates',
    name: 'at 14 the three documents are enough: 201, ageBand 14_to_16 (the band is the server\'s)',
    async run(t) {
      t.needAdmin();
      const reg = await t.register({ age: 14 });
      const row = await t.row(reg.id);
      assert.deepEqual([row.ageBand, row.isMinor], ['14_to_16', true]);
    },
  },
  {
    area: 'gates',
    name: 'a document without a birth date and no form.birthDate: 422 birth_date_required at ["form","birthDate"], before consents (each such kind accepted)',
    async run(t) {
      const accepted = (await t.idKinds()).filter((k) => NO_BIRTH_DATE_KINDS.includes(k));
      if (!accepted.length) t.skip(`the server accepts no document without a birth date (${NO_BIRTH_DATE_KINDS.join(', ')}; its idKinds: ${(await t.idKinds()).join(', ')})`);
      for (const kind of accepted) {
        const { form } = await t.person({ kind });
        delete form.birthDate;
        // The client claims an adult: never trusted.
        const res = await t.postRegistration(t.registrationBody(t.registrationId(), form, [], { derived: { kind, ageBand: 'adult', isMinor: false } }));
        assertIssues(res, 422, [{ path: ['form', 'birthDate'], code: 'birth_date_required', params: {} }]);
      }
      t.note(`kinds: ${accepted.join(',')}`);
    },
  },
  {
    area: 'gates',
    name: 'a declared birth date is checked: birth_date_invalid, birth_date_in_future, birth_date_too_old at ["form","birthDate"]',
    async run(t) {
      const kind = await firstAccepted(t, NO_BIRTH_DATE_KINDS, 'document without a birth date');
      const { form } = await t.person({ kind });
      for (const [birthDate, code] of [
        ['2014-02-30', 'birth_date_invalid'],
        ['14/05/2014', 'birth_date_invalid'],
        [t.yearsAgo(-1), 'birth_date_in_future'],
        [t.yearsAgo(131), 'birth_date_too_old'],
      ]) {
        const res = await t.postRegistration(t.registrationBody(t.registrationId(), { ...form, birthDate }, []));
        assert.equal(res.status, 422, `${birthDate}: ${res.text.slice(0, 300)}`);
        assert.deepEqual(pathsAndCodes(res), [[['form', 'birthDate'], code]], birthDate);
      }
    },
  },
  {
    area: 'gates',
    name: 'a birthDate that contradicts the resident ID\'s: 422 birth_date_mismatch at ["form","birthDate"]',
    async run(t) {
      await t.needKinds('cn_resident');
      const child = await t.person({ age: 9, kind: 'cn_resident' });
      const res = await t.postRegistration(t.registrationBody(t.registrationId(), { ...child.form, birthDate: t.yearsAgo(30) }, []));
      assert.equal(res.status, 422, res.text.slice(0, 300));
      assert.deepEqual(pathsAndCodes(res), [[['form', 'birthDate'], 'birth_date_mismatch']]);
    },
  },
  {
    area: 'gates',
    name: 'a 12-year-old with an HK ID sending the adult consents and an adult "derived" by hand: refused; with the guardian set 201, 12_to_14, declared',
    async run(t) {
      await t.needKinds('hk_id');
      t.needAdmin();
      const registrationId = t.registrationId();
      const child = await t.person({ age: 12, kind: 'hk_id' });
      const form = { ...child.form, idKind: 'hk_id' };
      const guardian = await t.guardian();
      const three = await t.consentTo(registrationId, ADULT_KINDS, { guardianId: guardian.reference });
      const refused = await t.postRegistration(
        t.registrationBody(registrationId, form, three.ids, {
          derived: { kind: 'hk_id', birthDate: '1990-01-01', birthDateSource: 'declared', age: 36, isMinor: false, ageBand: 'adult' },
          clientSummary: { ok: true, codes: [] },
          guardian: guardian.body,
        }),
      );
      assertIssues(refused, 422, GUARDIAN_SET_MISSING);
      const two = await t.consentTo(registrationId, ['children_privacy_rules', 'guardian_consent'], { firstSequence: 4, guardianId: guardian.reference });
      const accepted = await t.postRegistration(t.registrationBody(registrationId, form, [...three.ids, ...two.ids], { guardian: guardian.body }));
      assert.equal(accepted.status, 201, accepted.text.slice(0, 600));
      const row = await t.row(accepted.json.id);
      assert.deepEqual(
        [row.kind, row.ageBand, row.isMinor, row.birthDateSource, row.idNumber],
        ['hk_id', '12_to_14', true, 'declared', t.shiming.maskId(form.idNumber)],
      );
    },
  },
  {
    area: 'gates',
    name: 'a passport holder of 9 needs the guardian set too',
    async run(t) {
      await t.needKinds('cn_passport');
      const registrationId = t.registrationId();
      const child = await t.person({ age: 9, kind: 'cn_passport' });
      const guardian = await t.guardian();
      const three = await t.consentTo(registrationId, ADULT_KINDS, { guardianId: guardian.reference });
      const refused = await t.postRegistration(t.registrationBody(registrationId, child.form, three.ids, { guardian: guardian.body }));
      assertIssues(refused, 422, GUARDIAN_SET_MISSING);
    },
  },
  {
    area: 'gates',
    name: 'a home-return permit holder of 30: the three documents are enough; adult, declared',
    async run(t) {
      await t.needKinds('hk_macao_home_return_permit');
      t.needAdmin();
      const reg = await t.register({ age: 30, kind: 'hk_macao_home_return_permit' });
      const row = await t.row(reg.id);
      assert.deepEqual([row.kind, row.ageBand, row.isMinor, row.birthDateSource], ['hk_macao_home_return_permit', 'adult', false, 'declared']);
    },
  },
  {
    area: 'gates',
    name: 'a kind the server does not accept: 422 id_kind_not_allowed at ["form","idNumber"] (detected) or ["form","idKind"] (declared), params.kind',
    async run(t) {
      const accepted = await t.idKinds();
      const refusedKind = ['cn_resident_legacy', 'hk_id', ...ALL_KINDS].find((k) => !accepted.includes(k));
      if (!refusedKind) t.skip('the server accepts every kind the package knows');
      const form = {
        name: '张测试',
        idNumber: t.shiming.generateTestId({ seed: randomInt(2 ** 32), kind: refusedKind }),
        phone: '13800131001',
        ...(NO_BIRTH_DATE_KINDS.includes(refusedKind) ? { birthDate: t.yearsAgo(30) } : {}),
      };
      // Detected from the number: a 15-digit resident ID and an HK ID look like no other kind.
      if (refusedKind === 'cn_resident_legacy' || refusedKind === 'hk_id') {
        const detected = await t.postRegistration(t.registrationBody(t.registrationId(), form, []));
        assert.equal(detected.status, 422, detected.text.slice(0, 300));
        assert.deepEqual(detected.json.issues.map((i) => [i.path, i.code, i.params?.kind]), [[['form', 'idNumber'], 'id_kind_not_allowed', refusedKind]]);
      }
      const declared = await t.postRegistration(t.registrationBody(t.registrationId(), { ...form, idKind: refusedKind }, []));
      assert.equal(declared.status, 422, declared.text.slice(0, 300));
      assert.deepEqual(pathsAndCodes(declared), [[['form', 'idKind'], 'id_kind_not_allowed']]);
      t.note(`kind: ${refusedKind}`);
    },
  },
  {
    area: 'gates',
    name: 'an organisation\'s code (uscc) has no age: the three documents everyone accepts; null age fields',
    async run(t) {
      await t.needKinds('uscc');
      t.needAdmin();
      const registrationId = t.registrationId();
      const form = {
        name: '示例测试有限公司',
        idNumber: t.shiming.generateTestId({ seed: randomInt(2 ** 32), kind: 'uscc' }),
        phone: '13800135001',
      };
      const none = await t.postRegistration(t.registrationBody(registrationId, form, []));
      assertIssues(none, 422, ADULT_KINDS.map((kind) => ({ path: ['consents'], code: 'sync_consent_missing', params: { kind } })));
      const consents = await t.consentTo(registrationId, ADULT_KINDS);
      const res = await t.postRegistration(t.registrationBody(registrationId, form, consents.ids));
      assert.equal(res.status, 201, res.text.slice(0, 600));
      const row = await t.row(res.json.id);
      assert.deepEqual([row.kind, row.ageBand, row.isMinor, row.birthDateSource], ['uscc', null, null, null]);
    },
  },
];
