//! Hostile responses through the real `lightsail::Client` (loopback server, retries off):
//! arbitrary bytes, JSON token soup and mutated recorded responses, as 200 and as 4xx/5xx.
//! The client must never panic and must always return `Ok` or a typed error: a 2xx that
//! cannot be read is a `ResponseError` naming the byte offset (within the body) where
//! reading failed, any 4xx/5xx is a `ServiceError` (unknown or unreadable ones are
//! `Unhandled`) that keeps the status; every outcome keeps the request id and is rendered
//! as what it is. Each property also counts its outcomes and checks that every outcome its
//! generator is bound to produce did occur, so a client that (say) accepted any 2xx body
//! would fail. Deep nesting is an error, not a stack overflow, and a multi-MB body is read
//! in bounded time.
//!
//! Seeds are fixed; `HOSTILE_CASES` (default 1000 per property, 4 properties) sets the
//! number of cases.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use awsjson_test_support::golden as render;
use awsjson_test_support::Server;
use lightsail::error::SdkError;
use lightsail::operation::RequestId;
use lightsail_tests::{call, config, recorded, CallResult, Response, Sleeps};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};

const OP: &str = "get_container_service_deployments";

/// One runtime, one keyed loopback server and one client (retries off) for every case.
struct Harness {
    runtime: tokio::runtime::Runtime,
    server: Server,
    client: lightsail::Client,
    next: AtomicU64,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let server = runtime.block_on(Server::keyed("serviceName"));
        let client =
            lightsail::Client::from_conf(config(&server.url(), &Sleeps::default(), 1).build());
        Harness {
            runtime,
            server,
            client,
            next: AtomicU64::new(0),
        }
    })
}

/// What was served, for judging the outcome.
#[derive(Clone, Debug)]
struct Served {
    status: u16,
    request_id: Option<String>,
    body_len: usize,
}

impl Served {
    fn of(response: &Response) -> Served {
        Served {
            status: response.status,
            request_id: response.header_value("x-amzn-RequestId").map(str::to_owned),
            body_len: response.body.len(),
        }
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The kind of outcome of one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    ResponseError,
    ServiceError,
}

/// How many calls ended in each outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    ok: usize,
    response_error: usize,
    service_error: usize,
}

impl Counts {
    fn add(self, outcome: Outcome) -> Counts {
        let mut next = self;
        match outcome {
            Outcome::Ok => next.ok += 1,
            Outcome::ResponseError => next.response_error += 1,
            Outcome::ServiceError => next.service_error += 1,
        }
        next
    }
}

// `CallResult` is the generated crate's own (large) error type; not ours to box.
#[allow(clippy::result_large_err)]
fn serve(response: Response) -> CallResult {
    let h = harness();
    let key = format!("h-{}", h.next.fetch_add(1, Ordering::Relaxed));
    h.server.respond(&key, response);
    h.runtime.block_on(call(&h.client, &key))
}

/// Serves `response` and checks the outcome ([`check`]).
#[allow(clippy::result_large_err)]
fn serve_checked(response: Response) -> (CallResult, Outcome) {
    let served = Served::of(&response);
    let result = serve(response);
    let outcome = check(&served, &result);
    (result, outcome)
}

