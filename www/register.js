// The registration flow (index.html): identity fields checked live with `checkRegistration` (asOf = the sync client's
// trusted today), an ID preview (masked number), the agreements from GET {base}/policy each read in its own box (their
// Markdown shown as documents by document-view.js) and accepted with its own unticked box (ReadingTracker +
// ConsentGate), a guardian step under 14, and submission through the offline-first queue of `shiming/sync` with a
// visible status per submission.
//
// Privacy: nothing here logs anything. The ID number is only ever displayed masked. The guardian's details are checked
// on this device (checkGuardian) and sent with the registration, which the server checks again and stores encrypted;
// receipts name the guardian by a salted commitment (guardianReference), never by the number.
// Receipts are not kept on the page: they go through the sync client's encrypted queue (purged once synced), and the
// server is their system of record (the guardian area reads them back from GET {base}/registrations/{id}/consents).
// Once stored, the page shows the account number (r_…) and its access code (the server's `accountToken`, shown once,
// kept in memory only): with both the person or the guardian views the consents, withdraws or cancels the account.
// Every message about what the user typed comes from the module (issue.message, in the page's locale).
// Phone ownership (docs/protocol.md section 13, only when GET {base}/policy has `phoneCodes`): "send code" by the phone,
// the code typed back and confirmed by the server; only the server's record says the phone was confirmed (the page
// never claims it in the registration). The code is never kept beyond its input, never logged.

// shiming/all: the checks, the minor policy, the agreements and the sync client from one wasm module (one runtime,
// one download; the demo's pages that sync share it, and the server answers their revalidation with 304).
import {
  checkRegistration, checkGuardian, configure, maskId, loadRegionNames, setMinorPolicy, minorPolicy, ReadingTracker,
  ConsentGate, checkDocument, requiredDocuments, guardianReference,
} from './pkg/all.js';
import { el, initialLocale, applyPageLocale, bindLocaleSwitch } from './site.js';
import { documentView } from './document-view.js';
import { openSync, refreshPolicy, isOffline, randomId, takeAccount, apiRequest } from './sync-adapter.js';
import { syncMessage } from './sync-messages.js';
import { STRINGS, policyLines } from './register-strings.js';
import { DEMO_KINDS } from './kinds.js';

const $ = (id) => document.getElementById(id);
let locale = initialLocale();
const t = () => STRINGS[locale];

/** The identity fields: checkRegistration's field name → the input's id. */
const FIELDS = { name: 'name', idKind: 'id-kind', idNumber: 'id-number', birthDate: 'birth-date', phone: 'phone' };
/** The guardian's fields: checkGuardian's path → the input's id. */
const GUARDIAN_FIELDS = { name: 'g-name', idNumber: 'g-id-number', birthDate: 'g-birth-date', phone: 'g-phone', relation: 'g-relation' };

const state = {
  client: null,
  documents: new Map(), // kind → checked document
  trackers: new Map(), // kind → { tracker, gate, section, checkbox, progress, msg }
  touched: new Set(), // input ids blurred once (or all, after a submit attempt)
  serverIssues: new Map(), // field id → [{ code, params }] from a rejection, until the field is edited
  derived: null, // from the ID number's check
  band: 'adult',
  submissions: [], // { registrationId, consentEntry, status, reason, issues, httpStatus, account }
  submitting: false,
  completed: null, // the stored submission, once the form has made way for the result
  // Phone codes: the server's offer (policy `phoneCodes`), the number it confirmed (E.164), when "send" is allowed
  // again (ms), the status line ({ cls, key, args } of the page's strings, or { cls, code, params } of a server issue).
  phone: { offer: null, confirmed: null, until: 0, status: null, busy: false, timer: null },
};

// ---- helpers ---------------------------------------------------------------------------------------------------

function asOf() {
  return state.client ? state.client.today() : undefined;
}

/** The checks' options the backend's policy decides (the server applies the same ones): how age is counted, and the
 *  youngest a guardian may be. */
function checkOptions() {
  const policy = minorPolicy();
  return {
    locale,
    ...(asOf() ? { asOf: asOf() } : {}),
    ...(policy.ageRule ? { ageRule: policy.ageRule } : {}),
    ...(policy.guardian ? { guardianMinAge: policy.guardian.minAge } : {}),
  };
}

/** A declared birth date, only while its field is shown (a stale hidden value is never sent). */
function declared(inputId) {
  const shown = !$(`field-${inputId}`).hidden;
  const value = $(inputId).value;
  return shown && value ? { birthDate: value } : {};
}

function formValues() {
  return {
    name: $('name').value,
    idKind: $('id-kind').value,
    idNumber: $('id-number').value,
    phone: $('phone').value,
    ...declared('birth-date'),
  };
}

