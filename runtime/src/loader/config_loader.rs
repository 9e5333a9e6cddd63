//! aws-config's `ConfigLoader`: explicit settings first, then the environment and the selected
//! profile, producing an [`SdkConfig`] usable by this runtime's clients and by official
//! `aws-sdk-*` clients alike (behavior version set; no identity cache, so each official client
//! installs its default one and this runtime's client uses its own).

use aws_credential_types::provider::token::SharedTokenProvider;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_types::retry::{RetryConfig, RetryMode};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::app_name::AppName;
use aws_types::endpoint_config::AccountIdEndpointMode;
use aws_types::region::Region;
use aws_types::SdkConfig;

use super::default_chain::DefaultCredentialsChain;
use super::profile::ProfileFiles;
use super::provider_config::ProviderConfig;
use super::region::{DefaultRegionChain, ProvideRegion};
use super::settings::{bool_setting, string_setting};
use super::sso::SsoTokenProvider;

/// A setting from the environment or a profile that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// See the module docs.
#[derive(Debug, Default)]
pub struct ConfigLoader {
    behavior_version: Option<BehaviorVersion>,
    region: Option<Box<dyn ProvideRegion>>,
    profile_name: Option<String>,
    profile_files: Option<ProfileFiles>,
    credentials_provider: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    retry_config: Option<RetryConfig>,
    timeout_config: Option<TimeoutConfig>,
    app_name: Option<AppName>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    provider_config: Option<ProviderConfig>,
}

impl ConfigLoader {
    /// Sets the behavior version.
    pub fn behavior_version(mut self, bv: BehaviorVersion) -> Self {
        self.behavior_version = Some(bv);
        self
    }

    /// Sets the region, or a region provider such as a `RegionProviderChain`.
    pub fn region(mut self, region: impl ProvideRegion + 'static) -> Self {
        self.region = Some(Box::new(region));
        self
    }

    /// Selects a profile instead of `AWS_PROFILE`.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// Reads these profile files instead of the default ones.
    pub fn profile_files(mut self, files: ProfileFiles) -> Self {
        self.profile_files = Some(files);
        self
    }

    /// Uses this credentials provider instead of the default chain.
    pub fn credentials_provider(
        mut self,
        provider: impl aws_credential_types::provider::ProvideCredentials + 'static,
    ) -> Self {
        self.credentials_provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sends every request to this URL.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Sets the retry configuration.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry_config = Some(retry);
        self
    }

    /// Sets the timeout configuration.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeout_config = Some(timeouts);
        self
    }

    /// Sets the application name for the user agent.
    pub fn app_name(mut self, app_name: AppName) -> Self {
        self.app_name = Some(app_name);
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Uses dual-stack endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Uses these seams (environment, files, HTTP client, clock); for tests and embedders.
    pub fn configure(mut self, config: ProviderConfig) -> Self {
        self.provider_config = Some(config);
        self
    }

    /// Loads the configuration; a setting that cannot be used (such as `AWS_RETRY_MODE =
    /// adaptive`) is logged as an error and ignored. [`ConfigLoader::try_load`] fails instead.
    pub async fn load(self) -> SdkConfig {
        let (config, errors) = self.load_inner().await;
        for e in errors {
            tracing::error!(error = %e, "ignoring an unusable setting");
        }
        config
    }

    /// Loads the configuration, failing on the first setting that cannot be used.
    pub async fn try_load(self) -> Result<SdkConfig, LoadError> {
        let (config, errors) = self.load_inner().await;
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(config),
        }
    }

    async fn load_inner(self) -> (SdkConfig, Vec<LoadError>) {
        let mut errors = Vec::new();
        let mut pc = self.provider_config.unwrap_or_default();
        if self.profile_name.is_some() {
            pc = pc.with_profile_name(self.profile_name);
        }
        if let Some(files) = self.profile_files {
            pc = pc.with_profile_files(files);
        }
        if let Err(e) = pc.profile_set() {
            errors.push(LoadError(e.to_string()));
        }
        let region: Option<Region> = match &self.region {
            Some(p) => p.region().await,
            None => DefaultRegionChain::new(&pc).region().await,
        };
        pc = pc
            .with_region(region.clone())
            .with_fips_dual_stack(self.use_fips, self.use_dual_stack);
        let use_fips = pc.use_fips();
        let use_dual_stack = pc.use_dual_stack();

        let retry = match self.retry_config {
            Some(r) => Some(r),
            None => retry_from_settings(&pc).unwrap_or_else(|e| {
                errors.push(e);
                None
            }),
        };
        let app_name = self.app_name.or_else(|| {
            let name = string_setting(&pc, "AWS_SDK_UA_APP_ID", "sdk_ua_app_id")?;
            match AppName::new(name.clone()) {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(LoadError(format!("invalid app name `{name}`")));
                    None
                }
            }
        });
        let ignore = bool_setting(
            &pc,
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        ) == Some(true);
        let endpoint_url = self.endpoint_url.or_else(|| {
            if ignore {
                return None;
            }
            pc.env
                .get("AWS_ENDPOINT_URL")
                .map(|u| u.trim().to_owned())
                .or_else(|| {
                    pc.profile_set()
                        .ok()?
                        .selected()?
                        .get_nonempty("endpoint_url")
                        .map(str::to_owned)
                })
        });
        let account_id_mode = match string_setting(
            &pc,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE",
            "account_id_endpoint_mode",
        ) {
            None => None,
            Some(m) => match m.parse::<AccountIdEndpointMode>() {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.push(LoadError(format!(
                        "invalid account id endpoint mode `{m}`: {e}"
                    )));
                    None
                }
            },
        };
        let credentials = match self.credentials_provider {
            Some(p) => p,
            None => SharedCredentialsProvider::new(DefaultCredentialsChain::new(&pc)),
        };
        // A bearer token for services that use one, when the profile has an SSO session.
        let has_sso = pc
            .profile_set()
            .ok()
            .and_then(|s| s.selected())
            .is_some_and(|p| {
                p.get_nonempty("sso_session").is_some() || p.get_nonempty("sso_start_url").is_some()
            });
        let mut builder = SdkConfig::builder()
            .behavior_version(
                self.behavior_version
                    .unwrap_or_else(BehaviorVersion::latest),
            )
            .credentials_provider(credentials)
            .use_fips(use_fips)
            .use_dual_stack(use_dual_stack);
        builder.set_region(region);
        builder.set_retry_config(retry);
        builder.set_timeout_config(self.timeout_config);
        builder.set_app_name(app_name);
        builder.set_endpoint_url(endpoint_url);
        builder.set_account_id_endpoint_mode(account_id_mode);
        if has_sso {
            builder.set_token_provider(Some(SharedTokenProvider::new(SsoTokenProvider::new(&pc))));
        }
        (builder.build(), errors)
    }
}

