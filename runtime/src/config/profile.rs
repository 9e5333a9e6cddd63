//! The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`):
//! just enough of the format to read a profile's region, flags and static keys.
//!
//! Format facts followed here (as in the AWS SDKs' shared-config spec):
//! * In the config file, profiles are `[profile name]`, except the default profile, which may
//!   be `[default]`; other sections (`[sso-session x]`, `[services x]`) are not profiles.
//! * In the credentials file, sections are bare profile names (`[name]`).
//! * A profile's properties from the credentials file win over those from the config file.
//! * Lines starting with `#` or `;` are comments; in a value, `#` or `;` preceded by
//!   whitespace starts a comment. Indented lines continue the previous property
//!   (sub-properties, as used by `s3 =`); we have no use for them and skip them.
//! * Property names are compared case-insensitively.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Env;

/// One file's parse result: profile name -> properties.
type Profiles = HashMap<String, HashMap<String, String>>;

/// What happened when a file was read, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FileStatus {
    /// No path could be determined (no home directory and no override variable).
    NoPath,
    /// The file does not exist or could not be read.
    Unreadable(String),
    /// The file was read.
    Read,
}

/// The selected profile, merged from both files.
#[derive(Clone, Debug)]
pub(crate) struct Loaded {
    /// The selected profile's name (`AWS_PROFILE`, default `default`).
    pub(crate) profile_name: String,
    /// Its properties (keys lower case), credentials file over config file.
    pub(crate) properties: HashMap<String, String>,
    /// The config file's path, if one could be determined.
    pub(crate) config_path: Option<PathBuf>,
    /// What happened when the config file was read.
    pub(crate) config_status: FileStatus,
    /// The credentials file's path, if one could be determined.
    pub(crate) credentials_path: Option<PathBuf>,
    /// What happened when the credentials file was read.
    pub(crate) credentials_status: FileStatus,
    /// Whether the profile exists in either file.
    pub(crate) found: bool,
}

impl Loaded {
    /// A property of the selected profile.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The config file path and its status, for messages.
    pub(crate) fn config_path_display(&self) -> String {
        describe(self.config_path.as_deref(), &self.config_status)
    }

    /// The credentials file path and its status, for messages.
    pub(crate) fn credentials_path_display(&self) -> String {
        describe(self.credentials_path.as_deref(), &self.credentials_status)
    }
}

fn describe(path: Option<&Path>, status: &FileStatus) -> String {
    match (path, status) {
        (None, _) | (_, FileStatus::NoPath) => "<no home directory>".to_owned(),
        (Some(path), FileStatus::Read) => path.display().to_string(),
        (Some(path), FileStatus::Unreadable(why)) => format!("{} ({why})", path.display()),
    }
}

/// The user's home directory according to `env`.
fn home_dir(env: &Env) -> Option<PathBuf> {
    if let Some(home) = env.get("HOME") {
        return Some(PathBuf::from(home));
    }
    if cfg!(windows) {
        if let Some(profile) = env.get("USERPROFILE") {
            return Some(PathBuf::from(profile));
        }
        if let (Some(drive), Some(path)) = (env.get("HOMEDRIVE"), env.get("HOMEPATH")) {
            return Some(PathBuf::from(format!("{drive}{path}")));
        }
    }
    None
}

/// The path of a file: the override variable (with a leading `~` expanded), else
/// `~/.aws/<name>`.
fn file_path(env: &Env, var: &str, name: &str) -> Option<PathBuf> {
    match env.get(var) {
        Some(path) => {
            let rest = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\"));
            match rest {
                Some(rest) => home_dir(env).map(|home| home.join(rest)),
                None => Some(PathBuf::from(path)),
            }
        }
        None => home_dir(env).map(|home| home.join(".aws").join(name)),
    }
}

fn read(path: Option<&Path>) -> (String, FileStatus) {
    match path {
        None => (String::new(), FileStatus::NoPath),
        Some(path) => match std::fs::read(path) {
            // Invalid UTF-8 is replaced rather than rejected: a stray byte in a comment
            // should not hide the whole file.
            Ok(bytes) => (
                String::from_utf8_lossy(&bytes).into_owned(),
                FileStatus::Read,
            ),
            Err(err) => (
                String::new(),
                FileStatus::Unreadable(if err.kind() == std::io::ErrorKind::NotFound {
                    "not found".to_owned()
                } else {
                    err.to_string()
                }),
            ),
        },
    }
}