function guardianValues() {
  return {
    name: $('g-name').value,
    idNumber: $('g-id-number').value,
    phone: $('g-phone').value,
    relation: $('g-relation').value,
    ...declared('g-birth-date'),
  };
}

/**
 * Shows a birth-date field when the package says the document needs one: the number is valid but encodes no birth
 * date (its derived values come from the declared date, or are missing), or it failed as a kind that never encodes
 * one (`birth_date_required`). Once shown with a value it stays, so the user's input is never silently dropped.
 * Returns whether the visibility changed.
 */
function showBirthField(inputId, needed) {
  const field = $(`field-${inputId}`);
  const next = !(needed || (!field.hidden && $(inputId).value !== ''));
  if (field.hidden === next) return false;
  field.hidden = next;
  return true;
}

function birthDateNeeded() {
  const id = check(['idNumber']);
  if (id.ok) return !id.value.derived || id.value.derived.birthDateSource === 'declared';
  const birth = check(['birthDate']);
  return !birth.ok && birth.issues.some((i) => i.code === 'birth_date_required');
}

function check(fields) {
  const options = checkOptions();
  if (fields) options.fields = fields;
  return checkRegistration(formValues(), options);
}

/** Renders one field's messages: errors (when shown) and gentle notices; sets aria-invalid. */
function renderMessages(inputId, errors, notices) {
  const input = $(inputId);
  const box = $(`${inputId}-msg`);
  const items = [
    ...errors.map((issue) =>
      el('p', { class: 'error', 'data-code': issue.code }, el('span', { class: 'icon', 'aria-hidden': 'true', text: '!' }), issue.message),
    ),
    ...notices.map((issue) =>
      el('p', { class: 'notice', 'data-code': issue.code }, el('span', { class: 'icon', 'aria-hidden': 'true', text: 'i' }), issue.message),
    ),
  ];
  box.replaceChildren(...items);
  if (errors.length) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  input.closest('.field')?.classList.toggle('has-error', errors.length > 0);
}

/** A server issue rendered with the local check's message for the same code, else the protocol's message. */
function serverIssueMessages(inputId, localIssues) {
  const found = state.serverIssues.get(inputId) ?? [];
  return found.map((issue) => {
    const local = localIssues.find((i) => i.code === issue.code);
    return { code: issue.code, message: local?.message ?? syncMessage(issue.code, issue.params, locale) ?? issue.code };
  });
}

// ---- the identity fields ---------------------------------------------------------------------------------------

function validateField(field) {
  const inputId = FIELDS[field];
  const outcome = check([field]);
  const issues = outcome.ok ? [] : outcome.issues;
  const warnings = outcome.warnings ?? [];
  const shown = state.touched.has(inputId) ? issues : [];
  const server = serverIssueMessages(inputId, issues);
  renderMessages(inputId, [...shown, ...server.filter((s) => !shown.some((i) => i.code === s.code))], warnings);
  if (field === 'idNumber' || field === 'idKind') {
    // The birth-date field follows the document; the preview follows the birth date too.
    if (showBirthField('birth-date', birthDateNeeded()) && field !== 'birthDate') validateField('birthDate');
  }
  if (field === 'idNumber' || field === 'birthDate') updatePreview(field === 'idNumber' ? outcome : check(['idNumber']));
  return issues;
}

function validateIdentity() {
  for (const field of Object.keys(FIELDS)) validateField(field);
}

function updatePreview(outcome) {
  const body = $('preview-body');
  const derived = outcome.ok ? outcome.value.derived : null;
  state.derived = derived ?? null;
  const value = outcome.ok ? outcome.value : null;
  const strings = t();
  if (!derived || !value?.idNumber) {
    body.replaceChildren(el('p', { class: 'placeholder', 'data-testid': 'preview-empty', text: strings.previewEmpty }));
    setBand('adult');
    return;
  }
  const region = derived.region
    ? [derived.region.province, derived.region.city, derived.region.county].filter(Boolean).join(' ') || derived.region.code
    : null;
  const rows = [
    [strings.kind, strings.kinds[derived.kind] ?? derived.kind, 'preview-kind'],
    [strings.number, maskId(value.idNumber), 'preview-number', 'mono'],
    [strings.birthDate, derived.birthDate, 'preview-birth-date'],
    [strings.gender, derived.gender ? strings.genders[derived.gender] : null, 'preview-gender'],
    [strings.region, region, 'preview-region'],
    [strings.age, derived.age !== undefined ? strings.ageValue(derived.age) : null, 'preview-age'],
    [strings.ageBand, derived.ageBand ? strings.bands[derived.ageBand] : null, 'preview-age-band'],
  ];
  body.replaceChildren(
    el(
      'dl',
      { class: 'info' },
      rows
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([label, v, testid, cls]) => el('div', { class: 'info-row' }, el('dt', { text: label }), el('dd', { 'data-testid': testid, class: cls }, v))),
    ),
    ...(derived.needsGuardianConsent ? [el('p', { class: 'tag guardian', 'data-testid': 'preview-guardian', text: strings.needsGuardian })] : []),
  );
  setBand(derived.ageBand ?? 'adult', derived.age);
}

