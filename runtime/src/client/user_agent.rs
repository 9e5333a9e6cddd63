//! The `User-Agent` and `x-amz-user-agent` headers, in aws-sdk-rust's layout.
//!
//! ```text
//! User-Agent:       aws-sdk-rust/<runtime version> os/<os> lang/rust [app/<app name>]
//! x-amz-user-agent: aws-sdk-rust/<runtime version> ua/2.1 api/<sdk id>/<crate version>
//!                   os/<os> lang/rust md/awsjson-runtime#<runtime version>
//!                   cfg/retry-mode#standard [app/<app name>]
//! ```
//!
//! `<sdk id>` is the service's SDK id in lower case with spaces as `-` (`lightsail`), as in
//! aws-sdk-rust's `api/` part. The Rust version is not given (aws-sdk-rust learns it from a
//! build script, which we avoid for compile time). The `md/awsjson-runtime` part lets AWS
//! tell this runtime apart from aws-sdk-rust.

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

/// `User-Agent` and `x-amz-user-agent` values.
pub(crate) fn user_agents(
    spec: &ServiceSpec,
    app_name: Option<&AppName>,
    retry_mode: &str,
) -> (String, String) {
    let version = env!("CARGO_PKG_VERSION");
    let os = token(std::env::consts::OS);
    let app = app_name
        .map(|name| format!(" app/{}", token(name.as_ref())))
        .unwrap_or_default();
    let short = format!("aws-sdk-rust/{version} os/{os} lang/rust{app}");
    let long = format!(
        "aws-sdk-rust/{version} ua/2.1 api/{}/{} os/{os} lang/rust md/awsjson-runtime#{version} \
         cfg/retry-mode#{retry_mode}{app}",
        token(&spec.sdk_id.to_ascii_lowercase().replace(' ', "-")),
        token(spec.crate_version),
    );
    (short, long)
}
