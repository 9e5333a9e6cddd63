//! The SigV4 verifier: recomputes the `Authorization` header of a request the server
//! received, from what arrived on the wire (method, path, the headers it lists as signed,
//! body), the credentials, region, service and signing time, and compares.
//!
//! `x-amz-date` and `x-amz-security-token` are not passed to the signer as request headers:
//! aws-sigv4 adds both itself (from the time and the credentials' session token), so
//! passing them too would sign them twice. Instead the verifier checks that the request
//! carries exactly the values the signer adds: the date of `time`, and the session token
//! if and only if the credentials have one.
//!
//! This is a consistency check with aws-sigv4 over the request as received, not an
//! independent implementation of the algorithm.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_types::date_time::{DateTime, Format};

use crate::server::CapturedRequest;

/// What a request is signed for.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// The signing region, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name, e.g. `lightsail`.
    pub service: &'a str,
    /// The signing time (the client's clock).
    pub time: SystemTime,
}

/// The `SignedHeaders` of an `Authorization` header, as listed (lower case).
pub fn signed_headers(authorization: &str) -> Vec<String> {
    authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .map(|list| list.trim().split(';').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `x-amz-date` of `time`: `yyyymmddThhmmssZ`.
pub fn amz_date(time: SystemTime) -> String {
    let whole = DateTime::from_secs(DateTime::from(time).secs());
    whole
        .fmt(Format::DateTime)
        .unwrap_or_default()
        .replace(['-', ':'], "")
}

/// The `Authorization` header aws-sigv4 computes for `request` (see the module docs for
/// which headers are used). Errors name what is missing or what the signer refused.
pub fn expected_authorization(
    request: &CapturedRequest,
    credentials: &Credentials,
    scope: Scope<'_>,
) -> Result<String, String> {
    let auth = request
        .header("authorization")
        .ok_or("no Authorization header")?;
    let signed = signed_headers(auth);
    if signed.is_empty() {
        return Err(format!("no SignedHeaders in `{auth}`"));
    }
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(name, _)| signed.iter().any(|s| name.eq_ignore_ascii_case(s)))
        .filter(|(name, _)| {
            !name.eq_ignore_ascii_case("x-amz-date")
                && !name.eq_ignore_ascii_case("x-amz-security-token")
        })
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let host = request.header("host").ok_or("no Host header")?;
    let uri = format!("http://{host}{}", request.path);
    let identity = credentials.clone().into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.service)
        .time(scope.time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("signing params: {e}"))?
        .into();
    let signable = SignableRequest::new(
        &request.method,
        uri,
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .map_err(|e| format!("not signable: {e}"))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| format!("sign: {e}"))?
        .into_parts();
    let (headers, _) = instructions.into_parts();
    headers
        .iter()
        .find(|h| h.name() == "authorization")
        .map(|h| h.value().to_owned())
        .ok_or_else(|| "aws-sigv4 gave no authorization header".to_owned())
}

/// Checks a received request's signature, `x-amz-date` and session token; every problem
/// in the error.
pub fn verify(
    request: &CapturedRequest,
    credentials: &Credentials,
    scope: Scope<'_>,
) -> Result<(), String> {
    let mut problems = Vec::new();
    let date = amz_date(scope.time);
    if request.header_values("x-amz-date") != [date.as_str()] {
        problems.push(format!(
            "x-amz-date: sent {:?}, expected [{date:?}]",
            request.header_values("x-amz-date")
        ));
    }
    let token = credentials.session_token();
    let sent_token = request.header_values("x-amz-security-token");
    if sent_token != token.into_iter().collect::<Vec<_>>() {
        // Never print the token itself.
        problems.push(format!(
            "x-amz-security-token: {} sent, credentials {} one",
            sent_token.len(),
            if token.is_some() { "have" } else { "have no" }
        ));
    }
    let auth = request.header("authorization").unwrap_or_default();
    let signed = signed_headers(auth);
    let must_sign = ["host", "x-amz-date"]
        .into_iter()
        .chain(token.map(|_| "x-amz-security-token"));
    for name in must_sign {
        if !signed.iter().any(|s| s == name) {
            problems.push(format!("`{name}` is not signed"));
        }
    }
    match expected_authorization(request, credentials, scope) {
        Ok(expected) if expected == auth => {}
        Ok(expected) => problems.push(format!(
            "signature mismatch:\n  sent     {auth}\n  expected {expected}"
        )),
        Err(e) => problems.push(e),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const TIME: u64 = 1_704_164_645;

    fn scope() -> Scope<'static> {
        Scope {
            region: "us-east-1",
            service: "lightsail",
            time: SystemTime::UNIX_EPOCH + Duration::from_secs(TIME),
        }
    }

    /// A request signed by the verifier's own computation, then checked.
    fn signed_request(credentials: &Credentials) -> CapturedRequest {
        let mut request = CapturedRequest {
            method: "POST".into(),
            path: "/".into(),
            headers: vec![
                ("host".into(), "127.0.0.1:1".into()),
                ("content-type".into(), "application/x-amz-json-1.1".into()),
                ("x-amz-date".into(), "20240102T030405Z".into()),
            ],
            body: b"{}".to_vec(),
            ..CapturedRequest::default()
        };
        let mut signed = "host;content-type;x-amz-date".to_owned();
        if let Some(token) = credentials.session_token() {
            request
                .headers
                .push(("x-amz-security-token".into(), token.into()));
            signed.push_str(";x-amz-security-token");
        }
        let placeholder =
            format!("AWS4-HMAC-SHA256 Credential=x, SignedHeaders={signed}, Signature=0");
        request.headers.push(("authorization".into(), placeholder));
        let auth = expected_authorization(&request, credentials, scope()).expect("sign");
        request.headers.pop();
        request.headers.push(("authorization".into(), auth));
        request
    }

    #[test]
    fn amz_date_drops_fractions() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(TIME * 1000 + 999);
        assert_eq!(amz_date(t), "20240102T030405Z");
    }

    #[test]
    fn verifies_with_and_without_session_token_and_catches_tampering() {
        for token in [None, Some("TOKEN/1=".to_owned())] {
            let credentials = Credentials::new("AKID", "SECRET", token.clone(), None, "t");
            let request = signed_request(&credentials);
            assert_eq!(verify(&request, &credentials, scope()), Ok(()));

            let mut body = request.clone();
            body.body = b"{\"a\":1}".to_vec();
            assert!(verify(&body, &credentials, scope())
                .unwrap_err()
                .contains("signature mismatch"));

            let mut date = request.clone();
            date.headers[2].1 = "20240102T030406Z".into();
            assert!(verify(&date, &credentials, scope())
                .unwrap_err()
                .contains("x-amz-date"));

            let other = Credentials::new("AKID", "SECRET", Some("OTHER".into()), None, "t");
            let err = verify(&request, &other, scope()).unwrap_err();
            assert!(err.contains("x-amz-security-token"), "{err}");
            assert!(!err.contains("OTHER") && !err.contains("TOKEN/1="), "{err}");
        }
    }

    #[test]
    fn signed_headers_are_parsed() {
        let auth = "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host;x-amz-date, Signature=f";
        assert_eq!(signed_headers(auth), ["host", "x-amz-date"]);
        assert!(signed_headers("Bearer x").is_empty());
    }
}
