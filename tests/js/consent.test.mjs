// shiming/consent in Node (a backend verifying receipts, or a build step making documents): digests equal to
// node:crypto's, receipts any language can recompute, tampering, re-consent, withdrawal, and garbage.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import { importPkg } from './support.mjs';

const consent = await importPkg('consent-node.js');
const { makeDocument, checkDocument, documentDigest, requiredDocuments, buildReceipt, buildWithdrawal, verifyReceipt, syncReceipt, needsReconsent } = consent;

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const reading = { reachedEnd: true, visibleSeconds: 42, viewport: { width: 390, height: 844 }, locale: 'zh-CN' };
const input = (sequence, extra = {}) => ({ subject: 'reg:5b2f0c1d9e8a4f67', sequence, clientTime: 1764374400, reading, ...extra });
const doc = (version, text, kind = 'privacy_policy', id = 'privacy') =>
  makeDocument({ id, version, kind, title: '隐私政策', locale: 'zh-CN', text });

/**
 * RFC 8785 for what a receipt holds (strings, safe integers, booleans, null, arrays, objects), in 15 lines of plain
 * JS: a server in any language recomputes a receipt's digest like this.
 */
function canonical(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort(); // UTF-16 code unit order, as RFC 8785 §3.2.3 asks
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

describe('documents', () => {
  test('the digest is node:crypto’s SHA-256 of the UTF-8 text, non-BMP characters included', () => {
    for (const text of ['', 'a', '《网站服务使用协议》', '𠀀 😀 用户协议 é', 'x'.repeat(100_000), '\u{10FFFF}\r\n\t']) {
      assert.equal(documentDigest(text), sha256(text));
    }
    assert.equal(documentDigest('a\uD800b'), sha256('a\uFFFDb'), 'a lone surrogate is encoded as U+FFFD, like TextEncoder');
    assert.equal(doc('1', '𠀀 😀').digest, sha256('𠀀 😀'));
  });

  test('a received document whose text does not match its digest is refused', () => {
    const d = doc('1', '全文');
    assert.deepEqual(checkDocument(d), { ok: true, document: d });
    const forged = checkDocument({ ...d, text: '另一份全文' }, { locale: 'en' });
    assert.equal(forged.ok, false);
    assert.deepEqual(forged.issues.map((i) => [i.code, i.path]), [['consent_document_digest_mismatch', ['digest']]]);
    assert.equal(forged.issues[0].message, 'The document text does not match its digest');
    assert.throws(() => makeDocument({ ...d, kind: 'cookies' }), RangeError);
    assert.throws(() => makeDocument({ ...d, id: '' }), RangeError);
    assert.throws(() => makeDocument(null), TypeError);
  });

  test('the documents an age band requires', () => {
    assert.deepEqual(requiredDocuments('adult'), ['service_agreement', 'privacy_policy', 'sensitive_pi']);
    assert.deepEqual(requiredDocuments('12_to_14'), ['service_agreement', 'privacy_policy', 'sensitive_pi', 'children_privacy_rules', 'guardian_consent']);
    assert.throws(() => requiredDocuments('teen'), RangeError);
  });
});

describe('the reading rule (强制阅读) is enforced, not reported', () => {
  const strict = checkDocument({ ...doc('1', '网站服务使用协议全文', 'service_agreement', 'terms'), reading: { reachEnd: true, minSeconds: 10 } }).document;
  const withReading = (r) => input(1, { reading: { ...reading, ...r } });
  const codesOf = (result) => result.issues.map((i) => `${i.path.join('.')}:${i.code}`);

  test('a document carries its rule; makeDocument and checkDocument default to reaching the end', () => {
    assert.deepEqual(strict.reading, { reachEnd: true, minSeconds: 10 });
    assert.deepEqual(doc('1', '全文').reading, { reachEnd: true, minSeconds: 0 });
    for (const bad of [{ reachEnd: true, minSeconds: 601 }, { reachEnd: true, minSeconds: 1.5 }, { reachEnd: true }, null]) {
      const checked = checkDocument({ ...strict, reading: bad });
      assert.equal(checked.ok, false, JSON.stringify(bad));
      assert.deepEqual(checked.issues.map((i) => [i.code, i.path]), [['consent_field_invalid', ['reading']]]);
    }
  });

  test('buildReceipt refuses unread, too fast and viewport-less evidence with the tracker’s codes, in both locales', () => {
    assert.equal(buildReceipt(strict, withReading({ visibleSeconds: 10 })).ok, true);
    const unread = buildReceipt(strict, withReading({ reachedEnd: false, visibleSeconds: 0 }), { locale: 'en' });
    assert.equal(unread.ok, false);
    assert.deepEqual(codesOf(unread), ['reading.reachedEnd:consent_end_not_reached', 'reading.visibleSeconds:consent_reading_too_short']);
    assert.deepEqual(unread.issues[1].params, { seconds: 10 });
    assert.ok(unread.issues.every((i) => /[a-z]/.test(i.message) && !i.message.includes('{')), 'English messages');
    const fast = buildReceipt(strict, withReading({ visibleSeconds: 7 }));
    assert.deepEqual(codesOf(fast), ['reading.visibleSeconds:consent_reading_too_short']);
    assert.deepEqual(fast.issues[0].params, { seconds: 3 });
    assert.match(fast.issues[0].message, /3/);
    const blind = buildReceipt(strict, withReading({ visibleSeconds: 60, viewport: { width: 0, height: 844 } }));
    assert.deepEqual(codesOf(blind), ['reading.viewport:consent_field_invalid']);
  });

  test('receipt ids are UUID version 7: the time first (a server\'s index grows at its end), then random', () => {
    const before = Date.now();
    const ids = Array.from({ length: 20 }, () => buildReceipt(strict, withReading({ visibleSeconds: 10 })).receipt.consentReceiptID);
    const after = Date.now();
    for (const id of ids) {
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, id);
      const time = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
      assert.ok(time >= before && time <= after, `${id}: its time`);
    }
    assert.equal(new Set(ids).size, ids.length, 'unique');
    assert.deepEqual([...ids].sort((a, b) => a.slice(0, 13).localeCompare(b.slice(0, 13))).map((id) => id.slice(0, 13)), ids.map((id) => id.slice(0, 13)), 'in the order made');
  });

  test('verifyReceipt refuses a receipt built against a lenient copy of the document', () => {
    const lenient = { ...strict, reading: { reachEnd: false, minSeconds: 0 } };
    const built = buildReceipt(lenient, withReading({ reachedEnd: false, visibleSeconds: 1 }));
    assert.equal(built.ok, true);
    const verified = verifyReceipt(built.receipt, [strict]);
    assert.deepEqual(codesOf(verified), ['reading.reachedEnd:consent_end_not_reached', 'reading.visibleSeconds:consent_reading_too_short']);
  });
});

