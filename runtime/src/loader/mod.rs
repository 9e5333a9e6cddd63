//! A lean standard configuration loader with aws-config's shape and names (feature
//! `config-loader`, on by default), producing an [`aws_types::SdkConfig`] without aws-config,
//! aws-smithy-runtime or a direct hyper dependency.
//!
//! ```no_run
//! # async fn f() {
//! use awsjson_runtime::loader::{self, BehaviorVersion};
//! let config = loader::load_defaults(BehaviorVersion::latest()).await;
//! # let _ = config;
//! # }
//! ```
//!
//! # Design
//!
//! Every provider reads the outside world only through a [`ProviderConfig`], which holds four
//! seams; the published aws-config test cases run by swapping them:
//!
//! * **Env** ([`crate::config::Env`]): the process environment or a fixed map (`env.json`).
//! * **Fs** ([`Fs`]): the real file system or an in-memory map rooted at `/` (a case's `fs/`).
//!   Profile files, web identity tokens, container token files and the SSO cache are read
//!   through it.
//! * **HTTP** ([`http::ProviderHttpClient`]): [`http::ReqwestProviderClient`] in production
//!   (rustls/ring, proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, never for IMDS and the
//!   container endpoint); [`test_util::ReplayClient`] in tests, which serves
//!   `http-traffic.json` in order and checks each request against the recorded one.
//! * **Time** ([`crate::config::TimeSource`]) and a sleep function, so expiry, static
//!   stability and retries are testable.
//!
//! The shared files are parsed by the runtime's single profile parser
//! (`crate::config::profile`, re-exported in [`profile`]), parsed once per `ProviderConfig`.
//! Providers mirror aws-config's: [`EnvironmentVariableCredentialsProvider`],
//! [`ProfileFileCredentialsProvider`] (chain resolution in `profile_chain`, then base
//! provider and `AssumeRole` links), [`WebIdentityTokenCredentialsProvider`],
//! [`ecs::EcsCredentialsProvider`], [`imds::Client`] and
//! [`imds::credentials::ImdsCredentialsProvider`], SSO (`sso`), `credential_process`, and
//! [`DefaultCredentialsChain`] in aws-config's order. STS is awsQuery (form body, quick-xml
//! response, SigV4 from aws-sigv4); SSO and SSO OIDC are restJson1 written by hand on the
//! runtime's JSON parser. Service endpoints come from [`endpoints`]: hand-written
//! equivalents of the STS/SSO/SSO-OIDC rule sets over the embedded partition table,
//! checked against the real rule sets by a test.
//!
//! Errors use aws-credential-types' categories so the chain behaves like aws-config's: "not
//! loaded" moves on, anything else stops; the final error lists every provider tried.
//!
//! # Not done (yet), and deliberate differences
//!
//! * No identity cache is put in the `SdkConfig`: this runtime's client wraps the provider in
//!   its own cache (aws-sdk-rust's numbers: 5 s load timeout for the loader and for calls
//!   waiting behind it, refresh 10 s before expiry less up to 5 s of jitter, 15 min for
//!   credentials without expiry, expired credentials never used); official `aws-sdk-*`
//!   clients install their default lazy cache. Deliberate difference: when a refresh fails
//!   while cached credentials are still valid, the client keeps using them.
//! * `login_session` profiles are not supported (no shared test case covers them).
//! * Retry mode `adaptive` is refused ([`ConfigLoader::try_load`] fails; `load` logs it).
//! * Proxy settings are read by reqwest from the process environment, not from the
//!   [`ProviderConfig`]'s `Env`.
//! * When no region is configured, the default region chain asks IMDS (up to 3 attempts of
//!   2 s off EC2), as aws-config does.

mod config_loader;
mod default_chain;
pub mod ecs;
pub mod endpoints;
mod environment;
pub mod http;
pub mod imds;
mod json;
mod process;
pub mod profile;
mod profile_chain;
mod profile_provider;
mod provider_config;
pub mod region;
mod settings;
pub mod sso;
mod sts;
pub mod test_util;
mod util;
mod web_identity;

pub use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
pub use aws_types::SdkConfig;
pub use config_loader::{ConfigLoader, LoadError};
pub use default_chain::DefaultCredentialsChain;
pub use environment::EnvironmentVariableCredentialsProvider;
pub use profile_provider::{
    Builder as ProfileFileCredentialsProviderBuilder, ProfileFileCredentialsProvider,
};
pub use provider_config::{Fs, ProviderConfig, Sleep};
pub use region::RegionProviderChain;
pub use sts_provider::AssumeRoleProvider;
pub use util::error_chain;
pub use web_identity::WebIdentityTokenCredentialsProvider;

mod sts_provider;

#[doc(hidden)]
pub mod __private {
    //! Internals for the test harness; not a stable API.
    pub use super::json::parse_document;
    pub use super::profile_chain::{resolve as resolve_profile_chain, Base, Chain, RoleLink};
}

/// A [`ConfigLoader`] with the behavior version set (aws-config's `defaults`).
pub fn defaults(behavior_version: BehaviorVersion) -> ConfigLoader {
    ConfigLoader::default().behavior_version(behavior_version)
}

/// Loads the configuration from the environment, the profile files and the default
/// providers (aws-config's `load_defaults`).
pub async fn load_defaults(behavior_version: BehaviorVersion) -> SdkConfig {
    defaults(behavior_version).load().await
}

/// Loads the configuration with the latest behavior version.
#[deprecated(note = "use `load_defaults(BehaviorVersion::latest())`, as aws-config does")]
pub async fn load_from_env() -> SdkConfig {
    load_defaults(BehaviorVersion::latest()).await
}
