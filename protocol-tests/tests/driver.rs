//! Runs botocore's AWS JSON protocol tests through the generator and runtime and checks
//! that `protocol-tests/RESULTS.md` is their current report. `cargo test` never writes it:
//! `cargo xtask protocol-results` (which sets `PROTOCOL_RESULTS_WRITE=1`) does.
//!
//! `PROTOCOL_TESTS_DIR` names the directory of `awsjson1_0-input.json` and friends
//! (relative paths are taken from the workspace root). Without it the test is skipped,
//! except under CI (`CI` set), where it fails.

use std::io::Write;
use std::path::{Path, PathBuf};

use protocol_tests::{report, run, unexpected, Layout, Outcome, KNOWN_FAILURES};

#[test]
fn botocore_awsjson_protocol_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is in the workspace")
        .to_path_buf();
    let Some(dir) = std::env::var_os("PROTOCOL_TESTS_DIR") else {
        if std::env::var_os("CI").is_some() {
            panic!("PROTOCOL_TESTS_DIR is not set: CI must point it at botocore's protocol tests");
        }
        // Straight to stderr: libtest captures `println!`/`eprintln!`, not this.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED botocore_awsjson_protocol_tests: PROTOCOL_TESTS_DIR is not set"
        );
        return;
    };
    let dir = PathBuf::from(dir);
    let dir = if dir.is_absolute() {
        dir
    } else {
        root.join(dir)
    };
    let layout = Layout::new(&root, &dir);
    let results = run(&layout).unwrap_or_else(|e| panic!("protocol tests could not run: {e}"));
    let text = report(&results);
    println!("{text}");
    let results_md = root.join("protocol-tests/RESULTS.md");
    let stale = if std::env::var_os("PROTOCOL_RESULTS_WRITE").is_some_and(|v| v == "1") {
        std::fs::write(&results_md, &text).expect("write RESULTS.md");
        false
    } else {
        std::fs::read_to_string(&results_md).unwrap_or_default() != text
    };

    let ran = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::NotApplicable(_)))
        .count();
    assert!(ran > 0, "no protocol test case ran");
    for (file, id, _) in KNOWN_FAILURES {
        assert!(
            results.iter().any(|r| r.file == *file && r.id == *id),
            "KNOWN_FAILURES lists `{file}` `{id}`, which is not a case"
        );
    }
    let (failed, fixed) = unexpected(&results);
    let mut problems = Vec::new();
    for r in failed {
        if let Outcome::Failed(reason) = &r.outcome {
            problems.push(format!("FAILED {} {}: {reason}", r.file, r.id));
        }
    }
    for r in fixed {
        problems.push(format!(
            "PASSES but is in KNOWN_FAILURES (remove it): {} {}",
            r.file, r.id
        ));
    }
    assert!(
        problems.is_empty(),
        "{} protocol test problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        !stale,
        "protocol-tests/RESULTS.md is stale: run `cargo xtask protocol-results` and commit it"
    );
}
