//! `checkName` and `isValidName`.

use js_sys::Object;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use shiming::i18n::Locale;
use shiming::name::{check_name, is_valid_name, NameOptions, NameScript, MIN_MAX_CHARS};
use shiming_js_common::dto::{issues, to_js, IssueDto};
use shiming_js_common::options::{check_options, option_value, parse_locale, range_error};
use shiming_js_common::{optional_object, type_error};

#[derive(Serialize)]
struct NameValueDto {
    #[serde(serialize_with = "shiming_js_common::wire::unique")]
    normalized: String,
    script: &'static str,
    chars: usize,
}

#[derive(Serialize)]
#[serde(untagged)]
enum NameResultDto<'a> {
    Ok {
        ok: bool,
        value: NameValueDto,
        warnings: Vec<IssueDto<'a>>,
    },
    Err {
        ok: bool,
        issues: Vec<IssueDto<'a>>,
    },
}

/// The largest `maxChars` accepted (a sanity bound on a caller's option).
const MAX_MAX_CHARS: usize = 1000;

pub(crate) fn parse_name_options(
    options: Option<&Object>,
) -> Result<(NameOptions, Locale), JsValue> {
    check_options(options, "", "locale script maxChars")?;
    let locale = parse_locale(&option_value(options, "locale")?)?;
    let mut name_options = NameOptions::new();
    let script = option_value(options, "script")?;
    if !script.is_undefined() && !script.is_null() {
        let parsed = script
            .as_string()
            .and_then(|s| NameScript::parse(&s))
            .ok_or_else(|| range_error("options.script must be 'han' or 'latin'"))?;
        name_options = name_options.with_script(parsed);
    }
    let max_chars = option_value(options, "maxChars")?;
    if !max_chars.is_undefined() && !max_chars.is_null() {
        let n = max_chars
            .as_f64()
            .ok_or_else(|| type_error("options.maxChars must be a number"))?;
        if n.fract() != 0.0 || n < MIN_MAX_CHARS as f64 || n > MAX_MAX_CHARS as f64 {
            return Err(range_error(&format!(
                "options.maxChars must be a whole number from {MIN_MAX_CHARS} to {MAX_MAX_CHARS}: name fields hold at least 25 Chinese characters (GB 18030)"
            )));
        }
        name_options = name_options.with_max_chars(n as usize);
    }
    Ok((name_options, locale))
}

fn input_text(input: &JsValue, what: &str) -> Result<String, JsValue> {
    input
        .as_string()
        .ok_or_else(|| type_error(&format!("{what} must be a string")))
}

/// Checks a real name (Han with the `·` separator, or Latin for HK/MO/TW and foreign documents).
#[wasm_bindgen(js_name = checkName, unchecked_return_type = "NameCheckResult")]
pub fn check_name_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "NameOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (name_options, locale) = parse_name_options(optional_object(options).as_ref())?;
    let text = input_text(&input, "checkName(input)")?;
    let result = check_name(&text, &name_options);
    let dto = match &result {
        Ok(checked) => NameResultDto::Ok {
            ok: true,
            value: NameValueDto {
                normalized: checked.value.normalized.clone(),
                script: checked.value.script.as_str(),
                chars: checked.value.chars,
            },
            warnings: issues(&checked.warnings, locale),
        },
        Err(list) => NameResultDto::Err {
            ok: false,
            issues: issues(list, locale),
        },
    };
    to_js(&dto)
}

/// Whether the name passes `checkName`.
#[wasm_bindgen(js_name = isValidName)]
pub fn is_valid_name_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "NameOptions")] options: JsValue,
) -> Result<bool, JsValue> {
    let (name_options, _) = parse_name_options(optional_object(options).as_ref())?;
    let text = input_text(&input, "isValidName(input)")?;
    Ok(is_valid_name(&text, &name_options))
}
