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
//!   or from `Config::from_sdk_config`. Credentials are cached and refreshed shortly before
//!   they expire (see `credentials`).
//! * **endpoint**: [`Builder::endpoint_url`], else `AWS_ENDPOINT_URL_<SERVICE>` (the service's
//!   SDK id in upper snake case, e.g. `AWS_ENDPOINT_URL_LIGHTSAIL`), else `AWS_ENDPOINT_URL`,
//!   else the service's endpoint rules. A URL without a scheme gets `https://`; plain `http://`
//!   is only used when the user wrote it.
//! * **FIPS / dual-stack**: the builder, else `AWS_USE_FIPS_ENDPOINT` /
//!   `AWS_USE_DUALSTACK_ENDPOINT`, else the profile's `use_fips_endpoint` /
//!   `use_dualstack_endpoint`.
//! * **account id endpoint mode** (`AWS::Auth::AccountIdEndpointMode`, whether DynamoDB-style
//!   account-based endpoints are used): [`Builder::account_id_endpoint_mode`], else
//!   `AWS_ACCOUNT_ID_ENDPOINT_MODE`, else the profile's `account_id_endpoint_mode`, else
//!   `preferred`. The account id itself (`AWS::Auth::AccountId`) comes from each call's
//!   credentials.
//!
//! # Defaults
//!
//! * retries: [`RetryConfig::standard()`](retry::RetryConfig::standard) (3 attempts, exponential
//!   backoff with full jitter from 1 s up to 20 s, a retry token bucket of 500 per client,
//!   reconnect on transient errors; `RetryConfig::with_reconnect_mode` is honoured).
//!   `RetryMode::Adaptive` is accepted and behaves like standard mode (no client-side rate
//!   limiting).
//! * timeouts: connect 3.1 s (as aws-sdk-rust), read 60 s (aws-sdk-rust has none; we pick one
//!   so a stalled server never hangs a call forever; it bounds each read of the socket, not
//!   the whole response), no attempt or operation timeout. Any value explicitly set, or
//!   explicitly disabled, in [`timeout::TimeoutConfig`] wins over these defaults. Connect and
//!   read timeouts only apply to the HTTP client this crate builds, not to one passed with
//!   [`Builder::http_client`].
//!
//! # Files
//!
//! [`Config`] and [`Builder`] live in `builder`, [`Region`] and [`AppName`] in `names`, the
//! replaceable environment, clock, sleep and jitter in `test_hooks`, and the resolution against
//! the environment and profile files in `resolve`.

use std::time::Duration;

mod builder;
pub(crate) mod credentials;
mod names;
pub(crate) mod profile;
mod resolve;
mod sdk_config;
mod test_hooks;

pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;
/// Whether account-based endpoints are used (`AWS::Auth::AccountIdEndpointMode`), aws-types'
/// type as aws-sdk-rust's `config::Builder::account_id_endpoint_mode` takes it.
pub use aws_types::endpoint_config::AccountIdEndpointMode;
/// Shared configuration as loaded by aws-config or [`crate::loader`] (`load_defaults`).
pub use aws_types::SdkConfig;
pub use builder::{Builder, Config};
pub(crate) use names::is_token_char;
pub use names::{AppName, BehaviorVersion, InvalidAppName, Region};
pub(crate) use resolve::{parse_bool, resolve};
pub use test_hooks::{Env, Jitter, Sleep, SleepFuture, TimeSource};

/// Retry configuration (re-exported from `aws-smithy-types`, as aws-sdk-rust does).
pub mod retry {
    pub use aws_smithy_types::retry::{ReconnectMode, RetryConfig, RetryConfigBuilder, RetryMode};
}

/// Timeout configuration (re-exported from `aws-smithy-types`, as aws-sdk-rust does).
pub mod timeout {
    pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};
}

/// Default connect timeout, the same as aws-sdk-rust's.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// Default read timeout (per socket read). aws-sdk-rust has none; see the module docs.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
