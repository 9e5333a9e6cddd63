//! The `ContainerServiceDeploymentActive` waiter against the demo endpoint, in process:
//! the newest deployment is `ACTIVATING` for a few polls, then `ACTIVE` (or `FAILED`).
//! The waiter really sleeps between polls (2 s, then up to 4 s and 8 s), so each test
//! takes several seconds.

use std::time::Duration;

use lightsail_examples::cli::Args;
use lightsail_examples::rollout::POLLS_BEFORE_DONE;
use lightsail_examples::server::DemoServer;
use lightsail_examples::wait::wait_for_deployment;

mod common;
use common::base;

fn args(server: &DemoServer, service: &str) -> Args {
    Args {
        service_name: service.into(),
        region: Some("us-east-1".into()),
        endpoint_url: Some(server.url()),
        json: false,
    }
}

#[tokio::test]
async fn returns_once_the_newest_deployment_is_active() {
    let server = DemoServer::start(0, false).await.expect("listens");
    let started = std::time::Instant::now();
    let text = wait_for_deployment(&args(&server, "rollout"), base(), Duration::from_secs(60))
        .await
        .expect("the deployment becomes active");
    assert_eq!(text, "Container service rollout: deployment 2 is ACTIVE\n");
    // It polled through the ACTIVATING answers, sleeping at least min_delay between polls.
    assert!(
        started.elapsed() >= Duration::from_secs(2 * u64::from(POLLS_BEFORE_DONE)),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn fails_when_the_newest_deployment_fails() {
    let server = DemoServer::start(0, false).await.expect("listens");
    let err = wait_for_deployment(
        &args(&server, "rollout-fails"),
        base(),
        Duration::from_secs(60),
    )
    .await
    .expect_err("the deployment fails");
    assert_eq!(
        err,
        "container service rollout-fails: the newest deployment FAILED"
    );
}

#[tokio::test]
async fn gives_up_after_max_wait_and_reports_errors() {
    let server = DemoServer::start(0, false).await.expect("listens");
    let err = wait_for_deployment(&args(&server, "rollout"), base(), Duration::from_secs(3))
        .await
        .expect_err("too short a wait");
    assert!(err.contains("no active deployment after 3s"), "{err}");

    // An error no acceptor matches ends the wait with the service's error.
    let err = wait_for_deployment(&args(&server, "nope"), base(), Duration::from_secs(60))
        .await
        .expect_err("unknown service");
    assert!(err.contains("NotFoundException"), "{err}");
}
