//! The call path every generated operation goes through: [`Handle::invoke`] resolves the
//! endpoint, signs with SigV4, sends `POST /` with the AWS JSON headers, retries in AWS
//! standard mode, enforces timeouts, and turns the response into the operation's output or
//! error.
//!
//! # Wire format of a request
//!
//! ```text
//! POST <endpoint path>/                      (the endpoint URL's path is kept as a prefix)
//! Content-Type: application/x-amz-json-<json_version>
//! X-Amz-Target: <target_prefix>.<operation name>
//! Content-Length: <n>
//! User-Agent / x-amz-user-agent             (see below)
//! amz-sdk-invocation-id: <random uuid v4, the same for every attempt of one call>
//! amz-sdk-request: attempt=<n>; max=<max attempts>
//! X-Amz-Date, X-Amz-Security-Token, Authorization   (SigV4, payload hashed)
//! ```
//!
//! User agents, in aws-sdk-rust's layout:
//!
//! ```text
//! User-Agent:       aws-sdk-rust/<runtime version> os/<os> lang/rust [app/<app name>]
//! x-amz-user-agent: aws-sdk-rust/<runtime version> ua/2.1 api/<sdk id lower>/<crate version>
//!                   os/<os> lang/rust md/awsjson-runtime#<runtime version>
//!                   cfg/retry-mode#standard [app/<app name>]
//! ```
//!
//! # Errors
//!
//! * no region / credentials, a bad endpoint URL, a signing failure:
//!   [`SdkError::ConstructionFailure`] (nothing sent);
//! * connection refused or reset, TLS failure: [`SdkError::DispatchFailure`];
//! * connect, read, attempt or operation timeout: [`SdkError::TimeoutError`], saying which
//!   timeout fired and its duration;
//! * non-2xx: the code and message of the body, the `x-amzn-RequestId` and the status go to
//!   the operation's `parse_error`, whose error becomes [`SdkError::ServiceError`];
//! * a 2xx whose body `parse_output` rejects: [`SdkError::ResponseError`].
//!
//! Errors of calls that made more than one attempt say how many (`(after 3 attempts)`).
//!
//! # Retries
//!
//! AWS standard mode (see [`RetryConfig`]): 500/502/503/504, throttling and transient error
//! codes, I/O errors and timeouts are retried with capped exponential backoff and full jitter,
//! subject to a per-client retry token bucket. Responses whose code means the clock may be
//! off (`RequestTimeTooSkewed`, `InvalidSignatureException`, `SignatureDoesNotMatch`,
//! `AuthFailure`, ...) update the client's clock offset from the response's `Date` header; if
//! the offset moved by more than a minute the call is retried once, at once, with the corrected
//! signing time (this uses one of the call's attempts but no retry tokens). The offset is kept
//! for later calls.
//!
//! # Tracing
//!
//! A `debug` span `invoke` per call (`service`, `operation`) and a `debug` span `attempt` per
//! attempt (`attempt`, `status`, `request_id`). Credentials, signatures and bodies are never
//! logged.

use std::fmt;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use tracing::Instrument;

use crate::config::credentials::{error_chain, Cache as CredentialsCache};
use crate::config::retry::RetryConfig;
use crate::config::{self, Config, Region};
use crate::endpoint::{BuiltIns, ParamValue, RuleSet, StaticParam};
use crate::error::{BoxError, ErrorMetadata, SdkError};
use crate::response::HttpResponse;

mod call_options;
mod modeled;
mod retry;
pub(crate) mod rng;
mod seams;
mod sign;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
mod user_agent;

pub use call_options::{expand_host_prefix, CallOptions, MIN_COMPRESSION_SIZE};
pub use modeled::{AuthMode, RetryableError};
pub use seams::DeserializeError;

