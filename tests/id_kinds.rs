//! The document kinds other than the mainland resident ID: table tests with real-format examples,
//! kind detection, and property tests of each checksum.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use shiming::{
    check_id, generate_test_id, is_valid_id, Code, Date, Gender, IdKind, IdOptions, Issue,
    Jurisdiction, KindSet, TestIdSpec,
};

fn options() -> IdOptions {
    // Every personal kind: these tests are about the schemes (the defaults: tests/gates.rs).
    IdOptions::new(Date::new(2026, 11, 28).unwrap()).with_kinds(KindSet::personal())
}

fn only(kind: IdKind) -> IdOptions {
    options().with_kinds(KindSet::empty().with(kind))
}

fn kind_of(input: &str) -> IdKind {
    check_id(input, &options())
        .unwrap_or_else(|e| panic!("{input}: {e:?}"))
        .value
        .kind
}

fn codes(issues: &[Issue]) -> Vec<&'static str> {
    issues.iter().map(|i| i.code.as_str()).collect()
}

fn error_codes(input: &str, options: &IdOptions) -> Vec<&'static str> {
    codes(&check_id(input, options).unwrap_err())
}

fn warning_codes(input: &str, options: &IdOptions) -> Vec<&'static str> {
    codes(&check_id(input, options).unwrap().warnings)
}

#[test]
fn foreign_permanent_resident_2023_card() {
    // The usual example of the 2023 card: issued in Jiangsu (32), nationality 682, born 1985-01-01.
    let checked = check_id("932682198501010017", &options()).unwrap();
    let v = &checked.value;
    assert_eq!(v.kind, IdKind::ForeignPermanentResident);
    assert_eq!(v.birth_date, Date::new(1985, 1, 1));
    assert_eq!(v.nationality.as_deref(), Some("682"));
    assert_eq!(v.region.as_ref().unwrap().code, "320000");
    assert_eq!(v.region.as_ref().unwrap().province, Some("江苏省"));
    assert_eq!(v.gender, None);
    assert!(checked.warnings.is_empty());
    // Wrong check character, impossible date, unknown province: all reported.
    let issues = check_id("990682198502300018", &options()).unwrap_err();
    assert_eq!(
        codes(&issues),
        [
            "id_checksum_mismatch",
            "id_birth_date_invalid",
            "id_region_invalid"
        ]
    );
    assert_eq!(
        issues[0].str_param("kind"),
        Some("foreign_permanent_resident")
    );
    // Born on the as-of date, with the check character X (and a lowercase x folded).
    let newborn = check_id("93268220261128005x", &options()).unwrap();
    assert_eq!(newborn.value.birth_date, Date::new(2026, 11, 28));
    assert_eq!(newborn.value.normalized, "93268220261128005X");
    assert_eq!(codes(&newborn.warnings), ["id_lowercase_x_folded"]);
    // A birth date after the as-of date.
    let future = generate_test_id(&TestIdSpec {
        kind: IdKind::ForeignPermanentResident,
        birth_date: Date::new(2027, 1, 1),
        gender: None,
        region: None,
        seed: 1,
    })
    .unwrap();
    assert_eq!(
        error_codes(&future, &options()),
        ["id_birth_date_in_future"]
    );
}

#[test]
fn foreign_permanent_resident_older_card_is_format_only() {
    let checked = check_id("USA110085060602", &options()).unwrap();
    assert_eq!(checked.value.kind, IdKind::ForeignPermanentResident);
    assert_eq!(checked.value.nationality.as_deref(), Some("USA"));
    assert_eq!(codes(&checked.warnings), ["id_format_only"]);
    // Lowercase letters are folded, and said so.
    assert_eq!(
        warning_codes("usa110085060602", &options()),
        ["id_lowercase_folded", "id_format_only"]
    );
}

