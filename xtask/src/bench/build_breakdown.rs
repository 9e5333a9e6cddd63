//! The report's lines on the build targets: floor / anchor under the results table, and in
//! "what dominates" the edit rebuild by process (`perf`, see `procs`), the clean dev build by
//! crate and its critical path (`--timings`, see `timings`), and one line per missed build
//! target whose every number is read from those profiles.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::procs::{ProcProfile, CARGO, LINKING, RUSTC};
use super::report::Report;
use super::rows::{Row, DEV_BUILD, EDIT_REBUILD};
use super::timings::Timings;

/// Crates listed in the "beyond the floor" table, and units in a critical path.
const TOP: usize = 12;
const PATH_LEN: usize = 6;
/// The end of the build, in seconds, whose units are listed.
const TAIL_SECS: f64 = 10.0;

impl Report<'_> {
    /// `floor / anchor` of each row the floor measures too, under the results table.
    pub(super) fn floor_ratios(&self, s: &mut String) {
        let lines: Vec<String> = self
            .rows
            .iter()
            .filter_map(|row| {
                let f = row.floor_ratio()?;
                let ours = row.ratio().map_or("-".into(), |r| format!("{r:.2}"));
                let target = match row.target_text() {
                    t if t.is_empty() => String::new(),
                    t => format!(", target {t}"),
                };
                Some(format!(
                    "- {}: floor / anchor = {f:.2} (ours / anchor {ours}{target})",
                    row.name
                ))
            })
            .collect();
        if lines.is_empty() {
            return;
        }
        let _ = writeln!(
            s,
            "\nThe floor (`bench/floor`: the same call on the chosen packages, no SDK) against \
             the anchor, on the rows it measures too; no program on those packages gets below it:\n"
        );
        for line in lines {
            let _ = writeln!(s, "{line}");
        }
    }

    /// The clean dev build rounds under the results table: every round's wall time and
    /// ratio, so the spread behind the reported medians is in view.
    pub(super) fn dev_rounds(&self, s: &mut String) {
        let (a, o, f) = (
            &self.anchor.dev_rounds,
            &self.ours.dev_rounds,
            &self.floor.dev_rounds,
        );
        if a.is_empty() || a.len() != o.len() {
            return;
        }
        let walls = |v: &[f64]| {
            v.iter()
                .map(|w| format!("{w:.1}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let ratios: Vec<String> = a
            .iter()
            .zip(o)
            .map(|(a, o)| format!("{:.2}", o / a))
            .collect();
        let _ = writeln!(
            s,
            "
Clean dev builds ran in {} interleaved rounds (anchor, ours, floor in each); the \
             table shows each program's median. Wall seconds in the order run: anchor {}; ours \
             {}; floor {}. Ours / anchor by round: {}.",
            a.len(),
            walls(a),
            walls(o),
            walls(f),
            ratios.join(", ")
        );
    }

    /// The build part of "what dominates": a line per missed build target, then the tables.
    pub(super) fn build_dominates(&self, s: &mut String) {
        let missed: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.met() == Some(false) && [DEV_BUILD, EDIT_REBUILD].contains(&r.name))
            .collect();
        if !missed.is_empty() {
            let _ = writeln!(s, "**Missed build targets**, from the profiles below:\n");
        }
        for row in missed {
            let line = if row.name == EDIT_REBUILD {
                edit_line(
                    row,
                    self.ours.edit_profile.as_ref(),
                    self.floor.edit_profile.as_ref(),
                )
            } else {
                dev_line(
                    row,
                    self.ours.dev_timings.as_ref(),
                    self.floor.dev_timings.as_ref(),
                )
            };
            let _ = writeln!(s, "- {line}");
        }
        self.edit_table(s);
        self.dev_tables(s);
    }

    fn edit_table(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "\n**Rebuild after a one-line edit (dev), by process**: the rebuild run once more \
             after another edit, under `perf record -F 999 -g` (children followed), samples by \
             command name (`perf report --sort comm`; rustc's LLVM threads counted as rustc):\n"
        );
        let (Some(o), Some(f)) = (&self.ours.edit_profile, &self.floor.edit_profile) else {
            let _ = writeln!(
                s,
                "(perf was not available: no profile of the edit rebuild)"
            );
            return;
        };
        let mut groups: Vec<&str> = o.shares.iter().map(|(g, _)| g.as_str()).collect();
        for (g, _) in &f.shares {
            if !groups.contains(&g.as_str()) {
                groups.push(g);
            }
        }
        let _ = writeln!(s, "| process | ours % | floor % |");
        let _ = writeln!(s, "|---|---:|---:|");
        for g in groups {
            let _ = writeln!(s, "| {g} | {:.1} | {:.1} |", o.share(g), f.share(g));
        }
        let _ = writeln!(
            s,
            "| wall of the profiled run (perf's overhead included) | {:.2} s | {:.2} s |",
            o.wall, f.wall
        );
        let _ = writeln!(
            s,
            "| wall of the timed run (no perf) | {:.2} s | {:.2} s |",
            self.ours.dev_edit.wall, self.floor.dev_edit.wall
        );
    }

    fn dev_tables(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "\n**Clean dev build, compile seconds by crate** (`cargo build --timings`, every \
             unit of a crate summed: lib, build script and its run; units run two at a time \
             here, so the sums exceed the wall time). Crates ours compiles that the floor does \
             not, largest first:\n"
        );
        let (Some(o), Some(f)) = (&self.ours.dev_timings, &self.floor.dev_timings) else {
            let _ = writeln!(s, "(no `--timings` data: see *Noise*)");
            return;
        };
        let beyond = beyond_floor(o, f);
        let _ = writeln!(s, "| crate | seconds |");
        let _ = writeln!(s, "|---|---:|");
        for (krate, secs) in beyond.iter().take(TOP) {
            let _ = writeln!(s, "| {krate} | {secs:.2} |");
        }
        if beyond.len() > TOP {
            let rest: f64 = beyond[TOP..].iter().map(|(_, v)| v).sum();
            let _ = writeln!(s, "| {} more | {rest:.2} |", beyond.len() - TOP);
        }
        let beyond_sum: f64 = beyond.iter().map(|(_, v)| v).sum();
        let _ = writeln!(
            s,
            "\nTotals: ours {:.1} s of units (its last unit ended at {:.1} s), the floor {:.1} s \
             ({:.1} s); the {} beyond the floor {beyond_sum:.1} s; the program's own crate \
             ours {:.2} s, floor {:.2} s.\n",
            o.total(),
            o.end(),
            f.total(),
            f.end(),
            crates(beyond.len()),
            program_secs(o),
            program_secs(f)
        );
        let _ = writeln!(
            s,
            "Critical path, last unit first (each could start once the next one listed had \
             finished; `start-end` in seconds from the start of the build; a gap between a \
             unit's start and the end of the one after it is time spent waiting for one of \
             cargo's job slots):\n"
        );
        let _ = writeln!(s, "- ours: {}", path_text(o, PATH_LEN));
        let _ = writeln!(s, "- floor: {}", path_text(f, PATH_LEN));
        let _ = writeln!(
            s,
            "\nUnits that ended in the last {TAIL_SECS:.0} s of the build (what the tail runs):\n"
        );
        let _ = writeln!(s, "- ours: {}", tail_text(o));
        let _ = writeln!(s, "- floor: {}", tail_text(f));
    }
}

