//! What tests and embedders can replace: the environment ([`Env`]), the clock
//! ([`TimeSource`]), the sleep between retries ([`Sleep`]) and the backoff jitter
//! ([`Jitter`]). Each defaults to the real thing.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Where environment variables come from: the process environment (the default), or a
/// fixed set given by the caller.
///
/// Tests and embedders use [`Env::from_vars`] so that configuration does not depend on (or
/// race with) the process-global environment. The home directory used for `~/.aws` is
/// looked up through the same `Env` (`HOME`, or `USERPROFILE` / `HOMEDRIVE`+`HOMEPATH` on
/// Windows).
#[derive(Clone, Default)]
pub struct Env {
    vars: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process environment.
    pub fn real() -> Self {
        Env { vars: None }
    }

    /// A fixed set of variables; the process environment is not consulted at all.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env {
            vars: Some(Arc::new(map)),
        }
    }

    /// The value of a variable. Unset, empty and non-UTF-8 values are all `None`: AWS SDKs
    /// treat an empty variable as not set.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.vars {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        }?;
        if value.trim().is_empty() {
            None
        } else {
            Some(value)
        }
    }
}

impl fmt::Debug for Env {
    // Values may be secrets (AWS_SECRET_ACCESS_KEY): never print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Env(process)"),
            Some(vars) => write!(f, "Env(fixed, {} variables)", vars.len()),
        }
    }
}

/// The clock used to sign requests and to decide when credentials expire.
///
/// [`TimeSource::fixed`] makes signatures reproducible in tests.
#[derive(Clone, Default)]
pub struct TimeSource {
    now: Option<Arc<dyn Fn() -> SystemTime + Send + Sync>>,
}

impl TimeSource {
    /// The system clock.
    pub fn system() -> Self {
        TimeSource { now: None }
    }

    /// A clock that always returns `time`.
    pub fn fixed(time: SystemTime) -> Self {
        TimeSource::from_fn(move || time)
    }

    /// A clock backed by a function.
    pub fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        TimeSource {
            now: Some(Arc::new(now)),
        }
    }

    /// The current time according to this clock.
    pub fn now(&self) -> SystemTime {
        match &self.now {
            Some(now) => now(),
            None => SystemTime::now(),
        }
    }
}

impl fmt::Debug for TimeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.now.is_some() {
            "TimeSource(custom)"
        } else {
            "TimeSource(system)"
        })
    }
}

/// The future returned by a [`Sleep`] implementation.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// How the client waits between retry attempts: `tokio::time::sleep` by default.
///
/// Tests replace it (e.g. to record the backoff and return at once) so they do not sleep
/// for seconds.
#[derive(Clone, Default)]
pub struct Sleep {
    sleep: Option<Arc<dyn Fn(Duration) -> SleepFuture + Send + Sync>>,
}

impl Sleep {
    /// `tokio::time::sleep`.
    pub fn tokio() -> Self {
        Sleep { sleep: None }
    }

    /// A custom sleep.
    pub fn from_fn(sleep: impl Fn(Duration) -> SleepFuture + Send + Sync + 'static) -> Self {
        Sleep {
            sleep: Some(Arc::new(sleep)),
        }
    }

    /// Sleeps for `duration`.
    pub fn sleep(&self, duration: Duration) -> SleepFuture {
        match &self.sleep {
            Some(sleep) => sleep(duration),
            None => Box::pin(tokio::time::sleep(duration)),
        }
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.sleep.is_some() {
            "Sleep(custom)"
        } else {
            "Sleep(tokio)"
        })
    }
}

/// The source of the random factor in `[0, 1)` that scales each retry backoff ("full
/// jitter"). Replaceable so tests can predict backoffs.
#[derive(Clone, Default)]
pub struct Jitter {
    next: Option<Arc<dyn Fn() -> f64 + Send + Sync>>,
}

impl Jitter {
    /// A fast non-cryptographic generator seeded from the clock (the default).
    pub fn random() -> Self {
        Jitter { next: None }
    }

    /// A custom generator. Values outside `[0, 1]` (and NaN) are clamped.
    pub fn from_fn(next: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        Jitter {
            next: Some(Arc::new(next)),
        }
    }

    /// The next factor, always within `[0, 1]`.
    pub fn next(&self) -> f64 {
        let value = match &self.next {
            Some(next) => next(),
            None => crate::client::rng::next_f64(),
        };
        if value.is_nan() {
            1.0
        } else {
            value.clamp(0.0, 1.0)
        }
    }
}

impl fmt::Debug for Jitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.next.is_some() {
            "Jitter(custom)"
        } else {
            "Jitter(random)"
        })
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_clamped() {
        assert_eq!(Jitter::from_fn(|| f64::NAN).next(), 1.0);
        assert_eq!(Jitter::from_fn(|| -3.0).next(), 0.0);
        assert_eq!(Jitter::from_fn(|| 7.0).next(), 1.0);
        let r = Jitter::random().next();
        assert!((0.0..=1.0).contains(&r));
    }
}
