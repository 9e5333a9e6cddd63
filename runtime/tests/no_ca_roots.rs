//! A machine without CA certificates (a minimal container): the error says what is missing
//! and how to fix it. Its own test binary because it points the process-wide `SSL_CERT_FILE`
//! and `SSL_CERT_DIR` at nothing, and TLS roots are loaded once per process.

use awsjson_runtime::client::{AuthMode, DeserializeError, Handle, OperationSpec, ServiceSpec};
use awsjson_runtime::config::{Config, Credentials, Env, Region};
use awsjson_runtime::error::{ErrorMetadata, SdkError};
use awsjson_runtime::response::HttpResponse;

static SPEC: ServiceSpec = ServiceSpec {
    sdk_id: "Lightsail",
    signing_name: "lightsail",
    target_prefix: "Lightsail_20161128",
    json_version: "1.1",
    endpoint_rules: r#"{"version":"1.0","parameters":{"Endpoint":{"type":"string","builtIn":"SDK::Endpoint","required":false}},"rules":[{"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"type":"endpoint","endpoint":{"url":{"ref":"Endpoint"}}},{"conditions":[],"type":"error","error":"no endpoint"}]}"#,
    crate_name: "lightsail",
    crate_version: "0.1.0",
    aws_query_compatible: false,
};

static OP: OperationSpec<(), ErrorMetadata> = OperationSpec {
    name: "GetThing",
    parse_output: |_: &HttpResponse| Ok::<(), DeserializeError>(()),
    parse_error: |_: &HttpResponse, meta: ErrorMetadata| meta,
    auth: AuthMode::SigV4,
    retryable_errors: &[],
    static_endpoint_params: &[],
};

#[tokio::test]
async fn no_ca_certificates_is_a_clear_construction_error() {
    // The only test of this binary, so nothing else reads the environment meanwhile.
    std::env::set_var("SSL_CERT_FILE", "/nonexistent/ca-certificates.crt");
    std::env::set_var("SSL_CERT_DIR", "/nonexistent/certs");
    let config = Config::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region(Region::from_static("us-east-1"))
        // Nothing listens here; with roots the call fails later, as a dispatch failure.
        .endpoint_url("https://127.0.0.1:9")
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .build();
    let result = Handle::new(&SPEC, config).invoke(&OP, b"{}".to_vec()).await;
    let err = result.expect_err("no call can succeed");
    let text = err.to_string();
    if cfg!(feature = "webpki-roots") {
        // Bundled roots: the missing system store does not matter.
        assert!(matches!(err, SdkError::DispatchFailure(_)), "{text}");
    } else {
        assert!(matches!(err, SdkError::ConstructionFailure(_)), "{text}");
        for needle in [
            "no CA certificates",
            "SSL_CERT_FILE",
            "ca-certificates",
            "webpki-roots",
        ] {
            assert!(text.contains(needle), "`{needle}` missing from: {text}");
        }
    }
}
