//! A loopback Lightsail endpoint for the demo: `GetContainerServiceDeployments` over
//! HTTP/1.1 on `127.0.0.1`, serving recorded responses and checking each request the way the
//! real service would.
//!
//! Checks, in order ([`handle`]):
//!
//! 1. `POST /`, else `404 UnknownOperationException`;
//! 2. `X-Amz-Target: Lightsail_20161128.GetContainerServiceDeployments`, else
//!    `400 UnknownOperationException`;
//! 3. an `Authorization` header, else `403 MissingAuthenticationTokenException`, of SigV4
//!    shape (`AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/lightsail/aws4_request,
//!    SignedHeaders=..., Signature=<64 hex>`, with a matching `X-Amz-Date`), else
//!    `403 IncompleteSignatureException`. The signature itself is not verified;
//! 4. `Content-Type: application/x-amz-json-1.1` and a JSON object body whose `serviceName` is
//!    a string of length 1..=63 fully matching `^[a-z0-9]{1,2}|[a-z0-9][a-z0-9-]+[a-z0-9]$`,
//!    else `400 InvalidInputException`;
//! 5. a known service ([`SERVICES`]), else `404 NotFoundException`.
//!
//! Errors carry `x-amzn-ErrorType` and a body with `__type` and `message` (Lightsail's own
//! errors also `code`, `docs` and `tip`), as Lightsail sends them.
//!
//! Connections are bounded: 16 KiB of request head, 64 KiB of body, 10 s to read a request,
//! 10 s to write a response. Malformed HTTP gets a `400` and the connection is closed.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use lightsail::primitives::{DateTime, DateTimeFormat};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The `X-Amz-Target` of the one operation served.
pub const TARGET: &str = "Lightsail_20161128.GetContainerServiceDeployments";

/// The container services the endpoint knows, with the response body of each (taken from
/// `tests/recorded/get_container_service_deployments/`).
pub const SERVICES: &[(&str, &str)] = &[
    ("demo", include_str!("../demo/responses/demo.json")),
    ("empty", include_str!("../demo/responses/empty.json")),
];

/// The longest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// The longest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// How long reading one request (or waiting for the next on a kept-alive connection) may take.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long writing one response may take.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

const LIGHTSAIL_DOCS: &str = "https://lightsail.aws.amazon.com/ls/docs/all";

/// The body served for a known service.
pub fn served_body(service: &str) -> Option<&'static str> {
    SERVICES
        .iter()
        .find(|(name, _)| *name == service)
        .map(|(_, body)| *body)
}

/// An HTTP request as received.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `POST`.
    pub method: String,
    /// The request target (`/`).
    pub path: String,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP response to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Extra headers (`Content-Type`, `Content-Length`, `Date` and `x-amzn-RequestId` are
    /// added when it is written).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    fn ok(body: &str) -> Response {
        Response {
            status: 200,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// An error as a generic AWS service sends it: `__type` and `message`.
    fn aws_error(status: u16, code: &str, message: &str) -> Response {
        Response {
            status,
            headers: vec![("x-amzn-ErrorType".into(), code.into())],
            body: json!({ "__type": code, "message": message })
                .to_string()
                .into_bytes(),
        }
    }

    /// A modeled Lightsail error: `__type`, `code`, `docs`, `message` and `tip`.
    fn lightsail_error(status: u16, code: &str, short: &str, message: &str, tip: &str) -> Response {
        Response {
            status,
            headers: vec![("x-amzn-ErrorType".into(), code.into())],
            body: json!({
                "__type": code,
                "code": short,
                "docs": LIGHTSAIL_DOCS,
                "message": message,
                "tip": tip,
            })
            .to_string()
            .into_bytes(),
        }
    }

    fn invalid_input(message: &str) -> Response {
        Response::lightsail_error(
            400,
            "InvalidInputException",
            "InvalidInput",
            message,
            "Check the request parameters against the API reference.",
        )
    }

    /// The error code (`x-amzn-ErrorType`), if this is an error.
    pub fn error_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-amzn-errortype"))
            .map(|(_, v)| v.as_str())
    }
}

/// Whether `name` is a valid container service name: 1 to 63 characters fully matching
/// `^[a-z0-9]{1,2}|[a-z0-9][a-z0-9-]+[a-z0-9]$`.
pub fn valid_service_name(name: &str) -> bool {
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let b = name.as_bytes();
    match b.len() {
        0 => false,
        1 | 2 => b.iter().all(alnum),
        n if n > 63 => false,
        n => alnum(&b[0]) && alnum(&b[n - 1]) && b[1..n - 1].iter().all(|c| alnum(c) || *c == b'-'),
    }
}

