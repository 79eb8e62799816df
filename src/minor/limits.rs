//! A guardian's own limits for one minor's account (监护人设置), applied with the policy's.
//!
//! # Sources
//! - **`cac-2024`**: the CAC minor-mode guide presents its daily times as defaults; guardians of
//!   16–17-year-olds may change the duration. A policy says so per rule with `guardianMaxSeconds`
//!   ([`super::policy::DailyLimit::guardian_max_seconds`]).
//! - **`mpr-2024`**: 未成年人网络保护条例 Art. 44 asks for limits on a single payment and on a
//!   day's total; nothing lets a guardian raise a platform's limits, so a guardian may only lower
//!   them.
//!
//! # How a guardian's setting applies
//! - **Tighter always applies.** A guardian's payment caps, play time and daily time apply together
//!   with the policy's: the stricter one wins, whatever was stored. A guardian's night-time
//!   (`curfew`) is added to the policy's: both apply.
//! - **Looser only where the rule allows it**: a daily time longer than the policy's applies up to
//!   the rule's `guardianMaxSeconds`, and [`GuardianLimits::check`] refuses a setting beyond it
//!   (`guardian_limit_too_loose`, with the bound as `max`). Evaluation clamps it again, so that a
//!   stored setting never outlives a stricter policy.
//! - **Who may loosen** is the server's decision, not the core's: [`GuardianLimits::is_tighter_or_equal`]
//!   tells whether a new setting only tightens the old one and the policy (what a holder of the
//!   account's own token, who may be the minor, is allowed).
//!
//! The JSON form (strict: unknown keys are errors), every member optional:
//! `{"dailySeconds": 1800, "playSecondsPerDay": 1800, "perPaymentFen": 2000, "perDayFen": 5000,
//!   "perMonthFen": 10000, "curfew": {"start": "21:00", "end": "07:00"}}`.

use super::policy::{fail, object, Ages, Curfew, PolicyError, ROOT};
use super::time::time_of_day;
use super::Policy;
use crate::codec::json::{self, Value};
use crate::issue::{Code, Issue, ParamValue, PathSegment};

/// A guardian's limits for one account. `None`: the policy's value alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GuardianLimits {
    /// Minor-mode time per day, in seconds.
    pub daily_seconds: Option<u32>,
    /// Online-game time per day, in seconds (only shorter than the policy's applies).
    pub play_seconds_per_day: Option<u32>,
    /// The most one payment may be, in fen (0: no payment at all).
    pub per_payment_fen: Option<u64>,
    /// The most a local day's payments may add up to, in fen (0: no payment at all).
    pub per_day_fen: Option<u64>,
    /// The most a calendar month's payments may add up to, in fen (0: no payment at all).
    pub per_month_fen: Option<u64>,
    /// A night-time `(start, end)` in seconds since midnight (`start > end` wraps past midnight),
    /// added to the policy's curfew.
    pub curfew: Option<(u32, u32)>,
}

/// The JSON member names, in the order of the struct: the paths of issues.
const KEYS: [&str; 6] = [
    "dailySeconds",
    "playSecondsPerDay",
    "perPaymentFen",
    "perDayFen",
    "perMonthFen",
    "curfew",
];

/// What one account's policy allows a guardian to set: for each limit, the policy's value and the
/// most a guardian may set (`None` where the policy has no such limit for this age).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LimitBounds {
    /// `(policy, most a guardian may set)`.
    pub daily_seconds: Option<(u32, u32)>,
    /// The policy's online-game time per day, in seconds: also the most a guardian may set.
    pub play_seconds_per_day: Option<u32>,
    /// The policy's cap on one payment, in fen (the lowest of the rules for the age): also the
    /// most a guardian may set.
    pub per_payment_fen: Option<u64>,
    /// The policy's cap on a day's payments, in fen (the lowest of the rules for the age): also
    /// the most a guardian may set.
    pub per_day_fen: Option<u64>,
    /// The policy's cap on a month's payments, in fen (the lowest of the rules for the age): also
    /// the most a guardian may set.
    pub per_month_fen: Option<u64>,
    /// The policy's curfew `(start, end)` for this age.
    pub curfew: Option<(u32, u32)>,
}

