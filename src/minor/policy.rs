//! The minor-protection policy: a versioned JSON document the backend can replace at run time.
//!
//! One parser and one validation for the browser and the server ([`Policy::parse`]): a document
//! is accepted whole or rejected whole, with a precise error ([`PolicyError`]: a JSON path such
//! as `$.payment[1].perMonthFen` and what is wrong there). The caller keeps the previous policy
//! in force when a new one is rejected. The JSON Schema is `data/policy/policy.schema.json`.
//!
//! Two presets ship ([`PRESETS`], [`Policy::preset_named`]); which one binds a platform:
//! - **`cn-2024-content`** (`data/policy/cn-2024-content.json`): every platform that is not an
//!   online game — comics, video, audio, live streaming, social, shops, telecom services. The
//!   未成年人网络保护条例 (Arts. 43–44: minor mode; caps on a single payment and on a day's total)
//!   and the CAC 2024 minor-mode guide (daily time, curfew, rest reminder).
//! - **`cn-2024-games`** (`data/policy/cn-2024-games.json`, also named `cn-2024`, the default of
//!   [`Policy::preset`]): online games. Everything above, plus the NPPA notices, which bind online
//!   games only: the 2019 payment caps, the 2021 play days and hours, no guest mode, and the
//!   holiday calendar the play days need. It is the stricter of the two, hence the default.
//!
//! Every rule names its source: a key of the document's `sources` map, whose value is the
//! citation. Ages are full years (周岁, [`crate::age`]); `minAge` is inclusive and `maxAge`
//! exclusive, within 0..=18. Amounts are whole fen; durations whole seconds; times of day `HH:MM`
//! in Asia/Shanghai.
//!
//! Unknown keys are errors (a misspelt limit must not be silently ignored), except `$schema`
//! and `description` at the top level and `note` in any rule.

use core::fmt;

use super::age_band::AgeBand;
use super::calendar::{Calendar, CalendarYear};
use crate::age::AgeRule;
use crate::codec::json::{self, Value};
use crate::date::Date;

/// The format number this version of the library reads.
pub const FORMAT: i64 = 1;

/// The largest amount a policy or a guardian may write, in fen (10 billion yuan).
pub(super) const MAX_FEN: i64 = 1_000_000_000_000;

/// The shipped preset `cn-2024-games` (online games).
pub const PRESET_CN_2024_GAMES: &str = include_str!("../../data/policy/cn-2024-games.json");

/// The shipped preset `cn-2024-content` (every other platform).
pub const PRESET_CN_2024_CONTENT: &str = include_str!("../../data/policy/cn-2024-content.json");

/// The former name of the games preset (`cn-2024`), kept as an alias.
pub const PRESET_CN_2024: &str = PRESET_CN_2024_GAMES;

/// The shipped presets by name: `cn-2024-games`, its alias `cn-2024`, and `cn-2024-content`.
pub const PRESETS: [(&str, &str); 3] = [
    ("cn-2024-games", PRESET_CN_2024_GAMES),
    ("cn-2024", PRESET_CN_2024_GAMES),
    ("cn-2024-content", PRESET_CN_2024_CONTENT),
];

/// The text of a shipped preset by name ([`PRESETS`]), `None` for an unknown name.
///
/// Other crates should read the texts through this function rather than the constants: a `const`
/// is copied into every crate that names it, and a wasm module built from the core and a bindings
/// crate would carry the preset twice (6 KB).
pub fn preset_text(name: &str) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(preset, _)| *preset == name)
        .map(|(_, text)| *text)
}

/// Why a policy document was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    /// Where: `$` is the document, then `.key` and `[index]` steps.
    pub path: String,
    /// What is wrong there, in English (e.g. `is required`).
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid policy at {}: {}", self.path, self.message)
    }
}

/// A half-open range of ages in full years: `min..max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ages {
    /// The youngest age included (`minAge`, 0 to 17 in a policy).
    pub min: u32,
    /// The first age excluded (`maxAge`, 1 to 18 in a policy, greater than `min`).
    pub max: u32,
}

