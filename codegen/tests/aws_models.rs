//! Every AWS model in `AWS_MODELS_DIR` (CI points it at `../shared/models/aws`) through the
//! generator, as a user would run it on any service AWS publishes:
//!
//! - awsJson1_0 / awsJson1_1 models generate with every operation, under the crate name
//!   aws-sdk-rust would use (from `sdkId`), compile with clippy `-D warnings` with all
//!   features and with one operation's feature alone, and pass their own endpoint tests;
//! - the DynamoDB, SQS, KMS and CloudWatch Logs crates call `moto_server` (a real server
//!   nobody here wrote) from the `moto-interop` crate of the same workspace, whose sources
//!   are `tests/moto_interop/` (see its `lib.rs`), so the generated crates compile once;
//! - models of other protocols (STS's awsQuery, SSO's restJson1) are refused with an error
//!   that names the service and the protocol, never a panic.
//!
//! The models are read from the shared directory and never copied into the project.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::ir::{EndpointExpect, EndpointParam, EndpointTest};
use codegen::{
    default_crate_name, generate, resolve, GeneratedFile, Model, OperationSelection, Settings,
};
use support::{cargo, libtest_failures, workspace_root, write_workspace};

mod support;

const AWS_JSON: [&str; 2] = ["aws.protocols#awsJson1_0", "aws.protocols#awsJson1_1"];

/// Endpoint tests whose expectation disagrees with the partition data we resolve against
/// (`partitions.json` as shipped in botocore): the models' tests were written before the
/// `aws-iso` and `aws-iso-b` partitions gained dual-stack endpoints (`api.aws.ic.gov`,
/// `api.aws.scloud`), so they expect "this partition does not support" errors where the
/// rules now resolve. Chosen by that rule, not by name; each must still FAIL, so the rule is
/// dropped once the models catch up with the data.
fn predates_iso_dual_stack(test: &EndpointTest) -> bool {
    let param = |name: &str| test.params.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let iso_region = matches!(param("Region"),
        Some(EndpointParam::String(r)) if r.starts_with("us-iso-") || r.starts_with("us-isob-"));
    let dual_stack = param("UseDualStack") == Some(&EndpointParam::Bool(true));
    let expects_unsupported = matches!(&test.expect,
        EndpointExpect::Error(message) if message.contains("partition does not support"));
    iso_region && dual_stack && expects_unsupported
}

/// The endpoint tests of a generated crate that check an `operationInputs` entry only through
/// the case's `params`, not as a call (the generator notes why in the test's docs), other
/// than for operations left out of the crate (event streams). Every other entry must be
/// checked as a call: DynamoDB's `operationContextParams` and `contextParam` cases included.
fn unchecked_operation_inputs(files: &[GeneratedFile]) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.path == "src/endpoint.rs")
        .flat_map(|f| f.contents.lines())
        .filter(|line| line.contains("is not checked as a call"))
        .filter(|line| !line.contains("the operation is not generated"))
        .map(|line| line.trim().to_string())
        .collect()
}

/// The models to run, sorted by file name; `None` (with a visible line) outside CI when the
/// directory is not configured, a failure in CI.
fn model_files() -> Option<Vec<PathBuf>> {
    let Some(dir) = std::env::var_os("AWS_MODELS_DIR") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "AWS_MODELS_DIR is not set: CI must point it at ../shared/models/aws"
        );
        // Straight to stderr: libtest captures `eprintln!`, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED aws_models: AWS_MODELS_DIR is not set (point it at ../shared/models/aws)"
        );
        return None;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", PathBuf::from(&dir).display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no models in {}",
        PathBuf::from(&dir).display()
    );
    Some(files)
}

/// The service shape's protocol trait, if it has one of the AWS protocol traits.
fn protocol(model: &Model) -> Option<String> {
    model.shapes.values().find_map(|shape| {
        let traits = shape.get("traits")?.as_object()?;
        (shape.get("type")?.as_str()? == "service")
            .then(|| {
                traits
                    .keys()
                    .find(|k| k.starts_with("aws.protocols#"))
                    .cloned()
            })
            .flatten()
    })
}

