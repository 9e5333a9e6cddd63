//! aws-config's `AssumeRoleProvider`: `AssumeRole` with credentials from another provider
//! (the default chain unless one is given).

use std::time::Duration;

use aws_credential_types::provider::{self, future, ProvideCredentials, SharedCredentialsProvider};
use aws_types::region::Region;

use super::default_chain::DefaultCredentialsChain;
use super::provider_config::ProviderConfig;
use super::sts::{self, AssumeRoleParams};
use super::util::epoch_millis;

/// See the module docs.
#[derive(Debug)]
pub struct AssumeRoleProvider {
    config: ProviderConfig,
    params: AssumeRoleParams,
    source: SharedCredentialsProvider,
}

/// Builds an [`AssumeRoleProvider`].
#[derive(Debug)]
pub struct AssumeRoleProviderBuilder {
    params: AssumeRoleParams,
    session_name: Option<String>,
    config: Option<ProviderConfig>,
    region: Option<Region>,
}

impl AssumeRoleProvider {
    /// A builder for `role_arn`.
    pub fn builder(role_arn: impl Into<String>) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            params: AssumeRoleParams {
                role_arn: role_arn.into(),
                ..AssumeRoleParams::default()
            },
            session_name: None,
            config: None,
            region: None,
        }
    }
}

impl AssumeRoleProviderBuilder {
    /// The role session name (default `aws-sdk-rust-<millis>`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// The external id.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.params.external_id = Some(id.into());
        self
    }

    /// The session duration.
    pub fn session_length(mut self, length: Duration) -> Self {
        self.params.duration_seconds = Some(u32::try_from(length.as_secs()).unwrap_or(u32::MAX));
        self
    }

    /// An inline session policy (JSON).
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.params.policy = Some(policy.into());
        self
    }

    /// The STS region.
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Uses `config`'s seams.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = Some(config.clone());
        self
    }

    fn finish(mut self, source: SharedCredentialsProvider) -> AssumeRoleProvider {
        let mut config = self.config.unwrap_or_default();
        if self.region.is_some() {
            config = config.with_region(self.region);
        }
        self.params.session_name = self
            .session_name
            .unwrap_or_else(|| format!("aws-sdk-rust-{}", epoch_millis(config.time.now())));
        AssumeRoleProvider {
            config,
            params: self.params,
            source,
        }
    }

    /// Assumes the role with credentials from `provider`.
    pub async fn build_from_provider(
        self,
        provider: impl ProvideCredentials + 'static,
    ) -> AssumeRoleProvider {
        self.finish(SharedCredentialsProvider::new(provider))
    }

    /// Assumes the role with credentials from the default chain.
    pub async fn build(self) -> AssumeRoleProvider {
        let config = self.config.clone().unwrap_or_default();
        self.finish(SharedCredentialsProvider::new(
            DefaultCredentialsChain::new(&config),
        ))
    }
}

impl AssumeRoleProvider {
    /// Loads credentials now.
    pub async fn credentials(&self) -> provider::Result {
        let source = self.source.provide_credentials().await?;
        sts::assume_role(&self.config, &source, &self.params).await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}
