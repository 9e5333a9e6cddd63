//! Client configuration, with the names aws-sdk-rust service crates use
//! (`Config::builder().region(..).credentials_provider(..).build()`), so configuration code
//! written for `aws-sdk-lightsail` compiles unchanged against a generated crate.
//!
//! # What is resolved where
//!
//! A [`Config`] only records what the user set. The rest is resolved once, when the
//! generated client is created ([`crate::client::Handle::new`]), from the
//! environment ([`Env`]) and the shared AWS config files:
//!
//! * **region**: [`Builder::region`], else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the
//!   `region` of the selected profile (`AWS_PROFILE`, default `default`) in the config file
//!   (`AWS_CONFIG_FILE`, default `~/.aws/config`). No region is not an error until the first
//!   call, which then fails with a `ConstructionFailure` that says how to set one.
//! * **credentials**: [`Builder::credentials_provider`], else a small default chain:
//!   the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), then the
//!   static keys of the selected profile in the shared credentials file
//!   (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`) and config file. Only static
//!   keys are supported by this chain; SSO, IMDS, ECS, web identity, assume-role and
//!   `credential_process` come from passing aws-config's provider, e.g.
//!   `credentials_provider(aws_config::default_provider::credentials::default_provider().await)`,
//!   or from `Config::from_sdk_config` (feature `aws-types`). Credentials are cached and
//!   refreshed 5 minutes before they expire.
//! * **endpoint**: [`Builder::endpoint_url`], else `AWS_ENDPOINT_URL_<SERVICE>` (the service's
//!   SDK id in upper snake case, e.g. `AWS_ENDPOINT_URL_LIGHTSAIL`), else `AWS_ENDPOINT_URL`,
//!   else the service's endpoint rules. A URL without a scheme gets `https://`; plain `http://`
//!   is only used when the user wrote it.
//! * **FIPS / dual-stack**: the builder, else `AWS_USE_FIPS_ENDPOINT` /
//!   `AWS_USE_DUALSTACK_ENDPOINT`, else the profile's `use_fips_endpoint` /
//!   `use_dualstack_endpoint`.
//!
//! # Defaults
//!
//! * retries: [`RetryConfig::standard()`](retry::RetryConfig::standard) (3 attempts, exponential
//!   backoff with full jitter from 1 s up to 20 s, a retry token bucket of 500 per client).
//!   `RetryMode::Adaptive` is accepted and behaves like standard mode (no client-side rate
//!   limiting).
//! * timeouts: connect 3.1 s (as aws-sdk-rust), read 60 s (aws-sdk-rust has none; we pick one
//!   so a stalled server never hangs a call forever; it bounds each read of the socket, not
//!   the whole response), no attempt or operation timeout. Any value explicitly set, or
//!   explicitly disabled, in [`timeout::TimeoutConfig`] wins over these defaults. Connect and
//!   read timeouts only apply to the HTTP client this crate builds, not to one passed with
//!   [`Builder::http_client`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub(crate) mod credentials;
pub(crate) mod profile;

pub use account_id::AccountIdEndpointMode;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;

mod account_id;
/// Shared configuration as loaded by aws-config (`aws_config::load_from_env()`).
#[cfg(feature = "aws-types")]
pub use aws_types::SdkConfig;

/// Retry configuration (re-exported from `aws-smithy-types`, as aws-sdk-rust does).
pub mod retry {
    pub use aws_smithy_types::retry::{ReconnectMode, RetryConfig, RetryConfigBuilder, RetryMode};
}

/// Timeout configuration (re-exported from `aws-smithy-types`, as aws-sdk-rust does).
pub mod timeout {
    pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};
}

use retry::RetryConfig;
use timeout::TimeoutConfig;

/// Default connect timeout, the same as aws-sdk-rust's.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// Default read timeout (per socket read). aws-sdk-rust has none; see the module docs.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

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

/// Where environment variables come from: the process environment (the default), or a
/// fixed set given by the caller.
///
/// Tests and embedders use [`Env::from_vars`] so that configuration does not depend on (or
/// race with) the process-global environment. The home directory used for `~/.aws` is
/// looked up through the same `Env` (`HOME`, or `USERPROFILE` / `HOMEDRIVE`+`HOMEPATH` on
/// Windows).
#[derive(Clone, Default)]
pub struct Env {
    vars: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process environment.
    pub fn real() -> Self {
        Env { vars: None }
    }

