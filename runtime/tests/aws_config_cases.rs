//! Runs the AWS SDK for Rust's published aws-config test cases (the directory named by
//! `AWS_CONFIG_TEST_DATA`, e.g. `../shared/aws-config-tests`) against the loader: every
//! case directory and every test found in the JSON suites, so new cases need no code.
//!
//! * `profile-parser-tests.json`, `file-location-tests.json`, `imds-config/`, `ecs-tests.json`,
//!   `assume-role-tests.json`: pure functions, compared with the expected output or error text.
//! * `default-credential-provider-chain/*`, `profile-provider/*`: the default chain or the
//!   profile provider over the case's `env.json`, its `fs/` mounted at `/` and a replay client
//!   serving `http-traffic.json` (each request checked against the recorded one); credentials,
//!   account id, expiry and error text compared.
//! * `default-token-provider-chain/*`: the SSO token of the selected profile.
//!
//! Settings smithy-rs's own harness applies without the case files stating them are kept as
//! data below ([`CLOCK_AT_EPOCH`]). [`KNOWN_FAILURES`] lists cases that do not pass yet, with
//! the reason; a listed case that passes fails the test, so the list can only shrink.
//!
//! Without `AWS_CONFIG_TEST_DATA` the test prints a skip line, and fails under `CI=true`.
#![cfg(feature = "config-loader")]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::provider::token::ProvideToken;
use awsjson_runtime::config::{Env, TimeSource};
use awsjson_runtime::loader::__private::{resolve_profile_chain, Base};
use awsjson_runtime::loader::profile::location::{self, Os};
use awsjson_runtime::loader::profile::ProfileSet;
use awsjson_runtime::loader::test_util::ReplayClient;
use awsjson_runtime::loader::{
    ecs, error_chain, imds, sso, DefaultCredentialsChain, Fs, ProfileFileCredentialsProvider,
    ProviderConfig,
};
use serde_json::{json, Map, Value};

/// Cases smithy-rs runs with `StaticTimeSource::new(UNIX_EPOCH)` (aws-config's
/// `default_provider/credentials.rs` tests): IMDS credentials there expired long ago, and the
/// expected expiry is the recorded one, not a static-stability extension.
const CLOCK_AT_EPOCH: &[&str] = &[
    "default-credential-provider-chain/imds_default_chain_success",
    "default-credential-provider-chain/imds_config_with_no_creds",
    "default-credential-provider-chain/imds_default_chain_retries",
];

/// Cases that do not pass yet: (name, reason). Can only shrink.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

fn data_dir() -> Option<PathBuf> {
    match std::env::var_os("AWS_CONFIG_TEST_DATA") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("AWS_CONFIG_TEST_DATA must be set in CI (see .ci/run)");
            }
            eprintln!(
                "SKIPPED aws_config_cases: set AWS_CONFIG_TEST_DATA to ../shared/aws-config-tests"
            );
            None
        }
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn env_of(value: &Value) -> Env {
    let vars: Vec<(String, String)> = value
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    Env::from_vars(vars)
}

fn contains(actual: &str, expected: &str) -> Result<(), String> {
    if actual.contains(expected) {
        Ok(())
    } else {
        Err(format!("error `{actual}` does not contain `{expected}`"))
    }
}

// ---- profile parser -------------------------------------------------------------------

fn profile_parser(test: &Value) -> Result<(), String> {
    let input = &test["input"];
    let config = input["configFile"].as_str().unwrap_or_default();
    let credentials = input["credentialsFile"].as_str().unwrap_or_default();
    let result = ProfileSet::parse(config, credentials, "default");
    let output = &test["output"];
    if let Some(expected) = output["errorContaining"].as_str() {
        return match result {
            Ok(_) => Err(format!(
                "expected an error containing `{expected}`, parsed fine"
            )),
            Err(e) => contains(&e.to_string(), expected),
        };
    }
    let set = result.map_err(|e| format!("unexpected error: {e}"))?;
    let to_map = |sections: Vec<(&str, Vec<(&str, &str)>)>| -> Value {
        let mut out = Map::new();
        for (name, props) in sections {
            let p: Map<String, Value> = props
                .into_iter()
                .map(|(k, v)| (k.to_owned(), json!(v)))
                .collect();
            out.insert(name.to_owned(), Value::Object(p));
        }
        Value::Object(out)
    };
    let profiles = to_map(
        set.profiles()
            .map(|p| (p.name(), p.properties().collect()))
            .collect(),
    );
    let expected = &output["config"];
    if profiles != expected["profiles"] {
        return Err(format!(
            "profiles: expected {}, got {profiles}",
            expected["profiles"]
        ));
    }
    if let Some(sessions) = expected.get("sso_sessions") {
        let actual = to_map(
            set.sso_sessions()
                .map(|p| (p.name(), p.properties().collect()))
                .collect(),
        );
        if &actual != sessions {
            return Err(format!("sso_sessions: expected {sessions}, got {actual}"));
        }
    }
    Ok(())
}