describe('receipts', () => {
  const v1 = doc('1', '隐私政策第一版');
  const built = buildReceipt(v1, input(1));
  const { receipt } = built;

  test('a receipt’s digest is the SHA-256 of its canonical JSON without the digest, recomputable in plain JS', () => {
    assert.equal(built.ok, true);
    const { digest, serverSignature, ...rest } = receipt;
    assert.equal(serverSignature, null, 'unsigned until a server countersigns it; not part of the digest');
    assert.equal(sha256(canonical(rest)), digest);
    assert.equal(receipt.document.digest, v1.digest);
    assert.equal(receipt.piiPrincipalId, 'reg:5b2f0c1d9e8a4f67');
    assert.match(receipt.consentReceiptID, /^[0-9a-f-]{36}$/, 'a random UUID by default');
    assert.deepEqual(verifyReceipt(receipt, [v1]), { ok: true, receipt });
    assert.deepEqual(verifyReceipt(JSON.stringify(receipt), [v1]).ok, true, 'the JSON text verifies too');
  });

  test('changing any field fails verification', () => {
    const change = (v) => {
      if (typeof v === 'string') return `${v}x`;
      if (typeof v === 'number') return v + 1;
      if (typeof v === 'boolean') return !v;
      if (v === null) return 'x';
      if (Array.isArray(v)) return [...v, 'x'];
      return { ...v, extra: 1 };
    };
    const paths = [];
    const walk = (value, path) => {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'digest' && path.length === 0) continue;
        paths.push([...path, k]);
        if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, [...path, k]);
      }
    };
    walk(receipt, []);
    assert.ok(paths.length >= 25, `${paths.length} fields`);
    // A signature on a receipt the server never synced is refused too (serverTimestamp null).
    for (const path of paths) {
      const copy = structuredClone(receipt);
      let at = copy;
      for (const k of path.slice(0, -1)) at = at[k];
      at[path.at(-1)] = change(at[path.at(-1)]);
      const result = verifyReceipt(copy, [v1]);
      assert.equal(result.ok, false, `changing ${path.join('.')} must fail`);
    }
    const wrongDigest = verifyReceipt({ ...receipt, digest: '0'.repeat(64) }, [v1]);
    assert.deepEqual(wrongDigest.issues.map((i) => i.code), ['consent_receipt_digest_mismatch']);
    // A document digest that does not match the known document: precise code.
    const resealed = (r) => {
      const { digest, serverSignature, ...rest } = r;
      return { ...rest, serverSignature, digest: sha256(canonical(rest)) };
    };
    const otherDoc = resealed({ ...receipt, document: { ...receipt.document, digest: 'a'.repeat(64) } });
    assert.deepEqual(verifyReceipt(otherDoc, [v1]).issues.map((i) => i.code), ['consent_receipt_document_digest_mismatch']);
    const unknown = resealed({ ...receipt, document: { ...receipt.document, version: '9' } });
    assert.deepEqual(verifyReceipt(unknown, [v1]).issues.map((i) => i.code), ['consent_document_unknown']);
  });

  test('personal numbers never go into a receipt', () => {
    const refused = buildReceipt(v1, input(1, { subject: '11010519491231002X' }));
    assert.equal(refused.ok, false);
    assert.ok(refused.issues.some((i) => i.code === 'consent_subject_looks_like_id'));
    assert.ok(!JSON.stringify(refused).includes('11010519491231002X'), 'not even in the issues');
  });

  test('a receipt for version 1 needs re-consent when version 2 is current; withdrawing and accepting again', () => {
    const v2 = doc('2', '隐私政策第二版');
    const r = needsReconsent([receipt], [v2], { locale: 'en' });
    assert.deepEqual(r.reconsent.map((x) => [x.documentId, x.version, x.reason]), [['privacy', '2', 'new_version']]);
    assert.equal(r.reconsent[0].issue.message, 'The agreement has changed: please read and accept it again');
    assert.deepEqual(needsReconsent([], [v1]).reconsent.map((x) => x.reason), ['never_accepted']);

    const withdrawal = buildWithdrawal(receipt, { sequence: 2, clientTime: 1764374500 }, [v1]);
    assert.equal(withdrawal.ok, true, JSON.stringify(withdrawal.issues));
    assert.equal(withdrawal.receipt.consentKind, 'withdrawal');
    assert.equal(withdrawal.receipt.withdraws, receipt.consentReceiptID);
    assert.equal(withdrawal.receipt.reading, null);
    assert.equal(verifyReceipt(withdrawal.receipt, [v1]).ok, true);
    assert.deepEqual(needsReconsent([receipt, withdrawal.receipt], [v1]).reconsent.map((x) => x.reason), ['withdrawn']);
    const again = buildReceipt(v1, input(3)).receipt;
    assert.deepEqual(needsReconsent([receipt, withdrawal.receipt, again], [v1]).reconsent, []);
  });

  test('the server’s time on sync is sealed into the digest', () => {
    const synced = syncReceipt(receipt, 1764374460);
    assert.equal(synced.receipt.serverTimestamp, 1764374460);
    assert.equal(verifyReceipt(synced.receipt, [v1]).ok, true);
    assert.equal(syncReceipt(synced.receipt, 1764374461).ok, false, 'only once');
  });

  test('garbage never traps: results for data, TypeError/RangeError for a caller’s mistakes', () => {
    const garbage = [undefined, null, 0, -1, NaN, 2 ** 64, '', '{', '[]', 'x'.repeat(1 << 20), {}, [], [null], [{}], { digest: 5 },
      Symbol('s'), 10n, () => 1, new Uint8Array(4), { toJSON() { throw new Error('boom'); } }];
    const cyclic = {};
    cyclic.self = cyclic;
    garbage.push(cyclic);
    const calls = {
      documentDigest: (g) => documentDigest(g),
      makeDocument: (g) => makeDocument(g),
      checkDocument: (g) => checkDocument(g),
      requiredDocuments: (g) => requiredDocuments(g),
      buildReceipt: (g) => buildReceipt(g, input(1)),
      buildReceiptInput: (g) => buildReceipt(v1, g),
      buildWithdrawal: (g) => buildWithdrawal(g, { sequence: 1 }, [v1]),
      verifyReceipt: (g) => verifyReceipt(g, [v1]),
      verifyReceiptDocs: (g) => verifyReceipt(receipt, g),
      syncReceipt: (g) => syncReceipt(receipt, g),
      needsReconsent: (g) => needsReconsent(g, [v1]),
      needsReconsentDocs: (g) => needsReconsent([receipt], g),
      options: (g) => verifyReceipt(receipt, [v1], g),
    };
    for (const [name, call] of Object.entries(calls)) {
      for (const g of garbage) {
        try {
          const result = call(g);
          assert.ok(result === undefined || typeof result === 'string' || Array.isArray(result) || typeof result.ok === 'boolean', name);
        } catch (e) {
          assert.ok(e instanceof TypeError || e instanceof RangeError, `${name}: ${e}`);
        }
      }
    }
    // Still answering correctly afterwards.
    assert.equal(verifyReceipt(receipt, [v1]).ok, true);
    // The browser classes say so in Node.
    assert.throws(() => new consent.ReadingTracker({}), TypeError);
  });
});

