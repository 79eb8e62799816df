//! `shiming/sync`: the offline-first sync client, the browser edge of the sans-IO queue in
//! `src/sync/` (protocol v1, `docs/protocol.md`). The queue decides what to send, when, and what an
//! answer means; this file supplies what it must not touch itself:
//!
//! - the network: `fetch` (web-sys), or the integrator's transport function;
//! - the clocks: `performance.now()` and the server's `serverTime` ([`TrustedClock`]);
//! - randomness: `crypto.getRandomValues` for idempotency keys, jitter and entry ids;
//! - storage: the queue in IndexedDB after every change, encrypted with AES-GCM under a
//!   non-extractable key (`sync_io.rs`);
//! - the UI contract: status events to `onStatus`, with ids, codes and counts only.
//!
//! Every decision is the core's: what to send and when, what an answer means and which attempt it
//! answers (`SyncQueue`), which consent entries a registration waits for
//! (`SyncQueue::consent_entries_for`), and how the policy refresh retries and reads its answer
//! (`PolicyRefresh`). This file performs I/O and translates.
//!
//! Caller mistakes (wrong types, malformed ids or receipts) throw a `TypeError` or `RangeError`
//! whose message starts with `shiming:` and never quotes personal data; conditions of the queue
//! (full) and answers of the server are results and events.
//!
//! **No borrow can fail.** The client's state is in `Cell`s, never in a `RefCell`: values are
//! taken out, changed and put back with no JS call in between. The queue is reached only through
//! [`Inner::with_queue`], whose closure must be `Send`: the compiler refuses one that holds the
//! client (`&Inner`, `Rc<Inner>`) or a JS value (a callback, a resolver), so it cannot call back
//! into the client while the queue is out of its cell. Each such closure calls the core only (the
//! bound does not forbid a global JS function; none is called there). The status callback, the
//! transport and the promises' resolvers run only after the queue is back.
//!
//! wasm32 only: natively the crate is empty, and a native build compiles no wasm-bindgen.
#![cfg(target_arch = "wasm32")]

mod sync_io;

use std::cell::Cell;
use std::rc::{Rc, Weak};

use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};
use web_sys::CryptoKey;

