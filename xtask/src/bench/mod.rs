//! `cargo xtask bench`: builds and runs the programs under `bench/` against the official
//! `aws-sdk-lightsail` (the anchor) and our generated crate, and writes `BENCHMARKS.md`.
//!
//! Everything it builds goes under `target/bench/` (one `CARGO_TARGET_DIR` per program and
//! profile, removed before each clean build). `cargo fetch` runs first and every build is
//! `--offline`, so downloads never count. Builds are wrapped in `/usr/bin/time` (wall, CPU,
//! largest process' RSS); a 10 Hz sampler of `/proc` adds the peak RSS summed over the whole
//! build's process tree, and `/proc/stat` tells how much CPU other processes took meanwhile.

//!
//! The jobs live in submodules: this one holds the options and the orchestration
//! (`Bench::run`), `builds` the clean builds and the parse program, `measure` the timing and
//! `/proc` sampling, `report` the writing of `BENCHMARKS.md`.

mod builds;
mod measure;
mod report;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use builds::BuildResult;
use measure::{capture, field, file_size, machine, rust_lines, time_it, Measured};
use report::Report;

/// Command-line options.
struct Options {
    /// Seconds per calls/s measurement (each of single and 16 tasks).
    duration: f64,
    /// Rounds of the calls/s and parse measurements (median reported).
    rounds: usize,
    /// Skip the clean builds (reuse the target dirs): for iterating on the report only.
    skip_builds: bool,
    /// Codegen runs per model (median reported).
    codegen_runs: usize,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        duration: 3.0,
        rounds: 3,
        skip_builds: false,
        codegen_runs: 5,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("`{name}` needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--duration" => {
                opts.duration = value("--duration")?
                    .parse()
                    .map_err(|_| "`--duration` needs seconds".to_string())?;
            }
            "--rounds" => {
                opts.rounds = value("--rounds")?
                    .parse()
                    .map_err(|_| "`--rounds` needs a count".to_string())?;
            }
            "--codegen-runs" => {
                opts.codegen_runs = value("--codegen-runs")?
                    .parse()
                    .map_err(|_| "`--codegen-runs` needs a count".to_string())?;
            }
            "--skip-builds" => opts.skip_builds = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if opts.rounds == 0 || opts.codegen_runs == 0 || opts.duration <= 0.0 {
        return Err("`--rounds`, `--codegen-runs` and `--duration` must be positive".into());
    }
    Ok(opts)
}

pub fn run(args: &[String]) -> ExitCode {
    let result = parse(args).and_then(|opts| Bench::new(opts)?.run());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Default)]
struct Side {
    dev: BuildResult,
    release: BuildResult,
    bin_unstripped: u64,
    bin_stripped: u64,
    crates_normal: usize,
    crates_with_build: usize,
    whole: Measured,
    whole_lines: usize,
    single: Vec<f64>,
    concurrent: Vec<f64>,
}

struct Bench {
    opts: Options,
    root: PathBuf,
    work: PathBuf,
    logs: PathBuf,
    official_model: PathBuf,
    /// Every command run, in order, for the report.
    commands: Vec<String>,
    /// Load notes collected along the way.
    notes: Vec<String>,
}

const ANCHOR: &str = "anchor";
const OURS: &str = "ours";

impl Bench {
    fn new(opts: Options) -> Result<Bench, String> {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest.parent().unwrap_or(manifest).to_path_buf();
        let work = root.join("target").join("bench");
        let logs = work.join("logs");
        std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
        let official_model = official_model(&root)?;
        Ok(Bench {
            opts,
            root,
            work,
            logs,
            official_model,
            commands: Vec::new(),
            notes: Vec::new(),
        })
    }

    fn program_dir(&self, name: &str) -> PathBuf {
        self.root.join("bench").join(name)
    }

    fn target_dir(&self, name: &str) -> PathBuf {
        self.work.join(format!("{name}-target"))
    }

    fn run(mut self) -> Result<(), String> {
        let started = Instant::now();
        let machine = machine()?;
        let date = capture(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))?;
        let commit = capture(
            Command::new("git")
                .args(["rev-parse", "--short", "HEAD"])
                .current_dir(&self.root),
        )
        .unwrap_or_default();

        // Downloads first, so no build pays for them (bench/parse is fetched before its
        // build, in `parse_bench`).
        for program in [ANCHOR, OURS, "floor"] {
            let dir = self.program_dir(program);
            self.cmd(
                Command::new("cargo").arg("fetch").current_dir(&dir),
                &format!("(cd bench/{program} && cargo fetch)"),
            )?;
        }
        let anchor_version = self.package_version(ANCHOR, "aws-sdk-lightsail")?;
        let tokio_anchor = self.package_version(ANCHOR, "tokio")?;
        let tokio_ours = self.package_version(OURS, "tokio")?;

