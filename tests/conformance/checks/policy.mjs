// GET {base}/policy (protocol 4.1), and what any path or method outside the protocol gets.

import assert from 'node:assert/strict';

import { sha256 } from '../lib/receipts.mjs';
import { ALL_KINDS, DOCUMENT_KINDS } from '../lib/context.mjs';

export default [
  {
    area: 'policy',
    name: '200: protocol 1, serverTime (ms, near now), version, ETag "<version>", Cache-Control: no-store, JSON',
    async run(t) {
      const before = Date.now();
      const res = await t.call('GET', '/policy');
      const after = Date.now();
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.match(res.headers['content-type'] ?? '', /^application\/json/i, 'Content-Type');
      assert.match(res.headers['cache-control'] ?? '', /(^|,)\s*no-store\s*(,|$)/i, 'Cache-Control: no-store');
      const body = res.json;
      assert.equal(body?.protocol, 1, 'protocol');
      assert.ok(Number.isSafeInteger(body.serverTime), 'serverTime is an integer (ms)');
      assert.ok(body.serverTime > before - 120_000 && body.serverTime < after + 120_000, 'serverTime is the server\'s clock in ms, within 2 minutes of this machine\'s');
      assert.equal(typeof body.version, 'string');
      assert.ok(body.version.length > 0, 'version is not empty');
      assert.equal(res.headers.etag, `"${body.version}"`, 'ETag is the quoted version');
      assert.ok(body.policy !== null && typeof body.policy === 'object' && !Array.isArray(body.policy), 'policy is an object');
      assert.ok(body.phoneSegments === null || (typeof body.phoneSegments === 'object' && !Array.isArray(body.phoneSegments)), 'phoneSegments is null or a table');
    },
  },
  {
    area: 'policy',
    name: 'documents: a current one of each of the five kinds; each {id, version, kind, title, locale, text, digest}, digest = SHA-256 of text',
    async run(t) {
      const { documents } = await t.policy();
      assert.ok(Array.isArray(documents) && documents.length > 0, 'documents is a non-empty array');
      for (const d of documents) {
        assert.deepEqual(Object.keys(d).sort(), ['digest', 'id', 'kind', 'locale', 'reading', 'text', 'title', 'version'], `members of ${d.id}`);
        for (const member of ['id', 'version', 'title', 'locale', 'text']) assert.equal(typeof d[member], 'string', `${d.id}.${member}`);
        assert.ok(DOCUMENT_KINDS.includes(d.kind), `${d.id}: unknown kind ${d.kind}`);
        assert.match(d.digest, /^[0-9a-f]{64}$/, `${d.id}: digest is 64 lowercase hex digits`);
        assert.equal(d.digest, sha256(d.text), `${d.id}: digest is the SHA-256 of the UTF-8 text`);
      }
      for (const kind of DOCUMENT_KINDS) assert.ok(documents.some((d) => d.kind === kind), `a document of kind ${kind} (every registration needs it, or a minor's)`);
    },
  },
  {
    area: 'policy',
    name: 'idKinds: the document kinds accepted, non-empty, known names in the package\'s order',
    async run(t) {
      const { idKinds } = await t.policy();
      assert.ok(Array.isArray(idKinds) && idKinds.length > 0, 'idKinds is a non-empty array');
      for (const kind of idKinds) assert.ok(ALL_KINDS.includes(kind), `unknown kind ${kind}`);
      assert.deepEqual(idKinds, ALL_KINDS.filter((k) => idKinds.includes(k)), 'in the package\'s order, without duplicates');
      t.note(`idKinds: ${idKinds.join(',')}`);
    },
  },
  {
    area: 'policy',
    name: 'If-None-Match with the ETag: 304 without a body, same ETag; another tag: 200',
    async run(t) {
      const first = await t.call('GET', '/policy');
      assert.equal(first.status, 200);
      const again = await t.call('GET', '/policy', { headers: { 'If-None-Match': first.headers.etag } });
      assert.equal(again.status, 304, again.text.slice(0, 300));
      assert.equal(again.text, '', 'no body');
      assert.equal(again.headers.etag, first.headers.etag);
      const other = await t.call('GET', '/policy', { headers: { 'If-None-Match': '"not-the-version"' } });
      assert.equal(other.status, 200);
    },
  },
  {
    area: 'policy',
    name: 'POST {base}/policy: 405 sync_method_not_allowed with an Allow header naming GET',
    async run(t) {
      const res = await t.call('POST', '/policy', { body: {}, key: t.key() });
      assert.equal(res.status, 405, res.text.slice(0, 300));
      assert.equal(res.json?.issues?.[0]?.code, 'sync_method_not_allowed');
      assert.match(res.headers.allow ?? '', /\bGET\b/, 'Allow');
    },
  },
  {
    area: 'policy',
    name: 'an unknown path under the base: 404 (sync_not_found if the answer is JSON)',
    async run(t) {
      const res = await t.call('GET', '/no-such-endpoint');
      assert.equal(res.status, 404);
      if (res.json !== undefined) assert.equal(res.json?.issues?.[0]?.code, 'sync_not_found', res.text.slice(0, 300));
    },
  },
];