use crate::sync_io::{Database, Outgoing, Reply};
use shiming_js_common::options::{check_options, range_error};
use shiming_js_common::type_error;
// Integer-only RFC 8785 (same bytes; keeps float formatting out of the wasm module).
use shiming::__internal::canonicalize;
use shiming::date::Date;
use shiming::id::{Gender, IdKind};
use shiming::json::Value;
use shiming::minor::AgeBand;
use shiming::registration::{BirthDateSource, Derived};
use shiming::sync::{
    consents_request, receipt_ids, Backoff, EnqueueError, Entry, EntryKind, EntryState, Event,
    FailReason, OutgoingRequest, PolicyFailure, PolicyRefresh, PolicyReply, PolicyStep,
    RegistrationRequest, Status, SyncConfig, SyncQueue, TrustedClock, WireIssue,
    DEFAULT_POLICY_ATTEMPTS, DEFAULT_POLICY_WAIT_MAX_MS,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_SYNC: &'static str = r#"
/** One HTTP request of the protocol, as a custom transport receives it. Only POST bodies hold data. */
export interface SyncRequest {
  method: 'GET' | 'POST';
  /** `{baseUrl}/policy`, `{baseUrl}/consents` or `{baseUrl}/registrations`: never personal data. */
  url: string;
  headers: Record<string, string>;
  body: string | null;
}
/** What a custom transport resolves to. A throw or a rejection is a transport error (retried). */
export interface SyncResponse {
  status: number;
  headers: Record<string, string> | Headers;
  body: string;
}
export type SyncTransport = (request: SyncRequest) => Promise<SyncResponse>;
export type SyncEntryKind = 'consent' | 'registration';
export type SyncStatusName = 'pending' | 'sent' | 'acked' | 'rejected' | 'failed';
/** An issue of a server rejection: path, stable code, params. Never the input. */
export interface SyncIssue {
  path: (string | number)[];
  code: string;
  params: Record<string, unknown>;
}
/** A status change. Ids, codes, counts and the server's answer: never personal data. */
export interface SyncStatusEvent {
  id: string;
  kind: SyncEntryKind;
  status: SyncStatusName;
  /** Attempts sent so far (pending, sent). */
  attempts?: number;
  /** pending: why it is retried (`server_error`, `rate_limited`, `restored`, …);
   *  failed: `expired`, `dependency_rejected`, `dependency_failed`, `unexpected_status`. */
  reason?: string;
  /** rejected: the server's issues. */
  issues?: SyncIssue[];
  /** acked, rejected, failed with unexpected_status: the HTTP status. */
  httpStatus?: number;
  /** acked: the server's answer, parsed (absent when it is not JSON). For a registration,
   *  `{ id, registrationId, serverTime, accountToken }`: the account token is a credential (it opens the
   *  account): hand it to the user, and keep it out of logs, URLs and analytics. */
  response?: unknown;
  /** dependency_*: the consent entry that was rejected or failed. */
  dependency?: string;
  /** pending: not sent before this time (trusted Unix ms). */
  nextAttemptAt?: number;
}
export interface SyncOptions {
  /** The API base, e.g. '/api' or 'https://example.test/api'. Paths are appended to it. */
  baseUrl: string;
  /** Extra headers on every request (e.g. a CSRF token). Never put personal data in them. */
  headers?: Record<string, string>;
  /** Your own HTTP client (auth, retries of its own, a native bridge). Default: fetch. */
  transport?: SyncTransport;
  onStatus?: (event: SyncStatusEvent) => void;
  /** IndexedDB database name. Default 'shiming-sync'. */
  dbName?: string;
  /** The retry schedule. Default base 1000 ms, cap 300000 ms. */
  backoff?: { baseMs?: number; capMs?: number };
  /** Least wait after a 429/503 without Retry-After. Default 5000. */
  throttleFloorMs?: number;
  /** Longest Retry-After honoured. Default 3600000. */
  retryAfterMaxMs?: number;
  /** Requests in flight at once. Default 4. */
  maxInFlight?: number;
  /** An entry not stored within this time fails as `expired` (it holds personal data). Default 24 h. */
  ttlMs?: number;
  /** fetch's own timeout (a timed-out request is retried). Default 30000. */
  requestTimeoutMs?: number;
  /** Attempts of refreshPolicy before it reports a failure. Default 3. */
  policyAttempts?: number;
  /**
   * The longest refreshPolicy waits between its attempts, in all (a page waiting for its policy is not frozen by a
   * long Retry-After: the refresh reports the failure instead). Default 15000.
   */
  policyWaitMaxMs?: number;
}
/** The body of a registration: the form as the user typed it (or normalised), and what the page derived. */
export interface SyncRegistration {
  /** Random, from the page (e.g. crypto.randomUUID()): the record's natural key and the entry id. */
  registrationId: string;
  form: { name: string; idKind?: IdKind; idNumber: string; phone: string; birthDate?: string };
  /** `checkRegistration(...).value.derived` (informative: the server recomputes it). */
  derived?: { kind: IdKind; birthDate?: string; gender?: 'male' | 'female'; age?: number; isMinor?: boolean; ageBand?: AgeBand; birthDateSource?: 'document' | 'declared' } | null;
  /** The page's verdict. Default { ok: false, codes: [] } (not checked). */
  clientSummary?: { ok: boolean; codes: string[] };
  /** The consentReceiptIDs this registration relies on; it is sent only after their entries are stored. */
  consents: string[];
  /**
   * A child under 14's guardian (PIPL Art. 31), checked again and stored encrypted by the server. `salt`: the salt of
   * the receipts' `guardianId` (`guardianReference(identityKey(idNumber), salt)` of shiming/consent).
   */
  guardian?: { name: string; idKind?: IdKind; idNumber: string; phone: string; relation: string; birthDate?: string; salt: string };
}
/** `persisted: false`: queued and being sent, but IndexedDB refused the write (it would not survive a reload). */
export type SyncSubmitResult = { ok: true; id: string; persisted: boolean } | { ok: false; code: 'queue_full' };
export interface SyncEntry {
  id: string;
  kind: SyncEntryKind;
  status: 'pending' | 'sent' | 'rejected' | 'failed';
  attempts: number;
  reason?: string;
  issues?: SyncIssue[];
  httpStatus?: number;
  dependency?: string;
  dependsOn: string[];
}
export interface SyncSummary { pending: number; sent: number; rejected: number; failed: number }
/** The body of `GET {base}/policy` (docs/protocol.md, section 4.1), as the server sent it. */
export interface PolicyResponse {
  protocol: 1;
  /** The server's clock, ms since the epoch: the client's trusted clock. */
  serverTime: number;
  /** The policy's version (its ETag). */
  version: string;
  /** The minor-protection policy in force: pass it to `setMinorPolicy` of shiming/policy, which checks it. */
  policy: unknown;
  /** The agreement documents in force (shiming/consent's `AgreementDocument`: id, version, kind, title, text, digest, reading). */
  documents: unknown[];
  /** A mainland phone segment table for `setPhoneSegments`, or null for the package's own. */
  phoneSegments: unknown;
  /** The document kinds the server accepts for a registration. */
  idKinds?: IdKind[];
  /** Members a newer server may add. */
  [member: string]: unknown;
}
export type PolicyRefresh =
  | { ok: true; response: PolicyResponse }
  | { ok: false; reason: 'transport_error' | 'http_status' | 'invalid_response'; status?: number; response: PolicyResponse | null };
export interface SyncClock {
  /** Whether the time comes from the server (else the device clock, corrected by the last known skew). */
  trusted: boolean;
  /** Half the round trip of the policy request. */
  uncertaintyMs?: number;
  /** How far the device's wall clock is ahead of the server's (negative: behind); to warn the user. */
  deviceSkewMs?: number;
}
"#;

/// Bound to the ciphertext (AES-GCM additional data): a queue cannot be passed off as another
/// record.
const AAD: &[u8] = b"shiming-sync-queue/1";
const FORMAT: &str = "shiming-sync-queue+aes-gcm";

struct Settings {
    base_url: String,
    headers: Vec<(String, String)>,
    transport: Option<Function>,
    on_status: Option<Function>,
    request_timeout_ms: u32,
    policy_attempts: u32,
    policy_wait_max_ms: u64,
    config: SyncConfig,
}

enum Waiter {
    /// `flush()`: nothing in flight and nothing due now.
    Flush(Function),
    /// `settle()`: nothing pending or in flight.
    Settle(Function),
}

struct Inner {
    settings: Settings,
    db: Database,
    key: CryptoKey,
    /// Only [`Inner::with_queue`] reaches it.
    queue: Cell<SyncQueue>,
    clock: Cell<Option<TrustedClock>>,
    /// Device clock minus server clock, measured in this or an earlier session.
    skew_ms: Cell<Option<i64>>,
    /// The last policy answer applied (null before the first).
    policy: Cell<JsValue>,
    restore_problem: Option<String>,
    changed: Cell<u64>,
    saved: Cell<u64>,
    saving: Cell<bool>,
    save_waiters: Cell<Vec<(u64, Function)>>,
    waiters: Cell<Vec<Waiter>>,
    timer: Cell<Option<i32>>,
    /// The timer's callback: polls the queue.
    timer_fn: Closure<dyn FnMut()>,
    /// The `online` listener, until `close` removes it.
    online_fn: Cell<Option<Closure<dyn FnMut()>>>,
    closed: Cell<bool>,
}

/// The offline-first outbox of consent receipts and registrations.
#[wasm_bindgen]
pub struct SyncClient {
    inner: Rc<Inner>,
}

// ---- options ------------------------------------------------------------------------------------

fn get(object: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    let value = Reflect::get(object, &key.into())?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// A whole number option within `[min, max]` (bounds below 2^53). The bounds are integers so that
/// the message formats them as integers: formatting an `f64` brought Rust's float printing into
/// the module (13.9 KB raw, about 5 KB gzip) for this one message.
fn whole(object: &JsValue, key: &str, min: u64, max: u64) -> Result<Option<u64>, JsValue> {
    // Exact: both bounds are below 2^53.
    #[allow(clippy::cast_precision_loss)]
    let (low, high) = (min as f64, max as f64);
    match get(object, key)? {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            // A whole number within [min, max] ⊂ [0, 2^53]: the cast is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(n) if n.fract() == 0.0 && (low..=high).contains(&n) => Ok(Some(n as u64)),
            Some(_) => Err(range_error(&format!(
                "SyncClient options: {key} must be a whole number from {min} to {max}"
            ))),
            None => Err(type_error(&format!(
                "SyncClient options: {key} must be a number"
            ))),
        },
    }
}

fn settings_from(options: &JsValue) -> Result<(Settings, String), JsValue> {
    if !options.is_object() || Array::is_array(options) {
        return Err(type_error(
            "SyncClient.open(options) takes { baseUrl, headers?, transport?, onStatus?, dbName?, ... }",
        ));
    }
    check_options(
        Some(options.unchecked_ref()),
        "",
        "baseUrl headers transport onStatus dbName backoff throttleFloorMs retryAfterMaxMs maxInFlight ttlMs requestTimeoutMs policyAttempts policyWaitMaxMs",
    )?;
    let base_url = get(options, "baseUrl")?
        .and_then(|v| v.as_string())
        .ok_or_else(|| type_error("SyncClient options: baseUrl must be a string"))?;
    let base_url = base_url.trim_end_matches('/').to_string();
    let function = |key: &str| -> Result<Option<Function>, JsValue> {
        match get(options, key)? {
            None => Ok(None),
            Some(v) => v
                .dyn_into::<Function>()
                .map(Some)
                .map_err(|_| type_error(&format!("SyncClient options: {key} must be a function"))),
        }
    };
    let mut headers = Vec::new();
    if let Some(extra) = get(options, "headers")? {
        if !extra.is_object() {
            return Err(type_error(
                "SyncClient options: headers must be a Record<string, string>",
            ));
        }
        for key in Object::keys(extra.unchecked_ref::<Object>()).iter() {
            let (Some(name), Some(value)) =
                (key.as_string(), Reflect::get(&extra, &key)?.as_string())
            else {
                return Err(type_error(
                    "SyncClient options: headers must be a Record<string, string>",
                ));
            };
            let lower = name.to_ascii_lowercase();
            if lower == "idempotency-key" || lower == "content-type" {
                return Err(range_error(
                    "SyncClient options: headers cannot set Idempotency-Key or Content-Type (the client does)",
                ));
            }
            headers.push((name, value));
        }
    }
    let db_name = match get(options, "dbName")? {
        None => "shiming-sync".to_string(),
        Some(v) => v
            .as_string()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| type_error("SyncClient options: dbName must be a non-empty string"))?,
    };
    let defaults = SyncConfig::default();
    let day: u64 = 24 * 3_600_000;
    let mut backoff = Backoff::default();
    if let Some(b) = get(options, "backoff")? {
        if !b.is_object() {
            return Err(type_error(
                "SyncClient options: backoff must be { baseMs?, capMs? }",
            ));
        }
        check_options(Some(b.unchecked_ref()), "backoff", "baseMs capMs")?;
        backoff.base_ms = whole(&b, "baseMs", 1, day)?.unwrap_or(backoff.base_ms);
        backoff.cap_ms = whole(&b, "capMs", 1, day)?.unwrap_or(backoff.cap_ms);
    }
    let request_timeout_ms = whole(options, "requestTimeoutMs", 1, 600_000)?.unwrap_or(30_000);
    let config = SyncConfig {
        backoff,
        throttle_floor_ms: whole(options, "throttleFloorMs", 0, day)?
            .unwrap_or(defaults.throttle_floor_ms),
        retry_after_max_ms: whole(options, "retryAfterMaxMs", 0, day)?
            .unwrap_or(defaults.retry_after_max_ms),
        max_in_flight: whole(options, "maxInFlight", 1, 64)?
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(defaults.max_in_flight),
        ttl_ms: whole(options, "ttlMs", 1, 30 * day)?.unwrap_or(defaults.ttl_ms),
        // The queue's backstop: well after fetch's own timeout has reported the request.
        request_timeout_ms: defaults
            .request_timeout_ms
            .max(request_timeout_ms.saturating_mul(2)),
    };
    let settings = Settings {
        base_url,
        headers,
        transport: function("transport")?,
        on_status: function("onStatus")?,
        request_timeout_ms: u32::try_from(request_timeout_ms).unwrap_or(30_000),
        policy_attempts: whole(options, "policyAttempts", 1, 20)?
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(DEFAULT_POLICY_ATTEMPTS),
        policy_wait_max_ms: whole(options, "policyWaitMaxMs", 0, day)?
            .unwrap_or(DEFAULT_POLICY_WAIT_MAX_MS),
        config,
    };
    Ok((settings, db_name))
}

