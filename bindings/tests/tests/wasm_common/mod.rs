//! Shared by the wasm-bindgen-test files (Node and browser): the JS API, called as JS would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(dead_code)]

mod consent;
mod wire;
#[allow(unused_imports)] // used by the browser tests only
pub use consent::{consent_js_api, doc as consent_doc, input as consent_input};
pub use wire::{
    cache_collisions_and_failures, every_shape as wire_every_shape,
    random_trees as wire_random_trees,
};

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

pub fn options(as_of: &str, locale: &str) -> Object {
    let o = Object::new();
    Reflect::set(&o, &"asOf".into(), &as_of.into()).unwrap();
    Reflect::set(&o, &"locale".into(), &locale.into()).unwrap();
    o
}

/// `{ locale }`: the options of the checks that take no date (`checkName`, `checkPhone`), which
/// refuse an unknown key such as `asOf`.
pub fn locale_options(locale: &str) -> Object {
    let o = Object::new();
    Reflect::set(&o, &"locale".into(), &locale.into()).unwrap();
    o
}

/// `options` with `kinds` set.
pub fn options_with_kinds(as_of: &str, locale: &str, kinds: &[&str]) -> Object {
    let o = options(as_of, locale);
    let list: Array = kinds.iter().map(|k| JsValue::from_str(k)).collect();
    Reflect::set(&o, &"kinds".into(), &list).unwrap();
    o
}

/// `configure` sets the defaults of later calls (and `null` restores the shipped ones);
/// `identityKey` gives one key per document, the same as the native one.
pub fn configure_and_identity_key() {
    use shiming_checks_js::{configure_js, identity_key_js};
    let hk = || {
        shiming_checks_js::check_id_js("A123456(3)".into(), options("2026-11-28", "en").into())
            .unwrap()
    };
    assert_eq!(get(&hk(), "ok"), JsValue::FALSE, "not a default kind");
    let defaults = Object::new();
    Reflect::set(
        &defaults,
        &"kinds".into(),
        &Array::of2(&"cn_resident".into(), &"hk_id".into()),
    )
    .unwrap();
    let now = configure_js(defaults.into()).unwrap();
    assert_eq!(Array::from(&get(&now, "kinds")).length(), 2);
    assert_eq!(get(&now, "locale"), "zh-CN");
    assert_eq!(get(&hk(), "ok"), JsValue::TRUE, "configured");
    // Garbage throws and changes nothing.
    assert!(configure_js(JsValue::from(5)).is_err());
    assert!(configure_js(Object::new().into()).is_ok());
    assert_eq!(get(&hk(), "ok"), JsValue::TRUE);
    configure_js(JsValue::NULL).unwrap();
    assert_eq!(get(&hk(), "ok"), JsValue::FALSE, "restored");

    let every = options_with_kinds(
        "2026-11-28",
        "en",
        &["cn_resident", "cn_resident_legacy", "hk_id"],
    );
    let key = |s: &str| identity_key_js(s.into(), every.clone().into()).unwrap();
    assert_eq!(key("110105491231002"), "cn_resident:11010519491231002X");
    assert_eq!(key("11010519491231002x"), "cn_resident:11010519491231002X");
    assert_eq!(key("a123456 (3)"), "hk_id:A1234563");
    assert!(key("110105194912310021").is_null());
    assert!(identity_key_js(JsValue::from(5), JsValue::UNDEFINED).is_err());
}

pub fn check_valid_and_invalid() {
    let opts = options("2026-11-28", "en");
    let ok =
        shiming_checks_js::check_id_js("11010519491231002X".into(), opts.clone().into()).unwrap();
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
    let value = get(&ok, "value");
    assert_eq!(get(&value, "kind"), "cn_resident");
    assert_eq!(get(&value, "birthDate"), "1949-12-31");
    assert_eq!(get(&value, "gender"), "female");
    // Region names live outside the .wasm (pkg/regions.js): without them a region is its code.
    assert_eq!(get(&get(&value, "region"), "code"), "110105");
    if !shiming_checks_js::regions::region_names_loaded() {
        assert!(get(&get(&value, "region"), "province").is_undefined());
    }
    assert!(get(&value, "upgraded").is_undefined());

    let bad = shiming_checks_js::check_id_js("110105194912310021".into(), opts.into()).unwrap();
    assert_eq!(get(&bad, "ok"), JsValue::FALSE);
    let issues: Array = get(&bad, "issues").dyn_into().unwrap();
    let first = issues.get(0);
    assert_eq!(get(&first, "code"), "id_checksum_mismatch");
    assert_eq!(get(&get(&first, "params"), "expected"), "X");
    assert_eq!(
        get(&first, "message"),
        "The check character is wrong: character 18 should be X"
    );
    let path: Array = get(&first, "path").dyn_into().unwrap();
    assert_eq!(path.length(), 0);
}

