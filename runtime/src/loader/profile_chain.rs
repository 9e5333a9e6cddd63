//! Turning the selected profile into a chain of credential sources, as aws-config does:
//!
//! * a profile with `role_arn` starts a role link; its source is `credential_source`
//!   (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`) or `source_profile`;
//! * a `source_profile` further down with static keys stops the chain there (static keys win
//!   in a source profile), a profile that names itself as source uses its own keys;
//! * a profile with `web_identity_token_file` is a web identity base (`role_arn` required);
//! * otherwise the base is SSO (`sso_session` / `sso_start_url`), then `credential_process`,
//!   then static keys;
//! * `mfa_serial` is refused: there is no way to prompt for a code;
//! * cycles and missing source profiles are configuration errors naming the profiles.

use std::collections::HashSet;

use super::profile::{Profile, ProfileSet};

/// Where the first credentials of a chain come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// Static keys from a profile.
    AccessKey {
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        account_id: Option<String>,
    },
    /// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`.
    NamedSource(String),
    /// `web_identity_token_file` + `role_arn`.
    WebIdentity {
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
    /// `credential_process`.
    Process {
        command: String,
        account_id: Option<String>,
    },
    /// SSO role credentials.
    Sso {
        account_id: Option<String>,
        role_name: Option<String>,
        start_url: String,
        region: String,
        session_name: Option<String>,
    },
}

/// One `AssumeRole` step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleLink {
    pub role_arn: String,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    pub duration_seconds: Option<u32>,
    pub profile: String,
}

/// A resolved chain: the base, then the roles to assume in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub base: Base,
    pub roles: Vec<RoleLink>,
}

/// Why a chain could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainError {
    /// The profile files define no profile at all.
    NoProfiles,
    /// The named profile does not exist.
    MissingProfile {
        name: String,
        referenced_by: Option<String>,
    },
    /// The profile has no credential source.
    NoCredentials(String),
    /// The configuration is wrong; the message says how.
    Invalid(String),
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainError::NoProfiles => f.write_str("No profiles were defined in the profile files"),
            ChainError::MissingProfile {
                name,
                referenced_by: None,
            } => {
                write!(f, "profile `{name}` was not defined")
            }
            ChainError::MissingProfile {
                name,
                referenced_by: Some(by),
            } => {
                write!(
                    f,
                    "could not find source profile {name} referenced from {by}"
                )
            }
            ChainError::NoCredentials(name) => write!(
                f,
                "profile `{name}` did not contain credential information (no \
                 aws_access_key_id / aws_secret_access_key, role_arn, credential_process, \
                 web_identity_token_file or SSO settings)"
            ),
            ChainError::Invalid(message) => f.write_str(message),
        }
    }
}

fn static_keys(profile: &Profile) -> Result<Option<Base>, ChainError> {
    let (access_key_id, secret_access_key) = match (
        profile.get_nonempty("aws_access_key_id"),
        profile.get_nonempty("aws_secret_access_key"),
    ) {
        (None, None) => return Ok(None),
        (Some(a), Some(s)) => (a, s),
        (Some(_), None) => {
            return Err(ChainError::Invalid(format!(
                "profile missing aws_secret_access_key (profile `{}`)",
                profile.name()
            )))
        }
        (None, Some(_)) => {
            return Err(ChainError::Invalid(format!(
                "profile missing aws_access_key_id (profile `{}`)",
                profile.name()
            )))
        }
    };
    Ok(Some(Base::AccessKey {
        access_key_id: access_key_id.to_owned(),
        secret_access_key: secret_access_key.to_owned(),
        session_token: profile.get_nonempty("aws_session_token").map(str::to_owned),
        account_id: profile.get_nonempty("aws_account_id").map(str::to_owned),
    }))
}

fn web_identity(profile: &Profile) -> Option<Result<Base, ChainError>> {
    let token_file = profile.get_nonempty("web_identity_token_file")?;
    let Some(role_arn) = profile.get_nonempty("role_arn") else {
        return Some(Err(ChainError::Invalid(
            "`web_identity_token_file` was specified but `role_arn` was missing".to_owned(),
        )));
    };
    Some(Ok(Base::WebIdentity {
        token_file: token_file.to_owned(),
        role_arn: role_arn.to_owned(),
        session_name: profile.get_nonempty("role_session_name").map(str::to_owned),
    }))
}

