//! The default credential chain, in aws-config's order: environment, profile files, web
//! identity from the environment, ECS/EKS container endpoint, IMDS.
//!
//! A provider that is "not loaded" (not configured here) passes to the next; any other error
//! stops the chain, as in aws-config, so a broken profile is reported rather than silently
//! skipped. When nothing is configured, the error lists every provider and why it gave
//! nothing; it never contains secret values.

use aws_credential_types::provider::{self, error::CredentialsError, future, ProvideCredentials};

use super::ecs::EcsCredentialsProvider;
use super::environment::EnvironmentVariableCredentialsProvider;
use super::imds::credentials::ImdsCredentialsProvider;
use super::profile_provider::ProfileFileCredentialsProvider;
use super::provider_config::ProviderConfig;
use super::util::{error_chain, not_loaded};
use super::web_identity::WebIdentityTokenCredentialsProvider;

/// aws-config's `DefaultCredentialsChain`.
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    environment: EnvironmentVariableCredentialsProvider,
    profile: ProfileFileCredentialsProvider,
    web_identity: WebIdentityTokenCredentialsProvider,
    ecs: EcsCredentialsProvider,
    imds: ImdsCredentialsProvider,
    profile_label: String,
}

impl DefaultCredentialsChain {
    /// The chain over `config`.
    pub fn new(config: &ProviderConfig) -> Self {
        let profile_label = match config.profile_set() {
            Ok(set) => format!("profile `{}`", set.selected_profile()),
            Err(_) => "profile".to_owned(),
        };
        DefaultCredentialsChain {
            environment: EnvironmentVariableCredentialsProvider::new_with_env(config.env.clone()),
            profile: ProfileFileCredentialsProvider::builder()
                .configure(config)
                .build(),
            web_identity: WebIdentityTokenCredentialsProvider::from_env(config),
            ecs: EcsCredentialsProvider::new(config),
            imds: ImdsCredentialsProvider::new(config),
            profile_label,
        }
    }

    /// Loads credentials now.
    pub async fn credentials(&self) -> provider::Result {
        let mut tried: Vec<String> = Vec::new();
        let mut step = |name: &str, result: provider::Result| -> Option<provider::Result> {
            match result {
                Err(CredentialsError::CredentialsNotLoaded(_)) => {
                    let why = match &result {
                        Err(e) => error_chain(e),
                        Ok(_) => String::new(),
                    };
                    let why = why
                        .strip_prefix("the credential provider was not enabled: ")
                        .unwrap_or(&why)
                        .to_owned();
                    tracing::debug!(provider = name, why, "provider not configured");
                    tried.push(format!("{name}: {why}"));
                    None
                }
                other => Some(other),
            }
        };
        if let Some(r) = step("environment", self.environment.credentials()) {
            return r;
        }
        if let Some(r) = step(&self.profile_label, self.profile.credentials().await) {
            return r;
        }
        if let Some(r) = step("web identity", self.web_identity.credentials().await) {
            return r;
        }
        if let Some(r) = step("container (ECS/EKS)", self.ecs.credentials().await) {
            return r;
        }
        if let Some(r) = step("IMDS", self.imds.credentials().await) {
            return r;
        }
        Err(not_loaded(format!(
            "no credentials found; tried {}",
            tried.join("; ")
        )))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Env;
    use crate::loader::test_util::ReplayClient;
    use crate::loader::Fs;

    #[tokio::test]
    async fn nothing_configured_lists_every_provider_without_secrets() {
        let config = ProviderConfig::for_tests(
            Env::from_vars([
                ("HOME", "/home"),
                ("AWS_EC2_METADATA_DISABLED", "true"),
                ("AWS_SECRET_ACCESS_KEY_UNRELATED", "hunter2"),
            ]),
            Fs::from_map([(
                "/home/.aws/config",
                "[default]\nregion = eu-west-1\naws_session_token = not-a-key-pair\n",
            )]),
            Arc::new(ReplayClient::no_traffic()),
        );
        let err = DefaultCredentialsChain::new(&config)
            .credentials()
            .await
            .expect_err("nothing configured");
        let text = error_chain(&err);
        for part in [
            "the credential provider was not enabled",
            "environment: AWS_ACCESS_KEY_ID is not set",
            "profile `default`: profile `default` did not contain credential information",
            "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            "container (ECS/EKS): No environment variables were set",
            "IMDS: IMDS is disabled by AWS_EC2_METADATA_DISABLED",
        ] {
            assert!(text.contains(part), "missing `{part}` in: {text}");
        }
        assert!(
            !text.contains("hunter2") && !text.contains("not-a-key-pair"),
            "{text}"
        );
    }
}
