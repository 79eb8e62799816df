//! Shared by the wasm-bindgen-test files (Node and browser): the JS API, called as JS would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(dead_code)]

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

pub fn check_valid_and_invalid() {
    let opts = options("2026-11-28", "en");
    let ok = shiming::wasm::check_id_js("11010519491231002X".into(), opts.clone().into()).unwrap();
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
    let value = get(&ok, "value");
    assert_eq!(get(&value, "kind"), "cn_resident");
    assert_eq!(get(&value, "birthDate"), "1949-12-31");
    assert_eq!(get(&value, "gender"), "female");
    assert_eq!(get(&get(&value, "region"), "province"), "北京市");
    assert!(get(&value, "upgraded").is_undefined());

    let bad = shiming::wasm::check_id_js("110105194912310021".into(), opts.into()).unwrap();
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
        let err = shiming::wasm::check_id_js(bad.clone(), JsValue::UNDEFINED).unwrap_err();
        assert!(err.is_instance_of::<js_sys::TypeError>());
        let err = shiming::wasm::is_valid_id_js(bad.clone(), JsValue::UNDEFINED).unwrap_err();
        assert!(err.is_instance_of::<js_sys::TypeError>());
        let err = shiming::wasm::check_id_batch_js(bad, JsValue::UNDEFINED).unwrap_err();
        assert!(err.is_instance_of::<js_sys::TypeError>());
    }
    let bad_date = options("2026-02-30", "en");
    let err = shiming::wasm::check_id_js("11010519491231002X".into(), bad_date.into()).unwrap_err();
    assert!(err.is_instance_of::<js_sys::RangeError>());
}

pub fn batch_from_string_and_bytes() {
    let text = "11010519491231002X\n110105194912310021\n110105491231002\n";
    let opts = options("2026-11-28", "zh-CN");
    for input in [
        JsValue::from_str(text),
        Uint8Array::from(text.as_bytes()).into(),
    ] {
        let r = shiming::wasm::check_id_batch_js(input, opts.clone().into()).unwrap();
        assert_eq!(get(&r, "total"), 3);
        assert_eq!(get(&r, "valid"), 2);
        assert_eq!(get(&r, "invalid"), 1);
        let status: Uint8Array = get(&r, "status").dyn_into().unwrap();
        assert_eq!(status.to_vec(), vec![0, 5, 0]);
        let codes: Array = get(&r, "codes").dyn_into().unwrap();
        assert_eq!(codes.get(4), "id_checksum_mismatch");
        assert_eq!(get(&get(&r, "byCode"), "id_checksum_mismatch"), 1);
    }
}

pub fn default_as_of_is_today() {
    // No options: today's date from the device clock; a birth date tomorrow must be in the future.
    let r = shiming::wasm::check_id_js("11010519491231002X".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "ok"), JsValue::TRUE);
    let issues = get(
        &get(
            &shiming::wasm::check_id_js("".into(), JsValue::UNDEFINED).unwrap(),
            "issues",
        ),
        "0",
    );
    assert_eq!(get(&issues, "message"), "请输入证件号码");
}

pub fn oversized_and_lone_surrogates() {
    let huge = "1".repeat(1 << 20);
    let r = shiming::wasm::check_id_js(huge.as_str().into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&get(&get(&r, "issues"), "0"), "code"), "id_too_long");
    let lone = js_sys::JsString::from_char_code1(0xD800);
    let r = shiming::wasm::check_id_js(lone.into(), JsValue::UNDEFINED).unwrap();
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
    text.push_str(&"9".repeat(300_000));
    text.push_str("\n11010519491231002X");
    let opts = options("2026-11-28", "en");
    let from_string =
        shiming::wasm::check_id_batch_js(text.as_str().into(), opts.clone().into()).unwrap();
    let from_bytes =
        shiming::wasm::check_id_batch_js(Uint8Array::from(text.as_bytes()).into(), opts.into())
            .unwrap();
    let a: Uint8Array = get(&from_string, "status").dyn_into().unwrap();
    let b: Uint8Array = get(&from_bytes, "status").dyn_into().unwrap();
    assert_eq!(a.to_vec(), b.to_vec());
    let native = shiming::check_id_batch(
        text.as_bytes(),
        &shiming::IdOptions::new(shiming::Date::new(2026, 11, 28).unwrap()),
    );
    assert_eq!(a.to_vec(), native.status);
    assert_eq!(get(&from_string, "valid"), 20_001);
    assert_eq!(get(&get(&from_string, "byCode"), "id_too_long"), 1);
}

/// The options cache must follow the values, not the object: a mutated asOf, a new locale or a
/// kinds list all take effect on the next call.
pub fn options_changes_take_effect() {
    let born_dec_2026 = "110105202612010014";
    let opts = options("2026-11-28", "en");
    assert!(!shiming::wasm::is_valid_id_js(born_dec_2026.into(), opts.clone().into()).unwrap());
    Reflect::set(&opts, &"asOf".into(), &"2027-01-01".into()).unwrap();
    let valid = shiming::wasm::is_valid_id_js(born_dec_2026.into(), opts.clone().into()).unwrap();
    assert!(valid);
    let report = shiming::wasm::check_id_js(born_dec_2026.into(), opts.clone().into()).unwrap();
    assert_eq!(valid, get(&report, "ok") == JsValue::TRUE);
    Reflect::set(&opts, &"locale".into(), &"zh-CN".into()).unwrap();
    let bad = shiming::wasm::check_id_js("110105194912310021".into(), opts.clone().into()).unwrap();
    assert_eq!(
        get(&get(&get(&bad, "issues"), "0"), "message"),
        "身份证号码校验码错误：第 18 位应为 X"
    );
    let kinds = Array::of1(&"cn_resident".into());
    Reflect::set(&opts, &"kinds".into(), &kinds).unwrap();
    assert!(!shiming::wasm::is_valid_id_js("110105491231002".into(), opts.clone().into()).unwrap());
    kinds.push(&"cn_resident_legacy".into());
    assert!(shiming::wasm::is_valid_id_js("110105491231002".into(), opts.into()).unwrap());
}

/// The wasm-bindgen tests, declared once and instantiated by the Node and the browser files.
#[macro_export]
macro_rules! wasm_api_tests {
    ($($name:ident),* $(,)?) => {
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
    use shiming::wasm::phone::{check_phone_js, phone_segments_version_js, set_phone_segments_js};
    let opts = options("2026-11-28", "en");
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

    // 148 is unknown to the shipped table; a newer table from the backend classifies it.
    let unknown = check_phone_js("14812345678".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&get(&get(&unknown, "value"), "segment"), "class"),
        "unknown"
    );
    let table = Object::new();
    Reflect::set(&table, &"version".into(), &"2026-06".into()).unwrap();
    let segments = Object::new();
    Reflect::set(&segments, &"148".into(), &"china_mobile".into()).unwrap();
    Reflect::set(&table, &"segments".into(), &segments).unwrap();
    set_phone_segments_js(table.clone().into()).unwrap();
    assert_eq!(phone_segments_version_js(), "2026-06");
    let known = check_phone_js("14812345678".into(), JsValue::UNDEFINED).unwrap();
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
    assert_eq!(phone_segments_version_js(), "2022-miit");
}

/// `checkName` and `isValidName`.
pub fn name_check() {
    use shiming::wasm::name::{check_name_js, is_valid_name_js};
    let opts = options("2026-11-28", "en");
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
