//! Dates and times from JS arguments, shared by the age and policy bindings: a trusted time when
//! the caller gives one, else the device clock with the warning `untrusted_clock`.

use wasm_bindgen::prelude::*;

use crate::options::range_error;
use crate::type_error;
use shiming::date::Date;
use shiming::issue::{Code, Issue};
use shiming::minor::LocalTime;

pub fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// Now, from `value` (Unix ms or an ISO date-time with offset), else the device clock (warning).
#[inline(never)]
pub fn now_from(value: &JsValue, warnings: &mut Vec<Issue>) -> Result<LocalTime, JsValue> {
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
pub fn as_of_from(value: &JsValue, warnings: &mut Vec<Issue>) -> Result<Date, JsValue> {
    if let Some(date) = value.as_string().as_deref().and_then(Date::parse_iso) {
        return Ok(date);
    }
    Ok(now_from(value, warnings)?.date)
}

pub fn birth_date(value: &JsValue, name: &str) -> Result<Date, JsValue> {
    let text = value
        .as_string()
        .ok_or_else(|| type_error(&format!("{name} must be a string YYYY-MM-DD")))?;
    Date::parse_iso(&text)
        .ok_or_else(|| range_error(&format!("{name} must be a real date written YYYY-MM-DD")))
}
