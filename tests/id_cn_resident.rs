//! The mainland resident ID check through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg(not(target_arch = "wasm32"))]

use shiming::{
    check_id, check_id_batch, is_valid_id, BatchReport, Code, Date, Gender, IdKind, IdOptions,
    KindSet, Locale, ParamValue,
};

fn as_of() -> IdOptions {
    // Every personal kind: these tests are about the schemes (the defaults: tests/gates.rs).
    IdOptions::new(Date::new(2026, 11, 28).unwrap()).with_kinds(KindSet::personal())
}

fn codes(input: &str, options: &IdOptions) -> Vec<&'static str> {
    match check_id(input, options) {
        Ok(_) => vec![],
        Err(issues) => issues.iter().map(|i| i.code.as_str()).collect(),
    }
}

#[test]
fn standard_examples_are_valid() {
    let checked = check_id("11010519491231002X", &as_of()).unwrap();
    let v = checked.value;
    assert_eq!(v.kind, IdKind::CnResident);
    assert_eq!(v.normalized, "11010519491231002X");
    assert_eq!(v.birth_date, Date::new(1949, 12, 31));
    assert_eq!(v.gender, Some(Gender::Female));
    let region = v.region.unwrap();
    assert_eq!(region.code, "110105");
    assert_eq!(region.province, Some("北京市"));
    assert_eq!(region.county, Some("朝阳区"));
    assert!(checked.warnings.is_empty());

    // 440524188001010014 is born in 1880: valid as of the standard's time, too old today.
    let in_1999 = IdOptions::new(Date::new(1999, 7, 1).unwrap()).with_kinds(KindSet::personal());
    assert!(check_id("440524188001010014", &in_1999).is_ok());
    assert_eq!(
        codes("440524188001010014", &as_of()),
        ["id_birth_date_too_old"]
    );
}

#[test]
fn checksum_message_names_the_expected_character() {
    let issues = check_id("110105194912310021", &as_of()).unwrap_err();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].code, Code::IdChecksumMismatch);
    assert_eq!(issues[0].param("expected"), Some(&ParamValue::Char('X')));
    assert_eq!(
        issues[0].message(Locale::ZhCn),
        "身份证号码校验码错误：第 18 位应为 X"
    );
    assert_eq!(
        issues[0].message(Locale::En),
        "The check character is wrong: character 18 should be X"
    );
    // The message never repeats the number.
    assert!(!issues[0].message(Locale::En).contains("11010519491231"));
}

#[test]
fn normalisation_is_reported() {
    let checked = check_id(" １１０１０５１９４９１２３１００２ｘ\u{3000}", &as_of()).unwrap();
    assert_eq!(checked.value.normalized, "11010519491231002X");
    let warnings: Vec<_> = checked.warnings.iter().map(|w| w.code).collect();
    assert_eq!(
        warnings,
        [
            Code::IdWhitespaceTrimmed,
            Code::IdFullwidthFolded,
            Code::IdLowercaseXFolded
        ]
    );
    let lower = check_id("11010519491231002x", &as_of()).unwrap();
    assert_eq!(lower.warnings[0].code, Code::IdLowercaseXFolded);
    assert!(is_valid_id("11010519491231002x", &as_of()));
}

#[test]
fn spaces_and_letters_inside_are_never_digits() {
    let issues = check_id("110105 19491231002X", &as_of()).unwrap_err();
    assert_eq!(issues[0].code, Code::IdInvalidLength);
    let issues = check_id("1101051949123100 X", &as_of()).unwrap_err();
    assert_eq!(issues[0].code, Code::IdInvalidCharacter);
    assert_eq!(issues[0].int_param("position"), Some(17));
    let issues = check_id("11010519491231A02X", &as_of()).unwrap_err();
    assert_eq!(issues[0].int_param("position"), Some(15));
    assert_eq!(
        codes("11010519491231002Y", &as_of()),
        ["id_invalid_character"]
    );
    assert_eq!(codes("1101051949123１002X", &as_of()), Vec::<&str>::new());
}

