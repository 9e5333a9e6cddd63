//! From an `aws_types::SdkConfig` (as loaded by aws-config or [`crate::loader`]) to a
//! [`Config`], as aws-sdk-rust's `Config::new(&sdk_config)` does.
//!
//! Taken from the `SdkConfig`: behavior version, region, credentials provider, endpoint URL,
//! retry and timeout configuration, app name, FIPS and dual-stack flags, sleep and time
//! source. The endpoint URL is looked up when the client is created, because the
//! service-specific settings (`AWS_ENDPOINT_URL_<SERVICE>`, a profile's `services` section)
//! need the service's SDK id, and they win over the global `endpoint_url`.
//!
//! Not used, with a `tracing` warning when set: the HTTP client (this runtime has its own
//! reqwest/rustls transport), the identity cache (the runtime caches credentials itself),
//! the token provider (no bearer-token auth), stalled-stream protection, request checksum
//! calculation and response checksum validation, request compression settings, the account
//! id endpoint mode, the auth scheme preference and clock skew correction.

use aws_smithy_async::rt::sleep::AsyncSleep;
use aws_types::service_config::ServiceConfigKey;

use super::{parse_bool, profile, Builder, Config, Env, Sleep, TimeSource};
use crate::config::SdkConfig;

impl Config {
    /// Creates a configuration from shared configuration (aws-sdk-rust's `Config::new`), as
    /// loaded by `load_defaults` or aws-config.
    ///
    /// Taken: behavior version, region, credentials provider, endpoint URL (the
    /// service-specific one, `AWS_ENDPOINT_URL_<SERVICE>` or the profile's `services`
    /// section, wins over the global one; `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` drops both),
    /// retry and timeout configuration, app name, FIPS and dual-stack flags, account id
    /// endpoint mode, sleep and time source.
    ///
    /// Not used, with a `tracing` warning when set: the HTTP client, identity cache, token
    /// provider, stalled-stream protection, request checksum calculation, response checksum
    /// validation, request compression settings, auth scheme preference and clock skew
    /// correction.
    pub fn new(sdk_config: &SdkConfig) -> Self {
        Builder::from(sdk_config).build()
    }

    /// The same as [`Config::new`].
    pub fn from_sdk_config(sdk_config: &SdkConfig) -> Self {
        Self::new(sdk_config)
    }
}

/// A builder holding what [`Config::new`] takes from the `SdkConfig`, to change a few settings
/// (aws-sdk-rust's `config::Builder::from(&sdk_config)`).
impl From<&SdkConfig> for Builder {
    fn from(sdk: &SdkConfig) -> Self {
        warn_unused_settings(sdk);
        let mut builder = Builder::default();
        builder.set_behavior_version(sdk.behavior_version());
        builder.set_region(sdk.region().cloned());
        builder.set_credentials_provider(sdk.credentials_provider());
        builder.set_retry_config(sdk.retry_config().cloned());
        builder.set_timeout_config(sdk.timeout_config().cloned());
        builder.set_use_fips(sdk.use_fips());
        builder.set_use_dual_stack(sdk.use_dual_stack());
        builder.set_account_id_endpoint_mode(sdk.account_id_endpoint_mode().cloned());
        builder.set_app_name(sdk.app_name().cloned());
        if let Some(sleep) = sdk.sleep_impl() {
            builder = builder.sleep_impl(Sleep::from_fn(move |duration| {
                let sleep = sleep.sleep(duration);
                Box::pin(sleep)
            }));
        }
        if let Some(time) = sdk.time_source() {
            builder = builder.time_source(TimeSource::from_fn(move || time.now()));
        }
        builder.inner.sdk_config = Some(sdk.clone());
        builder
    }
}

impl From<&SdkConfig> for Config {
    fn from(sdk: &SdkConfig) -> Self {
        Config::new(sdk)
    }
}

