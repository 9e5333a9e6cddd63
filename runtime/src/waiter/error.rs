//! [`WaiterError`]: aws-smithy-runtime-api's waiter error (same variants, constructors,
//! accessors and messages) over this runtime's `SdkError`.

use std::error::Error as StdError;
use std::fmt;

use super::{ExceededMaxWait, FailureState};
use crate::error::{BoxError, ErrorMetadata, ProvideErrorMetadata, SdkError};

/// An error while waiting: the waiter could not start, ran out of time, reached a
/// failure state, or the operation failed in a way no acceptor expected.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The waiter (or its input) could not be constructed; nothing was sent.
    ConstructionFailure(ConstructionFailure),
    /// `max_wait` passed before any acceptor reached a terminal state.
    ExceededMaxWait(ExceededMaxWait),
    /// A `failure` acceptor matched; the final poll shows what it matched.
    FailureState(FailureState<O, SdkError<E>>),
    /// The operation failed and no acceptor matched the error.
    OperationFailed(OperationFailed<E>),
}

impl<O, E> WaiterError<O, E> {
    /// A construction failure from any error.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        WaiterError::ConstructionFailure(ConstructionFailure {
            source: source.into(),
        })
    }
}

/// Unlike aws-sdk's, the message includes the cause (this project's errors always say
/// what happened), hence the `Display` bound on `E`.
impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConstructionFailure(inner) => {
                write!(f, "failed to construct waiter: {}", inner.source)
            }
            Self::ExceededMaxWait(ctx) => write!(
                f,
                "exceeded max wait time ({:?}) after {} polls",
                ctx.max_wait(),
                ctx.poll_count()
            ),
            Self::FailureState(inner) => match inner.final_poll().as_result() {
                Ok(_) => f.write_str("waiting failed: the output matched a failure acceptor"),
                Err(err) => write!(f, "waiting failed: a failure acceptor matched {err}"),
            },
            Self::OperationFailed(inner) => {
                write!(f, "operation failed while waiting: {}", inner.error())
            }
        }
    }
}

impl<O, E> StdError for WaiterError<O, E>
where
    O: fmt::Debug,
    E: StdError + 'static,
{
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::ConstructionFailure(inner) => Some(inner.source.as_ref()),
            Self::ExceededMaxWait(_) => None,
            Self::FailureState(inner) => match inner.final_poll().as_result() {
                Ok(_) => None,
                Err(err) => Some(err),
            },
            Self::OperationFailed(inner) => Some(inner.error()),
        }
    }
}

impl<O, E: ProvideErrorMetadata> ProvideErrorMetadata for WaiterError<O, E> {
    fn meta(&self) -> &ErrorMetadata {
        static EMPTY: std::sync::OnceLock<ErrorMetadata> = std::sync::OnceLock::new();
        let empty = || EMPTY.get_or_init(ErrorMetadata::default);
        match self {
            Self::ConstructionFailure(_) | Self::ExceededMaxWait(_) => empty(),
            Self::FailureState(inner) => match inner.final_poll().as_result() {
                Ok(_) => empty(),
                Err(err) => err.meta(),
            },
            Self::OperationFailed(inner) => inner.error().meta(),
        }
    }
}

/// The operation failed while waiting and no acceptor matched its error.
#[derive(Debug)]
#[non_exhaustive]
pub struct OperationFailed<E> {
    source: SdkError<E>,
}

impl<E> OperationFailed<E> {
    /// Wraps the operation's error.
    pub fn new(source: SdkError<E>) -> Self {
        Self { source }
    }

    /// The operation's error.
    pub fn error(&self) -> &SdkError<E> {
        &self.source
    }

    /// Takes the operation's error.
    pub fn into_error(self) -> SdkError<E> {
        self.source
    }
}

/// The waiter could not be constructed (invalid delays, or an input that does not build).
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

impl ConstructionFailure {
    /// What went wrong.
    pub fn source(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.source.as_ref()
    }
}
