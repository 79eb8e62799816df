//! `checkRegistration` and `registrationSchema` (Standard Schema v1).
//!
//! The form is user data and never throws: a form that is not an object, or a field of the
//! wrong type (or behind a throwing getter), becomes an issue. Only malformed options throw.

use std::rc::Rc;

use js_sys::{Array, Object};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::id_dto::RegionDto;
use crate::id_fast::Refusal;
use crate::id_options::parse_options;
use crate::name::parse_name_options;
use crate::phone::{parse_regions, with_segments};
use shiming::age::AgeRule;
use shiming::i18n::Locale;
use shiming::id::Checked;
use shiming::registration::{
    check_registration_with, not_an_object, password, username, Field, FieldSet, FormField,
    RegistrationForm, RegistrationOptions, RegistrationValue, Rejected,
};
use shiming_js_common::dto::{issues, to_js, IssueDto};
use shiming_js_common::options::{check_options, device_today, option_value, range_error};
use shiming_js_common::wire::IsoDate;
use shiming_js_common::{optional_object, type_error};

#[wasm_bindgen(module = "/js/checks.js")]
extern "C" {
    fn shiming_standard_schema(check: &JsValue) -> JsValue;
    fn shiming_registration_token(options: &Object) -> u32;
    fn shiming_remember_registration(options: &Object) -> u32;
    // Never throws on the form's account (a throwing getter reads as a wrong type): no `catch`.
    fn shiming_form_read(form: &JsValue, lens: *mut i32, bytes: *mut u8, cap: usize) -> i32;
}

thread_local! {
    /// The options `checkRegistration` parsed last, under the token the JS side gave them (see
    /// `js/checks.js`): a page that checks form after form with one options object parses it once.
    static REMEMBERED: core::cell::RefCell<Option<(u32, Rc<Parsed>)>> =
        const { core::cell::RefCell::new(None) };
}

/// Forgets the remembered options (`configure` changed the defaults they were parsed with).
pub(crate) fn forget_remembered() {
    REMEMBERED.with(|r| *r.borrow_mut() = None);
}

/// [`parse`] of `checkRegistration`'s options, or the options parsed last when the JS side says
/// they still hold: the same object, with the same `asOf`, `locale`, `ageRule` and
/// `guardianMinAge`, and none of the keys whose values can change in place (`kinds`, `name`,
/// `phone`, `password`, `username`, `fields`). Options with any of those are parsed every time.
fn parse_remembered(options: Option<&Object>) -> Result<Rc<Parsed>, JsValue> {
    let Some(object) = options else {
        return parse(None, REGISTRATION_KEYS).map(Rc::new);
    };
    let token = shiming_registration_token(object);
    if token != 0 {
        let hit = REMEMBERED.with(|r| match &*r.borrow() {
            Some((t, parsed)) if *t == token => Some(parsed.clone()),
            _ => None,
        });
        if let Some(parsed) = hit {
            return Ok(parsed);
        }
    }
    let parsed = Rc::new(parse(options, REGISTRATION_KEYS)?);
    let token = if parsed.explicit_as_of {
        shiming_remember_registration(object)
    } else {
        0
    };
    REMEMBERED.with(|r| *r.borrow_mut() = (token != 0).then(|| (token, parsed.clone())));
    Ok(parsed)
}

/// Parsed options; `explicit_as_of` is false when "today" must come from the device per call.
#[derive(Clone)]
pub(crate) struct Parsed {
    pub(crate) core: RegistrationOptions,
    pub(crate) locale: Locale,
    pub(crate) explicit_as_of: bool,
}

fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// The options of `checkRegistration` and `registrationSchema` (see `check_options`).
pub(crate) const REGISTRATION_KEYS: &str =
    "asOf locale kinds ageRule guardianMinAge name phone password username fields";
