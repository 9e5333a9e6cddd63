//! The raw HTTP response every parser and error sees.

use std::fmt;

/// The status of a response: aws-sdk-rust's type (`as_u16()`, `is_success()`,
/// `is_client_error()`, `is_server_error()`).
pub use aws_smithy_runtime_api::http::StatusCode;

/// A complete HTTP response: status, headers and the whole body.
#[derive(Clone)]
pub struct HttpResponse {
    status: StatusCode,
    headers: http::HeaderMap,
    body: bytes::Bytes,
}

impl HttpResponse {
    /// Creates a response from its parts. A status outside 100–999, which no HTTP stack
    /// produces, is read as 500.
    pub fn new(status: u16, headers: http::HeaderMap, body: impl Into<bytes::Bytes>) -> Self {
        let status = http::StatusCode::from_u16(status)
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
            .into();
        HttpResponse {
            status,
            headers,
            body: body.into(),
        }
    }

    /// The HTTP status code (`.as_u16()` for the number), as aws-sdk-rust's raw response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The first value of a header, if it is valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The response body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The request id the service assigned (`x-amzn-RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        // `x-amz-request-id` is what some services (and S3-style proxies) send instead.
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status.as_u16())
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}
