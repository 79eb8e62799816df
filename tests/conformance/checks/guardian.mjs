// The guardian of a child under 14 (protocol 4.3; PIPL Art. 31): a person the server checks again and stores, bound to
// the child's consents. The registration carries `guardian` ({ name, idKind?, idNumber, phone, relation, birthDate?,
// salt }); every receipt of the child names the guardian by `guardianId`, the commitment `gc:` + SHA-256 of
// `shiming:guardian:v1` NUL salt NUL identityKey(guardian's document). Sent by hand, each way around it is refused.

import assert from 'node:assert/strict';

import { ADULT_KINDS, ALL_KINDS, CHILD_KINDS, assertIssues, pathsAndCodes } from '../lib/context.mjs';
import { guardianReference } from '../lib/receipts.mjs';

/** Consents of `kinds` for a new child registration naming `guardianId`, and a body citing them. */
async function childAttempt(t, child, guardian, { kinds = CHILD_KINDS, guardianId = guardian?.reference, body = guardian?.body } = {}) {
  const registrationId = t.registrationId();
  const consents = await t.consentTo(registrationId, kinds, { guardianId });
  return t.postRegistration(t.registrationBody(registrationId, child.form, consents.ids, body === undefined ? {} : { guardian: body }));
}

export default [
  {
    area: 'guardian',
    name: 'a child with the guardian set but no guardian: 422 sync_field_missing at ["guardian"]; nothing stored',
    async run(t) {
      const child = await t.person({ age: 9 });
      const res = await childAttempt(t, child, null, { guardianId: undefined, body: undefined });
      assertIssues(res, 422, [{ path: ['guardian'], code: 'sync_field_missing', params: {} }]);
    },
  },
  {
    area: 'guardian',
    name: 'an adult sending a guardian anyway: 422 sync_field_invalid at ["guardian"] (not collected when not needed)',
    async run(t) {
      const adult = await t.person({ age: 30 });
      const guardian = await t.guardian();
      const res = await childAttempt(t, adult, guardian, { kinds: ADULT_KINDS });
      assertIssues(res, 422, [{ path: ['guardian'], code: 'sync_field_invalid', params: {} }]);
    },
  },
  {
    area: 'guardian',
    name: 'an invented guardian reference (a token any client can make up): 422 sync_guardian_mismatch at the guardian consent',
    async run(t) {
      const child = await t.person({ age: 10 });
      const guardian = await t.guardian();
      // The builder's own invented reference on the guardian consent, none on the others.
      const res = await childAttempt(t, child, guardian, { guardianId: null });
      // It covers nothing: the guardian consent is missing.
      assertIssues(res, 422, [
        { path: ['consents', 4], code: 'sync_guardian_mismatch', params: { kind: 'guardian_consent' } },
        { path: ['consents'], code: 'sync_consent_missing', params: { kind: 'guardian_consent' } },
      ]);
    },
  },
  {
    area: 'guardian',
    name: 'receipts that name another person, or the right person under another salt: sync_guardian_mismatch on every receipt',
    async run(t) {
      const child = await t.person({ age: 11 });
      const guardian = await t.guardian();
      const stranger = await t.guardian();
      const expected = [
        ...CHILD_KINDS.map((kind, i) => ({ path: ['consents', i], code: 'sync_guardian_mismatch', params: { kind } })),
        ...CHILD_KINDS.map((kind) => ({ path: ['consents'], code: 'sync_consent_missing', params: { kind } })),
      ];
      assertIssues(await childAttempt(t, child, guardian, { guardianId: stranger.reference }), 422, expected);
      const identity = t.shiming.identityKey(guardian.form.idNumber, { kinds: ALL_KINDS });
      const otherSalt = guardianReference(identity, 'A'.repeat(22));
      assertIssues(await childAttempt(t, child, guardian, { guardianId: otherSalt }), 422, expected);
    },
  },
  {
    area: 'guardian',
    name: 'the guardian is checked again: the child as its own guardian, a 12-year-old guardian, a bad relation, no or a short salt',
    async run(t) {
      const child = await t.person({ age: 9 });
      const guardian = await t.guardian();
      const self = await childAttempt(t, child, guardian, { body: { ...child.form, relation: 'parent', salt: guardian.salt } });
      assert.equal(self.status, 422, self.text.slice(0, 300));
      assert.ok(pathsAndCodes(self).some(([path, code]) => path[0] === 'guardian' && code === 'guardian_same_as_minor'), self.text.slice(0, 300));
      const young = await t.guardian({ age: 12 });
      const res = await childAttempt(t, child, young);
      assert.equal(res.status, 422, res.text.slice(0, 300));
      assert.ok(pathsAndCodes(res).some(([path, code]) => path.join('.') === 'guardian.idNumber' && code === 'guardian_not_adult'), res.text.slice(0, 300));
      const relation = await childAttempt(t, child, guardian, { body: { ...guardian.body, relation: 'neighbour' } });
      assert.deepEqual(pathsAndCodes(relation), [[['guardian', 'relation'], 'guardian_relation_invalid']]);
      const { salt: _salt, ...noSalt } = guardian.body;
      assertIssues(await childAttempt(t, child, guardian, { body: noSalt }), 422, [{ path: ['guardian', 'salt'], code: 'sync_field_missing', params: {} }]);
      assertIssues(await childAttempt(t, child, guardian, { body: { ...guardian.body, salt: 'short' } }), 422, [{ path: ['guardian', 'salt'], code: 'sync_field_invalid', params: {} }]);
    },
  },
  {
    area: 'guardian',
    name: 'a child with a real guardian: 201; the listing and the account show the guardian masked; an adult has none',
    async run(t) {
      t.needAdmin();
      const reg = await t.register({ age: 12 });
      const row = await t.row(reg.id);
      assert.deepEqual(row.guardian, {
        name: t.shiming.maskName(reg.guardian.form.name),
        idNumber: t.shiming.maskId(reg.guardian.form.idNumber),
        phone: t.shiming.maskPhone(`+86${reg.guardian.form.phone}`),
        relation: 'parent',
      });
      const own = await t.call('GET', `/registrations/${reg.id}`, { token: reg.token ?? t.adminToken });
      assert.deepEqual(own.json.guardian, row.guardian);
      const adult = await t.register();
      assert.equal((await t.row(adult.id)).guardian, null);
    },
  },
];
