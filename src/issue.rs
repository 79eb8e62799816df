//! The one issue type (zod-style): a stable code, where it applies, and typed parameters.
//!
//! An [`Issue`] never holds rendered text and never holds the input itself. The message is rendered
//! last, from the code and its params, by [`crate::i18n`]. Codes are API: they are never renamed,
//! and each one is listed with both messages in the README.

use core::fmt;

/// Every problem the module can report. `as_str` is the stable snake_case code.
///
/// Adding a variant fails to compile until both locale files give it a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    // -- input shape
    /// The input is empty (or only whitespace).
    IdEmpty,
    /// The input is longer than [`crate::id::MAX_INPUT_CHARS`] characters.
    IdTooLong,
    /// The number has the wrong count of characters for any accepted kind.
    IdInvalidLength,
    /// A character that cannot appear at that position.
    IdInvalidCharacter,
    /// The input has the format of no accepted document kind (param `allowed`).
    IdFormatUnrecognized,
    // -- mainland resident ID content
    /// The ISO 7064 MOD 11-2 check character does not match.
    IdChecksumMismatch,
    /// The birth date is not a real calendar date (e.g. 30 February, month 13, year 0000).
    IdBirthDateInvalid,
    /// The birth date is after the as-of date.
    IdBirthDateInFuture,
    /// The birth date implies an age above the plausible maximum.
    IdBirthDateTooOld,
    /// The first two digits are not a province-level code of GB/T 2260.
    IdRegionInvalid,
    /// The division code was abolished well before the birth year.
    IdRegionAbolished,
    /// The number is valid but of a kind the caller did not allow.
    IdKindNotAllowed,
    /// The organisation code inside a unified social credit code fails its GB 11714 check.
    IdOrgCodeChecksumMismatch,
    // -- warnings (the input was accepted, but the user should know)
    /// Leading or trailing whitespace was removed.
    IdWhitespaceTrimmed,
    /// Full-width digits or letters were folded to ASCII.
    IdFullwidthFolded,
    /// A lowercase `x` check character was folded to `X`.
    IdLowercaseXFolded,
    /// The division code is plausible but not in the table (new, or missing from the data).
    IdRegionUnknown,
    /// A first-generation 15-digit number: upgraded, but such cards stopped being valid in 2013.
    IdLegacyFormat,
    /// Lowercase letters were folded to uppercase.
    IdLowercaseFolded,
    /// The number fits more than one kind; the most likely one was chosen (params `kind`, `alternatives`).
    IdKindAmbiguous,
    /// The kind has no public check character: only the format was checked (param `kind`).
    IdFormatOnly,
    /// A unified social credit code whose check character fails but whose organisation code
    /// passes: some codes issued in the pilot years do, so it is accepted with this warning.
    IdChecksumPilotEra,
    // -- real names (src/name/)
    /// The name is empty (or only whitespace).
    NameEmpty,
    /// More characters (Unicode scalar values) than the configured maximum.
    NameTooLong,
    /// A character that no name in the chosen script may contain.
    NameInvalidCharacter,
    /// An invisible (zero-width or format) character.
    NameInvisibleCharacter,
    /// A bidirectional-text control character.
    NameBidiControl,
    /// A Private Use Area character (no standard meaning).
    NamePrivateUse,
    /// A name separator `·` first, last, or doubled.
    NameSeparatorMisplaced,
    /// Han characters and Latin letters mixed in one name.
    NameMixedScript,
    /// Warning: whitespace around the name was removed.
    NameWhitespaceTrimmed,
    /// Warning: look-alike dots were replaced by the separator U+00B7.
    NameSeparatorNormalized,
    /// Warning: a private-use code point with a standard equivalent was mapped to it (U+E863 to U+4DAE).
    NamePrivateUseMapped,
    /// Warning: full-width Latin letters or spaces were folded to half-width.
    NameFullwidthFolded,
    /// Warning: runs of spaces inside a Latin name were collapsed to one.
    NameSpacesCollapsed,
    // -- phone numbers (src/phone/)
    /// The phone number is empty.
    PhoneEmpty,
    /// Longer than any phone number could be.
    PhoneTooLong,
    /// A character that is neither a digit nor an accepted separator.
    PhoneInvalidCharacter,
    /// The wrong number of digits for the region.
    PhoneInvalidLength,
    /// The number does not start the way mobile numbers of the region do.
    PhoneInvalidPrefix,
    /// A country code other than +86, +852, +853 or +886.
    PhoneCountryCodeUnsupported,
    /// An 8-digit number without +852 or +853: Hong Kong and Macau cannot be told apart.
    PhoneCountryCodeRequired,
    /// A valid number of a region this form does not accept.
    PhoneRegionNotAllowed,
    /// Warning: spaces, hyphens, dots or parentheses were removed.
    PhoneSeparatorsRemoved,
    /// Warning: full-width digits were folded to ASCII.
    PhoneFullwidthFolded,
    /// Warning: the mainland number segment is not in the segment table (new segments appear; the SMS code is the real check).
    PhoneSegmentUnknown,
    /// Warning: the segment was unassigned when the table was made.
    PhoneSegmentUnassigned,
    /// Warning: a data-only (IoT / data card) segment, which may not receive SMS.
    PhoneDataOnly,
    // -- registration form (src/registration/)
    /// The form is not an object (a caller sent something else).
    FormInvalidType,
    /// A form field has the wrong type, e.g. a number where text belongs (param `expected`).
    FormFieldInvalidType,
    /// The form's document kind is not one of the kind names.
    IdKindInvalid,
    /// The name's script does not fit the document (params `kind`, `expected`), e.g. a Latin name with a mainland resident ID.
    NameScriptMismatch,
    /// The password is required but empty.
    PasswordEmpty,
    /// Fewer characters than the policy's minimum (param `min`).
    PasswordTooShort,
    /// More characters than the policy's maximum (param `max`).
    PasswordTooLong,
    /// Fewer character classes (lowercase, uppercase, digits, symbols) than the policy asks (param `min`).
    PasswordTooFewClasses,
    /// A control or invisible character in the password (param `position`).
    PasswordInvalidCharacter,
    /// The password contains the phone number, the ID number or the birth date (param `data` names which, never the value).
    PasswordContainsPersonalData,
    /// The username is required but empty.
    UsernameEmpty,
    /// Fewer characters than the minimum (param `min`).
    UsernameTooShort,
    /// More characters than the maximum (param `max`).
    UsernameTooLong,
    /// A character a username may not hold (param `position`).
    UsernameInvalidCharacter,
    /// Only digits: it could be taken for a phone or account number.
    UsernameAllDigits,
    /// The username (which is public) contains the phone number, the ID number or the birth date (param `data`).
    UsernameContainsPersonalData,
    // -- minors (src/minor/)
    /// Warning: "now" came from the device's clock only (no trusted time was passed).
    UntrustedClock,
    /// Warning: the policy's holiday calendar lacks the year (param `year`); the days of the week decided.
    CalendarYearMissing,
    /// Policy result: an adult (18 or over) is always allowed.
    Adult,
    /// Policy result: a minor, allowed (within the rule's limits).
    MinorAllowed,
    /// No payments at this age (param `maxAge`: the rule's upper age, exclusive).
    MinorPaymentNotAllowed,
    /// Over the per-payment cap (param `limitFen`).
    MinorPaymentOverSingleLimit,
    /// The month's total would exceed the monthly cap (params `limitFen`, `remainingFen`).
    MinorPaymentOverMonthlyLimit,
    /// Not a play day, or outside the play windows (NPPA 2021).
    MinorPlayOutsideWindow,
    /// The day's play time is used up (param `limitMinutes`).
    MinorPlayTimeUsedUp,
    /// The day's minor-mode time is used up (param `limitMinutes`).
    MinorDailyLimitReached,
    /// Minor mode offers no service at this time of night.
    MinorCurfew,
    /// Allowed, with a reminder to rest after continuous use (param `minutes`).
    MinorRestReminder,
    /// The policy allows no guest (unverified) use.
    GuestModeNotAllowed,
    /// The guardian is under 18.
    GuardianNotAdult,
    /// The guardian's document (or birth date and name) is the minor's own.
    GuardianSameAsMinor,
    /// The relation is not one of parent, grandparent, sibling, other.
    GuardianRelationInvalid,
    /// Warning: the guardian's document has no birth date, so adulthood could not be checked.
    GuardianAgeUnverified,
    // -- consent (src/consent/)
    /// The receipt or document is not JSON, or not a JSON object.
    ConsentInvalidJson,
    /// A required member is missing (the path names it).
    ConsentFieldMissing,
    /// A member has the wrong type or shape, or disagrees with the document kind (the path names it).
    ConsentFieldInvalid,
    /// A document's text does not match its declared SHA-256 digest: the document is refused.
    ConsentDocumentDigestMismatch,
    /// The receipt names a document id and version that is not among the known documents.
    ConsentDocumentUnknown,
    /// The receipt's document digest is not the digest of the known document of that id and version.
    ConsentReceiptDocumentDigestMismatch,
    /// The receipt's own digest does not match its content: it was changed after it was made.
    ConsentReceiptDigestMismatch,
    /// The consent kind or document kind does not fit the document (param `expected`).
    ConsentKindMismatch,
    /// A subject or guardian reference has the shape of an ID or mobile number: use a salted hash or a server id.
    ConsentSubjectLooksLikeId,
    /// Re-consent: the document was never accepted (param `kind`).
    ConsentRequiredNeverAccepted,
    /// Re-consent: a new version replaced the accepted one (param `kind`, PIPL Art. 14).
    ConsentRequiredNewVersion,
    /// Re-consent: the consent was withdrawn (param `kind`).
    ConsentRequiredWithdrawn,
    // -- acceptance in the browser (src/consent/acceptance.rs, reading.rs)
    /// The box was ticked before the user touched it (pre-ticked, or ticked by script): not consent.
    ConsentPrechecked,
    /// The acceptance came from a script (`isTrusted` false), not from the user's click or key.
    ConsentUntrustedEvent,
    /// The end of the document was not reached before accepting.
    ConsentEndNotReached,
    /// The document was not visible long enough before accepting (param `seconds`: how many more).
    ConsentReadingTooShort,
    /// The box is not ticked (or the button was not pressed).
    ConsentNotGiven,
    // -- sync (docs/protocol.md): the server's answers, and the client's own failures
    /// The request has no valid `Idempotency-Key` (400).
    SyncIdempotencyKeyInvalid,
    /// The `Idempotency-Key` was used for a different body (422).
    SyncIdempotencyKeyReused,
    /// The first request with this key is still running (409; the client retries).
    SyncRequestInProgress,
    /// A receipt id already stored with another digest (422).
    SyncReceiptConflict,
    /// A required consent is not among the cited receipts (param `kind`), or a cited receipt is unknown or withdrawn (no param).
    SyncConsentMissing,
    /// An account is already registered with this document number (422).
    SyncAlreadyRegistered,
    /// A registration id already used with other content (422).
    SyncRegistrationConflict,
    /// A member of the request body is missing (the path names it).
    SyncFieldMissing,
    /// A member of the request body has the wrong shape (the path names it).
    SyncFieldInvalid,
    /// The request body is not JSON (400).
    SyncBodyInvalidJson,
    /// The request body is over the server's limit (413).
    SyncBodyTooLarge,
    /// The request is not `application/json` (415).
    SyncContentTypeUnsupported,
    /// 429: too many requests (the client retries after `Retry-After`).
    SyncRateLimited,
    /// 503: the service is unavailable (the client retries).
    SyncUnavailable,
    /// 500: a server error (the client retries).
    SyncServerError,
    /// 404: no such record or endpoint.
    SyncNotFound,
    /// 405: the method is not allowed on this endpoint.
    SyncMethodNotAllowed,
    /// 401: the admin endpoints need the configured bearer token.
    SyncUnauthorized,
    /// 503: the server cannot verify receipts (its build lacks the consent module).
    SyncConsentUnavailable,
    /// Client: not stored before it expired; it will not be sent (tell the user).
    SyncExpired,
    /// Client: a consent the registration cites was rejected, so it was not sent.
    SyncDependencyRejected,
    /// Client: a consent the registration cites could not be delivered, so it was not sent.
    SyncDependencyFailed,
    /// Client: the server answered with a status the protocol does not use (param `status`).
    SyncUnexpectedStatus,
    // -- added by issue 12 (appended: `ALL` follows declaration order)
    /// The document carries no birth date and the form has no declared `birthDate`: an account needs a known age (minor protection).
    BirthDateRequired,
    /// The declared birth date is not a real `YYYY-MM-DD` date.
    BirthDateInvalid,
    /// The declared birth date is after the as-of date.
    BirthDateInFuture,
    /// The declared birth date implies an age above the plausible maximum (param `maxAgeYears`).
    BirthDateTooOld,
    /// The declared birth date differs from the one the document encodes.
    BirthDateMismatch,
    /// An 11-digit number in an IoT segment that only has 13-digit numbers (141, 144, 146, 148): no such mobile number exists.
    PhoneSegmentIot,
    /// Warning: the name holds 〇 (U+3007, the Han zero of 通用规范汉字表): make sure it is not the letter O or the digit 0.
    NameHanZero,
    /// Warning: spaces between the groups of a number written in groups were removed.
    IdSpacesRemoved,
    // -- added by issue 13 (the Rust server's access control, tombstones and limits)
    /// 403: the token is valid but not this account's (an account token of another account), or a
    /// withdrawal of a receipt that is not the sender's.
    SyncForbidden,
    /// 410: the account was cancelled; its old requests cannot recreate it.
    SyncAccountDeleted,
    /// 421: the request's `Host` is not one the server answers for (DNS rebinding).
    SyncHostNotAllowed,
    /// 408: the request did not arrive in time.
    SyncRequestTimeout,
    /// no `serverSignature` (a receipt the server has not accepted yet)
    ConsentSignatureMissing,
    /// its `keyId` is not among the keys given (a key never published, or a forged receipt)
    ConsentSignatureKeyUnknown,
    /// the Ed25519 signature does not verify over the receipt (any field changed after signing)
    ConsentSignatureInvalid,
    /// WebCrypto has no Ed25519 here (an old browser): nothing was verified
    ConsentSignatureUnsupported,
    /// 422: a child's receipt names another guardian than the one the registration declares (its `guardianId` is not the commitment to the guardian's document).
    SyncGuardianMismatch,
    /// The day's total would exceed the daily cap (params `limitFen`, `remainingFen`; 未成年人网络保护条例 Art. 44).
    MinorPaymentOverDailyLimit,
    /// The account's guardian has set payments to zero.
    MinorPaymentBlockedByGuardian,
    /// A guardian's setting is looser than the rule lets a guardian set (param `max`: seconds or fen, as the member).
    GuardianLimitTooLoose,
    /// A guardian's setting cannot be read (a wrong type, range or member).
    GuardianLimitInvalid,
    /// 403: with the account's own token a guardian setting can only be made stricter; loosening needs the platform (the admin token).
    GuardianLimitOnlyTighter,
    // -- added by issue 16 (verification, the account lifecycle)
    /// 403, or an evaluation's `allowed: false`: the platform froze the account (params: reason).
    SyncAccountFrozen,
    /// 422: the authoritative source says the identity does not match (params: reason).
    SyncVerificationFailed,
    /// 503: the verification service did not answer; the request is sent again later.
    SyncVerificationUnavailable,
    // -- added by issue 16 (phone ownership by a one-time code, a server's optional endpoints)
    /// 422: the code does not match (param `attemptsLeft`: wrong tries left before the code is void).
    PhoneCodeWrong,
    /// 422: no valid code for this number: it expired, was used, or none was sent.
    PhoneCodeExpired,
    /// 422: too many wrong tries: the code is void, a new one must be sent.
    PhoneCodeAttemptsExhausted,
    /// 429: too many codes sent to this number (param `retryAfterSeconds`, also the `Retry-After` header).
    PhoneCodeRateLimited,
    /// 404: the server sends no codes (no SMS sender configured).
    PhoneCodesDisabled,
    /// 422: the server requires a confirmed phone, and this registration's number has no valid confirmation.
    PhoneNotConfirmed,
}

