//! The call path every generated operation goes through: [`Handle::invoke`] resolves the
//! endpoint, signs with SigV4, sends `POST /` with the AWS JSON headers, retries in AWS
//! standard mode, enforces timeouts, and turns the response into the operation's output or
//! error.
//!
//! # Wire format of a request
//!
//! ```text
//! POST <endpoint path>/                      (the endpoint URL's path is kept as a prefix)
//! Content-Type: application/x-amz-json-<json_version>
//! X-Amz-Target: <target_prefix>.<operation name>
//! Content-Length: <n>
//! User-Agent / x-amz-user-agent             (see below)
//! amz-sdk-invocation-id: <random uuid v4, the same for every attempt of one call>
//! amz-sdk-request: attempt=<n>; max=<max attempts>
//! X-Amz-Date, X-Amz-Security-Token, Authorization   (SigV4, payload hashed)
//! ```
//!
//! The signature follows the operation's [`AuthMode`]: operations the model marks
//! `smithy.api#auth: []` are never signed, and `smithy.api#optionalAuth` ones are sent
//! unsigned when no credentials can be found.
//!
//! # Endpoints
//!
//! The endpoint is resolved once per client from the built-ins (region, FIPS, dual-stack,
//! endpoint URL, account id endpoint mode), except for operations with endpoint parameters of
//! their own (`smithy.rules#staticContextParams`, `contextParam` members of the input,
//! [`CallOptions::endpoint_params`]) and for rule sets that read `AWS::Auth::AccountId` (the
//! credentials' account id): those resolve per call. An endpoint whose `authSchemes` name only
//! schemes this runtime cannot sign for (`sigv4a`) fails the call naming the scheme.
//!
//! User agents (both headers the same), in the AWS user-agent 2.1 format, naming this
//! project's runtime rather than aws-sdk-rust:
//!
//! ```text
//! awsjson-runtime/<runtime version> ua/2.1 api/<sdk id lower>#<crate version> os/<os>
//!     lang/rust [app/<app id>]
//! ```
//!
//! # Errors
//!
//! * no region / credentials, a bad endpoint URL, an endpoint needing an unsupported auth
//!   scheme, a signing failure:
//!   [`SdkError::ConstructionFailure`](crate::error::SdkError::ConstructionFailure) (nothing sent);
//! * connection refused or reset, TLS failure: [`SdkError::DispatchFailure`](crate::error::SdkError::DispatchFailure);
//! * connect, read, attempt or operation timeout: [`SdkError::TimeoutError`](crate::error::SdkError::TimeoutError), saying which
//!   timeout fired and its duration;
//! * non-2xx: the code and message of the body (for `awsQueryCompatible` services, the code
//!   of an `x-amzn-query-error` header first), the `x-amzn-RequestId` and the status go to
//!   the operation's `parse_error`, whose error becomes [`SdkError::ServiceError`](crate::error::SdkError::ServiceError);
//! * a 2xx whose body `parse_output` rejects: [`SdkError::ResponseError`](crate::error::SdkError::ResponseError).
//!
//! Errors of calls that made more than one attempt say how many (`(after 3 attempts)`).
//!
//! # Retries
//!
//! AWS standard mode as aws-sdk-rust runs it (see `retry` and ARCHITECTURE.md for the numbers
//! and the deliberate differences): 500/502/503/504, throttling and transient error codes, the
//! operation's `@retryable` errors ([`OperationSpec::retryable_errors`]), I/O errors and
//! timeouts are retried with capped exponential backoff and full jitter (or the
//! delay of an `x-amz-retry-after` header), subject to a per-client retry token bucket. After a
//! transient error the retry goes out on a new connection. Certificate-verification failures
//! are not retried. The clock offset is learned from the `Date` of every response and added to
//! the signing time; a clock-skew error code (`InvalidSignatureException`,
//! `RequestTimeTooSkewed`, ...) is retried, signed with the corrected time, only when the
//! offset moved by more than 4 minutes.
//!
//! # Tracing
//!
//! A `debug` span `invoke` per call (`service`, `operation`) and a `debug` span `attempt` per
//! attempt (`attempt`, `status`, `request_id`). Credentials, signatures and bodies are never
//! logged.
//!
//! # Where things are
//!
//! [`Handle`] and what it resolves once (`handle`), the endpoint and its URL checks
//! (`endpoint`), one call and its retry loop (`invoke`), one attempt (`attempt`), what the
//! model says per operation (`modeled`: auth mode, retryable errors), the connection pool and
//! reconnecting (`pool`), the clock
//! offset (`clock_skew`), error-response code and excerpt (`error_response`), the failures a
//! call can end with (`failure`), retry classification and the token bucket (`retry`), the
//! default HTTP client (`transport`), SigV4 (`sign`), user agents (`user_agent`), per-call
//! customization (`customize`: config override, request hooks before signing), and
//! aws-smithy-mocks-shaped mock rules (`mocks`, feature `test-util`).