#[test]
fn empty_and_oversized_inputs() {
    assert_eq!(codes("", &as_of()), ["id_empty"]);
    assert_eq!(codes(" \t\u{3000}", &as_of()), ["id_empty"]);
    let long = "1".repeat(65);
    assert_eq!(codes(&long, &as_of()), ["id_too_long"]);
    let huge = "9".repeat(16 << 20);
    assert_eq!(codes(&huge, &as_of()), ["id_too_long"]);
    assert!(!is_valid_id(&huge, &as_of()));
    assert_eq!(codes("11010519491231002", &as_of()), ["id_invalid_length"]);
}

#[test]
fn birth_dates() {
    // 30 February 1990, with a correct check character for those digits.
    assert_eq!(
        codes(&with_check("11010119900230123"), &as_of()),
        ["id_birth_date_invalid"]
    );
    assert_eq!(
        codes(&with_check("11010100000101123"), &as_of()),
        ["id_birth_date_invalid"]
    );
    assert_eq!(
        codes(&with_check("11010119901301123"), &as_of()),
        ["id_birth_date_invalid"]
    );
    assert_eq!(
        codes(&with_check("11010120261129123"), &as_of()),
        ["id_birth_date_in_future"]
    );
    assert!(check_id(&with_check("11010120261128123"), &as_of()).is_ok());
    // 29 February exists only in leap years.
    assert!(check_id(&with_check("11010120000229123"), &as_of()).is_ok());
    assert_eq!(
        codes(&with_check("11010119000229123"), &as_of()),
        ["id_birth_date_invalid"]
    );
}

#[test]
fn region_history() {
    // jxlwqq/id-validator #53: 开州区 500154 was created in 2016; this person was born in 1993.
    assert!(check_id("500154199301135886", &as_of()).is_ok());
    // 110200 (北京 县) ended in 2014: fine for someone born in 1990, not for someone born in 2020.
    assert!(check_id(&with_check("11020019900101123"), &as_of()).is_ok());
    assert_eq!(
        codes(&with_check("11020020200101123"), &as_of()),
        ["id_region_abolished"]
    );
    let issues = check_id(&with_check("11020020200101123"), &as_of()).unwrap_err();
    assert_eq!(issues[0].int_param("lastYear"), Some(2014));
    // Within the tolerance: born 2016, code ended 2014.
    assert!(check_id(&with_check("11020020160101123"), &as_of()).is_ok());
    // Unknown province.
    assert_eq!(
        codes(&with_check("99010119900101123"), &as_of()),
        ["id_region_invalid"]
    );
    assert_eq!(
        codes(&with_check("00010119900101123"), &as_of()),
        ["id_region_invalid"]
    );
    // Plausible but unknown code: a warning.
    let checked = check_id(&with_check("11019919900101123"), &as_of()).unwrap();
    assert_eq!(checked.warnings[0].code, Code::IdRegionUnknown);
    assert_eq!(checked.value.region.unwrap().province, Some("北京市"));
}

#[test]
fn every_independent_issue_is_reported() {
    // Wrong check, impossible date and unknown province, all at once.
    let issues = check_id("000101199002301231", &as_of()).unwrap_err();
    let got: Vec<_> = issues.iter().map(|i| i.code).collect();
    assert_eq!(
        got,
        [
            Code::IdChecksumMismatch,
            Code::IdBirthDateInvalid,
            Code::IdRegionInvalid
        ]
    );
}

#[test]
fn legacy_numbers_upgrade() {
    let checked = check_id("110105491231002", &as_of()).unwrap();
    assert_eq!(checked.value.kind, IdKind::CnResidentLegacy);
    assert_eq!(
        checked.value.upgraded.as_deref(),
        Some("11010519491231002X")
    );
    assert_eq!(checked.value.birth_date, Date::new(1949, 12, 31));
    assert!(checked
        .warnings
        .iter()
        .any(|w| w.code == Code::IdLegacyFormat));
    // `00` is 1900, never 2000.
    let checked = check_id("110105000101003", &as_of()).unwrap();
    assert_eq!(checked.value.birth_date, Date::new(1900, 1, 1));
    assert_eq!(
        codes("110105490230002", &as_of()),
        ["id_birth_date_invalid"]
    );
    assert_eq!(codes("11010549123100X", &as_of()), ["id_invalid_character"]);
}