// ---- storage ------------------------------------------------------------------------------------

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}

/// The stored record: `{ format, iv, data }`; `data` is the AES-GCM ciphertext (with its tag) of
/// the queue's canonical JSON.
async fn seal(key: &CryptoKey, queue_json: &str) -> Result<JsValue, JsValue> {
    let (iv, data) = sync_io::encrypt(key, queue_json.as_bytes(), AAD).await?;
    let record = Object::new();
    set(&record, "format", &FORMAT.into());
    set(&record, "iv", &iv);
    set(&record, "data", &data);
    Ok(record.into())
}

/// The queue's JSON from a stored record, or the reason it cannot be read (a code, no data).
async fn unseal(key: &CryptoKey, record: &JsValue) -> Result<String, &'static str> {
    let format = Reflect::get(record, &"format".into()).map_err(|_| "not_a_queue")?;
    if format.as_string().as_deref() != Some(FORMAT) {
        return Err("not_a_queue");
    }
    let iv = Reflect::get(record, &"iv".into())
        .ok()
        .and_then(|v| v.dyn_into::<Uint8Array>().ok())
        .ok_or("not_a_queue")?;
    let data = Reflect::get(record, &"data".into())
        .ok()
        .and_then(|v| v.dyn_into::<ArrayBuffer>().ok())
        .ok_or("not_a_queue")?;
    let bytes = Uint8Array::new(&data).to_vec();
    let plain = sync_io::decrypt(key, &iv, &bytes, AAD)
        .await
        .map_err(|_| "decrypt_failed")?;
    String::from_utf8(plain).map_err(|_| "invalid_json")
}

async fn load_key(db: &Database) -> Result<CryptoKey, JsValue> {
    if let Ok(key) = db.get("key").await?.dyn_into::<CryptoKey>() {
        return Ok(key);
    }
    let key = sync_io::generate_key().await?;
    db.put(&[("key", &key)]).await?;
    Ok(key)
}

// ---- the client ---------------------------------------------------------------------------------

impl Inner {
    fn now_ms(&self) -> u64 {
        if let Some(clock) = self.clock.get() {
            return clock.now_ms_unsigned(sync_io::monotonic_ms());
        }
        let device = sync_io::device_ms();
        u64::try_from(device.saturating_sub(self.skew_ms.get().unwrap_or(0))).unwrap_or(0)
    }

    /// Runs `f` on the queue: takes it out of its cell, and puts it back. `f` and its result are
    /// `Send`, so they can hold neither the client nor a JS value: `f` cannot reach this client
    /// (or run a callback that would), so nothing meets the empty cell. Keep `f` to core calls.
    fn with_queue<T: Send>(&self, f: impl FnOnce(&mut SyncQueue) -> T + Send) -> T {
        let mut queue = self.queue.replace(SyncQueue::new(self.settings.config));
        let out = f(&mut queue);
        self.queue.set(queue);
        out
    }

