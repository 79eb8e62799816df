//! `generateTestId`: deterministic test numbers for QA.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use shiming::date::Date;
use shiming::id::{generate_test_id, Gender, IdKind, TestIdSpec};
use shiming_js_common::options::{check_options, option_value, range_error};
use shiming_js_common::type_error;

/// Generates a made-up ID number that passes `checkId`, the same for the same spec (test data
/// only: never a real person's number).
#[wasm_bindgen(js_name = generateTestId)]
pub fn generate_test_id_js(
    #[wasm_bindgen(unchecked_param_type = "TestIdSpec")] spec: JsValue,
) -> Result<String, JsValue> {
    if !spec.is_object() {
        return Err(type_error(
            "generateTestId(spec) must be an object with a seed",
        ));
    }
    let spec = Object::unchecked_from_js(spec);
    check_options(Some(&spec), "", "seed kind birthDate gender region")?;
    let get = |key: &'static str| option_value(Some(&spec), key);
    let seed = get("seed")?
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(n))
        .ok_or_else(|| type_error("spec.seed must be a whole number from 0 to 2^53 - 1"))?;
    let kind = match get("kind")?.as_string() {
        None => IdKind::CnResident,
        Some(name) => IdKind::parse(&name).ok_or_else(|| {
            range_error("spec.kind must be an IdKind, e.g. 'cn_resident' or 'hk_id'")
        })?,
    };
    let birth = get("birthDate")?;
    let birth_date = if birth.is_undefined() || birth.is_null() {
        None
    } else {
        Some(
            birth
                .as_string()
                .and_then(|s| Date::parse_iso(&s))
                .ok_or_else(|| {
                    range_error("spec.birthDate must be a real date written YYYY-MM-DD")
                })?,
        )
    };
    let gender = match get("gender")?.as_string().as_deref() {
        None => None,
        Some("male") => Some(Gender::Male),
        Some("female") => Some(Gender::Female),
        Some(_) => return Err(range_error("spec.gender must be 'male' or 'female'")),
    };
    let region = get("region")?;
    let region = if region.is_undefined() || region.is_null() {
        None
    } else {
        let text = region
            .as_string()
            .filter(|s| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| range_error("spec.region must be a 6-digit division code string"))?;
        text.parse::<u32>().ok()
    };
    let spec = TestIdSpec {
        kind,
        birth_date,
        gender,
        region,
        seed: seed as u64,
    };
    generate_test_id(&spec).map_err(|e| range_error(&format!("generateTestId: {e}")))
}
