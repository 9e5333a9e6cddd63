//! STS `AssumeRole` and `AssumeRoleWithWebIdentity`: awsQuery calls (form-encoded request,
//! XML response, parsed with quick-xml), `AssumeRole` signed with SigV4 (aws-sigv4).

use std::time::SystemTime;

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use quick_xml::events::Event;
use quick_xml::Reader;

use super::endpoints::{endpoint_for, Service};
use super::http::{HttpRequest, RequestSettings};
use super::provider_config::ProviderConfig;
use super::util::{account_id_from_arn, invalid_config, parse_rfc3339, provider_error};

/// Parameters of an `AssumeRole` call.
#[derive(Clone, Debug, Default)]
pub(crate) struct AssumeRoleParams {
    pub(crate) role_arn: String,
    pub(crate) session_name: String,
    pub(crate) external_id: Option<String>,
    pub(crate) duration_seconds: Option<u32>,
    pub(crate) policy: Option<String>,
}

/// Form-encodes a value as awsQuery does (RFC 3986 unreserved characters kept).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The region STS calls use: the configured one, else `us-east-1` (as aws-config's
/// assume-role provider does when no region is set).
fn sts_region(config: &ProviderConfig) -> String {
    config
        .region
        .as_ref()
        .map(|r| r.as_ref().to_owned())
        .unwrap_or_else(|| "us-east-1".to_owned())
}

fn request(
    config: &ProviderConfig,
    body: String,
    region: &str,
) -> Result<HttpRequest, CredentialsError> {
    let url = endpoint_for(config, Service::Sts, Some(region))
        .map_err(|e| invalid_config(format!("could not resolve the STS endpoint: {e}")))?;
    let mut request = HttpRequest::new(http::Method::POST, url)
        .header("content-type", "application/x-www-form-urlencoded")
        .map_err(provider_error)?;
    request.body = body.into_bytes();
    Ok(request)
}

/// Signs `request` in place for STS in `region`.
fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    time: SystemTime,
) -> Result<(), CredentialsError> {
    let uri = request.uri.clone();
    let host = http::Uri::try_from(uri.as_str())
        .ok()
        .and_then(|u| u.authority().map(|a| a.to_string()))
        .unwrap_or_default();
    request.headers.insert(
        http::header::HOST,
        http::HeaderValue::from_str(&host).map_err(provider_error)?,
    );
    let pairs: Vec<(String, String)> = request
        .headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let identity = credentials.clone().into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(provider_error)?
        .into();
    let signable = SignableRequest::new(
        request.method.as_str(),
        uri.as_str(),
        pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(&request.body),
    )
    .map_err(provider_error)?;
    let (instructions, _) = sign(signable, &params)
        .map_err(provider_error)?
        .into_parts();
    let (headers, _) = instructions.into_parts();
    for header in headers {
        let mut value = http::HeaderValue::from_str(header.value()).map_err(provider_error)?;
        value.set_sensitive(true);
        let name =
            http::HeaderName::from_bytes(header.name().as_bytes()).map_err(provider_error)?;
        request.headers.insert(name, value);
    }
    Ok(())
}

/// `AssumeRole` with `source` credentials.
pub(crate) async fn assume_role(
    config: &ProviderConfig,
    source: &Credentials,
    params: &AssumeRoleParams,
) -> Result<Credentials, CredentialsError> {
    let duration = params.duration_seconds.map(|d| d.to_string());
    let mut pairs = vec![
        ("Action", "AssumeRole"),
        ("Version", "2011-06-15"),
        ("RoleArn", params.role_arn.as_str()),
        ("RoleSessionName", params.session_name.as_str()),
    ];
    if let Some(external_id) = &params.external_id {
        pairs.push(("ExternalId", external_id));
    }
    if let Some(duration) = &duration {
        pairs.push(("DurationSeconds", duration));
    }
    if let Some(policy) = &params.policy {
        pairs.push(("Policy", policy));
    }
    let region = sts_region(config);
    let mut req = request(config, form(&pairs), &region)?;
    sign_request(&mut req, source, &region, config.time.now())?;
    send(config, req, "AssumeRole").await
}

/// `AssumeRoleWithWebIdentity` (unsigned).
pub(crate) async fn assume_role_with_web_identity(
    config: &ProviderConfig,
    role_arn: &str,
    session_name: &str,
    token: &str,
) -> Result<Credentials, CredentialsError> {
    let body = form(&[
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", "2011-06-15"),
        ("RoleArn", role_arn),
        ("RoleSessionName", session_name),
        ("WebIdentityToken", token),
    ]);
    let region = sts_region(config);
    let req = request(config, body, &region)?;
    send(config, req, "AssumeRoleWithWebIdentity").await
}

