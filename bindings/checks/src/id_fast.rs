//! `checkId`'s usual results built by JS functions (`js/checks.js`) from a few numbers (issue 19,
//! item 3): a valid number as the user typed it with nothing to warn about, and a refusal whose
//! issues the JS side has seen before.
//!
//! The general path (`id_dto`, through `shiming_js_common::wire`) costs about 1.5 µs per result in
//! Node, most of it in a generic decoder's property stores and string reads. Here the object is an
//! object literal in one JS function whose property stores the engine caches; the strings are the
//! input itself, the kind, gender and jurisdiction names sent once, and each region's code and names
//! sent the first time that region is seen. Every other valid result (a warning, a number that
//! normalisation changed, a legacy number's upgrade, a nationality) takes the general path.
//!
//! The commonest valid input, a resident ID typed exactly as normalised, does not even go through
//! `check_id`: the core's quick path (`shiming::id::check_resident_quick`, the batch's, tested field
//! for field against `check_id`) decides it without allocating, and the region's names are looked
//! up only when the JS side does not hold them yet.
//!
//! A refusal's issues are the other common result (a third of a typical column). Each distinct
//! issue (its code, params and locale: the message is a function of them while no message hook
//! answers for the locale) is built once by the general path and kept by the JS side as a
//! template under a number; later refusals send the numbers, and JS copies the templates.
//!
//! The objects are the ones the general path builds, property for property and in the same order:
//! `tests/js/id-fast.test.mjs` compares the two on every kind, with region names and without, and
//! every issue of a generated corpus of refusals in each locale.

use core::cell::RefCell;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use shiming::division::{self, RegionNames};
use shiming::i18n::Locale;
use shiming::id::{Checked, Gender, IdKind, IdValue, QuickResident, Region};
use shiming::issue::{Issue, ParamValue, PathSegment};
use shiming::jurisdiction::Jurisdiction;
use shiming_js_common::messages::hook_answers;

#[wasm_bindgen(module = "/js/checks.js")]
extern "C" {
    fn shiming_id_names(names: &Array, counts: &[u32]);
    fn shiming_id_region(
        code: u32,
        text: &str,
        province: Option<&str>,
        city: Option<&str>,
        county: Option<&str>,
    );
    fn shiming_id_value(
        input: &JsValue,
        kind: u32,
        ymd: u32,
        gender: u32,
        region: i32,
        jurisdiction: u32,
    ) -> JsValue;
    fn shiming_id_template(id: u32, result: &JsValue, at: u32);
    fn shiming_id_issues(first: u32, second: i32, third: i32, form: bool) -> JsValue;
}

const GENDERS: [Gender; 2] = [Gender::Male, Gender::Female];
const JURISDICTIONS: [Jurisdiction; 4] = [
    Jurisdiction::Cn,
    Jurisdiction::Hk,
    Jurisdiction::Mo,
    Jurisdiction::Tw,
];

struct Sent {
    names: bool,
    /// Region codes whose code and names the JS side holds, sorted. Names are installed once
    /// (`setRegionNames`) and never change, so a region sent with names stays right; one sent
    /// before they were installed is sent again.
    regions: Vec<(u32, bool)>,
}

thread_local! {
    static SENT: RefCell<Sent> = const { RefCell::new(Sent { names: false, regions: Vec::new() }) };
}

pub(crate) fn index<T: PartialEq>(list: &[T], item: &T) -> Option<u32> {
    list.iter().position(|x| x == item).map(|i| i as u32)
}

/// The result object of a valid number with no warning whose normalised form is `text` itself;
/// `None` when the general path must build it.
pub(crate) fn value(input: &JsValue, text: &str, checked: &Checked<IdValue>) -> Option<JsValue> {
    let v = &checked.value;
    if !checked.warnings.is_empty()
        || v.normalized != text
        || v.upgraded.is_some()
        || v.nationality.is_some()
    {
        return None;
    }
    let region = match &v.region {
        Some(r) => region(r)?,
        None => -1,
    };
    build(
        input,
        v.kind,
        v.birth_date.map_or(0, |d| d.ymd()),
        v.gender,
        region,
        v.jurisdiction,
    )
}

