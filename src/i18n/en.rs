//! English messages.

use crate::issue::{Code, Issue};

/// Joins the items of a list parameter.
pub(super) const LIST_SEPARATOR: &str = " or ";

/// The message template of an issue; `{name}` is replaced by the param `name`.
pub(super) fn template(issue: &Issue) -> &'static str {
    match issue.code {
        Code::IdEmpty => checks_msg!("Enter the ID number"),
        Code::IdTooLong => checks_msg!("The ID number is too long: at most {max} characters"),
        Code::IdInvalidLength => {
            checks_msg!("A resident ID number has 18 characters (15 on first-generation cards); this one has {length}")
        }
        Code::IdInvalidCharacter => match issue.param_text("expected") {
            Some("digit_or_x") => checks_msg!("Character {position} must be a digit or X"),
            _ => checks_msg!("Character {position} must be a digit"),
        },
        Code::IdFormatUnrecognized => {
            checks_msg!("The number has the format of no accepted document: this form needs {allowed}")
        }
        Code::IdChecksumMismatch => match issue.param("kind") {
            Some(_) => checks_msg!("The check character of {kind} is wrong: it should be {expected}"),
            None => checks_msg!("The check character is wrong: character 18 should be {expected}"),
        },
        Code::IdBirthDateInvalid => checks_msg!("The birth date in the ID number is not a real date"),
        Code::IdBirthDateInFuture => checks_msg!("The birth date in the ID number is in the future"),
        Code::IdBirthDateTooOld => {
            checks_msg!("The birth date in the ID number is implausibly early: older than {maxAgeYears} years")
        }
        Code::IdRegionInvalid => checks_msg!("The first two digits are not a province-level division code"),
        Code::IdRegionAbolished => {
            checks_msg!("The region code in the ID number was abolished in {lastYear}, before the birth year")
        }
        Code::IdKindNotAllowed => checks_msg!("This is {kind}; this form needs {allowed}"),
        Code::IdOrgCodeChecksumMismatch => {
            checks_msg!("The organisation code inside the unified social credit code is wrong: character 17 should be {expected}")
        }
        Code::IdWhitespaceTrimmed => checks_msg!("Spaces around the number were removed"),
        Code::IdFullwidthFolded => checks_msg!("Full-width characters were converted to half-width"),
        Code::IdLowercaseXFolded => checks_msg!("A lowercase x was converted to uppercase X"),
        Code::IdRegionUnknown => {
            checks_msg!("The region code is not in the division code table; please double-check it")
        }
        Code::IdLegacyFormat => {
            checks_msg!("This is a first-generation 15-digit ID number (no longer valid since 2013); it was upgraded to 18 digits")
        }
        Code::IdLowercaseFolded => checks_msg!("Lowercase letters were converted to uppercase"),
        Code::IdKindAmbiguous => {
            checks_msg!("The number also fits the format of {alternatives}; it was read as {kind}. Please confirm the document type")
        }
        Code::IdFormatOnly => checks_msg!("Only the format was checked: {kind} has no public check rule"),
        Code::IdChecksumPilotEra => {
            checks_msg!("The check character of the unified social credit code does not match, but its organisation code is valid: it may have been issued during the pilot years. Please double-check it")
        }
        Code::NameEmpty => checks_msg!("Enter the name"),
        Code::NameTooLong => checks_msg!("The name is too long: at most {max} characters"),
        Code::NameInvalidCharacter => checks_msg!("Character {position} of the name cannot be used in a name"),
        Code::NameInvisibleCharacter => checks_msg!("Character {position} of the name is an invisible character"),
        Code::NameBidiControl => {
            checks_msg!("Character {position} of the name is a text-direction control character")
        }
        Code::NamePrivateUse => {
            checks_msg!("Character {position} of the name is a private-use character with no standard meaning")
        }
        Code::NameSeparatorMisplaced => {
            checks_msg!("Character {position} of the name: \"{separator}\" cannot be first, last or doubled")
        }
        Code::NameMixedScript => checks_msg!("A name cannot mix Chinese characters and Latin letters"),
        Code::NameWhitespaceTrimmed => checks_msg!("Spaces around the name were removed"),
        Code::NameSeparatorNormalized => {
            checks_msg!("Look-alike dots in the name were replaced by the separator ·")
        }
        Code::NamePrivateUseMapped => {
            checks_msg!("A private-use character was converted to its standard Chinese character")
        }
        Code::NameFullwidthFolded => checks_msg!("Full-width letters in the name were converted to half-width"),
        Code::NameSpacesCollapsed => {
            checks_msg!("Repeated or special spaces in the name were replaced by one space")
        }
        Code::PhoneEmpty => checks_msg!("Enter the mobile number"),
        Code::PhoneTooLong => checks_msg!("The mobile number is too long: at most {max} characters"),
        Code::PhoneInvalidCharacter => checks_msg!("Character {position} of the mobile number is not valid"),
        Code::PhoneInvalidLength => {
            checks_msg!("A {region} mobile number has {expected} digits; this one has {length}")
        }
        Code::PhoneInvalidPrefix => checks_msg!("This is not how a {region} mobile number starts"),
        Code::PhoneCountryCodeUnsupported => {
            checks_msg!("Only mobile numbers from mainland China (+86), Hong Kong (+852), Macau (+853) and Taiwan (+886) are supported")
        }
        Code::PhoneCountryCodeRequired => checks_msg!("Add +852 or +853 before a Hong Kong or Macau number"),
        Code::PhoneRegionNotAllowed => checks_msg!("This form does not accept {region} mobile numbers"),
        Code::PhoneSeparatorsRemoved => checks_msg!("Spaces and separators were removed from the number"),
        Code::PhoneFullwidthFolded => checks_msg!("Full-width digits were converted to half-width"),
        Code::PhoneSegmentUnknown => {
            checks_msg!("This number segment is not in the segment table; make sure the number receives the SMS code")
        }
        Code::PhoneSegmentUnassigned => {
            checks_msg!("This number segment was unassigned when the table was made; please double-check the number")
        }
        Code::PhoneDataOnly => checks_msg!("This is a data-only segment, which may not receive SMS"),
        // -- registration form
        Code::FormInvalidType => checks_msg!("The form data is not valid"),
        Code::FormFieldInvalidType => checks_msg!("This field must be text"),
        Code::IdKindInvalid => checks_msg!("The document type is not valid; choose it again"),
        Code::NameScriptMismatch => checks_msg!("With {kind}, the name must be written in {expected}"),
        Code::PasswordEmpty => checks_msg!("Enter a password"),
        Code::PasswordTooShort => checks_msg!("The password is too short: at least {min} characters"),
        Code::PasswordTooLong => checks_msg!("The password is too long: at most {max} characters"),
        Code::PasswordTooFewClasses => {
            checks_msg!("The password needs at least {min} of: lowercase letters, uppercase letters, digits, symbols")
        }
        Code::PasswordInvalidCharacter => {
            checks_msg!("Character {position} of the password is a control or invisible character")
        }
        Code::PasswordContainsPersonalData => match issue.param_text("data") {
            Some("phone") => {
                checks_msg!("The password cannot contain the mobile number or 6 digits in a row from it")
            }
            Some("birth_date") => checks_msg!("The password cannot contain the birth date"),
            _ => checks_msg!("The password cannot contain the ID number or 6 characters in a row from it"),
        },
        Code::UsernameEmpty => checks_msg!("Enter a username"),
        Code::UsernameTooShort => checks_msg!("The username is too short: at least {min} characters"),
        Code::UsernameTooLong => checks_msg!("The username is too long: at most {max} characters"),
        Code::UsernameInvalidCharacter => {
            checks_msg!("Character {position} of the username is not allowed: use Chinese characters, letters, digits, _, - and .")
        }
        Code::UsernameAllDigits => checks_msg!("The username cannot be only digits"),
        Code::UsernameContainsPersonalData => match issue.param_text("data") {
            Some("phone") => {
                checks_msg!("Usernames are public: it cannot contain the mobile number or 6 digits in a row from it")
            }
            Some("birth_date") => {
                checks_msg!("Usernames are public: it cannot contain the birth date")
            }
            _ => checks_msg!("Usernames are public: it cannot contain the ID number or 6 characters in a row from it"),
        },
        // -- minors
        Code::UntrustedClock => "The time comes from this device's clock only, not from a trusted server",
        Code::CalendarYearMissing => policy_msg!("The holiday calendar does not cover {year}: the day of the week decided"),
        Code::Adult => policy_msg!("An adult: the minor-protection rules do not apply"),
        Code::MinorAllowed => policy_msg!("A minor: allowed now"),
        Code::MinorPaymentNotAllowed => policy_msg!("Minors under {maxAge} cannot make payments"),
        Code::MinorPaymentOverSingleLimit => policy_msg!("A minor's single payment cannot exceed {limitFen} CNY"),
        Code::MinorPaymentOverMonthlyLimit => policy_msg!("A minor's payments cannot exceed {limitFen} CNY a month; {remainingFen} CNY remain this month"),
        Code::MinorPlayOutsideWindow => policy_msg!("Minors cannot play online games at this time"),
        Code::MinorPlayTimeUsedUp => policy_msg!("Today's game time ({limitMinutes} minutes) is used up"),
        Code::MinorDailyLimitReached => policy_msg!("Today's minor-mode time ({limitMinutes} minutes) is used up"),
        Code::MinorCurfew => policy_msg!("Minor mode offers no service at night"),
        Code::MinorRestReminder => policy_msg!("{minutes} minutes of continuous use: time for a break"),
        Code::GuestModeNotAllowed => policy_msg!("Verify your identity first: there is no guest mode"),
        Code::GuardianNotAdult => checks_msg!("The guardian must be {minAge} or over"),
        Code::GuardianSameAsMinor => checks_msg!("The guardian cannot be the minor themself"),
        Code::GuardianRelationInvalid => checks_msg!("Choose the relation to the minor: parent, grandparent, sibling or other"),
        Code::GuardianAgeUnverified => checks_msg!("This document has no birth date: the guardian's age could not be checked"),
        // -- consent
        Code::ConsentInvalidJson => consent_msg!("The consent record is not a JSON object"),
        Code::ConsentFieldMissing => consent_msg!("A field of the consent record is missing"),
        Code::ConsentFieldInvalid => consent_msg!("A field of the consent record is invalid"),
        Code::ConsentDocumentDigestMismatch => consent_msg!("The document text does not match its digest"),
        Code::ConsentDocumentUnknown => consent_msg!("The consent record names an unknown document version"),
        Code::ConsentReceiptDocumentDigestMismatch => consent_msg!("The consent record's document digest does not match"),
        Code::ConsentReceiptDigestMismatch => consent_msg!("The consent record was changed: its digest does not match"),
        Code::ConsentKindMismatch => consent_msg!("The kind of consent does not fit the document"),
        Code::ConsentSubjectLooksLikeId => consent_msg!("A user reference cannot be an ID or mobile number"),
        Code::ConsentRequiredNeverAccepted => consent_msg!("Please read and accept the agreement"),
        Code::ConsentRequiredNewVersion => consent_msg!("The agreement has changed: please read and accept it again"),
        Code::ConsentRequiredWithdrawn => consent_msg!("You withdrew your consent: accept again to continue"),
        Code::ConsentPrechecked => consent_msg!("The box was ticked before you touched it: tick it yourself"),
        Code::ConsentUntrustedEvent => consent_msg!("Consent must come from your own click or key press"),
        Code::ConsentEndNotReached => consent_msg!("Read to the end of the document before you agree"),
        Code::ConsentReadingTooShort => consent_msg!("Keep reading for {seconds} s more before you agree"),
        Code::ConsentNotGiven => consent_msg!("Tick the box to agree before you continue"),
        Code::SyncIdempotencyKeyInvalid => sync_msg!("The request has no valid Idempotency-Key"),
        Code::SyncIdempotencyKeyReused => sync_msg!("This Idempotency-Key was already used for a different request"),
        Code::SyncRequestInProgress => sync_msg!("The same request is still being processed: retrying shortly"),
        Code::SyncReceiptConflict => sync_msg!("This consent record id is already stored with other content"),
        Code::SyncConsentMissing => match issue.param("kind") {
            Some(_) => sync_msg!("Consent to {kind} is missing"),
            None => sync_msg!("A cited consent record is unknown or withdrawn"),
        },
        Code::SyncAlreadyRegistered => sync_msg!("An account is already registered with this document"),
        Code::SyncRegistrationConflict => sync_msg!("This registration id is already used by a different registration"),
        Code::SyncFieldMissing => sync_msg!("A field of the request is missing"),
        Code::SyncFieldInvalid => sync_msg!("A field of the request is invalid"),
        Code::SyncBodyInvalidJson => sync_msg!("The request body is not valid JSON"),
        Code::SyncBodyTooLarge => sync_msg!("The request body is too large"),
        Code::SyncContentTypeUnsupported => sync_msg!("Unsupported content type: send application/json"),
        Code::SyncRateLimited => sync_msg!("Too many requests: retrying later"),
        Code::SyncUnavailable => sync_msg!("The service is unavailable: retrying later"),
        Code::SyncServerError => sync_msg!("Server error: retrying later"),
        Code::SyncNotFound => sync_msg!("No such record"),
        Code::SyncMethodNotAllowed => sync_msg!("This request method is not allowed"),
        Code::SyncUnauthorized => sync_msg!("Administrator authorization is required"),
        Code::SyncConsentUnavailable => sync_msg!("The server cannot verify consent records at the moment"),
        Code::SyncExpired => sync_msg!("Not delivered in time and not stored: please submit again"),
        Code::SyncDependencyRejected => sync_msg!("A consent it depends on was rejected: the registration was not submitted"),
        Code::SyncDependencyFailed => sync_msg!("A consent it depends on could not be delivered: the registration was not submitted"),
        Code::SyncUnexpectedStatus => sync_msg!("The server answered with an unexpected status {status}"),
        Code::BirthDateRequired => checks_msg!(
            "This document number carries no birth date: enter the date of birth (needed to protect minors)"
        ),
        Code::BirthDateInvalid => checks_msg!("The date of birth is not a real date (year-month-day, e.g. 2001-09-30)"),
        Code::BirthDateInFuture => checks_msg!("The date of birth is in the future"),
        Code::BirthDateTooOld => {
            checks_msg!("The date of birth is implausibly early: older than {maxAgeYears} years")
        }
        Code::BirthDateMismatch => {
            checks_msg!("The date of birth entered differs from the one in the ID number")
        }
        Code::PhoneSegmentIot => checks_msg!(
            "This segment is reserved for 13-digit IoT numbers: it is not a mobile phone number"
        ),
        Code::NameHanZero => checks_msg!(
            "The name contains the Chinese character 〇 (zero): make sure it is not the letter O or the digit 0"
        ),
        Code::IdSpacesRemoved => checks_msg!("Spaces inside the number were removed"),
        Code::SyncForbidden => sync_msg!("This account's data cannot be changed with these credentials"),
        Code::SyncAccountDeleted => {
            sync_msg!("This account was cancelled: its data was deleted and cannot be submitted again")
        }
        Code::SyncHostNotAllowed => sync_msg!("The server does not answer for this address"),
        Code::SyncRequestTimeout => sync_msg!("The request did not arrive in time; it will be sent again"),
        Code::ConsentSignatureMissing => consent_msg!("The receipt has no server signature"),
        Code::ConsentSignatureKeyUnknown => consent_msg!("The receipt was signed with a key that is not in the given key set"),
        Code::ConsentSignatureInvalid => consent_msg!("The server signature does not match the receipt: it was changed after signing"),
        Code::ConsentSignatureUnsupported => consent_msg!("This environment cannot verify Ed25519 signatures"),
        Code::SyncGuardianMismatch => sync_msg!("This consent names another guardian than the one declared in the registration"),
        Code::MinorPaymentOverDailyLimit => policy_msg!("A minor's payments cannot exceed {limitFen} CNY a day; {remainingFen} CNY remain today"),
        Code::MinorPaymentBlockedByGuardian => policy_msg!("The guardian has turned payments off for this account"),
        Code::GuardianLimitTooLoose => policy_msg!("A guardian's setting cannot be looser than the rule allows (at most {max})"),
        Code::GuardianLimitInvalid => policy_msg!("This guardian setting is not valid"),
        Code::GuardianLimitOnlyTighter => limits_msg!("With the account's access code a limit can only be made stricter; to loosen it, the platform must first verify the guardian"),
        Code::SyncAccountFrozen => sync_msg!("This account is frozen by the platform"),
        Code::SyncVerificationFailed => sync_msg!("The real-name check did not confirm this name and ID number"),
        Code::SyncVerificationUnavailable => sync_msg!("The real-name check is not answering: it will be tried again"),
        Code::PhoneCodeWrong => sync_msg!("Wrong code: {attemptsLeft} tries left"),
        Code::PhoneCodeExpired => sync_msg!("The code is no longer valid: request a new one"),
        Code::PhoneCodeAttemptsExhausted => sync_msg!("Too many wrong codes: request a new one"),
        Code::PhoneCodeRateLimited => sync_msg!("Too many code requests: try again in {retryAfterSeconds} s"),
        Code::PhoneCodesDisabled => sync_msg!("This service sends no SMS codes"),
        Code::PhoneNotConfirmed => sync_msg!("Confirm the mobile number first"),
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
        // Document kinds: only the consent and sync modules (and native builds) name them.
        "service_agreement" if super::DOCUMENT_KINDS => "the service agreement",
        "privacy_policy" if super::DOCUMENT_KINDS => "the privacy policy",
        "sensitive_pi" if super::DOCUMENT_KINDS => "the separate processing of your ID number",
        "children_privacy_rules" if super::DOCUMENT_KINDS => {
            "the rules for children's personal information"
        }
        "guardian_consent" if super::DOCUMENT_KINDS => "the guardian's consent form",
        _ => return None,
    })
}

/// A document kind's or an age band's name as a label (a menu, a table column): the document,
/// not its number (`value_name` names the number).
pub(super) fn label(value: &str) -> Option<&'static str> {
    Some(match value {
        "cn_resident" => "Resident ID card",
        "cn_resident_legacy" => "First-generation resident ID (15 digits)",
        "hk_macao_taiwan_residence_permit" => "Residence permit (HK, Macau, Taiwan residents)",
        "foreign_permanent_resident" => "Foreigner's permanent residence ID",
        "hk_id" => "Hong Kong identity card",
        "mo_id" => "Macau identity card",
        "tw_id" => "Taiwan ID",
        "hk_macao_home_return_permit" => "Mainland Travel Permit (HK, Macau)",
        "tw_mtp" => "Mainland Travel Permit (Taiwan)",
        "cn_passport" => "PRC passport",
        "uscc" => "Unified social credit code",
        "under_3" => "Under 3",
        "3_to_8" => "3 to 8",
        "8_to_12" => "8 to 12",
        "12_to_14" => "12 to 14",
        "14_to_16" => "14 to 16",
        "16_to_18" => "16 to 18",
        "adult" => "Adult",
        _ => return None,
    })
}
