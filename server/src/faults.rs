//! Fault injection, for the tests of clients: the failures a sync client must survive, on purpose
//! and reproducibly. Off unless a `--fault-*` flag is given.
//!
//! Four faults, each with its own rate (a fraction of API requests) and its own random stream, so
//! that switching one on never shifts the draws of another:
//!
//! - `fail`: answer 500 or 503 before doing anything (nothing is read or stored);
//! - `throttle`: answer 429 with `Retry-After` before doing anything;
//! - `delay`: wait after the idempotency key is claimed, before processing (so that a second
//!   request with the same key meanwhile sees 409 `sync_request_in_progress`);
//! - `drop`: process and store the request, then close the connection instead of answering: the
//!   client sees a network error although the record is durably stored (the case idempotency keys
//!   exist for).
//!
//! Every draw comes from a seeded PRNG (mulberry32, as the former Node backend): the same seed and
//! the same request order give the same faults. With `--fault-control`, the admin may change the
//! rates while the server runs (`PUT {base}/_faults`), for tests that switch faults off midway.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The configuration of the faults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultConfig {
    pub seed: u32,
    pub fail_rate: f64,
    /// 500 and/or 503.
    pub fail_statuses: Vec<u16>,
    pub throttle_rate: f64,
    /// Seconds.
    pub retry_after: u64,
    pub delay_rate: f64,
    pub delay_ms: u64,
    pub drop_rate: f64,
    /// Days the server's clock is shifted by (only at run time, through `PUT /_faults`, so only
    /// with `--fault-control`): how a test sees an account registered by a 13-year-old audited a
    /// year later. Never a start flag.
    #[serde(default)]
    pub clock_offset_days: i64,
}

impl Default for FaultConfig {
    fn default() -> FaultConfig {
        FaultConfig {
            seed: 1,
            fail_rate: 0.0,
            fail_statuses: vec![500, 503],
            throttle_rate: 0.0,
            retry_after: 1,
            delay_rate: 0.0,
            delay_ms: 250,
            drop_rate: 0.0,
            clock_offset_days: 0,
        }
    }
}

impl FaultConfig {
    pub fn validate(&self) -> Result<(), String> {
        for (name, rate) in [
            ("fail", self.fail_rate),
            ("429", self.throttle_rate),
            ("delay", self.delay_rate),
            ("drop", self.drop_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("--fault-{name}: a rate is a fraction from 0 to 1"));
            }
        }
        if self.clock_offset_days.abs() > 36_500 {
            return Err("clockOffsetDays: at most 36,500 days either way".into());
        }
        if self.fail_statuses.is_empty()
            || self.fail_statuses.iter().any(|s| *s != 500 && *s != 503)
        {
            return Err("--fault-fail-status: a list of 500 and/or 503".into());
        }
        Ok(())
    }

    pub fn enabled(&self) -> bool {
        self.fail_rate > 0.0
            || self.throttle_rate > 0.0
            || self.delay_rate > 0.0
            || self.drop_rate > 0.0
    }
}

/// Reads a rate: a fraction `0.25` or a percentage `25%`.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let rate = match text.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
        None => text.parse::<f64>(),
    }
    .map_err(|_| format!("{text:?} is not a rate (0.1 or 10%)"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!(
            "{text:?} is not a rate from 0 to 1 (or 0% to 100%)"
        ))
    }
}

struct Mulberry32(u32);

impl Mulberry32 {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }
}

struct State {
    config: FaultConfig,
    fail: Mulberry32,
    throttle: Mulberry32,
    delay: Mulberry32,
    drop: Mulberry32,
    status: Mulberry32,
}

/// The fault injector; cheap when every rate is 0.
pub struct Faults {
    state: Mutex<State>,
}

fn streams(config: FaultConfig) -> State {
    let stream = |salt: u32| Mulberry32(config.seed ^ salt.wrapping_mul(0x9e37_79b1));
    State {
        fail: stream(1),
        throttle: stream(2),
        delay: stream(3),
        drop: stream(4),
        status: stream(5),
        config,
    }
}

impl Faults {
    pub fn new(config: FaultConfig) -> Faults {
        Faults {
            state: Mutex::new(streams(config)),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut guard = match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    pub fn config(&self) -> FaultConfig {
        self.with(|s| s.config.clone())
    }

    /// Replaces the configuration (the streams restart from the seed).
    pub fn set(&self, config: FaultConfig) {
        self.with(|s| *s = streams(config));
    }

    /// 429 before anything: the `Retry-After` seconds.
    pub fn throttle(&self) -> Option<u64> {
        self.with(|s| {
            (s.config.throttle_rate > 0.0 && s.throttle.next() < s.config.throttle_rate)
                .then_some(s.config.retry_after)
        })
    }

    /// 500/503 before anything.
    pub fn fail(&self) -> Option<u16> {
        self.with(|s| {
            if !(s.config.fail_rate > 0.0 && s.fail.next() < s.config.fail_rate) {
                return None;
            }
            let statuses = &s.config.fail_statuses;
            // A draw in [0, 1) times the length: an index below it.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let index = (s.status.next() * statuses.len() as f64) as usize;
            statuses.get(index).or(statuses.first()).copied()
        })
    }

    /// Milliseconds to wait before processing (0: none).
    pub fn delay(&self) -> u64 {
        self.with(|s| {
            if s.config.delay_rate > 0.0 && s.delay.next() < s.config.delay_rate {
                s.config.delay_ms
            } else {
                0
            }
        })
    }

    /// Whether to close the connection instead of answering, after the work is done.
    pub fn drop_answer(&self) -> bool {
        self.with(|s| s.config.drop_rate > 0.0 && s.drop.next() < s.config.drop_rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mulberry32_matches_the_reference() {
        // mulberry32(1) in JavaScript: 0.6270739405881613, 0.002735721180215478, 0.5274470399599522.
        let mut r = Mulberry32(1);
        let got = [r.next(), r.next(), r.next()];
        let want = [
            0.627_073_940_588_161_3,
            0.002_735_721_180_215_478,
            0.527_447_039_959_952_2,
        ];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_faults_and_streams_are_independent() {
        let config = FaultConfig {
            seed: 7,
            fail_rate: 0.3,
            drop_rate: 0.2,
            ..FaultConfig::default()
        };
        let a = Faults::new(config.clone());
        let b = Faults::new(config.clone());
        let fa: Vec<_> = (0..200).map(|_| a.fail()).collect();
        let fb: Vec<_> = (0..200).map(|_| b.fail()).collect();
        assert_eq!(fa, fb);
        let hits = fa.iter().filter(|f| f.is_some()).count();
        assert!((30..90).contains(&hits), "{hits}");
        // Drawing drops in between does not change the fail stream.
        let c = Faults::new(config);
        let fc: Vec<_> = (0..200)
            .map(|_| {
                let _ = c.drop_answer();
                c.fail()
            })
            .collect();
        assert_eq!(fa, fc);
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("10%"), Ok(0.1));
        assert_eq!(parse_rate("0.25"), Ok(0.25));
        assert!(parse_rate("2").is_err());
        assert!(parse_rate("x").is_err());
    }
}
