//! The wallet address server: the wallet address document (JSON, or the wallet's web page for a
//! browser), its `jwks.json` and `did.json`.

use super::http::{html_escape, prefers_html, rs_error, Reply, Req};
use super::records::Wallet;
use super::state::{wallet_url, State};
use crate::signature::Jwks;

impl State {
    pub(super) fn wallet_document(
        &self,
        ase: &str,
        name: &str,
        req: &Req,
        file: Option<&str>,
    ) -> Reply {
        let url = wallet_url(&self.base, &self.origins, ase, name);
        let Some(wallet) = self.wallet_by_url(&url) else {
            // The wallet address server's 404 has no body (wallet-address-server.yaml).
            return Reply::empty(404);
        };
        if req.method != "GET" && req.method != "HEAD" {
            return rs_error(405, "method_not_allowed", "wallet addresses are read-only");
        }
        let cache = ("cache-control", "max-age=60".to_owned());
        match file {
            None if prefers_html(req.header("accept")) => {
                Reply::redirect(format!("{}/index.html", wallet.url))
                    .with_header("vary", "Accept".to_owned())
                    .with_header(cache.0, cache.1)
            }
            Some("index.html") => {
                Reply::html(200, self.wallet_page(wallet)).with_header(cache.0, cache.1)
            }
            None => Reply::json(
                200,
                &crate::resources::WalletAddress {
                    id: wallet.url.clone(),
                    public_name: wallet.public_name.clone(),
                    asset_code: wallet.asset_code.clone(),
                    asset_scale: wallet.asset_scale,
                    auth_server: self.auth_server(&wallet.ase),
                    resource_server: self.resource_server(&wallet.ase),
                },
            )
            .with_header("vary", "Accept".to_owned())
            .with_header(cache.0, cache.1),
            Some("jwks.json") => {
                let keys = Jwks::new(wallet.keys.clone()).unwrap_or_default();
                Reply::json(200, &keys.to_document())
            }
            // As the spec's 500 "DID Document not yet implemented", which has no body.
            Some(_) => Reply::empty(500),
        }
    }

    /// The small web page a browser is redirected to from a wallet address URL.
    fn wallet_page(&self, wallet: &Wallet) -> String {
        let name = wallet.public_name.as_deref().unwrap_or(&wallet.name);
        let row = |label: &str, id: &str, value: &str| {
            format!(
                "<tr><th>{}</th><td id=\"{id}\">{}</td></tr>",
                html_escape(label),
                html_escape(value)
            )
        };
        let rows = [
            row("Wallet address", "id", &wallet.url),
            row(
                "Asset",
                "asset",
                &format!("{} (scale {})", wallet.asset_code, wallet.asset_scale),
            ),
            row(
                "Authorization server",
                "authServer",
                &self.auth_server(&wallet.ase),
            ),
            row(
                "Resource server",
                "resourceServer",
                &self.resource_server(&wallet.ase),
            ),
            row("Account servicing entity", "ase", &wallet.ase),
        ]
        .concat();
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{n}</title></head><body>\
             <h1 id=\"publicName\">{n}</h1><p>An Open Payments wallet address on the sandbox.</p>\
             <table>{rows}</table>\
             <p>Clients fetch the JSON document with <code>Accept: application/json</code>.</p></body></html>",
            n = html_escape(name)
        )
    }
}