#[test]
fn hong_kong_id_written_forms() {
    for written in [
        "A123456(3)",
        "A1234563",
        "A 123456 (3)",
        "a123456(3)",
        "Ａ１２３４５６（３）",
    ] {
        let checked = check_id(written, &options()).unwrap_or_else(|e| panic!("{written}: {e:?}"));
        assert_eq!(checked.value.kind, IdKind::HkId, "{written}");
        assert_eq!(checked.value.normalized, "A123456(3)");
        assert_eq!(
            checked.value.jurisdiction.map(Jurisdiction::as_str),
            Some("hk")
        );
    }
    // Two letters, and the check value 10 written A.
    assert_eq!(kind_of("AB987654(3)"), IdKind::HkId);
    assert_eq!(kind_of("G123456(A)"), IdKind::HkId);
    // The check value 11 is written 0.
    assert_eq!(kind_of("A000007(0)"), IdKind::HkId);
    assert_eq!(
        check_id("A000007(1)", &options()).unwrap_err()[0].char_param("expected"),
        Some('0')
    );
    // A wrong check character says which one is expected.
    let issues = check_id("A123456(4)", &options()).unwrap_err();
    assert_eq!(codes(&issues), ["id_checksum_mismatch"]);
    assert_eq!(issues[0].char_param("expected"), Some('3'));
    // validator.js accepts `[`: not a Hong Kong ID here.
    assert_eq!(
        error_codes("A123456[3]", &only(IdKind::HkId)),
        ["id_format_unrecognized"]
    );
}

#[test]
fn macau_id_is_format_only() {
    let checked = check_id("1234567(8)", &options()).unwrap();
    assert_eq!(checked.value.kind, IdKind::MoId);
    assert_eq!(codes(&checked.warnings), ["id_format_only"]);
    assert_eq!(
        checked.value.jurisdiction.map(Jurisdiction::as_str),
        Some("mo")
    );
    // Without brackets, 8 digits also fit the Taiwan MTP: the more common one is chosen, and the
    // ambiguity is reported.
    let checked = check_id("12345678", &options()).unwrap();
    assert_eq!(checked.value.kind, IdKind::TwMtp);
    let ambiguous = checked
        .warnings
        .iter()
        .find(|w| w.code == Code::IdKindAmbiguous)
        .unwrap();
    assert_eq!(ambiguous.list_param("alternatives"), Some(&["mo_id"][..]));
    assert_eq!(
        check_id("12345678", &only(IdKind::MoId))
            .unwrap()
            .value
            .normalized,
        "1234567(8)"
    );
}

#[test]
fn taiwan_ids() {
    let national = check_id("A123456789", &options()).unwrap();
    assert_eq!(national.value.kind, IdKind::TwId);
    assert_eq!(national.value.gender, Some(Gender::Male));
    assert!(national.warnings.is_empty());
    let issues = check_id("A123456788", &options()).unwrap_err();
    assert_eq!(issues[0].char_param("expected"), Some('9'));
    // 2021+ resident certificate numbers: second digit 8 (male) or 9 (female).
    let resident = check_id("A800000014", &options()).unwrap();
    assert_eq!(resident.value.gender, Some(Gender::Male));
    for seed in 0..50 {
        let female = generate_test_id(&TestIdSpec {
            kind: IdKind::TwId,
            birth_date: None,
            gender: Some(Gender::Female),
            region: None,
            seed,
        })
        .unwrap();
        assert_eq!(
            check_id(&female, &options()).unwrap().value.gender,
            Some(Gender::Female)
        );
    }
    // Older two-letter resident numbers: the second letter counts as the last digit of its value.
    assert_eq!(kind_of("AC01234567"), IdKind::TwId);
    assert_eq!(
        check_id("AD01234567", &options()).unwrap_err()[0].code,
        Code::IdChecksumMismatch
    );
}

#[test]
fn travel_permits_and_passports_are_format_only() {
    for (input, kind, jurisdiction) in [
        ("H12345678", IdKind::HkMacaoHomeReturnPermit, "hk"),
        ("M1234567801", IdKind::HkMacaoHomeReturnPermit, "mo"),
        ("8123456701", IdKind::TwMtp, "tw"),
        ("E12345678", IdKind::CnPassport, "cn"),
        ("EA1234567", IdKind::CnPassport, "cn"),
        ("G12345678", IdKind::CnPassport, "cn"),
        ("DE1234567", IdKind::CnPassport, "cn"),
    ] {
        let checked = check_id(input, &options()).unwrap_or_else(|e| panic!("{input}: {e:?}"));
        assert_eq!(checked.value.kind, kind, "{input}");
        assert_eq!(
            checked.value.jurisdiction.map(Jurisdiction::as_str),
            Some(jurisdiction),
            "{input}"
        );
        assert!(
            checked
                .warnings
                .iter()
                .any(|w| w.code == Code::IdFormatOnly),
            "{input}"
        );
    }
    for not_a_passport in ["EI1234567", "EO1234567", "E1234567"] {
        assert!(
            check_id(not_a_passport, &only(IdKind::CnPassport)).is_err(),
            "{not_a_passport}"
        );
    }
}

