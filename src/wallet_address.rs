//! Turning what a person types into the wallet address URL a client fetches.
//!
//! Accepted forms:
//! - `https://wallet.example/alice`: kept as is (the host is lowercased);
//! - `$wallet.example/alice` (payment pointer): `https://wallet.example/alice`;
//! - `$wallet.example`: `https://wallet.example/.well-known/pay`;
//! - `http://…` only on a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`), for local test
//!   servers; a payment pointer to a loopback host resolves to `http://` for the same reason.
//!
//! Refused with a typed error: other schemes, `http` to any other host, user info, query,
//! fragment, a port on a non-loopback host (wallet addresses have none), and malformed hosts or
//! paths. Non-ASCII hosts must be given in their punycode (`xn--`) form.

use crate::error::ErrorCode;

/// Why a wallet address could not be resolved. Every variant is about the field `walletAddress`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WalletAddressUrlError {
    /// Nothing was given.
    #[error(
        "enter a wallet address such as $wallet.example/alice or https://wallet.example/alice"
    )]
    Empty,
    /// Not a payment pointer nor an `https://` URL.
    #[error("a wallet address starts with $ or https:// (got {})", crate::error::quoted(.0))]
    UnsupportedScheme(String),
    /// `http://` to a host that is not loopback.
    #[error("wallet addresses must use https; http is only allowed for localhost")]
    InsecureHttp,
    /// A part a wallet address never has (user info, query, fragment, port).
    #[error("a wallet address has no {0}")]
    ForbiddenPart(&'static str),
    /// The host is not a valid DNS name or IP address.
    #[error("{} is not a valid host name", crate::error::quoted(.0))]
    InvalidHost(String),
    /// The path has characters a URL path cannot hold.
    #[error("the path has characters that a URL cannot hold unescaped")]
    InvalidPath,
}

impl ErrorCode for WalletAddressUrlError {
    fn code(&self) -> &str {
        match self {
            Self::InsecureHttp => "insecure_wallet_address",
            _ => "invalid_wallet_address",
        }
    }

    fn field(&self) -> Option<String> {
        Some("walletAddress".to_owned())
    }
}

/// Resolves a payment pointer or URL to the wallet address URL, or says why it cannot.
///
/// Surrounding whitespace is ignored (people paste it); nothing else is changed but the host's
/// case.
///
/// ```
/// use open_payments_wasm::wallet_address::resolve_wallet_address_url;
/// assert_eq!(resolve_wallet_address_url("$wallet.example/alice")?, "https://wallet.example/alice");
/// assert_eq!(resolve_wallet_address_url("$wallet.example")?, "https://wallet.example/.well-known/pay");
/// # Ok::<(), open_payments_wasm::WalletAddressUrlError>(())
/// ```
pub fn resolve_wallet_address_url(input: &str) -> Result<String, WalletAddressUrlError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(WalletAddressUrlError::Empty);
    }
    let (pointer, secure, rest) = if let Some(rest) = input.strip_prefix('$') {
        (true, true, rest)
    } else if let Some(rest) = strip_prefix_ignore_case(input, "https://") {
        (false, true, rest)
    } else if let Some(rest) = strip_prefix_ignore_case(input, "http://") {
        (false, false, rest)
    } else {
        let shown: String = input.chars().take(24).collect();
        return Err(WalletAddressUrlError::UnsupportedScheme(shown));
    };
    if rest.contains('#') {
        return Err(WalletAddressUrlError::ForbiddenPart("fragment (#…)"));
    }
    if rest.contains('?') {
        return Err(WalletAddressUrlError::ForbiddenPart("query (?…)"));
    }
    let (authority, path) = match rest.find('/') {
        // `find` answers a char boundary, so the split always succeeds.
        Some(i) => rest.split_at_checked(i).unwrap_or((rest, "")),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(WalletAddressUrlError::ForbiddenPart(
            "user name or password (…@)",
        ));
    }
    let (host, port) = split_port(authority)?;
    let host = host.to_ascii_lowercase();
    validate_host(&host)?;
    let loopback = is_loopback(&host);
    if port.is_some() && !loopback {
        return Err(WalletAddressUrlError::ForbiddenPart(
            "port (only localhost test servers have one)",
        ));
    }
    if !secure && !loopback {
        return Err(WalletAddressUrlError::InsecureHttp);
    }
    if !path.bytes().all(is_path_byte) {
        return Err(WalletAddressUrlError::InvalidPath);
    }
    let scheme = if secure && !(pointer && loopback) {
        "https"
    } else {
        "http"
    };
    let path = if pointer && (path.is_empty() || path == "/") {
        "/.well-known/pay"
    } else {
        path
    };
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{scheme}://{host}{port}{path}"))
}

