//! Where an edit rebuild's time goes, by process: the rebuild runs once more (after the timed
//! one, with another edit) under `perf record -g` (which follows cargo's children), and
//! `perf report --sort comm` splits the samples by command name. Thread names are folded into
//! the process that owns them (rustc's LLVM workers are named `opt cgu.00`, ...), and the
//! linker's names (`rust-lld`, `ld.lld`, `ld`, `cc`) into one "linking" group.

use std::collections::BTreeMap;
use std::process::Command;

use super::edits::Edit;
use super::measure::{capture, measure};
use super::Bench;

/// The profile of one edit rebuild.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ProcProfile {
    /// Wall time of the profiled run (perf's overhead included), seconds.
    pub(super) wall: f64,
    /// Percent of the samples by process group, largest first.
    pub(super) shares: Vec<(String, f64)>,
}

impl ProcProfile {
    /// The share of a group, 0 when it took no samples.
    pub(super) fn share(&self, group: &str) -> f64 {
        self.shares
            .iter()
            .find(|(g, _)| g == group)
            .map_or(0.0, |(_, v)| *v)
    }
}

pub(super) const LINKING: &str = "linking (rust-lld, ld, cc)";
pub(super) const RUSTC: &str = "rustc (and its LLVM threads)";
pub(super) const CARGO: &str = "cargo";

/// The group a command name (`comm`, at most 15 bytes) belongs to.
fn group(comm: &str) -> String {
    let head = comm.split_whitespace().next().unwrap_or(comm);
    match head {
        "rust-lld" | "ld.lld" | "lld" | "ld" | "ld.bfd" | "ld.gold" | "mold" | "cc" | "gcc"
        | "collect2" | "clang" => LINKING.to_string(),
        // rustc names its threads after their job: `opt cgu.0`, `lto cgu.0`, `coordinator`, ...
        "rustc" | "opt" | "lto" | "codegen" | "coordinator" | "copy" => RUSTC.to_string(),
        _ if head.starts_with("rustc") => RUSTC.to_string(),
        "cargo" => CARGO.to_string(),
        _ if head.starts_with("build-script") || head.starts_with("build_script") => {
            "build scripts".to_string()
        }
        _ if head.starts_with("perf") => "perf itself".to_string(),
        _ => format!("other (`{head}`)"),
    }
}

/// Percent of the samples by process group, of `perf report --sort comm --stdio` output
/// (`--no-children`: one percentage per line; with children, the last one is the self share).
pub(super) fn parse_comm_report(text: &str) -> Vec<(String, f64)> {
    let mut by: BTreeMap<String, f64> = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut pct = None;
        let mut rest = line;
        while let Some((head, tail)) = rest.split_once(char::is_whitespace) {
            let Some(Ok(v)) = head.strip_suffix('%').map(str::parse::<f64>) else {
                break;
            };
            pct = Some(v);
            rest = tail.trim_start();
        }
        // Call-graph lines (`|--12.00%--main`, `---foo`) start with other characters.
        let (Some(pct), comm) = (pct, rest.trim()) else {
            continue;
        };
        if comm.is_empty() {
            continue;
        }
        *by.entry(group(comm)).or_default() += pct;
    }
    let mut v: Vec<(String, f64)> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl Bench {
    /// After the timed edit rebuild of `side` (dev): another edit, and `cargo build` again
    /// under `perf record -g`, split by process. `None` (and a note) when perf is missing or
    /// may not record here.
    pub(super) fn edit_rebuild_profile(&mut self, side: &str) -> Option<ProcProfile> {
        let target = self.target_dir(&format!("{side}-dev"));
        let data = self.work.join(format!("perf-edit-{side}.data"));
        // Another literal than the timed edit's, so rustc and the linker have work again.
        let edit = match Edit::apply(&self.program_dir(side), self.commands.len() + 1_000) {
            Ok(edit) => edit,
            Err(e) => {
                self.notes
                    .push(format!("edit-rebuild profile of {side}: {e}"));
                return None;
            }
        };
        let shown = format!(
            "(cd bench/{side} && sed -i 's/\"flask-svc\"/\"flask-svc-edit-M\"/' src/main.rs && CARGO_TARGET_DIR=../../target/bench/{side}-dev-target perf record -F 999 -g --call-graph=fp -o ../../target/bench/perf-edit-{side}.data -- cargo build --offline); perf report --sort comm --stdio --no-children -g none   # main.rs restored after"
        );
        eprintln!("bench: {shown}");
        let mut command = Command::new("perf");
        command
            .args(["record", "-q", "-F", "999", "-g", "--call-graph=fp", "-o"])
            .arg(&data)
            .args(["--", "cargo", "build", "--offline"])
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_TERM_COLOR", "never")
            .current_dir(self.program_dir(side));
        let measured = measure(
            &command,
            &self.logs.join(format!("perf-edit-rebuild-{side}.log")),
        );
        drop(edit);
        let m = match measured {
            Ok(m) => m,
            Err(e) => {
                self.notes.push(format!(
                    "edit-rebuild profile of {side}: perf record failed or perf is missing ({e})"
                ));
                return None;
            }
        };
        self.commands.push(shown);
        let report = capture(
            Command::new("perf")
                .args(["report", "--stdio", "--no-children", "-g", "none"])
                .args(["--sort", "comm", "-i"])
                .arg(&data),
        );
        let shares = match report {
            Ok(text) => parse_comm_report(&text),
            Err(e) => {
                self.notes
                    .push(format!("edit-rebuild profile of {side}: perf report: {e}"));
                return None;
            }
        };
        self.notes.push(format!(
            "{side} edit rebuild under perf: {:.2} s wall, other load {:.2} cores",
            m.wall, m.other_cores
        ));
        Some(ProcProfile {
            wall: m.wall,
            shares,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `perf report --sort comm --stdio --no-children -g none` of a real edit rebuild of
    /// `bench/floor` (perf 6.1), and the same without `--no-children -g none` (cut short).
    const FLAT: &str = include_str!("../../tests/data/perf-report-sort-comm.txt");
    const CHILDREN: &str = include_str!("../../tests/data/perf-report-sort-comm-children.txt");

    #[test]
    fn processes_are_grouped_and_threads_folded_into_them() {
        let shares = parse_comm_report(FLAT);
        let p = ProcProfile { wall: 1.0, shares };
        // rust-lld 45.75 + cc 1.56 + collect2 0.24 + ld.lld 0.24
        assert!((p.share(LINKING) - 47.79).abs() < 1e-9, "{:?}", p.shares);
        // rustc 27.31 + `opt bxns5ifpean` 1.56 + coordinator 0.36
        assert!((p.share(RUSTC) - 29.23).abs() < 1e-9, "{:?}", p.shares);
        assert!((p.share(CARGO) - 22.99).abs() < 1e-9);
        assert_eq!(p.shares.len(), 3, "{:?}", p.shares);
        assert_eq!(p.shares[0].0, LINKING);
        assert_eq!(p.share("nothing"), 0.0);
    }

    #[test]
    fn with_children_the_self_share_counts_and_call_graphs_are_skipped() {
        let shares = parse_comm_report(CHILDREN);
        assert_eq!(shares, vec![(LINKING.to_string(), 45.75)]);
    }

    #[test]
    fn unknown_commands_are_named() {
        let shares = parse_comm_report("  60.00%  sccache\n  40.00%  build-script-bu\n");
        assert_eq!(
            shares,
            vec![
                ("other (`sccache`)".to_string(), 60.0),
                ("build scripts".to_string(), 40.0)
            ]
        );
    }
}