/// What the runtime needs to know about a service; one `static` per generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceSpec {
    /// The SDK id (`Lightsail`): names `AWS_ENDPOINT_URL_<ID>` and the user agent's `api/`.
    pub sdk_id: &'static str,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`).
    pub signing_name: &'static str,
    /// The `X-Amz-Target` prefix: the service shape's name (`Lightsail_20161128`).
    pub target_prefix: &'static str,
    /// `1.0` or `1.1`, the suffix of `application/x-amz-json-`.
    pub json_version: &'static str,
    /// The model's endpoint rule set, as JSON.
    pub endpoint_rules: &'static str,
    /// The generated crate's name.
    pub crate_name: &'static str,
    /// The generated crate's version (user agent `api/<id>/<version>`).
    pub crate_version: &'static str,
    /// `aws.protocols#awsQueryCompatible`: the error code of an error response is taken
    /// from its `x-amzn-query-error` header (`Code;Fault`) when present, as aws-sdk-rust
    /// does.
    pub aws_query_compatible: bool,
}

/// One operation: its name and the parsers of its output and errors. One `static` per
/// operation in a generated crate.
pub struct OperationSpec<O, E> {
    /// The `X-Amz-Target` suffix (`GetInstances`).
    pub name: &'static str,
    /// Parses a 2xx response (an empty body is passed as `{}`).
    pub parse_output: fn(&HttpResponse) -> Result<O, DeserializeError>,
    /// Builds the operation's error from an error response and its metadata (code,
    /// message, request id, status). Unknown codes become `E::Unhandled`.
    pub parse_error: fn(&HttpResponse, ErrorMetadata) -> E,
    /// How requests are authenticated (`smithy.api#auth`, `smithy.api#optionalAuth`).
    pub auth: AuthMode,
    /// The operation's `smithy.api#retryable` errors, retried as their trait says.
    pub retryable_errors: &'static [RetryableError],
    /// `smithy.rules#staticContextParams`: endpoint parameters fixed by the operation.
    pub static_endpoint_params: &'static [(&'static str, StaticParam)],
}

impl<O, E> fmt::Debug for OperationSpec<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationSpec")
            .field("name", &self.name)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

/// The resolved endpoint of a client, ready to send to.
#[derive(Debug, Clone)]
struct Endpoint {
    /// The absolute URL requests go to: the endpoint with `/` appended to its path.
    url: reqwest::Url,
    /// Extra headers from the endpoint rules.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The SigV4 service name.
    signing_name: String,
    /// The SigV4 region, when the rules override the client's region.
    signing_region: Option<String>,
}

/// Where the requests of a client go.
#[derive(Clone)]
enum Transport {
    /// The network, through reqwest.
    Reqwest(reqwest::Client),
    /// A test transport (feature `test-util`): no network.
    #[cfg(feature = "test-util")]
    Test(test_util::SharedTestHttpClient),
}

/// A client of one service: configuration resolved once, an HTTP client, a credentials
/// cache, a retry token bucket and the measured clock skew, shared by every call. Cheap to
/// clone (an `Arc`).
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    spec: &'static ServiceSpec,
    config: Config,
    region: Result<Region, String>,
    /// The endpoint of operations without endpoint parameters of their own, resolved once.
    endpoint: Result<Endpoint, String>,
    /// The rule set, for operations whose endpoint depends on the call.
    rules: Result<RuleSet, String>,
    /// The client's built-ins (no account id: that comes from each call's credentials).
    built_ins: BuiltIns,
    /// Whether the rule set reads `AWS::Auth::AccountId`: endpoints then depend on the
    /// credentials, so they are resolved per call.
    rules_use_account_id: bool,
    http: Result<Transport, String>,
    credentials: CredentialsCache,
    retry: RetryConfig,
    bucket: retry::TokenBucket,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    content_type: HeaderValue,
    user_agent: HeaderValue,
    amz_user_agent: HeaderValue,
    /// Server time minus our clock, in milliseconds, learned from clock-skew errors.
    clock_skew_ms: AtomicI64,
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