async fn send(
    config: &ProviderConfig,
    request: HttpRequest,
    operation: &str,
) -> Result<Credentials, CredentialsError> {
    let response = config
        .http
        .send(request, RequestSettings::SERVICE)
        .await
        .map_err(provider_error)?;
    if !(200..300).contains(&response.status) {
        let (code, message) = parse_error(&response.body);
        return Err(provider_error(format!(
            "STS {operation} failed (HTTP {}): {}: {}",
            response.status,
            error_shape_name(&code),
            message
        )));
    }
    parse_credentials(&response.body)
        .map_err(|e| provider_error(format!("invalid STS {operation} response: {e}")))
}

/// The modeled error shape of an awsQuery error code (STS's `awsQueryError` codes).
fn error_shape_name(code: &str) -> String {
    match code {
        "InvalidIdentityToken"
        | "IDPRejectedClaim"
        | "IDPCommunicationError"
        | "MalformedPolicyDocument"
        | "PackedPolicyTooLarge"
        | "InvalidAuthorizationMessage" => {
            format!("{code}Exception")
        }
        _ => code.to_owned(),
    }
}

/// Text of the elements named in `wanted`, by local name, anywhere in `xml`.
fn element_texts(xml: &[u8], wanted: &[&str]) -> Result<Vec<Option<String>>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut out: Vec<Option<String>> = vec![None; wanted.len()];
    let mut current: Option<usize> = None;
    let mut buf = Vec::new();
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
            Event::Start(e) => {
                let name = e.local_name();
                let name = std::str::from_utf8(name.as_ref()).unwrap_or_default();
                current = wanted.iter().position(|w| *w == name);
            }
            Event::Text(t) => {
                if let Some(i) = current {
                    let text = t.decode().map_err(|e| e.to_string())?;
                    let text = quick_xml::escape::unescape(&text).map_err(|e| e.to_string())?;
                    out[i].get_or_insert_with(String::new).push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(i) = current {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    let entity = format!("&{name};");
                    let text = quick_xml::escape::unescape(&entity).map_err(|e| e.to_string())?;
                    out[i].get_or_insert_with(String::new).push_str(&text);
                }
            }
            Event::End(_) => current = None,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn parse_error(body: &[u8]) -> (String, String) {
    match element_texts(body, &["Code", "Message"]) {
        Ok(v) => (
            v[0].clone().unwrap_or_else(|| "Unknown".to_owned()),
            v[1].clone().unwrap_or_default(),
        ),
        Err(_) => (
            "Unknown".to_owned(),
            String::from_utf8_lossy(body).into_owned(),
        ),
    }
}

/// Credentials from an `AssumeRole*Response`.
pub(crate) fn parse_credentials(body: &[u8]) -> Result<Credentials, String> {
    let names = [
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
        "Arn",
    ];
    let v = element_texts(body, &names)?;
    let get = |i: usize| {
        v[i].clone()
            .ok_or_else(|| format!("missing <{}>", names[i]))
    };
    let expiry = parse_rfc3339(&get(3)?)?;
    let mut builder = Credentials::builder()
        .access_key_id(get(0)?)
        .secret_access_key(get(1)?)
        .session_token(get(2)?)
        .expiry(expiry)
        .provider_name("AssumeRoleProvider");
    if let Some(account) = v[4].as_deref().and_then(account_id_from_arn) {
        builder = builder.account_id(account);
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_credentials_and_errors() {
        let ok = br#"<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>AK</AccessKeyId><SecretAccessKey>S&amp;K</SecretAccessKey><SessionToken>T</SessionToken><Expiration>2021-08-05T19:58:02Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"#;
        let c = parse_credentials(ok).unwrap();
        assert_eq!(c.secret_access_key(), "S&K");
        assert_eq!(c.account_id().map(|a| a.as_str()), Some("123456789012"));
        assert!(parse_credentials(b"<x>").is_err());
        let (code, message) = parse_error(b"<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>m</Message></Error></ErrorResponse>");
        assert_eq!(error_shape_name(&code), "InvalidIdentityTokenException");
        assert_eq!(message, "m");
    }

    #[test]
    fn form_encoding() {
        assert_eq!(
            form(&[("RoleArn", "arn:aws:iam::1:role/x")]),
            "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx"
        );
    }
}
