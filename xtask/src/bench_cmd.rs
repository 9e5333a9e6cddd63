//! `cargo xtask bench`: builds and runs the programs under `bench/` against the official
//! `aws-sdk-lightsail` (the anchor) and our generated crate, and writes `BENCHMARKS.md`.
//!
//! Everything it builds goes under `target/bench/` (one `CARGO_TARGET_DIR` per program and
//! profile, removed before each clean build). `cargo fetch` runs first and every build is
//! `--offline`, so downloads never count. Builds are wrapped in `/usr/bin/time` (wall, CPU,
//! largest process' RSS); a 10 Hz sampler of `/proc` adds the peak RSS summed over the whole
//! build's process tree, and `/proc/stat` tells how much CPU other processes took meanwhile.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// One measured command.
#[derive(Debug, Clone, Copy, Default)]
struct Measured {
    /// Wall time, seconds.
    wall: f64,
    /// User + system CPU time of the command and its descendants, seconds.
    cpu: f64,
    /// Largest single process' peak RSS (`/usr/bin/time` `%M`), KiB.
    max_rss_kib: u64,
    /// Peak of the RSS summed over the whole process tree (10 Hz samples), KiB.
    tree_rss_kib: u64,
    /// CPU used meanwhile by everything else on the machine, in cores (average).
    other_cores: f64,
}

/// A clean build of one program in one profile.
#[derive(Debug, Clone, Copy, Default)]
struct BuildResult {
    m: Measured,
    /// `Compiling` lines in the build log: crates compiled (incl. build deps, proc macros).
    compiled: usize,
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

        // Downloads first, so no build pays for them.
        // (bench/parse is fetched later, once the probe crate it depends on exists.)
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

    /// `rm -rf` the target dir, then a timed `cargo build [--release] --offline`.
    fn clean_build(&mut self, side: &str, release: bool) -> Result<BuildResult, String> {
        let profile = if release { "release" } else { "dev" };
        let target = self.target_dir(&format!("{side}-{profile}"));
        let shown = format!(
            "rm -rf target/bench/{side}-{profile}-target && (cd bench/{side} && CARGO_TARGET_DIR=../../target/bench/{side}-{profile}-target cargo build --offline{})",
            if release { " --release" } else { "" }
        );
        if self.opts.skip_builds {
            self.commands.push(format!("# skipped: {shown}"));
            return Ok(BuildResult::default());
        }
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
        eprintln!("bench: {shown}");
        self.commands.push(shown);
        let mut args = vec!["build", "--offline"];
        if release {
            args.push("--release");
        }
        let log = self.logs.join(format!("build-{side}-{profile}.log"));
        let m = measure(
            Command::new("cargo")
                .args(&args)
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_TERM_COLOR", "never")
                .current_dir(self.program_dir(side)),
            &log,
        )?;
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let compiled = text
            .lines()
            .filter(|l| l.trim_start().starts_with("Compiling "))
            .count();
        self.notes.push(format!(
            "{side} {profile} clean build: {:.1} s wall, {:.1} s CPU, other load {:.2} cores",
            m.wall, m.cpu, m.other_cores
        ));
        Ok(BuildResult { m, compiled })
    }

    /// The crates of a program's dependency tree (the program itself excluded): normal
    /// edges only, and normal + build edges.
    fn crate_counts(
        &mut self,
        program: &str,
    ) -> Result<(BTreeSet<String>, BTreeSet<String>), String> {
        let mut sets = Vec::new();
        for edges in ["normal", "normal,build"] {
            let out = capture(
                Command::new("cargo")
                    .args(["tree", "--offline", "--prefix", "none", "-e", edges])
                    .current_dir(self.program_dir(program)),
            )?;
            let mut lines = out.lines();
            let root = lines.next().and_then(crate_key).unwrap_or_default();
            let set: BTreeSet<String> =
                lines.filter_map(crate_key).filter(|k| *k != root).collect();
            sets.push(set);
        }
        let shown = "cargo tree --offline --prefix none -e normal[,build]  (unique name+version, program excluded)";
        if !self.commands.iter().any(|c| c.contains(shown)) {
            self.commands
                .push(format!("(cd bench/{{anchor,ours,floor}} && {shown})"));
        }
        let with_build = sets.pop().unwrap_or_default();
        let normal = sets.pop().unwrap_or_default();
        Ok((normal, with_build))
    }

