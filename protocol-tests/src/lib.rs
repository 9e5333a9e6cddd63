//! botocore's AWS JSON protocol tests, run through the real generator and runtime.
//!
//! For each suite file (`awsjson1_0-input.json`, ...) the driver
//! 1. converts the suites to Smithy JSON AST models ([`convert`]; one model per file
//!    unless suites conflict),
//! 2. generates a crate per model with [`codegen::generate`],
//! 3. emits one `#[test]` per case ([`emit`]) into a harness crate that depends on the
//!    generated crates and on `protocol-test-support` (loopback server, checks),
//! 4. runs `cargo test` on the harness in a workspace under `target/protocol-tests/`
//!    (its own target dir there, so builds are cached), and
//! 5. maps the results back to the cases and writes `RESULTS.md`.
//!
//! Failing cases fail the driver test unless listed in [`KNOWN_FAILURES`] with a reason;
//! a listed case that passes fails it too, so the list only shrinks.

pub mod convert;
pub mod emit;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::convert::{group_suites, parse_suites, Suite};
use crate::emit::{CaseKind, Emitter};

/// The suite files, in report order.
pub const FILES: &[&str] = &[
    "awsjson1_0-input",
    "awsjson1_0-output",
    "awsjson1_1-input",
    "awsjson1_1-output",
];

/// Cases that do not apply to this client: `(file, case id, reason)`. They are not run.
pub const NOT_APPLICABLE: &[(&str, &str, &str)] = &[];

/// Cases known to fail, with the reason: `(file, case id, reason)`. These are the
/// generator/runtime gaps; remove an entry when its case passes (the driver fails
/// while a listed case passes).
pub const KNOWN_FAILURES: &[(&str, &str, &str)] = &[];

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Passed.
    Passed,
    /// Failed, with the reason.
    Failed(String),
    /// Not run: not applicable to a client.
    NotApplicable(String),
}

/// One case and how it went.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Suite file (`awsjson1_0-input`).
    pub file: String,
    /// botocore case id.
    pub id: String,
    /// Test function (`module::function`) in the harness, when emitted.
    pub test: Option<String>,
    /// The outcome.
    pub outcome: Outcome,
}

/// Paths the driver uses.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The project workspace root.
    pub root: PathBuf,
    /// The botocore suite files.
    pub data: PathBuf,
    /// The harness workspace (generated crates + harness crate).
    pub work: PathBuf,
    /// The harness's cargo target dir.
    pub target: PathBuf,
}

impl Layout {
    /// The default layout under `<target>/protocol-tests/`.
    pub fn new(root: &Path, data: &Path) -> Layout {
        let target_base = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|p| if p.is_absolute() { p } else { root.join(p) })
            .unwrap_or_else(|| root.join("target"));
        Layout {
            root: root.to_path_buf(),
            data: data.to_path_buf(),
            work: target_base.join("protocol-tests").join("work"),
            // The target dir every generated-crate workspace of the tests shares (codegen's
            // golden, official-model and AWS-model tests): same lock file and profile, so
            // the dependencies compile once for all of them.
            target: target_base.join("generated-crates-target"),
        }
    }
}