pub fn wrong_types_throw_type_errors() {
    for bad in [
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from(42),
        Object::new().into(),
    ] {
        let err = shiming_checks_js::check_id_js(bad.clone(), JsValue::UNDEFINED).unwrap_err();
        assert!(err.is_instance_of::<js_sys::TypeError>());
        let err = shiming_checks_js::is_valid_id_js(bad.clone(), JsValue::UNDEFINED).unwrap_err();
        assert!(err.is_instance_of::<js_sys::TypeError>());
        let err = shiming_checks_js::check_id_batch_js(bad, JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap_err();
        assert!(err.is_instance_of::<js_sys::TypeError>());
    }
    let bad_date = options("2026-02-30", "en");
    let err =
        shiming_checks_js::check_id_js("11010519491231002X".into(), bad_date.into()).unwrap_err();
    assert!(err.is_instance_of::<js_sys::RangeError>());
}

pub fn batch_from_string_and_bytes() {
    let text = "11010519491231002X\n110105194912310021\n110105491231002\n";
    let opts = options_with_kinds(
        "2026-11-28",
        "zh-CN",
        &["cn_resident", "cn_resident_legacy"],
    );
    for input in [
        JsValue::from_str(text),
        Uint8Array::from(text.as_bytes()).into(),
    ] {
        let r =
            shiming_checks_js::check_id_batch_js(input, opts.clone().into(), JsValue::UNDEFINED)
                .unwrap();
        assert_eq!(get(&r, "total"), 3);
        assert_eq!(get(&r, "valid"), 2);
        assert_eq!(get(&r, "invalid"), 1);
        let status: Uint8Array = get(&r, "status").dyn_into().unwrap();
        let codes: Array = get(&r, "codes").dyn_into().unwrap();
        let checksum = codes.index_of(&"id_checksum_mismatch".into(), 0);
        assert!(checksum >= 0);
        assert_eq!(status.to_vec(), vec![0, checksum as u8 + 1, 0]);
        assert_eq!(get(&get(&r, "byCode"), "id_checksum_mismatch"), 1);
    }
}

pub fn default_as_of_is_today() {
    // No options: today's date from the device clock; a birth date tomorrow must be in the future.
    let r =
        shiming_checks_js::check_id_js("11010519491231002X".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE);
    let issues = get(
        &get(
            &shiming_checks_js::check_id_js("".into(), JsValue::UNDEFINED).unwrap(),
            "issues",
        ),
        "0",
    );
    assert_eq!(get(&issues, "message"), "请输入证件号码");
}

pub fn oversized_and_lone_surrogates() {
    let huge = "1".repeat(1 << 20);
    let r = shiming_checks_js::check_id_js(huge.as_str().into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&get(&get(&r, "issues"), "0"), "code"), "id_too_long");
    let lone = js_sys::JsString::from_char_code1(0xD800);
    let r = shiming_checks_js::check_id_js(lone.into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::FALSE);
    // The module still answers afterwards.
    check_valid_and_invalid();
}

