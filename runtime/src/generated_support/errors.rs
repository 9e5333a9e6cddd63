//! Modeled errors: how they print, and how an error response becomes an operation's
//! error enum (one table of error codes per operation instead of one `match` arm each).

use std::fmt;

use crate::error::{CreateUnhandledError, ErrorMetadata, SdkError, Unhandled};
use crate::json::{parse_top_level, DeserializeError, JsonDeserializer};
use crate::response::HttpResponse;

/// A modeled error structure, whose metadata (code, message, request id) comes from the
/// response rather than from its members.
pub trait ModeledError {
    /// Stores the metadata of the response the error was read from.
    fn set_meta(&mut self, meta: ErrorMetadata);
}

/// One arm of an operation's error parser: an error code and how to read that error.
pub type ErrorArm<E> = (&'static str, fn(&HttpResponse, ErrorMetadata) -> E);

/// The `Display` of a modeled error: `Code: message (request id ...)`, leaving out what
/// is unknown.
pub fn fmt_modeled_error(
    f: &mut fmt::Formatter<'_>,
    code: &str,
    message: Option<&str>,
    meta: &ErrorMetadata,
) -> fmt::Result {
    f.write_str(code)?;
    if let Some(message) = message {
        write!(f, ": {message}")?;
    }
    if let Some(request_id) = meta.request_id() {
        write!(f, " (request id {request_id})")?;
    }
    Ok(())
}

/// Reads an error response by its code: the arm whose code matches reads the body;
/// an unknown (or missing) code is the enum's unhandled variant, carrying the metadata.
pub fn dispatch_error<E: CreateUnhandledError>(
    response: &HttpResponse,
    meta: ErrorMetadata,
    arms: &[ErrorArm<E>],
) -> E {
    let parse = meta
        .code()
        .and_then(|code| arms.iter().find(|(c, _)| *c == code))
        .map(|(_, parse)| *parse);
    match parse {
        Some(parse) => parse(response, meta),
        None => E::create_unhandled_error(Box::new(meta.clone()), Some(meta)),
    }
}

/// Reads a modeled error from the response body with `parse`, stores the metadata in it
/// and wraps it in its variant; a body that does not parse is the unhandled variant,
/// with the parse error as its source.
pub fn parse_modeled_error<T: ModeledError, E: CreateUnhandledError>(
    response: &HttpResponse,
    meta: ErrorMetadata,
    parse: fn(&mut JsonDeserializer<'_>) -> Result<Option<T>, DeserializeError>,
    wrap: fn(T) -> E,
) -> E {
    match parse_top_level(response.body(), parse) {
        Ok(mut error) => {
            error.set_meta(meta);
            wrap(error)
        }
        Err(source) => E::create_unhandled_error(Box::new(source), Some(meta)),
    }
}

/// The `From<SdkError<OpError, R>>` of a crate-root `Error`: a service error converts through
/// the operation error's own `From`, anything else (construction, dispatch, timeout, an
/// unreadable response) becomes `Unhandled` with the `SdkError` as its source.
pub fn from_sdk_error<E, R, T>(
    err: SdkError<E, R>,
    service: impl FnOnce(E) -> T,
    unhandled: impl FnOnce(Unhandled) -> T,
) -> T
where
    E: std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    match err {
        SdkError::ServiceError(context) => service(context.into_err()),
        other => unhandled(Unhandled::new(Box::new(other), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::BoxError;

    #[derive(Debug, Default)]
    struct Thrown {
        reason: Option<String>,
        meta: ErrorMetadata,
    }

    impl ModeledError for Thrown {
        fn set_meta(&mut self, meta: ErrorMetadata) {
            self.meta = meta;
        }
    }

    impl fmt::Display for Thrown {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt_modeled_error(f, "Thrown", self.reason.as_deref(), &self.meta)
        }
    }

    fn de_thrown(d: &mut JsonDeserializer<'_>) -> Result<Option<Thrown>, DeserializeError> {
        if !d.begin_object()? {
            return Ok(None);
        }
        let mut reason = None;
        while let Some(key) = d.next_key()? {
            match key.as_ref() {
                "reason" => reason = d.string()?.map(|s| s.into_owned()),
                _ => d.skip_value()?,
            }
        }
        Ok(Some(Thrown {
            reason,
            meta: ErrorMetadata::default(),
        }))
    }

    #[derive(Debug)]
    enum OpError {
        Thrown(Thrown),
        Unhandled(String, Option<ErrorMetadata>),
    }

    impl CreateUnhandledError for OpError {
        fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
            OpError::Unhandled(source.to_string(), meta)
        }
    }

    const ARMS: &[ErrorArm<OpError>] = &[("Thrown", |response, meta| {
        parse_modeled_error(response, meta, de_thrown, OpError::Thrown)
    })];

    fn response(body: &str) -> HttpResponse {
        HttpResponse::new(400, http::HeaderMap::new(), body.to_string())
    }

    fn meta(code: &str) -> ErrorMetadata {
        ErrorMetadata::builder()
            .code(code)
            .message("m")
            .request_id("r-1")
            .build()
    }

    #[test]
    fn a_known_code_reads_the_modeled_error_with_its_metadata() {
        let err = dispatch_error(&response(r#"{"reason":"x"}"#), meta("Thrown"), ARMS);
        let OpError::Thrown(thrown) = err else {
            panic!("expected Thrown, got {err:?}");
        };
        assert_eq!(thrown.reason.as_deref(), Some("x"));
        assert_eq!(thrown.meta.request_id(), Some("r-1"));
        assert_eq!(thrown.to_string(), "Thrown: x (request id r-1)");
    }

    #[test]
    fn unknown_codes_and_bad_bodies_are_unhandled_with_the_metadata() {
        match dispatch_error(&response("{}"), meta("Other"), ARMS) {
            OpError::Unhandled(_, Some(m)) => assert_eq!(m.code(), Some("Other")),
            other => panic!("expected Unhandled, got {other:?}"),
        }
        match dispatch_error(&response("{"), meta("Thrown"), ARMS) {
            OpError::Unhandled(source, Some(m)) => {
                assert_eq!(m.code(), Some("Thrown"));
                assert!(!source.is_empty());
            }
            other => panic!("expected Unhandled, got {other:?}"),
        }
        let no_code = ErrorMetadata::builder().message("m").build();
        assert!(matches!(
            dispatch_error(&response("{}"), no_code, ARMS),
            OpError::Unhandled(_, Some(_))
        ));
    }

    #[test]
    fn display_leaves_out_what_is_unknown() {
        let thrown = Thrown::default();
        assert_eq!(thrown.to_string(), "Thrown");
    }
}
