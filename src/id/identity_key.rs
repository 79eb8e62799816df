//! The identity key: one canonical string per document, so that one document is one account.
//!
//! Uniqueness on raw strings lets one person hold several accounts: `110105491231002` and
//! `11010519491231002X` are the same card (the 18-character number of a first-generation holder
//! is the 15-digit one with `19` before the year and the GB 11643-1999 check character added), and
//! `A123456(3)`, `a123456 3` and `A1234563` are the same Hong Kong ID. The key is
//! `<kind>:<canonical number>`:
//!
//! | kind | canonical number |
//! |---|---|
//! | `cn_resident` | the 18 characters, `X` upper case; a 15-digit legacy number is **upgraded** and keyed as `cn_resident` |
//! | `hk_macao_taiwan_residence_permit`, `foreign_permanent_resident`, `tw_id`, `cn_passport`, `uscc` | the normalised number |
//! | `hk_id`, `mo_id` | letters and digits only: brackets and spaces dropped (`A1234563`) |
//! | `hk_macao_home_return_permit` | the first 9 characters (`H12345678`, `HA1234567`): the 2-digit issue count of a renewed permit is dropped, it is the same permit number |
//! | `tw_mtp` | the first 8 digits (the 2-digit issue count of the 2015 card dropped) |
//!
//! What a key cannot do: link two different documents of one person (a Hong Kong resident's HK
//! ID, residence permit and home-return permit are three keys; a new passport has a new number).
//! A platform that accepts several kinds for one population should say so in its rules, or ask for
//! the one document it keys on.
//!
//! The key holds the whole number: it is personal data. Store it as the backend stores the number
//! (encrypted, or as a keyed hash for the uniqueness index); never log it.
//!
//! # Sources
//! - **`gb-11643-1999`**: GB 11643-1999《公民身份号码》: the 18-character number and its check
//!   character, to which a 15-digit number is upgraded.
//! - **`gb-11643-1989`**: GB 11643-1989《社会保障号码》: the 15-digit number, whose 2-digit year
//!   is of the 1900s.

use super::{check_id, IdKind, IdOptions, IdValue};

/// The identity key of a checked document (see the module doc).
pub fn identity_key_of(value: &IdValue) -> String {
    let normalized = value.normalized.as_str();
    let (kind, number): (IdKind, String) = match value.kind {
        IdKind::CnResidentLegacy => (
            IdKind::CnResident,
            value
                .upgraded
                .clone()
                .unwrap_or_else(|| normalized.to_string()),
        ),
        IdKind::HkId | IdKind::MoId => (
            value.kind,
            normalized
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect(),
        ),
        IdKind::HkMacaoHomeReturnPermit => (value.kind, normalized.chars().take(9).collect()),
        IdKind::TwMtp => (value.kind, normalized.chars().take(8).collect()),
        IdKind::CnResident
        | IdKind::HkMacaoTaiwanResidencePermit
        | IdKind::ForeignPermanentResident
        | IdKind::TwId
        | IdKind::CnPassport
        | IdKind::Uscc => (value.kind, normalized.to_string()),
    };
    let mut key = String::with_capacity(kind.as_str().len() + 1 + number.len());
    key.push_str(kind.as_str());
    key.push(':');
    key.push_str(&number);
    key
}

/// The identity key of `input` under `options`, or `None` when it is not a valid number of an
/// allowed kind ([`check_id`] says why).
pub fn identity_key(input: &str, options: &IdOptions) -> Option<String> {
    check_id(input, options)
        .ok()
        .map(|checked| identity_key_of(&checked.value))
}