impl LimitBounds {
    /// The bounds of `policy` for a minor of `age` full years (all `None` for an adult).
    pub fn of(policy: &Policy, age: u32) -> LimitBounds {
        let applies = |ages: Ages| ages.contains(age);
        let payments = || policy.payment.iter().filter(|r| applies(r.ages));
        let min = |values: &mut dyn Iterator<Item = u64>| values.min();
        LimitBounds {
            daily_seconds: policy
                .daily_limits
                .iter()
                .find(|l| applies(l.ages))
                .map(|l| (l.seconds, l.guardian_max_seconds.unwrap_or(l.seconds))),
            play_seconds_per_day: policy
                .play
                .as_ref()
                .filter(|p| applies(p.ages))
                .and_then(|p| p.max_seconds_per_day),
            per_payment_fen: min(&mut payments().filter_map(|r| r.per_payment_fen)),
            per_day_fen: min(&mut payments().filter_map(|r| r.per_day_fen)),
            per_month_fen: min(&mut payments().filter_map(|r| r.per_month_fen)),
            curfew: policy
                .curfew
                .as_ref()
                .filter(|c| applies(c.ages))
                .map(|c| (c.start, c.end)),
        }
    }
}

impl GuardianLimits {
    /// Parses the JSON form. Errors carry the JSON path (`$.perDayFen`) and what is wrong.
    pub fn parse(text: &str) -> Result<GuardianLimits, PolicyError> {
        let document = json::parse(text).map_err(|e| PolicyError {
            path: "$".into(),
            message: e.to_string(),
        })?;
        GuardianLimits::from_value(&document)
    }

    /// Reads an already parsed JSON object.
    pub fn from_value(value: &Value) -> Result<GuardianLimits, PolicyError> {
        let m = object(value, &ROOT, &KEYS)?;
        let seconds = |key: &str| -> Result<Option<u32>, PolicyError> {
            match m.get(key) {
                Some(_) => Ok(Some(m.count(key, 0, 86_400)?)),
                None => Ok(None),
            }
        };
        let curfew = match m.get("curfew") {
            None => None,
            Some(item) => {
                let path = ROOT.key("curfew");
                let c = object(item, &path, &["start", "end"])?;
                let start = c.time("start", false)?;
                let end = c.time("end", false)?;
                if start == end {
                    return fail(&path.key("end"), "must differ from start");
                }
                Some((start, end))
            }
        };
        Ok(GuardianLimits {
            daily_seconds: seconds("dailySeconds")?,
            play_seconds_per_day: seconds("playSecondsPerDay")?,
            per_payment_fen: m.optional_fen("perPaymentFen")?,
            per_day_fen: m.optional_fen("perDayFen")?,
            per_month_fen: m.optional_fen("perMonthFen")?,
            curfew,
        })
    }

    /// The JSON form (members in a fixed order; absent limits left out).
    pub fn to_json(&self) -> String {
        let mut members: Vec<String> = Vec::new();
        let mut number = |key: &str, value: Option<u64>| {
            if let Some(v) = value {
                members.push(format!("\"{key}\":{v}"));
            }
        };
        number("dailySeconds", self.daily_seconds.map(u64::from));
        number(
            "playSecondsPerDay",
            self.play_seconds_per_day.map(u64::from),
        );
        number("perPaymentFen", self.per_payment_fen);
        number("perDayFen", self.per_day_fen);
        number("perMonthFen", self.per_month_fen);
        if let Some((start, end)) = self.curfew {
            members.push(format!(
                "\"curfew\":{{\"start\":\"{}\",\"end\":\"{}\"}}",
                time_of_day(start),
                time_of_day(end)
            ));
        }
        format!("{{{}}}", members.join(","))
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == GuardianLimits::default()
    }

