//! [`Config`] and its [`Builder`], with the names aws-sdk-rust service crates use.

use std::fmt;

use super::retry::RetryConfig;
use super::timeout::TimeoutConfig;
use super::SharedCredentialsProvider;
use super::{AccountIdEndpointMode, AppName, BehaviorVersion, Env, Jitter};
use super::{ProvideCredentials, Region, SdkConfig};
use super::{Sleep, TimeSource};

/// Configuration of a generated client. Build it with [`Config::builder`].
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<Region>,
    pub(crate) credentials_provider: Option<SharedCredentialsProvider>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) retry_config: Option<RetryConfig>,
    pub(crate) timeout_config: Option<TimeoutConfig>,
    pub(crate) use_fips: Option<bool>,
    pub(crate) use_dual_stack: Option<bool>,
    pub(crate) account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    pub(crate) app_name: Option<AppName>,
    pub(crate) behavior_version: Option<BehaviorVersion>,
    /// The `SdkConfig` this config came from, for the service-specific settings (such as
    /// `AWS_ENDPOINT_URL_<SERVICE>`) that can only be looked up once the service is known.
    pub(crate) sdk_config: Option<SdkConfig>,
    pub(crate) idempotency_token_provider: crate::idempotency::IdempotencyTokenProvider,
    pub(crate) http_client: Option<reqwest::Client>,
    #[cfg(feature = "test-util")]
    pub(crate) test_http_client: Option<crate::client::test_util::SharedTestHttpClient>,
    #[cfg(feature = "test-util")]
    pub(crate) mock_responses: Option<crate::client::mocks::MockResponseInterceptor>,
    pub(crate) env: Env,
    pub(crate) time_source: TimeSource,
    pub(crate) sleep: Sleep,
    pub(crate) jitter: Jitter,
}

impl Config {
    /// Returns a builder with nothing set.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Returns a builder holding this configuration, to change a few settings.
    pub fn to_builder(&self) -> Builder {
        Builder {
            inner: self.clone(),
        }
    }

    /// The region set on the builder (not the one resolved from the environment).
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The credentials provider set on the builder.
    pub fn credentials_provider(&self) -> Option<SharedCredentialsProvider> {
        self.credentials_provider.clone()
    }

    /// The endpoint URL set on the builder.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The retry configuration set on the builder.
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        self.retry_config.as_ref()
    }

    /// The timeout configuration set on the builder.
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        self.timeout_config.as_ref()
    }

    /// Whether FIPS endpoints were requested on the builder.
    pub fn use_fips(&self) -> Option<bool> {
        self.use_fips
    }

    /// Whether dual-stack endpoints were requested on the builder.
    pub fn use_dual_stack(&self) -> Option<bool> {
        self.use_dual_stack
    }

    /// The account id endpoint mode set on the builder.
    pub fn account_id_endpoint_mode(&self) -> Option<&AccountIdEndpointMode> {
        self.account_id_endpoint_mode.as_ref()
    }

    /// The app name set on the builder.
    pub fn app_name(&self) -> Option<&AppName> {
        self.app_name.as_ref()
    }

    /// What fills unset idempotency-token members (see [`crate::idempotency`]).
    pub fn idempotency_token_provider(&self) -> &crate::idempotency::IdempotencyTokenProvider {
        &self.idempotency_token_provider
    }

    /// The behavior version set on the builder or taken from an `SdkConfig`.
    pub fn behavior_version(&self) -> Option<BehaviorVersion> {
        self.behavior_version
    }
}

