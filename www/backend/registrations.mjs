// Registrations on the server (wire protocol v1, POST /registrations and the admin listing).
//
// The form is checked again here with the shiming package's `checkRegistration`, with "today" from the server's
// clock (Asia/Shanghai) and the document kinds this server accepts; the client's `derived` and `clientSummary` are
// read for shape only and never trusted. The age band, and so the consents required, come from the server's check
// only: from the document's birth date, or from the declared `form.birthDate` when the document carries none
// (the package then requires it). A personal document whose age the check did not give is refused, never treated
// as an adult's.
//
// Order of the checks (docs/protocol.md 4.3): shape → content (checkRegistration) → the same registrationId again
// (natural-key idempotency) → consent coverage → uniqueness of the document. `sync_already_registered` is answered
// only to a request that is otherwise acceptable, consents included.
//
// Uniqueness compares the package's `identityKey` (`<kind>:<canonical number>`: a 15-digit resident ID upgraded to
// its 18-digit form, letters folded, brackets and spaces removed, the issue count of permits dropped), not the raw
// strings. Stored: the normalised form (name, kind, number, E.164 phone), the identity key, what the server derived
// (birth date and where it came from, gender, age, age band), the cited receipt ids, and the times. The password
// and username are never part of it.

import { createHash, randomBytes } from 'node:crypto';

import { checkCoverage, wireIssues } from './consents.mjs';
import { AGE_BANDS, ORGANISATION, UNDER_14_BANDS } from './documents.mjs';
import { ALL_KINDS } from '../kinds.js';

/** 8..120 of `[A-Za-z0-9._:-]`: `reg:<registrationId>` must still be a receipt subject (8..128 characters). */
const REGISTRATION_ID = /^[A-Za-z0-9._:-]{8,120}$/;
const FORM_FIELDS = ['name', 'idKind', 'idNumber', 'phone', 'birthDate'];

/** Every document kind the package knows, in its order. Which of them a server accepts is its `kinds` option. */
export const ID_KINDS = ALL_KINDS;
/** Kinds whose holder is an organisation: no birth date, no age; the consents everyone gives. */
const ORGANISATION_KINDS = new Set(['uscc']);

/**
 * Checks a `kinds` option (an array of kind names) and returns a copy without duplicates; null/undefined gives null
 * (the package's default). Throws with a message naming the unknown kind.
 */
export function parseKinds(kinds, what = 'kinds') {
  if (kinds === undefined || kinds === null) return null;
  if (!Array.isArray(kinds)) throw new TypeError(`${what} must be an array of document kind names`);
  if (kinds.length === 0) throw new RangeError(`${what} must name at least one document kind (known: ${ID_KINDS.join(', ')})`);
  for (const kind of kinds) {
    if (!ID_KINDS.includes(kind)) {
      throw new RangeError(`${what}: unknown document kind ${JSON.stringify(kind)} (known: ${ID_KINDS.join(', ')})`);
    }
  }
  return [...new Set(kinds)];
}

/**
 * The kinds `checkRegistration` accepts with these options, asked of the package itself (a declared kind it does
 * not accept is `id_kind_not_allowed` at ["idKind"] whatever the number): so that the policy answer says exactly
 * what the server's check does, the package's default included.
 */
