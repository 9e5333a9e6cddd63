//! The floor: a signed `GetContainerServiceDeployments` call with reqwest (rustls, ring, the
//! platform verifier), aws-sigv4 and serde_json, and nothing else: no retries, no endpoint
//! rules, no typed output. The reply is parsed into a `serde_json::Value` and its deployments
//! counted, so the work per call is the same as the SDK programs' minus what an SDK adds.

#[path = "../../common/server.rs"]
mod server;

use std::sync::Arc;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;

const BODY: &[u8] = br#"{"serviceName":"flask-svc"}"#;
const TARGET: &str = "Lightsail_20161128.GetContainerServiceDeployments";
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

#[tokio::main]
async fn main() {
    server::main_with(|endpoint| {
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest client");
        let credentials = Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "bench");
        let url: Arc<str> = format!("{endpoint}/").into();
        move || {
            let (client, credentials, url) = (client.clone(), credentials.clone(), url.clone());
            async move { call(&client, &url, credentials).await }
        }
    })
    .await;
}

/// What an HTTPS-capable client needs: ring, safe protocol versions, the OS trust store.
fn tls_config() -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls_platform_verifier::Verifier::new(provider.clone()).expect("platform verifier");
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth()
}

async fn call(client: &reqwest::Client, url: &str, credentials: Credentials) -> usize {
    let identity = credentials.into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("lightsail")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let headers = [("content-type", CONTENT_TYPE), ("x-amz-target", TARGET)];
    let signable = SignableRequest::new(
        "POST",
        url,
        headers.iter().copied(),
        SignableBody::Bytes(BODY),
    )
    .expect("signable request");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let mut request = client
        .post(url)
        .header("content-type", CONTENT_TYPE)
        .header("x-amz-target", TARGET)
        .body(BODY);
    for header in instructions.into_parts().0 {
        request = request.header(header.name(), header.value());
    }
    let response = request.send().await.expect("send");
    assert!(
        response.status().is_success(),
        "status {}",
        response.status()
    );
    let bytes = response.bytes().await.expect("body");
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON reply");
    value["deployments"].as_array().map_or(0, Vec::len)
}
