//! A stable-toolchain fuzzer of the generated response parsers (no `cargo fuzz`: it needs
//! nightly).
//!
//! ```text
//! cargo run --release -p lightsail-tests --bin fuzz_parser -- --iterations 1000000
//! ```
//!
//! The generated parse functions are `pub(crate)`; the only public way to reach them is a
//! call through `lightsail::Client`. So every input is an HTTP response served by a keyed
//! loopback server (`awsjson_test_support::Server::keyed`) to one client (retries off), from many
//! concurrent tasks. Inputs are random bytes, JSON token soup, and mutations of the
//! recorded responses and of generated valid bodies, as 2xx and as 4xx/5xx, with or without
//! `X-Amzn-Errortype`. Input `i` depends only on `--seed` and `i`, so any failure is
//! reproduced with `--only i`.
//!
//! Checked per input: no panic; a 2xx gives `Ok` or `ResponseError`, anything else a
//! `ServiceError`; rendering the result (every accessor, `Display`) does not panic. A
//! failing input is written to `target/fuzz_parser-<i>.http` (recorded-response format).
//!
//! Options: `--iterations N` (default 20000), `--seed S` (default 1), `--concurrency C`
//! (default 32), `--only I`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use awsjson_test_support::golden as render;
use awsjson_test_support::Server;
use lightsail::error::SdkError;
use lightsail_tests::{call, config, recorded, Response, Sleeps};

const OP: &str = "get_container_service_deployments";

/// SplitMix64: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Rng {
        let mut rng = Rng(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        rng.next();
        rng
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    " ",
    "\n",
    "null",
    "true",
    "false",
    "0",
    "-0",
    "-1",
    "1e2",
    "1.5",
    "2147483647",
    "2147483648",
    "-2147483649",
    "1700000000.123456789",
    "1.7E9",
    "1E400",
    "1e-400",
    "\"\"",
    "\"x\"",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"\\ud83d\\ude80\"",
    "\"\\u00e9\\n\\\"\\\\\"",
    "\"\\u0000\"",
    "\"\\x\"",
    "\"deployments\"",
    "\"containers\"",
    "\"command\"",
    "\"environment\"",
    "\"ports\"",
    "\"publicEndpoint\"",
    "\"healthCheck\"",
    "\"createdAt\"",
    "\"version\"",
    "\"state\"",
    "\"image\"",
    "\"containerPort\"",
    "\"path\"",
    "\"ACTIVE\"",
    "\"HTTP\"",
    "\"__type\"",
    "\"code\"",
    "\"message\"",
    "\"Message\"",
    "\"errorMessage\"",
    "\"NotFoundException\"",
    "\"a#ServiceException:u\"",
    "{\"deployments\":[",
    "{\"containers\":{\"a\":{",
    "{\"__type\":\"AccessDeniedException\",",
];

const STATUSES: &[u16] = &[
    200, 200, 200, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503,
];
const ERROR_TYPES: &[&str] = &[
    "NotFoundException",
    "ServiceException",
    "com.amazonaws.lightsail#InvalidInputException:http://x",
    "UnauthenticatedException",
    "Unknown",
    "#",
    "",
];

/// A valid body with random content, as a mutation seed.
fn valid_body(rng: &mut Rng) -> Vec<u8> {
    let mut s = String::from("{\"deployments\":[");
    for i in 0..rng.below(4) {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "{{\"version\":{},\"state\":\"{}\",\"createdAt\":{}.{},\"containers\":{{\"c\":{{\"image\":\"n\\u00e9\",\
             \"command\":[\"a\",null],\"environment\":{{\"K\":\"v\"}},\"ports\":{{\"80\":\"HTTP\"}}}}}},\
             \"publicEndpoint\":{{\"containerName\":\"c\",\"containerPort\":80,\"healthCheck\":\
             {{\"healthyThreshold\":2,\"path\":\"/\",\"successCodes\":\"200-499\"}}}}}}",
            rng.below(100),
            rng.pick(&["ACTIVE", "FAILED", "NEW"]),
            1_600_000_000 + rng.below(100_000_000),
            rng.below(1_000_000_000),
        ));
    }
    s.push_str("]}");
    s.into_bytes()
}

fn mutate(rng: &mut Rng, body: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(6) {
        let len = body.len();
        let at = rng.below(len + 1);
        match rng.below(7) {
            0 | 1 if len > 0 => body[at.min(len - 1)] ^= 1 << rng.below(8),
            2 => body.insert(at, *rng.pick(b"{}[]\",:\\0-.eE nul")),
            3 => body.insert(at, rng.next() as u8),
            4 => {
                let end = (at + 1 + rng.below(16)).min(len);
                body.drain(at..end);
            }
            5 => body.truncate(at),
            _ => {
                let end = (at + 1 + rng.below(64)).min(len);
                let copy = body[at..end].to_vec();
                body.splice(at..at, copy);
            }
        }
    }
}

fn input(seed: u64, index: u64, corpus: &[Response]) -> Response {
    let mut rng = Rng::new(seed, index);
    let mut response = match rng.below(10) {
        0 | 1 => {
            let n = rng.below(600);
            Response::json(
                200,
                "fuzz",
                (0..n).map(|_| rng.next() as u8).collect::<Vec<_>>(),
            )
        }
        2..=4 => {
            let n = rng.below(80);
            let body: String = (0..n).map(|_| *rng.pick(TOKENS)).collect();
            Response::json(200, "fuzz", body)
        }
        5..=7 => {
            let mut r = rng.pick(corpus).clone();
            mutate(&mut rng, &mut r.body);
            r
        }
        _ => {
            let mut body = valid_body(&mut rng);
            mutate(&mut rng, &mut body);
            Response::json(200, "fuzz", body)
        }
    };
    if rng.chance(40) {
        response.status = *rng.pick(STATUSES);
    }
    if response.status >= 300 && rng.chance(30) {
        let code = rng.pick(ERROR_TYPES).to_string();
        response = response.header("X-Amzn-Errortype", &code);
    }
    response
}

