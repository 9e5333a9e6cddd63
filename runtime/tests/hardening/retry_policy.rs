//! Token costs of aws-sdk-rust's standard mode (smithy-rs `TokenBucket`): 500 tokens, 5 per
//! retry after a throttling error, 10 after a transient one (5xx, I/O error, timeout).

use awsjson_runtime::client::Handle;
use awsjson_runtime::config::retry::RetryConfig;

use crate::{config_for, Sleeps, OP, SPEC};
use awsjson_test_support::{Action, Server};

/// How many attempts a call makes against a server that always answers `reply`, with
/// attempts limited only by the token bucket.
async fn attempts_until_the_bucket_is_empty(reply: Action) -> usize {
    let server = Server::start(vec![reply; 200]).await;
    let config = config_for(&server.url(), &Sleeps::default())
        .retry_config(RetryConfig::standard().with_max_attempts(1000))
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("the bucket runs dry");
    assert_eq!(
        err.attempts().map(|n| n as usize),
        Some(server.requests().len())
    );
    server.requests().len()
}

#[tokio::test]
async fn transient_errors_cost_ten_tokens() {
    // 500 / 10 = 50 retries after the first attempt.
    let reply = Action::error(503, "ServiceUnavailableException", "m");
    assert_eq!(attempts_until_the_bucket_is_empty(reply).await, 51);
}

#[tokio::test]
async fn throttling_errors_cost_five_tokens() {
    let reply = Action::error(400, "ThrottlingException", "m");
    assert_eq!(attempts_until_the_bucket_is_empty(reply).await, 101);
}
