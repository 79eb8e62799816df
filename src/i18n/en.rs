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
        Code::NameEmpty => "Enter the name".into(),
        Code::NameTooLong => format!("The name is too long: at most {} characters", p("max")),
        Code::NameInvalidCharacter => format!("Character {} of the name cannot be used in a name", p("position")),
        Code::NameInvisibleCharacter => format!("Character {} of the name is an invisible character", p("position")),
        Code::NameBidiControl => format!("Character {} of the name is a text-direction control character", p("position")),
        Code::NamePrivateUse => format!("Character {} of the name is a private-use character with no standard meaning", p("position")),
        Code::NameSeparatorMisplaced => format!(
            "Character {} of the name: \"{}\" cannot be first, last or doubled",
            p("position"),
            p("separator")
        ),
        Code::NameMixedScript => "A name cannot mix Chinese characters and Latin letters".into(),
        Code::NameWhitespaceTrimmed => "Spaces around the name were removed".into(),
        Code::NameSeparatorNormalized => "Look-alike dots in the name were replaced by the separator ·".into(),
        Code::NamePrivateUseMapped => "A private-use character was converted to its standard Chinese character".into(),
        Code::NameFullwidthFolded => "Full-width letters in the name were converted to half-width".into(),
        Code::NameSpacesCollapsed => "Repeated or special spaces in the name were replaced by one space".into(),
        Code::PhoneEmpty => "Enter the mobile number".into(),
        Code::PhoneTooLong => format!("The mobile number is too long: at most {} characters", p("max")),
        Code::PhoneInvalidCharacter => format!("Character {} of the mobile number is not valid", p("position")),
        Code::PhoneInvalidLength => format!("A {} mobile number has {} digits; this one has {}", region_name_en(&p("region")), p("expected"), p("length")),
        Code::PhoneInvalidPrefix => format!("This is not how a {} mobile number starts", region_name_en(&p("region"))),
        Code::PhoneCountryCodeUnsupported => "Only mobile numbers from mainland China (+86), Hong Kong (+852), Macau (+853) and Taiwan (+886) are supported".into(),
        Code::PhoneCountryCodeRequired => "Add +852 or +853 before a Hong Kong or Macau number".into(),
        Code::PhoneRegionNotAllowed => format!("This form does not accept {} mobile numbers", region_name_en(&p("region"))),
        Code::PhoneSeparatorsRemoved => "Spaces and separators were removed from the number".into(),
        Code::PhoneFullwidthFolded => "Full-width digits were converted to half-width".into(),
        Code::PhoneSegmentUnknown => "This number segment is not in the segment table; make sure the number receives the SMS code".into(),
        Code::PhoneSegmentUnassigned => "This number segment was unassigned when the table was made; please double-check the number".into(),
        Code::PhoneDataOnly => "This is a data-only segment, which may not receive SMS".into(),
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

fn region_name_en(region: &str) -> &'static str {
    match region {
        "cn" => "mainland China",
        "hk" => "Hong Kong",
        "mo" => "Macau",
        "tw" => "Taiwan",
        _ => "",
    }
}
