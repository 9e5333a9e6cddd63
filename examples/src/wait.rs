//! Waits for the newest deployment of a container service to become `ACTIVE`, with the
//! generated `ContainerServiceDeploymentActive` waiter (this project's addition to the
//! Lightsail model; no official SDK has it).

use std::time::Duration;

use lightsail::client::Waiters;
use lightsail::config::Builder;
use lightsail::waiters::container_service_deployment_active::WaitUntilContainerServiceDeploymentActiveError as WaitError;

use crate::cli::{config, Args};

/// Waits at most `max_wait`; the text says which deployment became active, the error why
/// the wait ended otherwise (a `FAILED` deployment, the time limit, a failed call).
pub async fn wait_for_deployment(
    args: &Args,
    base: Builder,
    max_wait: Duration,
) -> Result<String, String> {
    let client = lightsail::Client::from_conf(config(args, base));
    let service = &args.service_name;
    match client
        .wait_until_container_service_deployment_active()
        .service_name(service)
        .wait(max_wait)
        .await
    {
        Ok(poll) => {
            let version = poll
                .as_result()
                .ok()
                .and_then(|output| output.deployments().first())
                .and_then(|d| d.version())
                .map_or_else(|| "?".to_owned(), |v| v.to_string());
            Ok(format!(
                "Container service {service}: deployment {version} is ACTIVE\n"
            ))
        }
        Err(WaitError::FailureState(_)) => Err(format!(
            "container service {service}: the newest deployment FAILED"
        )),
        Err(WaitError::ExceededMaxWait(e)) => Err(format!(
            "container service {service}: no active deployment after {:?} ({} polls)",
            e.max_wait(),
            e.poll_count()
        )),
        Err(err) => Err(format!("container service {service}: {err}")),
    }
}
