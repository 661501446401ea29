//! The sandbox's HTTP vocabulary: the request as read ([`Req`]), the reply to write ([`Reply`]),
//! the error bodies of the authorization server (GNAP) and of the resource server, form values,
//! HTML escaping and `Accept` negotiation.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::resources::{ErrorDetails, ErrorResponse, GnapError, GnapErrorCode, GnapErrorResponse};

/// A request as the sandbox sees it: already fully read, body within the size limit.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Req {
    /// The first header of that name (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `@target-uri`: `http://` + Host header + path + query, as the client addressed us.
    pub(crate) fn target_uri(&self) -> String {
        let host = self.header("host").unwrap_or("127.0.0.1");
        match &self.query {
            Some(q) => format!("http://{host}{}?{q}", self.path),
            None => format!("http://{host}{}", self.path),
        }
    }

    /// The `GNAP` token of the `Authorization` header.
    pub(crate) fn gnap_token(&self) -> Option<&str> {
        let value = self.header("authorization")?;
        let (scheme, token) = value.split_once(' ')?;
        let token = token.trim();
        (scheme == "GNAP" && !token.is_empty()).then_some(token)
    }

    /// A query parameter, percent-decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.query.as_deref().and_then(|q| form_value(q, name))
    }
}

/// A value of an `application/x-www-form-urlencoded` text.
pub(crate) fn form_value(text: &str, name: &str) -> Option<String> {
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (crate::percent::decode_form(k) == name).then(|| crate::percent::decode_form(v))
    })
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
    crate::percent::encode(text)
}

/// Escapes text for HTML.
pub(crate) fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The quality (`q`) an `Accept` header gives a media type: the most specific matching range
/// (`type/subtype`, then `type/*`, then `*/*`); 0 when none matches or there is no header.
fn accept_quality(accept: &str, media: &str) -> f32 {
    let (kind, _) = media.split_once('/').unwrap_or((media, ""));
    let mut best: Option<(u8, f32)> = None;
    for range in accept.split(',') {
        let mut params = range.split(';');
        let Some(name) = params.next().map(|n| n.trim().to_ascii_lowercase()) else {
            continue;
        };
        let specificity = if name == media {
            3
        } else if name.strip_suffix("/*") == Some(kind) {
            2
        } else if name == "*/*" {
            1
        } else {
            continue;
        };
        let q = params
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// Whether a wallet address request prefers a web page: `text/html` ranks strictly above
/// `application/json` in its `Accept` header (the `get-wallet-address` operation of the wallet address server's OpenAPI file allows a 302 then). No header,
/// `*/*` or a tie keeps JSON.
pub(crate) fn prefers_html(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| accept_quality(a, "text/html") > accept_quality(a, "application/json"))
}

/// A response to send.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
    /// Close the TCP connection instead of answering (fault hook).
    pub(crate) drop_connection: bool,
}

impl Reply {
    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            drop_connection: false,
        }
    }

    pub(crate) fn json<T: Serialize>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self {
                status,
                headers: vec![("content-type", "application/json".to_owned())],
                body,
                drop_connection: false,
            },
            Err(_) => Self::empty(500),
        }
    }

    pub(crate) fn html(status: u16, body: String) -> Self {
        Self {
            status,
            headers: vec![("content-type", "text/html; charset=utf-8".to_owned())],
            body: body.into_bytes(),
            drop_connection: false,
        }
    }

    pub(crate) fn redirect(location: String) -> Self {
        let mut reply = Self::empty(302);
        reply.headers.push(("location", location));
        reply
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// An authorization server (GNAP) error reply.
pub(crate) fn gnap_error(status: u16, code: GnapErrorCode, description: &str) -> Reply {
    Reply::json(
        status,
        &GnapErrorResponse {
            error: GnapError {
                code,
                description: Some(description.to_owned()),
            },
        },
    )
}

/// A resource server error reply (`{"error":{"code","description"}}`).
pub(crate) fn rs_error(status: u16, code: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &ErrorResponse {
            error: ErrorDetails {
                code: code.to_owned(),
                description: description.to_owned(),
                details: None,
            },
        },
    )
}

/// A 400 naming the invalid field, from any coded error.
pub(crate) fn rs_invalid<E: crate::error::ErrorCode>(err: &E) -> Reply {
    let mut details = Map::new();
    details.insert("code".to_owned(), Value::String(err.code().to_owned()));
    if let Some(field) = err.field() {
        details.insert("field".to_owned(), Value::String(field));
    }
    Reply::json(
        400,
        &ErrorResponse {
            error: ErrorDetails {
                code: "invalid_request".to_owned(),
                description: err.to_string(),
                details: Some(details),
            },
        },
    )
}

#[cfg(test)]
mod tests {
    use super::prefers_html;

    #[test]
    fn html_is_preferred_only_when_ranked_above_json() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(Some(browser)));
        assert!(prefers_html(Some("text/html")));
        assert!(prefers_html(Some("application/json;q=0.5, text/*")));
        assert!(!prefers_html(None));
        assert!(!prefers_html(Some("application/json")));
        assert!(!prefers_html(Some("*/*")));
        assert!(!prefers_html(Some("text/html, application/json")));
        assert!(!prefers_html(Some("text/html;q=0.5, application/json")));
        assert!(!prefers_html(Some("text/html;q=0")));
    }
}
