//! Recorded-response golden tests: every file in `tests/recorded/get_container_service_deployments/`
//! is served by the loopback server to the real client (retries disabled), and the result
//! is rendered to canonical text (`awsjson_test_support::golden`) and compared with its insta
//! snapshot in `tests/tests/snapshots/`. See `tests/recorded/README.md`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use awsjson_test_support::golden::{self as render, Json};
use lightsail::operation::RequestId;
use lightsail::types::{ContainerServiceDeploymentState, ContainerServiceProtocol};
use lightsail_tests::{check_request, recorded, through_client, Response, SESSION_TOKEN};

const OP: &str = "get_container_service_deployments";

/// Serves the recorded response `name` once and renders what the client made of it.
async fn replay(name: &str) -> (lightsail_tests::CallResult, String) {
    let (result, requests) = through_client(recorded::load(OP, name)).await;
    assert_eq!(requests.len(), 1, "{name}: exactly one attempt");
    check_request(&requests[0], 1, 1, Some(SESSION_TOKEN));
    let text = render::result(&result);
    (result, text)
}

async fn golden(name: &str) {
    let (_, text) = replay(name).await;
    insta::with_settings!({
        description => format!("tests/recorded/{OP}/{name}.http"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

macro_rules! recorded {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                golden(stringify!($name)).await;
            }
        )*
        /// Every recorded response with a golden test.
        const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

recorded!(
    content_type_application_json,
    content_type_missing,
    content_type_with_charset,
    deployments_all_states,
    empty_body,
    empty_command_and_environment,
    empty_object,
    error_capitalized_message,
    error_code_member_before_type,
    error_content_type_application_json,
    error_content_type_missing,
    error_content_type_with_charset,
    error_header_access_denied,
    error_header_invalid_input,
    error_header_not_found,
    error_header_region_setup_in_progress,
    error_header_service,
    error_header_unauthenticated,
    error_html_502,
    error_namespaced_type_access_denied,
    error_namespaced_type_invalid_input,
    error_namespaced_type_not_found,
    error_namespaced_type_region_setup_in_progress,
    error_namespaced_type_service,
    error_namespaced_type_unauthenticated,
    error_type_and_code_access_denied,
    error_type_and_code_invalid_input,
    error_type_and_code_not_found,
    error_type_and_code_region_setup_in_progress,
    error_type_and_code_service,
    error_type_and_code_unauthenticated,
    error_unknown_code,
    malformed_truncated_json,
    malformed_wrong_type,
    no_deployments,
    nulls_and_unknown_fields,
    timestamps,
    unknown_enum_values,
);

#[test]
fn every_recorded_file_has_a_golden_test() {
    let mut listed: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
    listed.sort();
    assert_eq!(listed, recorded::names(OP));
}

#[tokio::test]
async fn empty_collections_stay_present_and_empty() {
    let (result, _) = replay("empty_command_and_environment").await;
    let output = result.expect("success");
    let deployments = output.deployments.as_ref().expect("deployments");
    let hello = &deployments[0].containers().expect("containers")["hello"];
    assert_eq!(hello.command, Some(vec![]));
    assert_eq!(hello.environment, Some(HashMap::new()));
    assert_eq!(hello.ports, Some(HashMap::new()));

    let (result, _) = replay("no_deployments").await;
    assert_eq!(result.expect("success").deployments, Some(vec![]));

    for absent in ["empty_object", "empty_body"] {
        let (result, _) = replay(absent).await;
        let output = result.expect("success");
        assert_eq!(output.deployments, None, "{absent}");
        assert!(output.request_id().is_some(), "{absent}");
    }
}

// Matching `Unknown` is deprecated (as in aws-sdk-rust); these tests check exactly it.
#[allow(deprecated)]
#[tokio::test]
async fn unknown_enum_values_are_kept_with_their_string() {
    let (result, _) = replay("unknown_enum_values").await;
    let output = result.expect("success");
    let d = &output.deployments()[0];
    let state = d.state().expect("state");
    assert!(
        matches!(state, ContainerServiceDeploymentState::Unknown(v) if v.as_str() == "ROLLING_BACK"),
        "{state:?}"
    );
    assert_eq!(state.as_str(), "ROLLING_BACK");
    assert!(ContainerServiceDeploymentState::try_parse("ROLLING_BACK").is_err());
    let ports = d.containers().expect("containers")["edge"]
        .ports()
        .expect("ports");
    assert!(
        matches!(&ports["443"], ContainerServiceProtocol::Unknown(v) if v.as_str() == "QUIC"),
        "{:?}",
        ports["443"]
    );
    // Wire values are case-sensitive: "https" is not HTTPS.
    assert_eq!(ports["8443"].as_str(), "https");
    assert!(matches!(
        ports["8443"],
        ContainerServiceProtocol::Unknown(_)
    ));
    assert_eq!(ports["80"], ContainerServiceProtocol::Http);
}

#[tokio::test]
async fn timestamps_are_exact_to_the_nanosecond() {
    let (result, _) = replay("timestamps").await;
    let output = result.expect("success");
    let got: BTreeMap<i32, (i64, u32)> = output
        .deployments()
        .iter()
        .map(|d| {
            let t = d.created_at().expect("createdAt");
            (d.version().expect("version"), (t.secs(), t.subsec_nanos()))
        })
        .collect();
    let expected: BTreeMap<i32, (i64, u32)> = [
        (1, (1_652_235_091, 0)),
        (2, (1_652_235_091, 500_000_000)),
        (3, (1_700_000_000, 123_000_000)),
        (4, (1_652_235_091, 0)),
        (5, (1_652_235_091, 0)),
        (6, (1_652_235_091, 500_000_000)),
        (7, (1_652_235_091, 500_000_000)),
        (8, (1_700_000_000, 1)),
        (9, (1_700_000_000, 0)),
        (10, (0, 0)),
        (11, (1_704_164_645, 999_999_999)),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, expected);
}

const STATES: [&str; 4] = ["ACTIVATING", "ACTIVE", "INACTIVE", "FAILED"];
const PROTOCOLS: [&str; 4] = ["HTTP", "HTTPS", "TCP", "UDP"];
const LARGE_DEPLOYMENTS: usize = 1000;

fn jstr(s: &str) -> Json {
    Json::String(s.to_owned())
}

fn jobj<const N: usize>(pairs: [(&str, Json); N]) -> Json {
    Json::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A deterministic response of [`LARGE_DEPLOYMENTS`] deployments (several MB), and the
/// canonical JSON the client should render for it, built from the same parameters.
fn large_response() -> (String, Json) {
    let mut body = String::from("{\"deployments\":[");
    let mut expected = Vec::with_capacity(LARGE_DEPLOYMENTS);
    for i in 0..LARGE_DEPLOYMENTS {
        let version = (LARGE_DEPLOYMENTS - i) as i32;
        let state = STATES[i % 4];
        let secs = 1_600_000_000 + i as i64 * 86_400 + (i as i64 * 7_919) % 86_400;
        let millis = (i * 37) % 1000;
        let (wire_ts, canonical_ts) = match i % 3 {
            0 => (secs.to_string(), secs.to_string()),
            1 => {
                let frac = format!("{millis:03}");
                let trimmed = frac.trim_end_matches('0');
                let canonical = if trimmed.is_empty() {
                    secs.to_string()
                } else {
                    format!("{secs}.{trimmed}")
                };
                (format!("{secs}.{frac}"), canonical)
            }
            _ => {
                // d.ddddddddddddE9: all the digits of secs and millis in exponent form.
                let digits = format!("{secs}{millis:03}");
                let wire = format!("{}.{}E{}", &digits[..1], &digits[1..], digits.len() - 4);
                let frac = format!("{millis:03}");
                let trimmed = frac.trim_end_matches('0');
                let canonical = if trimmed.is_empty() {
                    secs.to_string()
                } else {
                    format!("{secs}.{trimmed}")
                };
                (wire, canonical)
            }
        };
        if i > 0 {
            body.push(',');
        }
        let _ = write!(
            body,
            "{{\"version\":{version},\"state\":\"{state}\",\"createdAt\":{wire_ts},\"containers\":{{"
        );
        let mut containers = BTreeMap::new();
        for c in 0..4 {
            let name = format!("container-{c}");
            let image = format!(":svc-{i}.{name}.{version}");
            let command: Vec<String> = vec![
                "/usr/local/bin/run".into(),
                format!("--instance={i}"),
                format!("--container={c}"),
                "--log-format=json".into(),
            ];
            let env: BTreeMap<String, String> = (0..20)
                .map(|k| {
                    (
                        format!("VAR_{k:02}"),
                        format!("value-{i}-{c}-{k}-\"quoted\"-\\u00e9-é-{}", "x".repeat(k)),
                    )
                })
                .collect();
            let ports: BTreeMap<String, &str> = (0..4)
                .map(|p| (format!("{}", 8000 + c * 10 + p), PROTOCOLS[(p + i) % 4]))
                .collect();
            if c > 0 {
                body.push(',');
            }
            let _ = write!(body, "\"{name}\":{{\"image\":\"{image}\",\"command\":[");
            for (n, arg) in command.iter().enumerate() {
                if n > 0 {
                    body.push(',');
                }
                let _ = write!(body, "\"{arg}\"");
            }
            body.push_str("],\"environment\":{");
            for (n, (k, v)) in env.iter().enumerate() {
                if n > 0 {
                    body.push(',');
                }
                // Escape for JSON: `"` and `\` (the value holds a literal backslash-u).
                let escaped = v.replace('\\', "\\\\").replace('"', "\\\"");
                let _ = write!(body, "\"{k}\":\"{escaped}\"");
            }
            body.push_str("},\"ports\":{");
            for (n, (k, v)) in ports.iter().enumerate() {
                if n > 0 {
                    body.push(',');
                }
                let _ = write!(body, "\"{k}\":\"{v}\"");
            }
            body.push_str("}}");
            containers.insert(
                name,
                jobj([
                    ("image", jstr(&image)),
                    (
                        "command",
                        Json::Array(command.iter().map(|s| jstr(s)).collect()),
                    ),
                    (
                        "environment",
                        Json::Object(env.iter().map(|(k, v)| (k.clone(), jstr(v))).collect()),
                    ),
                    (
                        "ports",
                        Json::Object(ports.iter().map(|(k, v)| (k.clone(), jstr(v))).collect()),
                    ),
                ]),
            );
        }
        let port = 8000 + (i % 4) as i32 * 10;
        let _ = write!(
            body,
            "}},\"publicEndpoint\":{{\"containerName\":\"container-{}\",\"containerPort\":{port},\"healthCheck\":{{\"healthyThreshold\":2,\"unhealthyThreshold\":2,\"timeoutSeconds\":2,\"intervalSeconds\":5,\"path\":\"/\",\"successCodes\":\"200-499\"}}}}}}",
            i % 4
        );
        expected.push(jobj([
            ("version", Json::Number(version.to_string())),
            ("state", jstr(state)),
            ("createdAt", jstr(&canonical_ts)),
            ("containers", Json::Object(containers)),
            (
                "publicEndpoint",
                jobj([
                    ("containerName", jstr(&format!("container-{}", i % 4))),
                    ("containerPort", Json::Number(port.to_string())),
                    (
                        "healthCheck",
                        jobj([
                            ("healthyThreshold", Json::Number("2".into())),
                            ("unhealthyThreshold", Json::Number("2".into())),
                            ("timeoutSeconds", Json::Number("2".into())),
                            ("intervalSeconds", Json::Number("5".into())),
                            ("path", jstr("/")),
                            ("successCodes", jstr("200-499")),
                        ]),
                    ),
                ]),
            ),
        ]));
    }
    body.push_str("]}");
    (body, jobj([("deployments", Json::Array(expected))]))
}

#[tokio::test]
async fn large_response_of_a_thousand_deployments() {
    let (body, expected) = large_response();
    assert!(body.len() > 2_000_000, "several MB: {} bytes", body.len());
    let response = Response::json(200, "2b7e4f18-large-0000-0000-000000000001", body.clone());
    let (result, requests) = through_client(response).await;
    assert_eq!(requests.len(), 1);
    let output = result.expect("success");

    let canonical = render::output_json(&output);
    // Compared with the tree built from the generator's parameters, not from the wire.
    assert!(
        canonical == expected,
        "the parsed output differs from the generated one"
    );

    let deployments = output.deployments();
    let mut states: BTreeMap<&str, usize> = BTreeMap::new();
    let mut protocols: BTreeMap<String, usize> = BTreeMap::new();
    let (mut containers, mut env_entries, mut command_args) = (0, 0, 0);
    for d in deployments {
        *states
            .entry(d.state().expect("state").as_str())
            .or_default() += 1;
        for c in d.containers().expect("containers").values() {
            containers += 1;
            env_entries += c.environment().map_or(0, |e| e.len());
            command_args += c.command().len();
            for p in c.ports().expect("ports").values() {
                *protocols.entry(p.as_str().to_owned()).or_default() += 1;
            }
        }
    }
    let rendered = canonical.pretty();
    let first = render::deployment_json(&deployments[0]).pretty();
    let last = render::deployment_json(&deployments[deployments.len() - 1]).pretty();
    let summary = format!(
        "body_bytes: {}\nrequest_id: {}\ndeployments: {}\nstates: {states:?}\ncontainers: {containers}\n\
         command_args: {command_args}\nenvironment_entries: {env_entries}\nports_by_protocol: {protocols:?}\n\
         canonical_bytes: {}\ncanonical_fnv1a64: {:016x}\nfirst_deployment:\n{first}\nlast_deployment:\n{last}\n",
        body.len(),
        output.request_id().unwrap_or("<none>"),
        deployments.len(),
        rendered.len(),
        render::fnv1a64(rendered.as_bytes()),
    );
    insta::with_settings!({
        description => "1,000 generated deployments (large_response in tests/tests/recorded.rs)",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("large_response_summary", summary);
    });
}