    /// The last policy answer applied, or null.
    fn last_policy(&self) -> JsValue {
        let policy = self.policy.replace(JsValue::NULL);
        self.policy.set(policy.clone());
        policy
    }

    fn ensure_open(&self) -> Result<(), JsValue> {
        if self.closed.get() {
            Err(type_error("this SyncClient is closed"))
        } else {
            Ok(())
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.settings.base_url, path)
    }

    async fn send(&self, request: &Outgoing<'_>) -> Result<Reply, JsValue> {
        match &self.settings.transport {
            Some(transport) => sync_io::custom(transport, request).await,
            None => sync_io::fetch(request, self.settings.request_timeout_ms).await,
        }
    }

    /// Hands a status event to `onStatus` (a throwing callback is ignored: it must not stop the
    /// queue).
    fn emit(&self, event: &Event) {
        if let Some(callback) = &self.settings.on_status {
            let _ = callback.call1(&JsValue::UNDEFINED, &event_object(event));
        }
    }
}

fn issues_value(issues: &[WireIssue]) -> JsValue {
    let list = Value::Array(issues.iter().map(WireIssue::to_value).collect());
    canonicalize(&list)
        .and_then(|text| JSON::parse(&text).ok())
        .unwrap_or_else(|| Array::new().into())
}

fn number(n: u64) -> JsValue {
    // Times and counts stay below 2^53 (the queue caps them): exact as f64.
    #[allow(clippy::cast_precision_loss)]
    JsValue::from_f64(n as f64)
}

fn failure_fields(object: &Object, reason: &FailReason) {
    set(object, "reason", &reason.code.as_str().into());
    if let Some(d) = &reason.dependency {
        set(object, "dependency", &d.as_str().into());
    }
    if let Some(s) = reason.status {
        set(object, "httpStatus", &number(u64::from(s)));
    }
}

fn event_object(event: &Event) -> JsValue {
    let object = Object::new();
    set(&object, "id", &event.entry_id.as_str().into());
    set(&object, "kind", &event.kind.as_str().into());
    set(&object, "status", &event.status.name().into());
    match &event.status {
        Status::Pending {
            attempts,
            next_attempt_ms,
            retry,
        } => {
            set(&object, "attempts", &number(u64::from(*attempts)));
            set(&object, "nextAttemptAt", &number(*next_attempt_ms));
            if let Some(r) = retry {
                set(&object, "reason", &r.as_str().into());
            }
        }
        Status::Sent { attempt } => set(&object, "attempts", &number(u64::from(*attempt))),
        Status::Acked { status, body } => {
            set(&object, "httpStatus", &number(u64::from(*status)));
            if let Ok(response) = js_sys::JSON::parse(body) {
                set(&object, "response", &response);
            }
        }
        Status::Rejected { status, issues } => {
            set(&object, "httpStatus", &number(u64::from(*status)));
            set(&object, "issues", &issues_value(issues));
        }
        Status::Failed(reason) => failure_fields(&object, reason),
    }
    object.into()
}

const SUMMARY_STATES: [&str; 4] = ["pending", "sent", "rejected", "failed"];

/// How many entries are in each of [`SUMMARY_STATES`].
fn counts(queue: &SyncQueue) -> [u64; 4] {
    SUMMARY_STATES.map(|name| {
        queue
            .entries()
            .iter()
            .filter(|e| e.state.name() == name)
            .count() as u64
    })
}

fn summary(counts: [u64; 4]) -> JsValue {
    let object = Object::new();
    for (name, count) in SUMMARY_STATES.iter().zip(counts) {
        set(&object, name, &number(count));
    }
    object.into()
}

/// Polls the queue, sends what is due, persists, reschedules, and answers waiters. Called after
/// every change: an answer, a submission, a timer, `online`.
fn pump(inner: &Rc<Inner>) {
    if inner.closed.get() {
        return;
    }
    let now = inner.now_ms();
    let sent = inner.with_queue(|q| q.poll(now));
    for request in sent {
        let inner = Rc::clone(inner);
        spawn_local(async move {
            let headers = {
                let mut h = vec![
                    ("Content-Type".to_string(), "application/json".to_string()),
                    (
                        "Idempotency-Key".to_string(),
                        request.idempotency_key.clone(),
                    ),
                ];
                h.extend(inner.settings.headers.iter().cloned());
                h
            };
            let url = inner.url(request.path);
            let reply = inner
                .send(&Outgoing {
                    method: request.method,
                    url: &url,
                    headers: &headers,
                    body: Some(&request.body),
                })
                .await;
            answered(&inner, &request, reply.ok());
        });
    }
    settle_changes(inner);
}

/// Reports the answer to `request` (`None`: none came) to the queue, which ignores a late answer
/// to an attempt no longer in flight (a 2xx excepted: the record is stored).
fn answered(inner: &Rc<Inner>, request: &OutgoingRequest, reply: Option<Reply>) {
    let now = inner.now_ms();
    let random = sync_io::random_words().map_or(0x8000_0000, |w| w[0]);
    inner.with_queue(|q| match &reply {
        Some(r) => q.on_response(
            request,
            now,
            r.status,
            r.retry_after.as_deref(),
            &r.body,
            random,
        ),
        None => q.on_transport_error(request, now, random),
    });
    if !inner.closed.get() {
        pump(inner);
    }
}

/// Drains events: persists, tells the page, reschedules the timer, answers waiters.
fn settle_changes(inner: &Rc<Inner>) {
    let events = inner.with_queue(SyncQueue::drain_events);
    if !events.is_empty() {
        inner.changed.set(inner.changed.get() + 1);
        start_saving(inner);
    }
    for event in &events {
        inner.emit(event);
    }
    schedule(inner);
    answer_waiters(inner);
}

fn schedule(inner: &Rc<Inner>) {
    if let Some(handle) = inner.timer.take() {
        sync_io::clear_timeout(handle);
    }
    if inner.closed.get() {
        return;
    }
    let Some(at) = inner.with_queue(|q| q.next_wakeup()) else {
        return;
    };
    // At least 5 ms (no spinning), at most a minute (a sleeping tab's timers drift).
    let delay = at.saturating_sub(inner.now_ms()).clamp(5, 60_000);
    let delay = i32::try_from(delay).unwrap_or(60_000);
    inner
        .timer
        .set(sync_io::set_timeout(inner.timer_fn.as_ref().unchecked_ref(), delay).ok());
}

