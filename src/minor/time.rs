//! Instants as local time in Asia/Shanghai (UTC+8 all year; no daylight saving time since 1991).
//!
//! The core reads no clock: "now" comes in as Unix milliseconds or as an ISO 8601 / RFC 3339
//! date-time **with an explicit offset** (`2026-11-27T20:00:00+08:00`, `2026-11-27T12:00:00Z`;
//! seconds and fractions optional; a fraction is truncated to the second). A date-time without an
//! offset is refused: it would silently depend on the reader's time zone.

use crate::date::Date;

const SECONDS_PER_DAY: i64 = 86_400;
const SHANGHAI_OFFSET_SECONDS: i64 = 8 * 3600;

/// A second of local time in Asia/Shanghai.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime {
    /// The local date in Asia/Shanghai.
    pub date: Date,
    /// Seconds since local midnight, 0..86_400.
    pub second: u32,
}

impl LocalTime {
    /// From seconds since the Unix epoch; `None` outside years 1–9999.
    pub fn from_unix_seconds(seconds: i64) -> Option<LocalTime> {
        let local = seconds.checked_add(SHANGHAI_OFFSET_SECONDS)?;
        let date = Date::from_days_since_epoch(local.div_euclid(SECONDS_PER_DAY))?;
        let second = u32::try_from(local.rem_euclid(SECONDS_PER_DAY)).ok()?;
        Some(LocalTime { date, second })
    }

    /// From Unix milliseconds (a fraction of a second is truncated towards the past).
    pub fn from_unix_millis(millis: i64) -> Option<LocalTime> {
        LocalTime::from_unix_seconds(millis.div_euclid(1000))
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.date.days_since_epoch() * SECONDS_PER_DAY + i64::from(self.second)
            - SHANGHAI_OFFSET_SECONDS
    }

    /// Midnight (local) of a date, plus `second`.
    pub const fn at(date: Date, second: u32) -> LocalTime {
        LocalTime { date, second }
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or `±HH:MM` (`t`/`z` and a
    /// space for `T` are accepted, as RFC 3339 allows).
    pub fn parse_iso(text: &str) -> Option<LocalTime> {
        let b = text.as_bytes();
        let date = Date::parse_iso(text.get(..10)?)?;
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
            return None;
        }
        let hour = two(b, 11)?;
        let minute = two(b, 14)?;
        let mut at = 16;
        let mut second = 0;
        if b.get(at) == Some(&b':') {
            second = two(b, at + 1)?;
            at += 3;
            if b.get(at) == Some(&b'.') {
                at += 1;
                let start = at;
                while b.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
                if at == start {
                    return None;
                }
            }
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let offset = match b.get(at..)? {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let hours = two(&[*h1, *h2], 0)?;
                let minutes = two(&[*m1, *m2], 0)?;
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let magnitude = i64::from(hours * 3600 + minutes * 60);
                if *sign == b'-' {
                    -magnitude
                } else {
                    magnitude
                }
            }
            _ => return None,
        };
        let wall = date.days_since_epoch() * SECONDS_PER_DAY
            + i64::from(hour * 3600 + minute * 60 + second);
        LocalTime::from_unix_seconds(wall - offset)
    }

    /// `YYYY-MM-DDTHH:MM:SS+08:00`.
    pub fn to_iso(self) -> String {
        let (h, m, s) = (self.second / 3600, self.second / 60 % 60, self.second % 60);
        format!("{}T{h:02}:{m:02}:{s:02}+08:00", self.date)
    }
}

fn two(b: &[u8], at: usize) -> Option<u32> {
    match (b.get(at), b.get(at + 1)) {
        (Some(t @ b'0'..=b'9'), Some(u @ b'0'..=b'9')) => {
            Some(u32::from(t - b'0') * 10 + u32::from(u - b'0'))
        }
        _ => None,
    }
}

/// ISO weekday of a date: 1 = Monday … 7 = Sunday.
pub fn weekday(date: Date) -> u32 {
    // 1970-01-01 was a Thursday.
    (date.days_since_epoch() + 3).rem_euclid(7) as u32 + 1
}

/// A time of day in seconds since midnight as `HH:MM` (the form of the policy and of a guardian's
/// night-time); seconds are dropped.
pub fn time_of_day(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_converts() {
        let t = LocalTime::parse_iso("2026-11-27T12:00:00Z").unwrap();
        assert_eq!(t.to_iso(), "2026-11-27T20:00:00+08:00");
        assert_eq!(LocalTime::parse_iso("2026-11-27T20:00+08:00"), Some(t));
        assert_eq!(
            LocalTime::parse_iso("2026-11-27 07:00:00.999-05:00"),
            Some(t)
        );
        assert_eq!(LocalTime::from_unix_seconds(t.unix_seconds()), Some(t));
        assert_eq!(
            LocalTime::from_unix_millis(t.unix_seconds() * 1000 + 999),
            Some(t)
        );
        for bad in [
            "2026-11-27T20:00:00",
            "2026-11-27T24:00:00Z",
            "2026-11-27T20:00:60Z",
            "2026-11-27T20:00:00.Z",
            "2026-11-27T20:00:00+8:00",
            "2026-02-30T20:00:00Z",
            "2026-11-27",
            "中",
            "2026-11-27T20:00:00+08:00x",
        ] {
            assert!(LocalTime::parse_iso(bad).is_none(), "{bad}");
        }
        assert_eq!(weekday(Date::new(2026, 11, 27).unwrap()), 5);
        assert_eq!(weekday(Date::new(1970, 1, 1).unwrap()), 4);
    }
}
