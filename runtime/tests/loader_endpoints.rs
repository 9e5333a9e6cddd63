//! The loader's hand-written STS / SSO / SSO OIDC endpoint resolvers against the services' real
//! rule sets, evaluated by the runtime's rules engine over a grid of regions (every partition)
//! and FIPS / dual-stack / custom endpoint settings: same URL, or an error from both.
//!
//! The models are read from `AWS_SERVICE_MODELS_DIR`, else `<AWS_CONFIG_TEST_DATA>/../models/aws`
//! (the shared data beside the checkout); without either the test prints a skip line, and
//! fails under `CI=true`.
#![cfg(feature = "config-loader")]

use std::path::{Path, PathBuf};

use awsjson_runtime::endpoint::{BuiltIns, RuleSet};
use awsjson_runtime::loader::endpoints::{resolve, Service};

fn models_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("AWS_SERVICE_MODELS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("AWS_CONFIG_TEST_DATA")
                .map(|d| PathBuf::from(d).join("..").join("models").join("aws"))
        })
        .filter(|d| d.join("sts.json").is_file());
    if dir.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the STS/SSO models must be available in CI (AWS_CONFIG_TEST_DATA/../models/aws)"
        );
        eprintln!("SKIPPED loader_endpoints: set AWS_SERVICE_MODELS_DIR to ../shared/models/aws");
    }
    dir
}

fn rule_set(dir: &Path, file: &str) -> RuleSet {
    let text = std::fs::read_to_string(dir.join(file)).expect("model");
    let model: serde_json::Value = serde_json::from_str(&text).expect("model JSON");
    let service = model["shapes"]
        .as_object()
        .expect("shapes")
        .values()
        .find(|s| s["type"] == "service")
        .expect("a service shape");
    let rules = &service["traits"]["smithy.rules#endpointRuleSet"];
    RuleSet::from_json(&rules.to_string()).expect("rule set loads")
}

const REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-central-1",
    "ap-southeast-2",
    "cn-north-1",
    "us-gov-west-1",
    "us-gov-east-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-south-1",
    "eusc-de-east-1",
    "xx-future-1",
];

#[test]
fn hand_written_resolvers_match_the_rule_sets() {
    let Some(dir) = models_dir() else { return };
    let mut compared = 0;
    for (file, service) in [
        ("sts.json", Service::Sts),
        ("sso.json", Service::Sso),
        ("sso-oidc.json", Service::SsoOidc),
    ] {
        let rules = rule_set(&dir, file);
        let mut regions: Vec<&str> = REGIONS.to_vec();
        if service == Service::Sts {
            regions.push("aws-global");
        }
        for region in regions {
            for fips in [false, true] {
                for dual in [false, true] {
                    for endpoint in [None, Some("https://custom.example.com")] {
                        let built_ins = BuiltIns {
                            region: Some(region.to_owned()),
                            use_fips: fips,
                            use_dual_stack: dual,
                            endpoint: endpoint.map(str::to_owned),
                            ..BuiltIns::default()
                        };
                        let expected = rules
                            .resolve(&rules.params_from_builtins(&built_ins))
                            .map(|e| e.url);
                        let actual = resolve(service, Some(region), fips, dual, endpoint);
                        match (&expected, &actual) {
                            (Ok(e), Ok(a)) => assert_eq!(e, a, "{file} {region} fips={fips} dual={dual} endpoint={endpoint:?}"),
                            (Err(_), Err(_)) => {}
                            _ => panic!(
                                "{file} {region} fips={fips} dual={dual} endpoint={endpoint:?}: rule set {expected:?}, hand-written {actual:?}"
                            ),
                        }
                        compared += 1;
                    }
                }
            }
        }
    }
    assert!(compared > 300, "{compared}");
}