/** Shows what the age band requires: the children's rules, the guardian step, the minor policy summary. */
function setBand(band, age) {
  state.band = band;
  const required = new Set(requiredDocuments(band));
  for (const [kind, entry] of state.trackers) {
    if (kind === 'guardian_consent') continue;
    entry.section.hidden = !required.has(kind);
  }
  const guardian = required.has('guardian_consent');
  $('step-guardian').hidden = !guardian;
  for (const id of Object.values(GUARDIAN_FIELDS)) $(id).disabled = !guardian || !state.client;

  const card = $('minor-policy');
  if (typeof age === 'number' && age < 18) {
    const lines = policyLines(minorPolicy(), age, t());
    $('minor-policy-list').replaceChildren(...lines.map((line) => el('li', { text: line })));
    $('minor-policy-source').textContent = t().policySource(minorPolicy());
    card.hidden = false;
  } else {
    card.hidden = true;
  }
}

// ---- phone ownership (only when the server offers codes) --------------------------------------------------------

/** The number as the module reads it (E.164), or null while the field does not hold a valid one. */
function phoneNumber() {
  const outcome = check(['phone']);
  return outcome.ok ? outcome.value.phone : null;
}

/** The server's `phoneCodes`, when it is one this page understands. */
function phoneOffer(value) {
  const ok = value && typeof value === 'object' && typeof value.required === 'boolean' && Number.isInteger(value.resendAfterSeconds);
  return ok ? value : null;
}

function phoneStatusText(status) {
  if (status.code) return syncMessage(status.code, status.params, locale) ?? status.code;
  const text = t()[status.key];
  return typeof text === 'function' ? text(...(status.args ?? [])) : text;
}

/** The send button (its countdown), the code field and the status line, in the page's locale. */
function renderPhone() {
  const button = $('phone-send');
  if (!button || !state.phone.offer) return;
  const strings = t();
  const number = phoneNumber();
  const confirmed = number !== null && number === state.phone.confirmed;
  const wait = Math.ceil((state.phone.until - Date.now()) / 1000);
  button.hidden = false;
  button.textContent = wait > 0 ? strings.phoneResend(wait) : strings.phoneSend;
  button.disabled = wait > 0 || confirmed || state.phone.busy || !state.client;
  $('phone-confirm').disabled = state.phone.busy;
  if (confirmed) $('phone-code-field').hidden = true;
  const status = confirmed ? { cls: 'ok', key: 'phoneConfirmed' } : state.phone.status;
  const box = $('phone-code-msg');
  box.dataset.state = confirmed ? 'confirmed' : status?.cls ?? '';
  box.replaceChildren(
    ...(status
      ? [el('p', { class: status.cls, 'data-code': status.code ?? status.key }, el('span', { class: 'icon', 'aria-hidden': 'true', text: { error: '!', ok: '✓' }[status.cls] ?? 'i' }), phoneStatusText(status))]
      : []),
  );
  if (wait > 0 && !state.phone.timer) {
    state.phone.timer = setInterval(() => {
      if (Date.now() >= state.phone.until || !$('phone-send')) {
        clearInterval(state.phone.timer);
        state.phone.timer = null;
      }
      renderPhone();
    }, 1000);
  }
}

/** The first issue of a refusal as the status line (its code and params; the message comes from the module). */
function phoneRefusal(answer) {
  if (answer.status === 0) return { cls: 'error', key: 'phoneCodeOffline' };
  const issue = answer.body?.issues?.[0];
  return issue && typeof issue.code === 'string' ? { cls: 'error', code: issue.code, params: issue.params ?? {} } : { cls: 'error', key: 'phoneCodeOffline' };
}

async function sendPhoneCode() {
  state.touched.add('phone');
  validateField('phone');
  const phone = phoneNumber();
  if (!phone) {
    $('phone').focus();
    return;
  }
  state.phone.busy = true;
  renderPhone();
  const answer = await apiRequest('POST', '/phone-codes', { json: { phone } });
  state.phone.busy = false;
  if (answer.ok) {
    const offer = state.phone.offer;
    state.phone.until = Date.now() + (answer.body?.resendAfterSeconds ?? offer.resendAfterSeconds) * 1000;
    state.phone.status = { cls: 'notice', key: 'phoneCodeSent', args: [Math.ceil((answer.body?.expiresInSeconds ?? offer.expiresInSeconds) / 60)] };
    $('phone-code-field').hidden = false;
    renderPhone();
    $('phone-code').focus();
    return;
  }
  const seconds = answer.body?.issues?.[0]?.params?.retryAfterSeconds;
  if (answer.status === 429 && Number.isInteger(seconds)) state.phone.until = Date.now() + seconds * 1000;
  state.phone.status = phoneRefusal(answer);
  renderPhone();
}

