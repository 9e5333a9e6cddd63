//! The typical aws-sdk-rust program: `aws_config::load_defaults` (environment, profiles, SSO,
//! web identity, container and IMDS credentials), then `Client::new`. The bench runs it with
//! credentials and region in the environment and HOME pointing at an empty directory.

#[path = "../../common/server.rs"]
mod server;

use aws_config::BehaviorVersion;

#[tokio::main]
async fn main() {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    server::main_with(|endpoint| {
        let conf = aws_sdk_lightsail::config::Builder::from(&config)
            .endpoint_url(endpoint)
            .build();
        let client = aws_sdk_lightsail::Client::from_conf(conf);
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
