//! The EC2 instance metadata service (IMDS): aws-config's `imds::Client` and the providers
//! built on it ([`credentials::ImdsCredentialsProvider`], [`region`]).
//!
//! * IMDSv2: a session token from `PUT /latest/api/token` (TTL 6 h, reused until it expires),
//!   sent as `x-aws-ec2-metadata-token`. A `403` on the token means IMDS is disabled (or the
//!   request went through a proxy) and fails the load. IMDSv1 (no token) is used only when
//!   the token call answers `404`/`405` (IMDSv2 unsupported) and IMDSv1 is not disabled with
//!   `AWS_EC2_METADATA_V1_DISABLED` / `ec2_metadata_v1_disabled`.
//! * Endpoint: explicit, else `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else the profile's
//!   `ec2_metadata_service_endpoint`, else by mode (explicit, `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`,
//!   the profile's `ec2_metadata_service_endpoint_mode`; `IPv4` -> `169.254.169.254`,
//!   `IPv6` -> `[fd00:ec2::254]`).
//! * 1 s connect and read timeouts, 3 attempts on timeouts, connection errors and 5xx; never
//!   proxied. `AWS_EC2_METADATA_DISABLED=true` disables it.

pub mod credentials;
pub mod region;

use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

use super::http::{HttpErrorKind, HttpRequest, RequestSettings};
use super::provider_config::ProviderConfig;
use super::settings::{bool_setting, string_setting};

const SETTINGS: RequestSettings = RequestSettings {
    connect_timeout: Duration::from_secs(1),
    read_timeout: Duration::from_secs(1),
    allow_proxy: false,
};
const TOKEN_TTL: Duration = Duration::from_secs(21600);
const ATTEMPTS: u32 = 3;

/// IPv4 or IPv6 endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointMode {
    /// `http://169.254.169.254`.
    IpV4,
    /// `http://[fd00:ec2::254]`.
    IpV6,
}

impl std::str::FromStr for EndpointMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ipv4" => Ok(EndpointMode::IpV4),
            "ipv6" => Ok(EndpointMode::IpV6),
            _ => Err(format!("`{s}` is not a valid endpoint mode (IPv4 or IPv6)")),
        }
    }
}

/// An IMDS error.
#[derive(Debug)]
pub struct ImdsError {
    kind: ImdsErrorKind,
    message: String,
}

/// The kind of an [`ImdsError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImdsErrorKind {
    /// The configuration is invalid (endpoint, mode).
    Config,
    /// The token call was refused (`403`): IMDS is disabled.
    TokenForbidden,
    /// The resource does not exist (`404`).
    NotFound,
    /// Timeouts, connection errors, 5xx after retries, bad responses.
    Failed,
}

