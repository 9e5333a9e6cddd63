//! Shared support of the end-to-end and recorded-response tests of the generated
//! `lightsail` crate: the recorded-response loader, a deterministic client config, the
//! one operation call under test and the checks of the request it sends. The loopback
//! server, the SigV4 verifier and the canonical renderer are `awsjson-test-support`'s.

/// The README's Rust example, compiled as a doctest so it cannot drift from the API.
#[doc = include_str!("../../README.md")]
pub mod readme {}

pub mod recorded;

use std::future::Future;
use std::time::{Duration, SystemTime};

use awsjson_runtime::config::{Jitter, TimeSource};
use awsjson_test_support::sigv4::{self, Scope};
use lightsail::config::retry::RetryConfig;
use lightsail::config::{Credentials, Region};
use lightsail::error::SdkError;
use lightsail::operation::get_container_service_deployments::{
    GetContainerServiceDeploymentsError, GetContainerServiceDeploymentsOutput,
};

pub use awsjson_test_support::{empty_env, Action, CapturedRequest, Response, Server, Sleeps};

/// Access key id of the test credentials.
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
/// Secret key of the test credentials; must never appear in Debug output.
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// Session token of the test credentials; must never appear in Debug output.
pub const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//+/==";
/// The region of the tests.
pub const REGION: &str = "us-east-1";
/// The fixed signing time: 2024-01-02T03:04:05Z.
pub const FIXED_EPOCH_SECS: u64 = 1_704_164_645;
/// `x-amz-date` of [`FIXED_EPOCH_SECS`].
pub const FIXED_AMZ_DATE: &str = "20240102T030405Z";
/// The `X-Amz-Target` of the operation under test.
pub const TARGET: &str = "Lightsail_20161128.GetContainerServiceDeployments";
/// Upper bound on any single call in the tests.
pub const CALL_LIMIT: Duration = Duration::from_secs(20);

/// The fixed clock of the tests.
pub fn fixed_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(FIXED_EPOCH_SECS)
}

/// Test credentials, with or without a session token.
pub fn credentials(with_token: bool) -> Credentials {
    Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        with_token.then(|| SESSION_TOKEN.to_owned()),
        None,
        "lightsail-tests",
    )
}

/// A config for `url`: region `us-east-1`, credentials with a session token, empty env,
/// fixed clock, recorded (instant) sleeps, jitter 0.5, `max_attempts` attempts.
pub fn config(url: &str, sleeps: &Sleeps, max_attempts: u32) -> lightsail::config::Builder {
    lightsail::Config::builder()
        .env(empty_env())
        .region(Region::new(REGION))
        .credentials_provider(credentials(true))
        .endpoint_url(url)
        .retry_config(RetryConfig::standard().with_max_attempts(max_attempts))
        .time_source(TimeSource::fixed(fixed_time()))
        .sleep_impl(sleeps.sleep_impl())
        .retry_jitter(Jitter::from_fn(|| 0.5))
}

/// The result of one call.
pub type CallResult =
    Result<GetContainerServiceDeploymentsOutput, SdkError<GetContainerServiceDeploymentsError>>;

/// Runs `fut` with the [`CALL_LIMIT`]; a call that takes longer fails the test.
pub async fn bounded<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(CALL_LIMIT, fut)
        .await
        .expect("the call did not finish within the test's time limit")
}

/// `get_container_service_deployments().service_name(name).send()`, bounded.
pub async fn call(client: &lightsail::Client, name: &str) -> CallResult {
    bounded(
        client
            .get_container_service_deployments()
            .service_name(name)
            .send(),
    )
    .await
}

/// [`call`] with `customize().config_override(over)`, bounded.
pub async fn call_with_override(
    client: &lightsail::Client,
    name: &str,
    over: lightsail::config::Builder,
) -> CallResult {
    bounded(
        client
            .get_container_service_deployments()
            .service_name(name)
            .customize()
            .config_override(over)
            .send(),
    )
    .await
}

/// Serves `response` once (retries disabled) and returns what the client made of it.
pub async fn through_client(response: Response) -> (CallResult, Vec<CapturedRequest>) {
    let server = Server::start(vec![Action::Respond(response)]).await;
    let sleeps = Sleeps::default();
    let client = lightsail::Client::from_conf(config(&server.url(), &sleeps, 1).build());
    let result = call(&client, "svc").await;
    (result, server.requests())
}

/// What the tests sign for: [`REGION`], `lightsail`, the fixed clock.
pub fn scope() -> Scope<'static> {
    Scope {
        region: REGION,
        service: "lightsail",
        time: fixed_time(),
    }
}

/// The SigV4 `Authorization` aws-sigv4 computes for a received request with `credentials`
/// (see [`awsjson_test_support::sigv4`]).
pub fn expected_authorization(request: &CapturedRequest, credentials: Credentials) -> String {
    sigv4::expected_authorization(request, &credentials, scope())
        .unwrap_or_else(|e| panic!("cannot recompute the signature: {e}"))
}

/// Asserts everything about one received attempt of
/// `GetContainerServiceDeployments(serviceName = "svc")`: method, path, awsJson headers,
/// JSON body, attempt header, invocation id, user agents, session token and signature.
/// Returns the invocation id.
pub fn check_request(
    request: &CapturedRequest,
    attempt: u32,
    max: u32,
    session_token: Option<&str>,
) -> String {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(request.header("x-amz-target"), Some(TARGET));
    assert_eq!(request.header_count("x-amz-target"), 1);
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    let body: serde_json::Value =
        serde_json::from_slice(&request.body).expect("request body is JSON");
    assert_eq!(
        body,
        serde_json::json!({"serviceName": "svc"}),
        "request body {:?}",
        String::from_utf8_lossy(&request.body)
    );
    assert_eq!(
        request.header("amz-sdk-request"),
        Some(format!("attempt={attempt}; max={max}").as_str())
    );
    let invocation_id = request
        .header("amz-sdk-invocation-id")
        .expect("amz-sdk-invocation-id")
        .to_owned();
    assert!(
        is_uuid(&invocation_id),
        "invocation id is not a UUID: {invocation_id}"
    );
    let user_agent = request.header("user-agent").expect("user-agent");
    assert!(user_agent.starts_with("awsjson-runtime/"), "{user_agent}");
    let amz_user_agent = request
        .header("x-amz-user-agent")
        .expect("x-amz-user-agent");
    assert!(
        amz_user_agent.contains(" api/lightsail#"),
        "{amz_user_agent}"
    );
    assert_eq!(request.header("x-amz-security-token"), session_token);
    assert_eq!(request.header("x-amz-date"), Some(FIXED_AMZ_DATE));

    let auth = request.header("authorization").expect("authorization");
    assert!(
        auth.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20240102/{REGION}/lightsail/aws4_request, "
        )),
        "{auth}"
    );
    let signed = sigv4::signed_headers(auth);
    for name in [
        "content-type",
        "x-amz-target",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "x-amz-user-agent",
    ] {
        assert!(
            signed.iter().any(|s| s == name),
            "`{name}` is not signed: {auth}"
        );
    }
    // Also checks `host`, `x-amz-date` and the session token are signed and as sent.
    if let Err(problems) = sigv4::verify(request, &credentials(session_token.is_some()), scope()) {
        panic!("{problems}");
    }
    invocation_id
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}
