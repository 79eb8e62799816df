//! English messages.

use super::param_text;
use crate::issue::{Code, Issue};

pub(super) fn message(issue: &Issue) -> String {
    let p = |name: &str| param_text(issue, name);
    match issue.code {
        Code::IdEmpty => "Enter the ID number".into(),
        Code::IdTooLong => format!("The ID number is too long: at most {} characters", p("max")),
        Code::IdInvalidLength => format!(
            "A resident ID number has 18 characters (15 on first-generation cards); this one has {}",
            p("length")
        ),
        Code::IdInvalidCharacter => match issue.param("expected") {
            Some(crate::ParamValue::Str("digit_or_x")) => {
                format!("Character {} must be a digit or X", p("position"))
            }
            _ => format!("Character {} must be a digit", p("position")),
        },
        Code::IdChecksumMismatch => format!(
            "The check character is wrong: character 18 should be {}",
            p("expected")
        ),
        Code::IdBirthDateInvalid => "The birth date in the ID number is not a real date".into(),
        Code::IdBirthDateInFuture => "The birth date in the ID number is in the future".into(),
        Code::IdBirthDateTooOld => format!(
            "The birth date in the ID number is implausibly early: older than {} years",
            p("maxAgeYears")
        ),
        Code::IdRegionInvalid => {
            "The first two digits are not a province-level division code".into()
        }
        Code::IdRegionAbolished => format!(
            "The region code in the ID number was abolished in {}, before the birth year",
            p("lastYear")
        ),
        Code::IdKindNotAllowed => format!(
            "This is {}; this form needs {}",
            kind_name(&p("kind")),
            allowed_names(issue)
        ),
        Code::IdWhitespaceTrimmed => "Spaces around the number were removed".into(),
        Code::IdFullwidthFolded => "Full-width characters were converted to half-width".into(),
        Code::IdLowercaseXFolded => "A lowercase x was converted to uppercase X".into(),
        Code::IdRegionUnknown => {
            "The region code is not in the division code table; please double-check it".into()
        }
        Code::IdLegacyFormat => "This is a first-generation 15-digit ID number (no longer valid since 2013); it was upgraded to 18 digits".into(),
    }
}

fn kind_name(kind: &str) -> &'static str {
    match kind {
        "cn_resident" => "a mainland resident ID number",
        "cn_resident_legacy" => "a first-generation 15-digit resident ID number",
        _ => "another kind of ID",
    }
}

fn allowed_names(issue: &Issue) -> String {
    match issue.param("allowed") {
        Some(crate::ParamValue::List(kinds)) => kinds
            .iter()
            .map(|k| kind_name(k))
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another kind of ID".into(),
    }
}
