//! Soak under faults: many concurrent calls through ONE client against a loopback server
//! (the workspace's test-support server, in a child process so its bookkeeping does not count
//! against the client's memory) that injects every fault it knows: connection reset and close,
//! 500/503, throttling with and without `x-amz-retry-after`, stalled response, stalled body,
//! truncated body, slow trickle, huge HTML error page, wrong content type.
//!
//! Invariants checked:
//! * every call returns within its configured timeouts (operation timeout + scheduling slack);
//! * every result is the right output or the right typed error for its scenario;
//! * no call makes more attempts than the policy allows, and in a storm of 503s the retries
//!   stop when the token bucket is empty (500 tokens / 10 per transient retry = 50 retries);
//! * the client process's peak RSS stays under [`RSS_BOUND_MIB`];
//! * when the client is dropped no task and no connection (file descriptor) is left.
//!
//! `cargo test` runs a short soak (test-only zero backoff, a few thousand calls). `cargo xtask
//! soak --minutes N` runs the same test in release mode for N minutes (`SOAK_MINUTES`) and it
//! prints the figures that BENCHMARKS.md quotes.

mod scenario;
mod stats;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use awsjson_runtime::client::{AuthMode, DeserializeError, Handle, OperationSpec};
use awsjson_runtime::config::retry::RetryConfig;
use awsjson_runtime::config::timeout::TimeoutConfig;
use awsjson_runtime::config::{Config, Credentials, Env, Region, Sleep};
use awsjson_runtime::error::{ErrorMetadata, SdkError};
use awsjson_runtime::response::HttpResponse;
use awsjson_test_support::fake_service::ENDPOINT_OVERRIDE_SPEC;
use awsjson_test_support::server::{json_string_member, Server};

use scenario::{Scenario, ALL};
use stats::Stats;

/// The soak's operation: its output is the call id and the attempt the server answered.
static OP: OperationSpec<(String, u32), ErrorMetadata> = OperationSpec {
    name: "GetThing",
    parse_output,
    parse_error: |_: &HttpResponse, meta: ErrorMetadata| meta,
    auth: AuthMode::SigV4,
    retryable_errors: &[],
    static_endpoint_params: &[],
};

fn parse_output(response: &HttpResponse) -> Result<(String, u32), DeserializeError> {
    let value: serde_json::Value = serde_json::from_slice(response.body())
        .map_err(|e| DeserializeError::custom(format!("not JSON: {e}")))?;
    let id = value["id"]
        .as_str()
        .ok_or_else(|| DeserializeError::custom("no id"))?;
    let attempt = value["attempt"]
        .as_u64()
        .and_then(|a| u32::try_from(a).ok())
        .ok_or_else(|| DeserializeError::custom("no attempt"))?;
    Ok((id.to_owned(), attempt))
}

/// Concurrent tasks calling through the one client.
const TASKS: usize = 64;
/// The policy under test.
const MAX_ATTEMPTS: u32 = 3;
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(1000);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(4);
/// How late past its operation timeout a call may return (scheduling on a loaded machine).
const LATENESS_SLACK: Duration = Duration::from_millis(1500);
/// The bound on the client process's peak RSS (VmHWM), in MiB: 64 calls in flight, each
/// holding at most one 4 MiB error page (rounded to an 8 MiB buffer), is 512 MiB at the very
/// worst; in practice few are in flight at once.
const RSS_BOUND_MIB: u64 = 640;

/// The server half: runs only as the child process the soak starts.
#[test]
#[ignore = "the server of soak_under_faults, run by it in a child process"]
fn soak_server() {
    if std::env::var_os("SOAK_SERVER").is_none() {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let server = Server::builder()
            .handler(|request| {
                let scenario = json_string_member(&request.body, "scenario")
                    .and_then(Scenario::from_name)
                    .unwrap_or(Scenario::NotFound);
                let id = json_string_member(&request.body, "id").unwrap_or("");
                let attempt = request
                    .header("amz-sdk-request")
                    .and_then(|v| v.strip_prefix("attempt="))
                    .and_then(|v| v.split(';').next())
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                scenario.action(id, attempt)
            })
            .start()
            .await
            .expect("bind");
        println!("SOAK_PORT={}", server.addr().port());
        std::io::stdout().flush().expect("flush");
        // Serve until the parent closes our stdin (it ends, or dies).
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
                line.clear();
            }
        })
        .await
        .expect("stdin watcher");
        drop(server);
    });
}

/// Starts the server child process; returns it and its port.
fn start_server() -> (Child, u16) {
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "soak_server", "--include-ignored", "--nocapture"])
        .env("SOAK_SERVER", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the server process");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let port = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("SOAK_PORT=").and_then(|p| p.parse().ok()))
        .expect("the server's port");
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, port)
}

