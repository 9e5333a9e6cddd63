//! The loader's IMDS, container and SSO providers against loopback fakes, including faults:
//! IMDS slow, 500s, token refused, IMDSv1 fallback and its opt-out, static stability; a
//! container endpoint that is not allowed, the authorization token file; the SSO portal and
//! its errors. Servers bind 127.0.0.1 only.
#![cfg(feature = "config-loader")]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use awsjson_runtime::config::{Env, TimeSource};
use awsjson_runtime::loader::ecs::EcsCredentialsProvider;
use awsjson_runtime::loader::http::ReqwestProviderClient;
use awsjson_runtime::loader::imds::credentials::ImdsCredentialsProvider;
use awsjson_runtime::loader::{error_chain, Fs, ProfileFileCredentialsProvider, ProviderConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request as the fake saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    headers: HashMap<String, String>,
}

/// What the fake answers: status, body, delay before answering.
type Handler = Arc<dyn Fn(&Seen, usize) -> (u16, String, Duration) + Send + Sync>;

struct Fake {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    async fn start(handler: Handler) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    // Read the head; bodies of these requests are small and read with it.
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    let mut lines = text.split("\r\n");
                    let mut first = lines.next().unwrap_or_default().split(' ');
                    let method = first.next().unwrap_or_default().to_owned();
                    let path = first.next().unwrap_or_default().to_owned();
                    let headers = lines
                        .take_while(|l| !l.is_empty())
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let request = Seen {
                        method,
                        path,
                        headers,
                    };
                    let index = {
                        let mut log = log.lock().unwrap();
                        log.push(request.clone());
                        log.len() - 1
                    };
                    let (status, body, delay) = handler(&request, index);
                    tokio::time::sleep(delay).await;
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                });
            }
        });
        Fake { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn config(vars: Vec<(&str, String)>, files: Vec<(&str, &str)>) -> ProviderConfig {
    let http = Arc::new(ReqwestProviderClient::new().expect("http client"));
    ProviderConfig::for_tests(Env::from_vars(vars), Fs::from_map(files), http)
}

const CREDS: &str = r#"{"Code":"Success","AccessKeyId":"ASIAFAKE","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#;

fn imds_ok(req: &Seen, _: usize) -> (u16, String, Duration) {
    match (req.method.as_str(), req.path.as_str()) {
        ("PUT", "/latest/api/token") => (200, "tok".into(), Duration::ZERO),
        (_, "/latest/meta-data/iam/security-credentials/") => {
            (200, "role\n".into(), Duration::ZERO)
        }
        (_, "/latest/meta-data/iam/security-credentials/role") => {
            (200, CREDS.into(), Duration::ZERO)
        }
        _ => (404, String::new(), Duration::ZERO),
    }
}

#[tokio::test]
async fn imds_happy_path_sends_the_session_token() {
    let fake = Fake::start(Arc::new(imds_ok)).await;
    let cfg = config(
        vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url())],
        vec![],
    );
    let creds = ImdsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect("creds");
    assert_eq!(creds.access_key_id(), "ASIAFAKE");
    let seen = fake.seen();
    assert_eq!(
        seen[0]
            .headers
            .get("x-aws-ec2-metadata-token-ttl-seconds")
            .map(String::as_str),
        Some("21600")
    );
    assert!(seen[1..].iter().all(|r| r
        .headers
        .get("x-aws-ec2-metadata-token")
        .map(String::as_str)
        == Some("tok")));
}

#[tokio::test]
async fn imds_slow_times_out_after_retries() {
    let fake = Fake::start(Arc::new(|_: &Seen, _| {
        (200, "tok".into(), Duration::from_secs(5))
    }))
    .await;
    let cfg = config(
        vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url())],
        vec![],
    );
    let start = Instant::now();
    let err = ImdsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect_err("slow IMDS");
    let text = error_chain(&err);
    assert!(text.contains("timed out"), "{text}");
    assert!(
        start.elapsed() < Duration::from_secs(12),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(fake.seen().len(), 3, "three attempts");
}

#[tokio::test]
async fn imds_500s_fail_after_three_attempts() {
    let fake = Fake::start(Arc::new(|_: &Seen, _| (500, String::new(), Duration::ZERO))).await;
    let cfg = config(
        vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url())],
        vec![],
    );
    let err = ImdsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect_err("500s");
    assert!(
        error_chain(&err).contains("HTTP 500"),
        "{}",
        error_chain(&err)
    );
    assert_eq!(fake.seen().len(), 3);
}

#[tokio::test]
async fn imds_token_refused_is_not_retried() {
    let fake = Fake::start(Arc::new(|_: &Seen, _| (403, String::new(), Duration::ZERO))).await;
    let cfg = config(
        vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url())],
        vec![],
    );
    let err = ImdsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect_err("403");
    assert!(
        error_chain(&err).contains("forbidden"),
        "{}",
        error_chain(&err)
    );
    assert_eq!(fake.seen().len(), 1);
}

