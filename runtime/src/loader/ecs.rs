//! ECS and EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
//! `169.254.170.2`), else `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which must be HTTPS or point at
//! a loopback address or the ECS / EKS Pod Identity link-local hosts; the `Authorization`
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

fn allowed_http_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(IpAddr::V4(v4)) => {
            v4.octets() == [169, 254, 170, 2] || v4.octets() == [169, 254, 170, 23]
        }
        Ok(IpAddr::V6(v6)) => {
            v6 == "fd00:ec2::23"
                .parse::<std::net::Ipv6Addr>()
                .expect("valid literal")
        }
        Err(_) => false,
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
        Some("http") if allowed_http_host(host) => Ok(full.to_owned()),
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
            assert!(allowed_http_host(ok), "{ok}");
        }
        for bad in ["example.com", "169.254.169.254", "10.0.0.1"] {
            assert!(!allowed_http_host(bad), "{bad}");
        }
    }
}
