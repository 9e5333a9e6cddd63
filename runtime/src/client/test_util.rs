//! Test utilities (feature `test-util`): a client whose HTTP responses are scripted by the
//! test and whose requests can be inspected afterwards. No network, no server.
//!
//! Plug a test transport into a client with
//! [`Builder::http_client_for_tests`](crate::config::Builder::http_client_for_tests).
//! Everything else of the call path still runs: endpoint resolution, SigV4 signing (so
//! region and credentials must be configured), retries, timeouts, response parsing.
//!
//! The names follow aws-smithy-runtime's `test-util`:
//!
//! * [`StaticReplayClient`]: answers each request with the next scripted [`ReplayEvent`]
//!   (a response, or an I/O error), in order, and records every request;
//! * [`capture_request`]: answers every request with one response and hands the requests
//!   to a [`CaptureRequestReceiver`];
//! * [`infallible_client_fn`]: computes each response from the request with a closure.
//!
//! Retried errors (5xx, throttling, I/O errors) make the client sleep between attempts;
//! set `sleep_impl` on the config (or `RetryConfig::disabled()`) to keep tests fast.
//!
//! Scripted responses are raw HTTP (status, headers, body). There are no helpers that
//! build a response from an operation's output type: generated crates have no output
//! serializers, so write the response JSON (or replay a recorded one with
//! [`ReplayEvent::from_http`]).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};

use crate::error::BoxError;
use crate::response::HttpResponse;

/// A transport for tests: turns a request into a response (or an I/O error) without any
/// network. Implemented by [`StaticReplayClient`] and the clients of [`capture_request`]
/// and [`infallible_client_fn`]; implement it to write your own fake service.
pub trait TestHttpClient: Send + Sync + 'static {
    /// Answers one attempt. An `Err` is treated as an I/O failure (a `DispatchFailure`,
    /// retried like a connection reset).
    fn call(&self, request: CapturedRequest) -> Result<HttpResponse, BoxError>;
}

/// A test transport as stored in a `Config`.
#[derive(Clone)]
pub(crate) struct SharedTestHttpClient(pub(crate) Arc<dyn TestHttpClient>);

impl fmt::Debug for SharedTestHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TestHttpClient")
    }
}

/// One request as the client sent it: after signing, exactly the bytes that would have gone
/// on the wire (minus what the HTTP library adds: `Host`).
#[derive(Clone, Debug)]
pub struct CapturedRequest {
    method: http::Method,
    uri: String,
    headers: http::HeaderMap,
    body: Bytes,
}

impl CapturedRequest {
    pub(crate) fn new(
        method: http::Method,
        uri: String,
        headers: http::HeaderMap,
        body: Bytes,
    ) -> Self {
        CapturedRequest {
            method,
            uri,
            headers,
            body,
        }
    }

    /// The HTTP method (`POST` for every AWS JSON call).
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The absolute URI (`https://lightsail.us-east-1.amazonaws.com/`).
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// All headers, signature included.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The first value of a header (case-insensitive name), if it is valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text, if it is valid UTF-8 (it always is for AWS JSON).
    pub fn body_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }
}

/// One scripted answer: an HTTP response, or an I/O error.
#[derive(Clone, Debug)]
pub struct ReplayEvent {
    outcome: Result<HttpResponse, String>,
}

impl ReplayEvent {
    /// A response with the given status, headers and body. Invalid header names or values
    /// do not panic: replaying the event fails the attempt with a message naming them.
    pub fn response(status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        let mut map = http::HeaderMap::with_capacity(headers.len());
        for (name, value) in headers {
            let (Ok(name), Ok(value)) =
                (HeaderName::try_from(*name), HeaderValue::try_from(*value))
            else {
                return ReplayEvent {
                    outcome: Err(format!(
                        "invalid scripted response header `{name}: {value}`"
                    )),
                };
            };
            map.append(name, value);
        }
        ReplayEvent {
            outcome: Ok(HttpResponse::new(status, map, body.into())),
        }
    }

