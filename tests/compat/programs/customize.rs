//! `customize()` (a config override and a request hook), `DisplayErrorContext`, the map
//! setter of `Container::environment` and an enum's `values()`, as aws-sdk-rust users write
//! them. Prints only what both crates must agree on.

use lightsail::error::DisplayErrorContext;
use lightsail::types::{Container, ContainerServiceDeploymentState};

#[tokio::main]
async fn main() {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = lightsail::Client::new(&config);
    let customized = client
        .get_container_service_deployments()
        .service_name("demo")
        .customize()
        .config_override(
            lightsail::config::Builder::default()
                .retry_config(lightsail::config::retry::RetryConfig::disabled()),
        )
        .mutate_request(|req| {
            req.headers_mut().insert("x-compat", "1");
        })
        .send()
        .await;
    match customized {
        Ok(output) => println!("customized call: {} deployments", output.deployments().len()),
        Err(err) => println!("customized call failed: {}", DisplayErrorContext(&err)),
    }
    match client
        .get_container_service_deployments()
        .service_name("no-such-service")
        .send()
        .await
    {
        Ok(_) => println!("unexpected success"),
        Err(err) => {
            let context = DisplayErrorContext(&err).to_string();
            println!(
                "error context names the error: {}",
                context.contains("NotFoundException")
            );
            println!("status {:?}", err.raw_response().map(|r| r.status().as_u16()));
        }
    }
    let container = Container::builder()
        .image("nginx")
        .environment("APP_ENV", "production")
        .environment("WORKERS", "4")
        .build();
    let mut environment: Vec<(&String, &String)> = container
        .environment()
        .map(|e| e.iter().collect())
        .unwrap_or_default();
    environment.sort();
    println!("environment {environment:?}");
    println!("states {:?}", ContainerServiceDeploymentState::values());
}
