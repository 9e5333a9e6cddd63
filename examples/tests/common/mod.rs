//! What the example's tests share: a client configuration that reads nothing from the
//! environment and signs with fixed example credentials.

use lightsail::config::hooks::Env;
use lightsail::config::Credentials;

/// A config builder with an empty environment and AWS's documented example credentials;
/// each test adds the endpoint of its demo server.
pub fn base() -> lightsail::config::Builder {
    lightsail::Config::builder()
        .env(Env::from_vars::<[(&str, &str); 0], &str, &str>([]))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        ))
}
