//! Mobile numbers through the public API.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use shiming::phone::{SegmentClass, SegmentTable, SegmentTableError};
use shiming::{check_phone, check_phone_with, Code, Locale, PhoneOptions, PhoneRegion};

fn codes(input: &str) -> Vec<&'static str> {
    match check_phone(input, &PhoneOptions::default()) {
        Ok(_) => vec![],
        Err(issues) => issues.iter().map(|i| i.code.as_str()).collect(),
    }
}

fn warnings(input: &str) -> Vec<Code> {
    check_phone(input, &PhoneOptions::default())
        .unwrap()
        .warnings
        .iter()
        .map(|w| w.code)
        .collect()
}

#[test]
fn mainland_numbers_in_every_written_form() {
    for written in [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "008613812345678",
        "8613812345678",
        "138-1234-5678",
        "(+86) 138.1234.5678",
        "１３８１２３４５６７８",
        " 138 1234 5678 ",
    ] {
        let checked = check_phone(written, &PhoneOptions::default()).unwrap();
        assert_eq!(checked.value.region, PhoneRegion::Cn, "{written}");
        assert_eq!(checked.value.national, "13812345678");
        assert_eq!(checked.value.e164, "+8613812345678");
        let segment = checked.value.segment.unwrap();
        assert_eq!(segment.prefix, "138");
        assert_eq!(segment.class, Some(SegmentClass::ChinaMobile));
    }
    assert_eq!(warnings("138-1234-5678"), [Code::PhoneSeparatorsRemoved]);
    assert_eq!(
        warnings("１３８１２３４５６７８"),
        [Code::PhoneFullwidthFolded]
    );
    assert!(warnings("13812345678").is_empty());
}

#[test]
fn segments_are_warnings_never_errors() {
    let class = |n: &str| {
        check_phone(n, &PhoneOptions::default())
            .unwrap()
            .value
            .segment
            .unwrap()
            .class
    };
    // 16x and 19x were wrongly rejected by many platforms for years.
    assert_eq!(class("16612345678"), Some(SegmentClass::ChinaUnicom));
    assert_eq!(class("19212345678"), Some(SegmentClass::ChinaBroadnet));
    assert_eq!(class("19912345678"), Some(SegmentClass::ChinaTelecom));
    assert_eq!(class("13491234567"), Some(SegmentClass::ChinaTelecom));
    assert_eq!(class("13401234567"), Some(SegmentClass::ChinaMobile));
    assert_eq!(class("17400123456"), Some(SegmentClass::ChinaTelecom));
    assert_eq!(class("17012345678"), Some(SegmentClass::Virtual));
    assert_eq!(class("14512345678"), Some(SegmentClass::DataOnly));
    assert_eq!(warnings("14512345678"), [Code::PhoneDataOnly]);
    assert_eq!(warnings("14212345678"), [Code::PhoneSegmentUnassigned]);
    assert_eq!(warnings("14812345678"), [Code::PhoneSegmentUnknown]);
    assert_eq!(class("14812345678"), None);
}

#[test]
fn hong_kong_macau_taiwan() {
    let v = |n: &str| check_phone(n, &PhoneOptions::default()).unwrap().value;
    let hk = v("+852 9123 4567");
    assert_eq!(
        (hk.region, hk.e164.as_str()),
        (PhoneRegion::Hk, "+85291234567")
    );
    assert!(hk.segment.is_none());
    assert_eq!(v("00853 6612 3456").region, PhoneRegion::Mo);
    let tw = v("0912-345-678");
    assert_eq!(
        (tw.region, tw.national.as_str(), tw.e164.as_str()),
        (PhoneRegion::Tw, "912345678", "+886912345678")
    );
    assert_eq!(v("+886 912 345 678").e164, "+886912345678");
    assert_eq!(codes("+852 3123 4567"), ["phone_invalid_prefix"]);
    assert_eq!(codes("+853 2812 3456"), ["phone_invalid_prefix"]);
    assert_eq!(codes("+886 812 345 678"), ["phone_invalid_prefix"]);
    assert_eq!(codes("+852 9123 456"), ["phone_invalid_length"]);
    assert_eq!(codes("91234567"), ["phone_country_code_required"]);
}