/// Checks the shape of a SigV4 `Authorization` header (not the signature) and that its date
/// is the one of `x_amz_date`.
pub fn check_authorization(authorization: &str, x_amz_date: Option<&str>) -> Result<(), String> {
    let rest = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("Authorization header requires the AWS4-HMAC-SHA256 algorithm.")?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=').ok_or_else(|| {
            format!(
                "Authorization header part `{}` is not key=value.",
                part.trim()
            )
        })?;
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value),
            "Signature" => signature = Some(value),
            _ => {}
        }
    }
    let credential = credential.ok_or("Authorization header requires 'Credential' parameter.")?;
    let signed_headers =
        signed_headers.ok_or("Authorization header requires 'SignedHeaders' parameter.")?;
    let signature = signature.ok_or("Authorization header requires 'Signature' parameter.")?;

    let scope: Vec<&str> = credential.split('/').collect();
    let [key_id, date, region, service, terminator] = scope[..] else {
        return Err(format!(
            "Credential `{credential}` is not <key id>/<date>/<region>/<service>/aws4_request."
        ));
    };
    if key_id.is_empty() || region.is_empty() {
        return Err(format!(
            "Credential `{credential}` has an empty key id or region."
        ));
    }
    if date.len() != 8 || !date.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!("Credential date `{date}` is not yyyymmdd."));
    }
    if service != "lightsail" {
        return Err(format!(
            "Credential should be scoped to correct service: 'lightsail', not '{service}'."
        ));
    }
    if terminator != "aws4_request" {
        return Err(format!("Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."));
    }
    let signed: Vec<&str> = signed_headers.split(';').collect();
    for required in ["host", "x-amz-date"] {
        if !signed.contains(&required) {
            return Err(format!(
                "SignedHeaders `{signed_headers}` must include {required}."
            ));
        }
    }
    if signature.len() != 64
        || !signature
            .bytes()
            .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err("Signature must be 64 lowercase hex digits.".into());
    }
    let x_amz_date = x_amz_date.ok_or("Authorization requires an X-Amz-Date header.")?;
    let well_formed = x_amz_date.len() == 16
        && x_amz_date.is_char_boundary(8)
        && x_amz_date[..8].bytes().all(|c| c.is_ascii_digit())
        && x_amz_date.as_bytes()[8] == b'T'
        && x_amz_date.ends_with('Z');
    if !well_formed {
        return Err(format!(
            "X-Amz-Date `{x_amz_date}` is not yyyymmddThhmmssZ."
        ));
    }
    if &x_amz_date[..8] != date {
        return Err(format!(
            "Date in Credential scope does not match YYYYMMDD from X-Amz-Date: '{date}' != '{}'.",
            &x_amz_date[..8]
        ));
    }
    Ok(())
}

/// Checks a request and answers it (see the module documentation for the checks).
pub fn handle(request: &Request) -> Response {
    match check(request) {
        Ok(service) => match served_body(&service) {
            Some(body) => Response::ok(body),
            None => Response::lightsail_error(
                404,
                "NotFoundException",
                "NotFound",
                &format!("The container service \"{service}\" does not exist."),
                "Check the name and the region of the container service.",
            ),
        },
        Err(response) => response,
    }
}

