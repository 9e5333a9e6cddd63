//! A loopback HTTP/1.1 server for many calls through one client: each request is answered
//! with the response registered under its `serviceName`, so one server and one client serve
//! any number of cases, sequentially or concurrently (the hostile-input test and the
//! `fuzz_parser` bin). Building a client per case costs far more than the call itself.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::server::Response;

type Table = Arc<Mutex<HashMap<String, Response>>>;

/// The server; dropping it stops accepting.
pub struct KeyedServer {
    addr: SocketAddr,
    table: Table,
    accept_task: tokio::task::JoinHandle<()>,
}

impl KeyedServer {
    /// Binds 127.0.0.1 on a free port.
    pub async fn start() -> KeyedServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let table: Table = Arc::default();
        let shared = table.clone();
        let accept_task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        KeyedServer {
            addr,
            table,
            accept_task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Registers the answer to the next request whose `serviceName` is `key`. `key` must
    /// not need JSON escaping.
    pub fn respond(&self, key: &str, response: Response) {
        lock(&self.table).insert(key.to_owned(), response);
    }
}

impl Drop for KeyedServer {
    fn drop(&mut self) {
        self.accept_task.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The `serviceName` of a `{"serviceName":"..."}` body written by the client.
fn key_of(body: &[u8]) -> Option<&str> {
    let rest = body.strip_prefix(b"{\"serviceName\":\"")?;
    let end = rest.iter().position(|&b| b == b'"')?;
    std::str::from_utf8(&rest[..end]).ok()
}

async fn serve(mut stream: TcpStream, table: Table) {
    let mut buf = Vec::with_capacity(8192);
    loop {
        let Some((head_end, length)) = read_head(&mut stream, &mut buf).await else {
            return;
        };
        let body_start = head_end + 4;
        while buf.len() < body_start + length {
            let mut chunk = [0u8; 8192];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let response = key_of(&buf[body_start..body_start + length])
            .and_then(|key| lock(&table).remove(key))
            .unwrap_or_else(|| Response::new(599, "no response registered for this request"));
        buf.drain(..body_start + length);
        if stream.write_all(&response.to_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads up to the end of a request head; returns its end and the `Content-Length`.
async fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(usize, usize)> {
    loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..pos]).ok()?;
            let length = head
                .split("\r\n")
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            return Some((pos, length));
        }
        if buf.len() > 1 << 20 {
            return None;
        }
        let mut chunk = [0u8; 8192];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}