/** Full-width digits and spaces, as a phone keyboard may type them, are read as the digits. */
function codeTyped() {
  return $('phone-code')
    .value.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '');
}

async function confirmPhoneCode() {
  const phone = phoneNumber();
  const code = codeTyped();
  if (!phone || !/^\d{6}$/.test(code)) {
    state.phone.status = { cls: 'error', key: 'phoneCodeFormat' };
    renderPhone();
    $(phone ? 'phone-code' : 'phone').focus();
    return;
  }
  state.phone.busy = true;
  renderPhone();
  const answer = await apiRequest('POST', '/phone-codes/confirm', { json: { phone, code } });
  state.phone.busy = false;
  if (answer.ok && answer.body?.confirmed === true) {
    state.phone.confirmed = phone;
    state.phone.status = null;
    $('phone-code').value = '';
  } else {
    state.phone.status = phoneRefusal(answer);
  }
  renderPhone();
}

/** A registration that needs a confirmed phone is not submitted without one (the server would refuse it). */
function phoneProblem() {
  if (!state.phone.offer?.required) return null;
  const phone = phoneNumber();
  if (!phone || phone === state.phone.confirmed) return null;
  return { code: 'phone_not_confirmed', message: syncMessage('phone_not_confirmed', {}, locale) ?? t().phoneCodeRequired };
}

function setupPhoneCodes(offer) {
  state.phone.offer = phoneOffer(offer);
  if (!state.phone.offer) return;
  $('phone-send').addEventListener('click', sendPhoneCode);
  $('phone-confirm').addEventListener('click', confirmPhoneCode);
  $('phone-code').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      confirmPhoneCode();
    }
  });
  // Another number is another confirmation: the status of the old one goes.
  $('phone').addEventListener('input', () => {
    state.phone.status = null;
    renderPhone();
  });
  if (state.phone.offer.required) $('phone-hint').textContent = `${t().phoneHint} ${t().phoneCodeRequired}`;
  renderPhone();
}

// ---- the guardian ----------------------------------------------------------------------------------------------

/** 16 random bytes, base64url: the salt of the guardian reference. */
function randomSalt() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function guardianCheck() {
  const minor = state.derived
    ? { name: $('name').value, idNumber: $('id-number').value, birthDate: state.derived.birthDate }
    : { name: $('name').value, idNumber: $('id-number').value };
  return checkGuardian(guardianValues(), { minor, ...checkOptions() });
}

function validateGuardian() {
  if ($('step-guardian').hidden) return [];
  let outcome = guardianCheck();
  const needsBirth = !outcome.ok && outcome.issues.some((i) => i.path[0] === 'birthDate' && i.code === 'birth_date_required');
  if (showBirthField('g-birth-date', needsBirth)) outcome = guardianCheck();
  const issues = outcome.ok ? [] : outcome.issues;
  const warnings = outcome.warnings ?? [];
  for (const [path, inputId] of Object.entries(GUARDIAN_FIELDS)) {
    // Issues without a field (e.g. guardian_same_as_minor) belong to the document number.
    const mine = (list) => list.filter((i) => (i.path[0] ?? 'idNumber') === path || (path === 'idNumber' && !GUARDIAN_FIELDS[i.path[0]]));
    renderMessages(inputId, state.touched.has(inputId) ? mine(issues) : [], mine(warnings));
  }
  return issues;
}

// ---- the agreements --------------------------------------------------------------------------------------------

function buildDocument(document) {
  const kind = document.kind;
  const section = el('section', { class: 'doc', 'data-kind': kind, 'data-testid': `doc-${kind}`, 'aria-labelledby': `doc-title-${kind}` });
  const title = el('h3', { id: `doc-title-${kind}` }, document.title, el('span', { class: 'doc-meta', text: ` v${document.version}` }));
  const text = el('div', {
    class: 'doc-text',
    id: `doc-text-${kind}`,
    'data-testid': `doc-text-${kind}`,
    tabindex: '0',
    role: 'region',
    lang: document.locale,
    'aria-labelledby': `doc-title-${kind}`,
  });
  // The text as a document (its `#` under the section's h3). Only a view: `document` keeps the exact text, which the
  // receipt's digest covers; the box stays the element that scrolls, the one the ReadingTracker measures.
  text.append(documentView(document.text, { headingLevel: 4 }));
  const progress = el('p', { class: 'doc-progress', id: `doc-progress-${kind}`, 'data-testid': `doc-progress-${kind}` });
  const checkbox = el('input', { type: 'checkbox', id: `accept-${kind}`, 'data-testid': `accept-${kind}`, 'aria-describedby': `doc-progress-${kind} doc-msg-${kind}` });
  const label = el('label', { class: 'check accept', for: `accept-${kind}` }, checkbox, el('span', { 'data-accept-label': kind }));
  const msg = el('div', { class: 'msg', id: `doc-msg-${kind}`, 'data-testid': `doc-msg-${kind}`, 'aria-live': 'polite' });
  section.append(title, text, progress, label, msg);
  const entry = { document, section, checkbox, progress, msg, text, tracker: null, gate: null };
  state.trackers.set(kind, entry);
  return entry;
}