/// Makes `raw` an absolute http(s) URL with a host and no credentials, query or fragment,
/// whose path ends in `/` (the operation path `/` appended to the endpoint's path, as
/// smithy-rs does).
fn endpoint_url(raw: &str) -> Result<reqwest::Url, String> {
    let raw = raw.trim();
    // HTTPS unless the user wrote a scheme.
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let mut url = reqwest::Url::parse(&with_scheme)
        .map_err(|e| format!("invalid endpoint URL `{raw}`: {e}"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(format!(
            "invalid endpoint URL `{raw}`: the scheme must be https or http"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("invalid endpoint URL `{raw}`: no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "invalid endpoint URL `{raw}`: user information is not allowed"
        ));
    }
    if url.query().is_some() {
        tracing::warn!(endpoint = raw, "the query of the endpoint URL is ignored");
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{path}/"));
    url.set_query(None);
    url.set_fragment(None);
    // aws-sigv4 parses the URL again with `http`; make sure it can.
    url.as_str()
        .parse::<http::Uri>()
        .map_err(|e| format!("invalid endpoint URL `{raw}`: {e}"))?;
    Ok(url)
}

/// Resolves an endpoint with `params` (the client's built-ins, plus the operation's
/// parameters for a per-call resolution).
fn resolve_endpoint(
    spec: &ServiceSpec,
    rules: &Result<RuleSet, String>,
    params: &crate::endpoint::Params,
) -> Result<Endpoint, String> {
    let rules = rules.as_ref().map_err(Clone::clone)?;
    let endpoint = seams::resolve_endpoint(rules, params)
        .map_err(|e| format!("could not resolve the endpoint: {}", error_chain(&*e)))?;
    let mut headers = Vec::with_capacity(endpoint.headers.len());
    for (name, value) in &endpoint.headers {
        let name = HeaderName::try_from(name.as_str())
            .map_err(|_| format!("the endpoint rules gave an invalid header name `{name}`"))?;
        let value = HeaderValue::try_from(value.as_str())
            .map_err(|_| format!("the endpoint rules gave an invalid value for `{name}`"))?;
        headers.push((name, value));
    }
    Ok(Endpoint {
        url: endpoint_url(&endpoint.url)?,
        headers,
        signing_name: endpoint
            .signing_name
            .unwrap_or_else(|| spec.signing_name.to_owned()),
        signing_region: endpoint.signing_region,
    })
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
            account_id_endpoint_mode: Some(resolved.account_id_endpoint_mode.as_str().to_owned()),
        };
        let rules_use_account_id = rules
            .as_ref()
            .is_ok_and(|r| r.uses_built_in("AWS::Auth::AccountId"));
        let endpoint = match (&resolved.region, &rules) {
            (Ok(_), Ok(r)) => resolve_endpoint(spec, &rules, &r.params_from_builtins(&built_ins)),
            (Err(err), _) | (_, Err(err)) => Err(err.clone()),
        };
        #[cfg(feature = "test-util")]
        let test_client = config.test_http_client.clone().map(Transport::Test);
        #[cfg(not(feature = "test-util"))]
        let test_client = None;
        let http = match (test_client, &config.http_client) {
            (Some(test), _) => Ok(test),
            (None, Some(client)) => Ok(Transport::Reqwest(client.clone())),
            (None, None) => {
                transport::default_client(resolved.connect_timeout, resolved.read_timeout)
                    .map(Transport::Reqwest)
                    .map_err(|e| format!("could not build the HTTP client: {}", error_chain(&*e)))
            }
        };
        let retry_mode = "standard";
        let (user_agent, amz_user_agent) =
            user_agent::user_agents(spec, config.app_name.as_ref(), retry_mode);
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

    /// Calls operation `op` with the serialized input `body`, retrying and timing out as
    /// configured.
    pub async fn invoke<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        body: Vec<u8>,
    ) -> Result<O, SdkError<E>> {
        self.invoke_with(op, body, CallOptions::default()).await
    }

    /// [`invoke`](Self::invoke) with per-call options (host prefix, compression).
    pub async fn invoke_with<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        body: Vec<u8>,
        options: CallOptions,
    ) -> Result<O, SdkError<E>> {
        let span = tracing::debug_span!(
            "invoke",
            service = self.inner.spec.sdk_id,
            operation = op.name
        );
        self.invoke_inner(op, Bytes::from(body), options)
            .instrument(span)
            .await
    }

    async fn invoke_inner<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        body: Bytes,
        options: CallOptions,
    ) -> Result<O, SdkError<E>> {
        let inner = &*self.inner;
        let target = HeaderValue::try_from(format!("{}.{}", inner.spec.target_prefix, op.name))
            .map_err(|_| {
                SdkError::construction_failure(format!(
                    "operation name `{}` is not a valid X-Amz-Target",
                    op.name
                ))
            })?;
        let endpoint = self
            .operation_endpoint(op, &options.endpoint_params)
            .await
            .map_err(SdkError::construction_failure)?;
        let url = match &options.host_prefix {
            Some(prefix) => std::borrow::Cow::Owned(
                call_options::with_host_prefix(&endpoint.url, prefix)
                    .map_err(SdkError::construction_failure)?,
            ),
            None => std::borrow::Cow::Owned(endpoint.url.clone()),
        };
        let prepared = Prepared {
            region: inner
                .region
                .as_ref()
                .map_err(|e| SdkError::construction_failure(e.clone()))?,
            endpoint,
            http: inner
                .http
                .as_ref()
                .map_err(|e| SdkError::construction_failure(e.clone()))?,
            target,
            url,
            gzip: false,
            auth: op.auth,
        };
        let (body, gzip) = call_options::maybe_compress(body, &options);
        let prepared = Prepared { gzip, ..prepared };
        let attempts = AtomicU32::new(0);
        let run = self.run(op, &prepared, body, &attempts);
        match inner.operation_timeout {
            None => run.await,
            Some(limit) => match tokio::time::timeout(limit, run).await {
                Ok(result) => result,
                Err(_) => {
                    let made = attempts.load(Ordering::Relaxed);
                    tracing::debug!(attempts = made, ?limit, "operation timeout fired");
                    Err(SdkError::timeout_error(TimeoutFired {
                        which: "operation",
                        limit: Some(limit),
                        source: None,
                    })
                    .with_attempts(made))
                }
            },
        }
    }

    /// The endpoint of one call: the client's, unless the operation has endpoint
    /// parameters (static or from its input) or the rule set reads the account id of the
    /// credentials; then it is resolved for this call.
    async fn operation_endpoint<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        context_params: &[(&'static str, ParamValue)],
    ) -> Result<std::borrow::Cow<'_, Endpoint>, String> {
        let inner = &*self.inner;
        let per_call = !op.static_endpoint_params.is_empty()
            || !context_params.is_empty()
            || inner.rules_use_account_id;
        if !per_call {
            return inner
                .endpoint
                .as_ref()
                .map(std::borrow::Cow::Borrowed)
                .map_err(Clone::clone);
        }
        if let Err(err) = &inner.region {
            return Err(err.clone());
        }
        let mut built_ins = inner.built_ins.clone();
        if inner.rules_use_account_id && op.auth != AuthMode::None {
            // Cached; a failure here is reported (or tolerated) by the attempt itself.
            if let Ok(credentials) = inner.credentials.get().await {
                built_ins.account_id = credentials.account_id().map(|a| a.as_str().to_owned());
            }
        }
        let rules = inner.rules.as_ref().map_err(Clone::clone)?;
        let params = crate::endpoint::operation_params(
            rules,
            &built_ins,
            op.static_endpoint_params,
            context_params,
        );
        resolve_endpoint(inner.spec, &inner.rules, &params).map(std::borrow::Cow::Owned)
    }

    /// The retry loop.
    async fn run<O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        prepared: &Prepared<'_>,
        body: Bytes,
        attempts: &AtomicU32,
    ) -> Result<O, SdkError<E>> {
        let inner = &*self.inner;
        let invocation_id = HeaderValue::try_from(rng::uuid_v4())
            .map_err(|_| SdkError::construction_failure("invalid invocation id"))?;
        let max = inner.retry.max_attempts().max(1);
        let mut last_retry_cost = None;
        let mut skew_retried = false;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            attempts.store(attempt, Ordering::Relaxed);
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty
            );
            let sent = AttemptInput {
                prepared,
                body: &body,
                attempt,
                max,
                invocation_id: &invocation_id,
            };
            let outcome = self.attempt(sent).instrument(span).await;

            let (kind, failure) = match outcome {
                Outcome::Response { response, .. } if is_success(response.status()) => {
                    inner.bucket.on_success(last_retry_cost);
                    return parse_output(op, &response).map_err(|err| {
                        SdkError::response_error(err, response).with_attempts(attempt)
                    });
                }
                Outcome::Response { response, skew_ms } => {
                    let (mut code, message) =
                        seams::error_code_and_message(response.headers(), response.body());
                    if inner.spec.aws_query_compatible {
                        if let Some((query_code, _fault)) =
                            seams::query_compatible_error(response.headers())
                        {
                            code = Some(query_code.to_owned());
                        }
                    }
                    let kind = retry::classify_modeled(
                        response.status(),
                        code.as_deref(),
                        op.retryable_errors,
                    );
                    if kind == retry::RetryKind::ClockSkew
                        && self.learn_clock_skew(&response, skew_ms)
                        && !skew_retried
                        && attempt < max
                    {
                        skew_retried = true;
                        tracing::debug!(
                            code = code.as_deref().unwrap_or(""),
                            "clock skew detected; retrying with the corrected signing time"
                        );
                        continue;
                    }
                    (
                        kind,
                        Failure::Service {
                            response,
                            code,
                            message,
                        },
                    )
                }
                Outcome::Failed(AttemptError::Construction(err)) => {
                    return Err(SdkError::construction_failure(err));
                }
                Outcome::Failed(AttemptError::Timeout(err)) => {
                    (retry::RetryKind::Timeout, Failure::Timeout(err))
                }
                Outcome::Failed(AttemptError::Dispatch(err)) => {
                    (retry::RetryKind::Io, Failure::Dispatch(err))
                }
                Outcome::Failed(AttemptError::TooLarge { response }) => {
                    let message =
                        format!("the response body is larger than {MAX_RESPONSE_BODY_BYTES} bytes");
                    return Err(SdkError::response_error(message, response).with_attempts(attempt));
                }
            };

            if kind.is_retryable() {
                if attempt >= max {
                    tracing::debug!(attempts = attempt, "no attempts left; returning the error");
                } else if !inner.bucket.try_acquire(kind.cost()) {
                    tracing::warn!(
                        attempts = attempt,
                        tokens = inner.bucket.available(),
                        "retry quota exhausted; not retrying (the service may be unhealthy)"
                    );
                } else {
                    last_retry_cost = Some(kind.cost());
                    let delay = retry::backoff(
                        attempt,
                        inner.retry.initial_backoff(),
                        inner.retry.max_backoff(),
                        inner.config.jitter.next(),
                    );
                    tracing::debug!(?kind, ?delay, "retrying after backoff");
                    inner.config.sleep.sleep(delay).await;
                    continue;
                }
            }
            return Err(failure.into_sdk_error(op).with_attempts(attempt));
        }
    }

    /// Updates the clock offset from a clock-skew error's `Date` header. Returns whether it
    /// moved by more than a minute from the offset the attempt was signed with (so a retry
    /// may help).
    fn learn_clock_skew(&self, response: &HttpResponse, used_ms: i64) -> bool {
        let inner = &*self.inner;
        let Some(server) = response
            .header("date")
            .and_then(|d| {
                aws_smithy_types::DateTime::from_str(
                    d,
                    aws_smithy_types::date_time::Format::HttpDate,
                )
                .ok()
            })
            .and_then(|d| SystemTime::try_from(d).ok())
        else {
            return false;
        };
        let now = inner.config.time_source.now();
        let skew_ms = match server.duration_since(now) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
            Err(behind) => i64::try_from(behind.duration().as_millis())
                .map(|ms| -ms)
                .unwrap_or(i64::MIN),
        };
        inner.clock_skew_ms.store(skew_ms, Ordering::Relaxed);
        tracing::debug!(
            skew_ms,
            "updated the clock offset from the response's Date header"
        );
        skew_ms.abs_diff(used_ms) > 60_000
    }

    /// One attempt: credentials, headers, signature, send, read the whole response.
    async fn attempt(&self, input: AttemptInput<'_>) -> Outcome {
        let inner = &*self.inner;
        let prepared = input.prepared;
        let credentials = match prepared.auth {
            AuthMode::None => None,
            AuthMode::SigV4 => match inner.credentials.get().await {
                Ok(credentials) => Some(credentials),
                Err(err) => return Outcome::Failed(AttemptError::Construction(Box::new(err))),
            },
            AuthMode::Optional => match inner.credentials.get().await {
                Ok(credentials) => Some(credentials),
                Err(err) => {
                    tracing::debug!(
                        error = %error_chain(&err),
                        "no credentials; sending the optional-auth request unsigned"
                    );
                    None
                }
            },
        };
        let skew_ms = inner.clock_skew_ms.load(Ordering::Relaxed);
        let signing_time = offset(inner.config.time_source.now(), skew_ms);

        let mut headers = http::HeaderMap::with_capacity(12);
        headers.insert(CONTENT_TYPE, inner.content_type.clone());
        headers.insert("x-amz-target", prepared.target.clone());
        headers.insert(CONTENT_LENGTH, HeaderValue::from(input.body.len()));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert("x-amz-user-agent", inner.amz_user_agent.clone());
        headers.insert("amz-sdk-invocation-id", input.invocation_id.clone());
        let request_info = format!("attempt={}; max={}", input.attempt, input.max);
        match HeaderValue::try_from(request_info) {
            Ok(value) => {
                headers.insert("amz-sdk-request", value);
            }
            Err(err) => return Outcome::Failed(AttemptError::Construction(Box::new(err))),
        }
        for (name, value) in &prepared.endpoint.headers {
            headers.append(name.clone(), value.clone());
        }
        if prepared.gzip {
            headers.append(
                http::header::CONTENT_ENCODING,
                HeaderValue::from_static("gzip"),
            );
        }
        let scope = sign::SigningScope {
            region: prepared
                .endpoint
                .signing_region
                .as_deref()
                .unwrap_or(prepared.region.as_ref()),
            name: &prepared.endpoint.signing_name,
            time: signing_time,
        };
        if let Some(credentials) = credentials {
            if let Err(err) = sign::sign_request(
                &mut headers,
                prepared.url.as_str(),
                input.body,
                credentials,
                &scope,
            ) {
                return Outcome::Failed(AttemptError::Construction(
                    format!("could not sign the request: {}", error_chain(&*err)).into(),
                ));
            }
        }

        let exchange = async {
            match prepared.http {
                Transport::Reqwest(client) => {
                    let request = client
                        .post(prepared.url.as_ref().clone())
                        .headers(headers)
                        .body(input.body.clone());
                    let failed = |err: reqwest::Error| {
                        tracing::debug!(error = %error_chain(&err), "attempt failed");
                        self.classify_transport(err)
                    };
                    let mut response = request.send().await.map_err(failed)?;
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    // A hostile or broken peer must not make us buffer without bound.
                    let too_large = |headers| AttemptError::TooLarge {
                        response: HttpResponse::new(status, headers, Bytes::new()),
                    };
                    if response
                        .content_length()
                        .is_some_and(|n| n > MAX_RESPONSE_BODY_BYTES as u64)
                    {
                        return Err(too_large(headers));
                    }
                    let mut body = Vec::new();
                    while let Some(chunk) = response.chunk().await.map_err(failed)? {
                        if body.len() + chunk.len() > MAX_RESPONSE_BODY_BYTES {
                            return Err(too_large(headers));
                        }
                        body.extend_from_slice(&chunk);
                    }
                    Ok(HttpResponse::new(status, headers, body))
                }
                #[cfg(feature = "test-util")]
                Transport::Test(client) => {
                    let request = test_util::CapturedRequest::new(
                        http::Method::POST,
                        prepared.url.to_string(),
                        headers,
                        input.body.clone(),
                    );
                    client.0.call(request).map_err(|err| {
                        tracing::debug!(error = %error_chain(&*err), "attempt failed");
                        AttemptError::Dispatch(TransportError::other(err))
                    })
                }
            }
        };
        let result = match inner.attempt_timeout {
            None => exchange.await,
            Some(limit) => match tokio::time::timeout(limit, exchange).await {
                Ok(result) => result,
                Err(_) => {
                    tracing::debug!(?limit, "attempt timeout fired");
                    return Outcome::Failed(AttemptError::Timeout(TimeoutFired {
                        which: "operation attempt",
                        limit: Some(limit),
                        source: None,
                    }));
                }
            },
        };
        match result {
            Ok(response) => {
                let span = tracing::Span::current();
                span.record("status", response.status());
                if let Some(id) = response.request_id() {
                    span.record("request_id", id);
                }
                tracing::debug!("response received");
                Outcome::Response { response, skew_ms }
            }
            Err(err) => Outcome::Failed(err),
        }
    }

    /// Sorts a reqwest error into construction / timeout / dispatch.
    fn classify_transport(&self, err: reqwest::Error) -> AttemptError {
        let inner = &*self.inner;
        if err.is_builder() {
            return AttemptError::Construction(Box::new(err));
        }
        // A user-supplied client's timeouts are unknown to us (limit `None`).
        let own_client = inner.config.http_client.is_none();
        if err.is_timeout() {
            let (which, limit) = if err.is_connect() {
                ("connect", inner.connect_timeout)
            } else {
                ("read", inner.read_timeout)
            };
            return AttemptError::Timeout(TimeoutFired {
                which,
                limit: limit.filter(|_| own_client),
                source: Some(Box::new(TransportError::new(err))),
            });
        }
        AttemptError::Dispatch(TransportError::new(err))
    }
}

