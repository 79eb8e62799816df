//! `evaluatePolicy`, `setMinorPolicy`, `minorPolicy`, `minorPolicyPreset`, `checkGuardianLimits`:
//! the minor-protection policy runtime.
//!
//! Built as a wasm module of its own (`shiming/policy`, this crate), so that a
//! registration page does not download it: the registration module stays within its size budget,
//! and a game or shop loads this one where it checks payments and play time. A malformed policy
//! throws a `RangeError` naming the JSON path, and the policy in force stays.
//!
//! wasm32 only: natively the crate is empty, and a native build compiles no wasm-bindgen.
#![cfg(target_arch = "wasm32")]

use core::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use shiming_js_common::dto::{issues, to_js, IssueDto, Params};
use shiming_js_common::options::{check_options, option_value, parse_locale, range_error};
use shiming_js_common::time::{birth_date, is_absent, now_from};
use shiming_js_common::{optional_object, type_error};

use shiming::age::age_on;
use shiming::minor::{
    evaluate_with, Activity, AgeBand, GuardianLimits, LimitBounds, LocalTime, Policy, Subject,
};

thread_local! {
    /// The policy in force: `None` until first used or set (then the preset).
    static IN_FORCE: RefCell<Option<(String, Policy)>> = const { RefCell::new(None) };
    /// The last policy text passed to `evaluatePolicy`, parsed.
    static LAST: RefCell<Option<(String, Policy)>> = const { RefCell::new(None) };
}

/// The policy's JSON text from a string or a plain object.
fn policy_text(policy: &JsValue, name: &str) -> Result<String, JsValue> {
    if let Some(text) = policy.as_string() {
        return Ok(text);
    }
    if !policy.is_object() || Array::is_array(policy) || policy.is_function() {
        return Err(type_error(&format!(
            "{name} must be a JSON string or a plain object"
        )));
    }
    js_sys::JSON::stringify(policy)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| type_error(&format!("{name} cannot be written as JSON")))
}

fn parse_policy(text: &str) -> Result<Policy, JsValue> {
    Policy::parse(text).map_err(|e| range_error(&e.to_string()))
}

/// The preset `cn-2024-games` (alias `cn-2024`), as its text and parsed. The text comes through
/// `preset_text`, not the core's constant, which would put a second copy into the module.
fn preset() -> (String, Policy) {
    let text = shiming::minor::policy::preset_text("cn-2024-games").unwrap_or_default();
    (text.to_string(), Policy::preset())
}

/// Runs `f` with the policy in force (the preset until `setMinorPolicy`).
fn with_in_force<T>(f: impl FnOnce(&str, &Policy) -> T) -> T {
    IN_FORCE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let (text, policy) = slot.get_or_insert_with(preset);
        f(text, policy)
    })
}