describe('issueMessage', () => {
  test('renders a received { code, params } as the module renders its own, for consent_* and sync_* codes', () => {
    const { issueMessage } = consent;
    assert.equal(issueMessage({ code: 'sync_consent_missing', params: { kind: 'guardian_consent' } }, { locale: 'en' }),
      "Consent to the guardian's consent form is missing");
    assert.equal(issueMessage({ code: 'sync_consent_missing', params: {} }), '所引用的同意记录不存在或已撤回');
    assert.equal(issueMessage({ code: 'consent_reading_too_short', params: { seconds: 3 } }), '请继续阅读 3 秒后再同意');
    assert.equal(issueMessage({ code: 'sync_unexpected_status', params: { status: 302 } }, { locale: 'en' }),
      'The server answered with an unexpected status 302');
    // The same text as an issue the module made itself.
    const refused = checkDocument({ ...doc('1', 'x'), digest: '0'.repeat(64) }, { locale: 'en' });
    assert.equal(issueMessage(refused.issues[0], { locale: 'en' }), refused.issues[0].message);
    // Codes of another module, and unknown codes, come back as themselves.
    assert.equal(issueMessage({ code: 'id_checksum_mismatch', params: { expected: '7' } }), 'id_checksum_mismatch');
    assert.equal(issueMessage({ code: 'no_such_code' }), 'no_such_code');
    assert.throws(() => issueMessage(null), TypeError);
    assert.throws(() => issueMessage({ code: 5 }), TypeError);
    assert.throws(() => issueMessage({ code: 'x' }, { locale: 5 }), TypeError);
    // An unknown locale falls back (fr → en) instead of throwing.
    assert.equal(issueMessage(refused.issues[0], { locale: 'fr' }), issueMessage(refused.issues[0], { locale: 'en' }));
  });
});

