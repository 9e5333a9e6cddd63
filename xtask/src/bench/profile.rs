//! Where the time and the bytes go, for the report's "what dominates" lines: a `perf` CPU
//! profile of each client's 16-task run grouped by crate, and the release binaries' symbol
//! sizes (`nm`) grouped by crate. Both group by the first path segment of the demangled Rust
//! symbol (`<hyper::proto::h1::Conn<..> as ..>::poll` counts for `hyper`); generic code counts
//! for the crate that defines it, wherever it was instantiated.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::cpu::ServerProcess;
use super::measure::capture;
use super::Bench;

/// Shares by crate, largest first: `(crate, value)`.
pub(super) type ByCrate = Vec<(String, f64)>;

/// The crate a demangled symbol belongs to.
fn crate_of(symbol: &str) -> String {
    let s = symbol.trim_start_matches(['<', '&', '*', '(', '[', ' ']);
    let s = s.strip_prefix("dyn ").unwrap_or(s);
    let s = s.strip_prefix("mut ").unwrap_or(s);
    let head = s.split("::").next().unwrap_or(s);
    let head = head.split(['<', ' ', '(', '>', ',']).next().unwrap_or(head);
    match head {
        "" => "(unnamed)".to_string(),
        "core" | "alloc" | "std" | "std_detect" | "hashbrown" => "std (core, alloc)".to_string(),
        _ if head.starts_with('_') || head.contains('.') || head.contains('@') => {
            "C and runtime symbols (libc, ring's C/asm)".to_string()
        }
        _ => head.to_string(),
    }
}

fn sorted(map: BTreeMap<String, f64>) -> ByCrate {
    let mut v: ByCrate = map.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Percent of the samples, by crate, of `perf report --sort dso,sym` output.
fn parse_perf_report(text: &str) -> ByCrate {
    let mut by = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let Some((pct, rest)) = line.split_once('%') else {
            continue;
        };
        let Ok(pct) = pct.trim().parse::<f64>() else {
            continue;
        };
        let rest = rest.trim();
        let (dso, sym) = match rest.split_once(" [") {
            Some((dso, sym)) => (dso.trim(), sym.get(3..).unwrap_or("").trim()),
            None => (rest, ""),
        };
        let group = if dso.contains("kernel") {
            "kernel (syscalls, TCP loopback)".to_string()
        } else if dso.starts_with("lib") {
            format!("{dso} (shared library: malloc, memcpy)")
        } else {
            crate_of(sym)
        };
        *by.entry(group).or_insert(0.0) += pct;
    }
    sorted(by)
}

/// Bytes of symbols, by crate, of `nm --print-size --demangle` output.
fn parse_nm(text: &str) -> ByCrate {
    let mut by = BTreeMap::new();
    for line in text.lines() {
        let mut parts = line.splitn(4, ' ');
        let (Some(_addr), Some(size), Some(_kind), Some(name)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(size) = u64::from_str_radix(size, 16) else {
            continue;
        };
        *by.entry(crate_of(name)).or_insert(0.0) += size as f64;
    }
    sorted(by)
}

impl Bench {
    /// A `perf record` of the program's client at 16 tasks for `secs`, by crate; `None` when
    /// `perf` is missing or not permitted here (the report says so).
    pub(super) fn cpu_profile(
        &mut self,
        server: &ServerProcess,
        side: &str,
        secs: f64,
    ) -> Option<ByCrate> {
        let data = self.work.join(format!("perf-{side}.data"));
        let recorded = Command::new("perf")
            .args(["record", "-q", "-F", "999", "-o"])
            .arg(&data)
            .arg("--")
            .arg(self.release_bin(side))
            .args(["cpu", &server.url, "16", &secs.to_string()])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !recorded {
            self.notes
                .push(format!("perf record of {side} failed or perf is missing"));
            return None;
        }
        let report = capture(
            Command::new("perf")
                .args([
                    "report",
                    "--stdio",
                    "--no-children",
                    "--sort",
                    "dso,sym",
                    "-i",
                ])
                .arg(&data),
        )
        .ok()?;
        self.commands.push(format!(
            "perf record -F 999 -o target/bench/perf-{side}.data -- <bench-{side}> cpu <url> 16 {secs}; perf report --stdio --no-children --sort dso,sym"
        ));
        Some(parse_perf_report(&report))
    }

    /// Symbol bytes of a binary by crate (`nm --print-size --demangle`).
    pub(super) fn binary_by_crate(&mut self, bin: &Path) -> Option<ByCrate> {
        let out = capture(
            Command::new("nm")
                .args(["--print-size", "--demangle", "--size-sort"])
                .arg(bin),
        )
        .ok()?;
        Some(parse_nm(&out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_count_for_the_crate_that_defines_them() {
        assert_eq!(
            crate_of("<hyper::proto::h1::conn::Conn<I,B,T> as core::future::Future>::poll"),
            "hyper"
        );
        assert_eq!(
            crate_of("awsjson_runtime::client::invoke::send"),
            "awsjson_runtime"
        );
        assert_eq!(
            crate_of("core::ptr::drop_in_place<x::Y>"),
            "std (core, alloc)"
        );
        assert_eq!(
            crate_of("_ZN4ring4aead"),
            "C and runtime symbols (libc, ring's C/asm)"
        );
    }

    #[test]
    fn perf_lines_are_summed_by_crate() {
        let text = "# header\n    40.00%  bench-ours  [.] serde_json::de::from_slice\n    \
                    10.00%  bench-ours  [.] serde_json::read::next\n    \
                    30.00%  [kernel.kallsyms]  [k] tcp_sendmsg\n    \
                    20.00%  libc.so.6  [.] memcpy\n";
        assert_eq!(
            parse_perf_report(text),
            vec![
                ("serde_json".to_string(), 50.0),
                ("kernel (syscalls, TCP loopback)".to_string(), 30.0),
                (
                    "libc.so.6 (shared library: malloc, memcpy)".to_string(),
                    20.0
                ),
            ]
        );
    }

    #[test]
    fn nm_sizes_are_summed_by_crate() {
        let text = "0000000000001000 0000000000000010 T tokio::runtime::park\n\
                    0000000000002000 0000000000000020 t tokio::net::bind\n\
                    0000000000003000 0000000000000008 T lightsail::Client::new\n";
        assert_eq!(
            parse_nm(text),
            vec![("tokio".to_string(), 48.0), ("lightsail".to_string(), 8.0)]
        );
    }
}