fn imds_v1_only(req: &Seen, i: usize) -> (u16, String, Duration) {
    if req.method == "PUT" {
        (404, String::new(), Duration::ZERO)
    } else {
        imds_ok(req, i)
    }
}

#[tokio::test]
async fn imds_v1_fallback_and_opt_out() {
    let fake = Fake::start(Arc::new(imds_v1_only)).await;
    let cfg = config(
        vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url())],
        vec![],
    );
    let creds = ImdsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect("v1 creds");
    assert_eq!(creds.access_key_id(), "ASIAFAKE");
    assert!(fake.seen()[1..]
        .iter()
        .all(|r| !r.headers.contains_key("x-aws-ec2-metadata-token")));

    let cfg = config(
        vec![
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url()),
            ("AWS_EC2_METADATA_V1_DISABLED", "true".into()),
        ],
        vec![],
    );
    let err = ImdsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect_err("v1 disabled");
    assert!(
        error_chain(&err).contains("HTTP 404"),
        "{}",
        error_chain(&err)
    );
}

#[tokio::test]
async fn imds_static_stability_reuses_credentials_when_imds_fails() {
    // Succeeds for the first three requests (token, role, credentials), then 500s.
    let fake = Fake::start(Arc::new(|req: &Seen, i| {
        if i < 3 {
            imds_ok(req, i)
        } else {
            (500, String::new(), Duration::ZERO)
        }
    }))
    .await;
    let later = SystemTime::UNIX_EPOCH + Duration::from_secs(5_000_000_000);
    let now = Arc::new(Mutex::new(SystemTime::now()));
    let clock = {
        let now = now.clone();
        TimeSource::from_fn(move || *now.lock().unwrap())
    };
    let cfg = config(
        vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url())],
        vec![],
    )
    .with_time_source(clock);
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
}

#[tokio::test]
async fn imds_disabled_makes_no_request() {
    let fake = Fake::start(Arc::new(imds_ok)).await;
    let cfg = config(
        vec![
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ],
        vec![],
    );
    let err = ImdsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect_err("disabled");
    assert!(error_chain(&err).contains("AWS_EC2_METADATA_DISABLED"));
    assert!(fake.seen().is_empty());
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
    let err = EcsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect_err("not allowed");
    assert!(
        error_chain(&err).contains("not allowed"),
        "{}",
        error_chain(&err)
    );
}

#[tokio::test]
async fn container_token_file_is_sent_and_read_each_time() {
    let fake = Fake::start(Arc::new(|req: &Seen, _| {
        if req.headers.get("authorization").map(String::as_str) == Some("pod-token") {
            (200, r#"{"AccessKeyId":"ASIAPOD","SecretAccessKey":"s","Token":"t","AccountId":"111122223333","Expiration":"2099-01-01T00:00:00Z"}"#.into(), Duration::ZERO)
        } else {
            (401, String::new(), Duration::ZERO)
        }
    }))
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
        vec![("/var/run/token", "pod-token\n")],
    );
    let creds = EcsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect("creds");
    assert_eq!(creds.access_key_id(), "ASIAPOD");
    assert_eq!(creds.account_id().map(|a| a.as_str()), Some("111122223333"));
    assert_eq!(fake.seen()[0].path, "/v1/credentials");
}

#[tokio::test]
async fn container_500s_are_retried_then_reported() {
    let fake = Fake::start(Arc::new(|_: &Seen, _| (503, String::new(), Duration::ZERO))).await;
    let cfg = config(
        vec![(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", fake.url()),
        )],
        vec![],
    );
    let err = EcsCredentialsProvider::new(&cfg)
        .credentials()
        .await
        .expect_err("503s");
    assert!(
        error_chain(&err).contains("HTTP 503"),
        "{}",
        error_chain(&err)
    );
    assert_eq!(fake.seen().len(), 3);
}

