//! SSO (IAM Identity Center): the cached access token (`~/.aws/sso/cache/<sha1>.json`, keyed
//! by the `sso_session` name, or by the start URL for legacy profiles), its refresh through
//! SSO OIDC `CreateToken` (session profiles only), and role credentials from the portal's
//! `GetRoleCredentials` (restJson1, written by hand).
//!
//! A refreshed token (and a rotated refresh token) is written back to the cache file.

use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{self, error::CredentialsError};
use aws_credential_types::Credentials;

use super::endpoints::{endpoint_for, Service};
use super::http::{HttpRequest, RequestSettings};
use super::json::{object, opt_i64, opt_str, parse_document, req_str};
use super::profile::location;
use super::provider_config::ProviderConfig;
use super::util::{from_epoch_millis, invalid_config, parse_rfc3339, provider_error};

/// Tokens are refreshed this long before they expire.
const REFRESH_BUFFER: Duration = Duration::from_secs(300);

/// An SSO bearer token and its expiry.
#[derive(Clone, PartialEq, Eq)]
pub struct SsoToken {
    /// The access token.
    pub token: String,
    /// When it expires.
    pub expiration: SystemTime,
}

impl std::fmt::Debug for SsoToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoToken")
            .field("token", &"** redacted **")
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// The profile settings SSO needs.
#[derive(Clone, Debug)]
pub(crate) struct SsoSettings {
    pub(crate) start_url: String,
    pub(crate) region: String,
    pub(crate) session_name: Option<String>,
}

