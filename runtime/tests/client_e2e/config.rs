//! Region and credentials resolution, missing configuration, and Debug redaction.

use std::path::PathBuf;

use awsjson_runtime::client::Handle;
use awsjson_runtime::config::{Config, Credentials, Env, Region};
use awsjson_runtime::error::SdkError;

use crate::support::{config_for, empty_env, Action, Server, Sleeps, OP, SPEC};

/// A fresh temporary directory (no tempfile crate: a unique name under the system temp dir).
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "awsjson-runtime-{name}-{}-{:?}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[tokio::test]
async fn missing_region_is_a_construction_failure() {
    let server = Server::start(vec![]).await;
    let mut builder = config_for(&server, &Sleeps::default());
    builder.set_region(None);
    let config = builder
        .env(Env::from_vars([("HOME", "/nonexistent-awsjson-home")]))
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("no region");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("no region configured"), "{text}");
    assert!(text.contains("AWS_REGION"), "{text}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn missing_credentials_is_a_construction_failure_naming_what_was_tried() {
    let server = Server::start(vec![]).await;
    let config = Config::builder()
        .env(Env::from_vars([("HOME", "/nonexistent-awsjson-home")]))
        .region(Region::from_static("us-east-1"))
        .endpoint_url(server.url())
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("no credentials");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("no credentials found"), "{text}");
    assert!(text.contains("AWS_ACCESS_KEY_ID"), "{text}");
    assert!(
        text.contains("/nonexistent-awsjson-home/.aws/credentials"),
        "{text}"
    );
    assert!(text.contains("credentials_provider"), "{text}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn credentials_and_region_from_the_environment() {
    let server = Server::start(vec![Action::json(200, "{}")]).await;
    let config = Config::builder()
        .env(Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "SECRETENV"),
            ("AWS_SESSION_TOKEN", "TOKENENV"),
            ("AWS_DEFAULT_REGION", "ap-southeast-2"),
        ]))
        .endpoint_url(server.url())
        .build();
    Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success");
    let r = &server.requests()[0];
    let auth = r.header("authorization").expect("authorization");
    assert!(
        auth.contains("Credential=AKIDENV/20") && auth.contains("/ap-southeast-2/lightsail/"),
        "{auth}"
    );
    assert_eq!(r.header("x-amz-security-token"), Some("TOKENENV"));
}

#[tokio::test]
async fn credentials_and_region_from_profile_files() {
    let dir = temp_dir("profiles");
    let credentials = dir.join("creds");
    let config_file = dir.join("conf");
    std::fs::write(
        &credentials,
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = S1\n\
         [work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = S2 ; comment\n\
         aws_session_token = TOKENWORK\n",
    )
    .expect("write credentials");
    std::fs::write(
        &config_file,
        "[default]\nregion = us-west-2\n[profile work]\nregion = eu-north-1\n",
    )
    .expect("write config");

    let server = Server::start(vec![Action::json(200, "{}")]).await;
    let config = Config::builder()
        .env(Env::from_vars([
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                credentials.display().to_string(),
            ),
            ("AWS_CONFIG_FILE", config_file.display().to_string()),
            ("AWS_PROFILE", "work".to_owned()),
        ]))
        .endpoint_url(server.url())
        .build();
    Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect("success");
    let r = &server.requests()[0];
    let auth = r.header("authorization").expect("authorization");
    assert!(auth.contains("Credential=AKIDWORK/"), "{auth}");
    assert!(auth.contains("/eu-north-1/lightsail/"), "{auth}");
    assert_eq!(r.header("x-amz-security-token"), Some("TOKENWORK"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn profile_with_unsupported_source_says_so() {
    let dir = temp_dir("sso");
    let config_file = dir.join("conf");
    std::fs::write(
        &config_file,
        "[profile corp]\nregion = us-east-1\nsso_session = corp\nsso_account_id = 1\n",
    )
    .expect("write config");
    let config = Config::builder()
        .env(Env::from_vars([
            ("AWS_CONFIG_FILE", config_file.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.join("none").display().to_string(),
            ),
            ("AWS_PROFILE", "corp".to_owned()),
        ]))
        .endpoint_url("http://127.0.0.1:9")
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("sso is not supported");
    let text = err.to_string();
    assert!(text.contains("sso_session"), "{text}");
    assert!(text.contains("aws-config"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn debug_output_has_no_secrets() {
    let config = Config::builder()
        .env(Env::from_vars([("AWS_SECRET_ACCESS_KEY", "ENVSECRET")]))
        .region(Region::from_static("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDVISIBLE",
            "VERYSECRETKEY",
            Some("VERYSECRETTOKEN".into()),
            None,
            "test",
        ))
        .build();
    let text = format!("{config:?}");
    assert!(!text.contains("VERYSECRETKEY"), "{text}");
    assert!(!text.contains("VERYSECRETTOKEN"), "{text}");
    assert!(!text.contains("ENVSECRET"), "{text}");
    assert!(text.contains("us-east-1"), "{text}");

    let handle = Handle::new(&SPEC, config);
    let text = format!("{handle:?}");
    assert!(!text.contains("VERYSECRETKEY"), "{text}");
    assert!(!text.contains("VERYSECRETTOKEN"), "{text}");
}

#[tokio::test]
async fn errors_never_contain_secrets() {
    let server = Server::start(vec![Action::error(403, "AccessDeniedException", "denied")]).await;
    let config = config_for(&server, &Sleeps::default())
        .credentials_provider(Credentials::new(
            "AKIDTEST",
            "VERYSECRETKEY",
            Some("VERYSECRETTOKEN".into()),
            None,
            "test",
        ))
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("denied");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains("VERYSECRETKEY"), "{text}");
        assert!(!text.contains("VERYSECRETTOKEN"), "{text}");
    }
}

#[tokio::test]
async fn invalid_endpoint_url_is_a_construction_failure() {
    let config = Config::builder()
        .env(empty_env())
        .region(Region::from_static("us-east-1"))
        .credentials_provider(crate::support::test_credentials())
        .endpoint_url("ftp://example.com")
        .build();
    let err = Handle::new(&SPEC, config)
        .invoke(&OP, b"{}".to_vec())
        .await
        .expect_err("bad endpoint");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(err.to_string().contains("scheme"), "{err}");
}

#[test]
fn default_endpoint_comes_from_the_region() {
    let config = Config::builder()
        .env(empty_env())
        .region(Region::from_static("eu-west-3"))
        .build();
    let text = format!("{:?}", Handle::new(&SPEC, config));
    assert!(
        text.contains("https://lightsail.eu-west-3.amazonaws.com/"),
        "{text}"
    );
}
