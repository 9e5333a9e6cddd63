//! One call: headers, signature, success and error responses, endpoints.

use aws_credential_types::Credentials;
use awsjson_runtime::client::Handle;
use awsjson_runtime::config::{AppName, Region};
use awsjson_runtime::error::{ProvideErrorMetadata, SdkError};

use crate::support::{
    config_for, test_credentials, verify_signature, Action, Server, Sleeps, OP, SPEC,
};

#[tokio::test]
async fn success_sends_aws_json_headers_and_a_valid_signature() {
    let server = Server::start(vec![Action::json(200, r#"{"ok":true}"#)]).await;
    let sleeps = Sleeps::default();
    let config = config_for(&server, &sleeps)
        .app_name(AppName::new("test-app").expect("app name"))
        .build();
    let handle = Handle::new(&SPEC, config);
    let output = handle
        .invoke(&OP, br#"{"name":"x"}"#.to_vec())
        .await
        .expect("success");
    assert_eq!(output, r#"{"ok":true}"#);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(r.body, br#"{"name":"x"}"#);
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(
        r.header("x-amz-target"),
        Some("Lightsail_20161128.GetThing")
    );
    assert_eq!(r.header("content-length"), Some("12"));
    assert_eq!(r.header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert_eq!(r.header("x-amz-date"), Some("20240102T030405Z"));
    assert_eq!(r.header("host"), Some(server.addr().to_string().as_str()));
    assert!(r.header("x-amz-security-token").is_none());

    let id = r.header("amz-sdk-invocation-id").expect("invocation id");
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(id.as_bytes()[14], b'4', "{id}");

    let ua = r.header("user-agent").expect("user agent");
    assert!(ua.starts_with("awsjson-runtime/"), "{ua}");
    assert!(ua.ends_with(" app/test-app"), "{ua}");
    let amz_ua = r.header("x-amz-user-agent").expect("x-amz-user-agent");
    assert!(amz_ua.contains(" ua/2.1 api/lightsail#0.1.0 "), "{amz_ua}");
    assert!(amz_ua.contains(" os/"), "{amz_ua}");
    assert!(amz_ua.contains(" lang/rust"), "{amz_ua}");
    assert!(amz_ua.ends_with(" app/test-app"), "{amz_ua}");

    let auth = r.header("authorization").expect("authorization");
    assert!(
        auth.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240102/us-east-1/lightsail/aws4_request, \
             SignedHeaders="
        ),
        "{auth}"
    );
    for header in [
        "content-type",
        "host",
        "x-amz-date",
        "x-amz-target",
        "x-amz-user-agent",
    ] {
        assert!(auth.contains(header), "{header} not signed: {auth}");
    }
    assert!(
        !auth.contains("user-agent;"),
        "User-Agent must not be signed: {auth}"
    );
    assert_eq!(
        verify_signature(r, &test_credentials(), "us-east-1"),
        Ok(())
    );
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let server = Server::start(vec![Action::json(200, "{}")]).await;
    let credentials = Credentials::new(
        "AKIDTEST",
        "SECRETKEYTEST",
        Some("TOKEN/123=".into()),
        None,
        "test",
    );
    let config = config_for(&server, &Sleeps::default())
        .credentials_provider(credentials.clone())
        .build();
    Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success");
    let r = &server.requests()[0];
    assert_eq!(r.header("x-amz-security-token"), Some("TOKEN/123="));
    let auth = r.header("authorization").expect("authorization");
    assert!(auth.contains("x-amz-security-token"), "{auth}");
    assert_eq!(verify_signature(r, &credentials, "us-east-1"), Ok(()));
}

#[tokio::test]
async fn empty_success_body_is_parsed_as_empty_object() {
    let server = Server::start(vec![Action::json(200, "")]).await;
    let handle = Handle::new(&SPEC, config_for(&server, &Sleeps::default()).build());
    assert_eq!(handle.invoke(&OP, b"{}".to_vec()).await.expect("ok"), "{}");
}

#[tokio::test]
async fn unparseable_success_body_is_a_response_error() {
    let server = Server::start(vec![Action::json(200, "BAD JSON")]).await;
    let handle = Handle::new(&SPEC, config_for(&server, &Sleeps::default()).build());
    let err = handle.invoke(&OP, b"{}".to_vec()).await.expect_err("error");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(200));
    assert!(err.to_string().contains("unexpected token"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_oversized_response_is_refused_without_buffering_or_retrying() {
    let declared = awsjson_runtime::client::MAX_RESPONSE_BODY_BYTES as u64 + 1;
    let server = Server::start(vec![Action::HugeHtml {
        status: 200,
        size: declared,
    }])
    .await;
    let handle = Handle::new(&SPEC, config_for(&server, &Sleeps::default()).build());
    let err = handle.invoke(&OP, b"{}".to_vec()).await.expect_err("error");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(200));
    assert!(
        err.to_string().contains("larger than 67108864 bytes"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn modeled_error_is_not_retried() {
    let server = Server::start(vec![Action::error(
        400,
        "NotFoundException",
        "no such thing",
    )])
    .await;
    let sleeps = Sleeps::default();
    let handle = Handle::new(&SPEC, config_for(&server, &sleeps).build());
    let err = handle.invoke(&OP, b"{}".to_vec()).await.expect_err("error");
    let service = err.as_service_error().expect("service error");
    assert!(
        matches!(service, crate::support::TestError::NotFound(_)),
        "{service:?}"
    );
    assert_eq!(err.code(), Some("NotFoundException"));
    assert_eq!(err.message(), Some("no such thing"));
    assert_eq!(service.meta().request_id(), Some("req-400"));
    assert_eq!(service.meta().status(), Some(400));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.requests().len(), 1);
    assert!(sleeps.get().is_empty());
}

#[tokio::test]
async fn unknown_error_code_becomes_unhandled_with_metadata() {
    let server = Server::start(vec![Action::error(400, "BrandNewException", "new")]).await;
    let handle = Handle::new(&SPEC, config_for(&server, &Sleeps::default()).build());
    let err = handle.invoke(&OP, b"{}".to_vec()).await.expect_err("error");
    assert!(matches!(
        err.as_service_error(),
        Some(crate::support::TestError::Unhandled(_))
    ));
    assert_eq!(err.code(), Some("BrandNewException"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn endpoint_path_is_kept_as_prefix() {
    let server = Server::start(vec![Action::json(200, "{}")]).await;
    let config = config_for(&server, &Sleeps::default())
        .endpoint_url(format!("{}/proxy/lightsail", server.url()))
        .build();
    Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success");
    assert_eq!(server.requests()[0].path, "/proxy/lightsail/");
}

#[tokio::test]
async fn endpoint_without_scheme_uses_https() {
    // The server speaks plain HTTP: a TLS client hello is not a request it can parse, so the
    // call fails and nothing is recorded. Plain http is only used when written explicitly.
    let server = Server::start(vec![Action::json(200, "{}")]).await;
    let config = config_for(&server, &Sleeps::default())
        .endpoint_url(server.addr().to_string())
        .retry_config(awsjson_runtime::config::retry::RetryConfig::disabled())
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("TLS to a plain HTTP server fails");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn endpoint_from_environment_variable() {
    let server = Server::start(vec![Action::json(200, "{}")]).await;
    let mut builder = config_for(&server, &Sleeps::default());
    builder.set_endpoint_url(None);
    let config = builder
        .env(awsjson_runtime::config::Env::from_vars([
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9".to_owned()),
            (
                "AWS_ENDPOINT_URL_LIGHTSAIL",
                format!("{}/from-env", server.url()),
            ),
        ]))
        .build();
    Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success");
    assert_eq!(server.requests()[0].path, "/from-env/");
}

#[tokio::test]
async fn signing_region_is_the_configured_region() {
    let server = Server::start(vec![Action::json(200, "{}")]).await;
    let config = config_for(&server, &Sleeps::default())
        .region(Region::new("eu-central-1"))
        .build();
    Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success");
    let r = &server.requests()[0];
    let auth = r.header("authorization").expect("authorization");
    assert!(
        auth.contains("/eu-central-1/lightsail/aws4_request"),
        "{auth}"
    );
    assert_eq!(
        verify_signature(r, &test_credentials(), "eu-central-1"),
        Ok(())
    );
}

#[test]
fn invoke_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let config = awsjson_runtime::config::Config::builder()
        .env(crate::support::empty_env())
        .build();
    let handle = Handle::new(&SPEC, config);
    let call = handle.invoke(&OP, Vec::new());
    assert_send(&call);
}
