//! Reading HTTP/1.1 requests off a connection, bounded: a request head of at most
//! [`MAX_HEAD`] bytes, a `Content-Length` body of at most [`MAX_BODY`] bytes. Input that is
//! not HTTP/1.x is a [`ReadError::Malformed`] with the status the server answers it with,
//! never a panic.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

/// The longest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// The longest request body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// A request as the server received it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CapturedRequest {
    /// Which connection it came on: 1 for the first connection the server accepted, 2 for
    /// the next, ... A retry on a fresh connection has a higher number than the attempt
    /// before it.
    pub connection: u64,
    /// `POST`.
    pub method: String,
    /// The request target, e.g. `/`.
    pub path: String,
    /// Headers in arrival order, names as sent, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body (read by `Content-Length`).
    pub body: Vec<u8>,
}

impl CapturedRequest {
    /// The first value of a header (name matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).into_iter().next()
    }

    /// Every value of a header, in order (name matched case-insensitively).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// How many times a header occurs.
    pub fn header_count(&self, name: &str) -> usize {
        self.header_values(name).len()
    }

    /// The body as text (lossy), for assertion messages.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why no request was read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The connection failed or closed in the middle of a request: nothing to answer.
    Io,
    /// Not a request this server reads: answered with this status and message, then the
    /// connection is closed.
    Malformed(u16, String),
}

impl From<std::io::Error> for ReadError {
    fn from(_: std::io::Error) -> Self {
        ReadError::Io
    }
}

fn malformed(status: u16, message: &str) -> ReadError {
    ReadError::Malformed(status, message.to_owned())
}

/// Reads one request; `Ok(None)` at a clean end of the connection (EOF between requests).
pub async fn read_request<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    connection: u64,
) -> Result<Option<CapturedRequest>, ReadError> {
    // Not HTTP (a TLS client hello starts with 0x16): refuse at once instead of waiting for
    // a line end that may never come.
    let first = reader.fill_buf().await?;
    match first.first() {
        None => return Ok(None),
        Some(b) if b.is_ascii_uppercase() || b.is_ascii_whitespace() => {}
        Some(_) => return Err(malformed(400, "Not an HTTP/1.x request.")),
    }
    let mut head = Vec::new();
    loop {
        let limit = (MAX_HEAD + 1).saturating_sub(head.len()) as u64;
        let n = (&mut *reader)
            .take(limit)
            .read_until(b'\n', &mut head)
            .await?;
        if n == 0 {
            return if head.iter().all(u8::is_ascii_whitespace) {
                Ok(None)
            } else {
                Err(malformed(400, "The request head is incomplete."))
            };
        }
        if head.len() > MAX_HEAD {
            return Err(malformed(431, "The request head is too large."));
        }
        // Empty lines before the request line are ignored (RFC 9112).
        if head == b"\r\n" || head == b"\n" {
            head.clear();
            continue;
        }
        if head.ends_with(b"\n\r\n") || head.ends_with(b"\n\n") {
            break;
        }
    }
    let text =
        String::from_utf8(head).map_err(|_| malformed(400, "The request head is not UTF-8."))?;
    let mut lines = text.lines();
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(path), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed(
            400,
            format!("Bad request line `{}`.", request_line.escape_debug()),
        ));
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(ReadError::Malformed(
            505,
            format!("Unsupported version `{}`.", version.escape_debug()),
        ));
    }
    let mut request = CapturedRequest {
        connection,
        method: method.to_owned(),
        path: path.to_owned(),
        ..CapturedRequest::default()
    };
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| malformed(400, "Bad header line."))?;
        request
            .headers
            .push((name.trim().to_owned(), value.trim().to_owned()));
    }
    // Chunked request bodies are never sent by the clients under test; refusing them keeps
    // the reader small.
    if request.header("transfer-encoding").is_some() {
        return Err(malformed(411, "Send the body with a Content-Length."));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| malformed(400, "Bad Content-Length."))?,
    };
    if length > MAX_BODY {
        return Err(malformed(413, "The request body is too large."));
    }
    request.body = vec![0; length];
    reader.read_exact(&mut request.body).await?;
    Ok(Some(request))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_requests_and_rejects_malformed_http() {
        let raw = b"\r\nPOST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
        let mut reader = BufReader::new(&raw[..]);
        let request = read_request(&mut reader, 7)
            .await
            .expect("ok")
            .expect("a request");
        assert_eq!(request.connection, 7);
        assert_eq!(
            (request.method.as_str(), request.body.as_slice()),
            ("POST", &b"{}"[..])
        );
        assert_eq!(request.header("HOST"), Some("x"));
        assert!(read_request(&mut reader, 7).await.expect("ok").is_none());

        for (raw, status) in [
            (&b"GARBAGE\r\n\r\n"[..], 400),
            (b"POST / HTTP/2\r\n\r\n", 505),
            (b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n", 413),
            (
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                411,
            ),
            (b"POST / HTTP/1.1\r\nno colon\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nHost", 400),
            (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\n", 400),
        ] {
            let mut reader = BufReader::new(raw);
            match read_request(&mut reader, 1).await {
                Err(ReadError::Malformed(got, _)) => assert_eq!(got, status, "{raw:?}"),
                other => panic!("{raw:?}: {other:?}"),
            }
        }
        let huge = vec![b'A'; MAX_HEAD + 10];
        let mut reader = BufReader::new(&huge[..]);
        assert!(matches!(
            read_request(&mut reader, 1).await,
            Err(ReadError::Malformed(431, _))
        ));
        // A body shorter than its Content-Length is an I/O error, not a panic.
        let mut reader = BufReader::new(&b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n{}"[..]);
        assert_eq!(read_request(&mut reader, 1).await, Err(ReadError::Io));
    }

    #[test]
    fn header_lookup_ignores_case_and_keeps_order() {
        let request = CapturedRequest {
            headers: vec![
                ("X-A".into(), "1".into()),
                ("x-a".into(), "2".into()),
                ("Other".into(), "3".into()),
            ],
            ..CapturedRequest::default()
        };
        assert_eq!(request.header("x-A"), Some("1"));
        assert_eq!(request.header_values("X-a"), ["1", "2"]);
        assert_eq!(request.header_count("x-a"), 2);
        assert_eq!(request.header("missing"), None);
    }
}
