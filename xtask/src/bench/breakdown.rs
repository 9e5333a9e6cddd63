//! The report's sections on the floor and on what dominates each side's figures: the floor
//! program's own numbers, the client CPU profile by crate, and the release binaries' symbol
//! bytes by crate (ours above the floor, and the anchor for comparison).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::cpu::CpuRuns;
use super::profile::ByCrate;
use super::report::Report;
use super::rows::Unit;

/// Rows shown per breakdown table.
const TOP: usize = 12;

impl Report<'_> {
    pub(super) fn floor_section(&self, s: &mut String) {
        let f = &self.floor;
        let _ = writeln!(s, "\n### The floor (`bench/floor`, same call, no SDK)\n");
        let _ = writeln!(s, "| metric | floor | ours | anchor |");
        let _ = writeln!(s, "|---|---:|---:|---:|");
        let (a, o) = (&self.anchor, &self.ours);
        let kib = |b: u64| Unit::Kib.show(b as f64 / 1024.0);
        let _ = writeln!(
            s,
            "| release binary, stripped | {} | {} | {} |",
            kib(f.stripped),
            kib(o.bin_stripped),
            kib(a.bin_stripped)
        );
        let secs = |v: f64| Unit::Secs.show(v);
        let _ = writeln!(
            s,
            "| clean dev build, wall | {} | {} | {} |",
            secs(f.dev.m.wall),
            secs(o.dev.m.wall),
            secs(a.dev.m.wall)
        );
        let _ = writeln!(
            s,
            "| rebuild after a one-line edit (dev), wall | {} | {} | {} |",
            secs(f.dev_edit.wall),
            secs(o.dev_edit.wall),
            secs(a.dev_edit.wall)
        );
        let _ = writeln!(
            s,
            "| clean release build, wall | {} | {} | {} |",
            Unit::Secs.show(f.release.m.wall),
            Unit::Secs.show(o.release.m.wall),
            Unit::Secs.show(a.release.m.wall)
        );
        let _ = writeln!(
            s,
            "| crates in the tree (`-e normal`) | {} | {} | {} |",
            f.crates_normal, o.crates_normal, a.crates_normal
        );
        for (name, runs) in [("1 task", 0), ("16 tasks", 1)] {
            let pick = |c: &CpuRuns| {
                let r = if runs == 0 { &c.single } else { &c.sixteen };
                Unit::Micros.show(CpuRuns::micros(r))
            };
            let _ = writeln!(
                s,
                "| CPU per call, {name} | {} | {} | {} |",
                pick(&f.cpu),
                pick(&o.cpu),
                pick(&a.cpu)
            );
        }
        let _ = writeln!(
            s,
            "| typical program with the default loader: crates in the tree | - | {} | {} |",
            o.loader_crates, a.loader_crates
        );
    }

    pub(super) fn dominates_section(&self, s: &mut String) {
        let _ = writeln!(s, "\n### What dominates\n");
        self.build_dominates(s);
        let _ = writeln!(
            s,
            "\nFrom profiles of this run, not guesses. **Client CPU** (`perf record` of each \
             release client at 16 tasks, samples grouped by the crate of the demangled symbol; \
             generic code counts for the crate that defines it):\n"
        );
        match (&self.ours.cpu_profile, &self.anchor.cpu_profile) {
            (Some(o), Some(a)) => share_table(s, "ours % of samples", o, "anchor % of samples", a),
            _ => {
                let _ = writeln!(s, "(perf was not available: no CPU profile)");
            }
        }
        let _ = writeln!(
            s,
            "\n**Release binary** (`nm --print-size` symbol bytes by crate; KiB; the largest \
             differences between ours and the floor first):\n"
        );
        if let (Some(o), Some(f), Some(a)) = (
            &self.ours.bin_by_crate,
            &self.floor.bin_by_crate,
            &self.anchor.bin_by_crate,
        ) {
            bytes_table(s, o, f, a);
        } else {
            let _ = writeln!(s, "(nm was not available: no symbol sizes)");
        }
    }
}

fn share_table(s: &mut String, left_name: &str, left: &ByCrate, right_name: &str, right: &ByCrate) {
    let right_map: BTreeMap<&str, f64> = right.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let _ = writeln!(s, "| crate | {left_name} | {right_name} |");
    let _ = writeln!(s, "|---|---:|---:|");
    for (krate, pct) in left.iter().take(TOP) {
        let other = right_map.get(krate.as_str()).copied().unwrap_or(0.0);
        let _ = writeln!(s, "| {krate} | {pct:.1} | {other:.1} |");
    }
    let _ = writeln!(
        s,
        "\nAnchor's largest: {}.",
        right
            .iter()
            .take(6)
            .map(|(k, v)| format!("{k} {v:.1} %"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn bytes_table(s: &mut String, ours: &ByCrate, floor: &ByCrate, anchor: &ByCrate) {
    let map = |v: &ByCrate| -> BTreeMap<String, f64> { v.iter().cloned().collect() };
    let (o, f, a) = (map(ours), map(floor), map(anchor));
    let mut crates: Vec<&String> = o.keys().chain(f.keys()).collect();
    crates.sort();
    crates.dedup();
    let get = |m: &BTreeMap<String, f64>, k: &str| m.get(k).copied().unwrap_or(0.0) / 1024.0;
    crates.sort_by(|x, y| {
        let dx = (get(&o, x) - get(&f, x)).abs();
        let dy = (get(&o, y) - get(&f, y)).abs();
        dy.total_cmp(&dx).then_with(|| x.cmp(y))
    });
    let _ = writeln!(s, "| crate | floor | ours | ours - floor | anchor |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|");
    for krate in crates.into_iter().take(TOP) {
        let (fv, ov, av) = (get(&f, krate), get(&o, krate), get(&a, krate));
        let _ = writeln!(
            s,
            "| {krate} | {fv:.0} | {ov:.0} | {:+.0} | {av:.0} |",
            ov - fv
        );
    }
}
