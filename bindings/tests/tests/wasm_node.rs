//! wasm-bindgen-test in Node: the exported JS API, compiled to wasm32.
#![cfg(target_arch = "wasm32")]

mod wasm_common;

wasm_api_tests!(
    check_valid_and_invalid,
    wrong_types_throw_type_errors,
    batch_from_string_and_bytes,
    default_as_of_is_today,
    oversized_and_lone_surrogates,
    batch_across_pieces,
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
);
