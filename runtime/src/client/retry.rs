//! AWS "standard" retry mode: which failures are retried, how long to wait, and the retry
//! token bucket that stops retry storms when a service is unhealthy.
//!
//! Numbers and rules as in aws-sdk-rust's default standard mode (smithy-rs
//! `StandardRetryStrategy`, `TokenBucket`, `AwsErrorCodeClassifier`, retry spec 2.0):
//! * retried: throttling error codes ([`RetryKind::Throttling`]); HTTP 500, 502, 503, 504,
//!   transient error codes, I/O errors and timeouts ([`RetryKind::Transient`]); clock-skew
//!   codes when the clock was off ([`RetryKind::ClockSkew`]); errors the model marks
//!   `smithy.api#retryable` ([`classify_modeled`]: as throttling when `throttling: true`, else
//!   [`RetryKind::ServerError`], as smithy-rs's `ModeledAsRetryableClassifier`). Never any
//!   other 4xx.
//! * backoff before retry `n` (after failed attempt `n`, 1-based): `random[0,1) *
//!   min(initial * 2^(n-1), max)`, initial 1 s and max 20 s by default ("full jitter"); an
//!   `x-amz-retry-after` header (milliseconds) replaces it, capped at max.
//! * token bucket: 500 tokens; a retry costs 10 after a transient error, 5 after any other;
//!   with too few tokens left the error is returned instead of retrying; a success returns the
//!   cost of the retry that led to it, or adds 1 token when it needed no retry.
//!
//! Deliberate differences (ARCHITECTURE.md says why): one bucket per client, not per
//! process and region; `x-amz-retry-after` is honoured on every retryable error response, not
//! only on throttling / transient codes; certificate failures are not retried.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Error codes that mean "slow down".
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Error codes that may mean our clock is off (the signature's time is outside the
/// service's window): aws-sdk-rust's list plus botocore's `RequestExpired` and
/// `RequestInTheFuture`. Retried only when the clock really was off (see `clock_skew`).
const CLOCK_SKEW_CODES: &[&str] = &[
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestTimeTooSkewed",
    "AccessDeniedException",
    "RequestExpired",
    "RequestInTheFuture",
];

/// HTTP statuses retried whatever the code.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Why an attempt failed, as far as retrying is concerned (smithy-rs's `ErrorKind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// Throttling error code.
    Throttling,
    /// 500/502/503/504, a transient error code, an I/O error or a timeout.
    Transient,
    /// A code that may mean clock skew; retried only if the clock was off.
    ClockSkew,
    /// A `smithy.api#retryable` error of the model that is not throttling (smithy-rs's
    /// `ErrorKind::ServerError`).
    ServerError,
    /// Anything else: not retried.
    NotRetryable,
}

impl RetryKind {
    /// Tokens a retry after this failure costs (smithy-rs: `TransientError` costs the
    /// timeout cost, everything else the retry cost).
    pub(crate) fn cost(self) -> u32 {
        if self == RetryKind::Transient {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        }
    }
}

/// Classifies an error response: the code first (throttling beats a 5xx status), then the
/// status.
pub(crate) fn classify(status: u16, code: Option<&str>) -> RetryKind {
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return RetryKind::Throttling;
        }
        if TRANSIENT_CODES.contains(&code) {
            return RetryKind::Transient;
        }
        if CLOCK_SKEW_CODES.contains(&code) {
            return RetryKind::ClockSkew;
        }
    }
    if TRANSIENT_STATUSES.contains(&status) {
        RetryKind::Transient
    } else {
        RetryKind::NotRetryable
    }
}

/// The delay an error response asks for in `x-amz-retry-after`: whole milliseconds, as
/// aws-sdk-rust parses it (`u64`); negative, fractional, out-of-range or garbage values are
/// ignored (`None`).
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get("x-amz-retry-after")?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_millis)
}

/// Classifies an error response of an operation whose model marks some errors
/// `@retryable`: those are retried (as throttling when `throttling: true`); other codes
/// as [`classify`] says.
pub(crate) fn classify_modeled(
    status: u16,
    code: Option<&str>,
    retryable: &[super::RetryableError],
) -> RetryKind {
    let modeled = code.and_then(|code| retryable.iter().find(|e| e.code == code));
    match modeled {
        Some(e) if e.throttling => RetryKind::Throttling,
        Some(_) => RetryKind::ServerError,
        None => classify(status, code),
    }
}

/// Token bucket capacity (and initial content).
pub(crate) const BUCKET_CAPACITY: u32 = 500;
/// Cost of a retry.
pub(crate) const RETRY_COST: u32 = 5;
/// Cost of a retry after a transient error (timeout, I/O error, 5xx).
pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens added by a success that needed no retry.
pub(crate) const SUCCESS_REWARD: u32 = 1;

/// The retry token bucket shared by every call of one client.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    tokens: AtomicU32,
}

impl Default for TokenBucket {
    fn default() -> Self {
        TokenBucket {
            tokens: AtomicU32::new(BUCKET_CAPACITY),
        }
    }
}

impl TokenBucket {
    /// Takes `cost` tokens if there are that many.
    pub(crate) fn try_acquire(&self, cost: u32) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// Records a successful call: returns the cost of the retry that led to it, if any,
    /// else adds the success reward. Never above capacity.
    pub(crate) fn on_success(&self, last_retry_cost: Option<u32>) {
        let add = last_retry_cost.unwrap_or(SUCCESS_REWARD);
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(add).min(BUCKET_CAPACITY))
            });
    }

    /// The tokens left (for tests and logs).
    pub(crate) fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

