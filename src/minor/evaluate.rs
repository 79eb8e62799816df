//! Evaluating a policy for one person, one activity, at one instant.
//!
//! - **Adults** (18 and over) are always allowed, with code `adult`.
//! - **Guests** (identity not verified): refused with `guest_mode_not_allowed` when the policy's
//!   `guestMode.allowed` is false (NPPA 2021); when guests are allowed they are held to the rules
//!   of the youngest age, since their age is unknown.
//! - **Payments** (NPPA 2019 for games; 未成年人网络保护条例 Art. 44 for every platform): every
//!   payment rule for the age applies (a preset may cite one source for the per-payment and
//!   monthly caps and another for the day's). Refused over a per-payment cap, or when the day's or
//!   the month's total would exceed its cap (exactly at the cap is allowed); a day's or month's cap
//!   gives `nextAllowedAt`, the next local midnight or the first of the next month. `remaining` is
//!   the most that may be paid in one payment now, in fen.
//! - **Play** (NPPA 2021): allowed inside a window on a play day (a listed weekday, or a holiday of
//!   the calendar; an adjusted working day is not one), and while the day's play time lasts.
//!   `remaining` is the seconds left; a refusal gives `nextAllowedAt`, the start of the next
//!   window, found through the holiday calendar (up to 400 days ahead).
//! - **Sessions** in minor mode (CAC 2024): refused in the curfew and once the daily limit is
//!   used; after `restReminder.afterSeconds` of continuous use the result is allowed with code
//!   `minor_rest_reminder`. `remaining` is the seconds left before a limit or the curfew.
//!
//! - **A guardian's limits** ([`GuardianLimits`], [`evaluate_with`]) apply with the policy's: the
//!   stricter wins, a longer daily time only up to the rule's `guardianMaxSeconds`. A refusal by
//!   a guardian's limit has `by_guardian` set and no `source`.
//! - **Minor mode** (条例 Art. 43): `minor_mode` is true when the policy's `minorMode` covers the
//!   age: the platform shows its minor mode to this user.
//!
//! Every refusal names its rule (`rule`) and the rule's source (the citation of the policy's
//! `sources` entry). A date in a year the calendar lacks gives the warning
//! `calendar_year_missing` and the weekday rule decides.

use super::age_band::AgeBand;
use super::calendar::DayKind;
use super::limits::{curfew as guardian_curfew, GuardianLimits};
use super::policy::{Ages, Curfew, PlayRule, Policy};
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
    /// A payment (the `payment` rules).
    Payment {
        /// The amount of this payment, in fen.
        amount_fen: u64,
        /// What the person paid earlier the same local day (Asia/Shanghai).
        spent_today_fen: u64,
        /// What the person paid earlier the same calendar month.
        spent_this_month_fen: u64,
    },
    /// Playing an online game (the `play` rule).
    Play {
        /// Seconds already played the same local day.
        used_today_seconds: u64,
    },
    /// Using the service (minor mode: the `dailyLimits`, `curfew` and `restReminder` rules).
    Session {
        /// Seconds already used the same local day.
        used_today_seconds: u64,
        /// Seconds of continuous use so far, compared with `restReminder.afterSeconds`.
        continuous_seconds: u64,
    },
}

/// The policy rule a result comes from. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// `payment`: the caps on payments ([`PaymentRule`](super::policy::PaymentRule)).
    Payment,
    /// `play`: the play days, windows and time of online games ([`PlayRule`]).
    Play,
    /// `guest_mode`: whether users whose identity is not verified may use the service
    /// ([`GuestMode`](super::policy::GuestMode)).
    GuestMode,
    /// `daily_limit`: the time per day in minor mode ([`DailyLimit`](super::policy::DailyLimit)).
    DailyLimit,
    /// `curfew`: no service at night ([`Curfew`]).
    Curfew,
    /// `rest_reminder`: a reminder after continuous use
    /// ([`RestReminder`](super::policy::RestReminder)).
    RestReminder,
}

