//! `cargo xtask demo [--json]`: builds the `lightsail-examples` binaries, starts the loopback
//! demo endpoint (`demo_server`, 127.0.0.1, random port), runs `get_deployments` against it
//! with dummy credentials, shows the error of an unknown service, then runs
//! `wait_for_deployment` (the `ContainerServiceDeploymentActive` waiter) on a service whose
//! new deployment turns ACTIVE after a few polls. Std only: the server is another process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the server may take to say where it listens.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// The server's own lifetime limit, in case this process dies without stopping it.
const SERVER_LIFETIME_SECS: &str = "300";

/// Runs the demo.
pub fn run(args: &[String]) -> ExitCode {
    let mut json = false;
    for arg in args {
        match arg.as_str() {
            "--json" => json = true,
            other => {
                eprintln!(
                    "error: unexpected argument `{other}` (usage: cargo xtask demo [--json])"
                );
                return ExitCode::from(2);
            }
        }
    }
    match demo(json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub(crate) fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Where cargo leaves the workspace's debug binaries: `debug/` of `CARGO_TARGET_DIR`
/// (relative to `root` when relative), else of `root/target`.
pub(crate) fn debug_bin_dir(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"));
    target.join("debug")
}

/// A child process killed (by its own handle) when dropped.
pub(crate) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        // Closing stdin stops it (`--exit-on-stdin-eof`); kill in case it does not.
        drop(self.0.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Builds the examples and starts `demo_server`: the running server (stopped when dropped),
/// its URL, and the directory of the built binaries. Also used by `cargo xtask compat`.
pub(crate) fn start_demo_server() -> Result<(Server, String, PathBuf), String> {
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(["build", "--quiet", "-p", "lightsail-examples", "--bins"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if !status.success() {
        return Err("building lightsail-examples failed".into());
    }
    let bin_dir = debug_bin_dir(&root);
    let mut child =
        Command::new(bin_dir.join(format!("demo_server{}", std::env::consts::EXE_SUFFIX)))
            .args([
                "--exit-on-stdin-eof",
                "--timeout-secs",
                SERVER_LIFETIME_SECS,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start demo_server: {e}"))?;
    let stdout = child.stdout.take();
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Some(stdout) = stdout else { return };
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(START_TIMEOUT)
        .map_err(|_| "demo_server did not start in time".to_owned())?;
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .filter(|url| url.starts_with("http://127.0.0.1:"))
        .ok_or_else(|| format!("unexpected demo_server output `{}`", line.trim()))?
        .to_owned();
    Ok((server, url, bin_dir))
}

fn demo(json: bool) -> Result<(), String> {
    let (server, url, bin_dir) = start_demo_server()?;
    let bin = |name: &str| bin_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    println!("demo Lightsail endpoint: {url}\n");

    let example_bin = |name: &str, service: &str| {
        let mut command = Command::new(bin(name));
        command
            .args([
                "--service-name",
                service,
                "--region",
                "us-east-1",
                "--endpoint-url",
                &url,
            ])
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env(
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_PROFILE");
        let json = json && name == "get_deployments";
        if json {
            command.arg("--json");
        }
        println!(
            "$ {name} --service-name {service} --region us-east-1 --endpoint-url {url}{}",
            if json { " --json" } else { "" }
        );
        command
            .status()
            .map_err(|e| format!("could not run {name}: {e}"))
    };
    let example = |service: &str| example_bin("get_deployments", service);
    let status = example("demo")?;
    if !status.success() {
        return Err(format!("get_deployments failed ({status})"));
    }
    println!("\nAn unknown service (the error is expected):");
    let status = example("no-such-service")?;
    if status.success() {
        return Err("get_deployments succeeded for an unknown service".into());
    }
    println!(
        "\nThe ContainerServiceDeploymentActive waiter (added by this project): a new \
         deployment of `rollout` is ACTIVATING for a few polls, then ACTIVE:"
    );
    let status = example_bin("wait_for_deployment", "rollout")?;
    if !status.success() {
        return Err(format!("wait_for_deployment failed ({status})"));
    }
    drop(server);
    Ok(())
}