/// The client of the soak: the policy above, zero backoff (test only), fixed credentials.
fn client(port: u16) -> Handle {
    let config = Config::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region(Region::from_static("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "soak"))
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        .sleep_impl(Sleep::from_fn(|_| Box::pin(async {})))
        .build();
    Handle::new(&ENDPOINT_OVERRIDE_SPEC, config)
}

/// One call of `scenario`; records it in `stats` and returns its attempts, or panics with
/// what broke an invariant.
async fn call(handle: &Handle, scenario: Scenario, id: u64, stats: &Stats) -> u32 {
    let id = id.to_string();
    let body = format!(r#"{{"scenario":"{}","id":"{id}"}}"#, scenario.name());
    let started = Instant::now();
    let result: Result<(String, u32), SdkError<ErrorMetadata>> =
        handle.invoke(&OP, body.into_bytes()).await;
    let elapsed = started.elapsed();
    assert!(
        elapsed <= OPERATION_TIMEOUT + LATENESS_SLACK,
        "call {id} ({}) took {elapsed:?}, past its {OPERATION_TIMEOUT:?} operation timeout",
        scenario.name()
    );
    let attempts = scenario
        .check(&id, MAX_ATTEMPTS, &result)
        .unwrap_or_else(|why| panic!("call {id}: {why}"));
    // Counted apart only where the scenario itself injects no reset or close.
    let stale = !matches!(scenario, Scenario::ResetThenOk | Scenario::CloseThenOk)
        && matches!(&result, Err(e) if scenario::is_stale_connection(e));
    let timed_out = matches!(&result, Err(SdkError::TimeoutError(_)));
    stats.record(
        scenario,
        attempts,
        result.is_ok(),
        stale,
        timed_out,
        elapsed,
    );
    attempts
}

#[test]
fn soak_under_faults() {
    let minutes: f64 = std::env::var("SOAK_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0.0);
    let (mut server, port) = start_server();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let fds_before = stats::open_fds();
    let stats = Arc::new(Stats::default());
    let started = Instant::now();

    runtime.block_on(async {
        let handle = client(port);

        // Phase 1, a storm: every call fails with 503 on every attempt. The fresh bucket
        // (500 tokens, 10 per transient retry) allows exactly 50 retries in all, then every
        // failure is final at once.
        let mut storm = tokio::task::JoinSet::new();
        for task in 0..TASKS {
            let (handle, stats) = (handle.clone(), stats.clone());
            storm.spawn(async move {
                let mut retries = 0;
                for n in 0..4 {
                    let id = (task * 4 + n) as u64;
                    retries += call(&handle, Scenario::Error503Always, id, &stats).await - 1;
                }
                retries
            });
        }
        let mut retries = 0;
        while let Some(done) = storm.join_next().await {
            retries += done.expect("storm task");
        }
        assert_eq!(
            retries, 50,
            "retries in a storm must stop when the bucket is empty"
        );

        // Phase 2, the mix: every task cycles through every scenario until the time is up
        // (or, for the short soak, a fixed number of rounds).
        let deadline = started + Duration::from_secs_f64(minutes * 60.0);
        let rounds_if_short = 3;
        let mut mix = tokio::task::JoinSet::new();
        for task in 0..TASKS {
            let (handle, stats) = (handle.clone(), stats.clone());
            mix.spawn(async move {
                let mut round = 0u64;
                loop {
                    for k in 0..ALL.len() {
                        // Each task starts at a different scenario so faults overlap.
                        let scenario = ALL[(k + task) % ALL.len()];
                        let id = 1_000_000 + (task as u64) * 100_000_000 + round * 100 + k as u64;
                        call(&handle, scenario, id, &stats).await;
                    }
                    round += 1;
                    let done = if minutes > 0.0 {
                        Instant::now() >= deadline
                    } else {
                        round >= rounds_if_short
                    };
                    if done {
                        break;
                    }
                }
            });
        }
        while let Some(done) = mix.join_next().await {
            done.expect("mix task");
        }
        drop(handle);
        // Connections of the dropped client close as its pool is dropped.
        tokio::time::sleep(Duration::from_millis(300)).await;
    });

    let alive = runtime.metrics().num_alive_tasks();
    drop(runtime);
    let fds_after = stats::open_fds();
    let _ = server.stdin.take();
    let _ = server.wait();

    let report = stats.report(started.elapsed());
    println!("{report}");
    assert_eq!(alive, 0, "tasks left after the client was dropped");
    assert!(
        fds_after <= fds_before + 2,
        "file descriptors (connections) left: {fds_before} before, {fds_after} after"
    );
    let peak = stats::peak_rss_mib();
    assert!(
        peak <= RSS_BOUND_MIB,
        "peak RSS {peak} MiB > {RSS_BOUND_MIB} MiB"
    );
    stats.assert_every_fault_seen();
}