/// Inputs spanning many encoding pieces, with a surrogate pair cut across a piece boundary and a
/// line far longer than a piece: the string path must agree with the bytes path line by line.
pub fn batch_across_pieces() {
    let mut text = String::new();
    // 65_535 units of filler lines so that an emoji straddles unit 65_536.
    let filler = "1".repeat(17);
    while text.len() + 18 < 65_535 {
        text.push_str(&filler);
        text.push('\n');
    }
    while text.len() < 65_535 {
        text.push('2');
    }
    text.push('😀');
    text.push('\n');
    for _ in 0..20_000 {
        text.push_str("11010519491231002X\n110105194912310021\n");
    }
    // Lines beside the quick path: 17 and 19 digits (a digit dropped or doubled), with and without
    // `\r`, a digit short or over, a letter typed in, an `X` in the wrong place, a valid line.
    for _ in 0..50 {
        text.push_str(
            "11010519491231002\n1101051949123100211\n11010519491231002\r\n1101051949123100211\r\n\
             1101051949123100\n11010519491231002X1\n1101051949A231002X\n110105194912310021X\n\
             X10105194912310021\n11010519491231002X\r\n91010519491231002X\n\n",
        );
    }
    text.push_str(&"9".repeat(300_000));
    text.push_str("\n11010519491231002X");
    let opts = options("2026-11-28", "en");
    // With birth dates, across the pieces the string is encoded in.
    let batch = Object::new();
    Reflect::set(&batch, &"birthDates".into(), &JsValue::TRUE).unwrap();
    let from_string = shiming_checks_js::check_id_batch_js(
        text.as_str().into(),
        opts.clone().into(),
        batch.clone().into(),
    )
    .unwrap();
    let from_bytes = shiming_checks_js::check_id_batch_js(
        Uint8Array::from(text.as_bytes()).into(),
        opts.into(),
        batch.into(),
    )
    .unwrap();
    let a: Uint8Array = get(&from_string, "status").dyn_into().unwrap();
    let b: Uint8Array = get(&from_bytes, "status").dyn_into().unwrap();
    assert_eq!(a.to_vec(), b.to_vec());
    let native_options = shiming::IdOptions::new(shiming::Date::new(2026, 11, 28).unwrap());
    let native = shiming::BatchChecker::new(&native_options)
        .with_birth_dates()
        .finish(text.as_bytes());
    assert_eq!(a.to_vec(), native.status);
    let dates_a: js_sys::Uint32Array = get(&from_string, "birthDates").dyn_into().unwrap();
    let dates_b: js_sys::Uint32Array = get(&from_bytes, "birthDates").dyn_into().unwrap();
    assert_eq!(dates_a.to_vec(), dates_b.to_vec());
    assert_eq!(Some(dates_a.to_vec()), native.birth_dates);
    // The last line, 11010519491231002X, after the long one.
    assert_eq!(dates_a.get_index(dates_a.length() - 1), 19_491_231);
    assert_eq!(get(&from_string, "valid"), 20_051);
    assert_eq!(get(&get(&from_string, "byCode"), "id_too_long"), 1);
}

/// The wasm build's own code of the batch's quick path (the birth date as a number, 17 and 19
/// digits decided beside it) gives each line the first issue `check_id` gives it: a grid of
/// regions, birth dates around every limit (year 0, months 0 and 13, days 0 and 32, leap days,
/// the as-of date and the day after), right and wrong check characters, 17, 18 and 19 digits,
/// 18 characters with a letter, 17 digits before an empty line.
pub fn batch_decides_as_check_id() {
    fn check_char(d17: &str) -> char {
        let sum: u32 = d17
            .bytes()
            .enumerate()
            .map(|(i, c)| u32::from(c - b'0') * ((1u32 << (17 - i)) % 11))
            .sum();
        char::from(b"10X98765432"[(sum % 11) as usize])
    }
    let mut lines = Vec::new();
    let years = [
        "0000", "0001", "1899", "1900", "1949", "2000", "2023", "2024", "2026", "2027",
    ];
    let (months, days) = (
        ["00", "01", "02", "04", "12", "13"],
        ["00", "01", "28", "29", "30", "31", "32"],
    );
    let mut dates = Vec::new();
    for y in years {
        for m in months {
            for d in days {
                dates.push(format!("{y}{m}{d}"));
            }
        }
    }
    dates.extend(["20261128", "20261129", "19260101", "99991231"].map(String::from));
    for region in [
        "110105", "110100", "710101", "810000", "990000", "911000", "938100", "000000",
    ] {
        for date in &dates {
            let d17 = format!("{region}{date}123");
            let good = check_char(&d17);
            let bad = if good == '0' { '1' } else { '0' };
            lines.push(format!("{d17}{good}"));
            lines.push(format!("{d17}{bad}"));
            lines.push(d17.clone());
            lines.push(format!("{d17}{good}7"));
            // 18 bytes with a letter (a line the quick path leaves for the schemes), and 17
            // digits followed by an empty line (its `\n` where an 18-byte line's would be).
            let line = format!("{d17}{good}");
            lines.push(
                line.chars()
                    .enumerate()
                    .map(|(i, c)| if i == 10 { 'A' } else { c })
                    .collect(),
            );
            lines.push(d17.clone());
            lines.push(String::new());
        }
    }
    let text = lines.join("\n") + "\n";
    let report = shiming_checks_js::check_id_batch_js(
        text.as_str().into(),
        options("2026-11-28", "en").into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    let status: Uint8Array = get(&report, "status").dyn_into().unwrap();
    let codes: Array = get(&report, "codes").dyn_into().unwrap();
    assert_eq!(status.length() as usize, lines.len());
    let native_options = shiming::IdOptions::new(shiming::Date::new(2026, 11, 28).unwrap());
    let mut valid = 0;
    for (i, line) in lines.iter().enumerate() {
        let expected = shiming::check_id(line, &native_options)
            .err()
            .map(|issues| issues[0].code.as_str().to_string());
        let got = match status.get_index(i as u32) {
            0 => None,
            s => codes.get(u32::from(s) - 1).as_string(),
        };
        assert_eq!(got, expected, "{line}");
        valid += usize::from(expected.is_none());
    }
    // The grid reaches the valid path too.
    assert!(valid > 100, "{valid}");
}

/// The options cache must follow the values, not the object: a mutated asOf, a new locale or a
/// kinds list all take effect on the next call.
pub fn options_changes_take_effect() {
    let born_dec_2026 = "110105202612010014";
    let opts = options("2026-11-28", "en");
    assert!(!shiming_checks_js::is_valid_id_js(born_dec_2026.into(), opts.clone().into()).unwrap());
    Reflect::set(&opts, &"asOf".into(), &"2027-01-01".into()).unwrap();
    let valid =
        shiming_checks_js::is_valid_id_js(born_dec_2026.into(), opts.clone().into()).unwrap();
    assert!(valid);
    let report = shiming_checks_js::check_id_js(born_dec_2026.into(), opts.clone().into()).unwrap();
    assert_eq!(valid, get(&report, "ok") == JsValue::TRUE);
    Reflect::set(&opts, &"locale".into(), &"zh-CN".into()).unwrap();
    let bad =
        shiming_checks_js::check_id_js("110105194912310021".into(), opts.clone().into()).unwrap();
    assert_eq!(
        get(&get(&get(&bad, "issues"), "0"), "message"),
        "身份证号码校验码错误：第 18 位应为 X"
    );
    let kinds = Array::of1(&"cn_resident".into());
    Reflect::set(&opts, &"kinds".into(), &kinds).unwrap();
    assert!(
        !shiming_checks_js::is_valid_id_js("110105491231002".into(), opts.clone().into()).unwrap()
    );
    kinds.push(&"cn_resident_legacy".into());
    assert!(shiming_checks_js::is_valid_id_js("110105491231002".into(), opts.into()).unwrap());
}

/// The wasm-bindgen tests, declared once and instantiated by the Node and the browser files.
#[macro_export]
macro_rules! wasm_api_tests {
    // Every test below, for each runner (wasm_node.rs, wasm_browser.rs): a test added here runs in both.
    () => {
        wasm_api_tests!(
            check_valid_and_invalid,
            wrong_types_throw_type_errors,
            batch_from_string_and_bytes,
            default_as_of_is_today,
            oversized_and_lone_surrogates,
            batch_across_pieces,
            batch_decides_as_check_id,
            options_changes_take_effect,
            phone_check_and_segments,
            name_check,
            registration_check,
            registration_schema,
            id_kinds_and_region_names,
            configure_and_identity_key,
            consent_core_matches_native,
            consent_js_api,
            minor_age_and_bands,
            minor_policy,
            minor_guardian,
            wire_every_shape,
            wire_random_trees,
            cache_collisions_and_failures,
        );
    };
    ($($name:ident),+ $(,)?) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            fn $name() {
                wasm_common::$name();
            }
        )*
    };
}