fn answer_waiters(inner: &Rc<Inner>) {
    let (idle, settled, counts) = inner.with_queue(|q| {
        let settled = q
            .entries()
            .iter()
            .all(|e| !matches!(e.state, EntryState::Pending | EntryState::Sent { .. }));
        (q.in_flight() == 0, settled, counts(q))
    });
    let mut ready: Vec<Function> = Vec::new();
    let mut waiters = inner.waiters.take();
    waiters.retain(|w| match w {
        Waiter::Flush(f) if idle || settled => {
            ready.push(f.clone());
            false
        }
        Waiter::Settle(f) if settled => {
            ready.push(f.clone());
            false
        }
        _ => true,
    });
    inner.waiters.set(waiters);
    if ready.is_empty() {
        return;
    }
    let counts = summary(counts);
    for resolve in ready {
        let _ = resolve.call1(&JsValue::UNDEFINED, &counts);
    }
}

fn start_saving(inner: &Rc<Inner>) {
    if inner.saving.replace(true) {
        return;
    }
    let inner = Rc::clone(inner);
    spawn_local(async move {
        loop {
            let target = inner.changed.get();
            if inner.saved.get() >= target {
                break;
            }
            let json = inner.with_queue(|q| q.to_json());
            let written = match seal(&inner.key, &json).await {
                Ok(record) => inner.db.put(&[("queue", &record)]).await.is_ok(),
                Err(_) => false,
            };
            inner.saved.set(target);
            let (done, waiting): (Vec<_>, Vec<_>) = inner
                .save_waiters
                .take()
                .into_iter()
                .partition(|(generation, _)| *generation <= target);
            inner.save_waiters.set(waiting);
            for (_, resolve) in done {
                let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::from_bool(written));
            }
        }
        inner.saving.set(false);
    });
}

/// Resolves to whether the queue as it is now was written to IndexedDB.
async fn persisted(inner: &Rc<Inner>) -> bool {
    let generation = inner.changed.get();
    if inner.saved.get() >= generation {
        return true;
    }
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let mut waiters = inner.save_waiters.take();
        waiters.push((generation, resolve));
        inner.save_waiters.set(waiters);
    });
    start_saving(inner);
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

fn mark_changed(inner: &Rc<Inner>) {
    inner.changed.set(inner.changed.get() + 1);
    start_saving(inner);
}

fn enqueue_error(error: EnqueueError) -> Result<JsValue, JsValue> {
    match error {
        EnqueueError::QueueFull => {
            let object = Object::new();
            set(&object, "ok", &JsValue::FALSE);
            set(&object, "code", &"queue_full".into());
            Ok(object.into())
        }
        EnqueueError::InvalidId => Err(range_error(
            "the id must be 1 to 128 characters of A-Z a-z 0-9 . _ : -",
        )),
        EnqueueError::IdLooksPersonal => Err(range_error(
            "an id cannot be shaped like an ID or phone number (id_looks_personal): use a random id",
        )),
        EnqueueError::DuplicateId => Err(range_error("an entry with this id is already queued")),
        EnqueueError::InvalidDependency => Err(range_error("a consent id is invalid")),
        EnqueueError::BodyNotJson => Err(range_error("the request body is not valid JSON")),
        EnqueueError::KeyCollision => Err(range_error("idempotency key collision")),
    }
}

/// Queues at once (synchronously: a registration submitted right after its consents sees them),
/// with fresh randomness (a key collision, 2^-128, is retried twice); the promise waits for the
/// write. A registration depends on the consent entries carrying the receipts it `cites`, as the
/// queue finds them.
fn submit(
    inner: &Rc<Inner>,
    kind: EntryKind,
    id: String,
    body: &str,
    cites: &[String],
) -> Result<Promise, JsValue> {
    let now = inner.now_ms();
    let cited: Vec<&str> = cites.iter().map(String::as_str).collect();
    let mut tries = 0;
    let outcome = loop {
        let random = sync_io::random_words()?;
        let outcome = inner.with_queue(|q| {
            let depends_on = q.consent_entries_for(&cited);
            let depends: Vec<&str> = depends_on.iter().map(String::as_str).collect();
            q.enqueue(kind, &id, body, &depends, now, random)
        });
        tries += 1;
        if outcome != Err(EnqueueError::KeyCollision) || tries == 3 {
            break outcome;
        }
    };
    if let Err(error) = outcome {
        let result = enqueue_error(error)?;
        return Ok(Promise::resolve(&result));
    }
    pump(inner);
    let inner = Rc::clone(inner);
    Ok(future_to_promise(async move {
        let written = persisted(&inner).await;
        let object = Object::new();
        set(&object, "ok", &JsValue::TRUE);
        set(&object, "id", &id.as_str().into());
        set(&object, "persisted", &JsValue::from_bool(written));
        Ok(object.into())
    }))
}

/// A JS value as JSON text (a string is taken as JSON text).
fn json_text(value: &JsValue) -> Option<String> {
    if let Some(text) = value.as_string() {
        return Some(text);
    }
    JSON::stringify(value).ok()?.as_string()
}

fn string_field(object: &JsValue, key: &str, what: &str) -> Result<String, JsValue> {
    Reflect::get(object, &key.into())?
        .as_string()
        .ok_or_else(|| {
            type_error(&format!(
                "submitRegistration: {what}.{key} must be a string"
            ))
        })
}

fn derived_from(value: &JsValue) -> Result<Option<Derived>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let bad = |key: &str| {
        type_error(&format!(
            "submitRegistration: derived.{key} is malformed (pass checkRegistration's value.derived)"
        ))
    };
    if !value.is_object() {
        return Err(bad("kind"));
    }
    let text = |key: &str| -> Result<Option<String>, JsValue> {
        match get(value, key)? {
            None => Ok(None),
            Some(v) => v.as_string().map(Some).ok_or_else(|| bad(key)),
        }
    };
    let kind = text("kind")?
        .and_then(|k| IdKind::parse(&k))
        .ok_or_else(|| bad("kind"))?;
    let birth_date = match text("birthDate")? {
        None => None,
        Some(d) => Some(Date::parse_iso(&d).ok_or_else(|| bad("birthDate"))?),
    };
    let gender = match text("gender")?.as_deref() {
        None => None,
        Some("male") => Some(Gender::Male),
        Some("female") => Some(Gender::Female),
        Some(_) => return Err(bad("gender")),
    };
    let age = match get(value, "age")? {
        None => None,
        Some(v) => match v.as_f64() {
            // A whole number within u32: the cast is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(n) if n.fract() == 0.0 && (0.0..=200.0).contains(&n) => Some(n as u32),
            _ => return Err(bad("age")),
        },
    };
    let is_minor = match get(value, "isMinor")? {
        None => None,
        Some(v) => Some(v.as_bool().ok_or_else(|| bad("isMinor"))?),
    };
    let age_band = match text("ageBand")? {
        None => None,
        Some(b) => Some(AgeBand::parse(&b).ok_or_else(|| bad("ageBand"))?),
    };
    let birth_date_source = match text("birthDateSource")? {
        None => None,
        Some(s) => Some(BirthDateSource::parse(&s).ok_or_else(|| bad("birthDateSource"))?),
    };
    Ok(Some(Derived {
        kind,
        birth_date,
        birth_date_source,
        gender,
        age,
        is_minor,
        age_band,
        needs_guardian_consent: None,
        region: None,
    }))
}

