//! The comparison rows of `cargo xtask bench`, decided once from the measurements: the
//! results table of `BENCHMARKS.md` and the chart both read them.

use super::cpu::CpuRuns;
use super::{Floor, Side};

/// How a row's value is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Unit {
    Secs,
    Mib,
    Kib,
    Count,
    PerSec,
    Micros,
}

impl Unit {
    pub(super) fn show(self, v: f64) -> String {
        match self {
            Unit::Secs if v < 10.0 => format!("{v:.2} s"),
            Unit::Secs => format!("{v:.1} s"),
            Unit::Mib => format!("{v:.0} MiB"),
            Unit::Kib => format!("{v:.0} KiB"),
            Unit::Count => format!("{v:.0}"),
            Unit::PerSec => format!("{v:.0}/s"),
            Unit::Micros => format!("{v:.0} µs"),
        }
    }
}

/// What a row must reach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Target {
    /// `ours / anchor` at most this.
    RatioAtMost(f64),
    /// Ours at most this value, in the row's unit.
    OursAtMost(f64),
}

/// The clean dev build row's name (the "what dominates" lines look it up).
pub(super) const DEV_BUILD: &str = "clean dev build, wall";
/// The edit-rebuild row's name.
pub(super) const EDIT_REBUILD: &str = "rebuild after a one-line edit of `main.rs` (dev), wall";

/// One metric, both programs, and the floor's value where `bench/floor` measures it too.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) name: &'static str,
    pub(super) anchor: f64,
    pub(super) ours: f64,
    pub(super) unit: Unit,
    pub(super) target: Option<Target>,
    /// `bench/floor`'s value: what any program on the chosen packages costs at least.
    pub(super) floor: Option<f64>,
}

impl Row {
    fn new(name: &'static str, anchor: f64, ours: f64, unit: Unit) -> Row {
        Row {
            name,
            anchor,
            ours,
            unit,
            target: None,
            floor: None,
        }
    }

    fn target(mut self, target: Target) -> Row {
        self.target = Some(target);
        self
    }

    fn floor(mut self, floor: f64) -> Row {
        self.floor = Some(floor);
        self
    }

    /// `ours / anchor`, when both were measured.
    pub(super) fn ratio(&self) -> Option<f64> {
        (self.anchor > 0.0 && self.ours > 0.0).then(|| self.ours / self.anchor)
    }

    /// `floor / anchor`, when both were measured: the lowest ratio any program on the
    /// floor's packages could reach.
    pub(super) fn floor_ratio(&self) -> Option<f64> {
        let floor = self.floor?;
        (self.anchor > 0.0 && floor > 0.0).then(|| floor / self.anchor)
    }

    /// Whether the target is met; `None` without a target or a measurement.
    pub(super) fn met(&self) -> Option<bool> {
        match self.target? {
            Target::RatioAtMost(x) => self.ratio().map(|r| r <= x),
            Target::OursAtMost(x) => (self.ours > 0.0).then_some(self.ours <= x),
        }
    }

