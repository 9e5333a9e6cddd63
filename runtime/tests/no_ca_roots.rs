//! A machine without CA certificates (a minimal container): the error says what is missing
//! and how to fix it. Its own test binary because it points the process-wide `SSL_CERT_FILE`
//! and `SSL_CERT_DIR` at nothing, and TLS roots are loaded once per process.

use awsjson_runtime::client::Handle;
use awsjson_runtime::config::{Config, Credentials, Env, Region};
use awsjson_runtime::error::SdkError;
use awsjson_test_support::fake_service::{ENDPOINT_OVERRIDE_SPEC, UNIT_OP};

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
    let result = Handle::new(&ENDPOINT_OVERRIDE_SPEC, config)
        .invoke(&UNIT_OP, b"{}".to_vec())
        .await;
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
