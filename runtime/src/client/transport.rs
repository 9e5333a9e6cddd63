//! The default HTTP client: reqwest over rustls with the `ring` provider, and the TLS
//! configuration every such client of the process shares.
//!
//! The rustls config is built here, with an explicit provider, instead of letting reqwest
//! pick one: with `rustls-no-provider` reqwest would use the process-global default
//! provider, which another crate may or may not have installed.
//!
//! Server certificates are checked against:
//! * by default, the OS trust store through rustls-platform-verifier (on Linux the system CA
//!   bundle: `SSL_CERT_FILE` / `SSL_CERT_DIR` when set, else the usual paths such as
//!   `/etc/ssl/certs/ca-certificates.crt`);
//! * with the `webpki-roots` feature, the Mozilla roots bundled in the binary instead (for
//!   minimal containers that have no CA bundle).
//!
//! Loading the system roots reads and parses files (blocking I/O, a few milliseconds). It
//! happens once per process, in the first client built without an HTTP client of the user's;
//! later clients (and the fresh clients that replace a pool after a transient error) share the
//! result. A failure is remembered too: every client then reports the same clear error.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::error::BoxError;

/// The TLS config of every default client, or why there is none.
static TLS_CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();

/// The process's TLS config, built by the first caller.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, BoxError> {
    TLS_CONFIG
        .get_or_init(|| build_tls_config().map(Arc::new))
        .clone()
        .map_err(Into::into)
}

/// Builds the rustls config: ring provider, safe protocol versions, HTTP/1.1 only.
fn build_tls_config() -> Result<rustls::ClientConfig, String> {
    #[cfg(test)]
    tests::ROOT_LOADS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = verifier(provider.clone())?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // HTTP/1.1 only: AWS JSON services need nothing more, and it keeps h2 out of the build.
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

/// Certificate verification against the OS trust store.
#[cfg(not(feature = "webpki-roots"))]
fn verifier(
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<Arc<dyn rustls::client::danger::ServerCertVerifier>, String> {
    match rustls_platform_verifier::Verifier::new(provider) {
        Ok(verifier) => Ok(Arc::new(verifier)),
        Err(err) => Err(format!(
            "no CA certificates to verify servers with: the system trust store could not be \
             loaded ({err}). Install the CA bundle (the `ca-certificates` package; on Linux it \
             is read from SSL_CERT_FILE / SSL_CERT_DIR when set, else from paths such as \
             /etc/ssl/certs/ca-certificates.crt), or enable the `webpki-roots` feature (of the \
             generated crate, or of awsjson-runtime) to use bundled Mozilla roots, or pass your own client with \
             `Builder::http_client`"
        )),
    }
}

/// Certificate verification against the bundled Mozilla roots (feature `webpki-roots`).
#[cfg(feature = "webpki-roots")]
fn verifier(
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<Arc<dyn rustls::client::danger::ServerCertVerifier>, String> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| format!("the bundled webpki roots could not be used: {e}"))?;
    Ok(verifier)
}

/// Builds the client a `Handle` uses when the user gave none. Cheap after the first call.
pub(crate) fn default_client(
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
) -> Result<reqwest::Client, BoxError> {
    let tls = tls_config()?;
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(rustls::ClientConfig::clone(&tls))
        // AWS SDKs never follow redirects; a 3xx is an error response.
        .redirect(reqwest::redirect::Policy::none());
    if let Some(timeout) = connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(timeout) = read_timeout {
        builder = builder.read_timeout(timeout);
    }
    Ok(builder.build()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// How many times this process loaded TLS roots.
    pub(super) static ROOT_LOADS: AtomicUsize = AtomicUsize::new(0);

    #[test]
    fn tls_roots_are_loaded_once_per_process() {
        for _ in 0..3 {
            default_client(None, Some(Duration::from_secs(1))).expect("a client");
        }
        assert_eq!(ROOT_LOADS.load(Ordering::SeqCst), 1);
    }
}
