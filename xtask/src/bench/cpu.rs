//! CPU time per call: each release program runs as a client only (`cpu URL TASKS SECONDS`)
//! against the loopback server running in a process of its own, so the client process' user +
//! system time is the client's work alone. Rounds alternate the programs; medians are
//! reported. The loader programs run once each, which proves they work with credentials and
//! region from the environment.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::measure::{capture, field, median};
use super::Bench;

/// One client run.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct CpuRun {
    pub(super) calls: f64,
    pub(super) wall: f64,
    pub(super) cpu: f64,
    pub(super) rss_kib: f64,
}

impl CpuRun {
    pub(super) fn micros_per_call(&self) -> f64 {
        if self.calls == 0.0 {
            0.0
        } else {
            self.cpu / self.calls * 1e6
        }
    }
}

/// The runs of one program at 1 task and at 16 tasks.
#[derive(Debug, Clone, Default)]
pub(super) struct CpuRuns {
    pub(super) single: Vec<CpuRun>,
    pub(super) sixteen: Vec<CpuRun>,
}

impl CpuRuns {
    pub(super) fn micros(runs: &[CpuRun]) -> f64 {
        median(&runs.iter().map(CpuRun::micros_per_call).collect::<Vec<_>>())
    }

    pub(super) fn rate(runs: &[CpuRun]) -> f64 {
        median(
            &runs
                .iter()
                .map(|r| if r.wall > 0.0 { r.calls / r.wall } else { 0.0 })
                .collect::<Vec<_>>(),
        )
    }

    pub(super) fn peak_rss_kib(runs: &[CpuRun]) -> f64 {
        median(&runs.iter().map(|r| r.rss_kib).collect::<Vec<_>>())
    }
}

/// The server process; closing its stdin (on drop) ends it.
pub(super) struct ServerProcess {
    child: Child,
    pub(super) url: String,
}

impl ServerProcess {
    pub(super) fn start(bin: &Path) -> Result<ServerProcess, String> {
        let mut child = Command::new(bin)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("server stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("server address: {e}"))?;
        let url = line
            .trim()
            .strip_prefix("addr=")
            .ok_or_else(|| format!("server printed `{}`, not addr=", line.trim()))?
            .to_string();
        Ok(ServerProcess { child, url })
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

impl Bench {
    /// The release binary of a program (built by its clean release build).
    pub(super) fn release_bin(&self, side: &str) -> PathBuf {
        self.target_dir(&format!("{side}-release"))
            .join("release")
            .join(format!("bench-{side}"))
    }

    /// `rounds` alternating rounds of every program at 1 and 16 tasks, `secs` each.
    pub(super) fn cpu_rounds(
        &mut self,
        server: &ServerProcess,
        sides: &[&str],
        rounds: usize,
        secs: f64,
    ) -> Result<Vec<CpuRuns>, String> {
        let mut all = vec![CpuRuns::default(); sides.len()];
        for round in 0..rounds {
            for (i, side) in sides.iter().enumerate() {
                for tasks in [1usize, 16] {
                    eprintln!(
                        "bench: cpu per call, round {}/{rounds}, {side}, {tasks} task(s), {secs} s",
                        round + 1
                    );
                    let out = capture(
                        Command::new(self.release_bin(side))
                            .arg("cpu")
                            .arg(&server.url)
                            .arg(tasks.to_string())
                            .arg(secs.to_string()),
                    )?;
                    let run = CpuRun {
                        calls: field(&out, "calls")?,
                        wall: field(&out, "wall")?,
                        cpu: field(&out, "cpu")?,
                        rss_kib: field(&out, "rss_kib")?,
                    };
                    self.notes.push(format!(
                        "cpu round {} {side} {tasks} task(s): {:.0} calls, {:.1} µs CPU per call",
                        round + 1,
                        run.calls,
                        run.micros_per_call()
                    ));
                    if tasks == 1 {
                        all[i].single.push(run);
                    } else {
                        all[i].sixteen.push(run);
                    }
                }
            }
        }
        self.commands.push(format!(
            "target/bench/floor-release-target/release/bench-floor serve &   # the server, its own process\n\
             target/bench/<side>-release-target/release/bench-<side> cpu <url> {{1,16}} {secs}   # x{rounds}, sides {} alternating",
            sides.join(", ")
        ));
        Ok(all)
    }

    /// Runs a loader program once (against its in-process server), with static credentials
    /// and region in the environment and an empty HOME (no profile files, IMDS disabled).
    pub(super) fn run_loader_program(&mut self, side: &str) -> Result<(), String> {
        let bin = self
            .target_dir(&format!("{side}-dev"))
            .join("debug")
            .join(format!("bench-{side}"));
        let home = self.work.join("empty-home");
        std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
        let out = capture(
            Command::new(&bin)
                .env_clear()
                .env("HOME", &home)
                .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
                .env("AWS_SECRET_ACCESS_KEY", "SECRET")
                .env("AWS_REGION", "us-east-1")
                .env("AWS_EC2_METADATA_DISABLED", "true"),
        )?;
        let deployments = field(&out, "deployments")?;
        if deployments != 50.0 {
            return Err(format!("bench-{side}: {deployments} deployments, not 50"));
        }
        self.commands.push(format!(
            "env -i HOME=<empty> AWS_ACCESS_KEY_ID=.. AWS_SECRET_ACCESS_KEY=.. AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true target/bench/{side}-dev-target/debug/bench-{side}   # must print deployments=50"
        ));
        Ok(())
    }
}
