//! What the model says per operation, obeyed by the call path: auth mode (signed, optional,
//! none), `@retryable` errors, static endpoint parameters and context parameters, endpoints
//! needing an auth scheme we lack, and `awsQueryCompatible` error codes.

use awsjson_runtime::client::{AuthMode, CallOptions, Handle, OperationSpec, RetryableError};
use awsjson_runtime::config::{
    AccountIdEndpointMode, Config, Credentials, Env, Region, TimeSource,
};
use awsjson_runtime::endpoint::{ParamValue, StaticParam};
use awsjson_runtime::error::{ProvideErrorMetadata, SdkError};
use awsjson_test_support::fake_service;

use crate::support::{
    config_for, empty_env, fixed_time, op_with, Action, Server, Sleeps, TestError, RULES, SPEC,
};

static OPTIONAL: OperationSpec<String, TestError> = op_with(AuthMode::Optional, &[], &[]);
static NO_AUTH: OperationSpec<String, TestError> = op_with(AuthMode::None, &[], &[]);
static SIGNED: OperationSpec<String, TestError> = op_with(AuthMode::SigV4, &[], &[]);

/// A config without credentials anywhere (empty environment, no provider).
fn no_credentials(server: &Server, sleeps: &Sleeps) -> Config {
    Config::builder()
        .env(empty_env())
        .region(Region::from_static("us-east-1"))
        .endpoint_url(server.url())
        .time_source(TimeSource::fixed(fixed_time()))
        .sleep_impl(sleeps.sleep_impl())
        .build()
}

#[tokio::test]
async fn optional_auth_is_unsigned_without_credentials_and_signed_with_them() {
    let server = Server::start(vec![Action::json(200, "{}"), Action::json(200, "{}")]).await;
    let sleeps = Sleeps::default();
    Handle::new(&SPEC, no_credentials(&server, &sleeps))
        .invoke(&OPTIONAL, b"{}".to_vec())
        .await
        .expect("optional auth never fails for lack of credentials");
    Handle::new(&SPEC, config_for(&server, &sleeps).build())
        .invoke(&OPTIONAL, b"{}".to_vec())
        .await
        .expect("signed");
    let requests = server.requests();
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(requests[0].header("x-amz-date"), None);
    let signed = requests[1].header("authorization").expect("signed");
    assert!(signed.starts_with("AWS4-HMAC-SHA256 "), "{signed}");
}

#[tokio::test]
async fn no_auth_is_never_signed_and_sigv4_still_needs_credentials() {
    let server = Server::start(vec![Action::json(200, "{}")]).await;
    let sleeps = Sleeps::default();
    Handle::new(&SPEC, config_for(&server, &sleeps).build())
        .invoke(&NO_AUTH, b"{}".to_vec())
        .await
        .expect("unsigned call");
    assert_eq!(server.requests()[0].header("authorization"), None);
    let err = Handle::new(&SPEC, no_credentials(&server, &sleeps))
        .invoke(&SIGNED, b"{}".to_vec())
        .await
        .expect_err("SigV4 without credentials");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert_eq!(
        server.requests().len(),
        1,
        "nothing sent without credentials"
    );
}

static RETRYABLE: &[RetryableError] = &[
    RetryableError {
        code: "TryAgainLater",
        throttling: false,
    },
    RetryableError {
        code: "PleaseSlowDown",
        throttling: true,
    },
];
static WITH_RETRYABLE: OperationSpec<String, TestError> = op_with(AuthMode::SigV4, RETRYABLE, &[]);

#[tokio::test]
async fn retryable_modeled_errors_are_retried_and_others_are_not() {
    let server = Server::start(vec![
        Action::error(400, "TryAgainLater", "busy"),
        Action::error(400, "PleaseSlowDown", "slow down"),
        Action::json(200, r#"{"ok":1}"#),
        Action::error(400, "TryAgainLater", "busy"),
    ])
    .await;
    let sleeps = Sleeps::default();
    let handle = Handle::new(&SPEC, config_for(&server, &sleeps).build());
    let output = handle
        .invoke(&WITH_RETRYABLE, b"{}".to_vec())
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(output, r#"{"ok":1}"#);
    assert_eq!(sleeps.get().len(), 2, "two backoffs");
    // The same code on an operation that does not model it is not retried.
    let err = handle
        .invoke(&SIGNED, b"{}".to_vec())
        .await
        .expect_err("not retryable here");
    assert_eq!(err.code(), Some("TryAgainLater"));
    assert_eq!(server.requests().len(), 4);
}

/// Rules whose URL shows the `Mode` and `Arn` parameters, or asks for SigV4a for `Global`.
const PARAM_RULES: &str = r#"{"version":"1.0","parameters":{
  "Region":{"type":"string","builtIn":"AWS::Region","required":false},
  "Endpoint":{"type":"string","builtIn":"SDK::Endpoint","required":false},
  "Mode":{"type":"string","required":false},
  "Arn":{"type":"string","required":false},
  "Global":{"type":"boolean","required":false}},
 "rules":[
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Global"}]},{"fn":"booleanEquals","argv":[{"ref":"Global"},true]}],
   "type":"endpoint","endpoint":{"url":"{Endpoint}","properties":{"authSchemes":[{"name":"sigv4a","signingName":"svc","signingRegionSet":["*"]}]}}},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Mode"}]},{"fn":"isSet","argv":[{"ref":"Arn"}]}],
   "type":"endpoint","endpoint":{"url":"{Endpoint}/{Mode}/{Arn}"}},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Mode"}]}],"type":"endpoint","endpoint":{"url":"{Endpoint}/{Mode}"}},
  {"conditions":[],"type":"endpoint","endpoint":{"url":"{Endpoint}"}}]}"#;
