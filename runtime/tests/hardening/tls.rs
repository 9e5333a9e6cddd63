//! TLS failures: a certificate that fails verification can never succeed and is not retried
//! (a deliberate difference from aws-sdk-rust, which retries every dispatch failure); an I/O
//! error during the handshake (the peer hangs up) is retried like any I/O error.

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use awsjson_runtime::client::Handle;
use awsjson_runtime::error::SdkError;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::{config_for, Sleeps, OP, SPEC};

/// A test-only self-signed certificate for `localhost` / 127.0.0.1 (no CA trusts it).
const CERT: &[u8] = include_bytes!("../data/self_signed_cert.pem");
const KEY: &[u8] = include_bytes!("../data/self_signed_key.pem");

/// A loopback server on a std thread; `handshake` decides what it does with each connection.
/// Returns its port and the number of connections it accepted.
fn tls_server(handshake: bool) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let cert = CertificateDer::from_pem_slice(CERT).expect("cert");
    let key = PrivateKeyDer::from_pem_slice(KEY).expect("key");
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config"),
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            if handshake {
                let Ok(mut conn) = rustls::ServerConnection::new(config.clone()) else {
                    return;
                };
                // Runs the handshake until the client rejects the certificate and hangs up.
                while conn.complete_io(&mut stream).is_ok() && !conn.is_handshaking() {}
            } else {
                // Read the client hello, then hang up mid-handshake.
                let mut buf = [0u8; 512];
                let _ = stream.read(&mut buf);
            }
        }
    });
    (port, accepted)
}

#[tokio::test]
async fn a_certificate_that_fails_verification_is_not_retried() {
    let (port, accepted) = tls_server(true);
    let sleeps = Sleeps::default();
    let config = config_for(&format!("https://127.0.0.1:{port}"), &sleeps).build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("untrusted certificate");
    let text = err.to_string();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{text}");
    assert!(text.to_ascii_lowercase().contains("certificate"), "{text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "{text}");
    assert!(sleeps.get().is_empty());
}

#[tokio::test]
async fn a_handshake_cut_short_is_retried() {
    let (port, accepted) = tls_server(false);
    let config = config_for(&format!("https://127.0.0.1:{port}"), &Sleeps::default()).build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("the server always hangs up");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}
