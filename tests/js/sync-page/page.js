// The test page of tests/js/sync.e2e.test.mjs: a registration page driven by the test through `window.harness`.
// It does what a real page does: reads the policy (documents, trusted clock) through the client, checks the form with
// `checkRegistration` (asOf = the client's trusted today), builds one receipt per required document with
// `buildReceipt`, and queues the consents and the registration. It never logs anything.

import { SyncClient } from '/pkg/sync.js';
import { buildReceipt, guardianReference, requiredDocuments } from '/pkg/consent.js';
import { checkGuardian, checkRegistration } from '/pkg/index.js';

let client = null;
let documents = [];
let ackWaiters = [];

function onStatus(event) {
  if (event.status === 'acked' || event.status === 'failed' || event.status === 'rejected') {
    const waiters = ackWaiters;
    ackWaiters = [];
    for (const resolve of waiters) resolve();
  }
  // Exposed by the test (page.exposeFunction); absent when the page is opened by hand.
  globalThis.reportStatus?.(event);
}

/** Resolves at the next entry that leaves the queue or ends (room in a full queue), or after 200 ms. */
function room() {
  return new Promise((resolve) => {
    ackWaiters.push(resolve);
    setTimeout(resolve, 200);
  });
}

const READING = { reachedEnd: true, visibleSeconds: 30, viewport: { width: 390, height: 844 }, locale: 'zh-CN' };

async function submitWhenRoom(submit) {
  for (;;) {
    const result = await submit();
    if (result.ok) return result;
    if (result.code !== 'queue_full') throw new Error(`submit: ${result.code}`);
    await room();
  }
}