#[test]
fn unified_social_credit_codes() {
    let organisation = only(IdKind::Uscc);
    let checked = check_id("91110000600037341L", &organisation).unwrap();
    assert_eq!(checked.value.kind, IdKind::Uscc);
    assert_eq!(checked.value.region.as_ref().unwrap().code, "110000");
    assert!(checked.warnings.is_empty());
    // A wrong final check with a right organisation code: an error by default; accepted with a
    // warning on an organisation form that opts in to the pilot-era leniency...
    assert_eq!(
        error_codes("91110000600037341M", &organisation),
        ["id_checksum_mismatch"]
    );
    assert_eq!(
        warning_codes(
            "91110000600037341M",
            &organisation.clone().with_pilot_era(true)
        ),
        ["id_checksum_pilot_era"]
    );
    // ...but not where resident IDs are accepted too (1 in 11 mistyped IDs would pass).
    let both = options()
        .with_kinds(KindSet::empty().with(IdKind::CnResident).with(IdKind::Uscc))
        .with_pilot_era(true);
    assert_eq!(
        error_codes("91110000600037341M", &both),
        ["id_checksum_mismatch"]
    );
    // A wrong organisation code is an error.
    let issues = check_id("91110000600037342L", &organisation).unwrap_err();
    assert_eq!(issues[0].code, Code::IdOrgCodeChecksumMismatch);
    assert_eq!(issues[0].char_param("expected"), Some('1'));
    // Lowercase input.
    assert_eq!(
        warning_codes("91110000600037341l", &organisation),
        ["id_lowercase_folded"]
    );
    // Not a personal document: by default a credit code is recognised, and refused.
    let issues = check_id("91110000600037341L", &options()).unwrap_err();
    assert_eq!(codes(&issues), ["id_kind_not_allowed"]);
    assert_eq!(issues[0].str_param("kind"), Some("uscc"));
    // An all-digit 18-character number is a resident ID attempt unless credit codes are asked for.
    let digits_only = (0..1000)
        .map(|seed| generated(IdKind::Uscc, seed))
        .find(|code| code.bytes().all(|b| b.is_ascii_digit()))
        .expect("some test credit codes are all digits");
    assert!(is_valid_id(&digits_only, &organisation));
    assert_ne!(
        error_codes(&digits_only, &options()),
        ["id_kind_not_allowed"]
    );
}

#[test]
fn kind_restrictions_say_what_the_number_is() {
    // "This is a Hong Kong ID; this form needs a mainland resident ID."
    let mainland = only(IdKind::CnResident);
    let issues = check_id("A123456(3)", &mainland).unwrap_err();
    assert_eq!(codes(&issues), ["id_kind_not_allowed"]);
    assert_eq!(issues[0].str_param("kind"), Some("hk_id"));
    assert_eq!(
        issues[0].message(shiming::Locale::ZhCn),
        "这是香港身份证号码，此处需要居民身份证号码"
    );
    // A mainland ID where only Hong Kong IDs are accepted.
    assert_eq!(
        error_codes("11010519491231002X", &only(IdKind::HkId)),
        ["id_kind_not_allowed"]
    );
    // Garbage where only Hong Kong IDs are accepted: no mainland-specific length message.
    assert_eq!(
        error_codes("hello", &only(IdKind::HkId)),
        ["id_format_unrecognized"]
    );
    // A mistyped mainland number still gets the length message by default.
    assert_eq!(
        error_codes("11010519491231002", &options()),
        ["id_invalid_length"]
    );
    assert_eq!(error_codes("hello", &options()), ["id_format_unrecognized"]);
    // Found by the fuzzer: a valid permanent residence ID where only resident IDs are allowed is
    // "not allowed" on every path (the fast paths once reported the resident check's region error).
    let resident_only = only(IdKind::CnResident);
    assert_eq!(
        error_codes("932682198501010017", &resident_only),
        ["id_kind_not_allowed"]
    );
    let report = shiming::check_id_batch(b"932682198501010017\n", &resident_only);
    assert_eq!(
        shiming::BatchReport::code_of_status(report.status[0]),
        Some(Code::IdKindNotAllowed)
    );
}

