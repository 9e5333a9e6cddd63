//! Driver of the differential test (`tests/differential/diff_botocore.py`): runs many
//! responses and requests through the real `lightsail::Client` in one process and prints
//! one canonical JSON line per case.
//!
//! Input (stdin), one JSON object per line:
//!
//! ```text
//! {"id": "r1", "status": 200, "headers": [["Name", "value"], ...], "body_hex": "7b7d"}
//! {"id": "q1", "request": {"serviceName": "svc"}}       // or {"request": {}}: no name
//! ```
//!
//! An optional first line `{"signing": {"access_key": .., "secret_key": .., "session_token":
//! .. | null, "epoch_secs": N}}` replaces the test credentials and the fixed clock, so the
//! caller can re-sign the requests with another SigV4 implementation from the same inputs.
//!
//! Output (stdout), one line per input line, in order:
//!
//! ```text
//! {"id": "r1", "result": "ok", "output": {...}, "request_id": "..."}
//! {"id": "r2", "result": "error", "kind": "ServiceError", "variant": "...", "code": ..,
//!  "message": .., "members": {..} | null, "status": 404, "display": "..."}
//! {"id": "q1", "result": "sent", "target": "Lightsail_20161128.GetContainerServiceDeployments",
//!  "content_type": "...", "body_hex": "...", "method": "POST", "path": "/",
//!  "host": "127.0.0.1:port", "endpoint": "http://127.0.0.1:port",
//!  "headers": [["name", "value"], ...], "authorization": "AWS4-HMAC-SHA256 ..."}
//! ```
//!
//! Errors also carry `chain`: the error and all its sources, `: `-separated (where the
//! parser says which byte it rejected).
//!
//! `output` is `lightsail_tests::render::output_json` (absent members omitted, timestamps
//! as exact decimal seconds strings, enums as their wire strings). Every case is served by
//! one loopback server to one client with retries disabled; response cases send the
//! service name `case-<n>` so each received request is checked against its case.

use std::io::{BufRead, Write};
use std::time::{Duration, UNIX_EPOCH};

use awsjson_runtime::config::TimeSource;
use lightsail::config::Credentials;

use awsjson_test_support::golden::{self as render, Json};
use lightsail::error::ProvideErrorMetadata;
use lightsail::operation::RequestId;
use lightsail_tests::{bounded, config, Action, Response, Server, Sleeps};
use serde_json::{json, Value};

enum Case {
    Response {
        id: Value,
        response: Response,
    },
    Request {
        id: Value,
        service_name: Option<String>,
    },
}

/// Credentials and clock for the client, from the optional first input line.
struct Signing {
    access_key: String,
    secret_key: String,
    session_token: Option<String>,
    epoch_secs: u64,
}

impl Signing {
    fn parse(v: &Value) -> Result<Signing, String> {
        let text = |name: &str| -> Result<String, String> {
            v.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("signing.{name} must be a string"))
        };
        Ok(Signing {
            access_key: text("access_key")?,
            secret_key: text("secret_key")?,
            session_token: v
                .get("session_token")
                .and_then(Value::as_str)
                .map(str::to_owned),
            epoch_secs: v
                .get("epoch_secs")
                .and_then(Value::as_u64)
                .ok_or("signing.epoch_secs must be a number")?,
        })
    }
}

/// The error and its sources, `: `-separated (sources already in the text are skipped).
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
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

fn hex_decode(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err("odd hex length".into());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_case(line: &str) -> Result<Case, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let id = v.get("id").cloned().unwrap_or(Value::Null);
    if let Some(request) = v.get("request") {
        let service_name = match request.get("serviceName") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => return Err(format!("serviceName must be a string: {other}")),
        };
        return Ok(Case::Request { id, service_name });
    }
    let status = v
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("status")?;
    let mut response = Response::new(
        status,
        hex_decode(v["body_hex"].as_str().ok_or("body_hex")?)?,
    );
    for pair in v["headers"].as_array().ok_or("headers")? {
        let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else {
            return Err(format!("bad header {pair}"));
        };
        response = response.header(name, value);
    }
    Ok(Case::Response { id, response })
}

fn to_value(json: &Json) -> Value {
    match json {
        Json::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| Value::String(n.clone())),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), to_value(v))).collect())
        }
    }
}

