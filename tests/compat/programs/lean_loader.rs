//! One `SdkConfig` for our crates and official ones: the lean loader of the generated crates'
//! runtime (`awsjson_runtime::loader`, re-exported by every generated crate as
//! `<crate>::config::load_defaults`) loads the configuration, and the client of whichever
//! `lightsail` crate this is built against takes it with `Client::new`. Against
//! aws-sdk-lightsail this shows that the official client accepts the loader's `SdkConfig`
//! (behavior version, region, credentials provider, endpoint URL) and installs its own
//! identity cache.

use lightsail::error::ProvideErrorMetadata;

#[tokio::main]
async fn main() {
    let config =
        awsjson_runtime::loader::load_defaults(awsjson_runtime::loader::BehaviorVersion::latest())
            .await;
    println!(
        "region {:?} behavior version set {}",
        config.region().map(|r| r.as_ref()),
        config.behavior_version().is_some()
    );
    let client = lightsail::Client::new(&config);
    let output = client
        .get_container_service_deployments()
        .service_name("demo")
        .send()
        .await
        .expect("GetContainerServiceDeployments");
    println!("deployments {}", output.deployments().len());
    let err = client
        .get_container_service_deployments()
        .service_name("no-such-service")
        .send()
        .await
        .expect_err("no such service")
        .into_service_error();
    println!("error code {:?}", err.code());
}
