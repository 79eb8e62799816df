//! The JavaScript edge: argument decoding, DTOs and JS errors. No rules live here.
//!
//! Caller mistakes (wrong argument types, malformed options) throw a `TypeError` or `RangeError`
//! whose message starts with `shiming:`; user input problems are returned as issues.

mod dto;
mod input;
pub mod mask;
pub mod minor;
pub mod name;
mod options;
pub mod phone;
pub mod regions;
pub mod registration;
pub mod test_id;

use js_sys::{Array, JsString, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::id::{BatchChecker, BatchReport, MAX_INPUT_CHARS};
use crate::issue::{Code, Issue, ParamValue};
use input::{prepare, Input};
use options::{parse_options, parse_options_with_token, JsOptions};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A document kind. */
export type IdKind =
  | 'cn_resident'
  | 'cn_resident_legacy'
  | 'hk_macao_taiwan_residence_permit'
  | 'foreign_permanent_resident'
  | 'hk_id'
  | 'mo_id'
  | 'tw_id'
  | 'hk_macao_home_return_permit'
  | 'tw_mtp'
  | 'cn_passport'
  | 'uscc';
/** The message language; zh-CN is the default. */
export type Locale = 'zh-CN' | 'en';
/** Options of the ID checks. */
export interface IdOptions {
  /** "Today" as YYYY-MM-DD from a clock you trust (your server's). Default: today in Asia/Shanghai by this device's clock. */
  asOf?: string;
  /** Message language. Default 'zh-CN'. */
  locale?: Locale;
  /** The kinds accepted. Default: all. */
  kinds?: IdKind[];
}
/** Every stable issue code. */
export type IssueCode =
  | 'id_empty' | 'id_too_long' | 'id_invalid_length' | 'id_invalid_character'
  | 'id_format_unrecognized' | 'id_org_code_checksum_mismatch' | 'id_lowercase_folded'
  | 'id_kind_ambiguous' | 'id_format_only' | 'id_checksum_pilot_era'
  | 'id_checksum_mismatch' | 'id_birth_date_invalid' | 'id_birth_date_in_future'
  | 'id_birth_date_too_old' | 'id_region_invalid' | 'id_region_abolished' | 'id_kind_not_allowed'
  | 'id_whitespace_trimmed' | 'id_fullwidth_folded' | 'id_lowercase_x_folded'
  | 'id_region_unknown' | 'id_legacy_format'
  | 'name_empty' | 'name_too_long' | 'name_invalid_character' | 'name_invisible_character'
  | 'name_bidi_control' | 'name_private_use' | 'name_separator_misplaced' | 'name_mixed_script'
  | 'name_whitespace_trimmed' | 'name_separator_normalized' | 'name_private_use_mapped'
  | 'name_fullwidth_folded' | 'name_spaces_collapsed'
  | 'phone_empty' | 'phone_too_long' | 'phone_invalid_character' | 'phone_invalid_length'
  | 'phone_invalid_prefix' | 'phone_country_code_unsupported' | 'phone_country_code_required'
  | 'phone_region_not_allowed' | 'phone_separators_removed' | 'phone_fullwidth_folded'
  | 'phone_segment_unknown' | 'phone_segment_unassigned' | 'phone_data_only'
  | 'form_invalid_type' | 'form_field_invalid_type' | 'id_kind_invalid' | 'name_script_mismatch'
  | 'password_empty' | 'password_too_short' | 'password_too_long' | 'password_too_few_classes'
  | 'password_invalid_character' | 'password_contains_personal_data'
  | 'username_empty' | 'username_too_short' | 'username_too_long' | 'username_invalid_character'
  | 'username_all_digits' | 'username_contains_personal_data'
  | 'untrusted_clock' | 'calendar_year_missing' | 'adult' | 'minor_allowed'
  | 'minor_payment_not_allowed' | 'minor_payment_over_single_limit' | 'minor_payment_over_monthly_limit'
  | 'minor_play_outside_window' | 'minor_play_time_used_up' | 'minor_daily_limit_reached'
  | 'minor_curfew' | 'minor_rest_reminder' | 'guest_mode_not_allowed'
  | 'guardian_not_adult' | 'guardian_same_as_minor' | 'guardian_relation_invalid' | 'guardian_age_unverified';
/** A typed issue parameter: never the input itself. */
export type IssueParam = string | number | string[];
/** What `generateTestId` makes; everything but the seed is optional. */
export interface TestIdSpec {
  seed: number;
  kind?: IdKind;
  /** YYYY-MM-DD; default: derived from the seed (1950–1999). */
  birthDate?: string;
  gender?: 'male' | 'female';
  /** A 6-digit GB/T 2260 code in use. */
  region?: string;
}
/** Options of `maskId`, `maskPhone`, `maskName`. */
export interface MaskOptions {
  /** Characters kept at the start (ID 4, phone 3, name 1). */
  keepStart?: number;
  /** Characters kept at the end (ID 4, phone 4, name 1). */
  keepEnd?: number;
  /** Default '*'. */
  maskChar?: string;
}
/** The script of a name. */
export type NameScript = 'han' | 'latin';
/** Options of `checkName`. */
export interface NameOptions {
  /** Message language. Default 'zh-CN'. */
  locale?: Locale;
  /** Force a script. Default: detected (Han if the name has Han characters). */
  script?: NameScript;
  /** Maximum length in Unicode scalar values; 25 to 1000, default 50. */
  maxChars?: number;
}
export interface NameValue {
  /** Trimmed, look-alike dots replaced by U+00B7, full-width Latin folded, spaces collapsed. */
  normalized: string;
  script: NameScript;
  /** Length in Unicode scalar values. */
  chars: number;
}
export type NameCheckResult =
  | { ok: true; value: NameValue; warnings: Issue[] }
  | { ok: false; issues: Issue[] };
/** A phone region. */
export type PhoneRegion = 'cn' | 'hk' | 'mo' | 'tw';
/** Options of `checkPhone`. */
export interface PhoneOptions {
  /** Message language. Default 'zh-CN'. */
  locale?: Locale;
  /** The regions accepted. Default: all. */
  regions?: PhoneRegion[];
}
/** A mainland segment class; `unknown` when the table does not list the segment. */
export type PhoneSegmentClass =
  | 'china_mobile' | 'china_unicom' | 'china_telecom' | 'china_broadnet'
  | 'virtual' | 'data_only' | 'unassigned' | 'unknown';
export interface PhoneValue {
  region: PhoneRegion;
  /** The national significant number (Taiwan without its trunk 0). */
  national: string;
  /** E.164, e.g. '+8613812345678'. */
  e164: string;
  /** Mainland numbers only. */
  segment?: { prefix: string; class: PhoneSegmentClass };
}
export type PhoneCheckResult =
  | { ok: true; value: PhoneValue; warnings: Issue[] }
  | { ok: false; issues: Issue[] };
/** A replacement segment table: prefixes of 3 to 5 digits starting with 1, longest match wins. */
export interface PhoneSegmentTable {
  version: string;
  source?: string;
  segments: Record<string, Exclude<PhoneSegmentClass, 'unknown'>>;
}
/** One problem or warning. `message` is rendered from `code` and `params` in the requested locale. */
export interface Issue {
  path: (string | number)[];
  code: IssueCode;
  params: Record<string, IssueParam>;
  message: string;
}
/** The division an ID was registered in (GB/T 2260). */
export interface Region { code: string; province?: string; city?: string; county?: string }
/** What a valid ID yields. */
export interface IdValue {
  kind: IdKind;
  normalized: string;
  birthDate?: string;
  gender?: 'male' | 'female';
  region?: Region;
  /** The 18-character form of a 15-digit legacy number. */
  upgraded?: string;
  /** Where the holder is a resident: mainland China, Hong Kong, Macau or Taiwan. */
  jurisdiction?: 'cn' | 'hk' | 'mo' | 'tw';
  /** A permanent residence ID's nationality: GB/T 2659 numeric (2023 card) or ISO alpha-3 (older card). */
  nationality?: string;
}
export type IdCheckResult =
  | { ok: true; value: IdValue; warnings: Issue[] }
  | { ok: false; issues: Issue[] };
export interface IdBatchResult {
  total: number;
  valid: number;
  invalid: number;
  /** Invalid lines per first-issue code. */
  byCode: Partial<Record<IssueCode, number>>;
  /** One byte per line: 0 = valid, else 1 + index into `codes`. */
  status: Uint8Array;
  codes: IssueCode[];
}
"#;

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(&format!("shiming: {message}")).into()
}

