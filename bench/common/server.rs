//! Shared by every benchmark program (`#[path]`-included, so both SDK programs run exactly
//! the same server and body code): a tiny keep-alive HTTP/1.1 server on 127.0.0.1 that
//! answers every request with the same 200 response, and the 50-deployment
//! `GetContainerServiceDeployments` body it returns.

#![allow(
    dead_code,
    reason = "included by path into several programs, each of which uses only part of it"
)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Number of deployments in the response body.
pub const DEPLOYMENTS: usize = 50;

/// A realistic `GetContainerServiceDeployments` body: 50 deployments, newest first, each
/// with two or three containers (command, environment, ports), a public endpoint with a
/// health check, a state and a creation time (some with fractional seconds in exponent
/// notation, as the service sends them).
pub fn deployments_body() -> String {
    let states = ["ACTIVATING", "ACTIVE", "INACTIVE", "FAILED"];
    let mut s = String::from("{\"deployments\":[");
    for i in 0..DEPLOYMENTS {
        let version = DEPLOYMENTS - i;
        if i > 0 {
            s.push(',');
        }
        let state = if i == 0 {
            states[0]
        } else if i == 1 {
            states[1]
        } else {
            states[2 + (i % 5 == 0) as usize]
        };
        let created = 1_704_164_645u64 - (i as u64) * 86_400;
        let created = if i % 3 == 0 {
            format!("{}.{:03}E9", created / 1_000_000_000, created % 1_000_000_000)
        } else if i % 3 == 1 {
            format!("{created}.5")
        } else {
            created.to_string()
        };
        let workers = 2 + i % 4;
        let _ = write!(
            s,
            concat!(
                "{{\"containers\":{{",
                "\"web\":{{\"command\":[\"gunicorn\",\"--bind\",\"0.0.0.0:8000\",\"--workers\",\"{workers}\",\"app:create_app()\"],",
                "\"environment\":{{\"APP_ENV\":\"production\",\"DATABASE_HOST\":\"ls-3f1c0a{i:02}.czowadgeezqi.us-east-1.rds.amazonaws.com\",",
                "\"LOG_LEVEL\":\"info\",\"WORKERS\":\"{workers}\",\"RELEASE\":\"v{version}.0.{i}\"}},",
                "\"image\":\":flask-svc.web.{version}\",\"ports\":{{\"8000\":\"HTTP\",\"8443\":\"HTTPS\"}}}},",
                "\"metrics\":{{\"command\":[\"/bin/statsd\",\"-config\",\"/etc/statsd.conf\"],",
                "\"environment\":{{\"FLUSH_INTERVAL\":\"10s\",\"BACKEND\":\"console\"}},",
                "\"image\":\"statsd/statsd:v0.10.2\",\"ports\":{{\"8125\":\"UDP\",\"8126\":\"TCP\"}}}}"
            ),
            workers = workers,
            i = i,
            version = version,
        );
        if i % 2 == 0 {
            s.push_str(concat!(
                ",\"proxy\":{\"command\":[],\"environment\":{},",
                "\"image\":\"nginx:1.25-alpine\",\"ports\":{\"80\":\"HTTP\",\"443\":\"HTTPS\"}}"
            ));
        }
        let (path, codes, interval) = if i % 4 == 0 {
            ("/", "200-499", 5)
        } else {
            ("/healthz", "200", 30)
        };
        let _ = write!(
            s,
            concat!(
                "}},\"createdAt\":{created},",
                "\"publicEndpoint\":{{\"containerName\":\"web\",\"containerPort\":8000,",
                "\"healthCheck\":{{\"healthyThreshold\":2,\"intervalSeconds\":{interval},\"path\":\"{path}\",",
                "\"successCodes\":\"{codes}\",\"timeoutSeconds\":2,\"unhealthyThreshold\":3}}}},",
                "\"state\":\"{state}\",\"version\":{version}}}"
            ),
            created = created,
            interval = interval,
            path = path,
            codes = codes,
            state = state,
            version = version,
        );
    }
    s.push_str("]}");
    s
}

/// The full HTTP/1.1 response sent for every request.
pub fn http_response(body: &str) -> Vec<u8> {
    let mut out = format!(
        concat!(
            "HTTP/1.1 200 OK\r\n",
            "Content-Type: application/x-amz-json-1.1\r\n",
            "Content-Length: {}\r\n",
            "x-amzn-RequestId: 8a3f7c52-1d4e-4b6a-9f0e-2c7d5b1e9a04\r\n",
            "\r\n"
        ),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Binds 127.0.0.1 on a free port and serves every connection (keep-alive) with the same
/// response until the process exits.
pub async fn start() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    let response: Arc<[u8]> = http_response(&deployments_body()).into();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                continue;
            };
            let _ = sock.set_nodelay(true);
            tokio::spawn(serve(sock, response.clone()));
        }
    });
    addr
}

async fn serve(mut sock: TcpStream, response: Arc<[u8]>) {
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    loop {
        // Headers.
        let header_end = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos + 4;
            }
            match sock.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let content_length = content_length(&buf[..header_end]);
        while buf.len() < header_end + content_length {
            match sock.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        buf.drain(..header_end + content_length);
        if sock.write_all(&response).await.is_err() {
            return;
        }
    }
}

fn content_length(headers: &[u8]) -> usize {
    let text = String::from_utf8_lossy(headers);
    text.split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Calls per second: `tasks` tasks each calling `call` in a loop for `duration` (after a
/// short warm-up). `call` returns the number of deployments parsed, which must be 50.
pub async fn calls_per_sec<F, Fut>(tasks: usize, duration: Duration, call: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = usize> + Send + 'static,
{
    // Warm-up: open the connections, fill caches (credentials, endpoint).
    run_for(tasks, Duration::from_millis(300), call.clone()).await;
    let start = Instant::now();
    let n = run_for(tasks, duration, call).await;
    n as f64 / start.elapsed().as_secs_f64()
}

async fn run_for<F, Fut>(tasks: usize, duration: Duration, call: F) -> u64
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = usize> + Send + 'static,
{
    let deadline = Instant::now() + duration;
    let mut handles = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let call = call.clone();
        handles.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                let got = call().await;
                assert_eq!(got, DEPLOYMENTS, "wrong number of deployments parsed");
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.await.expect("task");
    }
    total
}

/// The program's entry: with no arguments, one call (the "minimal program"); with
/// `calls SECONDS`, prints `single=<calls/s> concurrent16=<calls/s>`.
pub async fn main_with<F, Fut>(make_call: impl FnOnce(String) -> F)
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = usize> + Send + 'static,
{
    let addr = start().await;
    let call = make_call(format!("http://{addr}"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("calls") => {
            let secs: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);
            let d = Duration::from_secs_f64(secs);
            let single = calls_per_sec(1, d, call.clone()).await;
            let concurrent = calls_per_sec(16, d, call).await;
            println!("single={single:.1} concurrent16={concurrent:.1}");
        }
        _ => {
            let n = call().await;
            println!("deployments={n}");
        }
    }
}
