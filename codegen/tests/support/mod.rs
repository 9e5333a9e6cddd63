//! Helpers shared by the tests that compile generated crates.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::GeneratedFile;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn run_cargo(dir: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo")
}

/// How many tests failed, from the summaries libtest printed on `stdout`.
#[allow(
    dead_code,
    reason = "each test binary uses its own part of the support module"
)]
pub fn libtest_failures(stdout: &str) -> usize {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: "))
        .filter_map(|l| l.split("; ").nth(1))
        .filter_map(|failed| failed.trim_end_matches(" failed").parse::<usize>().ok())
        .sum()
}

/// Runs cargo in `dir` and panics with its output on failure; returns the output (of a
/// success) for callers that look at it.
pub fn cargo(dir: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    let out = run_cargo(dir, target, args);
    assert!(
        out.status.success(),
        "cargo {} failed in {}:\n{}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Writes crates into `dir` as one workspace, with the project's lock file so the same
/// dependency versions are used.
pub fn write_workspace(dir: &Path, crates: &[(String, Vec<GeneratedFile>)]) {
    let _ = std::fs::remove_dir_all(dir);
    for (name, files) in crates {
        for f in files {
            let path = dir.join(name).join(&f.path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &f.contents).expect("write");
        }
    }
    let members: Vec<String> = crates.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            // No debug info, as in the protocol tests' harness workspace, which shares the
            // target dir: one profile, so the dependencies compile once for all of them.
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
            members.join(", ")
        ),
    )
    .expect("write workspace");
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock");
}
