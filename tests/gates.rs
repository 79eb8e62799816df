//! The gates of a registration that must not be walked around (issue 12): the default kinds of a
//! mainland platform, no account without an age, and one identity, one account.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use shiming::registration::{check_registration, BirthDateSource, Field, FormField};
use shiming::{
    check_guardian, check_id, generate_test_id, identity_key, is_valid_id, AgeBand, Code, Date,
    GuardianForm, IdKind, IdOptions, Issue, KindSet, MinorRef, PathSegment, RegistrationForm,
    RegistrationOptions, TestIdSpec,
};

fn as_of() -> Date {
    Date::new(2026, 11, 28).unwrap()
}

/// Every personal kind (what a platform that takes them all passes).
fn all_personal() -> RegistrationOptions {
    let mut options = RegistrationOptions::new(as_of());
    options.kinds = KindSet::personal();
    options
}

fn form<'a>(id: &'a str, birth_date: Option<&'a str>) -> RegistrationForm<'a> {
    RegistrationForm {
        name: Field::Text("张三"),
        id_number: Field::Text(id),
        phone: Field::Text("13812345678"),
        birth_date: birth_date.map_or(Field::Missing, Field::Text),
        ..RegistrationForm::default()
    }
}

fn codes_at(issues: &[Issue], key: &'static str) -> Vec<Code> {
    issues
        .iter()
        .filter(|i| i.path.first() == Some(&PathSegment::Key(key)))
        .map(|i| i.code)
        .collect()
}

// -- 1. Defaults for a mainland platform

#[test]
fn by_default_only_documents_with_a_check_character_and_a_birth_date_are_accepted() {
    let options = IdOptions::new(as_of());
    // The reported walk-arounds: each is a valid number of a kind that is not on by default.
    for (input, kind) in [
        ("00000000", "tw_mtp"),
        ("12345678", "tw_mtp"),
        ("E12345678", "cn_passport"),
        ("H12345678", "hk_macao_home_return_permit"),
        ("A123456(3)", "hk_id"),
        ("110105491231002", "cn_resident_legacy"),
    ] {
        assert!(!is_valid_id(input, &options), "{input}");
        let issues = check_id(input, &options).unwrap_err();
        assert_eq!(issues[0].code, Code::IdKindNotAllowed, "{input}");
        assert_eq!(issues[0].str_param("kind"), Some(kind), "{input}");
    }
    // The three default kinds.
    for (input, kind) in [
        ("11010519491231002X", IdKind::CnResident),
        ("810000199408230021", IdKind::HkMacaoTaiwanResidencePermit),
        ("932682198501010017", IdKind::ForeignPermanentResident),
    ] {
        assert_eq!(
            check_id(input, &options).unwrap().value.kind,
            kind,
            "{input}"
        );
    }
    assert_eq!(KindSet::default(), KindSet::mainland_platform());
    assert_eq!(
        RegistrationOptions::new(as_of()).kinds,
        KindSet::mainland_platform()
    );
    // Listed, they are accepted (the legacy kind for audits of old data).
    let legacy =
        IdOptions::new(as_of()).with_kinds(KindSet::empty().with(IdKind::CnResidentLegacy));
    assert!(is_valid_id("110105491231002", &legacy));
}

// -- 2. No account without an age

#[test]
fn a_document_without_a_birth_date_needs_a_declared_one() {
    let options = all_personal();
    for id in [
        "A123456(3)",
        "12345678",
        "E12345678",
        "H12345678",
        "1234567(8)",
    ] {
        let rejected = check_registration(&form(id, None), &options).unwrap_err();
        assert_eq!(
            codes_at(&rejected.issues, "birthDate"),
            [Code::BirthDateRequired],
            "{id}"
        );
        // An empty field is no birth date either.
        let rejected = check_registration(&form(id, Some("  ")), &options).unwrap_err();
        assert_eq!(
            codes_at(&rejected.issues, "birthDate"),
            [Code::BirthDateRequired]
        );
    }
    // The 12-year-old of the report: an HK ID and a declared 2014 birth date is a minor under 14.
    let checked = check_registration(&form("A123456(3)", Some("2014-05-01")), &options).unwrap();
    let derived = checked.value.derived.unwrap();
    assert_eq!(derived.birth_date, Date::new(2014, 5, 1));
    assert_eq!(derived.birth_date_source, Some(BirthDateSource::Declared));
    assert_eq!(derived.age, Some(12));
    assert_eq!(derived.age_band, Some(AgeBand::From12To14));
    assert_eq!(derived.needs_guardian_consent, Some(true));
    assert_eq!(derived.is_minor, Some(true));
}

