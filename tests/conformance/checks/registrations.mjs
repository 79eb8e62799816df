// POST {base}/registrations (protocol 4.3): the server re-validates the form, checks the consents, and answers in the
// order shape → content → registrationId → consents → uniqueness; the admin listing is masked (4.4); an account's
// receipts are served as stored.

import assert from 'node:assert/strict';

import { ADULT_KINDS, assertIssues, pathsAndCodes, unknownId } from '../lib/context.mjs';
import { buildReceipt, buildWithdrawal, digestOf, verifySignature } from '../lib/receipts.mjs';

export default [
  {
    area: 'registrations',
    name: 'an invalid ID number: 422 id_checksum_mismatch at ["form","idNumber"] whatever the client claimed; the number is not echoed',
    async run(t) {
      await t.needKinds('cn_resident');
      const { form } = await t.person({ kind: 'cn_resident' });
      const good = form.idNumber;
      // Another check character: wrong for MOD 11-2. Where the server accepts credit codes, an 18-character string
      // can also pass the USCC check (GB 32100; about 1 in 330 of these variants): such a candidate is skipped,
      // or the server would rightly read it as an organisation's code.
      const bad = [...'0123456789X']
        .filter((c) => c !== good[17])
        .map((c) => good.slice(0, 17) + c)
        .find((candidate) => !t.shiming.isValidId(candidate, { kinds: ['uscc'] }));
      t.remember(bad, 'idNumber');
      const res = await t.postRegistration(
        t.registrationBody(t.registrationId(), { ...form, idNumber: bad }, [], { derived: { kind: 'cn_resident', isMinor: false, ageBand: 'adult' } }),
      );
      assert.equal(res.status, 422, res.text.slice(0, 600));
      const issue = res.json.issues.find((i) => i.code === 'id_checksum_mismatch');
      assert.ok(issue, res.text.slice(0, 600));
      assert.deepEqual(issue.path, ['form', 'idNumber']);
      assert.deepEqual(Object.keys(issue).sort(), ['code', 'params', 'path']);
      assert.ok(!res.text.includes(good.slice(0, 17)), 'no part of the number in the answer');
    },
  },
  {
    area: 'registrations',
    name: 'every field is checked (name, phone under ["form", ...]); a password sent along is neither checked nor echoed',
    async run(t) {
      const { form } = await t.person();
      const res = await t.postRegistration(t.registrationBody(t.registrationId(), { ...form, name: 'Zhang3', phone: '12345', password: 'Secret-pw-123' }, []));
      assert.equal(res.status, 422, res.text.slice(0, 600));
      const paths = res.json.issues.map((i) => i.path.join('.'));
      assert.ok(paths.includes('form.name') && paths.includes('form.phone'), res.text.slice(0, 600));
      assert.ok(!paths.includes('form.password'), 'the password is not part of the protocol');
      assert.ok(!res.text.includes('Secret-pw-123'), 'the password is not echoed');
    },
  },
  {
    area: 'registrations',
    name: 'no consents: 422 sync_consent_missing at ["consents"] for each document everyone needs',
    async run(t) {
      const { form } = await t.person();
      const res = await t.postRegistration(t.registrationBody(t.registrationId(), form, []));
      assertIssues(res, 422, ADULT_KINDS.map((kind) => ({ path: ['consents'], code: 'sync_consent_missing', params: { kind } })));
    },
  },
  {
    area: 'registrations',
    name: 'a cited receipt that was never stored: sync_consent_missing at ["consents", i]',
    async run(t) {
      const { form } = await t.person();
      const res = await t.postRegistration(t.registrationBody(t.registrationId(), form, [`rc-never-stored-${Date.now()}`]));
      assert.equal(res.status, 422, res.text.slice(0, 600));
      assert.deepEqual(res.json.issues[0], { path: ['consents', 0], code: 'sync_consent_missing', params: {} });
    },
  },
  {
    area: 'registrations',
    name: 'an adult with the three consents: 201 {id, registrationId, serverTime[, accountToken, verification, phoneConfirmed]}, no personal data',
    async run(t) {
      const reg = await t.register();
      const keys = Object.keys(reg.res.json).sort();
      for (const member of ['id', 'registrationId', 'serverTime']) assert.ok(keys.includes(member), `${member} in ${reg.res.text}`);
      assert.ok(keys.every((k) => ['accountToken', 'id', 'registrationId', 'serverTime', 'verification', 'phoneConfirmed'].includes(k)), `no other member: ${keys.join(', ')}`);
      // The account's state (4.6), where the backend reports it.
      const { verification, phoneConfirmed } = reg.res.json;
      assert.ok(verification === undefined || ['unverified', 'pending', 'verified', 'failed'].includes(verification.state), JSON.stringify(verification));
      assert.ok(phoneConfirmed === undefined || typeof phoneConfirmed === 'boolean');
      assert.equal(reg.res.json.registrationId, reg.registrationId);
      assert.equal(typeof reg.res.json.id, 'string');
      assert.ok(reg.res.json.id.length > 0);
      assert.ok(Number.isSafeInteger(reg.res.json.serverTime) && Math.abs(reg.res.json.serverTime - Date.now()) < 120_000, 'serverTime in ms');
      assert.match(reg.res.headers['content-type'] ?? '', /^application\/json/i);
    },
  },
  {
    area: 'registrations',
    name: 'the admin listing: one row per account, masked with the package\'s maskName / maskId / maskPhone, the server\'s age fields',
    async run(t) {
      t.needAdmin();
      const reg = await t.register();
      const list = await t.listing();
      const row = list.json.registrations.find((r) => r.id === reg.id);
      assert.ok(row, 'the new account is listed');
      // The account's state (docs/protocol.md 4.6): its verification, and the members a backend may add.
      const { createdAt, verification, phoneConfirmed, phoneConfirmedAt, frozen, lastActiveDay, ...rest } = row;
      assert.ok(['unverified', 'pending', 'verified', 'failed'].includes(verification?.state), `verification.state: ${JSON.stringify(verification)}`);
      if (verification.state === 'verified') assert.equal(typeof verification.provider, 'string', 'verified by a named provider');
      assert.ok(phoneConfirmed === undefined || typeof phoneConfirmed === 'boolean');
      assert.ok(frozen === undefined || frozen === null, 'a new account is not frozen');
      assert.deepEqual(rest, {
        id: reg.id,
        registrationId: reg.registrationId,
        name: t.shiming.maskName(reg.form.name),
        idNumber: t.shiming.maskId(reg.form.idNumber),
        phone: t.shiming.maskPhone(`+86${reg.form.phone}`),
        kind: reg.kind,
        ageBand: 'adult',
        isMinor: false,
        birthDateSource: reg.birthDateSource,
        consents: reg.consents.ids,
        consentState: { inForce: true, reconsent: [] },
        guardian: null,
      });
      assert.ok(Number.isSafeInteger(createdAt) && Math.abs(createdAt - reg.res.json.serverTime) < 5000, 'createdAt is when it was stored (ms)');
      assert.ok(row.idNumber.includes('*') && row.phone.includes('*') && row.name.includes('*'));
      assert.match(list.headers['cache-control'] ?? '', /no-store/i, 'Cache-Control: no-store');
    },
  },
  {
    area: 'registrations',
    name: 'receipts of another registration, or withdrawn ones, do not cover: sync_consent_missing at ["consents", i]',
    async run(t) {
      const mine = t.registrationId();
      const theirs = await t.consentTo(t.registrationId(), ADULT_KINDS);
      const { form } = await t.person();
      const borrowed = await t.postRegistration(t.registrationBody(mine, form, theirs.ids));
      assert.equal(borrowed.status, 422, borrowed.text.slice(0, 600));
      assert.deepEqual(borrowed.json.issues.slice(0, 3).map((i) => [i.path, i.code]), [0, 1, 2].map((i) => [['consents', i], 'sync_consent_missing']));

      const own = await t.consentTo(mine, ADULT_KINDS);
      const withdrawal = buildWithdrawal(own.receipts[1], await t.doc('privacy_policy'), mine);
      const posted = await t.postConsents([withdrawal]);
      assert.equal(posted.status, 201, `a withdrawal before the registration exists needs no token: ${posted.text.slice(0, 300)}`);
      const refused = await t.postRegistration(t.registrationBody(mine, form, own.ids));
      assertIssues(refused, 422, [
        { path: ['consents', 1], code: 'sync_consent_missing', params: { kind: 'privacy_policy' } },
        { path: ['consents'], code: 'sync_consent_missing', params: { kind: 'privacy_policy' } },
      ]);
    },
  },
  {
    area: 'registrations',
    name: 'the same registrationId and content under a new key: 200 with the original id and time; other content: 422 sync_registration_conflict',
    async run(t) {
      const reg = await t.register();
      const again = await t.postRegistration(t.registrationBody(reg.registrationId, reg.form, reg.consents.ids));
      assert.equal(again.status, 200, again.text.slice(0, 600));
      for (const member of ['id', 'registrationId', 'serverTime']) assert.equal(again.json[member], reg.res.json[member], member);
      assert.equal(again.headers['idempotent-replayed'], undefined, 'not a key replay');
      const changed = await t.postRegistration(t.registrationBody(reg.registrationId, { ...reg.form, phone: '13800139999' }, reg.consents.ids));
      assertIssues(changed, 422, [{ path: ['registrationId'], code: 'sync_registration_conflict', params: {} }]);
    },
  },
  {
    area: 'registrations',
    name: 'the same document under another registrationId: 422 sync_already_registered at ["form","idNumber"]',
    async run(t) {
      const reg = await t.register();
      const other = t.registrationId();
      const consents = await t.consentTo(other, ADULT_KINDS);
      const res = await t.postRegistration(t.registrationBody(other, { ...reg.form, phone: '13800130000' }, consents.ids));
      assertIssues(res, 422, [{ path: ['form', 'idNumber'], code: 'sync_already_registered', params: {} }]);
    },
  },
  {
    area: 'registrations',
    name: 'a withdrawn consent the account needs shows in the listing and the account (consentState: not in force, withdrawn); accepting again puts it back in force',
    async run(t) {
      t.needAdmin();
      const reg = await t.register();
      const privacy = await t.doc('privacy_policy');
      const withdrawal = buildWithdrawal(reg.consents.receipts[1], privacy, reg.registrationId, { sequence: 4 });
      assert.equal((await t.postConsents([withdrawal], { token: reg.token ?? t.adminToken })).status, 201);
      const withdrawn = { inForce: false, reconsent: [{ kind: 'privacy_policy', reason: 'withdrawn' }] };
      assert.deepEqual((await t.row(reg.id)).consentState, withdrawn, 'the listing');
      const own = await t.call('GET', `/registrations/${reg.id}`, { token: t.adminToken });
      assert.equal(own.status, 200, own.text.slice(0, 300));
      assert.deepEqual(own.json.consentState, withdrawn, 'GET /registrations/{id}');
      // Another account is not affected.
      const other = await t.register();
      assert.deepEqual((await t.row(other.id)).consentState, { inForce: true, reconsent: [] });
      // The user accepts the current privacy policy again: in force.
      const again = buildReceipt(privacy, reg.registrationId, { sequence: 5 });
      assert.equal((await t.postConsents([again], { token: reg.token ?? t.adminToken })).status, 201);
      assert.deepEqual((await t.row(reg.id)).consentState, { inForce: true, reconsent: [] });
    },
  },
  {
    area: 'registrations',
    name: 'GET /registrations/{id}/consents (admin): every receipt of the account exactly as posted, withdrawals too, in order; withdrawn ids',
    async run(t) {
      t.needAdmin();
      const reg = await t.register();
      const other = await t.register();
      const withdrawal = buildWithdrawal(reg.consents.receipts[1], await t.doc('privacy_policy'), reg.registrationId, { sequence: 4 });
      // Once registered, a withdrawal carries the account's token (or the admin token).
      const posted = await t.postConsents([withdrawal], { token: t.adminToken });
      assert.equal(posted.status, 201, posted.text.slice(0, 600));

      const answer = await t.call('GET', `/registrations/${reg.id}/consents`, { token: t.adminToken });
      assert.equal(answer.status, 200, answer.text.slice(0, 600));
      assert.match(answer.headers['cache-control'] ?? '', /no-store/i, 'Cache-Control: no-store');
      assert.deepEqual(Object.keys(answer.json).sort(), ['consents', 'id', 'registrationId', 'withdrawn']);
      assert.equal(answer.json.id, reg.id);
      assert.equal(answer.json.registrationId, reg.registrationId);
      assert.deepEqual(answer.json.consents.map((c) => c.receiptId), [...reg.consents.ids, withdrawal.consentReceiptID]);
      assert.deepEqual(answer.json.withdrawn, [reg.consents.ids[1]]);
      for (const entry of answer.json.consents) {
        assert.deepEqual(Object.keys(entry).sort(), ['receipt', 'receiptId', 'serverTime']);
        assert.equal(entry.receipt.consentReceiptID, entry.receiptId);
        assert.ok(Number.isSafeInteger(entry.serverTime));
        assert.equal(digestOf(entry.receipt), entry.receipt.digest, 'its digest holds');
        assert.equal(entry.receipt.serverTimestamp, Math.floor(entry.serverTime / 1000), 'serverTimestamp: the server time in seconds');
        assert.equal(await verifySignature(entry.receipt, (await t.policy()).signingKeys), 'ok', 'countersigned by the server');
      }
      const clientPart = ({ digest: _d, serverTimestamp: _t, serverSignature: _s, ...rest }) => rest;
      assert.deepEqual(answer.json.consents.map((c) => clientPart(c.receipt)), [...reg.consents.receipts, withdrawal].map(clientPart), 'every member the client wrote, as posted');
      assert.ok(!answer.text.includes(other.registrationId), 'another account\'s receipts are not listed');
    },
  },
  {
    area: 'registrations',
    name: 'GET /registrations/{id}/consents: an unknown id 404 sync_not_found (admin); POST on it 405',
    async run(t) {
      t.needAdmin();
      const unknown = await t.call('GET', `/registrations/${unknownId()}/consents`, { token: t.adminToken });
      assertIssues(unknown, 404, [{ path: [], code: 'sync_not_found', params: {} }]);
      const post = await t.call('POST', `/registrations/${unknownId()}/consents`, { body: {}, key: t.key(), token: t.adminToken });
      assert.equal(post.status, 405, post.text.slice(0, 300));
      assert.match(post.headers.allow ?? '', /\bGET\b/);
    },
  },

  // ---- the order of the steps (4.3) -------------------------------------------------------------------------------
  {
    area: 'order',
    name: 'shape before content: a bad registrationId with an invalid form gives the shape issue only',
    async run(t) {
      const { form } = await t.person();
      const res = await t.postRegistration(t.registrationBody('x', { ...form, phone: '12345', name: 'Zhang3' }, []));
      assertIssues(res, 422, [{ path: ['registrationId'], code: 'sync_field_invalid' }]);
    },
  },
  {
    area: 'order',
    name: 'content before the registrationId: a stored registrationId with an invalid form gives the form\'s issues',
    async run(t) {
      const reg = await t.register();
      const res = await t.postRegistration(t.registrationBody(reg.registrationId, { ...reg.form, phone: '12345' }, reg.consents.ids));
      assert.equal(res.status, 422, res.text.slice(0, 600));
      assert.deepEqual(pathsAndCodes(res).map(([p]) => p.slice(0, 2).join('.')), ['form.phone'], res.text.slice(0, 600));
    },
  },
  {
    area: 'order',
    name: 'the registrationId before consents: a stored registrationId with other content and no consents is sync_registration_conflict',
    async run(t) {
      const reg = await t.register();
      const res = await t.postRegistration(t.registrationBody(reg.registrationId, { ...reg.form, phone: '13800139998' }, []));
      assertIssues(res, 422, [{ path: ['registrationId'], code: 'sync_registration_conflict', params: {} }]);
    },
  },
];
