//! Evaluating a policy for one person, one activity, at one instant.
//!
//! - **Adults** (18 and over) are always allowed, with code `adult`.
//! - **Guests** (identity not verified): refused with `guest_mode_not_allowed` when the policy's
//!   `guestMode.allowed` is false (NPPA 2021); when guests are allowed they are held to the rules
//!   of the youngest age, since their age is unknown.
//! - **Payments** (NPPA 2019): refused over the per-payment cap or when the month's total would
//!   exceed the monthly cap (exactly at the cap is allowed). `remaining` is the most that may be
//!   paid in one payment now, in fen.
//! - **Play** (NPPA 2021): allowed inside a window on a play day (a listed weekday, or a holiday of
//!   the calendar; an adjusted working day is not one), and while the day's play time lasts.
//!   `remaining` is the seconds left; a refusal gives `nextAllowedAt`, the start of the next
//!   window, found through the holiday calendar (up to 400 days ahead).
//! - **Sessions** in minor mode (CAC 2024): refused in the curfew and once the daily limit is
//!   used; after `restReminder.afterSeconds` of continuous use the result is allowed with code
//!   `minor_rest_reminder`. `remaining` is the seconds left before a limit or the curfew.
//!
//! Every refusal names its rule (`rule`) and the rule's source (the citation of the policy's
//! `sources` entry). A date in a year the calendar lacks gives the warning
//! `calendar_year_missing` and the weekday rule decides.

use super::age_band::AgeBand;
use super::calendar::DayKind;
use super::policy::{Ages, PlayRule, Policy};
use super::time::{weekday, LocalTime};
use crate::age::age_on;
use crate::date::Date;
use crate::i18n::Locale;
use crate::issue::{Code, Issue, ParamValue};

/// Whom the evaluation is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A verified birth date: the age is computed on the local date of `now`.
    BirthDate(Date),
    /// A verified age in full years.
    Age(u32),
    /// A user whose identity is not verified.
    Guest,
}

/// What the person wants to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    Payment {
        amount_fen: u64,
        spent_this_month_fen: u64,
    },
    Play {
        used_today_seconds: u64,
    },
    Session {
        used_today_seconds: u64,
        continuous_seconds: u64,
    },
}

/// The policy rule a result comes from. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Payment,
    Play,
    GuestMode,
    DailyLimit,
    Curfew,
    RestReminder,
}

impl Rule {
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::Payment => "payment",
            Rule::Play => "play",
            Rule::GuestMode => "guest_mode",
            Rule::DailyLimit => "daily_limit",
            Rule::Curfew => "curfew",
            Rule::RestReminder => "rest_reminder",
        }
    }
}

/// The outcome of [`evaluate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub allowed: bool,
    pub code: Code,
    pub params: Vec<(&'static str, ParamValue)>,
    pub rule: Option<Rule>,
    /// The citation of the rule's source.
    pub source: Option<String>,
    pub next_allowed_at: Option<LocalTime>,
    /// Fen (payments) or seconds (play, sessions) still allowed.
    pub remaining: Option<u64>,
    /// The age band (`None` for a guest).
    pub band: Option<AgeBand>,
    pub warnings: Vec<Issue>,
}

impl Evaluation {
    /// The result as an issue (code and params), e.g. to render its message.
    pub fn issue(&self) -> Issue {
        Issue {
            path: Vec::new(),
            code: self.code,
            params: self.params.clone(),
        }
    }

    pub fn message(&self, locale: Locale) -> String {
        self.issue().message(locale)
    }
}

struct Context<'p> {
    policy: &'p Policy,
    missing_years: Vec<u32>,
}

