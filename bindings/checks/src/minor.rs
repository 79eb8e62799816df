//! `ageOn`, `ageBand`, `checkGuardian` (the policy runtime is `policy.rs`, a module of its own).
//!
//! Caller mistakes throw (`TypeError` / `RangeError`, message starting `shiming:`), including a
//! malformed policy, whose error names the JSON path. Without a trusted time (`asOf`, `now`) the
//! device clock is used and the result carries the warning `untrusted_clock`.

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::registration::{parse as parse_registration_options, GUARDIAN_KEYS};
use shiming::age::{age_on, AgeRule, AGE_OF_MAJORITY};
use shiming::minor::{check_guardian, needs_guardian_consent, AgeBand, GuardianForm, MinorRef};
use shiming::registration::Field;
use shiming_js_common::dto::{issues, to_js, IssueDto};
use shiming_js_common::options::{check_options, option_value, parse_locale, range_error};
use shiming_js_common::time::{as_of_from, birth_date, is_absent};
use shiming_js_common::{optional_object, type_error};

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
    check_options(options.as_ref(), "", "locale ageRule")?;
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
            let as_of = as_of_from(as_of, &mut warnings)?;
            // A birth after the as-of date has no age: a caller mistake (checkId already refuses
            // such a number), not a newborn.
            if birth > as_of {
                return Err(range_error("birthDate must not be after asOf"));
            }
            age_on(birth, as_of, rule)
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
    /// The guardian document's identity key (for `guardianReference`). Personal data.
    identity_key: Option<&'a str>,
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
    let parsed = parse_registration_options(options.as_ref(), GUARDIAN_KEYS)?;
    let minor = option_value(options.as_ref(), "minor")?;
    if !minor.is_object() || Array::is_array(&minor) {
        return Err(type_error(
            "checkGuardian options.minor must be an object { name?, idNumber?, birthDate? }",
        ));
    }
    check_options(
        Some(minor.unchecked_ref()),
        "minor",
        "name idNumber birthDate",
    )?;
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
        core.as_of = shiming_js_common::options::device_today()?;
    }
    let locale = parsed.locale;
    let keys = [
        "name",
        "idKind",
        "idNumber",
        "phone",
        "relation",
        "birthDate",
    ];
    let texts: Vec<Option<Result<String, ()>>> =
        if guardian.is_object() && !Array::is_array(&guardian) {
            keys.iter().map(|k| text_field(&guardian, k)).collect()
        } else {
            let rejected = shiming::registration::not_an_object();
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
        birth_date: field(5),
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
                    identity_key: v.form.identity_key.as_deref(),
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

#[wasm_bindgen(typescript_custom_section)]
const TS_MINOR: &'static str = r#"
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
  /** YYYY-MM-DD; required when the guardian's document encodes no birth date (adulthood is checked on every guardian). */
  birthDate?: string;
}
/** Options of `checkGuardian`: the registration options, plus the minor. */
export interface GuardianOptions extends RegistrationOptions {
  minor: { name?: string; idNumber?: string; birthDate?: string };
}
export type GuardianCheckResult =
  | { ok: true; value: { name: string; idKind: IdKind; idNumber: string; phone: string; relation: 'parent' | 'grandparent' | 'sibling' | 'other'; age?: number; /** The document's identity key (for guardianReference of shiming/consent). Personal data. */ identityKey: string }; warnings: Issue[] }
  | { ok: false; issues: Issue[]; warnings: Issue[] };
"#;