/// Writes `contents` to `path` unless it already holds exactly that (keeps mtimes, so
/// cargo does not rebuild unchanged crates).
fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("creating {}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Removes files under `dir` that are not in `keep` (stale generated files).
fn remove_stale(dir: &Path, keep: &BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_stale(&path, keep);
        } else if !keep.contains(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

fn case_kind(case: &Value) -> CaseKind {
    if case.get("serialized").is_some() {
        CaseKind::Input
    } else if case.get("errorCode").is_some() || case.get("error").is_some() {
        CaseKind::Error
    } else {
        CaseKind::Output
    }
}

/// A snake_case test function name for a case id, unique in `taken`.
fn test_fn_name(id: &str, taken: &mut BTreeSet<String>) -> String {
    let base = codegen::naming::plain_ident(id);
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// One crate to build: its name, model, suites and the cases' test names.
struct CrateSpec {
    file: String,
    name: String,
    suite_indexes: Vec<usize>,
    model: Value,
}

/// Generates everything and runs the harness; returns the per-case results.
pub fn run(layout: &Layout) -> Result<Vec<CaseResult>, String> {
    let mut results: Vec<CaseResult> = Vec::new();
    let mut crates: Vec<(CrateSpec, Vec<codegen::GeneratedFile>, String)> = Vec::new();
    let runtime = layout.root.join("runtime");

    for file in FILES {
        let path = layout.data.join(format!("{file}.json"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        let suites = parse_suites(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut specs = Vec::new();
        for (g, group) in group_suites(&suites)?.into_iter().enumerate() {
            let model = group.to_smithy()?;
            specs.push((group.suites.clone(), model, g));
        }
        let base = file.replace('-', "_");
        let mut pending: Vec<CrateSpec> = specs
            .into_iter()
            .map(|(suite_indexes, model, g)| CrateSpec {
                file: file.to_string(),
                name: if g == 0 {
                    format!("pt_{base}")
                } else {
                    format!("pt_{base}_{g}")
                },
                suite_indexes,
                model,
            })
            .collect();
        let mut extra = 0;
        while let Some(spec) = pending.pop() {
            match build_crate(&spec, &runtime, &suites) {
                Ok((files, module)) => crates.push((spec, files, module)),
                Err(err) if spec.suite_indexes.len() > 1 => {
                    // Isolate the suite(s) the generator rejects: one crate per suite.
                    let _ = err;
                    for &i in &spec.suite_indexes {
                        extra += 1;
                        let group = group_suites(std::slice::from_ref(&suites[i]))?.remove(0);
                        pending.push(CrateSpec {
                            file: file.to_string(),
                            name: format!("{}_s{extra}", spec.name),
                            suite_indexes: vec![i],
                            model: group.to_smithy()?,
                        });
                    }
                }
                Err(err) => {
                    for case in &suites[spec.suite_indexes[0]].cases {
                        results.push(CaseResult {
                            file: file.to_string(),
                            id: case_id(case),
                            test: None,
                            outcome: Outcome::Failed(err.clone()),
                        });
                    }
                }
            }
        }
    }
    crates.sort_by(|a, b| a.0.name.cmp(&b.0.name));

    // Emit the harness.
    let mut keep = BTreeSet::new();
    let mut members = Vec::new();
    let mut harness_deps = String::new();
    let mut lib_rs = String::from(
        "//! Generated by protocol-tests: one module per generated crate, one test per case.\n\n",
    );
    let mut emitted: Vec<CaseResult> = Vec::new();
    for (spec, files, module) in &crates {
        let dir = layout.work.join(&spec.name);
        for f in files {
            let p = dir.join(&f.path);
            write_if_changed(&p, &f.contents)?;
            keep.insert(p);
        }
        let model_path = layout
            .work
            .join("models")
            .join(format!("{}.json", spec.name));
        write_if_changed(
            &model_path,
            &serde_json::to_string_pretty(&spec.model).map_err(|e| e.to_string())?,
        )?;
        keep.insert(model_path);
        members.push(format!("\"{}\"", spec.name));
        let _ = writeln!(
            harness_deps,
            "{} = {{ path = \"../{}\" }}",
            spec.name, spec.name
        );
        let _ = writeln!(lib_rs, "#[cfg(test)]\nmod {};", spec.name);
        let p = layout
            .work
            .join("harness/src")
            .join(format!("{}.rs", spec.name));
        write_if_changed(&p, module)?;
        keep.insert(p);
        for (id, test, err) in module_cases(module) {
            emitted.push(CaseResult {
                file: spec.file.clone(),
                id,
                test: test.map(|t| format!("{}::{t}", spec.name)),
                outcome: match err {
                    Some(e) => Outcome::Failed(e),
                    None => Outcome::Passed,
                },
            });
        }
    }
    let support = layout.root.join("protocol-tests/support");
    let harness_toml = format!(
        "[package]\nname = \"pt-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\ndoctest = false\n\n[dependencies]\nsupport = {{ package = \"protocol-test-support\", path = {:?} }}\n{harness_deps}",
        support.display().to_string()
    );
    let p = layout.work.join("harness/Cargo.toml");
    write_if_changed(&p, &harness_toml)?;
    keep.insert(p);
    let p = layout.work.join("harness/src/lib.rs");
    write_if_changed(&p, &lib_rs)?;
    keep.insert(p);
    let workspace_toml = format!(
        "# Generated by protocol-tests. DO NOT EDIT.\n[workspace]\nresolver = \"2\"\nmembers = [\"harness\", {}]\n\n[profile.dev]\ndebug = false\n",
        members.join(", ")
    );
    let p = layout.work.join("Cargo.toml");
    write_if_changed(&p, &workspace_toml)?;
    keep.insert(p);
    // The project's lock file pins the same dependency versions as the main build.
    let lock = std::fs::read_to_string(layout.root.join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let lock_path = layout.work.join("Cargo.lock");
    write_if_changed(&lock_path, &lock)?;
    keep.insert(lock_path);
    remove_stale(&layout.work, &keep);

    // Run.
    let run = run_cargo(layout)?;
    for mut case in emitted {
        if let (Some(test), Outcome::Passed) = (&case.test, &case.outcome) {
            case.outcome = match run.get(test) {
                Some(TestStatus::Ok) => Outcome::Passed,
                Some(TestStatus::Failed(reason)) => Outcome::Failed(reason.clone()),
                None => Outcome::Failed(match &run.build_error {
                    Some(e) => format!("the harness did not build: {e}"),
                    None => "the test did not run".into(),
                }),
            };
        }
        results.push(case);
    }
    // Not-applicable cases.
    for &(file, id, reason) in NOT_APPLICABLE {
        results.push(CaseResult {
            file: file.into(),
            id: id.into(),
            test: None,
            outcome: Outcome::NotApplicable(reason.into()),
        });
    }
    results.sort_by(|a, b| {
        (FILES.iter().position(|f| *f == a.file), &a.id)
            .cmp(&(FILES.iter().position(|f| *f == b.file), &b.id))
    });
    Ok(results)
}

fn case_id(case: &Value) -> String {
    case.get("id")
        .and_then(Value::as_str)
        .unwrap_or("(no id)")
        .to_string()
}

/// Generates the crate of `spec` and emits its test module.
fn build_crate(
    spec: &CrateSpec,
    runtime: &Path,
    suites: &[Suite],
) -> Result<(Vec<codegen::GeneratedFile>, String), String> {
    let model: codegen::Model = codegen::Model::from_json(&spec.model.to_string())
        .map_err(|e| format!("the converted model does not load: {e}"))?;
    let settings = codegen::Settings {
        crate_name: spec.name.clone(),
        crate_version: "0.0.0".into(),
        runtime_path: runtime.display().to_string(),
        operations: codegen::OperationSelection::All,
        operation_features: false,
        command: "cargo test -p protocol-tests".into(),
        model_description: format!("botocore protocol tests {}", spec.file),
    };
    let files = codegen::generate(&model, &settings)
        .map_err(|e| format!("the generator rejected the model: {e}"))?;
    let service = codegen::resolve(&model, &codegen::OperationSelection::All)
        .map_err(|e| format!("the generator rejected the model: {e}"))?;
    let emitter = Emitter::new(&service, &spec.name);
    let mut module = format!(
        "//! Cases of {} (suites {:?}). Generated by protocol-tests.\n#![allow(clippy::all, unused_imports)]\n\n",
        spec.file, spec.suite_indexes
    );
    module.push_str(&emitter.render_functions()?);
    let mut taken = BTreeSet::new();
    for &i in &spec.suite_indexes {
        for case in &suites[i].cases {
            let id = case_id(case);
            if NOT_APPLICABLE
                .iter()
                .any(|(f, c, _)| *f == spec.file && *c == id)
            {
                continue;
            }
            let name = test_fn_name(&id, &mut taken);
            match emitter.case(&name, case, case_kind(case)) {
                Ok(code) => {
                    let _ = writeln!(module, "// case: {id} -> {name}\n{code}");
                }
                Err(e) => {
                    let _ = writeln!(
                        module,
                        "// case: {id} -> (not emitted) {}\n",
                        e.replace('\n', " ")
                    );
                }
            }
        }
    }
    Ok((files, module))
}

/// `(case id, test fn, emission error)` from the `// case:` markers of a module.
fn module_cases(module: &str) -> Vec<(String, Option<String>, Option<String>)> {
    module
        .lines()
        .filter_map(|l| l.strip_prefix("// case: "))
        .filter_map(|l| l.split_once(" -> "))
        .map(|(id, rest)| match rest.strip_prefix("(not emitted) ") {
            Some(err) => (
                id.to_string(),
                None,
                Some(format!("the harness could not express the case: {err}")),
            ),
            None => (id.to_string(), Some(rest.to_string()), None),
        })
        .collect()
}

#[derive(Debug, Clone)]
enum TestStatus {
    Ok,
    Failed(String),
}

#[derive(Debug, Default)]
struct RunOutput {
    tests: BTreeMap<String, TestStatus>,
    build_error: Option<String>,
}

impl RunOutput {
    fn get(&self, test: &str) -> Option<&TestStatus> {
        self.tests.get(test)
    }
}

/// Runs `cargo test` on the harness and parses the results.
fn run_cargo(layout: &Layout) -> Result<RunOutput, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .arg("test")
        .arg("--manifest-path")
        .arg(layout.work.join("Cargo.toml"))
        .args(["-p", "pt-harness", "--lib", "--", "--test-threads=4"])
        .env("CARGO_TARGET_DIR", &layout.target)
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut run = RunOutput::default();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            run.tests.insert(name.to_string(), TestStatus::Ok);
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            run.tests.insert(
                name.to_string(),
                TestStatus::Failed("failed (no message)".into()),
            );
        }
    }
    // `---- name stdout ----` blocks carry the panic messages.
    let mut current: Option<(String, Vec<String>)> = None;
    let mut blocks = Vec::new();
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            if let Some(done) = current.take() {
                blocks.push(done);
            }
            current = Some((name.to_string(), Vec::new()));
        } else if line == "failures:" || line.starts_with("test result:") {
            if let Some(done) = current.take() {
                blocks.push(done);
            }
        } else if let Some((_, lines)) = &mut current {
            lines.push(line.to_string());
        }
    }
    for (name, lines) in blocks {
        let text: Vec<String> = lines
            .into_iter()
            .take_while(|l| !l.starts_with("stack backtrace:"))
            .filter(|l| !l.trim().is_empty() && !l.starts_with("note: run with `RUST_BACKTRACE"))
            .map(|l| l.trim().to_string())
            .filter(|l| !(l.starts_with("thread '") && l.contains(" panicked at ")))
            .collect();
        run.tests.insert(name, TestStatus::Failed(text.join(" | ")));
    }
    if run.tests.is_empty() {
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error") || l.trim_start().starts_with("-->"))
            .take(40)
            .collect();
        run.build_error = Some(if errors.is_empty() {
            stderr
                .lines()
                .rev()
                .take(20)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            errors.join("\n")
        });
    }
    Ok(run)
}

/// The check of a run against [`KNOWN_FAILURES`]: unexpected failures, and known
/// failures that now pass.
pub fn unexpected(results: &[CaseResult]) -> (Vec<&CaseResult>, Vec<&CaseResult>) {
    let known = |r: &CaseResult| {
        KNOWN_FAILURES
            .iter()
            .any(|(f, id, _)| *f == r.file && *id == r.id)
    };
    let failed = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_)) && !known(r))
        .collect();
    let fixed = results
        .iter()
        .filter(|r| r.outcome == Outcome::Passed && known(r))
        .collect();
    (failed, fixed)
}