/// The options of `checkGuardian`: the registration options, and the minor.
pub(crate) const GUARDIAN_KEYS: &str =
    "asOf locale kinds ageRule guardianMinAge name phone password username fields minor";

/// An optional sub-object of the options (`options.password`, ...), whose keys must be `known`.
fn sub_object(
    options: Option<&Object>,
    key: &'static str,
    known: &'static str,
) -> Result<Option<Object>, JsValue> {
    let value = option_value(options, key)?;
    if is_absent(&value) {
        return Ok(None);
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(type_error(&format!("options.{key} must be an object")));
    }
    let object = Object::unchecked_from_js(value);
    check_options(Some(&object), key, known)?;
    Ok(Some(object))
}

/// A whole number option in `min..=max`, if given; `name` is its full name in messages.
fn whole(
    object: Option<&Object>,
    key: &'static str,
    name: &str,
    min: usize,
    max: usize,
) -> Result<Option<usize>, JsValue> {
    let value = option_value(object, key)?;
    if is_absent(&value) {
        return Ok(None);
    }
    let n = value
        .as_f64()
        .ok_or_else(|| type_error(&format!("{name} must be a number")))?;
    if n.fract() != 0.0 || n < min as f64 || n > max as f64 {
        return Err(range_error(&format!(
            "{name} must be a whole number from {min} to {max}"
        )));
    }
    Ok(Some(n as usize))
}

fn boolean(
    object: Option<&Object>,
    key: &'static str,
    name: &str,
) -> Result<Option<bool>, JsValue> {
    let value = option_value(object, key)?;
    if is_absent(&value) {
        return Ok(None);
    }
    value
        .as_bool()
        .map(Some)
        .ok_or_else(|| type_error(&format!("{name} must be a boolean")))
}