impl Context<'_> {
    fn is_play_day(&mut self, play: &PlayRule, date: Date) -> bool {
        let weekday_ok = play.weekdays.contains(&weekday(date));
        match self.policy.calendar.day(date) {
            DayKind::Holiday => play.holidays || weekday_ok,
            DayKind::AdjustedWorkday => play.adjusted_workdays && weekday_ok,
            DayKind::Regular => weekday_ok,
            DayKind::YearMissing => {
                if !self.missing_years.contains(&date.year()) {
                    self.missing_years.push(date.year());
                }
                weekday_ok
            }
        }
    }

    /// The start of the first window after `from` (today's windows only when `today` is true).
    fn next_window(&mut self, play: &PlayRule, from: LocalTime, today: bool) -> Option<LocalTime> {
        let first = from.date.days_since_epoch();
        for offset in 0..=400 {
            if offset == 0 && !today {
                continue;
            }
            let date = Date::from_days_since_epoch(first + offset)?;
            if !self.is_play_day(play, date) {
                continue;
            }
            let later = play
                .windows
                .iter()
                .find(|(start, _)| offset > 0 || *start > from.second);
            if let Some((start, _)) = later {
                return Some(LocalTime::at(date, *start));
            }
        }
        None
    }

    fn result(&self, allowed: bool, code: Code, rule: Option<(Rule, usize)>) -> Evaluation {
        Evaluation {
            allowed,
            code,
            params: Vec::new(),
            rule: rule.map(|(r, _)| r),
            source: rule.map(|(_, s)| self.policy.citation(s).to_string()),
            next_allowed_at: None,
            remaining: None,
            band: None,
            warnings: Vec::new(),
        }
    }
}

fn applies(ages: Ages, age: u32) -> bool {
    ages.contains(age)
}

/// Evaluates `policy` for `subject` doing `activity` at `now` (local time in Asia/Shanghai).
#[inline(never)]
pub fn evaluate(
    policy: &Policy,
    subject: Subject,
    activity: &Activity,
    now: LocalTime,
) -> Evaluation {
    let mut cx = Context {
        policy,
        missing_years: Vec::new(),
    };
    let mut out = evaluate_in(&mut cx, subject, activity, now);
    out.warnings = cx
        .missing_years
        .iter()
        .map(|y| Issue::new(Code::CalendarYearMissing).with("year", ParamValue::Int(i64::from(*y))))
        .collect();
    out
}

fn evaluate_in(
    cx: &mut Context<'_>,
    subject: Subject,
    activity: &Activity,
    now: LocalTime,
) -> Evaluation {
    let policy = cx.policy;
    let age = match subject {
        Subject::BirthDate(birth) => age_on(birth, now.date, policy.age_rule),
        Subject::Age(age) => age,
        Subject::Guest => {
            if let Some(guest) = policy.guest_mode.as_ref().filter(|g| !g.allowed) {
                return cx.result(
                    false,
                    Code::GuestModeNotAllowed,
                    Some((Rule::GuestMode, guest.source)),
                );
            }
            0
        }
    };
    let band = (subject != Subject::Guest).then(|| AgeBand::of_age(age));
    let mut out = if age >= crate::age::AGE_OF_MAJORITY {
        cx.result(true, Code::Adult, None)
    } else {
        match *activity {
            Activity::Payment {
                amount_fen,
                spent_this_month_fen,
            } => payment(cx, age, amount_fen, spent_this_month_fen),
            Activity::Play { used_today_seconds } => play(cx, age, used_today_seconds, now),
            Activity::Session {
                used_today_seconds,
                continuous_seconds,
            } => session(cx, age, used_today_seconds, continuous_seconds, now),
        }
    };
    out.band = band;
    out
}

fn payment(cx: &mut Context<'_>, age: u32, amount: u64, spent: u64) -> Evaluation {
    let Some(rule) = cx.policy.payment.iter().find(|r| applies(r.ages, age)) else {
        return cx.result(true, Code::MinorAllowed, None);
    };
    let source = Some((Rule::Payment, rule.source));
    let month_left = rule.per_month_fen.saturating_sub(spent);
    let remaining = rule.per_payment_fen.min(month_left);
    let fen = |v: u64| ParamValue::Int(i64::try_from(v).unwrap_or(i64::MAX));
    let mut out = if rule.per_payment_fen == 0 || rule.per_month_fen == 0 {
        let mut out = cx.result(false, Code::MinorPaymentNotAllowed, source);
        out.params
            .push(("maxAge", ParamValue::Int(i64::from(rule.ages.max))));
        out
    } else if amount > rule.per_payment_fen {
        let mut out = cx.result(false, Code::MinorPaymentOverSingleLimit, source);
        out.params.push(("limitFen", fen(rule.per_payment_fen)));
        out
    } else if spent.saturating_add(amount) > rule.per_month_fen {
        let mut out = cx.result(false, Code::MinorPaymentOverMonthlyLimit, source);
        out.params.push(("limitFen", fen(rule.per_month_fen)));
        out.params.push(("remainingFen", fen(month_left)));
        out
    } else {
        cx.result(true, Code::MinorAllowed, source)
    };
    out.remaining = Some(remaining);
    out
}

