//! Credentials and region from environment variables: `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_ACCOUNT_ID`; `AWS_REGION`, then
//! `AWS_DEFAULT_REGION`. Blank values count as unset.

use aws_credential_types::provider::{self, future, ProvideCredentials};
use aws_credential_types::Credentials;
use aws_types::region::Region;

use super::util::not_loaded;
use crate::config::Env;

/// aws-config's `EnvironmentVariableCredentialsProvider`.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentVariableCredentialsProvider {
    env: Env,
}

impl EnvironmentVariableCredentialsProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::new_with_env(Env::real())
    }

    /// Reads `env` (for tests).
    pub fn new_with_env(env: Env) -> Self {
        EnvironmentVariableCredentialsProvider { env }
    }

    /// Loads credentials now.
    pub fn credentials(&self) -> provider::Result {
        let Some(access_key) = self.env.get("AWS_ACCESS_KEY_ID") else {
            return Err(not_loaded("AWS_ACCESS_KEY_ID is not set"));
        };
        let Some(secret_key) = self
            .env
            .get("AWS_SECRET_ACCESS_KEY")
            .or_else(|| self.env.get("SECRET_ACCESS_KEY"))
        else {
            // As aws-config: "not loaded", so the chain goes on (and the final error says why).
            return Err(not_loaded(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ));
        };
        let mut builder = Credentials::builder()
            .access_key_id(access_key.trim())
            .secret_access_key(secret_key.trim())
            .provider_name("Environment");
        if let Some(token) = self.env.get("AWS_SESSION_TOKEN") {
            builder = builder.session_token(token.trim());
        }
        if let Some(account) = self.env.get("AWS_ACCOUNT_ID") {
            builder = builder.account_id(account.trim());
        }
        Ok(builder.build())
    }
}

impl ProvideCredentials for EnvironmentVariableCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.credentials())
    }
}

/// The region from `AWS_REGION`, else `AWS_DEFAULT_REGION`.
pub(crate) fn region(env: &Env) -> Option<Region> {
    env.get("AWS_REGION")
        .or_else(|| env.get("AWS_DEFAULT_REGION"))
        .map(|r| Region::new(r.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_unset_and_half_set_is_not_loaded() {
        let p = EnvironmentVariableCredentialsProvider::new_with_env(Env::from_vars([(
            "AWS_ACCESS_KEY_ID",
            "",
        )]));
        let e = p.credentials().unwrap_err();
        assert!(matches!(
            e,
            aws_credential_types::provider::error::CredentialsError::CredentialsNotLoaded(_)
        ));
        let p = EnvironmentVariableCredentialsProvider::new_with_env(Env::from_vars([(
            "AWS_ACCESS_KEY_ID",
            "a",
        )]));
        let e = p.credentials().unwrap_err();
        assert!(matches!(
            e,
            aws_credential_types::provider::error::CredentialsError::CredentialsNotLoaded(_)
        ));
        assert!(crate::loader::error_chain(&e).contains("AWS_SECRET_ACCESS_KEY is not"));
    }
}
