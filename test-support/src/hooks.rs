//! Deterministic runtime hooks for client tests: sleeps that are recorded instead of
//! waited for, and an environment with no variables.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsjson_runtime::config::{Env, Sleep};

/// The backoffs a client asked to sleep for; sleeping itself returns at once.
#[derive(Clone, Default)]
pub struct Sleeps(Arc<Mutex<Vec<Duration>>>);

impl Sleeps {
    /// A sleep implementation that records the duration and returns immediately.
    pub fn sleep_impl(&self) -> Sleep {
        let sleeps = self.0.clone();
        Sleep::from_fn(move |d| {
            sleeps.lock().unwrap_or_else(|e| e.into_inner()).push(d);
            Box::pin(async {})
        })
    }

    /// The recorded durations, in order.
    pub fn get(&self) -> Vec<Duration> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// An environment with no variables: the machine's environment and `~/.aws` are not read.
pub fn empty_env() -> Env {
    Env::from_vars(Vec::<(String, String)>::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sleeps_are_recorded_not_waited_for() {
        let sleeps = Sleeps::default();
        let sleep = sleeps.sleep_impl();
        let started = std::time::Instant::now();
        sleep.sleep(Duration::from_secs(60)).await;
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(sleeps.get(), [Duration::from_secs(60)]);
    }
}
