//! The loopback Lightsail demo endpoint (see `lightsail_examples::server`).
//!
//! `demo_server [--port N] [--timeout-secs N] [--exit-on-stdin-eof] [--quiet]`: prints
//! `listening on http://127.0.0.1:<port>` on stdout, then serves until the timeout (default
//! 600 s) or, with `--exit-on-stdin-eof`, until its stdin closes.
//!
//! `demo_server --print-body NAME` prints the response body served for service NAME.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use lightsail_examples::fake_lightsail;
use lightsail_examples::server::DemoServer;

const USAGE: &str = "\
usage: demo_server [--port N] [--timeout-secs N] [--exit-on-stdin-eof] [--quiet]
       demo_server --print-body NAME
";

struct Options {
    port: u16,
    timeout: Duration,
    exit_on_stdin_eof: bool,
    quiet: bool,
}

fn parse() -> Result<Result<Options, String>, String> {
    let mut options = Options {
        port: 0,
        timeout: Duration::from_secs(600),
        exit_on_stdin_eof: false,
        quiet: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => options.port = value()?.parse().map_err(|_| "bad --port".to_owned())?,
            "--timeout-secs" => {
                let secs: u64 = value()?
                    .parse()
                    .map_err(|_| "bad --timeout-secs".to_owned())?;
                options.timeout = Duration::from_secs(secs);
            }
            "--exit-on-stdin-eof" => options.exit_on_stdin_eof = true,
            "--quiet" => options.quiet = true,
            "--print-body" => return Ok(Err(value()?)),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    Ok(Ok(options))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let options = match parse() {
        Ok(Ok(options)) => options,
        Ok(Err(service)) => {
            return match fake_lightsail::served_body(&service) {
                Some(body) => {
                    print!("{body}");
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!("error: no recorded response for service `{service}`");
                    ExitCode::FAILURE
                }
            };
        }
        Err(err) => {
            eprintln!("error: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let server = match DemoServer::start(options.port, !options.quiet).await {
        Ok(server) => server,
        Err(err) => {
            eprintln!(
                "error: could not listen on 127.0.0.1:{}: {err}",
                options.port
            );
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {}", server.url());
    let _ = std::io::stdout().flush();
    if options.exit_on_stdin_eof {
        std::thread::spawn(|| {
            let mut sink = [0u8; 256];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
            std::process::exit(0);
        });
    }
    tokio::time::sleep(options.timeout).await;
    ExitCode::SUCCESS
}
