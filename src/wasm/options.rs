//! Decoding of the JS options object. Malformed options are a caller's bug: they throw.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::input::shiming_remember_options;
use super::type_error;
use crate::date::Date;
use crate::i18n::Locale;
use crate::id::{IdKind, IdOptions, KindSet};

#[derive(Clone)]
pub(super) struct JsOptions {
    pub id: IdOptions,
    pub locale: Locale,
}

/// The page's defaults, set once with `configure` and used wherever a call leaves an option out.
#[derive(Clone, Copy)]
struct Defaults {
    kinds: KindSet,
    locale: Locale,
}

thread_local! {
    static DEFAULTS: core::cell::Cell<Defaults> = const {
        core::cell::Cell::new(Defaults { kinds: KindSet::mainland_platform(), locale: Locale::ZhCn })
    };
}

/// `configure({ kinds?, locale? })`: the defaults of every later call of this module that leaves
/// `kinds` or `locale` out. Each key given replaces its default; a key left out keeps it;
/// `configure({})` changes nothing, and `configure(null)` restores the shipped defaults
/// (`kinds`: resident ID, residence permit, permanent residence ID; `locale`: zh-CN). Malformed
/// values throw, as in any call, and change nothing. Returns the defaults now in force.
pub(super) fn configure(options: &JsValue) -> Result<(KindSet, Locale), JsValue> {
    let mut next = if options.is_null() {
        Defaults {
            kinds: KindSet::mainland_platform(),
            locale: Locale::ZhCn,
        }
    } else {
        if !options.is_object() || Array::is_array(options) {
            return Err(type_error(
                "configure takes an object { kinds?, locale? } or null",
            ));
        }
        DEFAULTS.with(core::cell::Cell::get)
    };
    if let Some(object) = options.dyn_ref::<Object>() {
        let kinds = Reflect::get(object, &JsValue::from_str("kinds"))?;
        if !kinds.is_undefined() {
            next.kinds = parse_kinds(&kinds)?;
        }
        let locale = Reflect::get(object, &JsValue::from_str("locale"))?;
        if !locale.is_undefined() {
            next.locale = parse_locale(&locale)?;
        }
    }
    DEFAULTS.with(|d| d.set(next));
    // Options remembered before were parsed with the old defaults.
    LAST.with(|last| *last.borrow_mut() = None);
    Ok((next.kinds, next.locale))
}

/// The default kinds in force (see [`configure`]).
pub(super) fn default_kinds() -> KindSet {
    DEFAULTS.with(|d| d.get().kinds)
}

/// The default locale in force (see [`configure`]).
pub(super) fn default_locale() -> Locale {
    DEFAULTS.with(|d| d.get().locale)
}

thread_local! {
    /// The options last remembered on the JS side, with their token (see `input.rs`).
    static LAST: core::cell::RefCell<Option<(u32, JsOptions)>> = const { core::cell::RefCell::new(None) };
}

/// `options.locale`: absent means the default (zh-CN unless `configure` changed it).
pub(super) fn parse_locale(locale: &JsValue) -> Result<Locale, JsValue> {
    if locale.is_undefined() || locale.is_null() {
        return Ok(default_locale());
    }
    let tag = locale
        .as_string()
        .ok_or_else(|| type_error("options.locale must be a string ('zh-CN' or 'en')"))?;
    Locale::parse(&tag).ok_or_else(|| range_error("options.locale must be 'zh-CN' or 'en'"))
}

/// Reads `key` of an options object that was checked to be an object (or is absent).
pub(super) fn option_value(options: Option<&Object>, key: &str) -> Result<JsValue, JsValue> {
    match options {
        None => Ok(JsValue::UNDEFINED),
        Some(object) => Reflect::get(object, &JsValue::from_str(key)),
    }
}

/// Checks that options, when given, are a plain object.
pub(super) fn check_options_object(options: Option<&Object>) -> Result<(), JsValue> {
    match options {
        Some(o) if !o.is_object() || Array::is_array(o) => {
            Err(type_error("options must be an object"))
        }
        _ => Ok(()),
    }
}

pub(super) fn range_error(message: &str) -> JsValue {
    js_sys::RangeError::new(&format!("shiming: {message}")).into()
}

