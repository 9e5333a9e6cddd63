//! The `get_deployments` example: lists the deployments of a Lightsail container service.
//!
//! Without `--endpoint-url` it calls the real service, with the region and credentials of
//! the default chain (environment, then the shared `~/.aws` files; see
//! `lightsail::config`).

use std::time::Duration;

use lightsail::config::timeout::TimeoutConfig;
use lightsail::config::{Builder, Region};

/// The usage text.
pub const USAGE: &str = "\
usage: get_deployments --service-name NAME [--region REGION] [--endpoint-url URL] [--json]

Lists the deployments of a Lightsail container service, newest first.

  --service-name NAME   the container service (required)
  --region REGION       the AWS region (default: AWS_REGION or the profile's region)
  --endpoint-url URL    send requests to URL instead of the Lightsail endpoint
  --json                print JSON instead of a table
";

/// How long the whole call (retries included) may take.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// The example's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Args {
    /// `--service-name`.
    pub service_name: String,
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--json`.
    pub json: bool,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// List the deployments.
    Run(Args),
    /// Print the usage.
    Help,
}

/// Parses the arguments (without the program name). `--flag value` and `--flag=value` are
/// both accepted.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut parsed = Args::default();
    let mut service_name = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--service-name" => service_name = Some(value("--service-name")?),
            "--region" => parsed.region = Some(value("--region")?),
            "--endpoint-url" => parsed.endpoint_url = Some(value("--endpoint-url")?),
            "--json" if inline.is_none() => parsed.json = true,
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    parsed.service_name = service_name.ok_or("--service-name is required")?;
    Ok(Command::Run(parsed))
}

/// The client configuration for `args`, on top of `base` (where tests put credentials and
/// a fixed environment): region and endpoint when given, and an operation timeout.
pub fn config(args: &Args, base: Builder) -> lightsail::Config {
    let mut builder = base.timeout_config(
        TimeoutConfig::builder()
            .operation_timeout(OPERATION_TIMEOUT)
            .build(),
    );
    if let Some(region) = &args.region {
        builder = builder.region(Region::new(region.clone()));
    }
    if let Some(url) = &args.endpoint_url {
        builder = builder.endpoint_url(url.clone());
    }
    builder.build()
}

/// Calls `GetContainerServiceDeployments` and renders the result (table or JSON). The error
/// says what failed: the service's code, message and request id, or why no answer came.
pub async fn run(args: &Args, base: Builder) -> Result<String, String> {
    let client = lightsail::Client::from_conf(config(args, base));
    let output = client
        .get_container_service_deployments()
        .service_name(&args.service_name)
        .send()
        .await
        .map_err(|err| err.to_string())?;
    Ok(if args.json {
        crate::render::json(&args.service_name, &output)
    } else {
        crate::render::table(&args.service_name, &output)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments() {
        assert_eq!(
            parse(&[
                "--service-name",
                "demo",
                "--region=eu-west-1",
                "--endpoint-url",
                "http://127.0.0.1:1",
                "--json"
            ]),
            Ok(Command::Run(Args {
                service_name: "demo".into(),
                region: Some("eu-west-1".into()),
                endpoint_url: Some("http://127.0.0.1:1".into()),
                json: true,
            }))
        );
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
        assert!(parse(&[]).is_err());
        assert!(parse(&["--service-name"]).is_err());
        assert!(parse(&["--service-name", "a", "--bogus"]).is_err());
        assert!(parse(&["--service-name", "a", "--json=yes"]).is_err());
    }
}
