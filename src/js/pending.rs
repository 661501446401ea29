//! A client operation in progress, driven step by step by the facade (`drive` in
//! `src/js/facade/pending.ts`): the npm package's client does its I/O in JS, not from wasm.
//!
//! Each raw operation returns a [`Pending`] holding the core's future (retries, reconciliation,
//! the merchant flows: all of `crate::client` and `crate::merchant` unchanged). The facade asks it
//! for its first step; the future is polled until it waits on a request or a timer, and the step
//! says which: `F` + the request to send (method, URL, whether it must be signed, body, the
//! signature base when the facade signs (`newHostSigningClient`), headers; see `send_step`), `S` + the
//! milliseconds to sleep, or the operation's [`Answer`] itself (JSON text or `!` + the error's
//! JSON: it never starts with `F` or `S`, so it needs no tag and no copy). The facade
//! sends the request with `sendRequest` of `src/js/host.js` (timeout, abort signal, interceptor,
//! the body read) and reports the outcome with [`Pending::fetched`] or [`Pending::failed`], or
//! reports the timer with [`Pending::slept`]; each of these polls again and answers the next step.
//!
//! Why: awaiting JS promises from wasm (`wasm-bindgen-futures`) costs a promise, two closures
//! and a finalizer registration per await, and a microtask hop per wake, on every request; here a
//! request costs two plain calls (strings and bytes in, a string out). The wasm imports nothing
//! for I/O, so nothing JS does while a request is in flight can reach wasm frames.
//!
//! The futures are polled with a no-op waker: they only ever wait on the two leaves below
//! (`Exchange`, `Sleep`), which register what they wait for in the slot of the operation
//! being polled (`CURRENT`; polls may nest, when a logger starts an operation of its own, so
//! each poll restores the slot it found).

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::prelude::*;

use super::transport::{headers_from_json, headers_sent, transport_error};
use super::Answer;
use crate::client::{
    ClientError, HttpRequest, HttpResponse, LocalBoxFuture, Transport, TransportError,
};
use crate::error::push_quoted;

/// What an operation waits for between two steps.
enum Wait {
    /// Nothing: the future is running, or finished.
    Idle,
    /// A request to send, put here by an [`Exchange`] and taken by the step that reports it.
    Send(HttpRequest),
    /// The outcome of the request, reported by the facade, taken by the [`Exchange`].
    Outcome(Result<HttpResponse, TransportError>),
    /// A timer to start, put here by a [`Sleep`].
    Sleep(u64),
    /// The timer ran out, reported by the facade.
    Woken,
    /// A request or timer handed to the facade, not reported yet.
    Away,
}

type Slot = Rc<RefCell<Wait>>;

thread_local! {
    /// The slot of the operation being polled, if any.
    static CURRENT: RefCell<Option<Slot>> = const { RefCell::new(None) };
}

fn current() -> Option<Slot> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Puts `wait` in the polled operation's slot; `None` when no operation is polled or the slot
/// already holds something (the core never waits on two things at once).
fn register(wait: Wait) -> Option<Slot> {
    let slot = current()?;
    let mut held = slot.borrow_mut();
    if !matches!(*held, Wait::Idle) {
        return None;
    }
    *held = wait;
    drop(held);
    Some(slot)
}

/// One request: registered on its first poll, ready once the facade reported its outcome.
struct Exchange {
    request: Option<HttpRequest>,
    slot: Option<Slot>,
}

impl Future for Exchange {
    type Output = Result<HttpResponse, TransportError>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Some(slot) = &this.slot {
            let mut held = slot.borrow_mut();
            return match std::mem::replace(&mut *held, Wait::Idle) {
                Wait::Outcome(outcome) => Poll::Ready(outcome),
                other => {
                    *held = other;
                    Poll::Pending
                }
            };
        }
        let Some(request) = this.request.take() else {
            return Poll::Ready(Err(TransportError::Rejected("polled again".to_owned())));
        };
        match register(Wait::Send(request)) {
            Some(slot) => {
                this.slot = Some(slot);
                Poll::Pending
            }
            None => Poll::Ready(Err(TransportError::Rejected(
                "the request was made outside of an operation".to_owned(),
            ))),
        }
    }
}

