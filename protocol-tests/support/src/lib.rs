//! Helpers the generated protocol-test harness links against (see `protocol-tests`):
//! a loopback server that records requests and serves one canned response (a thin wrapper
//! of `awsjson-test-support`'s), the client configuration that points a generated client
//! at it, request checks, and the JSON rendering used to compare parsed outputs with
//! botocore's expected results.
//!
//! Nothing here knows about a particular service; the generated test code does the
//! per-shape work and calls these functions.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use aws_smithy_types::{Blob, DateTime, Document, Number};
pub use awsjson_runtime;
use awsjson_runtime::config::retry::RetryConfig;
use awsjson_runtime::config::timeout::TimeoutConfig;
use awsjson_runtime::config::{Config, Credentials, Env, Region};
pub use serde_json::{Map, Value};

/// The host the endpoint URL names; requests to it (and to the host a case expects)
/// are resolved to the loopback server.
pub const ENDPOINT_HOST: &str = "example.com";

/// A canned HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

impl Response {
    /// `200` with `{}` (what input tests serve).
    pub fn empty_ok() -> Response {
        Response {
            status: 200,
            headers: vec![("Content-Type".into(), "application/x-amz-json-1.1".into())],
            body: "{}".into(),
        }
    }
}

/// A request as the server received it (`path` is the request target: path and query).
pub use awsjson_test_support::CapturedRequest as Request;

/// A loopback server that answers every request with one canned response (and
/// `Connection: close`) and records the requests: `awsjson-test-support`'s server, on a
/// thread of its own because the generated tests are not async. Stops when dropped.
#[derive(Debug)]
pub struct Server {
    inner: awsjson_test_support::Server,
}

impl Server {
    /// Starts a server on `127.0.0.1` with an ephemeral port.
    pub fn start(response: Response) -> Server {
        let mut canned = awsjson_test_support::Response::new(response.status, response.body);
        for (name, value) in &response.headers {
            canned = canned.header(name, value);
        }
        let canned = canned.header("Connection", "close");
        let inner = awsjson_test_support::Server::builder()
            .handler(move |_| canned.clone().into())
            .start_on_thread()
            .expect("bind a loopback port");
        Server { inner }
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.inner.addr().port()
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.inner.requests()
    }

    /// The single request the test expects; panics (with `outcome`, the client's error if
    /// any) when none or several arrived.
    pub fn single_request(&self, outcome: Option<String>) -> Request {
        let mut requests = self.requests();
        match requests.len() {
            1 => requests.remove(0),
            0 => panic!(
                "no request reached the server; the call returned {}",
                outcome.unwrap_or_else(|| "Ok".into())
            ),
            n => panic!("expected one request, the server received {n}"),
        }
    }
}

/// The configuration of a client that talks to `server`. `host` is the case's expected
/// host (`foo.example.com`, `example.com/custom`): a path in it becomes the endpoint
/// URL's path, and its host part is resolved to the server too.
pub fn config(server: &Server, host: Option<&str>) -> Config {
    let (host_part, path) = match host.and_then(|h| h.split_once('/')) {
        Some((h, p)) => (Some(h), format!("/{p}")),
        None => (host, String::new()),
    };
    let loopback = SocketAddr::from(([127, 0, 0, 1], server.port()));
    // reqwest is built without a default TLS provider (`rustls-no-provider`); plain HTTP
    // still needs one configured.
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    let mut http = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .resolve(ENDPOINT_HOST, loopback);
    if let Some(h) = host_part {
        http = http.resolve(h, loopback);
    }
    let http = http.build().expect("reqwest client");
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKID",
            "SECRET",
            None,
            None,
            "protocol-tests",
        ))
        .endpoint_url(format!("http://{ENDPOINT_HOST}:{}{path}", server.port()))
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(20))
                .build(),
        )
        .http_client(http)
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .build()
}

/// Runs a future to completion on a current-thread tokio runtime.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(future)
}

