//! The HTTP edge: axum on tokio TCP listeners (one in the paths layout; in the origins layout also
//! a wallet origin and an authorization server origin per ASE, all sharing one state), one
//! handler that reads the whole request (with the body limit), runs it through the state under
//! the mutex, and writes the reply. The listener wraps each connection so the fault hook can cut
//! it off before the response is written.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use axum::Router;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use std::collections::BTreeMap;

use super::config::{Layout, SandboxConfig};
use super::http::{rs_error, Reply, Req};
use super::state::{AseOrigins, Listener as Origin, State};
use super::{SandboxError, SandboxInfo};

/// A connection the fault hook can kill: once killed, reads see EOF and writes fail, so hyper
/// drops the connection without sending the response.
struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

fn killed_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "connection dropped by the sandbox fault hook",
    )
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

struct KillableListener(TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((inner, addr)) => {
                    let _ = inner.set_nodelay(true);
                    let killed = Arc::new(AtomicBool::new(false));
                    return (KillableStream { inner, killed }, addr);
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// The kill switch of the connection a request arrived on.
#[derive(Clone)]
struct ConnectionHandle(Arc<AtomicBool>);

impl Connected<IncomingStream<'_, KillableListener>> for ConnectionHandle {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        Self(stream.io().killed.clone())
    }
}

struct Shared {
    state: Mutex<State>,
    max_body: usize,
}

/// The router state of one listener: the shared state and which origin the listener is.
#[derive(Clone)]
struct Endpoint {
    shared: Arc<Shared>,
    origin: Arc<Origin>,
}

/// The CORS headers every answer carries, on every listener (browsers call the sandbox from any
/// page).
const CORS_HEADERS: [(&str, &str); 4] = [
    ("access-control-allow-origin", "*"),
    (
        "access-control-allow-methods",
        "GET, POST, DELETE, OPTIONS",
    ),
    (
        "access-control-allow-headers",
        "Accept, Authorization, Content-Type, Content-Digest, Content-Length, Signature, Signature-Input",
    ),
    (
        "access-control-expose-headers",
        "WWW-Authenticate, Location",
    ),
];

impl Shared {
    /// Answers one whole request that arrived on `origin`: the state handles it under its mutex.
    fn answer(&self, origin: &Origin, req: &Req) -> Reply {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.handle_on(origin, req)
    }

    /// The answer to a body above the limit.
    fn too_large() -> Reply {
        rs_error(413, "payload_too_large", "the request body is too large")
    }
}

fn to_response(reply: Reply) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.append(HeaderName::from_static(name), v);
        }
    }
    for (name, value) in CORS_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

async fn handle(
    AxumState(Endpoint { shared, origin }): AxumState<Endpoint>,
    ConnectInfo(connection): ConnectInfo<ConnectionHandle>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > shared.max_body) {
        return to_response(Shared::too_large());
    }
    let Ok(bytes) = axum::body::to_bytes(body, shared.max_body).await else {
        return to_response(Shared::too_large());
    };
    let req = Req {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .filter_map(|(n, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (n.as_str().to_owned(), v.to_owned()))
            })
            .collect(),
        body: bytes.to_vec(),
    };
    let reply = shared.answer(&origin, &req);
    if reply.drop_connection {
        connection.0.store(true, Ordering::SeqCst);
    }
    to_response(reply)
}

/// The sandbox's servers reached in process: a request handed over in memory gets the answer
/// its listener would give (the same state, routes, body limit and CORS headers), with no socket
/// in between. For tests of protocol rules, which need no network; [`spawn_with_in_process`]
/// starts the listeners and this on one state, so a test can also use real HTTP where it needs
/// sockets (redirects followed by a browser, concurrency, dropped connections).
#[derive(Clone)]
pub struct InProcess {
    shared: Arc<Shared>,
    /// `http://127.0.0.1:PORT` of each listener, and which origin it is.
    origins: Vec<(String, Arc<Origin>)>,
}

impl std::fmt::Debug for InProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let origins: Vec<&str> = self.origins.iter().map(|(o, _)| o.as_str()).collect();
        f.debug_struct("InProcess")
            .field("origins", &origins)
            .finish_non_exhaustive()
    }
}

/// What [`InProcess::send`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InProcessResponse {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (lowercase names), CORS headers included.
    pub headers: Vec<(String, String)>,
    /// The response body.
    pub body: Vec<u8>,
    /// The fault hook (`POST /dev/faults`) would have cut the connection here, after the
    /// request took effect: an HTTP client would have seen no response.
    pub connection_dropped: bool,
}

impl InProcess {
    /// Sends `method url` with `headers` and `body` to the listener whose origin starts `url`
    /// (a URL of no listener of this sandbox is a 404).
    pub fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> InProcessResponse {
        let reply = match self.request(method, url, headers, body) {
            Some((origin, req)) if req.body.len() <= self.shared.max_body => {
                self.shared.answer(&origin, &req)
            }
            Some(_) => Shared::too_large(),
            None => rs_error(
                404,
                "not_found",
                "no listener of this sandbox has that origin",
            ),
        };
        let mut response_headers: Vec<(String, String)> = reply
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect();
        response_headers.extend(
            CORS_HEADERS
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        );
        InProcessResponse {
            status: reply.status,
            headers: response_headers,
            body: reply.body,
            connection_dropped: reply.drop_connection,
        }
    }

