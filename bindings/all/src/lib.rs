//! The wasm module `shiming/all`: every export of the checks, policy, consent and sync modules in
//! one module. The crates are named here so that the linker keeps their `#[wasm_bindgen]` exports;
//! natively, as in the four, there is nothing.

#[cfg(target_arch = "wasm32")]
pub use shiming_checks_js as checks;
#[cfg(target_arch = "wasm32")]
pub use shiming_consent_js as consent;
#[cfg(target_arch = "wasm32")]
pub use shiming_policy_js as policy;
#[cfg(target_arch = "wasm32")]
pub use shiming_sync_js as sync;