/// An error and its sources, `: `-separated.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// What botocore's `serialized` says about the request.
#[derive(Debug, Default)]
pub struct Expected<'a> {
    /// `method`.
    pub method: &'a str,
    /// `uri`.
    pub uri: &'a str,
    /// `headers` (a subset: each must be present with this exact value).
    pub headers: &'a [(&'a str, &'a str)],
    /// `requireHeaders` (present, any value).
    pub require_headers: &'a [&'a str],
    /// `host` (compared with the Host header, port removed; a path is the URI's prefix).
    pub host: Option<&'a str>,
    /// `body` (JSON-equal; `None` when botocore gives no body).
    pub body: Option<&'a str>,
}

/// Checks a request against botocore's expectations; all differences in one panic.
pub fn check_request(request: &Request, expected: &Expected<'_>) {
    let mut problems = Vec::new();
    if request.method != expected.method {
        problems.push(format!(
            "method: sent {}, expected {}",
            request.method, expected.method
        ));
    }
    if request.path != expected.uri {
        problems.push(format!(
            "uri: sent {}, expected {}",
            request.path, expected.uri
        ));
    }
    for (name, value) in expected.headers {
        let sent = request.header_values(name);
        if sent != [*value] {
            problems.push(format!("header {name}: sent {sent:?}, expected {value:?}"));
        }
    }
    for name in expected.require_headers {
        if request.header_values(name).is_empty() {
            problems.push(format!("header {name}: required but not sent"));
        }
    }
    if let Some(host) = expected.host {
        let want = host.split('/').next().unwrap_or(host);
        let sent = request.header_values("host");
        let sent_host: Vec<&str> = sent
            .iter()
            .map(|h| h.split(':').next().unwrap_or(h))
            .collect();
        if sent_host != [want] {
            problems.push(format!(
                "host: sent {sent_host:?} (port removed), expected {want:?}"
            ));
        }
    }
    if let Some(body) = expected.body {
        let sent = String::from_utf8_lossy(&request.body);
        if body.trim().is_empty() {
            if !sent.trim().is_empty() {
                problems.push(format!("body: sent {sent:?}, expected an empty body"));
            }
        } else {
            match (
                serde_json::from_str::<Value>(body),
                serde_json::from_str::<Value>(&sent),
            ) {
                (Ok(want), Ok(got)) => {
                    if let Err(diff) = json_diff(&got, &want, "$") {
                        problems.push(format!("body: {diff}; sent {sent}, expected {body}"));
                    }
                }
                (Err(e), _) => problems.push(format!("expected body is not JSON ({e}): {body}")),
                (_, Err(e)) => problems.push(format!("body is not JSON ({e}): {sent:?}")),
            }
        }
    }
    if !problems.is_empty() {
        panic!("request mismatch:\n  {}", problems.join("\n  "));
    }
}

/// Compares a rendered value with botocore's expected JSON (`what` names it in the panic).
pub fn assert_json(actual: &Value, expected_json: &str, what: &str) {
    let expected: Value =
        serde_json::from_str(expected_json).expect("expected JSON from the suite");
    if let Err(diff) = json_diff(actual, &expected, "$") {
        panic!("{what} mismatch: {diff}\n  parsed:   {actual}\n  expected: {expected}");
    }
}

/// Structural JSON equality; numbers compare exactly when both are integers, else as
/// `f64` with a relative tolerance of 1e-12 (timestamps with fractions, floats).
pub fn json_diff(actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => json_diff(av, ev, &format!("{path}.{k}"))?,
                    None => return Err(format!("{path}.{k} is missing (expected {ev})")),
                }
            }
            for (k, av) in a {
                if !e.contains_key(k) {
                    return Err(format!("{path}.{k} = {av} is not expected"));
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                return Err(format!(
                    "{path}: {} elements, expected {}",
                    a.len(),
                    e.len()
                ));
            }
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                json_diff(av, ev, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(a), Value::Number(e)) => {
            let same = match (a.as_i64(), e.as_i64(), a.as_u64(), e.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => match (a.as_f64(), e.as_f64()) {
                    (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
                    _ => false,
                },
            };
            if same {
                Ok(())
            } else {
                Err(format!("{path} = {a}, expected {e}"))
            }
        }
        (a, e) if a == e => Ok(()),
        (a, e) => Err(format!("{path} = {a}, expected {e}")),
    }
}