impl Code {
    /// The code of a snake_case name (the inverse of [`Code::as_str`]).
    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// Every code, in a stable order (new codes are appended, never inserted).
    pub const ALL: [Code; 152] = [
        Code::IdEmpty,
        Code::IdTooLong,
        Code::IdInvalidLength,
        Code::IdInvalidCharacter,
        Code::IdFormatUnrecognized,
        Code::IdChecksumMismatch,
        Code::IdBirthDateInvalid,
        Code::IdBirthDateInFuture,
        Code::IdBirthDateTooOld,
        Code::IdRegionInvalid,
        Code::IdRegionAbolished,
        Code::IdKindNotAllowed,
        Code::IdOrgCodeChecksumMismatch,
        Code::IdWhitespaceTrimmed,
        Code::IdFullwidthFolded,
        Code::IdLowercaseXFolded,
        Code::IdRegionUnknown,
        Code::IdLegacyFormat,
        Code::IdLowercaseFolded,
        Code::IdKindAmbiguous,
        Code::IdFormatOnly,
        Code::IdChecksumPilotEra,
        Code::NameEmpty,
        Code::NameTooLong,
        Code::NameInvalidCharacter,
        Code::NameInvisibleCharacter,
        Code::NameBidiControl,
        Code::NamePrivateUse,
        Code::NameSeparatorMisplaced,
        Code::NameMixedScript,
        Code::NameWhitespaceTrimmed,
        Code::NameSeparatorNormalized,
        Code::NamePrivateUseMapped,
        Code::NameFullwidthFolded,
        Code::NameSpacesCollapsed,
        Code::PhoneEmpty,
        Code::PhoneTooLong,
        Code::PhoneInvalidCharacter,
        Code::PhoneInvalidLength,
        Code::PhoneInvalidPrefix,
        Code::PhoneCountryCodeUnsupported,
        Code::PhoneCountryCodeRequired,
        Code::PhoneRegionNotAllowed,
        Code::PhoneSeparatorsRemoved,
        Code::PhoneFullwidthFolded,
        Code::PhoneSegmentUnknown,
        Code::PhoneSegmentUnassigned,
        Code::PhoneDataOnly,
        Code::FormInvalidType,
        Code::FormFieldInvalidType,
        Code::IdKindInvalid,
        Code::NameScriptMismatch,
        Code::PasswordEmpty,
        Code::PasswordTooShort,
        Code::PasswordTooLong,
        Code::PasswordTooFewClasses,
        Code::PasswordInvalidCharacter,
        Code::PasswordContainsPersonalData,
        Code::UsernameEmpty,
        Code::UsernameTooShort,
        Code::UsernameTooLong,
        Code::UsernameInvalidCharacter,
        Code::UsernameAllDigits,
        Code::UsernameContainsPersonalData,
        // minors (src/minor/)
        Code::UntrustedClock,
        Code::CalendarYearMissing,
        Code::Adult,
        Code::MinorAllowed,
        Code::MinorPaymentNotAllowed,
        Code::MinorPaymentOverSingleLimit,
        Code::MinorPaymentOverMonthlyLimit,
        Code::MinorPlayOutsideWindow,
        Code::MinorPlayTimeUsedUp,
        Code::MinorDailyLimitReached,
        Code::MinorCurfew,
        Code::MinorRestReminder,
        Code::GuestModeNotAllowed,
        Code::GuardianNotAdult,
        Code::GuardianSameAsMinor,
        Code::GuardianRelationInvalid,
        Code::GuardianAgeUnverified,
        // consent (src/consent/)
        Code::ConsentInvalidJson,
        Code::ConsentFieldMissing,
        Code::ConsentFieldInvalid,
        Code::ConsentDocumentDigestMismatch,
        Code::ConsentDocumentUnknown,
        Code::ConsentReceiptDocumentDigestMismatch,
        Code::ConsentReceiptDigestMismatch,
        Code::ConsentKindMismatch,
        Code::ConsentSubjectLooksLikeId,
        Code::ConsentRequiredNeverAccepted,
        Code::ConsentRequiredNewVersion,
        Code::ConsentRequiredWithdrawn,
        Code::ConsentPrechecked,
        Code::ConsentUntrustedEvent,
        Code::ConsentEndNotReached,
        Code::ConsentReadingTooShort,
        Code::ConsentNotGiven,
        Code::SyncIdempotencyKeyInvalid,
        Code::SyncIdempotencyKeyReused,
        Code::SyncRequestInProgress,
        Code::SyncReceiptConflict,
        Code::SyncConsentMissing,
        Code::SyncAlreadyRegistered,
        Code::SyncRegistrationConflict,
        Code::SyncFieldMissing,
        Code::SyncFieldInvalid,
        Code::SyncBodyInvalidJson,
        Code::SyncBodyTooLarge,
        Code::SyncContentTypeUnsupported,
        Code::SyncRateLimited,
        Code::SyncUnavailable,
        Code::SyncServerError,
        Code::SyncNotFound,
        Code::SyncMethodNotAllowed,
        Code::SyncUnauthorized,
        Code::SyncConsentUnavailable,
        Code::SyncExpired,
        Code::SyncDependencyRejected,
        Code::SyncDependencyFailed,
        Code::SyncUnexpectedStatus,
        Code::BirthDateRequired,
        Code::BirthDateInvalid,
        Code::BirthDateInFuture,
        Code::BirthDateTooOld,
        Code::BirthDateMismatch,
        Code::PhoneSegmentIot,
        Code::NameHanZero,
        Code::IdSpacesRemoved,
        Code::SyncForbidden,
        Code::SyncAccountDeleted,
        Code::SyncHostNotAllowed,
        Code::SyncRequestTimeout,
        Code::ConsentSignatureMissing,
        Code::ConsentSignatureKeyUnknown,
        Code::ConsentSignatureInvalid,
        Code::ConsentSignatureUnsupported,
        Code::SyncGuardianMismatch,
        Code::MinorPaymentOverDailyLimit,
        Code::MinorPaymentBlockedByGuardian,
        Code::GuardianLimitTooLoose,
        Code::GuardianLimitInvalid,
        Code::GuardianLimitOnlyTighter,
        Code::SyncAccountFrozen,
        Code::SyncVerificationFailed,
        Code::SyncVerificationUnavailable,
        Code::PhoneCodeWrong,
        Code::PhoneCodeExpired,
        Code::PhoneCodeAttemptsExhausted,
        Code::PhoneCodeRateLimited,
        Code::PhoneCodesDisabled,
        Code::PhoneNotConfirmed,
    ];