function bindDocument(entry) {
  const render = () => renderDocument(entry);
  // The publisher's reading rule, as checkDocument read it from the server's policy (the server
  // enforces the same rule on the receipt).
  const { reachEnd, minSeconds } = entry.document.reading;
  entry.tracker = new ReadingTracker(entry.text, { reachEnd, minSeconds, locale, onChange: render });
  entry.gate = new ConsentGate(entry.checkbox, entry.tracker, { locale, onChange: render });
  render();
}

function renderDocument(entry) {
  const strings = t();
  const kind = entry.document.kind;
  const label = entry.section.querySelector(`[data-accept-label="${kind}"]`);
  label.textContent = kind === 'guardian_consent' ? strings.acceptGuardian(entry.document.title) : strings.accept(entry.document.title);
  if (!entry.tracker) return;
  const reading = entry.tracker.status();
  const gate = entry.gate.status();
  entry.section.dataset.state = gate.state;
  let text;
  if (gate.state === 'accepted') text = strings.accepted;
  else if (reading.met) text = strings.readDone;
  else if (!reading.reachedEnd) text = strings.scrollToEnd;
  else text = strings.keepReading(Math.max(1, Math.ceil(entry.document.reading.minSeconds - reading.visibleSeconds)));
  entry.progress.textContent = text;
  entry.progress.classList.toggle('done', reading.met);
  const issues = gate.issues;
  const blocked = entry.blocked && gate.state !== 'accepted' ? [entry.blocked] : [];
  if (gate.state === 'accepted') entry.blocked = null;
  entry.msg.replaceChildren(
    ...[...issues, ...blocked].map((issue) => el('p', { class: 'error', 'data-code': issue.code }, el('span', { class: 'icon', 'aria-hidden': 'true', text: '!' }), issue.message)),
  );
}

function renderDocuments() {
  for (const entry of state.trackers.values()) renderDocument(entry);
}

/** Lays out the documents of GET /policy: every kind once, hidden when the age band does not need it. */
function showDocuments(documents) {
  const container = $('documents');
  // Every kind in the package's order (the youngest band needs them all); the guardian's consent has its own place.
  const order = requiredDocuments('under_3').filter((kind) => kind !== 'guardian_consent');
  const valid = [];
  for (const raw of documents ?? []) {
    const checked = checkDocument(raw, { locale });
    if (checked.ok) valid.push(checked.document);
  }
  for (const document of valid) if (!state.documents.has(document.kind)) state.documents.set(document.kind, document);
  const main = order.filter((kind) => state.documents.has(kind)).map((kind) => buildDocument(state.documents.get(kind)));
  container.replaceChildren(...main.map((entry) => entry.section));
  if (state.documents.has('guardian_consent')) {
    const entry = buildDocument(state.documents.get('guardian_consent'));
    $('guardian-document').replaceChildren(entry.section);
  }
  if (main.length === 0) container.replaceChildren(el('p', { class: 'placeholder error', text: t().documentsMissing }));
  // Bound after insertion: the tracker measures the box it follows.
  for (const entry of state.trackers.values()) bindDocument(entry);
  setBand(state.band, state.derived?.age);
}

// ---- submission ------------------------------------------------------------------------------------------------

function showFormError(title, items) {
  const box = $('form-error');
  if (!title) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.replaceChildren(
    el('p', { class: 'form-error-title', text: title }),
    items.length
      ? el('ul', {}, items.map(({ target, text, code }) => el('li', { 'data-code': code }, el('a', { href: `#${target}`, 'data-focus': target, text }))))
      : null,
  );
  box.hidden = false;
  box.focus();
}

