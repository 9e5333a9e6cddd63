//! Errors shared by every generated operation: the `SdkError` wrapper, error metadata,
//! builder errors and the traits generated error types implement.
//!
//! Names follow aws-sdk-rust (`SdkError`, `ProvideErrorMetadata`, `RequestId`,
//! `BuildError`) so code written against the official SDK keeps compiling. Unlike the
//! official SDK, `Display` always says what happened (code, message, request id).

use std::error::Error as StdError;
use std::fmt;

use crate::response::HttpResponse;

mod compat;

/// Shows an error with its whole `source()` chain: aws-smithy-types' type, as in aws-sdk-rust.
pub use aws_smithy_types::error::display::DisplayErrorContext;

/// A boxed error source.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Code, message and request id of an error returned by a service.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
}

impl ErrorMetadata {
    /// Returns a builder for `ErrorMetadata`.
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder::default()
    }

    /// The error code, such as `NotFoundException`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message the service returned.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id the service assigned (`x-amzn-RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status of the response that carried the error.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

impl fmt::Debug for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("ErrorMetadata");
        if let Some(code) = &self.code {
            s.field("code", code);
        }
        if let Some(message) = &self.message {
            s.field("message", message);
        }
        if let Some(request_id) = &self.request_id {
            s.field("request_id", request_id);
        }
        if let Some(status) = &self.status {
            s.field("status", status);
        }
        s.finish()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code(), self.message()) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}")?,
            (Some(code), None) => f.write_str(code)?,
            (None, Some(message)) => f.write_str(message)?,
            (None, None) => f.write_str("error without code or message")?,
        }
        let mut extra = Vec::new();
        if let Some(status) = self.status {
            extra.push(format!("status {status}"));
        }
        if let Some(id) = self.request_id() {
            extra.push(format!("request id {id}"));
        }
        if !extra.is_empty() {
            write!(f, " ({})", extra.join(", "))?;
        }
        Ok(())
    }
}

/// Builder for [`ErrorMetadata`].
#[derive(Clone, Debug, Default)]
pub struct ErrorMetadataBuilder {
    inner: ErrorMetadata,
}

impl ErrorMetadataBuilder {
    /// Sets the error code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }

    /// Sets the error message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    /// Sets the request id.
    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// Sets the HTTP status.
    pub fn status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    /// Builds the metadata.
    pub fn build(self) -> ErrorMetadata {
        self.inner
    }
}

/// Access to the code, message and metadata of a service error.
pub trait ProvideErrorMetadata {
    /// The full metadata.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, such as `NotFoundException`.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// Access to the request id the service assigned to a response.
pub trait RequestId {
    /// The request id (`x-amzn-RequestId`), when the service sent one.
    fn request_id(&self) -> Option<&str>;
}

impl RequestId for ErrorMetadata {
    fn request_id(&self) -> Option<&str> {
        ErrorMetadata::request_id(self)
    }
}

/// Lets the runtime build an operation's `Unhandled` variant for errors that are not
/// modeled (unknown codes, unparseable bodies, transport failures).
pub trait CreateUnhandledError {
    /// Creates the unhandled variant from a source error and optional metadata.
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self;
}

/// An error the model does not describe: an unknown error code, or a response that
/// could not be read as a modeled error.
#[derive(Debug)]
pub struct Unhandled {
    source: BoxError,
    meta: ErrorMetadata,
}

impl Unhandled {
    /// Creates an unhandled error.
    pub fn new(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        Unhandled {
            source,
            meta: meta.unwrap_or_default(),
        }
    }

    /// The metadata of the error.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.meta.code().is_some() || self.meta.message().is_some() {
            write!(f, "unhandled error: {}", self.meta)
        } else {
            write!(f, "unhandled error: {}", self.source)
        }
    }
}

impl StdError for Unhandled {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.source.as_ref())
    }
}

/// An error found while building an input or a shape: a missing required member or a
/// value outside the model's constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    kind: BuildErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum BuildErrorKind {
    MissingField {
        field: &'static str,
        details: &'static str,
    },
    InvalidField {
        field: &'static str,
        details: String,
    },
    Other(String),
}