impl Rule {
    /// The rule's snake_case name (`payment`, `play`, `guest_mode`, `daily_limit`, `curfew`,
    /// `rest_reminder`).
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
    /// Whether the activity is allowed now (also with the code `minor_rest_reminder`).
    pub allowed: bool,
    /// The outcome: `adult`, `minor_allowed`, `minor_rest_reminder`, or the code of a refusal.
    pub code: Code,
    /// The code's params (e.g. `limitFen`, `remainingFen`, `limitMinutes`), for its message.
    pub params: Vec<(&'static str, ParamValue)>,
    /// The rule that decided, or that applies to an allowed payment or play; `None` for an adult
    /// and where no rule applies.
    pub rule: Option<Rule>,
    /// The citation of the rule's source (`None` without a rule, or for a guardian's limit).
    pub source: Option<String>,
    /// When a refused activity is next allowed, where that is known: the next local midnight,
    /// the first of the next month, the start of the next play window, or the end of the curfew.
    pub next_allowed_at: Option<LocalTime>,
    /// Fen (payments) or seconds (play, sessions) still allowed.
    pub remaining: Option<u64>,
    /// The age band (`None` for a guest).
    pub band: Option<AgeBand>,
    /// The limit that decided was the guardian's ([`GuardianLimits`]), not the policy's.
    pub by_guardian: bool,
    /// The policy's `minorMode` covers this person (a guest counts as the youngest).
    pub minor_mode: bool,
    /// Warnings: `calendar_year_missing` (param `year`) for each year the calendar lacked.
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

    /// The result's message in `locale` (of [`Evaluation::issue`]).
    pub fn message(&self, locale: Locale) -> String {
        self.issue().message(locale)
    }
}

struct Context<'p> {
    policy: &'p Policy,
    limits: Option<&'p GuardianLimits>,
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
            by_guardian: false,
            minor_mode: false,
            warnings: Vec::new(),
        }
    }

    /// A result decided by the guardian's limit.
    fn guardian_result(&self, allowed: bool, code: Code, rule: Rule) -> Evaluation {
        let mut out = self.result(allowed, code, None);
        out.rule = Some(rule);
        out.by_guardian = true;
        out
    }
}

fn applies(ages: Ages, age: u32) -> bool {
    ages.contains(age)
}

/// Evaluates `policy` for `subject` doing `activity` at `now` (local time in Asia/Shanghai).
pub fn evaluate(
    policy: &Policy,
    subject: Subject,
    activity: &Activity,
    now: LocalTime,
) -> Evaluation {
    evaluate_with(policy, None, subject, activity, now)
}

/// [`evaluate`] with the account's guardian limits, if any (the stricter of the two applies).
#[inline(never)]
pub fn evaluate_with(
    policy: &Policy,
    limits: Option<&GuardianLimits>,
    subject: Subject,
    activity: &Activity,
    now: LocalTime,
) -> Evaluation {
    let mut cx = Context {
        policy,
        limits: limits.filter(|l| !l.is_empty()),
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
                spent_today_fen,
                spent_this_month_fen,
            } => payment(
                cx,
                age,
                amount_fen,
                (spent_today_fen, spent_this_month_fen),
                now,
            ),
            Activity::Play { used_today_seconds } => play(cx, age, used_today_seconds, now),
            Activity::Session {
                used_today_seconds,
                continuous_seconds,
            } => session(cx, age, used_today_seconds, continuous_seconds, now),
        }
    };
    out.band = band;
    out.minor_mode = age < crate::age::AGE_OF_MAJORITY
        && policy
            .minor_mode
            .as_ref()
            .is_some_and(|m| applies(m.ages, age));
    out
}