#[test]
fn kinds_restrict_what_is_accepted() {
    let only_18 = as_of().with_kinds(KindSet::empty().with(IdKind::CnResident));
    let issues = check_id("110105491231002", &only_18).unwrap_err();
    assert_eq!(issues[0].code, Code::IdKindNotAllowed);
    assert_eq!(
        issues[0].param("kind"),
        Some(&ParamValue::Str("cn_resident_legacy"))
    );
    assert_eq!(
        issues[0].message(Locale::ZhCn),
        "这是第一代 15 位身份证号码，此处需要居民身份证号码"
    );
    assert!(!is_valid_id("110105491231002", &only_18));
    let only_15 = as_of().with_kinds(KindSet::empty().with(IdKind::CnResidentLegacy));
    assert_eq!(
        codes("11010519491231002X", &only_15),
        ["id_kind_not_allowed"]
    );
}

#[test]
fn batch_counts_and_statuses() {
    let text =
        b"11010519491231002X\n110105194912310021\r\n\n110105491231002\n11010519491231002x\n99\n";
    let report = check_id_batch(text, &as_of());
    assert_eq!(report.total, 6);
    assert_eq!(report.valid, 3);
    assert_eq!(report.invalid, 3);
    let status_codes: Vec<_> = report
        .status
        .iter()
        .map(|&s| BatchReport::code_of_status(s))
        .collect();
    assert_eq!(
        status_codes,
        [
            None,
            Some(Code::IdChecksumMismatch),
            Some(Code::IdEmpty),
            None,
            None,
            Some(Code::IdInvalidLength)
        ]
    );
    assert_eq!(
        report.by_code(),
        [
            (Code::IdEmpty, 1),
            (Code::IdInvalidLength, 1),
            (Code::IdChecksumMismatch, 1)
        ]
    );
    assert_eq!(check_id_batch(b"", &as_of()).total, 0);
    // Invalid UTF-8 is a bad character, not a crash.
    let report = check_id_batch(b"\xff\xfe110105194912310\n", &as_of());
    assert_eq!(report.total, 1);
    assert_eq!(report.invalid, 1);
}

/// The 17 digits plus their MOD 11-2 check character.
pub fn with_check(d17: &str) -> String {
    let digits: Vec<u8> = d17.bytes().map(|c| c - b'0').collect();
    let digits: [u8; 17] = digits.try_into().unwrap();
    let mut s = d17.to_string();
    s.push(char::from(shiming::id::mod11_2::check_char(&digits)));
    s
}

#[test]
fn batch_short_lines_are_not_merged() {
    // Found by the fuzzer: a newline inside the first 18 bytes must end the line.
    let mut text = b"a\n".repeat(9);
    text.extend_from_slice(b"\nb");
    let report = check_id_batch(&text, &as_of());
    assert_eq!(report.total, 11);
    assert_eq!(report.invalid, 11);
    let report = check_id_batch(b"11010519491231002X", &as_of());
    assert_eq!((report.total, report.valid), (1, 1));
}

