//! Reading the server's answer: what a status code means for the queue (protocol v1, see
//! `docs/protocol.md`), the issues of a rejection, and `Retry-After`.
//!
//! # Sources
//! - **`rfc-9110`**: RFC 9110 (HTTP Semantics, 2022) §10.2.3
//!   `Retry-After = HTTP-date / delay-seconds`; §5.6.7 the three HTTP-date forms a recipient must
//!   accept: IMF-fixdate
//!   (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
//!   (`Sunday, 06-Nov-94 08:49:37 GMT`, a two-digit year more than 50 years ahead is in the past)
//!   and C's asctime (`Sun Nov  6 08:49:37 1994`). §15.5.9 408, §15.5.10 409, §15.6.4 503.
//! - **`rfc-6585`**: RFC 6585 §4: 429 Too Many Requests, optionally with `Retry-After`.
//!
//! A malformed `Retry-After` is ignored (the ordinary backoff applies), never an error.

// Integer-only RFC 8785 (same bytes; keeps float formatting out of the wasm module).
use crate::codec::jcs::canonicalize;
use crate::codec::json::{self, Value};
use crate::date::Date;

/// One step of a wire issue's path: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WirePath {
    /// A member of an object, by its key.
    Key(String),
    /// An item of an array, by its index from 0.
    Index(u64),
}

/// An issue as the server sends it: `{ "path": [...], "code": "...", "params": {...} }`. Unlike
/// [`crate::Issue`] its code is any string: the server may know codes this build does not
/// (`sync_consent_missing`, newer rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireIssue {
    /// Where in the request body the issue is, step by step (empty if the server sent none).
    pub path: Vec<WirePath>,
    /// The issue's code, 1 to 100 bytes (e.g. `id_checksum_mismatch`, `sync_consent_missing`).
    pub code: String,
    /// The params, in the server's order. Every value has a canonical JSON form (RFC 8785).
    pub params: Vec<(String, Value)>,
}

/// At most this many issues of one answer are kept (the queue is persisted, and its size bounded).
pub const MAX_ISSUES: usize = 20;
/// The issues kept of one answer take at most this many bytes of canonical JSON.
pub const MAX_ISSUES_BYTES: usize = 16 * 1024;
/// The longest issue code kept, in bytes.
const MAX_CODE_BYTES: usize = 100;

impl WireIssue {
    /// The issue as a JSON value (`path`, `code`, `params`).
    pub fn to_value(&self) -> Value {
        let path = self
            .path
            .iter()
            .map(|step| match step {
                WirePath::Key(key) => Value::String(key.clone()),
                WirePath::Index(i) => Value::Int(i64::try_from(*i).unwrap_or(i64::MAX)),
            })
            .collect();
        Value::Object(vec![
            ("path".into(), Value::Array(path)),
            ("code".into(), Value::String(self.code.clone())),
            ("params".into(), Value::Object(self.params.clone())),
        ])
    }