fn file_location(test: &Value) -> Result<(), String> {
    let env = env_of(&test["environment"]);
    let os = if test["platform"] == "windows" {
        Os::Windows
    } else {
        Os::Unix
    };
    let config = location::config_file(&env, os);
    let credentials = location::credentials_file(&env, os);
    if config.as_deref() != test["configLocation"].as_str() {
        return Err(format!(
            "config: expected {}, got {config:?}",
            test["configLocation"]
        ));
    }
    if credentials.as_deref() != test["credentialsLocation"].as_str() {
        return Err(format!(
            "credentials: expected {}, got {credentials:?}",
            test["credentialsLocation"]
        ));
    }
    if let Some(profile) = test["profile"].as_str() {
        let selected = location::selected_profile(&env);
        if selected != profile {
            return Err(format!("profile: expected {profile}, got {selected}"));
        }
    }
    Ok(())
}

// ---- IMDS endpoint, ECS URI, assume-role chains -------------------------------------------

fn imds_endpoint(test: &Value) -> Result<(), String> {
    let files: Vec<(String, String)> = test["fs"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let config = ProviderConfig::for_tests(
        env_of(&test["env"]),
        Fs::from_map(files),
        Arc::new(ReplayClient::no_traffic()),
    );
    let mode = match test["mode_override"].as_str() {
        Some(m) => Some(
            m.parse::<imds::EndpointMode>()
                .map_err(|e| format!("bad test mode: {e}"))?,
        ),
        None => None,
    };
    let result = imds::resolve_endpoint(
        &config,
        test["endpoint_override"].as_str().map(str::to_owned),
        mode,
    )
    .map(|e| format!("{e}/latest/api/token"));
    match (&test["result"]["Ok"], &test["result"]["Err"], result) {
        (Value::String(want), _, Ok(got)) if *want == got => Ok(()),
        (_, Value::String(want), Err(got)) => contains(&got, want),
        (want, err, got) => Err(format!("expected {want} / {err}, got {got:?}")),
    }
}

fn ecs_uri(test: &Value) -> Result<(), String> {
    let result = ecs::container_uri(&env_of(&test["env"])).map_err(|e| error_chain(&e));
    match (
        &test["result"]["Ok"],
        &test["result"]["ErrorContains"],
        result,
    ) {
        (Value::String(want), _, Ok(got)) if *want == got => Ok(()),
        (_, Value::String(want), Err(got)) => contains(&got, want),
        (want, err, got) => Err(format!("expected {want} / {err}, got {got:?}")),
    }
}

fn section_text(header: &str, props: &Value) -> String {
    let mut out = format!("[{header}]\n");
    for (k, v) in props.as_object().into_iter().flatten() {
        out.push_str(&format!("{k} = {}\n", v.as_str().unwrap_or_default()));
    }
    out
}

fn opt(map: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), json!(v));
    }
}

