//! Sync with any backend: the sans-IO client core of protocol v1 (`docs/protocol.md`).
//!
//! The browser (or a native client) owns the network, the clocks, the randomness and the storage;
//! this core owns the decisions, so that every platform retries, orders and gives up the same way,
//! and the whole behaviour is tested natively, deterministically:
//!
//! - [`queue`]: the outbox of consent and registration requests and their states
//!   (`pending → sent → acked | rejected | pending again`, `failed` on expiry or a failed
//!   dependency), ordering (a registration only after the consents it cites are stored, found
//!   from the receipts it cites), answers matched to the attempt they answer, and the status
//!   events the UI shows;
//! - [`refresh`]: `GET /policy`, retried by the same rules, its answer read strictly;
//! - [`backoff`]: capped exponential backoff with full jitter;
//! - [`http`]: what a status means, the issues of a rejection, `Retry-After`;
//! - [`persist`]: the queue as JSON between page loads;
//! - [`clock`]: the trusted clock (server time carried by the monotonic clock);
//! - [`wire`]: request bodies.
//!
//! Nothing here reads a clock, draws a random number or performs I/O: `now_ms` and random `u32`s
//! come in as arguments.
//!
//! ```
//! use shiming::sync::{SyncConfig, SyncQueue};
//!
//! let mut queue = SyncQueue::new(SyncConfig::default());
//! let now = 1_764_374_400_000;
//! queue.enqueue_consent("rcpt-0001", r#"{"receipts":[]}"#, now, [1, 2, 3, 4]).unwrap();
//! queue
//!     .enqueue_registration("reg-0001", r#"{"registrationId":"reg-0001"}"#, &["rcpt-0001"], now, [5, 6, 7, 8])
//!     .unwrap();
//!
//! // Only the consent goes out: the registration waits for it.
//! let sent = queue.poll(now);
//! assert_eq!(sent.len(), 1);
//! assert_eq!(sent[0].path, "/consents");
//!
//! // A 503 with Retry-After: 2 → pending again, not before 2 s.
//! queue.on_response(&sent[0], now + 50, 503, Some("2"), "", 0x8000_0000);
//! assert!(queue.poll(now + 1_000).is_empty());
//! let again = queue.poll(now + 2_050);
//! assert_eq!(again[0].idempotency_key, sent[0].idempotency_key); // same key: safe to resend
//!
//! // Stored → acked (and removed); now the registration goes.
//! queue.on_response(&again[0], now + 2_100, 201, None, r#"{"accepted":[]}"#, 0);
//! let next = queue.poll(now + 2_100);
//! assert_eq!(next[0].path, "/registrations");
//!
//! let names: Vec<&str> = queue.drain_events().iter().map(|e| e.status.name()).collect();
//! assert_eq!(names, ["pending", "pending", "sent", "pending", "sent", "acked", "sent"]);
//!
//! // Saved while in flight, restored as pending with the same key.
//! let restored = SyncQueue::from_json(&queue.to_json(), SyncConfig::default()).unwrap();
//! assert_eq!(restored.entries()[0].state.name(), "pending");
//! ```

pub mod backoff;
pub mod clock;
pub mod http;
pub mod persist;
pub mod queue;
pub mod refresh;
pub mod wire;

pub use backoff::Backoff;
pub use clock::{ClockError, TrustedClock};
pub use http::{
    classify, parse_http_date, parse_issues, parse_retry_after, Disposition, RetryReason,
    WireIssue, WirePath,
};
pub use persist::RestoreError;
pub use queue::{
    idempotency_key, EnqueueError, Entry, EntryKind, EntryState, Event, FailCode, FailReason,
    OutgoingRequest, Status, SyncConfig, SyncQueue, QUEUE_BUDGET_BYTES,
};
pub use refresh::{
    read_policy_answer, PolicyFailure, PolicyRefresh, PolicyReply, PolicyStep,
    DEFAULT_POLICY_ATTEMPTS, DEFAULT_POLICY_WAIT_MAX_MS, POLICY_MAX_BYTES,
};
pub use wire::{consents_request, receipt_ids, GuardianRequest, RegistrationRequest, WireError};