/// The `N` of the last "at byte N" in an error message.
fn byte_offset(text: &str) -> Option<usize> {
    let (_, rest) = text.rsplit_once(" at byte ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Checks the outcome of one hostile response against what was served: a 2xx gives `Ok` or
/// a `ResponseError` naming a byte offset within the body; anything else a `ServiceError`
/// with the status; errors keep the raw status and request id after one attempt; `Ok`
/// keeps the request id; the rendering states the outcome.
fn check(served: &Served, result: &CallResult) -> Outcome {
    let status = served.status;
    let outcome = match result {
        Ok(output) => {
            assert!(served.is_success(), "a {status} response gave Ok");
            assert_eq!(
                output.request_id(),
                served.request_id.as_deref(),
                "request id of an Ok"
            );
            Outcome::Ok
        }
        Err(err @ SdkError::ResponseError(_)) => {
            assert!(served.is_success(), "ResponseError for a {status}: {err}");
            let text = err.to_string();
            match byte_offset(&text) {
                Some(offset) => assert!(
                    offset <= served.body_len,
                    "byte {offset} is beyond the {}-byte body: {text}",
                    served.body_len
                ),
                None => panic!("a ResponseError that names no byte offset: {text}"),
            }
            Outcome::ResponseError
        }
        Err(err @ SdkError::ServiceError(_)) => {
            assert!(!served.is_success(), "ServiceError for a {status}: {err}");
            let service = err.as_service_error().expect("a service error");
            assert_eq!(service.meta().status(), Some(status), "{err}");
            Outcome::ServiceError
        }
        Err(other) => panic!("not a typed response outcome for a {status}: {other:?}"),
    };
    if let Err(err) = result {
        let raw = err
            .raw_response()
            .expect("a response error keeps the response");
        assert_eq!(raw.status().as_u16(), status, "raw status of {err}");
        assert_eq!(raw.request_id(), served.request_id.as_deref(), "{err}");
        assert_eq!(err.attempts(), Some(1), "retries are off: {err}");
    }
    // Rendering touches every accessor, Display and the error metadata.
    let text = render::result(result);
    let head = match outcome {
        Outcome::Ok => "result: ok\n".to_owned(),
        Outcome::ResponseError => "result: error\nkind: ResponseError\n".to_owned(),
        Outcome::ServiceError => {
            assert!(text.contains(&format!("\nstatus: {status}\n")), "{text}");
            "result: error\nkind: ServiceError\n".to_owned()
        }
    };
    assert!(text.starts_with(&head), "rendered as\n{text}");
    if outcome != Outcome::Ok {
        assert!(
            text.contains(&format!("\nraw_status: {status}\n")),
            "{text}"
        );
    }
    outcome
}

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn runner(seed: u64) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases: cases(),
            failure_persistence: None,
            rng_algorithm: RngAlgorithm::ChaCha,
            rng_seed: RngSeed::Fixed(seed),
            ..Config::default()
        },
        proptest::test_runner::TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    )
}

fn status() -> impl Strategy<Value = u16> {
    prop::sample::select(vec![
        200u16, 200, 200, 400, 401, 403, 404, 409, 429, 500, 502, 503,
    ])
}

fn header_value() -> impl Strategy<Value = String> {
    // Visible ASCII only: anything else is not a valid header value for the server to send.
    "[ -~]{0,40}"
}

fn response(status: u16, errortype: Option<String>, body: Vec<u8>) -> Response {
    let mut response = Response::json(status, "hostile-request-id", body);
    if let Some(code) = errortype {
        response = response.header("X-Amzn-Errortype", code.trim());
    }
    response
}

fn run(seed: u64, strategy: impl Strategy<Value = (u16, Option<String>, Vec<u8>)>) -> Counts {
    let counts = std::cell::Cell::new(Counts::default());
    runner(seed)
        .run(&strategy, |(status, errortype, body)| {
            let (_, outcome) = serve_checked(response(status, errortype, body));
            counts.set(counts.get().add(outcome));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    counts.get()
}

#[test]
fn arbitrary_bytes() {
    let strategy = (
        status(),
        prop::option::weighted(0.3, header_value()),
        prop::collection::vec(any::<u8>(), 0..512),
    );
    let counts = run(0x5eed_0001, strategy);
    // A quarter of the statuses are 200 and a non-empty random body is almost never JSON;
    // the rest are errors.
    assert!(
        counts.response_error > 0 && counts.service_error > 0,
        "random bytes give both kinds of error: {counts:?}"
    );
}

/// JSON tokens in random order: reaches deep into the generated parsers far more often
/// than random bytes do.
fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    let tokens = vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "null",
        "true",
        "0",
        "-1",
        "1e2",
        "1.5",
        "2147483648",
        "1700000000.123456789",
        "1E400",
        "\"\"",
        "\"x\"",
        "\"\\ud800\"",
        "\"\\u00e9\\n\"",
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
        "\"ACTIVE\"",
        "\"HTTP\"",
        "\"__type\"",
        "\"code\"",
        "\"message\"",
        "\"NotFoundException\"",
        "{\"deployments\":[",
        "{\"containers\":{\"a\":{",
        "{\"__type\":\"ServiceException\",",
    ];
    prop::collection::vec(prop::sample::select(tokens), 0..64)
        .prop_map(|parts| parts.concat().into_bytes())
}

