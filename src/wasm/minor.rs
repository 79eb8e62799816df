//! `ageOn`, `ageBand`, `checkGuardian`, `evaluatePolicy`, `setMinorPolicy`, `minorPolicy`.
//!
//! Caller mistakes throw (`TypeError` / `RangeError`, message starting `shiming:`), including a
//! malformed policy, whose error names the JSON path. Without a trusted time (`asOf`, `now`) the
//! device clock is used and the result carries the warning `untrusted_clock`.

use core::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::dto::{issues, to_js, IssueDto, Params};
use super::options::{check_options_object, option_value, parse_locale, range_error};
use super::registration::parse as parse_registration_options;
use super::{optional_object, type_error};
use crate::age::{age_on, AgeRule, AGE_OF_MAJORITY};
use crate::date::Date;
use crate::issue::{Code, Issue};
use crate::minor::{
    check_guardian, evaluate, needs_guardian_consent, Activity, AgeBand, GuardianForm, LocalTime,
    MinorRef, Policy, Subject,
};
use crate::registration::Field;

thread_local! {
    /// The policy in force: `None` until first used or set (then the preset).
    static IN_FORCE: RefCell<Option<(String, Policy)>> = const { RefCell::new(None) };
    /// The last policy text passed to `evaluatePolicy`, parsed.
    static LAST: RefCell<Option<(String, Policy)>> = const { RefCell::new(None) };
}

fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// Now, from `value` (Unix ms or an ISO date-time with offset), else the device clock (warning).
#[inline(never)]
fn now_from(value: &JsValue, warnings: &mut Vec<Issue>) -> Result<LocalTime, JsValue> {
    let parsed = if is_absent(value) {
        warnings.push(Issue::new(Code::UntrustedClock));
        LocalTime::from_unix_millis(js_sys::Date::now() as i64)
    } else if let Some(ms) = value.as_f64() {
        (ms.is_finite() && ms.abs() <= 1.0e15)
            .then(|| LocalTime::from_unix_millis(ms.floor() as i64))
            .flatten()
    } else if let Some(text) = value.as_string() {
        LocalTime::parse_iso(&text)
    } else {
        return Err(type_error(
            "the time must be Unix milliseconds or an ISO date-time string with an offset",
        ));
    };
    parsed.ok_or_else(|| {
        range_error("the time must be Unix milliseconds (years 1-9999) or an ISO date-time with an offset, e.g. 2026-11-27T20:00:00+08:00")
    })
}

/// The as-of date: `YYYY-MM-DD`, or anything `now_from` takes.
fn as_of_from(value: &JsValue, warnings: &mut Vec<Issue>) -> Result<Date, JsValue> {
    if let Some(date) = value.as_string().as_deref().and_then(Date::parse_iso) {
        return Ok(date);
    }
    Ok(now_from(value, warnings)?.date)
}

fn birth_date(value: &JsValue, name: &str) -> Result<Date, JsValue> {
    let text = value
        .as_string()
        .ok_or_else(|| type_error(&format!("{name} must be a string YYYY-MM-DD")))?;
    Date::parse_iso(&text)
        .ok_or_else(|| range_error(&format!("{name} must be a real date written YYYY-MM-DD")))
}

fn age_rule(options: Option<&Object>) -> Result<AgeRule, JsValue> {
    let rule = option_value(options, "ageRule")?;
    if is_absent(&rule) {
        return Ok(AgeRule::default());
    }
    rule.as_string()
        .and_then(|s| AgeRule::parse(&s))
        .ok_or_else(|| range_error("options.ageRule must be 'day_after_birthday' or 'on_birthday'"))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AgeDto<'a> {
    age: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    band: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_minor: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    needs_guardian_consent: Option<bool>,
    warnings: Vec<IssueDto<'a>>,
}

fn age_result(
    birth: &JsValue,
    as_of: &JsValue,
    options: JsValue,
    with_band: bool,
) -> Result<JsValue, JsValue> {
    let options = optional_object(options);
    check_options_object(options.as_ref())?;
    let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
    let rule = age_rule(options.as_ref())?;
    let mut warnings = Vec::new();
    let age = match birth.as_f64() {
        Some(n) if with_band => {
            if n.fract() != 0.0 || !(0.0..=200.0).contains(&n) {
                return Err(range_error(
                    "ageBand(age) must be a whole number from 0 to 200",
                ));
            }
            n as u32
        }
        _ => {
            let birth = birth_date(birth, "birthDate")?;
            age_on(birth, as_of_from(as_of, &mut warnings)?, rule)
        }
    };
    to_js(&AgeDto {
        age,
        band: with_band.then(|| AgeBand::of_age(age).as_str()),
        is_minor: with_band.then_some(age < AGE_OF_MAJORITY),
        needs_guardian_consent: with_band.then(|| needs_guardian_consent(age)),
        warnings: issues(&warnings, locale),
    })
}

