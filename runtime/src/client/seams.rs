//! The only places the call path touches the `json` and `endpoint` modules, which are
//! written on other branches. Everything here is a temporary stand-in marked
//! `TODO(merge)`; the integrator replaces the bodies (not the signatures) with calls to the
//! real modules.

use std::fmt;

use crate::client::ServiceSpec;
use crate::error::BoxError;

// TODO(merge): replace this type with `pub use crate::json::DeserializeError;`
// (ARCHITECTURE.md: `OperationSpec::parse_output` returns `json::DeserializeError`).
// The tests construct it with `DeserializeError::custom(..)`; keep such a constructor on the
// real type, or adjust `tests/client_call.rs`.
/// The error of an output parser (temporary stand-in for `json::DeserializeError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializeError {
    message: String,
}

impl DeserializeError {
    /// An error with a message.
    pub fn custom(message: impl Into<String>) -> Self {
        DeserializeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeserializeError {}

/// Error code and message of an error response.
///
/// TODO(merge): replace the body with
/// `crate::json::parse_error_code_and_message(headers, body)`. Expected behaviour (as the
/// real one documents): code from `x-amzn-ErrorType`, else the body's `__type`, else `code`;
/// namespace (`aws.foo#`) and `:suffix` stripped; message from `message` / `Message` /
/// `errorMessage`.
pub(crate) fn error_code_and_message(
    headers: &http::HeaderMap,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    let header_code = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = std::str::from_utf8(body).unwrap_or("");
    let code = header_code
        .or_else(|| scan_string_member(body, "__type"))
        .or_else(|| scan_string_member(body, "code"))
        .map(|c| sanitize_code(&c));
    let message = scan_string_member(body, "message")
        .or_else(|| scan_string_member(body, "Message"))
        .or_else(|| scan_string_member(body, "errorMessage"));
    (code.filter(|c| !c.is_empty()), message)
}

/// `aws.protocoltests#FooError:http://...` -> `FooError`.
fn sanitize_code(code: &str) -> String {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim().to_owned()
}

/// TODO(merge): temporary. Finds `"key": "value"` anywhere in `body` (not a JSON parser:
/// good enough for the flat error documents AWS JSON services return). Handles the common
/// escapes; `\u` escapes are kept verbatim.
fn scan_string_member(body: &str, key: &str) -> Option<String> {
    let needle = format!("\"{key}\"");
    let mut from = 0;
    while let Some(pos) = body.get(from..)?.find(&needle) {
        let after = from + pos + needle.len();
        from = after;
        let rest = body.get(after..)?.trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            continue;
        };
        let mut out = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'u' => out.push_str("\\u"),
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        return None;
    }
    None
}

/// The endpoint-rule inputs of one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EndpointParams {
    /// `AWS::Region`.
    pub(crate) region: String,
    /// `AWS::UseFIPS`.
    pub(crate) use_fips: bool,
    /// `AWS::UseDualStack`.
    pub(crate) use_dual_stack: bool,
    /// `SDK::Endpoint`: the user's endpoint URL override, if any.
    pub(crate) endpoint: Option<String>,
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ResolvedEndpoint {
    /// The URL, possibly with a path (kept as a prefix of `/`).
    pub(crate) url: String,
    /// Extra headers the rules ask for.
    pub(crate) headers: Vec<(String, String)>,
    /// `authSchemes[0].signingName` (sigv4), if the rules override it.
    pub(crate) signing_name: Option<String>,
    /// `authSchemes[0].signingRegion` (sigv4), if the rules override it.
    pub(crate) signing_region: Option<String>,
}

/// Resolves the endpoint of a client. Called once per `Handle`.
///
/// TODO(merge): replace the body with
/// `RuleSet::from_json(spec.endpoint_rules)?.resolve(&Params::from(BuiltIns { region,
/// use_fips, use_dual_stack, endpoint }))?` and map `Endpoint { url, headers, properties }`
/// (take `properties.authSchemes[0]` with `name == "sigv4"` for `signingName` /
/// `signingRegion`). Errors become the `ConstructionFailure` of every call.
pub(crate) fn resolve_endpoint(
    spec: &ServiceSpec,
    params: &EndpointParams,
) -> Result<ResolvedEndpoint, BoxError> {
    if let Some(url) = &params.endpoint {
        return Ok(ResolvedEndpoint {
            url: url.clone(),
            ..ResolvedEndpoint::default()
        });
    }
    if params.region.is_empty()
        || !params
            .region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!("invalid region `{}`", params.region).into());
    }
    let name = if params.use_fips {
        format!("{}-fips", spec.signing_name)
    } else {
        spec.signing_name.to_owned()
    };
    let domain = if params.use_dual_stack {
        "api.aws"
    } else {
        "amazonaws.com"
    };
    Ok(ResolvedEndpoint {
        url: format!("https://{name}.{}.{domain}", params.region),
        ..ResolvedEndpoint::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_from_header_then_body() {
        let mut headers = http::HeaderMap::new();
        let body =
            br#"{"__type":"com.amazonaws.lightsail#NotFoundException","message":"no \"x\""}"#;
        assert_eq!(
            error_code_and_message(&headers, body),
            (
                Some("NotFoundException".to_owned()),
                Some("no \"x\"".to_owned())
            )
        );
        headers.insert(
            "x-amzn-errortype",
            http::HeaderValue::from_static("ThrottlingException:http://internal"),
        );
        assert_eq!(
            error_code_and_message(&headers, b"{}").0.as_deref(),
            Some("ThrottlingException")
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        let headers = http::HeaderMap::new();
        for body in [
            &b""[..],
            b"\"__type\"",
            b"\"__type\":",
            b"\"__type\":\"\\",
            b"\xff\xfe",
        ] {
            let _ = error_code_and_message(&headers, body);
        }
    }

    proptest::proptest! {
        #[test]
        fn error_scan_never_panics(body in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = error_code_and_message(&http::HeaderMap::new(), &body);
        }
    }
}
