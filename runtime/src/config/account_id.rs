//! `AccountIdEndpointMode` (the `AWS::Auth::AccountIdEndpointMode` endpoint built-in):
//! whether account-based endpoints (DynamoDB's `<account>.ddb.<region>.amazonaws.com`) are
//! used, as aws-sdk-rust's `account_id_endpoint_mode` setting.

use std::fmt;

/// Whether requests go to account-based endpoints when the credentials carry an account id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AccountIdEndpointMode {
    /// Use them when an account id is available (the default).
    #[default]
    Preferred,
    /// Never use them.
    Disabled,
    /// Always use them; resolution fails without an account id.
    Required,
}

impl AccountIdEndpointMode {
    /// The rule-set value: `preferred`, `disabled` or `required`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountIdEndpointMode::Preferred => "preferred",
            AccountIdEndpointMode::Disabled => "disabled",
            AccountIdEndpointMode::Required => "required",
        }
    }

    /// Parses `preferred`, `disabled` or `required` (ASCII case-insensitive, as the
    /// `AWS_ACCOUNT_ID_ENDPOINT_MODE` setting).
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        [Self::Preferred, Self::Disabled, Self::Required]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(value))
    }
}

impl fmt::Display for AccountIdEndpointMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_modes_only() {
        assert_eq!(
            AccountIdEndpointMode::parse(" Required"),
            Some(AccountIdEndpointMode::Required)
        );
        assert_eq!(
            AccountIdEndpointMode::parse("disabled"),
            Some(AccountIdEndpointMode::Disabled)
        );
        assert_eq!(AccountIdEndpointMode::parse("sometimes"), None);
        assert_eq!(AccountIdEndpointMode::default().as_str(), "preferred");
    }
}
