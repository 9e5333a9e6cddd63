//! The reqwest client a [`Handle`](super::Handle) sends through, replaced by a fresh one
//! after a transient error so that the retry goes out on a new connection
//! (`ReconnectMode::ReconnectOnTransientError`, aws-sdk-rust's default).
//!
//! aws-sdk-rust poisons the one connection a transient error came on. reqwest gives no handle
//! on a pooled connection, so here the whole pool is replaced: the failed attempt's client is
//! swapped for a new one built from the same settings (and the process-wide TLS config, so no
//! certificates are loaded again); calls already in flight finish on the old one, whose idle
//! connections close when its last user drops it. A generation number makes concurrent
//! failures of the same pool replace it once, not once each.
//!
//! A client given with `Builder::http_client` cannot be rebuilt: it is used as it is and
//! reconnecting is up to it.

use std::sync::Mutex;

use crate::error::BoxError;

/// Builds a fresh client with the settings of the first.
type Rebuild = Box<dyn Fn() -> Result<reqwest::Client, BoxError> + Send + Sync>;

/// A reqwest client and the generation of its connection pool.
pub(super) struct Pool {
    current: Mutex<(u64, reqwest::Client)>,
    rebuild: Option<Rebuild>,
}

impl Pool {
    /// A client that is never replaced (the user's own).
    pub(super) fn fixed(client: reqwest::Client) -> Pool {
        Pool {
            current: Mutex::new((0, client)),
            rebuild: None,
        }
    }

    /// A client that `rebuild` can replace.
    pub(super) fn rebuildable(client: reqwest::Client, rebuild: Rebuild) -> Pool {
        Pool {
            current: Mutex::new((0, client)),
            rebuild: Some(rebuild),
        }
    }

    /// The client to send an attempt with, and its generation.
    pub(super) fn get(&self) -> (u64, reqwest::Client) {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        (current.0, current.1.clone())
    }

    /// Drops the connections of `generation` by replacing its client, unless another failure
    /// already did. Returns whether a new client (so new connections) is now in use.
    pub(super) fn reconnect(&self, generation: u64) -> bool {
        let Some(rebuild) = &self.rebuild else {
            return false;
        };
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.0 != generation {
            return true;
        }
        match rebuild() {
            Ok(client) => {
                *current = (generation.wrapping_add(1), client);
                tracing::debug!(generation, "transient error: new connections for the retry");
                true
            }
            Err(err) => {
                // The old pool still works for everything but this guarantee.
                tracing::warn!(error = %err, "could not rebuild the HTTP client to reconnect");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn client() -> reqwest::Client {
        crate::client::transport::default_client(None, None).expect("a client")
    }

    #[test]
    fn one_rebuild_per_generation() {
        let builds = Arc::new(AtomicUsize::new(0));
        let counter = builds.clone();
        let pool = Pool::rebuildable(
            client(),
            Box::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                Ok(client())
            }),
        );
        let (generation, _) = pool.get();
        assert!(pool.reconnect(generation));
        // A second failure of the same generation finds the pool already replaced.
        assert!(pool.reconnect(generation));
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert_eq!(pool.get().0, generation + 1);
        assert!(!Pool::fixed(client()).reconnect(0));
    }
}