impl ImdsError {
    fn new(kind: ImdsErrorKind, message: impl Into<String>) -> Self {
        ImdsError {
            kind,
            message: message.into(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> ImdsErrorKind {
        self.kind
    }
}

impl std::fmt::Display for ImdsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImdsError {}

/// aws-config's `imds::Client`.
#[derive(Debug)]
pub struct Client {
    config: ProviderConfig,
    endpoint: Result<String, String>,
    token: Mutex<Option<(String, SystemTime)>>,
}

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct Builder {
    endpoint: Option<String>,
    mode: Option<EndpointMode>,
    config: Option<ProviderConfig>,
}

impl Builder {
    /// Overrides the endpoint.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Overrides the endpoint mode.
    pub fn endpoint_mode(mut self, mode: EndpointMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Uses `config`'s seams and profile.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = Some(config.clone());
        self
    }

    /// Builds the client. An invalid endpoint is reported by every call.
    pub fn build(self) -> Client {
        let config = self.config.unwrap_or_default();
        let endpoint = resolve_endpoint(&config, self.endpoint, self.mode);
        Client {
            config,
            endpoint,
            token: Mutex::new(None),
        }
    }
}

/// The endpoint (without trailing `/`) per the rules in the module docs.
pub fn resolve_endpoint(
    config: &ProviderConfig,
    endpoint: Option<String>,
    mode: Option<EndpointMode>,
) -> Result<String, String> {
    let endpoint = endpoint.or_else(|| {
        string_setting(
            config,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        )
    });
    if let Some(endpoint) = endpoint {
        let uri: http::Uri = endpoint.parse().map_err(|e: http::uri::InvalidUri| {
            format!("invalid IMDS endpoint `{endpoint}`: {e}")
        })?;
        if uri.host().is_none() {
            return Err(format!("invalid IMDS endpoint `{endpoint}`: no host"));
        }
        return Ok(endpoint.trim_end_matches('/').to_owned());
    }
    let mode = match mode {
        Some(m) => m,
        None => match string_setting(
            config,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
            "ec2_metadata_service_endpoint_mode",
        ) {
            Some(m) => m.parse()?,
            None => EndpointMode::IpV4,
        },
    };
    Ok(match mode {
        EndpointMode::IpV4 => "http://169.254.169.254".to_owned(),
        EndpointMode::IpV6 => "http://[fd00:ec2::254]".to_owned(),
    })
}

/// Whether `AWS_EC2_METADATA_DISABLED` is true.
pub(crate) fn disabled(config: &ProviderConfig) -> bool {
    config
        .env
        .get("AWS_EC2_METADATA_DISABLED")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

impl Client {
    /// A builder.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The endpoint this client calls (for tests of the endpoint rules).
    pub fn endpoint(&self) -> Result<&str, &str> {
        self.endpoint.as_deref().map_err(String::as_str)
    }

    async fn send(&self, request: HttpRequest) -> Result<(u16, String), ImdsError> {
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                (self.config.sleep)(Duration::from_millis(50 << attempt)).await;
            }
            match self.config.http.send(request.clone(), SETTINGS).await {
                Ok(r) if r.status >= 500 => last = format!("HTTP {}", r.status),
                Ok(r) => return Ok((r.status, r.text())),
                Err(e) if matches!(e.kind(), HttpErrorKind::Timeout | HttpErrorKind::Connect) => {
                    last = super::util::error_chain(&e)
                }
                Err(e) => return Err(ImdsError::new(ImdsErrorKind::Failed, e.to_string())),
            }
        }
        Err(ImdsError::new(
            ImdsErrorKind::Failed,
            format!(
                "IMDS request to {} failed after {ATTEMPTS} attempts: {last}",
                request.uri
            ),
        ))
    }

    async fn token(&self, endpoint: &str) -> Result<Option<String>, ImdsError> {
        let mut cached = self.token.lock().await;
        let now = self.config.time.now();
        if let Some((token, expiry)) = cached.as_ref() {
            if *expiry > now + Duration::from_secs(120) {
                return Ok(Some(token.clone()));
            }
        }
        let request = HttpRequest::new(http::Method::PUT, format!("{endpoint}/latest/api/token"))
            .header(
                "x-aws-ec2-metadata-token-ttl-seconds",
                &TOKEN_TTL.as_secs().to_string(),
            )
            .map_err(|e| ImdsError::new(ImdsErrorKind::Failed, e.to_string()))?;
        let (status, body) = self.send(request).await?;
        match status {
            200..=299 => {
                let token = body.trim().to_owned();
                *cached = Some((token.clone(), now + TOKEN_TTL));
                Ok(Some(token))
            }
            403 => Err(ImdsError::new(
                ImdsErrorKind::TokenForbidden,
                "failed to load an IMDS session token: request forbidden: IMDS is disabled or \
                 the request was made through a proxy",
            )),
            404 | 405
                if bool_setting(
                    &self.config,
                    "AWS_EC2_METADATA_V1_DISABLED",
                    "ec2_metadata_v1_disabled",
                ) != Some(true) =>
            {
                tracing::debug!(status, "IMDSv2 is not available; falling back to IMDSv1");
                Ok(None)
            }
            _ => Err(ImdsError::new(
                ImdsErrorKind::Failed,
                format!("failed to load an IMDS session token: HTTP {status}"),
            )),
        }
    }

    /// `GET` a metadata path such as `/latest/meta-data/placement/region`.
    pub async fn get(&self, path: &str) -> Result<String, ImdsError> {
        let endpoint = self
            .endpoint
            .as_ref()
            .map_err(|e| ImdsError::new(ImdsErrorKind::Config, e.clone()))?;
        let token = self.token(endpoint).await?;
        let mut request = HttpRequest::new(http::Method::GET, format!("{endpoint}{path}"));
        if let Some(token) = token {
            request = request
                .header("x-aws-ec2-metadata-token", &token)
                .map_err(|e| ImdsError::new(ImdsErrorKind::Failed, e.to_string()))?;
        }
        let (status, body) = self.send(request).await?;
        match status {
            200..=299 => Ok(body),
            404 => Err(ImdsError::new(
                ImdsErrorKind::NotFound,
                format!("IMDS: {path} not found (HTTP 404)"),
            )),
            401 => {
                *self.token.lock().await = None;
                Err(ImdsError::new(
                    ImdsErrorKind::Failed,
                    "IMDS rejected the session token (HTTP 401)",
                ))
            }
            _ => Err(ImdsError::new(
                ImdsErrorKind::Failed,
                format!("IMDS: {path} returned HTTP {status}"),
            )),
        }
    }
}