impl Ages {
    /// Whether `age`, in full years, is in `min..max`.
    pub const fn contains(self, age: u32) -> bool {
        self.min <= age && age < self.max
    }
}

/// Caps on a minor's payments: one payment, a day's total, a month's total (NPPA 2019 for
/// games: per payment and per month; 未成年人网络保护条例 Art. 44 for every platform: per payment
/// and per day). At least one cap; a cap of 0 means no payment at all. Rules may overlap: every
/// rule for an age applies, so that each cap cites its own source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRule {
    /// The ages the rule applies to.
    pub ages: Ages,
    /// The most one payment may be (no more than the day's or the month's cap).
    pub per_payment_fen: Option<u64>,
    /// The most a day's payments may add up to (a local day in Asia/Shanghai).
    pub per_day_fen: Option<u64>,
    /// The most a calendar month's payments may add up to.
    pub per_month_fen: Option<u64>,
    /// The rule's source: an index into [`Policy::sources`].
    pub source: usize,
}

/// NPPA 2021: when minors may play online games.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayRule {
    /// The ages the rule applies to.
    pub ages: Ages,
    /// ISO weekdays (1 = Monday … 7 = Sunday) that are play days.
    pub weekdays: Vec<u32>,
    /// Whether the calendar's holidays are play days.
    pub holidays: bool,
    /// Whether adjusted working days stay play days when their weekday is one (default false).
    pub adjusted_workdays: bool,
    /// Windows `(start, end)` in seconds since local midnight, sorted, not overlapping.
    pub windows: Vec<(u32, u32)>,
    /// Play time per day, if capped.
    pub max_seconds_per_day: Option<u32>,
    /// The rule's source: an index into [`Policy::sources`].
    pub source: usize,
}

/// CAC 2024: daily time in minor mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyLimit {
    /// The ages the rule applies to (the daily limits of a policy do not overlap).
    pub ages: Ages,
    /// The time per day, in seconds (0 to 86 400).
    pub seconds: u32,
    /// The longest daily time a guardian may set (`guardianMaxSeconds`, at least `seconds`), where
    /// the source lets guardians loosen the default (the CAC 2024 guide, for 16 to 18). `None`:
    /// a guardian may only make it shorter.
    pub guardian_max_seconds: Option<u32>,
    /// The rule's source: an index into [`Policy::sources`].
    pub source: usize,
}

/// 未成年人网络保护条例 Art. 43 and the CAC 2024 guide: the ages for which the platform must
/// offer its minor mode (未成年人模式), which the evaluation reports as `minor_mode`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinorMode {
    /// The ages minor mode covers.
    pub ages: Ages,
    /// The rule's source: an index into [`Policy::sources`].
    pub source: usize,
}

/// CAC 2024: no service at night.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Curfew {
    /// The ages the rule applies to.
    pub ages: Ages,
    /// Seconds since midnight; `start > end` wraps past midnight.
    pub start: u32,
    /// Seconds since midnight at which the curfew ends (not itself covered); never `start`.
    pub end: u32,
    /// The rule's source: an index into [`Policy::sources`].
    pub source: usize,
}

impl Curfew {
    /// Whether `second` (seconds since local midnight) is in the curfew: from `start` inclusive
    /// to `end` exclusive, past midnight when `start > end`.
    pub fn covers(&self, second: u32) -> bool {
        if self.start <= self.end {
            self.start <= second && second < self.end
        } else {
            second >= self.start || second < self.end
        }
    }
}

/// CAC 2024: a rest reminder after continuous use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestReminder {
    /// The ages the rule applies to.
    pub ages: Ages,
    /// Seconds of continuous use after which the reminder is given (60 to 86 400).
    pub after_seconds: u32,
    /// The rule's source: an index into [`Policy::sources`].
    pub source: usize,
}

