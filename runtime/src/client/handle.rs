//! The client of one service ([`Handle`]): what is resolved once when it is created and
//! shared by every call (region, endpoint rules and built-ins, the endpoint of operations
//! without parameters of their own, HTTP client, credentials cache, retry token bucket, clock
//! offset, user agents).

use std::fmt;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::Duration;

use http::header::HeaderValue;

use super::endpoint::{resolve_endpoint, Endpoint};
use super::pool::Pool;
#[cfg(feature = "test-util")]
use super::test_util;
use super::{retry, transport, user_agent, ServiceSpec};
use crate::config::credentials::{error_chain, Cache as CredentialsCache};
use crate::config::retry::RetryConfig;
use crate::config::{self, Config, Region};
use crate::endpoint::{BuiltIns, RuleSet};

/// Where the requests of a client go.
pub(super) enum Transport {
    /// The network, through reqwest.
    Reqwest(Pool),
    /// A test transport (feature `test-util`): no network.
    #[cfg(feature = "test-util")]
    Test(test_util::SharedTestHttpClient),
}

/// A client of one service: configuration resolved once, an HTTP client, a credentials
/// cache, a retry token bucket and the measured clock skew, shared by every call. Cheap to
/// clone (an `Arc`).
#[derive(Clone)]
pub struct Handle {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) spec: &'static ServiceSpec,
    pub(super) config: Config,
    pub(super) region: Result<Region, String>,
    /// The endpoint of operations without endpoint parameters of their own, resolved once.
    pub(super) endpoint: Result<Endpoint, String>,
    /// The rule set, for operations whose endpoint depends on the call.
    pub(super) rules: Arc<Result<RuleSet, String>>,
    /// The client's built-ins (no account id: that comes from each call's credentials).
    pub(super) built_ins: BuiltIns,
    /// Whether the rule set reads `AWS::Auth::AccountId`: endpoints then depend on the
    /// credentials, so they are resolved per call.
    pub(super) rules_use_account_id: bool,
    pub(super) http: Arc<Result<Transport, String>>,
    pub(super) credentials: Arc<CredentialsCache>,
    pub(super) retry: RetryConfig,
    pub(super) bucket: Arc<retry::TokenBucket>,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) read_timeout: Option<Duration>,
    pub(super) attempt_timeout: Option<Duration>,
    pub(super) operation_timeout: Option<Duration>,
    pub(super) content_type: HeaderValue,
    pub(super) user_agent: HeaderValue,
    pub(super) amz_user_agent: HeaderValue,
    /// Server time minus our clock, in milliseconds, learned from clock-skew errors.
    pub(super) clock_skew_ms: Arc<AtomicI64>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Handle")
            .field("service", &inner.spec.sdk_id)
            .field("region", &inner.region)
            .field("endpoint", &inner.endpoint.as_ref().map(|e| e.url.as_str()))
            .field("credentials", &inner.credentials)
            .field("retry", &inner.retry)
            .field("attempt_timeout", &inner.attempt_timeout)
            .field("operation_timeout", &inner.operation_timeout)
            .finish_non_exhaustive()
    }
}

impl Handle {
    /// Creates a client of `spec` with `config`. Never fails and never panics: region,
    /// credentials, endpoint and HTTP client problems are returned by every call as a
    /// `ConstructionFailure`.
    ///
    /// Reads the environment and the shared config files once, here.
    pub fn new(spec: &'static ServiceSpec, config: Config) -> Handle {
        Handle::build(spec, config, None)
    }

