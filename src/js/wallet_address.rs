//! JS export `resolveWalletAddressUrl`.

use wasm_bindgen::prelude::*;

use super::error;
use crate::wallet_address::resolve_wallet_address_url as resolve;

/// Resolves `$wallet.example/alice` or `https://wallet.example/alice` to the wallet address URL.
#[wasm_bindgen(js_name = resolveWalletAddressUrl)]
pub fn resolve_wallet_address_url(input: &str) -> Result<String, JsValue> {
    resolve(input).map_err(|e| error::to_js(&e))
}
