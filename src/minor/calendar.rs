//! The holiday calendar: statutory holidays **and adjusted working days** (调休上班), per year.
//!
//! NPPA 2021 (国新出发〔2021〕14号) allows minors to play on Fridays, Saturdays, Sundays and
//! statutory holidays (法定节假日). The days off and the adjusted working days are set each year by a
//! notice of the General Office of the State Council (国务院办公厅关于 YYYY 年部分节假日安排的通知),
//! so they come from data, never from the day of the week: an adjusted working Saturday is not a
//! play day, and a holiday on a Tuesday is.
//!
//! A year the calendar does not cover falls back to the days of the week, and the evaluation
//! says so with the warning `calendar_year_missing` (never a silent guess).

use crate::date::Date;

/// One year's official schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarYear {
    /// The year the schedule is for (1949 to 9999 in a policy).
    pub year: u32,
    /// The key of the notice in the policy's `sources`.
    pub source: String,
    /// Days off, as inclusive ranges.
    pub holidays: Vec<(Date, Date)>,
    /// Adjusted working days (weekend days that are working days).
    pub workdays: Vec<Date>,
}

/// What the calendar says of one date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// A day off of a holiday period.
    Holiday,
    /// A weekend day made a working day.
    AdjustedWorkday,
    /// A covered year's ordinary day (the weekday decides).
    Regular,
    /// The year is not in the calendar: the weekday decides, with a warning.
    YearMissing,
}

/// The years of schedules a policy carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// One schedule per year, in the policy's order (no year twice).
    pub years: Vec<CalendarYear>,
}

impl Calendar {
    /// The schedule of `year`, if the calendar has it.
    pub fn year(&self, year: u32) -> Option<&CalendarYear> {
        self.years.iter().find(|y| y.year == year)
    }

    /// What the calendar says of `date`.
    pub fn day(&self, date: Date) -> DayKind {
        let Some(year) = self.year(date.year()) else {
            return DayKind::YearMissing;
        };
        if year
            .holidays
            .iter()
            .any(|(first, last)| *first <= date && date <= *last)
        {
            DayKind::Holiday
        } else if year.workdays.contains(&date) {
            DayKind::AdjustedWorkday
        } else {
            DayKind::Regular
        }
    }
}