        let mut anchor = Side::default();
        let mut ours = Side::default();

        // Clean builds, interleaved so a slow period of the shared CPU hits both.
        for release in [false, true] {
            for side in [ANCHOR, OURS] {
                let result = self.clean_build(side, release)?;
                let s = if side == ANCHOR {
                    &mut anchor
                } else {
                    &mut ours
                };
                if release {
                    s.release = result;
                } else {
                    s.dev = result;
                }
            }
        }
        for (side, s) in [(ANCHOR, &mut anchor), (OURS, &mut ours)] {
            let bin = self
                .target_dir(&format!("{side}-release"))
                .join("release")
                .join(format!("bench-{side}"));
            s.bin_unstripped = file_size(&bin)?;
            let stripped = self.work.join(format!("bench-{side}.stripped"));
            self.cmd(
                Command::new("strip").arg("-o").arg(&stripped).arg(&bin),
                &format!("strip -o bench-{side}.stripped target/bench/{side}-release-target/release/bench-{side}"),
            )?;
            s.bin_stripped = file_size(&stripped)?;
            let (normal, with_build) = self.crate_counts(side)?;
            s.crates_normal = normal.len();
            s.crates_with_build = with_build.len();
        }

        // Crates of our tree that are not in the floor set, and who pulls them in.
        let (ours_normal, _) = self.crate_counts(OURS)?;
        let (floor_normal, _) = self.crate_counts("floor")?;
        let extra: Vec<String> = ours_normal.difference(&floor_normal).cloned().collect();
        let mut extra_rows = Vec::new();
        for krate in &extra {
            let spec = krate.replacen(' ', "@", 1).replacen("@v", "@", 1);
            let out = capture(
                Command::new("cargo")
                    .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
                    .args(["--depth", "1", "-i", &spec])
                    .current_dir(self.program_dir(OURS)),
            )?;
            let dependents: Vec<String> = out
                .lines()
                .skip(1)
                .map(|l| crate_key(l).unwrap_or_default())
                .filter(|l| !l.is_empty())
                .collect();
            extra_rows.push((krate.clone(), dependents.join(", ")));
        }
        self.commands.push(
            "(cd bench/ours && cargo tree --offline -e normal --prefix none --depth 1 -i <crate>)"
                .into(),
        );

        // Codegen time (release xtask), and the whole-service crate for the next step.
        self.cmd(
            Command::new("cargo")
                .args(["build", "--release", "-p", "xtask"])
                .current_dir(&self.root),
            "cargo build --release -p xtask",
        )?;
        let xtask = self.root.join("target").join("release").join("xtask");
        let closure_model = self.root.join("model").join("lightsail.json");
        let closure_out = self.work.join("codegen-closure");
        let mut closure_times = Vec::new();
        let mut full_times = Vec::new();
        let whole_dir = self.work.join("whole-ours");
        let gen_full = whole_dir.join("lightsail");
        for _ in 0..self.opts.codegen_runs {
            // A fresh output directory each run: an unchanged one is only compared, not
            // written, and that is not what this measures.
            let _ = std::fs::remove_dir_all(&closure_out);
            let _ = std::fs::remove_dir_all(&gen_full);
            closure_times.push(time_it(
                Command::new(&xtask)
                    .arg("codegen")
                    .arg("--model")
                    .arg(&closure_model)
                    .arg("--out")
                    .arg(&closure_out),
            )?);
            full_times.push(time_it(
                Command::new(&xtask)
                    .arg("codegen")
                    .arg("--model")
                    .arg(&self.official_model)
                    .args(["--operations", "all", "--out"])
                    .arg(&gen_full),
            )?);
        }
        self.commands.push(format!(
            "rm -rf target/bench/codegen-closure; target/release/xtask codegen --model model/lightsail.json --out target/bench/codegen-closure   # x{}",
            self.opts.codegen_runs
        ));
        self.commands.push(format!(
            "rm -rf target/bench/whole-ours/lightsail; target/release/xtask codegen --model {} --operations all --out target/bench/whole-ours/lightsail   # x{}",
            self.official_model.display(),
            self.opts.codegen_runs
        ));

