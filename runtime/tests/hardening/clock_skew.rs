//! Clock skew, learned as aws-sdk-rust learns it: from the `Date` of every response (not one
//! with an `Age`, i.e. from a cache), and a skew error is retried only when the clock is off by
//! more than 4 minutes (aws-sdk-rust's `SKEW_DETECTION_THRESHOLD`).

use std::time::Duration;

use awsjson_runtime::client::Handle;
use awsjson_runtime::error::ErrorMetadata;

use crate::{config_for, fixed_time, http_date, Sleeps, OP, SPEC};
use awsjson_test_support::{Action, Server};

/// The signing times (`x-amz-date`) of the requests received.
fn signing_times(server: &Server) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|s| s.header("x-amz-date").unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn a_wrong_key_with_a_slightly_off_clock_is_not_retried() {
    // Two minutes off: a skew error code, but under the 4 minute threshold.
    let date = http_date(fixed_time() + Duration::from_secs(120));
    let server = Server::start(vec![
        Action::error(403, "InvalidSignatureException", "m").with_header("Date", &date)
    ])
    .await;
    let err = Handle::new(&SPEC, config_for(&server.url(), &Sleeps::default()).build())
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("not retried");
    assert_eq!(
        err.as_service_error().and_then(ErrorMetadata::code),
        Some("InvalidSignatureException")
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_clock_off_by_ten_minutes_is_corrected_and_retried_like_any_retry() {
    let date = http_date(fixed_time() + Duration::from_secs(600));
    let server = Server::start(vec![
        Action::error(403, "AccessDeniedException", "m").with_header("Date", &date),
        Action::json(200, "{}"),
    ])
    .await;
    let sleeps = Sleeps::default();
    Handle::new(&SPEC, config_for(&server.url(), &sleeps).build())
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("the corrected retry succeeds");
    assert_eq!(
        signing_times(&server),
        ["20240102T030405Z", "20240102T031405Z"]
    );
    // A standard retry: backoff (jitter 0.5 of 1 s) and retry tokens, as aws-sdk-rust.
    assert_eq!(sleeps.get(), [Duration::from_millis(500)]);
}

#[tokio::test]
async fn a_skew_error_signed_with_the_corrected_time_is_final() {
    // The offset is already right (learned from the first response); a second skew error
    // means a wrong key, not a wrong clock.
    let date = http_date(fixed_time() + Duration::from_secs(600));
    let server = Server::start(vec![
        Action::error(403, "InvalidSignatureException", "m").with_header("Date", &date),
        Action::error(403, "InvalidSignatureException", "m").with_header("Date", &date),
        Action::error(403, "InvalidSignatureException", "m").with_header("Date", &date),
    ])
    .await;
    let err: awsjson_runtime::error::SdkError<ErrorMetadata> =
        Handle::new(&SPEC, config_for(&server.url(), &Sleeps::default()).build())
            .invoke(&OP, b"{}".to_vec())
            .await
            .expect_err("wrong key");
    assert_eq!(err.attempts(), Some(2));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_offset_is_learned_from_successful_responses() {
    let date = http_date(fixed_time() + Duration::from_secs(3600));
    let server = Server::start(vec![
        Action::json(200, "{}").with_header("Date", &date),
        Action::json(200, "{}"),
    ])
    .await;
    let handle = Handle::new(&SPEC, config_for(&server.url(), &Sleeps::default()).build());
    handle.invoke(&OP, b"{}".to_vec()).await.expect("ok");
    handle.invoke(&OP, b"{}".to_vec()).await.expect("ok");
    assert_eq!(
        signing_times(&server),
        ["20240102T030405Z", "20240102T040405Z"]
    );
}

#[tokio::test]
async fn a_cached_response_does_not_move_the_offset() {
    let date = http_date(fixed_time() + Duration::from_secs(3600));
    let server = Server::start(vec![
        Action::json(200, "{}")
            .with_header("Date", &date)
            .with_header("Age", "30"),
        Action::json(200, "{}"),
    ])
    .await;
    let handle = Handle::new(&SPEC, config_for(&server.url(), &Sleeps::default()).build());
    handle.invoke(&OP, b"{}".to_vec()).await.expect("ok");
    handle.invoke(&OP, b"{}".to_vec()).await.expect("ok");
    assert_eq!(
        signing_times(&server),
        ["20240102T030405Z", "20240102T030405Z"]
    );
}
