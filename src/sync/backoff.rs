//! The retry schedule: capped exponential backoff with **full jitter**.
//!
//! After the n-th failed attempt (n ≥ 1) the next one waits
//!
//! ```text
//! ceiling(n) = min(cap, base × 2^(n−1))
//! delay(n)   = ⌊ceiling(n) × r / 2^32⌋        r: a uniformly random u32 from the caller
//! ```
//!
//! so the delay is uniform in `[0, ceiling(n))`. With the defaults (base 1 s, cap 5 min) the
//! ceilings are 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, … seconds.
//!
//! # Why full jitter (and not decorrelated jitter)
//! Both come from Marc Brooker's study of contending clients ("Exponential Backoff And Jitter",
//! AWS Architecture Blog, 2015): both spread a crowd of clients that failed together (a backend
//! restart, a 503 storm after a deploy), and full jitter sent the server the fewest calls.
//! Decorrelated jitter (`min(cap, random(base, previous × 3))`) finishes a little sooner but its
//! next delay depends on the previous *random* delay, which would have to be persisted with the
//! queue and makes each value depend on the whole history. Full jitter depends only on the attempt
//! count, which the queue persists anyway: after a page reload the schedule continues exactly, and
//! a test can state every value from a fixed `r`.
//!
//! The rare delay near 0 that full jitter gives is harmless: the server's answer to a retry of a
//! stored request is the replay of its first answer (the request is idempotent by key).
//!
//! The server's `Retry-After` and the floor for throttling answers are applied on top of this by
//! the queue ([`super::SyncConfig`]): both are lower bounds, never shortening the delay.

/// Base and cap of the exponential schedule, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The first ceiling (after the first failed attempt).
    pub base_ms: u64,
    /// No ceiling exceeds this.
    pub cap_ms: u64,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            base_ms: 1_000,
            cap_ms: 300_000,
        }
    }
}

impl Backoff {
    /// `min(cap, base × 2^(attempt−1))`; attempt 0 counts as 1. Saturates instead of overflowing.
    pub fn ceiling_ms(&self, attempt: u32) -> u64 {
        let doublings = attempt.saturating_sub(1);
        let grown = if doublings >= 64 {
            u64::MAX
        } else {
            self.base_ms.saturating_mul(1u64 << doublings)
        };
        grown.min(self.cap_ms)
    }

    /// The full-jitter delay after the `attempt`-th failure: uniform in `[0, ceiling)`, picked by
    /// `random` (a uniformly random `u32` from the caller).
    pub fn delay_ms(&self, attempt: u32, random: u32) -> u64 {
        let scaled = (u128::from(self.ceiling_ms(attempt)) * u128::from(random)) >> 32;
        u64::try_from(scaled).unwrap_or(u64::MAX)
    }
}