    /// Our whole-service crate (all operations: its default feature `full`) alone, dev.
    fn whole_ours(&mut self, whole_dir: &Path) -> Result<Measured, String> {
        let manifest = "# Written by `cargo xtask bench`.\n[workspace]\nmembers = [\"lightsail\"]\nresolver = \"2\"\n\n[profile.dev]\ndebug = \"line-tables-only\"\n";
        std::fs::write(whole_dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        std::fs::copy(self.root.join("Cargo.lock"), whole_dir.join("Cargo.lock"))
            .map_err(|e| e.to_string())?;
        let target = self.target_dir("whole-ours");
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| e.to_string())?;
        }
        let env_shown = "CARGO_TARGET_DIR=../whole-ours-target";
        self.cmd(
            Command::new("cargo")
                .args(["build", "-p", "lightsail"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(whole_dir),
            &format!(
                "(cd target/bench/whole-ours && {env_shown} cargo build -p lightsail)   # deps"
            ),
        )?;
        self.cmd(
            Command::new("cargo")
                .args(["clean", "-p", "lightsail"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(whole_dir),
            &format!("(cd target/bench/whole-ours && {env_shown} cargo clean -p lightsail)"),
        )?;
        let shown = format!("(cd target/bench/whole-ours && {env_shown} cargo build --offline -p lightsail)   # timed");
        eprintln!("bench: {shown}");
        self.commands.push(shown);
        let m = measure(
            Command::new("cargo")
                .args(["build", "--offline", "-p", "lightsail"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(whole_dir),
            &self.logs.join("whole-ours.log"),
        )?;
        self.notes.push(format!(
            "ours whole-service crate: {:.1} s wall, {:.1} s CPU, other load {:.2} cores",
            m.wall, m.cpu, m.other_cores
        ));
        Ok(m)
    }

    /// The `aws-sdk-lightsail` crate alone, dev, in the anchor program's dev target dir.
    fn whole_anchor(&mut self) -> Result<Measured, String> {
        let target = self.target_dir("anchor-dev");
        let dir = self.program_dir(ANCHOR);
        let env_shown = "CARGO_TARGET_DIR=../../target/bench/anchor-dev-target";
        self.cmd(
            Command::new("cargo")
                .args(["clean", "--offline", "-p", "aws-sdk-lightsail"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(&dir),
            &format!("(cd bench/anchor && {env_shown} cargo clean -p aws-sdk-lightsail)"),
        )?;
        let shown = format!(
            "(cd bench/anchor && {env_shown} cargo build --offline -p aws-sdk-lightsail)   # timed"
        );
        eprintln!("bench: {shown}");
        self.commands.push(shown);
        let m = measure(
            Command::new("cargo")
                .args(["build", "--offline", "-p", "aws-sdk-lightsail"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(&dir),
            &self.logs.join("whole-anchor.log"),
        )?;
        self.notes.push(format!(
            "anchor whole-service crate: {:.1} s wall, {:.1} s CPU, other load {:.2} cores",
            m.wall, m.cpu, m.other_cores
        ));
        Ok(m)
    }

    fn anchor_source_dir(&self, version: &str) -> Result<Option<PathBuf>, String> {
        let out = capture(
            Command::new("cargo")
                .args(["metadata", "--offline", "--format-version", "1"])
                .current_dir(self.program_dir(ANCHOR)),
        )?;
        let needle = format!("aws-sdk-lightsail-{version}/Cargo.toml");
        Ok(out.split('"').find(|s| s.ends_with(&needle)).map(|s| {
            Path::new(s)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        }))
    }

    /// Runs a command, returning its stdout and its measurement.
    fn measure_output(
        &mut self,
        command: &mut Command,
        name: &str,
    ) -> Result<(String, Measured), String> {
        let log = self.logs.join(format!("{name}.log"));
        let m = measure(command, &log)?;
        let out = std::fs::read_to_string(&log).map_err(|e| e.to_string())?;
        Ok((out, m))
    }

    fn parse_bench(&mut self) -> Result<ParseResult, String> {
        // The probe: generated/lightsail with its parsers made public.
        let probe = self.work.join("probe").join("lightsail");
        if probe.exists() {
            std::fs::remove_dir_all(&probe).map_err(|e| e.to_string())?;
        }
        copy_dir(&self.root.join("generated").join("lightsail"), &probe)?;
        let runtime = self.root.join("runtime");
        patch(
            &probe.join("Cargo.toml"),
            "path = \"../../runtime\"",
            &format!("path = \"{}\"", runtime.display()),
        )?;
        patch(
            &probe.join("src/lib.rs"),
            "\nmod protocol_serde;",
            "\n#[allow(missing_docs)]\npub mod protocol_serde;",
        )?;
        patch(
            &probe.join("src/protocol_serde.rs"),
            "pub(crate) mod get_container_service_deployments;",
            "pub mod get_container_service_deployments;",
        )?;
        patch(
            &probe.join("src/protocol_serde/get_container_service_deployments.rs"),
            "pub(crate) fn de_get_container_service_deployments_output(",
            "pub fn de_get_container_service_deployments_output(",
        )?;
        self.commands.push(
            "cp -r generated/lightsail target/bench/probe/lightsail   # then: runtime path made absolute; `mod protocol_serde` and `de_get_container_service_deployments_output` made `pub`".into(),
        );
        let dir = self.program_dir("parse");
        self.cmd(
            Command::new("cargo").arg("fetch").current_dir(&dir),
            "(cd bench/parse && cargo fetch)",
        )?;
        let target = self.target_dir("anchor-release");
        self.cmd(
            Command::new("cargo")
                .args(["build", "--offline", "--release"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(&dir),
            "(cd bench/parse && CARGO_TARGET_DIR=../../target/bench/anchor-release-target cargo build --offline --release)",
        )?;
        let secs = (self.opts.duration * 2.0 / 3.0).max(0.5);
        let (out, m) = self.measure_output(
            Command::new(target.join("release").join("bench-parse")).arg(secs.to_string()),
            "parse",
        )?;
        self.commands.push(format!(
            "target/bench/anchor-release-target/release/bench-parse {secs}   # 3 interleaved rounds inside, median"
        ));
        self.notes
            .push(format!("parse run: other load {:.2} cores", m.other_cores));
        Ok(ParseResult {
            serde: field(&out, "serde")?,
            ours: field(&out, "ours")?,
            anchor: field(&out, "anchor")?,
            bytes: field(&out, "bytes")?,
        })
    }
}

struct ParseResult {
    serde: f64,
    ours: f64,
    anchor: f64,
    bytes: f64,
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

fn capture(command: &mut Command) -> Result<String, String> {
    let out = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{command:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{command:?} failed: {}", out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Wall time of one run, output discarded.
fn time_it(command: &mut Command) -> Result<f64, String> {
    let start = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("{command:?}: {e}"))?;
    let t = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{command:?} failed: {status}"));
    }
    Ok(t)
}

/// Runs `command` under `/usr/bin/time`, stdout and stderr to `log`, with the process-tree
/// RSS sampler and the machine's busy time around it.
fn measure(command: &Command, log: &Path) -> Result<Measured, String> {
    let time_file = log.with_extension("time");
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped
        .args(["-f", "%e %U %S %M", "-o"])
        .arg(&time_file)
        .arg(command.get_program())
        .args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (k, v) in command.get_envs() {
        match v {
            Some(v) => wrapped.env(k, v),
            None => wrapped.env_remove(k),
        };
    }
    let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let busy_before = busy_seconds();
    let mut child = wrapped
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("/usr/bin/time: {e}"))?;
    let pid = child.id();
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !stop.load(Ordering::Relaxed) {
                peak = peak.max(tree_rss_kib(pid));
                std::thread::sleep(Duration::from_millis(100));
            }
            peak
        })
    };
    let status = child.wait().map_err(|e| e.to_string())?;
    stop.store(true, Ordering::Relaxed);
    let tree_rss_kib = sampler.join().unwrap_or(0);
    let busy_after = busy_seconds();
    if !status.success() {
        return Err(format!(
            "{:?} failed ({status}); log: {}",
            command.get_program(),
            log.display()
        ));
    }
    let text = std::fs::read_to_string(&time_file).map_err(|e| e.to_string())?;
    let nums: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    let [wall, user, sys, max_rss] = nums[..] else {
        return Err(format!("unexpected /usr/bin/time output: {text}"));
    };
    let cpu = user + sys;
    let other_cores = match (busy_before, busy_after) {
        (Some(a), Some(b)) if wall > 0.0 => ((b - a - cpu) / wall).max(0.0),
        _ => 0.0,
    };
    Ok(Measured {
        wall,
        cpu,
        max_rss_kib: max_rss as u64,
        tree_rss_kib,
        other_cores,
    })
}

/// Busy CPU seconds of the whole machine since boot (`/proc/stat`, USER_HZ = 100).
fn busy_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?;
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    let busy = v.first()? + v.get(1)? + v.get(2)? + v.get(5)? + v.get(6)? + v.get(7)?;
    Some(busy / 100.0)
}

/// RSS summed over `root` and all its descendants, KiB.
fn tree_rss_kib(root: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut parent = HashMap::new();
    let mut rss = HashMap::new();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Fields after the command name, which is in parentheses and may hold spaces.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let (Some(ppid), Some(pages)) = (
            fields.get(1).and_then(|s| s.parse::<u32>().ok()),
            fields.get(21).and_then(|s| s.parse::<u64>().ok()),
        ) else {
            continue;
        };
        parent.insert(pid, ppid);
        rss.insert(pid, pages * 4);
    }
    rss.iter()
        .filter(|(pid, _)| {
            let mut p = **pid;
            for _ in 0..64 {
                if p == root {
                    return true;
                }
                match parent.get(&p) {
                    Some(&pp) if pp != 0 => p = pp,
                    _ => return false,
                }
            }
            false
        })
        .map(|(_, kib)| kib)
        .sum()
}

fn field(out: &str, name: &str) -> Result<f64, String> {
    out.split_whitespace()
        .filter_map(|t| t.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| format!("no `{name}=` in output: {out}"))
}

fn file_size(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn rust_lines(dir: &Path) -> usize {
    let mut total = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            total += rust_lines(&p);
        } else if p.extension().is_some_and(|e| e == "rs") {
            total += std::fs::read_to_string(&p).map_or(0, |t| t.lines().count());
        }
    }
    total
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

fn patch(file: &Path, from: &str, to: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    if !text.contains(from) {
        return Err(format!("{}: `{from}` not found", file.display()));
    }
    std::fs::write(file, text.replacen(from, to, 1)).map_err(|e| e.to_string())
}

struct Machine {
    nproc: String,
    mem: String,
    cpu: String,
    rustc: String,
    cargo: String,
    kernel: String,
}

fn machine() -> Result<Machine, String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map(|kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        .unwrap_or_default();
    Ok(Machine {
        nproc: capture(&mut Command::new("nproc"))?,
        mem,
        cpu,
        rustc: capture(Command::new("rustc").arg("-V"))?,
        cargo: capture(Command::new("cargo").arg("-V"))?,
        kernel: capture(Command::new("uname").args(["-sr"]))?,
    })
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        0.0
    } else {
        v[v.len() / 2]
    }
}

struct Report<'a> {
    machine: Machine,
    date: String,
    commit: String,
    anchor_version: String,
    tokio: String,
    anchor: Side,
    ours: Side,
    extra_rows: Vec<(String, String)>,
    closure_times: Vec<f64>,
    full_times: Vec<f64>,
    parse: ParseResult,
    official_model: String,
    elapsed: f64,
    opts: &'a Options,
    commands: &'a [String],
    notes: &'a [String],
}

/// `ours / anchor`, or `-` when the anchor's value is 0 (not measured).
fn ratio(ours: f64, anchor: f64) -> String {
    if anchor == 0.0 || ours == 0.0 {
        "-".into()
    } else {
        format!("{:.2}", ours / anchor)
    }
}

/// Whether `value` meets `target` (`<= x` or `>= x`).
fn verdict(value: f64, op: &str, target: f64) -> &'static str {
    if value == 0.0 || !value.is_finite() {
        return "-";
    }
    let ok = match op {
        "<=" => value <= target,
        "<" => value < target,
        _ => value >= target,
    };
    if ok {
        "yes"
    } else {
        "**no**"
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn kib(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

impl Report<'_> {
    fn render(&self) -> String {
        let (a, o) = (&self.anchor, &self.ours);
        let m = &self.machine;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Benchmarks: generated `lightsail` vs `aws-sdk-lightsail`\n"
        );
        let _ = writeln!(
            s,
            "Written by `cargo xtask bench` on {} at commit `{}` ({:.0} s in all). \
             Anchor: `aws-sdk-lightsail` {} (default features), tokio {} in both programs.\n",
            self.date, self.commit, self.elapsed, self.anchor_version, self.tokio
        );
        let _ = writeln!(
            s,
            "Machine: {} cores ({}), {} RAM, {}; {}; {}. The CPU is shared with other \
             engineers' builds and tests: see *Noise* below for the load measured during each step.\n",
            m.nproc, m.cpu, m.mem, m.kernel, m.rustc, m.cargo
        );
        let _ = writeln!(s, "## Results\n");
        let _ = writeln!(s, "| metric | anchor | ours | ours/anchor | target | met |");
        let _ = writeln!(s, "|---|---:|---:|---:|---|---|");
        let row = |s: &mut String,
                   name: &str,
                   av: f64,
                   ov: f64,
                   fmt: &dyn Fn(f64) -> String,
                   target: Option<(&str, f64)>| {
            let r = ratio(ov, av);
            let (t, met) = match target {
                Some((op, x)) => (
                    format!("{op} {x}"),
                    if av == 0.0 || ov == 0.0 {
                        "-"
                    } else {
                        verdict(ov / av, op, x)
                    },
                ),
                None => (String::new(), ""),
            };
            let _ = writeln!(
                s,
                "| {name} | {} | {} | {r} | {t} | {met} |",
                fmt(av),
                fmt(ov)
            );
        };
        let secs = |v: f64| format!("{v:.1} s");
        let mibf = |v: f64| format!("{v:.0} MiB");
        let kibf = |v: f64| format!("{v:.0} KiB");
        let count = |v: f64| format!("{v:.0}");
        let rate = |v: f64| format!("{v:.0}/s");
        row(
            &mut s,
            "clean dev build, wall",
            a.dev.m.wall,
            o.dev.m.wall,
            &secs,
            Some(("<=", 0.40)),
        );
        row(
            &mut s,
            "clean dev build, CPU (user+sys)",
            a.dev.m.cpu,
            o.dev.m.cpu,
            &secs,
            None,
        );
        row(
            &mut s,
            "clean dev build, peak RSS of the build (process tree, 10 Hz)",
            mib(a.dev.m.tree_rss_kib),
            mib(o.dev.m.tree_rss_kib),
            &mibf,
            None,
        );
        row(
            &mut s,
            "clean dev build, peak RSS of its largest process",
            mib(a.dev.m.max_rss_kib),
            mib(o.dev.m.max_rss_kib),
            &mibf,
            None,
        );
        row(
            &mut s,
            "clean release build, wall",
            a.release.m.wall,
            o.release.m.wall,
            &secs,
            None,
        );
        row(
            &mut s,
            "clean release build, CPU (user+sys)",
            a.release.m.cpu,
            o.release.m.cpu,
            &secs,
            None,
        );
        row(
            &mut s,
            "clean release build, peak RSS (process tree)",
            mib(a.release.m.tree_rss_kib),
            mib(o.release.m.tree_rss_kib),
            &mibf,
            None,
        );
        row(
            &mut s,
            "release binary, stripped",
            kib(a.bin_stripped),
            kib(o.bin_stripped),
            &kibf,
            Some(("<=", 0.33)),
        );
        row(
            &mut s,
            "release binary, unstripped",
            kib(a.bin_unstripped),
            kib(o.bin_unstripped),
            &kibf,
            None,
        );
        row(
            &mut s,
            "crates in the tree (`-e normal`, program excluded)",
            a.crates_normal as f64,
            o.crates_normal as f64,
            &count,
            None,
        );
        row(
            &mut s,
            "crates in the tree (`-e normal,build`)",
            a.crates_with_build as f64,
            o.crates_with_build as f64,
            &count,
            None,
        );
        row(
            &mut s,
            "crates compiled in the clean dev build",
            a.dev.compiled as f64,
            o.dev.compiled as f64,
            &count,
            None,
        );
        row(
            &mut s,
            "whole-service crate alone (all operations, dev), wall",
            a.whole.wall,
            o.whole.wall,
            &secs,
            Some(("<=", 0.5)),
        );
        row(
            &mut s,
            "whole-service crate alone, CPU (user+sys)",
            a.whole.cpu,
            o.whole.cpu,
            &secs,
            None,
        );
        row(
            &mut s,
            "whole-service crate, peak RSS (process tree)",
            mib(a.whole.tree_rss_kib),
            mib(o.whole.tree_rss_kib),
            &mibf,
            None,
        );
        row(
            &mut s,
            "whole-service crate, lines of Rust in `src/`",
            a.whole_lines as f64,
            o.whole_lines as f64,
            &count,
            None,
        );
        row(
            &mut s,
            "calls/s, 1 task (median)",
            median(&a.single),
            median(&o.single),
            &rate,
            Some((">=", 1.5)),
        );
        row(
            &mut s,
            "calls/s, 16 concurrent tasks (median)",
            median(&a.concurrent),
            median(&o.concurrent),
            &rate,
            Some((">=", 1.5)),
        );
        let p = &self.parse;
        let mbs = |v: f64| v * p.bytes / 1e6;
        let _ = writeln!(
            s,
            "\n### Parse throughput ({:.0}-byte body, 50 deployments)\n",
            p.bytes
        );
        let _ = writeln!(s, "| parser | parses/s | MB/s | vs serde_json | target |");
        let _ = writeln!(s, "|---|---:|---:|---:|---|");
        let _ = writeln!(
            s,
            "| plain `serde_json` derive (the practical limit) | {:.0} | {:.0} | 1.00 | |",
            p.serde,
            mbs(p.serde)
        );
        let _ = writeln!(
            s,
            "| ours (`de_get_container_service_deployments_output`) | {:.0} | {:.0} | {:.2} | >= 0.8: {} |",
            p.ours,
            mbs(p.ours),
            p.ours / p.serde,
            verdict(p.ours / p.serde, ">=", 0.8)
        );
        let _ = writeln!(
            s,
            "| anchor (`GetContainerServiceDeploymentsOutput::deserialize` over `aws_smithy_json::codec::JsonDeserializer`) | {:.0} | {:.0} | {:.2} | |",
            p.anchor,
            mbs(p.anchor),
            p.anchor / p.serde
        );
        let _ = writeln!(s, "\nours/anchor parse: {}.\n", ratio(p.ours, p.anchor));
        let cm = median(&self.closure_times);
        let fm = median(&self.full_times);
        let list = |v: &[f64]| {
            v.iter()
                .map(|t| format!("{t:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            s,
            "### Codegen (release `xtask`, median of {})\n",
            self.opts.codegen_runs
        );
        let _ = writeln!(s, "| model | median | runs (s) | target |");
        let _ = writeln!(s, "|---|---:|---|---|");
        let _ = writeln!(
            s,
            "| closure `model/lightsail.json` (1 operation) | {cm:.3} s | {} | |",
            list(&self.closure_times)
        );
        let _ = writeln!(
            s,
            "| full `{}` (all operations) | {fm:.3} s | {} | < 1 s: {} |",
            self.official_model,
            list(&self.full_times),
            verdict(fm, "<", 1.0)
        );
        let _ = writeln!(s, "\n## Crates in our tree outside the floor set\n");
        let _ = writeln!(
            s,
            "Floor: `bench/floor` = reqwest (no default features, `rustls-no-provider`), rustls (ring), \
             aws-sigv4 (`sign-http`, `http1`), aws-credential-types, aws-smithy-types, tokio (the \
             benchmark programs' features), serde_json. Crates of `bench/ours`'s `-e normal` tree not \
             in the floor's tree, with their direct dependents (`cargo tree -i <crate> --depth 1`):\n"
        );
        let _ = writeln!(s, "| crate | pulled in by | why |");
        let _ = writeln!(s, "|---|---|---|");
        for (krate, by) in &self.extra_rows {
            let _ = writeln!(s, "| {krate} | {by} | {} |", why(krate));
        }
        let _ = writeln!(s, "\n## How it is measured\n");
        let _ = writeln!(s, "{}", METHOD.trim());
        let _ = writeln!(s, "\n## Noise\n");
        let _ = writeln!(
            s,
            "*Other load* is the machine's busy CPU time during the step (`/proc/stat`) minus the \
             step's own CPU time, averaged over its wall time, in cores (of {}). Anything well \
             above 0 means another engineer's work shared the CPU and the wall times of that step \
             are inflated; the CPU-time rows are much less sensitive to it.\n",
            m.nproc
        );
        for n in self.notes {
            let _ = writeln!(s, "- {n}");
        }
        let _ = writeln!(s, "\n## Commands\n");
        let _ = writeln!(
            s,
            "Rerun everything with `cargo xtask bench` (options: `--duration SECS` per calls/s \
             measurement, default 3; `--rounds N`, default 3; `--codegen-runs N`, default 5; \
             `--skip-builds`). The official model comes from `LIGHTSAIL_OFFICIAL_MODEL` (default \
             `../shared/models/lightsail.json`). Logs: `target/bench/logs/`. In order, it ran:\n"
        );
        let _ = writeln!(s, "```sh");
        for c in self.commands {
            let _ = writeln!(s, "{c}");
        }
        let _ = writeln!(s, "```");
        s
    }
}

fn why(krate: &str) -> &'static str {
    let name = krate.split_whitespace().next().unwrap_or("");
    match name {
        "awsjson-runtime" => "our hand-written, service-agnostic runtime",
        "lightsail" => "the generated crate",
        "regex-lite" => "`aws.partition` region regexes in the endpoint rules engine",
        "tracing" | "tracing-core" | "tracing-attributes" => "request/retry logging in the runtime",
        "rustls-platform-verifier" => "root certificates for the rustls config the runtime builds",
        "aws-types" => "`Config::from_sdk_config` (feature `aws-types`)",
        _ => "",
    }
}

const METHOD: &str = r#"
- **Programs** (`bench/anchor`, `bench/ours`): the same `main` around one client: start the
  loopback server (`bench/common/server.rs`, included by both with `#[path]`), build the client
  with static credentials, region `us-east-1`, default retries and `endpoint_url` = the server,
  then call `GetContainerServiceDeployments`. Anchor: `aws_sdk_lightsail::Config::builder()
  .behavior_version_latest()...`, no aws-config. Ours: `generated/lightsail` by path. Same tokio
  features (`rt-multi-thread, macros, net, io-util, time`), same `[profile]` settings as the
  workspace (`dev`: `debug = "line-tables-only"`; `release`: `debug = false`). Each program is
  its own workspace with a committed `Cargo.lock`.
- **Clean builds**: the program's target dir is removed, then `cargo build --offline`
  (after `cargo fetch`), under `/usr/bin/time -f "%e %U %S %M"`. *Peak RSS of the build* is the
  maximum over 10 Hz samples of the RSS summed over `cargo` and all its descendants (rustc,
  build scripts, linker, cc); *largest process* is `/usr/bin/time`'s `%M`.
- **Binary size**: `target/.../release/bench-<side>`, and the same after `strip`.
- **Crates**: unique `name version` pairs of `cargo tree --prefix none -e normal` (and
  `-e normal,build`), the program itself excluded; *compiled* counts the `Compiling` lines of the
  clean dev build (build-dependencies and build scripts included).
- **Whole-service crate**: ours is generated from the official model with `--operations all`
  (its default feature `full` = every operation) into `target/bench/whole-ours/lightsail`; the
  anchor is `aws-sdk-lightsail` with default features (all operations, there are no per-operation
  features). Dependencies are built first; then `cargo clean -p <crate>` and a timed
  `cargo build -p <crate>` (dev profile), so only that one crate is compiled.
- **Calls/s**: the release programs with `calls SECONDS`: one task calling in a loop, then 16
  tasks sharing one client, each for SECONDS after a 0.3 s warm-up; each call's output must hold
  the 50 deployments. Client and server share the process and the tokio runtime (2 worker
  threads on 2 cores), so both SDKs pay for the same server work. Rounds alternate anchor and
  ours; the median is reported.
- **Parse**: `bench/parse` (release) parses the server's exact body in a loop. Our parser is
  crate-private, so the command builds a probe copy of `generated/lightsail` with
  `protocol_serde` made `pub` (the code is otherwise byte-identical) and calls
  `de_get_container_service_deployments_output(&HttpResponse)` (what the runtime calls). The
  anchor's deserializer is public: `GetContainerServiceDeploymentsOutput::deserialize` over the
  `JsonDeserializer` of an `aws_smithy_json` `JsonCodec` configured as its awsJson1_1 protocol
  does. The serde limit uses `#[derive(Deserialize)]` structs of the same shapes (`HashMap`s,
  enums with a catch-all variant, `createdAt` as `f64`, which is cheaper than an exact
  `DateTime`).
- **Codegen**: the release `xtask` binary, wall time of the whole process (read model, generate,
  format, write files).
"#;
