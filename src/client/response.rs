//! Response parsing: status, headers and body bytes in, a typed resource or a [`ClientError`] out.

use std::marker::PhantomData;

use super::error::{ClientError, ServerDetails};
use crate::json::Json;
use crate::resources::from_checked::FromChecked;
use crate::resources::{
    read_error_body, AccessTokenResponse, DidDocument, Grant, GrantResponse, IncomingPayment,
    IncomingPaymentWithPaymentMethods, JsonWebKeySet, OutgoingPayment,
    OutgoingPaymentGrantSpentAmounts, OutgoingPaymentWithSpentAmounts, Page, PublicIncomingPayment,
    Quote, ResourceError, WalletAddress,
};
use crate::resources::{schema, schema::Kind, schema_rules, schema_table};

/// Longest response body kept in an error, in bytes.
const MAX_ERROR_BODY: usize = 4096;

/// The response header the client reads: `Cache-Control` of wallet address documents (the
/// address cache keeps a document as long as it allows).
pub(crate) const CACHE_CONTROL: &str = "cache-control";

/// Every response header the client reads. A transport may hand over more (the native ones hand
/// over all of them); the npm client's facade reads only these from each `Response`
/// (`responseHeaders` of `src/js/pending.rs`), as reading them all costs about 1 µs a response
/// in Node. A header the client starts reading is added here.
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "js-public-client")),
    allow(dead_code)
)]
pub(crate) const HEADERS_READ: &[&str] = &[CACHE_CONTROL];

/// An HTTP response as a transport received it.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when there is none).
    pub body: Vec<u8>,
}

/// `Debug` shows the body's length, not the body: grant and token responses carry access tokens.
impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl HttpResponse {
    /// The value of a header (case-insensitive name), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Reads this response to `method url` as `T`: `T`'s success statuses give the resource,
    /// anything else an HTTP error carrying the server's error code, description and body.
    pub fn parse<T: ResponseBody>(&self, method: &str, url: &str) -> Result<T, ClientError> {
        if !T::SUCCESS.contains(&self.status) {
            return Err(self.http_error(method, url));
        }
        T::from_body(&self.body).map_err(|source| ClientError::InvalidResponse {
            method: method.to_owned(),
            url: url.to_owned(),
            status: self.status,
            source,
        })
    }

    /// The error for an unexpected status. Both error body shapes (the resource server's
    /// `{error: {code, description}}` and GNAP's, whose description is optional) are read.
    pub fn http_error(&self, method: &str, url: &str) -> ClientError {
        let text = String::from_utf8_lossy(&self.body);
        let (server_code, description, details) = match read_error_body(&text) {
            Some((code, description, details)) => (
                Some(code),
                description,
                details.map(|d| ServerDetails(d.into_boxed_str())),
            ),
            None => (None, None, None),
        };
        let body = (!text.trim().is_empty()).then(|| {
            let mut end = text.len().min(MAX_ERROR_BODY);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.get(..end).unwrap_or_default().to_owned()
        });
        ClientError::Http {
            method: method.to_owned(),
            url: url.to_owned(),
            status: self.status,
            server_code,
            description,
            details,
            body,
        }
    }
}

/// A response body type: the statuses that mean success and how to read the body.
pub trait ResponseBody: Sized {
    /// The statuses that carry this body.
    const SUCCESS: &'static [u16];
    /// Reads the body.
    fn from_body(body: &[u8]) -> Result<Self, ResourceError>;
}

/// No content: `204` (or `200` with any body, which is ignored).
impl ResponseBody for () {
    const SUCCESS: &'static [u16] = &[200, 204];
    fn from_body(_: &[u8]) -> Result<Self, ResourceError> {
        Ok(())
    }
}

/// A document of the schema table (`crate::resources::schema_table`): its schema and the typed
/// model whose rules it follows (and whose statuses mean success).
pub(crate) trait Schema {
    /// The typed model of the same document.
    type Model: ResponseBody;
    /// Its schema.
    fn kind() -> &'static Kind;
}

/// A response body checked against the schema of `S` and kept as the text the server sent:
/// the typed model's rules (the tests of `crate::resources::schema` compare the two), without
/// building the model.
pub(crate) struct Checked<S>(pub(crate) String, PhantomData<S>);

impl<S> Checked<S> {
    /// Text already checked against the schema of `S` as part of another document (an item of
    /// a checked list).
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js-client")),
        allow(dead_code)
    )]
    pub(crate) fn within(text: String) -> Self {
        Self(text, PhantomData)
    }
}

impl<S: Schema> ResponseBody for Checked<S> {
    const SUCCESS: &'static [u16] = <S::Model as ResponseBody>::SUCCESS;
    fn from_body(body: &[u8]) -> Result<Self, ResourceError> {
        let text = utf8(body)?;
        schema::check(text, S::kind())?;
        Ok(Self(text.to_owned(), PhantomData))
    }
}