/// Parses the registration options, whose keys must all be `known` (`REGISTRATION_KEYS`, or a
/// larger set whose other keys the caller reads).
pub(crate) fn parse(options: Option<&Object>, known: &'static str) -> Result<Parsed, JsValue> {
    let base = parse_options(options, known)?;
    let mut core = RegistrationOptions::new(base.id.as_of);
    core.kinds = base.id.kinds;
    let explicit_as_of = !is_absent(&option_value(options, "asOf")?);

    let rule = option_value(options, "ageRule")?;
    if !is_absent(&rule) {
        core.age_rule = rule
            .as_string()
            .and_then(|s| AgeRule::parse(&s))
            .ok_or_else(|| {
                range_error("options.ageRule must be 'day_after_birthday' or 'on_birthday'")
            })?;
    }
    if let Some(age) = whole(options, "guardianMinAge", "options.guardianMinAge", 16, 18)? {
        core.guardian_min_age = age as u32;
    }
    if let Some(name) = sub_object(options, "name", "maxChars")? {
        core.name = parse_name_options(Some(&name))?.0;
    }
    if let Some(phone) = sub_object(options, "phone", "regions")? {
        core.phone.regions = parse_regions(&option_value(Some(&phone), "regions")?)?;
    }
    if let Some(policy) = sub_object(
        options,
        "password",
        "required minLength maxLength minClasses",
    )? {
        let p = Some(&policy);
        let max = password::MAX_MAX_LENGTH;
        let rules = &mut core.password;
        rules.required =
            boolean(p, "required", "options.password.required")?.unwrap_or(rules.required);
        rules.max_length = whole(p, "maxLength", "options.password.maxLength", 1, max)?
            .unwrap_or(rules.max_length);
        rules.min_length = whole(p, "minLength", "options.password.minLength", 1, max)?
            .unwrap_or(rules.min_length);
        let classes = whole(p, "minClasses", "options.password.minClasses", 1, 4)?;
        rules.min_classes = classes.map_or(rules.min_classes, |n| n as u8);
        if rules.min_length > rules.max_length {
            return Err(range_error(
                "options.password.minLength must not exceed maxLength",
            ));
        }
    }
    if let Some(policy) = sub_object(options, "username", "required minLength maxLength")? {
        let p = Some(&policy);
        let max = username::MAX_MAX_LENGTH;
        let rules = &mut core.username;
        rules.required =
            boolean(p, "required", "options.username.required")?.unwrap_or(rules.required);
        rules.max_length = whole(p, "maxLength", "options.username.maxLength", 1, max)?
            .unwrap_or(rules.max_length);
        rules.min_length = whole(p, "minLength", "options.username.minLength", 1, max)?
            .unwrap_or(rules.min_length);
        if rules.min_length > rules.max_length {
            return Err(range_error(
                "options.username.minLength must not exceed maxLength",
            ));
        }
    }
    let fields = option_value(options, "fields")?;
    if !is_absent(&fields) {
        let list = fields
            .dyn_ref::<Array>()
            .ok_or_else(|| type_error("options.fields must be an array of field names"))?;
        let mut set = FieldSet::empty();
        for item in list.iter() {
            let field = item.as_string().and_then(|s| FormField::parse(&s)).ok_or_else(|| {
                range_error("options.fields may hold only 'name', 'idKind', 'idNumber', 'phone', 'password', 'username', 'birthDate'")
            })?;
            set = set.with(field);
        }
        if set == FieldSet::empty() {
            return Err(range_error("options.fields must name at least one field"));
        }
        core.fields = set;
    }
    Ok(Parsed {
        core,
        locale: base.locale,
        explicit_as_of,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DerivedDto<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date_source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_minor: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    age_band: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    needs_guardian_consent: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<RegionDto<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValueDto<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    derived: Option<DerivedDto<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity_key: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResultDto<'a> {
    Ok {
        ok: bool,
        value: ValueDto<'a>,
        warnings: Vec<IssueDto<'a>>,
    },
    Err {
        ok: bool,
        issues: Vec<IssueDto<'a>>,
        warnings: Vec<IssueDto<'a>>,
    },
}

/// A field `shiming_form_read` found absent (else its state is its text's UTF-8 length, or another
/// negative number for a wrong type).
const MISSING: i32 = -1;
/// Added to a length: the text held a lone surrogate, read as U+FFFD (as wasm-bindgen's string
/// conversion does), so JS cannot hand the string back as the field's text.
const LOSSY: i32 = 1 << 30;
/// The bytes on the stack for a form's text; a longer form gets a buffer of its own.
const FORM_BYTES: usize = 512;

/// The form's fields as JS read them in one call (`js/checks.js`): their UTF-8 text one after
/// the other in `bytes`, and each one's state in `lens`. A throwing getter is a wrong type.
struct FormText<'b> {
    bytes: &'b mut [u8],
    lens: [i32; 7],
}

impl<'b> FormText<'b> {
    /// Reads the form's fields, in form order, into `stack`, or into `heap` when they need more
    /// room; `None` when the form is not an object.
    fn read(
        form: &JsValue,
        stack: &'b mut [u8; FORM_BYTES],
        heap: &'b mut Vec<u8>,
    ) -> Option<FormText<'b>> {
        crate::input::set_memory();
        // The form's keys are among the names.
        crate::id_fast::send_names();
        let mut lens = [0; 7];
        // JS writes at most `cap` bytes (it returns how many it needs instead), and 7 lengths.
        let needed = shiming_form_read(form, lens.as_mut_ptr(), stack.as_mut_ptr(), FORM_BYTES);
        if needed < 0 {
            return None;
        }
        if needed as usize <= FORM_BYTES {
            return Some(FormText { bytes: stack, lens });
        }
        *heap = vec![0; needed as usize];
        // `cap` 0: write the fields read (no second read of the form).
        shiming_form_read(&JsValue::UNDEFINED, lens.as_mut_ptr(), heap.as_mut_ptr(), 0);
        Some(FormText { bytes: heap, lens })
    }

    /// The form; the fields whose text JS cannot hand back as it is (a bit per field); and the rest
    /// of the buffer, for the strings of a fast result (`registration_fast`).
    fn split(&mut self) -> (RegistrationForm<'_>, u8, &mut [u8]) {
        let used = self
            .lens
            .iter()
            .filter(|&&n| n >= 0)
            .map(|&n| (n & !LOSSY) as usize)
            .sum::<usize>()
            .min(self.bytes.len());
        let (read, spare) = self.bytes.split_at_mut(used);
        let mut form = RegistrationForm::default();
        let mut lossy = 0;
        let mut at = 0;
        for (field, &len) in FormField::ALL.into_iter().zip(&self.lens) {
            let value = match len {
                MISSING => Field::Missing,
                n if n < 0 => Field::WrongType,
                n => {
                    if n & LOSSY != 0 {
                        lossy |= 1 << field as u8;
                    }
                    let n = (n & !LOSSY) as usize;
                    let text = read.get(at..at + n);
                    at += n;
                    // JS writes UTF-8 only.
                    text.and_then(|t| core::str::from_utf8(t).ok())
                        .map_or(Field::WrongType, Field::Text)
                }
            };
            form.set(field, value);
        }
        (form, lossy, spare)
    }

    /// Wipes the buffer (it held the password).
    fn done(self) {
        self.bytes.fill(0);
    }
}