static PARAM_SPEC: awsjson_runtime::client::ServiceSpec = fake_service::spec(PARAM_RULES, false);
static STATIC_MODE: OperationSpec<String, TestError> = op_with(
    AuthMode::SigV4,
    &[],
    &[("Mode", StaticParam::String("control"))],
);
static GLOBAL: OperationSpec<String, TestError> =
    op_with(AuthMode::SigV4, &[], &[("Global", StaticParam::Bool(true))]);

#[tokio::test]
async fn static_and_context_params_choose_the_endpoint_per_call() {
    let server = Server::start(vec![
        Action::json(200, "{}"),
        Action::json(200, "{}"),
        Action::json(200, "{}"),
    ])
    .await;
    let handle = Handle::new(&PARAM_SPEC, config_for(&server, &Sleeps::default()).build());
    handle.invoke(&SIGNED, b"{}".to_vec()).await.expect("plain");
    handle
        .invoke(&STATIC_MODE, b"{}".to_vec())
        .await
        .expect("static");
    let options = CallOptions {
        endpoint_params: vec![("Arn", ParamValue::String("thing".into()))],
        ..CallOptions::default()
    };
    handle
        .invoke_with(&STATIC_MODE, b"{}".to_vec(), options)
        .await
        .expect("context");
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/", "/control/", "/control/thing/"]);
}

#[tokio::test]
async fn an_endpoint_needing_sigv4a_fails_at_call_time_naming_it() {
    let server = Server::start(vec![]).await;
    let handle = Handle::new(&PARAM_SPEC, config_for(&server, &Sleeps::default()).build());
    let err = handle
        .invoke(&GLOBAL, b"{}".to_vec())
        .await
        .expect_err("sigv4a is not supported");
    let text = chain(&err);
    assert!(text.contains("`sigv4a`"), "{text}");
    assert!(server.requests().is_empty());
}

/// Rules that put the credentials' account id in the path unless the mode is `disabled`.
const ACCOUNT_RULES: &str = r#"{"version":"1.0","parameters":{
  "Endpoint":{"type":"string","builtIn":"SDK::Endpoint","required":false},
  "AccountId":{"type":"string","builtIn":"AWS::Auth::AccountId","required":false},
  "AccountIdEndpointMode":{"type":"string","builtIn":"AWS::Auth::AccountIdEndpointMode","required":false}},
 "rules":[
  {"conditions":[{"fn":"isSet","argv":[{"ref":"AccountId"}]},
                 {"fn":"not","argv":[{"fn":"stringEquals","argv":[{"ref":"AccountIdEndpointMode"},"disabled"]}]}],
   "type":"endpoint","endpoint":{"url":"{Endpoint}/acct/{AccountId}"}},
  {"conditions":[],"type":"endpoint","endpoint":{"url":"{Endpoint}"}}]}"#;
static ACCOUNT_SPEC: awsjson_runtime::client::ServiceSpec =
    fake_service::spec(ACCOUNT_RULES, false);

#[tokio::test]
async fn the_account_id_of_the_credentials_and_the_mode_choose_the_endpoint() {
    let server = Server::start(vec![
        Action::json(200, "{}"),
        Action::json(200, "{}"),
        Action::json(200, "{}"),
    ])
    .await;
    let sleeps = Sleeps::default();
    let with_account = || {
        config_for(&server, &sleeps).credentials_provider(
            Credentials::builder()
                .access_key_id("AKIDEXAMPLE")
                .secret_access_key("secret")
                .account_id("123456789012")
                .provider_name("test")
                .build(),
        )
    };
    for config in [
        with_account().build(),
        with_account()
            .account_id_endpoint_mode(AccountIdEndpointMode::Disabled)
            .build(),
        with_account()
            .env(Env::from_vars([(
                "AWS_ACCOUNT_ID_ENDPOINT_MODE",
                "disabled",
            )]))
            .build(),
    ] {
        Handle::new(&ACCOUNT_SPEC, config)
            .invoke(&SIGNED, b"{}".to_vec())
            .await
            .expect("call");
    }
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/acct/123456789012/", "/", "/"]);
}

static QUERY_SPEC: awsjson_runtime::client::ServiceSpec = fake_service::spec(RULES, true);

#[tokio::test]
async fn query_compatible_services_take_the_code_from_x_amzn_query_error() {
    let server = Server::start(vec![
        Action::error(400, "QueueDoesNotExist", "no queue").with_header(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        ),
        Action::error(400, "QueueDoesNotExist", "no queue").with_header(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        ),
    ])
    .await;
    let sleeps = Sleeps::default();
    let err = Handle::new(&QUERY_SPEC, config_for(&server, &sleeps).build())
        .invoke(&SIGNED, b"{}".to_vec())
        .await
        .expect_err("error");
    assert_eq!(err.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
    // A service that is not query compatible ignores the header.
    let err = Handle::new(&SPEC, config_for(&server, &sleeps).build())
        .invoke(&SIGNED, b"{}".to_vec())
        .await
        .expect_err("error");
    assert_eq!(err.code(), Some("QueueDoesNotExist"));
}

/// The error and its sources, joined.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