/// `RESULTS.md`: the table per file, the cases left out, the failures.
pub fn report(results: &[CaseResult]) -> String {
    let mut out = String::from(
        "# Protocol test results\n\n\
         botocore's AWS JSON protocol tests run through the generator and runtime \
         (`cargo test -p protocol-tests` with `PROTOCOL_TESTS_DIR` set). \
         Written by `cargo xtask protocol-results`; do not edit (the driver test fails when it is stale).\n\n\
         | file | passed | total run | known failures | unexpected failures | not applicable |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let known = |r: &CaseResult| {
        KNOWN_FAILURES
            .iter()
            .find(|(f, id, _)| *f == r.file && *id == r.id)
            .map(|k| k.2)
    };
    for file in FILES {
        let rs: Vec<&CaseResult> = results.iter().filter(|r| r.file == *file).collect();
        let passed = rs.iter().filter(|r| r.outcome == Outcome::Passed).count();
        let na = rs
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::NotApplicable(_)))
            .count();
        let failed: Vec<&&CaseResult> = rs
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
            .collect();
        let kf = failed.iter().filter(|r| known(r).is_some()).count();
        let _ = writeln!(
            out,
            "| {file} | {passed} | {} | {kf} | {} | {na} |",
            rs.len() - na,
            failed.len() - kf
        );
    }
    let total = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::NotApplicable(_)))
        .count();
    let passed = results
        .iter()
        .filter(|r| r.outcome == Outcome::Passed)
        .count();
    let _ = writeln!(out, "| **all** | **{passed}** | **{total}** | | | |\n");
    out.push_str("## Not applicable\n\n");
    let na: Vec<&CaseResult> = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::NotApplicable(_)))
        .collect();
    if na.is_empty() {
        out.push_str("None.\n");
    }
    for r in na {
        if let Outcome::NotApplicable(reason) = &r.outcome {
            let _ = writeln!(out, "- `{}` `{}`: {reason}", r.file, r.id);
        }
    }
    out.push_str("\n## Failures\n\nEach with the listed reason (`KNOWN_FAILURES`) and what the run reported.\n\n");
    let failed: Vec<&CaseResult> = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
        .collect();
    if failed.is_empty() {
        out.push_str("None.\n");
    }
    for r in failed {
        if let Outcome::Failed(observed) = &r.outcome {
            let listed =
                known(r).map_or("**not in KNOWN_FAILURES**".to_string(), |k| k.to_string());
            let _ = writeln!(
                out,
                "- `{}` `{}`: {listed}\n  - observed: {}",
                r.file,
                r.id,
                observed.replace('\n', " ")
            );
        }
    }
    out
}