/// The documents checked against the schema table, each with its schema, its typed model and the
/// statuses that carry it. The model is read the same way: checked against the schema, then
/// built from the checked tree (`crate::resources::from_checked`), so the client instantiates
/// no serde `Deserialize`.
macro_rules! schema_documents {
    ($($(#[doc = $doc:literal])* $name:ident => $kind:path, $model:ty, $status:expr;)*) => {$(
        $(#[doc = $doc])*
        // The JS client's operations use them all; natively only some.
        #[cfg_attr(not(all(target_arch = "wasm32", feature = "js-client")), allow(dead_code))]
        pub(crate) struct $name;

        impl Schema for $name {
            type Model = $model;
            fn kind() -> &'static Kind {
                &$kind
            }
        }

        impl ResponseBody for $model {
            const SUCCESS: &'static [u16] = $status;
            fn from_body(body: &[u8]) -> Result<Self, ResourceError> {
                model(body, &$kind)
            }
        }
    )*};
}

schema_documents! {
    /// `wallet-address`.
    WalletAddressDocument => schema_table::WALLET_ADDRESS, WalletAddress, &[200];
    /// `json-web-key-set`.
    KeysDocument => schema_table::JSON_WEB_KEY_SET, JsonWebKeySet, &[200];
    /// `did-document`.
    DidDocumentDocument => schema_table::DID_DOCUMENT, DidDocument, &[200];
    /// `public-incoming-payment`.
    PublicIncomingPaymentDocument => schema_table::PUBLIC_INCOMING_PAYMENT, PublicIncomingPayment, &[200];
    /// `incoming-payment-with-methods` (create and get).
    IncomingPaymentDocument => schema_table::INCOMING_PAYMENT_WITH_METHODS, IncomingPaymentWithPaymentMethods, &[200, 201];
    /// `incoming-payment` (complete).
    CompletedIncomingPaymentDocument => schema_table::INCOMING_PAYMENT, IncomingPayment, &[200];
    /// A page of `incoming-payment`s.
    IncomingPaymentPageDocument => schema_table::INCOMING_PAYMENT_PAGE, Page<IncomingPayment>, &[200];
    /// `quote`.
    QuoteDocument => schema_table::QUOTE, Quote, &[200, 201];
    /// `outgoing-payment-with-spent-amounts` (create).
    CreatedOutgoingPaymentDocument => schema_table::OUTGOING_PAYMENT_WITH_SPENT_AMOUNTS, OutgoingPaymentWithSpentAmounts, &[200, 201];
    /// `outgoing-payment` (get).
    OutgoingPaymentDocument => schema_table::OUTGOING_PAYMENT, OutgoingPayment, &[200];
    /// A page of `outgoing-payment`s.
    OutgoingPaymentPageDocument => schema_table::OUTGOING_PAYMENT_PAGE, Page<OutgoingPayment>, &[200];
    /// What an outgoing-payment grant has spent.
    GrantSpentAmountsDocument => schema_table::GRANT_SPENT_AMOUNTS, OutgoingPaymentGrantSpentAmounts, &[200];
    /// The answer to a grant request (`oneOf` pending and approved).
    GrantResponseDocument => schema_rules::GRANT_RESPONSE, GrantResponse, &[200];
    /// The answer to a grant continuation.
    GrantDocument => schema_table::GRANT, Grant, &[200];
    /// The answer to a token rotation.
    AccessTokenResponseDocument => schema_table::ACCESS_TOKEN_RESPONSE, AccessTokenResponse, &[200];
}

fn utf8(body: &[u8]) -> Result<&str, ResourceError> {
    std::str::from_utf8(body)
        .map_err(|_| ResourceError::new("invalid_json", "", "the body is not UTF-8 text"))
}

/// Reads a model from a body: checked against `kind` (its rules, the error naming the first bad
/// field), then built from the checked tree.
fn model<T: FromChecked>(body: &[u8], kind: &Kind) -> Result<T, ResourceError> {
    built(&schema::parsed(utf8(body)?, kind)?)
}

/// The model of a text already checked against its schema (a cached document, an item of a
/// checked list): built from its tree without walking it again.
pub(crate) fn model_of_checked<T: FromChecked>(text: &str) -> Result<T, ResourceError> {
    let tree =
        Json::parse(text).map_err(|e| ResourceError::new("invalid_json", "", &e.to_string()))?;
    built(&tree)
}

fn built<T: FromChecked>(tree: &Json) -> Result<T, ResourceError> {
    T::from_checked(tree).ok_or_else(|| {
        ResourceError::new(
            "internal_error",
            "",
            "a document its schema accepts did not build its model",
        )
    })
}
