//! Code written for aws-sdk-lightsail compiles and behaves the same against the generated
//! crate: the crate-root `Error` with `?`, `Client::new(&SdkConfig)`,
//! `config::Builder::from(&SdkConfig)`, `Config::new`, the behavior version.

use std::error::Error as _;

use aws_credential_types::provider::SharedCredentialsProvider;
use awsjson_test_support::{Response, Server};
use lightsail::config::{BehaviorVersion, Region};
use lightsail::error::{DisplayErrorContext, ProvideErrorMetadata};
use lightsail::operation::RequestId;
use lightsail_tests::{bounded, credentials};

/// The typical aws-sdk-rust program: `?` from an operation's `SdkError` into `lightsail::Error`.
async fn typical_program(sdk_config: &aws_types::SdkConfig) -> Result<usize, lightsail::Error> {
    let client = lightsail::Client::new(sdk_config);
    let conf = lightsail::config::Builder::from(sdk_config)
        .behavior_version(BehaviorVersion::latest())
        .build();
    let _same = lightsail::Client::from_conf(conf);
    let output = client
        .get_container_service_deployments()
        .service_name("x")
        .send()
        .await?;
    Ok(output.deployments().len())
}

fn sdk_config(url: &str) -> aws_types::SdkConfig {
    aws_types::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(credentials(false)))
        .endpoint_url(url)
        .build()
}

#[tokio::test]
async fn question_mark_turns_a_modeled_error_into_its_root_variant() {
    let server = Server::start(vec![Response::aws_error(
        400,
        "NotFoundException",
        "no such service",
    )
    .into()])
    .await;
    let err = bounded(typical_program(&sdk_config(&server.url())))
        .await
        .expect_err("the service answered with an error");
    assert!(
        matches!(err, lightsail::Error::NotFoundException(_)),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("NotFoundException"));
    assert_eq!(err.message(), Some("no such service"));
    assert_eq!(err.request_id(), Some("req-400"));
    let shown = err.to_string();
    assert!(
        shown.contains("NotFoundException") && shown.contains("no such service"),
        "{shown}"
    );
}

#[tokio::test]
async fn an_unknown_code_is_unhandled_with_its_metadata() {
    let server = Server::start(vec![Response::aws_error(
        400,
        "BrandNewException",
        "surprise",
    )
    .into()])
    .await;
    let err = bounded(typical_program(&sdk_config(&server.url())))
        .await
        .expect_err("the service answered with an error");
    assert!(matches!(err, lightsail::Error::Unhandled(_)), "{err:?}");
    assert_eq!(err.code(), Some("BrandNewException"));
    assert!(err.to_string().contains("surprise"), "{err}");
}

#[tokio::test]
async fn a_failure_that_is_not_a_service_error_is_unhandled_with_the_sdk_error_as_source() {
    // Nothing listens on a port the server just released.
    let server = Server::start(vec![]).await;
    let url = server.url();
    drop(server);
    let mut sdk = sdk_config(&url).to_builder();
    sdk.set_retry_config(Some(
        lightsail::config::retry::RetryConfig::standard().with_max_attempts(1),
    ));
    let err = bounded(typical_program(&sdk.build()))
        .await
        .expect_err("nothing answers");
    assert!(matches!(err, lightsail::Error::Unhandled(_)), "{err:?}");
    assert_eq!(err.code(), None);
    let source = err.source().expect("the SdkError is the source");
    assert!(
        source.to_string().contains("dispatch failure"),
        "{}",
        DisplayErrorContext(&err)
    );
}

#[test]
fn config_from_sdk_config_takes_region_behavior_version_and_flags() {
    let sdk = aws_types::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-central-1"))
        .use_fips(true)
        .build();
    for config in [
        lightsail::Config::new(&sdk),
        lightsail::config::Builder::from(&sdk).build(),
    ] {
        assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-central-1"));
        assert_eq!(config.behavior_version(), Some(BehaviorVersion::latest()));
        assert_eq!(config.use_fips(), Some(true));
    }
    let built = lightsail::config::Builder::new()
        .behavior_version_latest()
        .use_fips(false)
        .build();
    assert_eq!(built.behavior_version(), Some(BehaviorVersion::latest()));
    assert_eq!(built.use_fips(), Some(false));
    assert!(!lightsail::meta::PKG_VERSION.is_empty());
}

/// `config::load_defaults` (feature `config-loader`) has aws-config's signature.
#[test]
fn the_config_loader_is_reexported_with_aws_configs_signature() {
    let loader: fn(BehaviorVersion) -> lightsail::config::ConfigLoader =
        lightsail::config::defaults;
    let loaded = loader(BehaviorVersion::latest()).region(Region::new("sa-east-1"));
    assert!(format!("{loaded:?}").contains("sa-east-1"));
}

/// Setters take what aws-sdk-rust's take: `&str` for string map values, `bool`-like flags.
#[test]
fn setters_take_what_aws_sdks_take() {
    let container = lightsail::types::Container::builder()
        .environment("K", "V")
        .command("run")
        .build();
    assert_eq!(
        container
            .environment()
            .and_then(|env| env.get("K"))
            .map(String::as_str),
        Some("V")
    );
    assert_eq!(container.command(), ["run"]);
}

/// Variants are in wire-value order, as smithy-rs emits them, so `values()` and `Ord` agree
/// with aws-sdk-rust.
#[test]
fn enum_values_and_order_follow_the_wire_values() {
    use lightsail::types::ContainerServiceDeploymentState as State;
    let values = State::values();
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    assert_eq!(values, sorted.as_slice());
    let mut parsed: Vec<State> = values.iter().rev().map(|v| State::from(*v)).collect();
    parsed.sort();
    let back: Vec<&str> = parsed.iter().map(State::as_str).collect();
    assert_eq!(back, values);
}
