//! Resolution of a [`Config`] against the environment and the shared config files, once
//! per client: what the user left unset is filled from `AWS_*` variables, the profile, or
//! the defaults.

use std::time::Duration;

use super::retry::RetryConfig;
use super::timeout::TimeoutConfig;
use super::{credentials, profile};
use super::{AccountIdEndpointMode, Config, Region, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT};

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
    /// The builder's mode, else `AWS_ACCOUNT_ID_ENDPOINT_MODE`, else the profile's
    /// `account_id_endpoint_mode`, else `preferred` (invalid values are ignored with a
    /// warning, as aws-config does).
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

    let endpoint_url = config
        .endpoint_url
        .clone()
        .or_else(|| match &config.sdk_config {
            Some(sdk) => super::sdk_config::endpoint_url(sdk, sdk_id, env, &mut load_profiles),
            None => env
                .get(&format!("AWS_ENDPOINT_URL_{}", env_suffix(sdk_id)))
                .or_else(|| env.get("AWS_ENDPOINT_URL"))
                .map(|url| url.trim().to_owned()),
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

    let account_id_endpoint_mode = config
        .account_id_endpoint_mode
        .clone()
        .or_else(|| {
            let (source, value) = match env.get("AWS_ACCOUNT_ID_ENDPOINT_MODE") {
                Some(value) => ("AWS_ACCOUNT_ID_ENDPOINT_MODE", value),
                None => (
                    "profile setting account_id_endpoint_mode",
                    load_profiles().get("account_id_endpoint_mode")?.to_owned(),
                ),
            };
            value
                .trim()
                .parse::<AccountIdEndpointMode>()
                .map_err(|err| tracing::warn!(source, error = %err, "ignored"))
                .ok()
        })
        .unwrap_or_default();

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
    use crate::config::Env;

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
    fn account_id_endpoint_mode_from_builder_env_or_default() {
        let mode = |builder: crate::config::Builder, vars: &[(&str, &str)]| {
            let config = builder.env(Env::from_vars(vars.to_vec())).build();
            resolve(&config, "DynamoDB").account_id_endpoint_mode
        };
        assert_eq!(
            mode(Config::builder(), &[]),
            AccountIdEndpointMode::Preferred
        );
        assert_eq!(
            mode(
                Config::builder(),
                &[("AWS_ACCOUNT_ID_ENDPOINT_MODE", " Required ")]
            ),
            AccountIdEndpointMode::Required
        );
        // Invalid values are ignored (with a warning), as aws-config does.
        assert_eq!(
            mode(
                Config::builder(),
                &[("AWS_ACCOUNT_ID_ENDPOINT_MODE", "sometimes")]
            ),
            AccountIdEndpointMode::Preferred
        );
        assert_eq!(
            mode(
                Config::builder().account_id_endpoint_mode(AccountIdEndpointMode::Disabled),
                &[("AWS_ACCOUNT_ID_ENDPOINT_MODE", "required")]
            ),
            AccountIdEndpointMode::Disabled
        );
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
}