/// Every kind's test numbers pass as that kind, alone and among all kinds.
#[test]
fn generated_numbers_of_every_kind_pass() {
    for kind in IdKind::ALL {
        for seed in 0..200 {
            let spec = TestIdSpec {
                kind,
                birth_date: None,
                gender: None,
                region: None,
                seed,
            };
            let number = generate_test_id(&spec).unwrap();
            let checked = check_id(&number, &only(kind))
                .unwrap_or_else(|e| panic!("{kind:?} {number}: {e:?}"));
            assert_eq!(checked.value.kind, kind);
            assert!(is_valid_id(&number, &only(kind)));
            let personal = kind != IdKind::Uscc;
            assert_eq!(
                is_valid_id(&number, &options()),
                personal,
                "{kind:?} {number}"
            );
        }
    }
}

fn generated(kind: IdKind, seed: u64) -> String {
    generate_test_id(&TestIdSpec {
        kind,
        birth_date: None,
        gender: None,
        region: None,
        seed,
    })
    .unwrap()
}

/// Replaces the character at `index` by `with`.
fn substitute(number: &str, index: usize, with: char) -> String {
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i == index { with } else { c })
        .collect()
}

proptest! {
    /// MOD 11 with weights 9…2 catches every single digit substitution in a Hong Kong ID.
    #[test]
    fn hk_id_catches_digit_substitutions(seed in 0u64..10_000, position in 0usize..6, digit in 0u8..10) {
        let number = generated(IdKind::HkId, seed);
        let letters = number.chars().take_while(char::is_ascii_uppercase).count();
        let index = letters + position;
        let with = char::from(b'0' + digit);
        prop_assume!(number.chars().nth(index) != Some(with));
        prop_assert!(!is_valid_id(&substitute(&number, index, with), &only(IdKind::HkId)));
    }

    /// The Taiwan checksum (mod 10) catches a substitution at every place whose weight is coprime
    /// to 10 (weights 7, 3 and 1, and the check digit); other places are caught only for some
    /// changes, which is the scheme's known weakness.
    #[test]
    fn tw_id_catches_substitutions_at_odd_weights(seed in 0u64..10_000, index in prop::sample::select(vec![2usize, 6, 8, 9]), digit in 0u8..10) {
        let number = generated(IdKind::TwId, seed);
        let with = char::from(b'0' + digit);
        prop_assume!(number.chars().nth(index) != Some(with));
        prop_assert!(!is_valid_id(&substitute(&number, index, with), &only(IdKind::TwId)));
    }

    /// MOD 31 with weights nonzero mod 31 catches every single substitution in a credit code:
    /// an error by default, and an error or the pilot-era warning when that leniency is on.
    #[test]
    fn uscc_catches_every_substitution(seed in 0u64..10_000, index in 0usize..18, with in prop::sample::select(b"0123456789ABCDEFGHJKLMNPQRTUWXY".to_vec())) {
        let number = generated(IdKind::Uscc, seed);
        let with = char::from(with);
        prop_assume!(number.chars().nth(index) != Some(with));
        let changed = substitute(&number, index, with);
        prop_assert!(!is_valid_id(&changed, &only(IdKind::Uscc)));
        match check_id(&changed, &only(IdKind::Uscc).with_pilot_era(true)) {
            Err(_) => {}
            Ok(checked) => prop_assert!(checked.warnings.iter().any(|w| w.code == Code::IdChecksumPilotEra)),
        }
    }

    /// MOD 11-2 on the 2023 permanent residence ID catches every single substitution.
    #[test]
    fn permanent_residence_id_catches_every_substitution(seed in 0u64..10_000, index in 0usize..18, digit in 0u8..10) {
        let number = generated(IdKind::ForeignPermanentResident, seed);
        let with = char::from(b'0' + digit);
        prop_assume!(number.chars().nth(index) != Some(with));
        prop_assert!(!is_valid_id(&substitute(&number, index, with), &only(IdKind::ForeignPermanentResident)));
    }

    /// Detection never panics, and the full check, the fast check and the batch agree on every
    /// input under every set of allowed kinds (the fast paths skip detection only when it
    /// cannot change the outcome).
    #[test]
    fn detection_agrees_with_the_fast_paths(
        input in prop_oneof![
            "[0-9A-Za-z() ]{0,20}",
            "9?[0-9]{14,17}[0-9X]",
            "[0-9]{17}[0-9A-Y]",
            "[0-9A-HJ-NPQRTUWXY]{18}",
            "[HMhm][A ]?[0-9]{6,8}",
            "[0-9A-Y]{1,2} ?[0-9A-Y]{0,2} [0-9]{6} [0-9A-Y]{9} ?[0-9A-Y]",
            "[0-9]{6} [0-9]{4} ?[0-9]{4} [0-9]{3} ?[0-9X]",
        ],
        kind_bits in 1u32..(1 << 11),
        pilot_era in any::<bool>(),
    ) {
        let kinds: KindSet = IdKind::ALL.iter().copied().filter(|k| kind_bits & (1 << *k as u32) != 0).collect();
        let options = options().with_kinds(kinds).with_pilot_era(pilot_era);
        let full = check_id(&input, &options);
        prop_assert_eq!(full.is_ok(), is_valid_id(&input, &options));
        let report = shiming::check_id_batch(format!("{input}\n").as_bytes(), &options);
        let first = full.err().map(|issues| issues[0].code);
        prop_assert_eq!(report.status.first().copied().and_then(shiming::BatchReport::code_of_status), first);
    }
}

