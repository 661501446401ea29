//! Raw export behind `resolveWalletAddressUrl` (facade: `src/js/facade/wallet-address.ts`).
//! Answers are written by hand, as the amount exports' are: the lean build links no JSON library.

use wasm_bindgen::prelude::*;

use super::{fail, Answer};
use crate::error::quoted;
use crate::wallet_address::resolve_wallet_address_url as resolve;

/// Resolves `$wallet.example/alice` or `https://wallet.example/alice` to the wallet address URL
/// (answered as a JSON string).
#[wasm_bindgen(js_name = resolveWalletAddressUrl)]
pub fn resolve_wallet_address_url(input: &str) -> Answer {
    match resolve(input) {
        Ok(url) => quoted(&url),
        Err(err) => fail(&err),
    }
}