fn sha1_hex(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, text.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache file of `settings`.
pub(crate) fn cache_path(
    config: &ProviderConfig,
    settings: &SsoSettings,
) -> Result<String, CredentialsError> {
    let home = location::home_dir(&config.env, config.os)
        .ok_or_else(|| invalid_config("no home directory for the SSO token cache"))?;
    let key = settings
        .session_name
        .as_deref()
        .unwrap_or(&settings.start_url);
    let sep = if config.os == location::Os::Windows {
        '\\'
    } else {
        '/'
    };
    Ok(format!(
        "{home}{sep}.aws{sep}sso{sep}cache{sep}{}.json",
        sha1_hex(key)
    ))
}

/// The cached token, refreshed if it is about to expire and can be refreshed.
pub(crate) async fn load_token(
    config: &ProviderConfig,
    settings: &SsoSettings,
) -> Result<SsoToken, CredentialsError> {
    let path = cache_path(config, settings)?;
    let bytes = config
        .fs
        .read(&path)
        .map_err(|e| invalid_config(format!("failed to read `{path}`: {e}")))?;
    let doc = parse_document(&bytes)
        .map_err(|e| invalid_config(format!("invalid SSO token cache `{path}`: {e}")))?;
    let cached = (|| -> Result<_, String> {
        let obj = object(&doc, "the token cache")?;
        Ok((
            req_str(obj, "accessToken")?.to_owned(),
            parse_rfc3339(req_str(obj, "expiresAt")?)?,
            opt_str(obj, "refreshToken")?.map(str::to_owned),
            opt_str(obj, "clientId")?.map(str::to_owned),
            opt_str(obj, "clientSecret")?.map(str::to_owned),
            opt_str(obj, "registrationExpiresAt")?
                .map(parse_rfc3339)
                .transpose()?,
        ))
    })()
    .map_err(|e| invalid_config(format!("invalid SSO token cache `{path}`: {e}")))?;
    let (token, expiration, refresh, client_id, client_secret, registration_expiry) = cached;
    let now = config.time.now();
    if expiration > now + REFRESH_BUFFER {
        return Ok(SsoToken { token, expiration });
    }
    if let (Some(_), Some(refresh), Some(id), Some(secret)) =
        (&settings.session_name, refresh, client_id, client_secret)
    {
        if registration_expiry.is_none_or(|r| r > now) {
            match create_token(config, &settings.region, &id, &secret, &refresh).await {
                Ok((t, new_refresh)) => {
                    save_refreshed(config, &path, doc, &t, new_refresh);
                    return Ok(t);
                }
                Err(e) if expiration > now => {
                    tracing::warn!(error = %super::util::error_chain(&e), "SSO token refresh failed; using the cached token");
                    return Ok(SsoToken { token, expiration });
                }
                Err(e) => return Err(e),
            }
        }
    }
    if expiration > now {
        return Ok(SsoToken { token, expiration });
    }
    Err(invalid_config(format!(
        "the SSO session token in `{path}` has expired; run `aws sso login` to refresh it"
    )))
}

/// The SSO bearer token of the selected profile (aws-config's SSO token provider): from its
/// `sso_session` section, or the legacy `sso_start_url` / `sso_region` of the profile.
pub async fn profile_token(config: &ProviderConfig) -> Result<SsoToken, CredentialsError> {
    let set = config
        .profile_set()
        .map_err(|e| invalid_config(e.to_string()))?;
    let profile = set.selected().ok_or_else(|| {
        super::util::not_loaded(format!("profile `{}` not found", set.selected_profile()))
    })?;
    let settings = match profile.get_nonempty("sso_session") {
        Some(name) => {
            let section = set.sso_session(name).ok_or_else(|| {
                invalid_config(format!(
                    "sso-session named `{name}` (referenced by profile `{}`) was not found",
                    profile.name()
                ))
            })?;
            SsoSettings {
                start_url: section
                    .get_nonempty("sso_start_url")
                    .unwrap_or_default()
                    .to_owned(),
                region: section
                    .get_nonempty("sso_region")
                    .unwrap_or_default()
                    .to_owned(),
                session_name: Some(name.to_owned()),
            }
        }
        None => SsoSettings {
            start_url: profile
                .get_nonempty("sso_start_url")
                .ok_or_else(|| super::util::not_loaded("the profile has no SSO settings"))?
                .to_owned(),
            region: profile
                .get_nonempty("sso_region")
                .unwrap_or_default()
                .to_owned(),
            session_name: None,
        },
    };
    load_token(config, &settings).await
}

/// SSO OIDC `CreateToken` with `grant_type=refresh_token`.
async fn create_token(
    config: &ProviderConfig,
    region: &str,
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
) -> Result<(SsoToken, Option<String>), CredentialsError> {
    let base = endpoint_for(config, Service::SsoOidc, Some(region))
        .map_err(|e| invalid_config(format!("could not resolve the SSO OIDC endpoint: {e}")))?;
    let mut body = crate::json::JsonSerializer::new();
    body.begin_object();
    for (k, v) in [
        ("clientId", client_id),
        ("clientSecret", client_secret),
        ("grantType", "refresh_token"),
        ("refreshToken", refresh_token),
    ] {
        body.key(k);
        body.string(v);
    }
    body.end_object();
    let mut request = HttpRequest::new(
        http::Method::POST,
        format!("{}/token", base.trim_end_matches('/')),
    )
    .header("content-type", "application/json")
    .map_err(provider_error)?;
    request.body = body.finish();
    let response = config
        .http
        .send(request, RequestSettings::SERVICE)
        .await
        .map_err(provider_error)?;
    if !(200..300).contains(&response.status) {
        return Err(provider_error(format!(
            "SSO OIDC CreateToken failed (HTTP {})",
            response.status
        )));
    }
    let doc = parse_document(&response.body).map_err(provider_error)?;
    let parsed = (|| -> Result<_, String> {
        let obj = object(&doc, "the response")?;
        Ok((
            req_str(obj, "accessToken")?.to_owned(),
            opt_i64(obj, "expiresIn")?.unwrap_or(3600),
            opt_str(obj, "refreshToken")?.map(str::to_owned),
        ))
    })()
    .map_err(|e| provider_error(format!("invalid CreateToken response: {e}")))?;
    let token = SsoToken {
        token: parsed.0,
        expiration: config.time.now() + Duration::from_secs(parsed.1.max(0) as u64),
    };
    Ok((token, parsed.2))
}

/// Writes a refreshed token back to the cache file, keeping its other fields, so the next
/// process does not refresh again (and a rotated refresh token is not lost). A failed write
/// is logged: the refreshed token is still used.
fn save_refreshed(
    config: &ProviderConfig,
    path: &str,
    mut doc: aws_smithy_types::Document,
    token: &SsoToken,
    refresh_token: Option<String>,
) {
    use aws_smithy_types::Document;
    let Document::Object(map) = &mut doc else {
        return;
    };
    map.insert("accessToken".into(), Document::String(token.token.clone()));
    let expires = aws_smithy_types::DateTime::from(token.expiration)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default();
    map.insert("expiresAt".into(), Document::String(expires));
    if let Some(refresh) = refresh_token {
        map.insert("refreshToken".into(), Document::String(refresh));
    }
    let mut out = crate::json::JsonSerializer::new();
    out.document(&doc);
    if let Err(e) = config.fs.write(path, &out.finish()) {
        tracing::warn!(path, error = %e, "could not update the SSO token cache");
    }
}

/// Role credentials for `account_id` / `role_name` with a valid token.
pub(crate) async fn role_credentials(
    config: &ProviderConfig,
    settings: &SsoSettings,
    account_id: &str,
    role_name: &str,
) -> provider::Result {
    let token = load_token(config, settings).await?;
    let base = endpoint_for(config, Service::Sso, Some(&settings.region))
        .map_err(|e| invalid_config(format!("could not resolve the SSO endpoint: {e}")))?;
    let encode = crate::endpoint::functions::uri_encode;
    let uri = format!(
        "{}/federation/credentials?account_id={}&role_name={}",
        base.trim_end_matches('/'),
        encode(account_id),
        encode(role_name)
    );
    let mut request = HttpRequest::new(http::Method::GET, uri)
        .header("x-amz-sso_bearer_token", &token.token)
        .map_err(provider_error)?;
    if let Some(v) = request.headers.get_mut("x-amz-sso_bearer_token") {
        v.set_sensitive(true);
    }
    let response = config
        .http
        .send(request, RequestSettings::SERVICE)
        .await
        .map_err(provider_error)?;
    if !(200..300).contains(&response.status) {
        let (code, message) =
            crate::json::parse_error_code_and_message(&response.headers, &response.body);
        return Err(provider_error(format!(
            "SSO GetRoleCredentials failed (HTTP {}): {}: {}",
            response.status,
            code.as_deref().unwrap_or("Unknown"),
            message.as_deref().unwrap_or_default()
        )));
    }
    let doc = parse_document(&response.body).map_err(provider_error)?;
    let creds = (|| -> Result<Credentials, String> {
        let outer = object(&doc, "the response")?;
        let inner = object(
            outer
                .get("roleCredentials")
                .ok_or("missing `roleCredentials`")?,
            "roleCredentials",
        )?;
        let mut b = Credentials::builder()
            .access_key_id(req_str(inner, "accessKeyId")?)
            .secret_access_key(req_str(inner, "secretAccessKey")?)
            .account_id(account_id)
            .provider_name("SSO");
        if let Some(t) = opt_str(inner, "sessionToken")? {
            b = b.session_token(t);
        }
        if let Some(ms) = opt_i64(inner, "expiration")? {
            b = b.expiry(from_epoch_millis(ms));
        }
        Ok(b.build())
    })()
    .map_err(|e| provider_error(format!("invalid GetRoleCredentials response: {e}")))?;
    Ok(creds)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cache_key_hash() {
        assert_eq!(
            super::sha1_hex("dev"),
            "34c6fceca75e456f25e7e99531e2425c6c1de443"
        );
    }
}

/// aws-config's SSO token provider: the bearer token of the selected profile's SSO session
/// (for services that take a token instead of SigV4), refreshed like [`profile_token`].
#[derive(Clone, Debug)]
pub struct SsoTokenProvider {
    config: ProviderConfig,
}

impl SsoTokenProvider {
    /// A provider over `config`.
    pub fn new(config: &ProviderConfig) -> Self {
        SsoTokenProvider {
            config: config.clone(),
        }
    }
}

impl aws_credential_types::provider::token::ProvideToken for SsoTokenProvider {
    fn provide_token<'a>(&'a self) -> aws_credential_types::provider::future::ProvideToken<'a>
    where
        Self: 'a,
    {
        use aws_credential_types::provider::error::TokenError;
        aws_credential_types::provider::future::ProvideToken::new(async move {
            match profile_token(&self.config).await {
                Ok(t) => Ok(aws_credential_types::Token::new(
                    t.token,
                    Some(t.expiration),
                )),
                Err(CredentialsError::CredentialsNotLoaded(_)) => Err(TokenError::not_loaded(
                    "the selected profile has no SSO session",
                )),
                Err(e @ CredentialsError::InvalidConfiguration(_)) => Err(
                    TokenError::invalid_configuration(super::util::error_chain(&e)),
                ),
                Err(e) => Err(TokenError::provider_error(super::util::error_chain(&e))),
            }
        })
    }
}
