//! Deployments in progress on the demo endpoint, for the `ContainerServiceDeploymentActive`
//! waiter: the newest deployment of `rollout` is `ACTIVATING` for the first
//! [`POLLS_BEFORE_DONE`] polls and `ACTIVE` afterwards; that of `rollout-fails` turns
//! `FAILED` instead. Newest first, as Lightsail lists them (see `tests/recorded`).
//!
//! The poll counts live in one [`Rollouts`] per server, so tests do not share them.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::json;

/// Polls answered `ACTIVATING` before the rollout finishes.
pub const POLLS_BEFORE_DONE: u32 = 3;

/// The services with a rollout in progress, and the state the newest deployment ends in.
pub const ROLLOUT_SERVICES: &[(&str, &str)] = &[("rollout", "ACTIVE"), ("rollout-fails", "FAILED")];

/// Poll counts per service.
#[derive(Debug, Default)]
pub struct Rollouts {
    polls: Mutex<HashMap<String, u32>>,
}

impl Rollouts {
    /// The response body for `service` at this poll, if it has a rollout.
    pub fn poll(&self, service: &str) -> Option<String> {
        let (_, done_state) = ROLLOUT_SERVICES.iter().find(|(name, _)| *name == service)?;
        // A poisoned lock only means another request panicked; the counts are still fine.
        let mut polls = self.polls.lock().unwrap_or_else(|e| e.into_inner());
        let count = polls.entry(service.to_owned()).or_insert(0);
        *count += 1;
        let state = if *count > POLLS_BEFORE_DONE {
            done_state
        } else {
            "ACTIVATING"
        };
        Some(body(state))
    }
}

/// Two deployments, newest (version 2, in `state`) first.
fn body(state: &str) -> String {
    let deployment = |version: u32, state: &str, created: f64| {
        json!({
            "containers": {"web": {"command": [], "environment": {}, "image": "nginx:1.25-alpine", "ports": {"80": "HTTP"}}},
            "createdAt": created,
            "publicEndpoint": {"containerName": "web", "containerPort": 80},
            "state": state,
            "version": version,
        })
    };
    json!({
        "deployments": [
            deployment(2, state, 1_704_200_000.0),
            deployment(1, "INACTIVE", 1_704_100_000.0),
        ]
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn newest_state(body: &str) -> String {
        let v: serde_json::Value = serde_json::from_str(body).expect("json");
        v["deployments"][0]["state"]
            .as_str()
            .expect("state")
            .to_owned()
    }

    #[test]
    fn the_newest_deployment_activates_after_a_few_polls() {
        let rollouts = Rollouts::default();
        for _ in 0..POLLS_BEFORE_DONE {
            assert_eq!(
                newest_state(&rollouts.poll("rollout").expect("known")),
                "ACTIVATING"
            );
        }
        assert_eq!(
            newest_state(&rollouts.poll("rollout").expect("known")),
            "ACTIVE"
        );
        // Counted per service.
        assert_eq!(
            newest_state(&rollouts.poll("rollout-fails").expect("known")),
            "ACTIVATING"
        );
        assert!(rollouts.poll("demo").is_none());
    }
}
