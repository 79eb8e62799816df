//! `maskId`, `maskPhone`, `maskName`: display masking. The rules are those of `shiming::mask`: a
//! number's mask hides at least half of its characters and never fewer than four, whatever
//! `keepStart` and `keepEnd` ask for.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use shiming::mask::{mask_id, mask_name, mask_phone, MaskOptions};
use shiming_js_common::options::{check_options, option_value, range_error};
use shiming_js_common::{optional_object, type_error};

/// A sane bound on `keepStart` / `keepEnd`.
const MAX_KEEP: usize = 64;

fn parse_mask_options(options: JsValue, defaults: MaskOptions) -> Result<MaskOptions, JsValue> {
    let options: Option<Object> = optional_object(options);
    check_options(options.as_ref(), "", "keepStart keepEnd maskChar")?;
    let mut out = defaults;
    for (key, slot) in [
        ("keepStart", &mut out.keep_start),
        ("keepEnd", &mut out.keep_end),
    ] {
        let value = option_value(options.as_ref(), key)?;
        if value.is_undefined() || value.is_null() {
            continue;
        }
        let n = value
            .as_f64()
            .ok_or_else(|| type_error(&format!("options.{key} must be a number")))?;
        if n.fract() != 0.0 || !(0.0..=MAX_KEEP as f64).contains(&n) {
            return Err(range_error(&format!(
                "options.{key} must be a whole number from 0 to {MAX_KEEP}"
            )));
        }
        *slot = n as usize;
    }
    let mask_char = option_value(options.as_ref(), "maskChar")?;
    if !mask_char.is_undefined() && !mask_char.is_null() {
        let text = mask_char
            .as_string()
            .ok_or_else(|| type_error("options.maskChar must be a string"))?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => out.mask_char = c,
            _ => {
                return Err(range_error(
                    "options.maskChar must be exactly one character",
                ))
            }
        }
    }
    Ok(out)
}

fn text(input: &JsValue, what: &str) -> Result<String, JsValue> {
    input
        .as_string()
        .ok_or_else(|| type_error(&format!("{what} must be a string")))
}

/// Masks an ID number for display: `1101**********123X` by default.
#[wasm_bindgen(js_name = maskId)]
pub fn mask_id_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MaskOptions")] options: JsValue,
) -> Result<String, JsValue> {
    let options = parse_mask_options(options, MaskOptions::ID)?;
    Ok(mask_id(&text(&input, "maskId(input)")?, &options))
}

/// Masks a mobile number for display: `13*******78`, `+852 91****67` by default.
#[wasm_bindgen(js_name = maskPhone)]
pub fn mask_phone_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MaskOptions")] options: JsValue,
) -> Result<String, JsValue> {
    let options = parse_mask_options(options, MaskOptions::PHONE)?;
    Ok(mask_phone(&text(&input, "maskPhone(input)")?, &options))
}

/// Masks a name for display: `张*三` by default.
#[wasm_bindgen(js_name = maskName)]
pub fn mask_name_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MaskOptions")] options: JsValue,
) -> Result<String, JsValue> {
    let options = parse_mask_options(options, MaskOptions::NAME)?;
    Ok(mask_name(&text(&input, "maskName(input)")?, &options))
}
