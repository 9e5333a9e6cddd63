//! Shared support of the end-to-end and recorded-response tests of the generated
//! `lightsail` crate: a loopback HTTP server, the recorded-response loader, a canonical
//! renderer for goldens, a deterministic client config and an independent SigV4 check.

/// The README's Rust example, compiled as a doctest so it cannot drift from the API.
#[doc = include_str!("../../README.md")]
pub mod readme {}

pub mod keyed;
pub mod recorded;
pub mod render;
pub mod server;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use awsjson_runtime::config::{Env, Jitter, Sleep, TimeSource};
use lightsail::config::retry::RetryConfig;
use lightsail::config::{Credentials, Region};
use lightsail::error::SdkError;
use lightsail::operation::get_container_service_deployments::{
    GetContainerServiceDeploymentsError, GetContainerServiceDeploymentsOutput,
};

pub use server::{Action, RecordedRequest, Response, Server};

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

/// An environment with no variables: the machine's environment and `~/.aws` are not read.
pub fn empty_env() -> Env {
    Env::from_vars(Vec::<(String, String)>::new())
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

/// The backoffs the client asked to sleep for; sleeping itself returns at once.
#[derive(Clone, Default)]
pub struct Sleeps(Arc<Mutex<Vec<Duration>>>);

impl Sleeps {
    /// A sleep implementation that records and returns immediately.
    pub fn sleep_impl(&self) -> Sleep {
        let sleeps = self.0.clone();
        Sleep::from_fn(move |d| {
            sleeps.lock().unwrap_or_else(|e| e.into_inner()).push(d);
            Box::pin(async {})
        })
    }

    /// The recorded durations.
    pub fn get(&self) -> Vec<Duration> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
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

/// Serves `response` once (retries disabled) and returns what the client made of it.
pub async fn through_client(response: Response) -> (CallResult, Vec<RecordedRequest>) {
    let server = Server::start(vec![Action::Respond(response)]).await;
    let sleeps = Sleeps::default();
    let client = lightsail::Client::from_conf(config(&server.url(), &sleeps, 1).build());
    let result = call(&client, "svc").await;
    (result, server.requests())
}

/// The `SignedHeaders` of an `Authorization` header.
pub fn signed_headers(authorization: &str) -> Vec<String> {
    authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .map(|list| list.split(';').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Recomputes the SigV4 `Authorization` header of a received request, independently of the
/// client: from the method, URI, the headers it lists as signed (minus the ones aws-sigv4
/// adds itself), the body, `credentials` and the fixed clock.
pub fn expected_authorization(request: &RecordedRequest, credentials: Credentials) -> String {
    let auth = request
        .header("authorization")
        .expect("authorization header");
    let signed = signed_headers(auth);
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(name, _)| signed.iter().any(|s| s == name))
        .filter(|(name, _)| name != "x-amz-date" && name != "x-amz-security-token")
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let host = request.header("host").expect("host header");
    let uri = format!("http://{host}{}", request.path);
    let identity = credentials.into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("lightsail")
        .time(fixed_time())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let signable = SignableRequest::new(
        &request.method,
        uri,
        headers.into_iter(),
        SignableBody::Bytes(&request.body),
    )
    .expect("signable request");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let (headers, _) = instructions.into_parts();
    headers
        .iter()
        .find(|h| h.name() == "authorization")
        .map(|h| h.value().to_owned())
        .expect("authorization from aws-sigv4")
}

/// Asserts everything about one received attempt of
/// `GetContainerServiceDeployments(serviceName = "svc")`: method, path, awsJson headers,
/// JSON body, attempt header, invocation id, user agents, session token and signature.
/// Returns the invocation id.
pub fn check_request(
    request: &RecordedRequest,
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
    let signed = signed_headers(auth);
    let mut must_sign = vec![
        "host",
        "content-type",
        "x-amz-target",
        "x-amz-date",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "x-amz-user-agent",
    ];
    if session_token.is_some() {
        must_sign.push("x-amz-security-token");
    }
    for name in must_sign {
        assert!(
            signed.iter().any(|s| s == name),
            "`{name}` is not signed: {auth}"
        );
    }
    let expected = expected_authorization(request, credentials(session_token.is_some()));
    assert_eq!(auth, expected, "signature mismatch");
    invocation_id
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}