/// `checkPhone`, and replacing the segment table at run time.
pub fn phone_check_and_segments() {
    use shiming_checks_js::phone::{
        check_phone_js, phone_segments_version_js, set_phone_segments_js,
    };
    let opts = locale_options("en");
    let ok = check_phone_js("+86 138 1234 5678".into(), opts.clone().into()).unwrap();
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
    let value = get(&ok, "value");
    assert_eq!(get(&value, "e164"), "+8613812345678");
    assert_eq!(get(&get(&value, "segment"), "class"), "china_mobile");
    let warnings: Array = get(&ok, "warnings").dyn_into().unwrap();
    assert_eq!(get(&warnings.get(0), "code"), "phone_separators_removed");

    let bad = check_phone_js("1381234567".into(), opts.clone().into()).unwrap();
    let first = get(&get(&bad, "issues"), "0");
    assert_eq!(get(&first, "code"), "phone_invalid_length");
    assert_eq!(get(&get(&first, "params"), "expected"), 11);
    assert!(
        check_phone_js(JsValue::from(13_812_345_678_f64), JsValue::UNDEFINED)
            .unwrap_err()
            .is_instance_of::<js_sys::TypeError>()
    );

    // 168 is unknown to the shipped table; a newer table from the backend classifies it.
    let unknown = check_phone_js("16812345678".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&get(&get(&unknown, "value"), "segment"), "class"),
        "unknown"
    );
    let table = Object::new();
    Reflect::set(&table, &"version".into(), &"2026-06".into()).unwrap();
    let segments = Object::new();
    Reflect::set(&segments, &"168".into(), &"china_mobile".into()).unwrap();
    Reflect::set(&table, &"segments".into(), &segments).unwrap();
    set_phone_segments_js(table.clone().into()).unwrap();
    assert_eq!(phone_segments_version_js(), "2026-06");
    let known = check_phone_js("16812345678".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&get(&get(&known, "value"), "segment"), "class"),
        "china_mobile"
    );
    // A malformed table is refused whole; the one in force stays.
    Reflect::set(&segments, &"149".into(), &"not_a_class".into()).unwrap();
    let err = set_phone_segments_js(table.into()).unwrap_err();
    assert!(err.is_instance_of::<js_sys::RangeError>());
    assert_eq!(phone_segments_version_js(), "2026-06");
    set_phone_segments_js(JsValue::NULL).unwrap();
    assert_eq!(phone_segments_version_js(), "2022-miit+iot-satellite");
}