/// Whether users who have not verified their identity may use the service (NPPA 2021: no).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestMode {
    /// Whether guests may use the service; if not, a guest gets `guest_mode_not_allowed`.
    pub allowed: bool,
    /// The rule's source: an index into [`Policy::sources`].
    pub source: usize,
}

/// A validated policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The document's `id`, e.g. `cn-2024-games`.
    pub id: String,
    /// The document's `version`, e.g. `2026.2`.
    pub version: String,
    /// How full years are counted (`ageRule`; default [`AgeRule::DayAfterBirthday`]).
    pub age_rule: AgeRule,
    /// `(key, citation)`; rules refer to them by index.
    pub sources: Vec<(String, String)>,
    /// Each band with its source (the bands themselves are fixed by the API: see [`AgeBand`]).
    pub age_bands: Vec<(AgeBand, usize)>,
    /// Under this age a guardian must consent, and its source.
    pub guardian_consent_under: (u32, usize),
    /// The youngest a minor's guardian may be (`guardian.minAge`, 16 to 18; default 18) and its
    /// source: a platform's choice (民法典 Art. 18 ¶2 treats a self-supporting 16- or 17-year-old
    /// as fully capable). Registrations apply it through
    /// [`crate::RegistrationOptions::guardian_min_age`].
    pub guardian_min_age: (u32, Option<usize>),
    /// The caps on payments (`payment`): every rule for an age applies.
    pub payment: Vec<PaymentRule>,
    /// When minors may play online games (`play`), if the policy says.
    pub play: Option<PlayRule>,
    /// Whether guests may use the service (`guestMode`), if the policy says.
    pub guest_mode: Option<GuestMode>,
    /// The time per day in minor mode (`dailyLimits`), at most one rule per age.
    pub daily_limits: Vec<DailyLimit>,
    /// No service at night (`curfew`), if the policy says.
    pub curfew: Option<Curfew>,
    /// A reminder after continuous use (`restReminder`), if the policy says.
    pub rest_reminder: Option<RestReminder>,
    /// The ages minor mode covers (`minorMode`), if the policy says.
    pub minor_mode: Option<MinorMode>,
    /// The holidays and adjusted working days of each year (`calendar`), for the play days.
    pub calendar: Calendar,
}

type Result<T> = core::result::Result<T, PolicyError>;

/// A JSON path, rendered only when an error needs it (no allocation on the happy path).
#[derive(Clone, Copy)]
pub(super) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    key: &'a str,
    index: usize,
}

pub(super) const ROOT: Path<'static> = Path {
    parent: None,
    key: "",
    index: 0,
};

impl<'a> Path<'a> {
    pub(super) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            key,
            index: 0,
        }
    }
    fn at(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            key: "",
            index,
        }
    }
    pub(super) fn render(&self, out: &mut String) {
        match self.parent {
            None => out.push('$'),
            Some(parent) => {
                parent.render(out);
                if self.key.is_empty() {
                    out.push('[');
                    out.push_str(&self.index.to_string());
                    out.push(']');
                } else {
                    out.push('.');
                    out.push_str(self.key);
                }
            }
        }
    }
}

#[cold]
#[inline(never)]
pub(super) fn error(path: &Path<'_>, message: String) -> PolicyError {
    let mut rendered = String::new();
    path.render(&mut rendered);
    PolicyError {
        path: rendered,
        message,
    }
}

#[cold]
#[inline(never)]
pub(super) fn fail<T>(path: &Path<'_>, message: &str) -> Result<T> {
    Err(error(path, message.to_string()))
}

#[cold]
#[inline(never)]
fn wrong_type<T>(path: &Path<'_>, expected: &str, found: &Value) -> Result<T> {
    Err(error(
        path,
        format!("must be {expected}, not {}", found.type_name()),
    ))
}