window.harness = {
  async open(options = {}) {
    const { policyTries = 30, ...rest } = options;
    client = await SyncClient.open({ baseUrl: '/api', onStatus, ...rest });
    const restored = client.entries();
    let policy = null;
    for (let i = 0; i < policyTries && !policy; i += 1) {
      const refreshed = await client.refreshPolicy();
      if (refreshed.ok) policy = refreshed.response;
    }
    if (!policy) throw new Error('refreshPolicy kept failing');
    documents = policy.documents;
    return {
      restored: restored.map((e) => ({ id: e.id, kind: e.kind, status: e.status })),
      restoreProblem: client.restoreProblem,
      today: client.today(),
      now: client.now(),
      clock: client.clock(),
      deviceNow: Date.now(),
    };
  },

  /**
   * Checks, builds the receipts and queues each person: `{ registrationId, name, idNumber, phone }`. Returns what a
   * page may show: ids, ages, kinds; never the personal data.
   */
  async submit(people, { checkLocally = true } = {}) {
    const out = [];
    for (const person of people) {
      const form = { name: person.name, idKind: 'cn_resident', idNumber: person.idNumber, phone: person.phone };
      const asOf = client.today();
      const checked = checkRegistration(form, { asOf });
      const deviceChecked = checkRegistration(form);
      if (checkLocally && !checked.ok) throw new Error(`local check failed: ${checked.issues.map((i) => i.code).join(',')}`);
      const rid = person.registrationId;
      let receiptIds = [];
      let consent = null;
      // A child's guardian: checked here, sent with the registration, named on every receipt by its commitment.
      let guardian = null;
      let guardianRef = null;
      if (person.guardian) {
        const g = checkGuardian(person.guardian, { minor: { name: form.name, idNumber: form.idNumber }, asOf });
        if (!g.ok) throw new Error(`checkGuardian: ${g.issues.map((i) => i.code).join(',')}`);
        const salt = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        guardianRef = guardianReference(g.value.identityKey, salt);
        guardian = { ...person.guardian, salt };
      }
      if (checked.ok) {
        const kinds = requiredDocuments(checked.value.derived.ageBand);
        const receipts = kinds.map((kind, i) => {
          const document = documents.find((d) => d.kind === kind);
          const built = buildReceipt(document, {
            subject: `reg:${rid}`,
            sequence: i + 1,
            reading: READING,
            clientTime: Math.floor(client.now() / 1000),
            guardian: guardianRef,
          });
          if (!built.ok) throw new Error(`buildReceipt: ${built.issues.map((x) => x.code).join(',')}`);
          return built.receipt;
        });
        receiptIds = receipts.map((r) => r.consentReceiptID);
        // The consents first: the registration must be queued after them to depend on them.
        consent = await submitWhenRoom(() => client.submitConsent(receipts));
      }
      const registration = submitWhenRoom(() =>
        client.submitRegistration({
          registrationId: rid,
          form,
          derived: checked.ok ? checked.value.derived : null,
          clientSummary: { ok: checked.ok, codes: checked.ok ? [] : checked.issues.map((i) => i.code) },
          consents: receiptIds,
          ...(guardian ? { guardian } : {}),
        }),
      );
      const consentResult = consent;
      const registrationResult = await registration;
      out.push({
        registrationId: rid,
        consentEntry: consentResult?.id ?? null,
        persisted: (consentResult?.persisted ?? true) && registrationResult.persisted,
        receiptIds,
        age: checked.ok ? checked.value.derived.age : null,
        ageBand: checked.ok ? checked.value.derived.ageBand : null,
        deviceAge: deviceChecked.ok ? deviceChecked.value.derived.age : null,
        localIssues: checked.ok ? [] : checked.issues.map((i) => ({ path: i.path, code: i.code })),
      });
    }
    return out;
  },

  entries() {
    return client.entries();
  },

  /**
   * A client with a custom transport: 'fetch' sends through fetch and adds an auth header (recording the header
   * names it was given); 'offline' always rejects, as a network error would; 'scripted' answers each request with the
   * next of `script` (`{ status, headers, body }`, or `'offline'` for a network error), without the network.
   */
  async openCustom({ mode, script = [], ...options }) {
    const seen = [];
    const answers = [...script];
    const transport = async (request) => {
      seen.push({ method: request.method, url: request.url, headerNames: Object.keys(request.headers).sort(), at: performance.now() });
      if (mode === 'scripted') {
        const answer = answers.shift();
        if (!answer || answer === 'offline') throw new TypeError('Failed to fetch');
        return answer;
      }
      if (mode === 'offline') throw new TypeError('Failed to fetch');
      const response = await fetch(request.url, {
        method: request.method,
        headers: { ...request.headers, 'X-Test-Auth': 'token-1' },
        body: request.body,
      });
      return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
    };
    client = await SyncClient.open({ baseUrl: '/api', onStatus, transport, ...options });
    window.transportSeen = seen;
    return { entries: client.entries() };
  },

  async submitConsentOnly(people) {
    const out = [];
    for (const person of people) {
      const document = documents.find((d) => d.kind === 'service_agreement');
      const built = buildReceipt(document, {
        subject: `reg:${person.registrationId}`,
        sequence: 1,
        reading: READING,
        clientTime: Math.floor(client.now() / 1000),
      });
      const consent = await client.submitConsent(built.receipt);
      const registration = await client.submitRegistration({
        registrationId: person.registrationId,
        form: { name: person.name, idNumber: person.idNumber, phone: person.phone },
        consents: [built.receipt.consentReceiptID],
      });
      out.push({ consent, registration });
    }
    return out;
  },

  async refreshPolicy() {
    const refreshed = await client.refreshPolicy();
    if (refreshed.ok) documents = refreshed.response.documents;
    return { ok: refreshed.ok, reason: refreshed.reason ?? null };
  },

  /** refreshPolicy as it resolves (its response reduced to its version), with its duration and the clock after. */
  async refreshPolicyTimed() {
    const started = performance.now();
    const refreshed = await client.refreshPolicy();
    return {
      ok: refreshed.ok,
      reason: refreshed.reason ?? null,
      status: refreshed.status ?? null,
      version: refreshed.response?.version ?? null,
      ms: performance.now() - started,
      trusted: client.clock().trusted,
    };
  },

  transportSeen() {
    return window.transportSeen;
  },

  flush() {
    return client.flush();
  },

  settle() {
    return client.settle();
  },

  dismiss(id) {
    return client.dismiss(id);
  },

  close() {
    return client.close();
  },

  /** Every raw value of the client's IndexedDB database, as stored (binary members as base64). */
  async raw(dbName = 'shiming-sync') {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(dbName);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(db.objectStoreNames[0], 'readonly');
    const store = tx.objectStore(db.objectStoreNames[0]);
    const [keys, values] = await Promise.all(
      [store.getAllKeys(), store.getAll()].map(
        (r) => new Promise((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        }),
      ),
    );
    db.close();
    const base64 = (bytes) => {
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    };
    const describe = (value) => {
      if (value instanceof CryptoKey) {
        return { cryptoKey: { extractable: value.extractable, algorithm: value.algorithm, usages: value.usages } };
      }
      if (value instanceof ArrayBuffer) return { base64: base64(new Uint8Array(value)) };
      if (ArrayBuffer.isView(value)) return { base64: base64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v)]));
      }
      return value;
    };
    let exportRefused = null;
    const key = values[keys.indexOf('key')];
    if (key instanceof CryptoKey) {
      try {
        await crypto.subtle.exportKey('raw', key);
        exportRefused = false;
      } catch {
        exportRefused = true;
      }
    }
    return { keys, values: values.map(describe), exportRefused };
  },
};

document.getElementById('state').textContent = 'ready';