/// A shipped preset by name (`cn-2024-content`, `cn-2024-games`, `cn-2024`), as a plain object to
/// pass to `setMinorPolicy`; `undefined` for an unknown name.
#[wasm_bindgen(js_name = minorPolicyPreset, unchecked_return_type = "MinorPolicy | undefined")]
pub fn minor_policy_preset_js(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<JsValue, JsValue> {
    // A JsValue, not &str: a non-string must be a TypeError, never a read of a made-up pointer.
    let Some(name) = name.as_string() else {
        return Err(type_error(
            "minorPolicyPreset(name) takes a preset name string",
        ));
    };
    match shiming::minor::policy::preset_text(&name) {
        Some(text) => js_sys::JSON::parse(text),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// Replaces the policy in force; `null` goes back to the preset `cn-2024-games`. A malformed
/// policy throws (naming the JSON path) and the policy in force stays.
#[wasm_bindgen(js_name = setMinorPolicy, unchecked_return_type = "{ id: string; version: string }")]
pub fn set_minor_policy_js(
    #[wasm_bindgen(unchecked_param_type = "string | MinorPolicy | null")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    let (text, parsed) = if policy.is_null() {
        preset()
    } else {
        let text = policy_text(&policy, "setMinorPolicy(policy)")?;
        let parsed = parse_policy(&text)?;
        (text, parsed)
    };
    let out = Object::new();
    Reflect::set(&out, &"id".into(), &parsed.id.as_str().into())?;
    Reflect::set(&out, &"version".into(), &parsed.version.as_str().into())?;
    IN_FORCE.with(|cell| *cell.borrow_mut() = Some((text, parsed)));
    Ok(out.into())
}

/// The policy in force, as a plain object (a fresh copy).
#[wasm_bindgen(js_name = minorPolicy, unchecked_return_type = "MinorPolicy")]
pub fn minor_policy_js() -> Result<JsValue, JsValue> {
    with_in_force(|text, _| js_sys::JSON::parse(text))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EvaluationDto<'a> {
    allowed: bool,
    code: &'static str,
    params: Params<'a>,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_allowed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remaining: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    age_band: Option<&'static str>,
    by_guardian: bool,
    minor_mode: bool,
    warnings: Vec<IssueDto<'a>>,
}

/// A whole number `0..=2^53-1` from `activity[key]`.
fn count(activity: &JsValue, key: &str) -> Result<u64, JsValue> {
    let value = Reflect::get(activity, &JsValue::from_str(key))?;
    let n = value
        .as_f64()
        .ok_or_else(|| type_error(&format!("activity.{key} must be a number")))?;
    if n.fract() != 0.0 || !(0.0..=9_007_199_254_740_991.0).contains(&n) {
        return Err(range_error(&format!(
            "activity.{key} must be a whole number ≥ 0"
        )));
    }
    Ok(n as u64)
}

fn parse_activity(activity: &JsValue) -> Result<Activity, JsValue> {
    if !activity.is_object() {
        return Err(type_error("activity must be an object { type, ... }"));
    }
    let kind = Reflect::get(activity, &"type".into())?.as_string();
    Ok(match kind.as_deref() {
        Some("payment") => Activity::Payment {
            amount_fen: count(activity, "amountFen")?,
            spent_today_fen: count(activity, "spentTodayFen")?,
            spent_this_month_fen: count(activity, "spentThisMonthFen")?,
        },
        Some("play") => Activity::Play {
            used_today_seconds: count(activity, "usedTodaySeconds")?,
        },
        Some("session") => Activity::Session {
            used_today_seconds: count(activity, "usedTodaySeconds")?,
            continuous_seconds: count(activity, "continuousSeconds")?,
        },
        _ => {
            return Err(range_error(
                "activity.type must be 'payment', 'play' or 'session'",
            ))
        }
    })
}

fn parse_subject(subject: &JsValue) -> Result<Subject, JsValue> {
    if let Some(n) = subject.as_f64() {
        if n.fract() != 0.0 || !(0.0..=200.0).contains(&n) {
            return Err(range_error(
                "subject as an age must be a whole number from 0 to 200",
            ));
        }
        return Ok(Subject::Age(n as u32));
    }
    match subject.as_string().as_deref() {
        Some("guest") => Ok(Subject::Guest),
        Some(_) => Ok(Subject::BirthDate(birth_date(subject, "subject")?)),
        None => Err(type_error(
            "subject must be a birth date 'YYYY-MM-DD', an age, or 'guest'",
        )),
    }
}

/// Evaluates a minor-protection policy (`null`: the policy in force) for one subject, activity
/// and instant.
#[wasm_bindgen(js_name = evaluatePolicy, unchecked_return_type = "PolicyEvaluation")]
pub fn evaluate_policy_js(
    #[wasm_bindgen(unchecked_param_type = "string | MinorPolicy | null | undefined")]
    policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | number")] subject: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PolicyActivity")] activity: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number | string | null")] now: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "{ locale?: Locale; limits?: GuardianLimits | string | null }"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = optional_object(options);
    check_options(options.as_ref(), "", "locale limits")?;
    let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
    let limits = parse_limits(&option_value(options.as_ref(), "limits")?, "options.limits")?;
    let subject = parse_subject(&subject)?;
    let activity = parse_activity(&activity)?;
    let mut clock_warnings = Vec::new();
    let now = now_from(&now, &mut clock_warnings)?;
    let run = |policy: &Policy| {
        let mut result = evaluate_with(policy, limits.as_ref(), subject, &activity, now);
        result.warnings.splice(0..0, clock_warnings.iter().cloned());
        result
    };
    let result = if is_absent(&policy) {
        with_in_force(|_, p| run(p))
    } else {
        let text = policy_text(&policy, "evaluatePolicy(policy)")?;
        let cached = LAST.with(|last| match &*last.borrow() {
            Some((t, p)) if *t == text => Some(run(p)),
            _ => None,
        });
        match cached {
            Some(result) => result,
            None => {
                let parsed = parse_policy(&text)?;
                let result = run(&parsed);
                LAST.with(|last| *last.borrow_mut() = Some((text, parsed)));
                result
            }
        }
    };
    to_js(&EvaluationDto {
        allowed: result.allowed,
        code: result.code.as_str(),
        params: Params(&result.params),
        message: shiming_js_common::messages::message(&result.issue(), locale),
        rule: result.rule.map(|r| r.as_str()),
        source: result.source.as_deref(),
        next_allowed_at: result.next_allowed_at.map(LocalTime::to_iso),
        remaining: result.remaining,
        age_band: result.band.map(AgeBand::as_str),
        by_guardian: result.by_guardian,
        minor_mode: result.minor_mode,
        warnings: issues(&result.warnings, locale),
    })
}