    /// A fixed set of variables; the process environment is not consulted at all.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env {
            vars: Some(Arc::new(map)),
        }
    }

    /// The value of a variable. Unset, empty and non-UTF-8 values are all `None`: AWS SDKs
    /// treat an empty variable as not set.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.vars {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        }?;
        if value.trim().is_empty() {
            None
        } else {
            Some(value)
        }
    }
}

impl fmt::Debug for Env {
    // Values may be secrets (AWS_SECRET_ACCESS_KEY): never print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Env(process)"),
            Some(vars) => write!(f, "Env(fixed, {} variables)", vars.len()),
        }
    }
}

/// The clock used to sign requests and to decide when credentials expire.
///
/// [`TimeSource::fixed`] makes signatures reproducible in tests.
#[derive(Clone, Default)]
pub struct TimeSource {
    now: Option<Arc<dyn Fn() -> SystemTime + Send + Sync>>,
}

impl TimeSource {
    /// The system clock.
    pub fn system() -> Self {
        TimeSource { now: None }
    }

    /// A clock that always returns `time`.
    pub fn fixed(time: SystemTime) -> Self {
        TimeSource::from_fn(move || time)
    }

    /// A clock backed by a function.
    pub fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        TimeSource {
            now: Some(Arc::new(now)),
        }
    }

    /// The current time according to this clock.
    pub fn now(&self) -> SystemTime {
        match &self.now {
            Some(now) => now(),
            None => SystemTime::now(),
        }
    }
}

impl fmt::Debug for TimeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.now.is_some() {
            "TimeSource(custom)"
        } else {
            "TimeSource(system)"
        })
    }
}

/// The future returned by a [`Sleep`] implementation.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// How the client waits between retry attempts: `tokio::time::sleep` by default.
///
/// Tests replace it (e.g. to record the backoff and return at once) so they do not sleep
/// for seconds.
#[derive(Clone, Default)]
pub struct Sleep {
    sleep: Option<Arc<dyn Fn(Duration) -> SleepFuture + Send + Sync>>,
}

impl Sleep {
    /// `tokio::time::sleep`.
    pub fn tokio() -> Self {
        Sleep { sleep: None }
    }

    /// A custom sleep.
    pub fn from_fn(sleep: impl Fn(Duration) -> SleepFuture + Send + Sync + 'static) -> Self {
        Sleep {
            sleep: Some(Arc::new(sleep)),
        }
    }

    /// Sleeps for `duration`.
    pub fn sleep(&self, duration: Duration) -> SleepFuture {
        match &self.sleep {
            Some(sleep) => sleep(duration),
            None => Box::pin(tokio::time::sleep(duration)),
        }
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.sleep.is_some() {
            "Sleep(custom)"
        } else {
            "Sleep(tokio)"
        })
    }
}

/// The source of the random factor in `[0, 1)` that scales each retry backoff ("full
/// jitter"). Replaceable so tests can predict backoffs.
#[derive(Clone, Default)]
pub struct Jitter {
    next: Option<Arc<dyn Fn() -> f64 + Send + Sync>>,
}

impl Jitter {
    /// A fast non-cryptographic generator seeded from the clock (the default).
    pub fn random() -> Self {
        Jitter { next: None }
    }

    /// A custom generator. Values outside `[0, 1]` (and NaN) are clamped.
    pub fn from_fn(next: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        Jitter {
            next: Some(Arc::new(next)),
        }
    }

    /// The next factor, always within `[0, 1]`.
    pub fn next(&self) -> f64 {
        let value = match &self.next {
            Some(next) => next(),
            None => crate::client::rng::next_f64(),
        };
        if value.is_nan() {
            1.0
        } else {
            value.clamp(0.0, 1.0)
        }
    }
}

impl fmt::Debug for Jitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.next.is_some() {
            "Jitter(custom)"
        } else {
            "Jitter(random)"
        })
    }
}

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
    pub(crate) http_client: Option<reqwest::Client>,
    #[cfg(feature = "test-util")]
    pub(crate) test_http_client: Option<crate::client::test_util::SharedTestHttpClient>,
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

    /// The app name set on the builder.
    pub fn app_name(&self) -> Option<&AppName> {
        self.app_name.as_ref()
    }

    /// Creates a configuration from an `aws_types::SdkConfig` (as loaded by
    /// `aws_config::load_defaults`): region, credentials provider, endpoint URL, retry and
    /// timeout configuration, FIPS / dual-stack flags and app name.
    ///
    /// The SdkConfig's HTTP client, sleep and time source are not used (they are smithy-rs
    /// types); this crate's own are.
    #[cfg(feature = "aws-types")]
    pub fn from_sdk_config(sdk: &aws_types::SdkConfig) -> Config {
        let mut builder = Config::builder();
        builder.set_region(sdk.region().map(|r| Region::new(r.as_ref().to_owned())));
        builder.inner.credentials_provider = sdk.credentials_provider();
        builder.set_endpoint_url(sdk.endpoint_url().map(str::to_owned));
        builder.set_retry_config(sdk.retry_config().cloned());
        builder.set_timeout_config(sdk.timeout_config().cloned());
        builder.set_use_fips(sdk.use_fips());
        builder.set_use_dual_stack(sdk.use_dual_stack());
        // aws-types already validated the name with the same rules as ours.
        builder.set_app_name(
            sdk.app_name()
                .and_then(|n| AppName::new(n.as_ref().to_owned()).ok()),
        );
        builder.build()
    }
}