#[test]
fn json_token_soup() {
    let strategy = (
        status(),
        prop::option::weighted(
            0.2,
            prop::sample::select(vec![
                "NotFoundException".to_owned(),
                "aws#ServiceException:x".to_owned(),
                "Unknown".to_owned(),
            ]),
        ),
        token_soup(),
    );
    let counts = run(0x5eed_0002, strategy);
    assert!(
        counts.response_error > 0 && counts.service_error > 0,
        "token soup gives both kinds of error: {counts:?}"
    );
}

/// A mutation of a recorded body.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Truncate(usize),
    Duplicate(usize, usize),
}

fn mutate(body: &mut Vec<u8>, mutation: &Mutation) {
    let len = body.len();
    let at = |i: usize| if len == 0 { 0 } else { i % (len + 1) };
    match *mutation {
        Mutation::Flip(i, mask) if len > 0 => body[i % len] ^= mask.max(1),
        Mutation::Flip(..) => {}
        Mutation::Insert(i, b) => body.insert(at(i), b),
        Mutation::Delete(i, n) => {
            let start = at(i);
            let end = (start + n).min(len);
            body.drain(start..end);
        }
        Mutation::Truncate(i) => body.truncate(at(i)),
        Mutation::Duplicate(i, n) => {
            let start = at(i);
            let end = (start + n).min(len);
            let copy = body[start..end].to_vec();
            body.splice(start..start, copy);
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(i, m)| Mutation::Flip(i, m)),
        3 => (any::<usize>(), prop::sample::select(b"{}[]\",:\\0-.eE nul".to_vec()))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        2 => (any::<usize>(), 1usize..16).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

#[test]
fn mutated_recorded_responses() {
    let recorded: Vec<Response> = recorded::names(OP)
        .iter()
        .map(|name| recorded::load(OP, name))
        .collect();
    assert!(
        recorded.len() >= 30,
        "{} recorded responses",
        recorded.len()
    );
    let n = recorded.len();
    let strategy = (
        0..n,
        prop::collection::vec(mutation(), 1..6),
        prop::option::weighted(0.3, status()),
    );
    let counts = std::cell::Cell::new(Counts::default());
    runner(0x5eed_0003)
        .run(&strategy, |(index, mutations, status)| {
            let mut response = recorded[index].clone();
            for m in &mutations {
                mutate(&mut response.body, m);
            }
            if let Some(status) = status {
                response.status = status;
            }
            let (_, outcome) = serve_checked(response);
            counts.set(counts.get().add(outcome));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let counts = counts.get();
    // Most recordings are 2xx and most mutations break them; some leave them readable
    // (a flipped letter in a string), and some recordings are errors.
    assert!(
        counts.ok > 0 && counts.response_error > 0 && counts.service_error > 0,
        "mutations give every outcome: {counts:?}"
    );
}

#[test]
fn arbitrary_error_headers_and_bodies() {
    let strategy = (
        prop::sample::select(vec![400u16, 403, 404, 500, 503]),
        prop::option::of(header_value()),
        prop::collection::vec(any::<u8>(), 0..256).prop_map(|tail| {
            let mut body = b"{\"__type\":\"".to_vec();
            body.extend(tail);
            body
        }),
    );
    let counts = run(0x5eed_0004, strategy);
    assert_eq!(
        counts,
        Counts {
            service_error: cases() as usize,
            ..Counts::default()
        },
        "every error status is a ServiceError"
    );
}

fn nested(depth: usize, open: &str, close: &str, prefix: &str, suffix: &str) -> Vec<u8> {
    let mut body = String::with_capacity(prefix.len() + depth * (open.len() + close.len()));
    body.push_str(prefix);
    for _ in 0..depth {
        body.push_str(open);
    }
    for _ in 0..depth {
        body.push_str(close);
    }
    body.push_str(suffix);
    body.into_bytes()
}

/// Runs `f` on a thread with a small stack: an unbounded recursion would overflow it
/// (and abort the test binary) long before the runtime's nesting limit is reached.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    on_small_stack(|| {
        let deep = 100_000;
        let bodies: Vec<(&str, Vec<u8>)> = vec![
            ("arrays", nested(deep, "[", "]", "", "")),
            ("objects", nested(deep, "{\"a\":", "}", "", "")),
            (
                "unknown member",
                nested(deep, "[", "]", "{\"unknown\":", "}"),
            ),
            (
                "unknown member of a deployment",
                nested(deep, "{\"x\":", "}", "{\"deployments\":[{\"extra\":", "}]}"),
            ),
            (
                "environment",
                nested(
                    deep,
                    "{\"environment\":",
                    "}",
                    "{\"deployments\":[{\"containers\":{\"a\":",
                    "}}]}",
                ),
            ),
            (
                "containers",
                nested(
                    deep,
                    "{\"containers\":{\"a\":",
                    "}}",
                    "{\"deployments\":[",
                    "]}",
                ),
            ),
            ("unclosed", nested(deep, "[", "", "{\"deployments\":", "")),
        ];
        for (what, body) in bodies {
            let (result, outcome) = serve_checked(Response::json(200, "deep", body.clone()));
            assert_eq!(
                outcome,
                Outcome::ResponseError,
                "{what}: {}",
                render::result(&result)
            );
            for status in [400, 500] {
                let (result, _) = serve_checked(
                    Response::json(status, "deep", body.clone())
                        .header("X-Amzn-Errortype", "NotFoundException"),
                );
                let service = result.as_ref().err().and_then(SdkError::as_service_error);
                assert!(
                    matches!(
                        service,
                        Some(lightsail::operation::get_container_service_deployments::GetContainerServiceDeploymentsError::Unhandled(_))
                    ),
                    "{what} as a {status}: {}",
                    render::result(&result)
                );
            }
        }
        // Just under the limit still parses: the limit is not lower than documented.
        let depth = awsjson_runtime::json::MAX_DEPTH - 4;
        let body = nested(depth, "[", "]", "{\"deployments\":[{\"extra\":", "}]}");
        let (result, outcome) = serve_checked(Response::json(200, "deep", body));
        assert_eq!(outcome, Outcome::Ok, "{}", render::result(&result));
    });
}

#[test]
fn multi_megabyte_bodies_parse_in_bounded_time() {
    let limit = Duration::from_secs(15);
    // 4,000 deployments with containers, strings full of escapes, and large unknown members.
    let mut body = String::from("{\"deployments\":[");
    for i in 0..4_000 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            "{{\"version\":{i},\"state\":\"ACTIVE\",\"createdAt\":1.700000000123E9,\
             \"containers\":{{\"c{i}\":{{\"image\":\"{}\",\"command\":[\"a\",\"b\\n\\u00e9\"],\
             \"environment\":{{\"K\":\"{}\"}},\"ports\":{{\"80\":\"HTTP\"}}}}}},\
             \"unknown\":[{}]}}",
            "x\\\"".repeat(50),
            "\\ud83d\\ude80".repeat(40),
            "[1,{\"a\":null}],".repeat(20) + "0",
        ));
    }
    body.push_str("]}");
    assert!(body.len() > 4_000_000, "{} bytes", body.len());
    let started = Instant::now();
    let (result, _) = serve_checked(Response::json(200, "big", body.into_bytes()));
    let elapsed = started.elapsed();
    let output = result.expect("the large body parses");
    assert_eq!(output.deployments().len(), 4_000);
    assert!(elapsed < limit, "{elapsed:?}");

    // One 4 MB string, many duplicate keys and a 4 MB error body.
    let bodies = [
        (
            200,
            format!(
                "{{\"deployments\":[{{\"containers\":{{\"a\":{{\"image\":\"{}\"}}}}}}]}}",
                "\\\\".repeat(2_000_000)
            ),
        ),
        (
            200,
            format!(
                "{{{}\"deployments\":[]}}",
                "\"deployments\":null,".repeat(250_000)
            ),
        ),
        (
            400,
            format!(
                "{{\"__type\":\"NotFoundException\",\"message\":\"{}\"}}",
                "m".repeat(4_000_000)
            ),
        ),
        (500, "<html>".repeat(800_000)),
    ];
    for (status, body) in bodies {
        let started = Instant::now();
        let (result, outcome) = serve_checked(Response::json(status, "big", body.into_bytes()));
        let elapsed = started.elapsed();
        let expected = if status < 300 {
            Outcome::Ok
        } else {
            Outcome::ServiceError
        };
        assert_eq!(outcome, expected, "{}", render::result(&result));
        assert!(elapsed < limit, "{elapsed:?}");
    }
}