#[inline(never)]
fn int(value: &Value, path: &Path<'_>, min: i64, max: i64) -> Result<i64> {
    match value {
        Value::Int(i) if (min..=max).contains(i) => Ok(*i),
        Value::Int(_) | Value::NonInteger => Err(error(
            path,
            format!("must be a whole number from {min} to {max}"),
        )),
        other => wrong_type(path, "a number", other),
    }
}

#[inline(never)]
fn text<'v>(value: &'v Value, path: &Path<'_>) -> Result<&'v str> {
    match value {
        Value::String(s) if !s.trim().is_empty() && s.chars().count() <= 500 => Ok(s),
        Value::String(_) => fail(path, "must be a non-empty string of at most 500 characters"),
        other => wrong_type(path, "a string", other),
    }
}

#[inline(never)]
fn array<'v>(value: &'v Value, path: &Path<'_>, max: usize) -> Result<&'v [Value]> {
    match value {
        Value::Array(items) if items.len() <= max => Ok(items),
        Value::Array(_) => Err(error(path, format!("must have at most {max} items"))),
        other => wrong_type(path, "an array", other),
    }
}

#[inline(never)]
fn date(value: &Value, path: &Path<'_>, year: u32) -> Result<Date> {
    match value {
        Value::String(s) => match Date::parse_iso(s) {
            Some(d) if d.year() == year => Ok(d),
            Some(_) => fail(path, "is not in the entry's year"),
            None => fail(path, "must be a real date written YYYY-MM-DD"),
        },
        other => wrong_type(path, "a date string", other),
    }
}

/// An object being read: its members and where it is.
pub(super) struct Obj<'v, 'p> {
    members: &'v [(String, Value)],
    path: &'p Path<'p>,
}

#[inline(never)]
pub(super) fn object<'v, 'p>(
    value: &'v Value,
    path: &'p Path<'p>,
    allowed: &[&str],
) -> Result<Obj<'v, 'p>> {
    let Value::Object(members) = value else {
        return wrong_type(path, "an object", value);
    };
    for (key, _) in members {
        if key != "note" && !allowed.contains(&key.as_str()) {
            return fail(&path.key(key), "unknown key");
        }
    }
    Ok(Obj { members, path })
}

impl<'v> Obj<'v, '_> {
    pub(super) fn get(&self, key: &str) -> Option<&'v Value> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    #[inline(never)]
    pub(super) fn required(&self, key: &str) -> Result<&'v Value> {
        match self.get(key) {
            Some(value) => Ok(value),
            None => fail(&self.path.key(key), "is required"),
        }
    }

    pub(super) fn int(&self, key: &str, min: i64, max: i64) -> Result<i64> {
        int(self.required(key)?, &self.path.key(key), min, max)
    }

    pub(super) fn count(&self, key: &str, min: i64, max: i64) -> Result<u32> {
        Ok(self.int(key, min, max)? as u32)
    }

    fn text(&self, key: &str) -> Result<&'v str> {
        text(self.required(key)?, &self.path.key(key))
    }

    #[inline(never)]
    fn boolean(&self, key: &str, default: Option<bool>) -> Result<bool> {
        match (self.get(key), default) {
            (Some(Value::Bool(b)), _) => Ok(*b),
            (None, Some(b)) => Ok(b),
            (None, None) => fail(&self.path.key(key), "is required"),
            (Some(other), _) => wrong_type(&self.path.key(key), "a boolean", other),
        }
    }

    /// An amount in fen that may be absent.
    pub(super) fn optional_fen(&self, key: &str) -> Result<Option<u64>> {
        match self.get(key) {
            Some(_) => Ok(Some(self.int(key, 0, MAX_FEN)? as u64)),
            None => Ok(None),
        }
    }

    fn array(&self, key: &str, max: usize) -> Result<&'v [Value]> {
        array(self.required(key)?, &self.path.key(key), max)
    }

    /// `HH:MM` as seconds since midnight; `24:00` only where `end` is true.
    #[inline(never)]
    pub(super) fn time(&self, key: &str, end: bool) -> Result<u32> {
        let parsed = match self.required(key)? {
            Value::String(s) => match s.as_bytes() {
                [h1 @ b'0'..=b'9', h2 @ b'0'..=b'9', b':', m1 @ b'0'..=b'5', m2 @ b'0'..=b'9'] => {
                    let hours = u32::from(h1 - b'0') * 10 + u32::from(h2 - b'0');
                    let minutes = u32::from(m1 - b'0') * 10 + u32::from(m2 - b'0');
                    let seconds = hours * 3600 + minutes * 60;
                    (hours < 24 || (end && seconds == 86_400)).then_some(seconds)
                }
                _ => None,
            },
            _ => None,
        };
        match parsed {
            Some(seconds) => Ok(seconds),
            None if end => fail(
                &self.path.key(key),
                "must be a time HH:MM from 00:00 to 24:00",
            ),
            None => fail(
                &self.path.key(key),
                "must be a time HH:MM from 00:00 to 23:59",
            ),
        }
    }

    /// The index of `source` in the document's sources.
    #[inline(never)]
    fn source(&self, sources: &[(String, String)]) -> Result<usize> {
        let key = self.text("source")?;
        match sources.iter().position(|(k, _)| k == key) {
            Some(index) => Ok(index),
            None => fail(&self.path.key("source"), "names no entry of $.sources"),
        }
    }

    #[inline(never)]
    fn ages(&self) -> Result<Ages> {
        let min = self.count("minAge", 0, 17)?;
        let max = self.count("maxAge", 1, 18)?;
        if min >= max {
            return fail(&self.path.key("maxAge"), "must be greater than minAge");
        }
        Ok(Ages { min, max })
    }
}

