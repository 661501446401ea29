//! Raw export behind `resolveWalletAddressUrl` (facade: `src/js/facade/wallet-address.ts`).

use wasm_bindgen::prelude::*;

use super::{answer, Answer};
use crate::wallet_address::resolve_wallet_address_url as resolve;

/// Resolves `$wallet.example/alice` or `https://wallet.example/alice` to the wallet address URL
/// (answered as a JSON string).
#[wasm_bindgen(js_name = resolveWalletAddressUrl)]
pub fn resolve_wallet_address_url(input: &str) -> Answer {
    answer(resolve(input))
}
