//! The policy refresh: `GET {base}/policy` (protocol v1 §4.1), which gives the page its policy and
//! agreement documents and the client its trusted clock ([`super::TrustedClock`]).
//!
//! The caller sends the request and reports each outcome; [`PolicyRefresh`] decides, with the
//! queue's rules, so that every request of the protocol is retried the same way:
//!
//! - **200**: the body is read with the crate's strict JSON parser (a duplicated key, a lone
//!   surrogate, trailing text are refused; at most [`POLICY_MAX_BYTES`], since the answer carries
//!   every agreement text). It must be an object with `protocol: 1` and a `serverTime` the clock
//!   accepts; else it is `invalid_response`, tried again (a truncated body is usually transient).
//! - **Another status** means what [`super::classify`] says: 408, 409 in progress, 429 and 5xx
//!   are tried again; anything else (a 4xx, another 2xx, 1xx, 3xx) is final: `http_status`.
//! - **No answer**: `transport_error`, tried again.
//! - **The wait** after the n-th failed attempt is the queue's ([`SyncConfig::retry_delay_ms`]):
//!   full-jitter backoff, at least the server's `Retry-After` (cut to `retry_after_max_ms`), and
//!   after a 429 or 503 without one at least `throttle_floor_ms`.
//! - At most `max_attempts` attempts; then the last failure is the outcome.
//! - At most [`DEFAULT_POLICY_WAIT_MAX_MS`] of waiting in all (the caller may set another budget):
//!   a page usually waits for its policy before it enables its form, and a server that asks for a
//!   longer wait (a `Retry-After` of an hour) ends the refresh with its failure instead of
//!   freezing the page. The queue is not bound by this: it keeps its entries and honours the wait.
//!
//! Each step consumes the refresh and, to go on, hands back the next one: an answer can only be
//! reported once, to the attempt it answers.

use super::clock::TrustedClock;
use super::http::{classify, parse_retry_after, Disposition};
use super::queue::SyncConfig;
use crate::codec::json::{self, Value};

/// The largest policy answer read: five agreement texts of up to 256 KB each, with room for the
/// policy and JSON escapes.
pub const POLICY_MAX_BYTES: usize = 2 * 1024 * 1024;
/// The protocol version this client speaks (`protocol` of the policy answer).
pub const PROTOCOL_VERSION: i64 = 1;
/// Attempts of one refresh, unless the caller says otherwise.
pub const DEFAULT_POLICY_ATTEMPTS: u32 = 3;
/// The longest a refresh waits between its attempts, in all, unless the caller says otherwise.
pub const DEFAULT_POLICY_WAIT_MAX_MS: u64 = 15_000;

/// Why a refresh failed. [`PolicyFailure::reason`] names are API (`PolicyRefresh.reason` in JS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyFailure {
    /// No answer: a network error, a timeout, a dropped connection.
    TransportError,
    /// An answer with this status instead of 200.
    HttpStatus(u16),
    /// A 200 whose body is not a policy answer of this protocol.
    InvalidResponse,
}

impl PolicyFailure {
    /// `transport_error`, `http_status` or `invalid_response`.
    pub const fn reason(self) -> &'static str {
        match self {
            PolicyFailure::TransportError => "transport_error",
            PolicyFailure::HttpStatus(_) => "http_status",
            PolicyFailure::InvalidResponse => "invalid_response",
        }
    }

    /// The status, for `http_status`.
    pub const fn status(self) -> Option<u16> {
        match self {
            PolicyFailure::HttpStatus(status) => Some(status),
            PolicyFailure::TransportError | PolicyFailure::InvalidResponse => None,
        }
    }
}

/// An answer to `GET {base}/policy`, with the caller's monotonic clock read just before sending
/// and just after receiving (for the trusted clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyReply<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<&'a str>,
    /// The body of the answer.
    pub body: &'a str,
    /// The caller's monotonic clock just before the request was sent, in milliseconds.
    pub sent_monotonic_ms: u64,
    /// The caller's monotonic clock just after the answer was received, in milliseconds.
    pub received_monotonic_ms: u64,
}

