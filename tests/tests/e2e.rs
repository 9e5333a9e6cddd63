//! End-to-end tests of the generated `lightsail` crate against a loopback HTTP server:
//! the request on the wire (headers, body, SigV4 recomputed independently), modeled and
//! unmodeled errors in every encoding, retries, timeouts and construction failures.

use std::time::{Duration, Instant};

use awsjson_runtime::config::TimeSource;
use awsjson_test_support::golden::{modeled_members, variant_name};
use lightsail::config::timeout::TimeoutConfig;
use lightsail::config::Region;
use lightsail::error::{ProvideErrorMetadata, SdkError};
use lightsail::operation::get_container_service_deployments::GetContainerServiceDeploymentsError;
use lightsail::operation::RequestId;
use lightsail::types::{ContainerServiceDeploymentState, ContainerServiceProtocol};
use lightsail_tests::{
    bounded, call, check_request, config, credentials, empty_env, expected_authorization,
    fixed_time, Action, CapturedRequest as RecordedRequest, Response, Server, Sleeps, SECRET_KEY,
    SESSION_TOKEN,
};

/// The modeled errors of the operation and the status Lightsail sends them with.
const MODELED: [(&str, u16); 6] = [
    ("AccessDeniedException", 403),
    ("InvalidInputException", 400),
    ("NotFoundException", 404),
    ("RegionSetupInProgressException", 428),
    ("ServiceException", 500),
    ("UnauthenticatedException", 401),
];

const SUCCESS_BODY: &str = r#"{"deployments":[
 {"version":2,"state":"ACTIVE",
  "containers":{"web":{"image":":svc.web.3","command":["nginx","-g","daemon off;"],
     "environment":{"MODE":"prod"},"ports":{"80":"HTTP","443":"HTTPS"}}},
  "publicEndpoint":{"containerName":"web","containerPort":80,
     "healthCheck":{"healthyThreshold":2,"unhealthyThreshold":2,"timeoutSeconds":2,
                    "intervalSeconds":5,"path":"/","successCodes":"200-499"}},
  "createdAt":1.700000000123E9},
 {"version":1,"state":"INACTIVE","containers":{"web":{"image":"nginx:1.25","command":[],
     "environment":{},"ports":{"53":"UDP"}}},"createdAt":1652235091}]}"#;

fn client(server: &Server, sleeps: &Sleeps, max_attempts: u32) -> lightsail::Client {
    lightsail::Client::from_conf(config(&server.url(), sleeps, max_attempts).build())
}

/// Checks every recorded attempt and that they share one invocation id.
fn check_attempts(requests: &[RecordedRequest], max: u32) {
    let ids: Vec<String> = requests
        .iter()
        .enumerate()
        .map(|(i, r)| check_request(r, i as u32 + 1, max, Some(SESSION_TOKEN)))
        .collect();
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "invocation ids differ between attempts: {ids:?}"
    );
}