/// Whether an HTTP status is a success.
fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The latest time aws-sigv4 can format (9999-12-31T23:59:59Z); later times make its date
/// formatting panic.
const MAX_SIGNING_SECS: u64 = 253_402_300_799;

/// `time` shifted by `offset_ms`, kept within 1970..=9999 so that neither a strange clock
/// nor a hostile `Date` header can make signing fail.
fn offset(time: SystemTime, offset_ms: i64) -> SystemTime {
    let delta = Duration::from_millis(offset_ms.unsigned_abs());
    let shifted = if offset_ms >= 0 {
        time.checked_add(delta)
    } else {
        time.checked_sub(delta)
    }
    .unwrap_or(time);
    let min = SystemTime::UNIX_EPOCH;
    let max = SystemTime::UNIX_EPOCH + Duration::from_secs(MAX_SIGNING_SECS);
    shifted.clamp(min, max)
}

/// Runs `parse_output` on a 2xx response; an empty body is read as `{}`.
fn parse_output<O, E>(
    op: &'static OperationSpec<O, E>,
    response: &HttpResponse,
) -> Result<O, DeserializeError> {
    if response.body().is_empty() {
        let empty_object = HttpResponse::new(
            response.status(),
            response.headers().clone(),
            Bytes::from_static(b"{}"),
        );
        (op.parse_output)(&empty_object)
    } else {
        (op.parse_output)(response)
    }
}

