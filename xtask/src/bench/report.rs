//! The report of `cargo xtask bench`: `BENCHMARKS.md`, from the measured figures.

use std::fmt::Write as _;

use super::builds::ParseResult;
use super::measure::{median, Machine};
use super::rows::Row;
use super::{Floor, Options, Side};

pub(super) struct Report<'a> {
    pub(super) rows: &'a [Row],
    pub(super) floor: Floor,
    pub(super) machine: Machine,
    pub(super) date: String,
    pub(super) commit: String,
    pub(super) anchor_version: String,
    pub(super) tokio: String,
    pub(super) anchor: Side,
    pub(super) ours: Side,
    pub(super) extra_rows: Vec<(String, String)>,
    pub(super) closure_times: Vec<f64>,
    pub(super) full_times: Vec<f64>,
    pub(super) parse: ParseResult,
    pub(super) official_model: String,
    pub(super) elapsed: f64,
    pub(super) opts: &'a Options,
    pub(super) commands: &'a [String],
    pub(super) notes: &'a [String],
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

impl Report<'_> {
    pub(super) fn render(&self) -> String {
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
        let _ = writeln!(
            s,
            "![ours / anchor per row](BENCHMARKS.svg)\n\n\
             | metric | anchor | ours | ours/anchor | target | met |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|---|---|");
        for row in self.rows {
            let show = |v: f64| {
                if v == 0.0 {
                    "-".to_string()
                } else {
                    row.unit.show(v)
                }
            };
            let met = match row.met() {
                Some(true) => "yes",
                Some(false) => "**no**",
                None if row.target.is_some() => "-",
                None => "",
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {met} |",
                row.name,
                show(row.anchor),
                show(row.ours),
                row.ratio().map_or("-".into(), |r| format!("{r:.2}")),
                row.target_text()
            );
        }
        self.dev_rounds(&mut s);
        self.floor_ratios(&mut s);
        self.floor_section(&mut s);
        self.dominates_section(&mut s);
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
            "Floor: `bench/floor` makes the same signed call with reqwest (no default features, \
             `rustls-no-provider`), rustls (ring) with the platform verifier, aws-sigv4 (`sign-http`, \
             `http1`), aws-credential-types, tokio (the benchmark programs' features) and serde_json. \
             Crates of `bench/ours`'s `-e normal` tree not in the floor's tree, with their direct \
             dependents (`cargo tree -i <crate> --depth 1`):\n"
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
            "Rerun everything with `cargo xtask bench` (options: `--duration SECS` per CPU-per-call \
             run, default 10; `--rounds N`, default 3; `--codegen-runs N`, default 5; \
             `--build-rounds N`, default 3; `--skip-builds`). The official model comes from `LIGHTSAIL_OFFICIAL_MODEL` (default \
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
        "tracing" | "tracing-core" | "tracing-attributes" => "request/retry logging in the runtime",
        "rustls-platform-verifier" => "root certificates for the rustls config the runtime builds",
        "aws-types" => {
            "`SdkConfig`, `Region`, `AppName`: the drop-in types shared with aws-sdk-rust"
        }
        "aws-smithy-schema" => "a dependency of aws-types 1.7",
        "quick-xml" => "STS responses (awsQuery XML) in the default config loader",
        "signal-hook-registry" | "errno" => {
            "tokio's `process` feature: `credential_process` in the default config loader"
        }
        _ => "",
    }
}

pub(super) const METHOD: &str = r#"
- **Programs** (`bench/anchor`, `bench/ours`): the same `main` around one client: start the
  loopback server (`bench/common/server.rs`, included by both with `#[path]`), build the client
  with static credentials, region `us-east-1`, default retries and `endpoint_url` = the server,
  then call `GetContainerServiceDeployments`. Anchor: `aws_sdk_lightsail::Config::builder()
  .behavior_version_latest()...`, no aws-config. Ours: `generated/lightsail` by path. Same tokio
  features (`rt-multi-thread, macros, net, io-util, time`), same `[profile]` settings as the
  workspace (`dev`: `debug = "line-tables-only"`; `release`: `debug = false`). Each program is
  its own workspace with a committed `Cargo.lock`.
