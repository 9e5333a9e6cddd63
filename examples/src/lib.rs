//! The `get_deployments` example of the generated `lightsail` crate, and the loopback demo
//! endpoint `cargo xtask demo` runs it against.
//!
//! * [`cli`]: the example program (arguments, client configuration, the call);
//! * [`render`]: the deployments as a table or JSON;
//! * [`fake_lightsail`]: the demo endpoint's fake service (request checks, recorded
//!   answers), no I/O;
//! * [`server`]: the demo endpoint over HTTP (`demo_server` binary), on
//!   `awsjson-test-support`'s loopback server.

pub mod cli;
pub mod fake_lightsail;
pub mod render;
pub mod rollout;
pub mod server;
pub mod wait;