/// A guardian's limits from a plain object or JSON text; `None` when absent. A malformed setting
/// throws a `RangeError` naming the JSON path.
fn parse_limits(value: &JsValue, name: &str) -> Result<Option<GuardianLimits>, JsValue> {
    if is_absent(value) {
        return Ok(None);
    }
    let text = policy_text(value, name)?;
    GuardianLimits::parse(&text)
        .map(Some)
        .map_err(|e| range_error(&format!("{name}: {e}")))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BoundsDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    daily_seconds: Option<DailyBoundDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    play_seconds_per_day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_payment_fen: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_day_fen: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_month_fen: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DailyBoundDto {
    policy: u32,
    guardian_max: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LimitsCheckDto<'a> {
    ok: bool,
    issues: Vec<IssueDto<'a>>,
    bounds: BoundsDto,
}

/// Checks a guardian's limits for a minor (a birth date or an age) under a policy (`null`: the
/// policy in force): `{ ok, issues, bounds }`, where `bounds` gives the policy's limits for the
/// age and the longest daily time a guardian may set.
#[wasm_bindgen(js_name = checkGuardianLimits, unchecked_return_type = "GuardianLimitsCheck")]
pub fn check_guardian_limits_js(
    #[wasm_bindgen(unchecked_param_type = "string | MinorPolicy | null | undefined")]
    policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | number")] subject: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GuardianLimits | string")] limits: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number | string | null")] now: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ locale?: Locale }")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = optional_object(options);
    check_options(options.as_ref(), "", "locale")?;
    let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
    let subject = parse_subject(&subject)?;
    let mut clock_warnings = Vec::new();
    let now = now_from(&now, &mut clock_warnings)?;
    let run = |policy: &Policy, limits: Result<GuardianLimits, shiming::minor::PolicyError>| {
        let age = match subject {
            Subject::BirthDate(birth) => age_on(birth, now.date, policy.age_rule),
            Subject::Age(age) => age,
            Subject::Guest => 0,
        };
        let found = match &limits {
            Ok(limits) => limits.check(policy, age),
            Err(e) => vec![shiming::minor::limits::invalid_issue(e)],
        };
        (found, LimitBounds::of(policy, age))
    };
    let text = if is_absent(&limits) {
        return Err(type_error("checkGuardianLimits(limits) is required"));
    } else {
        policy_text(&limits, "checkGuardianLimits(limits)")?
    };
    let (found, bounds) = if is_absent(&policy) {
        with_in_force(|_, p| run(p, GuardianLimits::parse(&text)))
    } else {
        let policy = parse_policy(&policy_text(&policy, "checkGuardianLimits(policy)")?)?;
        run(&policy, GuardianLimits::parse(&text))
    };
    to_js(&LimitsCheckDto {
        ok: found.is_empty(),
        issues: issues(&found, locale),
        bounds: BoundsDto {
            daily_seconds: bounds
                .daily_seconds
                .map(|(policy, guardian_max)| DailyBoundDto {
                    policy,
                    guardian_max,
                }),
            play_seconds_per_day: bounds.play_seconds_per_day,
            per_payment_fen: bounds.per_payment_fen,
            per_day_fen: bounds.per_day_fen,
            per_month_fen: bounds.per_month_fen,
        },
    })
}