function attempt() {
  const strings = t();
  for (const id of [...Object.values(FIELDS), ...Object.values(GUARDIAN_FIELDS)]) state.touched.add(id);
  const problems = [];
  const whole = check();
  validateIdentity();
  if (!whole.ok) {
    for (const issue of whole.issues) {
      const target = FIELDS[issue.path[0]] ?? 'name';
      problems.push({ target, text: strings.labelled(strings.fieldNames[issue.path[0]], issue.message), code: issue.code });
    }
  }
  const unconfirmed = whole.ok ? phoneProblem() : null;
  if (unconfirmed) {
    problems.push({ target: 'phone-send', text: strings.labelled(strings.fieldNames.phone, unconfirmed.message), code: unconfirmed.code });
  }
  const band = whole.ok ? whole.value.derived.ageBand ?? 'adult' : state.band;
  const required = requiredDocuments(band);
  if (required.includes('guardian_consent')) {
    for (const issue of validateGuardian()) {
      const target = GUARDIAN_FIELDS[issue.path[0]] ?? 'g-id-number';
      problems.push({ target, text: strings.labelled(strings.fieldNames[`g_${issue.path[0]}`] ?? strings.fieldNames.g_idNumber, issue.message), code: issue.code });
    }
  }
  const missingDocs = [];
  for (const kind of required) {
    const entry = state.trackers.get(kind);
    if (!entry) {
      problems.push({ target: 'documents', text: strings.documentsMissing, code: 'consent_document_unknown' });
      continue;
    }
    if (entry.gate.status().state !== 'accepted') {
      const reading = entry.tracker.status();
      const issue = reading.met ? { code: 'consent_not_given', message: strings.notAccepted } : reading.missing[0] ?? { code: 'consent_end_not_reached', message: strings.scrollToEnd };
      entry.blocked = issue;
      renderDocument(entry);
      missingDocs.push(kind);
      problems.push({ target: `doc-text-${kind}`, text: strings.labelled(strings.quoted(entry.document.title), issue.message), code: issue.code });
    }
  }
  if (problems.length) {
    showFormError(missingDocs.length && problems.length === missingDocs.length ? strings.blockedAgreements : strings.blocked, problems);
    return null;
  }
  showFormError(null);
  return { whole, required };
}

async function submit(event) {
  event.preventDefault();
  if (state.submitting || !state.client) return;
  const ready = attempt();
  if (!ready) return;
  const { whole, required } = ready;
  const minor = required.includes('guardian_consent');
  const registrationId = randomId('reg-');
  // The guardian goes to the server with the registration (checked again and stored there, PIPL Art. 31); every
  // receipt names the guardian by a salted commitment to the guardian's document, never by a made-up token.
  let guardian = null;
  let guardianRef = null;
  if (minor) {
    const checked = guardianCheck();
    if (!checked.ok) return;
    const salt = randomSalt();
    guardianRef = guardianReference(checked.value.identityKey, salt);
    const values = guardianValues();
    guardian = {
      name: values.name,
      idNumber: values.idNumber,
      phone: values.phone,
      relation: values.relation,
      ...(values.birthDate ? { birthDate: values.birthDate } : {}),
      salt,
    };
  }
  const clientTime = Math.floor(state.client.now() / 1000);
  const receipts = [];
  for (const [index, kind] of required.entries()) {
    const entry = state.trackers.get(kind);
    const built = entry.gate.receipt(entry.document, { subject: `reg:${registrationId}`, sequence: index + 1, clientTime, guardian: guardianRef });
    if (!built.ok) {
      entry.blocked = built.issues[0];
      renderDocument(entry);
      showFormError(t().blockedAgreements, [{ target: `doc-text-${kind}`, text: t().labelled(t().quoted(entry.document.title), built.issues[0].message), code: built.issues[0].code }]);
      return;
    }
    receipts.push(built.receipt);
  }
  state.submitting = true;
  $('submit').disabled = true;
  try {
    const value = whole.value;
    const submission = { registrationId, consentEntry: null, status: 'pending', reason: null, issues: [], kinds: required };
    state.submissions.unshift(submission);
    const consent = await state.client.submitConsent(receipts);
    if (!consent.ok) throw new Error(consent.code);
    submission.consentEntry = consent.id;
    const registration = await state.client.submitRegistration({
      registrationId,
      form: {
        name: value.name,
        idKind: value.idKind,
        idNumber: value.idNumber,
        phone: value.phone,
        ...(value.derived.birthDateSource === 'declared' ? { birthDate: value.derived.birthDate } : {}),
      },
      derived: value.derived,
      clientSummary: { ok: true, codes: [] },
      consents: receipts.map((r) => r.consentReceiptID),
      ...(guardian ? { guardian } : {}),
    });
    if (!registration.ok) throw new Error(registration.code);
    renderSubmissions();
  } catch {
    state.submissions.shift();
    showFormError(t().queueFailed, []);
  } finally {
    state.submitting = false;
    // The submission may already be synced and the form replaced by the result: the button can be gone.
    const button = $('submit');
    if (button) button.disabled = false;
  }
}