#[test]
fn a_declared_birth_date_is_checked() {
    let options = all_personal();
    for (date, code) in [
        ("2014-02-30", Code::BirthDateInvalid),
        ("2014-5-1", Code::BirthDateInvalid),
        ("01/05/2014", Code::BirthDateInvalid),
        ("0000-01-01", Code::BirthDateInvalid),
        ("2026-11-29", Code::BirthDateInFuture),
        ("1896-11-27", Code::BirthDateTooOld),
    ] {
        let rejected = check_registration(&form("A123456(3)", Some(date)), &options).unwrap_err();
        assert_eq!(codes_at(&rejected.issues, "birthDate"), [code], "{date}");
    }
    // The edges: today, and exactly 130 years ago, are accepted.
    for date in ["2026-11-28", "1896-11-28"] {
        assert!(check_registration(&form("A123456(3)", Some(date)), &options).is_ok());
    }
    // A wrong type is that, not also "required".
    let mut wrong = form("A123456(3)", None);
    wrong.birth_date = Field::WrongType;
    let rejected = check_registration(&wrong, &options).unwrap_err();
    assert_eq!(
        codes_at(&rejected.issues, "birthDate"),
        [Code::FormFieldInvalidType]
    );
}

#[test]
fn the_document_birth_date_wins_and_a_different_declared_one_is_an_error() {
    let options = RegistrationOptions::new(as_of());
    let id = "11010519491231002X";
    let checked = check_registration(&form(id, None), &options).unwrap();
    let derived = checked.value.derived.unwrap();
    assert_eq!(derived.birth_date_source, Some(BirthDateSource::Document));
    assert_eq!(derived.age, Some(76));
    // The same date declared: fine.
    let checked = check_registration(&form(id, Some("1949-12-31")), &options).unwrap();
    assert_eq!(
        checked.value.derived.unwrap().birth_date_source,
        Some(BirthDateSource::Document)
    );
    // A minor cannot declare themself older, and an adult cannot declare a different date.
    let rejected = check_registration(&form(id, Some("1949-12-30")), &options).unwrap_err();
    assert_eq!(
        codes_at(&rejected.issues, "birthDate"),
        [Code::BirthDateMismatch]
    );
    let minor = "110101201501010011";
    let rejected = check_registration(&form(minor, Some("1990-01-01")), &options).unwrap_err();
    assert_eq!(
        codes_at(&rejected.issues, "birthDate"),
        [Code::BirthDateMismatch]
    );
}

#[test]
fn a_failed_number_of_a_kind_without_birth_dates_still_asks_for_one() {
    let options = all_personal();
    let mut broken = form("A123456(4)", None);
    broken.id_kind = Field::Text("hk_id");
    let rejected = check_registration(&broken, &options).unwrap_err();
    assert_eq!(
        codes_at(&rejected.issues, "idNumber"),
        [Code::IdChecksumMismatch]
    );
    assert_eq!(
        codes_at(&rejected.issues, "birthDate"),
        [Code::BirthDateRequired]
    );
    // A resident ID may encode one: only its own issue.
    let mut broken = form("110105194912310021", None);
    broken.id_kind = Field::Text("cn_resident");
    let rejected = check_registration(&broken, &options).unwrap_err();
    assert!(codes_at(&rejected.issues, "birthDate").is_empty());
}