const SSO_CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = eu-west-1\n\
                          [sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n";

fn sso_config(fake: &Fake, cache_path: &str, expires: &str) -> ProviderConfig {
    let cache = format!(r#"{{"accessToken":"sso-token","expiresAt":"{expires}"}}"#);
    let files: Vec<(String, String)> = vec![
        ("/home/.aws/config".into(), SSO_CONFIG.into()),
        (cache_path.into(), cache),
    ];
    let http = Arc::new(ReqwestProviderClient::new().expect("http client"));
    ProviderConfig::for_tests(
        Env::from_vars([
            ("HOME", "/home".to_owned()),
            ("AWS_PROFILE", "dev".to_owned()),
            ("AWS_ENDPOINT_URL_SSO", fake.url()),
        ]),
        Fs::from_map(files),
        http,
    )
}

fn sso_cache_path() -> String {
    // The cache key of an sso-session profile is the SHA-1 of the session name.
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, b"corp");
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("/home/.aws/sso/cache/{hex}.json")
}

#[tokio::test]
async fn sso_portal_role_credentials() {
    let fake = Fake::start(Arc::new(|req: &Seen, _| {
        if req.headers.get("x-amz-sso_bearer_token").map(String::as_str) == Some("sso-token") {
            (200, r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"s","sessionToken":"t","expiration":4102444800000}}"#.into(), Duration::ZERO)
        } else {
            (401, r#"{"message":"bad token"}"#.into(), Duration::ZERO)
        }
    }))
    .await;
    let path = sso_cache_path();
    let cfg = sso_config(&fake, &path, "2099-01-01T00:00:00Z");
    let creds = ProfileFileCredentialsProvider::builder()
        .configure(&cfg)
        .build()
        .credentials()
        .await
        .expect("sso");
    assert_eq!(creds.access_key_id(), "ASIASSO");
    assert_eq!(creds.account_id().map(|a| a.as_str()), Some("111122223333"));
    let seen = fake.seen();
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
    let fake = Fake::start(Arc::new(|_: &Seen, _| {
        (403, r#"{"message":"no access"}"#.into(), Duration::ZERO)
    }))
    .await;
    let path = sso_cache_path();
    // Expired token without refresh data: no request, a message that says what to do.
    let cfg = sso_config(&fake, &path, "2000-01-01T00:00:00Z");
    let err = ProfileFileCredentialsProvider::builder()
        .configure(&cfg)
        .build()
        .credentials()
        .await
        .expect_err("expired");
    assert!(
        error_chain(&err).contains("aws sso login"),
        "{}",
        error_chain(&err)
    );
    assert!(fake.seen().is_empty());
    // Valid token, portal refuses.
    let cfg = sso_config(&fake, &path, "2099-01-01T00:00:00Z");
    let err = ProfileFileCredentialsProvider::builder()
        .configure(&cfg)
        .build()
        .credentials()
        .await
        .expect_err("403");
    let text = error_chain(&err);
    assert!(text.contains("HTTP 403"), "{text}");
    assert!(
        !text.contains("sso-token"),
        "the token must not appear in errors: {text}"
    );
}

#[tokio::test]
async fn sso_expired_session_token_is_refreshed_through_oidc() {
    let fake = Fake::start(Arc::new(|req: &Seen, _| {
        match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/token") => (
                200,
                r#"{"accessToken":"fresh-token","expiresIn":3600,"refreshToken":"r2","tokenType":"Bearer"}"#.into(),
                Duration::ZERO,
            ),
            ("GET", _) if req.headers.get("x-amz-sso_bearer_token").map(String::as_str) == Some("fresh-token") => (
                200,
                r#"{"roleCredentials":{"accessKeyId":"ASIAREFRESHED","secretAccessKey":"s","sessionToken":"t","expiration":4102444800000}}"#.into(),
                Duration::ZERO,
            ),
            _ => (401, r#"{"message":"stale token"}"#.into(), Duration::ZERO),
        }
    }))
    .await;
    let cache = r#"{"accessToken":"old-token","expiresAt":"2000-01-01T00:00:00Z","refreshToken":"r1","clientId":"cid","clientSecret":"csecret","registrationExpiresAt":"2099-01-01T00:00:00Z","region":"eu-west-1","startUrl":"https://corp.awsapps.com/start"}"#;
    let path = sso_cache_path();
    let http = Arc::new(ReqwestProviderClient::new().expect("http client"));
    let cfg = ProviderConfig::for_tests(
        Env::from_vars([
            ("HOME", "/home".to_owned()),
            ("AWS_PROFILE", "dev".to_owned()),
            ("AWS_ENDPOINT_URL_SSO", fake.url()),
            ("AWS_ENDPOINT_URL_SSO_OIDC", fake.url()),
        ]),
        Fs::from_map([
            ("/home/.aws/config".to_owned(), SSO_CONFIG.to_owned()),
            (path.clone(), cache.to_owned()),
        ]),
        http,
    );
    let creds = ProfileFileCredentialsProvider::builder()
        .configure(&cfg)
        .build()
        .credentials()
        .await
        .expect("refreshed");
    assert_eq!(creds.access_key_id(), "ASIAREFRESHED");
    let seen = fake.seen();
    assert_eq!(seen[0].path, "/token");
    assert_eq!(seen.len(), 2);
    // The refreshed token and the rotated refresh token were written back; the rest is kept.
    let saved: serde_json::Value =
        serde_json::from_slice(&cfg.fs().read(&path).expect("cache")).expect("JSON");
    assert_eq!(saved["accessToken"], "fresh-token");
    assert_eq!(saved["refreshToken"], "r2");
    assert_eq!(saved["clientId"], "cid");
    assert!(saved["expiresAt"].as_str().is_some_and(|e| e > "2026"));
}
