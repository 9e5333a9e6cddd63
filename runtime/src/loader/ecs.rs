//! ECS and EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
//! `169.254.170.2`), else `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which must be HTTPS or point at
//! a loopback address, the ECS / EKS Pod Identity link-local hosts, or a host name that resolves
//! to loopback addresses only (checked at each load, as aws-config does); the `Authorization`
//! header comes from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every load; Pod
//! Identity rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`. Never proxied.

use std::net::IpAddr;
use std::time::Duration;

use aws_credential_types::provider::{self, error::CredentialsError, future, ProvideCredentials};
use aws_credential_types::Credentials;

use super::http::{HttpErrorKind, HttpRequest, RequestSettings};
use super::json::{credentials_from_object, object, parse_document};
use super::provider_config::ProviderConfig;
use super::util::{invalid_config, not_loaded, provider_error};
use crate::config::Env;

const ECS_HOST: &str = "169.254.170.2";
const SETTINGS: RequestSettings = RequestSettings {
    connect_timeout: Duration::from_secs(2),
    read_timeout: Duration::from_secs(5),
    allow_proxy: false,
};
const ATTEMPTS: u32 = 3;

/// Whether a plain-HTTP host is allowed: `Some(true)` / `Some(false)` for literals and
/// `localhost`, `None` for other host names (allowed when they resolve to loopback only).
fn allowed_http_host(host: &str) -> Option<bool> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return Some(true);
    }
    match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => Some(true),
        Ok(IpAddr::V4(v4)) => {
            Some(v4.octets() == [169, 254, 170, 2] || v4.octets() == [169, 254, 170, 23])
        }
        Ok(IpAddr::V6(v6)) => Some(v6.segments() == [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23]),
        Err(_) => None,
    }
}

/// The host of a plain-HTTP container URI that still has to pass the loopback-only
/// resolution check, or `None`.
fn host_to_resolve(uri: &str) -> Option<String> {
    let uri: http::Uri = uri.parse().ok()?;
    if uri.scheme_str() != Some("http") {
        return None;
    }
    let host = uri.host()?;
    allowed_http_host(host).is_none().then(|| host.to_owned())
}

/// aws-config's rule for plain-HTTP host names: every address they resolve to is loopback.
async fn require_loopback(config: &ProviderConfig, host: &str) -> Result<(), CredentialsError> {
    let not_allowed = |why: String| {
        invalid_config(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI host `{host}` is not allowed over plain HTTP: \
             {why}; it must be a loopback address or name, 169.254.170.2, 169.254.170.23 or \
             fd00:ec2::23"
        ))
    };
    let addrs = (config.resolve)(host.to_owned())
        .await
        .map_err(|e| not_allowed(format!("it could not be resolved ({e})")))?;
    if addrs.is_empty() {
        return Err(not_allowed("it resolves to no address".into()));
    }
    match addrs.iter().find(|ip| !ip.is_loopback()) {
        Some(ip) => Err(not_allowed(format!(
            "it resolves to {ip}, not only to loopback"
        ))),
        None => Ok(()),
    }
}

/// The URI credentials are fetched from, or why there is none.
pub fn container_uri(env: &Env) -> Result<String, CredentialsError> {
    if let Some(relative) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        return Ok(format!("http://{ECS_HOST}{}", relative.trim()));
    }
    let Some(full) = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
        return Err(not_loaded(
            "No environment variables were set to configure ECS provider \
             (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI)",
        ));
    };
    let full = full.trim();
    let uri: http::Uri = full.parse().map_err(|e| {
        invalid_config(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI is invalid: {e}"
        ))
    })?;
    let Some(host) = uri.host() else {
        return Err(invalid_config(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` is invalid: URI did not specify a host"
        )));
    };
    match uri.scheme_str() {
        Some("https") => Ok(full.to_owned()),
        // Host names are resolved when credentials load (`require_loopback`).
        Some("http") if allowed_http_host(host) != Some(false) => Ok(full.to_owned()),
        Some("http") => Err(invalid_config(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI host `{host}` is not allowed over plain HTTP: \
             it must be a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23"
        ))),
        _ => Err(invalid_config(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` must use http or https"
        ))),
    }
}

/// aws-config's `EcsCredentialsProvider`.
#[derive(Clone, Debug)]
pub struct EcsCredentialsProvider {
    config: ProviderConfig,
}

impl EcsCredentialsProvider {
    /// A provider over `config`.
    pub fn new(config: &ProviderConfig) -> Self {
        EcsCredentialsProvider {
            config: config.clone(),
        }
    }