/// Loads the selected profile from both files. Never fails: problems are recorded in the
/// statuses and surface in error messages.
pub(crate) fn load(env: &Env) -> Loaded {
    let profile_name = env
        .get("AWS_PROFILE")
        .map(|p| p.trim().to_owned())
        .unwrap_or_else(|| "default".to_owned());
    let config_path = file_path(env, "AWS_CONFIG_FILE", "config");
    let credentials_path = file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let (config_text, config_status) = read(config_path.as_deref());
    let (credentials_text, credentials_status) = read(credentials_path.as_deref());

    let mut config = parse(&config_text, FileKind::Config);
    let mut credentials = parse(&credentials_text, FileKind::Credentials);
    let from_config = config.remove(&profile_name);
    let from_credentials = credentials.remove(&profile_name);
    let found = from_config.is_some() || from_credentials.is_some();
    let mut properties = from_config.unwrap_or_default();
    properties.extend(from_credentials.unwrap_or_default());
    Loaded {
        profile_name,
        properties,
        config_path,
        config_status,
        credentials_path,
        credentials_status,
        found,
    }
}

/// Which file is being parsed: section names differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Config,
    Credentials,
}

/// The profile name a section header denotes, or `None` for non-profile sections.
fn profile_name(header: &str, kind: FileKind) -> Option<String> {
    let header = header.trim();
    match kind {
        FileKind::Credentials => Some(header.to_owned()),
        FileKind::Config => {
            if header == "default" {
                return Some(header.to_owned());
            }
            let rest = header.strip_prefix("profile")?;
            // `[profile]` alone or `[profilefoo]` are not profiles.
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            let name = rest.trim();
            (!name.is_empty()).then(|| name.to_owned())
        }
    }
}

/// Removes an inline comment: `#` or `;` preceded by whitespace.
fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if (*b == b'#' || *b == b';') && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return &value[..i];
        }
    }
    value
}

/// Parses one file. Malformed lines are skipped rather than rejected: one bad line should
/// not make every other profile unusable.
pub(crate) fn parse(text: &str, kind: FileKind) -> Profiles {
    let mut profiles: Profiles = HashMap::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[') {
            current = section
                .split_once(']')
                .and_then(|(inner, _)| profile_name(inner, kind));
            if let Some(name) = &current {
                profiles.entry(name.clone()).or_default();
            }
            continue;
        }
        // Indented lines continue the previous property (sub-properties).
        if raw.starts_with([' ', '\t']) {
            continue;
        }
        let Some(name) = &current else { continue };
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            continue;
        }
        let value = strip_inline_comment(value).trim().to_owned();
        if let Some(props) = profiles.get_mut(name) {
            props.insert(key, value);
        }
    }
    profiles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_sections() {
        let text = "\
# comment
[default]
region = us-east-1
[profile dev]
region=eu-west-1 ; inline comment
s3 =
  max_concurrent_requests = 10
[sso-session corp]
region = ap-south-1
[profilex]
region = nope
[ profile   spaced ]
Region = ca-central-1
";
        let p = parse(text, FileKind::Config);
        assert_eq!(p["default"]["region"], "us-east-1");
        assert_eq!(p["dev"]["region"], "eu-west-1");
        assert_eq!(p["dev"]["s3"], "");
        assert!(!p["dev"].contains_key("max_concurrent_requests"));
        assert_eq!(p["spaced"]["region"], "ca-central-1");
        assert!(!p.contains_key("corp"));
        assert!(!p.contains_key("sso-session corp"));
        assert!(!p.contains_key("x"));
    }

    #[test]
    fn credentials_file_sections() {
        let text =
            "[default]\naws_access_key_id = AKID\naws_secret_access_key = se#cret\n[other]\nx=1\n";
        let p = parse(text, FileKind::Credentials);
        assert_eq!(p["default"]["aws_access_key_id"], "AKID");
        // `#` not preceded by whitespace is part of the value.
        assert_eq!(p["default"]["aws_secret_access_key"], "se#cret");
        assert_eq!(p["other"]["x"], "1");
    }

    #[test]
    fn garbage_does_not_panic() {
        for text in [
            "[",
            "]",
            "[]",
            "=",
            "[default]\n=x\n",
            "\u{0}[default\n",
            "[profile ]",
        ] {
            let _ = parse(text, FileKind::Config);
            let _ = parse(text, FileKind::Credentials);
        }
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(text in "(?s).{0,300}") {
            let _ = parse(&text, FileKind::Config);
            let _ = parse(&text, FileKind::Credentials);
        }
    }
}
