//! Where the call path meets the JSON module (error codes, output parsing) and the
//! endpoint rules engine.

use aws_smithy_types::Document;

use crate::client::ServiceSpec;
use crate::endpoint::{BuiltIns, RuleSet};
use crate::error::BoxError;

pub use crate::json::DeserializeError;

/// The longest excerpt of a non-JSON error body kept in the error message.
const EXCERPT_CHARS: usize = 200;

/// Error code and message of an error response (awsJson rules: `X-Amzn-Errortype`, then
/// `__type`, then `code`; sanitized). A body that is not JSON (an HTML page from a proxy,
/// say) gives no code, and a short excerpt of it as the message so the error still says
/// what came back.
pub(crate) fn error_code_and_message(
    headers: &http::HeaderMap,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    let (code, message) = crate::json::parse_error_code_and_message(headers, body);
    if code.is_some() || message.is_some() || body.iter().all(u8::is_ascii_whitespace) {
        return (code, message);
    }
    let text = String::from_utf8_lossy(body);
    let mut excerpt: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if excerpt.chars().count() > EXCERPT_CHARS {
        excerpt = excerpt.chars().take(EXCERPT_CHARS).collect::<String>() + "...";
    }
    (
        None,
        Some(format!("unrecognized error response: {excerpt}")),
    )
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

/// Resolves the endpoint of a client with the service's rule set. Called once per
/// `Handle`; errors become the `ConstructionFailure` of every call.
pub(crate) fn resolve_endpoint(
    spec: &ServiceSpec,
    params: &EndpointParams,
) -> Result<ResolvedEndpoint, BoxError> {
    let rules = RuleSet::from_json(spec.endpoint_rules)?;
    let built_ins = BuiltIns {
        region: Some(params.region.clone()),
        use_fips: params.use_fips,
        use_dual_stack: params.use_dual_stack,
        endpoint: params.endpoint.clone(),
    };
    let endpoint = rules.resolve(&rules.params_from_builtins(&built_ins))?;
    let headers = endpoint
        .headers
        .iter()
        .flat_map(|(name, values)| values.iter().map(move |v| (name.clone(), v.clone())))
        .collect();
    let sigv4 = endpoint.properties.get("authSchemes").and_then(|schemes| {
        match schemes {
        Document::Array(schemes) => schemes.iter().find_map(|scheme| match scheme {
            Document::Object(fields)
                if matches!(fields.get("name"), Some(Document::String(n)) if n == "sigv4") =>
            {
                Some(fields)
            }
            _ => None,
        }),
        _ => None,
    }
    });
    let string_field = |name: &str| match sigv4.and_then(|fields| fields.get(name)) {
        Some(Document::String(value)) => Some(value.clone()),
        _ => None,
    };
    Ok(ResolvedEndpoint {
        url: endpoint.url,
        headers,
        signing_name: string_field("signingName"),
        signing_region: string_field("signingRegion"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_keep_an_excerpt() {
        let body = format!(
            "<html>\n<body>  502 Bad Gateway {}</body></html>",
            "x".repeat(500)
        );
        let (code, message) = error_code_and_message(&http::HeaderMap::new(), body.as_bytes());
        assert_eq!(code, None);
        let message = message.expect("an excerpt");
        assert!(message.starts_with("unrecognized error response: <html> <body> 502 Bad Gateway"));
        assert!(message.ends_with("..."), "{message}");
        assert!(message.len() < 300);
    }

    #[test]
    fn json_errors_and_empty_bodies_are_unchanged() {
        let (code, message) = error_code_and_message(
            &http::HeaderMap::new(),
            br#"{"__type":"a#Foo:x","message":"m"}"#,
        );
        assert_eq!(
            (code.as_deref(), message.as_deref()),
            (Some("Foo"), Some("m"))
        );
        assert_eq!(
            error_code_and_message(&http::HeaderMap::new(), b"  "),
            (None, None)
        );
    }

    #[test]
    fn rules_give_the_regional_url() {
        let spec = ServiceSpec {
            sdk_id: "Svc",
            signing_name: "svc",
            target_prefix: "Svc",
            json_version: "1.1",
            endpoint_rules: r#"{"version":"1.0","parameters":{"Region":{"type":"string","builtIn":"AWS::Region","required":true}},"rules":[{"conditions":[],"type":"endpoint","endpoint":{"url":"https://svc.{Region}.example.com","properties":{"authSchemes":[{"name":"sigv4","signingName":"other","signingRegion":"{Region}"}]},"headers":{"x-a":["1","2"]}}}]}"#,
            crate_name: "svc",
            crate_version: "0",
        };
        let params = EndpointParams {
            region: "eu-west-1".into(),
            use_fips: false,
            use_dual_stack: false,
            endpoint: None,
        };
        let endpoint = resolve_endpoint(&spec, &params).expect("resolves");
        assert_eq!(endpoint.url, "https://svc.eu-west-1.example.com");
        assert_eq!(endpoint.signing_name.as_deref(), Some("other"));
        assert_eq!(endpoint.signing_region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            endpoint.headers,
            vec![("x-a".into(), "1".into()), ("x-a".into(), "2".into())]
        );
    }
}
