//! The outbox: entries, their states, and what to send when.
//!
//! ```text
//!             poll                 2xx
//! pending ─────────────▶ sent ─────────────▶ acked (event, then removed)
//!    ▲                    │  4xx (not 408/409-in-progress/429)
//!    │ 408 409 429 5xx    ├──────────────────▶ rejected { issues }
//!    │ transport error    │  1xx 3xx
//!    └────────────────────┤──────────────────▶ failed { unexpected_status }
//!                         │
//! pending past its expiry ────────────────────▶ failed { expired }
//! pending whose dependency is rejected/failed ─▶ failed { dependency_rejected | dependency_failed }
//! ```
//!
//! Nothing is ever dropped silently: an entry leaves the queue only when acked (after its `acked`
//! event) or when the caller removes a rejected or failed one ([`SyncQueue::remove`]).
//!
//! **Ordering.** An entry is sent only when none of the ids in its `depends_on` is still in the
//! queue: a consent leaves the queue only when acked, so a registration is sent only after every
//! consent it cites is stored. An id that is not in the queue counts as already stored (acked in
//! an earlier session): enqueue the consents first, then the registration, with the dependencies
//! [`SyncQueue::consent_entries_for`] finds from the receipts it cites.
//!
//! **Late answers.** Each request carries its attempt number and key ([`OutgoingRequest`]); an
//! answer to an attempt no longer in flight changes nothing, unless it is a 2xx.
//!
//! **Time.** `now_ms` is Unix milliseconds from the caller: the trusted clock
//! ([`super::TrustedClock`]) when known, else the device clock. The queue survives the device
//! clock jumping backwards: a wait longer than any the schedule can produce is cut short, and an
//! expiry further away than the time to live is brought back.

use super::backoff::Backoff;
use super::http::{classify, parse_retry_after, Disposition, RetryReason, WireIssue};
use crate::codec::json;
use crate::token::looks_like_personal_number;

/// What an entry sends. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// `POST {base}/consents`.
    Consent,
    /// `POST {base}/registrations`.
    Registration,
}

impl EntryKind {
    /// The kind's snake_case name: `consent` or `registration`.
    pub const fn as_str(self) -> &'static str {
        match self {
            EntryKind::Consent => "consent",
            EntryKind::Registration => "registration",
        }
    }

    /// The kind named `name` (see [`EntryKind::as_str`]), if any.
    pub fn parse(name: &str) -> Option<EntryKind> {
        [EntryKind::Consent, EntryKind::Registration]
            .into_iter()
            .find(|k| k.as_str() == name)
    }

    /// The path under the base URL.
    pub const fn path(self) -> &'static str {
        match self {
            EntryKind::Consent => "/consents",
            EntryKind::Registration => "/registrations",
        }
    }
}

/// Why an entry failed. The snake_case names are API (the `failed` event's `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailCode {
    /// Not stored before its expiry time.
    Expired,
    /// An entry it depends on (named in [`FailReason::dependency`]) was rejected.
    DependencyRejected,
    /// An entry it depends on (named in [`FailReason::dependency`]) failed.
    DependencyFailed,
    /// The server answered a status outside the protocol (1xx, 3xx; in [`FailReason::status`]).
    UnexpectedStatus,
}

impl FailCode {
    /// Every code, in a stable order.
    pub const ALL: [FailCode; 4] = [
        FailCode::Expired,
        FailCode::DependencyRejected,
        FailCode::DependencyFailed,
        FailCode::UnexpectedStatus,
    ];

    /// The code's snake_case name (`expired`, `dependency_rejected`, `dependency_failed`,
    /// `unexpected_status`).
    pub const fn as_str(self) -> &'static str {
        match self {
            FailCode::Expired => "expired",
            FailCode::DependencyRejected => "dependency_rejected",
            FailCode::DependencyFailed => "dependency_failed",
            FailCode::UnexpectedStatus => "unexpected_status",
        }
    }

    /// The code named `name` (see [`FailCode::as_str`]), if any.
    pub fn parse(name: &str) -> Option<FailCode> {
        FailCode::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

/// A failure: its code, and the dependency or status it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailReason {
    /// Why the entry failed.
    pub code: FailCode,
    /// For `dependency_*`: the id of the entry that was rejected or failed.
    pub dependency: Option<String>,
    /// For `unexpected_status`: the status.
    pub status: Option<u16>,
}

