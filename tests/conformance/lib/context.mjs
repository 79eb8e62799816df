// What a check sees (`t`): the HTTP client bound to the base URL, the server's policy answer, made-up test data, and
// helpers that post consents and registrations the way the protocol's client does.
//
// Every check makes its own data (new random registrationIds, receipt ids, keys and made-up documents), so that the
// suite can run again and again against the same server, and checks never depend on one another (only on fixtures,
// which are built once per run and shared, e.g. two registered accounts).

import assert from 'node:assert/strict';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

import { buildReceipt, guardianReference } from './receipts.mjs';

/** Thrown by `t.skip(reason)`. */
export class Skip extends Error {}

/** Every document kind the package knows, in the package's order (the order of `idKinds`). */
export const ALL_KINDS = [
  'cn_resident',
  'cn_resident_legacy',
  'hk_macao_taiwan_residence_permit',
  'foreign_permanent_resident',
  'hk_id',
  'mo_id',
  'tw_id',
  'hk_macao_home_return_permit',
  'tw_mtp',
  'cn_passport',
  'uscc',
];
/** Personal documents whose number carries the holder's birth date. */
export const BIRTH_DATE_KINDS = ['cn_resident', 'cn_resident_legacy', 'hk_macao_taiwan_residence_permit', 'foreign_permanent_resident'];
/** Personal documents whose number carries none: a registration declares `form.birthDate`. */
export const NO_BIRTH_DATE_KINDS = ['hk_id', 'mo_id', 'tw_id', 'hk_macao_home_return_permit', 'tw_mtp', 'cn_passport'];

export const DOCUMENT_KINDS = ['service_agreement', 'privacy_policy', 'sensitive_pi', 'children_privacy_rules', 'guardian_consent'];
export const ADULT_KINDS = ['service_agreement', 'privacy_policy', 'sensitive_pi'];
export const CHILD_KINDS = DOCUMENT_KINDS;

/** Made-up names (never real people's): Han names for the mainland forms. */
const NAMES = ['张测试', '李样例', '王示范', '赵演示', '钱虚构', '孙假名', '周例子', '吴测验'];

/** The date `years` years and `extraDays` days before today in Asia/Shanghai (the server's calendar), YYYY-MM-DD. */
export function yearsAgo(years, extraDays = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - extraDays);
  return d.toISOString().slice(0, 10);
}

/** A bearer token nobody was given, shaped like the reference server's account tokens (`at_` + 43 base64url). */
export function madeUpToken() {
  return `at_${randomBytes(32).toString('base64url')}`;
}

/** A server id that does not exist, shaped like the reference server's (`r_` + 24 hex digits). */
export function unknownId() {
  return `r_${randomBytes(12).toString('hex')}`;
}

/** The issues of an answer as `[path, code]` pairs, for comparisons that leave params aside. */
export function pathsAndCodes(res) {
  return (res.json?.issues ?? []).map((i) => [i.path, i.code]);
}

/**
 * Asserts the status and, if given, the whole issue list of a rejection (`[{ path, code, params? }]`: params compared
 * only where given).
 */
