//! Tests of the waiter loop against a scripted fake operation and a fake clock: no test
//! really sleeps.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::*;
use crate::error::ErrorMetadata;
use crate::response::HttpResponse;

/// A service error with a code, as generated operation errors have.
#[derive(Debug)]
struct FakeError(ErrorMetadata);

impl fmt::Display for FakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for FakeError {}

impl ProvideErrorMetadata for FakeError {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

// SdkError is large (it carries the raw response), as in every generated operation.
#[allow(clippy::result_large_err)]
type PollResult = Result<&'static str, SdkError<FakeError>>;

#[allow(clippy::result_large_err)]
fn service_error(code: &str) -> PollResult {
    let meta = ErrorMetadata::builder().code(code).build();
    Err(SdkError::service_error(
        FakeError(meta),
        HttpResponse::new(400, Default::default(), ""),
    ))
}

/// A clock that only moves when slept on (or when a poll "takes time").
#[derive(Debug)]
struct FakeTime {
    now: Mutex<tokio::time::Instant>,
    sleeps: Mutex<Vec<Duration>>,
}

impl FakeTime {
    fn new() -> Arc<Self> {
        Arc::new(FakeTime {
            now: Mutex::new(tokio::time::Instant::now()),
            sleeps: Mutex::new(Vec::new()),
        })
    }
    fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }
    fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl WaiterTime for FakeTime {
    fn now(&self) -> tokio::time::Instant {
        *self.now.lock().unwrap()
    }
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.sleeps.lock().unwrap().push(duration);
        self.advance(duration);
        Box::pin(std::future::ready(()))
    }
}

/// The acceptors of a DynamoDB-`TableExists`-like waiter over a string "status" output:
/// `ACTIVE` succeeds, `FAILED` fails, `NotFound` errors retry.
fn acceptors(result: Result<&&'static str, &SdkError<FakeError>>) -> AcceptorState {
    if let Ok(status) = result {
        if *status == "ACTIVE" {
            return AcceptorState::Success;
        }
        if *status == "FAILED" {
            return AcceptorState::Failure;
        }
    }
    if error_code(result) == Some("NotFound") {
        return AcceptorState::Retry;
    }
    AcceptorState::NoAcceptorsMatched
}

/// Runs a waiter over scripted poll results; the last result repeats forever. Returns
/// the outcome, the number of polls and the fake clock.
async fn run(
    script: Vec<PollResult>,
    min: u64,
    max: u64,
    max_wait: u64,
    poll_takes: Duration,
) -> (
    Result<FinalPoll<&'static str, SdkError<FakeError>>, WaiterError<&'static str, FakeError>>,
    usize,
    Arc<FakeTime>,
) {
    let time = FakeTime::new();
    let polls = Arc::new(Mutex::new(0usize));
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let waiter = Waiter::new(
        Duration::from_secs(min),
        Duration::from_secs(max),
        Duration::from_secs(max_wait),
    )
    .with_time(time.clone());
    let outcome = waiter
        .wait(
            || {
                *polls.lock().unwrap() += 1;
                time.advance(poll_takes);
                let mut script = script.lock().unwrap();
                let result = if script.len() > 1 {
                    script.pop_front().unwrap()
                } else {
                    match script.front().unwrap() {
                        Ok(status) => Ok(*status),
                        Err(e) => service_error(e.code().unwrap_or_default()),
                    }
                };
                std::future::ready(result)
            },
            acceptors,
        )
        .await;
    let polls = *polls.lock().unwrap();
    (outcome, polls, time)
}

#[tokio::test]
async fn success_after_retries() {
    let script = vec![
        service_error("NotFound"),
        Ok("CREATING"),
        Ok("CREATING"),
        Ok("ACTIVE"),
    ];
    let (outcome, polls, time) = run(script, 2, 120, 600, Duration::ZERO).await;
    let final_poll = outcome.unwrap();
    assert_eq!(final_poll.as_result().ok(), Some(&"ACTIVE"));
    assert_eq!(polls, 4);
    let sleeps = time.sleeps();
    assert_eq!(sleeps.len(), 3);
    // The first retry waits exactly min_delay; later ones at most min * 2^(n-1).
    assert_eq!(sleeps[0], Duration::from_secs(2));
    assert!(sleeps[1] >= Duration::from_secs(2) && sleeps[1] <= Duration::from_secs(4));
    assert!(sleeps[2] >= Duration::from_secs(2) && sleeps[2] <= Duration::from_secs(8));
}

