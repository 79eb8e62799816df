//! Bounds under abuse: a per-client rate limit on writes, and the `Host` allow-list.
//!
//! - **Writes** (POST, DELETE) are limited per client IP address by a token bucket: `rate` per
//!   second, `burst` at once. Over the limit: 429 `sync_rate_limited` with `Retry-After`. The
//!   table of buckets is bounded: when it is full, buckets that have refilled (idle clients) are
//!   dropped first, and a client that still finds no room is refused like an over-limit one.
//! - **Host**: a request whose `Host` is not one the server answers for gets 421
//!   `sync_host_not_allowed` (a DNS-rebinding page reaches a local server under its own name).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::Response;

use crate::api::ClientAddr;

/// The most client addresses tracked at once.
const MAX_CLIENTS: usize = 65_536;

pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    /// `rate` per second, `burst` at once; a rate of 0 turns the limit off.
    pub fn new(rate: f64, burst: f64) -> RateLimiter {
        RateLimiter {
            rate,
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for the request's client; `Some(429 answer)` when there is none.
    pub fn check(&self, request: &Request) -> Option<Response> {
        if self.rate <= 0.0 {
            return None;
        }
        let ip = request.extensions().get::<ClientAddr>().map(|c| c.0.ip())?;
        let wait = self.take(ip, Instant::now())?;
        let mut response = crate::api::issue_response_pub(429, "sync_rate_limited");
        let seconds = wait.ceil().max(1.0);
        if let Ok(value) = HeaderValue::from_str(&format!("{seconds:.0}")) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        Some(response)
    }

    /// Takes one token for `client` (a request's [`ClientAddr`]): `None`, or the whole seconds (at
    /// least 1) until one is available.
    pub fn wait(&self, client: Option<ClientAddr>) -> Option<u64> {
        if self.rate <= 0.0 {
            return None;
        }
        let ip = client?.0.ip();
        let wait = self.take(ip, Instant::now())?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        // a positive wait, in seconds
        Some(wait.ceil().max(1.0) as u64)
    }

    /// `None` when a token was taken, else the seconds until one is available.
    fn take(&self, ip: IpAddr, now: Instant) -> Option<f64> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !buckets.contains_key(&ip) && buckets.len() >= MAX_CLIENTS {
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
            if buckets.len() >= MAX_CLIENTS {
                return Some(1.0);
            }
        }
        let (tokens, at) = buckets.entry(ip).or_insert((self.burst, now));
        let refilled =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            None
        } else {
            *tokens = refilled;
            Some((1.0 - refilled) / self.rate)
        }
    }
}

/// The hosts the server answers for.
pub struct HostAllowList {
    /// `name` (lower case) and `Some(port)`, or `None`: any port.
    entries: Vec<(String, Option<u16>)>,
}

impl HostAllowList {
    /// The listen address and the loopback names on `port`, plus `extra` (`name` or `name:port`).
    pub fn new(listen_host: &str, port: u16, extra: &[String]) -> HostAllowList {
        let mut entries = Vec::new();
        for name in ["127.0.0.1", "localhost", "[::1]", listen_host] {
            entries.push((normalise(name), Some(port)));
        }
        for item in extra.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let (name, port) = split_host(item);
            entries.push((normalise(name), port));
        }
        HostAllowList { entries }
    }

    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else {
            return false;
        };
        let (name, port) = split_host(host);
        let name = normalise(name);
        self.entries.iter().any(|(n, p)| {
            *n == name && (p.is_none() || *p == port || (port.is_none() && *p == Some(80)))
        })
    }
}

fn normalise(name: &str) -> String {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.contains(':') && !name.starts_with('[') {
        format!("[{name}]")
    } else {
        name
    }
}

/// `name[:port]`, with IPv6 literals in brackets.
fn split_host(host: &str) -> (&str, Option<u16>) {
    if let Some(rest) = host.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            let name_end = end + 2;
            let name = host.get(..name_end).unwrap_or(host);
            let port = host
                .get(name_end..)
                .and_then(|p| p.strip_prefix(':'))
                .and_then(|p| p.parse().ok());
            return (name, port);
        }
        return (host, None);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => match port.parse() {
            Ok(port) => (name, Some(port)),
            Err(_) => (host, None),
        },
        _ => (host, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn hosts() {
        let list = HostAllowList::new(
            "0.0.0.0",
            8080,
            &["shop.example".into(), "api.example:8443".into()],
        );
        assert!(list.allows(Some("127.0.0.1:8080")));
        assert!(list.allows(Some("localhost:8080")));
        assert!(list.allows(Some("LOCALHOST:8080")));
        assert!(list.allows(Some("[::1]:8080")));
        assert!(list.allows(Some("shop.example")));
        assert!(list.allows(Some("shop.example:1234")));
        assert!(list.allows(Some("api.example:8443")));
        assert!(!list.allows(Some("api.example:8444")));
        assert!(!list.allows(Some("localhost:8081")));
        assert!(!list.allows(Some("evil.example:8080")));
        assert!(!list.allows(Some("127.0.0.1.evil.example:8080")));
        assert!(!list.allows(None));
    }

    #[test]
    fn token_bucket() {
        let limiter = RateLimiter::new(10.0, 3.0);
        let ip: IpAddr = [127, 0, 0, 1].into();
        let t0 = Instant::now();
        assert_eq!(limiter.take(ip, t0), None);
        assert_eq!(limiter.take(ip, t0), None);
        assert_eq!(limiter.take(ip, t0), None);
        let wait = limiter.take(ip, t0).unwrap_or(0.0);
        assert!((wait - 0.1).abs() < 1e-9, "{wait}");
        assert_eq!(limiter.take(ip, t0 + Duration::from_millis(150)), None);
        // Another client has its own bucket.
        assert_eq!(limiter.take([10, 0, 0, 1].into(), t0), None);
    }
}