fn strip_prefix_ignore_case<'a>(input: &'a str, prefix: &str) -> Option<&'a str> {
    let head = input.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| input.get(prefix.len()..))
        .flatten()
}

/// Splits `host[:port]` (IPv6 literals in brackets) and checks the port is 1..=65535.
fn split_port(authority: &str) -> Result<(&str, Option<u16>), WalletAddressUrlError> {
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => {
                // `]` is one byte, so `end + 1` is a char boundary.
                let (host, after) = authority
                    .split_at_checked(end + 1)
                    .unwrap_or((authority, ""));
                (host, after.strip_prefix(':'))
            }
            None => return Err(WalletAddressUrlError::InvalidHost(authority.to_owned())),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(text) => match text.parse::<u16>() {
            Ok(p) if p > 0 && text.bytes().all(|b| b.is_ascii_digit()) => Some(p),
            _ => return Err(WalletAddressUrlError::InvalidHost(authority.to_owned())),
        },
    };
    Ok((host, port))
}

/// A DNS name of LDH labels, a dotted IPv4 address, or a bracketed IPv6 literal.
fn validate_host(host: &str) -> Result<(), WalletAddressUrlError> {
    let invalid = || WalletAddressUrlError::InvalidHost(host.chars().take(64).collect());
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner
            .parse::<std::net::Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| invalid());
    }
    if host.is_empty() || host.len() > 253 {
        return Err(invalid());
    }
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    let all_numeric = host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if !labels_ok || (all_numeric && host.parse::<std::net::Ipv4Addr>().is_err()) {
        return Err(invalid());
    }
    Ok(())
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// RFC 3986 path characters: unreserved, sub-delims, `:`, `@`, `/` and `%` escapes.
fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        resolve_wallet_address_url(input).unwrap()
    }

    fn code(input: &str) -> String {
        resolve_wallet_address_url(input)
            .unwrap_err()
            .code()
            .to_owned()
    }

    #[test]
    fn payment_pointers_resolve_to_https_urls() {
        assert_eq!(ok("$wallet.example/alice"), "https://wallet.example/alice");
        assert_eq!(
            ok("$wallet.example"),
            "https://wallet.example/.well-known/pay"
        );
        assert_eq!(
            ok("$wallet.example/"),
            "https://wallet.example/.well-known/pay"
        );
        assert_eq!(
            ok("  $Wallet.Example/alice \n"),
            "https://wallet.example/alice"
        );
    }

    #[test]
    fn https_urls_are_kept_as_given() {
        assert_eq!(
            ok("https://wallet.example/alice"),
            "https://wallet.example/alice"
        );
        assert_eq!(
            ok("https://wallet.example/alice/"),
            "https://wallet.example/alice/"
        );
        assert_eq!(
            ok("HTTPS://WALLET.example/Alice"),
            "https://wallet.example/Alice"
        );
    }

    #[test]
    fn http_and_ports_only_on_loopback() {
        assert_eq!(
            ok("http://127.0.0.1:4000/alice"),
            "http://127.0.0.1:4000/alice"
        );
        assert_eq!(
            ok("http://localhost:4000/alice"),
            "http://localhost:4000/alice"
        );
        assert_eq!(ok("http://[::1]:4000/alice"), "http://[::1]:4000/alice");
        assert_eq!(ok("$127.0.0.1:4000/alice"), "http://127.0.0.1:4000/alice");
        assert_eq!(
            code("http://wallet.example/alice"),
            "insecure_wallet_address"
        );
        assert_eq!(code("http://10.0.0.1/alice"), "insecure_wallet_address");
        assert_eq!(
            code("https://wallet.example:8443/alice"),
            "invalid_wallet_address"
        );
    }

    #[test]
    fn everything_else_is_a_typed_error() {
        for bad in [
            "",
            "   ",
            "alice",
            "wallet.example/alice",
            "ftp://wallet.example/a",
            "$",
            "https://",
            "https://user:pw@wallet.example/a",
            "https://wallet.example/a?x=1",
            "https://wallet.example/a#f",
            "$wallet..example/a",
            "$-wallet.example",
            "$wallet.example/a b",
            "$wälle.example/a",
            "https://wallet.example:0/a",
            "http://localhost:99999/a",
            "https://999.1.1.1/a",
            "https://[::zz]/a",
            "$[::1",
        ] {
            assert_eq!(code(bad), "invalid_wallet_address", "input {bad:?}");
        }
        let err = resolve_wallet_address_url("nope").unwrap_err();
        assert_eq!(err.field().as_deref(), Some("walletAddress"));
    }
}
