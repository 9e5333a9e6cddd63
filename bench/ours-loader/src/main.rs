//! The typical program with our crate: `lightsail::config::load_defaults` (the lean chain:
//! environment, profiles, SSO, web identity, container and IMDS credentials), then
//! `Client::new`. The bench runs it with credentials and region in the environment and HOME
//! pointing at an empty directory.

#[path = "../../common/server.rs"]
mod server;

use lightsail::config::BehaviorVersion;

#[tokio::main]
async fn main() {
    let config = lightsail::config::load_defaults(BehaviorVersion::latest()).await;
    server::main_with(|endpoint| {
        let conf = lightsail::config::Builder::from(&config)
            .endpoint_url(endpoint)
            .build();
        let client = lightsail::Client::from_conf(conf);
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
