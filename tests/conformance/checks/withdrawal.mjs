// Withdrawal ownership (protocol 4.2): a withdrawal names a stored receipt of its own subject, and once the subject's
// account exists, only that account's token (or the admin token) may withdraw; acceptances need no token.

import assert from 'node:assert/strict';

import { ADULT_KINDS, assertIssues } from '../lib/context.mjs';
import { buildReceipt, buildWithdrawal } from '../lib/receipts.mjs';
import { tokenOf } from './access.mjs';

/** A registered account and the withdrawal of its privacy-policy receipt (not posted). */
async function registeredWithWithdrawal(t) {
  const reg = await t.register();
  const withdrawal = buildWithdrawal(reg.consents.receipts[1], await t.doc('privacy_policy'), reg.registrationId);
  return { reg, withdrawal };
}

export default [
  {
    area: 'withdrawal',
    addition: true,
    name: 'of a receipt never stored: 404 sync_not_found at ["receipts", i, "withdraws"]; nothing of the batch stored',
    async run(t) {
      const registrationId = t.registrationId();
      const doc = await t.doc('privacy_policy');
      const never = buildReceipt(doc, registrationId);
      const acceptance = buildReceipt(await t.doc('service_agreement'), registrationId);
      const withdrawal = buildWithdrawal(never, doc, registrationId);
      const alone = await t.postConsents([withdrawal]);
      assertIssues(alone, 404, [{ path: ['receipts', 0, 'withdraws'], code: 'sync_not_found' }]);
      const batch = await t.postConsents([acceptance, withdrawal]);
      assertIssues(batch, 404, [{ path: ['receipts', 1, 'withdraws'], code: 'sync_not_found' }]);
      const retry = await t.postConsents([acceptance]);
      assert.equal(retry.status, 201, `the acceptance was not stored with the refused batch: ${retry.text.slice(0, 300)}`);
    },
  },
  {
    area: 'withdrawal',
    addition: true,
    name: 'of another subject\'s receipt: 403 sync_forbidden at ["receipts", i, "withdraws"]',
    async run(t) {
      const owner = t.registrationId();
      const doc = await t.doc('privacy_policy');
      const [receipt] = (await t.consentTo(owner, ['privacy_policy'])).receipts;
      const stranger = t.registrationId();
      const withdrawal = buildWithdrawal(receipt, doc, stranger);
      assertIssues(await t.postConsents([withdrawal]), 403, [{ path: ['receipts', 0, 'withdraws'], code: 'sync_forbidden' }]);
    },
  },
  {
    area: 'withdrawal',
    name: 'before the registration exists, the subject\'s withdrawal needs no token: 201',
    async run(t) {
      const registrationId = t.registrationId();
      const [receipt] = (await t.consentTo(registrationId, ['privacy_policy'])).receipts;
      const res = await t.postConsents([buildWithdrawal(receipt, await t.doc('privacy_policy'), registrationId)]);
      assert.equal(res.status, 201, res.text.slice(0, 300));
    },
  },
  {
    area: 'withdrawal',
    addition: true,
    name: 'once registered, without a token: 403 sync_forbidden at ["receipts", i]; not stored',
    async run(t) {
      const { reg, withdrawal } = await registeredWithWithdrawal(t);
      assertIssues(await t.postConsents([withdrawal]), 403, [{ path: ['receipts', 0], code: 'sync_forbidden' }]);
      if (t.adminToken) {
        const consents = await t.call('GET', `/registrations/${reg.id}/consents`, { token: t.adminToken });
        assert.equal(consents.status, 200);
        assert.deepEqual(consents.json.withdrawn, [], 'nothing withdrawn');
      }
    },
  },
  {
    area: 'withdrawal',
    addition: true,
    name: 'once registered, with another account\'s token: 403 sync_forbidden at ["receipts", i]',
    async run(t) {
      const { withdrawal } = await registeredWithWithdrawal(t);
      const other = await t.register();
      assertIssues(await t.postConsents([withdrawal], { token: tokenOf(other) }), 403, [{ path: ['receipts', 0], code: 'sync_forbidden' }]);
    },
  },
  {
    area: 'withdrawal',
    addition: true,
    name: 'once registered, with the account\'s own token: 201, and the receipt is withdrawn',
    async run(t) {
      const { reg, withdrawal } = await registeredWithWithdrawal(t);
      const res = await t.postConsents([withdrawal], { token: tokenOf(reg) });
      assert.equal(res.status, 201, res.text.slice(0, 300));
      const consents = await t.call('GET', `/registrations/${reg.id}/consents`, { token: tokenOf(reg) });
      assert.equal(consents.status, 200, consents.text.slice(0, 300));
      assert.deepEqual(consents.json.withdrawn, [reg.consents.ids[1]]);
    },
  },
  {
    area: 'withdrawal',
    name: 'once registered, with the admin token: 201',
    async run(t) {
      t.needAdmin();
      const { withdrawal } = await registeredWithWithdrawal(t);
      const res = await t.postConsents([withdrawal], { token: t.adminToken });
      assert.equal(res.status, 201, res.text.slice(0, 300));
    },
  },
  {
    area: 'withdrawal',
    name: 'once registered, a new acceptance for the account needs no token: 201',
    async run(t) {
      const reg = await t.register();
      const [receipt] = await t.receiptsFor(reg.registrationId, ADULT_KINDS.slice(0, 1), { firstSequence: 10 });
      const res = await t.postConsents([receipt]);
      assert.equal(res.status, 201, res.text.slice(0, 300));
    },
  },
];