#[tokio::test]
async fn failure_acceptor_returns_the_final_poll() {
    let script = vec![Ok("CREATING"), Ok("FAILED")];
    let (outcome, polls, _) = run(script, 2, 120, 600, Duration::ZERO).await;
    let err = outcome.unwrap_err();
    assert_eq!(
        err.to_string(),
        "waiting failed: the output matched a failure acceptor"
    );
    match err {
        WaiterError::FailureState(state) => {
            assert_eq!(state.into_final_poll().into_result().ok(), Some("FAILED"))
        }
        other => panic!("expected FailureState, got {other:?}"),
    }
    assert_eq!(polls, 2);
}

#[tokio::test]
async fn error_code_acceptor_retries_and_unmatched_error_fails() {
    let script = vec![service_error("NotFound"), service_error("AccessDenied")];
    let (outcome, polls, _) = run(script, 1, 10, 60, Duration::ZERO).await;
    let err = outcome.unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(
        err.to_string().contains("operation failed while waiting"),
        "{err}"
    );
    assert!(std::error::Error::source(&err).is_some());
    match err {
        WaiterError::OperationFailed(failed) => {
            assert_eq!(failed.into_error().code(), Some("AccessDenied"))
        }
        other => panic!("expected OperationFailed, got {other:?}"),
    }
    assert_eq!(polls, 2);
}

#[tokio::test]
async fn error_code_acceptor_can_succeed() {
    // Like DynamoDB `TableNotExists`: the error is the success, and is the final poll.
    fn gone(result: Result<&&'static str, &SdkError<FakeError>>) -> AcceptorState {
        if error_code(result) == Some("NotFound") {
            AcceptorState::Success
        } else {
            AcceptorState::NoAcceptorsMatched
        }
    }
    let time = FakeTime::new();
    let outcome = Waiter::new(
        Duration::from_secs(1),
        Duration::from_secs(5),
        Duration::from_secs(30),
    )
    .with_time(time.clone())
    .wait(|| std::future::ready(service_error("NotFound")), gone)
    .await
    .unwrap();
    assert_eq!(outcome.as_result().unwrap_err().code(), Some("NotFound"));
    assert!(time.sleeps().is_empty());
}

#[tokio::test]
async fn max_wait_exceeded_with_fake_time() {
    let (outcome, polls, time) =
        run(vec![Ok("CREATING")], 2, 10, 60, Duration::from_millis(500)).await;
    let err = outcome.unwrap_err();
    let WaiterError::ExceededMaxWait(ctx) = &err else {
        panic!("expected ExceededMaxWait, got {err:?}");
    };
    assert_eq!(ctx.max_wait(), Duration::from_secs(60));
    assert_eq!(ctx.poll_count() as usize, polls);
    // Stopped with less than min_delay left, never past max_wait.
    assert!(ctx.elapsed() <= Duration::from_secs(60), "{ctx:?}");
    assert!(ctx.elapsed() >= Duration::from_secs(58), "{ctx:?}");
    assert!(
        err.to_string().starts_with("exceeded max wait time (60s)"),
        "{err}"
    );
    assert!(time.sleeps().iter().all(|d| *d <= Duration::from_secs(10)));
    assert!(polls > 5);
}

#[tokio::test]
async fn acceptors_can_capture_the_input() {
    // An `inputOutput` matcher compares the output with the request's input.
    let wanted = String::from("ACTIVE");
    let outcome = Waiter::new(
        Duration::from_secs(1),
        Duration::from_secs(5),
        Duration::from_secs(30),
    )
    .with_time(FakeTime::new())
    .wait(
        || std::future::ready(Ok("ACTIVE")),
        |result: Result<&&'static str, &SdkError<FakeError>>| match result {
            Ok(status) if **status == wanted => AcceptorState::Success,
            _ => AcceptorState::Retry,
        },
    )
    .await;
    assert!(outcome.is_ok());
}

