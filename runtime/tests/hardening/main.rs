//! End-to-end tests of the runtime's behaviour when things go wrong (issue 10): retry-after,
//! reconnect after transient errors, clock skew, token costs, TLS failures. The loopback
//! server is the workspace's (`awsjson-test-support`, 127.0.0.1 only, connection ids per
//! request); no test reads the process environment.

mod clock_skew;
mod reconnect;
mod retry_after;
mod retry_policy;
mod tls;

use std::time::{Duration, SystemTime};

use awsjson_runtime::config::{Builder, Config, Credentials, Jitter, Region, TimeSource};
use awsjson_test_support::empty_env;
pub use awsjson_test_support::Sleeps;

/// The service under test (the endpoint is always the override) and its operation, whose
/// output is nothing and whose error is its metadata.
pub use awsjson_test_support::fake_service::{ENDPOINT_OVERRIDE_SPEC as SPEC, UNIT_OP as OP};

/// 2024-01-02T03:04:05Z.
pub fn fixed_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
}

/// `time` as an HTTP date (a `Date` header).
pub fn http_date(time: SystemTime) -> String {
    aws_smithy_types::DateTime::from(time)
        .fmt(aws_smithy_types::date_time::Format::HttpDate)
        .expect("http date")
}

/// A config for `url`: empty environment, fixed clock, recorded sleeps, jitter 0.5.
pub fn config_for(url: &str, sleeps: &Sleeps) -> Builder {
    Config::builder()
        .env(empty_env())
        .region(Region::from_static("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .time_source(TimeSource::fixed(fixed_time()))
        .sleep_impl(sleeps.sleep_impl())
        .retry_jitter(Jitter::from_fn(|| 0.5))
}
