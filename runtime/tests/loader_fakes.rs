//! The loader's IMDS, container and SSO providers against loopback fakes, including faults:
//! IMDS slow, 500s, token refused, IMDSv1 fallback and its opt-out, static stability; a
//! container endpoint that is not allowed, the authorization token file; the SSO portal and
//! its errors. Every fake is the loopback server of `awsjson-test-support` (127.0.0.1 only)
//! with a handler that plays the service.
#![cfg(feature = "config-loader")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::provider::Result as CredentialsResult;
use awsjson_runtime::config::{Env, TimeSource};
use awsjson_runtime::loader::ecs::EcsCredentialsProvider;
use awsjson_runtime::loader::http::ReqwestProviderClient;
use awsjson_runtime::loader::imds::credentials::ImdsCredentialsProvider;
use awsjson_runtime::loader::{error_chain, Fs, ProfileFileCredentialsProvider, ProviderConfig};
use awsjson_test_support::server::{Action, CapturedRequest, Response, Server};

/// An answer with a plain body and no headers (the providers read status and body only).
fn answer(status: u16, body: &str) -> Action {
    Action::Respond(Response::new(status, body))
}

/// A provider config over an in-memory environment and file system, with a real HTTP client.
fn config(vars: Vec<(&str, String)>, files: Vec<(String, String)>) -> ProviderConfig {
    let http = Arc::new(ReqwestProviderClient::new().expect("http client"));
    ProviderConfig::for_tests(Env::from_vars(vars), Fs::from_map(files), http)
}

/// A config whose IMDS endpoint is `fake`, with `vars` besides.
fn imds_config(fake: &Server, vars: &[(&str, &str)]) -> ProviderConfig {
    let mut all = vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url())];
    all.extend(vars.iter().map(|&(k, v)| (k, v.to_owned())));
    config(all, vec![])
}

/// The error chain of a call that must fail.
fn failure(result: CredentialsResult) -> String {
    error_chain(&result.expect_err("the provider fails"))
}

#[track_caller]
fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "`{needle}` not in: {text}");
}

async fn imds_credentials(cfg: &ProviderConfig) -> CredentialsResult {
    ImdsCredentialsProvider::new(cfg).credentials().await
}

const CREDS: &str = r#"{"Code":"Success","AccessKeyId":"ASIAFAKE","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#;

fn imds_ok(req: &CapturedRequest) -> Action {
    match (req.method.as_str(), req.path.as_str()) {
        ("PUT", "/latest/api/token") => answer(200, "tok"),
        (_, "/latest/meta-data/iam/security-credentials/") => answer(200, "role\n"),
        (_, "/latest/meta-data/iam/security-credentials/role") => answer(200, CREDS),
        _ => answer(404, ""),
    }
}