    /// Reads one issue; `None` if it is not one (no string `code`, a bad path step).
    pub fn from_value(value: &Value) -> Option<WireIssue> {
        let code = match value.get("code")? {
            Value::String(code) if !code.is_empty() && code.len() <= MAX_CODE_BYTES => code.clone(),
            _ => return None,
        };
        let path = match value.get("path") {
            None => Vec::new(),
            Some(Value::Array(steps)) => steps
                .iter()
                .map(|step| match step {
                    Value::String(key) => Some(WirePath::Key(key.clone())),
                    Value::Int(i) => u64::try_from(*i).ok().map(WirePath::Index),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
            Some(_) => return None,
        };
        let params = match value.get("params") {
            None | Some(Value::Null) => Vec::new(),
            // A param that is not a string, an integer or a list of them (e.g. 1.5, 1e999) is dropped,
            // not the issue: the module's params never have fractions.
            Some(Value::Object(members)) => members
                .iter()
                .filter(|(_, v)| canonicalize(v).is_some())
                .cloned()
                .collect(),
            Some(_) => return None,
        };
        Some(WireIssue { path, code, params })
    }
}

/// The issues of an error body `{ "issues": [...] }`: malformed issues are skipped, and at most
/// [`MAX_ISSUES`] (and [`MAX_ISSUES_BYTES`]) are kept. Empty if the body is not such a document.
pub fn parse_issues(body: &str) -> Vec<WireIssue> {
    let Ok(document) = json::parse(body) else {
        return Vec::new();
    };
    let Some(Value::Array(items)) = document.get("issues") else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    let mut bytes = 0usize;
    for issue in items.iter().filter_map(WireIssue::from_value) {
        let size = canonicalize(&issue.to_value()).map_or(usize::MAX, |text| text.len());
        if kept.len() >= MAX_ISSUES || bytes.saturating_add(size) > MAX_ISSUES_BYTES {
            break;
        }
        bytes += size;
        kept.push(issue);
    }
    kept
}

/// Why a request is tried again. The snake_case names are API (the `pending` event's `retry`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryReason {
    /// 408 Request Timeout.
    RequestTimeout,
    /// 409 with `sync_request_in_progress`: the first request with this key is still running.
    InProgress,
    /// 429 Too Many Requests.
    RateLimited,
    /// 503 Service Unavailable.
    Unavailable,
    /// Any other 5xx.
    ServerError,
    /// No answer: a network error, a timeout of the caller's, a dropped connection.
    TransportError,
    /// No answer within [`super::SyncConfig::request_timeout_ms`] (the caller never reported one).
    NoResponse,
    /// The request was in flight when the queue was saved; restored as pending.
    Restored,
}

impl RetryReason {
    /// Every reason, in a stable order.
    pub const ALL: [RetryReason; 8] = [
        RetryReason::RequestTimeout,
        RetryReason::InProgress,
        RetryReason::RateLimited,
        RetryReason::Unavailable,
        RetryReason::ServerError,
        RetryReason::TransportError,
        RetryReason::NoResponse,
        RetryReason::Restored,
    ];

    /// The reason's snake_case name (`request_timeout`, `in_progress`, `rate_limited`,
    /// `unavailable`, `server_error`, `transport_error`, `no_response`, `restored`).
    pub const fn as_str(self) -> &'static str {
        match self {
            RetryReason::RequestTimeout => "request_timeout",
            RetryReason::InProgress => "in_progress",
            RetryReason::RateLimited => "rate_limited",
            RetryReason::Unavailable => "unavailable",
            RetryReason::ServerError => "server_error",
            RetryReason::TransportError => "transport_error",
            RetryReason::NoResponse => "no_response",
            RetryReason::Restored => "restored",
        }
    }

    /// The reason named `name` (see [`RetryReason::as_str`]), if any.
    pub fn parse(name: &str) -> Option<RetryReason> {
        RetryReason::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == name)
    }

    /// The server said it is overloaded (429, 503): without `Retry-After`, the queue waits at
    /// least [`super::SyncConfig::throttle_floor_ms`].
    pub const fn is_throttle(self) -> bool {
        matches!(self, RetryReason::RateLimited | RetryReason::Unavailable)
    }
}

/// What an HTTP status means for a queued request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// 2xx: durably stored (or already stored: an idempotent replay).
    Stored,
    /// Try again later, with the same key and body.
    Retry(RetryReason),
    /// A 4xx other than 408, 409-in-progress and 429: the server refuses this content; retrying
    /// the same request cannot succeed. The issues may be empty (a body that was not an issue list).
    Rejected(Vec<WireIssue>),
    /// 1xx, 3xx or a status outside 100–599: not part of the protocol.
    Unexpected,
}

/// The code a 409 carries when the first request with the same key is still being processed.
pub const IN_PROGRESS_CODE: &str = "sync_request_in_progress";

/// Classifies an answer by its status (and, for 409, by its body).
pub fn classify(status: u16, body: &str) -> Disposition {
    match status {
        200..=299 => Disposition::Stored,
        408 => Disposition::Retry(RetryReason::RequestTimeout),
        409 => {
            let issues = parse_issues(body);
            // A 409 without an issue list is most likely the in-progress answer through a proxy
            // that replaced the body: retrying is safe (same key), giving up would lose data.
            if issues.is_empty() || issues.iter().any(|i| i.code == IN_PROGRESS_CODE) {
                Disposition::Retry(RetryReason::InProgress)
            } else {
                Disposition::Rejected(issues)
            }
        }
        429 => Disposition::Retry(RetryReason::RateLimited),
        503 => Disposition::Retry(RetryReason::Unavailable),
        500..=599 => Disposition::Retry(RetryReason::ServerError),
        400..=499 => Disposition::Rejected(parse_issues(body)),
        _ => Disposition::Unexpected,
    }
}

