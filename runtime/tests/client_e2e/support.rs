//! What the client tests share beyond `awsjson-test-support` (whose loopback server,
//! recorded sleeps and SigV4 verifier they use): a tiny fake service and operation, and a
//! config builder that touches neither the process environment nor real sleeps.

use std::fmt;
use std::time::{Duration, SystemTime};

use awsjson_runtime::client::{
    AuthMode, DeserializeError, OperationSpec, RetryableError, ServiceSpec,
};
use awsjson_runtime::config::{Builder, Config, Credentials, Region, TimeSource};
use awsjson_runtime::endpoint::StaticParam;
use awsjson_runtime::error::{
    BoxError, CreateUnhandledError, ErrorMetadata, ProvideErrorMetadata, Unhandled,
};
use awsjson_runtime::response::HttpResponse;
use awsjson_test_support::fake_service;
use awsjson_test_support::sigv4::Scope;
pub use awsjson_test_support::{empty_env, Action, CapturedRequest, Server, Sleeps};

/// A small rule set in the shape of AWS's regional ones: the endpoint override, else
/// `https://lightsail[-fips].{region}.(amazonaws.com|api.aws)`.
pub const RULES: &str = r#"{"version":"1.0",
 "parameters":{
  "Region":{"type":"string","builtIn":"AWS::Region","required":false},
  "UseFIPS":{"type":"boolean","builtIn":"AWS::UseFIPS","required":true,"default":false},
  "UseDualStack":{"type":"boolean","builtIn":"AWS::UseDualStack","required":true,"default":false},
  "Endpoint":{"type":"string","builtIn":"SDK::Endpoint","required":false}},
 "rules":[
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"type":"endpoint","endpoint":{"url":{"ref":"Endpoint"}}},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]},{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],"type":"endpoint","endpoint":{"url":"https://lightsail-fips.{Region}.amazonaws.com"}},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]},{"fn":"booleanEquals","argv":[{"ref":"UseDualStack"},true]}],"type":"endpoint","endpoint":{"url":"https://lightsail.{Region}.api.aws"}},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],"type":"endpoint","endpoint":{"url":"https://lightsail.{Region}.amazonaws.com"}},
  {"conditions":[],"type":"error","error":"Invalid Configuration: Missing Region"}]}"#;

/// The service under test.
pub static SPEC: ServiceSpec = fake_service::spec(RULES, false);

/// A fake operation whose output is the response body as text.
pub static OP: OperationSpec<String, TestError> = OperationSpec {
    name: "GetThing",
    parse_output,
    parse_error,
    auth: AuthMode::SigV4,
    retryable_errors: &[],
    static_endpoint_params: &[],
};

/// [`OP`] with other modeled facts (auth, retryable errors, static endpoint parameters).
pub const fn op_with(
    auth: AuthMode,
    retryable_errors: &'static [RetryableError],
    static_endpoint_params: &'static [(&'static str, StaticParam)],
) -> OperationSpec<String, TestError> {
    OperationSpec {
        name: "GetThing",
        parse_output,
        parse_error,
        auth,
        retryable_errors,
        static_endpoint_params,
    }
}

fn parse_output(response: &HttpResponse) -> Result<String, DeserializeError> {
    let text = String::from_utf8(response.body().to_vec())
        .map_err(|_| DeserializeError::custom("body is not UTF-8"))?;
    if text.starts_with("BAD") {
        return Err(DeserializeError::custom("unexpected token at byte 0"));
    }
    Ok(text)
}

fn parse_error(_response: &HttpResponse, meta: ErrorMetadata) -> TestError {
    match meta.code() {
        Some("NotFoundException") => TestError::NotFound(meta),
        _ => TestError::Unhandled(Unhandled::new("unhandled error".into(), Some(meta))),
    }
}

/// The fake operation's error.
#[derive(Debug)]
pub enum TestError {
    /// A modeled error.
    NotFound(ErrorMetadata),
    /// Anything else.
    Unhandled(Unhandled),
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestError::NotFound(meta) => write!(f, "{meta}"),
            TestError::Unhandled(u) => write!(f, "{u}"),
        }
    }
}

impl std::error::Error for TestError {}

impl CreateUnhandledError for TestError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        TestError::Unhandled(Unhandled::new(source, meta))
    }
}

impl ProvideErrorMetadata for TestError {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            TestError::NotFound(meta) => meta,
            TestError::Unhandled(u) => u.meta(),
        }
    }
}

/// 2024-01-02T03:04:05Z, the fixed signing time of the tests.
pub fn fixed_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
}

/// Test credentials (static, no session token).
pub fn test_credentials() -> Credentials {
    Credentials::new("AKIDTEST", "SECRETKEYTEST", None, None, "test")
}

/// A config for `server`: empty environment, fixed clock, recorded sleeps, static keys.
pub fn config_for(server: &Server, sleeps: &Sleeps) -> Builder {
    Config::builder()
        .env(empty_env())
        .region(Region::from_static("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(test_credentials())
        .time_source(TimeSource::fixed(fixed_time()))
        .sleep_impl(sleeps.sleep_impl())
}

/// Checks the SigV4 signature, `x-amz-date` and session token of a received request signed
/// for `region` at the fixed time.
pub fn verify_signature(
    request: &CapturedRequest,
    credentials: &Credentials,
    region: &str,
) -> Result<(), String> {
    let scope = Scope {
        region,
        service: "lightsail",
        time: fixed_time(),
    };
    awsjson_test_support::sigv4::verify(request, credentials, scope)
}
