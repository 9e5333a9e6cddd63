//! Retries, backoff, the token bucket, timeouts and clock skew.

use std::time::{Duration, Instant};

use awsjson_runtime::client::Handle;
use awsjson_runtime::config::retry::RetryConfig;
use awsjson_runtime::config::timeout::TimeoutConfig;
use awsjson_runtime::config::Jitter;
use awsjson_runtime::error::{ProvideErrorMetadata, SdkError};

use crate::support::{config_for, fixed_time, Action, Server, Sleeps, OP, SPEC};

#[tokio::test]
async fn server_error_then_success_is_retried_with_same_invocation_id() {
    let server = Server::start(vec![
        Action::error(503, "ServiceUnavailableException", "busy"),
        Action::json(200, r#"{"ok":1}"#),
    ])
    .await;
    let sleeps = Sleeps::default();
    let config = config_for(&server, &sleeps)
        .retry_jitter(Jitter::from_fn(|| 0.5))
        .build();
    let output = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success after retry");
    assert_eq!(output, r#"{"ok":1}"#);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].header("amz-sdk-request"),
        Some("attempt=1; max=3")
    );
    assert_eq!(
        requests[1].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
    let id = requests[0].header("amz-sdk-invocation-id");
    assert!(id.is_some());
    assert_eq!(id, requests[1].header("amz-sdk-invocation-id"));
    // Full jitter 0.5 * min(1 s * 2^0, 20 s).
    assert_eq!(sleeps.get(), vec![Duration::from_millis(500)]);
}

#[tokio::test]
async fn invocation_ids_differ_between_calls() {
    let server = Server::start(vec![Action::json(200, "{}"), Action::json(200, "{}")]).await;
    let handle = Handle::new(&SPEC, config_for(&server, &Sleeps::default()).build());
    handle.invoke(&OP, b"{}".to_vec()).await.expect("ok");
    handle.invoke(&OP, b"{}".to_vec()).await.expect("ok");
    let requests = server.requests();
    assert_ne!(
        requests[0].header("amz-sdk-invocation-id"),
        requests[1].header("amz-sdk-invocation-id")
    );
}

#[tokio::test]
async fn throttling_error_is_retried() {
    let server = Server::start(vec![
        Action::error(400, "ThrottlingException", "slow down"),
        Action::json(200, "{}"),
    ])
    .await;
    let sleeps = Sleeps::default();
    Handle::new(&SPEC, config_for(&server, &sleeps).build())
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success after retry");
    assert_eq!(server.requests().len(), 2);
    assert_eq!(sleeps.get().len(), 1);
    assert!(sleeps.get()[0] <= Duration::from_secs(1));
}

#[tokio::test]
async fn connection_reset_is_retried() {
    let server = Server::start(vec![Action::Reset, Action::json(200, "{}")]).await;
    let sleeps = Sleeps::default();
    Handle::new(&SPEC, config_for(&server, &sleeps).build())
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success after retry");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        requests[1].connection > requests[0].connection,
        "the retry came on a new connection"
    );
    assert_eq!(
        requests[1].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
}

#[tokio::test]
async fn exhausted_attempts_say_how_many() {
    let server = Server::start(vec![
        Action::error(500, "InternalFailure", "oops"),
        Action::error(502, "BadGateway", "oops"),
        Action::error(503, "ServiceUnavailable", "oops"),
        Action::json(200, "{}"),
    ])
    .await;
    let sleeps = Sleeps::default();
    let config = config_for(&server, &sleeps)
        .retry_jitter(Jitter::from_fn(|| 1.0))
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("gives up");
    assert_eq!(err.attempts(), Some(3));
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        sleeps.get(),
        vec![Duration::from_secs(1), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn max_attempts_and_backoff_settings_are_honoured() {
    let server = Server::start(vec![
        Action::error(503, "X", "x"),
        Action::error(503, "X", "x"),
        Action::error(503, "X", "x"),
        Action::error(503, "X", "x"),
        Action::json(200, "{}"),
    ])
    .await;
    let sleeps = Sleeps::default();
    let config = config_for(&server, &sleeps)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(5)
                .with_initial_backoff(Duration::from_millis(100))
                .with_max_backoff(Duration::from_millis(300)),
        )
        .retry_jitter(Jitter::from_fn(|| 1.0))
        .build();
    Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("fifth attempt succeeds");
    let requests = server.requests();
    assert_eq!(
        requests[4].header("amz-sdk-request"),
        Some("attempt=5; max=5")
    );
    let ms = Duration::from_millis;
    assert_eq!(sleeps.get(), vec![ms(100), ms(200), ms(300), ms(300)]);
}

#[tokio::test]
async fn disabled_retries_make_one_attempt() {
    let server = Server::start(vec![Action::error(503, "X", "x"), Action::json(200, "{}")]).await;
    let config = config_for(&server, &Sleeps::default())
        .retry_config(RetryConfig::disabled())
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("no retry");
    assert!(matches!(err, SdkError::ServiceError(_)));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("amz-sdk-request"),
        Some("attempt=1; max=1")
    );
}

#[tokio::test]
async fn token_bucket_stops_a_retry_storm() {
    // 500 tokens / 10 per retry after a transient error (aws-sdk-rust's costs) = 50 retries,
    // then the error is returned although attempts remain.
    let script = (0..150).map(|_| Action::error(503, "X", "x")).collect();
    let server = Server::start(script).await;
    let config = config_for(&server, &Sleeps::default())
        .retry_config(RetryConfig::standard().with_max_attempts(1000))
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("quota exhausted");
    assert_eq!(err.attempts(), Some(51));
    assert_eq!(server.requests().len(), 51);
}

#[tokio::test]
async fn connection_refused_is_retried_then_a_dispatch_failure() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let server = Server::start(vec![]).await;
    let sleeps = Sleeps::default();
    let config = config_for(&server, &sleeps)
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("refused");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(err.attempts(), Some(3));
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(sleeps.get().len(), 2);
}

#[tokio::test]
async fn stalled_attempt_times_out_and_is_retried() {
    let server = Server::start(vec![Action::Stall, Action::json(200, "{}")]).await;
    let config = config_for(&server, &Sleeps::default())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_millis(200))
                .build(),
        )
        .build();
    let output = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("second attempt succeeds");
    assert_eq!(output, "{}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
}