/// SSO settings of a profile: legacy (`sso_start_url` + `sso_region` in the profile) or
/// `sso_session` (start URL and region in the `[sso-session]` section). A profile with a session
/// but without account and role is a token-only profile: it resolves, and loading credentials
/// from it fails with a message saying so.
fn sso(set: &ProfileSet, profile: &Profile) -> Option<Result<Base, ChainError>> {
    let session_name = profile.get_nonempty("sso_session");
    let account = profile.get_nonempty("sso_account_id");
    let role = profile.get_nonempty("sso_role_name");
    let legacy_url = profile.get_nonempty("sso_start_url");
    if session_name.is_none() && legacy_url.is_none() && account.is_none() && role.is_none() {
        return None;
    }
    let name = profile.name();
    let invalid = |m: String| Some(Err(ChainError::Invalid(m)));
    let (start_url, region) = match session_name {
        Some(session) => {
            let Some(section) = set.sso_session(session) else {
                return invalid(format!(
                    "sso-session named `{session}` (referenced by profile `{name}`) was not found"
                ));
            };
            if profile.get_nonempty("sso_region").is_some() {
                return invalid(
                    "`sso_region` can only be specified in the [sso-session] config when a \
                     session name is given"
                        .to_owned(),
                );
            }
            let url = section.get_nonempty("sso_start_url");
            if let (Some(legacy), Some(url)) = (legacy_url, url) {
                if legacy != url {
                    return invalid(format!(
                        "profile `{name}` has an sso_start_url that differs from its sso-session's"
                    ));
                }
            }
            (url, section.get_nonempty("sso_region"))
        }
        None => (legacy_url, profile.get_nonempty("sso_region")),
    };
    match (account, role) {
        (None, Some(_)) => {
            return invalid(
                "if `sso_role_name` is set, then `sso_account_id` must also be set".into(),
            )
        }
        (Some(_), None) => {
            return invalid(
                "if `sso_account_id` is set, then `sso_role_name` must also be set".into(),
            )
        }
        _ => {}
    }
    let (Some(start_url), Some(region)) = (start_url, region) else {
        return invalid(format!(
            "profile `{name}` is missing SSO settings: sso_start_url and sso_region are required"
        ));
    };
    Some(Ok(Base::Sso {
        account_id: account.map(str::to_owned),
        role_name: role.map(str::to_owned),
        start_url: start_url.to_owned(),
        region: region.to_owned(),
        session_name: session_name.map(str::to_owned),
    }))
}

/// The base of a profile without `role_arn`.
fn base(set: &ProfileSet, profile: &Profile) -> Result<Base, ChainError> {
    if let Some(source) = profile.get_nonempty("credential_source") {
        return Ok(Base::NamedSource(source.to_owned()));
    }
    if let Some(result) = web_identity(profile) {
        return result;
    }
    if let Some(result) = sso(set, profile) {
        return result;
    }
    if let Some(command) = profile.get_nonempty("credential_process") {
        return Ok(Base::Process {
            command: command.to_owned(),
            account_id: profile.get_nonempty("aws_account_id").map(str::to_owned),
        });
    }
    static_keys(profile)?.ok_or_else(|| ChainError::NoCredentials(profile.name().to_owned()))
}

fn role_link(profile: &Profile, role_arn: &str) -> Result<RoleLink, ChainError> {
    if profile.get_nonempty("mfa_serial").is_some() {
        return Err(ChainError::Invalid(format!(
            "profile `{}` sets mfa_serial: assuming a role with MFA needs a token code, which \
             this loader cannot prompt for; use credentials that do not need MFA",
            profile.name()
        )));
    }
    let duration_seconds = match profile.get_nonempty("duration_seconds") {
        None => None,
        Some(d) => Some(d.parse::<u32>().map_err(|_| {
            ChainError::Invalid(format!(
                "profile `{}`: duration_seconds `{d}` is not a whole number of seconds",
                profile.name()
            ))
        })?),
    };
    Ok(RoleLink {
        role_arn: role_arn.to_owned(),
        external_id: profile.get_nonempty("external_id").map(str::to_owned),
        session_name: profile.get_nonempty("role_session_name").map(str::to_owned),
        duration_seconds,
        profile: profile.name().to_owned(),
    })
}

