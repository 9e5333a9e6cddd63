//! Shared test support: a loopback HTTP/1.1 server that records requests and plays scripted
//! responses, a tiny fake operation, and a config builder that touches neither the process
//! environment nor real sleeps.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use awsjson_runtime::client::{DeserializeError, OperationSpec, ServiceSpec};
use awsjson_runtime::config::{Builder, Config, Credentials, Env, Region, Sleep, TimeSource};
use awsjson_runtime::error::{
    BoxError, CreateUnhandledError, ErrorMetadata, ProvideErrorMetadata, Unhandled,
};
use awsjson_runtime::response::HttpResponse;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A small rule set in the shape of AWS's regional ones: the endpoint override, else
/// `https://lightsail[-fips].{region}.(amazonaws.com|api.aws)`.
const RULES: &str = r#"{"version":"1.0",
 "parameters":{
  "Region":{"type":"string","builtIn":"AWS::Region","required":false},
  "UseFIPS":{"type":"boolean","builtIn":"AWS::UseFIPS","required":true,"default":false},
  "UseDualStack":{"type":"boolean","builtIn":"AWS::UseDualStack","required":true,"default":false},
  "Endpoint":{"type":"string","builtIn":"SDK::Endpoint","required":false}},
 "rules":[
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"type":"endpoint","endpoint":{"url":{"ref":"Endpoint"}}},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]},{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],"type":"endpoint","endpoint":{"url":"https://lightsail-fips.{Region}.amazonaws.com"}},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]},{"fn":"booleanEquals","argv":[{"ref":"UseDualStack"},true]}],"type":"endpoint","endpoint":{"url":"https://lightsail.{Region}.api.aws"}},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],"type":"endpoint","endpoint":{"url":"https://lightsail.{Region}.amazonaws.com"}},
  {"conditions":[],"type":"error","error":"Invalid Configuration: Missing Region"}]}"#;

/// The service under test.
pub static SPEC: ServiceSpec = ServiceSpec {
    sdk_id: "Lightsail",
    signing_name: "lightsail",
    target_prefix: "Lightsail_20161128",
    json_version: "1.1",
    endpoint_rules: RULES,
    crate_name: "lightsail",
    crate_version: "0.1.0",
};

/// A fake operation whose output is the response body as text.
pub static OP: OperationSpec<String, TestError> = OperationSpec {
    name: "GetThing",
    parse_output,
    parse_error,
};

fn parse_output(response: &HttpResponse) -> Result<String, DeserializeError> {
    let text = String::from_utf8(response.body().to_vec())
        .map_err(|_| DeserializeError::custom("body is not UTF-8"))?;
    if text.starts_with("BAD") {
        return Err(DeserializeError::custom("unexpected token at byte 0"));
    }
    Ok(text)
}

fn parse_error(_response: &HttpResponse, meta: ErrorMetadata) -> TestError {
    match meta.code() {
        Some("NotFoundException") => TestError::NotFound(meta),
        _ => TestError::Unhandled(Unhandled::new("unhandled error".into(), Some(meta))),
    }
}

/// The fake operation's error.
#[derive(Debug)]
pub enum TestError {
    /// A modeled error.
    NotFound(ErrorMetadata),
    /// Anything else.
    Unhandled(Unhandled),
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestError::NotFound(meta) => write!(f, "{meta}"),
            TestError::Unhandled(u) => write!(f, "{u}"),
        }
    }
}

impl std::error::Error for TestError {}

impl CreateUnhandledError for TestError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        TestError::Unhandled(Unhandled::new(source, meta))
    }
}

impl ProvideErrorMetadata for TestError {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            TestError::NotFound(meta) => meta,
            TestError::Unhandled(u) => u.meta(),
        }
    }
}

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with the next request.
#[derive(Clone, Debug)]
pub enum Action {
    /// Answer with a status, extra headers and a body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Close the connection without answering.
    Reset,
    /// Never answer (until the client gives up).
    Stall,
    /// Announce a body of `declared` bytes, send a little of it, and hang up.
    Oversized { declared: u64 },
}

impl Action {
    /// A JSON response.
    pub fn json(status: u16, body: &str) -> Action {
        Action::Respond {
            status,
            headers: vec![("x-amzn-RequestId".into(), format!("req-{status}"))],
            body: body.into(),
        }
    }

    /// An AWS JSON error response with `__type` and `message`.
    pub fn error(status: u16, code: &str, message: &str) -> Action {
        Action::json(
            status,
            &format!(r#"{{"__type":"com.amazonaws.lightsail#{code}","message":"{message}"}}"#),
        )
    }

    /// Adds a header to a `Respond` action.
    pub fn with_header(mut self, name: &str, value: &str) -> Action {
        if let Action::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// A loopback server that plays a script.
pub struct Server {
    pub addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts a server that plays `script` in order (then answers 599).
    pub async fn start(script: Vec<Action>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let recorded = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, recorded.clone(), script.clone()));
            }
        });
        Server { addr, requests }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    requests: Arc<Mutex<Vec<Recorded>>>,
    script: Arc<Mutex<VecDeque<Action>>>,
) {
    let mut buf = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buf).await else {
            return;
        };
        requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(request);
        let action = script
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_front()
            .unwrap_or_else(|| Action::json(599, "script exhausted"));
        match action {
            Action::Respond {
                status,
                headers,
                body,
            } => {
                let mut out = format!("HTTP/1.1 {status} Scripted\r\n");
                for (name, value) in headers {
                    out.push_str(&format!("{name}: {value}\r\n"));
                }
                out.push_str(&format!(
                    "Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                ));
                if stream.write_all(out.as_bytes()).await.is_err() {
                    return;
                }
            }
            Action::Reset => return,
            Action::Oversized { declared } => {
                let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {declared}\r\n\r\n{{\"a\":");
                let _ = stream.write_all(head.as_bytes()).await;
                return;
            }
            Action::Stall => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
        }
    }
}

/// Reads one request (head and Content-Length body). `None` on EOF or garbage.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        // Not HTTP (a TLS client hello starts with 0x16): hang up, as a real HTTP server would.
        if !buf[0].is_ascii_uppercase() {
            return None;
        }
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[body_start..body_start + length].to_vec();
    buf.drain(..body_start + length);
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

/// 2024-01-02T03:04:05Z, the fixed signing time of the tests.
pub fn fixed_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
}

/// The backoffs a client asked to sleep for.
#[derive(Clone, Default)]
pub struct Sleeps(pub Arc<Mutex<Vec<Duration>>>);

impl Sleeps {
    /// A sleep that records the duration and returns at once.
    pub fn sleep(&self) -> Sleep {
        let sleeps = self.0.clone();
        Sleep::from_fn(move |d| {
            sleeps.lock().unwrap_or_else(|e| e.into_inner()).push(d);
            Box::pin(async {})
        })
    }

    /// The recorded durations.
    pub fn get(&self) -> Vec<Duration> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Test credentials (static, no session token).
pub fn test_credentials() -> Credentials {
    Credentials::new("AKIDTEST", "SECRETKEYTEST", None, None, "test")
}

/// A config for `server`: empty environment, fixed clock, recorded sleeps, static keys.
pub fn config_for(server: &Server, sleeps: &Sleeps) -> Builder {
    Config::builder()
        .env(empty_env())
        .region(Region::from_static("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(test_credentials())
        .time_source(TimeSource::fixed(fixed_time()))
        .sleep_impl(sleeps.sleep())
}

/// An environment with no variables at all.
pub fn empty_env() -> Env {
    Env::from_vars(Vec::<(String, String)>::new())
}