/// Rule age ranges of one section must not overlap.
#[inline(never)]
fn no_overlap(ranges: &[Ages], path: &Path<'_>) -> Result<()> {
    for (i, a) in ranges.iter().enumerate() {
        for b in ranges.iter().skip(i + 1) {
            if a.min < b.max && b.min < a.max {
                return fail(
                    &path.at(i).key("minAge"),
                    "overlaps another rule of this list",
                );
            }
        }
    }
    Ok(())
}

impl Policy {
    /// The shipped preset `cn-2024-games` (alias `cn-2024`): the stricter preset, see the module
    /// documentation for which preset binds which platform.
    pub fn preset() -> Policy {
        // The presets are tested to parse; an empty policy is the unreachable fallback.
        Policy::parse(PRESET_CN_2024_GAMES).unwrap_or_else(|_| Policy::empty())
    }

    /// A shipped preset by name ([`PRESETS`]), `None` for an unknown name.
    pub fn preset_named(name: &str) -> Option<Policy> {
        Policy::parse(preset_text(name)?).ok()
    }

    /// A policy with no rules (every minor allowed): only a fallback.
    fn empty() -> Policy {
        Policy {
            id: String::new(),
            version: String::new(),
            age_rule: AgeRule::default(),
            sources: Vec::new(),
            age_bands: Vec::new(),
            guardian_consent_under: (14, 0),
            guardian_min_age: (crate::age::AGE_OF_MAJORITY, None),
            payment: Vec::new(),
            play: None,
            guest_mode: None,
            daily_limits: Vec::new(),
            curfew: None,
            rest_reminder: None,
            minor_mode: None,
            calendar: Calendar::default(),
        }
    }

    /// Parses and validates a policy document (JSON text).
    pub fn parse(text: &str) -> Result<Policy> {
        let document = json::parse(text).map_err(|e| error(&ROOT, e.to_string()))?;
        Policy::from_value(&document)
    }

