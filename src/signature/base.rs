//! The request as the signer and verifier see it, component values (RFC 9421 §2), and the
//! signature base (RFC 9421 §2.5). Shared by [`super::sign`] and [`super::verify`] so that both
//! sides build the base with the same code.

use std::borrow::Cow;

use crate::error::ErrorCode;

/// An HTTP request to sign or verify: method, absolute target URI, header fields in order (names
/// in any case; repeated names are combined with `", "` as RFC 9421 §2.1 says), and the body bytes.
///
/// The core takes the request as data and never performs I/O.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpRequest<'a> {
    /// The method, e.g. `POST`, exactly as sent: RFC 9421 §2.2.1 signs it as is and compares it
    /// case-sensitively (`get` and `GET` are different methods), never normalised.
    pub method: &'a str,
    /// The absolute `http`/`https` URL the request is sent to, with its query.
    pub url: &'a str,
    /// Header fields as `(name, value)` pairs.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes, if any. An empty body counts as no body (the official client does the same).
    pub body: Option<&'a [u8]>,
}

/// A request that owns its parts (for callers that build it from other data, e.g. JS values),
/// lent out as an [`HttpRequest`] with [`OwnedHttpRequest::with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedHttpRequest {
    /// The method.
    pub method: String,
    /// The absolute URL, with its query.
    pub url: String,
    /// Header fields as `(name, value)` pairs.
    pub headers: Vec<(String, String)>,
    /// The body bytes, if any.
    pub body: Option<Vec<u8>>,
}

impl OwnedHttpRequest {
    /// Runs `f` on a borrowed [`HttpRequest`] view of this request.
    pub fn with<R>(&self, f: impl FnOnce(&HttpRequest<'_>) -> R) -> R {
        let pairs: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        f(&HttpRequest {
            method: &self.method,
            url: &self.url,
            headers: &pairs,
            body: self.body.as_deref(),
        })
    }
}

impl<'a> HttpRequest<'a> {
    /// A request without body.
    pub fn new(method: &'a str, url: &'a str, headers: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            method,
            url,
            headers,
            body: None,
        }
    }

    /// The same request with a body.
    pub fn with_body(self, body: &'a [u8]) -> Self {
        Self {
            body: Some(body),
            ..self
        }
    }

    /// The body when it is non-empty.
    pub fn non_empty_body(&self) -> Option<&'a [u8]> {
        self.body.filter(|b| !b.is_empty())
    }

    /// The value of a header field (case-insensitive name), trimmed; repeated fields are joined
    /// with `", "`. `None` when the field is absent.
    pub fn header(&self, name: &str) -> Option<Cow<'a, str>> {
        let mut found: Option<Cow<'a, str>> = None;
        for (_, v) in self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            let v = v.trim_matches([' ', '\t']);
            found = Some(match found {
                None => Cow::Borrowed(v),
                Some(prev) => Cow::Owned(format!("{prev}, {v}")),
            });
        }
        found
    }
}

/// Why a request (or a component it is asked for) cannot be put into a signature base.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The method is empty or not an HTTP token.
    #[error("the method {} is not an HTTP method token", crate::error::quoted(&.0))]
    InvalidMethod(String),
    /// The URL is not an absolute `http`/`https` URL without spaces or control characters.
    #[error("the target URI {} is not an absolute http(s) URL", crate::error::quoted(&.0))]
    InvalidTargetUri(String),
    /// A header value holds a control character (CR, LF, NUL, ...), which could forge lines of
    /// the signature base.
    #[error("the value of header {} contains a control character", crate::error::quoted(&.0))]
    InvalidHeaderValue(String),
    /// A covered header field is not in the request.
    #[error("the covered header {} is not in the request", crate::error::quoted(&.0))]
    MissingHeader(String),
    /// A derived component this library does not produce (e.g. `@query-param`, `@status`).
    #[error("the component {} is not supported", crate::error::quoted(&.0))]
    UnsupportedComponent(String),
}

impl ErrorCode for RequestError {
    fn code(&self) -> &str {
        match self {
            Self::InvalidMethod(_) => "invalid_method",
            Self::InvalidTargetUri(_) => "invalid_target_uri",
            Self::InvalidHeaderValue(_) => "invalid_header_value",
            Self::MissingHeader(_) => "missing_covered_header",
            Self::UnsupportedComponent(_) => "unsupported_component",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Self::InvalidMethod(_) => Some("method".to_owned()),
            Self::InvalidTargetUri(_) => Some("url".to_owned()),
            Self::InvalidHeaderValue(h)
            | Self::MissingHeader(h)
            | Self::UnsupportedComponent(h) => Some(h.clone()),
        }
    }
}

/// The parts of an absolute URL the derived components need.
struct UrlParts<'a> {
    scheme: &'a str,
    authority: &'a str,
    path: &'a str,
    query: Option<&'a str>,
}

/// The target URI as signed: the URL without fragment (a fragment is never sent).
fn target_uri(url: &str) -> Result<&str, RequestError> {
    let bad = || RequestError::InvalidTargetUri(url.to_owned());
    if url.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(bad());
    }
    let without_fragment = url.split_once('#').map_or(url, |(u, _)| u);
    split_url(without_fragment).ok_or_else(bad)?;
    Ok(without_fragment)
}

fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
        return None;
    }
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at_checked(end)?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    Some(UrlParts {
        scheme,
        authority,
        path,
        query,
    })
}