/// Today in Asia/Shanghai by this device's clock: the fallback when no trusted date is given.
pub(super) fn device_today() -> Result<Date, JsValue> {
    Date::from_unix_millis_shanghai(js_sys::Date::now())
        .ok_or_else(|| range_error("the device clock is out of range; pass options.asOf"))
}

thread_local! {
    /// The option names as JS strings, made once: building a JS string from Rust goes through
    /// `TextDecoder` and costs more than the whole ID check.
    static KEYS: [JsValue; 3] = [
        JsValue::from_str("asOf"),
        JsValue::from_str("locale"),
        JsValue::from_str("kinds"),
    ];
}

/// Parses the options; `token` is from [`super::input::prepare`] (0 when unknown), and lets a
/// loop passing the same unchanged object skip the parse.
pub(super) fn parse_options_with_token(
    options: Option<&Object>,
    token: u32,
) -> Result<JsOptions, JsValue> {
    let Some(options) = options else {
        let mut id = IdOptions::new(device_today()?);
        id.kinds = default_kinds();
        return Ok(JsOptions {
            id,
            locale: default_locale(),
        });
    };
    // A remembered token implies the object was already checked.
    if token != 0 {
        let hit = LAST.with(|last| match &*last.borrow() {
            Some((t, parsed)) if *t == token => Some(parsed.clone()),
            _ => None,
        });
        if let Some(parsed) = hit {
            return Ok(parsed);
        }
    }
    check_options_object(Some(options))?;
    let [as_of, locale, kinds] = KEYS.with(|[as_of, locale, kinds]| {
        Ok::<_, JsValue>([
            Reflect::get(options, as_of)?,
            Reflect::get(options, locale)?,
            Reflect::get(options, kinds)?,
        ])
    })?;
    let parsed = parse_values(&as_of, &locale, &kinds)?;
    // Only options that cannot change meaning between calls are remembered: an explicit asOf
    // (the device's "today" moves) and no kinds array (an array can be mutated in place).
    if as_of.is_string() && (kinds.is_undefined() || kinds.is_null()) {
        let token = shiming_remember_options(options, &as_of, &locale)?;
        LAST.with(|last| *last.borrow_mut() = Some((token, parsed.clone())));
    }
    Ok(parsed)
}

/// Parses the options with no remembered token.
pub(super) fn parse_options(options: Option<&Object>) -> Result<JsOptions, JsValue> {
    parse_options_with_token(options, 0)
}

fn parse_values(as_of: &JsValue, locale: &JsValue, kinds: &JsValue) -> Result<JsOptions, JsValue> {
    let as_of = if as_of.is_undefined() || as_of.is_null() {
        device_today()?
    } else {
        let text = as_of
            .as_string()
            .ok_or_else(|| type_error("options.asOf must be a string YYYY-MM-DD"))?;
        Date::parse_iso(&text)
            .ok_or_else(|| range_error("options.asOf must be a real date written YYYY-MM-DD"))?
    };

    let locale = parse_locale(locale)?;

    let kinds = if kinds.is_undefined() || kinds.is_null() {
        default_kinds()
    } else {
        parse_kinds(kinds)?
    };

    let mut id = IdOptions::new(as_of);
    id.kinds = kinds;
    Ok(JsOptions { id, locale })
}

/// `options.kinds`: a non-empty array of kind names.
pub(super) fn parse_kinds(kinds: &JsValue) -> Result<KindSet, JsValue> {
    {
        let list = kinds
            .dyn_ref::<Array>()
            .ok_or_else(|| type_error("options.kinds must be an array of kind names"))?;
        let mut set = KindSet::empty();
        for item in list.iter() {
            let kind = item
                .as_string()
                .and_then(|s| IdKind::parse(&s))
                .ok_or_else(|| {
                    let known: Vec<&str> = IdKind::ALL.iter().map(|k| k.as_str()).collect();
                    range_error(&format!(
                        "options.kinds has an unknown kind; known kinds: {}",
                        known.join(", ")
                    ))
                })?;
            set = set.with(kind);
        }
        if set.is_empty() {
            return Err(range_error("options.kinds must name at least one kind"));
        }
        Ok(set)
    }
}