#[test]
fn an_organisation_has_no_age() {
    let mut options = RegistrationOptions::new(as_of());
    options.kinds = KindSet::empty().with(IdKind::Uscc);
    let mut org = form("91110000600037341L", None);
    org.name = Field::Text("某某科技有限公司");
    let checked = check_registration(&org, &options).unwrap();
    let derived = checked.value.derived.unwrap();
    assert_eq!(derived.kind, IdKind::Uscc);
    assert_eq!(
        (derived.birth_date, derived.age, derived.age_band),
        (None, None, None)
    );
}

#[test]
fn a_guardian_without_a_birth_date_on_the_document_declares_one() {
    let options = all_personal();
    let minor = MinorRef {
        name: Some("张小三"),
        id_number: Some("A123456(3)"),
        birth_date: Date::new(2014, 5, 1),
    };
    let guardian = GuardianForm {
        name: Field::Text("张三"),
        id_kind: Field::Missing,
        id_number: Field::Text("B234567(1)"),
        phone: Field::Text("13812345678"),
        relation: Field::Text("parent"),
        birth_date: Field::Missing,
    };
    assert!(is_valid_id(
        "B234567(1)",
        &IdOptions::new(as_of()).with_kinds(KindSet::personal())
    ));
    let rejected = check_guardian(&guardian, &minor, &options).unwrap_err();
    assert_eq!(
        codes_at(&rejected.issues, "birthDate"),
        [Code::BirthDateRequired]
    );
    // A declared adult: accepted, with the age.
    let adult = GuardianForm {
        birth_date: Field::Text("1980-03-01"),
        ..guardian
    };
    assert_eq!(
        check_guardian(&adult, &minor, &options).unwrap().value.age,
        Some(46)
    );
    // A declared minor is no guardian.
    let child = GuardianForm {
        birth_date: Field::Text("2012-03-01"),
        ..guardian
    };
    let codes: Vec<Code> = check_guardian(&child, &minor, &options)
        .unwrap_err()
        .issues
        .iter()
        .map(|i| i.code)
        .collect();
    assert_eq!(codes, [Code::GuardianNotAdult]);
}

#[test]
fn a_guardian_is_not_the_minor_under_another_form_of_the_same_number() {
    let mut options = RegistrationOptions::new(as_of());
    options.kinds = options.kinds.with(IdKind::CnResidentLegacy);
    // The minor's 18-digit number and the "guardian's" 15-digit form of an adult... of the same card.
    let minor = MinorRef {
        name: Some("张三"),
        id_number: Some("11010519491231002X"),
        birth_date: None,
    };
    let guardian = GuardianForm {
        name: Field::Text("李四"),
        id_kind: Field::Missing,
        id_number: Field::Text("110105491231002"),
        phone: Field::Text("13812345678"),
        relation: Field::Text("parent"),
        birth_date: Field::Missing,
    };
    let codes: Vec<Code> = check_guardian(&guardian, &minor, &options)
        .unwrap_err()
        .issues
        .iter()
        .map(|i| i.code)
        .collect();
    assert!(codes.contains(&Code::GuardianSameAsMinor), "{codes:?}");
}

// -- 3. One identity, one account

