//! A replaying HTTP client for provider tests: it serves recorded exchanges in order and
//! checks each request against the recorded one.
//!
//! Reads the `http-traffic.json` format of smithy-rs's test cases (`events[]` of
//! `connection_id` + `action`: `Request`, `Data`, `Eof`, `Response`). Like smithy-rs's own
//! harness, a request is checked on its method, URI (query parameters in any order) and the
//! headers `content-type` and `x-aws-ec2-metadata-token`; for form bodies the `Action` must
//! match (recorded bodies carry generated session names and re-recorded ARNs).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use aws_smithy_types::Document;

use super::http::{
    HttpError, HttpErrorKind, HttpFuture, HttpRequest, HttpResponse, ProviderHttpClient,
    RequestSettings,
};
use super::json::parse_document;

/// One recorded exchange.
#[derive(Clone, Debug, Default)]
struct Exchange {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    request_body: String,
    status: Option<u16>,
    response_headers: Vec<(String, String)>,
    response_body: Vec<u8>,
}

/// Serves recorded traffic; see the module docs.
#[derive(Debug)]
pub struct ReplayClient {
    exchanges: Vec<Exchange>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    next: usize,
    mismatches: Vec<String>,
}

fn get<'a>(doc: &'a Document, key: &str) -> Option<&'a Document> {
    match doc {
        Document::Object(map) => map.get(key),
        _ => None,
    }
}

fn string(doc: Option<&Document>) -> Option<&str> {
    match doc {
        Some(Document::String(s)) => Some(s),
        _ => None,
    }
}

fn headers(doc: Option<&Document>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(Document::Object(map)) = doc {
        for (name, values) in map {
            if let Document::Array(values) = values {
                for v in values {
                    if let Document::String(v) = v {
                        out.push((name.to_ascii_lowercase(), v.clone()));
                    }
                }
            }
        }
    }
    out
}

fn number(doc: Option<&Document>) -> Option<u64> {
    match doc {
        Some(Document::Number(n)) => Some(n.to_f64_lossy() as u64),
        _ => None,
    }
}

impl ReplayClient {
    /// Parses a traffic file.
    pub fn from_traffic_json(json: &[u8]) -> Result<Self, String> {
        let doc = parse_document(json).map_err(|e| format!("invalid traffic JSON: {e}"))?;
        let Some(Document::Array(events)) = get(&doc, "events") else {
            return Err("traffic JSON has no `events` array".to_owned());
        };
        let mut by_connection: BTreeMap<u64, Exchange> = BTreeMap::new();
        let mut order: Vec<u64> = Vec::new();
        for event in events {
            let id = number(get(event, "connection_id")).ok_or("event without connection_id")?;
            if !by_connection.contains_key(&id) {
                order.push(id);
            }
            let exchange = by_connection.entry(id).or_default();
            let Some(action) = get(event, "action") else {
                continue;
            };
            if let Some(request) = get(action, "Request").and_then(|r| get(r, "request")) {
                exchange.method = string(get(request, "method")).unwrap_or("GET").to_owned();
                exchange.uri = string(get(request, "uri")).unwrap_or_default().to_owned();
                exchange.headers = headers(get(request, "headers"));
            } else if let Some(response) = get(action, "Response").and_then(|r| get(r, "response"))
            {
                if let Some(ok) = get(response, "Ok") {
                    exchange.status = number(get(ok, "status")).map(|s| s as u16);
                    exchange.response_headers = headers(get(ok, "headers"));
                }
            } else if let Some(data) = get(action, "Data") {
                let text = get(data, "data")
                    .and_then(|d| string(get(d, "Utf8")))
                    .unwrap_or_default();
                match string(get(data, "direction")) {
                    Some("Request") => exchange.request_body.push_str(text),
                    _ => exchange.response_body.extend_from_slice(text.as_bytes()),
                }
            }
        }
        Ok(ReplayClient {
            exchanges: order
                .into_iter()
                .filter_map(|id| by_connection.remove(&id))
                .collect(),
            state: Mutex::default(),
        })
    }

    /// A client that expects no traffic at all.
    pub fn no_traffic() -> Self {
        ReplayClient {
            exchanges: Vec::new(),
            state: Mutex::default(),
        }
    }

    /// Checks that every request matched and every recorded exchange was used.
    pub fn validate(&self) -> Result<(), String> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut problems = state.mismatches.clone();
        if state.next < self.exchanges.len() {
            problems.push(format!(
                "{} recorded request(s) were not made, the first: {} {}",
                self.exchanges.len() - state.next,
                self.exchanges[state.next].method,
                self.exchanges[state.next].uri
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

/// Splits a URI into its part before `?` and its query pairs as a set.
fn split_uri(uri: &str) -> (String, BTreeSet<String>) {
    let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
    let base = base.trim_end_matches('/').to_owned();
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    (base, pairs)
}

fn form_action(body: &str) -> Option<&str> {
    body.split('&').find_map(|p| p.strip_prefix("Action="))
}

fn compare(expected: &Exchange, actual: &HttpRequest) -> Vec<String> {
    let mut problems = Vec::new();
    if !expected.method.eq_ignore_ascii_case(actual.method.as_str()) {
        problems.push(format!(
            "method: expected {}, got {}",
            expected.method, actual.method
        ));
    }
    if split_uri(&expected.uri) != split_uri(&actual.uri) {
        problems.push(format!(
            "uri: expected {}, got {}",
            expected.uri, actual.uri
        ));
    }
    for name in ["content-type", "x-aws-ec2-metadata-token"] {
        let want: Vec<&str> = expected
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        let got: Vec<&str> = actual
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if want != got {
            problems.push(format!("header {name}: expected {want:?}, got {got:?}"));
        }
    }
    let body = String::from_utf8_lossy(&actual.body);
    if form_action(&expected.request_body) != form_action(&body) {
        problems.push(format!(
            "form Action: expected {:?}, got {:?}",
            form_action(&expected.request_body),
            form_action(&body)
        ));
    }
    problems
}

impl ProviderHttpClient for ReplayClient {
    fn send<'a>(&'a self, request: HttpRequest, _settings: RequestSettings) -> HttpFuture<'a> {
        let result = (|| {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let index = state.next;
            let Some(expected) = self.exchanges.get(index) else {
                state.mismatches.push(format!(
                    "unexpected request {} {} (no recorded traffic left)",
                    request.method, request.uri
                ));
                return Err(HttpError::new(
                    HttpErrorKind::Connect,
                    "no more recorded traffic (replay client)",
                ));
            };
            state.next += 1;
            for problem in compare(expected, &request) {
                state
                    .mismatches
                    .push(format!("request #{index} ({}): {problem}", expected.uri));
            }
            let Some(status) = expected.status else {
                return Err(HttpError::new(
                    HttpErrorKind::Connect,
                    "recorded exchange has no response",
                ));
            };
            let mut headers = http::HeaderMap::new();
            for (name, value) in &expected.response_headers {
                if let (Ok(n), Ok(v)) = (
                    http::HeaderName::from_bytes(name.as_bytes()),
                    http::HeaderValue::from_str(value),
                ) {
                    headers.append(n, v);
                }
            }
            Ok(HttpResponse {
                status,
                headers,
                body: expected.response_body.clone(),
            })
        })();
        Box::pin(async move { result })
    }
}