/// `undefined` and `null` mean "no options". Options are taken as a plain `JsValue` because an
/// `Option<Object>` parameter costs an externref table slot per call, a noticeable share of
/// `isValidId`'s time. Whether it really is an object is checked when it is parsed.
fn optional_object(options: JsValue) -> Option<Object> {
    (!options.is_undefined() && !options.is_null()).then(|| Object::unchecked_from_js(options))
}

fn too_long_issue() -> Issue {
    Issue::new(Code::IdTooLong).with("max", ParamValue::Int(MAX_INPUT_CHARS as i64))
}

/// Checks one ID number. See the README for the result shape and codes.
#[wasm_bindgen(js_name = checkId, unchecked_return_type = "IdCheckResult")]
pub fn check_id_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IdOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = optional_object(options);
    let (input, token) = prepare(&input, options.as_ref())?;
    let JsOptions { id, locale } = parse_options_with_token(options.as_ref(), token)?;
    let result = match input {
        Input::Ascii(buffer, len) => {
            // ASCII bytes are valid UTF-8.
            let text = buffer
                .get(..len)
                .and_then(|b| core::str::from_utf8(b).ok())
                .unwrap_or("");
            crate::id::check_id(text, &id)
        }
        Input::Text(text) => crate::id::check_id(&text, &id),
        Input::TooLong => Err(vec![too_long_issue()]),
        Input::NotAString => return Err(type_error("checkId(input) must be a string")),
    };
    dto::id_result(&result, locale)
}

