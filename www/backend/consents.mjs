// Consent receipts on the server (wire protocol v1, POST /consents; the coverage rule of POST /registrations).
//
// The only place that imports the package's consent module (`<pkg>/consent-node.js`: verifyReceipt, makeDocument).
// Until a build of the package has it, `loadConsentModule` returns null: POST /consents then answers 503
// `sync_consent_unavailable` and no registration can be covered (nothing is ever accepted unverified).
//
// A receipt's subject (`piiPrincipalId`) is `reg:<registrationId>`: the registration it belongs to, never personal data.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { DOCUMENT_KINDS, ORGANISATION, requiredKinds } from './documents.mjs';

export const MAX_RECEIPTS = 20;

/** Imports `<pkgDir>/consent-node.js`, or returns null when this build of the package has no consent module. */
export async function loadConsentModule(pkgDir) {
  const file = join(pkgDir, 'consent-node.js');
  if (!existsSync(file)) return null;
  const module = await import(pathToFileURL(file).href);
  if (typeof module.verifyReceipt !== 'function') {
    throw new Error(`${file} has no verifyReceipt export`);
  }
  return module;
}

export function subjectOf(registrationId) {
  return `reg:${registrationId}`;
}

function issue(path, code, params = {}) {
  return { path, code, params };
}

/** Strips rendered messages: the wire carries path, code and params only (the client renders). */
export function wireIssues(issues, prefix = []) {
  return issues.map((i) => ({ path: [...prefix, ...(i.path ?? [])], code: i.code, params: i.params ?? {} }));
}

/**
 * Checks a POST /consents body and the receipts in it. Returns `{ issues }` (422) or `{ fresh, known }`: the receipts
 * to store (verified, new) and those already stored with the same digest.
 * @param {unknown} body
 * @param {{ consent: object | null, documents: object[], store: import('./store.mjs').Store }} context
 */
export function checkConsents(body, { consent, documents, store }) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { issues: [issue([], 'sync_field_invalid')] };
  }
  const receipts = body.receipts;
  if (receipts === undefined) return { issues: [issue(['receipts'], 'sync_field_missing')] };
  if (!Array.isArray(receipts) || receipts.length < 1 || receipts.length > MAX_RECEIPTS) {
    return { issues: [issue(['receipts'], 'sync_field_invalid', { min: 1, max: MAX_RECEIPTS })] };
  }
  const issues = [];
  const fresh = [];
  const known = [];
  const inBatch = new Map();
  receipts.forEach((receipt, index) => {
    const result = consent.verifyReceipt(receipt, documents);
    if (!result.ok) {
      issues.push(...wireIssues(result.issues, ['receipts', index]));
      return;
    }
    const receiptId = receipt.consentReceiptID;
    const stored = store.receipts.get(receiptId) ?? inBatch.get(receiptId);
    if (stored) {
      if (stored.digest === receipt.digest) {
        if (!inBatch.has(receiptId)) known.push(stored);
      } else {
        issues.push(issue(['receipts', index, 'consentReceiptID'], 'sync_receipt_conflict'));
      }
      return;
    }
    const entry = {
      receiptId,
      digest: receipt.digest,
      subject: receipt.piiPrincipalId,
      consentKind: receipt.consentKind,
      kind: receipt.document.kind,
      documentId: receipt.document.id,
      documentVersion: receipt.document.version,
      withdraws: receipt.withdraws ?? null,
      serverTime: null,
      receipt,
    };
    inBatch.set(receiptId, entry);
    fresh.push(entry);
  });
  return issues.length ? { issues } : { fresh, known };
}

/**
 * The coverage rule of POST /registrations: every cited receipt is stored, belongs to this registration, is an
 * acceptance and is not withdrawn; together they accept the current version of every document the age band requires.
 * `band` is the server-derived age band (or `ORGANISATION` for an organisation's code): there is no "unknown" band,
 * an age that is not known throws (the caller refuses such a registration before). `guardian` (the server's
 * `needsGuardianConsent`) adds every under-14 document whatever the band says.
 * @returns {object[]} issues (empty: covered)
 */
export function checkCoverage({ registrationId, consents, band, guardian = false, store, currentByKind, consent = null }) {
  // The required set first; requiredKinds throws for an unknown band before anything is judged. The core's rule
  // (requiredDocuments) when the module is there, the same list otherwise.
  const fallback = requiredKinds(band);
  const required = new Set(band !== ORGANISATION && consent?.requiredDocuments ? consent.requiredDocuments(band) : fallback);
  if (guardian) for (const kind of DOCUMENT_KINDS) required.add(kind);
  const issues = [];
  const covered = new Set();
  consents.forEach((receiptId, index) => {
    const stored = store.receipts.get(receiptId);
    if (!stored || stored.subject !== subjectOf(registrationId) || stored.consentKind === 'withdrawal') {
      issues.push(issue(['consents', index], 'sync_consent_missing'));
      return;
    }
    if (store.withdrawn.has(receiptId)) {
      issues.push(issue(['consents', index], 'sync_consent_missing', { kind: stored.kind }));
      return;
    }
    const current = currentByKind.get(stored.kind);
    if (current && current.id === stored.documentId && current.version === stored.documentVersion) {
      covered.add(stored.kind);
    }
  });
  for (const kind of required) {
    if (!covered.has(kind)) issues.push(issue(['consents'], 'sync_consent_missing', { kind }));
  }
  return issues;
}
