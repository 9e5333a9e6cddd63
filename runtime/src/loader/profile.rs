//! Reading the shared files for the loader: which files ([`ProfileFiles`], aws-config's
//! `profile_files(..)`), the selected profile, and the error when a file does not parse.
//!
//! The grammar, merge rules and file locations live in `crate::config::profile` (one parser
//! for the whole runtime); this module adds the loader's choices: a missing or unreadable file
//! is empty (logged), a file that does not parse fails every provider that needs profiles with
//! "could not parse profile file", as in aws-config.

use std::fmt;

pub use crate::config::profile::location;
use crate::config::profile::{read_file, FileStatus, Fs, Os};
pub use crate::config::profile::{Profile, ProfileFileKind, ProfileParseError, ProfileSet};
use crate::config::Env;

/// One file to read: a path (with `~` expanded), or contents given directly.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    Default(ProfileFileKind),
    Path(ProfileFileKind, String),
    Contents(ProfileFileKind, String),
}

/// Which shared files to read, in order (later files win).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileFiles {
    sources: Vec<Source>,
}

impl Default for ProfileFiles {
    /// The default config and credentials files.
    fn default() -> Self {
        ProfileFiles {
            sources: vec![
                Source::Default(ProfileFileKind::Config),
                Source::Default(ProfileFileKind::Credentials),
            ],
        }
    }
}

impl ProfileFiles {
    /// A builder that starts with no files.
    pub fn builder() -> ProfileFilesBuilder {
        ProfileFilesBuilder {
            sources: Vec::new(),
        }
    }
}

/// Builds [`ProfileFiles`].
#[derive(Clone, Debug)]
pub struct ProfileFilesBuilder {
    sources: Vec<Source>,
}

impl ProfileFilesBuilder {
    /// Adds the default file of `kind` (`~/.aws/config` or `~/.aws/credentials`, or their
    /// environment overrides).
    pub fn include_default_file(mut self, kind: ProfileFileKind) -> Self {
        self.sources.push(Source::Default(kind));
        self
    }

    /// Adds a file by path (`~` is expanded).
    pub fn with_file(mut self, kind: ProfileFileKind, path: impl Into<String>) -> Self {
        self.sources.push(Source::Path(kind, path.into()));
        self
    }

    /// Adds a file by contents.
    pub fn with_contents(mut self, kind: ProfileFileKind, contents: impl Into<String>) -> Self {
        self.sources.push(Source::Contents(kind, contents.into()));
        self
    }

    /// The files.
    pub fn build(self) -> ProfileFiles {
        ProfileFiles {
            sources: self.sources,
        }
    }
}

/// A profile file that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileFileError {
    path: String,
    error: ProfileParseError,
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not parse profile file `{}`: {}",
            self.path, self.error
        )
    }
}

impl std::error::Error for ProfileFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Reads and merges `files`; `profile_name` overrides `AWS_PROFILE`.
pub(crate) fn load(
    fs: &Fs,
    env: &Env,
    os: Os,
    files: &ProfileFiles,
    profile_name: Option<&str>,
) -> Result<ProfileSet, ProfileFileError> {
    let selected = profile_name
        .map(str::to_owned)
        .unwrap_or_else(|| location::selected_profile(env));
    let mut set = ProfileSet::empty(selected);
    for source in &files.sources {
        let (kind, path, text) = match source {
            Source::Contents(kind, text) => (*kind, "<contents>".to_owned(), text.clone()),
            Source::Default(kind) | Source::Path(kind, _) => {
                let path = match source {
                    Source::Path(_, p) => location::expand_home(p, env, os),
                    _ if *kind == ProfileFileKind::Config => location::config_file(env, os),
                    _ => location::credentials_file(env, os),
                };
                let file = read_file(fs, path);
                if let FileStatus::Unreadable(why) = &file.status {
                    tracing::debug!(path = ?file.path, why, "profile file not read");
                }
                (*kind, file.path.unwrap_or_default(), file.text)
            }
        };
        set.add_file(&text, kind)
            .map_err(|error| ProfileFileError { path, error })?;
    }
    Ok(set)
}