#[test]
fn generated_test_ids_are_valid_deterministic_and_follow_the_spec() {
    use shiming::{generate_test_id, TestIdError, TestIdSpec};
    for seed in 0..2_000u64 {
        let spec = TestIdSpec {
            kind: IdKind::CnResident,
            birth_date: None,
            gender: None,
            region: None,
            seed,
        };
        let id = generate_test_id(&spec).unwrap();
        assert!(check_id(&id, &as_of()).is_ok(), "{seed}: {id}");
        assert_eq!(generate_test_id(&spec).unwrap(), id, "not deterministic");
        let legacy = generate_test_id(&TestIdSpec {
            kind: IdKind::CnResidentLegacy,
            ..spec
        })
        .unwrap();
        assert_eq!(
            check_id(&legacy, &as_of()).unwrap().value.kind,
            IdKind::CnResidentLegacy
        );
    }
    let spec = TestIdSpec {
        kind: IdKind::CnResident,
        birth_date: Date::new(2012, 2, 29),
        gender: Some(Gender::Female),
        region: Some(330106),
        seed: 7,
    };
    let value = check_id(&generate_test_id(&spec).unwrap(), &as_of())
        .unwrap()
        .value;
    assert_eq!(value.birth_date, Date::new(2012, 2, 29));
    assert_eq!(value.gender, Some(Gender::Female));
    assert_eq!(value.region.unwrap().code, "330106");
    assert_eq!(
        generate_test_id(&TestIdSpec {
            region: Some(990101),
            ..spec.clone()
        }),
        Err(TestIdError::RegionNotInUse)
    );
    assert_eq!(
        generate_test_id(&TestIdSpec {
            kind: IdKind::CnResidentLegacy,
            ..spec
        }),
        Err(TestIdError::LegacyYearOutOfRange)
    );
}

#[test]
fn residence_permits_for_hong_kong_macau_taiwan_residents() {
    // 国办发〔2018〕81号: the resident ID layout with the address code exactly 810000/820000/830000.
    for (code, province) in [("810000", "香港特别行政区"), ("820000", "澳门特别行政区")]
    {
        let id = with_check(&format!("{code}19940823002"));
        let checked = check_id(&id, &as_of()).unwrap();
        assert_eq!(checked.value.kind, IdKind::HkMacaoTaiwanResidencePermit);
        assert_eq!(checked.value.birth_date, Date::new(1994, 8, 23));
        assert_eq!(checked.value.region.unwrap().province, Some(province));
        assert!(checked.warnings.is_empty());
        assert!(is_valid_id(&id, &as_of()));
    }
    assert_eq!(
        check_id(&with_check("83000019940823002"), &as_of())
            .unwrap()
            .value
            .kind,
        IdKind::HkMacaoTaiwanResidencePermit
    );
    // Any other 81/82/83 code is no document's (peer bug: accepting any 81xxxx).
    assert_eq!(
        codes(&with_check("81000119940823002"), &as_of()),
        ["id_region_invalid"]
    );
    assert_eq!(
        codes(&with_check("83010119940823002"), &as_of()),
        ["id_region_invalid"]
    );
    // A form that needs a mainland ID says what this number is.
    let mainland_only = as_of().with_kinds(KindSet::empty().with(IdKind::CnResident));
    let issues = check_id(&with_check("81000019940823002"), &mainland_only).unwrap_err();
    assert_eq!(issues[0].code, Code::IdKindNotAllowed);
    assert_eq!(
        issues[0].message(Locale::ZhCn),
        "这是港澳台居民居住证号码，此处需要居民身份证号码"
    );
    let report = check_id_batch(
        format!(
            "{}\n{}\n",
            with_check("81000019940823002"),
            with_check("81000119940823002")
        )
        .as_bytes(),
        &mainland_only,
    );
    assert_eq!(
        report
            .status
            .iter()
            .map(|&s| BatchReport::code_of_status(s))
            .collect::<Vec<_>>(),
        [Some(Code::IdKindNotAllowed), Some(Code::IdRegionInvalid)]
    );
    let test_id = shiming::generate_test_id(&shiming::TestIdSpec {
        kind: IdKind::HkMacaoTaiwanResidencePermit,
        birth_date: None,
        gender: None,
        region: None,
        seed: 3,
    })
    .unwrap();
    assert_eq!(
        check_id(&test_id, &as_of()).unwrap().value.kind,
        IdKind::HkMacaoTaiwanResidencePermit
    );
}
