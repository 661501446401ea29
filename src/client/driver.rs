//! How every operation of [`OpenPaymentsClient`] is sent: the call is built (and signed at the
//! current time) for each attempt, sent through the transport, retried when idempotent, logged
//! (redacted), and its response parsed.

use super::api::OpenPaymentsClient;
use super::config::Signing;
use super::error::ClientError;
use super::request::{self, Call, Signer, SigningKey, UrlOptions};
use super::response::{HttpResponse, ResponseBody};
use super::transport::{LogEvent, LogKind, Transport};
use crate::error::ErrorCode;

impl<T: Transport> OpenPaymentsClient<T> {
    /// The signer of requests that must be signed: the key, or none when the transport signs
    /// them ([`ClientConfig::with_external_signing`]).
    pub(super) fn signer(&self, created: u64) -> Result<Option<Signer<'_>>, ClientError> {
        match &self.config().signing {
            Signing::Key(key) => Ok(Some(Signer {
                key: SigningKey::Key(key),
                created,
            })),
            Signing::Transport(key_id) => Ok(Some(Signer {
                key: SigningKey::Transport(key_id),
                created,
            })),
            Signing::External => Ok(None),
            Signing::Unauthenticated => Err(ClientError::NoSigningKey),
        }
    }

    pub(super) fn opts(&self) -> UrlOptions {
        self.config().url_options
    }

    pub(super) fn log(&self, event: impl FnOnce() -> LogEvent) {
        if let Some(logger) = &self.config().logger {
            logger(&event());
        }
    }

    /// Builds (and signs, at the current time) the call for each attempt, sends it, and parses
    /// the response. Idempotent requests are retried per the [`RetryPolicy`]; POSTs never.
    ///
    /// Only the parsing is generic over the response type: sending and retrying run in one
    /// boxed, non-generic future, so the retry loop is compiled once rather than once per
    /// operation (in wasm that duplication cost about 100 KB).
    pub(super) async fn run<R: ResponseBody>(
        &self,
        make: impl Fn(u64) -> Result<Call<R>, ClientError>,
    ) -> Result<R, ClientError> {
        self.run_inspect(make, &mut |_| {}).await
    }

    /// [`Self::run`], showing the final response to `inspect` before it is parsed.
    pub(super) async fn run_inspect<R: ResponseBody>(
        &self,
        make: impl Fn(u64) -> Result<Call<R>, ClientError>,
        inspect: &mut dyn FnMut(&HttpResponse),
    ) -> Result<R, ClientError> {
        // The method and URL of the last request, for the response's errors: the request itself
        // goes to the transport (a clone of it per attempt cost more than the rest of building it).
        let mut last: Option<(request::Method, String)> = None;
        let mut build = |now: u64| -> Result<request::HttpRequest, ClientError> {
            let request = make(now)?.request;
            last = Some((request.method, request.url.clone()));
            Ok(request)
        };
        let sending: std::pin::Pin<Box<dyn std::future::Future<Output = _> + '_>> =
            Box::pin(self.send_with_retries(&mut build));
        let response = sending.await?;
        inspect(&response);
        match last {
            Some((method, url)) => response.parse(method.as_str(), &url),
            None => Err(ClientError::InvalidResponse {
                method: String::new(),
                url: String::new(),
                status: response.status,
                // Unreachable: a response only exists after a request was built.
                source: crate::resources::ResourceError::new(
                    "invalid_json",
                    "",
                    "no request was built",
                ),
            }),
        }
    }

    /// Sends the request `build` makes for each attempt; returns the response to parse.
    async fn send_with_retries(
        &self,
        build: &mut dyn FnMut(u64) -> Result<request::HttpRequest, ClientError>,
    ) -> Result<HttpResponse, ClientError> {
        let retry = self.config().retry;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let request = build(self.config().runtime.now_unix_seconds())?;
            let method = request.method;
            let url = request.url.clone();
            let can_retry = method.is_idempotent() && attempt <= retry.max_retries;
            self.log(|| LogEvent {
                headers: request.redacted_headers(),
                ..LogEvent::new(LogKind::Request, method.as_str(), &url, attempt)
            });
            let outcome = self.transport().send(request).await;
            let error = match outcome {
                Ok(response) => {
                    self.log(|| LogEvent {
                        status: Some(response.status),
                        ..LogEvent::new(LogKind::Response, method.as_str(), &url, attempt)
                    });
                    if !(can_retry && response.status >= 500) {
                        return Ok(response);
                    }
                    response.http_error(method.as_str(), &url)
                }
                Err(err) => {
                    let err = ClientError::from_transport(err, method.as_str(), &url);
                    if !(can_retry && err.outcome_unknown()) {
                        self.log(|| LogEvent {
                            error: Some(err.code().to_owned()),
                            ..LogEvent::new(LogKind::Error, method.as_str(), &url, attempt)
                        });
                        return Err(err);
                    }
                    err
                }
            };
            self.log(|| LogEvent {
                status: error.status(),
                error: Some(error.code().to_owned()),
                ..LogEvent::new(LogKind::Retry, method.as_str(), &url, attempt)
            });
            self.config().runtime.sleep(retry.delay_ms(attempt)).await;
        }
    }
}
