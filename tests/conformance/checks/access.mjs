// The account token and per-account access (protocol 4.3 and 4.5): POST /registrations answers with an accountToken;
// GET /registrations/{id}, GET /registrations/{id}/consents and DELETE /registrations/{id} take the admin token or
// that very account's token; the listing is the admin's only.

import assert from 'node:assert/strict';

import { assertIssues, madeUpToken, unknownId } from '../lib/context.mjs';

/** Two accounts registered once per run, shared by the checks that only read. */
function twoAccounts(t) {
  return t.fixture('two accounts', async (t) => ({ a: await t.register(), b: await t.register() }));
}

/** The account token of a registration's 201, asserted to be there. */
export function tokenOf(account) {
  assert.equal(typeof account.token, 'string', `the ${account.res.status} of POST /registrations carries no accountToken: ${account.res.text.slice(0, 300)}`);
  return account.token;
}

function assertForbidden(res) {
  assert.equal(res.status, 403, `expected 403, got ${res.status}: ${res.text.slice(0, 300)}`);
  assert.deepEqual(res.json?.issues?.map((i) => i.code), ['sync_forbidden'], res.text.slice(0, 300));
}

function assertUnauthorized(res, what) {
  assert.equal(res.status, 401, `${what}: expected 401, got ${res.status}: ${res.text.slice(0, 300)}`);
  assert.deepEqual(res.json?.issues?.map((i) => i.code), ['sync_unauthorized'], `${what}: ${res.text.slice(0, 300)}`);
  assert.match(res.headers['www-authenticate'] ?? '', /^Bearer\b/i, `${what}: WWW-Authenticate: Bearer`);
}

/** The three per-account endpoints of an account's server id. */
const ENDPOINTS = [
  ['GET', (id) => `/registrations/${id}`],
  ['GET', (id) => `/registrations/${id}/consents`],
  ['DELETE', (id) => `/registrations/${id}`],
];