export function assertIssues(res, status, expected) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 600)}`);
  if (expected === undefined) return;
  assert.ok(Array.isArray(res.json?.issues), `a ${status} carries { issues: [...] }: ${res.text.slice(0, 600)}`);
  const actual = res.json.issues.map((issue, i) => {
    const want = expected[i];
    return want && 'params' in want ? { path: issue.path, code: issue.code, params: issue.params } : { path: issue.path, code: issue.code };
  });
  assert.deepEqual(actual, expected, `issues of the ${status}`);
}

/**
 * State shared by every check of one run.
 * @param {{ client: ReturnType<import('./http.mjs').createClient>, shiming: object, adminToken?: string | null,
 *   options: object }} init
 */
export function createRunState({ client, shiming, adminToken = null, options = {} }) {
  const fixtures = new Map();
  let policy;
  return {
    client,
    shiming,
    adminToken,
    options,
    policy() {
      policy ??= client.call('GET', '/policy').then((res) => {
        if (res.status !== 200 || !Array.isArray(res.json?.documents) || !Array.isArray(res.json?.idKinds)) {
          throw new Error(`GET {base}/policy answered ${res.status}, not a policy answer: every check needs it`);
        }
        return res.json;
      });
      return policy;
    },
    fixture(name, build) {
      if (!fixtures.has(name)) fixtures.set(name, build());
      return fixtures.get(name);
    },
  };
}

/** The `t` of one check. */
export function createContext(state, check) {
  const { client, shiming } = state;
  const notes = [];

  const t = {
    shiming,
    adminToken: state.adminToken,
    options: state.options,
    notes,
    call: client.call,
    remember: client.remember,
    /** What the client saw so far: answers that held personal data (`leaks`), counts (`stats`). */
    runStats: () => ({ leaks: [...client.leaks], stats: { ...client.stats } }),
    note(text) {
      notes.push(text);
    },
    skip(reason) {
      throw new Skip(reason);
    },
    key: () => `k-${randomUUID()}`,
    registrationId: () => `reg-${randomUUID()}`,
    yearsAgo,

    async policy() {
      return state.policy();
    },
    async documents() {
      return (await state.policy()).documents;
    },
    /** The current document of a kind (the first the policy lists). */
    async doc(kind) {
      const found = (await t.documents()).find((d) => d.kind === kind);
      assert.ok(found, `the policy has no document of kind ${kind}`);
      return found;
    },
    async idKinds() {
      return (await state.policy()).idKinds;
    },
    /** Skips the check unless the server accepts every kind named. */
    async needKinds(...kinds) {
      const accepted = await t.idKinds();
      const missing = kinds.filter((k) => !accepted.includes(k));
      if (missing.length) t.skip(`the server does not accept ${missing.join(', ')} (its idKinds: ${accepted.join(', ')})`);
    },
    needAdmin() {
      if (!state.adminToken) t.skip('needs the admin token (--admin-token)');
    },
    /** The kind the suite's made-up people use: the first personal kind the server accepts, preferring the mainland's. */
    async personKind() {
      const accepted = await t.idKinds();
      const kind = [...BIRTH_DATE_KINDS.filter((k) => k !== 'cn_resident_legacy'), ...NO_BIRTH_DATE_KINDS].find((k) => accepted.includes(k));
      if (!kind) t.skip(`the server accepts no personal document kind the suite can make up (its idKinds: ${accepted.join(', ')})`);
      return kind;
    },

    /**
     * A made-up person of `age` (default 35): a generated test ID of `kind` (default `personKind()`), a made-up
     * name and phone; `form.birthDate` is declared when the number carries none. Returns the form and what the
     * server should derive (`kind`, `birthDateSource`).
     */
    async person({ age = 35, kind } = {}) {
      kind ??= await t.personKind();
      // A random day within the year of age: the age (and its band) is the same on every calendar, and the same made-
      // up number comes up again only by a rare chance, also across runs against one server.
      const birthDate = yearsAgo(age, randomInt(15, 345));
      const seed = randomInt(0, 2 ** 32);
      const carries = BIRTH_DATE_KINDS.includes(kind);
      const idNumber = shiming.generateTestId(carries ? { seed, kind, birthDate } : { seed, kind });
      const form = {
        name: NAMES[randomInt(NAMES.length)],
        idNumber,
        phone: `1380013${String(randomInt(10_000)).padStart(4, '0')}`,
      };
      if (!carries && kind !== 'uscc') form.birthDate = birthDate;
      t.rememberForm(form);
      return { form, kind, birthDate, birthDateSource: carries ? 'document' : kind === 'uscc' ? null : 'declared' };
    },

    /** Remembers every value of a form as personal data, with the canonical number (what an identity key holds). */
    rememberForm(form) {
      client.remember(form.name, 'name');
      client.remember(form.idNumber, 'idNumber');
      client.remember(form.phone, 'phone');
      client.remember(form.birthDate, 'birthDate');
      if (typeof form.idNumber === 'string') {
        const identity = shiming.identityKey(form.idNumber, { kinds: ALL_KINDS });
        if (identity) client.remember(identity.slice(identity.indexOf(':') + 1), 'idNumber');
      }
    },

    registrationBody(registrationId, form, consents, extra = {}) {
      t.rememberForm(form);
      return {
        registrationId,
        form,
        derived: { kind: 'cn_resident' },
        clientSummary: { ok: true, codes: [] },
        consents,
        clientTime: Date.now(),
        ...extra,
      };
    },

    /** POST {base}/consents with a new key (or `key`). */
    postConsents(receipts, { key = t.key(), token, headers } = {}) {
      return client.call('POST', '/consents', { body: { receipts }, key, token, headers });
    },
    /** POST {base}/registrations with a new key (or `key`). */
    postRegistration(body, { key = t.key(), token, headers, paced } = {}) {
      if (body && typeof body.form === 'object' && body.form) t.rememberForm(body.form);
      return client.call('POST', '/registrations', { body, key, token, headers, paced });
    },

    /** Receipts accepting the current documents of `kinds` for `registrationId` (not posted); `guardianId` for a child. */
    async receiptsFor(registrationId, kinds, { firstSequence = 1, guardianId } = {}) {
      const receipts = [];
      for (const [i, kind] of kinds.entries()) receipts.push(buildReceipt(await t.doc(kind), registrationId, { sequence: firstSequence + i, guardianId }));
      return receipts;
    },

    /**
     * A made-up adult guardian for a child (protocol 4.3): `body`, the registration's `guardian` member (the person's
     * form, relation, a fresh salt), and `reference`, the `guardianId` the child's receipts carry.
     */
    async guardian({ age = 40, relation = 'parent' } = {}) {
      const adult = await t.person({ age });
      const salt = randomBytes(16).toString('base64url');
      const identity = shiming.identityKey(adult.form.idNumber, { kinds: ALL_KINDS });
      return { ...adult, body: { ...adult.form, relation, salt }, reference: guardianReference(identity, salt), salt };
    },
    /** Posts receipts accepting `kinds` for `registrationId`; asserts 201. */
    async consentTo(registrationId, kinds, options = {}) {
      const receipts = await t.receiptsFor(registrationId, kinds, options);
      const key = t.key();
      const body = { receipts };
      const res = await client.call('POST', '/consents', { body, key });
      assert.equal(res.status, 201, `POST /consents: ${res.text.slice(0, 600)}`);
      return { ids: receipts.map((r) => r.consentReceiptID), receipts, body, key, res };
    },

    /**
     * Registers a made-up person (consents first, as the client does); asserts 201. `person` is a `t.person()`
     * result (default: a new adult); `consentKinds` default: what the person's age needs.
     */
    async register({ person, age, kind, consentKinds, registrationId = t.registrationId() } = {}) {
      person ??= await t.person({ age, kind });
      const minor = age !== undefined && age < 14;
      const guardian = minor ? await t.guardian() : null;
      const consents = await t.consentTo(registrationId, consentKinds ?? (minor ? CHILD_KINDS : ADULT_KINDS), { guardianId: guardian?.reference });
      const body = t.registrationBody(registrationId, person.form, consents.ids, guardian ? { guardian: guardian.body } : {});
      const key = t.key();
      const res = await t.postRegistration(body, { key });
      assert.equal(res.status, 201, `POST /registrations: ${res.text.slice(0, 600)}`);
      return { ...person, registrationId, consents, body, key, res, id: res.json.id, token: res.json.accountToken, guardian };
    },

    /** The listing (admin). */
    async listing() {
      t.needAdmin();
      const res = await client.call('GET', '/registrations', { token: state.adminToken });
      assert.equal(res.status, 200, `GET /registrations with the admin token: ${res.text.slice(0, 600)}`);
      assert.ok(Array.isArray(res.json?.registrations), 'the listing is { registrations: [...] }');
      return res;
    },
    /** One row of the listing (admin), by server id. */
    async row(id) {
      const row = (await t.listing()).json.registrations.find((r) => r.id === id);
      assert.ok(row, `the listing has a row for ${id}`);
      return row;
    },

    /** A fixture shared by the checks of one run (built once, by the first check that asks). */
    fixture(name, build) {
      return state.fixture(name, () => build(t));
    },
  };
  return t;
}
