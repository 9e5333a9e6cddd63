//! The demo endpoint over HTTP: `awsjson-test-support`'s loopback server (HTTP/1.1 on
//! `127.0.0.1`, keep-alive, malformed HTTP answered with a `4xx` and the connection closed,
//! bounded request sizes) with [`crate::fake_lightsail::handle_with`] as its handler. Adds what
//! every Lightsail response carries (`x-amzn-RequestId`, `Content-Type`, `Date`) and logs one
//! line per request.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use awsjson_test_support::server::{Action, CapturedRequest, Response, Server};
use lightsail::primitives::{DateTime, DateTimeFormat};
use serde_json::Value;

use std::sync::Arc;

use crate::fake_lightsail::{error_type, handle_with};
use crate::rollout::Rollouts;

/// How long a connection may wait for its next request.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A running demo endpoint. Stops when dropped.
#[derive(Debug)]
pub struct DemoServer {
    server: Server,
}

impl DemoServer {
    /// Starts serving on `127.0.0.1:<port>` (`0`: a free port). With `log`, one line per
    /// request goes to stderr.
    pub async fn start(port: u16, log: bool) -> io::Result<DemoServer> {
        // One set of rollouts per server: each waiter demo starts from `ACTIVATING`.
        let rollouts = Arc::new(Rollouts::default());
        let server = Server::builder()
            .port(port)
            .idle_timeout(READ_TIMEOUT)
            .handler(move |request| answer(request, &rollouts, log))
            .start()
            .await?;
        Ok(DemoServer { server })
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The endpoint URL (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        self.server.url()
    }
}

/// The fake service's answer with the headers of a real response, logged with `log`.
fn answer(request: &CapturedRequest, rollouts: &Rollouts, log: bool) -> Action {
    let Response {
        status,
        headers,
        body,
        ..
    } = handle_with(request, rollouts);
    let date = DateTime::from(SystemTime::now())
        .fmt(DateTimeFormat::HttpDate)
        .unwrap_or_default();
    let mut response = Response::json(status, &request_id(), body).header("Date", &date);
    response.headers.extend(headers);
    if log {
        let name = serde_json::from_slice::<Value>(&request.body)
            .ok()
            .and_then(|v| v.get("serviceName").cloned())
            .map_or_else(|| "-".to_owned(), |v| v.to_string());
        eprintln!(
            "demo server: {} {} {} serviceName={name} -> {} {}",
            request.method,
            request.path,
            request.header("x-amz-target").unwrap_or("-").escape_debug(),
            response.status,
            error_type(&response).unwrap_or("")
        );
    }
    response.into()
}

/// A fresh request id (UUID-shaped, a counter).
fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("de300000-0000-4000-8000-{:012x}", n & 0xffff_ffff_ffff)
}