impl FailReason {
    /// A failure with `code` and neither a dependency nor a status.
    pub const fn new(code: FailCode) -> FailReason {
        FailReason {
            code,
            dependency: None,
            status: None,
        }
    }
}

/// Where an entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryState {
    /// Waiting: for `next_attempt_ms`, for its dependencies, or for a free slot.
    Pending,
    /// In flight since `since_ms`.
    Sent {
        /// When the attempt in flight was handed to the caller (Unix ms).
        since_ms: u64,
    },
    /// Refused by the server (a 4xx): sending it again cannot succeed.
    Rejected {
        /// The HTTP status of the refusal.
        status: u16,
        /// The issues of the answer's body (possibly none).
        issues: Vec<WireIssue>,
    },
    /// Given up on.
    Failed(FailReason),
}

impl EntryState {
    /// `pending`, `sent`, `rejected` or `failed`.
    pub const fn name(&self) -> &'static str {
        match self {
            EntryState::Pending => "pending",
            EntryState::Sent { .. } => "sent",
            EntryState::Rejected { .. } => "rejected",
            EntryState::Failed(_) => "failed",
        }
    }

    const fn is_terminal(&self) -> bool {
        matches!(self, EntryState::Rejected { .. } | EntryState::Failed(_))
    }
}

/// One queued request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The caller's local id (e.g. the receipt id, the registration id): a token, never personal data.
    pub id: String,
    /// What the entry sends.
    pub kind: EntryKind,
    /// Sent as `Idempotency-Key` on every attempt; random, from the caller's randomness.
    pub idempotency_key: String,
    /// The exact request body (the server compares retries byte for byte, by SHA-256).
    pub body: String,
    /// Ids of entries that must be stored first.
    pub depends_on: Vec<String>,
    /// When it was queued (Unix ms).
    pub created_ms: u64,
    /// It fails as `expired` if not stored by this time (Unix ms): queued time plus
    /// [`SyncConfig::ttl_ms`].
    pub expires_ms: u64,
    /// Attempts sent so far.
    pub attempts: u32,
    /// Not sent before this time.
    pub next_attempt_ms: u64,
    /// The wait was asked by the server (`Retry-After`, 429, 503): coming back online does not
    /// shorten it ([`SyncQueue::network_back`]). Not persisted: after a reload it is `false`.
    pub server_asked_wait: bool,
    /// Where the entry is.
    pub state: EntryState,
}

/// What happened to an entry. [`Status::name`] is the UI contract: `pending`, `sent`, `acked`,
/// `rejected`, `failed`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Queued, or waiting to be tried again (`retry` says why; `None` when first queued).
    Pending {
        /// Attempts sent so far.
        attempts: u32,
        /// Not sent before this time (Unix ms).
        next_attempt_ms: u64,
        /// Why it is tried again; `None` when first queued.
        retry: Option<RetryReason>,
    },
    /// A request was handed to the caller (attempt 1, 2, …).
    Sent {
        /// Which attempt of the entry this is (1, 2, …).
        attempt: u32,
    },
    /// Stored by the server; the entry has left the queue. `body` is the server's answer (it holds
    /// no personal data: ids and times only).
    Acked {
        /// The HTTP status of the answer (2xx).
        status: u16,
        /// The body of the answer.
        body: String,
    },
    /// Refused by the server, with its issues (possibly none, if the body was not an issue list).
    Rejected {
        /// The HTTP status of the refusal.
        status: u16,
        /// The issues of the answer's body.
        issues: Vec<WireIssue>,
    },
    /// Given up on, with the reason.
    Failed(FailReason),
}

impl Status {
    /// `pending`, `sent`, `acked`, `rejected` or `failed`.
    pub const fn name(&self) -> &'static str {
        match self {
            Status::Pending { .. } => "pending",
            Status::Sent { .. } => "sent",
            Status::Acked { .. } => "acked",
            Status::Rejected { .. } => "rejected",
            Status::Failed(_) => "failed",
        }
    }
}

