//! The endpoint of a client: the service's endpoint rules run once per client, and the
//! checks that make the resulting URL safe to send to.

use aws_smithy_types::Document;
use http::header::{HeaderName, HeaderValue};

use super::ServiceSpec;
use crate::config::credentials::error_chain;
use crate::config::{self, Region};
use crate::endpoint::{BuiltIns, RuleSet};
use crate::error::BoxError;

/// The resolved endpoint of a client, ready to send to.
#[derive(Debug, Clone)]
pub(super) struct Endpoint {
    /// The absolute URL requests go to: the endpoint with `/` appended to its path.
    pub(super) url: reqwest::Url,
    /// Extra headers from the endpoint rules.
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    /// The SigV4 service name.
    pub(super) signing_name: String,
    /// The SigV4 region, when the rules override the client's region.
    pub(super) signing_region: Option<String>,
}

/// Makes `raw` an absolute http(s) URL with a host and no credentials, query or fragment,
/// whose path ends in `/` (the operation path `/` appended to the endpoint's path, as
/// smithy-rs does).
pub(super) fn endpoint_url(raw: &str) -> Result<reqwest::Url, String> {
    let raw = raw.trim();
    // HTTPS unless the user wrote a scheme.
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let mut url = reqwest::Url::parse(&with_scheme)
        .map_err(|e| format!("invalid endpoint URL `{raw}`: {e}"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(format!(
            "invalid endpoint URL `{raw}`: the scheme must be https or http"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("invalid endpoint URL `{raw}`: no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "invalid endpoint URL `{raw}`: user information is not allowed"
        ));
    }
    if url.query().is_some() {
        tracing::warn!(endpoint = raw, "the query of the endpoint URL is ignored");
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{path}/"));
    url.set_query(None);
    url.set_fragment(None);
    // aws-sigv4 parses the URL again with `http`; make sure it can.
    url.as_str()
        .parse::<http::Uri>()
        .map_err(|e| format!("invalid endpoint URL `{raw}`: {e}"))?;
    Ok(url)
}

/// Resolves the endpoint of a client.
pub(super) fn resolve_endpoint(
    spec: &ServiceSpec,
    region: &Region,
    resolved: &config::Resolved,
) -> Result<Endpoint, String> {
    let params = EndpointParams {
        region: region.as_ref().to_owned(),
        use_fips: resolved.use_fips,
        use_dual_stack: resolved.use_dual_stack,
        endpoint: resolved.endpoint_url.clone(),
    };
    let endpoint = resolve_rules(spec, &params)
        .map_err(|e| format!("could not resolve the endpoint: {}", error_chain(&*e)))?;
    let mut headers = Vec::with_capacity(endpoint.headers.len());
    for (name, value) in &endpoint.headers {
        let name = HeaderName::try_from(name.as_str())
            .map_err(|_| format!("the endpoint rules gave an invalid header name `{name}`"))?;
        let value = HeaderValue::try_from(value.as_str())
            .map_err(|_| format!("the endpoint rules gave an invalid value for `{name}`"))?;
        headers.push((name, value));
    }
    Ok(Endpoint {
        url: endpoint_url(&endpoint.url)?,
        headers,
        signing_name: endpoint
            .signing_name
            .unwrap_or_else(|| spec.signing_name.to_owned()),
        signing_region: endpoint.signing_region,
    })
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
fn resolve_rules(
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
    fn endpoint_urls() {
        let url = |s: &str| endpoint_url(s).map(|u| u.to_string());
        assert_eq!(
            url("lightsail.us-east-1.amazonaws.com").as_deref(),
            Ok("https://lightsail.us-east-1.amazonaws.com/")
        );
        assert_eq!(
            url("http://127.0.0.1:4566").as_deref(),
            Ok("http://127.0.0.1:4566/")
        );
        assert_eq!(
            url("https://proxy.example/prefix/?x=1#f").as_deref(),
            Ok("https://proxy.example/prefix/")
        );
        assert_eq!(
            url("https://proxy.example/a/b").as_deref(),
            Ok("https://proxy.example/a/b/")
        );
        assert_eq!(url("https://h:443").as_deref(), Ok("https://h/"));
        assert!(url("ftp://h").is_err());
        assert!(url("https://user:pw@h").is_err());
        assert!(url("").is_err());
        assert!(url("https://").is_err());
        assert!(url("http://[::1").is_err());
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
        let endpoint = resolve_rules(&spec, &params).expect("resolves");
        assert_eq!(endpoint.url, "https://svc.eu-west-1.example.com");
        assert_eq!(endpoint.signing_name.as_deref(), Some("other"));
        assert_eq!(endpoint.signing_region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            endpoint.headers,
            vec![("x-a".into(), "1".into()), ("x-a".into(), "2".into())]
        );
    }

    proptest::proptest! {
        #[test]
        fn endpoint_url_never_panics(raw in "(?s).{0,100}") {
            if let Ok(url) = endpoint_url(&raw) {
                proptest::prop_assert!(url.path().ends_with('/'));
                proptest::prop_assert!(url.as_str().parse::<http::Uri>().is_ok());
            }
        }
    }
}
