//! A loopback HTTP/1.1 server (127.0.0.1 only) that plays scripted replies and records, for
//! every request, the connection it arrived on: what the reconnect and retry tests need to
//! tell a retry on a new connection from one on a pooled keep-alive connection.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with the next request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answer (keeping the connection open).
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Close the connection without answering.
    Close,
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
        }
    }

    /// An awsJson error response.
    pub fn error(status: u16, code: &str) -> Reply {
        Reply::json(
            status,
            &format!(r#"{{"__type":"com.amazonaws.lightsail#{code}","message":"m"}}"#),
        )
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

/// A request as received.
#[derive(Clone, Debug)]
pub struct Seen {
    /// Which accepted connection (0, 1, ...) it came on.
    pub connection: usize,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Seen {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The server; dropping it does not stop it (the test's runtime does).
pub struct Server {
    pub addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    /// Starts a server playing `script` in order, then answering 200 `{}`.
    pub async fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let (seen2, connections2) = (seen.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let id = connections2.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, id, seen2.clone(), script.clone()));
            }
        });
        Server {
            addr,
            seen,
            connections,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    connection: usize,
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Arc<Mutex<VecDeque<Reply>>>,
) {
    let mut buf = Vec::new();
    loop {
        let Some(headers) = read_request(&mut stream, &mut buf).await else {
            return;
        };
        seen.lock().unwrap_or_else(|e| e.into_inner()).push(Seen {
            connection,
            headers,
        });
        let reply = script
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_front()
            .unwrap_or_else(|| Reply::json(200, "{}"));
        match reply {
            Reply::Close => return,
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut out = format!("HTTP/1.1 {status} Scripted\r\n");
                for (name, value) in headers {
                    out.push_str(&format!("{name}: {value}\r\n"));
                }
                out.push_str(&format!(
                    "Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                ));
                if stream.write_all(out.as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Reads one request's head and Content-Length body; `None` on EOF, garbage or 10 s idle.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Vec<(String, String)>> {
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let headers: Vec<(String, String)> = head
        .split("\r\n")
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let end = head_end + 4 + length;
    while buf.len() < end {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    buf.drain(..end);
    Some(headers)
}
