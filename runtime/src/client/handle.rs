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
    pub(super) rules: Result<RuleSet, String>,
    /// The client's built-ins (no account id: that comes from each call's credentials).
    pub(super) built_ins: BuiltIns,
    /// Whether the rule set reads `AWS::Auth::AccountId`: endpoints then depend on the
    /// credentials, so they are resolved per call.
    pub(super) rules_use_account_id: bool,
    pub(super) http: Result<Transport, String>,
    pub(super) credentials: CredentialsCache,
    pub(super) retry: RetryConfig,
    pub(super) bucket: retry::TokenBucket,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) read_timeout: Option<Duration>,
    pub(super) attempt_timeout: Option<Duration>,
    pub(super) operation_timeout: Option<Duration>,
    pub(super) content_type: HeaderValue,
    pub(super) user_agent: HeaderValue,
    pub(super) amz_user_agent: HeaderValue,
    /// Server time minus our clock, in milliseconds, learned from clock-skew errors.
    pub(super) clock_skew_ms: AtomicI64,
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
        let resolved = config::resolve(&config, spec.sdk_id);
        let rules = RuleSet::from_json(spec.endpoint_rules)
            .map_err(|e| format!("could not load the endpoint rules: {e}"));
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
            .is_ok_and(|r| r.uses_built_in("AWS::Auth::AccountId"));
        let endpoint = match (&resolved.region, &rules) {
            (Ok(_), Ok(rules)) => {
                resolve_endpoint(spec, rules, &rules.params_from_builtins(&built_ins))
            }
            (Err(err), _) | (_, Err(err)) => Err(err.clone()),
        };
        #[cfg(feature = "test-util")]
        let test_client = config.test_http_client.clone().map(Transport::Test);
        #[cfg(not(feature = "test-util"))]
        let test_client = None;
        let http = match (test_client, &config.http_client) {
            (Some(test), _) => Ok(test),
            (None, Some(client)) => Ok(Transport::Reqwest(Pool::fixed(client.clone()))),
            (None, None) => {
                let (connect, read) = (resolved.connect_timeout, resolved.read_timeout);
                transport::default_client(connect, read)
                    .map(|client| {
                        let rebuild = move || transport::default_client(connect, read);
                        Transport::Reqwest(Pool::rebuildable(client, Box::new(rebuild)))
                    })
                    .map_err(|e| format!("could not build the HTTP client: {}", error_chain(&*e)))
            }
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
            credentials: CredentialsCache::new(resolved.credentials, config.time_source.clone()),
            retry: resolved.retry,
            bucket: retry::TokenBucket::default(),
            connect_timeout: resolved.connect_timeout,
            read_timeout: resolved.read_timeout,
            attempt_timeout: resolved.attempt_timeout,
            operation_timeout: resolved.operation_timeout,
            content_type,
            user_agent: header(user_agent),
            amz_user_agent: header(amz_user_agent),
            clock_skew_ms: AtomicI64::new(0),
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