fn crates(n: usize) -> String {
    if n == 1 {
        "1 crate".into()
    } else {
        format!("{n} crates")
    }
}

/// The program's own crate (`bench-*`), which every program has one of.
fn is_program(key: &str) -> bool {
    key.starts_with("bench-")
}

fn program_secs(t: &Timings) -> f64 {
    t.by_crate()
        .iter()
        .filter(|(k, _)| is_program(k))
        .map(|(_, v)| v)
        .sum()
}

/// Seconds by crate of the crates (name and version) `ours` compiled and `floor` did not,
/// largest first; the programs' own crates left out.
fn beyond_floor(ours: &Timings, floor: &Timings) -> Vec<(String, f64)> {
    let in_floor: BTreeSet<String> = floor.units.iter().map(|u| u.key()).collect();
    ours.by_crate()
        .into_iter()
        .filter(|(k, _)| !in_floor.contains(k) && !is_program(k))
        .collect()
}

/// `bench-ours (bin) 80.1-84.0 ← lightsail 60.2-80.0 ← ...`.
fn path_text(t: &Timings, n: usize) -> String {
    let path = t.critical_path();
    let mut parts: Vec<String> = path
        .iter()
        .take(n)
        .map(|u| format!("{} {:.1}-{:.1}", u.label(), u.start, u.end()))
        .collect();
    if path.len() > n {
        parts.push(format!("... ({} more)", path.len() - n));
    }
    parts.join(" ← ")
}