#[cfg(feature = "aws-types")]
impl From<&aws_types::SdkConfig> for Config {
    fn from(sdk: &aws_types::SdkConfig) -> Config {
        Config::from_sdk_config(sdk)
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
            http_client: None,
            #[cfg(feature = "test-util")]
            test_http_client: None,
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
    inner: Config,
}

impl Builder {
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
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.set_use_fips(Some(use_fips));
        self
    }

    /// Sets or clears the FIPS flag.
    pub fn set_use_fips(&mut self, use_fips: Option<bool>) -> &mut Self {
        self.inner.use_fips = use_fips;
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.set_use_dual_stack(Some(use_dual_stack));
        self
    }

    /// Sets or clears the dual-stack flag.
    pub fn set_use_dual_stack(&mut self, use_dual_stack: Option<bool>) -> &mut Self {
        self.inner.use_dual_stack = use_dual_stack;
        self
    }

    /// Sets whether account-based endpoints are used (`AWS::Auth::AccountIdEndpointMode`);
    /// unset, `AWS_ACCOUNT_ID_ENDPOINT_MODE` decides, else `preferred`.
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

/// Parses an AWS boolean setting (`true` / `false`, case-insensitive).
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Turns an SDK id into the suffix of its `AWS_ENDPOINT_URL_<SUFFIX>` variable: upper case,
/// with spaces and hyphens as underscores (`Elastic Load Balancing v2` ->
/// `ELASTIC_LOAD_BALANCING_V2`).
pub(crate) fn env_suffix(sdk_id: &str) -> String {
    sdk_id
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// Everything resolved from the config, the environment and the profile files, once per
/// client.
#[derive(Debug)]
pub(crate) struct Resolved {
    /// The region, or why there is none.
    pub(crate) region: Result<Region, String>,
    /// The endpoint URL override (builder or environment), if any.
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    /// The builder's mode, else `AWS_ACCOUNT_ID_ENDPOINT_MODE`, else `preferred` (an
    /// invalid environment value is ignored with a warning).
    pub(crate) account_id_endpoint_mode: AccountIdEndpointMode,
    pub(crate) credentials: credentials::Source,
    pub(crate) retry: RetryConfig,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
}

/// Resolves `config` against its environment and profile files (read at most once).
pub(crate) fn resolve(config: &Config, sdk_id: &str) -> Resolved {
    let env = &config.env;
    let mut profiles: Option<profile::Loaded> = None;
    let mut load_profiles =
        || -> profile::Loaded { profiles.get_or_insert_with(|| profile::load(env)).clone() };

    let region = match &config.region {
        Some(region) => Ok(region.clone()),
        None => match env
            .get("AWS_REGION")
            .or_else(|| env.get("AWS_DEFAULT_REGION"))
        {
            Some(region) => Ok(Region::new(region.trim().to_owned())),
            None => {
                let loaded = load_profiles();
                match loaded.get("region") {
                    Some(region) => Ok(Region::new(region.to_owned())),
                    None => Err(format!(
                        "no region configured: set it with `Config::builder().region(..)`, or the \
                         AWS_REGION environment variable, or `region` in profile `{}` of {}",
                        loaded.profile_name,
                        loaded.config_path_display()
                    )),
                }
            }
        },
    };

    let endpoint_url = config.endpoint_url.clone().or_else(|| {
        env.get(&format!("AWS_ENDPOINT_URL_{}", env_suffix(sdk_id)))
            .or_else(|| env.get("AWS_ENDPOINT_URL"))
            .map(|url| url.trim().to_owned())
    });

    let flag = |explicit: Option<bool>,
                var: &str,
                key: &str,
                load: &mut dyn FnMut() -> profile::Loaded| {
        explicit
            .or_else(|| env.get(var).and_then(|v| parse_bool(&v)))
            .or_else(|| load().get(key).and_then(parse_bool))
            .unwrap_or(false)
    };
    let use_fips = flag(
        config.use_fips,
        "AWS_USE_FIPS_ENDPOINT",
        "use_fips_endpoint",
        &mut load_profiles,
    );
    let use_dual_stack = flag(
        config.use_dual_stack,
        "AWS_USE_DUALSTACK_ENDPOINT",
        "use_dualstack_endpoint",
        &mut load_profiles,
    );

    let account_id_endpoint_mode = config.account_id_endpoint_mode.unwrap_or_else(|| {
        match env.get("AWS_ACCOUNT_ID_ENDPOINT_MODE") {
            Some(value) => AccountIdEndpointMode::parse(&value).unwrap_or_else(|| {
                tracing::warn!(
                    value = %value,
                    "AWS_ACCOUNT_ID_ENDPOINT_MODE is not preferred, disabled or required; ignored"
                );
                AccountIdEndpointMode::default()
            }),
            None => AccountIdEndpointMode::default(),
        }
    });

    let credentials = match &config.credentials_provider {
        Some(provider) => credentials::Source::Provider(provider.clone()),
        None => credentials::default_chain(env, &mut load_profiles),
    };

    let retry = config
        .retry_config
        .clone()
        .unwrap_or_else(RetryConfig::standard);

    // Fill what the user left unset with our defaults; explicitly disabled stays disabled.
    let mut timeouts = config
        .timeout_config
        .clone()
        .unwrap_or_else(|| TimeoutConfig::builder().build());
    timeouts.take_defaults_from(
        &TimeoutConfig::builder()
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .read_timeout(DEFAULT_READ_TIMEOUT)
            .build(),
    );

    Resolved {
        region,
        endpoint_url,
        use_fips,
        use_dual_stack,
        account_id_endpoint_mode,
        credentials,
        retry,
        connect_timeout: timeouts.connect_timeout(),
        read_timeout: timeouts.read_timeout(),
        attempt_timeout: timeouts.operation_attempt_timeout(),
        operation_timeout: timeouts.operation_timeout(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_suffix_is_upper_snake() {
        assert_eq!(env_suffix("Lightsail"), "LIGHTSAIL");
        assert_eq!(
            env_suffix("Elastic Load Balancing v2"),
            "ELASTIC_LOAD_BALANCING_V2"
        );
        assert_eq!(env_suffix("forecast-query"), "FORECAST_QUERY");
    }

    #[test]
    fn app_name_validation() {
        assert!(AppName::new("my-app_1.0").is_ok());
        assert!(AppName::new("").is_err());
        assert!(AppName::new("has space").is_err());
        assert!(AppName::new("ünicode").is_err());
    }

    #[test]
    fn timeouts_default_but_respect_explicit_disable() {
        let config = Config::builder()
            .env(Env::from_vars([("AWS_REGION", "eu-west-1")]))
            .timeout_config(
                TimeoutConfig::builder()
                    .disable_read_timeout()
                    .operation_timeout(Duration::from_secs(5))
                    .build(),
            )
            .build();
        let resolved = resolve(&config, "Lightsail");
        assert_eq!(resolved.connect_timeout, Some(DEFAULT_CONNECT_TIMEOUT));
        assert_eq!(resolved.read_timeout, None);
        assert_eq!(resolved.operation_timeout, Some(Duration::from_secs(5)));
        assert_eq!(resolved.attempt_timeout, None);
        assert_eq!(resolved.region, Ok(Region::from_static("eu-west-1")));
    }

    #[test]
    fn disabled_timeouts_stay_disabled() {
        let config = Config::builder()
            .env(Env::from_vars::<[(&str, &str); 0], _, _>([]))
            .timeout_config(TimeoutConfig::disabled())
            .build();
        let resolved = resolve(&config, "Lightsail");
        assert_eq!(resolved.connect_timeout, None);
        assert_eq!(resolved.read_timeout, None);
    }

    #[test]
    fn jitter_is_clamped() {
        assert_eq!(Jitter::from_fn(|| f64::NAN).next(), 1.0);
        assert_eq!(Jitter::from_fn(|| -3.0).next(), 0.0);
        assert_eq!(Jitter::from_fn(|| 7.0).next(), 1.0);
        let r = Jitter::random().next();
        assert!((0.0..=1.0).contains(&r));
    }

    #[cfg(feature = "aws-types")]
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
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
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