fn assume_role(test: &Value) -> Result<(), String> {
    let input = &test["input"];
    let mut text = String::new();
    for (name, props) in input["profiles"].as_object().into_iter().flatten() {
        text.push_str(&section_text(&format!("profile {name}"), props));
    }
    for (name, props) in input["sso_sessions"].as_object().into_iter().flatten() {
        text.push_str(&section_text(&format!("sso-session {name}"), props));
    }
    let selected = input["selected_profile"].as_str().unwrap_or("default");
    let set = ProfileSet::parse(&text, "", selected).map_err(|e| e.to_string())?;
    let result = resolve_profile_chain(&set);
    let output = &test["output"];
    if let Some(want) = output["Error"].as_str() {
        return match result {
            Ok(chain) => Err(format!("expected error `{want}`, got {chain:?}")),
            Err(e) => contains(&e.to_string(), want),
        };
    }
    let chain = result.map_err(|e| format!("unexpected error: {e}"))?;
    let mut links = Vec::new();
    links.push(match chain.base {
        Base::AccessKey {
            access_key_id,
            secret_access_key,
            account_id,
            ..
        } => {
            let mut m = Map::new();
            m.insert("access_key_id".into(), json!(access_key_id));
            m.insert("secret_access_key".into(), json!(secret_access_key));
            opt(&mut m, "account_id", &account_id);
            json!({ "AccessKey": m })
        }
        Base::NamedSource(name) => json!({ "NamedSource": name }),
        Base::WebIdentity {
            token_file,
            role_arn,
            session_name,
        } => {
            let mut m = Map::new();
            m.insert("role_arn".into(), json!(role_arn));
            m.insert("web_identity_token_file".into(), json!(token_file));
            opt(&mut m, "role_session_name", &session_name);
            json!({ "WebIdentityToken": m })
        }
        Base::Sso {
            account_id,
            role_name,
            start_url,
            region,
            session_name,
        } => {
            let mut m = Map::new();
            opt(&mut m, "sso_account_id", &account_id);
            m.insert("sso_region".into(), json!(region));
            opt(&mut m, "sso_role_name", &role_name);
            m.insert("sso_start_url".into(), json!(start_url));
            opt(&mut m, "sso_session", &session_name);
            json!({ "Sso": m })
        }
        Base::Process { command, .. } => json!({ "CredentialProcess": command }),
    });
    for role in chain.roles {
        let mut m = Map::new();
        m.insert("role_arn".into(), json!(role.role_arn));
        opt(&mut m, "external_id", &role.external_id);
        opt(&mut m, "role_session_name", &role.session_name);
        links.push(json!({ "AssumeRole": m }));
    }
    let actual = Value::Array(links);
    if actual == output["ProfileChain"] {
        Ok(())
    } else {
        Err(format!("expected {}, got {actual}", output["ProfileChain"]))
    }
}

// ---- provider directories ------------------------------------------------------------

fn provider_config(dir: &Path, name: &str) -> Result<(ProviderConfig, Arc<ReplayClient>), String> {
    let env = env_of(&read_json(&dir.join("env.json")));
    let fs = Fs::from_test_dir(dir.join("fs")).map_err(|e| e.to_string())?;
    let traffic = std::fs::read(dir.join("http-traffic.json")).map_err(|e| e.to_string())?;
    let replay = Arc::new(ReplayClient::from_traffic_json(&traffic)?);
    let mut config = ProviderConfig::for_tests(env, fs, replay.clone())
        .with_sleep(Arc::new(|_| Box::pin(async {})));
    if CLOCK_AT_EPOCH.contains(&name) {
        config = config.with_time_source(TimeSource::fixed(UNIX_EPOCH));
    }
    let region =
        awsjson_runtime::loader::region::DefaultRegionChain::new(&config).region_without_imds();
    Ok((config.with_region(region), replay))
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}

fn check_credentials(
    expected: &Value,
    result: Result<
        aws_credential_types::Credentials,
        aws_credential_types::provider::error::CredentialsError,
    >,
) -> Result<(), String> {
    match (expected.get("Ok"), expected.get("ErrorContains"), result) {
        (Some(want), _, Ok(c)) => {
            let mut got = Map::new();
            got.insert("access_key_id".into(), json!(c.access_key_id()));
            got.insert("secret_access_key".into(), json!(c.secret_access_key()));
            if let Some(t) = c.session_token() {
                got.insert("session_token".into(), json!(t));
            }
            if let Some(a) = c.account_id() {
                got.insert("account_id".into(), json!(a.as_str()));
            }
            if let Some(e) = c.expiry() {
                got.insert("expiry".into(), json!(secs(e)));
            }
            let got = Value::Object(got);
            if &got == want {
                Ok(())
            } else {
                // Secrets here are the test's fake values.
                Err(format!("expected {want}, got {got}"))
            }
        }
        (_, Some(Value::String(want)), Err(e)) => contains(&error_chain(&e), want),
        (want, err, Ok(_)) => Err(format!("expected {want:?} {err:?}, got credentials")),
        (want, _, Err(e)) => Err(format!("expected {want:?}, got error: {}", error_chain(&e))),
    }
}

async fn credentials_case(dir: &Path, name: &str, chain: bool) -> Result<(), String> {
    let (config, replay) = provider_config(dir, name)?;
    let expected = read_json(&dir.join("test-case.json"))["result"].clone();
    let result = if chain {
        DefaultCredentialsChain::new(&config).credentials().await
    } else {
        ProfileFileCredentialsProvider::builder()
            .configure(&config)
            .build()
            .credentials()
            .await
    };
    check_credentials(&expected, result)?;
    replay.validate()
}