fn string_list(value: &JsValue, what: &str) -> Result<Vec<String>, JsValue> {
    if !Array::is_array(value) {
        return Err(type_error(&format!(
            "submitRegistration: {what} must be an array of strings"
        )));
    }
    let array: &Array = value.unchecked_ref();
    array
        .iter()
        .map(|v| {
            v.as_string().ok_or_else(|| {
                type_error(&format!(
                    "submitRegistration: {what} must be an array of strings"
                ))
            })
        })
        .collect()
}

fn entry_object(entry: &Entry) -> JsValue {
    let object = Object::new();
    set(&object, "id", &entry.id.as_str().into());
    set(&object, "kind", &entry.kind.as_str().into());
    set(&object, "status", &entry.state.name().into());
    set(&object, "attempts", &number(u64::from(entry.attempts)));
    match &entry.state {
        EntryState::Rejected { status, issues } => {
            set(&object, "httpStatus", &number(u64::from(*status)));
            set(&object, "issues", &issues_value(issues));
        }
        EntryState::Failed(reason) => failure_fields(&object, reason),
        EntryState::Pending | EntryState::Sent { .. } => {}
    }
    let depends: Array = entry
        .depends_on
        .iter()
        .map(|d| JsValue::from_str(d))
        .collect();
    set(&object, "dependsOn", &depends);
    object.into()
}

fn today_of(ms: u64) -> String {
    let ms = i64::try_from(ms).unwrap_or(0);
    shiming::minor::LocalTime::from_unix_millis(ms)
        .map(|t| t.date.to_string())
        .unwrap_or_default()
}

async fn open(options: JsValue) -> Result<JsValue, JsValue> {
    let (settings, db_name) = settings_from(&options)?;
    let db = Database::open(&db_name).await?;
    let key = load_key(&db).await?;
    let skew_ms = get(&db.get("meta").await?, "skewMs")
        .ok()
        .flatten()
        .and_then(|v| v.as_f64())
        .filter(|s| s.is_finite() && s.abs() < 9.0e15)
        // Checked finite and small: the cast is exact after floor.
        .map(|s| {
            #[allow(clippy::cast_possible_truncation)]
            let ms = s.floor() as i64;
            ms
        });
    let stored = db.get("queue").await?;
    let mut restore_problem = None;
    let queue = if stored.is_undefined() {
        SyncQueue::new(settings.config)
    } else {
        let restored = match unseal(&key, &stored).await {
            Ok(text) => SyncQueue::from_json(&text, settings.config).map_err(|e| e.as_str()),
            Err(code) => Err(code),
        };
        match restored {
            Ok(queue) => queue,
            Err(code) => {
                // Never overwritten unread: kept aside (still encrypted) for a newer version or
                // for support, and reported.
                db.put(&[("queue-unreadable", &stored)]).await?;
                restore_problem = Some(code.to_string());
                SyncQueue::new(settings.config)
            }
        }
    };
    let inner = Rc::new_cyclic(|weak: &Weak<Inner>| {
        let weak = weak.clone();
        Inner {
            settings,
            db,
            key,
            queue: Cell::new(queue),
            clock: Cell::new(None),
            skew_ms: Cell::new(skew_ms),
            policy: Cell::new(JsValue::NULL),
            restore_problem,
            changed: Cell::new(0),
            saved: Cell::new(0),
            saving: Cell::new(false),
            save_waiters: Cell::new(Vec::new()),
            waiters: Cell::new(Vec::new()),
            timer: Cell::new(None),
            timer_fn: Closure::new(move || {
                if let Some(inner) = weak.upgrade() {
                    inner.timer.set(None);
                    pump(&inner);
                }
            }),
            online_fn: Cell::new(None),
            closed: Cell::new(false),
        }
    });
    // Back online: waits grown by transport errors while offline end now (server-asked waits stay).
    let weak = Rc::downgrade(&inner);
    let online = Closure::<dyn FnMut()>::new(move || {
        if let Some(inner) = weak.upgrade() {
            let now = inner.now_ms();
            inner.with_queue(|q| q.network_back(now));
            pump(&inner);
        }
    });
    sync_io::window()?
        .add_event_listener_with_callback("online", online.as_ref().unchecked_ref())?;
    inner.online_fn.set(Some(online));
    pump(&inner);
    Ok(SyncClient { inner }.into())
}

/// `GET {base}/policy` until the core's [`PolicyRefresh`] says it is applied or failed: this only
/// sends, sleeps the waits it asks for, and applies what it accepted.
async fn refresh_policy(inner: Rc<Inner>) -> Result<JsValue, JsValue> {
    let url = inner.url("/policy");
    let headers = inner.settings.headers.clone();
    let mut refresh = PolicyRefresh::new(inner.settings.config, inner.settings.policy_attempts)
        .with_wait_budget(inner.settings.policy_wait_max_ms);
    let failure = loop {
        let sent = sync_io::monotonic_ms();
        let reply = inner
            .send(&Outgoing {
                method: "GET",
                url: &url,
                headers: &headers,
                body: None,
            })
            .await
            .ok();
        let received = sync_io::monotonic_ms();
        let random = sync_io::random_words().map_or(0x8000_0000, |w| w[0]);
        let step = match &reply {
            Some(r) => refresh.on_response(
                &PolicyReply {
                    status: r.status,
                    retry_after: r.retry_after.as_deref(),
                    body: &r.body,
                    sent_monotonic_ms: sent,
                    received_monotonic_ms: received,
                },
                inner.now_ms(),
                random,
            ),
            None => refresh.on_transport_error(random),
        };
        match step {
            PolicyStep::Retry { wait_ms, next, .. } => {
                sync_io::sleep(i32::try_from(wait_ms).unwrap_or(i32::MAX)).await;
                refresh = next;
            }
            PolicyStep::Failed(failure) => break failure,
            PolicyStep::Applied(clock) => {
                // The core read the body strictly and accepted it; JSON.parse only makes it a JS
                // object (it accepts everything the strict parser does).
                match reply.and_then(|r| JSON::parse(&r.body).ok()) {
                    Some(response) => return Ok(apply_policy(&inner, clock, response).await),
                    None => break PolicyFailure::InvalidResponse,
                }
            }
        }
    };
    let out = Object::new();
    set(&out, "ok", &JsValue::FALSE);
    set(&out, "reason", &failure.reason().into());
    if let Some(status) = failure.status() {
        set(&out, "status", &number(u64::from(status)));
    }
    set(&out, "response", &inner.last_policy());
    Ok(out.into())
}

