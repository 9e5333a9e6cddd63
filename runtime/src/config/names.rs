//! The names a configuration holds: the [`Region`] and the user agent's [`AppName`] are
//! aws-types' own types (so a region from aws-config or aws-sdk-rust code is the same value
//! here), and the [`BehaviorVersion`] is aws-smithy-runtime-api's.

/// An AWS region: aws-types' own type.
pub use aws_types::region::Region;

/// An application name added to the user agent (`app/<name>`): aws-types' own type, as in
/// aws-sdk-rust.
pub use aws_types::app_name::{AppName, InvalidAppName};

/// The behavior version (`BehaviorVersion::latest()`): aws-smithy-runtime-api's type, the
/// same as `aws_config::BehaviorVersion`. Accepted for compatibility; this runtime has one
/// behavior, so the value changes nothing (and, unlike aws-sdk-rust, none is required).
pub use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;

/// Characters allowed in an HTTP token (RFC 9110), the alphabet of user-agent parts.
pub(crate) fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '-'
                | '.'
                | '^'
                | '_'
                | '`'
                | '|'
                | '~'
        )
}