fn render_result(id: Value, result: &lightsail_tests::CallResult) -> Value {
    match result {
        Ok(output) => json!({
            "id": id,
            "result": "ok",
            "output": to_value(&render::output_json(output)),
            "request_id": output.request_id(),
        }),
        Err(err) => {
            let kind = match err {
                lightsail::error::SdkError::ConstructionFailure(_) => "ConstructionFailure",
                lightsail::error::SdkError::TimeoutError(_) => "TimeoutError",
                lightsail::error::SdkError::DispatchFailure(_) => "DispatchFailure",
                lightsail::error::SdkError::ResponseError(_) => "ResponseError",
                lightsail::error::SdkError::ServiceError(_) => "ServiceError",
                // `SdkError` is non-exhaustive, as aws-sdk-rust's.
                _ => "Other",
            };
            let service = err.as_service_error();
            json!({
                "id": id,
                "result": "error",
                "kind": kind,
                "variant": service.map(render::variant_name),
                "code": service.and_then(|e| e.code()),
                "message": service.and_then(|e| ProvideErrorMetadata::message(e)),
                "members": service.and_then(render::modeled_members).as_ref().map(to_value),
                "status": err.raw_response().map(|r| r.status().as_u16()),
                "request_id": err.request_id(),
                "display": err.to_string(),
                "chain": error_chain(err),
            })
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let stdin = std::io::stdin();
    let mut cases = Vec::new();
    let mut signing = None;
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.expect("read stdin");
        if line.trim().is_empty() {
            continue;
        }
        if n == 0 && line.contains("\"signing\"") {
            let parsed = serde_json::from_str::<Value>(&line)
                .map_err(|e| e.to_string())
                .and_then(|v| Signing::parse(&v["signing"]));
            match parsed {
                Ok(s) => signing = Some(s),
                Err(e) => {
                    eprintln!("parse_response: input line 1: {e}");
                    std::process::exit(2);
                }
            }
            continue;
        }
        match parse_case(&line) {
            Ok(case) => cases.push(case),
            Err(e) => {
                eprintln!("parse_response: input line {}: {e}", n + 1);
                std::process::exit(2);
            }
        }
    }
    // Response cases first, in order, then one `{}` per request case: a request case
    // that sends nothing (a missing required member) cannot put the script out of step.
    let mut script: Vec<Action> = cases
        .iter()
        .filter_map(|case| match case {
            Case::Response { response, .. } => Some(Action::Respond(response.clone())),
            Case::Request { .. } => None,
        })
        .collect();
    let request_cases = cases.len() - script.len();
    script.extend((0..request_cases).map(|_| Action::Respond(Response::json(200, "req", "{}"))));
    let server = Server::start(script).await;
    let sleeps = Sleeps::default();
    let mut builder = config(&server.url(), &sleeps, 1);
    if let Some(s) = signing {
        builder = builder
            .credentials_provider(Credentials::new(
                s.access_key,
                s.secret_key,
                s.session_token,
                None,
                "parse_response",
            ))
            .time_source(TimeSource::fixed(
                UNIX_EPOCH + Duration::from_secs(s.epoch_secs),
            ));
    }
    let config = builder.build();
    let client = lightsail::Client::from_conf(config.clone());
    // Request cases get a client of their own: the response cases' `Date` headers (recorded
    // years apart from the fixed clock) would otherwise teach it a clock skew, and it would
    // sign at the server's time, as aws-sdk-rust does, instead of the fixed time botocore uses.
    let request_client = lightsail::Client::from_conf(config);

    let mut lines = vec![Value::Null; cases.len()];
    let mut requests = Vec::new();
    for (n, case) in cases.into_iter().enumerate() {
        match case {
            Case::Response { id, .. } => {
                let sent_before = server.requests().len();
                let name = format!("case-{n}");
                let result = bounded(
                    client
                        .get_container_service_deployments()
                        .service_name(&name)
                        .send(),
                )
                .await;
                let received = server.requests();
                assert_eq!(
                    received.len(),
                    sent_before + 1,
                    "case {id}: exactly one attempt"
                );
                let sent: Value =
                    serde_json::from_slice(&received[sent_before].body).unwrap_or(Value::Null);
                assert_eq!(
                    sent,
                    json!({ "serviceName": name }),
                    "case {id}: the client and the script are out of step"
                );
                lines[n] = render_result(id, &result);
            }
            Case::Request { id, service_name } => requests.push((n, id, service_name)),
        }
    }
    for (n, id, service_name) in requests {
        let sent_before = server.requests().len();
        let result = bounded(
            request_client
                .get_container_service_deployments()
                .set_service_name(service_name)
                .send(),
        )
        .await;
        let received = server.requests();
        lines[n] = match (&result, received.get(sent_before)) {
            (Ok(_), Some(request)) => json!({
                "id": id,
                "result": "sent",
                "target": request.header("x-amz-target"),
                "content_type": request.header("content-type"),
                "body_hex": hex_encode(&request.body),
                "method": request.method,
                "path": request.path,
                "host": request.header("host"),
                "endpoint": server.url(),
                "headers": request.headers,
                "authorization": request.header("authorization"),
            }),
            (Err(err), None) => json!({
                "id": id,
                "result": "rejected",
                "kind": render_result(Value::Null, &result)["kind"],
                "display": err.to_string(),
                "chain": error_chain(err),
            }),
            _ => panic!(
                "request case {id}: {result:?} with {} requests",
                received.len() - sent_before
            ),
        };
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in lines {
        writeln!(out, "{line}").expect("write stdout");
    }
    out.flush().expect("flush stdout");
}