/// The checks of [`handle`]: the requested service name, or the error response.
fn check(request: &Request) -> Result<String, Response> {
    if request.method != "POST" || request.path != "/" {
        return Err(Response::aws_error(
            404,
            "UnknownOperationException",
            &format!(
                "{} {} is not an operation of this service.",
                request.method, request.path
            ),
        ));
    }
    match request.header("x-amz-target") {
        Some(TARGET) => {}
        Some(other) => {
            return Err(Response::aws_error(
                400,
                "UnknownOperationException",
                &format!("Unknown operation {other}."),
            ))
        }
        None => {
            return Err(Response::aws_error(
                400,
                "UnknownOperationException",
                "Missing X-Amz-Target header.",
            ))
        }
    }
    let Some(authorization) = request.header("authorization") else {
        return Err(Response::aws_error(
            403,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    check_authorization(authorization, request.header("x-amz-date"))
        .map_err(|message| Response::aws_error(403, "IncompleteSignatureException", &message))?;

    let content_type = request.header("content-type").unwrap_or_default();
    if !content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-amz-json-1.1"))
    {
        return Err(Response::invalid_input(&format!(
            "Content-Type `{content_type}` is not application/x-amz-json-1.1."
        )));
    }
    let body: Value = serde_json::from_slice(&request.body).map_err(|e| {
        Response::invalid_input(&format!("The request body is not valid JSON: {e}."))
    })?;
    let Value::Object(members) = body else {
        return Err(Response::invalid_input(
            "The request body is not a JSON object.",
        ));
    };
    let name = match members.get("serviceName") {
        None | Some(Value::Null) => {
            return Err(Response::invalid_input(
                "1 validation error detected: Value null at 'serviceName' failed to satisfy \
                 constraint: Member must not be null",
            ))
        }
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            return Err(Response::invalid_input(&format!(
                "1 validation error detected: Value {other} at 'serviceName' failed to satisfy \
                 constraint: Member must be a string"
            )))
        }
    };
    let length = name.chars().count();
    if !(1..=63).contains(&length) {
        return Err(Response::invalid_input(&format!(
            "1 validation error detected: Value '{name}' at 'serviceName' failed to satisfy \
             constraint: Member must have length between 1 and 63"
        )));
    }
    if !valid_service_name(&name) {
        return Err(Response::invalid_input(&format!(
            "1 validation error detected: Value '{name}' at 'serviceName' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: \
             ^[a-z0-9]{{1,2}}|[a-z0-9][a-z0-9-]+[a-z0-9]$"
        )));
    }
    Ok(name)
}

/// A running demo endpoint. Stops when dropped.
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl DemoServer {
    /// Starts serving on `127.0.0.1:<port>` (`0`: a free port). With `log`, one line per
    /// request goes to stderr.
    pub async fn start(port: u16, log: bool) -> io::Result<DemoServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        tokio::spawn(serve_connection(stream, log));
                    }
                    Err(err) => {
                        if log {
                            eprintln!("demo server: accept failed: {err}");
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
        });
        Ok(DemoServer { addr, task })
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint URL (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A request that could not be read as HTTP: answered, then the connection is closed.
#[derive(Debug)]
enum ReadError {
    Io,
    Http(u16, String),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Io
    }
}

/// Reads one request; `None` at a clean end of the connection.
async fn read_request<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> Result<Option<Request>, ReadError> {
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
                Err(ReadError::Http(
                    400,
                    "The request head is incomplete.".into(),
                ))
            };
        }
        if head.len() > MAX_HEAD {
            return Err(ReadError::Http(
                431,
                "The request head is too large.".into(),
            ));
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
    let text = String::from_utf8(head)
        .map_err(|_| ReadError::Http(400, "The request head is not UTF-8.".into()))?;
    let mut lines = text.lines();
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(path), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Http(
            400,
            format!("Bad request line `{request_line}`."),
        ));
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(ReadError::Http(
            505,
            format!("Unsupported version `{version}`."),
        ));
    }
    let mut request = Request {
        method: method.to_owned(),
        path: path.to_owned(),
        ..Request::default()
    };
    for line in lines.take_while(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Http(400, "Bad header line.".into()));
        };
        request
            .headers
            .push((name.trim().to_owned(), value.trim().to_owned()));
    }
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Http(
            411,
            "Send the body with a Content-Length.".into(),
        ));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| ReadError::Http(400, "Bad Content-Length.".into()))?,
    };
    if length > MAX_BODY {
        return Err(ReadError::Http(
            413,
            "The request body is too large.".into(),
        ));
    }
    request.body = vec![0; length];
    reader.read_exact(&mut request.body).await?;
    Ok(Some(request))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// A fresh request id (UUID-shaped, a counter).
fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("de300000-0000-4000-8000-{:012x}", n & 0xffff_ffff_ffff)
}

/// The bytes of a response.
fn encode(response: &Response, close: bool) -> Vec<u8> {
    let date = DateTime::from(SystemTime::now())
        .fmt(DateTimeFormat::HttpDate)
        .unwrap_or_default();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nx-amzn-RequestId: {}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         Content-Length: {}\r\nDate: {date}\r\n",
        response.status,
        reason(response.status),
        request_id(),
        response.body.len(),
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    bytes
}

async fn write<W: AsyncWrite + Unpin>(writer: &mut W, bytes: &[u8]) -> bool {
    matches!(
        tokio::time::timeout(WRITE_TIMEOUT, writer.write_all(bytes)).await,
        Ok(Ok(()))
    )
}