/// A float as botocore writes it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn render_f64(v: f64) -> Value {
    if v.is_nan() {
        Value::String("NaN".into())
    } else if v.is_infinite() {
        Value::String(if v > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

/// An `f32` through its shortest decimal form (so `0.1f32` renders as `0.1`).
pub fn render_f32(v: f32) -> Value {
    if v.is_finite() {
        render_f64(v.to_string().parse::<f64>().unwrap_or(f64::NAN))
    } else {
        render_f64(f64::from(v))
    }
}

/// A timestamp as botocore writes it: epoch seconds, an integer when whole.
pub fn render_timestamp(v: &DateTime) -> Value {
    if v.subsec_nanos() == 0 {
        Value::from(v.secs())
    } else {
        render_f64(v.secs() as f64 + f64::from(v.subsec_nanos()) / 1e9)
    }
}

/// A blob as botocore writes it: its bytes as text.
pub fn render_blob(v: &Blob) -> Value {
    Value::String(String::from_utf8_lossy(v.as_ref()).into_owned())
}

/// A document as JSON.
pub fn render_document(v: &Document) -> Value {
    match v {
        Document::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), render_document(v)))
                .collect(),
        ),
        Document::Array(a) => Value::Array(a.iter().map(render_document).collect()),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        Document::Number(Number::Float(f)) => render_f64(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}

/// A document from JSON text (for inputs).
pub fn document(json: &str) -> Document {
    fn convert(v: &Value) -> Document {
        match v {
            Value::Null => Document::Null,
            Value::Bool(b) => Document::Bool(*b),
            Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
                Number::PosInt(u)
            } else if let Some(i) = n.as_i64() {
                Number::NegInt(i)
            } else {
                Number::Float(n.as_f64().unwrap_or(f64::NAN))
            }),
            Value::String(s) => Document::String(s.clone()),
            Value::Array(a) => Document::Array(a.iter().map(convert).collect()),
            Value::Object(o) => {
                Document::Object(o.iter().map(|(k, v)| (k.clone(), convert(v))).collect())
            }
        }
    }
    convert(&serde_json::from_str(json).expect("document JSON from the suite"))
}

/// A blob from text (botocore gives blob params as text).
pub fn blob(text: &str) -> Blob {
    Blob::new(text.as_bytes().to_vec())
}

/// A timestamp from epoch seconds with a fraction.
pub fn timestamp(secs: f64) -> DateTime {
    DateTime::from_secs_f64(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_diff_finds_differences() {
        let a: Value = serde_json::from_str(r#"{"a":[1,2.5,"x"],"t":946845296.123}"#).unwrap();
        assert!(json_diff(&a, &a.clone(), "$").is_ok());
        let b: Value = serde_json::from_str(r#"{"a":[1,2.5,"y"],"t":946845296.123}"#).unwrap();
        assert_eq!(
            json_diff(&a, &b, "$"),
            Err("$.a[2] = \"x\", expected \"y\"".to_string())
        );
        let c: Value = serde_json::from_str(r#"{"a":[1,2.5,"x"]}"#).unwrap();
        assert!(json_diff(&a, &c, "$")
            .unwrap_err()
            .contains("is not expected"));
        assert!(json_diff(
            &Value::from(1_i64 << 60),
            &Value::from((1_i64 << 60) + 1),
            "$"
        )
        .is_err());
    }

    #[test]
    fn renders_botocore_values() {
        assert_eq!(render_f32(f32::NAN), Value::String("NaN".into()));
        assert_eq!(
            render_f64(f64::NEG_INFINITY),
            Value::String("-Infinity".into())
        );
        assert_eq!(render_f32(0.1), serde_json::json!(0.1));
        assert_eq!(
            render_timestamp(&DateTime::from_secs(946845296)),
            serde_json::json!(946845296)
        );
        assert_eq!(
            render_blob(&blob("binary-value")),
            Value::String("binary-value".into())
        );
        let doc = document(r#"{"k":[1,-2,1.5,null,true,"s"]}"#);
        assert_eq!(
            render_document(&doc),
            serde_json::json!({"k":[1,-2,1.5,null,true,"s"]})
        );
    }
}