#[test]
fn identity_keys_are_canonical() {
    let every = IdOptions::new(as_of()).with_kinds(KindSet::all());
    let key = |s: &str| identity_key(s, &every);
    // A 15-digit number and its 18-digit form are one card.
    assert_eq!(key("110105491231002"), key("11010519491231002X"));
    assert_eq!(
        key("110105491231002").as_deref(),
        Some("cn_resident:11010519491231002X")
    );
    assert_eq!(key(" 11010519491231002x "), key("11010519491231002X"));
    // Hong Kong and Macau IDs: brackets, spaces and case do not matter.
    for hk in [
        "A123456(3)",
        "A1234563",
        "a123456 (3)",
        "A123456 3",
        "Ａ123456(3)",
    ] {
        assert_eq!(key(hk).as_deref(), Some("hk_id:A1234563"), "{hk}");
    }
    assert_eq!(key("1234567(8)").as_deref(), Some("mo_id:12345678"));
    // A renewed home-return permit keeps its number; the 2-digit issue count is dropped.
    assert_eq!(key("H1234567801"), key("H12345678"));
    assert_eq!(
        key("h12345678").as_deref(),
        Some("hk_macao_home_return_permit:H12345678")
    );
    assert_eq!(key("1234567801").as_deref(), key("12345678").as_deref());
    // The kind is part of the key: the same digits as two documents are two keys.
    assert_ne!(key("810000199408230021"), None);
    assert!(key("810000199408230021")
        .unwrap()
        .starts_with("hk_macao_taiwan_residence_permit:"));
    // Not valid, or not allowed: no key.
    assert_eq!(key("110105194912310021"), None);
    assert_eq!(identity_key("A123456(3)", &IdOptions::new(as_of())), None);
}

#[test]
fn the_registration_value_carries_the_identity_key() {
    let mut options = RegistrationOptions::new(as_of());
    options.kinds = options.kinds.with(IdKind::CnResidentLegacy);
    let a = check_registration(&form("110105491231002", None), &options).unwrap();
    let b = check_registration(&form("11010519491231002X", None), &options).unwrap();
    assert_eq!(a.value.identity_key, b.value.identity_key);
    assert!(a.value.identity_key.is_some());
    // A per-field check of other fields holds no key.
    options.fields = [FormField::Phone].into_iter().collect();
    let c = check_registration(&form("11010519491231002X", None), &options).unwrap();
    assert_eq!(c.value.identity_key, None);
}

// -- The property: no account without an age, over every document kind

/// Every personal kind (the property's documents).
fn personal_kinds() -> Vec<IdKind> {
    KindSet::personal().iter().collect()
}

fn birth_date_text() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(String::new())),
        (1880u32..2030, 0u32..14, 0u32..33)
            .prop_map(|(y, m, d)| Some(format!("{y:04}-{m:02}-{d:02}"))),
        ".{0,12}".prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every `ok` result of a whole-form check for a person has a birth date, its source, an age,
    /// an age band and the guardian flag; whatever the kind, the declared kind, and the declared
    /// birth date.
    #[test]
    fn no_ok_result_lacks_an_age_band(
        kind in 0usize..10,
        seed in any::<u64>(),
        declare_kind in any::<bool>(),
        birth in birth_date_text(),
        kinds_mask in 1u32..(1 << 10),
    ) {
        let kinds = personal_kinds();
        prop_assert_eq!(kinds.len(), 10);
        let kind = kinds[kind];
        let Ok(number) = generate_test_id(&TestIdSpec {
            kind,
            birth_date: None,
            gender: None,
            region: None,
            seed,
        }) else {
            return Ok(());
        };
        let mut options = RegistrationOptions::new(as_of());
        options.kinds = kinds
            .iter()
            .enumerate()
            .filter(|(i, _)| kinds_mask & (1 << i) != 0)
            .map(|(_, k)| *k)
            .collect();
        let mut registration = form(&number, birth.as_deref());
        if declare_kind {
            registration.id_kind = Field::Text(kind.as_str());
        }
        if let Ok(checked) = check_registration(&registration, &options) {
            let derived = checked.value.derived.expect("an ok person has derived values");
            prop_assert!(derived.birth_date.is_some());
            prop_assert!(derived.birth_date_source.is_some());
            prop_assert!(derived.age.is_some());
            prop_assert!(derived.age_band.is_some());
            prop_assert!(derived.is_minor.is_some());
            prop_assert!(derived.needs_guardian_consent.is_some());
            prop_assert!(checked.value.identity_key.is_some());
            if derived.birth_date_source == Some(BirthDateSource::Declared) {
                prop_assert!(checked.value.id.as_ref().unwrap().birth_date.is_none());
            }
        }
    }
}
