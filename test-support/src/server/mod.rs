//! The loopback HTTP/1.1 server of every test and of the demo endpoint (127.0.0.1 only, a
//! free port unless one is asked for).
//!
//! Each request is read ([`read_request`]), recorded as a [`CapturedRequest`] (with the id of the
//! connection it came on), and answered with an [`Action`] chosen, in this order, by:
//!
//! 1. the handler closure, if the server has one ([`Server::with_handler`]): it decides
//!    everything;
//! 2. the keyed table ([`Server::keyed`]): the action registered with [`Server::respond`]
//!    under the string value of the body's key member (e.g. `serviceName`), taken once;
//! 3. the script queue ([`Server::start`], [`Server::push`]), in order;
//! 4. else `599` with `Connection: close`: a request the test did not plan for is visible.
//!
//! Bounds: a connection waits at most its idle timeout (default [`IDLE_TIMEOUT`]) for a
//! request, every action finishes within [`ACTION_LIMIT`], and dropping the [`Server`] stops
//! accepting and closes every connection it holds.

mod action;
mod http;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

pub use action::{reason_phrase, Action, Response, STALL_LIMIT};
pub use http::{read_request, CapturedRequest, ReadError, MAX_BODY, MAX_HEAD};

use action::{perform, After};

/// How long a connection waits for its next request by default.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest any one action may take to write (a trickle included); then the connection
/// is closed.
pub const ACTION_LIMIT: Duration = Duration::from_secs(60);

/// A handler: the action for a request.
type Handler = Arc<dyn Fn(&CapturedRequest) -> Action + Send + Sync>;

/// What connection tasks share with the [`Server`] handle.
struct Shared {
    requests: Mutex<Vec<CapturedRequest>>,
    script: Mutex<VecDeque<Action>>,
    keyed: Mutex<HashMap<String, Action>>,
    key_member: Option<String>,
    handler: Option<Handler>,
    connections: AtomicU64,
}

impl Shared {
    fn answer(&self, request: &CapturedRequest) -> Action {
        if let Some(handler) = &self.handler {
            return handler(request);
        }
        let keyed = self
            .key_member
            .as_deref()
            .and_then(|member| json_string_member(&request.body, member))
            .and_then(|key| lock(&self.keyed).remove(key));
        keyed
            .or_else(|| lock(&self.script).pop_front())
            .unwrap_or_else(|| {
                Action::Respond(
                    Response::new(599, "no scripted response for this request")
                        .header("Connection", "close"),
                )
            })
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The string value of member `member` of a JSON object body (`{"serviceName":"x"}` ->
/// `x`). A plain scan, not a parser: keys must not need JSON escaping.
pub fn json_string_member<'a>(body: &'a [u8], member: &str) -> Option<&'a str> {
    let text = std::str::from_utf8(body).ok()?;
    let quoted = format!("\"{member}\"");
    let after = &text[text.find(&quoted)? + quoted.len()..];
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    let value = after.strip_prefix('"')?;
    value.find('"').map(|end| &value[..end])
}

/// How the server stops when dropped.
enum Stop {
    /// Serving on the caller's runtime: abort the task (and with it every connection).
    Task(JoinHandle<()>),
    /// Serving on a thread of its own: tell it to stop.
    Thread(Option<tokio::sync::oneshot::Sender<()>>),
}

/// A running loopback server; see the module docs. Stops when dropped.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Stop,
}

/// Settings of a [`Server`] before it starts.
#[derive(Default)]
pub struct Builder {
    port: u16,
    script: Vec<Action>,
    key_member: Option<String>,
    handler: Option<Handler>,
    idle_timeout: Option<Duration>,
}

impl Builder {
    /// Listens on `127.0.0.1:<port>` (default 0: a free port).
    pub fn port(mut self, port: u16) -> Builder {
        self.port = port;
        self
    }

    /// The script queue, played in order.
    pub fn script(mut self, script: impl IntoIterator<Item = Action>) -> Builder {
        self.script.extend(script);
        self
    }

    /// Answers by the string value of this member of the request body (see
    /// [`Server::respond`]).
    pub fn keyed_by(mut self, member: &str) -> Builder {
        self.key_member = Some(member.to_owned());
        self
    }

    /// Answers every request with `handler(&request)`.
    pub fn handler(
        mut self,
        handler: impl Fn(&CapturedRequest) -> Action + Send + Sync + 'static,
    ) -> Builder {
        self.handler = Some(Arc::new(handler));
        self
    }

    /// How long a connection waits for its next request (default [`IDLE_TIMEOUT`]).
    pub fn idle_timeout(mut self, idle: Duration) -> Builder {
        self.idle_timeout = Some(idle);
        self
    }