/// The backoff before retrying after failed attempt `attempt` (1-based), given a jitter
/// factor in `[0, 1]`.
pub(crate) fn backoff(attempt: u32, initial: Duration, max: Duration, jitter: f64) -> Duration {
    // 2^62 seconds is already far above any max; capping the exponent avoids inf.
    let exponent = attempt.saturating_sub(1).min(62) as i32;
    let uncapped = initial.as_secs_f64() * 2f64.powi(exponent);
    let capped = uncapped.min(max.as_secs_f64());
    Duration::try_from_secs_f64(jitter.clamp(0.0, 1.0) * capped).unwrap_or(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(classify(503, None), RetryKind::Transient);
        assert_eq!(classify(500, Some("InternalFailure")), RetryKind::Transient);
        assert_eq!(
            classify(503, Some("ThrottlingException")),
            RetryKind::Throttling
        );
        assert_eq!(
            classify(403, Some("AccessDeniedException")),
            RetryKind::ClockSkew
        );
        assert_eq!(
            classify(400, Some("ThrottlingException")),
            RetryKind::Throttling
        );
        assert_eq!(classify(400, Some("RequestTimeout")), RetryKind::Transient);
        assert_eq!(
            classify(400, Some("NotFoundException")),
            RetryKind::NotRetryable
        );
        assert_eq!(classify(429, None), RetryKind::NotRetryable);
        assert_eq!(
            classify(403, Some("InvalidSignatureException")),
            RetryKind::ClockSkew
        );
        assert_eq!(classify(501, None), RetryKind::NotRetryable);
    }

    #[test]
    fn modeled_retryable_errors() {
        let modeled = [
            super::super::RetryableError {
                code: "Busy",
                throttling: false,
            },
            super::super::RetryableError {
                code: "SlowDownPlease",
                throttling: true,
            },
        ];
        assert_eq!(
            classify_modeled(400, Some("Busy"), &modeled),
            RetryKind::ServerError
        );
        assert_eq!(
            classify_modeled(400, Some("SlowDownPlease"), &modeled),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_modeled(400, Some("Other"), &modeled),
            RetryKind::NotRetryable
        );
        assert_eq!(classify_modeled(503, None, &modeled), RetryKind::Transient);
        assert_eq!(RetryKind::ServerError.cost(), 5);
    }

    #[test]
    fn costs_follow_smithy_rs() {
        assert_eq!(BUCKET_CAPACITY, 500);
        assert_eq!(RetryKind::Transient.cost(), 10);
        assert_eq!(RetryKind::Throttling.cost(), 5);
        assert_eq!(RetryKind::ClockSkew.cost(), 5);
        assert_eq!(SUCCESS_REWARD, 1);
    }

    #[test]
    fn retry_after_values() {
        let parse = |v: &str| {
            let mut headers = http::HeaderMap::new();
            headers.insert(
                "x-amz-retry-after",
                http::HeaderValue::from_str(v).expect("header"),
            );
            retry_after(&headers)
        };
        assert_eq!(parse("1500"), Some(Duration::from_millis(1500)));
        assert_eq!(parse("0"), Some(Duration::ZERO));
        assert_eq!(parse(" 7 "), Some(Duration::from_millis(7)));
        assert_eq!(parse("-1"), None);
        assert_eq!(parse("1.5"), None);
        assert_eq!(parse("soon"), None);
        assert_eq!(parse("18446744073709551616"), None);
        assert_eq!(retry_after(&http::HeaderMap::new()), None);
    }

    #[test]
    fn backoff_is_capped_exponential_with_jitter() {
        let s = Duration::from_secs;
        assert_eq!(backoff(1, s(1), s(20), 1.0), s(1));
        assert_eq!(backoff(2, s(1), s(20), 1.0), s(2));
        assert_eq!(backoff(3, s(1), s(20), 0.5), s(2));
        assert_eq!(backoff(6, s(1), s(20), 1.0), s(20));
        assert_eq!(backoff(u32::MAX, s(1), s(20), 1.0), s(20));
        assert_eq!(backoff(4, s(1), s(20), 0.0), Duration::ZERO);
        assert_eq!(backoff(0, s(1), s(20), 1.0), s(1));
    }

    #[test]
    fn bucket_costs_and_refunds() {
        let bucket = TokenBucket::default();
        assert!(bucket.try_acquire(RETRY_COST));
        assert_eq!(bucket.available(), 495);
        bucket.on_success(Some(RETRY_COST));
        assert_eq!(bucket.available(), 500);
        bucket.on_success(None);
        assert_eq!(bucket.available(), 500);
        for _ in 0..50 {
            assert!(bucket.try_acquire(TIMEOUT_RETRY_COST));
        }
        assert!(!bucket.try_acquire(RETRY_COST));
        bucket.on_success(None);
        assert_eq!(bucket.available(), 1);
    }

    proptest::proptest! {
        #[test]
        fn backoff_never_panics_and_respects_max(
            attempt in proptest::num::u32::ANY,
            initial_ms in proptest::num::u64::ANY,
            max_ms in 0u64..10_000_000,
            jitter in proptest::num::f64::ANY,
        ) {
            let max = Duration::from_millis(max_ms);
            let d = backoff(attempt, Duration::from_millis(initial_ms), max, jitter);
            proptest::prop_assert!(d <= max);
        }
    }
}