    /// The client of one call made with `customize().config_override(over)`: this client's
    /// configuration with every setting `over` sets (what it leaves unset keeps this client's
    /// value, as in aws-sdk-rust), sharing with this client what the override does not change:
    /// the HTTP client and its connections (unless it sets an HTTP client or other connect or
    /// read timeouts), the credentials cache (unless it sets a credentials provider), the
    /// parsed endpoint rules, the retry token bucket and the measured clock skew. So an
    /// override neither opens new connections nor loads credentials again on every call.
    pub(super) fn with_override(&self, over: Config) -> Handle {
        let keep = Keep {
            http: over.http_client.is_none(),
            credentials: over.credentials_provider.is_none(),
        };
        let merged = overridden(self.config(), over);
        Handle::build(self.inner.spec, merged, Some((&self.inner, keep)))
    }

    fn build(spec: &'static ServiceSpec, config: Config, base: Option<(&Inner, Keep)>) -> Handle {
        let resolved = config::resolve(&config, spec.sdk_id);
        let rules = match base {
            Some((base, _)) => Arc::clone(&base.rules),
            None => Arc::new(
                RuleSet::from_json(spec.endpoint_rules)
                    .map_err(|e| format!("could not load the endpoint rules: {e}")),
            ),
        };
        let built_ins = BuiltIns {
            region: resolved.region.as_ref().ok().map(|r| r.as_ref().to_owned()),
            use_fips: resolved.use_fips,
            use_dual_stack: resolved.use_dual_stack,
            endpoint: resolved.endpoint_url.clone(),
            account_id: None,
            account_id_endpoint_mode: Some(resolved.account_id_endpoint_mode.to_string()),
        };
        let rules_use_account_id = rules
            .as_ref()
            .as_ref()
            .is_ok_and(|r| r.uses_built_in("AWS::Auth::AccountId"));
        let endpoint = match (&resolved.region, rules.as_ref()) {
            (Ok(_), Ok(rules)) => {
                resolve_endpoint(spec, rules, &rules.params_from_builtins(&built_ins))
            }
            (Err(err), _) | (_, Err(err)) => Err(err.clone()),
        };
        let (connect, read) = (resolved.connect_timeout, resolved.read_timeout);
        let http = match base {
            Some((base, keep))
                if keep.http && (base.connect_timeout, base.read_timeout) == (connect, read) =>
            {
                Arc::clone(&base.http)
            }
            _ => Arc::new(new_transport(&config, connect, read)),
        };
        let credentials = match base {
            Some((base, keep)) if keep.credentials => Arc::clone(&base.credentials),
            _ => Arc::new(CredentialsCache::new(
                resolved.credentials,
                config.time_source.clone(),
            )),
        };
        let (user_agent, amz_user_agent) = user_agent::user_agents(spec, config.app_name.as_ref());
        let header = |value: String| {
            // Built from token characters only, so always valid; the fallback is never used.
            HeaderValue::try_from(value)
                .unwrap_or_else(|_| HeaderValue::from_static("aws-sdk-rust"))
        };
        let content_type = header(format!("application/x-amz-json-{}", spec.json_version));
        let inner = Inner {
            spec,
            region: resolved.region.clone(),
            endpoint,
            rules,
            built_ins,
            rules_use_account_id,
            http,
            credentials,
            retry: resolved.retry,
            bucket: base.map_or_else(Default::default, |(base, _)| Arc::clone(&base.bucket)),
            connect_timeout: connect,
            read_timeout: read,
            attempt_timeout: resolved.attempt_timeout,
            operation_timeout: resolved.operation_timeout,
            content_type,
            user_agent: header(user_agent),
            amz_user_agent: header(amz_user_agent),
            clock_skew_ms: base.map_or_else(Default::default, |(base, _)| {
                Arc::clone(&base.clock_skew_ms)
            }),
            config,
        };
        Handle {
            inner: Arc::new(inner),
        }
    }

    /// The configuration this client was created with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service this client calls.
    pub fn spec(&self) -> &'static ServiceSpec {
        self.inner.spec
    }
}

/// What a per-call override may share with the client it overrides.
#[derive(Clone, Copy)]
struct Keep {
    /// The override sets no HTTP client.
    http: bool,
    /// The override sets no credentials provider.
    credentials: bool,
}

