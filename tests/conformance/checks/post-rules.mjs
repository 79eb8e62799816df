// What every POST must carry (protocol 1 and 3): an Idempotency-Key, a JSON body of bounded size; and the shape of the
// bodies (4.2, 4.3 step 1).

import assert from 'node:assert/strict';

import { assertIssues } from '../lib/context.mjs';
import { buildReceipt } from '../lib/receipts.mjs';

const ENDPOINTS = ['/registrations', '/consents'];

export default [
  {
    area: 'post rules',
    name: 'a missing or malformed Idempotency-Key: 400 sync_idempotency_key_invalid (both endpoints)',
    async run(t) {
      for (const path of ENDPOINTS) {
        for (const key of [undefined, '', 'has space', 'ü-key', 'x'.repeat(129), 'a/b']) {
          const res = await t.call('POST', path, { body: {}, key });
          assert.equal(res.status, 400, `${path} with key ${JSON.stringify(key)}: ${res.text.slice(0, 300)}`);
          assert.equal(res.json?.issues?.[0]?.code, 'sync_idempotency_key_invalid', `${path} with key ${JSON.stringify(key)}`);
        }
      }
    },
  },
  {
    area: 'post rules',
    name: 'a 128-character key of [A-Za-z0-9._:-] is accepted (the body is then judged: 422)',
    async run(t) {
      const key = `A-z_0.9:${'x'.repeat(112)}${Math.random().toString(36).slice(2, 10).padEnd(8, 'y')}`;
      assert.equal(key.length, 128);
      const res = await t.call('POST', '/registrations', { body: {}, key });
      assert.equal(res.status, 422, res.text.slice(0, 300));
    },
  },
  {
    area: 'post rules',
    name: 'another Content-Type: 415 sync_content_type_unsupported',
    async run(t) {
      for (const path of ENDPOINTS) {
        const res = await t.call('POST', path, { raw: Buffer.from('a=b'), key: t.key(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
        assert.equal(res.status, 415, `${path}: ${res.text.slice(0, 300)}`);
        assert.equal(res.json?.issues?.[0]?.code, 'sync_content_type_unsupported');
      }
    },
  },
  {
    area: 'post rules',
    name: 'a body that is not JSON: 400 {"issues":[{"path":[],"code":"sync_body_invalid_json","params":{}}]}',
    async run(t) {
      for (const path of ENDPOINTS) {
        const res = await t.call('POST', path, { raw: Buffer.from('{"registrationId":'), key: t.key() });
        assert.equal(res.status, 400, `${path}: ${res.text.slice(0, 300)}`);
        assert.deepEqual(res.json, { issues: [{ path: [], code: 'sync_body_invalid_json', params: {} }] });
      }
    },
  },
  {
    area: 'post rules',
    name: 'a body over the server\'s limit: 413 sync_body_too_large',
    async run(t) {
      const res = await t.call('POST', '/registrations', { raw: Buffer.alloc(1024 * 1024 + 1, 0x20), key: t.key() });
      if (res.status === 400 && res.json?.issues?.[0]?.code === 'sync_body_invalid_json') {
        t.skip('the server read a body of 1 MiB (its limit is higher); the suite sends no more');
      }
      assert.equal(res.status, 413, res.text.slice(0, 300));
      assert.equal(res.json?.issues?.[0]?.code, 'sync_body_too_large');
    },
  },
  {
    area: 'post rules',
    name: 'registrations: a malformed body is 422 with each problem at its path (shape)',
    async run(t) {
      const res = await t.call('POST', '/registrations', { body: { registrationId: 'x', form: 'no', consents: [1] }, key: t.key() });
      assertIssues(res, 422, [
        { path: ['registrationId'], code: 'sync_field_invalid' },
        { path: ['form'], code: 'sync_field_invalid' },
        { path: ['consents'], code: 'sync_field_invalid' },
      ]);
      const missing = await t.call('POST', '/registrations', { body: {}, key: t.key() });
      assert.equal(missing.status, 422);
      const got = missing.json.issues.map((i) => [i.path.join('.'), i.code]);
      for (const member of ['registrationId', 'form', 'consents']) {
        assert.ok(got.some(([p, c]) => p === member && c === 'sync_field_missing'), `sync_field_missing at ["${member}"]: ${missing.text}`);
      }
    },
  },
  {
    area: 'post rules',
    name: 'consents: 1 to 20 receipts per request, else 422 at ["receipts"]',
    async run(t) {
      const doc = await t.doc('service_agreement');
      for (const receipts of [[], Array.from({ length: 21 }, () => buildReceipt(doc, t.registrationId())), 'x']) {
        const res = await t.postConsents(receipts);
        assert.equal(res.status, 422, res.text.slice(0, 300));
        assert.deepEqual(res.json.issues[0].path, ['receipts']);
      }
      const none = await t.call('POST', '/consents', { body: {}, key: t.key() });
      assertIssues(none, 422, [{ path: ['receipts'], code: 'sync_field_missing' }]);
    },
  },
];