    /// Validates an already parsed document.
    #[inline(never)]
    pub fn from_value(document: &Value) -> Result<Policy> {
        let top = object(
            document,
            &ROOT,
            &[
                "$schema",
                "description",
                "format",
                "id",
                "version",
                "ageRule",
                "sources",
                "ageBands",
                "guardianConsent",
                "guardian",
                "payment",
                "play",
                "guestMode",
                "dailyLimits",
                "curfew",
                "restReminder",
                "minorMode",
                "calendar",
            ],
        )?;
        if top.int("format", 0, i64::MAX)? != FORMAT {
            return fail(
                &ROOT.key("format"),
                "must be 1 (the format this library reads)",
            );
        }
        let id = top.text("id")?.to_string();
        let version = top.text("version")?.to_string();
        let age_rule = match top.get("ageRule") {
            None => AgeRule::default(),
            Some(_) => match AgeRule::parse(top.text("ageRule")?) {
                Some(rule) => rule,
                None => {
                    return fail(
                        &ROOT.key("ageRule"),
                        "must be \"day_after_birthday\" or \"on_birthday\"",
                    )
                }
            },
        };

        let sources_path = ROOT.key("sources");
        let entries = match top.required("sources")? {
            Value::Object(entries) if !entries.is_empty() && entries.len() <= 100 => entries,
            _ => return fail(&sources_path, "must be an object of 1 to 100 citations"),
        };
        let mut sources = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let citation = text(value, &sources_path.key(key))?;
            sources.push((key.clone(), citation.to_string()));
        }
        let sources_ref = &sources;

        let bands_path = ROOT.key("ageBands");
        let bands = top.array("ageBands", 7)?;
        if bands.len() != AgeBand::ALL.len() {
            return fail(&bands_path, "must list all 7 bands, in order");
        }
        let mut age_bands = Vec::with_capacity(7);
        for (i, (item, band)) in bands.iter().zip(AgeBand::ALL).enumerate() {
            let path = bands_path.at(i);
            let m = object(item, &path, &["band", "minAge", "maxAge", "source"])?;
            let (first, end) = band.ages();
            let max = match m.get("maxAge") {
                Some(_) => Some(m.count("maxAge", 0, 200)?),
                None => None,
            };
            if m.text("band")? != band.as_str() || m.count("minAge", 0, 200)? != first || max != end
            {
                return fail(&path, "must be the band of this position with the library's ages (under_3 0-3, 3_to_8, 8_to_12, 12_to_14, 14_to_16, 16_to_18, adult 18-)");
            }
            age_bands.push((band, m.source(sources_ref)?));
        }

        let consent_path = ROOT.key("guardianConsent");
        let m = object(
            top.required("guardianConsent")?,
            &consent_path,
            &["underAge", "source"],
        )?;
        let guardian_consent_under = (m.count("underAge", 1, 18)?, m.source(sources_ref)?);

        let guardian_path = ROOT.key("guardian");
        let guardian_min_age = match top.get("guardian") {
            None => (crate::age::AGE_OF_MAJORITY, None),
            Some(item) => {
                let m = object(item, &guardian_path, &["minAge", "source"])?;
                (m.count("minAge", 16, 18)?, Some(m.source(sources_ref)?))
            }
        };

        let mut payment = Vec::new();
        if top.get("payment").is_some() {
            let path = ROOT.key("payment");
            for (i, item) in top.array("payment", 18)?.iter().enumerate() {
                let ipath = path.at(i);
                let m = object(
                    item,
                    &ipath,
                    &[
                        "minAge",
                        "maxAge",
                        "perPaymentFen",
                        "perDayFen",
                        "perMonthFen",
                        "source",
                    ],
                )?;
                let per_payment_fen = m.optional_fen("perPaymentFen")?;
                let per_day_fen = m.optional_fen("perDayFen")?;
                let per_month_fen = m.optional_fen("perMonthFen")?;
                if per_payment_fen.is_none() && per_day_fen.is_none() && per_month_fen.is_none() {
                    return fail(
                        &ipath,
                        "must set at least one of perPaymentFen, perDayFen, perMonthFen",
                    );
                }
                if let Some(single) = per_payment_fen {
                    if per_day_fen.is_some_and(|day| single > day) {
                        return fail(&ipath.key("perPaymentFen"), "must not exceed perDayFen");
                    }
                    if per_month_fen.is_some_and(|month| single > month) {
                        return fail(&ipath.key("perPaymentFen"), "must not exceed perMonthFen");
                    }
                }
                if let (Some(day), Some(month)) = (per_day_fen, per_month_fen) {
                    if day > month {
                        return fail(&ipath.key("perDayFen"), "must not exceed perMonthFen");
                    }
                }
                payment.push(PaymentRule {
                    ages: m.ages()?,
                    per_payment_fen,
                    per_day_fen,
                    per_month_fen,
                    source: m.source(sources_ref)?,
                });
            }
        }

