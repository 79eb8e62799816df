//! # shiming (实名): real-name registration checks
//!
//! A pure, deterministic core (no clock, no I/O, no randomness) that runs natively on a server
//! and, through thin bindings crates of their own (`bindings/` in the repository; this crate knows
//! nothing of JS), in the browser as WebAssembly. The same rules, the same codes, the same
//! messages on both sides.
//!
//! Every function is panic-free on any input: a panic in wasm is a trap that kills the module
//! instance, so input-derived data is never indexed or unwrapped without a check (enforced by the
//! crate's clippy lints, and tested with property tests and a fuzzer).
//!
//! Every module that applies a rule names its sources in a `# Sources` section of its
//! documentation, by key; `docs/sources.md` in the repository describes each key once (title,
//! issuing body, number, date, address).
//!
//! ```
//! use shiming::{check_id, Date, IdKind, IdOptions, Locale};
//!
//! let options = IdOptions::new(Date::new(2026, 11, 28).unwrap());
//! let checked = check_id("11010519491231002X", &options).unwrap();
//! assert_eq!(checked.value.kind, IdKind::CnResident);
//! assert_eq!(checked.value.birth_date, Date::new(1949, 12, 31));
//!
//! let issues = check_id("110105194912310021", &options).unwrap_err();
//! assert_eq!(issues[0].code.as_str(), "id_checksum_mismatch");
//! assert_eq!(issues[0].message(Locale::ZhCn), "身份证号码校验码错误：第 18 位应为 X");
//! ```

// Every public item is documented (issue 18, item 7); `cargo doc` with `-D warnings` keeps it so.
#![warn(missing_docs)]

pub mod age;
mod codec;
pub mod consent;
pub mod date;
pub mod division;
pub mod i18n;
pub mod id;
pub mod issue;
pub mod jurisdiction;
pub mod mask;
pub mod minor;
pub mod name;
pub mod phone;
pub mod registration;
mod small_sort;
pub mod sync;
pub mod token;

/// The JSON value the crate reads and writes (a policy, a receipt, the params of a server's
/// issue in [`sync::http::WireIssue`]). The parser, RFC 8785 canonicalization and SHA-256 are
/// internal (`src/codec/`).
pub mod json {
    pub use crate::codec::json::Value;
}

/// Not part of the API (no stability promise): the crate's JSON parser, RFC 8785 writer and
/// SHA-256, for what lives in this repository and changes with the crate: its integration tests
/// (`tests/consent.rs` tampers with receipts and seals them again; `tests/sync.rs` and
/// `tests/sources.rs` read documents), the `verify_receipt` fuzz target, and the JS bindings
/// crates (`bindings/`, unpublished), whose `documentDigest` and canonical JSON give JS the
/// core's exact bytes.
#[doc(hidden)]
pub mod __internal {
    pub use crate::codec::jcs::{canonicalize, canonicalize_text};
    pub use crate::codec::json::parse;
    pub use crate::codec::sha256::sha256_hex;
}

pub use age::{age_on, AgeRule};
pub use date::Date;
pub use i18n::Locale;
pub use id::{
    check_id, check_id_batch, is_valid_id, is_valid_id_bytes, BatchChecker, BatchReport, Checked,
    Gender, Holder, IdKind, IdOptions, IdValue, KindSet, Region, MAX_INPUT_CHARS,
};
pub use id::{generate_test_id, identity_key, identity_key_of, TestIdError, TestIdSpec};
pub use issue::{Code, Issue, ParamValue, PathSegment};
pub use jurisdiction::Jurisdiction;
pub use mask::{mask_id, mask_name, mask_phone, MaskOptions};
pub use minor::{
    check_guardian, evaluate, needs_guardian_consent, Activity, AgeBand, Evaluation, GuardianForm,
    LocalTime, MinorRef, Policy, PolicyError, Relation, Subject,
};
pub use name::{check_name, NameOptions, NameScript, NameValue};
pub use phone::{
    check_phone, check_phone_with, is_valid_phone, is_valid_phone_with, PhoneOptions, PhoneRegion,
    PhoneValue,
};
pub use registration::{
    check_registration, check_registration_with, BirthDateSource, Derived, Field, FieldSet,
    FormField, PasswordPolicy, RegistrationForm, RegistrationOptions, RegistrationValue, Rejected,
    UsernamePolicy,
};
