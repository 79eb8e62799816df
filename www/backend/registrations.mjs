// Registrations on the server (wire protocol v1, POST /registrations and the admin listing).
//
// The form is checked again here with the shiming package's `checkRegistration`, with "today" from the server's
// clock (Asia/Shanghai); the client's `derived` and `clientSummary` are read for shape only and never trusted.
// Stored: the normalised form (name, kind, number, E.164 phone), what the server derived (birth date, gender, age,
// age band), the cited receipt ids, and the times. The password and username are never part of it.

import { createHash, randomBytes } from 'node:crypto';

import { checkCoverage, wireIssues } from './consents.mjs';

/** 8..120 of `[A-Za-z0-9._:-]`: `reg:<registrationId>` must still be a receipt subject (8..128 characters). */
const REGISTRATION_ID = /^[A-Za-z0-9._:-]{8,120}$/;
const FORM_FIELDS = ['name', 'idKind', 'idNumber', 'phone'];
const MAX_CONSENTS = 20;

function issue(path, code, params = {}) {
  return { path, code, params };
}

/** The server's "today" for the rules: the calendar date in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDate(ms) {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Shape of the body (not the form's content, which checkRegistration judges). Issues, or []. */
export function checkShape(body) {
  if (!isPlainObject(body)) return [issue([], 'sync_field_invalid')];
  const issues = [];
  if (body.registrationId === undefined) issues.push(issue(['registrationId'], 'sync_field_missing'));
  else if (typeof body.registrationId !== 'string' || !REGISTRATION_ID.test(body.registrationId)) {
    issues.push(issue(['registrationId'], 'sync_field_invalid'));
  }
  if (body.form === undefined) issues.push(issue(['form'], 'sync_field_missing'));
  else if (!isPlainObject(body.form)) issues.push(issue(['form'], 'sync_field_invalid'));
  if (body.consents === undefined) issues.push(issue(['consents'], 'sync_field_missing'));
  else if (
    !Array.isArray(body.consents) ||
    body.consents.length > MAX_CONSENTS ||
    !body.consents.every((c) => typeof c === 'string' && c.length > 0 && c.length <= 128)
  ) {
    issues.push(issue(['consents'], 'sync_field_invalid', { max: MAX_CONSENTS }));
  }
  for (const key of ['derived', 'clientSummary']) {
    if (body[key] !== undefined && !isPlainObject(body[key])) issues.push(issue([key], 'sync_field_invalid'));
  }
  if (body.clientTime !== undefined && !Number.isSafeInteger(body.clientTime)) {
    issues.push(issue(['clientTime'], 'sync_field_invalid'));
  }
  return issues;
}

/**
 * Validates and prepares a registration. Must run inside `store.exclusive` (the uniqueness checks and the write
 * happen together).
 * @returns {{ status: number, body: object, record?: object }}
 */
export function prepareRegistration(body, { shiming, consent, store, currentByKind, now }) {
  const shapeIssues = checkShape(body);
  if (shapeIssues.length) return { status: 422, body: { issues: shapeIssues } };

  // Only the fields of the protocol reach the check (a password or username sent along is neither checked nor kept).
  const form = {};
  for (const field of FORM_FIELDS) if (body.form[field] !== undefined) form[field] = body.form[field];
  const checked = shiming.checkRegistration(form, { asOf: shanghaiDate(now) });
  if (!checked.ok) return { status: 422, body: { issues: wireIssues(checked.issues, ['form']) } };

  const value = checked.value;
  const derived = value.derived;
  let band = derived.ageBand ?? null;
  if (band === null && derived.birthDate) band = shiming.ageBand(derived.birthDate, now).band;
  const consents = [...new Set(body.consents)];

  const record = {
    id: null,
    registrationId: body.registrationId,
    form: { name: value.name, idKind: value.idKind, idNumber: value.idNumber, phone: value.phone },
    derived: {
      kind: derived.kind,
      birthDate: derived.birthDate ?? null,
      gender: derived.gender ?? null,
      age: derived.age ?? null,
      isMinor: derived.isMinor ?? null,
      ageBand: band,
    },
    consents,
    clientTime: body.clientTime ?? null,
    createdAt: now,
    contentHash: null,
  };
  record.contentHash = createHash('sha256').update(JSON.stringify([record.form, [...consents].sort()])).digest('hex');

  // The same registration again (a retry under a new key, after a lost response): the original answer.
  const existingId = store.byRegistrationId.get(record.registrationId);
  if (existingId) {
    const existing = store.registrations.get(existingId);
    if (existing.contentHash === record.contentHash) {
      return { status: 200, body: responseOf(existing) };
    }
    return { status: 422, body: { issues: [issue(['registrationId'], 'sync_registration_conflict')] } };
  }
  if (store.byIdNumber.has(`${record.form.idKind}:${record.form.idNumber}`)) {
    return { status: 422, body: { issues: [issue(['form', 'idNumber'], 'sync_already_registered')] } };
  }

  const coverage = checkCoverage({ registrationId: record.registrationId, consents, band, store, currentByKind, consent });
  if (coverage.length) return { status: 422, body: { issues: coverage } };

  record.id = `r_${randomBytes(12).toString('hex')}`;
  return { status: 201, body: responseOf(record), record };
}

export function responseOf(record) {
  return { id: record.id, registrationId: record.registrationId, serverTime: record.createdAt };
}

/** One row of the admin listing: personal data masked with the package's masks. */
export function listingRow(record, shiming) {
  return {
    id: record.id,
    registrationId: record.registrationId,
    name: shiming.maskName(record.form.name),
    idNumber: shiming.maskId(record.form.idNumber),
    phone: shiming.maskPhone(record.form.phone),
    kind: record.derived.kind,
    ageBand: record.derived.ageBand,
    isMinor: record.derived.isMinor,
    consents: record.consents,
    createdAt: record.createdAt,
  };
}
