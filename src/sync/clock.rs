//! The trusted clock: the server's time, carried forward by the caller's monotonic clock.
//!
//! A device's wall clock can be anything (set by hand, five years off, changed while the page is
//! open): computing an age from it would let anyone become an adult by changing a setting. The
//! server's `serverTime` (milliseconds since the Unix epoch, in the `GET /policy` answer) is read
//! once, together with the caller's **monotonic** clock (`performance.now()` in a browser,
//! `Instant` natively), which no one can set and which never jumps. From then on
//!
//! ```text
//! trusted_now = serverTime + rtt / 2 + (monotonic_now − monotonic_at_receipt)
//! ```
//!
//! where `rtt = monotonic_at_receipt − monotonic_at_send`: the server wrote its time somewhere
//! during the round trip, on average at its middle (Cristian's algorithm, 1989), so the error is at
//! most `rtt / 2` ([`TrustedClock::uncertainty_ms`]). The device's wall clock is never read.
//!
//! A monotonic clock restarts on a page reload: a new page reads `/policy` again.

use crate::codec::json::{self, Value};
use crate::date::Date;
use crate::minor::LocalTime;

/// The largest time accepted (2^53 − 1 ms, exact in JavaScript).
const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// Why a policy answer gives no clock. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockError {
    /// The body is not JSON (or larger than 256 KB).
    InvalidJson,
    /// No `serverTime`, or not an integer from 0 to 2^53 − 1.
    ServerTimeInvalid,
    /// The answer was received before it was sent (the monotonic readings are swapped).
    MonotonicOrder,
}

impl ClockError {
    /// The error's snake_case name: `invalid_json`, `server_time_invalid` or `monotonic_order`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ClockError::InvalidJson => "invalid_json",
            ClockError::ServerTimeInvalid => "server_time_invalid",
            ClockError::MonotonicOrder => "monotonic_order",
        }
    }
}

/// The server's time, anchored to a reading of the caller's monotonic clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedClock {
    /// The estimated server time (Unix ms) at `anchor_monotonic_ms`.
    anchor_server_ms: i64,
    anchor_monotonic_ms: u64,
    uncertainty_ms: u64,
}

impl TrustedClock {
    /// From the server's time and the monotonic readings just before sending the request and
    /// just after receiving its answer.
    pub fn new(
        server_time_ms: i64,
        sent_monotonic_ms: u64,
        received_monotonic_ms: u64,
    ) -> Result<TrustedClock, ClockError> {
        if !(0..=MAX_SAFE).contains(&server_time_ms) {
            return Err(ClockError::ServerTimeInvalid);
        }
        let rtt = received_monotonic_ms
            .checked_sub(sent_monotonic_ms)
            .ok_or(ClockError::MonotonicOrder)?;
        let half = rtt / 2;
        Ok(TrustedClock {
            anchor_server_ms: server_time_ms.saturating_add(i64::try_from(half).unwrap_or(0)),
            anchor_monotonic_ms: received_monotonic_ms,
            uncertainty_ms: half,
        })
    }

    /// From the body of `GET {base}/policy` (its `serverTime`), as [`TrustedClock::new`].
    ///
    /// The crate's JSON parser reads at most 256 KB here: for a whole policy answer, which may be
    /// longer, use [`super::read_policy_answer`] (or [`super::PolicyRefresh`]).
    pub fn from_policy_response(
        body: &str,
        sent_monotonic_ms: u64,
        received_monotonic_ms: u64,
    ) -> Result<TrustedClock, ClockError> {
        let document = json::parse(body).map_err(|_| ClockError::InvalidJson)?;
        match document.get("serverTime") {
            Some(Value::Int(ms)) => {
                TrustedClock::new(*ms, sent_monotonic_ms, received_monotonic_ms)
            }
            _ => Err(ClockError::ServerTimeInvalid),
        }
    }

    /// The trusted time (Unix ms) at a monotonic reading. A reading before the anchor (a caller
    /// error) counts backwards from it.
    pub fn now_ms(&self, monotonic_ms: u64) -> i64 {
        let elapsed = i128::from(monotonic_ms) - i128::from(self.anchor_monotonic_ms);
        let now = i128::from(self.anchor_server_ms) + elapsed;
        i64::try_from(now.clamp(0, i128::from(MAX_SAFE))).unwrap_or(0)
    }

    /// [`TrustedClock::now_ms`] as the queue takes it (never negative).
    pub fn now_ms_unsigned(&self, monotonic_ms: u64) -> u64 {
        u64::try_from(self.now_ms(monotonic_ms)).unwrap_or(0)
    }

    /// The most the estimate can be off by: half the round trip of the policy request.
    pub const fn uncertainty_ms(&self) -> u64 {
        self.uncertainty_ms
    }

    /// The local time in Asia/Shanghai (for the minors' play windows).
    pub fn local_time(&self, monotonic_ms: u64) -> Option<LocalTime> {
        LocalTime::from_unix_millis(self.now_ms(monotonic_ms))
    }

    /// Today's date in Asia/Shanghai: the `asOf` of ages and of the registration check.
    pub fn today(&self, monotonic_ms: u64) -> Option<Date> {
        self.local_time(monotonic_ms).map(|local| local.date)
    }

    /// How far ahead of the trusted time the device's wall clock is (negative: behind), so the
    /// page can warn about a wrong device clock. Informative only: nothing is computed from it.
    pub fn device_skew_ms(&self, device_wall_ms: i64, monotonic_ms: u64) -> i64 {
        device_wall_ms.saturating_sub(self.now_ms(monotonic_ms))
    }
}
