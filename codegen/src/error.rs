//! Generator errors. Each names the shape (and member) it is about.

use std::fmt;

/// Everything that can stop generation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The model file is not valid JSON.
    #[error("invalid JSON at line {line}, column {column}: {reason}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json reported.
        reason: String,
    },
    /// A shape does not have the structure its type requires.
    #[error("invalid shape `{shape}`: {reason}")]
    InvalidShape {
        /// The shape (or `shape$member`) id.
        shape: String,
        /// What is wrong.
        reason: String,
    },
    /// A reference points at a shape the model does not define.
    #[error("`{from}` targets `{target}`, which is not defined in the model")]
    MissingTarget {
        /// The referring shape or member id.
        from: String,
        /// The missing shape id.
        target: String,
    },
    /// The model uses a construct this generator does not support.
    #[error("unsupported construct in `{shape}`: {reason}")]
    Unsupported {
        /// The shape id.
        shape: String,
        /// What is unsupported.
        reason: String,
    },
    /// Two shapes or members would get the same Rust name (or file) in one namespace.
    #[error(
        "name collision among the {what}: {} and `{second}` both become `{name}`",
        first_owner(.first.as_deref())
    )]
    Collision {
        /// The namespace, e.g. ``types in `crate::types` ``.
        what: String,
        /// The Rust name (or path) both would get.
        name: String,
        /// The shape or member id that claimed it first; `None` for the generator's own
        /// item of that name.
        first: Option<String>,
        /// The other shape or member id.
        second: String,
    },
    /// An internal invariant of the generator does not hold (a bug, not a model problem).
    #[error("generator bug at `{shape}`: {reason}")]
    Internal {
        /// The shape, member or file concerned.
        shape: String,
        /// What does not hold.
        reason: String,
    },
    /// No service shape, or more than one without a choice.
    #[error("{0}")]
    Service(String),
    /// Operations were asked for that the service does not have.
    #[error("{}", unknown_operations(.unknown))]
    UnknownOperations {
        /// Each unknown name with its nearest known names.
        unknown: Vec<(String, Vec<String>)>,
    },
    /// Several errors found in one pass.
    #[error("{}", Many(.0))]
    Many(Vec<Error>),
}

fn first_owner(first: Option<&str>) -> String {
    match first {
        Some(id) => format!("`{id}`"),
        None => "the generated code's own item".to_string(),
    }
}

fn unknown_operations(unknown: &[(String, Vec<String>)]) -> String {
    let mut out = String::new();
    for (i, (name, near)) in unknown.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("unknown operation `{name}`"));
        if !near.is_empty() {
            out.push_str(&format!("; did you mean {}?", near.join(", ")));
        }
    }
    out
}

struct Many<'a>(&'a [Error]);

impl fmt::Display for Many<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problems in the model:", self.0.len())?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  - {e}")?;
        }
        Ok(())
    }
}

impl Error {
    /// Combines collected errors: none is `Ok`, one is itself, more are `Many`.
    pub fn collect(mut errors: Vec<Error>) -> Result<(), Error> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Error::Many(errors)),
        }
    }
}