/// One status change, for the UI ([`SyncQueue::drain_events`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The entry's id ([`Entry::id`]).
    pub entry_id: String,
    /// The entry's kind.
    pub kind: EntryKind,
    /// The entry's new status.
    pub status: Status,
}

/// A request for the caller to send: `method {base}{path}` with headers
/// `Content-Type: application/json` and `Idempotency-Key: {idempotency_key}`. The caller hands it
/// back with its outcome ([`SyncQueue::on_response`], [`SyncQueue::on_transport_error`]): its
/// `attempt` and key tell an answer to this attempt from a late answer to an earlier one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingRequest {
    /// The id of the entry it is for ([`Entry::id`]).
    pub entry_id: String,
    /// Which attempt of the entry this is (1, 2, …).
    pub attempt: u32,
    /// The HTTP method: `POST`.
    pub method: &'static str,
    /// The path under the base URL: `/consents` or `/registrations` ([`EntryKind::path`]).
    pub path: &'static str,
    /// The entry's idempotency key, the same on every attempt.
    pub idempotency_key: String,
    /// The entry's exact request body.
    pub body: String,
}

/// The queue's settings. `Default` gives the documented defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyncConfig {
    /// The exponential schedule (default: base 1 s, cap 5 min).
    pub backoff: Backoff,
    /// After a 429 or 503 without `Retry-After`, the wait is at least this plus the jittered
    /// backoff (capped at `max(cap, floor)`): the server said it is overloaded, so a near-zero
    /// full-jitter delay would be the wrong answer. Default 5 s.
    pub throttle_floor_ms: u64,
    /// A `Retry-After` longer than this is cut to it (a misconfigured proxy must not park the
    /// queue for days). Default 1 hour.
    pub retry_after_max_ms: u64,
    /// At most this many requests in flight at once. Default 4 (browsers open about 6 connections
    /// per host; the page needs some for itself).
    pub max_in_flight: usize,
    /// An entry not stored within this time after being queued fails as `expired`. Default 24 h:
    /// the queue holds personal data (encrypted at rest), which is kept no longer than needed.
    pub ttl_ms: u64,
    /// An entry in flight for this long without the caller reporting an answer is treated as a
    /// transport error (`no_response`). A backstop: the caller should time out its own requests
    /// sooner (e.g. `AbortSignal.timeout(30_000)`). Default 2 min.
    pub request_timeout_ms: u64,
}

impl Default for SyncConfig {
    fn default() -> SyncConfig {
        SyncConfig {
            backoff: Backoff::default(),
            throttle_floor_ms: 5_000,
            retry_after_max_ms: 3_600_000,
            max_in_flight: 4,
            ttl_ms: 24 * 3_600_000,
            request_timeout_ms: 120_000,
        }
    }
}

impl SyncConfig {
    /// The wait after the `attempts`-th failed attempt of any request of the protocol (the queue's
    /// entries and the policy refresh, [`super::PolicyRefresh`]): the jittered backoff; at least
    /// the server's `Retry-After` (`retry_after_ms`, cut to `retry_after_max_ms`); without one,
    /// after a throttling answer (429, 503), at least `throttle_floor_ms` more.
    pub fn retry_delay_ms(
        &self,
        attempts: u32,
        throttled: bool,
        retry_after_ms: Option<u64>,
        random: u32,
    ) -> u64 {
        let jittered = self.backoff.delay_ms(attempts, random);
        match retry_after_ms {
            Some(asked) => jittered.max(asked.min(self.retry_after_max_ms)),
            None if throttled => self
                .throttle_floor_ms
                .saturating_add(jittered)
                .min(self.backoff.cap_ms.max(self.throttle_floor_ms)),
            None => jittered,
        }
    }
}