#[test]
fn problems_have_codes_and_messages_without_the_number() {
    assert_eq!(codes(""), ["phone_empty"]);
    assert_eq!(codes(" - "), ["phone_empty"]);
    assert_eq!(codes("+"), ["phone_empty"]);
    assert_eq!(codes("1381234567"), ["phone_invalid_length"]);
    assert_eq!(codes("12812345678"), ["phone_invalid_prefix"]);
    assert_eq!(codes("23812345678"), ["phone_invalid_prefix"]);
    assert_eq!(codes("138123456a8"), ["phone_invalid_character"]);
    assert_eq!(codes("1381+2345678"), ["phone_invalid_character"]);
    assert_eq!(codes("+1 415 555 0100"), ["phone_country_code_unsupported"]);
    assert_eq!(codes(&"1".repeat(33)), ["phone_too_long"]);
    assert_eq!(codes(&"9".repeat(1 << 20)), ["phone_too_long"]);
    let issues = check_phone("1381234567", &PhoneOptions::default()).unwrap_err();
    assert_eq!(
        issues[0].message(Locale::ZhCn),
        "中国内地手机号码应为 11 位数字，当前为 10 位"
    );
    assert_eq!(
        issues[0].message(Locale::En),
        "A mainland China mobile number has 11 digits; this one has 10"
    );
    let issues = check_phone("138123456a8", &PhoneOptions::default()).unwrap_err();
    assert_eq!(issues[0].int_param("position"), Some(10));
    assert!(!issues[0].message(Locale::En).contains("138123"));
}

#[test]
fn regions_restrict_what_is_accepted() {
    let mainland_only = PhoneOptions {
        regions: vec![PhoneRegion::Cn],
    };
    let issues = check_phone("+852 9123 4567", &mainland_only).unwrap_err();
    assert_eq!(issues[0].code, Code::PhoneRegionNotAllowed);
    assert_eq!(issues[0].message(Locale::ZhCn), "此处不接受香港手机号码");
    assert!(check_phone("13812345678", &mainland_only).is_ok());
}

#[test]
fn a_replacement_segment_table_takes_effect_and_bad_tables_are_refused() {
    let rows = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect::<Vec<_>>()
    };
    let table = SegmentTable::parse("2026-01", "test", rows(&[("148", "china_mobile")])).unwrap();
    let checked = check_phone_with("14812345678", &PhoneOptions::default(), &table).unwrap();
    assert_eq!(
        checked.value.segment.unwrap().class,
        Some(SegmentClass::ChinaMobile)
    );
    assert!(checked.warnings.is_empty());
    assert_eq!(
        SegmentTable::parse("", "x", rows(&[("148", "china_mobile")])),
        Err(SegmentTableError::MissingVersion)
    );
    assert!(matches!(
        SegmentTable::parse("v", "x", rows(&[("48", "china_mobile")])),
        Err(SegmentTableError::BadPrefix(_))
    ));
    assert!(matches!(
        SegmentTable::parse("v", "x", rows(&[("148", "china_mobil")])),
        Err(SegmentTableError::BadClass { .. })
    ));
    assert!(matches!(
        SegmentTable::parse("v", "x", rows(&[("148", "virtual"), ("148", "virtual")])),
        Err(SegmentTableError::DuplicatePrefix(_))
    ));
    assert_eq!(
        SegmentTable::parse("v", "x", rows(&[])),
        Err(SegmentTableError::Empty)
    );
    // The shipped table parsed completely.
    assert!(SegmentTable::default_table().len() > 70);
    assert_eq!(SegmentTable::default_table().version(), "2022-miit");
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(input in "\\PC{0,40}") {
        let _ = check_phone(&input, &PhoneOptions::default());
    }

    #[test]
    fn every_mainland_mobile_number_is_valid(second in 3u8..=9, rest in 0u64..1_000_000_000) {
        let number = format!("1{second}{rest:09}");
        let checked = check_phone(&number, &PhoneOptions::default());
        prop_assert!(checked.is_ok());
        prop_assert_eq!(checked.unwrap().value.e164, format!("+86{number}"));
    }
}
