//! GetContainerServiceDeployments through our generated `lightsail` crate (static
//! credentials and region, default retries, endpoint = loopback server).

#[path = "../../common/server.rs"]
mod server;

use lightsail::config::{Credentials, Region};

#[tokio::main]
async fn main() {
    server::main_with(|endpoint| {
        let config = lightsail::Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "bench"))
            .endpoint_url(endpoint)
            .build();
        let client = lightsail::Client::from_conf(config);
        move || {
            let client = client.clone();
            async move {
                let out = client
                    .get_container_service_deployments()
                    .service_name("flask-svc")
                    .send()
                    .await
                    .expect("GetContainerServiceDeployments");
                out.deployments.map_or(0, |d| d.len())
            }
        }
    })
    .await;
}