fn check(form: &JsValue, parsed: &Parsed) -> Result<JsValue, JsValue> {
    let today;
    let options = if parsed.explicit_as_of {
        &parsed.core
    } else {
        today = RegistrationOptions {
            as_of: device_today()?,
            ..parsed.core.clone()
        };
        &today
    };
    let locale = parsed.locale;
    let mut stack = [0; FORM_BYTES];
    let mut heap = Vec::new();
    let Some(mut text) = FormText::read(form, &mut stack, &mut heap) else {
        let rejected = not_an_object();
        return to_js(&ResultDto::Err {
            ok: false,
            issues: issues(&rejected.issues, locale),
            warnings: Vec::new(),
        });
    };
    let (input, lossy, spare) = text.split();
    let result = with_segments(|table| check_registration_with(&input, options, table));
    let password = match input.password {
        Field::Text(text) if options.fields.contains(FormField::Password) => Some(text),
        _ => None,
    };
    let mut learn = false;
    let fast = match &result {
        Ok(checked) => crate::registration_fast::value(&input, lossy, checked, password, spare),
        Err(rejected) if rejected.warnings.is_empty() => {
            match crate::id_fast::refusal(&rejected.issues, locale, true) {
                Refusal::Built(built) => Some(built),
                Refusal::Learn => {
                    learn = true;
                    None
                }
                Refusal::General => None,
            }
        }
        Err(_) => None,
    };
    let built = match fast {
        Some(built) => Ok(built),
        None => {
            crate::registration_fast::forget_form();
            general(&result, password, locale)
        }
    };
    text.done();
    let built = built?;
    if let (true, Err(rejected)) = (learn, &result) {
        crate::id_fast::learn(&built, &rejected.issues, locale);
    }
    Ok(built)
}

