//! The loader's STS calls against a real third-party STS: `moto_server` (Python
//! `moto[server]`, installed by `.ci/run`) on a free loopback port. A profile assume-role chain
//! (static keys -> AssumeRole) and a web identity token file (AssumeRoleWithWebIdentity) run end
//! to end over reqwest: signing, form encoding, endpoint override and XML parsing.
//!
//! Without `moto_server` on PATH the tests print a skip line, and fail under `CI=true`.
#![cfg(feature = "config-loader")]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aws_types::region::Region;
use awsjson_runtime::config::Env;
use awsjson_runtime::loader::http::ReqwestProviderClient;
use awsjson_runtime::loader::{
    Fs, ProfileFileCredentialsProvider, ProviderConfig, WebIdentityTokenCredentialsProvider,
};

/// Kills the server when the test ends, however it ends.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_moto() -> Option<Server> {
    let available = Command::new("moto_server")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "moto_server must be installed in CI (see .ci/run)"
        );
        eprintln!("SKIPPED loader_moto: moto_server not found (pip install 'moto[server]')");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto_server did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(server)
}

fn config(server: &Server, vars: Vec<(&str, String)>, files: Vec<(&str, &str)>) -> ProviderConfig {
    let mut vars = vars;
    vars.push((
        "AWS_ENDPOINT_URL_STS",
        format!("http://127.0.0.1:{}", server.port),
    ));
    vars.push(("HOME", "/home".to_owned()));
    let http = Arc::new(ReqwestProviderClient::new().expect("http client"));
    ProviderConfig::for_tests(Env::from_vars(vars), Fs::from_map(files), http)
        .with_region(Some(Region::new("us-east-1")))
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_assume_role_chain_against_moto() {
    let Some(server) = start_moto() else { return };
    let cfg = config(
        &server,
        vec![("AWS_PROFILE", "deploy".to_owned())],
        vec![(
            "/home/.aws/config",
            "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n\
             role_session_name = moto-test\n\
             [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
        )],
    );
    let creds = ProfileFileCredentialsProvider::builder()
        .configure(&cfg)
        .build()
        .credentials()
        .await
        .expect("assumed role");
    assert_ne!(creds.access_key_id(), "AKIDBASE");
    assert!(creds.session_token().is_some_and(|t| !t.is_empty()));
    assert!(creds.expiry().is_some_and(|e| e > SystemTime::now()));
    assert_eq!(creds.account_id().map(|a| a.as_str()), Some("123456789012"));
}

#[tokio::test(flavor = "multi_thread")]
async fn web_identity_token_file_against_moto() {
    let Some(server) = start_moto() else { return };
    let cfg = config(
        &server,
        vec![
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/token.jwt".to_owned()),
            (
                "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/ci".to_owned(),
            ),
            ("AWS_ROLE_SESSION_NAME", "ci-run".to_owned()),
        ],
        vec![("/var/token.jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.\n")],
    );
    let creds = WebIdentityTokenCredentialsProvider::from_env(&cfg)
        .credentials()
        .await
        .expect("web identity credentials");
    assert!(!creds.access_key_id().is_empty());
    assert!(creds.session_token().is_some_and(|t| !t.is_empty()));
    assert!(creds.expiry().is_some_and(|e| e > SystemTime::now()));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_token_file_names_the_file() {
    let Some(server) = start_moto() else { return };
    let cfg = config(
        &server,
        vec![
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/nope.jwt".to_owned()),
            (
                "AWS_ROLE_ARN",
                "arn:aws:iam::123456789012:role/ci".to_owned(),
            ),
        ],
        vec![],
    );
    let err = WebIdentityTokenCredentialsProvider::from_env(&cfg)
        .credentials()
        .await
        .expect_err("no token file");
    let text = awsjson_runtime::loader::error_chain(&err);
    assert!(text.contains("/nope.jwt"), "{text}");
}
