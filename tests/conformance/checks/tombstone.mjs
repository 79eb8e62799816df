// Deleted accounts stay deleted (protocol 4.4): after DELETE, nothing recreates or extends the account (410
// sync_account_deleted), whatever the idempotency key; the old account token opens nothing; the same person may
// register again under a new registrationId.

import assert from 'node:assert/strict';

import { assertIssues } from '../lib/context.mjs';
import { buildReceipt } from '../lib/receipts.mjs';

/** One account registered and deleted once per run, with its original requests kept. */
function deleted(t) {
  return t.fixture('deleted account', async (t) => {
    const reg = await t.register();
    const token = t.adminToken ?? reg.token;
    if (!token) t.skip('deleting needs the admin token (--admin-token) or an account token');
    const res = await t.call('DELETE', `/registrations/${reg.id}`, { token });
    assert.equal(res.status, 204, `DELETE /registrations/{id}: ${res.text.slice(0, 300)}`);
    return reg;
  });
}

function assertDeleted(res) {
  assert.equal(res.status, 410, `expected 410, got ${res.status}: ${res.text.slice(0, 300)}`);
  assert.ok(res.json?.issues?.length > 0, 'issues');
  assert.ok(res.json.issues.every((i) => i.code === 'sync_account_deleted'), res.text.slice(0, 300));
}

export default [
  {
    area: 'deletion',
    name: 'after DELETE (204): gone from the listing; GET .../consents and DELETE again 404 sync_not_found (admin)',
    async run(t) {
      t.needAdmin();
      const reg = await deleted(t);
      const listing = await t.listing();
      assert.ok(!listing.json.registrations.some((r) => r.id === reg.id || r.registrationId === reg.registrationId), 'not listed');
      assertIssues(await t.call('GET', `/registrations/${reg.id}/consents`, { token: t.adminToken }), 404, [{ path: [], code: 'sync_not_found' }]);
      assertIssues(await t.call('DELETE', `/registrations/${reg.id}`, { token: t.adminToken }), 404, [{ path: [], code: 'sync_not_found' }]);
    },
  },
  {
    area: 'deletion',
    addition: true,
    name: 'after DELETE: GET /registrations/{id} 404 sync_not_found (admin)',
    async run(t) {
      t.needAdmin();
      const reg = await deleted(t);
      assertIssues(await t.call('GET', `/registrations/${reg.id}`, { token: t.adminToken }), 404, [{ path: [], code: 'sync_not_found' }]);
    },
  },
  {
    area: 'deletion',
    addition: true,
    name: 'after DELETE: the old account token gets 401 sync_unauthorized on GET /registrations/{id} and .../consents',
    async run(t) {
      const reg = await deleted(t);
      assert.equal(typeof reg.token, 'string', `the 201 of POST /registrations carries no accountToken: ${reg.res.text.slice(0, 300)}`);
      for (const path of [`/registrations/${reg.id}`, `/registrations/${reg.id}/consents`]) {
        const res = await t.call('GET', path, { token: reg.token });
        assert.equal(res.status, 401, `${path}: ${res.text.slice(0, 300)}`);
        assert.deepEqual(res.json?.issues?.map((i) => i.code), ['sync_unauthorized']);
      }
    },
  },
  {
    area: 'tombstone',
    addition: true,
    name: 'the original registration request replayed with its original key: 410 sync_account_deleted (never the stored 201)',
    async run(t) {
      const reg = await deleted(t);
      assertDeleted(await t.postRegistration(reg.body, { key: reg.key }));
    },
  },
  {
    area: 'tombstone',
    addition: true,
    name: 'the deleted registrationId under a new key (same content, or other content): 410 sync_account_deleted',
    async run(t) {
      const reg = await deleted(t);
      assertDeleted(await t.postRegistration(t.registrationBody(reg.registrationId, reg.form, reg.consents.ids)));
      assertDeleted(await t.postRegistration(t.registrationBody(reg.registrationId, { ...reg.form, phone: '13800139997' }, [])));
    },
  },
  {
    area: 'tombstone',
    addition: true,
    name: 'a new receipt whose subject is the deleted account: 410 sync_account_deleted at ["receipts", i]',
    async run(t) {
      const reg = await deleted(t);
      const receipt = buildReceipt(await t.doc('service_agreement'), reg.registrationId, { sequence: 20 });
      assertIssues(await t.postConsents([receipt]), 410, [{ path: ['receipts', 0], code: 'sync_account_deleted' }]);
    },
  },
  {
    area: 'tombstone',
    addition: true,
    name: 'the original consents request replayed with its original key: 410 sync_account_deleted at ["receipts", i]',
    async run(t) {
      const reg = await deleted(t);
      const res = await t.call('POST', '/consents', { body: reg.consents.body, key: reg.consents.key });
      assertDeleted(res);
      assert.ok(res.json.issues.every((i) => i.path.length === 2 && i.path[0] === 'receipts' && Number.isInteger(i.path[1])), res.text.slice(0, 300));
    },
  },
  {
    area: 'tombstone',
    name: 'cancellation is not a ban: the same person under a new registrationId registers again (201)',
    async run(t) {
      const reg = await deleted(t);
      const again = await t.register({ person: { form: { ...reg.form }, kind: reg.kind, birthDate: reg.birthDate, birthDateSource: reg.birthDateSource } });
      assert.equal(again.res.status, 201);
      assert.notEqual(again.id, reg.id);
    },
  },
];
