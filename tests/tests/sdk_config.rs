//! `lightsail::Client::new(&aws_types::SdkConfig)` (feature `aws-config`): what
//! `aws_config::load_from_env().await` gives users carries over to our client.

use aws_credential_types::provider::SharedCredentialsProvider;
use awsjson_test_support::{Response, Server};
use lightsail_tests::{bounded, credentials};

#[tokio::test]
async fn a_client_from_shared_aws_config_calls_the_configured_endpoint() {
    let server = Server::start(vec![Response::json(
        200,
        "req-sdk-1",
        r#"{"deployments":[]}"#,
    )
    .into()])
    .await;
    let sdk_config = aws_types::SdkConfig::builder()
        .region(aws_types::region::Region::new("eu-west-3"))
        .credentials_provider(SharedCredentialsProvider::new(credentials(false)))
        .endpoint_url(server.url())
        .build();
    let client = lightsail::Client::new(&sdk_config);
    let output = bounded(
        client
            .get_container_service_deployments()
            .service_name("svc")
            .send(),
    )
    .await
    .expect("the call succeeds");
    assert!(output.deployments().is_empty());

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let authorization = requests[0].header("authorization").expect("signed");
    assert!(
        authorization.contains("/eu-west-3/lightsail/aws4_request"),
        "signed for the SdkConfig's region: {authorization}"
    );
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("Lightsail_20161128.GetContainerServiceDeployments")
    );
}