/// One timer: registered on its first poll, ready once the facade reported it ran out.
struct Sleep {
    ms: u64,
    slot: Option<Slot>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        match &this.slot {
            Some(slot) => {
                let mut held = slot.borrow_mut();
                if matches!(*held, Wait::Woken) {
                    *held = Wait::Idle;
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
            None => match register(Wait::Sleep(this.ms)) {
                Some(slot) => {
                    this.slot = Some(slot);
                    Poll::Pending
                }
                // Outside of an operation nothing can wake it: no wait rather than none ever.
                None => Poll::Ready(()),
            },
        }
    }
}

/// The npm client's transport: each request becomes an `F` step of the operation being polled.
#[derive(Debug, Clone, Copy, Default)]
pub struct StepTransport;

impl Transport for StepTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(Exchange {
            request: Some(request),
            slot: None,
        })
    }
}

/// Whether an operation is being polled (its timers can be steps).
pub(crate) fn driven() -> bool {
    CURRENT.with(|c| c.borrow().is_some())
}

/// A timer as an `S` step of the operation being polled (`JsRuntime::sleep`).
pub(crate) fn sleep(ms: u64) -> LocalBoxFuture<'static, ()> {
    Box::pin(Sleep { ms, slot: None })
}

/// An operation in progress (see the module documentation for its steps).
#[wasm_bindgen]
pub struct Pending {
    future: Option<LocalBoxFuture<'static, Answer>>,
    /// The answer of an operation that failed before it started.
    ready: Option<Answer>,
    slot: Slot,
}

impl Pending {
    /// An operation running `future`.
    pub(crate) fn new(future: impl Future<Output = Answer> + 'static) -> Self {
        Self::boxed(Box::pin(future))
    }

    /// Not generic, so that the step code is compiled once for every operation.
    fn boxed(future: LocalBoxFuture<'static, Answer>) -> Self {
        Self {
            future: Some(future),
            ready: None,
            slot: Rc::new(RefCell::new(Wait::Idle)),
        }
    }

    /// Runs an operation whose arguments may already have failed (then it is already answered).
    #[cfg(feature = "js-client")]
    pub(crate) fn of<F>(args: Result<F, Answer>) -> Self
    where
        F: Future<Output = Answer> + 'static,
    {
        match args {
            Ok(future) => Self::new(future),
            Err(answer) => Self {
                future: None,
                ready: Some(answer),
                slot: Rc::new(RefCell::new(Wait::Idle)),
            },
        }
    }

    /// Polls the future once and answers the step it reached.
    fn step(&mut self) -> String {
        let Some(future) = self.future.as_mut() else {
            return done(self.ready.take().unwrap_or_else(|| {
                client_fail(TransportError::Rejected("the operation is over".to_owned()))
            }));
        };
        let outer = CURRENT.with(|c| c.replace(Some(Rc::clone(&self.slot))));
        let polled = future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()));
        CURRENT.with(|c| c.replace(outer));
        if let Poll::Ready(answer) = polled {
            self.future = None;
            return done(answer);
        }
        let mut held = self.slot.borrow_mut();
        match std::mem::replace(&mut *held, Wait::Away) {
            Wait::Send(request) => send_step(&request),
            Wait::Sleep(ms) => format!("S{ms}"),
            // Waiting on nothing the facade can give: end the operation rather than hang it.
            _ => {
                *held = Wait::Idle;
                drop(held);
                self.future = None;
                done(client_fail(TransportError::Rejected(
                    "the operation waited on something other than a request or a timer".to_owned(),
                )))
            }
        }
    }

    /// Reports `outcome` for the request of the last step and polls again.
    fn report(&mut self, wait: Wait) -> String {
        *self.slot.borrow_mut() = wait;
        self.step()
    }
}