/// The result object through the DTOs.
fn general(
    result: &Result<Checked<RegistrationValue>, Rejected>,
    password: Option<&str>,
    locale: Locale,
) -> Result<JsValue, JsValue> {
    let dto = match result {
        Ok(checked) => {
            let v = &checked.value;
            ResultDto::Ok {
                ok: true,
                value: ValueDto {
                    name: v.name.as_deref(),
                    id_kind: v.id_kind.map(|k| k.as_str()),
                    id_number: v.id.as_ref().map(|id| id.normalized.as_str()),
                    phone: v.phone.as_ref().map(|p| p.e164.as_str()),
                    password,
                    username: v.username.as_deref(),
                    derived: v.derived.as_ref().map(|d| DerivedDto {
                        kind: d.kind.as_str(),
                        birth_date: d.birth_date.map(IsoDate),
                        birth_date_source: d.birth_date_source.map(|s| s.as_str()),
                        gender: d.gender.map(|g| g.as_str()),
                        age: d.age,
                        is_minor: d.is_minor,
                        age_band: d.age_band.map(|b| b.as_str()),
                        needs_guardian_consent: d.needs_guardian_consent,
                        region: d.region.as_ref().map(RegionDto::new),
                    }),
                    identity_key: v.identity_key.as_deref(),
                },
                warnings: issues(&checked.warnings, locale),
            }
        }
        Err(rejected) => ResultDto::Err {
            ok: false,
            issues: issues(&rejected.issues, locale),
            warnings: issues(&rejected.warnings, locale),
        },
    };
    to_js(&dto)
}

/// Checks a whole registration form (or, with `options.fields`, some of its fields). See the
/// README for the form, the options and the result.
#[wasm_bindgen(js_name = checkRegistration, skip_typescript)]
pub fn check_registration_js(form: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let parsed = parse_remembered(optional_object(options).as_ref())?;
    check(&form, &parsed)
}

/// A Standard Schema v1 object (`'~standard': { version: 1, vendor: 'shiming', validate }`) that
/// checks registration forms with these options. Malformed options throw here, once; `validate`
/// never throws.
#[wasm_bindgen(js_name = registrationSchema, skip_typescript)]
pub fn registration_schema_js(options: JsValue) -> Result<JsValue, JsValue> {
    let parsed = parse(optional_object(options).as_ref(), REGISTRATION_KEYS)?;
    let validate =
        Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |value: JsValue| {
            check(&value, &parsed)
        });
    Ok(shiming_standard_schema(&validate.into_js_value()))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_REGISTRATION: &'static str = r#"
/** A field of the registration form (its key, and the first step of its issues' paths). */
export type RegistrationField = 'name' | 'idKind' | 'idNumber' | 'phone' | 'password' | 'username' | 'birthDate';
/** The form as the page holds it. Anything else is reported as an issue, never thrown. */
export interface RegistrationForm {
  name?: string;
  /** The declared document kind; '' means none. */
  idKind?: IdKind | '';
  idNumber?: string;
  phone?: string;
  /** Checked when present (even ''); when absent only if `password.required`. */
  password?: string;
  /** Checked when present (even ''); when absent only if `username.required`. */
  username?: string;
  /**
   * The declared birth date, YYYY-MM-DD. Required (`birth_date_required` at ['birthDate']) when the document
   * encodes none (HK/Macau/Taiwan IDs, travel permits, passports, the older permanent residence card): every
   * account has a known age. When the document encodes one, a different declared date is `birth_date_mismatch`.
   */
  birthDate?: string;
}
/** Options of `checkRegistration` and `registrationSchema`. */
export interface RegistrationOptions {
  /** "Today" as YYYY-MM-DD from a clock you trust. Default: today in Asia/Shanghai by this device's clock, at each check. */
  asOf?: string;
  /** Message language. Default 'zh-CN'. */
  locale?: Locale;
  /** The document kinds the platform accepts. Default: as `checkId` (resident IDs, residence permits, permanent residence IDs; see `configure`). */
  kinds?: IdKind[];
  /** When a person reaches the next year of age. Default 'day_after_birthday' (民法典 Art. 201). */
  ageRule?: 'day_after_birthday' | 'on_birthday';
  /** The youngest a minor's guardian may be (16 to 18). Default 18: a platform's choice, since 民法典 Art. 18 ¶2 treats a self-supporting 16- or 17-year-old as fully capable. */
  guardianMinAge?: number;
  /** Personal-name rules (the script is decided by the document). */
  name?: { maxChars?: number };
  /** The phone regions accepted. Default: all. */
  phone?: { regions?: PhoneRegion[] };
  /** Password policy. Defaults: not required when absent, 8 to 64 characters, 2 classes. */
  password?: { required?: boolean; minLength?: number; maxLength?: number; minClasses?: 1 | 2 | 3 | 4 };
  /** Username policy. Defaults: not required when absent, 2 to 32 characters. */
  username?: { required?: boolean; minLength?: number; maxLength?: number };
  /** Report only these fields (checks on input); the others are still read for the cross-field rules. Default: all. */
  fields?: RegistrationField[];
}
/**
 * What a valid ID number (and the declared birth date) says about its holder. For a person every age member is
 * present; for an organisation (`uscc`) none is.
 */