/// `AWS_MAX_ATTEMPTS` / `max_attempts` and `AWS_RETRY_MODE` / `retry_mode`.
fn retry_from_settings(pc: &ProviderConfig) -> Result<Option<RetryConfig>, LoadError> {
    let attempts = string_setting(pc, "AWS_MAX_ATTEMPTS", "max_attempts");
    let mode = string_setting(pc, "AWS_RETRY_MODE", "retry_mode");
    if attempts.is_none() && mode.is_none() {
        return Ok(None);
    }
    let mut retry = RetryConfig::standard();
    if let Some(mode) = mode {
        match mode.parse::<RetryMode>() {
            Ok(RetryMode::Standard) => {}
            Ok(RetryMode::Adaptive) => {
                return Err(LoadError(
                    "retry mode `adaptive` is not supported by this loader (no client-side rate \
                     limiting); use `standard`"
                        .to_owned(),
                ))
            }
            Ok(_) | Err(_) => {
                return Err(LoadError(format!(
                    "invalid retry mode `{mode}` (expected `standard`)"
                )))
            }
        }
    }
    if let Some(attempts) = attempts {
        match attempts.parse::<u32>() {
            Ok(n) if n > 0 => retry = retry.with_max_attempts(n),
            _ => {
                return Err(LoadError(format!(
                    "invalid max attempts `{attempts}` (expected a whole number above 0)"
                )))
            }
        }
    }
    Ok(Some(retry))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Env;
    use crate::loader::test_util::ReplayClient;
    use crate::loader::Fs;

    fn loader(vars: &[(&str, &str)], config: &str) -> ConfigLoader {
        let pc = ProviderConfig::for_tests(
            Env::from_vars(vars.iter().copied().chain([("HOME", "/home")])),
            Fs::from_map([("/home/.aws/config", config.to_owned())]),
            Arc::new(ReplayClient::no_traffic()),
        );
        ConfigLoader::default().configure(pc)
    }

    #[tokio::test]
    async fn settings_from_profile_and_environment() {
        let config = loader(
            &[("AWS_MAX_ATTEMPTS", "5"), ("AWS_USE_FIPS_ENDPOINT", "true")],
            "[default]\nregion = eu-west-3\nretry_mode = standard\nsdk_ua_app_id = my-app\n\
             use_dualstack_endpoint = true\nendpoint_url = http://localhost:4566\n\
             account_id_endpoint_mode = disabled\n",
        )
        .try_load()
        .await
        .expect("valid settings");
        assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-3"));
        assert_eq!(config.retry_config().map(|r| r.max_attempts()), Some(5));
        assert_eq!(config.app_name().map(|a| a.as_ref()), Some("my-app"));
        assert_eq!(config.use_fips(), Some(true));
        assert_eq!(config.use_dual_stack(), Some(true));
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        assert_eq!(
            config.account_id_endpoint_mode(),
            Some(&AccountIdEndpointMode::Disabled)
        );
        assert_eq!(config.behavior_version(), Some(BehaviorVersion::latest()));
        assert!(config.credentials_provider().is_some());
    }

    #[tokio::test]
    async fn explicit_settings_win_and_ignore_flag_drops_configured_urls() {
        let config = loader(
            &[
                ("AWS_REGION", "us-east-2"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ],
            "[default]\nendpoint_url = http://localhost:4566\n",
        )
        .region(Region::new("ap-south-1"))
        .try_load()
        .await
        .expect("valid");
        assert_eq!(config.region().map(|r| r.as_ref()), Some("ap-south-1"));
        assert_eq!(config.endpoint_url(), None);
    }

    #[tokio::test]
    async fn adaptive_retry_mode_is_refused_clearly() {
        let err = loader(
            &[("AWS_RETRY_MODE", "adaptive"), ("AWS_REGION", "us-east-1")],
            "",
        )
        .try_load()
        .await
        .expect_err("adaptive refused");
        assert!(err.to_string().contains("adaptive"), "{err}");
        // `load` logs and keeps going with the defaults.
        let config = loader(
            &[("AWS_RETRY_MODE", "adaptive"), ("AWS_REGION", "us-east-1")],
            "",
        )
        .load()
        .await;
        assert!(config.retry_config().is_none());
    }

    #[tokio::test]
    async fn unparsable_profile_file_is_reported() {
        let err = loader(
            &[("AWS_REGION", "us-east-1")],
            "[default]\nnot a property\n",
        )
        .try_load()
        .await
        .expect_err("bad file");
        assert!(
            err.to_string().contains("could not parse profile file"),
            "{err}"
        );
    }
}