#[wasm_bindgen]
impl Pending {
    /// The first step.
    pub fn start(&mut self) -> String {
        self.step()
    }

    /// The response to the request of the last step: its status, its header pairs as JSON text
    /// (`[["name","value"],…]`) and its body; answers the next step.
    pub fn fetched(&mut self, status: f64, headers: &str, body: Vec<u8>) -> String {
        // Any number a replaced `fetch` gave that is not a status is 0, as the transports read it.
        #[allow(clippy::cast_possible_truncation)]
        let status = u16::try_from(status as i64).unwrap_or(0);
        self.report(Wait::Outcome(Ok(HttpResponse {
            status,
            headers: headers_from_json(headers),
            body,
        })))
    }

    /// The request of the last step failed: `failure` is `kind\nmessage` as `sendRequest`
    /// makes it (kind: `timeout`, `aborted`, `intercept`, `large` or `network`), or `sign` when
    /// the facade could not sign the request with its WebCrypto key; answers the next step.
    pub fn failed(&mut self, failure: &str) -> String {
        self.report(Wait::Outcome(Err(transport_error(failure))))
    }

    /// The timer of the last step ran out; answers the next step.
    pub fn slept(&mut self) -> String {
        self.report(Wait::Woken)
    }
}

/// The response headers the client reads (`crate::client::response::HEADERS_READ`), as JSON
/// text: the facade reads only these from each `Response` (`drive` in
/// `src/js/facade/pending.ts`), not every header.
#[wasm_bindgen(js_name = responseHeaders)]
pub fn response_headers() -> String {
    let mut out = String::from("[");
    for name in crate::client::response::HEADERS_READ {
        if out.len() > 1 {
            out.push(',');
        }
        push_quoted(&mut out, name);
    }
    out.push(']');
    out
}

/// The last step: the operation's answer, as it is (JSON text or `!` + error JSON never starts
/// with the `F` or `S` of the other steps).
fn done(answer: Answer) -> String {
    answer
}

/// The `F` step: `F` and the request's fields, each written `<length>:<text>` with its length in
/// UTF-16 code units (as JS slices strings), in this order: method, URL, `1` when the request
/// must be signed (else `0`), the body (empty when there is none: every request body is a JSON
/// text, never empty), the signature base for a client whose host signs (else empty), then the
/// name and value of each header `headers_sent` hands to fetch. Nothing is escaped, so a field
/// holds any text (an access token with a line break stays in its header's value), and reading it
/// takes a few `slice` calls instead of a JSON parse (`Fields` in `src/js/facade/pending.ts`):
/// both sides cost about half as much as with JSON, whose escapes the signature headers are full
/// of.
fn send_step(request: &HttpRequest) -> String {
    let body = request.body.as_deref().map(String::from_utf8_lossy);
    let base = request.signature_base.as_deref();
    // Sized once: the signature headers alone are some hundreds of bytes.
    let size = request.url.len()
        + body.as_deref().map_or(0, str::len)
        + base.map_or(0, str::len)
        + request
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 16)
            .sum::<usize>();
    let mut out = String::with_capacity(size + 64);
    out.push('F');
    field(&mut out, request.method.as_str());
    field(&mut out, &request.url);
    field(&mut out, if request.must_be_signed() { "1" } else { "0" });
    field(&mut out, body.as_deref().unwrap_or(""));
    field(&mut out, base.unwrap_or(""));
    for (name, value) in headers_sent(&request.headers) {
        field(&mut out, name);
        field(&mut out, value);
    }
    out
}

/// Appends `<length>:<text>` to `out` (the length in UTF-16 code units).
fn field(out: &mut String, text: &str) {
    let units = if text.is_ascii() {
        text.len()
    } else {
        text.encode_utf16().count()
    };
    crate::error::push_decimal(out, units);
    out.push(':');
    out.push_str(text);
}

/// An error answer for a failure of the stepping itself (never expected).
fn client_fail(err: TransportError) -> Answer {
    super::client::client_fail(&ClientError::from_transport(err, "", ""))
}
