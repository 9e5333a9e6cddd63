//! Calls of golden crates against the loopback server (`awsjson-test-support`): what the
//! model's auth, `@retryable` and `awsQueryCompatible` traits change on the wire.
//! Compiled and run by `codegen/tests/golden.rs` as a crate of the golden workspace.

#![cfg(test)]

use std::time::{Duration, SystemTime};

use awsjson_test_support::{empty_env, Action, Server, Sleeps};

fn fixed_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
}

fn credentials() -> auth::config::Credentials {
    auth::config::Credentials::new("AKIDTEST", "SECRETKEYTEST", None, None, "loopback")
}

/// A config for `server`: empty environment (so no credentials unless given), fixed
/// clock, recorded sleeps, jitter 1.
fn config(server: &Server, sleeps: &Sleeps, with_credentials: bool) -> auth::config::Builder {
    let builder = auth::Config::builder()
        .env(empty_env())
        .region(auth::config::Region::new("us-east-1"))
        .endpoint_url(server.url())
        .time_source(auth::config::hooks::TimeSource::fixed(fixed_time()))
        .sleep_impl(sleeps.sleep_impl())
        .retry_jitter(auth::config::hooks::Jitter::from_fn(|| 1.0));
    if with_credentials {
        builder.credentials_provider(credentials())
    } else {
        builder
    }
}

#[tokio::test]
async fn no_auth_and_optional_auth_operations_are_unsigned_without_credentials() {
    let ok = || Action::json(200, r#"{"id":"x"}"#);
    let server = Server::start(vec![ok(), ok(), ok(), ok()]).await;
    let sleeps = Sleeps::default();
    let anonymous = auth::Client::from_conf(config(&server, &sleeps, false).build());
    let signed = auth::Client::from_conf(config(&server, &sleeps, true).build());

    // `smithy.api#auth: []`: never signed, even with credentials.
    anonymous.open().send().await.expect("open, no credentials");
    signed.open().send().await.expect("open, with credentials");
    // `smithy.api#optionalAuth`: unsigned without credentials, signed with them.
    anonymous.maybe().send().await.expect("maybe, no credentials");
    signed.maybe().send().await.expect("maybe, with credentials");
    // SigV4 without credentials fails before sending.
    let err = anonymous
        .signed()
        .send()
        .await
        .expect_err("signed, no credentials");
    assert!(
        matches!(err, auth::error::SdkError::ConstructionFailure(_)),
        "{err:?}"
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 4, "the failed signed call sent nothing");
    let targets: Vec<_> = requests.iter().map(|r| r.header("x-amz-target")).collect();
    assert_eq!(
        targets,
        [
            Some("Auth.Open"),
            Some("Auth.Open"),
            Some("Auth.Maybe"),
            Some("Auth.Maybe")
        ]
    );
    let authorization: Vec<bool> = requests
        .iter()
        .map(|r| r.header("authorization").is_some())
        .collect();
    assert_eq!(authorization, [false, false, false, true]);
    assert_eq!(requests[0].header("x-amz-date"), None);
}

fn retry_config(server: &Server, sleeps: &Sleeps) -> retryable::Config {
    retryable::Config::builder()
        .env(empty_env())
        .region(retryable::config::Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(credentials())
        .time_source(retryable::config::hooks::TimeSource::fixed(fixed_time()))
        .sleep_impl(sleeps.sleep_impl())
        .retry_jitter(retryable::config::hooks::Jitter::from_fn(|| 1.0))
        .build()
}

#[tokio::test]
async fn retryable_errors_are_retried_and_others_are_not() {
    let server = Server::start(vec![
        Action::error(500, "Busy", "busy"),
        Action::error(400, "SlowDown", "slow down"),
        Action::json(200, r#"{"done":true}"#),
        Action::error(400, "Fatal", "no"),
        Action::error(400, "SlowDown", "slow down"),
        Action::error(400, "SlowDown", "slow down"),
        Action::error(400, "SlowDown", "slow down"),
    ])
    .await;
    let sleeps = Sleeps::default();
    let client = retryable::Client::from_conf(retry_config(&server, &sleeps));
    let output = client.work().send().await.expect("third attempt succeeds");
    assert_eq!(output.done(), Some(true));
    // Backoff 1 s then 2 s (jitter 1): both errors took the retry path.
    assert_eq!(
        sleeps.get(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );

    let err = client.work().send().await.expect_err("Fatal");
    assert!(
        matches!(
            err.as_service_error(),
            Some(retryable::operation::work::WorkError::Fatal(_))
        ),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 4, "Fatal is not retried");

    let err = client.work().send().await.expect_err("throttled out");
    assert!(
        matches!(
            err.as_service_error(),
            Some(retryable::operation::work::WorkError::SlowDown(_))
        ),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 7, "three attempts");
}

#[tokio::test]
async fn query_compatible_errors_match_the_x_amzn_query_error_code() {
    // As SQS answers on its JSON protocol: the JSON `__type` and the query code header.
    let missing = || {
        Action::json(
            400,
            r#"{"__type":"com.amazonaws.querycompat#QueueDoesNotExist","message":"The specified queue does not exist."}"#,
        )
        .with_header(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        )
    };
    let server = Server::start(vec![
        missing(),
        // Without the header, the `__type` still matches.
        Action::json(
            400,
            r#"{"__type":"com.amazonaws.querycompat#QueueDoesNotExist","message":"gone"}"#,
        ),
    ])
    .await;
    let sleeps = Sleeps::default();
    let client = query_compatible::Client::from_conf(
        query_compatible::Config::builder()
            .env(empty_env())
            .region(query_compatible::config::Region::new("us-east-1"))
            .endpoint_url(server.url())
            .credentials_provider(credentials())
            .time_source(query_compatible::config::hooks::TimeSource::fixed(
                fixed_time(),
            ))
            .sleep_impl(sleeps.sleep_impl())
            .build(),
    );
    use query_compatible::error::ProvideErrorMetadata;
    use query_compatible::operation::get_queue::GetQueueError;
    let err = client.get_queue().name("q").send().await.expect_err("missing");
    let service = err.as_service_error().expect("a service error");
    assert!(
        matches!(service, GetQueueError::QueueDoesNotExist(_)),
        "{service:?}"
    );
    assert_eq!(
        service.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue")
    );
    assert_eq!(service.message(), Some("The specified queue does not exist."));

    let err = client.get_queue().name("q").send().await.expect_err("missing");
    let service = err.as_service_error().expect("a service error");
    assert!(
        matches!(service, GetQueueError::QueueDoesNotExist(_)),
        "{service:?}"
    );
    assert_eq!(service.code(), Some("QueueDoesNotExist"));
}
