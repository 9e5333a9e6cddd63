//! The measured builds of `cargo xtask bench`: clean dev/release builds of each program,
//! the crate counts of their dependency closures, the whole-model builds, and the parse
//! program (which reaches our private parser through `lightsail::__private`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::measure::{capture, field, measure, time_it, Measured};
use super::timings::Timings;
use super::{crate_key, Bench, Floor, ANCHOR, FLOOR, OURS};

impl Bench {
    /// `rm -rf` the target dir, then a timed `cargo build [--release] --offline`.
    pub(super) fn clean_build(&mut self, side: &str, release: bool) -> Result<BuildResult, String> {
        self.clean_build_with(side, release, false)
    }

    /// A clean dev build with `--timings` (the same for every program compared, so the
    /// ratios stay fair), and its units read back; `None` (and a note) when the page is
    /// missing or unreadable.
    fn clean_dev_with_timings(
        &mut self,
        side: &str,
    ) -> Result<(BuildResult, Option<Timings>), String> {
        let build = self.clean_build_with(side, false, true)?;
        if self.opts.skip_builds {
            return Ok((build, None));
        }
        let timings = Timings::read(&self.target_dir(&format!("{side}-dev")))
            .map_err(|e| self.notes.push(format!("{side} dev --timings: {e}")))
            .ok();
        Ok((build, timings))
    }

    /// `build_rounds` clean dev builds (`--timings`) of each program, interleaved (every
    /// program once per round, in order) so a slow period of the shared host hits them all.
    /// Per program: the build of median wall time (the slower middle one for an even count)
    /// with its units, and the wall times of all rounds in the order run.
    pub(super) fn clean_dev_rounds<const N: usize>(
        &mut self,
        sides: [&str; N],
    ) -> Result<[DevRounds; N], String> {
        let mut runs: [Vec<(BuildResult, Option<Timings>)>; N] =
            std::array::from_fn(|_| Vec::new());
        for _ in 0..self.opts.build_rounds {
            for (side, runs) in sides.iter().zip(runs.iter_mut()) {
                runs.push(self.clean_dev_with_timings(side)?);
            }
        }
        Ok(runs.map(|mut runs| {
            let walls: Vec<f64> = runs.iter().map(|(b, _)| b.m.wall).collect();
            runs.sort_by(|a, b| a.0.m.wall.total_cmp(&b.0.m.wall));
            let (build, timings) = runs.swap_remove(runs.len() / 2);
            (build, timings, walls)
        }))
    }

    fn clean_build_with(
        &mut self,
        side: &str,
        release: bool,
        timings: bool,
    ) -> Result<BuildResult, String> {
        let profile = if release { "release" } else { "dev" };
        let target = self.target_dir(&format!("{side}-{profile}"));
        let shown = format!(
            "rm -rf target/bench/{side}-{profile}-target && (cd bench/{side} && CARGO_TARGET_DIR=../../target/bench/{side}-{profile}-target cargo build --offline{}{})",
            if release { " --release" } else { "" },
            if timings { " --timings" } else { "" }
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
        if timings {
            // A few ms of bookkeeping and one HTML page at the end of the build.
            args.push("--timings");
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
    pub(super) fn crate_counts(
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

    /// Crates of our program's tree that are not in the floor's, with who pulls them in.
    /// Records the floor's crate count on the way.
    pub(super) fn crates_above_floor(
        &mut self,
        floor: &mut Floor,
    ) -> Result<Vec<(String, String)>, String> {
        let (ours_normal, _) = self.crate_counts(OURS)?;
        let (floor_normal, _) = self.crate_counts(FLOOR)?;
        floor.crates_normal = floor_normal.len();
        let mut rows = Vec::new();
        for krate in ours_normal.difference(&floor_normal) {
            let spec = krate.replacen(' ', "@", 1).replacen("@v", "@", 1);
            let out = capture(
                Command::new("cargo")
                    .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
                    .args(["--depth", "1", "-i", &spec])
                    .current_dir(self.program_dir(OURS)),
            )?;
            let dependents: Vec<String> = out.lines().skip(1).filter_map(crate_key).collect();
            rows.push((krate.clone(), dependents.join(", ")));
        }
        self.commands.push(
            "(cd bench/ours && cargo tree --offline -e normal --prefix none --depth 1 -i <crate>)"
                .into(),
        );
        Ok(rows)
    }

    /// Codegen wall times (release `xtask`) of our closure model and of the whole official
    /// model; leaves the whole-model crate in `target/bench/whole-ours/lightsail` for the
    /// whole-service build. Returns `(closure runs, full runs, whole-ours dir)`.
    pub(super) fn codegen_times(&mut self) -> Result<(Vec<f64>, Vec<f64>, PathBuf), String> {
        self.cmd(
            Command::new("cargo")
                .args(["build", "--release", "-p", "xtask"])
                .current_dir(&self.root),
            "cargo build --release -p xtask",
        )?;
        let xtask = self.root.join("target").join("release").join("xtask");
        let closure_model = self.root.join("model").join("lightsail.json");
        let closure_out = self.work.join("codegen-closure");
        let whole_dir = self.work.join("whole-ours");
        let gen_full = whole_dir.join("lightsail");
        let (mut closure_times, mut full_times) = (Vec::new(), Vec::new());
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
        Ok((closure_times, full_times, whole_dir))
    }

    /// Our whole-service crate (all operations: its default feature `full`) alone, dev.
    pub(super) fn whole_ours(&mut self, whole_dir: &Path) -> Result<Measured, String> {
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
    pub(super) fn whole_anchor(&mut self) -> Result<Measured, String> {
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

    pub(super) fn anchor_source_dir(&self, version: &str) -> Result<Option<PathBuf>, String> {
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
    pub(super) fn measure_output(
        &mut self,
        command: &mut Command,
        name: &str,
    ) -> Result<(String, Measured), String> {
        let log = self.logs.join(format!("{name}.log"));
        let m = measure(command, &log)?;
        let out = std::fs::read_to_string(&log).map_err(|e| e.to_string())?;
        Ok((out, m))
    }

    pub(super) fn parse_bench(&mut self) -> Result<ParseResult, String> {
        // bench/parse depends on generated/lightsail by path and calls the parser through
        // its `#[doc(hidden)] pub mod __private` (the code the runtime runs, unchanged).
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

pub(super) struct ParseResult {
    pub(super) serde: f64,
    pub(super) ours: f64,
    pub(super) anchor: f64,
    pub(super) bytes: f64,
}

/// The median clean dev build of a program, its `--timings` units, and the wall times of
/// every round.
pub(super) type DevRounds = (BuildResult, Option<Timings>, Vec<f64>);

/// A clean build of one program in one profile.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct BuildResult {
    pub(super) m: Measured,
    /// `Compiling` lines in the build log: crates compiled (incl. build deps, proc macros).
    pub(super) compiled: usize,
}