/// What to do after an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyStep {
    /// Wait `wait_ms`, then send the next attempt and report its outcome to `next`.
    Retry {
        /// How long to wait before the next attempt, in milliseconds.
        wait_ms: u64,
        /// What went wrong with this attempt.
        failure: PolicyFailure,
        /// The refresh to report the next attempt's outcome to.
        next: PolicyRefresh,
    },
    /// The answer is a policy answer of this protocol: apply its body, and this clock.
    Applied(TrustedClock),
    /// Given up: the last attempt's failure.
    Failed(PolicyFailure),
}

/// One refresh: which attempt is in flight, and the rules to go on by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyRefresh {
    config: SyncConfig,
    max_attempts: u32,
    attempt: u32,
    /// What is left of the waiting budget.
    wait_left_ms: u64,
}

impl PolicyRefresh {
    /// A refresh of at most `max_attempts` attempts (at least 1) with the queue's settings (its
    /// backoff, `throttle_floor_ms`, `retry_after_max_ms`). Send the first attempt now.
    pub fn new(config: SyncConfig, max_attempts: u32) -> PolicyRefresh {
        PolicyRefresh {
            config,
            max_attempts: max_attempts.max(1),
            attempt: 1,
            wait_left_ms: DEFAULT_POLICY_WAIT_MAX_MS,
        }
    }

    /// The same refresh with another waiting budget: the waits between its attempts add up to at
    /// most `max_ms`; a wait that would go past it ends the refresh with that attempt's failure.
    pub const fn with_wait_budget(self, max_ms: u64) -> PolicyRefresh {
        PolicyRefresh {
            wait_left_ms: max_ms,
            ..self
        }
    }

    /// The attempt in flight (1, 2, …).
    pub const fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Reports the answer to the attempt in flight. `now_ms` (the trusted time if known) reads an
    /// HTTP-date `Retry-After`; `random` (a uniformly random `u32`) is the jitter.
    pub fn on_response(self, reply: &PolicyReply<'_>, now_ms: u64, random: u32) -> PolicyStep {
        if reply.status == 200 {
            return match read_policy_answer(
                reply.body,
                reply.sent_monotonic_ms,
                reply.received_monotonic_ms,
            ) {
                Some(clock) => PolicyStep::Applied(clock),
                None => self.retry(PolicyFailure::InvalidResponse, false, None, random),
            };
        }
        let failure = PolicyFailure::HttpStatus(reply.status);
        match classify(reply.status, reply.body) {
            Disposition::Retry(reason) => {
                let asked = reply
                    .retry_after
                    .and_then(|value| parse_retry_after(value, now_ms));
                self.retry(failure, reason.is_throttle(), asked, random)
            }
            Disposition::Stored | Disposition::Rejected(_) | Disposition::Unexpected => {
                PolicyStep::Failed(failure)
            }
        }
    }

    /// Reports that the attempt in flight got no answer.
    pub fn on_transport_error(self, random: u32) -> PolicyStep {
        self.retry(PolicyFailure::TransportError, false, None, random)
    }

    fn retry(
        self,
        failure: PolicyFailure,
        throttled: bool,
        retry_after_ms: Option<u64>,
        random: u32,
    ) -> PolicyStep {
        if self.attempt >= self.max_attempts {
            return PolicyStep::Failed(failure);
        }
        let wait_ms = self
            .config
            .retry_delay_ms(self.attempt, throttled, retry_after_ms, random);
        if wait_ms > self.wait_left_ms {
            return PolicyStep::Failed(failure);
        }
        PolicyStep::Retry {
            wait_ms,
            failure,
            next: PolicyRefresh {
                attempt: self.attempt.saturating_add(1),
                wait_left_ms: self.wait_left_ms - wait_ms,
                ..self
            },
        }
    }
}

/// The trusted clock of a policy answer, if `body` is one of this protocol: strict JSON of at most
/// [`POLICY_MAX_BYTES`], an object with `protocol: 1` and an integer `serverTime` from 0 to
/// 2^53 − 1, with the monotonic readings in order.
pub fn read_policy_answer(
    body: &str,
    sent_monotonic_ms: u64,
    received_monotonic_ms: u64,
) -> Option<TrustedClock> {
    let document = json::parse_within(body, POLICY_MAX_BYTES).ok()?;
    if document.get("protocol") != Some(&Value::Int(PROTOCOL_VERSION)) {
        return None;
    }
    match document.get("serverTime") {
        Some(Value::Int(ms)) => {
            TrustedClock::new(*ms, sent_monotonic_ms, received_monotonic_ms).ok()
        }
        _ => None,
    }
}
