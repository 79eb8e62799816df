//! English messages.

use crate::issue::{Code, Issue, ParamValue};

/// Joins the items of a list parameter.
pub(super) const LIST_SEPARATOR: &str = " or ";

/// The message template of an issue; `{name}` is replaced by the param `name`.
pub(super) fn template(issue: &Issue) -> &'static str {
    match issue.code {
        Code::IdEmpty => "Enter the ID number",
        Code::IdTooLong => "The ID number is too long: at most {max} characters",
        Code::IdInvalidLength => {
            "A resident ID number has 18 characters (15 on first-generation cards); this one has {length}"
        }
        Code::IdInvalidCharacter => match issue.param("expected") {
            Some(ParamValue::Str("digit_or_x")) => "Character {position} must be a digit or X",
            _ => "Character {position} must be a digit",
        },
        Code::IdFormatUnrecognized => {
            "The number has the format of no accepted document: this form needs {allowed}"
        }
        Code::IdChecksumMismatch => match issue.param("kind") {
            Some(_) => "The check character of {kind} is wrong: it should be {expected}",
            None => "The check character is wrong: character 18 should be {expected}",
        },
        Code::IdBirthDateInvalid => "The birth date in the ID number is not a real date",
        Code::IdBirthDateInFuture => "The birth date in the ID number is in the future",
        Code::IdBirthDateTooOld => {
            "The birth date in the ID number is implausibly early: older than {maxAgeYears} years"
        }
        Code::IdRegionInvalid => "The first two digits are not a province-level division code",
        Code::IdRegionAbolished => {
            "The region code in the ID number was abolished in {lastYear}, before the birth year"
        }
        Code::IdKindNotAllowed => "This is {kind}; this form needs {allowed}",
        Code::IdOrgCodeChecksumMismatch => {
            "The organisation code inside the unified social credit code is wrong: character 17 should be {expected}"
        }
        Code::IdWhitespaceTrimmed => "Spaces around the number were removed",
        Code::IdFullwidthFolded => "Full-width characters were converted to half-width",
        Code::IdLowercaseXFolded => "A lowercase x was converted to uppercase X",
        Code::IdRegionUnknown => {
            "The region code is not in the division code table; please double-check it"
        }
        Code::IdLegacyFormat => {
            "This is a first-generation 15-digit ID number (no longer valid since 2013); it was upgraded to 18 digits"
        }
        Code::IdLowercaseFolded => "Lowercase letters were converted to uppercase",
        Code::IdKindAmbiguous => {
            "The number also fits the format of {alternatives}; it was read as {kind}. Please confirm the document type"
        }
        Code::IdFormatOnly => "Only the format was checked: {kind} has no public check rule",
        Code::IdChecksumPilotEra => {
            "The check character of the unified social credit code does not match, but its organisation code is valid: it may have been issued during the pilot years. Please double-check it"
        }
        Code::NameEmpty => "Enter the name",
        Code::NameTooLong => "The name is too long: at most {max} characters",
        Code::NameInvalidCharacter => "Character {position} of the name cannot be used in a name",
        Code::NameInvisibleCharacter => "Character {position} of the name is an invisible character",
        Code::NameBidiControl => {
            "Character {position} of the name is a text-direction control character"
        }
        Code::NamePrivateUse => {
            "Character {position} of the name is a private-use character with no standard meaning"
        }
        Code::NameSeparatorMisplaced => {
            "Character {position} of the name: \"{separator}\" cannot be first, last or doubled"
        }
        Code::NameMixedScript => "A name cannot mix Chinese characters and Latin letters",
        Code::NameWhitespaceTrimmed => "Spaces around the name were removed",
        Code::NameSeparatorNormalized => {
            "Look-alike dots in the name were replaced by the separator ·"
        }
        Code::NamePrivateUseMapped => {
            "A private-use character was converted to its standard Chinese character"
        }
        Code::NameFullwidthFolded => "Full-width letters in the name were converted to half-width",
        Code::NameSpacesCollapsed => {
            "Repeated or special spaces in the name were replaced by one space"
        }
        Code::PhoneEmpty => "Enter the mobile number",
        Code::PhoneTooLong => "The mobile number is too long: at most {max} characters",
        Code::PhoneInvalidCharacter => "Character {position} of the mobile number is not valid",
        Code::PhoneInvalidLength => {
            "A {region} mobile number has {expected} digits; this one has {length}"
        }
        Code::PhoneInvalidPrefix => "This is not how a {region} mobile number starts",
        Code::PhoneCountryCodeUnsupported => {
            "Only mobile numbers from mainland China (+86), Hong Kong (+852), Macau (+853) and Taiwan (+886) are supported"
        }
        Code::PhoneCountryCodeRequired => "Add +852 or +853 before a Hong Kong or Macau number",
        Code::PhoneRegionNotAllowed => "This form does not accept {region} mobile numbers",
        Code::PhoneSeparatorsRemoved => "Spaces and separators were removed from the number",
        Code::PhoneFullwidthFolded => "Full-width digits were converted to half-width",
        Code::PhoneSegmentUnknown => {
            "This number segment is not in the segment table; make sure the number receives the SMS code"
        }
        Code::PhoneSegmentUnassigned => {
            "This number segment was unassigned when the table was made; please double-check the number"
        }
        Code::PhoneDataOnly => "This is a data-only segment, which may not receive SMS",
        // -- registration form
        Code::FormInvalidType => "The form data is not valid",
        Code::FormFieldInvalidType => "This field must be text",
        Code::IdKindInvalid => "The document type is not valid; choose it again",
        Code::NameScriptMismatch => "With {kind}, the name must be written in {expected}",
        Code::PasswordEmpty => "Enter a password",
        Code::PasswordTooShort => "The password is too short: at least {min} characters",
        Code::PasswordTooLong => "The password is too long: at most {max} characters",
        Code::PasswordTooFewClasses => {
            "The password needs at least {min} of: lowercase letters, uppercase letters, digits, symbols"
        }
        Code::PasswordInvalidCharacter => {
            "Character {position} of the password is a control or invisible character"
        }
        Code::PasswordContainsPersonalData => match issue.param("data") {
            Some(ParamValue::Str("phone")) => {
                "The password cannot contain the mobile number or 6 digits in a row from it"
            }
            Some(ParamValue::Str("birth_date")) => "The password cannot contain the birth date",
            _ => "The password cannot contain the ID number or 6 characters in a row from it",
        },
        Code::UsernameEmpty => "Enter a username",
        Code::UsernameTooShort => "The username is too short: at least {min} characters",
        Code::UsernameTooLong => "The username is too long: at most {max} characters",
        Code::UsernameInvalidCharacter => {
            "Character {position} of the username is not allowed: use Chinese characters, letters, digits, _, - and ."
        }
        Code::UsernameAllDigits => "The username cannot be only digits",
        Code::UsernameContainsPersonalData => match issue.param("data") {
            Some(ParamValue::Str("phone")) => {
                "Usernames are public: it cannot contain the mobile number or 6 digits in a row from it"
            }
            Some(ParamValue::Str("birth_date")) => {
                "Usernames are public: it cannot contain the birth date"
            }
            _ => "Usernames are public: it cannot contain the ID number or 6 characters in a row from it",
        },
        // -- minors
        Code::UntrustedClock => "The time comes from this device's clock only, not from a trusted server",
        Code::CalendarYearMissing => "The holiday calendar does not cover {year}: the day of the week decided",
        Code::Adult => "An adult: the minor-protection rules do not apply",
        Code::MinorAllowed => "A minor: allowed now",
        Code::MinorPaymentNotAllowed => "Minors under {maxAge} cannot make payments",
        Code::MinorPaymentOverSingleLimit => "A minor's single payment cannot exceed {limitFen} CNY",
        Code::MinorPaymentOverMonthlyLimit => "A minor's payments cannot exceed {limitFen} CNY a month; {remainingFen} CNY remain this month",
        Code::MinorPlayOutsideWindow => "Minors cannot play online games at this time",
        Code::MinorPlayTimeUsedUp => "Today's game time ({limitMinutes} minutes) is used up",
        Code::MinorDailyLimitReached => "Today's minor-mode time ({limitMinutes} minutes) is used up",
        Code::MinorCurfew => "Minor mode offers no service at night",
        Code::MinorRestReminder => "{minutes} minutes of continuous use: time for a break",
        Code::GuestModeNotAllowed => "Verify your identity first: there is no guest mode",
        Code::GuardianNotAdult => "The guardian must be 18 or over",
        Code::GuardianSameAsMinor => "The guardian cannot be the minor themself",
        Code::GuardianRelationInvalid => "Choose the relation to the minor: parent, grandparent, sibling or other",
        Code::GuardianAgeUnverified => "This document has no birth date: the guardian's age could not be checked",
        // -- consent
        Code::ConsentInvalidJson => "The consent record is not a JSON object",
        Code::ConsentFieldMissing => "A field of the consent record is missing",
        Code::ConsentFieldInvalid => "A field of the consent record is invalid",
        Code::ConsentDocumentDigestMismatch => "The document text does not match its digest",
        Code::ConsentDocumentUnknown => "The consent record names an unknown document version",
        Code::ConsentReceiptDocumentDigestMismatch => "The consent record's document digest does not match",
        Code::ConsentReceiptDigestMismatch => "The consent record was changed: its digest does not match",
        Code::ConsentKindMismatch => "The kind of consent does not fit the document",
        Code::ConsentSubjectLooksLikeId => "A user reference cannot be an ID or mobile number",
        Code::ConsentRequiredNeverAccepted => "Please read and accept the agreement",
        Code::ConsentRequiredNewVersion => "The agreement has changed: please read and accept it again",
        Code::ConsentRequiredWithdrawn => "You withdrew your consent: accept again to continue",
    }
}

/// How a string param value reads in a sentence (kinds and regions), if it is one of those.
pub(super) fn value_name(value: &str) -> Option<&'static str> {
    Some(match value {
        "cn_resident" => "a mainland resident ID number",
        "cn_resident_legacy" => "a first-generation 15-digit resident ID number",
        "hk_macao_taiwan_residence_permit" => {
            "a residence permit number of a Hong Kong, Macau or Taiwan resident"
        }
        "foreign_permanent_resident" => "a foreigner's permanent residence ID number",
        "hk_id" => "a Hong Kong identity card number",
        "mo_id" => "a Macau identity card number",
        "tw_id" => "a Taiwan ID number",
        "hk_macao_home_return_permit" => {
            "a Mainland Travel Permit number of a Hong Kong or Macau resident"
        }
        "tw_mtp" => "a Mainland Travel Permit number of a Taiwan resident",
        "cn_passport" => "a PRC passport number",
        "uscc" => "a unified social credit code",
        "cn" => "mainland China",
        "hk" => "Hong Kong",
        "mo" => "Macau",
        "tw" => "Taiwan",
        "han" => "Chinese characters",
        "latin" => "Latin letters",
        _ => return None,
    })
}
