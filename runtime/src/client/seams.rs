//! Where the call path meets the JSON module (error codes, output parsing) and the
//! endpoint rules engine.

use std::collections::HashMap;

use aws_smithy_types::Document;

use crate::endpoint::{Params, RuleSet};
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

/// The auth schemes (endpoint `authSchemes` property) the call path can sign for.
const SUPPORTED_AUTH_SCHEMES: &[&str] = &["sigv4"];

/// `Code;Fault` of an `awsQueryCompatible` service's `x-amzn-query-error` header, as
/// aws-sdk-rust reads it: both parts non-empty, else `None` (the body's code stands).
pub(crate) fn query_compatible_error(headers: &http::HeaderMap) -> Option<(&str, &str)> {
    let value = headers.get("x-amzn-query-error")?.to_str().ok()?;
    let (code, fault) = value.split_once(';')?;
    (!code.is_empty() && !fault.is_empty()).then_some((code, fault))
}

/// Resolves an endpoint with the service's rule set. An endpoint whose `authSchemes` name
/// only schemes this runtime cannot sign for (SigV4a, e.g. EventBridge global endpoints)
/// is an error naming them.
pub(crate) fn resolve_endpoint(
    rules: &RuleSet,
    params: &Params,
) -> Result<ResolvedEndpoint, BoxError> {
    let endpoint = rules.resolve(params)?;
    let headers = endpoint
        .headers
        .iter()
        .flat_map(|(name, values)| values.iter().map(move |v| (name.clone(), v.clone())))
        .collect();
    let schemes: Vec<&HashMap<String, Document>> = match endpoint.properties.get("authSchemes") {
        Some(Document::Array(schemes)) => schemes
            .iter()
            .filter_map(|scheme| match scheme {
                Document::Object(fields) => Some(fields),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let scheme_name = |fields: &HashMap<String, Document>| match fields.get("name") {
        Some(Document::String(n)) => n.clone(),
        _ => "(unnamed)".to_owned(),
    };
    let sigv4 = schemes
        .iter()
        .find(|fields| SUPPORTED_AUTH_SCHEMES.contains(&scheme_name(fields).as_str()));
    if sigv4.is_none() && !schemes.is_empty() {
        let names: Vec<String> = schemes.iter().map(|f| scheme_name(f)).collect();
        return Err(format!(
            "the endpoint `{}` requires auth scheme {}, which this client does not support \
             (supported: {})",
            endpoint.url,
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            SUPPORTED_AUTH_SCHEMES.join(", ")
        )
        .into());
    }
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

    fn rules(auth_schemes: &str) -> RuleSet {
        RuleSet::from_json(&format!(
            r#"{{"version":"1.0","parameters":{{"Region":{{"type":"string","builtIn":"AWS::Region","required":true}}}},"rules":[{{"conditions":[],"type":"endpoint","endpoint":{{"url":"https://svc.{{Region}}.example.com","properties":{{"authSchemes":{auth_schemes}}},"headers":{{"x-a":["1","2"]}}}}}}]}}"#
        ))
        .expect("rules")
    }

    fn params() -> Params {
        Params::builder().string("Region", "eu-west-1").build()
    }

    #[test]
    fn rules_give_the_regional_url() {
        let rules = rules(
            r#"[{"name":"sigv4a","signingRegionSet":["*"]},{"name":"sigv4","signingName":"other","signingRegion":"{Region}"}]"#,
        );
        let endpoint = resolve_endpoint(&rules, &params()).expect("resolves");
        assert_eq!(endpoint.url, "https://svc.eu-west-1.example.com");
        assert_eq!(endpoint.signing_name.as_deref(), Some("other"));
        assert_eq!(endpoint.signing_region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            endpoint.headers,
            vec![("x-a".into(), "1".into()), ("x-a".into(), "2".into())]
        );
    }

    #[test]
    fn an_endpoint_needing_only_sigv4a_is_an_error_naming_it() {
        let only_sigv4a =
            rules(r#"[{"name":"sigv4a","signingName":"events","signingRegionSet":["*"]}]"#);
        let err = resolve_endpoint(&only_sigv4a, &params()).expect_err("sigv4a only");
        let text = err.to_string();
        assert!(
            text.contains("`sigv4a`") && text.contains("does not support"),
            "{text}"
        );
        let none = rules("[]");
        assert!(resolve_endpoint(&none, &params()).is_ok());
    }

    #[test]
    fn query_error_header() {
        let mut headers = http::HeaderMap::new();
        assert_eq!(query_compatible_error(&headers), None);
        headers.insert(
            "x-amzn-query-error",
            http::HeaderValue::from_static("AWS.SimpleQueueService.NonExistentQueue;Sender"),
        );
        assert_eq!(
            query_compatible_error(&headers),
            Some(("AWS.SimpleQueueService.NonExistentQueue", "Sender"))
        );
        for bad in ["NoFault", ";Sender", "Code;", ""] {
            headers.insert("x-amzn-query-error", http::HeaderValue::from_static(bad));
            assert_eq!(query_compatible_error(&headers), None, "{bad}");
        }
    }
}