/// The endpoint URL of a config built from an `SdkConfig`: the service-specific one first
/// (through the `SdkConfig`'s service config when it has one, as aws-config's does; else
/// `AWS_ENDPOINT_URL_<SERVICE>`), then the global one, nothing at all when
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
/// `ignore_configured_endpoint_urls`) is true.
pub(crate) fn endpoint_url(
    sdk: &SdkConfig,
    sdk_id: &str,
    env: &Env,
    load_profiles: &mut dyn FnMut() -> profile::Loaded,
) -> Option<String> {
    if let Some(service_config) = sdk.service_config() {
        // aws-config's service config already honours the ignore flag.
        let key = ServiceConfigKey::builder()
            .service_id(sdk_id)
            .env("AWS_ENDPOINT_URL")
            .profile("endpoint_url")
            .build();
        let specific = key.ok().and_then(|key| service_config.load_config(key));
        return specific.or_else(|| sdk.endpoint_url().map(str::to_owned));
    }
    let ignore = env
        .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .and_then(|v| parse_bool(&v))
        .or_else(|| {
            load_profiles()
                .get("ignore_configured_endpoint_urls")
                .and_then(parse_bool)
        })
        .unwrap_or(false);
    if ignore {
        return None;
    }
    env.get(&format!(
        "AWS_ENDPOINT_URL_{}",
        super::resolve::env_suffix(sdk_id)
    ))
    .map(|url| url.trim().to_owned())
    .or_else(|| sdk.endpoint_url().map(str::to_owned))
}

/// Logs a warning for each `SdkConfig` setting this runtime cannot use.
fn warn_unused_settings(sdk: &SdkConfig) {
    let unused = [
        ("http_client", sdk.http_client().is_some()),
        ("identity_cache", sdk.identity_cache().is_some()),
        ("token_provider", sdk.token_provider().is_some()),
        (
            "stalled_stream_protection",
            sdk.stalled_stream_protection().is_some(),
        ),
        (
            "request_checksum_calculation",
            sdk.request_checksum_calculation().is_some(),
        ),
        (
            "response_checksum_validation",
            sdk.response_checksum_validation().is_some(),
        ),
        (
            "disable_request_compression",
            sdk.disable_request_compression().is_some(),
        ),
        (
            "request_min_compression_size_bytes",
            sdk.request_min_compression_size_bytes().is_some(),
        ),
        (
            "auth_scheme_preference",
            sdk.auth_scheme_preference().is_some(),
        ),
        (
            "disable_clock_skew_correction",
            sdk.disable_clock_skew_correction().is_some(),
        ),
    ];
    for (name, set) in unused {
        if set {
            tracing::warn!(
                setting = name,
                "this SdkConfig setting is not supported by this client and is ignored"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::resolve;

    fn sdk_with_global_endpoint() -> SdkConfig {
        SdkConfig::builder()
            .region(crate::config::Region::new("eu-west-2"))
            .endpoint_url("http://global.example")
            .build()
    }

    #[test]
    fn service_specific_env_wins_over_global_endpoint() {
        let config = Builder::from(&sdk_with_global_endpoint())
            .env(Env::from_vars([(
                "AWS_ENDPOINT_URL_LIGHTSAIL",
                "http://specific.example",
            )]))
            .build();
        let resolved = resolve(&config, "Lightsail");
        assert_eq!(
            resolved.endpoint_url.as_deref(),
            Some("http://specific.example")
        );
    }

    #[test]
    fn global_endpoint_used_without_service_specific_one() {
        let config = Builder::from(&sdk_with_global_endpoint())
            .env(Env::from_vars::<[(&str, &str); 0], _, _>([]))
            .build();
        let resolved = resolve(&config, "Lightsail");
        assert_eq!(
            resolved.endpoint_url.as_deref(),
            Some("http://global.example")
        );
    }

    #[test]
    fn ignore_flag_drops_every_configured_endpoint() {
        let config = Builder::from(&sdk_with_global_endpoint())
            .env(Env::from_vars([
                ("AWS_ENDPOINT_URL_LIGHTSAIL", "http://specific.example"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ]))
            .build();
        assert_eq!(resolve(&config, "Lightsail").endpoint_url, None);
    }

    #[test]
    fn explicit_endpoint_wins_over_sdk_config() {
        let config = Builder::from(&sdk_with_global_endpoint())
            .endpoint_url("http://explicit.example")
            .env(Env::from_vars([(
                "AWS_ENDPOINT_URL_LIGHTSAIL",
                "http://specific.example",
            )]))
            .build();
        assert_eq!(
            resolve(&config, "Lightsail").endpoint_url.as_deref(),
            Some("http://explicit.example")
        );
    }

    #[test]
    fn behavior_version_and_region_are_taken() {
        let sdk = SdkConfig::builder()
            .behavior_version(crate::config::BehaviorVersion::latest())
            .region(crate::config::Region::new("ap-south-1"))
            .build();
        let config = Config::new(&sdk);
        assert!(config.behavior_version().is_some());
        assert_eq!(config.region().map(AsRef::as_ref), Some("ap-south-1"));
    }
}
