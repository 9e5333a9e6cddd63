//! `cargo xtask test`: every test of the project in one command.
//!
//! Points the tests at the shared data beside the checkout (`../shared`: the official
//! Lightsail model, botocore's partitions and protocol tests) unless the environment
//! already does, then runs `cargo test --workspace` and the cross-checks that live outside
//! cargo (the botocore differential, the AWS CLI check), when they are present.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Shared data the tests read, by environment variable, relative to `../shared`.
const SHARED_DATA: &[(&str, &str)] = &[
    ("LIGHTSAIL_OFFICIAL_MODEL", "models/lightsail.json"),
    ("PARTITIONS_JSON", "endpoints/partitions.json"),
    ("PROTOCOL_TESTS_DIR", "protocol-tests/botocore"),
    ("AWS_MODELS_DIR", "models/aws"),
    ("AWS_CONFIG_TEST_DATA", "aws-config-tests"),
];

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    if let Some(arg) = args.first() {
        eprintln!("error: `cargo xtask test` takes no arguments, got `{arg}`");
        return ExitCode::from(2);
    }
    let shared = root.join("../shared");
    let mut env = Vec::new();
    for (var, rel) in SHARED_DATA {
        if std::env::var_os(var).is_none() {
            let path = shared.join(rel);
            if path.exists() {
                env.push((*var, path));
            } else {
                eprintln!(
                    "note: {var} is not set and {} does not exist; those tests are skipped",
                    path.display()
                );
            }
        }
    }
    let mut steps: Vec<(&str, Command)> = Vec::new();
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo.args(["test", "--workspace"]);
    steps.push(("cargo test --workspace", cargo));
    let differential = root.join("tests/differential/diff_botocore.py");
    if differential.exists() {
        let mut py = Command::new("python3");
        py.arg(&differential);
        steps.push(("botocore differential", py));
    }
    let cli_check = root.join("examples/demo/aws_cli_check.sh");
    if cli_check.exists() {
        let mut sh = Command::new("bash");
        sh.arg(&cli_check);
        steps.push(("AWS CLI against the demo endpoint", sh));
    }
    let (mut passed, mut failed) = (0, 0);
    for (name, mut command) in steps {
        eprintln!("==> {name}");
        command
            .current_dir(root)
            .envs(env.iter().map(|(k, v)| (k, v.as_os_str())));
        match command.status() {
            Ok(status) if status.success() => passed += 1,
            Ok(status) => {
                eprintln!("==> {name} failed ({status})");
                failed += 1;
            }
            Err(e) => {
                eprintln!("==> {name} could not start: {e}");
                failed += 1;
            }
        }
    }
    println!("steps: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
