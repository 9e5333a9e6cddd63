//! Measuring commands for `cargo xtask bench`: wall and CPU time through `/usr/bin/time`,
//! peak RSS of the whole process tree from 10 Hz `/proc` samples, other load on the machine
//! from `/proc/stat`, and small file and machine facts.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One measured command.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Measured {
    /// Wall time, seconds.
    pub(super) wall: f64,
    /// User + system CPU time of the command and its descendants, seconds.
    pub(super) cpu: f64,
    /// Largest single process' peak RSS (`/usr/bin/time` `%M`), KiB.
    pub(super) max_rss_kib: u64,
    /// Peak of the RSS summed over the whole process tree (10 Hz samples), KiB.
    pub(super) tree_rss_kib: u64,
    /// CPU used meanwhile by everything else on the machine, in cores (average).
    pub(super) other_cores: f64,
}

pub(super) fn capture(command: &mut Command) -> Result<String, String> {
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
pub(super) fn time_it(command: &mut Command) -> Result<f64, String> {
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
pub(super) fn measure(command: &Command, log: &Path) -> Result<Measured, String> {
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

pub(super) fn field(out: &str, name: &str) -> Result<f64, String> {
    out.split_whitespace()
        .filter_map(|t| t.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| format!("no `{name}=` in output: {out}"))
}

pub(super) fn file_size(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", path.display()))
}

pub(super) fn rust_lines(dir: &Path) -> usize {
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

pub(super) struct Machine {
    pub(super) nproc: String,
    pub(super) mem: String,
    pub(super) cpu: String,
    pub(super) rustc: String,
    pub(super) cargo: String,
    pub(super) kernel: String,
}

pub(super) fn machine() -> Result<Machine, String> {
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

pub(super) fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        0.0
    } else {
        v[v.len() / 2]
    }
}