    /// The listener and the request for `url`, as the HTTP edge would read them.
    fn request(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Option<(Arc<Origin>, Req)> {
        let (prefix, origin, rest) = self.origins.iter().find_map(|(prefix, origin)| {
            let rest = url.strip_prefix(prefix.as_str())?;
            (rest.is_empty() || rest.starts_with(['/', '?'])).then_some((prefix, origin, rest))
        })?;
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (rest, None),
        };
        let mut headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned()))
            .collect();
        // What every HTTP/1.1 client sends: the request's `@target-uri` is built from it.
        if !headers.iter().any(|(n, _)| n == "host") {
            let authority = prefix.split_once("://").map_or(prefix.as_str(), |(_, a)| a);
            headers.push(("host".to_owned(), authority.to_owned()));
        }
        let req = Req {
            method: method.to_ascii_uppercase(),
            path: if path.is_empty() { "/" } else { path }.to_owned(),
            query,
            headers,
            body: body.to_vec(),
        };
        Some((Arc::clone(origin), req))
    }
}

/// `http://127.0.0.1:{port}` of a bound listener.
fn origin_of(listener: &TcpListener) -> io::Result<String> {
    Ok(format!(
        "http://127.0.0.1:{}",
        listener.local_addr()?.port()
    ))
}

/// Binds the origins of every ASE (origins layout), builds the state and one router per listener
/// (`listener` first).
async fn prepare(
    config: SandboxConfig,
    listener: TcpListener,
) -> Result<(Vec<(Router<()>, KillableListener)>, SandboxInfo, InProcess), SandboxError> {
    config.validate()?;
    let base = origin_of(&listener)?;
    let mut listeners = vec![(Origin::Base, listener)];
    let mut origins = BTreeMap::new();
    if config.layout == Layout::Origins {
        for ase in &config.ases {
            let wallets = TcpListener::bind(("127.0.0.1", 0)).await?;
            let auth = TcpListener::bind(("127.0.0.1", 0)).await?;
            origins.insert(
                ase.name.clone(),
                AseOrigins {
                    wallets: origin_of(&wallets)?,
                    auth: origin_of(&auth)?,
                },
            );
            listeners.push((Origin::Wallets(ase.name.clone()), wallets));
            listeners.push((Origin::Auth(ase.name.clone()), auth));
        }
    }
    let max_body = config.max_body_bytes;
    let state = State::with_origins(config, base, origins);
    let info = state.info();
    let shared = Arc::new(Shared {
        state: Mutex::new(state),
        max_body,
    });
    let mut origin_urls = Vec::new();
    let mut servers = Vec::new();
    for (origin, listener) in listeners {
        let origin = Arc::new(origin);
        origin_urls.push((origin_of(&listener)?, Arc::clone(&origin)));
        let endpoint = Endpoint {
            shared: shared.clone(),
            origin,
        };
        let router = Router::new().fallback(handle).with_state(endpoint);
        servers.push((router, KillableListener(listener)));
    }
    let in_process = InProcess {
        shared,
        origins: origin_urls,
    };
    Ok((servers, info, in_process))
}

async fn run(router: Router<()>, listener: KillableListener) -> io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<ConnectionHandle>(),
    )
    .await
}

/// Serves the sandbox on `listener` (bind it to `127.0.0.1:0` for a free port) until the task is
/// dropped. Wallet and server URLs use `http://127.0.0.1:{listener port}`; in the origins layout
/// ([`super::Layout::Origins`]) each ASE also gets two listeners on `127.0.0.1` with ports the OS
/// picks, stopped with the rest when the task is dropped.
pub async fn serve(config: SandboxConfig, listener: TcpListener) -> Result<(), SandboxError> {
    let (servers, _, _) = prepare(config, listener).await?;
    let mut tasks = tokio::task::JoinSet::new();
    for (router, listener) in servers {
        tasks.spawn(run(router, listener));
    }
    while let Some(result) = tasks.join_next().await {
        result.map_err(io::Error::other)??;
    }
    Ok(())
}

/// Starts the sandbox on `listener` (and, in the origins layout, on the listeners of every ASE)
/// in background tokio tasks and returns its URLs at once.
pub async fn spawn(
    config: SandboxConfig,
    listener: TcpListener,
) -> Result<SandboxInfo, SandboxError> {
    Ok(spawn_with_in_process(config, listener).await?.0)
}

/// [`spawn`], and an [`InProcess`] handle that reaches the same servers without a socket.
pub async fn spawn_with_in_process(
    config: SandboxConfig,
    listener: TcpListener,
) -> Result<(SandboxInfo, InProcess), SandboxError> {
    let (servers, info, in_process) = prepare(config, listener).await?;
    for (router, listener) in servers {
        tokio::spawn(async move {
            let _ = run(router, listener).await;
        });
    }
    Ok((info, in_process))
}
