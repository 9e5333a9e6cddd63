//! Where the shared config and credentials files are: `AWS_CONFIG_FILE` /
//! `AWS_SHARED_CREDENTIALS_FILE` (a leading `~` expanded), else `~/.aws/config` and
//! `~/.aws/credentials`; the home directory is `HOME`, and on Windows then `USERPROFILE`,
//! then `HOMEDRIVE` + `HOMEPATH` (as in `file-location-tests.json`).
//!
//! Paths are built as strings with the platform's separator so that the Windows rules can be
//! tested on any host.

use crate::config::Env;

/// The operating system family whose rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    /// Windows: `\` separators and the `USERPROFILE` / `HOMEDRIVE` fallbacks.
    Windows,
    /// Everything else.
    Unix,
}

impl Os {
    /// The OS this program runs on.
    pub fn current() -> Self {
        if cfg!(windows) {
            Os::Windows
        } else {
            Os::Unix
        }
    }

    fn separator(self) -> char {
        match self {
            Os::Windows => '\\',
            Os::Unix => '/',
        }
    }
}

/// The user's home directory according to `env`.
pub fn home_dir(env: &Env, os: Os) -> Option<String> {
    if let Some(home) = env.get("HOME") {
        return Some(home);
    }
    if os == Os::Windows {
        if let Some(profile) = env.get("USERPROFILE") {
            return Some(profile);
        }
        if let (Some(drive), Some(path)) = (env.get("HOMEDRIVE"), env.get("HOMEPATH")) {
            return Some(format!("{drive}{path}"));
        }
    }
    None
}

/// Expands a leading `~` (alone, or followed by a separator) to the home directory.
pub fn expand_home(path: &str, env: &Env, os: Os) -> Option<String> {
    let rest = match path.strip_prefix('~') {
        None => return Some(path.to_owned()),
        Some(rest) => rest,
    };
    if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with(os.separator())) {
        // `~user/..` is not expanded by the SDKs either.
        return Some(path.to_owned());
    }
    home_dir(env, os).map(|home| format!("{home}{rest}"))
}

/// The path of one of the two files: the override variable, else `~/.aws/<name>`.
pub fn file_path(env: &Env, os: Os, var: &str, name: &str) -> Option<String> {
    match env.get(var) {
        Some(path) => expand_home(path.trim(), env, os),
        None => home_dir(env, os).map(|home| {
            let sep = os.separator();
            format!("{home}{sep}.aws{sep}{name}")
        }),
    }
}

/// The shared config file's path.
pub fn config_file(env: &Env, os: Os) -> Option<String> {
    file_path(env, os, "AWS_CONFIG_FILE", "config")
}

/// The shared credentials file's path.
pub fn credentials_file(env: &Env, os: Os) -> Option<String> {
    file_path(env, os, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

/// The selected profile: `AWS_PROFILE`, else `default`.
pub fn selected_profile(env: &Env) -> String {
    env.get("AWS_PROFILE")
        .map(|p| p.trim().to_owned())
        .unwrap_or_else(|| "default".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expansion() {
        let env = Env::from_vars([("HOME", "/h")]);
        assert_eq!(expand_home("~/x", &env, Os::Unix).as_deref(), Some("/h/x"));
        assert_eq!(expand_home("~", &env, Os::Unix).as_deref(), Some("/h"));
        assert_eq!(
            expand_home("~bob/x", &env, Os::Unix).as_deref(),
            Some("~bob/x")
        );
        assert_eq!(expand_home("/abs", &env, Os::Unix).as_deref(), Some("/abs"));
        let none = Env::from_vars::<[(&str, &str); 0], _, _>([]);
        assert_eq!(expand_home("~/x", &none, Os::Unix), None);
    }
}