/// `checkName` and `isValidName`.
pub fn name_check() {
    use shiming_checks_js::name::{check_name_js, is_valid_name_js};
    let opts = locale_options("en");
    let ok = check_name_js("古丽米热・艾比布力".into(), opts.clone().into()).unwrap();
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
    assert_eq!(get(&get(&ok, "value"), "normalized"), "古丽米热·艾比布力");
    assert_eq!(get(&get(&ok, "value"), "script"), "han");
    let warnings: Array = get(&ok, "warnings").dyn_into().unwrap();
    assert_eq!(get(&warnings.get(0), "code"), "name_separator_normalized");
    assert!(is_valid_name_js("䶮".into(), JsValue::UNDEFINED).unwrap());
    assert!(is_valid_name_js("Chan Tai Man".into(), JsValue::UNDEFINED).unwrap());
    let bad = check_name_js("张\u{200B}三".into(), opts.into()).unwrap();
    assert_eq!(
        get(&get(&get(&bad, "issues"), "0"), "code"),
        "name_invisible_character"
    );
    let small = Object::new();
    Reflect::set(&small, &"maxChars".into(), &JsValue::from(10)).unwrap();
    assert!(check_name_js("张三".into(), small.into())
        .unwrap_err()
        .is_instance_of::<js_sys::RangeError>());
    assert!(is_valid_name_js(JsValue::NULL, JsValue::UNDEFINED)
        .unwrap_err()
        .is_instance_of::<js_sys::TypeError>());
}

/// Kinds other than the resident ID through `checkId`, and `setRegionNames` refusing a wrong table.
pub fn id_kinds_and_region_names() {
    use shiming_checks_js::regions::set_region_names;
    let opts = options_with_kinds(
        "2026-11-28",
        "zh-CN",
        &["cn_resident", "hk_id", "foreign_permanent_resident"],
    );
    let hk = shiming_checks_js::check_id_js("a123456(3)".into(), opts.clone().into()).unwrap();
    assert_eq!(get(&hk, "ok"), JsValue::TRUE);
    assert_eq!(get(&get(&hk, "value"), "kind"), "hk_id");
    assert_eq!(get(&get(&hk, "value"), "normalized"), "A123456(3)");
    assert_eq!(get(&get(&hk, "value"), "jurisdiction"), "hk");
    let fpr =
        shiming_checks_js::check_id_js("932682198501010017".into(), opts.clone().into()).unwrap();
    assert_eq!(get(&get(&fpr, "value"), "nationality"), "682");

    let kinds = Array::of1(&"cn_resident".into());
    let o = options("2026-11-28", "zh-CN");
    Reflect::set(&o, &"kinds".into(), &kinds).unwrap();
    let refused = shiming_checks_js::check_id_js("A123456(3)".into(), o.into()).unwrap();
    let first = get(&get(&refused, "issues"), "0");
    assert_eq!(get(&first, "code"), "id_kind_not_allowed");
    assert_eq!(
        get(&first, "message"),
        "这是香港身份证号码，此处需要居民身份证号码"
    );

    let wrong = set_region_names("北京市\n天津市".into()).unwrap_err();
    assert!(wrong.is_instance_of::<js_sys::RangeError>());
    assert!(set_region_names(JsValue::from(1))
        .unwrap_err()
        .is_instance_of::<js_sys::TypeError>());
}

fn registration_form(name: &str, id: &str, phone: &str) -> Object {
    let form = Object::new();
    Reflect::set(&form, &"name".into(), &name.into()).unwrap();
    Reflect::set(&form, &"idNumber".into(), &id.into()).unwrap();
    Reflect::set(&form, &"phone".into(), &phone.into()).unwrap();
    form
}