    /// The problems of this setting for a minor of `age` under `policy`: each limit looser than the
    /// rule lets a guardian set (`guardian_limit_too_loose` at the member, with `max`). Empty:
    /// the setting may be stored.
    pub fn check(&self, policy: &Policy, age: u32) -> Vec<Issue> {
        let bounds = LimitBounds::of(policy, age);
        let mut issues = Vec::new();
        let mut over = |key: &'static str, value: Option<u64>, max: Option<u64>| {
            if let (Some(value), Some(max)) = (value, max) {
                if value > max {
                    issues.push(
                        Issue::new(Code::GuardianLimitTooLoose)
                            .at(PathSegment::Key(key))
                            .with(
                                "max",
                                ParamValue::Int(i64::try_from(max).unwrap_or(i64::MAX)),
                            ),
                    );
                }
            }
        };
        over(
            "dailySeconds",
            self.daily_seconds.map(u64::from),
            bounds.daily_seconds.map(|(_, max)| u64::from(max)),
        );
        over(
            "playSecondsPerDay",
            self.play_seconds_per_day.map(u64::from),
            bounds.play_seconds_per_day.map(u64::from),
        );
        over(
            "perPaymentFen",
            self.per_payment_fen,
            bounds.per_payment_fen,
        );
        over("perDayFen", self.per_day_fen, bounds.per_day_fen);
        over("perMonthFen", self.per_month_fen, bounds.per_month_fen);
        issues
    }

    /// Whether `self` (a new setting) is at least as strict as `old` in every limit, where a
    /// limit `old` leaves unset counts as the policy's value for the age (`bounds`): each limit
    /// is set here no higher than that, and `old`'s night-time is covered by this one's. So a
    /// holder of the account's own token cannot use the room `guardianMaxSeconds` leaves a
    /// guardian, nor drop a limit the guardian set.
    pub fn is_tighter_or_equal(&self, old: &GuardianLimits, bounds: &LimitBounds) -> bool {
        fn no_looser<T: PartialOrd + Copy>(
            new: Option<T>,
            old: Option<T>,
            policy: Option<T>,
        ) -> bool {
            match (new, old.or(policy)) {
                (_, None) => true,
                (None, Some(_)) => old.is_none(),
                (Some(new), Some(old)) => new <= old,
            }
        }
        let night = match (self.curfew, old.curfew) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(new), Some(old)) => {
                let new = curfew(new);
                let old = curfew(old);
                (0..1440).all(|minute| !old.covers(minute * 60) || new.covers(minute * 60))
            }
        };
        no_looser(
            self.daily_seconds,
            old.daily_seconds,
            bounds.daily_seconds.map(|(policy, _)| policy),
        ) && no_looser(
            self.play_seconds_per_day,
            old.play_seconds_per_day,
            bounds.play_seconds_per_day,
        ) && no_looser(
            self.per_payment_fen,
            old.per_payment_fen,
            bounds.per_payment_fen,
        ) && no_looser(self.per_day_fen, old.per_day_fen, bounds.per_day_fen)
            && no_looser(self.per_month_fen, old.per_month_fen, bounds.per_month_fen)
            && night
    }
}

/// A guardian's night-time as a policy curfew (for [`Curfew::covers`]).
pub(super) fn curfew((start, end): (u32, u32)) -> Curfew {
    Curfew {
        ages: Ages { min: 0, max: 18 },
        start,
        end,
        source: 0,
    }
}

/// The issue for a setting that cannot be read, at the member the error names.
pub fn invalid_issue(error: &PolicyError) -> Issue {
    let member = error.path.strip_prefix("$.").and_then(|rest| {
        KEYS.iter()
            .find(|k| rest == **k || rest.starts_with(&format!("{k}.")))
    });
    let issue = Issue::new(Code::GuardianLimitInvalid);
    match member {
        Some(key) => issue.at(PathSegment::Key(key)),
        None => issue,
    }
}
