//! The one error type of the endpoint rules engine.

use std::fmt;

/// What went wrong while loading a rule set or resolving an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointErrorKind {
    /// The rule set document is malformed (bad shape, unknown function, undefined reference).
    InvalidRuleSet,
    /// The parameters do not fit the rule set (missing required value, wrong type, unknown name).
    InvalidParams,
    /// An `error` rule of the rule set was selected; the message is the rule's own.
    Rule,
    /// Evaluation hit a value of the wrong type, or a tree rule ran out of sub-rules.
    Evaluation,
}

/// Error from [`RuleSet`](super::RuleSet) loading or resolution.
///
/// For [`EndpointErrorKind::Rule`], `Display` prints exactly the rule's message (for example
/// "Invalid Configuration: FIPS and custom endpoint are not supported"), because that text is
/// written for end users and the official test suites compare it verbatim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    kind: EndpointErrorKind,
    message: String,
}

impl EndpointError {
    pub(crate) fn new(kind: EndpointErrorKind, message: impl Into<String>) -> Self {
        EndpointError {
            kind,
            message: message.into(),
        }
    }

    /// A malformed rule set; `at` names the place, such as `rules[1].conditions[0]`.
    pub(crate) fn invalid(at: &str, what: impl fmt::Display) -> Self {
        Self::new(EndpointErrorKind::InvalidRuleSet, format!("{at}: {what}"))
    }

    pub(crate) fn params(message: impl Into<String>) -> Self {
        Self::new(EndpointErrorKind::InvalidParams, message)
    }

    pub(crate) fn eval(message: impl Into<String>) -> Self {
        Self::new(EndpointErrorKind::Evaluation, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> EndpointErrorKind {
        self.kind
    }

    /// The message without the kind prefix; for a rule error, the rule's message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            EndpointErrorKind::Rule => f.write_str(&self.message),
            EndpointErrorKind::InvalidRuleSet => {
                write!(f, "invalid endpoint rule set: {}", self.message)
            }
            EndpointErrorKind::InvalidParams => {
                write!(f, "invalid endpoint parameters: {}", self.message)
            }
            EndpointErrorKind::Evaluation => {
                write!(f, "endpoint resolution failed: {}", self.message)
            }
        }
    }
}

impl std::error::Error for EndpointError {}