/// Age in full years (周岁) on `asOf`.
#[wasm_bindgen(js_name = ageOn, unchecked_return_type = "AgeResult")]
pub fn age_on_js(
    #[wasm_bindgen(unchecked_param_type = "string")] birth_date: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | number | null")] as_of: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "AgeOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    age_result(&birth_date, &as_of, options, false)
}

/// The age band on `asOf` (from a birth date), or of an age.
#[wasm_bindgen(js_name = ageBand, unchecked_return_type = "AgeBandResult")]
pub fn age_band_js(
    #[wasm_bindgen(unchecked_param_type = "string | number")] birth_date_or_age: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | number | null")] as_of: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "AgeOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    age_result(&birth_date_or_age, &as_of, options, true)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GuardianValueDto<'a> {
    name: Option<&'a str>,
    id_kind: Option<&'static str>,
    id_number: Option<&'a str>,
    phone: Option<&'a str>,
    relation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<u32>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum GuardianResultDto<'a> {
    Ok {
        ok: bool,
        value: GuardianValueDto<'a>,
        warnings: Vec<IssueDto<'a>>,
    },
    Err {
        ok: bool,
        issues: Vec<IssueDto<'a>>,
        warnings: Vec<IssueDto<'a>>,
    },
}

/// A text field of a user-data object: missing, text, or of a wrong type (never throws).
fn text_field(object: &JsValue, key: &str) -> Option<Result<String, ()>> {
    match Reflect::get(object, &JsValue::from_str(key)) {
        Ok(value) if is_absent(&value) => None,
        Ok(value) => Some(value.as_string().ok_or(())),
        Err(_) => Some(Err(())),
    }
}

fn as_field(value: &Option<Result<String, ()>>) -> Field<'_> {
    match value {
        None => Field::Missing,
        Some(Ok(text)) => Field::Text(text),
        Some(Err(())) => Field::WrongType,
    }
}

/// Checks a minor's guardian: valid details, an adult, not the minor themself.
#[wasm_bindgen(js_name = checkGuardian, unchecked_return_type = "GuardianCheckResult")]
pub fn check_guardian_js(
    #[wasm_bindgen(unchecked_param_type = "GuardianForm")] guardian: JsValue,
    #[wasm_bindgen(unchecked_param_type = "GuardianOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = optional_object(options);
    let parsed = parse_registration_options(options.as_ref())?;
    let minor = option_value(options.as_ref(), "minor")?;
    if !minor.is_object() || Array::is_array(&minor) {
        return Err(type_error(
            "checkGuardian options.minor must be an object { name?, idNumber?, birthDate? }",
        ));
    }
    let minor_name = text_field(&minor, "name").and_then(Result::ok);
    let minor_id = text_field(&minor, "idNumber").and_then(Result::ok);
    let minor_birth = option_value(Some(&Object::unchecked_from_js(minor)), "birthDate")?;
    let minor_birth = if is_absent(&minor_birth) {
        None
    } else {
        Some(birth_date(&minor_birth, "options.minor.birthDate")?)
    };
    let mut core = parsed.core;
    if !parsed.explicit_as_of {
        core.as_of = super::options::device_today()?;
    }
    let locale = parsed.locale;
    let keys = ["name", "idKind", "idNumber", "phone", "relation"];
    let texts: Vec<Option<Result<String, ()>>> =
        if guardian.is_object() && !Array::is_array(&guardian) {
            keys.iter().map(|k| text_field(&guardian, k)).collect()
        } else {
            let rejected = crate::registration::not_an_object();
            return to_js(&GuardianResultDto::Err {
                ok: false,
                issues: issues(&rejected.issues, locale),
                warnings: Vec::new(),
            });
        };
    let field = |i: usize| texts.get(i).map_or(Field::Missing, as_field);
    let form = GuardianForm {
        name: field(0),
        id_kind: field(1),
        id_number: field(2),
        phone: field(3),
        relation: field(4),
    };
    let minor = MinorRef {
        name: minor_name.as_deref(),
        id_number: minor_id.as_deref(),
        birth_date: minor_birth,
    };
    let result = check_guardian(&form, &minor, &core);
    let dto = match &result {
        Ok(checked) => {
            let v = &checked.value;
            GuardianResultDto::Ok {
                ok: true,
                value: GuardianValueDto {
                    name: v.form.name.as_deref(),
                    id_kind: v.form.id_kind.map(|k| k.as_str()),
                    id_number: v.form.id.as_ref().map(|id| id.normalized.as_str()),
                    phone: v.form.phone.as_ref().map(|p| p.e164.as_str()),
                    relation: v.relation.as_str(),
                    age: v.age,
                },
                warnings: issues(&checked.warnings, locale),
            }
        }
        Err(rejected) => GuardianResultDto::Err {
            ok: false,
            issues: issues(&rejected.issues, locale),
            warnings: issues(&rejected.warnings, locale),
        },
    };
    to_js(&dto)
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

/// Runs `f` with the policy in force (the preset until `setMinorPolicy`).
fn with_in_force<T>(f: impl FnOnce(&str, &Policy) -> T) -> T {
    IN_FORCE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let (text, policy) = slot.get_or_insert_with(|| {
            (
                crate::minor::policy::PRESET_CN_2024.to_string(),
                Policy::preset(),
            )
        });
        f(text, policy)
    })
}

