//! Generated crates against a real server nobody here wrote: `moto_server` (Python
//! `moto[server]`, installed by `.ci/run`) on a free loopback port, one server per test.
//!
//! - [`dynamodb_moto`]: create a table and wait for it (the model's `TableExists` waiter), put,
//!   get and query items of every attribute type (nested maps and lists, string, number and
//!   binary sets, binary and non-ASCII strings) and check they round-trip exactly, a
//!   paginated scan with a small page size, a conditional-check failure as its typed error;
//! - [`sqs_moto`] (awsJson1_0 with `awsQueryCompatible`): send and receive a message, a missing
//!   queue as its typed error;
//! - [`kms_moto`]: encrypt and decrypt every byte value, an encryption-context mismatch as its
//!   typed error;
//! - [`logs_moto`]: put log events and get them back.
//!
//! Compiled and run as the `moto-interop` crate of the workspace that
//! `every_shared_aws_model_generates_compiles_and_passes_its_endpoint_tests` (in
//! `tests/aws_models.rs`) generates, so the generated crates compile once; not a test
//! target of `codegen` itself. Without `moto_server` each test prints a `SKIPPED` line
//! (forwarded by that test), and fails under `CI=true`.
//!
//! Where moto differs from what AWS documents, the check follows AWS and a comment says
//! what moto does instead (with the evidence).

#![cfg(test)]

/// A client of the generated crate `$krate` for the moto server `$moto`: its endpoint,
/// static test credentials, `us-east-1`, and an empty environment, so no `AWS_*` variable
/// or `~/.aws` file of the machine running the tests changes the calls.
macro_rules! moto_client {
    ($krate:ident, $moto:expr) => {
        $krate::Client::from_conf(
            $krate::Config::builder()
                .endpoint_url($moto.endpoint_url())
                .region($krate::config::Region::new("us-east-1"))
                .credentials_provider($krate::config::Credentials::new(
                    "AKIDMOTOINTEROP",
                    "moto-interop-secret",
                    None,
                    None,
                    "moto-interop",
                ))
                .env(awsjson_test_support::empty_env())
                .build(),
        )
    };
}

// `<service>_moto`: a module named like the crate it calls would shadow that crate here.
mod dynamodb_moto;
mod kms_moto;
mod logs_moto;
mod sqs_moto;
