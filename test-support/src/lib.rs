//! Dev-only test support shared by every test crate and the demo endpoint (publish = false):
//!
//! * [`server`]: the one loopback HTTP/1.1 server (127.0.0.1, a free port). It answers from
//!   a script queue, a table keyed by a member of the request body, or a handler closure;
//!   records every request with the id of the connection it came on; and injects faults:
//!   connection reset or close before the response, stalls (no response, or headers and
//!   half a body), late answers (any action after a delay), truncated bodies, slow
//!   trickles, huge HTML error pages and whatever
//!   status, headers (`x-amz-retry-after`, a wrong `Content-Type`) and body a
//!   [`Response`] holds. It is bounded (idle and per-action time limits, request size
//!   limits) and stops when dropped.
//! * [`sigv4`]: the one SigV4 verifier of received requests.
//! * [`hooks`]: recorded sleeps and an empty environment for deterministic client configs.
//! * [`moto`]: `moto_server` (a third-party AWS imitation) on a free loopback port, for
//!   end-to-end tests; skipped with a visible line when it is not installed, except in CI.
//! * `golden` (feature `golden`): the canonical renderer of `GetContainerServiceDeployments`
//!   results used by goldens, snapshots and the botocore differential.
//!
//! # Example: a client under faults
//!
//! A soak or retry test scripts a run of faults, then reads what arrived and on which
//! connection. (Here a raw TCP client stands in for the SDK client.)
//!
//! ```
//! use std::time::Duration;
//! use awsjson_test_support::server::{Action, Response, Server};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = Server::start(vec![
//!     Action::Reset,                                              // RST before any answer
//!     Response::throttling(Some("250")).into(),                   // 400 + x-amz-retry-after
//!     Action::Truncate { response: Response::json(200, "r", r#"{"a":1}"#), send: 3 },
//!     Action::Trickle {                                           // 2 bytes every 10 ms
//!         response: Response::json(200, "r", "{}"),
//!         chunk: 2,
//!         every: Duration::from_millis(10),
//!     },
//!     Action::HugeHtml { status: 503, size: 1 << 20 },            // 1 MiB of text/html
//! ])
//! .await;
//! // More actions can be queued while it runs; a handler or keyed table can answer instead
//! // (`Server::with_handler`, `Server::keyed("serviceName")` + `respond`).
//! server.push(Response::aws_error(500, "InternalFailure", "try again"));
//!
//! let request = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
//! let mut reset = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
//! reset.write_all(request).await.unwrap();
//! assert!(reset.read(&mut [0; 16]).await.is_err(), "connection reset");
//!
//! let mut next = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
//! next.write_all(request).await.unwrap();
//! let mut head = [0; 12];
//! next.read_exact(&mut head).await.unwrap();
//! assert_eq!(&head, b"HTTP/1.1 400");
//!
//! let requests = server.requests();
//! assert_eq!(requests.len(), 2);
//! // The second request came on a new connection.
//! assert_eq!((requests[0].connection, requests[1].connection), (1, 2));
//! assert_eq!(server.pending(), 4);
//! # }
//! ```
//!
//! Tests that are not async use [`server::Builder::start_on_thread`]: the server gets a
//! thread and runtime of its own and is stopped when dropped.

pub mod fake_service;
pub mod hooks;
pub mod moto;
pub mod server;
pub mod sigv4;

#[cfg(feature = "golden")]
pub mod golden;

pub use hooks::{empty_env, Sleeps};
pub use server::{Action, CapturedRequest, Response, Server};