/// Where the requests of a client with `config` go: its test client, its HTTP client, or a
/// default one with these timeouts.
fn new_transport(
    config: &Config,
    connect: Option<Duration>,
    read: Option<Duration>,
) -> Result<Transport, String> {
    #[cfg(feature = "test-util")]
    if let Some(test) = &config.test_http_client {
        return Ok(Transport::Test(test.clone()));
    }
    if let Some(client) = &config.http_client {
        return Ok(Transport::Reqwest(Pool::fixed(client.clone())));
    }
    transport::default_client(connect, read)
        .map(|client| {
            let rebuild = move || transport::default_client(connect, read);
            Transport::Reqwest(Pool::rebuildable(client, Box::new(rebuild)))
        })
        .map_err(|e| format!("could not build the HTTP client: {}", error_chain(&*e)))
}

/// `base` with every setting `over` sets (aws-sdk-rust's config override: what the override
/// leaves unset keeps the client's value).
fn overridden(base: &Config, over: Config) -> Config {
    let mut merged = base.clone();
    macro_rules! take {
        ($($field:ident),*) => {
            $(if over.$field.is_some() { merged.$field = over.$field; })*
        };
    }
    take!(
        region,
        credentials_provider,
        endpoint_url,
        retry_config,
        timeout_config,
        use_fips,
        use_dual_stack,
        app_name,
        behavior_version,
        http_client
    );
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::timeout::TimeoutConfig;

    static SPEC: ServiceSpec = ServiceSpec {
        sdk_id: "Example",
        signing_name: "example",
        target_prefix: "Example_20240101",
        json_version: "1.1",
        endpoint_rules: "{}",
        crate_name: "example",
        crate_version: "0.0.0",
        aws_query_compatible: false,
    };

    fn base() -> Config {
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url("http://base")
            .use_fips(true)
            .build()
    }

    #[test]
    fn an_override_keeps_what_it_leaves_unset() {
        let merged = overridden(
            &base(),
            Config::builder().region(Region::new("eu-west-3")).build(),
        );
        assert_eq!(merged.region(), Some(&Region::new("eu-west-3")));
        assert_eq!(merged.endpoint_url(), Some("http://base"));
        assert_eq!(merged.use_fips(), Some(true));
    }

    #[test]
    fn an_override_shares_what_it_does_not_change() {
        let client = Handle::new(&SPEC, base());
        let call = client.with_override(Config::builder().region(Region::new("eu-west-3")).build());
        let (a, b) = (&client.inner, &call.inner);
        assert_eq!(b.region, Ok(Region::new("eu-west-3")));
        assert!(Arc::ptr_eq(&a.http, &b.http));
        assert!(Arc::ptr_eq(&a.credentials, &b.credentials));
        assert!(Arc::ptr_eq(&a.rules, &b.rules));
        assert!(Arc::ptr_eq(&a.bucket, &b.bucket));
        assert!(Arc::ptr_eq(&a.clock_skew_ms, &b.clock_skew_ms));
    }

    #[test]
    fn other_timeouts_or_credentials_get_their_own_http_client_or_cache() {
        let client = Handle::new(&SPEC, base());
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_millis(250))
            .build();
        let call = client.with_override(Config::builder().timeout_config(timeouts).build());
        assert!(!Arc::ptr_eq(&client.inner.http, &call.inner.http));
        assert_eq!(call.inner.connect_timeout, Some(Duration::from_millis(250)));
        assert!(Arc::ptr_eq(
            &client.inner.credentials,
            &call.inner.credentials
        ));

        let credentials =
            aws_credential_types::Credentials::new("AKID", "SECRET", None, None, "test");
        let call =
            client.with_override(Config::builder().credentials_provider(credentials).build());
        assert!(!Arc::ptr_eq(
            &client.inner.credentials,
            &call.inner.credentials
        ));
        assert!(Arc::ptr_eq(&client.inner.http, &call.inner.http));
    }
}