impl BuildError {
    /// A required member was not set.
    pub fn missing_field(field: &'static str, details: &'static str) -> Self {
        BuildError {
            kind: BuildErrorKind::MissingField { field, details },
        }
    }

    /// A member was set to a value the model does not allow.
    pub fn invalid_field(field: &'static str, details: impl Into<String>) -> Self {
        BuildError {
            kind: BuildErrorKind::InvalidField {
                field,
                details: details.into(),
            },
        }
    }

    /// Any other construction problem.
    pub fn other(message: impl Into<String>) -> Self {
        BuildError {
            kind: BuildErrorKind::Other(message.into()),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            BuildErrorKind::MissingField { field, details } => {
                write!(
                    f,
                    "`{field}` was not specified but it is required when building {details}"
                )
            }
            BuildErrorKind::InvalidField { field, details } => {
                write!(f, "invalid field in input: `{field}`: {details}")
            }
            BuildErrorKind::Other(message) => f.write_str(message),
        }
    }
}

impl StdError for BuildError {}

/// The request could not be constructed: bad input, missing region or credentials,
/// or no endpoint could be resolved. No request was sent.
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

/// The operation or an attempt ran out of time.
#[derive(Debug)]
pub struct TimeoutError {
    source: BoxError,
    attempts: Option<u32>,
}

/// The request could not be sent or no response arrived (connection refused or
/// reset, TLS failure, I/O error).
#[derive(Debug)]
pub struct DispatchFailure {
    source: BoxError,
    attempts: Option<u32>,
}

/// A response arrived but could not be understood (malformed body of a successful
/// response, for instance).
#[derive(Debug)]
pub struct ResponseError<R> {
    source: BoxError,
    raw: R,
    attempts: Option<u32>,
}

/// The service answered with an error.
#[derive(Debug)]
pub struct ServiceError<E, R> {
    source: E,
    raw: R,
    attempts: Option<u32>,
}

impl<E, R> ServiceError<E, R> {
    /// The typed error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// Consumes the wrapper, returning the typed error.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }
}

impl<R> ResponseError<R> {
    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }
}

/// The error of every operation's `send()`, generic over the operation's error enum.
///
/// Mirrors `aws_smithy_runtime_api::client::result::SdkError`; see `compat` for the rest of
/// its API (`into_source`, `From<BuildError>`, the dispatch failure predicates).
#[non_exhaustive]
#[derive(Debug)]
pub enum SdkError<E, R = HttpResponse> {
    /// The request could not be constructed; nothing was sent.
    ConstructionFailure(ConstructionFailure),
    /// The operation or an attempt timed out.
    TimeoutError(TimeoutError),
    /// The request could not be sent, or the connection failed.
    DispatchFailure(DispatchFailure),
    /// A response arrived but could not be read.
    ResponseError(ResponseError<R>),
    /// The service returned an error.
    ServiceError(ServiceError<E, R>),
}