/// Replaces the policy in force; `null` goes back to the preset `cn-2024`. A malformed policy
/// throws (naming the JSON path) and the policy in force stays.
#[wasm_bindgen(js_name = setMinorPolicy, unchecked_return_type = "{ id: string; version: string }")]
pub fn set_minor_policy_js(
    #[wasm_bindgen(unchecked_param_type = "string | MinorPolicy | null")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    let (text, parsed) = if policy.is_null() {
        (
            crate::minor::policy::PRESET_CN_2024.to_string(),
            Policy::preset(),
        )
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
    #[wasm_bindgen(unchecked_optional_param_type = "{ locale?: Locale }")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = optional_object(options);
    check_options_object(options.as_ref())?;
    let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
    let subject = parse_subject(&subject)?;
    let activity = parse_activity(&activity)?;
    let mut clock_warnings = Vec::new();
    let now = now_from(&now, &mut clock_warnings)?;
    let run = |policy: &Policy| {
        let mut result = evaluate(policy, subject, &activity, now);
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
        message: result.message(locale),
        rule: result.rule.map(|r| r.as_str()),
        source: result.source.as_deref(),
        next_allowed_at: result.next_allowed_at.map(LocalTime::to_iso),
        remaining: result.remaining,
        age_band: result.band.map(AgeBand::as_str),
        warnings: issues(&result.warnings, locale),
    })
}

#[wasm_bindgen(typescript_custom_section)]
const TS_MINOR: &'static str = r#"
/** An age band (CAC 2024 minor mode; 14 from PIPL Art. 31). */
export type AgeBand = 'under_3' | '3_to_8' | '8_to_12' | '12_to_14' | '14_to_16' | '16_to_18' | 'adult';
/** Options of `ageOn` and `ageBand`. */
export interface AgeOptions {
  /** Default 'day_after_birthday' (民法典 Art. 201). */
  ageRule?: 'day_after_birthday' | 'on_birthday';
  locale?: Locale;
}
/** `warnings` holds `untrusted_clock` when `asOf` was not given (the device clock was used). */
export interface AgeResult { age: number; warnings: Issue[] }
export interface AgeBandResult extends AgeResult { band: AgeBand; isMinor: boolean; needsGuardianConsent: boolean }
/** The guardian's details (user data: never throws). */
export interface GuardianForm {
  name?: string;
  idKind?: IdKind | '';
  idNumber?: string;
  phone?: string;
  relation?: 'parent' | 'grandparent' | 'sibling' | 'other';
}
/** Options of `checkGuardian`: the registration options, plus the minor. */
export interface GuardianOptions extends RegistrationOptions {
  minor: { name?: string; idNumber?: string; birthDate?: string };
}
export type GuardianCheckResult =
  | { ok: true; value: { name: string; idKind: IdKind; idNumber: string; phone: string; relation: 'parent' | 'grandparent' | 'sibling' | 'other'; age?: number }; warnings: Issue[] }
  | { ok: false; issues: Issue[]; warnings: Issue[] };
/** A minor-protection policy document (format 1): see data/policy/policy.schema.json. */
export interface MinorPolicy {
  format: 1;
  id: string;
  version: string;
  ageRule?: 'day_after_birthday' | 'on_birthday';
  sources: Record<string, string>;
  ageBands: { band: AgeBand; minAge: number; maxAge?: number; source: string }[];
  guardianConsent: { underAge: number; source: string };
  payment?: { minAge: number; maxAge: number; perPaymentFen: number; perMonthFen: number; source: string }[];
  play?: { minAge: number; maxAge: number; weekdays: number[]; holidays: boolean; adjustedWorkdays?: boolean;
           windows: { start: string; end: string }[]; maxSecondsPerDay?: number; source: string };
  guestMode?: { allowed: boolean; source: string };
  dailyLimits?: { minAge: number; maxAge: number; seconds: number; source: string }[];
  curfew?: { minAge: number; maxAge: number; start: string; end: string; source: string };
  restReminder?: { minAge: number; maxAge: number; afterSeconds: number; source: string };
  calendar?: { year: number; holidays: [string, string][]; workdays: string[]; source: string }[];
  [key: string]: unknown;
}
export type PolicyActivity =
  | { type: 'payment'; amountFen: number; spentThisMonthFen: number }
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
  /** `untrusted_clock` (no `now`), `calendar_year_missing`. */
  warnings: Issue[];
}
"#;