/// The result object of a valid resident ID that the core's quick path decided
/// ([`shiming::id::check_resident_quick`]): the same object as [`value`]'s for it, with the
/// region's names looked up only when JS does not hold them yet.
pub(crate) fn resident(input: &JsValue, quick: &QuickResident) -> Option<JsValue> {
    send_region(quick.region, || division::names(quick.region));
    build(
        input,
        IdKind::CnResident,
        quick.birth_date.ymd(),
        Some(quick.gender),
        quick.region as i32,
        Some(Jurisdiction::Cn),
    )
}

/// The code of region `r` as a number, its code and names sent to the JS side if it does not hold
/// them yet (see [`send_region`]); `None` for a code that is not six digits.
pub(crate) fn region(r: &Region) -> Option<i32> {
    let code: u32 = r.code.parse().ok().filter(|_| r.code.len() == 6)?;
    send_region(code, || RegionNames {
        province: r.province,
        city: r.city,
        county: r.county,
    });
    Some(code as i32)
}

/// Makes sure the JS side holds region `code` (six digits) with its names, sending them if not:
/// a region sent with names stays right (names are installed once and never change); one sent
/// without is sent again once it has some.
fn send_region(code: u32, names: impl FnOnce() -> RegionNames) {
    SENT.with(|sent| {
        let mut sent = sent.borrow_mut();
        let found = sent.regions.binary_search_by_key(&code, |&(c, _)| c);
        let held = found
            .ok()
            .and_then(|at| sent.regions.get(at))
            .map(|&(_, n)| n);
        if held == Some(true) {
            return;
        }
        let n = names();
        let named = n.province.is_some() || n.city.is_some() || n.county.is_some();
        if held == Some(named) {
            return;
        }
        let mut digits = [b'0'; 6];
        let mut rest = code;
        for d in digits.iter_mut().rev() {
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let text = core::str::from_utf8(&digits).unwrap_or("");
        shiming_id_region(code, text, n.province, n.city, n.county);
        match found {
            Ok(at) => {
                if let Some(entry) = sent.regions.get_mut(at) {
                    entry.1 = named;
                }
            }
            Err(at) => sent.regions.insert(at, (code, named)),
        }
    });
}

/// The object literal of `shiming_id_value` (JS), the kind, gender and jurisdiction names sent
/// first if they were not.
fn build(
    input: &JsValue,
    kind: IdKind,
    ymd: u32,
    gender: Option<Gender>,
    region: i32,
    jurisdiction: Option<Jurisdiction>,
) -> Option<JsValue> {
    let kind = index(&IdKind::ALL, &kind)?;
    let gender = gender_index(gender)?;
    let jurisdiction = match jurisdiction {
        Some(j) => index(&JURISDICTIONS, &j)? + 1,
        None => 0,
    };
    send_names();
    Some(shiming_id_value(
        input,
        kind,
        ymd,
        gender,
        region,
        jurisdiction,
    ))
}

/// The index + 1 of `gender` among the names [`send_names`] sends (0: none).
pub(crate) fn gender_index(gender: Option<Gender>) -> Option<u32> {
    match gender {
        Some(g) => Some(index(&GENDERS, &g)? + 1),
        None => Some(0),
    }
}

/// Sends the names the JS side builds results with, the first time, in one list: the kinds,
/// genders and jurisdictions (`checkId`), then for `checkRegistration` the birth date sources and
/// age bands (`registration_fast`) and the form's keys (`registration`).
pub(crate) fn send_names() {
    SENT.with(|sent| {
        let mut sent = sent.borrow_mut();
        if !sent.names {
            let names = Array::new();
            let mut add = |name: &str| {
                names.push(&JsValue::from_str(name));
            };
            IdKind::ALL.iter().for_each(|k| add(k.as_str()));
            GENDERS.iter().for_each(|g| add(g.as_str()));
            JURISDICTIONS.iter().for_each(|j| add(j.as_str()));
            let [sources, bands] = crate::registration_fast::names(&mut add);
            let counts = [
                IdKind::ALL.len(),
                GENDERS.len(),
                JURISDICTIONS.len(),
                sources,
                bands,
            ];
            shiming_id_names(&names, &counts.map(|n| n as u32));
            sent.names = true;
        }
    });
}

/// An issue's identity for the templates: its code, locale and path (none, or one key: a form's
/// field, by its address and length), then up to three params as pairs
/// of words (the name's address in the high half, its length and the value's type in the low
/// half; then the value, a string by its address and length). Exact in wasm32, where an address
/// is 32 bits: two issues with one key have the same object and message.
pub(crate) type Key = [u64; 7];

/// Template slots, indexed by a hash of the key: a slot holds the last issue that hashed there
/// (a collision costs a second build, never a wrong object). ID numbers' issues come in a few
/// hundred shapes per locale.
const SLOTS: usize = 1024;

thread_local! {
    /// Each slot's key (all zeros: empty; no key is, its first word holds a locale's place + 1).
    static TEMPLATES: RefCell<Vec<Key>> = const { RefCell::new(Vec::new()) };
}

#[inline(never)] // one copy, not one per issue of a refusal
fn key(issue: &Issue, locale: Locale) -> Option<Key> {
    let path = match issue.path.as_slice() {
        [] => 0,
        [PathSegment::Key(k)] if k.len() < 256 => {
            ((k.as_ptr() as usize as u64) << 32) | (k.len() as u64) << 24
        }
        _ => return None,
    };
    if issue.params.len() > 3 {
        return None;
    }
    let locale = Locale::ALL.iter().position(|&l| l == locale)? + 1;
    let mut key = [0u64; 7];
    let words = |s: &str| ((s.as_ptr() as usize as u64) << 32) | s.len() as u64;
    let mut slots = key.iter_mut();
    *slots.next()? = issue.code.index() as u64 | (locale as u64) << 16 | path;
    for (name, value) in &issue.params {
        let (tag, word) = match value {
            ParamValue::Int(n) => (1, *n as u64),
            ParamValue::Char(c) => (2, u64::from(*c)),
            ParamValue::Str(s) => (3, words(s)),
            _ => return None,
        };
        // The name's address (32 bits in wasm32), its length (a short identifier) and the tag.
        if name.len() >= 1 << 30 {
            return None;
        }
        *slots.next()? = ((name.as_ptr() as usize as u64) << 32) | (name.len() as u64) << 2 | tag;
        *slots.next()? = word;
    }
    Some(key)
}

/// The slot of `key`.
#[inline(never)]
fn slot(key: &Key) -> usize {
    let hash = key.iter().fold(0u64, |h, &w| {
        (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
    });
    (hash % SLOTS as u64) as usize
}

/// What [`refusal`] found.
pub(crate) enum Refusal {
    /// The result, built from templates.
    Built(JsValue),
    /// The general path builds it, and JS learns its issues as templates ([`learn`]).
    Learn,
    /// The general path builds it, and nothing is learnt.
    General,
}

/// The refusal `{ ok: false, issues }` (with `form`, checkRegistration's
/// `{ ok: false, issues, warnings: [] }`) of one to three issues, from templates when JS holds them
/// all. The general path alone while a message hook answers for `locale`, or for an issue that
/// is no template (a path of more than one key, a list, a fourth param).
pub(crate) fn refusal(issues: &[Issue], locale: Locale, form: bool) -> Refusal {
    if issues.is_empty() || issues.len() > 3 || hook_answers(locale) {
        return Refusal::General;
    }
    let mut ids = [-1i32; 3];
    let mut learn = false;
    for (id, issue) in ids.iter_mut().zip(issues) {
        let Some(key) = key(issue, locale) else {
            return Refusal::General;
        };
        let at = slot(&key);
        if TEMPLATES.with(|t| t.borrow().get(at) == Some(&key)) {
            *id = at as i32;
        } else {
            learn = true;
        }
    }
    if learn {
        return Refusal::Learn;
    }
    let [first, second, third] = ids;
    Refusal::Built(shiming_id_issues(first as u32, second, third, form))
}

/// Hands JS copies of the issues of `result`, the general path's refusal of `issues` (after
/// [`Refusal::Learn`]), each in its key's slot.
#[inline(never)]
pub(crate) fn learn(result: &JsValue, issues: &[Issue], locale: Locale) {
    TEMPLATES.with(|t| {
        let mut t = t.borrow_mut();
        if t.is_empty() {
            t.resize(SLOTS, [0; 7]);
        }
        for (at, issue) in issues.iter().enumerate() {
            let Some(key) = key(issue, locale) else {
                continue;
            };
            let slot = slot(&key);
            if let Some(held) = t.get_mut(slot) {
                shiming_id_template(slot as u32, result, at as u32);
                *held = key;
            }
        }
    });
}
