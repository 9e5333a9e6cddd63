//! What the server does with a request: a [`Response`], or one of the faults of [`Action`],
//! and how each is written to the socket.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// How long a stalled connection ([`Action::Stall`], [`Action::StallBody`]) is held at the
/// most, far longer than any client timeout in the tests; then it is closed. Dropping the
/// server closes it sooner.
pub const STALL_LIMIT: Duration = Duration::from_secs(30);

/// A scripted HTTP response. `Content-Length` is always computed from the body (one among
/// `headers` is not written), so a hand-written response cannot get it wrong; to announce a
/// length the body does not have, use [`Action::Truncate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The reason phrase of the status line.
    pub reason: String,
    /// Headers in order, names as written.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            reason: reason_phrase(status).to_owned(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// An awsJson 1.1 response: `x-amzn-RequestId: <request_id>` and
    /// `Content-Type: application/x-amz-json-1.1`.
    pub fn json(status: u16, request_id: &str, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, body)
            .header("x-amzn-RequestId", request_id)
            .header("Content-Type", "application/x-amz-json-1.1")
    }

    /// An AWS JSON error: `x-amzn-ErrorType: <error_type>` and a body with `__type` and
    /// `message` (request id `req-<status>`).
    pub fn aws_error(status: u16, error_type: &str, message: &str) -> Response {
        let body = format!(
            r#"{{"__type":"{}","message":"{}"}}"#,
            json_escape(error_type),
            json_escape(message)
        );
        Response::json(status, &format!("req-{status}"), body)
            .header("x-amzn-ErrorType", error_type)
    }

    /// A throttling error (`400 ThrottlingException`), with an `x-amz-retry-after` header
    /// (milliseconds, as text) when `retry_after` is given.
    pub fn throttling(retry_after: Option<&str>) -> Response {
        let response = Response::aws_error(400, "ThrottlingException", "Rate exceeded");
        match retry_after {
            Some(value) => response.header("x-amz-retry-after", value),
            None => response,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces every `Content-Type` with `content_type` (e.g. `text/html` on a JSON body:
    /// the wrong-content-type fault).
    pub fn content_type(mut self, content_type: &str) -> Response {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        self.header("Content-Type", content_type)
    }

    /// The first value of a header (name matched case-insensitively).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The status line and headers, announcing a body of `content_length` bytes.
    pub fn head(&self, content_length: u64) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason);
        for (name, value) in &self.headers {
            if !name.eq_ignore_ascii_case("content-length") {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        out.push_str(&format!("Content-Length: {content_length}\r\n\r\n"));
        out.into_bytes()
    }

    /// The bytes written to the socket.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.head(self.body.len() as u64);
        out.extend_from_slice(&self.body);
        out
    }

    fn asks_to_close(&self) -> bool {
        self.header_value("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

fn json_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The usual reason phrase of a status.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        411 => "Length Required",
        413 => "Content Too Large",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Scripted",
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Action {
    /// Answer with this response (keep-alive, unless it or the request says
    /// `Connection: close`).
    Respond(Response),
    /// Reset the connection (TCP RST, `SO_LINGER` 0) without answering.
    Reset,
    /// Close the connection (FIN) without answering.
    Close,
    /// Never answer; the connection is held until [`STALL_LIMIT`].
    Stall,
    /// Send the head (with the full `Content-Length`) and the first half of the body, then
    /// hold the connection until [`STALL_LIMIT`]: the body never completes.
    StallBody(Response),
    /// Send the head with the full `Content-Length`, then only the first `send` bytes of
    /// the body, then close: a truncated body.
    Truncate {
        /// The response whose body is cut.
        response: Response,
        /// How many body bytes are sent.
        send: usize,
    },
    /// Send the head at once, then the body `chunk` bytes at a time, one chunk every
    /// `every`: a slow trickle.
    Trickle {
        /// The response sent slowly.
        response: Response,
        /// Bytes per write (at least 1).
        chunk: usize,
        /// The pause between writes.
        every: Duration,
    },
    /// A `text/html` error page of exactly `size` bytes (e.g. 64 MiB from a proxy in front
    /// of the service), written from one reused 64 KiB buffer, so a huge body costs no
    /// memory in the test.
    HugeHtml {
        /// The status code.
        status: u16,
        /// The body size in bytes.
        size: u64,
    },
    /// Wait `delay`, then do `then`: a slow server that answers late (e.g. an IMDS that
    /// takes longer than the client's read timeout). The request is recorded at once, so a
    /// client that gave up still shows its attempt. The delay counts toward
    /// [`ACTION_LIMIT`](super::ACTION_LIMIT). Build it with [`Action::after`].
    Delay {
        /// How long to wait before acting.
        delay: Duration,
        /// What to do then.
        then: Box<Action>,
    },
}

impl From<Response> for Action {
    fn from(response: Response) -> Action {
        Action::Respond(response)
    }
}

impl Action {
    /// An awsJson 1.1 answer with request id `req-<status>`.
    pub fn json(status: u16, body: &str) -> Action {
        Action::Respond(Response::json(status, &format!("req-{status}"), body))
    }

    /// An AWS JSON error whose `__type` is `com.amazonaws.lightsail#<code>`, as awsJson
    /// services send it (clients strip the namespace).
    pub fn error(status: u16, code: &str, message: &str) -> Action {
        let body = format!(
            r#"{{"__type":"com.amazonaws.lightsail#{}","message":"{}"}}"#,
            json_escape(code),
            json_escape(message)
        );
        Action::json(status, &body)
    }

    /// This action, performed `delay` after the request arrived ([`Action::Delay`]).
    pub fn after(self, delay: Duration) -> Action {
        Action::Delay {
            delay,
            then: Box::new(self),
        }
    }

    /// Adds a header to the response of `Respond`, `StallBody`, `Truncate` and `Trickle`,
    /// also when delayed (the other actions send no head).
    pub fn with_header(mut self, name: &str, value: &str) -> Action {
        match &mut self {
            Action::Respond(r)
            | Action::StallBody(r)
            | Action::Truncate { response: r, .. }
            | Action::Trickle { response: r, .. } => {
                r.headers.push((name.to_owned(), value.to_owned()));
            }
            Action::Delay { then, .. } => {
                let inner = std::mem::replace(&mut **then, Action::Close);
                **then = inner.with_header(name, value);
            }
            Action::Reset | Action::Close | Action::Stall | Action::HugeHtml { .. } => {}
        }
        self
    }
}

/// Whether the connection stays open after an action.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum After {
    KeepAlive,
    Close,
}

/// Performs `action` on `stream`. `close` is set when the request asked for
/// `Connection: close`. Write errors close the connection.
pub(crate) async fn perform(action: Action, stream: &mut TcpStream, close: bool) -> After {
    let result = match action {
        Action::Respond(response) => {
            let close = close || response.asks_to_close();
            match stream.write_all(&response.to_bytes()).await {
                Ok(()) if !close => return After::KeepAlive,
                _ => Ok(()),
            }
        }
        Action::Reset => stream.set_zero_linger(),
        Action::Close => stream.shutdown().await,
        Action::Stall => {
            tokio::time::sleep(STALL_LIMIT).await;
            Ok(())
        }
        Action::StallBody(response) => {
            let half = response.body.len() / 2;
            let sent = write_head_and(stream, &response, &response.body[..half]).await;
            if sent.is_ok() {
                tokio::time::sleep(STALL_LIMIT).await;
            }
            sent
        }
        Action::Truncate { response, send } => {
            let send = send.min(response.body.len());
            write_head_and(stream, &response, &response.body[..send]).await
        }
        Action::Trickle {
            response,
            chunk,
            every,
        } => trickle(stream, &response, chunk.max(1), every).await,
        Action::HugeHtml { status, size } => huge_html(stream, status, size).await,
        Action::Delay { delay, then } => {
            tokio::time::sleep(delay).await;
            // Boxed: an async fn that calls itself needs the indirection.
            return Box::pin(perform(*then, stream, close)).await;
        }
    };
    // Whatever happened, this connection is done; errors mean the client left first.
    let _ = result;
    After::Close
}

async fn write_head_and(
    stream: &mut TcpStream,
    response: &Response,
    body: &[u8],
) -> std::io::Result<()> {
    stream
        .write_all(&response.head(response.body.len() as u64))
        .await?;
    stream.write_all(body).await?;
    stream.flush().await
}

async fn trickle(
    stream: &mut TcpStream,
    response: &Response,
    chunk: usize,
    every: Duration,
) -> std::io::Result<()> {
    stream
        .write_all(&response.head(response.body.len() as u64))
        .await?;
    stream.flush().await?;
    for piece in response.body.chunks(chunk) {
        tokio::time::sleep(every).await;
        stream.write_all(piece).await?;
        stream.flush().await?;
    }
    Ok(())
}

/// The reused block of [`Action::HugeHtml`] bodies.
const HTML_BLOCK: usize = 64 * 1024;

async fn huge_html(stream: &mut TcpStream, status: u16, size: u64) -> std::io::Result<()> {
    let head = Response::new(status, Vec::new())
        .header("Content-Type", "text/html")
        .head(size);
    stream.write_all(&head).await?;
    let opening = format!(
        "<!DOCTYPE html><html><head><title>{status} {}</title></head><body>",
        reason_phrase(status)
    );
    let filler = b"<p>The server is unable to handle the request.</p>\n";
    let mut block = opening.into_bytes();
    while block.len() < HTML_BLOCK {
        block.extend_from_slice(filler);
    }
    block.truncate(HTML_BLOCK);
    let mut left = size;
    while left > 0 {
        let n = left.min(HTML_BLOCK as u64) as usize;
        stream.write_all(&block[..n]).await?;
        left -= n as u64;
    }
    stream.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_compute_their_length_and_escape_errors() {
        let r = Response::json(200, "id-1", "{}").header("Content-Length", "999");
        assert_eq!(
            String::from_utf8(r.to_bytes()).unwrap(),
            "HTTP/1.1 200 OK\r\nx-amzn-RequestId: id-1\r\nContent-Type: \
             application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}"
        );
        let e = Response::aws_error(503, "Busy", "say \"later\"\n");
        assert_eq!(
            e.body,
            br#"{"__type":"Busy","message":"say \"later\"\u000a"}"#
        );
        assert_eq!(e.header_value("X-AMZN-ERRORTYPE"), Some("Busy"));
        assert_eq!(e.reason, "Service Unavailable");
        let t = Response::throttling(Some("1500"));
        assert_eq!(t.header_value("x-amz-retry-after"), Some("1500"));
        assert_eq!(
            Response::throttling(None).header_value("x-amz-retry-after"),
            None
        );
        let html = Response::json(200, "x", "{}").content_type("text/html");
        assert_eq!(html.header_value("content-type"), Some("text/html"));
        assert_eq!(html.headers.len(), 2);
    }

    #[test]
    fn with_header_reaches_every_response_carrying_action() {
        let response = Response::new(200, "x");
        for action in [
            Action::Respond(response.clone()),
            Action::StallBody(response.clone()),
            Action::Truncate {
                response: response.clone(),
                send: 0,
            },
            Action::Trickle {
                response: response.clone(),
                chunk: 1,
                every: Duration::ZERO,
            },
        ] {
            let (Action::Respond(r)
            | Action::StallBody(r)
            | Action::Truncate { response: r, .. }
            | Action::Trickle { response: r, .. }) = action.with_header("Date", "now")
            else {
                panic!("action changed kind");
            };
            assert_eq!(r.header_value("date"), Some("now"));
        }
        let delayed = Action::Respond(response).after(Duration::from_millis(7));
        let Action::Delay { delay, then } = delayed.with_header("Date", "later") else {
            panic!("a delayed action stays delayed");
        };
        assert_eq!(delay, Duration::from_millis(7));
        let Action::Respond(r) = *then else {
            panic!("the delayed action changed kind");
        };
        assert_eq!(r.header_value("date"), Some("later"));
    }
}
