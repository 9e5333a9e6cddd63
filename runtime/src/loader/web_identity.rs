//! Web identity (OIDC) credentials: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+
//! `AWS_ROLE_SESSION_NAME`) from the environment, or a profile's `web_identity_token_file`;
//! the token is read on every load (it rotates) and exchanged with STS
//! `AssumeRoleWithWebIdentity`.

use aws_credential_types::provider::{self, future, ProvideCredentials};

use super::provider_config::ProviderConfig;
use super::sts;
use super::util::{epoch_millis, invalid_config, not_loaded, provider_error};

/// Static settings, or "read them from the environment at load time".
#[derive(Clone, Debug)]
pub(crate) struct WebIdentitySettings {
    pub(crate) token_file: String,
    pub(crate) role_arn: String,
    pub(crate) session_name: Option<String>,
}

/// aws-config's `WebIdentityTokenCredentialsProvider`.
#[derive(Clone, Debug)]
pub struct WebIdentityTokenCredentialsProvider {
    config: ProviderConfig,
    settings: Option<WebIdentitySettings>,
}

impl WebIdentityTokenCredentialsProvider {
    /// A provider that reads its settings from the environment.
    pub fn from_env(config: &ProviderConfig) -> Self {
        WebIdentityTokenCredentialsProvider {
            config: config.clone(),
            settings: None,
        }
    }

    pub(crate) fn with_settings(config: &ProviderConfig, settings: WebIdentitySettings) -> Self {
        WebIdentityTokenCredentialsProvider {
            config: config.clone(),
            settings: Some(settings),
        }
    }

    fn settings(
        &self,
    ) -> Result<WebIdentitySettings, aws_credential_types::provider::error::CredentialsError> {
        if let Some(s) = &self.settings {
            return Ok(s.clone());
        }
        let env = &self.config.env;
        let Some(token_file) = env.get("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Err(not_loaded("AWS_WEB_IDENTITY_TOKEN_FILE is not set"));
        };
        let Some(role_arn) = env.get("AWS_ROLE_ARN") else {
            return Err(invalid_config(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
            ));
        };
        Ok(WebIdentitySettings {
            token_file,
            role_arn,
            session_name: env.get("AWS_ROLE_SESSION_NAME"),
        })
    }

    /// Loads credentials now.
    pub async fn credentials(&self) -> provider::Result {
        let settings = self.settings()?;
        let token = self.config.fs.read(&settings.token_file).map_err(|e| {
            provider_error(format!(
                "could not read the web identity token file `{}`: {e}",
                settings.token_file
            ))
        })?;
        let token = String::from_utf8_lossy(&token).trim().to_owned();
        let session_name = settings.session_name.clone().unwrap_or_else(|| {
            format!(
                "web-identity-token-{}",
                epoch_millis(self.config.time.now())
            )
        });
        sts::assume_role_with_web_identity(&self.config, &settings.role_arn, &session_name, &token)
            .await
    }
}

impl ProvideCredentials for WebIdentityTokenCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}
