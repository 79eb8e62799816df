// The Host allow-list (protocol 1): a request whose Host header names no host the server serves is refused with 421
// before anything else (DNS rebinding, host-header injection).

import assert from 'node:assert/strict';

export default [
  {
    area: 'host',
    addition: true,
    name: 'Host: evil.example: 421 sync_host_not_allowed (GET {base}/policy, POST {base}/registrations)',
    async run(t) {
      for (const [method, path, options] of [
        ['GET', '/policy', {}],
        ['POST', '/registrations', { body: {}, key: t.key() }],
      ]) {
        const res = await t.call(method, path, { ...options, headers: { Host: 'evil.example' } });
        assert.equal(res.status, 421, `${method} ${path}: expected 421, got ${res.status}: ${res.text.slice(0, 300)}`);
        assert.deepEqual(res.json?.issues?.map((i) => i.code), ['sync_host_not_allowed'], `${method} ${path}`);
      }
      const normal = await t.call('GET', '/policy');
      assert.equal(normal.status, 200, 'the base URL\'s own host is allowed');
    },
  },
];