#[wasm_bindgen(typescript_custom_section)]
const TS_POLICY: &'static str = r#"
/** A minor-protection policy document (format 1): see data/policy/policy.schema.json. */
export interface MinorPolicy {
  format: 1;
  id: string;
  version: string;
  ageRule?: 'day_after_birthday' | 'on_birthday';
  sources: Record<string, string>;
  ageBands: { band: AgeBand; minAge: number; maxAge?: number; source: string }[];
  guardianConsent: { underAge: number; source: string };
  /** The youngest a minor's guardian may be (16 to 18, default 18): a platform's choice. Pass it to `checkGuardian` as `guardianMinAge`. */
  guardian?: { minAge: number; source: string };
  /** Every rule for an age applies (each cap may cite its own source); at least one cap per rule. */
  payment?: { minAge: number; maxAge: number; perPaymentFen?: number; perDayFen?: number; perMonthFen?: number; source: string }[];
  play?: { minAge: number; maxAge: number; weekdays: number[]; holidays: boolean; adjustedWorkdays?: boolean;
           windows: { start: string; end: string }[]; maxSecondsPerDay?: number; source: string };
  guestMode?: { allowed: boolean; source: string };
  /** `guardianMaxSeconds`: the longest daily time a guardian may set (absent: only shorter). */
  dailyLimits?: { minAge: number; maxAge: number; seconds: number; guardianMaxSeconds?: number; source: string }[];
  curfew?: { minAge: number; maxAge: number; start: string; end: string; source: string };
  restReminder?: { minAge: number; maxAge: number; afterSeconds: number; source: string };
  /** The ages for which the platform shows its minor mode (未成年人网络保护条例 Art. 43). */
  minorMode?: { minAge: number; maxAge: number; source: string };
  calendar?: { year: number; holidays: [string, string][]; workdays: string[]; source: string }[];
  [key: string]: unknown;
}
export type PolicyActivity =
  | { type: 'payment'; amountFen: number; spentTodayFen: number; spentThisMonthFen: number }
  | { type: 'play'; usedTodaySeconds: number }
  | { type: 'session'; usedTodaySeconds: number; continuousSeconds: number };
/** The outcome of `evaluatePolicy`. A refusal names its `rule` and `source`. */
export interface PolicyEvaluation {
  allowed: boolean;
  code: IssueCode;
  params: Record<string, IssueParam>;
  message: string;
  rule?: 'payment' | 'play' | 'guest_mode' | 'daily_limit' | 'curfew' | 'rest_reminder';
  /** The citation of the rule's source. */
  source?: string;
  /** The next start of a play window, or the end of the curfew / the next day, e.g. '2026-11-27T20:00:00+08:00'. */
  nextAllowedAt?: string;
  /** Fen (payment: the most one payment may be now) or seconds (play, session) still allowed. */
  remaining?: number;
  ageBand?: AgeBand;
  /** The limit that decided was the account guardian's (`options.limits`), not the policy's. */
  byGuardian: boolean;
  /** The policy's `minorMode` covers this person: show the platform's minor mode. */
  minorMode: boolean;
  /** `untrusted_clock` (no `now`), `calendar_year_missing`. */
  warnings: Issue[];
}
/** A guardian's own limits for one minor's account; each applies with the policy's (the stricter wins; a longer
 *  daily time only up to the rule's `guardianMaxSeconds`). `curfew` adds a night-time to the policy's. */
export interface GuardianLimits {
  dailySeconds?: number;
  playSecondsPerDay?: number;
  perPaymentFen?: number;
  perDayFen?: number;
  perMonthFen?: number;
  curfew?: { start: string; end: string };
}
/** The outcome of `checkGuardianLimits`. */
export interface GuardianLimitsCheck {
  ok: boolean;
  /** `guardian_limit_too_loose` (param `max`) or `guardian_limit_invalid`, at the member. */
  issues: Issue[];
  /** The policy's limits for this age; `dailySeconds.guardianMax` is the longest a guardian may set. */
  bounds: {
    dailySeconds?: { policy: number; guardianMax: number };
    playSecondsPerDay?: number;
    perPaymentFen?: number;
    perDayFen?: number;
    perMonthFen?: number;
  };
}
"#;

// `issueMessage`, `resolveLocale`, `isMessageKey`, `setMessageHook` and `configure({ locale? })`, as
// every module has them (`shiming_js_common::message_exports!`).
#[cfg(feature = "message-exports")]
shiming_js_common::message_exports!(configure);
