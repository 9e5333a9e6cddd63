//! `cargo xtask soak --minutes N`: the runtime's soak under faults for N minutes, in release
//! mode: the test `soak_under_faults` of `runtime/tests/soak` with `SOAK_MINUTES=N` (64
//! concurrent tasks, one client, a loopback server injecting every fault it knows). It prints
//! the figures BENCHMARKS.md quotes (calls, faults, attempts, p50/p99 latency, peak RSS) and
//! fails if an invariant breaks.

use std::process::{Command, ExitCode};

/// Runs the soak; exit code 2 for bad arguments, 1 if the soak failed.
pub fn run(args: &[String]) -> ExitCode {
    let minutes = match args {
        [flag, value] if flag == "--minutes" => value.parse::<f64>().ok(),
        [] => Some(10.0),
        _ => None,
    };
    let Some(minutes) = minutes.filter(|m| m.is_finite() && *m > 0.0) else {
        eprintln!("usage: cargo xtask soak [--minutes N]   (N > 0, default 10)");
        return ExitCode::from(2);
    };
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .args([
            "test",
            "--release",
            "-p",
            "awsjson-runtime",
            "--test",
            "soak",
        ])
        .args(["--", "--exact", "soak_under_faults", "--nocapture"])
        .env("SOAK_MINUTES", minutes.to_string());
    eprintln!("==> soak under faults for {minutes} min (release build first)");
    match cargo.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            eprintln!("error: the soak failed ({status})");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: could not run cargo: {err}");
            ExitCode::FAILURE
        }
    }
}
