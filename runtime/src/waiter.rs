//! The service-agnostic loop of waiters (`smithy.waiters#waitable`, Smithy waiters spec).
//!
//! A generated waiter supplies one function that sends the operation and one that maps
//! each result to an [`AcceptorState`] (its acceptors, in model order, compiled from the
//! model by `codegen::jmespath`); [`Waiter::wait`] does the rest:
//!
//! * polls, then evaluates the acceptors: the first matching one decides; `Success`
//!   returns the [`FinalPoll`], `Failure` returns [`WaiterError::FailureState`], `Retry`
//!   polls again; when none matches, an error result ends the wait with
//!   [`WaiterError::OperationFailed`] and an output result polls again (spec: "retry");
//! * sleeps between polls with the spec's jittered exponential backoff between
//!   `min_delay` and `max_delay` ([`Backoff`]), never past `max_wait`; when too little
//!   time remains for another poll it returns [`WaiterError::ExceededMaxWait`].
//!
//! Error and final-poll types are aws-sdk-rust's: [`FinalPoll`], [`FailureState`] and
//! [`ExceededMaxWait`] are re-exported from aws-smithy-runtime-api. [`WaiterError`] has
//! the same variants and methods as aws-smithy-runtime-api's, but carries this runtime's
//! `SdkError` (aws-smithy-runtime-api's is bound to its own `SdkError` type), so its
//! `ConstructionFailure` and `OperationFailed` are this module's; its `FailureState` final
//! poll holds the `SdkError`, like the success `FinalPoll`.
//!
//! Time is injectable ([`WaiterTime`]): tokio's clock by default (so `tokio::time::pause`
//! works in users' tests), a fake clock in ours, so no test really waits.
//!
//! A generated waiter (acceptor bodies come from `codegen::jmespath::compile_matcher`):
//!
//! ```ignore
//! pub async fn wait(self, max_wait: Duration) -> Result<DeploymentActiveFinalPoll, DeploymentActiveError> {
//!     let builder = self.inner; // the operation's fluent builder
//!     Waiter::new(Duration::from_secs(5), Duration::from_secs(30), max_wait)
//!         .wait(|| builder.clone().send(), acceptors)
//!         .await
//! }
//!
//! fn acceptors(result: Result<&Output, &SdkError<Error>>) -> AcceptorState {
//!     if let Ok(output) = result {
//!         if output.deployments().first().and_then(|item| item.state())
//!             .is_some_and(|state| state.as_str() == "ACTIVE") {
//!             return AcceptorState::Success;
//!         }
//!     }
//!     if error_code(result) == Some("NotFoundException") {
//!         return AcceptorState::Retry;
//!     }
//!     AcceptorState::NoAcceptorsMatched
//! }
//! ```

mod error;
#[cfg(test)]
mod tests;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub use aws_smithy_runtime_api::client::waiters::error::{ExceededMaxWait, FailureState};
pub use aws_smithy_runtime_api::client::waiters::FinalPoll;
pub use error::{ConstructionFailure, OperationFailed, WaiterError};

use crate::error::{ProvideErrorMetadata, SdkError};

/// What the acceptors say about one poll's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// No acceptor matched: retry after an output, fail after an error.
    NoAcceptorsMatched,
    /// The waiter succeeded.
    Success,
    /// The waiter reached a terminal failure state.
    Failure,
    /// Poll again.
    Retry,
}

/// The error code of a service error, for `errorType` acceptors (`None` for an output or
/// a transport/construction failure, which `errorType` never matches).
pub fn error_code<'a, O, E: ProvideErrorMetadata>(
    result: Result<&O, &'a SdkError<E>>,
) -> Option<&'a str> {
    result.err()?.as_service_error()?.code()
}

/// The clock and sleep a waiter uses.
pub trait WaiterTime: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> tokio::time::Instant;
    /// Sleeps for `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Tokio's clock and timer (honours `tokio::time::pause`).
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioTime;

impl WaiterTime for TokioTime {
    fn now(&self) -> tokio::time::Instant {
        tokio::time::Instant::now()
    }
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The spec's backoff: the delay before retry `attempt` (1 for the first retry) is
/// uniform in `[min_delay, min_delay * 2^(attempt - 1)]`, that upper bound capped at
/// `max_delay` (past the "attempt ceiling" the delay is `max_delay` itself), and shortened
/// so that at least `min_delay` remains before `max_wait` for a last poll.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    min_delay: Duration,
    max_delay: Duration,
    attempt_ceiling: f64,
}

