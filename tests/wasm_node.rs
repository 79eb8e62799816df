//! wasm-bindgen-test in Node: the exported JS API, compiled to wasm32.
#![cfg(target_arch = "wasm32")]

mod wasm_common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn check_id_valid_and_invalid() {
    wasm_common::check_valid_and_invalid();
}

#[wasm_bindgen_test]
fn wrong_types_throw() {
    wasm_common::wrong_types_throw_type_errors();
}

#[wasm_bindgen_test]
fn batch() {
    wasm_common::batch_from_string_and_bytes();
}

#[wasm_bindgen_test]
fn default_as_of() {
    wasm_common::default_as_of_is_today();
}

#[wasm_bindgen_test]
fn garbage_then_still_answers() {
    wasm_common::oversized_and_lone_surrogates();
}

#[wasm_bindgen_test]
fn batch_across_pieces() {
    wasm_common::batch_across_pieces();
}

#[wasm_bindgen_test]
fn options_changes_take_effect() {
    wasm_common::options_changes_take_effect();
}