    /// A response with `Content-Type: application/x-amz-json-1.1`, an `x-amzn-RequestId`
    /// and `body`.
    pub fn json(status: u16, body: impl Into<Bytes>) -> Self {
        ReplayEvent::response(
            status,
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amzn-requestid", "00000000-0000-4000-8000-000000000000"),
            ],
            body,
        )
    }

    /// An AWS JSON error response: `x-amzn-ErrorType: <code>` and
    /// `{"__type":"<code>","message":"<message>"}`.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let mut body = crate::json::JsonSerializer::new();
        body.begin_object();
        body.key("__type");
        body.string(code);
        body.key("message");
        body.string(message);
        body.end_object();
        ReplayEvent::response(
            status,
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amzn-requestid", "00000000-0000-4000-8000-000000000000"),
                ("x-amzn-errortype", code),
            ],
            body.finish(),
        )
    }

    /// An I/O failure instead of a response (a `DispatchFailure`, retried).
    pub fn io_error(message: impl Into<String>) -> Self {
        ReplayEvent {
            outcome: Err(message.into()),
        }
    }

    /// Parses a recorded response: optional `#` comment lines, the status line
    /// (`HTTP/1.1 200 OK`), `Name: value` header lines, an empty line, then the body (every
    /// remaining byte). Lines may end in LF or CRLF. A `Content-Length` header is dropped.
    pub fn from_http(text: &[u8]) -> Result<Self, String> {
        let mut rest = text;
        let next_line = |rest: &mut &[u8]| -> Option<String> {
            let end = rest.iter().position(|&b| b == b'\n')?;
            let line = &rest[..end];
            *rest = &rest[end + 1..];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            Some(String::from_utf8_lossy(line).into_owned())
        };
        let status_line = loop {
            let line = next_line(&mut rest).ok_or("no status line")?;
            if !line.starts_with('#') {
                break line;
            }
        };
        let status = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|s| s.get(..3))
            .and_then(|s| s.parse::<u16>().ok())
            .filter(|s| (100..600).contains(s))
            .ok_or_else(|| format!("bad status line `{status_line}`"))?;
        let mut headers = Vec::new();
        loop {
            let line = next_line(&mut rest).ok_or("no empty line after the headers")?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("bad header line `{line}`"))?;
            if !name.trim().eq_ignore_ascii_case("content-length") {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let event = ReplayEvent::response(status, &pairs, Bytes::copy_from_slice(rest));
        match event.outcome {
            Err(message) => Err(message),
            Ok(_) => Ok(event),
        }
    }

    /// The scripted response, or `None` for an I/O error (or an invalid header).
    pub fn http_response(&self) -> Option<&HttpResponse> {
        self.outcome.as_ref().ok()
    }

    fn replay(&self) -> Result<HttpResponse, BoxError> {
        self.outcome.clone().map_err(BoxError::from)
    }
}

impl From<HttpResponse> for ReplayEvent {
    fn from(response: HttpResponse) -> Self {
        ReplayEvent {
            outcome: Ok(response),
        }
    }
}

#[derive(Debug, Default)]
struct ReplayState {
    events: VecDeque<ReplayEvent>,
    /// Answers every request once `events` is empty (`capture_request`).
    repeat: Option<ReplayEvent>,
    requests: Vec<CapturedRequest>,
}

/// Answers the requests of a client with scripted [`ReplayEvent`]s, in order, and records
/// every request. Clones share the script and the recording.
///
/// A request after the last event fails (as an I/O error) with a message that says so.
#[derive(Clone, Debug, Default)]
pub struct StaticReplayClient {
    state: Arc<Mutex<ReplayState>>,
}

impl StaticReplayClient {
    /// A client that answers with `events`, one per attempt (retries included).
    pub fn new<I>(events: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<ReplayEvent>,
    {
        StaticReplayClient {
            state: Arc::new(Mutex::new(ReplayState {
                events: events.into_iter().map(Into::into).collect(),
                ..ReplayState::default()
            })),
        }
    }

    fn state(&self) -> MutexGuard<'_, ReplayState> {
        // A panic while holding the lock (in a test thread) leaves the data consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.state().requests.clone()
    }

    /// How many scripted events have not been used yet.
    pub fn remaining(&self) -> usize {
        self.state().events.len()
    }

    /// Asserts that every scripted event was used.
    ///
    /// # Panics
    ///
    /// When events are left (this is a test assertion).
    pub fn assert_all_consumed(&self) {
        let left = self.remaining();
        assert!(
            left == 0,
            "StaticReplayClient: {left} scripted event(s) were not used"
        );
    }
}

impl TestHttpClient for StaticReplayClient {
    fn call(&self, request: CapturedRequest) -> Result<HttpResponse, BoxError> {
        let mut state = self.state();
        state.requests.push(request);
        let number = state.requests.len();
        match state.events.pop_front().or_else(|| state.repeat.clone()) {
            Some(event) => event.replay(),
            None => Err(format!(
                "StaticReplayClient: no scripted response left for request {number}"
            )
            .into()),
        }
    }
}

/// Returns a client that answers every request with `response` (`200` with body `{}` when
/// `None`) and a receiver of the requests it got, like aws-smithy-runtime's
/// `capture_request`.
pub fn capture_request(
    response: Option<HttpResponse>,
) -> (StaticReplayClient, CaptureRequestReceiver) {
    let event = response.map_or_else(|| ReplayEvent::json(200, "{}"), ReplayEvent::from);
    let client = StaticReplayClient::default();
    client.state().repeat = Some(event);
    let receiver = CaptureRequestReceiver {
        client: client.clone(),
    };
    (client, receiver)
}