impl fmt::Debug for Config {
    // Only says whether a credentials provider is set: a user's provider may not redact
    // secrets in its own Debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field(
                "credentials_provider",
                &self.credentials_provider.as_ref().map(|_| "** set **"),
            )
            .field("endpoint_url", &self.endpoint_url)
            .field("retry_config", &self.retry_config)
            .field("timeout_config", &self.timeout_config)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("app_name", &self.app_name)
            .field("behavior_version", &self.behavior_version)
            .field(
                "idempotency_token_provider",
                &self.idempotency_token_provider,
            )
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "** set **"),
            )
            .field("env", &self.env)
            .field("time_source", &self.time_source)
            .field("sleep", &self.sleep)
            .field("jitter", &self.jitter)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            credentials_provider: None,
            endpoint_url: None,
            retry_config: None,
            timeout_config: None,
            use_fips: None,
            use_dual_stack: None,
            account_id_endpoint_mode: None,
            app_name: None,
            behavior_version: None,
            sdk_config: None,
            idempotency_token_provider: crate::idempotency::IdempotencyTokenProvider::random(),
            http_client: None,
            #[cfg(feature = "test-util")]
            test_http_client: None,
            #[cfg(feature = "test-util")]
            mock_responses: None,
            env: Env::real(),
            time_source: TimeSource::system(),
            sleep: Sleep::tokio(),
            jitter: Jitter::random(),
        }
    }
}

/// Builder for [`Config`]. Every setter has a `set_` twin taking an `Option` by `&mut self`,
/// as in aws-sdk-rust.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    pub(super) inner: Config,
}

impl Builder {
    /// A builder with nothing set (the same as [`Config::builder`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the region.
    pub fn region(mut self, region: impl Into<Option<Region>>) -> Self {
        self.set_region(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.inner.region = region;
        self
    }

    /// Sets the credentials provider; `aws_credential_types::Credentials` is one (static
    /// keys), and so is every aws-config provider.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.inner.credentials_provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sets or clears the credentials provider.
    pub fn set_credentials_provider(
        &mut self,
        provider: Option<SharedCredentialsProvider>,
    ) -> &mut Self {
        self.inner.credentials_provider = provider;
        self
    }

    /// Sends every request to this URL instead of the one the endpoint rules give
    /// (LocalStack, a proxy, a VPC endpoint). Without a scheme, `https://` is assumed.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.set_endpoint_url(Some(url.into()));
        self
    }

    /// Sets or clears the endpoint URL override.
    pub fn set_endpoint_url(&mut self, url: Option<String>) -> &mut Self {
        self.inner.endpoint_url = url;
        self
    }

    /// Sets the retry configuration.
    pub fn retry_config(mut self, retry_config: RetryConfig) -> Self {
        self.set_retry_config(Some(retry_config));
        self
    }

    /// Sets or clears the retry configuration.
    pub fn set_retry_config(&mut self, retry_config: Option<RetryConfig>) -> &mut Self {
        self.inner.retry_config = retry_config;
        self
    }

    /// Sets the timeout configuration.
    pub fn timeout_config(mut self, timeout_config: TimeoutConfig) -> Self {
        self.set_timeout_config(Some(timeout_config));
        self
    }

    /// Sets or clears the timeout configuration.
    pub fn set_timeout_config(&mut self, timeout_config: Option<TimeoutConfig>) -> &mut Self {
        self.inner.timeout_config = timeout_config;
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, use_fips: impl Into<bool>) -> Self {
        self.set_use_fips(Some(use_fips.into()));
        self
    }

    /// Sets or clears the FIPS flag.
    pub fn set_use_fips(&mut self, use_fips: Option<bool>) -> &mut Self {
        self.inner.use_fips = use_fips;
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: impl Into<bool>) -> Self {
        self.set_use_dual_stack(Some(use_dual_stack.into()));
        self
    }

    /// Sets or clears the dual-stack flag.
    pub fn set_use_dual_stack(&mut self, use_dual_stack: Option<bool>) -> &mut Self {
        self.inner.use_dual_stack = use_dual_stack;
        self
    }