/// One cap on payments, from a policy rule (`source`) or from the guardian (`None`).
#[derive(Clone, Copy)]
struct Cap {
    kind: CapKind,
    limit: u64,
    source: Option<usize>,
    /// The rule's `maxAge` (for `minor_payment_not_allowed`).
    max_age: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CapKind {
    Payment,
    Day,
    Month,
}

fn payment(
    cx: &mut Context<'_>,
    age: u32,
    amount: u64,
    (today, month): (u64, u64),
    now: LocalTime,
) -> Evaluation {
    let mut caps: Vec<Cap> = Vec::new();
    for rule in cx.policy.payment.iter().filter(|r| applies(r.ages, age)) {
        for (kind, limit) in [
            (CapKind::Payment, rule.per_payment_fen),
            (CapKind::Day, rule.per_day_fen),
            (CapKind::Month, rule.per_month_fen),
        ] {
            if let Some(limit) = limit {
                caps.push(Cap {
                    kind,
                    limit,
                    source: Some(rule.source),
                    max_age: rule.ages.max,
                });
            }
        }
    }
    if let Some(g) = cx.limits {
        for (kind, limit) in [
            (CapKind::Payment, g.per_payment_fen),
            (CapKind::Day, g.per_day_fen),
            (CapKind::Month, g.per_month_fen),
        ] {
            if let Some(limit) = limit {
                caps.push(Cap {
                    kind,
                    limit,
                    source: None,
                    max_age: crate::age::AGE_OF_MAJORITY,
                });
            }
        }
    }
    if caps.is_empty() {
        return cx.result(true, Code::MinorAllowed, None);
    }
    let spent = |kind: CapKind| match kind {
        CapKind::Payment => 0,
        CapKind::Day => today,
        CapKind::Month => month,
    };
    let left = |cap: &Cap| cap.limit.saturating_sub(spent(cap.kind));
    let remaining = caps.iter().map(left).min().unwrap_or(0);
    let fen = |v: u64| ParamValue::Int(i64::try_from(v).unwrap_or(i64::MAX));
    let decide = |cx: &Context<'_>, cap: &Cap, allowed: bool, code: Code| match cap.source {
        Some(source) => cx.result(allowed, code, Some((Rule::Payment, source))),
        None => cx.guardian_result(allowed, code, Rule::Payment),
    };
    // A cap of zero first (policy before guardian), then the first cap the amount breaks, in the
    // order payment, day, month; the policy's cap before the guardian's at the same level.
    let zero = caps
        .iter()
        .filter(|c| c.limit == 0)
        .min_by_key(|c| c.source.is_none());
    let broken = caps
        .iter()
        .filter(|c| spent(c.kind).saturating_add(amount) > c.limit)
        .min_by_key(|c| (c.kind, c.source.is_none()));
    let mut out = match (zero, broken) {
        (Some(cap), _) if cap.source.is_some() => {
            let mut out = decide(cx, cap, false, Code::MinorPaymentNotAllowed);
            out.params
                .push(("maxAge", ParamValue::Int(i64::from(cap.max_age))));
            out
        }
        (Some(cap), _) => decide(cx, cap, false, Code::MinorPaymentBlockedByGuardian),
        (None, Some(cap)) => {
            let code = match cap.kind {
                CapKind::Payment => Code::MinorPaymentOverSingleLimit,
                CapKind::Day => Code::MinorPaymentOverDailyLimit,
                CapKind::Month => Code::MinorPaymentOverMonthlyLimit,
            };
            let mut out = decide(cx, cap, false, code);
            out.params.push(("limitFen", fen(cap.limit)));
            if cap.kind != CapKind::Payment {
                out.params.push(("remainingFen", fen(left(cap))));
            }
            let tomorrow = Date::from_days_since_epoch(now.date.days_since_epoch() + 1);
            out.next_allowed_at = match cap.kind {
                CapKind::Payment => None,
                CapKind::Day => tomorrow.map(|d| LocalTime::at(d, 0)),
                CapKind::Month => first_of_next_month(now.date).map(|d| LocalTime::at(d, 0)),
            };
            out
        }
        (None, None) => {
            let mut out = cx.result(true, Code::MinorAllowed, None);
            // The rule that applies, for display: the first policy cap.
            if let Some(source) = caps.iter().find_map(|c| c.source) {
                out.rule = Some(Rule::Payment);
                out.source = Some(cx.policy.citation(source).to_string());
            }
            out
        }
    };
    out.remaining = Some(remaining);
    out
}

