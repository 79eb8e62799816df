//! Proleptic Gregorian calendar dates, without a clock.
//!
//! The core never reads the time: callers pass the as-of date. [`Date::from_unix_millis_shanghai`]
//! turns a trusted instant into the date in Asia/Shanghai (UTC+8 all year; China has observed no
//! daylight saving time since 1991).
//!
//! # Sources
//! - **`iana-tz`**: the IANA Time Zone Database, zone `Asia/Shanghai`: UTC+8, with no daylight
//!   saving time after 1991.

use core::fmt;

/// A valid calendar date. Construction checks the day against the month and leap years, so an
/// existing `Date` is always real (no 30 February, no year 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Whether `year` is a leap year in the Gregorian calendar.
pub const fn is_leap_year(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in each month of a common year; index 0 is no month.
const DAYS_IN_MONTH: [u8; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Days in `month` (1–12) of `year`; 0 for a month out of range.
#[inline(always)]
pub const fn days_in_month(year: u32, month: u32) -> u32 {
    if month == 2 && is_leap_year(year) {
        return 29;
    }
    let index = month as usize;
    if index < DAYS_IN_MONTH.len() {
        #[allow(clippy::indexing_slicing)] // bounds checked on the line above
        let days = DAYS_IN_MONTH[index];
        days as u32
    } else {
        0
    }
}

impl Date {
    /// Years 1–9999 only; `None` for anything that is not a real date.
    pub const fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        if year == 0 || year > 9999 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// A date from parts the caller has already checked to be real (crate-internal fast path).
    #[inline(always)]
    pub(crate) const fn from_checked_parts(year: u32, month: u32, day: u32) -> Date {
        Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        }
    }

    /// The year (1 to 9999).
    pub const fn year(self) -> u32 {
        self.year as u32
    }
    /// The month, 1 to 12.
    pub const fn month(self) -> u32 {
        self.month as u32
    }
    /// The day of the month, 1 to 31.
    pub const fn day(self) -> u32 {
        self.day as u32
    }

    /// `YYYYMMDD` as one integer: orders like the date, and is cheap to compare in hot loops.
    pub const fn ymd(self) -> u32 {
        self.year as u32 * 10_000 + self.month as u32 * 100 + self.day as u32
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits).
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let year = digits(b.get(0..4)?)?;
        let month = digits(b.get(5..7)?)?;
        let day = digits(b.get(8..10)?)?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date for a day count since 1970-01-01; `None` outside years 1–9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            u32::try_from(year).ok()?,
            u32::try_from(month).ok()?,
            u32::try_from(day).ok()?,
        )
    }

    /// The calendar date in Asia/Shanghai (UTC+8) at a Unix time in milliseconds.
    pub fn from_unix_millis_shanghai(millis: f64) -> Option<Date> {
        if !millis.is_finite() {
            return None;
        }
        const MS_PER_DAY: f64 = 86_400_000.0;
        const SHANGHAI_OFFSET_MS: f64 = 8.0 * 3_600_000.0;
        let days = ((millis + SHANGHAI_OFFSET_MS) / MS_PER_DAY).floor();
        if !(-1.0e7..=1.0e7).contains(&days) {
            return None;
        }
        Date::from_days_since_epoch(days as i64)
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut value = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(c - b'0');
    }
    Some(value)
}

impl Date {
    /// `YYYY-MM-DD` as ASCII bytes, without the formatting machinery (a result's birth date is
    /// written once per check). `None` past year 9999, which [`Date::new`] never makes.
    pub const fn iso_bytes(self) -> Option<[u8; 10]> {
        let (y, m, d) = (self.year as u32, self.month as u32, self.day as u32);
        if y > 9999 || m > 99 || d > 99 {
            return None;
        }
        Some([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }
}

/// The last decimal digit of `n`, as ASCII.
const fn digit(n: u32) -> u8 {
    b'0' + (n % 10) as u8
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.iso_bytes() {
            Some(bytes) => f.pad(core::str::from_utf8(&bytes).unwrap_or_default()),
            None => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_text_without_fmt_matches_fmt() {
        for year in [1, 9, 10, 99, 100, 999, 1000, 1949, 1988, 2000, 2024, 9999] {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let date = Date::new(year, month, day).unwrap_or_else(|| unreachable!());
                    let expected = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(date.to_string(), expected);
                    assert_eq!(format!("[{date:>12}]"), format!("[{expected:>12}]"));
                }
            }
        }
    }

    #[test]
    fn rejects_unreal_dates() {
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(0, 1, 1).is_none());
        assert!(Date::new(2020, 13, 1).is_none());
        assert!(Date::new(2020, 4, 31).is_none());
    }

    #[test]
    fn parses_iso() {
        assert_eq!(Date::parse_iso("2026-11-28"), Date::new(2026, 11, 28));
        assert!(Date::parse_iso("2026-11-2").is_none());
        assert!(Date::parse_iso("2026/11/28").is_none());
        assert!(Date::parse_iso("2026-02-30").is_none());
        assert!(Date::parse_iso("２026-11-28").is_none());
    }

    #[test]
    fn epoch_round_trip() {
        for days in [-700_000i64, -1, 0, 1, 19_000, 20_000, 2_900_000] {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days);
        }
        assert_eq!(Date::from_days_since_epoch(0), Date::new(1970, 1, 1));
    }

    #[test]
    fn shanghai_day_boundary() {
        // 2026-11-28T16:00:00Z is midnight in Shanghai on the 29th.
        let ms = (Date::new(2026, 11, 28).unwrap().days_since_epoch() as f64) * 86_400_000.0;
        assert_eq!(
            Date::from_unix_millis_shanghai(ms + 15.9 * 3_600_000.0),
            Date::new(2026, 11, 28)
        );
        assert_eq!(
            Date::from_unix_millis_shanghai(ms + 16.0 * 3_600_000.0),
            Date::new(2026, 11, 29)
        );
        assert!(Date::from_unix_millis_shanghai(f64::NAN).is_none());
    }
}
