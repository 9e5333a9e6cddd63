//! GetContainerServiceDeployments through the official `aws-sdk-lightsail` (default
//! features, static credentials and region, default retries, endpoint = loopback server).

#[path = "../../common/server.rs"]
mod server;

use aws_sdk_lightsail::config::{Credentials, Region};

#[tokio::main]
async fn main() {
    server::main_with(|endpoint| {
        let config = aws_sdk_lightsail::Config::builder()
            .behavior_version_latest()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "bench"))
            .endpoint_url(endpoint)
            .build();
        let client = aws_sdk_lightsail::Client::from_conf(config);
        move || {
            let client = client.clone();
            async move {
                let out = client
                    .get_container_service_deployments()
                    .service_name("flask-svc")
                    .send()
                    .await
                    .expect("GetContainerServiceDeployments");
                out.deployments().len()
            }
        }
    })
    .await;
}
