//! `checkId`'s usual result, a valid number as the user typed it with nothing to warn about, built
//! by a JS function (`js/checks.js`) from a few numbers (issue 19, item 3).
//!
//! The general path (`id_dto`, through `shiming_js_common::wire`) costs about 1.5 µs per result in
//! Node, most of it in a generic decoder's property stores and string reads. Here the object is an
//! object literal in one JS function whose property stores the engine caches; the strings are the
//! input itself, the kind, gender and jurisdiction names sent once, and each region's code and names
//! sent the first time that region is seen. Every other result (an issue, a warning, a number that
//! normalisation changed, a legacy number's upgrade, a nationality) takes the general path.
//!
//! The object is the one the general path builds, property for property and in the same order:
//! `tests/js/id-fast.test.mjs` compares the two on every kind, with region names and without.

use core::cell::RefCell;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use shiming::id::{Checked, Gender, IdKind, IdValue};
use shiming::jurisdiction::Jurisdiction;

#[wasm_bindgen(module = "/js/checks.js")]
extern "C" {
    fn shiming_id_names(kinds: &Array, genders: &Array, jurisdictions: &Array);
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

fn index<T: PartialEq>(list: &[T], item: &T) -> Option<u32> {
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
    let kind = index(&IdKind::ALL, &v.kind)?;
    let gender = match v.gender {
        Some(g) => index(&GENDERS, &g)? + 1,
        None => 0,
    };
    let jurisdiction = match v.jurisdiction {
        Some(j) => index(&JURISDICTIONS, &j)? + 1,
        None => 0,
    };
    let ymd = match v.birth_date {
        Some(d) => d.ymd(),
        None => 0,
    };
    let region = match &v.region {
        Some(r) => {
            let code: u32 = r.code.parse().ok().filter(|_| r.code.len() == 6)?;
            let named = r.province.is_some() || r.city.is_some() || r.county.is_some();
            SENT.with(|sent| {
                let mut sent = sent.borrow_mut();
                match sent.regions.binary_search_by_key(&code, |&(c, _)| c) {
                    Ok(at) if sent.regions.get(at).is_some_and(|&(_, n)| n == named) => {}
                    found => {
                        shiming_id_region(code, &r.code, r.province, r.city, r.county);
                        match found {
                            Ok(at) => {
                                if let Some(entry) = sent.regions.get_mut(at) {
                                    entry.1 = named;
                                }
                            }
                            Err(at) => sent.regions.insert(at, (code, named)),
                        }
                    }
                }
            });
            code as i32
        }
        None => -1,
    };
    SENT.with(|sent| {
        let mut sent = sent.borrow_mut();
        if !sent.names {
            shiming_id_names(
                &IdKind::ALL
                    .iter()
                    .map(|k| JsValue::from_str(k.as_str()))
                    .collect(),
                &GENDERS
                    .iter()
                    .map(|g| JsValue::from_str(g.as_str()))
                    .collect(),
                &JURISDICTIONS
                    .iter()
                    .map(|j| JsValue::from_str(j.as_str()))
                    .collect(),
            );
            sent.names = true;
        }
    });
    Some(shiming_id_value(
        input,
        kind,
        ymd,
        gender,
        region,
        jurisdiction,
    ))
}
