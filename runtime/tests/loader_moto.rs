//! The loader's STS calls against a real third-party STS: `moto_server` (Python
//! `moto[server]`, installed by `.ci/run`) on a free loopback port. A profile assume-role chain
//! (static keys -> AssumeRole) and a web identity token file (AssumeRoleWithWebIdentity) run end
//! to end over reqwest: signing, form encoding, endpoint override and XML parsing.
//!
//! Without `moto_server` on PATH the tests print a skip line, and fail under `CI=true`.
#![cfg(feature = "config-loader")]

use std::sync::Arc;
use std::time::SystemTime;

use aws_types::region::Region;
use awsjson_runtime::config::Env;
use awsjson_runtime::loader::http::ReqwestProviderClient;
use awsjson_runtime::loader::{
    Fs, ProfileFileCredentialsProvider, ProviderConfig, WebIdentityTokenCredentialsProvider,
};
use awsjson_test_support::moto::Moto;

fn config(server: &Moto, vars: Vec<(&str, String)>, files: Vec<(&str, &str)>) -> ProviderConfig {
    let mut vars = vars;
    vars.push(("AWS_ENDPOINT_URL_STS", server.endpoint_url()));
    vars.push(("HOME", "/home".to_owned()));
    let http = Arc::new(ReqwestProviderClient::new().expect("http client"));
    ProviderConfig::for_tests(Env::from_vars(vars), Fs::from_map(files), http)
        .with_region(Some(Region::new("us-east-1")))
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_assume_role_chain_against_moto() {
    let Some(server) = Moto::start("loader_moto") else {
        return;
    };
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
    let Some(server) = Moto::start("loader_moto") else {
        return;
    };
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
    let Some(server) = Moto::start("loader_moto") else {
        return;
    };
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