/// The lines of `inputs` checked as a batch: each line's status code.
fn batch_codes(inputs: &[&str], options: &IdOptions) -> Vec<Option<Code>> {
    let text: String = inputs.iter().map(|i| format!("{i}\n")).collect();
    shiming::check_id_batch(text.as_bytes(), options)
        .status
        .iter()
        .map(|&s| shiming::BatchReport::code_of_status(s))
        .collect()
}

#[test]
fn home_return_permits_for_non_chinese_nationals() {
    // 港澳居民来往内地通行证（非中国籍）, issued since 2024-07-10: HA or MA and 7 digits. "HA1234567" is
    // also the shape of the Hong Kong ID HA123456(7), whose check character would be 9.
    for (number, jurisdiction) in [
        ("HA1234567", "hk"),
        ("MA1234567", "mo"),
        ("ha1234567", "hk"),
    ] {
        let checked = check_id(number, &options()).unwrap_or_else(|e| panic!("{number}: {e:?}"));
        assert_eq!(
            checked.value.kind,
            IdKind::HkMacaoHomeReturnPermit,
            "{number}"
        );
        assert_eq!(
            checked.value.jurisdiction.map(Jurisdiction::as_str),
            Some(jurisdiction)
        );
        assert!(
            codes(&checked.warnings).contains(&"id_format_only"),
            "{number}"
        );
        assert!(!codes(&checked.warnings).contains(&"id_kind_ambiguous"));
        assert!(is_valid_id(number, &only(IdKind::HkMacaoHomeReturnPermit)));
    }
    // A valid Hong Kong ID of the same shape: the kind confirmed by its check character first,
    // the permit named as the alternative.
    for number in ["HA1234569", "MA1234568"] {
        let checked = check_id(number, &options()).unwrap();
        assert_eq!(checked.value.kind, IdKind::HkId, "{number}");
        let ambiguous = checked
            .warnings
            .iter()
            .find(|w| w.code == Code::IdKindAmbiguous)
            .expect("ambiguous");
        assert_eq!(
            ambiguous.list_param("alternatives"),
            Some(&["hk_macao_home_return_permit"][..])
        );
        // Without the Hong Kong ID, the permit alone.
        let permit = check_id(number, &only(IdKind::HkMacaoHomeReturnPermit)).unwrap();
        assert_eq!(permit.value.kind, IdKind::HkMacaoHomeReturnPermit);
        assert_eq!(codes(&permit.warnings), ["id_format_only"]);
    }
    // On a form for Hong Kong IDs only, the permit is named, as for any valid number of another kind.
    assert_eq!(
        error_codes("HA1234567", &only(IdKind::HkId)),
        ["id_kind_not_allowed"]
    );
    // Not the new format: 8 digits after HA, or 6.
    for not_a_permit in ["HA12345678", "HA123456", "HB1234567X"] {
        assert!(
            check_id(not_a_permit, &only(IdKind::HkMacaoHomeReturnPermit)).is_err(),
            "{not_a_permit}"
        );
    }
    // The older cards are unchanged.
    assert_eq!(kind_of("H12345678"), IdKind::HkMacaoHomeReturnPermit);
    assert_eq!(kind_of("M1234567801"), IdKind::HkMacaoHomeReturnPermit);
    // Every path agrees.
    let inputs = ["HA1234567", "MA1234568", "HA1234569", "HA12345678"];
    for kinds in [
        options(),
        only(IdKind::HkId),
        only(IdKind::HkMacaoHomeReturnPermit),
    ] {
        let expected: Vec<Option<Code>> = inputs
            .iter()
            .map(|i| check_id(i, &kinds).err().map(|issues| issues[0].code))
            .collect();
        assert_eq!(batch_codes(&inputs, &kinds), expected);
        for input in inputs {
            assert_eq!(is_valid_id(input, &kinds), check_id(input, &kinds).is_ok());
        }
    }
}