#[tokio::test]
async fn attempt_timeouts_exhausted_say_which_timeout() {
    let server = Server::start(vec![Action::Stall, Action::Stall]).await;
    let config = config_for(&server, &Sleeps::default())
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_millis(100))
                .build(),
        )
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("times out");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("operation attempt timeout of 100ms"),
        "{text}"
    );
    assert!(text.contains("after 2 attempts"), "{text}");
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let server = Server::start(vec![Action::Stall, Action::Stall, Action::Stall]).await;
    let config = config_for(&server, &Sleeps::default())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_millis(300))
                .operation_timeout(Duration::from_millis(500))
                .build(),
        )
        .build();
    let started = Instant::now();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("times out");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("operation timeout of 500ms elapsed"),
        "{text}"
    );
    assert!(text.contains("after 2 attempts"), "{text}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn clock_skew_is_corrected_and_retried_once() {
    // The server's clock is one hour ahead of ours.
    let server_time = fixed_time() + Duration::from_secs(3600);
    let date = aws_smithy_types::DateTime::from(server_time)
        .fmt(aws_smithy_types::date_time::Format::HttpDate)
        .expect("http date");
    let server = Server::start(vec![
        Action::error(400, "InvalidSignatureException", "Signature expired")
            .with_header("Date", &date),
        Action::json(200, "{}"),
        Action::json(200, "{}"),
    ])
    .await;
    let sleeps = Sleeps::default();
    let handle = Handle::new(&SPEC, config_for(&server, &sleeps).build());
    handle
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success after skew correction");
    handle.invoke(&OP, b"{}".to_vec()).await.expect("ok");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].header("x-amz-date"), Some("20240102T030405Z"));
    assert_eq!(requests[1].header("x-amz-date"), Some("20240102T040405Z"));
    assert_eq!(
        requests[1].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
    // The offset is kept for later calls.
    assert_eq!(requests[2].header("x-amz-date"), Some("20240102T040405Z"));
    // A standard retry (as aws-sdk-rust's): one backoff.
    assert_eq!(sleeps.get().len(), 1, "one backoff before the skew retry");
}

#[tokio::test]
async fn signature_error_without_skew_is_not_retried() {
    let date = aws_smithy_types::DateTime::from(fixed_time())
        .fmt(aws_smithy_types::date_time::Format::HttpDate)
        .expect("http date");
    let server = Server::start(vec![
        Action::error(403, "InvalidSignatureException", "bad key").with_header("Date", &date),
        Action::json(200, "{}"),
    ])
    .await;
    let err = Handle::new(&SPEC, config_for(&server, &Sleeps::default()).build())
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("wrong key is not retried");
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    assert_eq!(server.requests().len(), 1);
}
