//! `moto_server` (Python `moto[server]`, installed by `.ci/run`): a real AWS imitation that
//! nobody here wrote, on a free loopback port, for end-to-end tests of the STS calls of the
//! config loader and of generated crates (DynamoDB, SQS, KMS, CloudWatch Logs).
//!
//! [`Moto::start`] returns `None` with a `SKIPPED` line on stderr when `moto_server` is not
//! installed, and panics instead under `CI=true`: CI installs it, so a skip there would
//! hide a broken setup. The server is killed when the [`Moto`] guard is dropped, however the
//! test ends.
//!
//! ```no_run
//! use awsjson_test_support::moto::Moto;
//!
//! let Some(moto) = Moto::start("my_test") else { return };
//! let endpoint = moto.endpoint_url(); // http://127.0.0.1:<port>
//! # drop(endpoint);
//! ```

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long `moto_server` may take to listen: it imports every moto backend first, which
/// takes seconds on a loaded CI machine.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Fresh ports tried when `moto_server` exits before listening (another process took the
/// port between our probe and its bind).
const PORT_ATTEMPTS: usize = 3;

/// A running `moto_server` on 127.0.0.1; killed (and reaped) on drop.
#[derive(Debug)]
pub struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    /// Starts `moto_server` on a free loopback port and waits until it accepts
    /// connections. `test` names the caller in the skip line.
    ///
    /// # Panics
    ///
    /// When `moto_server` is missing under `CI=true`, or installed but not listening within
    /// a minute, or exiting before it listens on three fresh ports in a row.
    pub fn start(test: &str) -> Option<Moto> {
        start_program("moto_server", test)
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`, the endpoint URL for clients.
    pub fn endpoint_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// [`Moto::start`] with the program to run (a test names a missing one).
fn start_program(program: &str, test: &str) -> Option<Moto> {
    if !installed(program) {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: {program} must be installed in CI (see .ci/run)"
        );
        // Straight to stderr: libtest captures `eprintln!`, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: {program} not found (pip install 'moto[server]')"
        );
        return None;
    }
    let mut last_exit = None;
    for _ in 0..PORT_ATTEMPTS {
        match spawn_on_free_port(program) {
            Ok(moto) => return Some(moto),
            Err(status) => last_exit = Some(status),
        }
    }
    panic!("{test}: {program} exited before listening, {PORT_ATTEMPTS} times: {last_exit:?}");
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `<program> --help` runs.
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts `program` (`moto_server`) on a port that was free a moment ago; `Err` with its
/// exit status when it exits before listening.
fn spawn_on_free_port(program: &str) -> Result<Moto, std::process::ExitStatus> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free loopback port")
        .port();
    let child = Command::new(program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {program}: {e}"));
    // The guard from here on: a panic below still kills the child.
    let mut moto = Moto { child, port };
    let deadline = Instant::now() + START_TIMEOUT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = moto.child.try_wait() {
            return Err(status);
        }
        assert!(
            Instant::now() < deadline,
            "{program} did not listen on port {port} within {START_TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(moto)
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    /// A missing program is a skip outside CI and a failure in CI.
    #[test]
    fn a_missing_server_skips_outside_ci_and_fails_in_ci() {
        let in_ci = std::env::var("CI").as_deref() == Ok("true");
        let started = std::panic::catch_unwind(|| {
            start_program(
                "moto_server-that-does-not-exist",
                "moto::tests (a missing program on purpose)",
            )
            .is_some()
        });
        match started {
            Ok(started) => assert!(!in_ci && !started, "in CI: {in_ci}, started: {started}"),
            Err(_) => assert!(in_ci, "panicked outside CI"),
        }
    }

    /// The server answers HTTP while the guard lives and is gone once it is dropped.
    #[test]
    fn the_server_listens_until_dropped() {
        let Some(moto) = Moto::start("moto::tests") else {
            return;
        };
        let port = moto.port();
        assert_eq!(moto.endpoint_url(), format!("http://127.0.0.1:{port}"));
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .write_all(b"GET /moto-api/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .expect("request");
        let mut head = [0; 12];
        stream.read_exact(&mut head).expect("response");
        assert!(head.starts_with(b"HTTP/1."), "{head:?}");
        drop(moto);
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "moto_server still listening on {port} after drop"
        );
    }
}