fn codes_and_paths(result: &JsValue) -> Vec<(String, String)> {
    let issues: Array = get(result, "issues").dyn_into().unwrap();
    issues
        .iter()
        .map(|issue| {
            let path: Array = get(&issue, "path").dyn_into().unwrap();
            (
                path.get(0).as_string().unwrap_or_default(),
                get(&issue, "code").as_string().unwrap(),
            )
        })
        .collect()
}

/// `checkRegistration`: a valid form with derived values, every problem at once, garbage forms
/// as issues, malformed options as errors.
pub fn registration_check() {
    use shiming_checks_js::registration::check_registration_js;
    let opts = options("2026-11-28", "en");
    let form = registration_form("张三", "11010519491231002X", "13812345678");
    Reflect::set(&form, &"password".into(), &"correct horse 7".into()).unwrap();
    let ok = check_registration_js(form.clone().into(), opts.clone().into()).unwrap();
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
    let value = get(&ok, "value");
    assert_eq!(get(&value, "idNumber"), "11010519491231002X");
    assert_eq!(get(&value, "phone"), "+8613812345678");
    assert_eq!(get(&value, "password"), "correct horse 7");
    let derived = get(&value, "derived");
    assert_eq!(get(&derived, "kind"), "cn_resident");
    assert_eq!(get(&derived, "age"), 76);
    assert_eq!(get(&derived, "isMinor"), JsValue::FALSE);

    let bad = registration_form("Zhang San", "110105194912310021", "");
    Reflect::set(&bad, &"password".into(), &JsValue::from(12_345_678)).unwrap();
    let r = check_registration_js(bad.into(), opts.clone().into()).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::FALSE);
    let found = codes_and_paths(&r);
    let expected = [
        ("password", "form_field_invalid_type"),
        ("idNumber", "id_checksum_mismatch"),
        ("phone", "phone_empty"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for (path, code) in expected {
        assert!(
            found.contains(&(path.to_string(), code.to_string())),
            "{found:?}"
        );
    }
    assert!(Array::is_array(&get(&r, "warnings")));

    for garbage in [
        JsValue::NULL,
        JsValue::from(5),
        "x".into(),
        Array::new().into(),
    ] {
        let r = check_registration_js(garbage, JsValue::UNDEFINED).unwrap();
        assert_eq!(
            codes_and_paths(&r),
            [(String::new(), "form_invalid_type".to_string())]
        );
    }
    let bad_options = Object::new();
    Reflect::set(&bad_options, &"fields".into(), &Array::of1(&"email".into())).unwrap();
    let err = check_registration_js(Object::new().into(), bad_options.into()).unwrap_err();
    assert!(err.is_instance_of::<js_sys::RangeError>());
    let err = check_registration_js(Object::new().into(), JsValue::from(5)).unwrap_err();
    assert!(err.is_instance_of::<js_sys::TypeError>());
}

/// `registrationSchema`: a Standard Schema v1 object whose `validate` gives `{ value }` or
/// `{ issues }` with paths.
pub fn registration_schema() {
    use shiming_checks_js::registration::registration_schema_js;
    let schema = registration_schema_js(options("2026-11-28", "zh-CN").into()).unwrap();
    let standard = get(&schema, "~standard");
    assert_eq!(get(&standard, "version"), 1);
    assert_eq!(get(&standard, "vendor"), "shiming");
    let validate: js_sys::Function = get(&standard, "validate").dyn_into().unwrap();
    let good = registration_form("张三", "11010519491231002X", "13812345678");
    let r = validate.call1(&JsValue::UNDEFINED, &good).unwrap();
    assert!(get(&r, "issues").is_undefined());
    assert_eq!(get(&get(&r, "value"), "name"), "张三");
    let bad = registration_form("", "11010519491231002X", "13812345678");
    let r = validate.call1(&JsValue::UNDEFINED, &bad).unwrap();
    assert!(get(&r, "value").is_undefined());
    let issue = get(&get(&r, "issues"), "0");
    assert_eq!(get(&issue, "message"), "请输入姓名");
    assert_eq!(get(&get(&issue, "path"), "0"), "name");
    assert_eq!(get(&issue, "code"), "name_empty");
    // Garbage through validate: issues, never a throw.
    let r = validate
        .call1(&JsValue::UNDEFINED, &JsValue::from(42))
        .unwrap();
    assert_eq!(
        get(&get(&get(&r, "issues"), "0"), "code"),
        "form_invalid_type"
    );
    let bad_options = Object::new();
    Reflect::set(&bad_options, &"ageRule".into(), &"nope".into()).unwrap();
    assert!(registration_schema_js(bad_options.into())
        .unwrap_err()
        .is_instance_of::<js_sys::RangeError>());
}

/// `ageOn` and `ageBand`: both age rules, the untrusted-clock warning, caller mistakes.
pub fn minor_age_and_bands() {
    use shiming_checks_js::minor::{age_band_js, age_on_js};
    let on = Object::new();
    Reflect::set(&on, &"ageRule".into(), &"on_birthday".into()).unwrap();
    let r = age_on_js("2008-06-01".into(), "2026-06-01".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "age"), 17);
    assert_eq!(Array::from(&get(&r, "warnings")).length(), 0);
    let r = age_on_js("2008-06-01".into(), "2026-06-01".into(), on.clone().into()).unwrap();
    assert_eq!(get(&r, "age"), 18);
    let r = age_band_js("2012-06-01".into(), "2026-06-02".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "band"), "14_to_16");
    assert_eq!(get(&r, "needsGuardianConsent"), JsValue::FALSE);
    assert_eq!(get(&r, "isMinor"), JsValue::TRUE);
    let r = age_band_js(JsValue::from(13), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "band"), "12_to_14");
    assert_eq!(get(&r, "needsGuardianConsent"), JsValue::TRUE);
    // A birth after the as-of date has no age: a RangeError, not 0.
    for f in [age_on_js, age_band_js] {
        assert!(
            f("2026-06-02".into(), "2026-06-01".into(), JsValue::UNDEFINED)
                .unwrap_err()
                .is_instance_of::<js_sys::RangeError>()
        );
    }
    let r = age_on_js("2026-06-01".into(), "2026-06-01".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "age"), 0);
    // No asOf: the device clock, with a warning.
    let r = age_on_js("2008-06-01".into(), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&get(&get(&r, "warnings"), "0"), "code"),
        "untrusted_clock"
    );
    assert!(
        age_on_js(JsValue::from(5), JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap_err()
            .is_instance_of::<js_sys::TypeError>()
    );
    assert!(
        age_on_js("2008-02-30".into(), JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap_err()
            .is_instance_of::<js_sys::RangeError>()
    );
}

fn activity(kind: &str, pairs: &[(&str, f64)]) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"type".into(), &kind.into()).unwrap();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), &JsValue::from(*v)).unwrap();
    }
    o.into()
}

