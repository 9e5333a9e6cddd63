//! Parse throughput of the same 50-deployment body (the one the loopback server returns):
//! plain `serde_json` derives (the practical limit), our generated parser, and the
//! anchor's public schema deserializer. Prints `serde=<parses/s> ours=.. anchor=..
//! bytes=<body length>`, each the median of 3 interleaved rounds of `SECONDS` (arg 1,
//! default 2) each.

#[path = "../../common/server.rs"]
#[allow(dead_code, unused_imports)]
mod server;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Output {
    deployments: Option<Vec<Deployment>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Deployment {
    version: Option<i32>,
    state: Option<State>,
    containers: Option<HashMap<String, Container>>,
    public_endpoint: Option<Endpoint>,
    created_at: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(dead_code)]
enum State {
    Activating,
    Active,
    Inactive,
    Failed,
    #[serde(other)]
    Unknown,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Container {
    image: Option<String>,
    command: Option<Vec<String>>,
    environment: Option<HashMap<String, String>>,
    ports: Option<HashMap<String, Protocol>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(dead_code)]
enum Protocol {
    Http,
    Https,
    Tcp,
    Udp,
    #[serde(other)]
    Unknown,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Endpoint {
    container_name: Option<String>,
    container_port: Option<i32>,
    health_check: Option<HealthCheck>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HealthCheck {
    healthy_threshold: Option<i32>,
    unhealthy_threshold: Option<i32>,
    timeout_seconds: Option<i32>,
    interval_seconds: Option<i32>,
    path: Option<String>,
    success_codes: Option<String>,
}

fn parse_serde(body: &[u8]) -> usize {
    let out: Output = serde_json::from_slice(body).expect("serde_json");
    out.deployments.map_or(0, |d| d.len())
}

fn parse_ours(response: &awsjson_runtime::response::HttpResponse) -> usize {
    let out = lightsail::__private::de_get_container_service_deployments_output(response)
        .expect("ours");
    out.deployments.map_or(0, |d| d.len())
}

fn parse_anchor(codec: &aws_smithy_json::codec::JsonCodec, body: &[u8]) -> usize {
    use aws_smithy_schema::codec::Codec as _;
    let mut de = codec.create_deserializer(body);
    let out = aws_sdk_lightsail::operation::get_container_service_deployments::GetContainerServiceDeploymentsOutput::deserialize(&mut de)
        .expect("anchor");
    out.deployments().len()
}

/// Parses per second of `f` over `duration`, after a short warm-up.
fn rate(duration: Duration, mut f: impl FnMut() -> usize) -> f64 {
    let warm = Instant::now();
    while warm.elapsed() < Duration::from_millis(200) {
        assert_eq!(black_box(f()), server::DEPLOYMENTS);
    }
    let start = Instant::now();
    let mut n = 0u64;
    loop {
        for _ in 0..8 {
            assert_eq!(black_box(f()), server::DEPLOYMENTS);
        }
        n += 8;
        if start.elapsed() >= duration {
            break;
        }
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let d = Duration::from_secs_f64(secs);
    let body = server::deployments_body().into_bytes();
    let mut headers = http::HeaderMap::new();
    headers.insert("x-amzn-requestid", http::HeaderValue::from_static("8a3f7c52-1d4e-4b6a-9f0e-2c7d5b1e9a04"));
    headers.insert("content-type", http::HeaderValue::from_static("application/x-amz-json-1.1"));
    let response = awsjson_runtime::response::HttpResponse::new(200, headers, body.clone());
    // As aws-smithy-json's awsJson1_1 protocol builds it.
    let codec = aws_smithy_json::codec::JsonCodec::new(
        aws_smithy_json::codec::JsonCodecSettings::builder()
            .use_json_name(false)
            .default_timestamp_format(aws_smithy_types::date_time::Format::EpochSeconds)
            .build(),
    );
    let (mut s, mut o, mut a) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3 {
        s.push(rate(d, || parse_serde(black_box(&body))));
        o.push(rate(d, || parse_ours(black_box(&response))));
        a.push(rate(d, || parse_anchor(&codec, black_box(&body))));
    }
    println!(
        "serde={:.1} ours={:.1} anchor={:.1} bytes={}",
        median(s),
        median(o),
        median(a),
        body.len()
    );
}
