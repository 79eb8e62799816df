//! The ID checks' options (`asOf`, `locale`, `kinds`, `allowPilotEra`), their defaults set by
//! `configure`, and the parse a loop passing the same object skips. Malformed options are a
//! caller's bug: they throw.

use core::cell::Cell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::input::shiming_remember_options;
use shiming::date::Date;
use shiming::i18n::Locale;
use shiming::id::{IdKind, IdOptions, KindSet};
use shiming_js_common::options::{
    check_options, default_locale, device_today, parse_locale, range_error, set_default_locale,
};
use shiming_js_common::type_error;

#[derive(Clone)]
pub(crate) struct JsOptions {
    pub id: IdOptions,
    pub locale: Locale,
}

thread_local! {
    /// The kinds of every call that leaves `kinds` out, set by `configure` (the default locale,
    /// which every module reads, is `shiming_js_common::options`' own).
    static DEFAULT_KINDS: Cell<KindSet> = const { Cell::new(KindSet::mainland_platform()) };
}

/// `configure({ kinds?, locale? })`: the defaults of every later call of this module that leaves
/// `kinds` or `locale` out. Each key given replaces its default; a key left out keeps it;
/// `configure({})` changes nothing, and `configure(null)` restores the shipped defaults (`kinds`:
/// resident ID, residence permit, permanent residence ID; `locale`: zh-CN). Malformed values
/// throw, as in any call, and change nothing. `messages`, the platform's wording, is the page
/// setup's (the package's `messages.js` takes it out before it calls this) and is ignored here.
/// Returns the defaults now in force.
pub(crate) fn configure(options: &JsValue) -> Result<(KindSet, Locale), JsValue> {
    let (mut kinds, mut locale) = if options.is_null() {
        (KindSet::mainland_platform(), Locale::ZhCn)
    } else {
        if !options.is_object() || Array::is_array(options) {
            return Err(type_error(
                "configure takes an object { kinds?, locale?, messages? } or null",
            ));
        }
        (default_kinds(), default_locale())
    };
    if let Some(object) = options.dyn_ref::<Object>() {
        check_options(Some(object), "", "kinds locale messages")?;
        let given = Reflect::get(object, &JsValue::from_str("kinds"))?;
        if !given.is_undefined() {
            kinds = parse_kinds(&given)?;
        }
        let given = Reflect::get(object, &JsValue::from_str("locale"))?;
        if !given.is_undefined() {
            locale = parse_locale(&given)?;
        }
    }
    DEFAULT_KINDS.with(|d| d.set(kinds));
    set_default_locale(locale);
    // Options remembered before were parsed with the old defaults.
    LAST.with(|last| *last.borrow_mut() = None);
    crate::registration::forget_remembered();
    Ok((kinds, locale))
}

/// The default kinds in force (see [`configure`]).
pub(crate) fn default_kinds() -> KindSet {
    DEFAULT_KINDS.with(Cell::get)
}

thread_local! {
    /// The options last remembered on the JS side, with their token (see `input.rs`).
    static LAST: core::cell::RefCell<Option<(u32, JsOptions)>> = const { core::cell::RefCell::new(None) };
}

thread_local! {
    /// The option names as JS strings, made once: building a JS string from Rust goes through
    /// `TextDecoder` and costs more than the whole ID check.
    static KEYS: [JsValue; 4] = [
        JsValue::from_str("asOf"),
        JsValue::from_str("locale"),
        JsValue::from_str("kinds"),
        JsValue::from_str("allowPilotEra"),
    ];
}

/// The options of `checkId`, `isValidId`, `identityKey` and `checkIdBatch` (see `check_options`).
pub(crate) const ID_KEYS: &str = "asOf locale kinds allowPilotEra";

/// Parses the options, whose keys must all be `known` (`ID_KEYS`, or a larger set whose other
/// keys the caller reads; see `check_options`); `token` is from [`crate::input::prepare`] (0
/// when unknown), and lets a loop passing the same unchanged object skip the parse.
pub(crate) fn parse_options_with_token(
    options: Option<&Object>,
    token: u32,
    known: &'static str,
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
    check_options(Some(options), "", known)?;
    let [as_of, locale, kinds, pilot_era] = KEYS.with(|[as_of, locale, kinds, pilot_era]| {
        Ok::<_, JsValue>([
            Reflect::get(options, as_of)?,
            Reflect::get(options, locale)?,
            Reflect::get(options, kinds)?,
            Reflect::get(options, pilot_era)?,
        ])
    })?;
    let mut parsed = parse_values(&as_of, &locale, &kinds)?;
    if !pilot_era.is_undefined() && !pilot_era.is_null() {
        parsed.id.allow_pilot_era = pilot_era
            .as_bool()
            .ok_or_else(|| type_error("options.allowPilotEra must be a boolean"))?;
    }
    // Only options that cannot change meaning between calls are remembered: an explicit asOf
    // (the device's "today" moves), no kinds array (an array can be mutated in place) and no
    // allowPilotEra (the remembered token covers asOf and locale only).
    if as_of.is_string()
        && (kinds.is_undefined() || kinds.is_null())
        && (pilot_era.is_undefined() || pilot_era.is_null())
    {
        let token = shiming_remember_options(options, &as_of, &locale)?;
        LAST.with(|last| *last.borrow_mut() = Some((token, parsed.clone())));
    }
    Ok(parsed)
}

/// Parses `options` and returns the token they are now remembered under, or 0 when they cannot
/// be remembered (see [`parse_options_with_token`]).
pub(crate) fn parse_and_remember(
    options: Option<&Object>,
    known: &'static str,
) -> Result<u32, JsValue> {
    // Whatever was remembered before is not these options.
    LAST.with(|last| *last.borrow_mut() = None);
    parse_options(options, known)?;
    Ok(LAST.with(|last| last.borrow().as_ref().map_or(0, |(token, _)| *token)))
}

/// The options remembered under `token`, if they still are.
pub(crate) fn by_token(token: u32) -> Option<JsOptions> {
    LAST.with(|last| match &*last.borrow() {
        Some((t, parsed)) if *t == token => Some(parsed.clone()),
        _ => None,
    })
}

/// Parses the options with no remembered token.
pub(crate) fn parse_options(
    options: Option<&Object>,
    known: &'static str,
) -> Result<JsOptions, JsValue> {
    parse_options_with_token(options, 0, known)
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
pub(crate) fn parse_kinds(kinds: &JsValue) -> Result<KindSet, JsValue> {
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
