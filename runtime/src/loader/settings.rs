//! Settings read from the environment first, then the selected profile (aws-config's
//! `EnvConfigValue` order): booleans, numbers, and the helpers the loader uses.

use super::provider_config::ProviderConfig;

/// A setting: the environment variable `var`, else the profile property `key`.
pub(crate) fn string_setting(config: &ProviderConfig, var: &str, key: &str) -> Option<String> {
    if let Some(value) = config.env.get(var) {
        return Some(value.trim().to_owned());
    }
    config
        .profile_set()
        .ok()?
        .selected()?
        .get_nonempty(key)
        .map(str::to_owned)
}

/// A boolean setting (`true` / `false`, any case); other values are ignored with a warning.
pub(crate) fn bool_setting(config: &ProviderConfig, var: &str, key: &str) -> Option<bool> {
    let value = string_setting(config, var, key)?;
    let parsed = crate::config::parse_bool(&value);
    if parsed.is_none() {
        tracing::warn!(
            var,
            key,
            "ignoring a setting that is neither `true` nor `false`"
        );
    }
    parsed
}
