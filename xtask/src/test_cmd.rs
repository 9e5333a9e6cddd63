//! `cargo xtask test`: every test of the project in one command.
//!
//! Points the tests at the shared data beside the checkout (`../shared`: the official
//! Lightsail model, botocore's partitions and protocol tests) unless the environment
//! already does, then runs `cargo test --workspace`, a fixed-seed fuzz run, and the
//! cross-checks that live outside cargo (the botocore differential and its self-test, the
//! AWS CLI check).
//!
//! Skips are loud: a step whose tool or data is missing is reported as skipped, with the
//! reason, in the last line ("N steps passed, M skipped (why), K failed"), and under
//! `CI=true` a skipped step fails the run, since CI must run everything.

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

/// The fuzz run of every `cargo xtask test`: fixed seed and count (about 55 s in a debug
/// build on this 2-core machine), so a failure reproduces with `--only I`.
const FUZZ_SEED: &str = "20161128";
const FUZZ_INPUTS: &str = "40000";

/// Exit status a check script uses for "skipped" (the automake convention).
const SKIP_STATUS: i32 = 77;

/// What happened to one step.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

struct Step {
    name: &'static str,
    command: Command,
    /// Why the step cannot run here (decided before running it).
    skip: Option<String>,
}

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    if let Some(arg) = args.first() {
        eprintln!("error: `cargo xtask test` takes no arguments, got `{arg}`");
        return ExitCode::from(2);
    }
    let shared = root.join("../shared");
    let mut env = Vec::new();
    let mut missing_data = Vec::new();
    for (var, rel) in SHARED_DATA {
        if std::env::var_os(var).is_none() {
            let path = shared.join(rel);
            if path.exists() {
                env.push((*var, path));
            } else {
                eprintln!(
                    "note: {var} is not set and {} does not exist; the tests that need it \
                     print SKIPPED (and fail under CI=true)",
                    path.display()
                );
                missing_data.push(*var);
            }
        }
    }
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut steps = Vec::new();

    let mut cargo = Command::new(&cargo_bin);
    cargo.args(["test", "--workspace"]);
    steps.push(Step {
        name: "cargo test --workspace",
        command: cargo,
        // The tests themselves skip loudly (or fail under CI); the step reports it too.
        skip: None,
    });

    // The binaries the later steps run were built by `cargo test --workspace` (cargo builds
    // a package's binaries for its integration tests). Building them again with
    // `cargo run -p ..` would resolve the packages' features differently and compile the
    // generated crate and the runtime once more.
    let bins = crate::demo_cmd::debug_bin_dir(root);
    let mut fuzz = Command::new(bins.join("fuzz_parser"));
    fuzz.args(["--seed", FUZZ_SEED, "--iterations", FUZZ_INPUTS]);
    steps.push(Step {
        name: "fuzz_parser (fixed seed and count)",
        command: fuzz,
        skip: None,
    });

    let differential = root.join("tests/differential/diff_botocore.py");
    let no_botocore = (!python_has("botocore"))
        .then(|| "python3 with botocore is not installed (.ci/run installs it)".to_string());
    let parse_response = bins.join("parse_response");
    let mut py = Command::new("python3");
    py.arg(&differential).arg("--bin").arg(&parse_response);
    steps.push(Step {
        name: "botocore differential",
        command: py,
        skip: no_botocore.clone(),
    });
    let mut self_test = Command::new("python3");
    self_test
        .arg(&differential)
        .arg("--self-test")
        .arg("--bin")
        .arg(&parse_response);
    steps.push(Step {
        name: "botocore differential --self-test",
        command: self_test,
        skip: no_botocore,
    });

    let mut sh = Command::new("bash");
    sh.arg(root.join("examples/demo/aws_cli_check.sh"))
        .env("BIN_DIR", &bins);
    steps.push(Step {
        name: "AWS CLI and get_deployments against the demo endpoint",
        command: sh,
        // The script decides (it exits 77 when `aws` is missing, 1 under CI).
        skip: None,
    });

    let mut outcomes = Vec::new();
    for mut step in steps {
        eprintln!("==> {}", step.name);
        let outcome = if let Some(why) = step.skip.take() {
            eprintln!("==> {}: SKIPPED: {why}", step.name);
            Outcome::Skipped(why)
        } else {
            step.command
                .current_dir(root)
                .envs(env.iter().map(|(k, v)| (k, v.as_os_str())));
            match step.command.status() {
                Ok(status) if status.success() => Outcome::Passed,
                Ok(status) if status.code() == Some(SKIP_STATUS) => {
                    Outcome::Skipped("the script reported a skip (see its output)".into())
                }
                Ok(status) => Outcome::Failed(status.to_string()),
                Err(e) => Outcome::Failed(format!("could not start: {e}")),
            }
        };
        if let Outcome::Failed(why) = &outcome {
            eprintln!("==> {} failed ({why})", step.name);
        }
        outcomes.push((step.name, outcome));
    }
    if !missing_data.is_empty() {
        outcomes.push((
            "shared test data",
            Outcome::Skipped(format!("not found: {}", missing_data.join(", "))),
        ));
    }
    let (line, ok) = summary(&outcomes, is_ci());
    println!("{line}");
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `cargo xtask protocol-results`: runs the protocol-test driver with
/// `PROTOCOL_RESULTS_WRITE=1`, the only way `protocol-tests/RESULTS.md` is written (a plain
/// `cargo test` fails when it is stale).
pub fn protocol_results(root: &Path, args: &[String]) -> ExitCode {
    if let Some(arg) = args.first() {
        eprintln!("error: `cargo xtask protocol-results` takes no arguments, got `{arg}`");
        return ExitCode::from(2);
    }
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .args(["test", "-p", "protocol-tests", "--test", "driver"])
        .env("PROTOCOL_RESULTS_WRITE", "1")
        .current_dir(root);
    if std::env::var_os("PROTOCOL_TESTS_DIR").is_none() {
        let dir = root.join("../shared/protocol-tests/botocore");
        if !dir.exists() {
            eprintln!(
                "error: PROTOCOL_TESTS_DIR is not set and {} does not exist",
                dir.display()
            );
            return ExitCode::from(2);
        }
        cargo.env("PROTOCOL_TESTS_DIR", dir);
    }
    match cargo.status() {
        Ok(status) if status.success() => {
            println!("wrote protocol-tests/RESULTS.md");
            ExitCode::SUCCESS
        }
        Ok(status) => {
            eprintln!("error: the protocol tests failed ({status}); RESULTS.md was still written");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: could not run cargo: {e}");
            ExitCode::from(1)
        }
    }
}