fn play(cx: &mut Context<'_>, age: u32, used: u64, now: LocalTime) -> Evaluation {
    let policy = cx.policy;
    let Some(rule) = policy.play.as_ref().filter(|r| applies(r.ages, age)) else {
        return cx.result(true, Code::MinorAllowed, None);
    };
    let source = Some((Rule::Play, rule.source));
    let window = if cx.is_play_day(rule, now.date) {
        rule.windows
            .iter()
            .find(|(start, end)| *start <= now.second && now.second < *end)
    } else {
        None
    };
    let Some((_, end)) = window else {
        let mut out = cx.result(false, Code::MinorPlayOutsideWindow, source);
        out.next_allowed_at = cx.next_window(rule, now, true);
        out.remaining = Some(0);
        return out;
    };
    let mut remaining = u64::from(end - now.second);
    if let Some(max) = rule.max_seconds_per_day {
        let left = u64::from(max).saturating_sub(used);
        if left == 0 {
            let mut out = cx.result(false, Code::MinorPlayTimeUsedUp, source);
            out.params
                .push(("limitMinutes", ParamValue::Int(i64::from(max / 60))));
            out.next_allowed_at = cx.next_window(rule, now, false);
            out.remaining = Some(0);
            return out;
        }
        remaining = remaining.min(left);
    }
    let mut out = cx.result(true, Code::MinorAllowed, source);
    out.remaining = Some(remaining);
    out
}

fn session(
    cx: &mut Context<'_>,
    age: u32,
    used: u64,
    continuous: u64,
    now: LocalTime,
) -> Evaluation {
    let policy = cx.policy;
    let curfew = policy.curfew.as_ref().filter(|c| applies(c.ages, age));
    let tomorrow = Date::from_days_since_epoch(now.date.days_since_epoch() + 1);
    if let Some(c) = curfew.filter(|c| c.covers(now.second)) {
        let mut out = cx.result(false, Code::MinorCurfew, Some((Rule::Curfew, c.source)));
        let day = if c.start > c.end && now.second >= c.start {
            tomorrow
        } else {
            Some(now.date)
        };
        out.next_allowed_at = day.map(|d| LocalTime::at(d, c.end));
        out.remaining = Some(0);
        return out;
    }
    let mut remaining: Option<u64> = None;
    if let Some(c) = curfew {
        let until = if c.start > now.second {
            c.start - now.second
        } else {
            86_400 - now.second + c.start
        };
        remaining = Some(u64::from(until));
    }
    if let Some(limit) = policy.daily_limits.iter().find(|l| applies(l.ages, age)) {
        let left = u64::from(limit.seconds).saturating_sub(used);
        if left == 0 {
            let mut out = cx.result(
                false,
                Code::MinorDailyLimitReached,
                Some((Rule::DailyLimit, limit.source)),
            );
            out.params.push((
                "limitMinutes",
                ParamValue::Int(i64::from(limit.seconds / 60)),
            ));
            // Tomorrow, once the curfew (if it covers midnight) is over.
            let start = match curfew {
                Some(c) if c.covers(0) => c.end,
                _ => 0,
            };
            out.next_allowed_at = tomorrow.map(|d| LocalTime::at(d, start));
            out.remaining = Some(0);
            return out;
        }
        remaining = Some(remaining.map_or(left, |r| r.min(left)));
    }
    let mut out = match policy
        .rest_reminder
        .as_ref()
        .filter(|r| applies(r.ages, age))
    {
        Some(rest) if continuous >= u64::from(rest.after_seconds) => {
            let mut out = cx.result(
                true,
                Code::MinorRestReminder,
                Some((Rule::RestReminder, rest.source)),
            );
            out.params.push((
                "minutes",
                ParamValue::Int(i64::from(rest.after_seconds / 60)),
            ));
            out
        }
        _ => cx.result(true, Code::MinorAllowed, None),
    };
    out.remaining = remaining;
    out
}
