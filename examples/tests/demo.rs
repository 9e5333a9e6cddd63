//! Runs the example against the demo endpoint, in process.

use lightsail_examples::cli::{self, Args};
use lightsail_examples::server::DemoServer;

mod common;
use common::base;

fn args(server: &DemoServer, service: &str, json: bool) -> Args {
    Args {
        service_name: service.into(),
        region: Some("us-east-1".into()),
        endpoint_url: Some(server.url()),
        json,
    }
}

#[tokio::test]
async fn table_of_the_demo_service() {
    let server = DemoServer::start(0, false).await.expect("listens");
    let text = cli::run(&args(&server, "demo", false), base())
        .await
        .expect("the call succeeds");
    assert!(
        text.starts_with("Container service demo: 4 deployments\n"),
        "{text}"
    );
    for line in [
        "7        ACTIVATING  2024-01-02T03:04:05.123Z",
        "6        ACTIVE      2023-12-31T00:00:00.5Z",
        "5        INACTIVE    2023-12-01T00:00:00Z",
        "4        FAILED      2023-11-11T00:00:00Z",
        "  public endpoint: web:8000",
        "  health check:    path /healthz, success codes 200, every 30s, timeout 10s, healthy after 3, unhealthy after 5",
    ] {
        assert!(text.contains(line), "missing `{line}` in\n{text}");
    }
    assert!(
        text.contains("gunicorn --bind 0.0.0.0:8000 'app:create_app()'"),
        "{text}"
    );
    assert!(text.contains("8125/UDP 8126/TCP"), "{text}");
}

#[tokio::test]
async fn json_and_errors() {
    let server = DemoServer::start(0, false).await.expect("listens");
    let text = cli::run(&args(&server, "demo", true), base())
        .await
        .expect("the call succeeds");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let versions: Vec<_> = value["deployments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["version"].as_i64())
        .collect();
    assert_eq!(versions, [Some(7), Some(6), Some(5), Some(4)]);

    let empty = cli::run(&args(&server, "empty", false), base()).await;
    assert_eq!(
        empty.as_deref(),
        Ok("Container service empty: 0 deployments\n")
    );

    let missing = cli::run(&args(&server, "missing", false), base())
        .await
        .expect_err("unknown service");
    assert!(missing.contains("NotFoundException"), "{missing}");
    assert!(
        missing.contains("The container service \"missing\" does not exist."),
        "{missing}"
    );

    let invalid = cli::run(&args(&server, "Not_Valid", false), base())
        .await
        .expect_err("invalid name");
    assert!(invalid.contains("InvalidInputException"), "{invalid}");
}
