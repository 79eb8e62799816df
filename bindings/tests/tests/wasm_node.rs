//! wasm-bindgen-test in Node: the exported JS API, compiled to wasm32.
#![cfg(target_arch = "wasm32")]

mod wasm_common;

// Every test of wasm_common (the list lives there, once for both runners).
wasm_api_tests!();