    pub(super) fn target_text(&self) -> String {
        match self.target {
            Some(Target::RatioAtMost(x)) => format!("<= {x}"),
            Some(Target::OursAtMost(x)) => format!("ours <= {}", self.unit.show(x)),
            None => String::new(),
        }
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn kib(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

/// Every row, in report order.
pub(super) fn rows(a: &Side, o: &Side, floor: &Floor) -> Vec<Row> {
    use Unit::*;
    let overhead = |stripped: u64| kib(stripped.saturating_sub(floor.stripped));
    vec![
        Row::new(DEV_BUILD, a.dev.m.wall, o.dev.m.wall, Secs)
            .target(Target::RatioAtMost(0.36))
            .floor(floor.dev.m.wall),
        Row::new(
            "clean dev build, CPU (user+sys)",
            a.dev.m.cpu,
            o.dev.m.cpu,
            Secs,
        )
        .floor(floor.dev.m.cpu),
        Row::new(
            "clean dev build, peak RSS of the build (process tree, 10 Hz)",
            mib(a.dev.m.tree_rss_kib),
            mib(o.dev.m.tree_rss_kib),
            Mib,
        ),
        Row::new(
            "clean dev build, peak RSS of its largest process",
            mib(a.dev.m.max_rss_kib),
            mib(o.dev.m.max_rss_kib),
            Mib,
        ),
        Row::new(EDIT_REBUILD, a.dev_edit.wall, o.dev_edit.wall, Secs)
            .target(Target::RatioAtMost(0.6))
            .floor(floor.dev_edit.wall),
        Row::new(
            "clean `cargo check`, wall",
            a.check.wall,
            o.check.wall,
            Secs,
        )
        .target(Target::RatioAtMost(0.4)),
        Row::new(
            "`cargo check` after a one-line edit, wall",
            a.check_edit.wall,
            o.check_edit.wall,
            Secs,
        ),
        Row::new(
            "typical program (default loader + client), clean dev build, wall",
            a.loader_dev.m.wall,
            o.loader_dev.m.wall,
            Secs,
        )
        .target(Target::RatioAtMost(0.40)),
        Row::new(
            "typical program, crates compiled in the clean dev build",
            a.loader_dev.compiled as f64,
            o.loader_dev.compiled as f64,
            Count,
        ),
        Row::new(
            "clean release build, wall",
            a.release.m.wall,
            o.release.m.wall,
            Secs,
        )
        .floor(floor.release.m.wall),
        Row::new(
            "clean release build, CPU (user+sys)",
            a.release.m.cpu,
            o.release.m.cpu,
            Secs,
        ),
        Row::new(
            "release binary, stripped",
            kib(a.bin_stripped),
            kib(o.bin_stripped),
            Kib,
        )
        .floor(kib(floor.stripped)),
        Row::new(
            "release binary above the floor (stripped, minus `bench/floor`)",
            overhead(a.bin_stripped),
            overhead(o.bin_stripped),
            Kib,
        )
        .target(Target::OursAtMost(250.0)),
        Row::new(
            "CPU per call, 1 task (client process, median)",
            CpuRuns::micros(&a.cpu.single),
            CpuRuns::micros(&o.cpu.single),
            Micros,
        )
        .target(Target::RatioAtMost(0.75))
        .floor(CpuRuns::micros(&floor.cpu.single)),
        Row::new(
            "CPU per call, 16 tasks (client process, median)",
            CpuRuns::micros(&a.cpu.sixteen),
            CpuRuns::micros(&o.cpu.sixteen),
            Micros,
        )
        .target(Target::RatioAtMost(0.75))
        .floor(CpuRuns::micros(&floor.cpu.sixteen)),
        Row::new(
            "peak RSS of the client, 16 tasks",
            mib(CpuRuns::peak_rss_kib(&a.cpu.sixteen) as u64),
            mib(CpuRuns::peak_rss_kib(&o.cpu.sixteen) as u64),
            Mib,
        ),
        Row::new(
            "calls/s, 1 task (server in another process)",
            CpuRuns::rate(&a.cpu.single),
            CpuRuns::rate(&o.cpu.single),
            PerSec,
        ),
        Row::new(
            "calls/s, 16 tasks",
            CpuRuns::rate(&a.cpu.sixteen),
            CpuRuns::rate(&o.cpu.sixteen),
            PerSec,
        ),
        Row::new(
            "crates in the tree (`-e normal`, program excluded)",
            a.crates_normal as f64,
            o.crates_normal as f64,
            Count,
        ),
        Row::new(
            "crates in the tree (`-e normal,build`)",
            a.crates_with_build as f64,
            o.crates_with_build as f64,
            Count,
        ),
        Row::new(
            "crates compiled in the clean dev build",
            a.dev.compiled as f64,
            o.dev.compiled as f64,
            Count,
        ),
        Row::new(
            "whole-service crate alone (all operations, dev), wall",
            a.whole.wall,
            o.whole.wall,
            Secs,
        )
        .target(Target::RatioAtMost(0.5)),
        Row::new(
            "whole-service crate, lines of Rust in `src/`",
            a.whole_lines as f64,
            o.whole_lines as f64,
            Count,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_judged_on_the_right_quantity() {
        let r = Row::new("x", 10.0, 3.0, Unit::Secs).target(Target::RatioAtMost(0.36));
        assert_eq!(r.met(), Some(true));
        let r = Row::new("x", 10.0, 4.0, Unit::Secs).target(Target::RatioAtMost(0.36));
        assert_eq!(r.met(), Some(false));
        let r = Row::new("x", 900.0, 300.0, Unit::Kib).target(Target::OursAtMost(250.0));
        assert_eq!(r.met(), Some(false));
        let r = Row::new("x", 0.0, 3.0, Unit::Secs).target(Target::RatioAtMost(0.36));
        assert_eq!(r.met(), None, "an unmeasured anchor decides nothing");
        assert_eq!(Row::new("x", 1.0, 1.0, Unit::Secs).met(), None);
    }

    #[test]
    fn the_floor_ratio_needs_both_measurements() {
        let r = Row::new("x", 10.0, 4.0, Unit::Secs).floor(3.6);
        assert_eq!(r.floor_ratio(), Some(0.36));
        assert_eq!(Row::new("x", 10.0, 4.0, Unit::Secs).floor_ratio(), None);
        assert_eq!(
            Row::new("x", 0.0, 4.0, Unit::Secs).floor(3.0).floor_ratio(),
            None
        );
        assert_eq!(
            Row::new("x", 10.0, 4.0, Unit::Secs)
                .floor(0.0)
                .floor_ratio(),
            None
        );
    }
}
