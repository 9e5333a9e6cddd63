//! The endpoint of a call: the service's endpoint rules (run once per client, or per call
//! for operations with endpoint parameters of their own), the auth schemes the endpoint
//! asks for, and the checks that make the resulting URL safe to send to.

use std::borrow::Cow;
use std::collections::HashMap;

use aws_smithy_types::Document;
use http::header::{HeaderName, HeaderValue};

use super::{AuthMode, Handle, OperationSpec, ServiceSpec};
use crate::config::credentials::error_chain;
use crate::endpoint::{operation_params, ParamValue, Params, RuleSet};
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

impl Handle {
    /// The endpoint of one call: the client's, unless the operation has endpoint parameters
    /// (static or from its input) or the rule set reads the account id of the credentials;
    /// then it is resolved for this call.
    pub(super) async fn operation_endpoint<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        context_params: &[(&'static str, ParamValue)],
    ) -> Result<Cow<'_, Endpoint>, String> {
        let inner = &*self.inner;
        let per_call = !op.static_endpoint_params.is_empty()
            || !context_params.is_empty()
            || inner.rules_use_account_id;
        if !per_call {
            return inner
                .endpoint
                .as_ref()
                .map(Cow::Borrowed)
                .map_err(Clone::clone);
        }
        if let Err(err) = &inner.region {
            return Err(err.clone());
        }
        let rules = (*inner.rules).as_ref().map_err(Clone::clone)?;
        let mut built_ins = inner.built_ins.clone();
        if inner.rules_use_account_id && op.auth != AuthMode::None {
            // Cached, so the attempt reuses them; a failure here is reported (or, for
            // optional auth, tolerated) by the attempt itself.
            if let Ok(credentials) = inner.credentials.get().await {
                built_ins.account_id = credentials.account_id().map(|a| a.as_str().to_owned());
            }
        }
        let params = operation_params(rules, &built_ins, op.static_endpoint_params, context_params);
        resolve_endpoint(inner.spec, rules, &params).map(Cow::Owned)
    }
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

/// Resolves an endpoint with `params` (the client's built-ins, plus an operation's own
/// parameters when it is resolved per call).
pub(super) fn resolve_endpoint(
    spec: &ServiceSpec,
    rules: &RuleSet,
    params: &Params,
) -> Result<Endpoint, String> {
    let endpoint = resolve_rules(rules, params)
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

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ResolvedEndpoint {
    /// The URL, possibly with a path (kept as a prefix of `/`).
    pub(crate) url: String,
    /// Extra headers the rules ask for.
    pub(crate) headers: Vec<(String, String)>,
    /// The sigv4 auth scheme's `signingName`, if the rules override it.
    pub(crate) signing_name: Option<String>,
    /// The sigv4 auth scheme's `signingRegion`, if the rules override it.
    pub(crate) signing_region: Option<String>,
}

/// The auth schemes (endpoint `authSchemes` property) the call path can sign for.
const SUPPORTED_AUTH_SCHEMES: &[&str] = &["sigv4"];

/// Runs the service's rule set. An endpoint whose `authSchemes` name only schemes this
/// runtime cannot sign for (SigV4a, e.g. EventBridge global endpoints) is an error naming
/// them.
fn resolve_rules(rules: &RuleSet, params: &Params) -> Result<ResolvedEndpoint, BoxError> {
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
        let names: Vec<String> = schemes
            .iter()
            .map(|f| format!("`{}`", scheme_name(f)))
            .collect();
        return Err(format!(
            "the endpoint `{}` requires auth scheme {}, which this client does not support \
             (supported: {})",
            endpoint.url,
            names.join(", "),
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
        let endpoint = resolve_rules(&rules, &params()).expect("resolves");
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
        let err = resolve_rules(&only_sigv4a, &params()).expect_err("sigv4a only");
        let text = err.to_string();
        assert!(
            text.contains("`sigv4a`") && text.contains("does not support"),
            "{text}"
        );
        let none = rules("[]");
        assert!(resolve_rules(&none, &params()).is_ok());
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
