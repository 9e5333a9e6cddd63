//! The `User-Agent` and `x-amz-user-agent` headers: this project's runtime and version, in
//! the AWS user-agent 2.1 format, the same value in both headers (as aws-sdk-rust sends):
//!
//! ```text
//! awsjson-runtime/<runtime version> ua/2.1 api/<sdk id>#<crate version> os/<os> lang/rust
//!     [app/<app id>]
//! ```
//!
//! The first part names this project, not `aws-sdk-rust`, so AWS's telemetry does not count
//! these calls as the official SDK. `<sdk id>` is the service's SDK id in lower case with
//! spaces as `-` (`lightsail`), as in aws-sdk-rust's `api/` part; name and version are joined
//! with `#` as the 2.1 format writes metadata values. The Rust version is not given
//! (aws-sdk-rust learns it from a build script, which we avoid for compile time).

use super::ServiceSpec;
use crate::config::{is_token_char, AppName};

/// Replaces every character that is not allowed in a user-agent token.
fn token(value: &str) -> String {
    let out: String = value
        .chars()
        .map(|c| if is_token_char(c) { c } else { '-' })
        .collect();
    if out.is_empty() {
        "unknown".to_owned()
    } else {
        out
    }
}

/// `User-Agent` and `x-amz-user-agent` values (the same string).
pub(crate) fn user_agents(spec: &ServiceSpec, app_name: Option<&AppName>) -> (String, String) {
    let version = env!("CARGO_PKG_VERSION");
    let os = token(std::env::consts::OS);
    let app = app_name
        .map(|name| format!(" app/{}", token(name.as_ref())))
        .unwrap_or_default();
    let value = format!(
        "awsjson-runtime/{version} ua/2.1 api/{}#{} os/{os} lang/rust{app}",
        token(&spec.sdk_id.to_ascii_lowercase().replace(' ', "-")),
        token(spec.crate_version),
    );
    (value.clone(), value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ServiceSpec {
        ServiceSpec {
            sdk_id: "Elastic Load Balancing v2",
            signing_name: "elasticloadbalancing",
            target_prefix: "X",
            json_version: "1.1",
            endpoint_rules: "{}",
            crate_name: "elbv2",
            crate_version: "1.2.3",
            aws_query_compatible: false,
        }
    }

    #[test]
    fn this_project_in_the_ua_2_1_format() {
        let version = env!("CARGO_PKG_VERSION");
        let os = std::env::consts::OS;
        let app = AppName::new("my-app").expect("valid");
        let (ua, amz_ua) = user_agents(&spec(), Some(&app));
        let expected = format!(
            "awsjson-runtime/{version} ua/2.1 api/elastic-load-balancing-v2#1.2.3 os/{os} \
             lang/rust app/my-app"
        );
        assert_eq!(amz_ua, expected);
        assert_eq!(ua, expected);
        assert!(!ua.contains("aws-sdk-rust"), "{ua}");
        let (ua, _) = user_agents(&spec(), None);
        assert!(ua.ends_with(" lang/rust"), "{ua}");
    }
}