function onStatus(event) {
  const submission = state.submissions.find((s) => s.registrationId === event.id || s.consentEntry === event.id);
  if (!submission) return;
  if (event.id === submission.registrationId) {
    submission.status = event.status;
    submission.reason = event.reason ?? null;
    submission.httpStatus = event.httpStatus ?? null;
    if (event.status === 'rejected') applyRejection(submission, event.issues ?? []);
    if (event.status === 'acked') done(submission);
  } else if (event.status === 'rejected') {
    submission.consentIssues = event.issues ?? [];
  }
  renderSubmissions();
}

/** Puts a rejection's issues on the fields they name (paths ['form', field]); the rest in the form's error box. */
function applyRejection(submission, issues) {
  submission.issues = issues;
  state.serverIssues.clear();
  const general = [];
  for (const issue of issues) {
    const field = issue.path?.[0] === 'form' ? FIELDS[issue.path[1]] : null;
    if (field) {
      state.serverIssues.set(field, [...(state.serverIssues.get(field) ?? []), issue]);
      state.touched.add(field);
    } else general.push(issue);
  }
  validateIdentity();
  if (general.length) {
    showFormError(
      t().rejected,
      general.map((issue) => ({ target: 'documents', text: syncMessage(issue.code, issue.params, locale) ?? issue.code, code: issue.code })),
    );
  }
}

function done(submission) {
  submission.done = true;
  // The server's answer (account number, access code), noted by the transport: the acked event has no body.
  submission.account ??= takeAccount(submission.registrationId);
  state.completed = submission;
  $('form').classList.add('completed');
  renderSuccess().focus();
}

/** The result in place of the form: the account number and its access code (when the server gives one). */
function renderSuccess() {
  const submission = state.completed;
  const strings = t();
  const account = submission.account;
  const hadFocus = $('form').contains(document.activeElement);
  const box = el(
    'div',
    { class: 'success', 'data-testid': 'success', role: 'status', tabindex: '-1' },
    el('p', { class: 'success-title', text: strings.successTitle }),
    account ? el('p', {}, strings.successAccount, ' ', el('code', { 'data-testid': 'success-account', text: account.id })) : null,
    el('p', {}, strings.successId, ' ', el('code', { 'data-testid': 'success-id', text: submission.registrationId })),
    account?.verification && strings.successVerification[account.verification]
      ? el('p', { 'data-testid': 'success-verification', 'data-state': account.verification, text: strings.successVerification[account.verification] })
      : null,
    state.phone.offer && typeof account?.phoneConfirmed === 'boolean'
      ? el('p', { 'data-testid': 'success-phone', 'data-confirmed': String(account.phoneConfirmed), text: strings.successPhone(account.phoneConfirmed) })
      : null,
    account?.accountToken
      ? el(
          'div',
          { class: 'access-code' },
          el('p', {}, strings.successCode, ' ', el('code', { class: 'token', 'data-testid': 'success-token', text: account.accountToken })),
          el('p', { class: 'hint', 'data-testid': 'success-token-hint', text: strings.successCodeHint }),
        )
      : el('p', { class: 'hint', text: strings.successHint }),
  );
  $('form').replaceChildren(box);
  if (hadFocus) box.focus();
  return box;
}

function statusOf(submission) {
  if (submission.status === 'pending' || submission.status === 'sent') {
    if (isOffline() || submission.reason === 'transport_error') return 'offline';
    return 'pending';
  }
  if (submission.status === 'acked') return 'synced';
  return submission.status; // rejected, failed
}

function renderSubmissions() {
  const strings = t();
  const list = $('submissions');
  $('network-state').textContent = isOffline() ? strings.offlineNow : '';
  if (state.submissions.length === 0) {
    list.replaceChildren(el('li', { class: 'placeholder', text: strings.submissionsEmpty }));
    return;
  }
  list.replaceChildren(
    ...state.submissions.map((s) => {
      const shown = statusOf(s);
      const detail = [];
      if (shown === 'failed' && s.reason) {
        const code = { expired: 'sync_expired', dependency_rejected: 'sync_dependency_rejected', dependency_failed: 'sync_dependency_failed', unexpected_status: 'sync_unexpected_status' }[s.reason];
        detail.push(syncMessage(code, { status: s.httpStatus }, locale) ?? s.reason);
      }
      if (shown === 'rejected') detail.push(strings.rejectedHint);
      for (const issue of s.consentIssues ?? []) detail.push(syncMessage(issue.code, issue.params, locale) ?? issue.code);
      return el(
        'li',
        { class: `submission ${shown}`, 'data-testid': 'submission', 'data-state': shown, 'data-registration': s.registrationId },
        el('span', { class: `pill ${shown}`, text: strings.states[shown] }),
        el('span', { class: 'submission-id', text: s.registrationId.slice(0, 12) + '…' }),
        ...detail.map((text) => el('p', { class: 'hint', text })),
      );
    }),
  );
}

