//! The validated names a configuration holds: the [`Region`] and the user agent's
//! [`AppName`].

use std::borrow::Cow;
use std::fmt;

/// An AWS region, such as `us-east-1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// Creates a region from a name.
    pub fn new(region: impl Into<Cow<'static, str>>) -> Self {
        Region(region.into())
    }

    /// Creates a region from a static name (usable in `const`s).
    pub const fn from_static(region: &'static str) -> Self {
        Region(Cow::Borrowed(region))
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An application name added to the user agent (`app/<name>`), so requests of an
/// application can be told apart in CloudTrail and service logs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AppName(Cow<'static, str>);

impl AppName {
    /// Creates an app name. It must be non-empty and consist only of ASCII letters, digits and
    /// `!#$%&'*+-.^_`|~` (the characters allowed in an HTTP token), as in aws-types.
    pub fn new(app_name: impl Into<Cow<'static, str>>) -> Result<Self, InvalidAppName> {
        let app_name = app_name.into();
        if app_name.is_empty() || !app_name.chars().all(is_token_char) {
            return Err(InvalidAppName);
        }
        Ok(AppName(app_name))
    }
}

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

impl AsRef<str> for AppName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The error of [`AppName::new`] for an empty name or a name with characters that are not
/// allowed in a user agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidAppName;

impl fmt::Display for InvalidAppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "an app name must be non-empty and may only contain ASCII letters, digits and \
             any of !#$%&'*+-.^_`|~",
        )
    }
}

impl std::error::Error for InvalidAppName {}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_name_validation() {
        assert!(AppName::new("my-app_1.0").is_ok());
        assert!(AppName::new("").is_err());
        assert!(AppName::new("has space").is_err());
        assert!(AppName::new("ünicode").is_err());
    }
}