impl<E, R> SdkError<E, R> {
    /// A construction failure from any error.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        SdkError::ConstructionFailure(ConstructionFailure {
            source: source.into(),
        })
    }

    /// A timeout from any error.
    pub fn timeout_error(source: impl Into<BoxError>) -> Self {
        SdkError::TimeoutError(TimeoutError {
            source: source.into(),
            attempts: None,
        })
    }

    /// A dispatch failure from any error.
    pub fn dispatch_failure(source: impl Into<BoxError>) -> Self {
        SdkError::DispatchFailure(DispatchFailure {
            source: source.into(),
            attempts: None,
        })
    }

    /// A response error from any error and the raw response.
    pub fn response_error(source: impl Into<BoxError>, raw: R) -> Self {
        SdkError::ResponseError(ResponseError {
            source: source.into(),
            raw,
            attempts: None,
        })
    }

    /// A service error from the typed error and the raw response.
    pub fn service_error(source: E, raw: R) -> Self {
        SdkError::ServiceError(ServiceError {
            source,
            raw,
            attempts: None,
        })
    }

    /// Records how many attempts were made before this error was returned (set by the
    /// client; shown by `Display` when more than one).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        match &mut self {
            SdkError::ConstructionFailure(_) => {}
            SdkError::TimeoutError(e) => e.attempts = Some(attempts),
            SdkError::DispatchFailure(e) => e.attempts = Some(attempts),
            SdkError::ResponseError(e) => e.attempts = Some(attempts),
            SdkError::ServiceError(e) => e.attempts = Some(attempts),
        }
        self
    }

    /// How many attempts were made, when a request was sent (`None` for construction
    /// failures and errors not produced by the client).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            SdkError::ConstructionFailure(_) => None,
            SdkError::TimeoutError(e) => e.attempts,
            SdkError::DispatchFailure(e) => e.attempts,
            SdkError::ResponseError(e) => e.attempts,
            SdkError::ServiceError(e) => e.attempts,
        }
    }

    /// The typed service error, if this is one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(err) => Some(&err.source),
            _ => None,
        }
    }

    /// The raw response, if one arrived.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            SdkError::ResponseError(err) => Some(&err.raw),
            SdkError::ServiceError(err) => Some(&err.raw),
            _ => None,
        }
    }

    /// Converts into the operation's error enum; errors that are not service errors
    /// become its `Unhandled` variant.
    pub fn into_service_error(self) -> E
    where
        E: CreateUnhandledError + StdError + Send + Sync + 'static,
        R: fmt::Debug + Send + Sync + 'static,
    {
        match self {
            SdkError::ServiceError(err) => err.source,
            other => E::create_unhandled_error(Box::new(other), None),
        }
    }

    /// Maps the service error type.
    pub fn map_service_error<E2>(self, map: impl FnOnce(E) -> E2) -> SdkError<E2, R> {
        match self {
            SdkError::ConstructionFailure(e) => SdkError::ConstructionFailure(e),
            SdkError::TimeoutError(e) => SdkError::TimeoutError(e),
            SdkError::DispatchFailure(e) => SdkError::DispatchFailure(e),
            SdkError::ResponseError(e) => SdkError::ResponseError(e),
            SdkError::ServiceError(e) => SdkError::ServiceError(ServiceError {
                source: map(e.source),
                raw: e.raw,
                attempts: e.attempts,
            }),
        }
    }
}

impl<E: fmt::Display, R> fmt::Display for SdkError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_kind(f)?;
        match self.attempts() {
            Some(n) if n > 1 => write!(f, " (after {n} attempts)"),
            _ => Ok(()),
        }
    }
}

impl<E: fmt::Display, R> SdkError<E, R> {
    fn fmt_kind(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::ConstructionFailure(e) => {
                write!(f, "failed to construct request: {}", e.source)
            }
            SdkError::TimeoutError(e) => write!(f, "request timed out: {}", e.source),
            SdkError::DispatchFailure(e) => write!(f, "dispatch failure: {}", e.source),
            SdkError::ResponseError(e) => {
                write!(f, "response could not be read: {}", e.source)
            }
            SdkError::ServiceError(e) => write!(f, "service error: {}", e.source),
        }
    }
}

impl<E, R> StdError for SdkError<E, R>
where
    E: StdError + 'static,
    R: fmt::Debug,
{
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::ConstructionFailure(e) => Some(e.source.as_ref()),
            SdkError::TimeoutError(e) => Some(e.source.as_ref()),
            SdkError::DispatchFailure(e) => Some(e.source.as_ref()),
            SdkError::ResponseError(e) => Some(e.source.as_ref()),
            SdkError::ServiceError(e) => Some(&e.source),
        }
    }
}

impl<E: ProvideErrorMetadata, R> ProvideErrorMetadata for SdkError<E, R> {
    fn meta(&self) -> &ErrorMetadata {
        static EMPTY: ErrorMetadata = ErrorMetadata {
            code: None,
            message: None,
            request_id: None,
            status: None,
        };
        match self {
            SdkError::ServiceError(e) => e.source.meta(),
            _ => &EMPTY,
        }
    }
}

impl<E: ProvideErrorMetadata, R: RequestId> RequestId for SdkError<E, R> {
    /// The service error's request id, else the one of any response that arrived.
    fn request_id(&self) -> Option<&str> {
        self.meta()
            .request_id()
            .or_else(|| self.raw_response().and_then(RequestId::request_id))
    }
}

impl StdError for ErrorMetadata {}
