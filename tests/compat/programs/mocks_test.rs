//! The body of the mocks unit test, shared by both sides: each side's `tests/mocks.rs` has
//! its own import line of `mock`, `mock_client` and `RuleMode` (aws-smithy-mocks, or the
//! generated crate's `mocks`) and this file as a module.

use super::{mock, mock_client, RuleMode};
use lightsail::operation::get_container_service_deployments::{
    GetContainerServiceDeploymentsError, GetContainerServiceDeploymentsOutput,
};
use lightsail::types::error::NotFoundException;
use lightsail::types::ContainerServiceDeployment;
use lightsail::Client;

fn deployments(version: i32) -> GetContainerServiceDeploymentsOutput {
    GetContainerServiceDeploymentsOutput::builder()
        .deployments(ContainerServiceDeployment::builder().version(version).build())
        .build()
}

#[tokio::test]
async fn a_matching_rule_answers_and_counts_its_calls() {
    let rule = mock!(Client::get_container_service_deployments)
        .match_requests(|req| req.service_name() == Some("web"))
        .then_output(|| deployments(3));
    let client = mock_client!(lightsail, [&rule]);
    let output = client
        .get_container_service_deployments()
        .service_name("web")
        .send()
        .await
        .expect("mocked output");
    assert_eq!(output.deployments()[0].version(), Some(3));
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn match_any_answers_with_outputs_and_modeled_errors() {
    let web = mock!(Client::get_container_service_deployments)
        .match_requests(|req| req.service_name() == Some("web"))
        .then_output(|| deployments(5));
    let missing = mock!(Client::get_container_service_deployments).then_error(|| {
        GetContainerServiceDeploymentsError::NotFoundException(
            NotFoundException::builder().message("gone").build(),
        )
    });
    let client = mock_client!(
        lightsail,
        RuleMode::MatchAny,
        [&web, &missing],
        |conf| conf.region(lightsail::config::Region::new("eu-west-1"))
    );
    let err = client
        .get_container_service_deployments()
        .service_name("other")
        .send()
        .await
        .expect_err("mocked error");
    assert!(err.into_service_error().is_not_found_exception());
    let output = client
        .get_container_service_deployments()
        .service_name("web")
        .send()
        .await
        .expect("mocked output");
    assert_eq!(output.deployments()[0].version(), Some(5));
    assert_eq!((web.num_calls(), missing.num_calls()), (1, 1));
}
