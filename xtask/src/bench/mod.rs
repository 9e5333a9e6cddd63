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
//! (`Bench::run`), `builds` the clean builds and the parse program, `edits` the check and
//! edit-rebuild loop, `cpu` the CPU-per-call runs, `profile` the perf and symbol-size
//! breakdowns, `procs` the edit rebuild's perf profile by process, `timings` the clean dev
//! builds' `--timings` units by crate, `measure` the timing and `/proc` sampling, `rows` the
//! comparison rows, `report` the writing of `BENCHMARKS.md`, `breakdown` and
//! `build_breakdown` its floor and "what dominates" sections, and `chart` of `BENCHMARKS.svg`.

mod breakdown;
mod build_breakdown;
mod builds;
mod chart;
mod cpu;
mod edits;
mod measure;
mod procs;
mod profile;
mod report;
mod rows;
mod timings;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use builds::BuildResult;
use cpu::{CpuRuns, ServerProcess};
use measure::{capture, file_size, machine, rust_lines, Measured};
use procs::ProcProfile;
use profile::ByCrate;
use report::Report;
use timings::Timings;

/// Command-line options.
struct Options {
    /// Seconds per CPU-per-call run (each of 1 and 16 tasks); at least 10 for the report.
    duration: f64,
    /// Rounds of the CPU-per-call measurements (median reported).
    rounds: usize,
    /// Skip the clean builds (reuse the target dirs): for iterating on the report only.
    skip_builds: bool,
    /// Codegen runs per model (median reported).
    codegen_runs: usize,
    /// Rounds of the clean dev builds of the anchor, ours and the floor (median reported).
    build_rounds: usize,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        duration: 10.0,
        rounds: 3,
        skip_builds: false,
        codegen_runs: 5,
        build_rounds: 3,
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
            "--build-rounds" => {
                opts.build_rounds = value("--build-rounds")?
                    .parse()
                    .map_err(|_| "`--build-rounds` needs a count".to_string())?;
            }
            "--skip-builds" => opts.skip_builds = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if opts.rounds == 0 || opts.codegen_runs == 0 || opts.build_rounds == 0 || opts.duration <= 0.0
    {
        return Err(
            "`--rounds`, `--codegen-runs`, `--build-rounds` and `--duration` must be positive"
                .into(),
        );
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
    /// The median of the clean dev build rounds.
    dev: BuildResult,
    /// That build's `--timings` units.
    dev_timings: Option<Timings>,
    /// Wall seconds of every clean dev build round, in the order run.
    dev_rounds: Vec<f64>,
    /// `cargo build` after a one-line edit of `main.rs`, on top of `dev`.
    dev_edit: Measured,
    /// The same rebuild once more under perf, by process (ours; the floor's is in
    /// `Floor`).
    edit_profile: Option<ProcProfile>,
    check: Measured,
    check_edit: Measured,
    /// The typical program (default config loader + client), clean dev build.
    loader_dev: BuildResult,
    loader_crates: usize,
    release: BuildResult,
    bin_unstripped: u64,
    bin_stripped: u64,
    crates_normal: usize,
    crates_with_build: usize,
    whole: Measured,
    whole_lines: usize,
    cpu: CpuRuns,
    /// Client CPU samples by crate (16 tasks), when perf could record.
    cpu_profile: Option<ByCrate>,
    /// Release binary symbol bytes by crate.
    bin_by_crate: Option<ByCrate>,
}

/// `bench/floor`: the same call with only the chosen packages and no SDK.
#[derive(Default)]
struct Floor {
    dev: BuildResult,
    dev_timings: Option<Timings>,
    dev_rounds: Vec<f64>,
    dev_edit: Measured,
    edit_profile: Option<ProcProfile>,
    release: BuildResult,
    stripped: u64,
    crates_normal: usize,
    cpu: CpuRuns,
    bin_by_crate: Option<ByCrate>,
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
const FLOOR: &str = "floor";
/// The typical programs: each SDK's default config loader, then the client.
const ANCHOR_LOADER: &str = "anchor-loader";
const OURS_LOADER: &str = "ours-loader";

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
        for program in [ANCHOR, OURS, FLOOR, ANCHOR_LOADER, OURS_LOADER] {
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
        let mut floor = Floor::default();

        // Clean builds, interleaved so a slow period of the shared CPU hits both; each dev
        // build is followed by the edit-rebuild it enables, each clean check by its edit.
        if !self.opts.skip_builds {
            // A single clean build is at the mercy of the shared host (one run here was 1.8x
            // another), so the dev builds the build target is judged on run in rounds.
            let [a, o, f] = self.clean_dev_rounds([ANCHOR, OURS, FLOOR])?;
            (anchor.dev, anchor.dev_timings, anchor.dev_rounds) = a;
            (ours.dev, ours.dev_timings, ours.dev_rounds) = o;
            (floor.dev, floor.dev_timings, floor.dev_rounds) = f;
            // Each target dir still holds its last round's build for the edit rebuild.
            anchor.dev_edit = self.rebuild_after_edit(ANCHOR)?;
            ours.dev_edit = self.rebuild_after_edit(OURS)?;
            floor.dev_edit = self.rebuild_after_edit(FLOOR)?;
            // Untimed: the same rebuild again under perf, to see which processes take it.
            ours.edit_profile = self.edit_rebuild_profile(OURS);
            floor.edit_profile = self.edit_rebuild_profile(FLOOR);
            for (side, s) in [(ANCHOR, &mut anchor), (OURS, &mut ours)] {
                (s.check, s.check_edit) = self.checks(side)?;
            }
            for (side, s) in [(ANCHOR_LOADER, &mut anchor), (OURS_LOADER, &mut ours)] {
                s.loader_dev = self.clean_build(side, false)?;
                self.run_loader_program(side)?;
            }
            for (side, s) in [(ANCHOR, &mut anchor), (OURS, &mut ours)] {
                s.release = self.clean_build(side, true)?;
            }
            floor.release = self.clean_build(FLOOR, true)?;
        }
        for (side, s) in [(ANCHOR, &mut anchor), (OURS, &mut ours)] {
            let bin = self.release_bin(side);
            s.bin_unstripped = file_size(&bin)?;
            s.bin_stripped = self.stripped_size(side)?;
            s.bin_by_crate = self.binary_by_crate(&bin);
            let (normal, with_build) = self.crate_counts(side)?;
            s.crates_normal = normal.len();
            s.crates_with_build = with_build.len();
        }
        floor.stripped = self.stripped_size(FLOOR)?;
        floor.bin_by_crate = self.binary_by_crate(&self.release_bin(FLOOR));
        anchor.loader_crates = self.crate_counts(ANCHOR_LOADER)?.0.len();
        ours.loader_crates = self.crate_counts(OURS_LOADER)?.0.len();
        let extra_rows = self.crates_above_floor(&mut floor)?;

        // Codegen time (release xtask), and the whole-service crate.
        let (closure_times, full_times, whole_dir) = self.codegen_times()?;
        if !self.opts.skip_builds {
            ours.whole = self.whole_ours(&whole_dir)?;
            anchor.whole = self.whole_anchor()?;
        }
        ours.whole_lines = rust_lines(&whole_dir.join("lightsail").join("src"));
        if let Some(src) = self.anchor_source_dir(&anchor_version)? {
            anchor.whole_lines = rust_lines(&src.join("src"));
        }

        // CPU per call: clients in their own processes, the server in another.
        let server = ServerProcess::start(&self.release_bin(FLOOR))?;
        let mut runs = self
            .cpu_rounds(
                &server,
                &[ANCHOR, OURS, FLOOR],
                self.opts.rounds,
                self.opts.duration,
            )?
            .into_iter();
        anchor.cpu = runs.next().unwrap_or_default();
        ours.cpu = runs.next().unwrap_or_default();
        floor.cpu = runs.next().unwrap_or_default();
        let profile_secs = (self.opts.duration / 2.0).max(3.0);
        anchor.cpu_profile = self.cpu_profile(&server, ANCHOR, profile_secs);
        ours.cpu_profile = self.cpu_profile(&server, OURS, profile_secs);
        drop(server);

        // Parse throughput.
        let parse = self.parse_bench()?;

        // Report and chart.
        let elapsed = started.elapsed().as_secs_f64();
        let rows = rows::rows(&anchor, &ours, &floor);
        let report = Report {
            machine,
            date: date.clone(),
            commit: commit.clone(),
            anchor_version,
            tokio: if tokio_anchor == tokio_ours {
                tokio_anchor
            } else {
                format!("anchor {tokio_anchor}, ours {tokio_ours}")
            },
            rows: &rows,
            anchor,
            ours,
            floor,
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
        let svg = self.root.join("BENCHMARKS.svg");
        let title = format!("generated lightsail / aws-sdk-lightsail, {date}, commit {commit}");
        std::fs::write(&svg, chart::render(&rows, &title))
            .map_err(|e| format!("{}: {e}", svg.display()))?;
        println!(
            "wrote {} and {} ({elapsed:.0} s)",
            path.display(),
            svg.display()
        );
        Ok(())
    }

    /// Strips the program's release binary into `target/bench/` and returns its size.
    fn stripped_size(&mut self, side: &str) -> Result<u64, String> {
        let stripped = self.work.join(format!("bench-{side}.stripped"));
        let bin = self.release_bin(side);
        self.cmd(
            Command::new("strip").arg("-o").arg(&stripped).arg(&bin),
            &format!("strip -o target/bench/bench-{side}.stripped target/bench/{side}-release-target/release/bench-{side}"),
        )?;
        file_size(&stripped)
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