/// Resolves the chain of the selected profile.
pub fn resolve(set: &ProfileSet) -> Result<Chain, ChainError> {
    if set.profile_names().next().is_none() {
        return Err(ChainError::NoProfiles);
    }
    let mut name = set.selected_profile().to_owned();
    let mut referenced_by: Option<String> = None;
    let mut visited: HashSet<String> = HashSet::new();
    let mut roles = Vec::new();
    let base = loop {
        let Some(profile) = set.get_profile(&name) else {
            return Err(ChainError::MissingProfile {
                name,
                referenced_by,
            });
        };
        if !visited.insert(name.clone()) {
            return Err(ChainError::Invalid(format!(
                "profile formed an infinite loop (profile `{name}` is its own source)"
            )));
        }
        // In a source profile, static keys win over a role.
        if !roles.is_empty() {
            if let Some(keys) = static_keys(profile)? {
                break keys;
            }
        }
        let Some(role_arn) = profile.get_nonempty("role_arn") else {
            break base(set, profile)?;
        };
        if let Some(result) = web_identity(profile) {
            break result?;
        }
        roles.push(role_link(profile, role_arn)?);
        match (
            profile.get_nonempty("source_profile"),
            profile.get_nonempty("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(ChainError::Invalid(format!(
                    "profile contained both source_profile and credential_source (profile `{name}`)"
                )))
            }
            (None, Some(source)) => break Base::NamedSource(source.to_owned()),
            (Some(source), None) if source == name => {
                break static_keys(profile)?.ok_or_else(|| {
                    ChainError::Invalid(format!(
                        "profile `{name}` is its own source_profile but has no static keys"
                    ))
                })?;
            }
            (Some(source), None) => {
                referenced_by = Some(name.clone());
                name = source.to_owned();
            }
            (None, None) => {
                return Err(ChainError::Invalid(format!(
                    "profile must contain `source_profile` or `credential_source` when it sets \
                     role_arn (profile `{name}`)"
                )))
            }
        }
    };
    roles.reverse();
    Ok(Chain { base, roles })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(config: &str, selected: &str) -> Result<Chain, ChainError> {
        resolve(&ProfileSet::parse(config, "", selected).unwrap())
    }

    #[test]
    fn role_wins_in_selected_keys_win_in_source() {
        let c = chain(
            "[profile a]\nrole_arn = r1\nsource_profile = b\naws_access_key_id = x\naws_secret_access_key = y\n\
             [profile b]\nrole_arn = r2\nsource_profile = c\naws_access_key_id = k\naws_secret_access_key = s\n\
             [profile c]\naws_access_key_id = no\naws_secret_access_key = no\n",
            "a",
        )
        .unwrap();
        assert_eq!(c.roles.len(), 1);
        assert!(
            matches!(c.base, Base::AccessKey { ref access_key_id, .. } if access_key_id == "k")
        );
    }

    #[test]
    fn cycles_mfa_and_missing_profiles_are_errors() {
        assert!(matches!(
            chain("[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = a\n", "a"),
            Err(ChainError::Invalid(m)) if m.contains("infinite loop")
        ));
        assert!(matches!(
            chain("[profile a]\nrole_arn = r\nmfa_serial = m\nsource_profile = a\naws_access_key_id = k\naws_secret_access_key = s\n", "a"),
            Err(ChainError::Invalid(m)) if m.contains("mfa_serial")
        ));
        assert!(matches!(
            chain("[profile a]\nrole_arn = r\nsource_profile = zz\n", "a"),
            Err(ChainError::MissingProfile { .. })
        ));
    }
}
