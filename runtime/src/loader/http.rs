//! The HTTP seam of the credential providers.
//!
//! Providers build an [`HttpRequest`] and send it through a [`ProviderHttpClient`]: in
//! production [`ReqwestProviderClient`] (reqwest over rustls/ring, the same TLS setup as the
//! service client), in tests a replay client ([`super::test_util::ReplayClient`]) or a loopback
//! server. Per-request [`RequestSettings`] carry the timeouts and whether a proxy may be used:
//! IMDS and the container endpoint are link-local and never go through `HTTPS_PROXY`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::error::BoxError;

/// A request made by a provider.
#[derive(Clone, Debug)]
pub struct HttpRequest {
    /// `GET`, `PUT` or `POST`.
    pub method: http::Method,
    /// The full URI, with query.
    pub uri: String,
    /// Request headers.
    pub headers: http::HeaderMap,
    /// The body (empty for GET).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request without headers or body.
    pub fn new(method: http::Method, uri: impl Into<String>) -> Self {
        HttpRequest {
            method,
            uri: uri.into(),
            headers: http::HeaderMap::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header; invalid names or values are an error (they may come from files).
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, HttpError> {
        let name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| HttpError::other(format!("invalid header name `{name}`"), e))?;
        let value = http::HeaderValue::from_str(value)
            .map_err(|e| HttpError::other(format!("invalid value for header `{name}`"), e))?;
        self.headers.append(name, value);
        Ok(self)
    }
}

/// A response as received.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The whole body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// How one request is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestSettings {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange once connected.
    pub read_timeout: Duration,
    /// Whether `HTTPS_PROXY` / `HTTP_PROXY` may be used (never for link-local endpoints).
    pub allow_proxy: bool,
}

impl RequestSettings {
    /// Settings for AWS service calls (STS, SSO): 3.1 s connect, 10 s read, proxies allowed.
    pub const SERVICE: RequestSettings = RequestSettings {
        connect_timeout: Duration::from_millis(3100),
        read_timeout: Duration::from_secs(10),
        allow_proxy: true,
    };
}

/// Why a request got no response.
#[derive(Debug)]
pub struct HttpError {
    kind: HttpErrorKind,
    message: String,
    source: Option<BoxError>,
}

/// The kind of an [`HttpError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpErrorKind {
    /// A connect or read timeout.
    Timeout,
    /// The connection could not be made.
    Connect,
    /// Anything else.
    Other,
}

impl HttpError {
    /// An error of `kind`.
    pub fn new(kind: HttpErrorKind, message: impl Into<String>) -> Self {
        HttpError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// An [`HttpErrorKind::Other`] error with a source.
    pub fn other(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        HttpError {
            kind: HttpErrorKind::Other,
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The kind.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The future a [`ProviderHttpClient`] returns.
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'a>>;

/// Sends provider requests.
pub trait ProviderHttpClient: fmt::Debug + Send + Sync {
    /// Sends one request and reads the whole response.
    fn send<'a>(&'a self, request: HttpRequest, settings: RequestSettings) -> HttpFuture<'a>;
}

/// A shareable [`ProviderHttpClient`].
pub type SharedProviderHttpClient = Arc<dyn ProviderHttpClient>;

/// The production client: reqwest over rustls with the `ring` provider, with and without
/// proxies (reqwest reads `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` itself).
#[derive(Debug, Clone)]
pub struct ReqwestProviderClient {
    with_proxy: reqwest::Client,
    without_proxy: reqwest::Client,
}

fn tls() -> Result<rustls::ClientConfig, BoxError> {
    // Same setup as the service client's transport (an explicit provider, the platform
    // verifier, HTTP/1.1 only), kept here because that module is private to `client`.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

impl ReqwestProviderClient {
    /// Builds the two clients.
    pub fn new() -> Result<Self, BoxError> {
        let build = |proxy: bool| -> Result<reqwest::Client, BoxError> {
            let mut builder = reqwest::Client::builder()
                .tls_backend_preconfigured(tls()?)
                .redirect(reqwest::redirect::Policy::none());
            if !proxy {
                builder = builder.no_proxy();
            }
            Ok(builder.build()?)
        };
        Ok(ReqwestProviderClient {
            with_proxy: build(true)?,
            without_proxy: build(false)?,
        })
    }
}

impl ProviderHttpClient for ReqwestProviderClient {
    fn send<'a>(&'a self, request: HttpRequest, settings: RequestSettings) -> HttpFuture<'a> {
        Box::pin(async move {
            let client = if settings.allow_proxy {
                &self.with_proxy
            } else {
                &self.without_proxy
            };
            let classify = |e: reqwest::Error| {
                let kind = if e.is_timeout() {
                    HttpErrorKind::Timeout
                } else if e.is_connect() {
                    HttpErrorKind::Connect
                } else {
                    HttpErrorKind::Other
                };
                HttpError {
                    kind,
                    message: format!("request to {} failed", request.uri),
                    source: Some(Box::new(e)),
                }
            };
            let exchange = async {
                let response = client
                    .request(request.method.clone(), &request.uri)
                    .headers(request.headers.clone())
                    .body(request.body.clone())
                    .send()
                    .await
                    .map_err(classify)?;
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                let body = response.bytes().await.map_err(classify)?.to_vec();
                Ok(HttpResponse {
                    status,
                    headers,
                    body,
                })
            };
            let total = settings.connect_timeout + settings.read_timeout;
            match tokio::time::timeout(total, exchange).await {
                Ok(result) => result,
                Err(_) => Err(HttpError::new(
                    HttpErrorKind::Timeout,
                    format!("request to {} timed out after {total:?}", request.uri),
                )),
            }
        })
    }
}