/// Takes the server's clock, remembers the device's skew for the next session, keeps the answer,
/// and reschedules the queue (its times move to the server's clock).
async fn apply_policy(inner: &Rc<Inner>, clock: TrustedClock, response: JsValue) -> JsValue {
    inner.clock.set(Some(clock));
    let skew = clock.device_skew_ms(sync_io::device_ms(), sync_io::monotonic_ms());
    inner.skew_ms.set(Some(skew));
    let meta = Object::new();
    #[allow(clippy::cast_precision_loss)]
    set(&meta, "skewMs", &JsValue::from_f64(skew as f64));
    let _ = inner.db.put(&[("meta", &meta)]).await;
    inner.policy.set(response.clone());
    let out = Object::new();
    set(&out, "ok", &JsValue::TRUE);
    set(&out, "response", &response);
    pump(inner);
    out.into()
}

fn waiting(inner: &Rc<Inner>, make: fn(Function) -> Waiter) -> Promise {
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let mut waiters = inner.waiters.take();
        waiters.push(make(resolve));
        inner.waiters.set(waiters);
    });
    pump(inner);
    promise
}

#[wasm_bindgen]
impl SyncClient {
    /// Opens (or creates) the encrypted queue in IndexedDB, restores it (entries that were in
    /// flight become pending, with the same idempotency keys), and starts sending.
    #[wasm_bindgen(unchecked_return_type = "Promise<SyncClient>")]
    pub fn open(
        #[wasm_bindgen(unchecked_param_type = "SyncOptions")] options: JsValue,
    ) -> Result<Promise, JsValue> {
        // Malformed options throw here, synchronously.
        settings_from(&options)?;
        Ok(future_to_promise(open(options)))
    }

    /// Fetches `GET {baseUrl}/policy`: the policy, the agreement documents and the server's
    /// clock. Applied only when it parses; on failure the last good response is returned with
    /// the reason.
    #[wasm_bindgen(js_name = refreshPolicy, unchecked_return_type = "Promise<PolicyRefresh>")]
    pub fn refresh_policy(&self) -> Result<Promise, JsValue> {
        self.inner.ensure_open()?;
        Ok(future_to_promise(refresh_policy(Rc::clone(&self.inner))))
    }

    /// The trusted time, Unix ms: the server's clock carried by `performance.now()` once
    /// `refreshPolicy` succeeded; before that, the device clock corrected by the last skew seen.
    pub fn now(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let now = self.inner.now_ms() as f64;
        now
    }

    /// Today in Asia/Shanghai by the trusted time: the `asOf` to pass to `checkRegistration`.
    pub fn today(&self) -> String {
        today_of(self.inner.now_ms())
    }

    /// Where the time comes from, and how far off the device clock is.
    #[wasm_bindgen(unchecked_return_type = "SyncClock")]
    pub fn clock(&self) -> JsValue {
        let object = Object::new();
        let clock = self.inner.clock.get();
        set(&object, "trusted", &JsValue::from_bool(clock.is_some()));
        if let Some(clock) = clock {
            set(&object, "uncertaintyMs", &number(clock.uncertainty_ms()));
        }
        if let Some(skew) = self.inner.skew_ms.get() {
            #[allow(clippy::cast_precision_loss)]
            set(&object, "deviceSkewMs", &JsValue::from_f64(skew as f64));
        }
        object.into()
    }