describe('server countersignatures (Ed25519), checked with WebCrypto', () => {
  const { verifyReceiptSignature } = consent;
  const terms = doc('1', '网站服务使用协议全文', 'service_agreement', 'terms');

  /** A server's part, in plain JS: sync (serverTimestamp, digest) and sign the canonical form without the signature. */
  async function serverSigns(receipt, privateKey, keyId) {
    const synced = { ...receipt, serverTimestamp: 1764374460 };
    delete synced.serverSignature;
    const { digest: _d, ...rest } = synced;
    synced.digest = sha256(canonical(rest));
    const sig = await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, new TextEncoder().encode(canonical(synced)));
    return { ...synced, serverSignature: { alg: 'Ed25519', keyId, value: Buffer.from(sig).toString('base64url') } };
  }

  test('a signed receipt verifies; any change, another key, no signature or an unknown key id do not', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
    const publicKey = Buffer.from(await crypto.subtle.exportKey('raw', pair.publicKey)).toString('base64url');
    const keys = [{ keyId: 's1', alg: 'Ed25519', publicKey }];
    const built = buildReceipt(terms, input(1)).receipt;
    assert.equal(built.serverSignature, null, 'a client-built receipt is unsigned');
    const signed = await serverSigns(built, pair.privateKey, 's1');

    const good = await verifyReceiptSignature(signed, keys);
    assert.equal(good.ok, true, JSON.stringify(good.issues));
    assert.deepEqual(good.receipt.serverSignature, signed.serverSignature);
    assert.equal(verifyReceipt(signed, [terms]).ok, true, 'verifyReceipt reads a signed receipt');

    const code = async (receipt, k = keys) => (await verifyReceiptSignature(receipt, k)).issues?.map((i) => i.code);
    const withDigest = (r) => {
      const { digest: _d, serverSignature: _s, ...rest } = r;
      return { ...r, digest: sha256(canonical(rest)) };
    };
    for (const change of [
      (r) => ({ ...r, sequence: r.sequence + 1 }),
      (r) => ({ ...r, piiPrincipalId: 'reg:someone-else-01' }),
      (r) => ({ ...r, serverTimestamp: r.serverTimestamp + 1 }),
      (r) => ({ ...r, reading: { ...r.reading, visibleSeconds: r.reading.visibleSeconds + 1 } }),
      (r) => ({ ...r, document: { ...r.document, version: '2' } }),
    ]) {
      assert.deepEqual(await code(withDigest(change(signed))), ['consent_signature_invalid']);
    }
    const other = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
    assert.deepEqual(await code(await serverSigns(built, other.privateKey, 's1')), ['consent_signature_invalid']);
    assert.deepEqual(await code(await serverSigns(built, pair.privateKey, 's9')), ['consent_signature_key_unknown']);
    assert.deepEqual(await code(built), ['consent_signature_missing']);
    assert.deepEqual(await code({ ...signed, sequence: 99 }), ['consent_receipt_digest_mismatch'], 'the digest is checked first');
    const en = await verifyReceiptSignature(withDigest({ ...signed, sequence: 5 }), keys, { locale: 'en' });
    assert.match(en.issues[0].message, /changed after signing/);
    await assert.rejects(async () => verifyReceiptSignature(signed, [{ keyId: 's1' }]), TypeError);
  });
});
