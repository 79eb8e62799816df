// Bounded under abuse (protocol 2 and 3): ids chosen by the client never have the shape of a personal number (an ID
// or mobile number, whole or as one of its `. _ : -` separated parts), so that no personal data hides in a key or an
// id the server logs and stores; a request that does not arrive in time is cut off.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

import { assertIssues } from '../lib/context.mjs';

const MOBILE = '13800138000';

function testIds(t) {
  const seed = randomInt(2 ** 32);
  const full = t.shiming.generateTestId({ seed, kind: 'cn_resident' });
  const legacy = t.shiming.generateTestId({ seed, kind: 'cn_resident_legacy' });
  for (const id of [full, legacy]) t.remember(id, 'idNumber');
  return { full, legacy };
}

export default [
  {
    area: 'bounded',
    addition: true,
    name: 'an Idempotency-Key shaped like an ID number (a test ID, its 15-digit form, k-<ID>, <ID>:1): 400 sync_idempotency_key_invalid',
    async run(t) {
      const { full, legacy } = testIds(t);
      for (const key of [full, legacy, `k-${full}`, `${full}:1`]) {
        for (const path of ['/registrations', '/consents']) {
          const res = await t.call('POST', path, { body: {}, key });
          assert.equal(res.status, 400, `${path}, a key of that shape: expected 400, got ${res.status}: ${res.text.slice(0, 300)}`);
          assert.deepEqual(res.json?.issues?.map((i) => i.code), ['sync_idempotency_key_invalid']);
        }
      }
    },
  },
  {
    area: 'bounded',
    addition: true,
    name: 'an Idempotency-Key shaped like a mobile number (13800138000, sk1-13800138000): 400 sync_idempotency_key_invalid',
    async run(t) {
      for (const key of [MOBILE, `sk1-${MOBILE}`]) {
        const res = await t.call('POST', '/registrations', { body: {}, key });
        assert.equal(res.status, 400, `expected 400, got ${res.status}: ${res.text.slice(0, 300)}`);
        assert.deepEqual(res.json?.issues?.map((i) => i.code), ['sync_idempotency_key_invalid']);
      }
    },
  },
  {
    area: 'bounded',
    addition: true,
    name: 'a registrationId shaped like an ID or mobile number: 422 sync_field_invalid at ["registrationId"]',
    async run(t) {
      const { full } = testIds(t);
      const { form } = await t.person();
      for (const registrationId of [full, `reg-${full}`, `reg-${MOBILE}`, `reg:${MOBILE}`]) {
        const res = await t.postRegistration(t.registrationBody(registrationId, form, []));
        assertIssues(res, 422, [{ path: ['registrationId'], code: 'sync_field_invalid' }]);
      }
    },
  },
  {
    area: 'bounded',
    addition: true,
    name: 'a request whose body stalls: 408 sync_request_timeout (or the connection closed) within the server\'s request timeout',
    async run(t) {
      const secs = t.options.requestTimeoutSecs;
      if (!secs) t.skip('pass --request-timeout-secs N (the server\'s request timeout) to check it; it waits up to N + 5 s');
      const url = new URL('registrations', t.options.baseUrl.endsWith('/') ? t.options.baseUrl : `${t.options.baseUrl}/`);
      const outcome = await stalledRequest(url, t.key(), (secs + 5) * 1000);
      if (outcome.kind === 'closed') {
        t.note(`connection closed after ${outcome.ms} ms`);
        return;
      }
      assert.equal(outcome.kind, 'answer', `no answer and no close within ${secs + 5} s`);
      assert.match(outcome.head, /^HTTP\/1\.[01] 408 /, outcome.head.split('\r\n')[0]);
      assert.match(outcome.body, /"sync_request_timeout"/);
    },
  },
];

/** Sends the headers of a POST and half of its body, then nothing; resolves what the server did. */
function stalledRequest(url, key, waitMs) {
  return new Promise((resolvePromise) => {
    const started = Date.now();
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const socket = url.protocol === 'https:' ? tlsConnect({ host: url.hostname, port, servername: url.hostname }) : tcpConnect({ host: url.hostname, port });
    const chunks = [];
    const timer = setTimeout(() => (chunks.length ? ended() : finish({ kind: 'nothing' })), waitMs);
    let done = false;
    function finish(outcome) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolvePromise({ ...outcome, ms: Date.now() - started });
    }
    socket.on(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nIdempotency-Key: ${key}\r\n` +
          'Content-Length: 64\r\nConnection: close\r\n\r\n{"registrationId":',
      );
    });
    socket.on('data', (c) => chunks.push(c));
    const ended = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return finish({ kind: 'closed' });
      const split = text.indexOf('\r\n\r\n');
      finish({ kind: 'answer', head: split < 0 ? text : text.slice(0, split), body: split < 0 ? '' : text.slice(split + 4) });
    };
    socket.on('end', ended);
    socket.on('close', ended);
    socket.on('error', () => ended());
  });
}