/// What every attempt of a call shares.
struct Prepared<'a> {
    region: &'a Region,
    endpoint: std::borrow::Cow<'a, Endpoint>,
    http: &'a Transport,
    target: HeaderValue,
    /// The endpoint URL, with the operation's host prefix if it has one.
    url: std::borrow::Cow<'a, reqwest::Url>,
    /// Whether the body is gzipped (`Content-Encoding: gzip`).
    gzip: bool,
    /// How the operation is authenticated.
    auth: AuthMode,
}

/// The inputs of one attempt.
struct AttemptInput<'a> {
    prepared: &'a Prepared<'a>,
    body: &'a Bytes,
    attempt: u32,
    max: u32,
    invocation_id: &'a HeaderValue,
}

/// What one attempt produced.
enum Outcome {
    /// A complete response (any status), and the clock offset it was signed with.
    Response {
        response: HttpResponse,
        skew_ms: i64,
    },
    /// No response.
    Failed(AttemptError),
}

/// Why an attempt produced no response.
enum AttemptError {
    /// Could not build or sign the request: not retried.
    Construction(BoxError),
    /// A timeout fired.
    Timeout(TimeoutFired),
    /// I/O failure.
    Dispatch(TransportError),
    /// The response body is larger than [`MAX_RESPONSE_BODY_BYTES`]: not retried.
    TooLarge {
        /// Status and headers; the body is not kept.
        response: HttpResponse,
    },
}

