//! One attempt of a call: credentials (as the operation's auth mode asks), headers, SigV4
//! signature, send, and read the whole response (bounded), turning transport errors into
//! construction / timeout / dispatch.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};

use super::clock_skew::offset;
use super::failure::{TimeoutFired, TransportError};
use super::handle::Transport;
use super::invoke::Prepared;
#[cfg(feature = "test-util")]
use super::test_util;
use super::{customize, sign, AuthMode, Handle, MAX_RESPONSE_BODY_BYTES};
use crate::config::credentials::error_chain;
use crate::error::BoxError;
use crate::response::HttpResponse;

impl Handle {
    /// One attempt: credentials, headers, signature, send, read the whole response. Also
    /// returns the generation of the connection pool it used, if it used one.
    pub(super) async fn attempt(&self, input: AttemptInput<'_>) -> (Outcome, Option<u64>) {
        let inner = &*self.inner;
        let credentials = match input.prepared.auth {
            AuthMode::None => None,
            AuthMode::SigV4 => match inner.credentials.get().await {
                Ok(credentials) => Some(credentials),
                Err(err) => {
                    return (
                        Outcome::Failed(AttemptError::Construction(Box::new(err))),
                        None,
                    )
                }
            },
            AuthMode::Optional => match inner.credentials.get().await {
                Ok(credentials) => Some(credentials),
                Err(err) => {
                    tracing::debug!(
                        error = %error_chain(&err),
                        "no credentials; sending the optional-auth request unsigned"
                    );
                    None
                }
            },
        };
        let skew_ms = inner.clock_skew_ms.load(Ordering::Relaxed);
        let sent = inner.config.time_source.now();
        let signing_time = offset(sent, skew_ms);
        let (outcome, generation) = self.exchange(&input, credentials, signing_time).await;
        let outcome = match outcome {
            Ok(response) => {
                let received = inner.config.time_source.now();
                let measured_skew_ms = self.observe_clock_skew(&response, sent, received);
                Outcome::Response {
                    response,
                    skew_ms,
                    measured_skew_ms,
                }
            }
            Err(err) => Outcome::Failed(err),
        };
        (outcome, generation)
    }