/// Whether the ID number is valid (same rules as `checkId`, no result object built).
#[wasm_bindgen(js_name = isValidId)]
pub fn is_valid_id_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IdOptions")] options: JsValue,
) -> Result<bool, JsValue> {
    // `options` is taken as a plain JsValue: an `Option<Object>` parameter costs an externref
    // table slot per call, a noticeable share of this function's time.
    let options =
        (!options.is_undefined() && !options.is_null()).then(|| Object::unchecked_from_js(options));
    let (input, token) = prepare(&input, options.as_ref())?;
    let JsOptions { id, .. } = parse_options_with_token(options.as_ref(), token)?;
    if let Input::NotAString = input {
        return Err(type_error("isValidId(input) must be a string"));
    }
    Ok(input.with_bytes(|bytes| bytes.is_some_and(|b| crate::id::is_valid_id_bytes(b, &id))))
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    /// `TextEncoder.prototype.encodeInto`: writes UTF-8 straight into wasm memory.
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &Utf8Encoder, source: &JsString, destination: &Uint8Array) -> Object;
}

/// UTF-16 units of a JS string encoded per `encodeInto` call: pieces of at most 192 KB stay in
/// cache between encoding and checking, and memory use stays flat whatever the input size.
const PIECE_UNITS: u32 = 1 << 16;
/// Bytes of a `Uint8Array` copied into wasm memory per piece.
const PIECE_BYTES: u32 = 1 << 18;