    fn into_parts(self) -> (Arc<Shared>, Duration) {
        let shared = Arc::new(Shared {
            requests: Mutex::default(),
            script: Mutex::new(self.script.into()),
            keyed: Mutex::default(),
            key_member: self.key_member,
            handler: self.handler,
            connections: AtomicU64::new(0),
        });
        (shared, self.idle_timeout.unwrap_or(IDLE_TIMEOUT))
    }

    /// Binds and serves on the current tokio runtime.
    pub async fn start(self) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let (shared, idle) = self.into_parts();
        let task = tokio::spawn(accept(listener, shared.clone(), idle));
        Ok(Server {
            addr,
            shared,
            stop: Stop::Task(task),
        })
    }

    /// Binds and serves on a thread of its own (with its own runtime), for tests that do
    /// not run inside a tokio runtime or that block theirs.
    pub fn start_on_thread(self) -> io::Result<Server> {
        let std_listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let (shared, idle) = self.into_parts();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = shared.clone();
        std::thread::Builder::new()
            .name(format!("loopback-server-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(std_listener) else {
                        return;
                    };
                    tokio::select! {
                        () = accept(listener, serving, idle) => {}
                        _ = stopped => {}
                    }
                });
            })?;
        Ok(Server {
            addr,
            shared,
            stop: Stop::Thread(Some(stop)),
        })
    }
}

impl Server {
    /// A server with more settings (port, handler, keyed member, idle timeout).
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Starts a server that plays `script` in order (on the current runtime).
    ///
    /// # Panics
    /// If 127.0.0.1 cannot be bound: the test cannot run.
    pub async fn start(script: Vec<Action>) -> Server {
        Server::builder()
            .script(script)
            .start()
            .await
            .expect("bind 127.0.0.1")
    }

    /// Starts a keyed server: a request is answered with the action registered under the
    /// string value of its body's member `member` ([`Server::respond`]).
    ///
    /// # Panics
    /// If 127.0.0.1 cannot be bound.
    pub async fn keyed(member: &str) -> Server {
        Server::builder()
            .keyed_by(member)
            .start()
            .await
            .expect("bind 127.0.0.1")
    }

    /// Starts a server that answers every request with `handler(&request)`.
    ///
    /// # Panics
    /// If 127.0.0.1 cannot be bound.
    pub async fn with_handler(
        handler: impl Fn(&CapturedRequest) -> Action + Send + Sync + 'static,
    ) -> Server {
        Server::builder()
            .handler(handler)
            .start()
            .await
            .expect("bind 127.0.0.1")
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// How many connections the server has accepted so far.
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Appends an action to the script queue.
    pub fn push(&self, action: impl Into<Action>) {
        lock(&self.shared.script).push_back(action.into());
    }

    /// How many scripted actions are still queued.
    pub fn pending(&self) -> usize {
        lock(&self.shared.script).len()
    }

    /// Registers the answer to the next request whose key member is `key` (see
    /// [`Server::keyed`]); it is used once.
    pub fn respond(&self, key: &str, action: impl Into<Action>) {
        lock(&self.shared.keyed).insert(key.to_owned(), action.into());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        match &mut self.stop {
            Stop::Task(task) => task.abort(),
            Stop::Thread(stop) => {
                if let Some(stop) = stop.take() {
                    let _ = stop.send(());
                }
            }
        }
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("addr", &self.addr).finish()
    }
}

/// Accepts connections until dropped; dropping it drops (aborts) every connection task.
async fn accept(listener: TcpListener, shared: Arc<Shared>, idle: Duration) {
    let mut connections = JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                while connections.try_join_next().is_some() {}
                let id = shared.connections.fetch_add(1, Ordering::SeqCst) + 1;
                let _ = stream.set_nodelay(true);
                connections.spawn(connection(stream, id, shared.clone(), idle));
            }
            // E.g. out of file descriptors: wait instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// Serves the requests of one connection until it closes, misbehaves, idles or an action
/// ends it.
async fn connection(stream: TcpStream, id: u64, shared: Arc<Shared>, idle: Duration) {
    let mut reader = BufReader::new(stream);
    loop {
        let request = match tokio::time::timeout(idle, read_request(&mut reader, id)).await {
            Ok(Ok(Some(request))) => request,
            Ok(Ok(None)) | Ok(Err(ReadError::Io)) | Err(_) => return,
            Ok(Err(ReadError::Malformed(status, message))) => {
                let response = Response::aws_error(status, "BadRequest", &message)
                    .header("Connection", "close");
                let bytes = response.to_bytes();
                let write = reader.get_mut().write_all(&bytes);
                let _ = tokio::time::timeout(ACTION_LIMIT, write).await;
                return;
            }
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let action = shared.answer(&request);
        // Recorded before answering: a client that has the answer sees its request.
        lock(&shared.requests).push(request);
        let done = tokio::time::timeout(ACTION_LIMIT, perform(action, reader.get_mut(), close));
        if !matches!(done.await, Ok(After::KeepAlive)) {
            return;
        }
    }
}
