//! The failures of a call that are not the service's answer (timeouts, I/O), and the
//! conversion of a call's last failure into the `SdkError` the caller sees.

use std::fmt;
use std::time::Duration;

use super::OperationSpec;
use crate::config::credentials::error_chain;
use crate::error::{BoxError, ErrorMetadata, SdkError};
use crate::response::HttpResponse;

/// The failure of a final attempt, turned into an `SdkError` only when it is final.
pub(super) enum Failure {
    Service {
        response: HttpResponse,
        code: Option<String>,
        message: Option<String>,
    },
    Timeout(TimeoutFired),
    Dispatch(TransportError),
}

impl Failure {
    pub(super) fn into_sdk_error<O, E>(self, op: &'static OperationSpec<O, E>) -> SdkError<E> {
        match self {
            Failure::Service {
                response,
                code,
                message,
            } => {
                let mut meta = ErrorMetadata::builder().status(response.status().as_u16());
                if let Some(code) = code {
                    meta = meta.code(code);
                }
                if let Some(message) = message {
                    meta = meta.message(message);
                }
                if let Some(id) = response.request_id() {
                    meta = meta.request_id(id);
                }
                let err = (op.parse_error)(&response, meta.build());
                SdkError::service_error(err, response)
            }
            Failure::Timeout(err) => SdkError::timeout_error(err),
            Failure::Dispatch(err) => SdkError::dispatch_failure(err),
        }
    }
}

/// A timeout that fired: which one and its limit.
#[derive(Debug)]
pub(super) struct TimeoutFired {
    /// `operation`, `operation attempt`, `connect` or `read`.
    pub(super) which: &'static str,
    /// The configured limit, when known.
    pub(super) limit: Option<Duration>,
    pub(super) source: Option<BoxError>,
}

impl fmt::Display for TimeoutFired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.limit {
            Some(limit) => write!(f, "{} timeout of {limit:?} elapsed", self.which),
            None => write!(f, "{} timeout of the HTTP client elapsed", self.which),
        }
    }
}

impl std::error::Error for TimeoutFired {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An I/O failure, with reqwest's error chain in the message (its top-level message alone
/// is only "error sending request").
#[derive(Debug)]
pub(super) struct TransportError {
    pub(super) message: String,
    pub(super) source: BoxError,
}

impl TransportError {
    pub(super) fn new(source: reqwest::Error) -> Self {
        TransportError {
            message: error_chain(&source),
            source: Box::new(source),
        }
    }

    /// The failure of a test transport.
    #[cfg(feature = "test-util")]
    pub(super) fn other(source: BoxError) -> Self {
        TransportError {
            message: error_chain(&*source),
            source,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}
