//! `customize()` on the loopback server, as aws-sdk-rust users write it: request hooks run
//! before signing (the added header is signed), a failing `map_request` ends the call before
//! anything is sent, and `config_override` changes endpoint, region and retries for one call
//! while sharing the client's connections and credentials cache.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aws_credential_types::provider::{future, ProvideCredentials};
use awsjson_test_support::{Action, Response, Server, Sleeps};
use lightsail::config::retry::RetryConfig;
use lightsail::config::{Region, SharedCredentialsProvider};
use lightsail::error::SdkError;
use lightsail_tests::{bounded, call_with_override, config, credentials, expected_authorization};

const EMPTY: &str = r#"{"deployments":[]}"#;

#[tokio::test]
async fn mutate_request_adds_a_signed_header_to_every_attempt() {
    let server = Server::start(vec![
        Action::error(500, "InternalFailure", "try again"),
        Action::json(200, EMPTY),
    ])
    .await;
    let sleeps = Sleeps::default();
    let client = lightsail::Client::from_conf(config(&server.url(), &sleeps, 2).build());
    bounded(
        client
            .get_container_service_deployments()
            .service_name("svc")
            .customize()
            .mutate_request(|req| {
                req.headers_mut().insert("x-custom", "hello");
            })
            .send(),
    )
    .await
    .expect("the second attempt succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("x-custom"), Some("hello"));
        let authorization = request.header("authorization").expect("signed");
        assert!(authorization.contains("x-custom"), "{authorization}");
        assert_eq!(
            authorization,
            expected_authorization(request, credentials(true)),
            "the hooked request is what was signed"
        );
    }
}

#[tokio::test]
async fn map_request_can_replace_the_body_and_content_length_follows() {
    let server = Server::start(vec![Action::json(200, EMPTY)]).await;
    let sleeps = Sleeps::default();
    let client = lightsail::Client::from_conf(config(&server.url(), &sleeps, 1).build());
    bounded(
        client
            .get_container_service_deployments()
            .service_name("svc")
            .customize()
            .map_request(|mut req| {
                *req.body_mut() = r#"{"serviceName":"other"}"#.into();
                Ok::<_, std::convert::Infallible>(req)
            })
            .send(),
    )
    .await
    .expect("success");
    let request = &server.requests()[0];
    assert_eq!(request.body_text(), r#"{"serviceName":"other"}"#);
    assert_eq!(request.header("content-length"), Some("23"));
    assert_eq!(
        request.header("authorization"),
        Some(expected_authorization(request, credentials(true)).as_str())
    );
}

#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused by the hook")
    }
}

impl std::error::Error for Refused {}

#[tokio::test]
async fn a_failing_map_request_is_a_construction_failure_and_sends_nothing() {
    let server = Server::start(vec![Action::json(200, EMPTY)]).await;
    let sleeps = Sleeps::default();
    let client = lightsail::Client::from_conf(config(&server.url(), &sleeps, 3).build());
    let err = bounded(
        client
            .get_container_service_deployments()
            .service_name("svc")
            .customize()
            .map_request(|_req| Err(Refused))
            .send(),
    )
    .await
    .expect_err("the hook refuses");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let shown = format!("{}", lightsail::error::DisplayErrorContext(&err));
    assert!(shown.contains("refused by the hook"), "{shown}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn config_override_changes_endpoint_region_and_retries_for_one_call() {
    let client_server = Server::start(vec![Action::json(200, EMPTY)]).await;
    let override_server =
        Server::start(vec![Action::error(503, "ServiceUnavailable", "busy")]).await;
    let sleeps = Sleeps::default();
    let client = lightsail::Client::from_conf(config(&client_server.url(), &sleeps, 3).build());
    let err = call_with_override(
        &client,
        "svc",
        lightsail::Config::builder()
            .endpoint_url(override_server.url())
            .region(Region::new("eu-west-3"))
            .retry_config(RetryConfig::standard().with_max_attempts(1)),
    )
    .await
    .expect_err("the override's server is busy and retries are off");
    let raw = err.raw_response().expect("a response arrived");
    assert_eq!(raw.status().as_u16(), 503);
    assert!(raw.status().is_server_error() && !raw.status().is_client_error());
    let sent = override_server.requests();
    assert_eq!(sent.len(), 1, "one attempt: the override's retry config");
    let authorization = sent[0].header("authorization").expect("signed");
    assert!(
        authorization.contains("/eu-west-3/lightsail/"),
        "{authorization}"
    );
    assert!(client_server.requests().is_empty());

    // The client itself is unchanged, and the fluent builder takes an override too.
    bounded(
        client
            .get_container_service_deployments()
            .service_name("svc")
            .send(),
    )
    .await
    .expect("the client's own endpoint");
    assert_eq!(client_server.requests().len(), 1);
    let again = Server::start(vec![Action::Respond(Response::json(200, "req-1", EMPTY))]).await;
    let output = bounded(
        client
            .get_container_service_deployments()
            .service_name("svc")
            .config_override(lightsail::Config::builder().endpoint_url(again.url()))
            .send(),
    )
    .await
    .expect("the fluent builder's override");
    assert!(output.deployments().is_empty());
    assert_eq!(again.requests().len(), 1);
}

/// Counts how often the client asks it for credentials.
#[derive(Debug, Clone, Default)]
struct CountingProvider {
    loads: Arc<AtomicUsize>,
}

impl CountingProvider {
    fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for CountingProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.loads.fetch_add(1, Ordering::SeqCst);
        future::ProvideCredentials::ready(Ok(credentials(true)))
    }
}

#[tokio::test]
async fn config_override_shares_the_connections_and_the_credentials_cache() {
    let server = Server::start(vec![
        Action::json(200, EMPTY),
        Action::json(200, EMPTY),
        Action::json(200, EMPTY),
    ])
    .await;
    let sleeps = Sleeps::default();
    let provider = CountingProvider::default();
    let client = lightsail::Client::from_conf(
        config(&server.url(), &sleeps, 1)
            .credentials_provider(SharedCredentialsProvider::new(provider.clone()))
            .build(),
    );
    for region in ["eu-west-3", "ap-south-1"] {
        let over = lightsail::Config::builder().region(Region::new(region));
        call_with_override(&client, "svc", over)
            .await
            .expect("the override's region");
    }
    assert_eq!(
        provider.loads(),
        1,
        "one load for the client and its overrides"
    );
    let requests = server.requests();
    let authorization = requests[1].header("authorization").expect("signed");
    assert!(authorization.contains("/ap-south-1/"), "{authorization}");
    assert_eq!(
        requests[0].connection, requests[1].connection,
        "the override reuses the client's connection"
    );

    // An override with a credentials provider of its own loads from that one.
    let other = CountingProvider::default();
    let over = lightsail::Config::builder()
        .credentials_provider(SharedCredentialsProvider::new(other.clone()));
    call_with_override(&client, "svc", over)
        .await
        .expect("the override's credentials");
    assert_eq!((provider.loads(), other.loads()), (1, 1));
}
