//! House rules that `cargo test` enforces, in the style of rust-analyzer's `tidy.rs`: every
//! Rust file says what it is for (a `//!` module doc), no lint is silenced crate-wide, no
//! debugging leftovers, and no hand-written file grows past a length without a stated reason.
//!
//! `generated/` is generator output: the generator's own tests check it, except for the
//! crate-wide allows, which are banned there too.

use std::path::{Path, PathBuf};

/// The most lines a hand-written Rust file may have without an entry in [`LONG_FILES`].
const MAX_LINES: usize = 800;

/// Files allowed past [`MAX_LINES`], each with the reason. An entry whose file is back under
/// the limit (or gone) fails the test, so the list only shrinks.
const LONG_FILES: &[(&str, &str)] = &[
    (
        "runtime/src/json/de.rs",
        "the pull parser is one state machine over the JSON grammar; split, its invariants \
         (depth, offsets, number text) would be spread over files that each need the others",
    ),
    (
        "runtime/src/json/tests.rs",
        "the parser's unit tests, one short test per grammar rule and error; a table of cases \
         reads best in one place next to the parser",
    ),
    (
        "runtime/tests/endpoint_rules.rs",
        "the rules engine's conformance cases (functions, tree rules, partitions) as one table \
         of small tests",
    ),
];

/// Attributes that silence lints for a whole crate or module.
const BANNED: &[&str] = &[
    "allow(clippy::all)",
    "allow(warnings)",
    "#![allow(missing_docs)]",
    "#![allow(dead_code)]",
    "#![allow(unused)]",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

/// Every `.rs` file of the project, skipping build output, VCS data and hidden folders.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name == "target" || name.starts_with('.') {
                continue;
            }
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .expect("inside the workspace")
        .to_string_lossy()
        .replace('\\', "/")
}

fn project_files() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    rust_files(&root(), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read source");
            (relative(&p), text)
        })
        .collect()
}

fn hand_written(path: &str) -> bool {
    !path.starts_with("generated/")
}

#[test]
fn every_hand_written_file_has_a_module_doc() {
    let missing: Vec<String> = project_files()
        .into_iter()
        .filter(|(path, _)| hand_written(path))
        .filter(|(_, text)| !text.trim_start().starts_with("//!"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        missing.is_empty(),
        "files without a `//!` module doc saying what they are for: {missing:#?}"
    );
}

#[test]
fn no_lint_is_silenced_crate_wide() {
    let mut found = Vec::new();
    for (path, text) in project_files() {
        for (n, line) in text.lines().enumerate() {
            if BANNED.iter().any(|b| line.contains(b)) && !path.ends_with("xtask/tests/tidy.rs") {
                found.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "allow lints per item, with a reason: {found:#?}"
    );
}

#[test]
fn no_debugging_leftovers() {
    let leftovers = ["dbg!(", "todo!(", "unimplemented!("];
    let mut found = Vec::new();
    for (path, text) in project_files() {
        if path.ends_with("xtask/tests/tidy.rs") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            if leftovers.iter().any(|l| line.contains(l)) {
                found.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn no_file_is_longer_than_the_limit_without_a_reason() {
    let files = project_files();
    let mut too_long = Vec::new();
    for (path, text) in &files {
        let lines = text.lines().count();
        let excused = LONG_FILES.iter().any(|(p, _)| p == path);
        if hand_written(path) && lines > MAX_LINES && !excused {
            too_long.push(format!("{path}: {lines} lines"));
        }
    }
    assert!(
        too_long.is_empty(),
        "split these by job, or add them to LONG_FILES with the reason (limit {MAX_LINES}): \
         {too_long:#?}"
    );
    for (path, reason) in LONG_FILES {
        assert!(!reason.trim().is_empty(), "{path} needs a reason");
        let lines = files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, text)| text.lines().count());
        assert!(
            lines.is_some_and(|n| n > MAX_LINES),
            "{path} is gone or back under {MAX_LINES} lines ({lines:?}): remove it from LONG_FILES"
        );
    }
}