use std::fmt;

use crate::endpoint::StaticParam;
use crate::error::ErrorMetadata;
use crate::response::HttpResponse;

mod attempt;
mod call_options;
mod clock_skew;
pub mod customize;
mod endpoint;
mod error_response;
mod failure;
mod handle;
mod invoke;
#[cfg(feature = "test-util")]
pub mod mocks;
mod modeled;
mod pool;
mod retry;
pub(crate) mod rng;
mod sign;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
mod user_agent;

pub use crate::json::DeserializeError;
pub use call_options::{expand_host_prefix, CallOptions, MIN_COMPRESSION_SIZE};
pub use handle::Handle;
pub use modeled::{AuthMode, RetryableError};

/// What the runtime needs to know about a service; one `static` per generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceSpec {
    /// The SDK id (`Lightsail`): names `AWS_ENDPOINT_URL_<ID>` and the user agent's `api/`.
    pub sdk_id: &'static str,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`).
    pub signing_name: &'static str,
    /// The `X-Amz-Target` prefix: the service shape's name (`Lightsail_20161128`).
    pub target_prefix: &'static str,
    /// `1.0` or `1.1`, the suffix of `application/x-amz-json-`.
    pub json_version: &'static str,
    /// The model's endpoint rule set, as JSON.
    pub endpoint_rules: &'static str,
    /// The generated crate's name.
    pub crate_name: &'static str,
    /// The generated crate's version (user agent `api/<id>/<version>`).
    pub crate_version: &'static str,
    /// `aws.protocols#awsQueryCompatible`: the error code of an error response is taken
    /// from its `x-amzn-query-error` header (`Code;Fault`) when present, as aws-sdk-rust
    /// does.
    pub aws_query_compatible: bool,
}

/// One operation: its name and the parsers of its output and errors. One `static` per
/// operation in a generated crate.
pub struct OperationSpec<O, E> {
    /// The `X-Amz-Target` suffix (`GetInstances`).
    pub name: &'static str,
    /// Parses a 2xx response (an empty body is passed as `{}`).
    pub parse_output: fn(&HttpResponse) -> Result<O, DeserializeError>,
    /// Builds the operation's error from an error response and its metadata (code,
    /// message, request id, status). Unknown codes become `E::Unhandled`.
    pub parse_error: fn(&HttpResponse, ErrorMetadata) -> E,
    /// How requests are authenticated (`smithy.api#auth`, `smithy.api#optionalAuth`).
    pub auth: AuthMode,
    /// The operation's `smithy.api#retryable` errors, retried as their trait says.
    pub retryable_errors: &'static [RetryableError],
    /// `smithy.rules#staticContextParams`: endpoint parameters fixed by the operation.
    pub static_endpoint_params: &'static [(&'static str, StaticParam)],
}

impl<O, E> fmt::Debug for OperationSpec<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationSpec")
            .field("name", &self.name)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

/// The largest response body a call accepts (64 MiB); Lightsail's largest responses are a
/// few MB. Larger bodies end the call with a `ResponseError` instead of exhausting memory.
pub const MAX_RESPONSE_BODY_BYTES: usize = 64 * 1024 * 1024;
