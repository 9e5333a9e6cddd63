//! End-to-end tests of the client half of the runtime against a loopback HTTP/1.1 server
//! (127.0.0.1 only). No test reads or writes the process environment: configuration uses
//! `Env::from_vars`, so tests can run in parallel.

mod support;

mod call;
mod config;
mod modeled;
mod retry;