#[tokio::test]
async fn imds_happy_path_sends_the_session_token() {
    let fake = Server::with_handler(imds_ok).await;
    let cfg = imds_config(&fake, &[]);
    let creds = imds_credentials(&cfg).await.expect("creds");
    assert_eq!(creds.access_key_id(), "ASIAFAKE");
    let seen = fake.requests();
    assert_eq!(
        seen[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert!(seen[1..]
        .iter()
        .all(|r| r.header("x-aws-ec2-metadata-token") == Some("tok")));
}

#[tokio::test]
async fn imds_slow_times_out_after_retries() {
    // Every answer comes 5 s late, far past the IMDS read timeout.
    let fake = Server::with_handler(|_| answer(200, "tok").after(Duration::from_secs(5))).await;
    let cfg = imds_config(&fake, &[]);
    let start = Instant::now();
    let text = failure(imds_credentials(&cfg).await);
    assert_contains(&text, "timed out");
    assert!(
        start.elapsed() < Duration::from_secs(12),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(fake.requests().len(), 3, "three attempts");
}

#[tokio::test]
async fn imds_500s_fail_after_three_attempts() {
    let fake = Server::with_handler(|_| answer(500, "")).await;
    let cfg = imds_config(&fake, &[]);
    let text = failure(imds_credentials(&cfg).await);
    assert_contains(&text, "HTTP 500");
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn imds_token_refused_is_not_retried() {
    let fake = Server::with_handler(|_| answer(403, "")).await;
    let cfg = imds_config(&fake, &[]);
    let text = failure(imds_credentials(&cfg).await);
    assert_contains(&text, "forbidden");
    assert_eq!(fake.requests().len(), 1);
}

fn imds_v1_only(req: &CapturedRequest) -> Action {
    if req.method == "PUT" {
        answer(404, "")
    } else {
        imds_ok(req)
    }
}

#[tokio::test]
async fn imds_v1_fallback_and_opt_out() {
    let fake = Server::with_handler(imds_v1_only).await;
    let cfg = imds_config(&fake, &[]);
    let creds = imds_credentials(&cfg).await.expect("v1 creds");
    assert_eq!(creds.access_key_id(), "ASIAFAKE");
    assert!(fake.requests()[1..]
        .iter()
        .all(|r| r.header("x-aws-ec2-metadata-token").is_none()));

    let cfg = imds_config(&fake, &[("AWS_EC2_METADATA_V1_DISABLED", "true")]);
    let text = failure(imds_credentials(&cfg).await);
    assert_contains(&text, "HTTP 404");
}

#[tokio::test]
async fn imds_static_stability_reuses_credentials_when_imds_fails() {
    // Succeeds for the first three requests (token, role, credentials), then 500s.
    let answered = AtomicUsize::new(0);
    let fake = Server::with_handler(move |req| {
        if answered.fetch_add(1, Ordering::SeqCst) < 3 {
            imds_ok(req)
        } else {
            answer(500, "")
        }
    })
    .await;
    let later = SystemTime::UNIX_EPOCH + Duration::from_secs(5_000_000_000);
    let now = Arc::new(Mutex::new(SystemTime::now()));
    let clock = {
        let now = now.clone();
        TimeSource::from_fn(move || *now.lock().unwrap())
    };
    let cfg = imds_config(&fake, &[]).with_time_source(clock);
    let provider = ImdsCredentialsProvider::new(&cfg);
    let first = provider.credentials().await.expect("first");
    // Far past the expiry, IMDS down: the old credentials come back with a fresh expiry.
    *now.lock().unwrap() = later;
    let second = provider.credentials().await.expect("static stability");
    assert_eq!(second.access_key_id(), first.access_key_id());
    let expiry = second.expiry().expect("expiry");
    assert!(
        expiry > later && expiry <= later + Duration::from_secs(1200),
        "{expiry:?}"
    );
    assert!(fake.requests().len() > 3, "IMDS was asked again");
}

#[tokio::test]
async fn imds_disabled_makes_no_request() {
    let fake = Server::with_handler(imds_ok).await;
    let cfg = imds_config(&fake, &[("AWS_EC2_METADATA_DISABLED", "true")]);
    let text = failure(imds_credentials(&cfg).await);
    assert_contains(&text, "AWS_EC2_METADATA_DISABLED");
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn container_endpoint_not_allowed_makes_no_request() {
    let cfg = config(
        vec![(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://example.com/creds".into(),
        )],
        vec![],
    );
    let text = failure(EcsCredentialsProvider::new(&cfg).credentials().await);
    assert_contains(&text, "not allowed");
}

#[tokio::test]
async fn container_token_file_is_sent_and_read_each_time() {
    let fake = Server::with_handler(|req| {
        if req.header("authorization") == Some("pod-token") {
            answer(200, r#"{"AccessKeyId":"ASIAPOD","SecretAccessKey":"s","Token":"t","AccountId":"111122223333","Expiration":"2099-01-01T00:00:00Z"}"#)
        } else {
            answer(401, "")
        }
    })
    .await;
    let cfg = config(
        vec![
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                format!("{}/v1/credentials", fake.url()),
            ),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                "/var/run/token".into(),
            ),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                "ignored-when-file-set".into(),
            ),
        ],
        vec![("/var/run/token".into(), "pod-token\n".into())],
    );
    let creds = EcsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect("creds");
    assert_eq!(creds.access_key_id(), "ASIAPOD");
    assert_eq!(creds.account_id().map(|a| a.as_str()), Some("111122223333"));
    assert_eq!(fake.requests()[0].path, "/v1/credentials");
}

#[tokio::test]
async fn container_500s_are_retried_then_reported() {
    let fake = Server::with_handler(|_| answer(503, "")).await;
    let cfg = config(
        vec![(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", fake.url()),
        )],
        vec![],
    );
    let text = failure(EcsCredentialsProvider::new(&cfg).credentials().await);
    assert_contains(&text, "HTTP 503");
    assert_eq!(fake.requests().len(), 3);
}

const SSO_CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = eu-west-1\n\
                          [sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n";

/// Where the token cache of the `corp` sso-session lives.
fn sso_cache_path() -> String {
    // The cache key of an sso-session profile is the SHA-1 of the session name.
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, b"corp");
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("/home/.aws/sso/cache/{hex}.json")
}

/// Profile `dev` of [`SSO_CONFIG`], its token cache holding `cache`, and the SSO portal
/// (and the OIDC service, if `oidc`) at `fake`.
fn sso_config(fake: &Server, cache: &str, oidc: bool) -> ProviderConfig {
    let mut vars = vec![
        ("HOME", "/home".to_owned()),
        ("AWS_PROFILE", "dev".to_owned()),
        ("AWS_ENDPOINT_URL_SSO", fake.url()),
    ];
    if oidc {
        vars.push(("AWS_ENDPOINT_URL_SSO_OIDC", fake.url()));
    }
    let files = vec![
        ("/home/.aws/config".to_owned(), SSO_CONFIG.to_owned()),
        (sso_cache_path(), cache.to_owned()),
    ];
    config(vars, files)
}

/// A cached SSO token `sso-token` that expires at `expires`, with no refresh data.
fn sso_token(expires: &str) -> String {
    format!(r#"{{"accessToken":"sso-token","expiresAt":"{expires}"}}"#)
}

async fn profile_credentials(cfg: &ProviderConfig) -> CredentialsResult {
    ProfileFileCredentialsProvider::builder()
        .configure(cfg)
        .build()
        .credentials()
        .await
}

#[tokio::test]
async fn sso_portal_role_credentials() {
    let fake = Server::with_handler(|req| {
        if req.header("x-amz-sso_bearer_token") == Some("sso-token") {
            answer(200, r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"s","sessionToken":"t","expiration":4102444800000}}"#)
        } else {
            answer(401, r#"{"message":"bad token"}"#)
        }
    })
    .await;
    let cfg = sso_config(&fake, &sso_token("2099-01-01T00:00:00Z"), false);
    let creds = profile_credentials(&cfg).await.expect("sso");
    assert_eq!(creds.access_key_id(), "ASIASSO");
    assert_eq!(creds.account_id().map(|a| a.as_str()), Some("111122223333"));
    let seen = fake.requests();
    assert!(
        seen[0].path.starts_with("/federation/credentials?"),
        "{}",
        seen[0].path
    );
    assert!(
        seen[0].path.contains("account_id=111122223333") && seen[0].path.contains("role_name=Dev")
    );
}

#[tokio::test]
async fn sso_expired_token_and_portal_errors() {
    let fake = Server::with_handler(|_| answer(403, r#"{"message":"no access"}"#)).await;
    // Expired token without refresh data: no request, a message that says what to do.
    let cfg = sso_config(&fake, &sso_token("2000-01-01T00:00:00Z"), false);
    let text = failure(profile_credentials(&cfg).await);
    assert_contains(&text, "aws sso login");
    assert!(fake.requests().is_empty());
    // Valid token, portal refuses.
    let cfg = sso_config(&fake, &sso_token("2099-01-01T00:00:00Z"), false);
    let text = failure(profile_credentials(&cfg).await);
    assert_contains(&text, "HTTP 403");
    assert!(
        !text.contains("sso-token"),
        "the token must not appear in errors: {text}"
    );
}

#[tokio::test]
async fn sso_expired_session_token_is_refreshed_through_oidc() {
    let fake = Server::with_handler(|req| {
        match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/token") => answer(
                200,
                r#"{"accessToken":"fresh-token","expiresIn":3600,"refreshToken":"r2","tokenType":"Bearer"}"#,
            ),
            ("GET", _) if req.header("x-amz-sso_bearer_token") == Some("fresh-token") => answer(
                200,
                r#"{"roleCredentials":{"accessKeyId":"ASIAREFRESHED","secretAccessKey":"s","sessionToken":"t","expiration":4102444800000}}"#,
            ),
            _ => answer(401, r#"{"message":"stale token"}"#),
        }
    })
    .await;
    let cache = r#"{"accessToken":"old-token","expiresAt":"2000-01-01T00:00:00Z","refreshToken":"r1","clientId":"cid","clientSecret":"csecret","registrationExpiresAt":"2099-01-01T00:00:00Z","region":"eu-west-1","startUrl":"https://corp.awsapps.com/start"}"#;
    let cfg = sso_config(&fake, cache, true);
    let creds = profile_credentials(&cfg).await.expect("refreshed");
    assert_eq!(creds.access_key_id(), "ASIAREFRESHED");
    let seen = fake.requests();
    assert_eq!(seen[0].path, "/token");
    assert_eq!(seen.len(), 2);
    // The refreshed token and the rotated refresh token were written back; the rest is kept.
    let saved = cfg.fs().read(sso_cache_path()).expect("cache");
    let saved: serde_json::Value = serde_json::from_slice(&saved).expect("JSON");
    assert_eq!(saved["accessToken"], "fresh-token");
    assert_eq!(saved["refreshToken"], "r2");
    assert_eq!(saved["clientId"], "cid");
    assert!(saved["expiresAt"].as_str().is_some_and(|e| e > "2026"));
}