    /// Signs and sends the request of one attempt and reads its response.
    async fn exchange(
        &self,
        input: &AttemptInput<'_>,
        credentials: Option<aws_credential_types::Credentials>,
        signing_time: std::time::SystemTime,
    ) -> (Result<HttpResponse, AttemptError>, Option<u64>) {
        let inner = &*self.inner;
        let prepared = input.prepared;

        let mut headers = http::HeaderMap::with_capacity(12);
        headers.insert(CONTENT_TYPE, inner.content_type.clone());
        headers.insert("x-amz-target", prepared.target.clone());
        headers.insert(CONTENT_LENGTH, HeaderValue::from(input.body.len()));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert("x-amz-user-agent", inner.amz_user_agent.clone());
        headers.insert("amz-sdk-invocation-id", input.invocation_id.clone());
        let request_info = format!("attempt={}; max={}", input.attempt, input.max);
        match HeaderValue::try_from(request_info) {
            Ok(value) => {
                headers.insert("amz-sdk-request", value);
            }
            Err(err) => return (Err(AttemptError::Construction(Box::new(err))), None),
        }
        for (name, value) in &prepared.endpoint.headers {
            headers.append(name.clone(), value.clone());
        }
        if prepared.gzip {
            headers.append(
                http::header::CONTENT_ENCODING,
                HeaderValue::from_static("gzip"),
            );
        }
        // The caller's hooks see the request as it will be signed, as in aws-sdk-rust.
        let hooked;
        let (url, body) = if prepared.hooks.is_empty() {
            (prepared.url.as_ref(), input.body)
        } else {
            match customize::apply_hooks(prepared.hooks, &prepared.url, headers, input.body) {
                Ok(request) => {
                    hooked = (request.url, request.body);
                    headers = request.headers;
                    (&hooked.0, &hooked.1)
                }
                Err(err) => return (Err(AttemptError::Construction(err)), None),
            }
        };
        let scope = sign::SigningScope {
            region: prepared
                .endpoint
                .signing_region
                .as_deref()
                .unwrap_or(prepared.region.as_ref()),
            name: &prepared.endpoint.signing_name,
            time: signing_time,
        };
        if let Some(credentials) = credentials {
            if let Err(err) =
                sign::sign_request(&mut headers, url.as_str(), body, credentials, &scope)
            {
                return (
                    Err(AttemptError::Construction(
                        format!("could not sign the request: {}", error_chain(&*err)).into(),
                    )),
                    None,
                );
            }
        }

        let (generation, client) = match prepared.http {
            Transport::Reqwest(pool) => {
                let (generation, client) = pool.get();
                (Some(generation), Some(client))
            }
            #[cfg(feature = "test-util")]
            Transport::Test(_) => (None, None),
        };
        let exchange = async {
            match (prepared.http, client) {
                (Transport::Reqwest(_), Some(client)) => {
                    let request = client.post(url.clone()).headers(headers).body(body.clone());
                    let failed = |err: reqwest::Error| {
                        tracing::debug!(error = %error_chain(&err), "attempt failed");
                        self.classify_transport(err)
                    };
                    let mut response = request.send().await.map_err(failed)?;
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    // A hostile or broken peer must not make us buffer without bound.
                    let too_large = |headers| AttemptError::TooLarge {
                        response: HttpResponse::new(status, headers, Bytes::new()),
                    };
                    if response
                        .content_length()
                        .is_some_and(|n| n > MAX_RESPONSE_BODY_BYTES as u64)
                    {
                        return Err(too_large(headers));
                    }
                    let declared = response.content_length();
                    let mut body = Vec::with_capacity(initial_body_capacity(declared));
                    while let Some(chunk) = response.chunk().await.map_err(failed)? {
                        let needed = body.len() + chunk.len();
                        if needed > MAX_RESPONSE_BODY_BYTES {
                            return Err(too_large(headers));
                        }
                        grow_body(&mut body, needed);
                        body.extend_from_slice(&chunk);
                    }
                    Ok(HttpResponse::new(status, headers, body))
                }
                (Transport::Reqwest(_), None) => Err(AttemptError::Construction(
                    "no HTTP client for the network transport".into(),
                )),
                #[cfg(feature = "test-util")]
                (Transport::Test(client), _) => {
                    let request = test_util::CapturedRequest::new(
                        http::Method::POST,
                        url.to_string(),
                        headers,
                        body.clone(),
                    );
                    client.0.call(request).map_err(|err| {
                        tracing::debug!(error = %error_chain(&*err), "attempt failed");
                        AttemptError::Dispatch(TransportError::other(err))
                    })
                }
            }
        };
        let result = match inner.attempt_timeout {
            None => exchange.await,
            Some(limit) => match tokio::time::timeout(limit, exchange).await {
                Ok(result) => result,
                Err(_) => {
                    tracing::debug!(?limit, "attempt timeout fired");
                    let fired = TimeoutFired {
                        which: "operation attempt",
                        limit: Some(limit),
                        source: None,
                    };
                    return (Err(AttemptError::Timeout(fired)), generation);
                }
            },
        };
        if let Ok(response) = &result {
            let span = tracing::Span::current();
            span.record("status", response.status().as_u16());
            if let Some(id) = response.request_id() {
                span.record("request_id", id);
            }
            tracing::debug!("response received");
        }
        (result, generation)
    }

    /// Sorts a reqwest error into construction / timeout / dispatch.
    fn classify_transport(&self, err: reqwest::Error) -> AttemptError {
        let inner = &*self.inner;
        if err.is_builder() {
            return AttemptError::Construction(Box::new(err));
        }
        // A user-supplied client's timeouts are unknown to us (limit `None`).
        let own_client = inner.config.http_client.is_none();
        if err.is_timeout() {
            let (which, limit) = if err.is_connect() {
                ("connect", inner.connect_timeout)
            } else {
                ("read", inner.read_timeout)
            };
            return AttemptError::Timeout(TimeoutFired {
                which,
                limit: limit.filter(|_| own_client),
                source: Some(Box::new(TransportError::new(err))),
            });
        }
        if is_certificate_failure(&err) {
            return AttemptError::Certificate(TransportError::new(err));
        }
        AttemptError::Dispatch(TransportError::new(err))
    }
}

