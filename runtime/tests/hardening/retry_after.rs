//! `x-amz-retry-after` (milliseconds, as aws-sdk-rust reads it): a valid value replaces the
//! computed backoff, capped at the max backoff; negative or garbage values are ignored.

use std::time::Duration;

use awsjson_runtime::client::Handle;

use crate::{config_for, Sleeps, OP, SPEC};
use awsjson_test_support::{Action, Server};

/// The backoff before the one retry of a 503 carrying `x-amz-retry-after: value`.
async fn backoff_for(status: u16, code: &str, value: &str) -> Vec<Duration> {
    let server = Server::start(vec![
        Action::error(status, code, "m").with_header("x-amz-retry-after", value),
        Action::json(200, "{}"),
    ])
    .await;
    let sleeps = Sleeps::default();
    Handle::new(&SPEC, config_for(&server.url(), &sleeps).build())
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("the retry succeeds");
    sleeps.get()
}

#[tokio::test]
async fn a_valid_retry_after_replaces_the_backoff() {
    // Jitter 0.5 and a 1 s base would give 500 ms.
    assert_eq!(
        backoff_for(503, "ServiceUnavailableException", "1500").await,
        [Duration::from_millis(1500)]
    );
    assert_eq!(
        backoff_for(400, "ThrottlingException", "250").await,
        [Duration::from_millis(250)]
    );
    assert_eq!(
        backoff_for(503, "ServiceUnavailableException", "0").await,
        [Duration::ZERO]
    );
}

#[tokio::test]
async fn a_huge_retry_after_is_capped_at_the_max_backoff() {
    assert_eq!(
        backoff_for(503, "ServiceUnavailableException", "99999999999").await,
        [Duration::from_secs(20)]
    );
    assert_eq!(
        backoff_for(503, "ServiceUnavailableException", "18446744073709551615").await,
        [Duration::from_secs(20)]
    );
}

#[tokio::test]
async fn negative_or_garbage_retry_after_is_ignored() {
    for value in ["-5", "abc", "1.5", "", "1500ms", "99999999999999999999999"] {
        assert_eq!(
            backoff_for(503, "ServiceUnavailableException", value).await,
            [Duration::from_millis(500)],
            "{value:?}"
        );
    }
}

#[tokio::test]
async fn retry_after_does_not_make_a_client_error_retryable() {
    let server = Server::start(vec![
        Action::error(400, "ValidationException", "m").with_header("x-amz-retry-after", "10")
    ])
    .await;
    let sleeps = Sleeps::default();
    Handle::new(&SPEC, config_for(&server.url(), &sleeps).build())
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("a validation error is final");
    assert_eq!(server.requests().len(), 1);
    assert!(sleeps.get().is_empty());
}