/// The largest response body a call accepts (64 MiB); Lightsail's largest responses are a
/// few MB. Larger bodies end the call with a `ResponseError` instead of exhausting memory.
pub const MAX_RESPONSE_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The failure of a final attempt, turned into an `SdkError` only when it is final.
enum Failure {
    Service {
        response: HttpResponse,
        code: Option<String>,
        message: Option<String>,
    },
    Timeout(TimeoutFired),
    Dispatch(TransportError),
}

impl Failure {
    fn into_sdk_error<O, E>(self, op: &'static OperationSpec<O, E>) -> SdkError<E> {
        match self {
            Failure::Service {
                response,
                code,
                message,
            } => {
                let mut meta = ErrorMetadata::builder().status(response.status());
                if let Some(code) = code {
                    meta = meta.code(code);
                }
                if let Some(message) = message {
                    meta = meta.message(message);
                }
                if let Some(id) = response.request_id() {
                    meta = meta.request_id(id);
                }
                let err = (op.parse_error)(&response, meta.build());
                SdkError::service_error(err, response)
            }
            Failure::Timeout(err) => SdkError::timeout_error(err),
            Failure::Dispatch(err) => SdkError::dispatch_failure(err),
        }
    }
}

/// A timeout that fired: which one and its limit.
#[derive(Debug)]
struct TimeoutFired {
    /// `operation`, `operation attempt`, `connect` or `read`.
    which: &'static str,
    /// The configured limit, when known.
    limit: Option<Duration>,
    source: Option<BoxError>,
}