    /// Sets whether account-based endpoints are used (`AWS::Auth::AccountIdEndpointMode`);
    /// unset, `AWS_ACCOUNT_ID_ENDPOINT_MODE` or the profile decide, else `preferred`.
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.set_account_id_endpoint_mode(Some(mode));
        self
    }

    /// Sets or clears the account id endpoint mode.
    pub fn set_account_id_endpoint_mode(
        &mut self,
        mode: Option<AccountIdEndpointMode>,
    ) -> &mut Self {
        self.inner.account_id_endpoint_mode = mode;
        self
    }

    /// Sets the app name added to the user agent.
    pub fn app_name(mut self, app_name: AppName) -> Self {
        self.set_app_name(Some(app_name));
        self
    }

    /// Sets or clears the app name.
    pub fn set_app_name(&mut self, app_name: Option<AppName>) -> &mut Self {
        self.inner.app_name = app_name;
        self
    }

    /// Sets what fills unset `smithy.api#idempotencyToken` members (a fresh UUID v4 by
    /// default; [`IdempotencyTokenProvider::fixed`](crate::idempotency::IdempotencyTokenProvider::fixed)
    /// for deterministic requests in tests), as in aws-sdk-rust.
    pub fn idempotency_token_provider(
        mut self,
        provider: impl Into<crate::idempotency::IdempotencyTokenProvider>,
    ) -> Self {
        self.set_idempotency_token_provider(Some(provider.into()));
        self
    }

    /// Sets or resets (to random UUIDs) the idempotency token provider.
    pub fn set_idempotency_token_provider(
        &mut self,
        provider: Option<crate::idempotency::IdempotencyTokenProvider>,
    ) -> &mut Self {
        self.inner.idempotency_token_provider = provider.unwrap_or_default();
        self
    }

    /// Sets the behavior version. Accepted for aws-sdk-rust compatibility; see
    /// [`BehaviorVersion`]: this runtime has one behavior, and no version is required.
    pub fn behavior_version(mut self, behavior_version: BehaviorVersion) -> Self {
        self.set_behavior_version(Some(behavior_version));
        self
    }

    /// Sets or clears the behavior version.
    pub fn set_behavior_version(&mut self, behavior_version: Option<BehaviorVersion>) -> &mut Self {
        self.inner.behavior_version = behavior_version;
        self
    }

    /// Sets the behavior version to [`BehaviorVersion::latest()`].
    pub fn behavior_version_latest(self) -> Self {
        self.behavior_version(BehaviorVersion::latest())
    }

    /// Fills what is unset with test values, as aws-sdk-rust's `with_test_defaults`: region
    /// `us-east-1`, fake credentials, the latest behavior version, a fixed clock
    /// (2009-02-13T23:31:30Z) and an empty environment (so nothing comes from the machine).
    #[cfg(feature = "test-util")]
    pub fn with_test_defaults(mut self) -> Self {
        self.apply_test_defaults();
        self
    }

    /// [`Builder::with_test_defaults`] through `&mut self`.
    #[cfg(feature = "test-util")]
    pub fn apply_test_defaults(&mut self) -> &mut Self {
        use std::time::{Duration, SystemTime};
        let inner = &mut self.inner;
        inner
            .region
            .get_or_insert_with(|| Region::from_static("us-east-1"));
        inner.credentials_provider.get_or_insert_with(|| {
            SharedCredentialsProvider::new(super::Credentials::new(
                "ANOTREAL",
                "notrealrnrELgWzOk3IfjzDKtFBhDby",
                Some("notarealsessiontoken".to_owned()),
                None,
                "test",
            ))
        });
        inner
            .behavior_version
            .get_or_insert_with(BehaviorVersion::latest);
        inner.time_source =
            TimeSource::fixed(SystemTime::UNIX_EPOCH + Duration::from_secs(1_234_567_890));
        inner.env = Env::from_vars::<[(&str, &str); 0], _, _>([]);
        self
    }

    /// Uses this reqwest client instead of the one the runtime builds (rustls with the
    /// `ring` provider and platform roots, HTTP/1.1, connect and read timeouts from the
    /// timeout config). The connect and read timeouts of the timeout config do not apply
    /// to a client given here; attempt and operation timeouts still do. Redirects should be
    /// disabled on it (AWS SDKs never follow them).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.inner.http_client = Some(client);
        self
    }

    /// Sends every request to a test transport instead of the network (feature
    /// `test-util`): a [`StaticReplayClient`](crate::client::test_util::StaticReplayClient),
    /// a [`capture_request`](crate::client::test_util::capture_request) client, or your own
    /// [`TestHttpClient`](crate::client::test_util::TestHttpClient). Signing, retries,
    /// timeouts and parsing still run; wins over [`Builder::http_client`].
    #[cfg(feature = "test-util")]
    pub fn http_client_for_tests(
        mut self,
        client: impl crate::client::test_util::TestHttpClient,
    ) -> Self {
        self.inner.test_http_client = Some(crate::client::test_util::SharedTestHttpClient(
            std::sync::Arc::new(client),
        ));
        self
    }

    /// Answers calls from mock rules (feature `test-util`); set by `mock_client!`.
    #[cfg(feature = "test-util")]
    #[doc(hidden)]
    pub fn mock_response_interceptor(
        mut self,
        interceptor: crate::client::mocks::MockResponseInterceptor,
    ) -> Self {
        self.inner.mock_responses = Some(interceptor);
        // Calls the rules let through get aws-smithy-mocks' dummy response, never the network.
        if self.inner.test_http_client.is_none() {
            self =
                self.http_client_for_tests(crate::client::test_util::infallible_client_fn(|_| {
                    crate::response::HttpResponse::new(
                        418,
                        http::HeaderMap::new(),
                        "Mock HTTP client dummy response",
                    )
                }));
        }
        self
    }

    /// Reads environment variables (and the home directory) from `env` instead of the
    /// process environment. Not in aws-sdk-rust; for tests and embedders.
    pub fn env(mut self, env: Env) -> Self {
        self.inner.env = env;
        self
    }

    /// Uses this clock for signing and credential expiry. Not in aws-sdk-rust in this form.
    pub fn time_source(mut self, time_source: TimeSource) -> Self {
        self.inner.time_source = time_source;
        self
    }

    /// Uses this sleep between retry attempts. Not in aws-sdk-rust in this form.
    pub fn sleep_impl(mut self, sleep: Sleep) -> Self {
        self.inner.sleep = sleep;
        self
    }

    /// Uses this jitter source for retry backoff. Not in aws-sdk-rust.
    pub fn retry_jitter(mut self, jitter: Jitter) -> Self {
        self.inner.jitter = jitter;
        self
    }

    /// Builds the configuration. Never fails: problems (no region, no credentials, a bad
    /// endpoint URL) are reported by the first call as a `ConstructionFailure`.
    pub fn build(self) -> Config {
        self.inner
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Credentials;
    use std::time::Duration;

    #[test]
    fn from_sdk_config_copies_settings() {
        let sdk = aws_types::SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-west-2"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "AKID", "SECRET", None, None, "test",
            )))
            .endpoint_url("http://localhost:4566")
            .retry_config(RetryConfig::standard().with_max_attempts(7))
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(Duration::from_secs(9))
                    .build(),
            )
            .use_fips(true)
            .use_dual_stack(true)
            .app_name(aws_types::app_name::AppName::new("my-app").expect("valid"))
            .build();
        let config = Config::from_sdk_config(&sdk);
        assert_eq!(config.region(), Some(&Region::from_static("eu-west-2")));
        assert!(config.credentials_provider().is_some());
        assert_eq!(config.retry_config().map(|r| r.max_attempts()), Some(7));
        assert_eq!(
            config.timeout_config().and_then(|t| t.operation_timeout()),
            Some(Duration::from_secs(9))
        );
        assert_eq!(config.use_fips(), Some(true));
        assert_eq!(config.use_dual_stack(), Some(true));
        assert_eq!(config.app_name().map(AsRef::as_ref), Some("my-app"));
    }
}
