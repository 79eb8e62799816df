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
use shiming::{
    check_phone, check_phone_with, is_valid_phone, Code, Locale, PhoneOptions, PhoneRegion,
};

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
    assert_eq!(class("13481234567"), Some(SegmentClass::ChinaMobile));
    assert_eq!(class("13401234567"), Some(SegmentClass::ChinaMobile));
    assert_eq!(class("17301234567"), Some(SegmentClass::ChinaTelecom));
    assert_eq!(class("17012345678"), Some(SegmentClass::Virtual));
    assert_eq!(class("14512345678"), Some(SegmentClass::DataOnly));
    assert_eq!(warnings("14512345678"), [Code::PhoneDataOnly]);
    assert_eq!(warnings("14212345678"), [Code::PhoneSegmentUnassigned]);
    assert_eq!(warnings("16812345678"), [Code::PhoneSegmentUnknown]);
    assert_eq!(class("16812345678"), None);
    assert_eq!(class("17406123456"), None);
}

#[test]
fn iot_segments_have_no_11_digit_numbers_and_are_refused() {
    for number in [
        "14112345678",
        "14101234567",
        "14412345678",
        "14401234567",
        "14612345678",
        "14812345678",
        "+86 148 1234 5678",
        "8614612345678",
    ] {
        assert_eq!(codes(number), ["phone_segment_iot"], "{number}");
    }
    let issues = check_phone("14812345678", &PhoneOptions::default()).unwrap_err();
    assert_eq!(
        issues[0].message(Locale::ZhCn),
        "该号段为物联网专用号段（13 位号码），不是手机号码"
    );
    // The neighbouring data-only segments are still numbers (with a warning).
    assert_eq!(warnings("14512345678"), [Code::PhoneDataOnly]);
    assert_eq!(warnings("14712345678"), [Code::PhoneDataOnly]);
}

#[test]
fn satellite_segments_are_labelled_satellite_not_the_carrier() {
    let segment = |n: &str| {
        let checked = check_phone(n, &PhoneOptions::default()).unwrap();
        assert!(checked.warnings.is_empty(), "{n}");
        checked.value.segment.unwrap()
    };
    for number in ["13491234567", "17400123456", "17405123456"] {
        assert_eq!(
            segment(number).class,
            Some(SegmentClass::Satellite),
            "{number}"
        );
    }
    assert_eq!(segment("13491234567").prefix, "1349");
    assert_eq!(segment("17403123456").prefix, "17403");
    assert_eq!(SegmentClass::Satellite.as_str(), "satellite");
    assert_eq!(SegmentClass::Iot.as_str(), "iot");
}