impl Backoff {
    /// Fails (as a construction failure) unless `0 < min_delay <= max_delay`.
    pub fn new(min_delay: Duration, max_delay: Duration) -> Result<Self, String> {
        if min_delay.is_zero() {
            return Err("waiter min_delay must be greater than zero".into());
        }
        if min_delay > max_delay {
            return Err(format!(
                "waiter min_delay ({min_delay:?}) is greater than max_delay ({max_delay:?})"
            ));
        }
        let ratio = max_delay.as_secs_f64() / min_delay.as_secs_f64();
        Ok(Backoff {
            min_delay,
            max_delay,
            attempt_ceiling: ratio.log2() + 1.0,
        })
    }

    /// The delay before retry `attempt` with `remaining` time left, given `unit_random` in
    /// `[0, 1)`; `None` when `remaining` leaves no room for another poll.
    pub fn delay(&self, attempt: u32, remaining: Duration, unit_random: f64) -> Option<Duration> {
        if remaining <= self.min_delay {
            return None;
        }
        let delay = if f64::from(attempt) > self.attempt_ceiling {
            self.max_delay
        } else {
            // attempt <= ceiling keeps this at most max_delay (up to rounding, capped below).
            let exponent = attempt.saturating_sub(1).min(62);
            self.min_delay
                .checked_mul(1u32.checked_shl(exponent).unwrap_or(u32::MAX))
                .unwrap_or(self.max_delay)
                .min(self.max_delay)
        };
        let spread = delay.saturating_sub(self.min_delay).as_secs_f64();
        let unit_random = unit_random.clamp(0.0, 1.0);
        let mut delay = self.min_delay + Duration::from_secs_f64(spread * unit_random);
        if remaining.saturating_sub(delay) <= self.min_delay {
            delay = remaining - self.min_delay;
        }
        Some(delay)
    }
}

/// One waiter run: delays from the model's trait, `max_wait` from the caller.
#[derive(Clone, Debug)]
pub struct Waiter {
    min_delay: Duration,
    max_delay: Duration,
    max_wait: Duration,
    time: Arc<dyn WaiterTime>,
    random: fn() -> f64,
}

impl Waiter {
    /// A waiter with the trait's `minDelay`/`maxDelay` (spec defaults: 2 s and 120 s) that
    /// gives up after `max_wait`.
    pub fn new(min_delay: Duration, max_delay: Duration, max_wait: Duration) -> Self {
        Waiter {
            min_delay,
            max_delay,
            max_wait,
            time: Arc::new(TokioTime),
            random: crate::client::rng::next_f64,
        }
    }

    /// Uses another clock and sleep (tests).
    pub fn with_time(mut self, time: Arc<dyn WaiterTime>) -> Self {
        self.time = time;
        self
    }

    /// Polls with `poll` until `acceptors` decide, as the module docs describe.
    /// `acceptors` is a closure so `inputOutput` matchers can capture the input.
    pub async fn wait<O, E, P, Fut, A>(
        self,
        poll: P,
        acceptors: A,
    ) -> Result<FinalPoll<O, SdkError<E>>, WaiterError<O, E>>
    where
        P: Fn() -> Fut,
        Fut: Future<Output = Result<O, SdkError<E>>>,
        A: Fn(Result<&O, &SdkError<E>>) -> AcceptorState,
    {
        let backoff = Backoff::new(self.min_delay, self.max_delay)
            .map_err(WaiterError::construction_failure)?;
        let start = self.time.now();
        let mut polls: u32 = 0;
        loop {
            let result = poll().await;
            polls += 1;
            match acceptors(result.as_ref()) {
                AcceptorState::Success => return Ok(FinalPoll::new(result)),
                AcceptorState::Failure => {
                    return Err(WaiterError::FailureState(FailureState::new(
                        FinalPoll::new(result),
                    )))
                }
                AcceptorState::NoAcceptorsMatched => {
                    if let Err(error) = result {
                        return Err(WaiterError::OperationFailed(OperationFailed::new(error)));
                    }
                }
                AcceptorState::Retry => {}
            }
            let elapsed = self.time.now().saturating_duration_since(start);
            let remaining = self.max_wait.saturating_sub(elapsed);
            match backoff.delay(polls, remaining, (self.random)()) {
                Some(delay) => self.time.sleep(delay).await,
                None => {
                    return Err(WaiterError::ExceededMaxWait(ExceededMaxWait::new(
                        self.max_wait,
                        elapsed,
                        polls,
                    )))
                }
            }
        }
    }
}