// ---- page set-up -----------------------------------------------------------------------------------------------

function applyLocale(next) {
  locale = STRINGS[next] ? next : 'zh-CN';
  const strings = t();
  applyPageLocale(locale, strings);
  // (After a registration the form, with the menu and the note, has made way for the result.)
  const select = $('id-kind');
  for (const option of select?.options ?? []) if (option.value) option.textContent = strings.kinds[option.value];
  const note = $('docs-locale-note');
  if (note) note.hidden = locale === 'zh-CN';
  const phoneHint = $('phone-hint');
  if (phoneHint && state.phone.offer?.required) phoneHint.textContent = `${strings.phoneHint} ${strings.phoneCodeRequired}`;
}

/**
 * The document kinds the server accepts (GET {base}/policy `idKinds`) become the package's defaults for every check
 * on this page (`configure`), and the only choices of the kind menu. A server that does not say keeps the package's
 * defaults (resident IDs, residence permits, permanent residence IDs).
 */
function applyKinds(serverKinds) {
  let inForce;
  try {
    inForce = configure(Array.isArray(serverKinds) ? { kinds: serverKinds } : {}).kinds;
  } catch {
    inForce = configure(null).kinds; // a malformed list: the shipped defaults
  }
  const select = $('id-kind');
  for (const option of [...select.options]) if (option.value && !inForce.includes(option.value)) option.remove();
}

function rerender() {
  validateIdentity();
  validateGuardian();
  renderPhone();
  renderDocuments();
  renderSubmissions();
  if (!$('form-error').hidden) showFormError(null);
}

function bindField(inputId, validate) {
  const input = $(inputId);
  const edited = () => {
    state.serverIssues.delete(inputId);
    validate();
  };
  input.addEventListener('input', edited);
  input.addEventListener('change', edited);
  input.addEventListener('blur', () => {
    if (input.value !== '' || state.touched.has(inputId)) state.touched.add(inputId);
    validate();
  });
}

async function main() {
  applyLocale(locale);
  const select = $('id-kind');
  for (const kind of DEMO_KINDS) select.append(el('option', { value: kind, text: t().kinds[kind] }));
  applyLocale(locale);
  bindLocaleSwitch(locale, (next) => {
    applyLocale(next);
    if (state.completed) {
      // The form is gone: the result and the list only.
      renderSuccess();
      renderSubmissions();
    } else rerender();
  });

  try {
    state.client = await openSync({ onStatus, dbName: 'shiming-register' });
  } catch {
    $('status-text').textContent = t().syncUnavailable;
    $('status-text').classList.add('error');
    return;
  }
  loadRegionNames().then(() => validateField('idNumber')).catch(() => {});

  const policy = await refreshPolicy(state.client).catch(() => null);
  applyKinds(policy?.idKinds);
  if (policy?.policy) {
    try {
      setMinorPolicy(policy.policy);
    } catch {
      // A malformed policy: the preset stays in force.
    }
  }
  setupPhoneCodes(policy?.phoneCodes);
  if (policy?.documents) showDocuments(policy.documents);
  else $('documents').replaceChildren(el('p', { class: 'placeholder error', 'data-testid': 'documents-error', text: t().documentsUnavailable }));
  const clock = state.client.clock();
  const banner = $('status-text');
  banner.dataset.i18n = policy ? 'ready' : 'offlineStart';
  banner.textContent = policy ? t().ready : t().offlineStart;
  banner.classList.toggle('error', !policy);
  banner.dataset.trusted = String(clock.trusted);

  for (const [field, inputId] of Object.entries(FIELDS)) {
    $(inputId).disabled = false;
    bindField(inputId, () => {
      validateField(field);
      if (field === 'idNumber' || field === 'name') validateGuardian();
    });
  }
  for (const inputId of Object.values(GUARDIAN_FIELDS)) bindField(inputId, validateGuardian);
  setBand(state.band, state.derived?.age);
  $('form').addEventListener('submit', submit);
  $('form-error').addEventListener('click', (event) => {
    const target = event.target.closest('a[data-focus]');
    if (!target) return;
    event.preventDefault();
    $(target.dataset.focus)?.focus();
  });
  $('submit').disabled = !policy;
  window.addEventListener('online', renderSubmissions);
  window.addEventListener('offline', renderSubmissions);
  // Reading time and retry states change without events of their own.
  setInterval(() => {
    for (const entry of state.trackers.values()) if (entry.gate && entry.gate.status().state === 'locked') renderDocument(entry);
  }, 500);
  renderSubmissions();
  document.body.dataset.ready = 'true';
}

main();
