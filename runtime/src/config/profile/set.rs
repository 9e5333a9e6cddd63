//! Profiles, `[sso-session]` and `[services]` sections from both files, normalized and merged
//! as the shared-config spec says:
//!
//! * config file: `[default]` or `[profile NAME]` are profiles; `[profileX]`, `[foo]` and
//!   other headers are ignored; if any `[profile default]` exists, `[default]` sections of that
//!   file are ignored; `[sso-session NAME]` and `[services NAME]` are their own sections;
//! * credentials file: every `[NAME]` is a profile (so `[profile foo]` is an invalid name);
//! * names of profiles and properties may only use letters, digits and `_-/.%@:+`: sections
//!   and properties with other names are ignored (with a debug log), not errors;
//! * property names are case-insensitive (stored lower case); duplicates merge, the last
//!   definition wins, and the credentials file wins over the config file.

use std::collections::BTreeMap;

use super::parser::{self, ProfileParseError};

/// Which of the two shared files a text came from; their section rules differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProfileFileKind {
    /// `~/.aws/config`.
    Config,
    /// `~/.aws/credentials`.
    Credentials,
}

/// One named section: a profile, an `sso-session` or a `services` section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
}

impl Profile {
    /// Creates a section from its name and properties (for tests and embedders).
    pub fn new<I, K, V>(name: impl Into<String>, properties: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        Profile {
            name: name.into(),
            properties: properties
                .into_iter()
                .map(|(k, v)| (k.as_ref().to_ascii_lowercase(), v.into()))
                .collect(),
        }
    }

    /// The section's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A property, looked up case-insensitively. Empty values count as set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// A property that is set to a non-blank value.
    pub fn get_nonempty(&self, key: &str) -> Option<&str> {
        self.get(key).map(str::trim).filter(|v| !v.is_empty())
    }

    /// All properties, keys lower case, sorted.
    pub fn properties(&self) -> impl Iterator<Item = (&str, &str)> {
        self.properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The sub-properties of a property (`s3 =\n  max = 1`), keys lower case.
    pub fn sub_properties(&self, key: &str) -> Vec<(String, String)> {
        self.get(key)
            .map(parser::sub_properties)
            .unwrap_or_default()
    }
}

/// Everything read from the shared files, plus the selected profile's name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Profile>,
    services: BTreeMap<String, Profile>,
    selected: String,
}

/// Whether `name` only uses the characters the spec allows in profile and property names.
pub fn is_valid_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// `prefix` followed by at least one blank, then the rest trimmed.
fn prefixed<'a>(header: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = header.strip_prefix(prefix)?;
    rest.starts_with([' ', '\t']).then(|| rest.trim())
}

enum SectionKind {
    Profile,
    SsoSession,
    Services,
}

impl ProfileSet {
    /// An empty set with `selected` as the selected profile name.
    pub fn empty(selected: impl Into<String>) -> Self {
        ProfileSet {
            selected: selected.into(),
            ..ProfileSet::default()
        }
    }

    /// Parses the two files' texts (either may be empty).
    pub fn parse(
        config: &str,
        credentials: &str,
        selected: impl Into<String>,
    ) -> Result<Self, ProfileParseError> {
        let mut set = ProfileSet::empty(selected);
        set.add_file(config, ProfileFileKind::Config)?;
        set.add_file(credentials, ProfileFileKind::Credentials)?;
        Ok(set)
    }

    /// Parses one more file and merges it over what is already there.
    pub fn add_file(&mut self, text: &str, kind: ProfileFileKind) -> Result<(), ProfileParseError> {
        let sections = parser::parse(text)?;
        let has_prefixed_default = kind == ProfileFileKind::Config
            && sections
                .iter()
                .any(|s| prefixed(&s.header, "profile") == Some("default"));
        for section in sections {
            let (section_kind, name) = match kind {
                ProfileFileKind::Credentials => (SectionKind::Profile, section.header.as_str()),
                ProfileFileKind::Config => {
                    if section.header == "default" {
                        if has_prefixed_default {
                            tracing::debug!(
                                "ignoring [default]: [profile default] is also present"
                            );
                            continue;
                        }
                        (SectionKind::Profile, "default")
                    } else if let Some(name) = prefixed(&section.header, "profile") {
                        (SectionKind::Profile, name)
                    } else if let Some(name) = prefixed(&section.header, "sso-session") {
                        (SectionKind::SsoSession, name)
                    } else if let Some(name) = prefixed(&section.header, "services") {
                        (SectionKind::Services, name)
                    } else {
                        tracing::debug!(header = %section.header, "ignoring config file section");
                        continue;
                    }
                }
            };
            if !is_valid_identifier(name) {
                tracing::debug!(name, "ignoring section with an invalid name");
                continue;
            }
            let map = match section_kind {
                SectionKind::Profile => &mut self.profiles,
                SectionKind::SsoSession => &mut self.sso_sessions,
                SectionKind::Services => &mut self.services,
            };
            let entry = map.entry(name.to_owned()).or_insert_with(|| Profile {
                name: name.to_owned(),
                properties: BTreeMap::new(),
            });
            for (key, value) in section.properties {
                if is_valid_identifier(&key) {
                    entry.properties.insert(key.to_ascii_lowercase(), value);
                } else {
                    tracing::debug!(key, "ignoring property with an invalid name");
                }
            }
        }
        Ok(())
    }

    /// The selected profile's name.
    pub fn selected_profile(&self) -> &str {
        &self.selected
    }

    /// Changes the selected profile.
    pub fn set_selected_profile(&mut self, name: impl Into<String>) {
        self.selected = name.into();
    }

    /// A profile by name.
    pub fn get_profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The selected profile, if it exists.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// A property of the selected profile.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.selected().and_then(|p| p.get(key))
    }

    /// An `[sso-session NAME]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// A `[services NAME]` section.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    /// All profile names, sorted.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// All profiles, by name.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    /// All sso-session sections, by name.
    pub fn sso_sessions(&self) -> impl Iterator<Item = &Profile> {
        self.sso_sessions.values()
    }

    /// Whether no profile and no other section was found.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty() && self.sso_sessions.is_empty() && self.services.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_sections_and_sub_properties() {
        let set = ProfileSet::parse(
            "[profile a]\nservices = s\n[services s]\nsts =\n  endpoint_url = http://x\n",
            "",
            "a",
        )
        .unwrap();
        let services = set.services("s").unwrap();
        assert_eq!(
            services.sub_properties("STS"),
            vec![("endpoint_url".to_owned(), "http://x".to_owned())]
        );
        assert_eq!(set.get("services"), Some("s"));
    }

    #[test]
    fn credentials_win_over_config() {
        let set =
            ProfileSet::parse("[default]\nx = 1\ny = 2", "[default]\nx = 3", "default").unwrap();
        assert_eq!(set.get("x"), Some("3"));
        assert_eq!(set.get("Y"), Some("2"));
    }
}