/// The first day of the month after `date`'s.
fn first_of_next_month(date: Date) -> Option<Date> {
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    Date::new(year, month, 1)
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
    // The guardian's play time applies only where it is shorter than the policy's.
    let guardian = cx.limits.and_then(|g| g.play_seconds_per_day);
    let (max, by_guardian) = match (rule.max_seconds_per_day, guardian) {
        (Some(p), Some(g)) if g < p => (Some(g), true),
        (None, Some(g)) => (Some(g), true),
        (p, _) => (p, false),
    };
    if let Some(max) = max {
        let left = u64::from(max).saturating_sub(used);
        if left == 0 {
            let mut out = if by_guardian {
                cx.guardian_result(false, Code::MinorPlayTimeUsedUp, Rule::Play)
            } else {
                cx.result(false, Code::MinorPlayTimeUsedUp, source)
            };
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
    // The policy's night-time and the guardian's: both apply.
    let mut nights: Vec<(&Curfew, bool)> = Vec::new();
    if let Some(c) = policy.curfew.as_ref().filter(|c| applies(c.ages, age)) {
        nights.push((c, false));
    }
    let guardian_night = cx.limits.and_then(|g| g.curfew).map(guardian_curfew);
    if let Some(c) = &guardian_night {
        nights.push((c, true));
    }
    let tomorrow = Date::from_days_since_epoch(now.date.days_since_epoch() + 1);
    // When a night that covers `second` of `date` ends, following nights that join it.
    let night_end = |date: Date, second: u32| -> Option<LocalTime> {
        let mut at = LocalTime::at(date, second);
        for _ in 0..4 {
            let Some((c, _)) = nights.iter().find(|(c, _)| c.covers(at.second)) else {
                return Some(at);
            };
            let day = if c.start > c.end && at.second >= c.start {
                Date::from_days_since_epoch(at.date.days_since_epoch() + 1)?
            } else {
                at.date
            };
            at = LocalTime::at(day, c.end);
        }
        Some(at)
    };
    if let Some((c, by_guardian)) = nights.iter().find(|(c, _)| c.covers(now.second)) {
        let mut out = if *by_guardian {
            cx.guardian_result(false, Code::MinorCurfew, Rule::Curfew)
        } else {
            cx.result(false, Code::MinorCurfew, Some((Rule::Curfew, c.source)))
        };
        out.next_allowed_at = night_end(now.date, now.second);
        out.remaining = Some(0);
        return out;
    }
    let mut remaining: Option<u64> = None;
    for (c, _) in &nights {
        let until = if c.start > now.second {
            c.start - now.second
        } else {
            86_400 - now.second + c.start
        };
        remaining = Some(remaining.map_or(u64::from(until), |r| r.min(u64::from(until))));
    }
    // The daily time: the policy's, or the guardian's where it is shorter, or longer up to the
    // rule's `guardianMaxSeconds`.
    let rule = policy.daily_limits.iter().find(|l| applies(l.ages, age));
    let guardian = cx.limits.and_then(|g| g.daily_seconds);
    let limit = match (rule, guardian) {
        (Some(l), Some(g)) => {
            let chosen = g.min(l.guardian_max_seconds.unwrap_or(l.seconds));
            if chosen == l.seconds {
                Some((chosen, Some(l.source)))
            } else {
                Some((chosen, None))
            }
        }
        (Some(l), None) => Some((l.seconds, Some(l.source))),
        (None, Some(g)) => Some((g, None)),
        (None, None) => None,
    };
    if let Some((seconds, source)) = limit {
        let left = u64::from(seconds).saturating_sub(used);
        if left == 0 {
            let mut out = match source {
                Some(source) => cx.result(
                    false,
                    Code::MinorDailyLimitReached,
                    Some((Rule::DailyLimit, source)),
                ),
                None => cx.guardian_result(false, Code::MinorDailyLimitReached, Rule::DailyLimit),
            };
            out.params
                .push(("limitMinutes", ParamValue::Int(i64::from(seconds / 60))));
            // Tomorrow, once the nights that cover midnight are over.
            out.next_allowed_at = tomorrow.and_then(|d| night_end(d, 0));
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