/// Why an entry cannot be queued. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnqueueError {
    /// The id is not 1 to 128 characters of `A-Z a-z 0-9 . _ : -`.
    InvalidId,
    /// The id (or a dependency id) is shaped like an ID or phone number: ids are stored and shown
    /// in events, and must not hold personal data.
    IdLooksPersonal,
    /// An entry with this id is already queued.
    DuplicateId,
    /// A dependency id is invalid, or the entry's own id.
    InvalidDependency,
    /// The body is not a JSON document (or is larger than 256 KB).
    BodyNotJson,
    /// The queue would no longer fit the persisted format's budget ([`QUEUE_BUDGET_BYTES`]).
    QueueFull,
    /// The idempotency key made from the given randomness is already used in the queue: call again
    /// with fresh random numbers.
    KeyCollision,
}

impl EnqueueError {
    /// The error's snake_case name (`invalid_id`, `id_looks_personal`, `duplicate_id`,
    /// `invalid_dependency`, `body_not_json`, `queue_full`, `key_collision`).
    pub const fn as_str(self) -> &'static str {
        match self {
            EnqueueError::InvalidId => "invalid_id",
            EnqueueError::IdLooksPersonal => "id_looks_personal",
            EnqueueError::DuplicateId => "duplicate_id",
            EnqueueError::InvalidDependency => "invalid_dependency",
            EnqueueError::BodyNotJson => "body_not_json",
            EnqueueError::QueueFull => "queue_full",
            EnqueueError::KeyCollision => "key_collision",
        }
    }
}

/// The persisted queue ([`SyncQueue::to_json`]) is kept under this size when queuing, leaving room
/// under the JSON parser's 256 KB for the issues of rejections that come later.
pub const QUEUE_BUDGET_BYTES: usize = 192 * 1024;

/// Whether `s` is an id or idempotency key: 1 to 128 characters of `A-Z a-z 0-9 . _ : -`.
pub fn is_token(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// The idempotency key made at `now_ms` from 128 random bits: `sk2-`, the time as 12 lowercase hex
/// digits ([`crate::token::time_hex`]: a server's index on keys grows at its end), then 32 hex
/// digits of random. Keys of the former form (`sk1-` and 32 hex digits, no time) stored in a
/// queue stay valid.
pub fn idempotency_key(now_ms: u64, random: [u32; 4]) -> String {
    let mut key = String::from("sk2-");
    key.push_str(&crate::token::time_hex(now_ms));
    for word in random {
        key.push_str(&format!("{word:08x}"));
    }
    key
}

/// SplitMix64's finaliser: a well-mixed 32 bits from a seed, where the core needs jitter and the
/// caller passed no random number (the backstop timeout in `poll`). The seed includes the entry's
/// random key, so different clients still spread out.
fn mix(seed: u64) -> u32 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    u32::try_from((z ^ (z >> 31)) >> 32).unwrap_or(0)
}

fn key_seed(key: &str, attempts: u32) -> u64 {
    // FNV-1a over the key, then the attempt count.
    let hash = key.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    });
    hash ^ u64::from(attempts)
}

/// The sync outbox: a sans-IO state machine. The caller sends what [`SyncQueue::poll`] returns,
/// reports each answer ([`SyncQueue::on_response`], [`SyncQueue::on_transport_error`]), calls
/// `poll` again after each report and at [`SyncQueue::next_wakeup`], shows
/// [`SyncQueue::drain_events`], and saves [`SyncQueue::to_json`] after each change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncQueue {
    pub(super) config: SyncConfig,
    pub(super) entries: Vec<Entry>,
    pub(super) events: Vec<Event>,
}

impl SyncQueue {
    /// An empty queue with these settings.
    pub fn new(config: SyncConfig) -> SyncQueue {
        SyncQueue {
            config,
            entries: Vec::new(),
            events: Vec::new(),
        }
    }

    /// The queue's settings.
    pub const fn config(&self) -> &SyncConfig {
        &self.config
    }

