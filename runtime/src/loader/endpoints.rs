//! Endpoints of the services the providers call (STS, SSO portal, SSO OIDC), and configured
//! endpoint URLs.
//!
//! The resolvers are small hand-written equivalents of the services' own rule sets, over the
//! runtime's embedded partition table: regional endpoints, FIPS, dual-stack, GovCloud's FIPS
//! hosts, and the errors the rule sets raise. The rule sets are not embedded (the models stay
//! outside the repository); instead `runtime/tests/loader_endpoints.rs` evaluates the real rule
//! sets from `../shared/models/aws/{sts,sso,sso-oidc}.json` with the runtime's rules engine
//! over a grid of regions and flags and requires the same answers.
//!
//! Configured endpoint URLs follow the shared-config spec: `AWS_ENDPOINT_URL_<SERVICE>`, then
//! `AWS_ENDPOINT_URL`, then the service's `endpoint_url` in the profile's `[services]` section,
//! then the profile's `endpoint_url`; all ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` /
//! `ignore_configured_endpoint_urls` is true.

use super::provider_config::ProviderConfig;
use super::settings::bool_setting;
use crate::endpoint::partitions;

/// A service the providers call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// AWS STS (`sts`).
    Sts,
    /// AWS IAM Identity Center portal (`sso`, host `portal.sso`).
    Sso,
    /// AWS IAM Identity Center OIDC (`sso-oidc`, host `oidc`).
    SsoOidc,
}

impl Service {
    fn host_prefix(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::Sso => "portal.sso",
            Service::SsoOidc => "oidc",
        }
    }

    /// The `[services]` key and `AWS_ENDPOINT_URL_<X>` suffix.
    fn config_key(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::Sso => "sso",
            Service::SsoOidc => "sso_oidc",
        }
    }
}

/// Resolves the endpoint of `service` in `region`, as its rule set would.
pub fn resolve(
    service: Service,
    region: Option<&str>,
    use_fips: bool,
    use_dual_stack: bool,
    endpoint: Option<&str>,
) -> Result<String, String> {
    if let Some(endpoint) = endpoint {
        if use_fips {
            return Err("Invalid Configuration: FIPS and custom endpoint are not supported".into());
        }
        if use_dual_stack {
            return Err(
                "Invalid Configuration: Dualstack and custom endpoint are not supported".into(),
            );
        }
        return Ok(endpoint.to_owned());
    }
    let region = region.ok_or("Invalid Configuration: Missing Region")?;
    if service == Service::Sts && region == "aws-global" && !use_fips && !use_dual_stack {
        return Ok("https://sts.amazonaws.com".to_owned());
    }
    let p = partitions::partition(region)
        .ok_or("no partition data")?
        .outputs;
    let host = service.host_prefix();
    let fips_host = match service {
        Service::Sts => "sts-fips",
        Service::Sso => "portal.sso-fips",
        Service::SsoOidc => "oidc-fips",
    };
    match (use_fips, use_dual_stack) {
        (true, true) => {
            if p.supports_fips && p.supports_dual_stack {
                Ok(format!(
                    "https://{fips_host}.{region}.{}",
                    p.dual_stack_dns_suffix
                ))
            } else {
                Err("FIPS and DualStack are enabled, but this partition does not support one or both".into())
            }
        }
        (true, false) => {
            if !p.supports_fips {
                return Err("FIPS is enabled but this partition does not support FIPS".into());
            }
            if p.name == "aws-us-gov" {
                Ok(format!("https://{host}.{region}.amazonaws.com"))
            } else {
                Ok(format!("https://{fips_host}.{region}.{}", p.dns_suffix))
            }
        }
        (false, true) => {
            if p.supports_dual_stack {
                Ok(format!(
                    "https://{host}.{region}.{}",
                    p.dual_stack_dns_suffix
                ))
            } else {
                Err("DualStack is enabled but this partition does not support DualStack".into())
            }
        }
        (false, false) => Ok(format!("https://{host}.{region}.{}", p.dns_suffix)),
    }
}

/// The endpoint URL configured for `service`, if any (see the module docs).
pub(crate) fn configured_endpoint_url(config: &ProviderConfig, service: Service) -> Option<String> {
    if bool_setting(
        config,
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "ignore_configured_endpoint_urls",
    ) == Some(true)
    {
        return None;
    }
    let key = service.config_key();
    let env = &config.env;
    if let Some(url) = env
        .get(&format!("AWS_ENDPOINT_URL_{}", key.to_ascii_uppercase()))
        .or_else(|| env.get("AWS_ENDPOINT_URL"))
    {
        return Some(url.trim().to_owned());
    }
    let set = config.profile_set().ok()?;
    let profile = set.selected()?;
    if let Some(section) = profile
        .get_nonempty("services")
        .and_then(|s| set.services(s))
    {
        if let Some((_, url)) = section
            .sub_properties(key)
            .into_iter()
            .find(|(k, _)| k == "endpoint_url")
        {
            return Some(url);
        }
    }
    profile.get_nonempty("endpoint_url").map(str::to_owned)
}

/// The endpoint for a call to `service` in `region` with `config`'s settings.
pub(crate) fn endpoint_for(
    config: &ProviderConfig,
    service: Service,
    region: Option<&str>,
) -> Result<String, String> {
    let configured = configured_endpoint_url(config, service);
    let (fips, dual) = if configured.is_some() {
        // An explicit URL wins; the flags only shape generated endpoints.
        (false, false)
    } else {
        (config.use_fips(), config.use_dual_stack())
    };
    resolve(service, region, fips, dual, configured.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_fips_dual_stack() {
        let r = |s, f, d| resolve(s, Some("us-east-1"), f, d, None).unwrap();
        assert_eq!(
            r(Service::Sts, false, false),
            "https://sts.us-east-1.amazonaws.com"
        );
        assert_eq!(
            r(Service::Sts, true, true),
            "https://sts-fips.us-east-1.api.aws"
        );
        assert_eq!(
            r(Service::Sso, true, true),
            "https://portal.sso-fips.us-east-1.api.aws"
        );
        assert_eq!(
            resolve(Service::Sts, Some("us-gov-west-1"), true, false, None).unwrap(),
            "https://sts.us-gov-west-1.amazonaws.com"
        );
        assert!(resolve(Service::Sts, None, false, false, None).is_err());
    }
}
