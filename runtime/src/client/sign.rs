//! SigV4 signing of one attempt, with aws-sigv4.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;

use crate::error::BoxError;

/// What to sign for.
pub(crate) struct SigningScope<'a> {
    /// The credential scope's region.
    pub(crate) region: &'a str,
    /// The credential scope's service (the model's `aws.auth#sigv4` name).
    pub(crate) name: &'a str,
    /// The signing time (the clock plus any measured skew).
    pub(crate) time: SystemTime,
}

/// Signs a request: adds `x-amz-date`, `x-amz-security-token` (with a session token) and
/// `authorization` to `headers`. The payload is hashed into the signature, as aws-sdk-rust
/// does for non-S3 services (no `x-amz-content-sha256` header).
///
/// `uri` must be the exact absolute URL that is sent. `host` is not in `headers`: aws-sigv4
/// derives it from the URL the same way hyper does (default ports omitted).
pub(crate) fn sign_request(
    headers: &mut http::HeaderMap,
    uri: &str,
    body: &[u8],
    credentials: Credentials,
    scope: &SigningScope<'_>,
) -> Result<(), BoxError> {
    let mut pairs = Vec::with_capacity(headers.len());
    for (name, value) in headers.iter() {
        let value = value
            .to_str()
            .map_err(|_| format!("header `{name}` is not visible ASCII and cannot be signed"))?;
        pairs.push((name.as_str(), value));
    }
    let identity = credentials.into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.name)
        .time(scope.time)
        .settings(SigningSettings::default())
        .build()?
        .into();
    let request = SignableRequest::new("POST", uri, pairs.into_iter(), SignableBody::Bytes(body))?;
    let (instructions, _signature) = sign(request, &params)?.into_parts();
    let (new_headers, _params) = instructions.into_parts();
    for header in new_headers {
        let mut value = http::HeaderValue::from_str(header.value())?;
        // Keeps the token and signature out of `Debug` output of the header map.
        value.set_sensitive(header.sensitive() || header.name() == "authorization");
        headers.insert(header.name(), value);
    }
    Ok(())
}