#[test]
fn one_region_reads_a_number_without_country_code_as_that_region() {
    let only = |region: PhoneRegion| PhoneOptions {
        regions: vec![region],
    };
    let hk = check_phone("91234567", &only(PhoneRegion::Hk))
        .unwrap()
        .value;
    assert_eq!(
        (hk.region, hk.e164.as_str()),
        (PhoneRegion::Hk, "+85291234567")
    );
    let twice = PhoneOptions {
        regions: vec![PhoneRegion::Hk, PhoneRegion::Hk],
    };
    assert_eq!(
        check_phone("9123 4567", &twice).unwrap().value.region,
        PhoneRegion::Hk
    );
    let mo = check_phone("6612 3456", &only(PhoneRegion::Mo))
        .unwrap()
        .value;
    assert_eq!(mo.e164, "+85366123456");
    for written in ["0912-345-678", "912 345 678"] {
        let tw = check_phone(written, &only(PhoneRegion::Tw)).unwrap().value;
        assert_eq!(tw.e164, "+886912345678", "{written}");
    }
    let cn = check_phone("8613812345678", &only(PhoneRegion::Cn))
        .unwrap()
        .value;
    assert_eq!(cn.e164, "+8613812345678");
    // Wrong for the one region: that region's rules answer, not a request for a country code.
    let code =
        |input: &str, region: PhoneRegion| check_phone(input, &only(region)).unwrap_err()[0].code;
    assert_eq!(code("31234567", PhoneRegion::Hk), Code::PhoneInvalidPrefix);
    assert_eq!(code("912345678", PhoneRegion::Hk), Code::PhoneInvalidLength);
    assert_eq!(code("91234567", PhoneRegion::Cn), Code::PhoneInvalidLength);
    // A country code still says where the number is from.
    assert_eq!(
        code("+86 138 1234 5678", PhoneRegion::Hk),
        Code::PhoneRegionNotAllowed
    );
    // With several regions an 8-digit number stays ambiguous.
    let hk_or_mo = PhoneOptions {
        regions: vec![PhoneRegion::Hk, PhoneRegion::Mo],
    };
    assert_eq!(
        check_phone("91234567", &hk_or_mo).unwrap_err()[0].code,
        Code::PhoneCountryCodeRequired
    );
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
    // A table can class a segment `iot`, and the numbers in it are refused.
    let iot = SegmentTable::parse("2026-02", "test", rows(&[("140", "iot")])).unwrap();
    let refused = check_phone_with("14012345678", &PhoneOptions::default(), &iot).unwrap_err();
    assert_eq!(refused[0].code, Code::PhoneSegmentIot);
    // A table written before `iot` and `satellite` existed still parses, and without an `iot`
    // row nothing is refused as IoT.
    let old = SegmentTable::parse(
        "2022-old",
        "a table from before the iot and satellite classes",
        rows(&[
            ("138", "china_mobile"),
            ("130", "china_unicom"),
            ("1349", "china_telecom"),
            ("192", "china_broadnet"),
            ("170", "virtual"),
            ("145", "data_only"),
            ("142", "unassigned"),
        ]),
    )
    .unwrap();
    let checked = check_phone_with("14812345678", &PhoneOptions::default(), &old).unwrap();
    assert_eq!(checked.warnings[0].code, Code::PhoneSegmentUnknown);
    let checked = check_phone_with("13491234567", &PhoneOptions::default(), &old).unwrap();
    assert_eq!(
        checked.value.segment.unwrap().class,
        Some(SegmentClass::ChinaTelecom)
    );
    for class in SegmentClass::ALL {
        assert_eq!(SegmentClass::parse(class.as_str()), Some(class));
    }
    // The shipped table parsed completely.
    assert!(SegmentTable::default_table().len() > 70);
    assert_eq!(
        SegmentTable::default_table().version(),
        "2022-miit+iot-satellite"
    );
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(input in "\\PC{0,40}") {
        let _ = check_phone(&input, &PhoneOptions::default());
    }

    /// The boolean path is the full check's verdict, on any input and any set of regions: near
    /// misses of every region's shapes (country codes, trunk prefixes, separators, full-width
    /// digits, a `+` in the wrong place) as well as arbitrary text.
    #[test]
    fn is_valid_phone_agrees_with_check_phone(
        input in prop_oneof![
            "\\PC{0,40}",
            "(\\+|00|\\+ )?(86|852|853|886)?[ -]?0?1?[0-9]{0,12}",
            "[0-9０-９ +\\-().]{0,20}",
        ],
        regions in proptest::sample::subsequence(PhoneRegion::ALL.to_vec(), 1..=4),
    ) {
        let options = PhoneOptions { regions };
        prop_assert_eq!(
            is_valid_phone(&input, &options),
            check_phone(&input, &options).is_ok(),
            "{:?} {:?}", input, options.regions
        );
    }

    #[test]
    fn every_mainland_mobile_number_is_valid(second in 3u8..=9, rest in 0u64..1_000_000_000) {
        let number = format!("1{second}{rest:09}");
        let checked = check_phone(&number, &PhoneOptions::default());
        // Except in the IoT segments, which have no 11-digit numbers.
        if ["141", "144", "146", "148"].iter().any(|p| number.starts_with(p)) {
            prop_assert_eq!(checked.unwrap_err()[0].code, Code::PhoneSegmentIot);
        } else {
            prop_assert!(checked.is_ok());
            prop_assert_eq!(checked.unwrap().value.e164, format!("+86{number}"));
        }
    }
}
