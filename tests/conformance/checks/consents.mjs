// POST {base}/consents (protocol 4.2): receipts verified (their RFC 8785 + SHA-256 digest, the document they name),
// stored once, idempotent by receipt id.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';

import { assertIssues } from '../lib/context.mjs';
import { buildReceipt, digestOf } from '../lib/receipts.mjs';

export default [
  {
    area: 'consents',
    name: '201 with each receipt accepted in request order with the server time; the same receipts under a new key: 200, same answer, not a replay',
    async run(t) {
      const registrationId = t.registrationId();
      const receipts = await t.receiptsFor(registrationId, ['service_agreement', 'privacy_policy', 'sensitive_pi']);
      const res = await t.postConsents(receipts);
      assert.equal(res.status, 201, res.text.slice(0, 600));
      assert.deepEqual(Object.keys(res.json), ['accepted']);
      assert.deepEqual(res.json.accepted.map((a) => a.receiptId), receipts.map((r) => r.consentReceiptID));
      for (const a of res.json.accepted) {
        assert.deepEqual(Object.keys(a).sort(), ['receiptId', 'serverTime']);
        assert.ok(Number.isSafeInteger(a.serverTime) && Math.abs(a.serverTime - Date.now()) < 120_000, 'serverTime in ms');
      }
      assert.equal(res.headers['idempotent-replayed'], undefined, 'a first answer is not a replay');
      const again = await t.postConsents(receipts);
      assert.equal(again.status, 200, again.text.slice(0, 600));
      assert.deepEqual(again.json, res.json, 'the stored receipts with their original server times');
      assert.equal(again.headers['idempotent-replayed'], undefined, 'record-level idempotency, not a key replay');
    },
  },
  {
    area: 'consents',
    name: 'a changed receipt: 422 consent_receipt_digest_mismatch under ["receipts", i]; nothing of the batch is stored',
    async run(t) {
      const registrationId = t.registrationId();
      const [good, other] = await t.receiptsFor(registrationId, ['service_agreement', 'privacy_policy']);
      const tampered = { ...other, sequence: 99 };
      const res = await t.postConsents([good, tampered]);
      assert.equal(res.status, 422, res.text.slice(0, 600));
      const issue = res.json.issues.find((i) => i.code === 'consent_receipt_digest_mismatch');
      assert.ok(issue, res.text.slice(0, 600));
      assert.deepEqual(issue.path.slice(0, 2), ['receipts', 1]);
      assert.ok(res.json.issues.every((i) => i.path[0] === 'receipts' && i.path[1] === 1), 'only the changed receipt has issues');
      const retry = await t.postConsents([good]);
      assert.equal(retry.status, 201, `the good receipt was not stored with the refused batch: ${retry.text.slice(0, 300)}`);
    },
  },
  {
    area: 'consents',
    name: 'a document version the server never published: 422 consent_document_unknown at ["receipts", 0, ...]',
    async run(t) {
      const doc = await t.doc('service_agreement');
      const receipt = buildReceipt({ ...doc, version: `never-published-${Date.now()}` }, t.registrationId());
      const res = await t.postConsents([receipt]);
      assert.equal(res.status, 422, res.text.slice(0, 600));
      assert.ok(res.json.issues.some((i) => i.code === 'consent_document_unknown' && i.path[0] === 'receipts' && i.path[1] === 0), res.text.slice(0, 600));
    },
  },
  {
    area: 'consents',
    name: 'the same consentReceiptID with another digest: 422 sync_receipt_conflict at ["receipts", 0, "consentReceiptID"]',
    async run(t) {
      const registrationId = t.registrationId();
      const doc = await t.doc('service_agreement');
      const receipt = buildReceipt(doc, registrationId);
      assert.equal((await t.postConsents([receipt])).status, 201);
      const clash = { ...buildReceipt(doc, registrationId, { sequence: 2 }), consentReceiptID: receipt.consentReceiptID };
      clash.digest = digestOf(clash);
      const res = await t.postConsents([clash]);
      assertIssues(res, 422, [{ path: ['receipts', 0, 'consentReceiptID'], code: 'sync_receipt_conflict', params: {} }]);
    },
  },
  {
    area: 'consents',
    name: 'a receipt whose subject is shaped like an ID number: 422 consent_subject_looks_like_id',
    async run(t) {
      const doc = await t.doc('service_agreement');
      const testId = t.shiming.generateTestId({ seed: randomInt(2 ** 32) });
      t.remember(testId, 'idNumber');
      const receipt = buildReceipt(doc, null, { subject: testId });
      const res = await t.postConsents([receipt]);
      assert.equal(res.status, 422, res.text.slice(0, 600));
      assert.ok(res.json.issues.some((i) => i.code === 'consent_subject_looks_like_id' && i.path[0] === 'receipts' && i.path[1] === 0), res.text.slice(0, 600));
    },
  },
];