/// The first operation feature of a generated crate's `Cargo.toml` (after `full`).
fn first_operation_feature(files: &[GeneratedFile]) -> String {
    let manifest = files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("Cargo.toml");
    let features = manifest
        .contents
        .split("[features]")
        .nth(1)
        .expect("a [features] table");
    features
        .lines()
        .filter_map(|l| l.split_once(" = []"))
        .map(|(name, _)| name.trim().to_string())
        .find(|name| !name.is_empty())
        .expect("an operation feature")
}

/// `(crate, unit-test executable)` of every library of the workspace, from cargo's artifact
/// messages (already built: nothing is compiled).
fn unit_test_executables(dir: &Path, target: &Path) -> Vec<(String, PathBuf)> {
    let out = cargo(
        dir,
        target,
        &[
            "test",
            "--quiet",
            "--workspace",
            "--lib",
            "--no-run",
            "--message-format=json",
        ],
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter_map(|m| {
            let name = m["target"]["name"].as_str()?.replace('_', "-");
            let executable = m["executable"].as_str()?;
            Some((name, PathBuf::from(executable)))
        })
        .collect()
}

/// The generated crates the moto interop calls, under their `sdkId` names.
const MOTO_SERVICES: [&str; 4] = ["cloudwatchlogs", "dynamodb", "kms", "sqs"];

/// The `moto-interop` crate of the generated workspace: every file of `tests/moto_interop/`
/// under `src/`, as a library whose tests call `moto_server` through the generated crates.
fn moto_interop_crate(generated: &[&str]) -> (String, Vec<GeneratedFile>) {
    for service in MOTO_SERVICES {
        assert!(
            generated.contains(&service),
            "the moto interop needs the `{service}` crate: AWS_MODELS_DIR must hold the \
             DynamoDB, SQS, KMS and CloudWatch Logs models (generated: {generated:?})"
        );
    }
    let deps: String = MOTO_SERVICES
        .iter()
        .map(|name| format!("{name} = {{ path = \"../{name}\" }}\n"))
        .collect();
    let manifest = format!(
        "[package]\nname = \"moto-interop\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[lib]\npath = \"src/lib.rs\"\n\n[dev-dependencies]\n{deps}\
         awsjson-test-support = {{ path = \"../../../test-support\" }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/moto_interop");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    sources.sort();
    let mut files = vec![GeneratedFile {
        path: "Cargo.toml".into(),
        contents: manifest,
    }];
    for source in sources {
        let name = source.file_name().expect("name").to_string_lossy();
        files.push(GeneratedFile {
            path: format!("src/{name}"),
            contents: std::fs::read_to_string(&source)
                .unwrap_or_else(|e| panic!("read {}: {e}", source.display())),
        });
    }
    ("moto-interop".to_string(), files)
}

#[test]
fn every_shared_aws_model_generates_compiles_and_passes_its_endpoint_tests() {
    let Some(files) = model_files() else { return };
    let mut crates = Vec::new();
    let mut refused = Vec::new();
    let mut mismatches: Vec<(String, String)> = Vec::new();
    let mut operation_input_checks = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read model");
        let model = Model::from_json(&text)
            .unwrap_or_else(|e| panic!("{}: the model must parse: {e}", path.display()));
        let protocol = protocol(&model).unwrap_or_default();
        let settings = Settings {
            crate_name: default_crate_name(&model)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            runtime_path: "../../../runtime".into(),
            operations: OperationSelection::All,
            operation_features: true,
            command: "cargo test -p codegen --test aws_models".into(),
            model_description: format!("{}", path.display()),
            ..Settings::default()
        };
        let result = generate(&model, &settings);
        if AWS_JSON.contains(&protocol.as_str()) {
            let files = result.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let unchecked = unchecked_operation_inputs(&files);
            assert!(
                unchecked.is_empty(),
                "{}: endpoint test inputs not checked as calls:\n{}",
                path.display(),
                unchecked.join("\n")
            );
            let service =
                resolve(&model, &OperationSelection::All).expect("resolves as it generated");
            // One call check per `operationInputs` entry of a generated operation.
            let expected: usize = service
                .endpoint_tests
                .iter()
                .flat_map(|t| &t.operation_inputs)
                .filter(|i| service.operations.iter().any(|o| o.name == i.operation))
                .count();
            let emitted: usize = files
                .iter()
                .filter(|f| f.path == "src/endpoint.rs")
                .map(|f| f.contents.matches("operation_params(").count())
                .sum();
            assert_eq!(emitted, expected, "{}: call checks", path.display());
            operation_input_checks += emitted;
            for test in service
                .endpoint_tests
                .iter()
                .filter(|t| predates_iso_dual_stack(t))
            {
                mismatches.push((
                    settings.crate_name.clone(),
                    format!("endpoint::tests::{}", test.fn_name),
                ));
            }
            crates.push((settings.crate_name, files));
        } else {
            let err = result
                .err()
                .unwrap_or_else(|| panic!("{}: {protocol} must be refused", path.display()))
                .to_string();
            assert!(
                err.contains(&protocol) && err.contains("is not supported"),
                "{}: the error must name the protocol: {err}",
                path.display()
            );
            refused.push(
                path.file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    eprintln!(
        "aws_models: {} generated ({}), {} refused by protocol ({})",
        crates.len(),
        crates
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        refused.len(),
        refused.join(", ")
    );
    assert!(!crates.is_empty(), "no awsJson model among {files:?}");
    eprintln!("aws_models: {operation_input_checks} endpoint test inputs checked as calls");

    let features: Vec<(String, String)> = crates
        .iter()
        .map(|(name, files)| (name.clone(), first_operation_feature(files)))
        .collect();
    let names: Vec<&str> = crates.iter().map(|(n, _)| n.as_str()).collect();
    let interop = moto_interop_crate(&names);
    crates.push(interop);
    let root = workspace_root();
    let dir = root.join("target/aws-models");
    write_workspace(&dir, &crates);
    let target = root.join("target/generated-crates-target");
    cargo(
        &dir,
        &target,
        &[
            "clippy",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    );
    for (name, feature) in &features {
        cargo(
            &dir,
            &target,
            &[
                "clippy",
                "--quiet",
                "-p",
                name,
                "--no-default-features",
                "--features",
                feature,
                "--",
                "-D",
                "warnings",
            ],
        );
    }
    // `--lib`: every crate's unit tests (the endpoint tests) and the interop's, without the
    // doctests or a second, non-test build of the crates nothing depends on; the generated
    // lightsail crate and the golden crates run the same doc examples' template.
    let mut test = vec!["test", "--quiet", "--workspace", "--lib", "--"];
    for (_, name) in &mismatches {
        test.extend(["--skip", name.as_str()]);
    }
    let tested = cargo(&dir, &target, &test);
    // The interop's skip lines (no moto_server, outside CI) must be seen, not swallowed.
    for line in String::from_utf8_lossy(&tested.stderr)
        .lines()
        .filter(|l| l.starts_with("SKIPPED"))
    {
        let _ = writeln!(std::io::stderr(), "aws_models: {line}");
    }
    // The excused tests must still fail, every one of them. They run from the test
    // executables just built: `cargo test -p <crate>` would resolve the runtime's features
    // for that crate alone and rebuild both.
    let executables = unit_test_executables(&dir, &target);
    for (krate, _) in &crates {
        let names: Vec<&str> = mismatches
            .iter()
            .filter(|(k, _)| k == krate)
            .map(|(_, n)| n.as_str())
            .collect();
        if names.is_empty() {
            continue;
        }
        let executable = executables
            .iter()
            .find(|(name, _)| name == krate)
            .map(|(_, path)| path)
            .unwrap_or_else(|| panic!("no unit-test executable for {krate}"));
        let out = Command::new(executable)
            .arg("--exact")
            .args(&names)
            .output()
            .expect("run the unit-test executable");
        let failed = libtest_failures(&String::from_utf8_lossy(&out.stdout));
        assert_eq!(
            failed,
            names.len(),
            "{krate}: every test excused for predating iso dual-stack must still fail; \
             drop the rule once they pass"
        );
    }
    eprintln!(
        "aws_models: {} endpoint tests excused (iso dual-stack data)",
        mismatches.len()
    );
}
