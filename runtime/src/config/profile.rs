//! The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`).
//!
//! There is one parser ([`parser`]) and one model ([`set::ProfileSet`]), used both by the
//! client's small built-in resolution (region, flags and static keys, through [`load`]) and by
//! the full loader (`crate::loader`, feature `config-loader`). The grammar and merge rules are
//! the cross-SDK spec's; see the submodules.
//!
//! Reading never panics. Missing files are empty; a file that does not parse is reported
//! (the loader fails with the parse error and its line, the client's built-in resolution names
//! it in its "no credentials" message and ignores the file).

// Without the loader, only the client's small resolution uses this module; the rest of the
// API is the loader's.
#![cfg_attr(not(feature = "config-loader"), allow(dead_code, unused_imports))]

use super::Env;

pub mod fs;
pub mod location;
pub(crate) mod parser;
pub mod set;

pub use fs::Fs;
pub use location::Os;
pub use parser::ProfileParseError;
pub use set::{Profile, ProfileFileKind, ProfileSet};

/// What happened when a file was read, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FileStatus {
    /// No path could be determined (no home directory and no override variable).
    NoPath,
    /// The file does not exist or could not be read.
    Unreadable(String),
    /// The file was read but does not parse; it was ignored.
    Invalid(String),
    /// The file was read.
    Read,
}

/// One file as read: its path, status and text.
#[derive(Clone, Debug)]
pub(crate) struct ReadFile {
    pub(crate) path: Option<String>,
    pub(crate) status: FileStatus,
    pub(crate) text: String,
}

impl ReadFile {
    /// The path and its status, for messages.
    pub(crate) fn display(&self) -> String {
        match (&self.path, &self.status) {
            (None, _) | (_, FileStatus::NoPath) => "<no home directory>".to_owned(),
            (Some(path), FileStatus::Read) => path.clone(),
            (Some(path), FileStatus::Unreadable(why) | FileStatus::Invalid(why)) => {
                format!("{path} ({why})")
            }
        }
    }
}

/// Reads `path` through `fs`. Invalid UTF-8 is replaced rather than rejected: a stray byte in a
/// comment should not hide the whole file.
pub(crate) fn read_file(fs: &Fs, path: Option<String>) -> ReadFile {
    let Some(path) = path else {
        return ReadFile {
            path: None,
            status: FileStatus::NoPath,
            text: String::new(),
        };
    };
    match fs.read(&path) {
        Ok(bytes) => ReadFile {
            path: Some(path),
            status: FileStatus::Read,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        },
        Err(err) => ReadFile {
            path: Some(path),
            status: FileStatus::Unreadable(if err.kind() == std::io::ErrorKind::NotFound {
                "not found".to_owned()
            } else {
                err.to_string()
            }),
            text: String::new(),
        },
    }
}

/// The selected profile, merged from both files (the client's built-in resolution).
#[derive(Clone, Debug)]
pub(crate) struct Loaded {
    /// The selected profile's name (`AWS_PROFILE`, default `default`).
    pub(crate) profile_name: String,
    /// Everything read, with the selected profile set.
    pub(crate) set: ProfileSet,
    pub(crate) config: ReadFile,
    pub(crate) credentials: ReadFile,
    /// Whether the profile exists in either file.
    pub(crate) found: bool,
}

impl Loaded {
    /// A non-blank property of the selected profile.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.set
            .selected()
            .and_then(|p| p.get(key))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// The config file path and its status, for messages.
    pub(crate) fn config_path_display(&self) -> String {
        self.config.display()
    }

    /// The credentials file path and its status, for messages.
    pub(crate) fn credentials_path_display(&self) -> String {
        self.credentials.display()
    }
}

/// Loads both files from the real file system and merges them. A file that fails to parse is
/// ignored and marked [`FileStatus::Invalid`].
pub(crate) fn load(env: &Env) -> Loaded {
    let os = Os::current();
    let fs = Fs::real();
    let profile_name = location::selected_profile(env);
    let mut config = read_file(&fs, location::config_file(env, os));
    let mut credentials = read_file(&fs, location::credentials_file(env, os));
    let mut set = ProfileSet::empty(profile_name.clone());
    for (file, kind) in [
        (&mut config, ProfileFileKind::Config),
        (&mut credentials, ProfileFileKind::Credentials),
    ] {
        // `add_file` parses the whole text before merging, so a failed file adds nothing.
        if let Err(err) = set.add_file(&file.text, kind) {
            file.status = FileStatus::Invalid(format!("could not parse: {err}"));
        }
    }
    let found = set.selected().is_some();
    Loaded {
        profile_name,
        set,
        config,
        credentials,
        found,
    }
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
        let p = ProfileSet::parse(text, "", "default").unwrap();
        assert_eq!(
            p.get_profile("default").unwrap().get("region"),
            Some("us-east-1")
        );
        let dev = p.get_profile("dev").unwrap();
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.get("s3"), Some("\nmax_concurrent_requests = 10"));
        assert_eq!(dev.get("max_concurrent_requests"), None);
        assert_eq!(
            p.get_profile("spaced").unwrap().get("region"),
            Some("ca-central-1")
        );
        assert!(p.get_profile("corp").is_none());
        assert!(p.sso_session("corp").is_some());
        assert!(p.get_profile("x").is_none());
    }

    #[test]
    fn credentials_file_sections() {
        let text =
            "[default]\naws_access_key_id = AKID\naws_secret_access_key = se#cret\n[other]\nx=1\n";
        let p = ProfileSet::parse("", text, "default").unwrap();
        assert_eq!(p.get("aws_access_key_id"), Some("AKID"));
        // `#` not preceded by whitespace is part of the value.
        assert_eq!(p.get("aws_secret_access_key"), Some("se#cret"));
        assert_eq!(p.get_profile("other").unwrap().get("x"), Some("1"));
    }

    #[test]
    fn unparsable_file_is_reported_not_fatal() {
        let dir = std::env::temp_dir().join(format!("awsjson-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(&config, "[default]\nregion = eu-west-1\nbroken line\n").unwrap();
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", config.to_string_lossy().into_owned()),
            ("HOME", dir.to_string_lossy().into_owned()),
        ]);
        let loaded = load(&env);
        assert!(!loaded.found);
        assert!(
            loaded.config_path_display().contains("could not parse"),
            "{}",
            loaded.config_path_display()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(text in "(?s).{0,300}") {
            let _ = ProfileSet::parse(&text, "", "default");
            let _ = ProfileSet::parse("", &text, "default");
        }
    }
}
