//! Waits until the newest deployment of a Lightsail container service is ACTIVE (fails
//! when it is FAILED), with the generated `ContainerServiceDeploymentActive` waiter.
//!
//! `wait_for_deployment --service-name NAME [--region R] [--endpoint-url URL]`
//! (at most 120 seconds).

use std::process::ExitCode;
use std::time::Duration;

use lightsail_examples::cli::{self, Command};
use lightsail_examples::wait::wait_for_deployment;

/// How long to wait in all.
const MAX_WAIT: Duration = Duration::from_secs(120);

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match cli::parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(args)) if !args.json => args,
        Ok(Command::Run(_)) => {
            eprintln!("error: --json is not supported by wait_for_deployment");
            return ExitCode::from(2);
        }
        Ok(Command::Help) => {
            println!(
                "usage: wait_for_deployment --service-name NAME [--region R] [--endpoint-url URL]"
            );
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    match wait_for_deployment(&args, lightsail::Config::builder(), MAX_WAIT).await {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
