//! One call of an operation: check what was resolved at construction, run the attempts
//! under the operation timeout, and decide after each failed attempt whether to retry.

use std::sync::atomic::{AtomicU32, Ordering};

use bytes::Bytes;
use http::header::HeaderValue;
use tracing::Instrument;

use super::attempt::{AttemptError, AttemptInput, Outcome};
use super::clock_skew::skew_error_is_retryable;
use super::endpoint::Endpoint;
use super::failure::{Failure, TimeoutFired};
use super::handle::Transport;
use super::MAX_RESPONSE_BODY_BYTES;
use super::{call_options, customize, error_response, retry, rng};
use super::{AuthMode, CallOptions, DeserializeError, Handle, OperationSpec};
use crate::config::retry::ReconnectMode;
use crate::config::Region;
use crate::error::SdkError;
use crate::response::HttpResponse;

impl Handle {
    /// Calls operation `op` with the serialized input `body`, retrying and timing out as
    /// configured.
    pub async fn invoke<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        body: Vec<u8>,
    ) -> Result<O, SdkError<E>> {
        self.invoke_with(op, body, CallOptions::default()).await
    }

    /// [`invoke`](Self::invoke) with per-call options (host prefix, compression, endpoint
    /// parameters from the input).
    pub async fn invoke_with<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        body: Vec<u8>,
        options: CallOptions,
    ) -> Result<O, SdkError<E>> {
        let span = tracing::debug_span!(
            "invoke",
            service = self.inner.spec.sdk_id,
            operation = op.name
        );
        // A configuration override makes the call on a client built for it.
        let handle = options.customization.handle(self);
        handle
            .invoke_inner(op, Bytes::from(body), options)
            .instrument(span)
            .await
    }

    async fn invoke_inner<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        body: Bytes,
        options: CallOptions,
    ) -> Result<O, SdkError<E>> {
        let inner = &*self.inner;
        let target = HeaderValue::try_from(format!("{}.{}", inner.spec.target_prefix, op.name))
            .map_err(|_| {
                SdkError::construction_failure(format!(
                    "operation name `{}` is not a valid X-Amz-Target",
                    op.name
                ))
            })?;
        let endpoint = self
            .operation_endpoint(op, &options.endpoint_params)
            .await
            .map_err(SdkError::construction_failure)?;
        let endpoint = &*endpoint;
        let prepared = Prepared {
            region: inner
                .region
                .as_ref()
                .map_err(|e| SdkError::construction_failure(e.clone()))?,
            endpoint,
            http: (*inner.http)
                .as_ref()
                .map_err(|e| SdkError::construction_failure(e.clone()))?,
            target,
            url: match &options.host_prefix {
                Some(prefix) => std::borrow::Cow::Owned(
                    call_options::with_host_prefix(&endpoint.url, prefix)
                        .map_err(SdkError::construction_failure)?,
                ),
                None => std::borrow::Cow::Borrowed(&endpoint.url),
            },
            gzip: false,
            auth: op.auth,
            hooks: options.customization.hooks(),
        };
        let (body, gzip) = call_options::maybe_compress(body, &options);
        let prepared = Prepared { gzip, ..prepared };
        let attempts = AtomicU32::new(0);
        let run = self.run(op, &prepared, body, &attempts);
        match inner.operation_timeout {
            None => run.await,
            Some(limit) => match tokio::time::timeout(limit, run).await {
                Ok(result) => result,
                Err(_) => {
                    let made = attempts.load(Ordering::Relaxed);
                    tracing::debug!(attempts = made, ?limit, "operation timeout fired");
                    Err(SdkError::timeout_error(TimeoutFired {
                        which: "operation",
                        limit: Some(limit),
                        source: None,
                    })
                    .with_attempts(made))
                }
            },
        }
    }

    /// The retry loop.
    async fn run<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        prepared: &Prepared<'_>,
        body: Bytes,
        attempts: &AtomicU32,
    ) -> Result<O, SdkError<E>> {
        let inner = &*self.inner;
        let invocation_id = HeaderValue::try_from(rng::uuid_v4())
            .map_err(|_| SdkError::construction_failure("invalid invocation id"))?;
        let max = inner.retry.max_attempts().max(1);
        let reconnect = inner.retry.reconnect_mode() == ReconnectMode::ReconnectOnTransientError;
        let mut last_retry_cost = None;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            attempts.store(attempt, Ordering::Relaxed);
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty
            );
            let sent = AttemptInput {
                prepared,
                body: &body,
                attempt,
                max,
                invocation_id: &invocation_id,
            };
            let (outcome, generation) = self.attempt(sent).instrument(span).await;

            let mut retry_after = None;
            let (kind, failure) = match outcome {
                Outcome::Response { response, .. } if response.status().is_success() => {
                    inner.bucket.on_success(last_retry_cost);
                    return parse_output(op, &response).map_err(|err| {
                        SdkError::response_error(err, response).with_attempts(attempt)
                    });
                }
                Outcome::Response {
                    response,
                    skew_ms,
                    measured_skew_ms,
                } => {
                    let (mut code, message) =
                        error_response::error_code_and_message(response.headers(), response.body());
                    if inner.spec.aws_query_compatible {
                        if let Some((query_code, _fault)) =
                            error_response::query_compatible_error(response.headers())
                        {
                            code = Some(query_code.to_owned());
                        }
                    }
                    let mut kind = retry::classify_modeled(
                        response.status().as_u16(),
                        code.as_deref(),
                        op.retryable_errors,
                    );
                    if kind == retry::RetryKind::ClockSkew {
                        if skew_error_is_retryable(measured_skew_ms, skew_ms) {
                            tracing::debug!(
                                code = code.as_deref().unwrap_or(""),
                                "clock skew detected; the retry is signed with the corrected time"
                            );
                        } else {
                            kind = retry::RetryKind::NotRetryable;
                        }
                    }
                    retry_after = retry::retry_after(response.headers());
                    (
                        kind,
                        Failure::Service {
                            response,
                            code,
                            message,
                        },
                    )
                }
                Outcome::Failed(AttemptError::Construction(err)) => {
                    return Err(SdkError::construction_failure(err));
                }
                Outcome::Failed(AttemptError::Timeout(err)) => {
                    (retry::RetryKind::Transient, Failure::Timeout(err))
                }
                Outcome::Failed(AttemptError::Dispatch(err)) => {
                    (retry::RetryKind::Transient, Failure::Dispatch(err))
                }
                Outcome::Failed(AttemptError::Certificate(err)) => {
                    (retry::RetryKind::NotRetryable, Failure::Dispatch(err))
                }
                Outcome::Failed(AttemptError::TooLarge { response }) => {
                    let message =
                        format!("the response body is larger than {MAX_RESPONSE_BODY_BYTES} bytes");
                    return Err(SdkError::response_error(message, response).with_attempts(attempt));
                }
            };

            // As aws-sdk-rust's connection poisoning: whether or not this call retries, no
            // later attempt should reuse the connection a transient error came on.
            if reconnect && kind == retry::RetryKind::Transient {
                if let (Transport::Reqwest(pool), Some(generation)) = (prepared.http, generation) {
                    pool.reconnect(generation);
                }
            }

            if kind != retry::RetryKind::NotRetryable {
                if attempt >= max {
                    tracing::debug!(attempts = attempt, "no attempts left; returning the error");
                } else if !inner.bucket.try_acquire(kind.cost()) {
                    tracing::warn!(
                        attempts = attempt,
                        tokens = inner.bucket.available(),
                        "retry quota exhausted; not retrying (the service may be unhealthy)"
                    );
                } else {
                    last_retry_cost = Some(kind.cost());
                    let delay = match retry_after {
                        // The server's word, within our limit (aws-sdk-rust caps it the same).
                        Some(asked) => asked.min(inner.retry.max_backoff()),
                        None => retry::backoff(
                            attempt,
                            inner.retry.initial_backoff(),
                            inner.retry.max_backoff(),
                            inner.config.jitter.next(),
                        ),
                    };
                    tracing::debug!(?kind, ?delay, "retrying after backoff");
                    inner.config.sleep.sleep(delay).await;
                    continue;
                }
            }
            return Err(failure.into_sdk_error(op).with_attempts(attempt));
        }
    }
}

/// Runs `parse_output` on a 2xx response; an empty body is read as `{}`.
pub(super) fn parse_output<O, E>(
    op: &'static OperationSpec<O, E>,
    response: &HttpResponse,
) -> Result<O, DeserializeError> {
    if response.body().is_empty() {
        let empty_object = HttpResponse::new(
            response.status().as_u16(),
            response.headers().clone(),
            Bytes::from_static(b"{}"),
        );
        (op.parse_output)(&empty_object)
    } else {
        (op.parse_output)(response)
    }
}

/// What every attempt of a call shares.
pub(super) struct Prepared<'a> {
    pub(super) region: &'a Region,
    pub(super) endpoint: &'a Endpoint,
    pub(super) http: &'a Transport,
    pub(super) target: HeaderValue,
    /// The endpoint URL, with the operation's host prefix if it has one.
    pub(super) url: std::borrow::Cow<'a, reqwest::Url>,
    /// Whether the body is gzipped (`Content-Encoding: gzip`).
    pub(super) gzip: bool,
    /// How the operation is authenticated.
    pub(super) auth: AuthMode,
    /// The caller's request hooks (`customize().mutate_request(..)`), run before signing.
    pub(super) hooks: &'a [customize::RequestHook],
}
