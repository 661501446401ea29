//! https with the native client: a server on 127.0.0.1 whose certificate comes from a CA made in
//! the test. A client that trusts that CA (alone, or beside the system's roots) reads the wallet
//! address; a client that does not (the system's roots, or another CA) is refused with
//! `ClientError::Tls` (`tls_error`), the rustls words naming the failure, and sends nothing.
#![cfg(all(feature = "native-client", not(target_arch = "wasm32")))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use open_payments_wasm::client::native::{ReqwestTransport, SystemRuntime};
use open_payments_wasm::client::{ClientConfig, ClientError, OpenPaymentsClient, TransportError};
use open_payments_wasm::ErrorCode;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;

/// A test certificate authority.
fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// An https server on 127.0.0.1 with a certificate for `localhost` issued by `ca`; it answers
/// every request with `body(port)` and counts the requests it read.
struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
}

async fn serve(ca: &CertifiedIssuer<'static, KeyPair>, body: fn(u16) -> String) -> Server {
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let cert = params.signed_by(&key, ca).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, counter) = (acceptor.clone(), counter.clone());
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to answer.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let body = body(port);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    Server { port, requests }
}

/// The wallet address document of `https://localhost:{port}/alice`.
fn wallet_address(port: u16) -> String {
    format!(
        r#"{{"id":"https://localhost:{port}/alice","publicName":"Alice","assetCode":"USD","assetScale":2,"authServer":"https://localhost:{port}/auth","resourceServer":"https://localhost:{port}/op"}}"#
    )
}

fn client(transport: ReqwestTransport) -> OpenPaymentsClient<ReqwestTransport> {
    OpenPaymentsClient::new(transport, ClientConfig::new(Box::new(SystemRuntime)))
}

fn trusting(certs: &[&CertifiedIssuer<'static, KeyPair>], only: bool) -> ReqwestTransport {
    let certs = certs
        .iter()
        .map(|ca| reqwest::Certificate::from_pem(ca.pem().as_bytes()).unwrap());
    let builder = reqwest::Client::builder();
    let builder = if only {
        builder.tls_certs_only(certs)
    } else {
        builder.tls_certs_merge(certs)
    };
    ReqwestTransport::with_client(builder.build().unwrap(), Some(5_000))
}

#[tokio::test]
async fn a_client_given_the_ca_reads_the_wallet_address_over_https() {
    let ca = ca("Open Payments test CA");
    let server = serve(&ca, wallet_address).await;
    let url = format!("https://localhost:{}/alice", server.port);
    for only in [true, false] {
        let wallet = client(trusting(&[&ca], only))
            .get_wallet_address(&url)
            .await
            .unwrap_or_else(|e| panic!("tls_certs_only={only}: {e}"));
        assert_eq!(wallet.id, url);
        assert_eq!(wallet.asset_code, "USD");
    }
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_certificate_that_does_not_chain_to_a_trusted_root_is_refused_with_a_tls_error() {
    let ca_of_server = ca("Open Payments test CA");
    let server = serve(&ca_of_server, wallet_address).await;
    let url = format!("https://localhost:{}/alice", server.port);
    let other = ca("Another test CA");
    let clients = [
        (
            "the system's roots",
            ReqwestTransport::new(Some(5_000)).unwrap(),
        ),
        ("another CA only", trusting(&[&other], true)),
    ];
    for (name, transport) in clients {
        let err = client(transport)
            .get_wallet_address(&url)
            .await
            .unwrap_err();
        let ClientError::Tls {
            method,
            url: failed,
            message,
        } = &err
        else {
            panic!("{name}: expected a TLS error, got {err:?}");
        };
        assert_eq!((method.as_str(), failed.as_str()), ("GET", url.as_str()));
        assert!(
            message.contains("invalid peer certificate") && message.contains("UnknownIssuer"),
            "{name}: {message}"
        );
        assert_eq!(err.code(), "tls_error");
        assert_eq!(err.reason(), "tls_error");
        // Refused in the handshake: nothing was sent, and nothing is left unknown.
        assert!(!err.outcome_unknown());
        assert!(err.to_string().contains("TLS handshake failed"), "{err}");
    }
    // Never retried, never read: the handshake failed both times.
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_transport_reports_the_tls_failure_itself() {
    use open_payments_wasm::client::{HttpRequest, Method, Transport};
    let server = serve(&ca("Open Payments test CA"), wallet_address).await;
    let request = HttpRequest {
        method: Method::Get,
        url: format!("https://localhost:{}/alice", server.port),
        headers: vec![("accept".to_owned(), "application/json".to_owned())],
        body: None,
        signature_base: None,
    };
    let transport = trusting(&[&ca("Another test CA")], true);
    match transport.send(request).await {
        Err(TransportError::Tls(message)) => assert!(message.contains("UnknownIssuer")),
        other => panic!("expected TransportError::Tls, got {other:?}"),
    }
}

#[tokio::test]
async fn a_request_whose_signature_was_left_to_the_transport_is_not_sent_unsigned() {
    use open_payments_wasm::client::{HttpRequest, Method, Transport};
    let ca = ca("Open Payments test CA");
    let server = serve(&ca, wallet_address).await;
    let transport = trusting(&[&ca], true);
    let mut request = HttpRequest {
        method: Method::Get,
        url: format!("https://localhost:{}/alice", server.port),
        headers: vec![("accept".to_owned(), "application/json".to_owned())],
        body: None,
        signature_base: Some("\"@method\": GET".to_owned()),
    };
    match transport.send(request.clone()).await {
        Err(TransportError::Rejected(message)) => assert!(message.contains("add_signature")),
        other => panic!("expected TransportError::Rejected, got {other:?}"),
    }
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        0,
        "nothing was sent"
    );
    request.add_signature(&[0u8; 64]);
    assert_eq!(transport.send(request).await.unwrap().status, 200);
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}