#[tokio::test]
async fn success_parses_deployments_and_sends_a_signed_aws_json_request() {
    let server = Server::start(vec![Response::json(200, "req-ok-1", SUCCESS_BODY).into()]).await;
    let sleeps = Sleeps::default();
    let output = call(&client(&server, &sleeps, 3), "svc")
        .await
        .expect("success");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    check_attempts(&requests, 3);
    assert!(sleeps.get().is_empty());

    // The signature check is sensitive: the same request with another body, or signed at
    // another time, does not verify.
    let mut tampered = requests[0].clone();
    tampered.body = br#"{"serviceName":"other"}"#.to_vec();
    let auth = requests[0].header("authorization").expect("authorization");
    assert_ne!(expected_authorization(&tampered, credentials(true)), auth);
    assert_eq!(
        expected_authorization(&requests[0], credentials(true)),
        auth
    );
    assert_ne!(
        expected_authorization(&requests[0], credentials(false)),
        auth
    );

    assert_eq!(output.request_id(), Some("req-ok-1"));
    let deployments = output.deployments();
    assert_eq!(deployments.len(), 2);
    let d = &deployments[0];
    assert_eq!(d.version(), Some(2));
    assert_eq!(d.state(), Some(&ContainerServiceDeploymentState::Active));
    let created = d.created_at().expect("createdAt");
    assert_eq!(
        (created.secs(), created.subsec_nanos()),
        (1_700_000_000, 123_000_000)
    );
    let web = &d.containers().expect("containers")["web"];
    assert_eq!(web.image(), Some(":svc.web.3"));
    assert_eq!(web.command(), ["nginx", "-g", "daemon off;"]);
    assert_eq!(
        web.environment()
            .expect("environment")
            .get("MODE")
            .map(String::as_str),
        Some("prod")
    );
    let ports = web.ports().expect("ports");
    assert_eq!(ports["80"], ContainerServiceProtocol::Http);
    assert_eq!(ports["443"], ContainerServiceProtocol::Https);
    let endpoint = d.public_endpoint().expect("publicEndpoint");
    assert_eq!(endpoint.container_name(), Some("web"));
    assert_eq!(endpoint.container_port(), Some(80));
    let hc = endpoint.health_check().expect("healthCheck");
    assert_eq!(
        (
            hc.healthy_threshold(),
            hc.unhealthy_threshold(),
            hc.timeout_seconds(),
            hc.interval_seconds(),
            hc.path(),
            hc.success_codes()
        ),
        (
            Some(2),
            Some(2),
            Some(2),
            Some(5),
            Some("/"),
            Some("200-499")
        )
    );

    let old = &deployments[1];
    assert_eq!(
        old.state(),
        Some(&ContainerServiceDeploymentState::Inactive)
    );
    assert_eq!(old.created_at().map(|t| t.secs()), Some(1_652_235_091));
    assert!(old.public_endpoint().is_none());
    let old_web = &old.containers().expect("containers")["web"];
    assert_eq!(
        old_web.command,
        Some(vec![]),
        "empty command must stay present"
    );
    assert_eq!(old_web.environment().map(|e| e.len()), Some(0));
    assert_eq!(
        old_web.ports().expect("ports")["53"],
        ContainerServiceProtocol::Udp
    );
}

#[tokio::test]
async fn without_session_token_no_security_token_header_is_sent() {
    let server = Server::start(vec![Response::json(200, "r", "{}").into()]).await;
    let sleeps = Sleeps::default();
    let conf = config(&server.url(), &sleeps, 3)
        .credentials_provider(credentials(false))
        .build();
    let output = call(&lightsail::Client::from_conf(conf), "svc")
        .await
        .expect("success");
    assert!(output.deployments.is_none());
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    check_request(&requests[0], 1, 3, None);
}

/// Calls once (retries disabled) against `response` and checks the modeled error `code`.
async fn expect_modeled(
    response: Response,
    code: &str,
    status: u16,
    message: &str,
    request_id: &str,
) -> GetContainerServiceDeploymentsError {
    let server = Server::start(vec![response.into()]).await;
    let sleeps = Sleeps::default();
    let err = call(&client(&server, &sleeps, 1), "svc")
        .await
        .expect_err("an error");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{code}: one attempt");
    check_attempts(&requests, 1);

    assert!(matches!(err, SdkError::ServiceError(_)), "{code}: {err:?}");
    assert_eq!(err.code(), Some(code));
    assert_eq!(err.message(), Some(message));
    assert_eq!(err.request_id(), Some(request_id));
    assert_eq!(
        err.raw_response().map(|r| r.status().as_u16()),
        Some(status)
    );
    let display = err.to_string();
    for part in [code, message, request_id] {
        assert!(
            display.contains(part),
            "{code}: Display `{display}` lacks `{part}`"
        );
    }
    let service = err.into_service_error();
    assert_eq!(variant_name(&service), code, "{service:?}");
    assert_eq!(ProvideErrorMetadata::code(&service), Some(code));
    assert_eq!(ProvideErrorMetadata::message(&service), Some(message));
    assert_eq!(service.request_id(), Some(request_id));
    assert_eq!(service.meta().status(), Some(status));
    let display = service.to_string();
    for part in [code, message, request_id] {
        assert!(
            display.contains(part),
            "{code}: Display `{display}` lacks `{part}`"
        );
    }
    service
}

