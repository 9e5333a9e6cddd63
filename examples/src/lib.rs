//! The `get_deployments` example of the generated `lightsail` crate, and the loopback demo
//! endpoint `cargo xtask demo` runs it against.
//!
//! * [`cli`]: the example program (arguments, client configuration, the call);
//! * [`render`]: the deployments as a table or JSON;
//! * [`server`]: the demo endpoint (`demo_server` binary).

pub mod cli;
pub mod render;
pub mod server;