    /// Queues `POST {baseUrl}/consents` with one receipt or up to 20 (as `buildReceipt` makes
    /// them): one entry, one request. Resolves once the queue holding it is stored.
    #[wasm_bindgen(js_name = submitConsent, unchecked_return_type = "Promise<SyncSubmitResult>")]
    pub fn submit_consent(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConsentReceipt | ConsentReceipt[]")]
        receipts: JsValue,
    ) -> Result<Promise, JsValue> {
        self.inner.ensure_open()?;
        let items: Vec<JsValue> = if Array::is_array(&receipts) {
            Array::unchecked_from_js_ref(&receipts).iter().collect()
        } else {
            vec![receipts]
        };
        let texts = items
            .iter()
            .map(json_text)
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| type_error("submitConsent takes a receipt or an array of receipts"))?;
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let body = consents_request(&refs).map_err(|e| {
            range_error(&format!(
                "submitConsent: {} (1 to 20 receipts, each a JSON object)",
                e.as_str()
            ))
        })?;
        if receipt_ids(&body).len() != texts.len() {
            return Err(range_error(
                "submitConsent: every receipt needs a consentReceiptID",
            ));
        }
        let id = sync_io::random_id()?;
        submit(&self.inner, EntryKind::Consent, id, &body, &[])
    }

    /// Queues `POST {baseUrl}/registrations` (the only request holding personal data, in its body).
    /// It is sent only after the consent entries carrying the receipts it cites are stored; the
    /// entry id is the registrationId. No local check runs here: call `checkRegistration` first.
    #[wasm_bindgen(js_name = submitRegistration, unchecked_return_type = "Promise<SyncSubmitResult>")]
    pub fn submit_registration(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SyncRegistration")] registration: JsValue,
    ) -> Result<Promise, JsValue> {
        self.inner.ensure_open()?;
        if !registration.is_object() {
            return Err(type_error(
                "submitRegistration takes { registrationId, form, derived?, clientSummary?, consents }",
            ));
        }
        let registration_id = string_field(&registration, "registrationId", "registration")?;
        let form = Reflect::get(&registration, &"form".into())?;
        if !form.is_object() {
            return Err(type_error("submitRegistration: form must be an object"));
        }
        let name = string_field(&form, "name", "form")?;
        let id_number = string_field(&form, "idNumber", "form")?;
        let phone = string_field(&form, "phone", "form")?;
        let id_kind =
            match get(&form, "idKind")? {
                None => None,
                Some(v) => Some(v.as_string().ok_or_else(|| {
                    type_error("submitRegistration: form.idKind must be a string")
                })?),
            };
        let birth_date = match get(&form, "birthDate")? {
            None => None,
            Some(v) => Some(v.as_string().ok_or_else(|| {
                type_error("submitRegistration: form.birthDate must be a string")
            })?),
        };
        let derived = derived_from(&Reflect::get(&registration, &"derived".into())?)?;
        let (client_ok, codes) = match get(&registration, "clientSummary")? {
            None => (false, Vec::new()),
            Some(summary) => (
                get(&summary, "ok")?
                    .and_then(|v| v.as_bool())
                    .ok_or_else(|| {
                        type_error("submitRegistration: clientSummary.ok must be a boolean")
                    })?,
                string_list(
                    &Reflect::get(&summary, &"codes".into())?,
                    "clientSummary.codes",
                )?,
            ),
        };
        let consents = string_list(
            &Reflect::get(&registration, &"consents".into())?,
            "consents",
        )?;
        let guardian = match get(&registration, "guardian")? {
            None => None,
            Some(g) if g.is_object() => {
                let optional = |key: &str| -> Result<Option<String>, JsValue> {
                    match get(&g, key)? {
                        None => Ok(None),
                        Some(v) => v.as_string().map(Some).ok_or_else(|| {
                            type_error(&format!(
                                "submitRegistration: guardian.{key} must be a string"
                            ))
                        }),
                    }
                };
                Some((
                    string_field(&g, "name", "guardian")?,
                    optional("idKind")?,
                    string_field(&g, "idNumber", "guardian")?,
                    string_field(&g, "phone", "guardian")?,
                    string_field(&g, "relation", "guardian")?,
                    optional("birthDate")?,
                    string_field(&g, "salt", "guardian")?,
                ))
            }
            Some(_) => return Err(type_error("submitRegistration: guardian must be an object")),
        };
        let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let consent_refs: Vec<&str> = consents.iter().map(String::as_str).collect();
        let body = RegistrationRequest {
            registration_id: &registration_id,
            name: &name,
            id_kind: id_kind.as_deref(),
            id_number: &id_number,
            phone: &phone,
            birth_date: birth_date.as_deref(),
            derived: derived.as_ref(),
            client_ok,
            client_codes: &code_refs,
            consents: &consent_refs,
            client_time_ms: self.inner.now_ms(),
            guardian: guardian.as_ref().map(
                |(name, id_kind, id_number, phone, relation, birth_date, salt)| {
                    shiming::sync::GuardianRequest {
                        name,
                        id_kind: id_kind.as_deref(),
                        id_number,
                        phone,
                        relation,
                        birth_date: birth_date.as_deref(),
                        salt,
                    }
                },
            ),
        }
        .to_json();
        submit(
            &self.inner,
            EntryKind::Registration,
            registration_id,
            &body,
            &consents,
        )
    }

    /// Resolves when nothing more can be sent now: nothing in flight, and what remains waits for
    /// its retry time (or is rejected or failed). With a summary of the queue.
    #[wasm_bindgen(unchecked_return_type = "Promise<SyncSummary>")]
    pub fn flush(&self) -> Result<Promise, JsValue> {
        self.inner.ensure_open()?;
        Ok(waiting(&self.inner, Waiter::Flush))
    }

    /// Resolves when nothing is pending or in flight any more: every entry was stored, rejected or
    /// failed (retries and waits included; offline, that can take until the entries expire).
    #[wasm_bindgen(unchecked_return_type = "Promise<SyncSummary>")]
    pub fn settle(&self) -> Result<Promise, JsValue> {
        self.inner.ensure_open()?;
        Ok(waiting(&self.inner, Waiter::Settle))
    }

    /// The queued entries: ids, kinds, states and counts (no request body, no personal data).
    /// Acked entries are gone; rejected and failed ones stay until `dismiss`.
    #[wasm_bindgen(unchecked_return_type = "SyncEntry[]")]
    pub fn entries(&self) -> Array {
        let entries = self.inner.with_queue(|q| q.entries().to_vec());
        entries.iter().map(entry_object).collect()
    }

    /// Removes a rejected or failed entry (the user saw it). False for an unknown id or an entry
    /// still pending or in flight (never dropped). Resolves once stored.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn dismiss(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<Promise, JsValue> {
        self.inner.ensure_open()?;
        let id = id
            .as_string()
            .ok_or_else(|| type_error("dismiss(id) takes an entry id"))?;
        let removed = self.inner.with_queue(|q| q.remove(&id).is_some());
        let inner = Rc::clone(&self.inner);
        Ok(future_to_promise(async move {
            if removed {
                mark_changed(&inner);
                persisted(&inner).await;
            }
            Ok(JsValue::from_bool(removed))
        }))
    }

    /// Why the stored queue could not be restored at open (`decrypt_failed`, `invalid_json`,
    /// `not_a_queue`, `unsupported_version`, `invalid_entry`), or null. The unreadable record is
    /// kept aside in IndexedDB, not overwritten.
    #[wasm_bindgen(getter, js_name = restoreProblem)]
    pub fn restore_problem(&self) -> Option<String> {
        self.inner.restore_problem.clone()
    }

    /// Stops sending (answers still arriving are ignored), waits for the last write, and closes
    /// the database. The queue stays stored for the next `open`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn close(&self) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            if !inner.closed.replace(true) {
                if let Some(handle) = inner.timer.take() {
                    sync_io::clear_timeout(handle);
                }
                if let Some(online) = inner.online_fn.take() {
                    if let Ok(window) = sync_io::window() {
                        let _ = window.remove_event_listener_with_callback(
                            "online",
                            online.as_ref().unchecked_ref(),
                        );
                    }
                }
                persisted(&inner).await;
                inner.db.close();
            }
            Ok(JsValue::UNDEFINED)
        })
    }
}

// `submitConsent` (above) takes the receipts that the consent module's `buildReceipt` makes, so
// this module's .d.ts takes their type from that module's (pkg/sync/ and pkg/consent/ side by side,
// scripts/build.mjs); without this line the name dangled (`any` under skipLibCheck, an error
// without it). Placed last so that adding it moved no line above: the .wasm embeds the line
// numbers of `unwrap_throw` calls, so the module's bytes did not change.
#[wasm_bindgen(typescript_custom_section)]
const TS_SYNC_RECEIPT: &'static str = r#"
import type { ConsentReceipt } from '../consent/shiming_consent.js';
"#;
