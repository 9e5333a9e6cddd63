//! The typical aws-sdk-rust program: aws-config's `load_defaults`, `Client::new(&SdkConfig)`,
//! `config::Builder::from(&SdkConfig)`, and `?` from an operation's error into the crate's
//! `Error`. Prints only what both crates must agree on.

use lightsail::error::ProvideErrorMetadata;

async fn deployments(client: &lightsail::Client, service: &str) -> Result<(), lightsail::Error> {
    let output = client
        .get_container_service_deployments()
        .service_name(service)
        .send()
        .await?;
    for deployment in output.deployments() {
        let mut containers: Vec<&String> = deployment
            .containers()
            .map(|c| c.keys().collect())
            .unwrap_or_default();
        containers.sort();
        println!(
            "version {:?} state {:?} containers {:?}",
            deployment.version(),
            deployment.state().map(|s| s.as_str()),
            containers
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), lightsail::Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = lightsail::Client::new(&config);
    let conf = lightsail::config::Builder::from(&config).build();
    deployments(&lightsail::Client::from_conf(conf), "demo").await?;
    match deployments(&client, "no-such-service").await {
        Ok(()) => println!("unexpected success"),
        Err(err) => println!(
            "error code {:?} message {:?} not found {}",
            err.code(),
            err.message(),
            matches!(err, lightsail::Error::NotFoundException(_))
        ),
    }
    Ok(())
}