        let play_path = ROOT.key("play");
        let play = match top.get("play") {
            None => None,
            Some(item) => {
                let m = object(
                    item,
                    &play_path,
                    &[
                        "minAge",
                        "maxAge",
                        "weekdays",
                        "holidays",
                        "adjustedWorkdays",
                        "windows",
                        "maxSecondsPerDay",
                        "source",
                    ],
                )?;
                let days_path = play_path.key("weekdays");
                let mut weekdays = Vec::new();
                for (i, d) in m.array("weekdays", 7)?.iter().enumerate() {
                    let day = int(d, &days_path.at(i), 1, 7)? as u32;
                    if weekdays.contains(&day) {
                        return fail(&days_path.at(i), "is listed twice");
                    }
                    weekdays.push(day);
                }
                let windows_path = play_path.key("windows");
                let mut windows: Vec<(u32, u32)> = Vec::new();
                for (i, w) in m.array("windows", 24)?.iter().enumerate() {
                    let wpath = windows_path.at(i);
                    let wm = object(w, &wpath, &["start", "end"])?;
                    let start = wm.time("start", false)?;
                    let end = wm.time("end", true)?;
                    if end <= start {
                        return fail(
                            &wpath.key("end"),
                            "must be after start (a window stays within one day)",
                        );
                    }
                    if windows
                        .last()
                        .is_some_and(|(_, last_end)| start < *last_end)
                    {
                        return fail(
                            &wpath.key("start"),
                            "windows must be in order and not overlap",
                        );
                    }
                    windows.push((start, end));
                }
                let max_seconds_per_day = match m.get("maxSecondsPerDay") {
                    Some(_) => Some(m.count("maxSecondsPerDay", 0, 86_400)?),
                    None => None,
                };
                Some(PlayRule {
                    ages: m.ages()?,
                    weekdays,
                    holidays: m.boolean("holidays", None)?,
                    adjusted_workdays: m.boolean("adjustedWorkdays", Some(false))?,
                    windows,
                    max_seconds_per_day,
                    source: m.source(sources_ref)?,
                })
            }
        };

        let guest_path = ROOT.key("guestMode");
        let guest_mode = match top.get("guestMode") {
            None => None,
            Some(item) => {
                let m = object(item, &guest_path, &["allowed", "source"])?;
                Some(GuestMode {
                    allowed: m.boolean("allowed", None)?,
                    source: m.source(sources_ref)?,
                })
            }
        };

        let mut daily_limits = Vec::new();
        if top.get("dailyLimits").is_some() {
            let path = ROOT.key("dailyLimits");
            for (i, item) in top.array("dailyLimits", 18)?.iter().enumerate() {
                let ipath = path.at(i);
                let m = object(
                    item,
                    &ipath,
                    &[
                        "minAge",
                        "maxAge",
                        "seconds",
                        "guardianMaxSeconds",
                        "source",
                    ],
                )?;
                let seconds = m.count("seconds", 0, 86_400)?;
                let guardian_max_seconds = match m.get("guardianMaxSeconds") {
                    Some(_) => Some(m.count("guardianMaxSeconds", i64::from(seconds), 86_400)?),
                    None => None,
                };
                daily_limits.push(DailyLimit {
                    ages: m.ages()?,
                    seconds,
                    guardian_max_seconds,
                    source: m.source(sources_ref)?,
                });
            }
            no_overlap(
                &daily_limits.iter().map(|r| r.ages).collect::<Vec<_>>(),
                &path,
            )?;
        }