/// `evaluatePolicy`, `setMinorPolicy`, `minorPolicy`: the preset, play windows across the holiday
/// calendar, payments, a malformed policy rejected while the one in force stays.
pub fn minor_policy() {
    use shiming_policy_js::{evaluate_policy_js, minor_policy_js, set_minor_policy_js};
    let en = Object::new();
    Reflect::set(&en, &"locale".into(), &"en".into()).unwrap();
    let play = activity("play", &[("usedTodaySeconds", 0.0)]);
    let r = evaluate_policy_js(
        JsValue::NULL,
        "2012-01-01".into(),
        play.clone(),
        "2026-02-28T20:15:00+08:00".into(),
        en.clone().into(),
    )
    .unwrap();
    assert_eq!(get(&r, "allowed"), JsValue::FALSE);
    assert_eq!(get(&r, "code"), "minor_play_outside_window");
    assert_eq!(get(&r, "rule"), "play");
    assert!(get(&r, "source").as_string().unwrap().contains("2021"));
    assert_eq!(get(&r, "nextAllowedAt"), "2026-03-01T20:00:00+08:00");
    let r = evaluate_policy_js(
        JsValue::UNDEFINED,
        JsValue::from(30),
        play.clone(),
        JsValue::from(0),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(get(&r, "code"), "adult");
    let pay = activity(
        "payment",
        &[
            ("amountFen", 5000.0),
            ("spentTodayFen", 0.0),
            ("spentThisMonthFen", 15001.0),
        ],
    );
    let r = evaluate_policy_js(
        JsValue::NULL,
        JsValue::from(10),
        pay,
        "2026-11-27T12:00:00Z".into(),
        en.into(),
    )
    .unwrap();
    assert_eq!(get(&r, "code"), "minor_payment_over_monthly_limit");
    assert_eq!(get(&get(&r, "params"), "limitFen"), 20000);
    // No now: the device clock, with a warning.
    let r = evaluate_policy_js(
        JsValue::NULL,
        JsValue::from(30),
        play.clone(),
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(
        get(&get(&get(&r, "warnings"), "0"), "code"),
        "untrusted_clock"
    );

    // A policy as an object: play every day 10:00-11:00.
    let policy = minor_policy_js().unwrap();
    assert_eq!(get(&policy, "id"), "cn-2024-games");
    let play_rule = get(&policy, "play");
    Reflect::set(
        &play_rule,
        &"weekdays".into(),
        &Array::of3(&1.into(), &2.into(), &3.into()),
    )
    .unwrap();
    let set = set_minor_policy_js(policy.clone()).unwrap();
    assert_eq!(get(&set, "id"), "cn-2024-games");
    // Malformed: rejected with its path, the policy in force stays.
    Reflect::set(&play_rule, &"windows".into(), &"20:00".into()).unwrap();
    let err = set_minor_policy_js(policy.clone()).unwrap_err();
    assert!(err.is_instance_of::<js_sys::RangeError>());
    let message = Reflect::get(&err, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(message.contains("$.play.windows"), "{message}");
    assert!(set_minor_policy_js("{".into())
        .unwrap_err()
        .is_instance_of::<js_sys::RangeError>());
    assert!(set_minor_policy_js(JsValue::from(5))
        .unwrap_err()
        .is_instance_of::<js_sys::TypeError>());
    let in_force = minor_policy_js().unwrap();
    assert_eq!(
        Array::from(&get(&get(&in_force, "play"), "weekdays")).length(),
        3
    );
    // Monday 2026-11-23 is a play day under the policy in force.
    let r = evaluate_policy_js(
        JsValue::NULL,
        JsValue::from(10),
        play.clone(),
        "2026-11-23T20:30:00+08:00".into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(get(&r, "allowed"), JsValue::TRUE);
    set_minor_policy_js(JsValue::NULL).unwrap();
    let r = evaluate_policy_js(
        JsValue::NULL,
        JsValue::from(10),
        play,
        "2026-11-23T20:30:00+08:00".into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(get(&r, "allowed"), JsValue::FALSE);
    assert!(evaluate_policy_js(
        JsValue::NULL,
        JsValue::from(10),
        activity("fly", &[]),
        JsValue::UNDEFINED,
        JsValue::UNDEFINED
    )
    .unwrap_err()
    .is_instance_of::<js_sys::RangeError>());
}

/// `checkGuardian`: a valid guardian, the minor themself, garbage as issues.
pub fn minor_guardian() {
    use shiming_checks_js::minor::check_guardian_js;
    let options = options("2026-11-28", "en");
    let minor = Object::new();
    Reflect::set(&minor, &"idNumber".into(), &"110101201501010011".into()).unwrap();
    Reflect::set(&options, &"minor".into(), &minor).unwrap();
    let guardian = registration_form("张三", "11010519491231002X", "13812345678");
    Reflect::set(&guardian, &"relation".into(), &"parent".into()).unwrap();
    let r = check_guardian_js(guardian.clone().into(), options.clone().into()).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE, "{r:?}");
    assert_eq!(get(&get(&r, "value"), "relation"), "parent");
    assert_eq!(get(&get(&r, "value"), "age"), 76);
    Reflect::set(&guardian, &"idNumber".into(), &"110101201501010011".into()).unwrap();
    let r = check_guardian_js(guardian.into(), options.clone().into()).unwrap();
    let found = codes_and_paths(&r);
    assert!(
        found.contains(&("idNumber".into(), "guardian_same_as_minor".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("idNumber".into(), "guardian_not_adult".into())),
        "{found:?}"
    );
    let r = check_guardian_js(JsValue::from(5), options.into()).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::FALSE);
    assert!(check_guardian_js(Object::new().into(), JsValue::UNDEFINED)
        .unwrap_err()
        .is_instance_of::<js_sys::TypeError>());
}

/// The consent core compiled to wasm gives the native results (issue 5): SHA-256 of a non-BMP text
/// that came through a JS string (a document's digest), and the RFC 8785 vectors whose numbers are
/// integers (the same expected values as the unit tests of src/codec/jcs.rs).
pub fn consent_core_matches_native() {
    use shiming::__internal::{canonicalize_text, sha256_hex};
    let text = JsValue::from_str("𠀀 😀 用户协议 é").as_string().unwrap();
    assert_eq!(
        sha256_hex(text.as_bytes()),
        "ae0492e25c908ec91ab20a37293c8d6bf8b39a5d1c542542f44f939f6d5d23c7"
    );
    assert_eq!(
        sha256_hex(&vec![b'a'; 1_000_000]),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
    let vectors = [
        (
            include_str!("../../../../tests/data/jcs/input/weird.json"),
            include_str!("../../../../tests/data/jcs/output/weird.json"),
        ),
        (
            include_str!("../../../../tests/data/jcs/input/french.json"),
            include_str!("../../../../tests/data/jcs/output/french.json"),
        ),
    ];
    for (input, expected) in vectors {
        assert_eq!(canonicalize_text(input).unwrap(), expected.trim_end());
    }
    assert_eq!(
        canonicalize_text(include_str!("../../../../tests/data/jcs/input/values.json")),
        None
    );
}