        // Whole-service crate alone (dev profile).
        if !self.opts.skip_builds {
            ours.whole = self.whole_ours(&whole_dir)?;
            anchor.whole = self.whole_anchor()?;
        }
        ours.whole_lines = rust_lines(&gen_full.join("src"));
        if let Some(src) = self.anchor_source_dir(&anchor_version)? {
            anchor.whole_lines = rust_lines(&src.join("src"));
        }

        // Calls per second, interleaved rounds.
        for round in 0..self.opts.rounds {
            for (side, s) in [(ANCHOR, &mut anchor), (OURS, &mut ours)] {
                let bin = self
                    .target_dir(&format!("{side}-release"))
                    .join("release")
                    .join(format!("bench-{side}"));
                let (out, m) = self.measure_output(
                    Command::new(&bin)
                        .arg("calls")
                        .arg(self.opts.duration.to_string()),
                    &format!("calls-{side}-{round}"),
                )?;
                let single = field(&out, "single")?;
                let concurrent = field(&out, "concurrent16")?;
                s.single.push(single);
                s.concurrent.push(concurrent);
                self.notes.push(format!(
                    "calls round {} {side}: single {single:.0}/s, 16 tasks {concurrent:.0}/s, other load {:.2} cores",
                    round + 1,
                    m.other_cores
                ));
            }
        }
        self.commands.push(format!(
            "target/bench/{{anchor,ours}}-release-target/release/bench-{{anchor,ours}} calls {}   # x{}, interleaved",
            self.opts.duration, self.opts.rounds
        ));

        // Parse throughput.
        let parse = self.parse_bench()?;

        // Report.
        let elapsed = started.elapsed().as_secs_f64();
        let report = Report {
            machine,
            date,
            commit,
            anchor_version,
            tokio: if tokio_anchor == tokio_ours {
                tokio_anchor
            } else {
                format!("anchor {tokio_anchor}, ours {tokio_ours}")
            },
            anchor,
            ours,
            extra_rows,
            closure_times,
            full_times,
            parse,
            official_model: self.official_model.display().to_string(),
            elapsed,
            opts: &self.opts,
            commands: &self.commands,
            notes: &self.notes,
        }
        .render();
        let path = self.root.join("BENCHMARKS.md");
        // The fuzzing record is written by hand from its own long run, not by the bench.
        let previous = std::fs::read_to_string(&path).unwrap_or_default();
        let report = report::KEPT_SECTIONS
            .iter()
            .fold(report, |report, heading| {
                report::keep_section(report, &previous, heading)
            });
        std::fs::write(&path, report).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {} ({elapsed:.0} s)", path.display());
        Ok(())
    }

    /// Runs `command` (logged), failing on a non-zero exit.
    fn cmd(&mut self, command: &mut Command, shown: &str) -> Result<(), String> {
        eprintln!("bench: {shown}");
        self.commands.push(shown.to_string());
        let status = command.status().map_err(|e| format!("`{shown}`: {e}"))?;
        if !status.success() {
            return Err(format!("`{shown}` failed: {status}"));
        }
        Ok(())
    }

    fn package_version(&self, program: &str, package: &str) -> Result<String, String> {
        let out = capture(
            Command::new("cargo")
                .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
                .args(["--depth", "0", "-p", package])
                .current_dir(self.program_dir(program)),
        )?;
        out.split_whitespace()
            .nth(1)
            .map(|v| v.trim_start_matches('v').to_string())
            .ok_or_else(|| format!("no version of {package} in bench/{program}"))
    }
}

/// `LIGHTSAIL_OFFICIAL_MODEL`, else `../shared/models/lightsail.json` from the workspace
/// root, else the first `shared/models/lightsail.json` in an ancestor of it.
fn official_model(root: &Path) -> Result<PathBuf, String> {
    if let Ok(p) = std::env::var("LIGHTSAIL_OFFICIAL_MODEL") {
        let p = PathBuf::from(p);
        let p = if p.is_absolute() { p } else { root.join(p) };
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("LIGHTSAIL_OFFICIAL_MODEL: no file {}", p.display()))
        };
    }
    let default = root.join("../shared/models/lightsail.json");
    if default.is_file() {
        return Ok(default);
    }
    root.ancestors()
        .map(|a| a.join("shared/models/lightsail.json"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            "no official model: set LIGHTSAIL_OFFICIAL_MODEL (default ../shared/models/lightsail.json)"
                .to_string()
        })
}

/// `name vX.Y.Z` of a `cargo tree --prefix none` line.
fn crate_key(line: &str) -> Option<String> {
    let mut parts = line.split_whitespace();
    let name = parts.next()?;
    let version = parts.next()?;
    version
        .starts_with('v')
        .then(|| format!("{name} {version}"))
}