#[tokio::test]
async fn modeled_errors_from_the_error_type_header() {
    for (code, status) in MODELED {
        let message = format!("header-encoded {code}");
        let response = Response::json(status, "req-hdr", format!(r#"{{"message":"{message}"}}"#))
            .header(
                "X-Amzn-ErrorType",
                &format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.service/"),
            );
        let service = expect_modeled(response, code, status, &message, "req-hdr").await;
        let members = modeled_members(&service).expect("modeled");
        assert_eq!(
            members.pretty(),
            format!("{{\n  \"message\": \"{message}\"\n}}"),
            "{code}"
        );
    }
}

#[tokio::test]
async fn modeled_errors_from_a_namespaced_type_with_a_suffix() {
    for (code, status) in MODELED {
        let message = format!("body-encoded {code}");
        let body = format!(
            r#"{{"__type":"com.amazonaws.lightsail#{code}:http://internal.amazon.com/coral/com.amazonaws.lightsail/","message":"{message}"}}"#
        );
        expect_modeled(
            Response::json(status, "req-type", body),
            code,
            status,
            &message,
            "req-type",
        )
        .await;
    }
}

#[tokio::test]
async fn modeled_errors_with_a_code_member_keep_both_codes() {
    for (code, status) in MODELED {
        let member = code.trim_end_matches("Exception");
        let body = format!(
            r#"{{"__type":"{code}","code":"{member}","message":"m","docs":"https://docs.example/{member}","tip":"try again"}}"#
        );
        let service = expect_modeled(
            Response::json(status, "req-code", body),
            code,
            status,
            "m",
            "req-code",
        )
        .await;
        use GetContainerServiceDeploymentsError as E;
        let own_code = match &service {
            E::AccessDeniedException(e) => e.code(),
            E::InvalidInputException(e) => e.code(),
            E::NotFoundException(e) => e.code(),
            E::RegionSetupInProgressException(e) => e.code(),
            E::ServiceException(e) => e.code(),
            E::UnauthenticatedException(e) => e.code(),
            other => panic!("not modeled: {other:?}"),
        };
        assert_eq!(own_code, Some(member), "{code}: the modeled `code` member");
        let members = modeled_members(&service).expect("modeled").pretty();
        assert!(members.contains("\"tip\": \"try again\""), "{members}");
        assert!(
            members.contains(&format!("https://docs.example/{member}")),
            "{members}"
        );
    }
}

#[tokio::test]
async fn not_found_with_code_member_and_no_header() {
    let body = r#"{"__type":"NotFoundException","code":"NotFound","message":"m"}"#;
    let server = Server::start(vec![Response::new(404, body)
        .header("x-amzn-RequestId", "req-nf")
        .header("Content-Type", "application/x-amz-json-1.1")
        .into()])
    .await;
    let sleeps = Sleeps::default();
    let err = call(&client(&server, &sleeps, 3), "svc")
        .await
        .expect_err("404");
    assert_eq!(server.requests().len(), 1, "404 is not retried");
    let Some(GetContainerServiceDeploymentsError::NotFoundException(nf)) = err.as_service_error()
    else {
        panic!("expected NotFoundException, got {err:?}");
    };
    assert_eq!(nf.code(), Some("NotFound"));
    assert_eq!(ProvideErrorMetadata::code(nf), Some("NotFoundException"));
    assert_eq!(nf.message(), Some("m"));
    assert_eq!(nf.request_id(), Some("req-nf"));
    let display = err.to_string();
    assert!(
        display.contains("NotFoundException")
            && display.contains("m")
            && display.contains("req-nf"),
        "{display}"
    );
}

#[tokio::test]
async fn service_exception_is_retried_then_surfaces() {
    let error = || {
        Action::from(Response::json(
            500,
            "req-500",
            r#"{"__type":"ServiceException","message":"internal failure"}"#,
        ))
    };
    let server = Server::start(vec![error(), error(), error()]).await;
    let sleeps = Sleeps::default();
    let err = call(&client(&server, &sleeps, 3), "svc")
        .await
        .expect_err("500");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    check_attempts(&requests, 3);
    assert_eq!(sleeps.get().len(), 2, "a backoff before each retry");
    assert_eq!(err.attempts(), Some(3));
    assert!(
        matches!(
            err.as_service_error(),
            Some(GetContainerServiceDeploymentsError::ServiceException(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.message(), Some("internal failure"));
    assert!(err.to_string().contains("3 attempts"), "{err}");
}

#[tokio::test]
async fn unknown_error_code_is_unhandled_with_its_metadata() {
    let server = Server::start(vec![Response::json(
        409,
        "req-409",
        r#"{"__type":"com.amazonaws.lightsail#OperationFailureException","message":"busy deploying"}"#,
    )
    .into()])
    .await;
    let sleeps = Sleeps::default();
    let err = call(&client(&server, &sleeps, 3), "svc")
        .await
        .expect_err("409");
    assert_eq!(server.requests().len(), 1, "409 is not retried");
    let Some(GetContainerServiceDeploymentsError::Unhandled(unhandled)) = err.as_service_error()
    else {
        panic!("expected Unhandled, got {err:?}");
    };
    let meta = unhandled.meta();
    assert_eq!(meta.code(), Some("OperationFailureException"));
    assert_eq!(meta.message(), Some("busy deploying"));
    assert_eq!(meta.status(), Some(409));
    assert_eq!(meta.request_id(), Some("req-409"));
    assert_eq!(err.code(), Some("OperationFailureException"));
    let display = err.to_string();
    for part in [
        "OperationFailureException",
        "busy deploying",
        "409",
        "req-409",
    ] {
        assert!(display.contains(part), "Display `{display}` lacks `{part}`");
    }
}

fn html_502() -> Response {
    let filler = "<p>padding</p>".repeat(500);
    Response::new(
        502,
        format!(
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>{filler}\r\n</body>\r\n</html>\r\n"
        ),
    )
    .header("Content-Type", "text/html")
    .header("Server", "awselb/2.0")
}

#[tokio::test]
async fn html_502_is_retried_then_unhandled_with_its_status() {
    let server = Server::start(vec![
        html_502().into(),
        html_502().into(),
        html_502().into(),
    ])
    .await;
    let sleeps = Sleeps::default();
    let err = call(&client(&server, &sleeps, 3), "svc")
        .await
        .expect_err("502");
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "502 is retried");
    check_attempts(&requests, 3);
    let Some(GetContainerServiceDeploymentsError::Unhandled(unhandled)) = err.as_service_error()
    else {
        panic!("expected Unhandled, got {err:?}");
    };
    assert_eq!(unhandled.meta().status(), Some(502));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(502));
    // No code, but a short excerpt of the body as the message.
    assert_eq!(unhandled.meta().code(), None);
    let message = unhandled.meta().message().expect("an excerpt of the body");
    assert!(message.contains("502 Bad Gateway"), "{message}");
    assert!(message.len() < 500, "the excerpt must be short: {message}");
    let display = err.to_string();
    assert!(display.contains("502 Bad Gateway"), "{display}");
    assert!(display.contains("status 502"), "{display}");
    assert!(display.contains("3 attempts"), "{display}");
    assert!(
        display.len() < 1000,
        "Display must stay short: {} bytes",
        display.len()
    );
}

#[tokio::test]
async fn retries_503_then_succeeds_with_one_invocation_id() {
    let server = Server::start(vec![
        Response::json(
            503,
            "req-503",
            r#"{"__type":"ServiceUnavailable","message":"slow down"}"#,
        )
        .into(),
        Response::json(200, "req-200", SUCCESS_BODY).into(),
    ])
    .await;
    let sleeps = Sleeps::default();
    let output = call(&client(&server, &sleeps, 3), "svc")
        .await
        .expect("success after a retry");
    assert_eq!(output.deployments().len(), 2);
    assert_eq!(output.request_id(), Some("req-200"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    check_attempts(&requests, 3);
    assert_eq!(sleeps.get().len(), 1);
}

#[tokio::test]
async fn retries_throttling_then_succeeds() {
    let server = Server::start(vec![
        Response::json(
            400,
            "req-thr",
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        )
        .into(),
        Response::json(200, "req-200", "{}").into(),
    ])
    .await;
    let sleeps = Sleeps::default();
    call(&client(&server, &sleeps, 3), "svc")
        .await
        .expect("success after throttling");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    check_attempts(&requests, 3);
    assert_eq!(sleeps.get().len(), 1);
}

#[tokio::test]
async fn retries_a_connection_reset_then_succeeds() {
    let server = Server::start(vec![
        Action::Reset,
        Response::json(200, "req-200", SUCCESS_BODY).into(),
    ])
    .await;
    let sleeps = Sleeps::default();
    let output = call(&client(&server, &sleeps, 3), "svc")
        .await
        .expect("success after a reset");
    assert_eq!(output.deployments().len(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    check_attempts(&requests, 3);
}

fn timeouts(attempt: Duration, operation: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .operation_attempt_timeout(attempt)
        .operation_timeout(operation)
        .build()
}

#[tokio::test]
async fn a_stalled_attempt_times_out_and_is_retried() {
    let server = Server::start(vec![
        Action::Stall,
        Response::json(200, "req-200", SUCCESS_BODY).into(),
    ])
    .await;
    let sleeps = Sleeps::default();
    let conf = config(&server.url(), &sleeps, 3)
        .timeout_config(timeouts(Duration::from_millis(300), Duration::from_secs(5)))
        .build();
    let started = Instant::now();
    let output = call(&lightsail::Client::from_conf(conf), "svc")
        .await
        .expect("success after an attempt timeout");
    let elapsed = started.elapsed();
    assert_eq!(output.deployments().len(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    check_attempts(&requests, 3);
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn the_operation_timeout_bounds_stalled_attempts() {
    let server = Server::start((0..10).map(|_| Action::Stall).collect()).await;
    let sleeps = Sleeps::default();
    let conf = config(&server.url(), &sleeps, 10)
        .timeout_config(timeouts(Duration::from_millis(400), Duration::from_secs(1)))
        .build();
    let started = Instant::now();
    let err = call(&lightsail::Client::from_conf(conf), "svc")
        .await
        .expect_err("timeout");
    let elapsed = started.elapsed();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(err.to_string().contains("operation timeout"), "{err}");
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    let requests = server.requests();
    assert!(
        (2..=3).contains(&requests.len()),
        "attempt timeouts retried within the operation timeout: {} requests",
        requests.len()
    );
    check_attempts(&requests, 10);
    assert_eq!(err.attempts(), Some(requests.len() as u32));
}

#[tokio::test]
async fn exhausted_attempts_are_reported_in_display() {
    let unavailable = || {
        Action::from(Response::json(
            503,
            "req-503",
            r#"{"message":"Service Unavailable"}"#,
        ))
    };
    let server = Server::start(vec![
        unavailable(),
        unavailable(),
        unavailable(),
        unavailable(),
    ])
    .await;
    let sleeps = Sleeps::default();
    let err = call(&client(&server, &sleeps, 4), "svc")
        .await
        .expect_err("503s");
    assert_eq!(server.requests().len(), 4);
    check_attempts(&server.requests(), 4);
    assert_eq!(err.attempts(), Some(4));
    let display = err.to_string();
    assert!(display.contains("after 4 attempts"), "{display}");
    assert!(display.contains("503"), "{display}");
}

fn assert_construction_failure(err: &SdkError<GetContainerServiceDeploymentsError>, needle: &str) {
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert_eq!(err.attempts(), None);
    let display = err.to_string();
    assert!(
        display.contains(needle),
        "`{display}` should mention `{needle}`"
    );
}

#[tokio::test]
async fn missing_region_fails_before_any_request() {
    let server = Server::start(vec![Response::json(200, "r", "{}").into()]).await;
    let conf = lightsail::Config::builder()
        .env(empty_env())
        .credentials_provider(credentials(true))
        .endpoint_url(server.url())
        .time_source(TimeSource::fixed(fixed_time()))
        .build();
    let err = call(&lightsail::Client::from_conf(conf), "svc")
        .await
        .expect_err("no region");
    assert_construction_failure(&err, "region");
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn missing_credentials_fail_before_any_request() {
    let server = Server::start(vec![Response::json(200, "r", "{}").into()]).await;
    let conf = lightsail::Config::builder()
        .env(empty_env())
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .time_source(TimeSource::fixed(fixed_time()))
        .build();
    let err = call(&lightsail::Client::from_conf(conf), "svc")
        .await
        .expect_err("no credentials");
    assert_construction_failure(&err, "credentials");
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn missing_or_invalid_service_name_fails_before_any_request() {
    let server = Server::start(vec![Response::json(200, "r", "{}").into()]).await;
    let sleeps = Sleeps::default();
    let client = client(&server, &sleeps, 3);

    let missing = bounded(client.get_container_service_deployments().send())
        .await
        .expect_err("missing service_name");
    assert_construction_failure(&missing, "service_name");

    let empty = call(&client, "").await.expect_err("empty service_name");
    assert_construction_failure(&empty, "service_name");

    let too_long = call(&client, &"s".repeat(64))
        .await
        .expect_err("64 characters");
    assert_construction_failure(&too_long, "service_name");

    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn missing_service_name_message_reads_well() {
    let server = Server::start(vec![]).await;
    let sleeps = Sleeps::default();
    let err = bounded(
        client(&server, &sleeps, 3)
            .get_container_service_deployments()
            .send(),
    )
    .await
    .expect_err("missing service_name");
    let display = err.to_string();
    assert_eq!(
        display.matches("service_name").count(),
        1,
        "the member should be named once: {display}"
    );
    assert_eq!(display.matches("was not specified").count(), 1, "{display}");
}

#[tokio::test]
async fn debug_output_never_contains_secrets() {
    let server = Server::start(vec![Response::json(200, "r", "{}").into()]).await;
    let sleeps = Sleeps::default();
    let conf = config(&server.url(), &sleeps, 3).build();
    let client = lightsail::Client::from_conf(conf.clone());
    // Make a call so credentials are loaded into the client's cache.
    call(&client, "svc").await.expect("success");
    let fluent = client
        .get_container_service_deployments()
        .service_name("svc");
    for (what, text) in [
        ("config", format!("{conf:?}")),
        ("config (pretty)", format!("{conf:#?}")),
        ("client config", format!("{:?}", client.config())),
        ("client", format!("{client:?}")),
        ("client (pretty)", format!("{client:#?}")),
        ("fluent builder", format!("{fluent:?}")),
    ] {
        assert!(!text.is_empty());
        assert!(
            !text.contains(SECRET_KEY),
            "{what} Debug leaks the secret key: {text}"
        );
        assert!(
            !text.contains(SESSION_TOKEN),
            "{what} Debug leaks the session token: {text}"
        );
    }
    // The Debug output still says what is configured.
    assert!(format!("{conf:?}").contains("us-east-1"));
}