/// Serves the requests of one connection (keep-alive) until it closes, misbehaves or idles.
async fn serve_connection(stream: TcpStream, log: bool) {
    let mut reader = BufReader::new(stream);
    loop {
        let request = match tokio::time::timeout(READ_TIMEOUT, read_request(&mut reader)).await {
            Ok(Ok(Some(request))) => request,
            Ok(Ok(None)) | Ok(Err(ReadError::Io)) | Err(_) => return,
            Ok(Err(ReadError::Http(status, message))) => {
                let response = Response::aws_error(status, "BadRequest", &message);
                if log {
                    eprintln!("demo server: malformed request -> {status} {message}");
                }
                let _ = write(reader.get_mut(), &encode(&response, true)).await;
                return;
            }
        };
        let response = handle(&request);
        if log {
            let name = serde_json::from_slice::<Value>(&request.body)
                .ok()
                .and_then(|v| v.get("serviceName").cloned())
                .map_or_else(|| "-".to_owned(), |v| v.to_string());
            eprintln!(
                "demo server: {} {} {} serviceName={name} -> {} {}",
                request.method,
                request.path,
                request.header("x-amz-target").unwrap_or("-").escape_debug(),
                response.status,
                response.error_type().unwrap_or("")
            );
        }
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if !write(reader.get_mut(), &encode(&response, close)).await || close {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/lightsail/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn request(body: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/".into(),
            headers: vec![
                ("Content-Type".into(), "application/x-amz-json-1.1".into()),
                ("X-Amz-Target".into(), TARGET.into()),
                ("X-Amz-Date".into(), "20240102T030405Z".into()),
                ("Authorization".into(), AUTH.into()),
            ],
            body: body.as_bytes().to_vec(),
        }
    }

    fn with_header(mut r: Request, name: &str, value: Option<&str>) -> Request {
        r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(value) = value {
            r.headers.push((name.into(), value.into()));
        }
        r
    }

    fn body_json(response: &Response) -> Value {
        serde_json::from_slice(&response.body).expect("JSON body")
    }

    #[test]
    fn good_request_gets_the_recording() {
        let response = handle(&request(r#"{"serviceName":"demo"}"#));
        assert_eq!(response.status, 200);
        assert_eq!(
            body_json(&response)["deployments"].as_array().map(Vec::len),
            Some(4)
        );
        let response = handle(&request(r#"{"serviceName":"empty"}"#));
        assert_eq!(
            response.body,
            br#"{"deployments":[]}
"#
        );
    }

    #[test]
    fn unknown_service_is_not_found() {
        let response = handle(&request(r#"{"serviceName":"nope"}"#));
        assert_eq!(response.status, 404);
        assert_eq!(response.error_type(), Some("NotFoundException"));
        let body = body_json(&response);
        assert_eq!(body["__type"], "NotFoundException");
        assert_eq!(body["code"], "NotFound");
        assert_eq!(
            body["message"],
            "The container service \"nope\" does not exist."
        );
    }

    #[test]
    fn bad_input_is_invalid_input() {
        for body in [
            "",
            "not json",
            "[]",
            "{}",
            r#"{"serviceName":null}"#,
            r#"{"serviceName":7}"#,
            r#"{"serviceName":""}"#,
            r#"{"serviceName":"Demo"}"#,
            r#"{"serviceName":"-ab"}"#,
            r#"{"serviceName":"ab-"}"#,
            r#"{"serviceName":"a_b"}"#,
            r#"{"serviceName":"é"}"#,
        ] {
            let response = handle(&request(body));
            assert_eq!(response.status, 400, "{body}");
            assert_eq!(
                response.error_type(),
                Some("InvalidInputException"),
                "{body}"
            );
            assert_eq!(body_json(&response)["code"], "InvalidInput");
        }
        let long = format!(r#"{{"serviceName":"{}"}}"#, "a".repeat(64));
        let response = handle(&request(&long));
        assert!(String::from_utf8_lossy(&response.body).contains("length between 1 and 63"));
        let wrong_type = with_header(request("{}"), "content-type", Some("application/json"));
        assert_eq!(
            handle(&wrong_type).error_type(),
            Some("InvalidInputException")
        );
    }

    #[test]
    fn service_name_pattern() {
        for ok in [
            "a",
            "0",
            "ab",
            "a1",
            "a-b",
            "demo",
            "my-service-1",
            &"a".repeat(63),
        ] {
            assert!(valid_service_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-",
            "a-",
            "-a",
            "A",
            "ab_c",
            "a b",
            &"a".repeat(64),
            "é",
        ] {
            assert!(!valid_service_name(bad), "{bad}");
        }
    }

    #[test]
    fn wrong_method_path_or_target() {
        let mut get = request(r#"{"serviceName":"demo"}"#);
        get.method = "GET".into();
        assert_eq!(handle(&get).status, 404);
        assert_eq!(handle(&get).error_type(), Some("UnknownOperationException"));
        let mut path = request(r#"{"serviceName":"demo"}"#);
        path.path = "/x".into();
        assert_eq!(handle(&path).status, 404);
        for target in [None, Some("Lightsail_20161128.GetInstances")] {
            let r = with_header(request("{}"), "x-amz-target", target);
            assert_eq!(handle(&r).status, 400);
            assert_eq!(handle(&r).error_type(), Some("UnknownOperationException"));
        }
    }

    #[test]
    fn authorization_is_checked() {
        let missing = with_header(request("{}"), "authorization", None);
        assert_eq!(handle(&missing).status, 403);
        assert_eq!(
            handle(&missing).error_type(),
            Some("MissingAuthenticationTokenException")
        );
        let bad = [
            "Bearer x".to_owned(),
            AUTH.replace("/lightsail/", "/ec2/"),
            AUTH.replace("aws4_request", "aws4"),
            AUTH.replace("20240102", "2024010"),
            AUTH.replace("Signature=0123", "Signature=XYZ"),
            AUTH.replace("host;", ""),
            AUTH.replace(", Signature", ", Sig"),
            "AWS4-HMAC-SHA256 Credential=/20240102//lightsail/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
                .to_owned(),
        ];
        for value in &bad {
            let r = with_header(request("{}"), "authorization", Some(value));
            assert_eq!(handle(&r).status, 403, "{value}");
            assert_eq!(
                handle(&r).error_type(),
                Some("IncompleteSignatureException"),
                "{value}"
            );
        }
        for date in [None, Some("20240103T000000Z"), Some("2024é")] {
            let r = with_header(request("{}"), "x-amz-date", date);
            assert_eq!(
                handle(&r).error_type(),
                Some("IncompleteSignatureException")
            );
        }
    }

    #[tokio::test]
    async fn reads_requests_and_rejects_malformed_http() {
        let raw = b"\r\nPOST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
        let mut reader = BufReader::new(&raw[..]);
        let request = read_request(&mut reader)
            .await
            .expect("ok")
            .expect("a request");
        assert_eq!(
            (request.method.as_str(), request.body.as_slice()),
            ("POST", &b"{}"[..])
        );
        assert!(read_request(&mut reader).await.expect("ok").is_none());

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
        ] {
            let mut reader = BufReader::new(raw);
            match read_request(&mut reader).await {
                Err(ReadError::Http(got, _)) => assert_eq!(got, status),
                other => panic!("{other:?}"),
            }
        }
        let huge = vec![b'a'; MAX_HEAD + 10];
        let mut reader = BufReader::new(&huge[..]);
        assert!(matches!(
            read_request(&mut reader).await,
            Err(ReadError::Http(431, _))
        ));
        // A body shorter than its Content-Length is an I/O error, not a panic.
        let mut reader = BufReader::new(&b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n{}"[..]);
        assert!(matches!(
            read_request(&mut reader).await,
            Err(ReadError::Io)
        ));
    }

    /// A request from the real client, captured with `lightsail::test_util`, passes the checks.
    #[test]
    fn requests_of_the_generated_client_pass() {
        use lightsail::config::{Credentials, Region};
        let (http, rx) = lightsail::test_util::capture_request(None);
        let client = lightsail::Client::from_conf(
            lightsail::Config::builder()
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "t"))
                .http_client_for_tests(http)
                .build(),
        );
        let sent = lightsail::test_util::block_on(
            client
                .get_container_service_deployments()
                .service_name("demo")
                .send(),
        );
        assert!(sent.is_ok(), "{sent:?}");
        let captured = rx.expect_request();
        let request = Request {
            method: captured.method().to_owned(),
            path: "/".into(),
            headers: captured
                .headers()
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
                .collect(),
            body: captured.body().to_vec(),
        };
        let response = handle(&request);
        assert_eq!(
            response.status,
            200,
            "{:?}",
            String::from_utf8_lossy(&response.body)
        );
    }
}