/// The last line of the run and whether it succeeded: nothing failed, and under CI
/// nothing was skipped either.
fn summary(outcomes: &[(&str, Outcome)], ci: bool) -> (String, bool) {
    let passed = outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::Passed)
        .count();
    let skipped: Vec<String> = outcomes
        .iter()
        .filter_map(|(name, o)| match o {
            Outcome::Skipped(why) => Some(format!("{name}: {why}")),
            _ => None,
        })
        .collect();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter_map(|(name, o)| matches!(o, Outcome::Failed(_)).then_some(*name))
        .collect();
    let mut line = format!("{passed} steps passed, {} skipped", skipped.len());
    if !skipped.is_empty() {
        line.push_str(&format!(" ({})", skipped.join("; ")));
    }
    line.push_str(&format!(", {} failed", failed.len()));
    if !failed.is_empty() {
        line.push_str(&format!(" ({})", failed.join(", ")));
    }
    if ci && !skipped.is_empty() {
        line.push_str("; CI=true: a skipped step is a failure");
    }
    let ok = failed.is_empty() && (!ci || skipped.is_empty());
    (line, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_and_names_skips() {
        let outcomes = [
            ("a", Outcome::Passed),
            ("b", Outcome::Skipped("no aws".into())),
            ("c", Outcome::Passed),
        ];
        let (line, ok) = summary(&outcomes, false);
        assert_eq!(line, "2 steps passed, 1 skipped (b: no aws), 0 failed");
        assert!(ok);
    }

    #[test]
    fn a_skip_fails_under_ci() {
        let outcomes = [("a", Outcome::Passed), ("b", Outcome::Skipped("x".into()))];
        let (line, ok) = summary(&outcomes, true);
        assert!(!ok);
        assert!(
            line.ends_with("CI=true: a skipped step is a failure"),
            "{line}"
        );
        let (_, ok) = summary(&[("a", Outcome::Passed)], true);
        assert!(ok);
    }

    #[test]
    fn a_failure_fails() {
        let outcomes = [("a", Outcome::Failed("exit status: 1".into()))];
        let (line, ok) = summary(&outcomes, false);
        assert!(!ok);
        assert_eq!(line, "0 steps passed, 0 skipped, 1 failed (a)");
    }
}