/// The method as sent, once it is checked to be an HTTP token. Not normalised: RFC 9421 §2.2.1
/// (and RFC 9110 §9.1) make the method case-sensitive.
fn check_method(method: &str) -> Result<&str, RequestError> {
    const TCHAR: &[u8] = b"!#$%&'*+-.^_`|~";
    if method.is_empty()
        || !method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || TCHAR.contains(&b))
    {
        return Err(RequestError::InvalidMethod(method.to_owned()));
    }
    Ok(method)
}

/// Header values may contain visible ASCII, spaces, tabs and obs-text, never CR/LF/NUL or other
/// controls (they would let a value forge a line of the signature base).
fn check_header_value(name: &str, value: &str) -> Result<(), RequestError> {
    if value.bytes().any(|b| (b < b' ' && b != b'\t') || b == 0x7f) {
        return Err(RequestError::InvalidHeaderValue(name.to_owned()));
    }
    Ok(())
}

/// The value of one covered component (RFC 9421 §2.1, §2.2) of `request`.
pub(crate) fn component_value<'a>(
    request: &HttpRequest<'a>,
    name: &str,
) -> Result<Cow<'a, str>, RequestError> {
    let url = || -> Result<UrlParts<'a>, RequestError> {
        let uri = target_uri(request.url)?;
        split_url(uri).ok_or_else(|| RequestError::InvalidTargetUri(request.url.to_owned()))
    };
    Ok(match name {
        "@method" => Cow::Borrowed(check_method(request.method)?),
        "@target-uri" => Cow::Borrowed(target_uri(request.url)?),
        "@scheme" => Cow::Owned(url()?.scheme.to_ascii_lowercase()),
        "@authority" => {
            let parts = url()?;
            let scheme = parts.scheme.to_ascii_lowercase();
            let authority = parts.authority.to_ascii_lowercase();
            let default_port = if scheme == "https" { ":443" } else { ":80" };
            Cow::Owned(
                authority
                    .strip_suffix(default_port)
                    .map(str::to_owned)
                    .unwrap_or(authority),
            )
        }
        "@path" => {
            let path = url()?.path;
            Cow::Borrowed(if path.is_empty() { "/" } else { path })
        }
        "@query" => Cow::Owned(format!("?{}", url()?.query.unwrap_or(""))),
        "@request-target" => {
            let parts = url()?;
            let path = if parts.path.is_empty() {
                "/"
            } else {
                parts.path
            };
            match parts.query {
                Some(q) => Cow::Owned(format!("{path}?{q}")),
                None => Cow::Borrowed(path),
            }
        }
        derived if derived.starts_with('@') => {
            return Err(RequestError::UnsupportedComponent(derived.to_owned()))
        }
        header => {
            let value = request
                .header(header)
                .ok_or_else(|| RequestError::MissingHeader(header.to_owned()))?;
            check_header_value(header, &value)?;
            value
        }
    })
}

/// Builds the signature base (RFC 9421 §2.5): one `"name": value` line per component in order,
/// then `"@signature-params": <params>`, lines joined by LF, no trailing LF.
///
/// `values` are the already-resolved component values.
pub(crate) fn signature_base<'v>(
    components: impl IntoIterator<Item = (&'v str, &'v str)>,
    signature_params: &str,
) -> String {
    let mut base = String::with_capacity(512);
    for (name, value) in components {
        base.push('"');
        base.push_str(name);
        base.push_str("\": ");
        base.push_str(value);
        base.push('\n');
    }
    base.push_str("\"@signature-params\": ");
    base.push_str(signature_params);
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_components_of_the_rfc_test_request() {
        let headers = [
            ("Host", "example.com"),
            ("Content-Type", " application/json "),
        ];
        let req = HttpRequest::new(
            "post",
            "https://Example.com:443/foo?param=Value&Pet=dog#frag",
            &headers,
        );
        let v = |n: &str| component_value(&req, n).unwrap().into_owned();
        // RFC 9421 §2.2.1: the method as sent, not normalised.
        assert_eq!(v("@method"), "post");
        assert_eq!(
            v("@target-uri"),
            "https://Example.com:443/foo?param=Value&Pet=dog"
        );
        assert_eq!(v("@authority"), "example.com");
        assert_eq!(v("@scheme"), "https");
        assert_eq!(v("@path"), "/foo");
        assert_eq!(v("@query"), "?param=Value&Pet=dog");
        assert_eq!(v("@request-target"), "/foo?param=Value&Pet=dog");
        assert_eq!(v("content-type"), "application/json");
        assert_eq!(
            component_value(&req, "date").unwrap_err().code(),
            "missing_covered_header"
        );
        assert_eq!(
            component_value(&req, "@status").unwrap_err().code(),
            "unsupported_component"
        );
    }

    #[test]
    fn bad_requests_are_refused() {
        let crlf = [("Authorization", "GNAP x\n\"@method\": GET")];
        let req = HttpRequest::new("GET", "https://a.example/", &crlf);
        assert_eq!(
            component_value(&req, "authorization").unwrap_err().code(),
            "invalid_header_value"
        );
        for url in [
            "/relative",
            "ftp://a.example/",
            "https:///x",
            "https://a b/",
            "https://u@a.example/",
        ] {
            let req = HttpRequest::new("GET", url, &[]);
            assert_eq!(
                component_value(&req, "@target-uri").unwrap_err().code(),
                "invalid_target_uri",
                "{url}"
            );
        }
        let req = HttpRequest::new("GE T", "https://a.example/", &[]);
        assert_eq!(
            component_value(&req, "@method").unwrap_err().code(),
            "invalid_method"
        );
    }
}
