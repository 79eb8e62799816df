//! `checkRegistration`'s usual valid result built by a JS function (`js/checks.js`) from one record
//! of numbers (issue 19, item 3), as `id_fast` builds `checkId`'s.
//!
//! The general path serialises the result through `shiming_js_common::wire` (about 1.5 µs per form
//! in Node: the encoder's string cache, then a generic decoder's property stores). Here the record
//! says which members the value has; the names (kind, gender, birth date source, age band) are
//! sent once, a region's code and names the first time it is seen (`id_fast`), and each string is
//! either a field of the form as JS read it (a name or a number typed as normalised, the password)
//! or bytes in a buffer that JS decodes. A result with a warning takes the general path; a refusal
//! takes `id_fast`'s templates.
//!
//! The objects are the general path's, property for property and in the same order:
//! `tests/js/registration-fast.test.mjs` compares the two on generated forms.

use wasm_bindgen::prelude::*;

use shiming::id::{Checked, IdKind};
use shiming::minor::AgeBand;
use shiming::registration::{
    BirthDateSource, Field, FormField, RegistrationForm, RegistrationValue,
};

use crate::id_fast::{gender_index, index, region};

#[wasm_bindgen(module = "/js/checks.js")]
extern "C" {
    // Sets the record's last word when a test turned the fast path off (`shiming_reg_fast`). A
    // null record: only forget the form's fields.
    fn shiming_reg_value(record: *mut i32, bytes: *const u8) -> JsValue;
}

const SOURCES: [BirthDateSource; 2] = [BirthDateSource::Document, BirthDateSource::Declared];

/// The names `id_fast::send_names` sends after its own: the birth date sources, the age bands,
/// then the form's keys (`js/checks.js` reads the form with them). Returns how many sources and
/// bands.
pub(crate) fn names(add: &mut impl FnMut(&'static str)) -> [usize; 2] {
    SOURCES.iter().for_each(|s| add(s.as_str()));
    AgeBand::ALL.iter().for_each(|b| add(b.as_str()));
    FormField::ALL.iter().for_each(|f| add(f.as_str()));
    [SOURCES.len(), AgeBand::ALL.len()]
}

/// A string of the result for the record: absent (-1), the form's field `-2 - ref` as JS read it,
/// or `len` bytes at offset `ref` of `out`, written at `*at`; `None` when `out` has no room.
#[inline(never)] // one copy, not one per string
fn text(
    out: &mut [u8],
    at: &mut usize,
    s: Option<&str>,
    form: &RegistrationForm<'_>,
    lossy: u8,
    field: FormField,
) -> Option<[i32; 2]> {
    let Some(s) = s else {
        return Some([-1, 0]);
    };
    if form.get(field) == Field::Text(s) && lossy & (1 << field as u8) == 0 {
        return Some([-2 - field as i32, 0]);
    }
    let start = *at;
    out.get_mut(start..start + s.len())?
        .copy_from_slice(s.as_bytes());
    *at += s.len();
    Some([start as i32, s.len() as i32])
}

/// Makes the JS side forget the form's fields (a password among them) when the general path
/// builds the result.
pub(crate) fn forget_form() {
    shiming_reg_value(core::ptr::null_mut(), core::ptr::null());
}

/// 0 for none, 1 for false, 2 for true.
fn tri(b: Option<bool>) -> i32 {
    b.map_or(0, |b| 1 + i32::from(b))
}

/// The result object `{ ok: true, value, warnings: [] }` of a valid form without warnings, built
/// by JS; `None` when the general path must build it. `form` is the form as read, `lossy` its
/// fields whose text JS could not hand back as it is (a lone surrogate, read as U+FFFD),
/// `password` the password the value reports, and `out` room for the strings JS does not hold
/// (the form's buffer after its text, wiped after the call).
#[inline(never)]
pub(crate) fn value(
    form: &RegistrationForm<'_>,
    lossy: u8,
    checked: &Checked<RegistrationValue>,
    password: Option<&str>,
    out: &mut [u8],
) -> Option<JsValue> {
    if !checked.warnings.is_empty() {
        return None;
    }
    let v = &checked.value;
    let kind = |k: Option<IdKind>| match k {
        Some(k) => index(&IdKind::ALL, &k).map(|i| i as i32 + 1),
        None => Some(0),
    };
    let mut derived = [0, 0, 0, 0, -1, 0, 0, 0, -1];
    if let Some(d) = &v.derived {
        derived = [
            kind(Some(d.kind))?,
            d.birth_date.map_or(0, |b| b.ymd() as i32),
            match d.birth_date_source {
                Some(s) => index(&SOURCES, &s)? as i32 + 1,
                None => 0,
            },
            gender_index(d.gender)? as i32,
            d.age.map_or(-1, |a| a.min(i32::MAX as u32) as i32),
            tri(d.is_minor),
            match d.age_band {
                Some(b) => index(&AgeBand::ALL, &b)? as i32 + 1,
                None => 0,
            },
            tri(d.needs_guardian_consent),
            match &d.region {
                Some(r) => region(r)?,
                None => -1,
            },
        ];
    }
    let mut at = 0;
    let mut t = |s: Option<&str>, field| text(out, &mut at, s, form, lossy, field);
    let [name, name_len] = t(v.name.as_deref(), FormField::Name)?;
    let [id, id_len] = t(
        v.id.as_ref().map(|id| id.normalized.as_str()),
        FormField::IdNumber,
    )?;
    let [phone, phone_len] = t(v.phone.as_ref().map(|p| p.e164.as_str()), FormField::Phone)?;
    let [pass, pass_len] = t(password, FormField::Password)?;
    let [user, user_len] = t(v.username.as_deref(), FormField::Username)?;
    // No field holds an identity key: always bytes (every field counted as lossy).
    let [key, key_len] = text(
        out,
        &mut at,
        v.identity_key.as_deref(),
        form,
        u8::MAX,
        FormField::IdKind,
    )?;
    let [d0, d1, d2, d3, d4, d5, d6, d7, d8] = derived;
    let mut record: [i32; 23] = [
        name,
        name_len,
        kind(v.id_kind)?,
        id,
        id_len,
        phone,
        phone_len,
        pass,
        pass_len,
        user,
        user_len,
        d0,
        d1,
        d2,
        d3,
        d4,
        d5,
        d6,
        d7,
        d8,
        key,
        key_len,
        0,
    ];
    let built = shiming_reg_value(record.as_mut_ptr(), out.as_ptr());
    let [.., declined] = record;
    (declined == 0).then_some(built)
}
