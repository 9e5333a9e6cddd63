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

/// How far apart two floats may be, in units in the last place: both sides go through
/// `f64` (and `f32` through its shortest decimal), so a few ulp is rounding, more is a bug.
pub const FLOAT_ULPS: u64 = 4;

/// Prefix of a rendered timestamp (see [`render_timestamp`]): `json_diff` compares it with
/// the expected number exactly, to the nanosecond, never as a float.
pub const TIMESTAMP_TAG: &str = "timestamp:";

/// Structural JSON equality. Integers compare exactly; other numbers as `f64` within
/// [`FLOAT_ULPS`]; a rendered timestamp exactly against the expected number's decimal text.
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
        (Value::String(a), Value::Number(e)) if a.starts_with(TIMESTAMP_TAG) => {
            let ours = decimal_nanos(&a[TIMESTAMP_TAG.len()..]);
            // serde_json prints an f64 in its shortest round-trip form: the suite's text.
            let want = decimal_nanos(&e.to_string());
            match (ours, want) {
                (Some(x), Some(y)) if x == y => Ok(()),
                _ => Err(format!(
                    "{path} = {}, expected {e} (timestamps compare exactly)",
                    &a[TIMESTAMP_TAG.len()..]
                )),
            }
        }
        (Value::Number(a), Value::Number(e)) => {
            let same = match (a.as_i64(), e.as_i64(), a.as_u64(), e.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => match (a.as_f64(), e.as_f64()) {
                    (Some(x), Some(y)) => ulps_apart(x, y) <= FLOAT_ULPS,
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

/// The number of representable `f64` values between `a` and `b` (`u64::MAX` for NaN).
pub fn ulps_apart(a: f64, b: f64) -> u64 {
    if a == b {
        return 0; // also +0.0 and -0.0
    }
    if a.is_nan() || b.is_nan() {
        return u64::MAX;
    }
    // The bit patterns, mapped so that integer order is float order.
    let ordered = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 {
            i64::MIN - bits
        } else {
            bits
        }
    };
    ordered(a).abs_diff(ordered(b))
}

/// A decimal number (`-12.5`, `1.5e9`, `946845296.123`) as exact nanoseconds; `None`
/// when it is not one or has a non-zero digit below the nanosecond.
pub fn decimal_nanos(text: &str) -> Option<i128> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    // digits * 10^(exponent - frac.len()) seconds = digits * 10^(exponent - frac.len() + 9) ns
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let scale = exponent
        .checked_sub(i32::try_from(frac.len()).ok()?)?
        .checked_add(9)?;
    let mut value: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    if scale >= 0 {
        value = value.checked_mul(10_i128.checked_pow(u32::try_from(scale).ok()?)?)?;
    } else {
        let divisor = 10_i128.checked_pow(u32::try_from(-scale).ok()?)?;
        if value % divisor != 0 {
            return None;
        }
        value /= divisor;
    }
    Some(if negative { -value } else { value })
}

/// Exact nanoseconds as decimal seconds text, trailing zeros trimmed (`-1.5`, `7`).
fn nanos_text(nanos: i128) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let abs = nanos.unsigned_abs();
    let (secs, frac) = (abs / 1_000_000_000, abs % 1_000_000_000);
    if frac == 0 {
        format!("{sign}{secs}")
    } else {
        let frac = format!("{frac:09}");
        format!("{sign}{secs}.{}", frac.trim_end_matches('0'))
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

/// A timestamp for comparison: its exact decimal seconds behind [`TIMESTAMP_TAG`], which
/// `json_diff` compares with botocore's epoch-seconds number to the nanosecond.
pub fn render_timestamp(v: &DateTime) -> Value {
    let nanos = i128::from(v.secs()) * 1_000_000_000 + i128::from(v.subsec_nanos());
    Value::String(format!("{TIMESTAMP_TAG}{}", nanos_text(nanos)))
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

/// A timestamp from epoch seconds with a fraction, exactly as the suite writes it: the
/// literal's shortest decimal form (what `{secs}` prints), not the binary `f64` value, so
/// `946845296.123` is 123 000 000 ns, not 122 999 906.
pub fn timestamp(secs: f64) -> DateTime {
    match decimal_nanos(&format!("{secs}")) {
        Some(nanos) => {
            let (s, n) = (
                nanos.div_euclid(1_000_000_000),
                nanos.rem_euclid(1_000_000_000),
            );
            match (i64::try_from(s), u32::try_from(n)) {
                (Ok(s), Ok(n)) => DateTime::from_secs_and_nanos(s, n),
                _ => DateTime::from_secs_f64(secs),
            }
        }
        None => DateTime::from_secs_f64(secs),
    }
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
            serde_json::json!("timestamp:946845296")
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

    #[test]
    fn timestamps_compare_exactly() {
        let t = |secs, nanos| render_timestamp(&DateTime::from_secs_and_nanos(secs, nanos));
        let expected: Value = serde_json::from_str("946845296.123").unwrap();
        assert!(json_diff(&t(946845296, 123_000_000), &expected, "$").is_ok());
        // 1 ns and 0.9 ms off: a relative 1e-12 tolerance let the second one pass.
        assert!(json_diff(&t(946845296, 123_000_001), &expected, "$").is_err());
        assert!(json_diff(&t(946845296, 123_900_000), &expected, "$").is_err());
        // A whole timestamp against a fraction of 100 ns (below one f64 ulp at this size).
        let tiny: Value = serde_json::from_str("946845296.0000001").unwrap();
        assert!(json_diff(&t(946845296, 0), &tiny, "$").is_err());
        assert!(json_diff(&t(946845296, 100), &tiny, "$").is_ok());
        assert!(json_diff(&t(-2, 500_000_000), &serde_json::json!(-1.5), "$").is_ok());
        assert_eq!(timestamp(946845296.123).subsec_nanos(), 123_000_000);
        assert_eq!(
            timestamp(-1.5),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
    }

    #[test]
    fn decimal_nanos_reads_every_form() {
        assert_eq!(decimal_nanos("7"), Some(7_000_000_000));
        assert_eq!(decimal_nanos("-1.5"), Some(-1_500_000_000));
        assert_eq!(decimal_nanos("1.5e9"), Some(1_500_000_000_000_000_000));
        assert_eq!(decimal_nanos("15E-1"), Some(1_500_000_000));
        assert_eq!(decimal_nanos("0.0000000001"), None);
        assert_eq!(decimal_nanos("0.1000000000"), Some(100_000_000));
        assert_eq!(decimal_nanos("x"), None);
        assert_eq!(decimal_nanos(".5"), None);
        assert_eq!(nanos_text(-1_500_000_000), "-1.5");
    }

    #[test]
    fn floats_compare_within_a_few_ulp() {
        let x = 0.1_f64;
        let next = |v: f64, n: u64| f64::from_bits(v.to_bits() + n);
        assert!(json_diff(&render_f64(next(x, FLOAT_ULPS)), &render_f64(x), "$").is_ok());
        assert!(json_diff(&render_f64(next(x, FLOAT_ULPS + 1)), &render_f64(x), "$").is_err());
        // A relative 1e-12 accepted this (about 10^4 ulp at 0.1).
        assert!(json_diff(&render_f64(x * (1.0 + 1e-13)), &render_f64(x), "$").is_err());
        assert_eq!(ulps_apart(0.0, -0.0), 0);
        assert_eq!(ulps_apart(f64::from_bits(1), -f64::from_bits(1)), 2);
        assert_eq!(ulps_apart(f64::NAN, 1.0), u64::MAX);
    }
}
