//! Paginators, waiters and idempotency tokens of the `behaviour` golden crate, against a
//! scripted fake service (the runtime's `test-util` replay client).
//!
//! Compiled and run as the `behaviour-tests` crate of the golden workspace by
//! `golden_crates_compile_without_warnings_and_pass_their_tests` in `tests/golden.rs`;
//! not a test target of `codegen` itself.

#![cfg(test)]

use std::time::Duration;

use behaviour::client::Waiters;
use behaviour::config::retry::RetryConfig;
use behaviour::config::{Credentials, Region};
use behaviour::test_util::{ReplayEvent, StaticReplayClient};
use behaviour::{Client, Config};

fn fake_client(events: Vec<ReplayEvent>) -> (Client, StaticReplayClient) {
    let replay = StaticReplayClient::new(events);
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .idempotency_token_provider("fixed-token")
        .http_client_for_tests(replay.clone())
        .build();
    (Client::from_conf(config), replay)
}

/// A current-thread runtime with tokio's clock paused, so waiter sleeps take no time.
fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("runtime")
        .block_on(future)
}

fn body(request: &behaviour::test_util::CapturedRequest) -> serde_json::Value {
    serde_json::from_slice(request.body()).expect("JSON body")
}

#[test]
fn string_token_pages_until_the_token_is_absent() {
    let (client, replay) = fake_client(vec![
        ReplayEvent::json(200, r#"{"Things":[{"Name":"a"},{"Name":"b"}],"NextToken":"t1"}"#),
        ReplayEvent::json(200, r#"{"Things":[{"Name":"c"}],"NextToken":"t2"}"#),
        ReplayEvent::json(200, r#"{"Things":[]}"#),
    ]);
    let names: Vec<String> = run(client
        .list_things()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .try_collect())
    .expect("pages")
    .into_iter()
    .map(|thing| thing.name().unwrap_or_default().to_string())
    .collect();
    assert_eq!(names, ["a", "b", "c"]);
    let sent: Vec<serde_json::Value> = replay.requests().iter().map(body).collect();
    assert_eq!(sent[0], serde_json::json!({"MaxResults": 2}));
    assert_eq!(sent[1], serde_json::json!({"MaxResults": 2, "NextToken": "t1"}));
    assert_eq!(sent[2], serde_json::json!({"MaxResults": 2, "NextToken": "t2"}));
    replay.assert_all_consumed();
}

#[test]
fn a_repeated_token_stops_paging_unless_told_otherwise() {
    let page = r#"{"Things":[{"Name":"a"}],"NextToken":"same"}"#;
    let (client, replay) = fake_client(vec![ReplayEvent::json(200, page), ReplayEvent::json(200, page)]);
    let pages = run(client
        .list_things()
        .next_token("same")
        .into_paginator()
        .send()
        .try_collect())
    .expect("pages");
    assert_eq!(pages.len(), 1);
    assert_eq!(replay.remaining(), 1);

    let (client, replay) = fake_client(vec![
        ReplayEvent::json(200, page),
        ReplayEvent::json(200, r#"{"Things":[]}"#),
    ]);
    let pages = run(client
        .list_things()
        .next_token("same")
        .into_paginator()
        .stop_on_duplicate_token(false)
        .send()
        .try_collect())
    .expect("pages");
    assert_eq!(pages.len(), 2);
    replay.assert_all_consumed();
}

#[test]
fn map_token_is_sent_back_and_an_error_ends_the_stream() {
    let (client, replay) = fake_client(vec![
        ReplayEvent::json(200, r#"{"Items":[{"k":"1"}],"LastEvaluatedKey":{"k":"1"}}"#),
        ReplayEvent::error(400, "NotFound", "gone"),
    ]);
    let mut items = client.scan_items().into_paginator().items().send();
    let first = run(items.try_next()).expect("first page").expect("an item");
    assert_eq!(first.get("k").map(String::as_str), Some("1"));
    let err = run(items.try_next()).expect_err("second page fails");
    assert_eq!(
        behaviour::error::ProvideErrorMetadata::code(&err),
        Some("NotFound")
    );
    assert!(run(items.next()).is_none(), "the stream ends after an error");
    assert_eq!(
        body(&replay.requests()[1]),
        serde_json::json!({"ExclusiveStartKey": {"k": "1"}})
    );
}

#[test]
fn an_unset_idempotency_token_is_filled_and_a_set_one_kept() {
    let (client, replay) = fake_client(vec![
        ReplayEvent::json(200, "{}"),
        ReplayEvent::json(200, "{}"),
    ]);
    run(client.create_thing().name("n").send()).expect("created");
    run(client.create_thing().name("n").client_token("mine").send()).expect("created");
    let sent: Vec<serde_json::Value> = replay.requests().iter().map(body).collect();
    assert_eq!(sent[0], serde_json::json!({"Name": "n", "ClientToken": "fixed-token"}));
    assert_eq!(sent[1], serde_json::json!({"Name": "n", "ClientToken": "mine"}));
}

#[test]
fn waiter_retries_on_the_modeled_error_and_succeeds_on_the_status() {
    let (client, replay) = fake_client(vec![
        ReplayEvent::error(400, "NotFound", "not yet"),
        ReplayEvent::json(200, r#"{"Thing":{"Name":"other","Status":"CREATING"}}"#),
        ReplayEvent::json(200, r#"{"Thing":{"Name":"n","Status":"CREATING"}}"#),
        ReplayEvent::json(200, r#"{"Thing":{"Name":"n","Status":"ACTIVE"}}"#),
    ]);
    let poll = run(client
        .wait_until_thing_ready()
        .name("n")
        .wait(Duration::from_secs(300)))
    .expect("ready");
    let output = poll.as_result().expect("an output");
    assert_eq!(output.thing().and_then(|t| t.status()).map(|s| s.as_str()), Some("ACTIVE"));
    replay.assert_all_consumed();
}

#[test]
fn waiter_list_and_boolean_acceptors() {
    // All parts done: success.
    let (client, _) = fake_client(vec![ReplayEvent::json(
        200,
        r#"{"Thing":{"Name":"n","Parts":[{"State":"done"},{"State":"done"}]}}"#,
    )]);
    run(client.wait_until_thing_ready().name("n").wait(Duration::from_secs(60))).expect("done");
    // One part broken: failure state.
    let (client, _) = fake_client(vec![ReplayEvent::json(
        200,
        r#"{"Thing":{"Name":"n","Parts":[{"State":"done"},{"State":"broken"}]}}"#,
    )]);
    let err = run(client.wait_until_thing_ready().name("n").wait(Duration::from_secs(60)))
        .expect_err("broken");
    assert!(matches!(err, behaviour::waiters::thing_ready::WaitUntilThingReadyError::FailureState(_)), "{err:?}");
    // Ready == false: failure state.
    let (client, _) = fake_client(vec![ReplayEvent::json(200, r#"{"Thing":{"Name":"n","Ready":false}}"#)]);
    let err = run(client.wait_until_thing_ready().name("n").wait(Duration::from_secs(60)))
        .expect_err("not ready");
    assert!(matches!(err, behaviour::waiters::thing_ready::WaitUntilThingReadyError::FailureState(_)), "{err:?}");
}

#[test]
fn waiter_gives_up_after_max_wait_and_fails_on_an_unmatched_error() {
    let pending = r#"{"Thing":{"Name":"n","Status":"CREATING"}}"#;
    let (client, _) = fake_client((0..50).map(|_| ReplayEvent::json(200, pending)).collect());
    let err = run(client.wait_until_thing_ready().name("n").wait(Duration::from_secs(5)))
        .expect_err("times out");
    assert!(matches!(err, behaviour::waiters::thing_ready::WaitUntilThingReadyError::ExceededMaxWait(_)), "{err:?}");

    let (client, _) = fake_client(vec![ReplayEvent::error(400, "Other", "boom")]);
    let err = run(client.wait_until_thing_ready().name("n").wait(Duration::from_secs(60)))
        .expect_err("operation failed");
    assert!(matches!(err, behaviour::waiters::thing_ready::WaitUntilThingReadyError::OperationFailed(_)), "{err:?}");
}

#[test]
fn success_and_error_type_acceptors() {
    let (client, replay) = fake_client(vec![
        ReplayEvent::json(200, r#"{"Thing":{"Name":"n"}}"#),
        ReplayEvent::error(400, "NotFound", "gone"),
    ]);
    let poll = run(client.wait_until_thing_gone().name("n").wait(Duration::from_secs(60)))
        .expect("gone");
    assert!(poll.as_result().is_err());
    replay.assert_all_consumed();
}