/// The units that ended in the last [`TAIL_SECS`], last first.
fn tail_text(t: &Timings) -> String {
    let end = t.end();
    let mut units: Vec<_> = t
        .units
        .iter()
        .filter(|u| u.end() >= end - TAIL_SECS)
        .collect();
    units.sort_by(|a, b| b.end().total_cmp(&a.end()));
    units
        .iter()
        .map(|u| format!("{} {:.1}-{:.1}", u.label(), u.start, u.end()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ratio_text(row: &Row) -> String {
    format!(
        "ours {} = {} of the anchor's {}, target {}",
        row.unit.show(row.ours),
        row.ratio().map_or("-".into(), |r| format!("{r:.2}")),
        row.unit.show(row.anchor),
        row.target_text()
    )
}

fn floor_text(row: &Row) -> String {
    match (row.floor, row.floor_ratio()) {
        (Some(f), Some(r)) => format!(
            "the floor's takes {} of the anchor's {} ({r:.2})",
            row.unit.show(f),
            row.unit.show(row.anchor)
        ),
        _ => "the floor was not measured".into(),
    }
}

fn procs_text(p: &ProcProfile) -> String {
    format!(
        "linking {:.0} % (rust-lld, ld, cc), rustc {:.0} %, cargo {:.0} %",
        p.share(LINKING),
        p.share(RUSTC),
        p.share(CARGO)
    )
}

/// The missed edit-rebuild target, explained by the processes' shares.
fn edit_line(row: &Row, ours: Option<&ProcProfile>, floor: Option<&ProcProfile>) -> String {
    let profile = match (ours, floor) {
        (Some(o), Some(f)) => format!(
            "ours' rebuild is {} of the samples (the floor's: {})",
            procs_text(o),
            procs_text(f)
        ),
        (Some(o), None) => format!("ours' rebuild is {} of the samples", procs_text(o)),
        _ => "no perf profile".into(),
    };
    format!(
        "edit rebuild ({}): {profile}; {}.",
        ratio_text(row),
        floor_text(row)
    )
}

/// The missed clean-build target, explained by the crates beyond the floor and the tail.
fn dev_line(row: &Row, ours: Option<&Timings>, floor: Option<&Timings>) -> String {
    let (Some(o), Some(f)) = (ours, floor) else {
        return format!(
            "clean dev build ({}): {}; no `--timings` data.",
            ratio_text(row),
            floor_text(row)
        );
    };
    let beyond = beyond_floor(o, f);
    let sum: f64 = beyond.iter().map(|(_, v)| v).sum();
    let largest: Vec<String> = beyond
        .iter()
        .take(3)
        .map(|(k, v)| format!("{k} {v:.1} s"))
        .collect();
    let tail = |t: &Timings| {
        let path = t.critical_path();
        match path.as_slice() {
            [last, before, ..] => format!(
                "{} {:.1} s after {} {:.1} s",
                last.label(),
                last.duration,
                before.label(),
                before.duration
            ),
            [last] => format!("{} {:.1} s", last.label(), last.duration),
            [] => "no units".into(),
        }
    };
    format!(
        "clean dev build ({}): {}; ours compiles {} the floor does not, {sum:.1} s of unit \
         time (largest: {}); ours' build ends with {}, the floor's with {}.",
        ratio_text(row),
        floor_text(row),
        crates(beyond.len()),
        largest.join(", "),
        tail(o),
        tail(f)
    )
}

#[cfg(test)]
mod tests {
    use super::super::rows::{Target, Unit};
    use super::super::timings::Unit as TimedUnit;
    use super::*;

    fn unit(index: u64, name: &str, start: f64, duration: f64, unlocked: &[u64]) -> TimedUnit {
        TimedUnit {
            index,
            name: name.into(),
            version: "1.0.0".into(),
            target: if name.starts_with("bench-") {
                " bench \"bin\"".into()
            } else {
                String::new()
            },
            start,
            duration,
            unlocked: unlocked.to_vec(),
        }
    }

    fn row(name: &'static str, anchor: f64, ours: f64, floor: f64, target: f64) -> Row {
        Row {
            name,
            anchor,
            ours,
            unit: Unit::Secs,
            target: Some(Target::RatioAtMost(target)),
            floor: Some(floor),
        }
    }

    #[test]
    fn the_edit_line_reads_the_process_shares() {
        let share = |l: f64, r: f64, c: f64| ProcProfile {
            wall: 2.0,
            shares: vec![(LINKING.into(), l), (RUSTC.into(), r), (CARGO.into(), c)],
        };
        let line = edit_line(
            &row(EDIT_REBUILD, 2.5, 1.8, 1.15, 0.6),
            Some(&share(39.2, 35.0, 19.0)),
            Some(&share(47.8, 29.2, 23.0)),
        );
        assert_eq!(
            line,
            "edit rebuild (ours 1.80 s = 0.72 of the anchor's 2.50 s, target <= 0.6): ours' \
             rebuild is linking 39 % (rust-lld, ld, cc), rustc 35 %, cargo 19 % of the samples \
             (the floor's: linking 48 % (rust-lld, ld, cc), rustc 29 %, cargo 23 %); the \
             floor's takes 1.15 s of the anchor's 2.50 s (0.46)."
        );
    }

    #[test]
    fn the_dev_line_names_the_crates_beyond_the_floor_and_the_tail() {
        let floor = Timings {
            units: vec![
                unit(0, "tokio", 0.0, 10.0, &[1]),
                unit(1, "bench-floor", 10.0, 2.0, &[]),
            ],
        };
        let ours = Timings {
            units: vec![
                unit(0, "tokio", 0.0, 10.0, &[2]),
                unit(1, "awsjson-runtime", 0.0, 6.0, &[]),
                unit(2, "lightsail", 10.0, 8.0, &[3]),
                unit(3, "bench-ours", 18.0, 3.0, &[]),
            ],
        };
        assert_eq!(
            beyond_floor(&ours, &floor),
            vec![
                ("lightsail 1.0.0".to_string(), 8.0),
                ("awsjson-runtime 1.0.0".to_string(), 6.0)
            ]
        );
        let line = dev_line(
            &row(DEV_BUILD, 50.0, 20.0, 18.0, 0.36),
            Some(&ours),
            Some(&floor),
        );
        assert_eq!(
            line,
            "clean dev build (ours 20.0 s = 0.40 of the anchor's 50.0 s, target <= 0.36): the \
             floor's takes 18.0 s of the anchor's 50.0 s (0.36); ours compiles 2 crates the \
             floor does not, 14.0 s of unit time (largest: lightsail 1.0.0 8.0 s, \
             awsjson-runtime 1.0.0 6.0 s); ours' build ends with bench-ours (bin) 3.0 s after \
             lightsail 8.0 s, the floor's with bench-floor (bin) 2.0 s after tokio 10.0 s."
        );
        assert_eq!(
            path_text(&ours, 2),
            "bench-ours (bin) 18.0-21.0 ← lightsail 10.0-18.0 ← ... (1 more)"
        );
        assert_eq!(program_secs(&ours), 3.0);
        assert_eq!(
            tail_text(&ours),
            "bench-ours (bin) 18.0-21.0, lightsail 10.0-18.0",
            "tokio ended 11 s before the end"
        );
    }

    #[test]
    fn without_profiles_the_lines_say_so() {
        let r = row(DEV_BUILD, 50.0, 20.0, 18.0, 0.36);
        assert!(dev_line(&r, None, None).ends_with("no `--timings` data."));
        assert!(edit_line(&r, None, None).contains("no perf profile"));
    }

    /// The whole report, rendered from measurements whose build targets are missed.
    #[test]
    fn the_report_explains_the_missed_build_targets_from_the_profiles() {
        use super::super::builds::{BuildResult, ParseResult};
        use super::super::measure::{Machine, Measured};
        use super::super::{rows, Floor, Options, Side};
        let wall = |wall: f64| Measured {
            wall,
            ..Measured::default()
        };
        let built = |secs: f64| BuildResult {
            m: wall(secs),
            compiled: 1,
        };
        let profile = |linking: f64| ProcProfile {
            wall: 3.0,
            shares: vec![
                (LINKING.into(), linking),
                (RUSTC.into(), 90.0 - linking),
                (CARGO.into(), 10.0),
            ],
        };
        let sample = include_str!("../../tests/data/cargo-timing-unit-data.html");
        let floor_timings = Timings::parse(sample).expect("sample parses");
        let mut ours_timings = floor_timings.clone();
        ours_timings
            .units
            .push(unit(500, "lightsail", 91.0, 9.0, &[]));
        let anchor = Side {
            dev: built(100.0),
            dev_rounds: vec![100.0, 150.0, 90.0],
            dev_edit: wall(2.5),
            ..Side::default()
        };
        let ours = Side {
            dev: built(40.0),
            dev_rounds: vec![40.0, 45.0, 36.0],
            dev_edit: wall(1.8),
            dev_timings: Some(ours_timings),
            edit_profile: Some(profile(39.0)),
            ..Side::default()
        };
        let floor = Floor {
            dev: built(36.0),
            dev_rounds: vec![36.0, 41.0, 30.0],
            dev_edit: wall(1.15),
            dev_timings: Some(floor_timings),
            edit_profile: Some(profile(48.0)),
            ..Floor::default()
        };
        let rows = rows::rows(&anchor, &ours, &floor);
        let opts = Options {
            duration: 10.0,
            rounds: 3,
            skip_builds: false,
            codegen_runs: 5,
            build_rounds: 3,
        };
        let text = |t: &str| t.to_string();
        let report = Report {
            rows: &rows,
            floor,
            machine: Machine {
                nproc: text("2"),
                mem: text("8 GiB"),
                cpu: text("cpu"),
                rustc: text("rustc"),
                cargo: text("cargo"),
                kernel: text("linux"),
            },
            date: text("today"),
            commit: text("abc"),
            anchor_version: text("1.0.0"),
            tokio: text("1"),
            anchor,
            ours,
            extra_rows: Vec::new(),
            closure_times: vec![0.1],
            full_times: vec![0.5],
            parse: ParseResult {
                serde: 1.0,
                ours: 1.0,
                anchor: 1.0,
                bytes: 1.0,
            },
            official_model: text("model.json"),
            elapsed: 1.0,
            opts: &opts,
            commands: &[],
            notes: &[],
        }
        .render();
        for expected in [
            "Clean dev builds ran in 3 interleaved rounds (anchor, ours, floor in each); the \
             table shows each program's median. Wall seconds in the order run: anchor 100.0, \
             150.0, 90.0; ours 40.0, 45.0, 36.0; floor 36.0, 41.0, 30.0. Ours / anchor by \
             round: 0.40, 0.30, 0.40.",
            "- clean dev build, wall: floor / anchor = 0.36 (ours / anchor 0.40, target <= 0.36)",
            "| clean dev build, wall | 36.0 s | 40.0 s | 100.0 s |",
            "| rebuild after a one-line edit (dev), wall | 1.15 s | 1.80 s | 2.50 s |",
            "- edit rebuild (ours 1.80 s = 0.72 of the anchor's 2.50 s, target <= 0.6): ours' \
             rebuild is linking 39 % (rust-lld, ld, cc), rustc 51 %, cargo 10 %",
            "- clean dev build (ours 40.0 s = 0.40 of the anchor's 100.0 s, target <= 0.36): \
             the floor's takes 36.0 s of the anchor's 100.0 s (0.36); ours compiles 1 crate \
             the floor does not, 9.0 s of unit time (largest: lightsail 1.0.0 9.0 s); ours' \
             build ends with lightsail 9.0 s, the floor's with bench-floor (bin) 0.0 s after \
             reqwest 5.5 s.",
            "| linking (rust-lld, ld, cc) | 39.0 | 48.0 |",
            "| wall of the timed run (no perf) | 1.80 s | 1.15 s |",
            "| lightsail 1.0.0 | 9.00 |",
            "- ours: lightsail 91.0-100.0\n",
            "- floor: bench-floor (bin) 90.6-90.6 ← reqwest 85.0-90.6 ← rustls-platform-verifier",
        ] {
            assert!(
                report.contains(expected),
                "missing {expected:?} in\n{report}"
            );
        }
    }
}