/// Whether the TLS handshake failed because the server's certificate was rejected (untrusted,
/// expired, wrong name, revoked...): retrying cannot help, unlike an I/O error during the
/// handshake. rustls's error sits inside an `io::Error` in reqwest's chain, and
/// `io::Error::source` skips the error it wraps, so each `io::Error` is opened explicitly.
fn is_certificate_failure(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(err) = next {
        if is_certificate_error(err) {
            return true;
        }
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            if is_certificate_failure(inner) {
                return true;
            }
        }
        next = err.source();
    }
    false
}

/// A rustls error about the peer's certificate.
fn is_certificate_error(err: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        err.downcast_ref::<rustls::Error>(),
        Some(
            rustls::Error::InvalidCertificate(_)
                | rustls::Error::NoCertificatesPresented
                | rustls::Error::InvalidCertRevocationList(_)
        )
    )
}

/// The most a response body buffer reserves before any of the body has arrived: a
/// `Content-Length` is only a claim, and a hostile peer could announce 64 MiB and send nothing.
const MAX_INITIAL_BODY_CAPACITY: usize = 1024 * 1024;

/// The capacity to start reading a body into: its declared length, up to
/// [`MAX_INITIAL_BODY_CAPACITY`].
fn initial_body_capacity(declared: Option<u64>) -> usize {
    declared.map_or(0, |n| {
        usize::try_from(n).map_or(MAX_INITIAL_BODY_CAPACITY, |n| {
            n.min(MAX_INITIAL_BODY_CAPACITY)
        })
    })
}

/// Makes room for `needed` bytes, growing to the next power of two (never past the body cap):
/// `Vec`'s own doubling from an odd first chunk size would overshoot a 64 MiB body to 128 MiB.
fn grow_body(body: &mut Vec<u8>, needed: usize) {
    if needed > body.capacity() {
        let target = needed
            .checked_next_power_of_two()
            .unwrap_or(needed)
            .clamp(needed, MAX_RESPONSE_BODY_BYTES.max(needed));
        body.reserve_exact(target - body.len());
    }
}

/// The inputs of one attempt.
pub(super) struct AttemptInput<'a> {
    pub(super) prepared: &'a Prepared<'a>,
    pub(super) body: &'a Bytes,
    pub(super) attempt: u32,
    pub(super) max: u32,
    pub(super) invocation_id: &'a HeaderValue,
}

/// What one attempt produced.
pub(super) enum Outcome {
    /// A complete response (any status), the clock offset it was signed with and the one its
    /// `Date` shows (if trustworthy).
    Response {
        response: HttpResponse,
        skew_ms: i64,
        measured_skew_ms: Option<i64>,
    },
    /// No response.
    Failed(AttemptError),
}

/// Why an attempt produced no response.
pub(super) enum AttemptError {
    /// Could not build or sign the request: not retried.
    Construction(BoxError),
    /// A timeout fired.
    Timeout(TimeoutFired),
    /// I/O failure.
    Dispatch(TransportError),
    /// The server's certificate was rejected: not retried.
    Certificate(TransportError),
    /// The response body is larger than [`MAX_RESPONSE_BODY_BYTES`]: not retried.
    TooLarge {
        /// Status and headers; the body is not kept.
        response: HttpResponse,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_buffers_grow_in_powers_of_two_up_to_the_cap() {
        let mut body = Vec::with_capacity(initial_body_capacity(None));
        let mut len = 0;
        // Odd chunk sizes, as a socket delivers them.
        while len < MAX_RESPONSE_BODY_BYTES - 20_000 {
            len += 16_359;
            grow_body(&mut body, len);
            assert!(body.capacity() >= len);
            assert!(body.capacity() <= MAX_RESPONSE_BODY_BYTES);
            body.resize(len, 0);
        }
        assert_eq!(body.capacity(), MAX_RESPONSE_BODY_BYTES);
        assert_eq!(initial_body_capacity(Some(10)), 10);
        assert_eq!(
            initial_body_capacity(Some(u64::MAX)),
            MAX_INITIAL_BODY_CAPACITY
        );
    }
}
