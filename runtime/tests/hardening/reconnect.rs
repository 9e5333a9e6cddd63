//! Reconnect on transient errors (aws-sdk-rust's default `ReconnectMode`): the retry after a
//! 5xx or an I/O error goes out on a new connection, never the pooled one that just failed.

use awsjson_runtime::client::Handle;
use awsjson_runtime::config::retry::{ReconnectMode, RetryConfig};

use crate::{config_for, Sleeps, OP, SPEC};
use awsjson_test_support::{Action, Server};

#[tokio::test]
async fn successful_calls_share_one_keep_alive_connection() {
    // Without this the test below would prove nothing.
    let server = Server::start(vec![Action::json(200, "{}"); 3]).await;
    let handle = Handle::new(&SPEC, config_for(&server.url(), &Sleeps::default()).build());
    for _ in 0..3 {
        handle.invoke(&OP, b"{}".to_vec()).await.expect("ok");
    }
    let connections: Vec<_> = server.requests().iter().map(|s| s.connection).collect();
    assert_eq!(connections, [1, 1, 1]);
}

#[tokio::test]
async fn the_retry_after_a_server_error_uses_a_new_connection() {
    let server = Server::start(vec![
        Action::json(200, "{}"),
        Action::error(503, "ServiceUnavailableException", "m"),
        Action::json(200, "{}"),
        Action::json(200, "{}"),
    ])
    .await;
    let handle = Handle::new(&SPEC, config_for(&server.url(), &Sleeps::default()).build());
    handle
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("first call");
    handle
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("retried call");
    handle
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("later call");
    let seen = server.requests();
    let connections: Vec<_> = seen.iter().map(|s| s.connection).collect();
    assert_eq!(seen[2].header("amz-sdk-request"), Some("attempt=2; max=3"));
    // The 503 came on connection 1; its retry and later calls use a new one.
    assert_eq!(connections, [1, 1, 2, 2]);
}

#[tokio::test]
async fn the_retry_after_a_throttling_error_may_reuse_the_connection() {
    // aws-sdk-rust reconnects on transient errors only; throttling is not one.
    let server = Server::start(vec![
        Action::error(400, "ThrottlingException", "m"),
        Action::json(200, "{}"),
    ])
    .await;
    let handle = Handle::new(&SPEC, config_for(&server.url(), &Sleeps::default()).build());
    handle.invoke(&OP, b"{}".to_vec()).await.expect("retried");
    let connections: Vec<_> = server.requests().iter().map(|s| s.connection).collect();
    assert_eq!(connections, [1, 1]);
}

#[tokio::test]
async fn reuse_all_connections_keeps_the_pooled_connection() {
    let server = Server::start(vec![
        Action::error(503, "ServiceUnavailableException", "m"),
        Action::json(200, "{}"),
    ])
    .await;
    let config = config_for(&server.url(), &Sleeps::default())
        .retry_config(
            RetryConfig::standard().with_reconnect_mode(ReconnectMode::ReuseAllConnections),
        )
        .build();
    Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("retried");
    let connections: Vec<_> = server.requests().iter().map(|s| s.connection).collect();
    assert_eq!(connections, [1, 1]);
}

#[tokio::test]
async fn the_retry_after_a_reset_uses_a_new_connection() {
    let server = Server::start(vec![
        Action::json(200, "{}"),
        Action::Close,
        Action::json(200, "{}"),
    ])
    .await;
    let handle = Handle::new(&SPEC, config_for(&server.url(), &Sleeps::default()).build());
    handle
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("first call");
    handle
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("retried after the reset");
    let connections: Vec<_> = server.requests().iter().map(|s| s.connection).collect();
    assert_eq!(connections, [1, 1, 2]);
    assert_eq!(server.connections(), 2);
}
