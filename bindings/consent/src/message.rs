//! `issueMessage` (in `shiming/consent`): the message of an issue received as `{ code, params }`
//! (a server's rejection, a sync status event), rendered as the module renders its own issues:
//! the consent_* and sync_* codes, whose messages are compiled into this module (see
//! src/i18n/mod.rs); any other code comes back as the code itself. The registration module's own
//! checks give the id_*, name_*, phone_*, form_* messages (it has no room for this export).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use shiming::issue::ParamValue;
use shiming_js_common::options::{check_options, option_value, parse_locale};
use shiming_js_common::{optional_object, type_error};

/// The message of `{ code, params }` in `options.locale` (default zh-CN). Params the message does
/// not use are ignored; a missing one shows as `?`. An unknown code comes back as itself.
#[wasm_bindgen(js_name = issueMessage)]
pub fn issue_message_js(
    #[wasm_bindgen(unchecked_param_type = "{ code: string; params?: Record<string, IssueParam> }")]
    issue: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ locale?: Locale }")] options: JsValue,
) -> Result<String, JsValue> {
    let options = optional_object(options);
    check_options(options.as_ref(), "", "locale")?;
    let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
    if !issue.is_object() {
        return Err(type_error("issueMessage(issue) takes { code, params }"));
    }
    let code = Reflect::get(&issue, &"code".into())?
        .as_string()
        .ok_or_else(|| type_error("issueMessage: issue.code must be a string"))?;
    let mut params = Vec::new();
    let raw = Reflect::get(&issue, &"params".into())?;
    if raw.is_object() && !Array::is_array(&raw) {
        for entry in Object::entries(Object::unchecked_from_js_ref(&raw)).iter() {
            let pair: Array = Array::unchecked_from_js(entry);
            let Some(name) = pair.get(0).as_string() else {
                continue;
            };
            let value = pair.get(1);
            let converted = if let Some(s) = value.as_string() {
                Some(ParamValue::Text(s))
            } else if let Some(n) = value.as_f64() {
                // A whole number within 2^53: the cast is exact; other numbers are left out.
                #[allow(clippy::cast_possible_truncation)]
                (n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0)
                    .then_some(ParamValue::Int(n as i64))
            } else if Array::is_array(&value) {
                Some(ParamValue::TextList(
                    Array::<JsValue>::unchecked_from_js(value)
                        .iter()
                        .filter_map(|v| v.as_string())
                        .collect(),
                ))
            } else {
                None
            };
            if let Some(v) = converted {
                params.push((name, v));
            }
        }
    }
    Ok(shiming::i18n::message_of(&code, &params, locale).unwrap_or(code))
}
