//! The parts of aws-smithy-runtime-api's `SdkError` API that programs written for
//! aws-sdk-rust call: `into_source`, `From<BuildError>`, `into_raw`, the dispatch failure
//! predicates, and `RequestId` for results and raw responses.

use std::error::Error as StdError;
use std::io;

use super::{
    BoxError, BuildError, DispatchFailure, RequestId, ResponseError, SdkError, ServiceError,
};
use crate::response::HttpResponse;

impl<E, R> SdkError<E, R> {
    /// The underlying error, whatever the variant (aws-sdk-rust's `into_source`). Never
    /// returns `Err`; the `Result` is aws-sdk-rust's signature.
    pub fn into_source(self) -> Result<BoxError, Self>
    where
        E: StdError + Send + Sync + 'static,
    {
        Ok(match self {
            SdkError::ConstructionFailure(e) => e.source,
            SdkError::TimeoutError(e) => e.source,
            SdkError::DispatchFailure(e) => e.source,
            SdkError::ResponseError(e) => e.source,
            SdkError::ServiceError(e) => Box::new(e.source),
        })
    }
}

/// A request that could not be built never left the client.
impl<E, R> From<BuildError> for SdkError<E, R> {
    fn from(err: BuildError) -> Self {
        SdkError::construction_failure(err)
    }
}

impl<E, R> ServiceError<E, R> {
    /// Consumes the wrapper, returning the raw response.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

impl<R> ResponseError<R> {
    /// Consumes the wrapper, returning the raw response.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

impl DispatchFailure {
    /// Every error in the source chain.
    fn chain<'a>(&'a self) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
        let first: &'a (dyn StdError + 'static) = self.source.as_ref();
        std::iter::successors(Some(first), |e: &&'a (dyn StdError + 'static)| {
            let e: &'a (dyn StdError + 'static) = *e;
            e.source()
        })
    }

    /// Whether the connection failed or broke (refused, reset, DNS, TLS, an I/O error).
    pub fn is_io(&self) -> bool {
        !self.is_timeout()
            && self.chain().any(|e| {
                e.is::<io::Error>()
                    || e.downcast_ref::<reqwest::Error>()
                        .is_some_and(|r| r.is_connect() || r.is_request() || r.is_body())
            })
    }

    /// Whether connecting or reading timed out.
    pub fn is_timeout(&self) -> bool {
        self.chain().any(|e| {
            e.downcast_ref::<reqwest::Error>()
                .is_some_and(reqwest::Error::is_timeout)
                || e.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::TimedOut)
        })
    }

    /// Whether the request could not be sent because of how it or the client was set up
    /// (an invalid URL or header, for instance).
    pub fn is_user(&self) -> bool {
        self.chain().any(|e| {
            e.downcast_ref::<reqwest::Error>()
                .is_some_and(reqwest::Error::is_builder)
        })
    }

    /// Whether the failure is none of the above.
    pub fn is_other(&self) -> bool {
        !(self.is_io() || self.is_timeout() || self.is_user())
    }

    /// The underlying error.
    pub fn as_other(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

impl RequestId for HttpResponse {
    fn request_id(&self) -> Option<&str> {
        HttpResponse::request_id(self)
    }
}

/// The request id of a call's result, whether it succeeded or not (as in aws-sdk-rust).
impl<O: RequestId, E: RequestId> RequestId for Result<O, E> {
    fn request_id(&self) -> Option<&str> {
        match self {
            Ok(output) => output.request_id(),
            Err(err) => err.request_id(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorMetadata, ProvideErrorMetadata};

    #[derive(Debug)]
    struct Modeled(ErrorMetadata);

    impl std::fmt::Display for Modeled {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("modeled")
        }
    }

    impl StdError for Modeled {}

    impl ProvideErrorMetadata for Modeled {
        fn meta(&self) -> &ErrorMetadata {
            &self.0
        }
    }

    fn response(header: &str, id: &str) -> HttpResponse {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::HeaderName::from_bytes(header.as_bytes()).expect("valid name"),
            id.parse().expect("valid value"),
        );
        HttpResponse::new(500, headers, "not json")
    }

    #[test]
    fn a_response_error_has_the_request_id_of_its_response_with_fallback_header() {
        let err: SdkError<Modeled> =
            SdkError::response_error("bad body", response("x-amz-request-id", "rid-1"));
        assert_eq!(err.request_id(), Some("rid-1"));
        let err: SdkError<Modeled> =
            SdkError::response_error("bad body", response("x-amzn-RequestId", "rid-2"));
        assert_eq!(err.request_id(), Some("rid-2"));
    }

    #[test]
    fn a_build_error_converts_and_into_source_returns_it() {
        let err: SdkError<Modeled> = BuildError::missing_field("name", "required").into();
        assert!(matches!(err, SdkError::ConstructionFailure(_)));
        let source = err.into_source().expect("always Ok");
        assert!(source.to_string().contains("name"), "{source}");
    }

    #[test]
    fn into_raw_returns_the_response() {
        let err: SdkError<Modeled> =
            SdkError::service_error(Modeled(ErrorMetadata::default()), response("x-a", "b"));
        let SdkError::ServiceError(service) = err else {
            panic!("a service error");
        };
        assert_eq!(service.into_raw().status().as_u16(), 500);
    }

    #[test]
    fn dispatch_failure_predicates_look_through_the_source_chain() {
        let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "refused");
        let SdkError::<Modeled>::DispatchFailure(io_failure) = SdkError::dispatch_failure(refused)
        else {
            panic!("a dispatch failure");
        };
        assert!(io_failure.is_io() && !io_failure.is_timeout() && !io_failure.is_other());
        let timed_out = io::Error::new(io::ErrorKind::TimedOut, "slow");
        let SdkError::<Modeled>::DispatchFailure(timeout) = SdkError::dispatch_failure(timed_out)
        else {
            panic!("a dispatch failure");
        };
        assert!(timeout.is_timeout() && !timeout.is_io());
        let SdkError::<Modeled>::DispatchFailure(other) = SdkError::dispatch_failure("strange")
        else {
            panic!("a dispatch failure");
        };
        assert!(other.is_other() && !other.is_user());
    }

    #[test]
    fn a_result_has_the_request_id_of_its_error() {
        let meta = ErrorMetadata::builder().request_id("rid-3").build();
        let result: Result<ErrorMetadata, ErrorMetadata> = Err(meta);
        assert_eq!(result.request_id(), Some("rid-3"));
    }
}
