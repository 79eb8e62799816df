// Made-up accounts on a running server (tests/js/server.mjs), through the protocol: the consents, then the
// registration. Test data only: generateTestId numbers, made-up names and the customary sample number 13800138000.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { importPkg, repoRoot } from './support.mjs';

const shiming = await importPkg('node.js');
const consent = await importPkg('consent-node.js');

export const NAME = '欧阳测试';
export const PHONE = '13800138000';
const ADULT = ['service_agreement', 'privacy_policy', 'sensitive_pi'];
/** A made-up guardian (test data): an adult's generated number, a made-up name and phone. */
export const GUARDIAN = { name: '欧阳监护', phone: '13900139001', relation: 'parent' };

export async function post(server, path, body, { key = `k-${randomUUID()}`, token } = {}) {
  const res = await fetch(`${server.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: await res.json().catch(() => null) };
}

export async function get(server, path, token = server.adminToken) {
  const res = await fetch(`${server.api}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** The born-on date of `generateTestId` numbers for `register`'s `seed` (so that a test knows the number first). */
export function idNumberOf(seed, birthDate = '1990-05-17') {
  return shiming.generateTestId({ seed, birthDate });
}

/**
 * The shipped documents, with the current privacy policy's manifest entry declaring `declares` (a platform that
 * enables such processing publishes a text that describes it; the mechanics are what a test checks).
 */
export async function documentsDeclaring(declares) {
  const dir = await mkdtemp(join(tmpdir(), 'shiming-docs-'));
  await cp(join(repoRoot, 'server', 'documents'), dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const entry = manifest.documents.find((d) => d.kind === 'privacy_policy' && !d.retired);
  entry.declares = declares;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

/** Any method, JSON body or none, the admin's token unless another is given (`null`: none). */
export async function send(server, method, path, body, token = server.adminToken) {
  const res = await fetch(`${server.api}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/**
 * Registers a made-up adult; with `guardian`, a 10-year-old with that guardian (the five consents naming the guardian
 * by `guardianReference`, the guardian's details in the body); with `age`, a person of that age all year; with
 * `birthDate`, that birth date (and `guardian` if the server's clock makes them a child). `nowMs` is the client's
 * clock (the server's, shifted, in the lifecycle tests).
 */
export async function register(server, seed, { name = NAME, phone = PHONE, guardian = null, age = null, birthDate = null, kinds = null, nowMs = Date.now(), status = 201, key } = {}) {
  const policy = (await get(server, '/policy', null)).json;
  const registrationId = `reg-${randomUUID()}`;
  const salt = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
  const guardianBody = guardian && { ...guardian, salt };
  const guardianId = guardian && consent.guardianReference(shiming.identityKey(guardian.idNumber), salt);
  // Born on 31 December: `age` full years on every day of this year.
  const year = new Date(nowMs).getFullYear();
  const born = birthDate ?? (age !== null ? `${year - age - 1}-12-31` : guardian ? `${year - 10}-01-15` : '1990-05-17');
  const needed = kinds ?? (guardian ? consent.requiredDocuments('8_to_12') : age !== null ? consent.requiredDocuments(age < 16 ? '14_to_16' : '16_to_18') : ADULT);
  const receipts = needed.map((kind, i) => {
    const built = consent.buildReceipt(policy.documents.find((d) => d.kind === kind), {
      subject: `reg:${registrationId}`,
      sequence: i + 1,
      clientTime: Math.floor(nowMs / 1000),
      reading: { reachedEnd: true, visibleSeconds: 30, viewport: { width: 390, height: 844 }, locale: 'zh-CN' },
      guardian: guardianId,
    });
    assert.equal(built.ok, true);
    return built.receipt;
  });
  const consents = await post(server, '/consents', { receipts });
  assert.equal(consents.status, 201, JSON.stringify(consents.json));
  const idNumber = shiming.generateTestId({ seed, birthDate: born });
  const body = {
    registrationId,
    form: { name, idNumber, phone },
    consents: receipts.map((r) => r.consentReceiptID),
    ...(guardianBody ? { guardian: guardianBody } : {}),
  };
  const res = await post(server, '/registrations', body, key ? { key } : {});
  if (status !== null) assert.equal(res.status, status, JSON.stringify(res.json));
  return { ...res.json, idNumber, receipts, status: res.status, headers: res.headers, body };
}
