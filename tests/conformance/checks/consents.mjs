// POST {base}/consents (protocol 4.2): receipts verified (their RFC 8785 + SHA-256 digest, the document they name),
// stored once, idempotent by receipt id.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';

import { assertIssues } from '../lib/context.mjs';
import { buildReceipt, digestOf, signingPayload, verifySignature } from '../lib/receipts.mjs';

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
        assert.deepEqual(Object.keys(a).sort(), ['receipt', 'receiptId', 'serverTime']);
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
    name: 'each accepted receipt comes back countersigned: serverTimestamp set, its digest recomputed, an Ed25519 serverSignature by a key of the policy\'s signingKeys',
    async run(t) {
      const policy = await t.policy();
      assert.ok(Array.isArray(policy.signingKeys) && policy.signingKeys.length > 0, 'GET /policy lists signingKeys');
      for (const k of policy.signingKeys) {
        assert.deepEqual(Object.keys(k).sort(), ['alg', 'keyId', 'publicKey']);
        assert.equal(k.alg, 'Ed25519');
        assert.equal(Buffer.from(k.publicKey, 'base64url').length, 32);
      }
      const registrationId = t.registrationId();
      const receipts = await t.receiptsFor(registrationId, ['service_agreement', 'privacy_policy']);
      const res = await t.postConsents(receipts);
      assert.equal(res.status, 201, res.text.slice(0, 600));
      for (const [i, a] of res.json.accepted.entries()) {
        const signed = a.receipt;
        const { digest: _d, serverTimestamp: _s, serverSignature: _g, ...mine } = receipts[i];
        const { digest: _d2, serverTimestamp, serverSignature, ...theirs } = signed;
        assert.deepEqual(theirs, mine, 'every member the client wrote is kept');
        assert.equal(serverTimestamp, Math.floor(a.serverTime / 1000), 'serverTimestamp: the server time in seconds');
        assert.equal(signed.digest, digestOf(signed), 'the digest covers serverTimestamp');
        assert.equal(serverSignature.alg, 'Ed25519');
        assert.equal(await verifySignature(signed, policy.signingKeys), 'ok');
      }
      // The same receipts again: the stored, signed ones.
      const again = await t.postConsents(receipts);
      assert.equal(again.status, 200, again.text.slice(0, 600));
      assert.deepEqual(again.json.accepted.map((a) => a.receipt), res.json.accepted.map((a) => a.receipt));
    },
  },
  {
    area: 'consents',
    name: 'a countersigned receipt changed in any field no longer verifies; a client may not send serverTimestamp or serverSignature',
    async run(t) {
      const policy = await t.policy();
      const registrationId = t.registrationId();
      const [receipt] = await t.receiptsFor(registrationId, ['service_agreement']);
      const res = await t.postConsents([receipt]);
      assert.equal(res.status, 201, res.text.slice(0, 600));
      const signed = res.json.accepted[0].receipt;
      const leaves = [];
      const walk = (v, path) => {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) walk(v[k], [...path, k]);
        else leaves.push(path);
      };
      walk(signed, []);
      let tried = 0;
      for (const path of leaves) {
        if (path[0] === 'serverSignature') continue;
        const changed = structuredClone(signed);
        let o = changed;
        for (const k of path.slice(0, -1)) o = o[k];
        const last = path.at(-1);
        const old = o[last];
        o[last] = typeof old === 'string' ? `${old}x` : typeof old === 'number' ? old + 1 : typeof old === 'boolean' ? !old : old === null ? 'x' : [...old, 'x'];
        // Even with its digest recomputed, the signature no longer holds.
        changed.digest = path[0] === 'digest' ? changed.digest : digestOf(changed);
        assert.notEqual(signingPayload(changed), signingPayload(signed), path.join('.'));
        assert.equal(await verifySignature(changed, policy.signingKeys), 'invalid', path.join('.'));
        tried++;
      }
      assert.ok(tried >= 20, `every field tampered (${tried})`);
      assert.equal(await verifySignature({ ...signed, serverSignature: { ...signed.serverSignature, keyId: 'nobody' } }, policy.signingKeys), 'unknown key');
      // Sent back by a client, a signed receipt is refused: the time and the signature are the server's to give.
      const resent = await t.postConsents([signed]);
      assertIssues(resent, 422, [{ path: ['receipts', 0, 'serverTimestamp'], code: 'consent_field_invalid', params: {} }]);
    },
  },
  {
    area: 'consents',
    name: 'the policy publishes each document\'s reading rule: { reachEnd: boolean, minSeconds: whole seconds 0..600 }',
    async run(t) {
      for (const kind of ['service_agreement', 'privacy_policy', 'sensitive_pi', 'children_privacy_rules', 'guardian_consent']) {
        const doc = await t.doc(kind);
        assert.ok(doc.reading && typeof doc.reading === 'object', `${kind}: reading`);
        assert.deepEqual(Object.keys(doc.reading).sort(), ['minSeconds', 'reachEnd'], kind);
        assert.equal(typeof doc.reading.reachEnd, 'boolean', kind);
        assert.ok(Number.isInteger(doc.reading.minSeconds) && doc.reading.minSeconds >= 0 && doc.reading.minSeconds <= 600, kind);
      }
    },
  },
  {
    area: 'consents',
    name: 'unread consent: reachedEnd false where the rule asks for the end, or visibleSeconds 0: 422 consent_end_not_reached / consent_reading_too_short, nothing stored',
    async run(t) {
      const registrationId = t.registrationId();
      const [terms, privacy] = await Promise.all([t.doc('service_agreement'), t.doc('privacy_policy')]);
      if (!terms.reading?.reachEnd) t.skip('the service agreement\'s rule does not ask for the end');
      const unread = buildReceipt(terms, registrationId, { reading: { reachedEnd: false, visibleSeconds: 0 } });
      const good = buildReceipt(privacy, registrationId, { sequence: 2 });
      const res = await t.postConsents([good, unread]);
      assert.equal(res.status, 422, res.text.slice(0, 600));
      const codes = res.json.issues.map((i) => `${i.path.join('.')}:${i.code}`);
      assert.ok(codes.includes('receipts.1.reading.reachedEnd:consent_end_not_reached'), codes.join(', '));
      if (terms.reading.minSeconds > 0) {
        const tooShort = res.json.issues.find((i) => i.code === 'consent_reading_too_short');
        assert.ok(tooShort, codes.join(', '));
        assert.deepEqual(tooShort.path, ['receipts', 1, 'reading', 'visibleSeconds']);
        assert.deepEqual(tooShort.params, { seconds: terms.reading.minSeconds });
      }
      const retry = await t.postConsents([good]);
      assert.equal(retry.status, 201, `nothing of the refused batch was stored: ${retry.text.slice(0, 300)}`);
    },
  },
  {
    area: 'consents',
    name: 'reading too fast: one second under the document\'s minSeconds is 422 consent_reading_too_short { seconds: 1 }; exactly minSeconds is accepted',
    async run(t) {
      const kinds = ['service_agreement', 'privacy_policy', 'sensitive_pi', 'children_privacy_rules', 'guardian_consent'];
      const docs = await Promise.all(kinds.map((k) => t.doc(k)));
      const doc = docs.filter((d) => d.kind !== 'guardian_consent' && d.kind !== 'children_privacy_rules').sort((a, b) => b.reading.minSeconds - a.reading.minSeconds)[0];
      if (!(doc.reading.minSeconds > 0)) t.skip('no adult document has a minimum reading time');
      const registrationId = t.registrationId();
      const fast = buildReceipt(doc, registrationId, { reading: { visibleSeconds: doc.reading.minSeconds - 1 } });
      assertIssues(await t.postConsents([fast]), 422, [
        { path: ['receipts', 0, 'reading', 'visibleSeconds'], code: 'consent_reading_too_short', params: { seconds: 1 } },
      ]);
      const enough = buildReceipt(doc, registrationId, { reading: { visibleSeconds: doc.reading.minSeconds } });
      const res = await t.postConsents([enough]);
      assert.equal(res.status, 201, res.text.slice(0, 600));
    },
  },
  {
    area: 'consents',
    name: 'no viewport recorded (width or height 0): 422 consent_field_invalid at ["receipts", 0, "reading", "viewport"]',
    async run(t) {
      const doc = await t.doc('privacy_policy');
      const receipt = buildReceipt(doc, t.registrationId(), { reading: { viewport: { width: 0, height: 0 } } });
      assertIssues(await t.postConsents([receipt]), 422, [
        { path: ['receipts', 0, 'reading', 'viewport'], code: 'consent_field_invalid', params: {} },
      ]);
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
