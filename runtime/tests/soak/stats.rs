//! What the soak counts (calls, faults, attempts, latencies per scenario) and what it reads
//! from `/proc` (peak RSS, open file descriptors).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use crate::scenario::{Scenario, ALL};

/// Counts of one scenario.
#[derive(Default, Clone, Copy)]
struct Counts {
    calls: u64,
    ok: u64,
    attempts: u64,
    faults: u64,
    /// Successes that needed a retry.
    recovered: u64,
    /// Calls that ended on a pooled connection the server had closed.
    stale: u64,
    /// Calls that ended with a timeout error.
    timed_out: u64,
}

/// Everything the soak records; shared by its tasks.
#[derive(Default)]
pub struct Stats {
    inner: Mutex<(BTreeMap<Scenario, Counts>, Vec<u32>)>,
}

impl Stats {
    /// Records one call.
    pub fn record(
        &self,
        scenario: Scenario,
        attempts: u32,
        ok: bool,
        stale: bool,
        timed_out: bool,
        elapsed: Duration,
    ) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let counts = inner.0.entry(scenario).or_default();
        counts.calls += 1;
        counts.attempts += u64::from(attempts);
        counts.ok += u64::from(ok);
        counts.recovered += u64::from(ok && attempts > 1);
        counts.stale += u64::from(stale);
        counts.timed_out += u64::from(timed_out);
        // Faults the server injected: one per attempt that met one (the first attempt of
        // the "then ok" scenarios, every attempt of the "always" ones, the one response of a
        // trickle or a wrong content type).
        counts.faults += match scenario {
            Scenario::Ok | Scenario::NotFound => 0,
            Scenario::Error503Always | Scenario::TruncatedAlways | Scenario::HugeHtmlAlways => {
                u64::from(attempts)
            }
            _ => 1,
        };
        let micros = u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX);
        inner.1.push(micros);
    }

    /// Panics unless every scenario ran and some faults were retried away.
    pub fn assert_every_fault_seen(&self) {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        for scenario in ALL {
            let calls = inner.0.get(&scenario).map_or(0, |c| c.calls);
            assert!(calls > 0, "scenario {} never ran", scenario.name());
        }
        let recovered: u64 = inner.0.values().map(|c| c.recovered).sum();
        assert!(recovered > 0, "no fault was ever retried away");
    }

    /// The figures: calls, faults, attempts, latency percentiles, peak RSS, per scenario.
    pub fn report(&self, wall: Duration) -> String {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let total = inner.0.values().fold(Counts::default(), |a, c| Counts {
            calls: a.calls + c.calls,
            ok: a.ok + c.ok,
            attempts: a.attempts + c.attempts,
            faults: a.faults + c.faults,
            recovered: a.recovered + c.recovered,
            stale: a.stale + c.stale,
            timed_out: a.timed_out + c.timed_out,
        });
        let mut latencies = inner.1.clone();
        latencies.sort_unstable();
        let pct = |p: f64| {
            let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
            latencies.get(i).map_or(0.0, |&us| f64::from(us) / 1000.0)
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "soak: {} calls in {:.1} s ({:.0}/s), {} faults injected, {} attempts, {} ok \
             ({} after a retry), {} timed out, {} ended on a connection the server had closed, \
             latency p50 {:.1} ms p99 {:.1} ms max {:.1} ms, peak RSS {} MiB",
            total.calls,
            wall.as_secs_f64(),
            total.calls as f64 / wall.as_secs_f64().max(0.001),
            total.faults,
            total.attempts,
            total.ok,
            total.recovered,
            total.timed_out,
            total.stale,
            pct(0.5),
            pct(0.99),
            pct(1.0),
            peak_rss_mib(),
        );
        for (scenario, c) in &inner.0 {
            let _ = writeln!(
                out,
                "  {:<30} calls {:>8} ok {:>8} recovered {:>7} attempts {:>8} faults {:>8} timeouts {:>6} stale {:>5}",
                scenario.name(),
                c.calls,
                c.ok,
                c.recovered,
                c.attempts,
                c.faults,
                c.timed_out,
                c.stale
            );
        }
        out
    }
}

/// The process's peak resident set (`VmHWM`), in MiB; 0 where `/proc` is missing.
pub fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}

/// Open file descriptors of the process (sockets included); 0 where `/proc` is missing.
pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count)
}