/// Encodes `text` (UTF-8, lone surrogates become U+FFFD) into the spare capacity of `buffer`.
#[allow(unsafe_code)]
fn encode_append(
    encoder: &Utf8Encoder,
    text: &JsString,
    buffer: &mut Vec<u8>,
) -> Result<(), JsValue> {
    let needed = (text.length() as usize).saturating_mul(3);
    buffer.reserve(needed);
    let start = buffer.len();
    let spare = buffer.capacity() - start;
    // SAFETY: the view covers the vector's spare (allocated, uninitialised) capacity, and is used
    // only by the `encodeInto` call below, during which no Rust code runs and memory cannot grow.
    let view = unsafe { Uint8Array::view_mut_raw(buffer.as_mut_ptr().add(start), spare) };
    let progress = encoder.encode_into(text, &view);
    let written = Reflect::get(&progress, &JsValue::from_str("written"))?
        .as_f64()
        .unwrap_or(0.0) as usize;
    if written > spare {
        return Err(type_error("TextEncoder.encodeInto wrote past its buffer"));
    }
    // SAFETY: `encodeInto` initialised `written` bytes after `start`, within the capacity.
    unsafe { buffer.set_len(start + written) };
    Ok(())
}

/// Feeds a JS string to the checker a piece at a time, never splitting a surrogate pair.
fn check_js_string(text: &JsString, checker: &mut BatchChecker<'_>) -> Result<Vec<u8>, JsValue> {
    let encoder = Utf8Encoder::new();
    let length = text.length();
    let mut buffer: Vec<u8> = Vec::with_capacity(PIECE_UNITS as usize * 3 + 512);
    let mut start = 0;
    while start < length {
        let mut end = length.min(start + PIECE_UNITS);
        // A high surrogate at the cut belongs with the next piece.
        if end < length && (0xD800..0xDC00).contains(&(text.char_code_at(end - 1) as u32)) {
            end -= 1;
        }
        encode_append(&encoder, &text.substring(start, end), &mut buffer)?;
        let consumed = checker.feed(&buffer);
        buffer.drain(..consumed);
        start = end;
    }
    Ok(buffer)
}

/// Feeds UTF-8 bytes from JS to the checker a piece at a time.
fn check_js_bytes(bytes: &Uint8Array, checker: &mut BatchChecker<'_>) -> Vec<u8> {
    let length = bytes.length();
    let mut buffer: Vec<u8> = Vec::with_capacity(PIECE_BYTES as usize + 512);
    let mut start = 0;
    while start < length {
        let end = length.min(start + PIECE_BYTES);
        let piece = bytes.subarray(start, end);
        let at = buffer.len();
        buffer.resize(at + piece.length() as usize, 0);
        if let Some(spare) = buffer.get_mut(at..) {
            piece.copy_to(spare);
        }
        let consumed = checker.feed(&buffer);
        buffer.drain(..consumed);
        start = end;
    }
    buffer
}

/// Checks one candidate per line, from a string or UTF-8 bytes.
#[wasm_bindgen(js_name = checkIdBatch, unchecked_return_type = "IdBatchResult")]
pub fn check_id_batch_js(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IdOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let JsOptions { id, .. } = parse_options(optional_object(options).as_ref())?;
    let mut checker = BatchChecker::new(&id);
    let rest = if let Some(s) = text.dyn_ref::<JsString>() {
        checker.reserve(s.length() as usize / 19 + 1);
        check_js_string(s, &mut checker)?
    } else if let Some(array) = text.dyn_ref::<Uint8Array>() {
        checker.reserve(array.length() as usize / 19 + 1);
        check_js_bytes(array, &mut checker)
    } else {
        return Err(type_error(
            "checkIdBatch(text) must be a string or a Uint8Array",
        ));
    };
    batch_result(&checker.finish(&rest))
}

fn batch_result(report: &BatchReport) -> Result<JsValue, JsValue> {
    let out = Object::new();
    let set = |key: &str, value: &JsValue| Reflect::set(&out, &JsValue::from_str(key), value);
    set("total", &JsValue::from(report.total))?;
    set("valid", &JsValue::from(report.valid))?;
    set("invalid", &JsValue::from(report.invalid))?;
    let by_code = Object::new();
    for (code, count) in report.by_code() {
        Reflect::set(
            &by_code,
            &JsValue::from_str(code.as_str()),
            &JsValue::from(count),
        )?;
    }
    set("byCode", &by_code)?;
    set("status", &Uint8Array::from(report.status.as_slice()))?;
    let codes: Array = Code::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect();
    set("codes", &codes)?;
    Ok(out.into())
}
