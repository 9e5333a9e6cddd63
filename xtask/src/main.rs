//! Project automation: `cargo xtask codegen [--check] [--model P] [--operations A,B|all]
//! [--out DIR] [--crate-name NAME] [--[no-]operation-features]`, `cargo xtask test`,
//! `cargo xtask protocol-results`, `cargo xtask demo [--json]`, `cargo xtask compat` and `cargo xtask bench`
//! (see USAGE below).
//!
//! Exit codes: 0 success, 1 `--check` found stale output, 2 bad input (unreadable or
//! invalid model, unknown operation, unsupported construct, bad arguments).

mod bench;
mod codegen_cmd;
mod compat_cmd;
mod demo_cmd;
mod files;
mod soak_cmd;
mod test_cmd;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen   generate the SDK crate from a Smithy JSON AST model
            --model PATH            model file (default: model/lightsail.json)
            --operations A,B|all    operations to generate (default: all in the model)
            --out DIR               output directory (default: generated/<crate-name>)
            --crate-name NAME       package and library name (default: from the
                                    service's sdkId as aws-sdk-rust names crates,
                                    `CloudWatch Logs` -> cloudwatchlogs)
            --operation-features    one cargo feature per operation (default when
                                    generating more than one operation)
            --no-operation-features
            --check                 fail if the output directory is not up to date
  test      run every test (cargo test --workspace and the cross-checks), with
            the shared data beside the checkout (../shared) when present
  protocol-results
            run botocore's protocol tests and write protocol-tests/RESULTS.md (the
            only writer; `cargo test` fails when the file is stale)
  demo      run the get_deployments example against a loopback demo endpoint
            --json                  print JSON instead of a table
  compat    build tests/compat (the same programs against aws-sdk-lightsail and the
            generated crate), run both sides' mocks tests, and compare what both
            sides' programs print against the loopback demo endpoint
  bench     build and run bench/ against aws-sdk-lightsail; writes BENCHMARKS.md
            (--duration SECS, --rounds N, --codegen-runs N, --skip-builds)
  soak      the runtime's soak under faults, in release mode (--minutes N, default 10)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd::run(&args[1..]),
        Some("test") => test_cmd::run(&codegen_cmd::workspace_root(), &args[1..]),
        Some("protocol-results") => {
            test_cmd::protocol_results(&codegen_cmd::workspace_root(), &args[1..])
        }
        Some("demo") => demo_cmd::run(&args[1..]),
        Some("compat") => compat_cmd::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("soak") => soak_cmd::run(&args[1..]),
        Some("-h" | "--help") | None => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
