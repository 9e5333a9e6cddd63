//! aws-smithy-mocks-shaped mocking (`lightsail::mocks`, feature `test-util`): rules matched on
//! the typed input answer with outputs, modeled errors or HTTP responses, in sequence or in
//! any order, and calls no rule answers fail instead of reaching a network.

use lightsail::error::SdkError;
use lightsail::mocks::{mock, mock_client, RuleMode};
use lightsail::operation::get_container_service_deployments::{
    GetContainerServiceDeploymentsError, GetContainerServiceDeploymentsOutput,
};
use lightsail::types::error::NotFoundException;
use lightsail::types::ContainerServiceDeployment;
use lightsail::Client;
use lightsail_tests::bounded;

fn deployments(version: i32) -> GetContainerServiceDeploymentsOutput {
    GetContainerServiceDeploymentsOutput::builder()
        .deployments(
            ContainerServiceDeployment::builder()
                .version(version)
                .build(),
        )
        .build()
}

async fn first_version(client: &Client, name: &str) -> Result<Option<i32>, String> {
    bounded(
        client
            .get_container_service_deployments()
            .service_name(name)
            .send(),
    )
    .await
    .map(|out| out.deployments().first().and_then(|d| d.version()))
    .map_err(|e| lightsail::error::DisplayErrorContext(&e).to_string())
}

#[tokio::test]
async fn a_matching_rule_answers_with_its_output_and_counts_calls() {
    let rule = mock!(Client::get_container_service_deployments)
        .match_requests(|input| input.service_name() == Some("web"))
        .then_output(|| deployments(7));
    let client = mock_client!(lightsail, [&rule]);
    assert_eq!(first_version(&client, "web").await, Ok(Some(7)));
    assert_eq!(rule.num_calls(), 1);
    // In sequential mode a `then_*` rule answers once.
    let err = first_version(&client, "web").await.expect_err("used up");
    assert!(err.contains("no rule matches"), "{err}");
}

#[tokio::test]
async fn then_error_is_a_service_error_of_the_operation() {
    let rule = mock!(Client::get_container_service_deployments).then_error(|| {
        GetContainerServiceDeploymentsError::NotFoundException(
            NotFoundException::builder().message("gone").build(),
        )
    });
    let client = mock_client!(lightsail, [&rule]);
    let err = bounded(
        client
            .get_container_service_deployments()
            .service_name("x")
            .send(),
    )
    .await
    .expect_err("mocked error");
    let SdkError::ServiceError(service) = &err else {
        panic!("a service error: {err:?}");
    };
    assert!(service.err().is_not_found_exception(), "{err:?}");
    let e: lightsail::Error = err.into();
    assert!(matches!(e, lightsail::Error::NotFoundException(_)), "{e:?}");
}

#[tokio::test]
async fn sequential_rules_answer_in_order_and_a_mismatch_fails() {
    let first = mock!(Client::get_container_service_deployments)
        .match_requests(|input| input.service_name() == Some("a"))
        .then_output(|| deployments(1));
    let second = mock!(Client::get_container_service_deployments)
        .match_requests(|input| input.service_name() == Some("b"))
        .then_output(|| deployments(2));
    let client = mock_client!(lightsail, RuleMode::Sequential, &[&first, &second]);
    let out_of_order = first_version(&client, "b").await.expect_err("a is next");
    assert!(
        out_of_order.contains("next rule in sequence"),
        "{out_of_order}"
    );
    assert_eq!(first_version(&client, "a").await, Ok(Some(1)));
    assert_eq!(first_version(&client, "b").await, Ok(Some(2)));
}

#[tokio::test]
async fn match_any_picks_the_first_matching_rule_and_the_config_closure_applies() {
    let by_name = mock!(Client::get_container_service_deployments)
        .match_requests(|input| input.service_name() == Some("b"))
        .sequence()
        .output(|| deployments(20))
        .times(2)
        .error(|| {
            GetContainerServiceDeploymentsError::NotFoundException(
                NotFoundException::builder().build(),
            )
        })
        .build();
    let any = mock!(Client::get_container_service_deployments).then_output(|| deployments(1));
    let client = mock_client!(lightsail, RuleMode::MatchAny, [&by_name, &any], |conf| conf
        .region(lightsail::config::Region::new("eu-west-1")));
    assert_eq!(
        client.config().region().map(|r| r.as_ref()),
        Some("eu-west-1")
    );
    assert_eq!(first_version(&client, "b").await, Ok(Some(20)));
    assert_eq!(first_version(&client, "a").await, Ok(Some(1)));
    assert_eq!(first_version(&client, "b").await, Ok(Some(20)));
    let third = first_version(&client, "b")
        .await
        .expect_err("the sequence's error");
    assert!(third.contains("NotFoundException"), "{third}");
    assert!(by_name.is_exhausted());
    // Exhausted, `by_name` no longer answers; the catch-all answers every call.
    assert_eq!(first_version(&client, "b").await, Ok(Some(1)));
    assert_eq!(by_name.num_calls(), 3);
    assert_eq!(any.num_calls(), 2);
    assert!(!any.is_exhausted());
}

#[tokio::test]
async fn an_http_response_is_parsed_as_the_operation_parses_real_ones() {
    let ok = mock!(Client::get_container_service_deployments).then_http_response(|| {
        lightsail::error::HttpResponse::new(
            200,
            Default::default(),
            r#"{"deployments":[{"version":4}]}"#,
        )
    });
    let not_found = mock!(Client::get_container_service_deployments).then_http_response(|| {
        lightsail::error::HttpResponse::new(
            400,
            Default::default(),
            r#"{"__type":"NotFoundException","message":"nope"}"#,
        )
    });
    let client = mock_client!(lightsail, [&ok, &not_found]);
    assert_eq!(first_version(&client, "x").await, Ok(Some(4)));
    let err = bounded(
        client
            .get_container_service_deployments()
            .service_name("x")
            .send(),
    )
    .await
    .expect_err("a 400");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_not_found_exception()),
        "{err:?}"
    );
}
