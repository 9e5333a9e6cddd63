//! Lists the deployments of a Lightsail container service as a table or JSON.
//!
//! `get_deployments --service-name NAME [--region R] [--endpoint-url URL] [--json]`

use std::process::ExitCode;

use lightsail_examples::cli::{self, Command};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match cli::parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(args)) => args,
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("error: {err}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match cli::run(&args, lightsail::Config::builder()).await {
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