impl fmt::Display for TimeoutFired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.limit {
            Some(limit) => write!(f, "{} timeout of {limit:?} elapsed", self.which),
            None => write!(f, "{} timeout of the HTTP client elapsed", self.which),
        }
    }
}

impl std::error::Error for TimeoutFired {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An I/O failure, with reqwest's error chain in the message (its top-level message alone
/// is only "error sending request").
#[derive(Debug)]
struct TransportError {
    message: String,
    source: BoxError,
}

impl TransportError {
    fn new(source: reqwest::Error) -> Self {
        TransportError {
            message: error_chain(&source),
            source: Box::new(source),
        }
    }

    /// The failure of a test transport.
    #[cfg(feature = "test-util")]
    fn other(source: BoxError) -> Self {
        TransportError {
            message: error_chain(&*source),
            source,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls() {
        let url = |s: &str| endpoint_url(s).map(|u| u.to_string());
        assert_eq!(
            url("lightsail.us-east-1.amazonaws.com").as_deref(),
            Ok("https://lightsail.us-east-1.amazonaws.com/")
        );
        assert_eq!(
            url("http://127.0.0.1:4566").as_deref(),
            Ok("http://127.0.0.1:4566/")
        );
        assert_eq!(
            url("https://proxy.example/prefix/?x=1#f").as_deref(),
            Ok("https://proxy.example/prefix/")
        );
        assert_eq!(
            url("https://proxy.example/a/b").as_deref(),
            Ok("https://proxy.example/a/b/")
        );
        assert_eq!(url("https://h:443").as_deref(), Ok("https://h/"));
        assert!(url("ftp://h").is_err());
        assert!(url("https://user:pw@h").is_err());
        assert!(url("").is_err());
        assert!(url("https://").is_err());
        assert!(url("http://[::1").is_err());
    }

    #[test]
    fn clock_offset_saturates() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(10);
        assert_eq!(offset(t, 1000), t + Duration::from_secs(1));
        assert_eq!(offset(t, -1000), t - Duration::from_secs(1));
        assert_eq!(offset(t, i64::MIN), SystemTime::UNIX_EPOCH);
        assert_eq!(
            offset(t, i64::MAX),
            SystemTime::UNIX_EPOCH + Duration::from_secs(MAX_SIGNING_SECS)
        );
        let before_epoch = SystemTime::UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(offset(before_epoch, 0), SystemTime::UNIX_EPOCH);
    }

    proptest::proptest! {
        #[test]
        fn endpoint_url_never_panics(raw in "(?s).{0,100}") {
            if let Ok(url) = endpoint_url(&raw) {
                proptest::prop_assert!(url.path().ends_with('/'));
                proptest::prop_assert!(url.as_str().parse::<http::Uri>().is_ok());
            }
        }
    }
}