- **Clean builds**: the program's target dir is removed, then `cargo build --offline`
  (after `cargo fetch`), under `/usr/bin/time -f "%e %U %S %M"`. The dev builds of the
  anchor, ours and the floor run `--build-rounds` times (default 3), interleaved; each
  program's median round is reported, with its `--timings`. *Peak RSS of the build* is the
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
- **Edit loop**: after the clean dev build, the program's `main.rs` gets a one-line edit (the
  service-name string literal changes) and `cargo build` runs again (timed); the same after a
  clean `cargo check` in a target dir of its own. `main.rs` is restored afterwards. The floor
  gets the same clean dev build and edit rebuild, right after ours.
- **Typical program** (`bench/anchor-loader`, `bench/ours-loader`): the default config loader
  (`aws_config::load_defaults` / `lightsail::config::load_defaults`, each SDK's full credential
  chain) then `Client::new`-style construction; clean dev build timed, then run once with
  credentials and region in the environment and an empty `HOME` (must print 50 deployments).
- **CPU per call**: the server runs in a process of its own (`bench-floor serve`); each release
  program runs as a client only (`cpu URL TASKS SECONDS`): 1 s warm-up, then TASKS tasks sharing
  one client call in a loop for SECONDS; the client's user + system time over that window
  (`/proc/self/stat`) divided by the calls. Rounds alternate anchor, ours and the floor; medians
  are reported. *Peak RSS of the client* is its `VmHWM`. *Calls/s* comes from the same runs and
  is shown for information only (too noisy on a shared 2-core machine to decide anything).
- **Profiles**: `perf record -F 999` of each client at 16 tasks, samples grouped by crate; `nm
  --print-size --demangle` of each unstripped release binary, symbol bytes grouped by crate.
  The clean dev builds of the anchor, ours and the floor run with `--timings` (all three, so
  the ratios stay like for like); its `UNIT_DATA` gives seconds by crate and the chain of units
  that ends the build. After the timed edit rebuilds, ours' and the floor's run once more
  (another edit) under `perf record -F 999 -g`, which follows cargo's child processes;
  `perf report --sort comm` splits the samples by process.
- **Parse**: `bench/parse` (release) parses the server's exact body in a loop. Our parser is
  crate-private; the generated crate re-exports it, unchanged, from its
  `#[doc(hidden)] pub mod __private`, and the program calls
  `lightsail::__private::de_get_container_service_deployments_output(&HttpResponse)` (what
  the runtime calls). The
  anchor's deserializer is public: `GetContainerServiceDeploymentsOutput::deserialize` over the
  `JsonDeserializer` of an `aws_smithy_json` `JsonCodec` configured as its awsJson1_1 protocol
  does. The serde limit uses `#[derive(Deserialize)]` structs of the same shapes (`HashMap`s,
  enums with a catch-all variant, `createdAt` as `f64`, which is cheaper than an exact
  `DateTime`).
- **Codegen**: the release `xtask` binary, wall time of the whole process (read model, generate,
  format, write files).
"#;

/// The headings of the sections of `BENCHMARKS.md` that other commands write (the long fuzz
/// run, `cargo xtask soak`) and the bench keeps when it rewrites the file.
pub(super) const KEPT_SECTIONS: [&str; 2] = ["## Fuzzing", "## Soak under faults (runtime)"];

#[cfg(test)]
const FUZZING: &str = KEPT_SECTIONS[0];

/// `report` with the `heading` section of `previous` (up to the next `## ` heading) appended,
/// so a rewrite by the bench keeps it.
pub(super) fn keep_section(mut report: String, previous: &str, heading: &str) -> String {
    let Some(start) = previous.find(&format!("\n{heading}\n")) else {
        return report;
    };
    let section = &previous[start + 1..];
    let end = section[heading.len()..]
        .find("\n## ")
        .map_or(section.len(), |i| heading.len() + i + 1);
    if !report.ends_with('\n') {
        report.push('\n');
    }
    report.push('\n');
    report.push_str(section[..end].trim_end());
    report.push('\n');
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_section_carries_the_fuzzing_record_over() {
        let previous = "# B\n\n## Results\nold\n\n## Fuzzing\nrun 1\n\n## Commands\nx\n";
        assert_eq!(
            keep_section("# B\n\n## Results\nnew\n".into(), previous, FUZZING),
            "# B\n\n## Results\nnew\n\n## Fuzzing\nrun 1\n"
        );
        let last = "# B\n\n## Fuzzing\nrun 2\n";
        assert_eq!(
            keep_section("# B\n".into(), last, FUZZING),
            "# B\n\n## Fuzzing\nrun 2\n"
        );
        assert_eq!(keep_section("# B\n".into(), "# B\n", FUZZING), "# B\n");
    }
}