#[test]
fn credit_code_pilot_era_leniency_is_opt_in() {
    let strict = only(IdKind::Uscc);
    assert!(!strict.allow_pilot_era);
    // By default a wrong check character is a checksum mismatch, naming the expected one.
    let issues = check_id("91110000600037341M", &strict).unwrap_err();
    assert_eq!(codes(&issues), ["id_checksum_mismatch"]);
    assert_eq!(issues[0].char_param("expected"), Some('L'));
    assert!(!is_valid_id("91110000600037341M", &strict));
    // Opted in: accepted with the pilot-era warning when the organisation code checks.
    let lenient = only(IdKind::Uscc).with_pilot_era(true);
    assert!(lenient.allow_pilot_era);
    assert_eq!(
        warning_codes("91110000600037341M", &lenient),
        ["id_checksum_pilot_era"]
    );
    assert!(is_valid_id("91110000600037341M", &lenient));
    // Still strict where resident IDs are accepted too, and for a wrong organisation code.
    let both = lenient
        .clone()
        .with_kinds(KindSet::empty().with(IdKind::CnResident).with(IdKind::Uscc));
    assert_eq!(
        error_codes("91110000600037341M", &both),
        ["id_checksum_mismatch"]
    );
    assert_eq!(
        error_codes("91110000600037342L", &lenient)[0],
        "id_org_code_checksum_mismatch"
    );
    // The batch agrees either way.
    for options in [&strict, &lenient] {
        assert_eq!(
            batch_codes(&["91110000600037341M", "91110000600037341L"], options),
            [
                check_id("91110000600037341M", options)
                    .err()
                    .map(|i| i[0].code),
                None
            ]
        );
    }
}

#[test]
fn grouped_credit_codes() {
    let organisation = only(IdKind::Uscc);
    // Written in the groups of its fields (authority + type, division, organisation code, check),
    // with single spaces: folded, and reported.
    for grouped in [
        "91 110000 600037341L",
        "9 1 110000 600037341 L",
        "91 110000 600037341 L",
        "91110000 600037341L",
        "９１ １１００００ ６０００３７３４１Ｌ",
    ] {
        let checked =
            check_id(grouped, &organisation).unwrap_or_else(|e| panic!("{grouped}: {e:?}"));
        assert_eq!(checked.value.normalized, "91110000600037341L", "{grouped}");
        assert!(
            codes(&checked.warnings).contains(&"id_spaces_removed"),
            "{grouped}"
        );
        assert!(is_valid_id(grouped, &organisation));
    }
    // A grouped credit code with a wrong check character says so.
    let issues = check_id("91 110000 600037341M", &organisation).unwrap_err();
    assert_eq!(codes(&issues), ["id_checksum_mismatch"]);
    assert_eq!(issues[0].char_param("expected"), Some('L'));
    // On a personal form it is recognised as a credit code, and refused.
    assert_eq!(
        error_codes("91 110000 600037341L", &options()),
        ["id_kind_not_allowed"]
    );
    // Spaces elsewhere than between fields, or doubled, are not folded.
    for not_grouped in [
        "9111 0000 6000 3734 1L",
        "91  110000 600037341L",
        "91 110000 6000 37341L",
    ] {
        assert!(
            check_id(not_grouped, &organisation).is_err(),
            "{not_grouped}"
        );
    }
    // Hong Kong IDs keep their spaces before the digits and the check character.
    let checked = check_id("A 123456 (3)", &options()).unwrap();
    assert_eq!(checked.value.kind, IdKind::HkId);
    assert!(checked.warnings.is_empty());
    // Every path agrees.
    let inputs = [
        "91 110000 600037341L",
        "91 110000 600037341M",
        "9111 0000 6000 3734 1L",
    ];
    for kinds in [options(), organisation] {
        let expected: Vec<Option<Code>> = inputs
            .iter()
            .map(|i| check_id(i, &kinds).err().map(|issues| issues[0].code))
            .collect();
        assert_eq!(batch_codes(&inputs, &kinds), expected);
    }
}
