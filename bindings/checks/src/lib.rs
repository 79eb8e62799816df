//! The wasm module `shiming`, the package's main entry: the registration checks for JS (IDs,
//! names, phones, masks, test IDs, region names, the whole form, ages and the guardian).
//! Argument decoding, DTOs and JS errors only; the rules are the core's (`shiming`).
//!
//! Every registration page loads this module, so it carries nothing else: the policy runtime,
//! agreements and the sync client are modules of their own (`bindings/policy`, `consent`,
//! `sync`). The exports are public so that the wasm tests (`bindings/tests`) can call them.
//!
//! wasm32 only: natively the crate is empty, and a native build compiles no wasm-bindgen.
#![cfg(target_arch = "wasm32")]

mod id;
pub mod id_ascii;
mod id_dto;
mod id_fast;
mod id_options;
mod input;
pub mod mask;
pub mod messages;
pub mod minor;
pub mod name;
pub mod phone;
pub mod regions;
pub mod registration;
mod registration_fast;
pub mod test_id;

pub use id::{check_id_batch_js, check_id_js, configure_js, identity_key_js, is_valid_id_js};
