//! `checkPhone` and the run-time segment table (`setPhoneSegments`).

use core::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use shiming::phone::{
    check_phone_with, is_valid_phone_with, PhoneOptions, PhoneRegion, SegmentTable,
};
use shiming_js_common::dto::{issues, to_js, IssueDto};
use shiming_js_common::options::{check_options, option_value, parse_locale, range_error};
use shiming_js_common::{optional_object, type_error};

thread_local! {
    /// A table the backend sent; `None` means the shipped one.
    static SEGMENTS: RefCell<Option<SegmentTable>> = const { RefCell::new(None) };
}

#[derive(Serialize)]
struct SegmentDto {
    prefix: String,
    class: &'static str,
}

#[derive(Serialize)]
struct PhoneValueDto {
    region: &'static str,
    #[serde(serialize_with = "shiming_js_common::wire::unique")]
    national: String,
    #[serde(serialize_with = "shiming_js_common::wire::unique")]
    e164: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    segment: Option<SegmentDto>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum PhoneResultDto<'a> {
    Ok {
        ok: bool,
        value: PhoneValueDto,
        warnings: Vec<IssueDto<'a>>,
    },
    Err {
        ok: bool,
        issues: Vec<IssueDto<'a>>,
    },
}

pub(crate) fn parse_regions(value: &JsValue) -> Result<Vec<PhoneRegion>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(PhoneRegion::ALL.to_vec());
    }
    let list = value
        .dyn_ref::<Array>()
        .ok_or_else(|| type_error("options.regions must be an array of 'cn', 'hk', 'mo', 'tw'"))?;
    let mut regions = Vec::new();
    for item in list.iter() {
        let region = item
            .as_string()
            .and_then(|s| PhoneRegion::parse(&s))
            .ok_or_else(|| range_error("options.regions may hold only 'cn', 'hk', 'mo', 'tw'"))?;
        regions.push(region);
    }
    if regions.is_empty() {
        return Err(range_error("options.regions must name at least one region"));
    }
    Ok(regions)
}

/// Runs `f` with the segment table in force.
pub(crate) fn with_segments<T>(f: impl FnOnce(&SegmentTable) -> T) -> T {
    SEGMENTS.with(|custom| match &*custom.borrow() {
        Some(table) => f(table),
        None => f(SegmentTable::default_table()),
    })
}

/// Checks one mobile number (mainland, Hong Kong, Macau, Taiwan).
#[wasm_bindgen(js_name = checkPhone, unchecked_return_type = "PhoneCheckResult")]
pub fn check_phone_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PhoneOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = optional_object(options);
    check_options(options.as_ref(), "", "locale regions")?;
    let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
    let regions = parse_regions(&option_value(options.as_ref(), "regions")?)?;
    let text = input
        .as_string()
        .ok_or_else(|| type_error("checkPhone(input) must be a string"))?;
    let phone_options = PhoneOptions { regions };
    let result = with_segments(|table| check_phone_with(&text, &phone_options, table));
    let dto = match &result {
        Ok(checked) => PhoneResultDto::Ok {
            ok: true,
            value: PhoneValueDto {
                region: checked.value.region.as_str(),
                national: checked.value.national.clone(),
                e164: checked.value.e164.clone(),
                segment: checked.value.segment.as_ref().map(|s| SegmentDto {
                    prefix: s.prefix.clone(),
                    class: s.class.map_or("unknown", |c| c.as_str()),
                }),
            },
            warnings: issues(&checked.warnings, locale),
        },
        Err(list) => PhoneResultDto::Err {
            ok: false,
            issues: issues(list, locale),
        },
    };
    to_js(&dto)
}

/// Whether the mobile number is valid: the same rules and options as `checkPhone`
/// (`isValidPhone(s, o) === checkPhone(s, o).ok`), no result object built. For bulk work.
#[wasm_bindgen(js_name = isValidPhone)]
pub fn is_valid_phone_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PhoneOptions")] options: JsValue,
) -> Result<bool, JsValue> {
    let options = optional_object(options);
    check_options(options.as_ref(), "", "locale regions")?;
    // The locale names no message here, but a wrong one is refused as checkPhone refuses it.
    parse_locale(&option_value(options.as_ref(), "locale")?)?;
    let regions = parse_regions(&option_value(options.as_ref(), "regions")?)?;
    let text = input
        .as_string()
        .ok_or_else(|| type_error("isValidPhone(input) must be a string"))?;
    Ok(with_segments(|table| {
        is_valid_phone_with(&text, &PhoneOptions { regions }, table)
    }))
}

/// Replaces the mainland segment table, e.g. with the one the backend's policy endpoint sent;
/// `null` goes back to the shipped table. A malformed table throws and the table in force stays.
#[wasm_bindgen(js_name = setPhoneSegments)]
pub fn set_phone_segments_js(
    #[wasm_bindgen(unchecked_param_type = "PhoneSegmentTable | null")] table: JsValue,
) -> Result<(), JsValue> {
    if table.is_null() {
        SEGMENTS.with(|custom| *custom.borrow_mut() = None);
        return Ok(());
    }
    if !table.is_object() || Array::is_array(&table) {
        return Err(type_error(
            "setPhoneSegments(table) must be an object { version, source?, segments }",
        ));
    }
    let get = |key: &str| Reflect::get(&table, &JsValue::from_str(key));
    let version = get("version")?
        .as_string()
        .ok_or_else(|| type_error("table.version must be a string"))?;
    let source = get("source")?.as_string().unwrap_or_default();
    let segments = get("segments")?;
    if !segments.is_object() || Array::is_array(&segments) {
        return Err(type_error(
            "table.segments must be an object mapping prefixes to classes",
        ));
    }
    let mut rows = Vec::new();
    for entry in Object::entries(&Object::unchecked_from_js(segments)).iter() {
        let pair: Array = Array::unchecked_from_js(entry);
        let prefix = pair.get(0).as_string().unwrap_or_default();
        let class = pair.get(1).as_string().ok_or_else(|| {
            type_error(&format!(
                "table.segments['{}'] must be a string",
                shiming::phone::segments::escaped(&prefix)
            ))
        })?;
        rows.push((prefix, class));
    }
    let parsed = SegmentTable::parse(&version, &source, rows)
        .map_err(|e| range_error(&format!("setPhoneSegments: {e}")))?;
    SEGMENTS.with(|custom| *custom.borrow_mut() = Some(parsed));
    Ok(())
}

/// The version of the segment table in force.
#[wasm_bindgen(js_name = phoneSegmentsVersion)]
pub fn phone_segments_version_js() -> String {
    SEGMENTS.with(|custom| match &*custom.borrow() {
        Some(table) => table.version().to_string(),
        None => SegmentTable::default_table().version().to_string(),
    })
}