    /// The stable snake_case code.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::IdEmpty => "id_empty",
            Code::IdTooLong => "id_too_long",
            Code::IdInvalidLength => "id_invalid_length",
            Code::IdInvalidCharacter => "id_invalid_character",
            Code::IdFormatUnrecognized => "id_format_unrecognized",
            Code::IdChecksumMismatch => "id_checksum_mismatch",
            Code::IdBirthDateInvalid => "id_birth_date_invalid",
            Code::IdBirthDateInFuture => "id_birth_date_in_future",
            Code::IdBirthDateTooOld => "id_birth_date_too_old",
            Code::IdRegionInvalid => "id_region_invalid",
            Code::IdRegionAbolished => "id_region_abolished",
            Code::IdKindNotAllowed => "id_kind_not_allowed",
            Code::IdOrgCodeChecksumMismatch => "id_org_code_checksum_mismatch",
            Code::IdWhitespaceTrimmed => "id_whitespace_trimmed",
            Code::IdFullwidthFolded => "id_fullwidth_folded",
            Code::IdLowercaseXFolded => "id_lowercase_x_folded",
            Code::IdRegionUnknown => "id_region_unknown",
            Code::IdLegacyFormat => "id_legacy_format",
            Code::IdLowercaseFolded => "id_lowercase_folded",
            Code::IdKindAmbiguous => "id_kind_ambiguous",
            Code::IdFormatOnly => "id_format_only",
            Code::IdChecksumPilotEra => "id_checksum_pilot_era",
            Code::NameEmpty => "name_empty",
            Code::NameTooLong => "name_too_long",
            Code::NameInvalidCharacter => "name_invalid_character",
            Code::NameInvisibleCharacter => "name_invisible_character",
            Code::NameBidiControl => "name_bidi_control",
            Code::NamePrivateUse => "name_private_use",
            Code::NameSeparatorMisplaced => "name_separator_misplaced",
            Code::NameMixedScript => "name_mixed_script",
            Code::NameWhitespaceTrimmed => "name_whitespace_trimmed",
            Code::NameSeparatorNormalized => "name_separator_normalized",
            Code::NamePrivateUseMapped => "name_private_use_mapped",
            Code::NameFullwidthFolded => "name_fullwidth_folded",
            Code::NameSpacesCollapsed => "name_spaces_collapsed",
            Code::PhoneEmpty => "phone_empty",
            Code::PhoneTooLong => "phone_too_long",
            Code::PhoneInvalidCharacter => "phone_invalid_character",
            Code::PhoneInvalidLength => "phone_invalid_length",
            Code::PhoneInvalidPrefix => "phone_invalid_prefix",
            Code::PhoneCountryCodeUnsupported => "phone_country_code_unsupported",
            Code::PhoneCountryCodeRequired => "phone_country_code_required",
            Code::PhoneRegionNotAllowed => "phone_region_not_allowed",
            Code::PhoneSeparatorsRemoved => "phone_separators_removed",
            Code::PhoneFullwidthFolded => "phone_fullwidth_folded",
            Code::PhoneSegmentUnknown => "phone_segment_unknown",
            Code::PhoneSegmentUnassigned => "phone_segment_unassigned",
            Code::PhoneDataOnly => "phone_data_only",
            Code::FormInvalidType => "form_invalid_type",
            Code::FormFieldInvalidType => "form_field_invalid_type",
            Code::IdKindInvalid => "id_kind_invalid",
            Code::NameScriptMismatch => "name_script_mismatch",
            Code::PasswordEmpty => "password_empty",
            Code::PasswordTooShort => "password_too_short",
            Code::PasswordTooLong => "password_too_long",
            Code::PasswordTooFewClasses => "password_too_few_classes",
            Code::PasswordInvalidCharacter => "password_invalid_character",
            Code::PasswordContainsPersonalData => "password_contains_personal_data",
            Code::UsernameEmpty => "username_empty",
            Code::UsernameTooShort => "username_too_short",
            Code::UsernameTooLong => "username_too_long",
            Code::UsernameInvalidCharacter => "username_invalid_character",
            Code::UsernameAllDigits => "username_all_digits",
            Code::UsernameContainsPersonalData => "username_contains_personal_data",
            Code::UntrustedClock => "untrusted_clock",
            Code::CalendarYearMissing => "calendar_year_missing",
            Code::Adult => "adult",
            Code::MinorAllowed => "minor_allowed",
            Code::MinorPaymentNotAllowed => "minor_payment_not_allowed",
            Code::MinorPaymentOverSingleLimit => "minor_payment_over_single_limit",
            Code::MinorPaymentOverMonthlyLimit => "minor_payment_over_monthly_limit",
            Code::MinorPlayOutsideWindow => "minor_play_outside_window",
            Code::MinorPlayTimeUsedUp => "minor_play_time_used_up",
            Code::MinorDailyLimitReached => "minor_daily_limit_reached",
            Code::MinorCurfew => "minor_curfew",
            Code::MinorRestReminder => "minor_rest_reminder",
            Code::GuestModeNotAllowed => "guest_mode_not_allowed",
            Code::GuardianNotAdult => "guardian_not_adult",
            Code::GuardianSameAsMinor => "guardian_same_as_minor",
            Code::GuardianRelationInvalid => "guardian_relation_invalid",
            Code::GuardianAgeUnverified => "guardian_age_unverified",
            Code::ConsentInvalidJson => "consent_invalid_json",
            Code::ConsentFieldMissing => "consent_field_missing",
            Code::ConsentFieldInvalid => "consent_field_invalid",
            Code::ConsentDocumentDigestMismatch => "consent_document_digest_mismatch",
            Code::ConsentDocumentUnknown => "consent_document_unknown",
            Code::ConsentReceiptDocumentDigestMismatch => {
                "consent_receipt_document_digest_mismatch"
            }
            Code::ConsentReceiptDigestMismatch => "consent_receipt_digest_mismatch",
            Code::ConsentKindMismatch => "consent_kind_mismatch",
            Code::ConsentSubjectLooksLikeId => "consent_subject_looks_like_id",
            Code::ConsentRequiredNeverAccepted => "consent_required_never_accepted",
            Code::ConsentRequiredNewVersion => "consent_required_new_version",
            Code::ConsentRequiredWithdrawn => "consent_required_withdrawn",
            Code::ConsentPrechecked => "consent_prechecked",
            Code::ConsentUntrustedEvent => "consent_untrusted_event",
            Code::ConsentEndNotReached => "consent_end_not_reached",
            Code::ConsentReadingTooShort => "consent_reading_too_short",
            Code::ConsentNotGiven => "consent_not_given",
            Code::SyncIdempotencyKeyInvalid => "sync_idempotency_key_invalid",
            Code::SyncIdempotencyKeyReused => "sync_idempotency_key_reused",
            Code::SyncRequestInProgress => "sync_request_in_progress",
            Code::SyncReceiptConflict => "sync_receipt_conflict",
            Code::SyncConsentMissing => "sync_consent_missing",
            Code::SyncAlreadyRegistered => "sync_already_registered",
            Code::SyncRegistrationConflict => "sync_registration_conflict",
            Code::SyncFieldMissing => "sync_field_missing",
            Code::SyncFieldInvalid => "sync_field_invalid",
            Code::SyncBodyInvalidJson => "sync_body_invalid_json",
            Code::SyncBodyTooLarge => "sync_body_too_large",
            Code::SyncContentTypeUnsupported => "sync_content_type_unsupported",
            Code::SyncRateLimited => "sync_rate_limited",
            Code::SyncUnavailable => "sync_unavailable",
            Code::SyncServerError => "sync_server_error",
            Code::SyncNotFound => "sync_not_found",
            Code::SyncMethodNotAllowed => "sync_method_not_allowed",
            Code::SyncUnauthorized => "sync_unauthorized",
            Code::SyncConsentUnavailable => "sync_consent_unavailable",
            Code::SyncExpired => "sync_expired",
            Code::SyncDependencyRejected => "sync_dependency_rejected",
            Code::SyncDependencyFailed => "sync_dependency_failed",
            Code::SyncUnexpectedStatus => "sync_unexpected_status",
            Code::BirthDateRequired => "birth_date_required",
            Code::BirthDateInvalid => "birth_date_invalid",
            Code::BirthDateInFuture => "birth_date_in_future",
            Code::BirthDateTooOld => "birth_date_too_old",
            Code::BirthDateMismatch => "birth_date_mismatch",
            Code::PhoneSegmentIot => "phone_segment_iot",
            Code::NameHanZero => "name_han_zero",
            Code::IdSpacesRemoved => "id_spaces_removed",
            Code::SyncForbidden => "sync_forbidden",
            Code::SyncAccountDeleted => "sync_account_deleted",
            Code::SyncHostNotAllowed => "sync_host_not_allowed",
            Code::SyncRequestTimeout => "sync_request_timeout",
            Code::ConsentSignatureMissing => "consent_signature_missing",
            Code::ConsentSignatureKeyUnknown => "consent_signature_key_unknown",
            Code::ConsentSignatureInvalid => "consent_signature_invalid",
            Code::ConsentSignatureUnsupported => "consent_signature_unsupported",
            Code::SyncGuardianMismatch => "sync_guardian_mismatch",
            Code::MinorPaymentOverDailyLimit => "minor_payment_over_daily_limit",
            Code::MinorPaymentBlockedByGuardian => "minor_payment_blocked_by_guardian",
            Code::GuardianLimitTooLoose => "guardian_limit_too_loose",
            Code::GuardianLimitInvalid => "guardian_limit_invalid",
            Code::GuardianLimitOnlyTighter => "guardian_limit_only_tighter",
            Code::SyncAccountFrozen => "sync_account_frozen",
            Code::SyncVerificationFailed => "sync_verification_failed",
            Code::SyncVerificationUnavailable => "sync_verification_unavailable",
            Code::PhoneCodeWrong => "phone_code_wrong",
            Code::PhoneCodeExpired => "phone_code_expired",
            Code::PhoneCodeAttemptsExhausted => "phone_code_attempts_exhausted",
            Code::PhoneCodeRateLimited => "phone_code_rate_limited",
            Code::PhoneCodesDisabled => "phone_codes_disabled",
            Code::PhoneNotConfirmed => "phone_not_confirmed",
        }
    }

    /// Position in [`Code::ALL`]; stable, so it can index a status byte array.
    pub const fn index(self) -> usize {
        // `ALL` lists the variants in declaration order (tested), so the index is the discriminant.
        self as usize
    }

    /// Parses a stable code string.
    pub fn from_code_str(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_declaration_order_and_codes_are_unique() {
        for (i, code) in Code::ALL.iter().enumerate() {
            assert_eq!(code.index(), i);
            assert_eq!(Code::from_code_str(code.as_str()), Some(*code));
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A typed parameter value. Never the whole input; at most one character or a number derived from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// A number (a length, a position, a count, a year).
    Int(i64),
    /// One character (e.g. the expected check character).
    Char(char),
    /// A string of the crate's own (a kind's or a region's name).
    Str(&'static str),
    /// A list of the crate's own strings (e.g. the kinds accepted).
    List(Vec<&'static str>),
    /// A string that came from elsewhere (an issue a server sent, see
    /// [`crate::i18n::message_of`]); the module's own issues use `Str`.
    Text(String),
    /// A list of strings that came from elsewhere.
    TextList(Vec<String>),
}

/// One step of an issue's path: an object key or an array index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// An object key (a form field's name).
    Key(&'static str),
    /// An array index.
    Index(usize),
}

/// One problem (or warning) found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// Where in the input the issue applies; empty for a single-field check.
    pub path: Vec<PathSegment>,
    /// What the issue is: the stable code its message is rendered from.
    pub code: Code,
    /// Named typed parameters, in a stable order.
    pub params: Vec<(&'static str, ParamValue)>,
}

impl Issue {
    /// An issue with this code, an empty path and no parameters.
    pub fn new(code: Code) -> Issue {
        Issue {
            path: Vec::new(),
            code,
            params: Vec::new(),
        }
    }

    /// Adds a parameter (builder style).
    #[inline(never)] // called everywhere; inlined copies of the Vec push cost the .wasm kilobytes
    pub fn with(mut self, name: &'static str, value: ParamValue) -> Issue {
        self.params.push((name, value));
        self
    }

    /// Prefixes the path, e.g. when a field check becomes part of a form check.
    pub fn at(mut self, segment: PathSegment) -> Issue {
        self.path.insert(0, segment);
        self
    }

    /// The named parameter, if present.
    pub fn param(&self, name: &str) -> Option<&ParamValue> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// A string param, whether the module's own (`Str`) or received (`Text`).
    pub fn param_text(&self, name: &str) -> Option<&str> {
        match self.param(name) {
            Some(ParamValue::Str(s)) => Some(s),
            Some(ParamValue::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// An integer param (`Int`), if present.
    pub fn int_param(&self, name: &str) -> Option<i64> {
        match self.param(name) {
            Some(ParamValue::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// A string param of the crate's own (`Str`), if present.
    pub fn str_param(&self, name: &str) -> Option<&'static str> {
        match self.param(name) {
            Some(ParamValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// A character param (`Char`), if present.
    pub fn char_param(&self, name: &str) -> Option<char> {
        match self.param(name) {
            Some(ParamValue::Char(c)) => Some(*c),
            _ => None,
        }
    }

    /// A list param of the crate's own (`List`), if present.
    pub fn list_param(&self, name: &str) -> Option<&[&'static str]> {
        match self.param(name) {
            Some(ParamValue::List(items)) => Some(items),
            _ => None,
        }
    }

    /// Renders the message in the given locale.
    pub fn message(&self, locale: crate::Locale) -> String {
        crate::i18n::message(self, locale)
    }
}