    fn auth_token(&self) -> Result<Option<String>, CredentialsError> {
        let env = &self.config.env;
        if let Some(path) = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let token = self.config.fs.read(path.trim()).map_err(|e| {
                invalid_config(format!(
                    "could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE `{}`: {e}",
                    path.trim()
                ))
            })?;
            return Ok(Some(String::from_utf8_lossy(&token).trim().to_owned()));
        }
        Ok(env
            .get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            .map(|t| t.trim().to_owned()))
    }

    /// Loads credentials now.
    pub async fn credentials(&self) -> provider::Result {
        let uri = container_uri(&self.config.env)?;
        if let Some(host) = host_to_resolve(&uri) {
            require_loopback(&self.config, &host).await?;
        }
        let token = self.auth_token()?;
        let mut last_error = String::new();
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                (self.config.sleep)(Duration::from_millis(100 << attempt)).await;
            }
            let mut request = HttpRequest::new(http::Method::GET, uri.clone());
            if let Some(token) = &token {
                request = request.header("authorization", token).map_err(|e| {
                    invalid_config(format!("the container authorization token is invalid: {e}"))
                })?;
            }
            match self.config.http.send(request, SETTINGS).await {
                Ok(r) if (200..300).contains(&r.status) => {
                    return parse(&r.body).map_err(|e| {
                        provider_error(format!("invalid container credentials response: {e}"))
                    })
                }
                Ok(r) if r.status >= 500 => last_error = format!("HTTP {}", r.status),
                Ok(r) => {
                    return Err(provider_error(format!(
                        "the container credentials endpoint returned HTTP {}",
                        r.status
                    )))
                }
                Err(e) if matches!(e.kind(), HttpErrorKind::Timeout | HttpErrorKind::Connect) => {
                    last_error = super::util::error_chain(&e)
                }
                Err(e) => return Err(provider_error(e)),
            }
        }
        Err(provider_error(format!(
            "the container credentials endpoint failed {ATTEMPTS} times; last: {last_error}"
        )))
    }
}

/// Parses the endpoint's JSON.
fn parse(body: &[u8]) -> Result<Credentials, String> {
    let doc = parse_document(body).map_err(|e| e.to_string())?;
    let obj = object(&doc, "the response")?;
    credentials_from_object(obj, "EcsContainer")
}

impl ProvideCredentials for EcsCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::HashMap;
    use std::sync::Arc;

    use crate::loader::http::ReqwestProviderClient;
    use crate::loader::Fs;

    #[test]
    fn plain_http_hosts() {
        for ok in [
            "localhost",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "169.254.170.23",
            "[fd00:ec2::23]",
        ] {
            assert_eq!(allowed_http_host(ok), Some(true), "{ok}");
        }
        for bad in ["169.254.169.254", "10.0.0.1", "[fd00:ec2::24]"] {
            assert_eq!(allowed_http_host(bad), Some(false), "{bad}");
        }
        assert_eq!(allowed_http_host("example.com"), None, "names are resolved");
        assert_eq!(
            host_to_resolve("http://creds.internal:80/x").as_deref(),
            Some("creds.internal")
        );
        assert_eq!(host_to_resolve("https://creds.internal/x"), None);
        assert_eq!(host_to_resolve("http://127.0.0.1/x"), None);
    }

    /// A provider whose resolver answers from `table` (names missing from it fail).
    fn provider(uri: &str, table: &[(&str, &[&str])]) -> EcsCredentialsProvider {
        let table: HashMap<String, Vec<IpAddr>> = table
            .iter()
            .map(|(h, ips)| {
                (
                    h.to_string(),
                    ips.iter().map(|i| i.parse().unwrap()).collect(),
                )
            })
            .collect();
        let resolve: super::super::provider_config::Resolve = Arc::new(move |host| {
            let found = table.get(&host).cloned();
            Box::pin(async move {
                found.ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no such host")
                })
            })
        });
        let env = Env::from_vars(vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.to_owned())]);
        let http = Arc::new(ReqwestProviderClient::new().expect("http client"));
        let config = ProviderConfig::for_tests(env, Fs::from_map(Vec::<(&str, &str)>::new()), http)
            .with_resolver(resolve);
        EcsCredentialsProvider::new(&config)
    }

    #[tokio::test]
    async fn host_names_must_resolve_to_loopback_only() {
        let mixed = provider(
            "http://creds.internal/c",
            &[("creds.internal", &["127.0.0.1", "10.1.2.3"])],
        );
        let err = mixed
            .credentials()
            .await
            .expect_err("a non-loopback address");
        let text = crate::loader::util::error_chain(&err);
        assert!(
            text.contains("resolves to 10.1.2.3, not only to loopback"),
            "{text}"
        );

        let unknown = provider("http://nowhere.internal/c", &[]);
        let err = unknown.credentials().await.expect_err("unresolvable");
        let text = crate::loader::util::error_chain(&err);
        assert!(text.contains("could not be resolved"), "{text}");
    }

    #[tokio::test]
    async fn a_loopback_only_name_is_fetched_from() {
        // Resolution passes, so the provider goes on to fetch: from a port where nothing
        // listens, which fails with a connection error, not with the host rule.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let ok = provider(
            &format!("http://creds.internal:{port}/c"),
            &[("creds.internal", &["127.0.0.1", "::1"])],
        );
        let err = ok.credentials().await.expect_err("nothing listens");
        let text = crate::loader::util::error_chain(&err);
        assert!(!text.contains("not allowed"), "{text}");
        assert!(text.contains("failed 3 times"), "{text}");
    }
}
