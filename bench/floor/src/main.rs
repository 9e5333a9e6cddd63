//! The dependency floor: an empty program whose Cargo.toml names only the packages chosen for
//! the job (reqwest, rustls, aws-sigv4, aws-credential-types, aws-smithy-types, tokio,
//! serde_json), so `cargo tree` shows which crates the SDK adds above them.

fn main() {}