    /// Every entry, in the order queued.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this id, if it is queued.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// How many entries are queued, in any state.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is queued.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many requests are in flight.
    pub fn in_flight(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.state, EntryState::Sent { .. }))
            .count()
    }

    /// Queues a `POST /consents` (body `{ "receipts": [...] }`, see [`super::consents_request`]).
    /// Returns its idempotency key.
    pub fn enqueue_consent(
        &mut self,
        id: &str,
        body: &str,
        now_ms: u64,
        random: [u32; 4],
    ) -> Result<String, EnqueueError> {
        self.enqueue(EntryKind::Consent, id, body, &[], now_ms, random)
    }

    /// Queues a `POST /registrations`, sent only once every entry of `depends_on` (the consents it
    /// cites) is stored. Returns its idempotency key.
    pub fn enqueue_registration(
        &mut self,
        id: &str,
        body: &str,
        depends_on: &[&str],
        now_ms: u64,
        random: [u32; 4],
    ) -> Result<String, EnqueueError> {
        self.enqueue(
            EntryKind::Registration,
            id,
            body,
            depends_on,
            now_ms,
            random,
        )
    }

    /// Queues a request; `random` is 128 bits from a cryptographic generator
    /// (`crypto.getRandomValues`), for the idempotency key. Emits `pending`.
    pub fn enqueue(
        &mut self,
        kind: EntryKind,
        id: &str,
        body: &str,
        depends_on: &[&str],
        now_ms: u64,
        random: [u32; 4],
    ) -> Result<String, EnqueueError> {
        if !is_token(id) {
            return Err(EnqueueError::InvalidId);
        }
        if looks_like_personal_number(id)
            || depends_on.iter().any(|d| looks_like_personal_number(d))
        {
            return Err(EnqueueError::IdLooksPersonal);
        }
        if self.get(id).is_some() {
            return Err(EnqueueError::DuplicateId);
        }
        if depends_on.iter().any(|d| !is_token(d) || *d == id) {
            return Err(EnqueueError::InvalidDependency);
        }
        if json::parse(body).is_err() {
            return Err(EnqueueError::BodyNotJson);
        }
        let key = idempotency_key(now_ms, random);
        if self.entries.iter().any(|e| e.idempotency_key == key) {
            return Err(EnqueueError::KeyCollision);
        }
        let mut depends: Vec<String> = Vec::new();
        for dependency in depends_on {
            if !depends.iter().any(|d| d == dependency) {
                depends.push((*dependency).to_string());
            }
        }
        let entry = Entry {
            id: id.to_string(),
            kind,
            idempotency_key: key.clone(),
            body: body.to_string(),
            depends_on: depends,
            created_ms: now_ms,
            expires_ms: now_ms.saturating_add(self.config.ttl_ms),
            attempts: 0,
            next_attempt_ms: now_ms,
            server_asked_wait: false,
            state: EntryState::Pending,
        };
        let projected = self
            .to_json()
            .len()
            .saturating_add(super::persist::entry_json(&entry).len() + 1);
        if projected > QUEUE_BUDGET_BYTES {
            return Err(EnqueueError::QueueFull);
        }
        self.events.push(Event {
            entry_id: entry.id.clone(),
            kind,
            status: Status::Pending {
                attempts: 0,
                next_attempt_ms: now_ms,
                retry: None,
            },
        });
        self.entries.push(entry);
        Ok(key)
    }

    /// Removes a rejected or failed entry (the user dismissed it, or will queue a corrected one).
    /// `None` for an unknown id or an entry still pending or in flight: those are never dropped.
    /// An entry queued later that depends on a removed id counts it as stored.
    pub fn remove(&mut self, id: &str) -> Option<Entry> {
        let index = self
            .entries
            .iter()
            .position(|e| e.id == id && e.state.is_terminal())?;
        (index < self.entries.len()).then(|| self.entries.remove(index))
    }

    /// The status changes since the last call, in order.
    pub fn drain_events(&mut self) -> Vec<Event> {
        core::mem::take(&mut self.events)
    }

    /// The consent entries a registration citing `receipt_ids` (its `consents`) depends on: for
    /// each receipt, the consent entry queued last whose body carries it (an earlier one was
    /// rejected or failed, and this one replaces it). A receipt in no queued entry was stored
    /// already, or was never queued here: it adds no dependency. Read from the queued bodies, so
    /// it holds after a reload.
    pub fn consent_entries_for(&self, receipt_ids: &[&str]) -> Vec<String> {
        if receipt_ids.is_empty() {
            return Vec::new();
        }
        let carried: Vec<(&str, Vec<String>)> = self
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Consent)
            .map(|e| (e.id.as_str(), super::wire::receipt_ids(&e.body)))
            .collect();
        let mut depends: Vec<String> = Vec::new();
        for receipt in receipt_ids {
            let last = carried
                .iter()
                .rev()
                .find(|(_, receipts)| receipts.iter().any(|r| r == receipt));
            if let Some((entry, _)) = last {
                if !depends.iter().any(|d| d == entry) {
                    depends.push((*entry).to_string());
                }
            }
        }
        depends
    }

    /// Whether every dependency of `entry` has left the queue (was acked).
    fn dependencies_stored(&self, entry: &Entry) -> bool {
        entry
            .depends_on
            .iter()
            .all(|d| self.entries.iter().all(|other| other.id != *d))
    }

    /// The requests to send now: due pending entries whose dependencies are stored, in queue
    /// order, up to `max_in_flight` in flight. Also applies expiries and dependency failures, and
    /// the backstop timeout. Emits `sent` (and `failed`, `pending` for those).
    pub fn poll(&mut self, now_ms: u64) -> Vec<OutgoingRequest> {
        self.repair_clock_jumps(now_ms);
        let lost: Vec<usize> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                matches!(e.state, EntryState::Sent { since_ms }
                    if now_ms >= since_ms.saturating_add(self.config.request_timeout_ms))
            })
            .map(|(i, _)| i)
            .collect();
        for index in lost {
            let random = self
                .entries
                .get(index)
                .map_or(0, |e| mix(key_seed(&e.idempotency_key, e.attempts)));
            self.retry_later(index, now_ms, RetryReason::NoResponse, None, random);
        }
        self.settle(now_ms);

        let mut in_flight = self.in_flight();
        let ready: Vec<usize> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.state == EntryState::Pending
                    && e.next_attempt_ms <= now_ms
                    && self.dependencies_stored(e)
            })
            .map(|(i, _)| i)
            .collect();
        let mut out = Vec::new();
        for index in ready {
            if in_flight >= self.config.max_in_flight {
                break;
            }
            let Some(entry) = self.entries.get_mut(index) else {
                continue;
            };
            entry.state = EntryState::Sent { since_ms: now_ms };
            entry.attempts = entry.attempts.saturating_add(1);
            in_flight += 1;
            self.events.push(Event {
                entry_id: entry.id.clone(),
                kind: entry.kind,
                status: Status::Sent {
                    attempt: entry.attempts,
                },
            });
            out.push(OutgoingRequest {
                entry_id: entry.id.clone(),
                attempt: entry.attempts,
                method: "POST",
                path: entry.kind.path(),
                idempotency_key: entry.idempotency_key.clone(),
                body: entry.body.clone(),
            });
        }
        out
    }

    /// The index of the entry `request` was made for: same id and same idempotency key (an entry
    /// queued later under a removed entry's id is another entry).
    fn index_of(&self, request: &OutgoingRequest) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.id == request.entry_id && e.idempotency_key == request.idempotency_key)
    }

    /// Whether `request` is the attempt of its entry now in flight (not an earlier attempt given
    /// up on by the backstop timeout, nor one from before a reload).
    fn is_current(&self, index: usize, request: &OutgoingRequest) -> bool {
        self.entries.get(index).is_some_and(|e| {
            matches!(e.state, EntryState::Sent { .. }) && e.attempts == request.attempt
        })
    }

    /// Reports the server's answer to `request` (as [`SyncQueue::poll`] returned it): `status`, its
    /// `Retry-After` header if any, its body, and a uniformly random `u32` for the backoff's
    /// jitter. Returns whether it applied. A non-2xx answer applies only to the attempt in flight:
    /// a late answer to an earlier attempt (one the backstop timeout gave up on and sent again,
    /// or from before a reload) is ignored, as is an answer for an entry no longer queued. A 2xx
    /// applies to its entry whatever its state: the record is stored, whatever the queue thought.
    pub fn on_response(
        &mut self,
        request: &OutgoingRequest,
        now_ms: u64,
        status: u16,
        retry_after_header: Option<&str>,
        body: &str,
        random: u32,
    ) -> bool {
        let Some(index) = self.index_of(request) else {
            return false;
        };
        let disposition = classify(status, body);
        if disposition != Disposition::Stored && !self.is_current(index, request) {
            return false;
        }
        match disposition {
            Disposition::Stored => {
                if index < self.entries.len() {
                    let entry = self.entries.remove(index);
                    self.events.push(Event {
                        entry_id: entry.id,
                        kind: entry.kind,
                        status: Status::Acked {
                            status,
                            body: body.to_string(),
                        },
                    });
                }
            }
            Disposition::Retry(reason) => {
                let retry_after = retry_after_header.and_then(|v| parse_retry_after(v, now_ms));
                self.retry_later(index, now_ms, reason, retry_after, random);
            }
            Disposition::Rejected(issues) => {
                self.finish(
                    index,
                    EntryState::Rejected {
                        status,
                        issues: issues.clone(),
                    },
                    Status::Rejected { status, issues },
                );
            }
            Disposition::Unexpected => {
                let reason = FailReason {
                    status: Some(status),
                    ..FailReason::new(FailCode::UnexpectedStatus)
                };
                self.finish(
                    index,
                    EntryState::Failed(reason.clone()),
                    Status::Failed(reason),
                );
            }
        }
        self.settle(now_ms);
        true
    }

    /// Reports that `request` got no answer (network error, the caller's timeout, a dropped
    /// connection). Returns whether it applied: only to the attempt in flight, as a non-2xx
    /// answer ([`SyncQueue::on_response`]).
    pub fn on_transport_error(
        &mut self,
        request: &OutgoingRequest,
        now_ms: u64,
        random: u32,
    ) -> bool {
        let Some(index) = self
            .index_of(request)
            .filter(|index| self.is_current(*index, request))
        else {
            return false;
        };
        self.retry_later(index, now_ms, RetryReason::TransportError, None, random);
        self.settle(now_ms);
        true
    }

    /// The network is back (the browser's `online` event): pending entries waiting out a backoff
    /// after transport errors become due now, instead of at the end of a wait that could have
    /// grown to minutes while offline. A wait the server asked for (`Retry-After`, 429, 503) is
    /// kept. Returns how many entries were made due; call [`SyncQueue::poll`] next.
    pub fn network_back(&mut self, now_ms: u64) -> usize {
        let mut hurried = 0;
        for entry in &mut self.entries {
            if entry.state == EntryState::Pending
                && !entry.server_asked_wait
                && entry.next_attempt_ms > now_ms
            {
                entry.next_attempt_ms = now_ms;
                hurried += 1;
            }
        }
        hurried
    }

    /// When to call [`SyncQueue::poll`] next if nothing else happens (Unix ms; possibly in the
    /// past: poll now); `None` when nothing is waiting on time. While `max_in_flight` requests are
    /// in flight, and for entries waiting on a dependency, the next report is the wake-up.
    pub fn next_wakeup(&self) -> Option<u64> {
        let slot_free = self.in_flight() < self.config.max_in_flight;
        self.entries
            .iter()
            .filter_map(|e| match e.state {
                EntryState::Pending => {
                    if slot_free && self.dependencies_stored(e) {
                        Some(e.next_attempt_ms.min(e.expires_ms))
                    } else {
                        Some(e.expires_ms)
                    }
                }
                EntryState::Sent { since_ms } => {
                    Some(since_ms.saturating_add(self.config.request_timeout_ms))
                }
                EntryState::Rejected { .. } | EntryState::Failed(_) => None,
            })
            .min()
    }

    /// Sets a terminal state and emits its event.
    fn finish(&mut self, index: usize, state: EntryState, status: Status) {
        if let Some(entry) = self.entries.get_mut(index) {
            entry.state = state;
            self.events.push(Event {
                entry_id: entry.id.clone(),
                kind: entry.kind,
                status,
            });
        }
    }

    /// Back to pending after a failed attempt, or `expired` if its time is up.
    fn retry_later(
        &mut self,
        index: usize,
        now_ms: u64,
        reason: RetryReason,
        retry_after_ms: Option<u64>,
        random: u32,
    ) {
        let config = self.config;
        let Some(entry) = self.entries.get_mut(index) else {
            return;
        };
        if now_ms >= entry.expires_ms {
            let reason = FailReason::new(FailCode::Expired);
            self.finish(
                index,
                EntryState::Failed(reason.clone()),
                Status::Failed(reason),
            );
            return;
        }
        let delay =
            config.retry_delay_ms(entry.attempts, reason.is_throttle(), retry_after_ms, random);
        entry.state = EntryState::Pending;
        entry.next_attempt_ms = now_ms.saturating_add(delay);
        entry.server_asked_wait = retry_after_ms.is_some() || reason.is_throttle();
        self.events.push(Event {
            entry_id: entry.id.clone(),
            kind: entry.kind,
            status: Status::Pending {
                attempts: entry.attempts,
                next_attempt_ms: entry.next_attempt_ms,
                retry: Some(reason),
            },
        });
    }

    /// Expires due pending entries, then fails pending entries whose dependency was rejected or
    /// failed, until nothing changes (a failure can cascade). An entry due at the same time as
    /// one it depends on is left to the second pass, so that it reports the root cause
    /// (`dependency_failed`, naming the dependency) rather than an expiry of its own, whichever
    /// of the two timers the caller happened to wake for.
    fn settle(&mut self, now_ms: u64) {
        let due = |e: &Entry| e.state == EntryState::Pending && now_ms >= e.expires_ms;
        let expired: Vec<(usize, FailReason)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| due(e))
            .filter(|(_, e)| {
                !e.depends_on.iter().any(|d| {
                    self.get(d).is_some_and(|other| {
                        due(other)
                            || matches!(
                                other.state,
                                EntryState::Rejected { .. } | EntryState::Failed(_)
                            )
                    })
                })
            })
            .map(|(i, _)| (i, FailReason::new(FailCode::Expired)))
            .collect();
        self.fail_all(expired);
        loop {
            let mut doomed = Vec::new();
            for (index, entry) in self.entries.iter().enumerate() {
                if entry.state != EntryState::Pending {
                    continue;
                }
                let broken = entry.depends_on.iter().find_map(|d| {
                    let code = match self.get(d).map(|other| &other.state) {
                        Some(EntryState::Rejected { .. }) => FailCode::DependencyRejected,
                        Some(EntryState::Failed(_)) => FailCode::DependencyFailed,
                        _ => return None,
                    };
                    Some(FailReason {
                        dependency: Some(d.clone()),
                        ..FailReason::new(code)
                    })
                });
                if let Some(reason) = broken {
                    doomed.push((index, reason));
                }
            }
            if doomed.is_empty() {
                break;
            }
            self.fail_all(doomed);
        }
    }

    fn fail_all(&mut self, failures: Vec<(usize, FailReason)>) {
        for (index, reason) in failures {
            self.finish(
                index,
                EntryState::Failed(reason.clone()),
                Status::Failed(reason),
            );
        }
    }

    /// A device clock set backwards must not park the queue: no wait is longer than the schedule
    /// can produce, no expiry further than the time to live, no request sent in the future.
    fn repair_clock_jumps(&mut self, now_ms: u64) {
        let config = self.config;
        let longest_wait = config
            .backoff
            .cap_ms
            .max(config.retry_after_max_ms)
            .max(config.throttle_floor_ms);
        for entry in &mut self.entries {
            match &mut entry.state {
                EntryState::Pending => {
                    if entry.next_attempt_ms > now_ms.saturating_add(longest_wait) {
                        entry.next_attempt_ms = now_ms;
                    }
                    if entry.expires_ms > now_ms.saturating_add(config.ttl_ms) {
                        entry.expires_ms = now_ms.saturating_add(config.ttl_ms);
                    }
                }
                EntryState::Sent { since_ms } => {
                    if *since_ms > now_ms {
                        *since_ms = now_ms;
                    }
                }
                EntryState::Rejected { .. } | EntryState::Failed(_) => {}
            }
        }
    }
}