#[derive(Debug)]
enum Outcome {
    Ok,
    ResponseError,
    ServiceError,
    Other(String),
}

#[derive(Default)]
struct Counts {
    ok: AtomicU64,
    response_errors: AtomicU64,
    service_errors: AtomicU64,
}

fn arg(args: &[String], name: &str) -> Option<u64> {
    let i = args.iter().position(|a| a == name)?;
    let v = args
        .get(i + 1)
        .unwrap_or_else(|| usage(&format!("{name} needs a value")));
    Some(
        v.replace('_', "")
            .parse()
            .unwrap_or_else(|_| usage(&format!("bad {name} `{v}`"))),
    )
}

fn usage(msg: &str) -> ! {
    eprintln!(
        "fuzz_parser: {msg}\nusage: fuzz_parser [--iterations N] [--seed S] [--concurrency C] [--only I]"
    );
    std::process::exit(2)
}

fn save(index: u64, response: &Response) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let path = dir.join(format!("fuzz_parser-{index}.http"));
    let mut text = format!(
        "# fuzz_parser input {index}\nHTTP/1.1 {} Fuzz\n",
        response.status
    );
    for (name, value) in &response.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    text.push('\n');
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(&response.body);
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(&path, bytes);
    path.display().to_string()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let iterations = arg(&args, "--iterations").unwrap_or(20_000);
    let seed = arg(&args, "--seed").unwrap_or(1);
    let concurrency = arg(&args, "--concurrency").unwrap_or(32).max(1);
    let only = arg(&args, "--only");

    let corpus: Arc<Vec<Response>> = Arc::new(
        recorded::names(OP)
            .iter()
            .map(|name| recorded::load(OP, name))
            .collect(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let started = Instant::now();
    let counts = Arc::new(Counts::default());
    let failed = runtime.block_on(async {
        let server = Arc::new(Server::keyed("serviceName").await);
        let client =
            lightsail::Client::from_conf(config(&server.url(), &Sleeps::default(), 1).build());
        let (first, end) = match only {
            Some(i) => (i, i + 1),
            None => (0, iterations),
        };
        let next = Arc::new(AtomicU64::new(first));
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let (server, client, next, corpus, counts) = (
                server.clone(),
                client.clone(),
                next.clone(),
                corpus.clone(),
                counts.clone(),
            );
            tasks.push(tokio::spawn(async move {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= end {
                        return None;
                    }
                    let response = input(seed, index, &corpus);
                    let status = response.status;
                    let key = format!("f{index}");
                    server.respond(&key, response.clone());
                    // A panic in the client or in rendering must not be lost: run both in
                    // their own task.
                    let call_client = client.clone();
                    let outcome = tokio::spawn(async move {
                        let result = call(&call_client, &key).await;
                        let kind = match &result {
                            Ok(_) => Outcome::Ok,
                            Err(SdkError::ResponseError(_)) => Outcome::ResponseError,
                            Err(SdkError::ServiceError(_)) => Outcome::ServiceError,
                            Err(other) => Outcome::Other(format!("{other:?}")),
                        };
                        let _ = render::result(&result);
                        kind
                    })
                    .await;
                    let success = (200..300).contains(&status);
                    let problem = match outcome {
                        Err(join) => Some(format!("panic: {join}")),
                        Ok(Outcome::Ok) if success => {
                            counts.ok.fetch_add(1, Ordering::Relaxed);
                            None
                        }
                        Ok(Outcome::ResponseError) if success => {
                            counts.response_errors.fetch_add(1, Ordering::Relaxed);
                            None
                        }
                        Ok(Outcome::ServiceError) if !success => {
                            counts.service_errors.fetch_add(1, Ordering::Relaxed);
                            None
                        }
                        Ok(Outcome::Other(error)) => {
                            Some(format!("untyped error for a {status}: {error}"))
                        }
                        Ok(other) => Some(format!("{other:?} for a {status}")),
                    };
                    if let Some(problem) = problem {
                        return Some((index, problem, save(index, &response)));
                    }
                }
            }));
        }
        let mut failed = Vec::new();
        for task in tasks {
            if let Some(failure) = task.await.expect("worker task") {
                failed.push(failure);
            }
        }
        failed
    });
    let elapsed = started.elapsed();
    let (ok, response_errors, service_errors) = (
        counts.ok.load(Ordering::Relaxed),
        counts.response_errors.load(Ordering::Relaxed),
        counts.service_errors.load(Ordering::Relaxed),
    );
    let total = ok + response_errors + service_errors;
    println!(
        "fuzz_parser: {total} inputs (seed {seed}) in {:.1}s ({:.0}/s): {ok} ok, {response_errors} response errors, {service_errors} service errors, {} failures",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64().max(1e-9),
        failed.len()
    );
    for (index, problem, path) in &failed {
        println!("FAIL input {index}: {problem} (saved to {path}; rerun with --only {index})");
    }
    if !failed.is_empty() {
        // A worker stops at its first failure, so the count is short then too.
        std::process::exit(1);
    }
    // Every input must be accounted for: a count that falls short is a fuzzer bug, and
    // the recorded figures (BENCHMARKS.md) must mean what they say.
    let expected = if only.is_some() { 1 } else { iterations };
    if total != expected {
        println!("FAIL: {total} inputs accounted for, {expected} requested");
        std::process::exit(1);
    }
}
