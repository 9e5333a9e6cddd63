//! The default HTTP client: reqwest over rustls with the `ring` provider.
//!
//! The rustls config is built here, with an explicit provider, instead of letting reqwest
//! pick one: with `rustls-no-provider` reqwest would use the process-global default
//! provider, which another crate may or may not have installed. Server certificates are
//! checked by rustls-platform-verifier (the OS trust store; on Linux the system CA bundle).

use std::sync::Arc;
use std::time::Duration;

use crate::error::BoxError;

/// Builds the client a `Handle` uses when the user gave none.
pub(crate) fn default_client(
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
) -> Result<reqwest::Client, BoxError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // HTTP/1.1 only: AWS JSON services need nothing more, and it keeps h2 out of the build.
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];

    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
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
