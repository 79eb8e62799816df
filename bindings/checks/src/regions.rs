//! `setRegionNames` and `regionNamesLoaded`: the GB/T 2260 names live outside the .wasm.

use wasm_bindgen::prelude::*;

use shiming::division::{install_names, names_installed, NamesError};
use shiming_js_common::options::range_error;
use shiming_js_common::type_error;

/// Installs the region names that `checkId` returns in `value.region` (province, city, county).
/// The entries do it for you: `shiming` in Node at import, `loadRegionNames()` in browsers. With
/// `shiming/web`, pass the default export of `shiming/regions`. Until then, regions carry their
/// code only.
#[wasm_bindgen(js_name = setRegionNames)]
pub fn set_region_names(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<(), JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| type_error("setRegionNames(text) needs the string of shiming/regions"))?;
    install_names(&text).map_err(|error| match error {
        NamesError::WrongLineCount { expected, found } => range_error(&format!(
            "setRegionNames(text): expected {expected} names, got {found}: use the shiming/regions of the same version"
        )),
    })
}

/// Whether region names are installed.
#[wasm_bindgen(js_name = regionNamesLoaded)]
pub fn region_names_loaded() -> bool {
    names_installed()
}
