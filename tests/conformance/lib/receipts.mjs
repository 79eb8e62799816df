// Consent receipts built in plain JavaScript: a second, independent implementation of the receipt's digest (RFC 8785
// canonical JSON, then SHA-256) that the server's verifier must agree with. Subjects are `reg:<registrationId>`.

import { createHash, randomUUID } from 'node:crypto';

/**
 * RFC 8785 for the values a receipt holds (strings, integers, booleans, null): JSON.stringify of each scalar, members
 * sorted by UTF-16 code units.
 */
export function jcs(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${jcs(value[k])}`)
    .join(',')}}`;
}

export const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The digest a receipt must carry: SHA-256 of the canonical form of everything but `digest` and `serverSignature`. */
export function digestOf(receipt) {
  const { digest: _ignored, serverSignature: _signature, ...rest } = receipt;
  return sha256(jcs(rest));
}

const CONSENT_KIND = {
  service_agreement: 'explicit',
  privacy_policy: 'explicit',
  sensitive_pi: 'separate',
  children_privacy_rules: 'separate',
  guardian_consent: 'guardian',
};
const SPI = {
  sensitive_pi: ['id_number'],
  children_privacy_rules: ['minor_personal_information'],
  guardian_consent: ['minor_personal_information'],
};

/**
 * A receipt of accepting `document` (a document of the policy answer) for the registration `registrationId`
 * (subject `reg:<registrationId>`, unless `subject` is given); with `withdraws`, the withdrawal of that receipt id;
 * `reading` replaces members of the reading evidence; `guardianId` names a child's guardian.
 */
export function buildReceipt(document, registrationId, { sequence = 1, withdraws = null, subject, reading, guardianId, receiptId } = {}) {
  // Evidence that meets the document's published reading rule (protocol 4.2), unless `reading` replaces it.
  const minSeconds = document.reading?.minSeconds ?? 0;
  const receipt = {
    version: 'KI-CR-v1.1.0',
    jurisdiction: 'CN',
    consentTimestamp: Math.floor(Date.now() / 1000),
    collectionMethod: 'web_form',
    consentReceiptID: receiptId ?? `rc-${randomUUID()}`,
    language: document.locale,
    piiPrincipalId: subject ?? `reg:${registrationId}`,
    // A child's receipts name the guardian (`guardianId`); without one given, a guardian consent gets an invented
    // reference, which a server must refuse to count (sync_guardian_mismatch).
    guardianId: guardianId ?? (document.kind === 'guardian_consent' ? `guardian-${randomUUID()}` : null),
    sensitive: !['service_agreement', 'privacy_policy'].includes(document.kind),
    spiCat: SPI[document.kind] ?? [],
    consentKind: withdraws ? 'withdrawal' : CONSENT_KIND[document.kind],
    document: { id: document.id, version: document.version, kind: document.kind, digest: document.digest },
    reading: withdraws
      ? null
      : { reachedEnd: true, visibleSeconds: minSeconds + 5, viewport: { width: 390, height: 844 }, locale: document.locale, ...reading },
    withdraws,
    sequence,
    idempotencyKey: `idem-${randomUUID()}`,
    serverTimestamp: null,
  };
  return { ...receipt, digest: sha256(jcs(receipt)) };
}

/** The withdrawal (PIPL Art. 15) of `receipt`, whose document is `document`, by the subject of `registrationId`. */
export function buildWithdrawal(receipt, document, registrationId, options = {}) {
  return buildReceipt(document, registrationId, {
    sequence: receipt.sequence + 1,
    withdraws: receipt.consentReceiptID,
    ...options,
  });
}

/** The payload a server signs: the canonical form of the receipt without `serverSignature`. */
export function signingPayload(receipt) {
  const { serverSignature: _ignored, ...rest } = receipt;
  return jcs(rest);
}

/**
 * Verifies a receipt's `serverSignature` with WebCrypto's Ed25519 against the policy's `signingKeys`, independently of
 * the package: `'ok'`, or why not (`'missing'`, `'unknown key'`, `'invalid'`).
 */
export async function verifySignature(receipt, signingKeys) {
  const sig = receipt.serverSignature;
  if (!sig) return 'missing';
  const key = signingKeys.find((k) => k.keyId === sig.keyId);
  if (!key || key.alg !== 'Ed25519') return 'unknown key';
  const publicKey = await crypto.subtle.importKey('raw', Buffer.from(key.publicKey, 'base64url'), { name: 'Ed25519' }, false, ['verify']);
  const signature = Buffer.from(sig.value, 'base64url');
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, new TextEncoder().encode(signingPayload(receipt)));
  return ok ? 'ok' : 'invalid';
}

/**
 * A child's receipts' `guardianId` (protocol 4.3), in plain JS: `gc:` + SHA-256 (hex) of
 * `shiming:guardian:v1` NUL salt NUL identityKey, where identityKey is the package's identityKey of the guardian's
 * document and salt 16+ random bytes in base64url.
 */
export function guardianReference(identityKey, salt) {
  return `gc:${createHash('sha256').update(`shiming:guardian:v1\0${salt}\0${identityKey}`, 'utf8').digest('hex')}`;
}