        let curfew_path = ROOT.key("curfew");
        let curfew = match top.get("curfew") {
            None => None,
            Some(item) => {
                let m = object(
                    item,
                    &curfew_path,
                    &["minAge", "maxAge", "start", "end", "source"],
                )?;
                let start = m.time("start", false)?;
                let end = m.time("end", false)?;
                if start == end {
                    return fail(&curfew_path.key("end"), "must differ from start");
                }
                Some(Curfew {
                    ages: m.ages()?,
                    start,
                    end,
                    source: m.source(sources_ref)?,
                })
            }
        };

        let rest_path = ROOT.key("restReminder");
        let rest_reminder = match top.get("restReminder") {
            None => None,
            Some(item) => {
                let m = object(
                    item,
                    &rest_path,
                    &["minAge", "maxAge", "afterSeconds", "source"],
                )?;
                Some(RestReminder {
                    ages: m.ages()?,
                    after_seconds: m.count("afterSeconds", 60, 86_400)?,
                    source: m.source(sources_ref)?,
                })
            }
        };

        let mode_path = ROOT.key("minorMode");
        let minor_mode = match top.get("minorMode") {
            None => None,
            Some(item) => {
                let m = object(item, &mode_path, &["minAge", "maxAge", "source"])?;
                Some(MinorMode {
                    ages: m.ages()?,
                    source: m.source(sources_ref)?,
                })
            }
        };

        let mut calendar = Calendar::default();
        if top.get("calendar").is_some() {
            let path = ROOT.key("calendar");
            for (i, item) in top.array("calendar", 100)?.iter().enumerate() {
                let ipath = path.at(i);
                let m = object(item, &ipath, &["year", "holidays", "workdays", "source"])?;
                let year = m.count("year", 1949, 9999)?;
                if calendar.year(year).is_some() {
                    return fail(&ipath.key("year"), "is listed twice");
                }
                let holidays_path = ipath.key("holidays");
                let mut holidays = Vec::new();
                for (j, range) in m.array("holidays", 60)?.iter().enumerate() {
                    let rpath = holidays_path.at(j);
                    let (first, last) = match array(range, &rpath, 2)? {
                        [first, last] => (
                            date(first, &rpath.at(0), year)?,
                            date(last, &rpath.at(1), year)?,
                        ),
                        _ => return fail(&rpath, "must be [first, last], two dates"),
                    };
                    if last < first {
                        return fail(&rpath.at(1), "must not be before the first day");
                    }
                    holidays.push((first, last));
                }
                let workdays_path = ipath.key("workdays");
                let mut workdays = Vec::new();
                for (j, d) in m.array("workdays", 60)?.iter().enumerate() {
                    let day = date(d, &workdays_path.at(j), year)?;
                    if holidays.iter().any(|(a, b)| *a <= day && day <= *b) {
                        return fail(&workdays_path.at(j), "is also a holiday");
                    }
                    workdays.push(day);
                }
                let source = m.source(sources_ref)?;
                calendar.years.push(CalendarYear {
                    year,
                    source: sources
                        .get(source)
                        .map(|(k, _)| k.clone())
                        .unwrap_or_default(),
                    holidays,
                    workdays,
                });
            }
        }

        Ok(Policy {
            id,
            version,
            age_rule,
            sources,
            age_bands,
            guardian_consent_under,
            guardian_min_age,
            payment,
            play,
            guest_mode,
            daily_limits,
            curfew,
            rest_reminder,
            minor_mode,
            calendar,
        })
    }

    /// The citation of a source index.
    pub fn citation(&self, source: usize) -> &str {
        self.sources.get(source).map_or("", |(_, c)| c.as_str())
    }
}