/// The requests a [`capture_request`] client received.
#[derive(Clone, Debug)]
pub struct CaptureRequestReceiver {
    client: StaticReplayClient,
}

impl CaptureRequestReceiver {
    /// The last request, if any was sent.
    pub fn try_request(&self) -> Option<CapturedRequest> {
        self.client.state().requests.last().cloned()
    }

    /// Every request, in order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.client.requests()
    }

    /// The last request.
    ///
    /// # Panics
    ///
    /// When no request was sent (this is a test assertion).
    pub fn expect_request(&self) -> CapturedRequest {
        match self.try_request() {
            Some(request) => request,
            None => panic!("capture_request: no request was sent"),
        }
    }
}

/// A test client that computes every response from the request with `f`.
pub fn infallible_client_fn<F>(f: F) -> FnClient<F>
where
    F: Fn(&CapturedRequest) -> HttpResponse + Send + Sync + 'static,
{
    FnClient { f }
}

/// The client of [`infallible_client_fn`].
pub struct FnClient<F> {
    f: F,
}

impl<F> fmt::Debug for FnClient<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnClient")
    }
}

impl<F> TestHttpClient for FnClient<F>
where
    F: Fn(&CapturedRequest) -> HttpResponse + Send + Sync + 'static,
{
    fn call(&self, request: CapturedRequest) -> Result<HttpResponse, BoxError> {
        Ok((self.f)(&request))
    }
}

/// Runs a future to completion on a new single-threaded tokio runtime with timers enabled
/// (retry backoff and timeouts need them). For doctests and synchronous tests; async tests
/// use `#[tokio::test]` instead.
///
/// # Panics
///
/// If the tokio runtime cannot be created, or when called from within a runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime.block_on(future),
        Err(err) => panic!("could not start a tokio runtime: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CapturedRequest {
        CapturedRequest::new(
            http::Method::POST,
            "https://x/".into(),
            http::HeaderMap::new(),
            Bytes::from_static(b"{}"),
        )
    }

    #[test]
    fn replays_in_order_then_fails() {
        let client =
            StaticReplayClient::new([ReplayEvent::json(200, "{}"), ReplayEvent::io_error("reset")]);
        assert_eq!(
            client.call(request()).map(|r| r.status().as_u16()).ok(),
            Some(200)
        );
        let err = client.call(request()).expect_err("io error");
        assert_eq!(err.to_string(), "reset");
        let err = client.call(request()).expect_err("exhausted");
        assert!(err.to_string().contains("request 3"), "{err}");
        assert_eq!(client.requests().len(), 3);
        client.assert_all_consumed();
    }

    #[test]
    fn bad_headers_do_not_panic() {
        let event = ReplayEvent::response(200, &[("bad name", "v")], "");
        assert!(event.http_response().is_none());
        assert!(event.replay().is_err());
    }

    #[test]
    fn parses_recorded_responses() {
        let text = b"# comment\r\nHTTP/1.1 404 Not Found\r\nX-Amzn-ErrorType: NotFoundException\nContent-Length: 3\n\n{}\n";
        let event = ReplayEvent::from_http(text).expect("parses");
        let response = event.http_response().expect("a response");
        assert_eq!(response.status().as_u16(), 404);
        assert_eq!(
            response.header("x-amzn-errortype"),
            Some("NotFoundException")
        );
        assert!(response.header("content-length").is_none());
        assert_eq!(response.body(), b"{}\n");
        assert!(ReplayEvent::from_http(b"HTTP/1.1 2x\n\n").is_err());
        assert!(ReplayEvent::from_http(b"").is_err());
        assert!(ReplayEvent::from_http(b"HTTP/1.1 200 OK\nno-colon\n\n").is_err());
    }

    #[test]
    fn capture_repeats_the_response() {
        let (client, rx) = capture_request(None);
        assert!(rx.try_request().is_none());
        for _ in 0..2 {
            assert_eq!(
                client.call(request()).map(|r| r.status().as_u16()).ok(),
                Some(200)
            );
        }
        assert_eq!(rx.requests().len(), 2);
        assert_eq!(rx.expect_request().body_str(), Some("{}"));
    }

    #[test]
    fn error_events_are_aws_json_errors() {
        // An invalid header value makes the event an error rather than a panic.
        assert!(ReplayEvent::error(400, "Bad\nCode", "m")
            .http_response()
            .is_none());
        let event = ReplayEvent::error(400, "InvalidInputException", "no \"name\"");
        let response = event.http_response().expect("a response");
        assert_eq!(
            response.body(),
            br#"{"__type":"InvalidInputException","message":"no \"name\""}"#
        );
    }
}
