//! aws-config's `ProfileFileCredentialsProvider`: resolves the selected profile's chain
//! ([`super::profile_chain`]) and runs it: the base provider, then one `AssumeRole` per role
//! link, each signed with the previous credentials.
//!
//! Errors follow aws-config: no profiles, no such profile or no credentials in it mean "not
//! loaded" (the default chain moves on); a file that does not parse or a wrong configuration
//! stops the chain; a failing base provider or STS call is a provider error.

use aws_credential_types::provider::{self, error::CredentialsError, future, ProvideCredentials};
use aws_credential_types::Credentials;

use super::ecs::EcsCredentialsProvider;
use super::environment::EnvironmentVariableCredentialsProvider;
use super::imds::credentials::ImdsCredentialsProvider;
use super::profile_chain::{self, Base, ChainError};
use super::provider_config::ProviderConfig;
use super::sso::{self, SsoSettings};
use super::sts::{self, AssumeRoleParams};
use super::util::{epoch_millis, invalid_config, not_loaded, provider_error};
use super::web_identity::{WebIdentitySettings, WebIdentityTokenCredentialsProvider};

/// See the module docs.
#[derive(Clone, Debug)]
pub struct ProfileFileCredentialsProvider {
    config: ProviderConfig,
}

/// Builds a [`ProfileFileCredentialsProvider`].
#[derive(Clone, Debug, Default)]
pub struct Builder {
    config: Option<ProviderConfig>,
    profile_name: Option<String>,
}

impl Builder {
    /// Uses `config`'s seams, files and region.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = Some(config.clone());
        self
    }

    /// Selects a profile instead of `AWS_PROFILE`.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// Builds the provider.
    pub fn build(self) -> ProfileFileCredentialsProvider {
        let mut config = self.config.unwrap_or_default();
        if self.profile_name.is_some() {
            config = config.with_profile_name(self.profile_name);
        }
        ProfileFileCredentialsProvider { config }
    }
}

impl ProfileFileCredentialsProvider {
    /// A builder.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Loads credentials now.
    pub async fn credentials(&self) -> provider::Result {
        let set = self
            .config
            .profile_set()
            .map_err(|e| invalid_config(e.to_string()))?;
        let chain = profile_chain::resolve(set).map_err(|e| match e {
            ChainError::NoProfiles
            | ChainError::NoCredentials(_)
            | ChainError::MissingProfile {
                referenced_by: None,
                ..
            } => not_loaded(e.to_string()),
            _ => invalid_config(e.to_string()),
        })?;
        let mut credentials = match self.base(&chain.base).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %super::util::error_chain(&e), "failed to load base credentials");
                return Err(match e {
                    CredentialsError::InvalidConfiguration(_) => e,
                    e => provider_error(e),
                });
            }
        };
        for link in &chain.roles {
            let params = AssumeRoleParams {
                role_arn: link.role_arn.clone(),
                session_name: link.session_name.clone().unwrap_or_else(|| {
                    format!("aws-sdk-rust-{}", epoch_millis(self.config.time.now()))
                }),
                external_id: link.external_id.clone(),
                duration_seconds: link.duration_seconds,
                policy: None,
            };
            credentials = sts::assume_role(&self.config, &credentials, &params).await?;
        }
        Ok(credentials)
    }

    async fn base(&self, base: &Base) -> provider::Result {
        match base {
            Base::AccessKey {
                access_key_id,
                secret_access_key,
                session_token,
                account_id,
            } => {
                let mut b = Credentials::builder()
                    .access_key_id(access_key_id)
                    .secret_access_key(secret_access_key)
                    .provider_name("ProfileFile");
                if let Some(t) = session_token {
                    b = b.session_token(t);
                }
                if let Some(a) = account_id {
                    b = b.account_id(a);
                }
                Ok(b.build())
            }
            Base::NamedSource(name) => match name.as_str() {
                "Environment" => {
                    EnvironmentVariableCredentialsProvider::new_with_env(self.config.env.clone())
                        .credentials()
                }
                "Ec2InstanceMetadata" => {
                    ImdsCredentialsProvider::new(&self.config)
                        .credentials()
                        .await
                }
                "EcsContainer" => {
                    EcsCredentialsProvider::new(&self.config)
                        .credentials()
                        .await
                }
                other => Err(invalid_config(format!(
                    "credential_source `{other}` is not one of Environment, Ec2InstanceMetadata, \
                     EcsContainer"
                ))),
            },
            Base::WebIdentity {
                token_file,
                role_arn,
                session_name,
            } => {
                WebIdentityTokenCredentialsProvider::with_settings(
                    &self.config,
                    WebIdentitySettings {
                        token_file: token_file.clone(),
                        role_arn: role_arn.clone(),
                        session_name: session_name.clone(),
                    },
                )
                .credentials()
                .await
            }
            Base::Process {
                command,
                account_id,
            } => super::process::credentials(command, account_id.as_deref()).await,
            Base::Sso {
                account_id,
                role_name,
                start_url,
                region,
                session_name,
            } => {
                let (Some(account_id), Some(role_name)) = (account_id, role_name) else {
                    return Err(invalid_config(
                        "the selected profile will resolve an access token instead of \
                         credentials since it doesn't have `sso_account_id` and \
                         `sso_role_name` set; use it with a service that takes a bearer token",
                    ));
                };
                let settings = SsoSettings {
                    start_url: start_url.clone(),
                    region: region.clone(),
                    session_name: session_name.clone(),
                };
                sso::role_credentials(&self.config, &settings, account_id, role_name).await
            }
        }
    }
}

impl ProvideCredentials for ProfileFileCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}