async fn token_case(dir: &Path, name: &str) -> Result<(), String> {
    let (config, replay) = provider_config(dir, name)?;
    let expected = read_json(&dir.join("test-case.json"))["result"].clone();
    let provider = sso::SsoTokenProvider::new(&config);
    match (expected.get("Ok"), provider.provide_token().await) {
        (Some(want), Ok(t)) => {
            let want_exp = want["expiration"].as_str().unwrap_or_default();
            let want_secs = chrono_free_rfc3339(want_exp)?;
            let got_secs = t.expiration().map(secs);
            if want["token"] != json!(t.token()) || Some(want_secs) != got_secs {
                return Err(format!("expected {want}, got a different token or expiry"));
            }
        }
        (None, Err(e)) => contains(
            &error_chain(&e),
            expected["ErrorContains"].as_str().unwrap_or_default(),
        )?,
        (want, Ok(_)) => return Err(format!("expected {want:?}, got a token")),
        (_, Err(e)) => return Err(format!("unexpected error: {}", error_chain(&e))),
    }
    replay.validate()
}

fn chrono_free_rfc3339(s: &str) -> Result<u64, String> {
    let t = aws_smithy_types::DateTime::from_str(s, aws_smithy_types::date_time::Format::DateTime)
        .map_err(|e| e.to_string())?;
    Ok(t.secs() as u64)
}

fn case_dirs(root: &Path, suite: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root.join(suite))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            (
                format!(
                    "{suite}/{}",
                    p.file_name().unwrap_or_default().to_string_lossy()
                ),
                p,
            )
        })
        .collect();
    out.sort();
    out
}

fn json_suite(
    root: &Path,
    file: &str,
    run: fn(&Value) -> Result<(), String>,
    out: &mut BTreeMap<String, Result<(), String>>,
) {
    let doc = read_json(&root.join(file));
    let tests = doc.get("tests").cloned().unwrap_or(doc);
    for (i, test) in tests.as_array().into_iter().flatten().enumerate() {
        let label = test["name"]
            .as_str()
            .or(test["docs"].as_str())
            .unwrap_or("");
        out.insert(format!("{file}#{i:02} {label}"), run(test));
    }
}

#[test]
fn aws_config_cases() {
    let Some(root) = data_dir() else { return };
    let mut results: BTreeMap<String, Result<(), String>> = BTreeMap::new();
    json_suite(
        &root,
        "profile-parser-tests.json",
        profile_parser,
        &mut results,
    );
    json_suite(
        &root,
        "file-location-tests.json",
        file_location,
        &mut results,
    );
    json_suite(
        &root,
        "imds-config/imds-endpoint-tests.json",
        imds_endpoint,
        &mut results,
    );
    json_suite(&root, "ecs-tests.json", ecs_uri, &mut results);
    json_suite(&root, "assume-role-tests.json", assume_role, &mut results);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for (suite, kind) in [
        ("default-credential-provider-chain", 0),
        ("profile-provider", 1),
        ("default-token-provider-chain", 2),
    ] {
        for (name, dir) in case_dirs(&root, suite) {
            let outcome = rt.block_on(async {
                let run = async {
                    match kind {
                        0 => credentials_case(&dir, &name, true).await,
                        1 => credentials_case(&dir, &name, false).await,
                        _ => token_case(&dir, &name).await,
                    }
                };
                tokio::time::timeout(Duration::from_secs(20), run)
                    .await
                    .unwrap_or_else(|_| Err("timed out".to_owned()))
            });
            results.insert(name, outcome);
        }
    }

    let known: HashMap<&str, &str> = KNOWN_FAILURES.iter().copied().collect();
    let mut problems = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    for (name, outcome) in &results {
        match (outcome, known.get(name.as_str())) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => {
                problems.push(format!("{name}: passes now; remove it from KNOWN_FAILURES"))
            }
            (Err(e), Some(reason)) => {
                failed += 1;
                eprintln!("known failure {name}: {reason} ({e})");
            }
            (Err(e), None) => {
                failed += 1;
                problems.push(format!("{name}: {e}"));
            }
        }
    }
    for name in known.keys() {
        if !results.contains_key(*name) {
            problems.push(format!("{name}: in KNOWN_FAILURES but no such case"));
        }
    }
    eprintln!(
        "aws-config cases: {} total, {passed} passed, {failed} failed",
        results.len()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        results.len() > 100,
        "too few cases found under {}",
        root.display()
    );
}