#[tokio::test]
async fn no_acceptor_match_on_output_retries() {
    let script = vec![Ok("UNKNOWN"), Ok("ACTIVE")];
    let (outcome, polls, _) = run(script, 2, 120, 600, Duration::ZERO).await;
    assert!(outcome.is_ok());
    assert_eq!(polls, 2);
}

#[tokio::test]
async fn invalid_delays_are_a_construction_failure() {
    let waiter = Waiter::new(
        Duration::from_secs(10),
        Duration::from_secs(5),
        Duration::from_secs(60),
    );
    let err = waiter
        .wait(|| std::future::ready(Ok("ACTIVE")), acceptors)
        .await
        .unwrap_err();
    assert!(matches!(err, WaiterError::ConstructionFailure(_)));
    assert_eq!(
        err.to_string(),
        "failed to construct waiter: waiter min_delay (10s) is greater than max_delay (5s)"
    );
    let err = Backoff::new(Duration::ZERO, Duration::from_secs(1)).unwrap_err();
    assert!(err.contains("greater than zero"), "{err}");
}

#[test]
fn backoff_follows_the_spec() {
    let secs = Duration::from_secs;
    let backoff = Backoff::new(secs(2), secs(120)).unwrap();
    let far = secs(10_000);
    // Lowest draw: always min_delay. Highest: min * 2^(attempt-1), capped at max.
    for attempt in 1..=12 {
        assert_eq!(backoff.delay(attempt, far, 0.0), Some(secs(2)));
    }
    let highest: Vec<u64> = (1..=9)
        .map(|attempt| backoff.delay(attempt, far, 1.0).unwrap().as_secs())
        .collect();
    assert_eq!(highest, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
    // Past the attempt ceiling (log2(120/2) + 1 = 6.9) the spec draws in [min, max].
    assert_eq!(backoff.delay(7, far, 0.5), Some(secs(61)));
    assert_eq!(backoff.delay(u32::MAX, far, 1.0), Some(secs(120)));
    // Halfway draw on attempt 4: 2 + (16 - 2) / 2.
    assert_eq!(backoff.delay(4, far, 0.5), Some(secs(9)));
}

#[test]
fn backoff_leaves_min_delay_before_max_wait() {
    let secs = Duration::from_secs;
    let backoff = Backoff::new(secs(2), secs(120)).unwrap();
    // 10 s left, a 120 s delay would overshoot: sleep 8 s, keep 2 s for a last poll.
    assert_eq!(backoff.delay(20, secs(10), 0.9), Some(secs(8)));
    assert_eq!(backoff.delay(1, secs(2), 0.0), None);
    assert_eq!(backoff.delay(1, secs(1), 0.0), None);
}

#[test]
fn jittered_delays_stay_within_bounds_and_vary() {
    let min = Duration::from_secs(5);
    let max = Duration::from_secs(60);
    let backoff = Backoff::new(min, max).unwrap();
    let delays: Vec<Duration> = (0..200)
        .map(|_| {
            backoff
                .delay(5, Duration::from_secs(3600), crate::client::rng::next_f64())
                .unwrap()
        })
        .collect();
    assert!(delays.iter().all(|d| *d >= min && *d <= max), "{delays:?}");
    let distinct: std::collections::HashSet<_> = delays.iter().collect();
    assert!(distinct.len() > 100, "not jittered: {delays:?}");
}

#[test]
fn error_code_reads_only_service_errors() {
    let ok: PollResult = Ok("ACTIVE");
    assert_eq!(error_code(ok.as_ref()), None);
    let err = service_error("Throttled");
    assert_eq!(error_code(err.as_ref()), Some("Throttled"));
    let construction: PollResult = Err(SdkError::construction_failure("no region"));
    assert_eq!(error_code(construction.as_ref()), None);
}