export interface RegistrationDerived {
  kind: IdKind;
  /** YYYY-MM-DD: from the document, else the declared one. */
  birthDate?: string;
  /** Where `birthDate` came from. */
  birthDateSource?: 'document' | 'declared';
  gender?: 'male' | 'female';
  /** Full years (周岁) on `asOf`. */
  age?: number;
  /** Under 18 on `asOf`. */
  isMinor?: boolean;
  /** The age band on `asOf`. */
  ageBand?: AgeBand;
  /** Under 14 on `asOf` (PIPL Art. 31): the registration needs a guardian (`checkGuardian`). */
  needsGuardianConsent?: boolean;
  region?: Region;
}
/** The normalised form. */
export interface RegistrationValue {
  /** Normalised (trimmed, separator U+00B7, ...). */
  name: string;
  /** Detected from the number (or the declared kind). */
  idKind: IdKind;
  /** Normalised (ASCII, uppercase). */
  idNumber: string;
  /** E.164, e.g. '+8613812345678'. */
  phone: string;
  /** As given (never normalised, and never in an issue). */
  password?: string;
  username?: string;
  derived: RegistrationDerived;
  /** The document's identity key (as `identityKey`): what a backend's uniqueness compares. Personal data. */
  identityKey: string;
}
/** The result: every problem of the form at once; warnings in both cases. */
export type RegistrationCheckResult<V = RegistrationValue> =
  | { ok: true; value: V; warnings: Issue[] }
  | { ok: false; issues: Issue[]; warnings: Issue[] };
/** Checks a whole registration form. With `options.fields`, only those fields are reported and the value holds only them. */
export function checkRegistration(form: unknown, options?: RegistrationOptions & { fields?: undefined }): RegistrationCheckResult;
export function checkRegistration(form: unknown, options: RegistrationOptions): RegistrationCheckResult<Partial<RegistrationValue>>;
/** The Standard Schema v1 interface (https://standardschema.dev), as `@standard-schema/spec` declares it. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaV1.Result<Output> | Promise<StandardSchemaV1.Result<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}
export declare namespace StandardSchemaV1 {
  type Result<Output> = SuccessResult<Output> | FailureResult;
  interface SuccessResult<Output> { readonly value: Output; readonly issues?: undefined }
  interface FailureResult { readonly issues: ReadonlyArray<Issue> }
  interface Issue { readonly message: string; readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined }
  interface PathSegment { readonly key: PropertyKey }
}
/** The registration schema: `validate` runs synchronously and never throws; its issues also carry `code` and `params`. */
export interface RegistrationSchema<V = RegistrationValue> extends StandardSchemaV1<RegistrationForm, V> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: 'shiming';
    readonly validate: (value: unknown) => { readonly value: V; readonly issues?: undefined } | { readonly issues: ReadonlyArray<Issue> };
    readonly types?: { readonly input: RegistrationForm; readonly output: V } | undefined;
  };
}
/** A Standard Schema v1 object for react-hook-form, TanStack Form and other consumers. Malformed options throw here. */
export function registrationSchema(options?: RegistrationOptions & { fields?: undefined }): RegistrationSchema;
export function registrationSchema(options: RegistrationOptions): RegistrationSchema<Partial<RegistrationValue>>;
"#;