const MS_PER_SECOND: u64 = 1_000;

/// The wait a `Retry-After` value asks for, in milliseconds from `now_ms` (Unix milliseconds, the
/// server's clock if known: an HTTP-date is the server's time). A date in the past gives 0.
/// `None` for a malformed value, which the caller ignores.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // delay-seconds = 1*DIGIT; an absurdly long one saturates.
        let seconds = value.bytes().fold(0u64, |n, d| {
            n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
        });
        return Some(seconds.saturating_mul(MS_PER_SECOND));
    }
    let now_year = Date::from_days_since_epoch(i64::try_from(now_ms / 86_400_000).ok()?)
        .map_or(1970, Date::year);
    let at_seconds = parse_http_date(value, now_year)?;
    let at_ms = u64::try_from(at_seconds)
        .unwrap_or(0)
        .saturating_mul(MS_PER_SECOND);
    Some(at_ms.saturating_sub(now_ms))
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn number(text: &str, min_digits: usize, max_digits: usize) -> Option<u32> {
    if !(min_digits..=max_digits).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    text.parse().ok()
}

fn month(name: &str) -> Option<u32> {
    let index = MONTHS.iter().position(|m| *m == name)?;
    u32::try_from(index + 1).ok()
}

/// `HH:MM:SS` as seconds since midnight (a leap second 60 is accepted).
fn time_of_day(text: &str) -> Option<i64> {
    let mut parts = text.split(':');
    let (hour, minute, second) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (hour, minute, second) = (
        number(hour, 2, 2)?,
        number(minute, 2, 2)?,
        number(second, 2, 2)?,
    );
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(i64::from(hour * 3600 + minute * 60 + second))
}

fn unix_seconds(year: u32, month: u32, day: u32, seconds_of_day: i64) -> Option<i64> {
    let date = Date::new(year, month, day)?;
    Some(date.days_since_epoch() * 86_400 + seconds_of_day)
}

/// An HTTP-date (RFC 9110 §5.6.7, all three forms) as Unix seconds. The day name must be a day
/// name but is not checked against the date (rejecting a date a server sent is worse than using
/// it). `now_year` places an RFC 850 two-digit year.
pub fn parse_http_date(text: &str, now_year: u32) -> Option<i64> {
    let tokens: Vec<&str> = text.split(' ').filter(|t| !t.is_empty()).collect();
    match tokens.as_slice() {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        [day_name, day, month_name, year, time, "GMT"]
            if day_name
                .strip_suffix(',')
                .is_some_and(|d| DAY_NAMES.contains(&d)) =>
        {
            unix_seconds(
                number(year, 4, 4)?,
                month(month_name)?,
                number(day, 2, 2)?,
                time_of_day(time)?,
            )
        }
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        [day_name, date, time, "GMT"]
            if day_name
                .strip_suffix(',')
                .is_some_and(|d| LONG_DAY_NAMES.contains(&d)) =>
        {
            let mut parts = date.split('-');
            let (day, month_name, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            let two_digits = number(year, 2, 2)?;
            let mut year = now_year / 100 * 100 + two_digits;
            if year > now_year + 50 {
                year = year.checked_sub(100)?;
            } else if year + 100 <= now_year + 50 {
                year += 100;
            }
            unix_seconds(
                year,
                month(month_name)?,
                number(day, 2, 2)?,
                time_of_day(time)?,
            )
        }
        // asctime: Sun Nov  6 08:49:37 1994
        [day_name, month_name, day, time, year] if DAY_NAMES.contains(day_name) => unix_seconds(
            number(year, 4, 4)?,
            month(month_name)?,
            number(day, 1, 2)?,
            time_of_day(time)?,
        ),
        _ => None,
    }
}