export function acceptedKinds(shiming, kinds) {
  return ID_KINDS.filter((kind) => {
    const checked = shiming.checkRegistration(
      { name: '', idKind: kind, idNumber: '', phone: '' },
      kinds ? { asOf: '2000-01-01', kinds } : { asOf: '2000-01-01' },
    );
    return !(checked.issues ?? []).some((i) => i.code === 'id_kind_not_allowed' && i.path?.[0] === 'idKind');
  });
}
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
 * happen together). Order: shape → content (checkRegistration, the age) → the same registrationId again → consent
 * coverage → uniqueness.
 * @param {object} body  the parsed request body
 * @param {{ shiming: object, consent: object | null, store: import('./store.mjs').Store,
 *   currentByKind: Map<string, object>, now: number, kinds?: string[] | null }} context  `kinds`: the document kinds
 *   this server accepts (null: the package's default)
 * @returns {{ status: number, body: object, record?: object }}
 */
export function prepareRegistration(body, { shiming, consent, store, currentByKind, now, kinds = null }) {
  const shapeIssues = checkShape(body);
  if (shapeIssues.length) return { status: 422, body: { issues: shapeIssues } };

  // Only the fields of the protocol reach the check (a password or username sent along is neither checked nor kept).
  const form = {};
  for (const field of FORM_FIELDS) if (body.form[field] !== undefined) form[field] = body.form[field];
  const options = { asOf: shanghaiDate(now) };
  if (kinds) options.kinds = kinds;
  const checked = shiming.checkRegistration(form, options);
  if (!checked.ok) return { status: 422, body: { issues: wireIssues(checked.issues, ['form']) } };

  const value = checked.value;
  const derived = value.derived;
  const organisation = ORGANISATION_KINDS.has(derived.kind);
  // The age band is the server's, from its own check; never the client's `derived`, never a guess. A personal
  // document without one (the package requires a declared birth date then, so this is a safety net) is refused with
  // the code the page shows for it.
  if (!organisation && !AGE_BANDS.includes(derived.ageBand)) {
    return { status: 422, body: { issues: [issue(['form', 'birthDate'], 'birth_date_required')] } };
  }
  const band = organisation ? null : derived.ageBand;
  const guardian = !organisation && (UNDER_14_BANDS.has(band) || derived.needsGuardianConsent === true);
  const consents = [...new Set(body.consents)];

  const identityKey = identityKeyOf(shiming, value);
  const record = {
    id: null,
    registrationId: body.registrationId,
    form: { name: value.name, idKind: value.idKind, idNumber: value.idNumber, phone: value.phone },
    identityKey,
    derived: {
      kind: derived.kind,
      birthDate: derived.birthDate ?? null,
      birthDateSource: derived.birthDateSource ?? (derived.birthDate ? 'document' : null),
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
  // A declared birth date is part of the content (another one under the same registrationId is a conflict); the
  // hash of a registration without one is what it was before birth dates were declared.
  const content = [record.form, [...consents].sort()];
  if (record.derived.birthDateSource === 'declared') content.push(record.derived.birthDate);
  record.contentHash = createHash('sha256').update(JSON.stringify(content)).digest('hex');

  // The same registration again (a retry under a new key, after a lost response): the original answer. Needs the
  // client's random registrationId and the same content: it tells nothing about a document number.
  const existingId = store.byRegistrationId.get(record.registrationId);
  if (existingId) {
    const existing = store.registrations.get(existingId);
    if (existing.contentHash === record.contentHash) {
      return { status: 200, body: responseOf(existing) };
    }
    return { status: 422, body: { issues: [issue(['registrationId'], 'sync_registration_conflict')] } };
  }

  const coverage = checkCoverage({
    registrationId: record.registrationId,
    consents,
    band: organisation ? ORGANISATION : band,
    guardian,
    store,
    currentByKind,
    consent,
  });
  if (coverage.length) return { status: 422, body: { issues: coverage } };

  // Last: whether the document already has an account is told only to a request that is acceptable otherwise.
  if (store.byIdentityKey.has(identityKey)) {
    return { status: 422, body: { issues: [issue(['form', 'idNumber'], 'sync_already_registered')] } };
  }

  record.id = `r_${randomBytes(12).toString('hex')}`;
  return { status: 201, body: responseOf(record), record };
}

/**
 * The document's identity key, from the check's value (`value.identityKey`), else the package's `identityKey` on the
 * normalised number and its kind. Throws when neither gives one: no registration is stored without its key.
 */
function identityKeyOf(shiming, value) {
  const key = value.identityKey ?? shiming.identityKey?.(value.idNumber, { kinds: [value.idKind] }) ?? null;
  if (typeof key !== 'string' || key === '') {
    throw new Error('the package gave no identityKey for a valid document: uniqueness cannot be checked');
  }
  return key;
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
    // Records stored before birth dates were declared have no source: theirs came from the document, if any.
    birthDateSource: record.derived.birthDateSource ?? (record.derived.birthDate ? 'document' : null),
    consents: record.consents,
    createdAt: record.createdAt,
  };
}