export default [
  {
    area: 'account token',
    addition: true,
    name: 'the 201 of POST /registrations carries accountToken: an opaque bearer token (b64token characters, 22 to 512), one per account',
    async run(t) {
      const { a, b } = await twoAccounts(t);
      for (const account of [a, b]) {
        const token = tokenOf(account);
        assert.match(token, /^[A-Za-z0-9._~+/-]+=*$/, 'RFC 6750 b64token characters');
        assert.ok(token.length >= 22 && token.length <= 512, `length ${token.length} (at least 128 random bits)`);
      }
      assert.notEqual(a.token, b.token, 'each account has its own token');
      assert.notEqual(a.token, t.adminToken);
    },
  },
  {
    area: 'account token',
    addition: true,
    name: 'a replay of the registration (same key, same body) carries the same accountToken',
    async run(t) {
      const reg = await t.register();
      const token = tokenOf(reg);
      const replay = await t.postRegistration(reg.body, { key: reg.key });
      assert.equal(replay.status, 201);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.json.accountToken, token);
    },
  },
  {
    area: 'account token',
    addition: true,
    name: 'the 200 for the same registrationId and content under a new key carries a token that opens this account',
    async run(t) {
      const reg = await t.register();
      tokenOf(reg);
      const again = await t.postRegistration(t.registrationBody(reg.registrationId, reg.form, reg.consents.ids));
      assert.equal(again.status, 200, again.text.slice(0, 300));
      assert.equal(typeof again.json.accountToken, 'string', `the 200 carries accountToken: ${again.text.slice(0, 300)}`);
      const opened = await t.call('GET', `/registrations/${reg.id}`, { token: again.json.accountToken });
      assert.equal(opened.status, 200, opened.text.slice(0, 300));
      if (again.json.accountToken !== reg.token) t.note('the 200 carried a token other than the 201\'s');
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'GET /registrations/{id} with the admin token: 200, the account\'s masked row exactly as in the listing',
    async run(t) {
      t.needAdmin();
      const { a } = await twoAccounts(t);
      const res = await t.call('GET', `/registrations/${a.id}`, { token: t.adminToken });
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.match(res.headers['cache-control'] ?? '', /no-store/i, 'Cache-Control: no-store');
      assert.deepEqual(res.json, await t.row(a.id));
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'GET /registrations/{id} with the account\'s own token: 200, the same row',
    async run(t) {
      const { a } = await twoAccounts(t);
      const res = await t.call('GET', `/registrations/${a.id}`, { token: tokenOf(a) });
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.equal(res.json.id, a.id);
      assert.equal(res.json.registrationId, a.registrationId);
      assert.equal(res.json.idNumber, t.shiming.maskId(a.form.idNumber), 'masked');
      // The row, but for when the account was last used (this very read may be it).
      const { lastActiveDay: _seen, ...own } = res.json;
      if (t.adminToken) {
        const { lastActiveDay: _also, ...row } = await t.row(a.id);
        assert.deepEqual(own, row);
      }
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'GET /registrations/{id}/consents with the account\'s own token: 200, its receipts',
    async run(t) {
      const { a } = await twoAccounts(t);
      const res = await t.call('GET', `/registrations/${a.id}/consents`, { token: tokenOf(a) });
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.equal(res.json.id, a.id);
      assert.deepEqual(res.json.consents.map((c) => c.receiptId), a.consents.ids);
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'another account\'s token: 403 sync_forbidden on GET /registrations/{id}, GET .../consents and DELETE (nothing deleted)',
    async run(t) {
      const { a, b } = await twoAccounts(t);
      const other = tokenOf(b);
      for (const [method, path] of ENDPOINTS) assertForbidden(await t.call(method, path(a.id), { token: other }));
      const still = await t.call('GET', `/registrations/${a.id}`, { token: tokenOf(a) });
      assert.equal(still.status, 200, 'the account is still there');
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'an unknown id with an account token: 403 sync_forbidden (which ids exist is not told)',
    async run(t) {
      const { a } = await twoAccounts(t);
      const id = unknownId();
      for (const [method, path] of ENDPOINTS) assertForbidden(await t.call(method, path(id), { token: tokenOf(a) }));
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'GET /registrations/{id}: 401 sync_unauthorized with WWW-Authenticate: Bearer without Authorization or with a made-up token',
    async run(t) {
      const { a } = await twoAccounts(t);
      assertUnauthorized(await t.call('GET', `/registrations/${a.id}`), 'no Authorization');
      assertUnauthorized(await t.call('GET', `/registrations/${a.id}`, { token: madeUpToken() }), 'a made-up token');
      assertUnauthorized(await t.call('GET', `/registrations/${a.id}`, { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } }), 'Basic credentials');
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'GET /registrations/{id} of an unknown id with the admin token: 404 sync_not_found',
    async run(t) {
      t.needAdmin();
      assertIssues(await t.call('GET', `/registrations/${unknownId()}`, { token: t.adminToken }), 404, [{ path: [], code: 'sync_not_found' }]);
    },
  },
  {
    area: 'access',
    name: 'GET /registrations/{id}/consents and DELETE: 401 sync_unauthorized with WWW-Authenticate: Bearer without Authorization or with a made-up token',
    async run(t) {
      const id = unknownId();
      for (const [method, path] of ENDPOINTS.slice(1)) {
        assertUnauthorized(await t.call(method, path(id)), `${method} ${path('{id}')} without Authorization`);
        assertUnauthorized(await t.call(method, path(id), { token: madeUpToken() }), `${method} ${path('{id}')} with a made-up token`);
      }
    },
  },
  {
    area: 'access',
    name: 'DELETE of an unknown id with the admin token: 404 sync_not_found',
    async run(t) {
      t.needAdmin();
      assertIssues(await t.call('DELETE', `/registrations/${unknownId()}`, { token: t.adminToken }), 404, [{ path: [], code: 'sync_not_found' }]);
    },
  },
  {
    area: 'access',
    name: 'the listing: 401 sync_unauthorized without Authorization or with a made-up token; 200 with the admin token',
    async run(t) {
      assertUnauthorized(await t.call('GET', '/registrations'), 'no Authorization');
      assertUnauthorized(await t.call('GET', '/registrations', { token: madeUpToken() }), 'a made-up token');
      if (t.adminToken) await t.listing();
      else t.note('200 with the admin token not checked (no --admin-token)');
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'the listing with an account token: 403 sync_forbidden (admin only)',
    async run(t) {
      const { a } = await twoAccounts(t);
      assertForbidden(await t.call('GET', '/registrations', { token: tokenOf(a) }));
    },
  },
  {
    area: 'access',
    addition: true,
    name: 'DELETE /registrations/{id} with the account\'s own token: 204 without a body; then the token opens nothing (401)',
    async run(t) {
      const reg = await t.register();
      const token = tokenOf(reg);
      const res = await t.call('DELETE', `/registrations/${reg.id}`, { token });
      assert.equal(res.status, 204, res.text.slice(0, 300));
      assert.equal(res.text, '');
      assertUnauthorized(await t.call('GET', `/registrations/${reg.id}`, { token }), 'the deleted account\'s token');
      if (t.adminToken) {
        assertIssues(await t.call('GET', `/registrations/${reg.id}/consents`, { token: t.adminToken }), 404, [{ path: [], code: 'sync_not_found' }]);
      }
    },
  },
];
