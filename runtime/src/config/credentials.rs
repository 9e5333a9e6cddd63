//! Credentials: the client's small built-in chain (environment, then static keys in the profile
//! files; the full chain is the config loader's, `crate::loader`) and the per-client cache
//! that refreshes credentials before they expire.

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;

use super::profile::Loaded;
use super::{Env, TimeSource};
use crate::error::BoxError;

/// Credentials are refreshed this long before they expire (less a jitter of up to half of
/// it), so a request is never signed with credentials that expire while it is in flight; the
/// aws-sdk-rust identity cache uses the same buffer and jitter.
pub(crate) const REFRESH_BUFFER: Duration = Duration::from_secs(10);

/// Profile properties that name credential sources this chain does not implement.
const UNSUPPORTED_PROFILE_KEYS: &[&str] = &[
    "role_arn",
    "sso_session",
    "sso_start_url",
    "credential_process",
    "web_identity_token_file",
    "credential_source",
    "login_session",
];

/// Where a client's credentials come from.
pub(crate) enum Source {
    /// A provider given by the user (static credentials, or any aws-config provider).
    Provider(SharedCredentialsProvider),
    /// Static keys found by the default chain; `origin` says where, for logs.
    Static {
        credentials: Credentials,
        origin: String,
    },
    /// Nothing found; the message names everything that was tried.
    Missing(String),
}

impl fmt::Debug for Source {
    // Never print keys; aws_credential_types::Credentials redacts, but a provider's Debug
    // is the user's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Provider(_) => f.write_str("Provider"),
            Source::Static { origin, .. } => write!(f, "Static({origin})"),
            Source::Missing(_) => f.write_str("Missing"),
        }
    }
}

/// The default chain: environment variables, then static keys of the selected profile.
pub(crate) fn default_chain(env: &Env, load_profiles: &mut dyn FnMut() -> Loaded) -> Source {
    let mut tried = Vec::new();

    let access_key = env.get("AWS_ACCESS_KEY_ID");
    let secret_key = env.get("AWS_SECRET_ACCESS_KEY");
    match (access_key, secret_key) {
        (Some(access_key), Some(secret_key)) => {
            let token = env.get("AWS_SESSION_TOKEN");
            return Source::Static {
                credentials: Credentials::new(
                    access_key.trim(),
                    secret_key.trim(),
                    token.map(|t| t.trim().to_owned()),
                    None,
                    "Environment",
                ),
                origin: "environment variables".to_owned(),
            };
        }
        (Some(_), None) => tried.push(
            "environment variables (AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not)"
                .to_owned(),
        ),
        (None, Some(_)) => tried.push(
            "environment variables (AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not)"
                .to_owned(),
        ),
        (None, None) => tried.push(
            "environment variables (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY not set)".to_owned(),
        ),
    }

    let loaded = load_profiles();
    let files = format!(
        "shared credentials file {} and config file {}",
        loaded.credentials_path_display(),
        loaded.config_path_display()
    );
    match (
        loaded.get("aws_access_key_id"),
        loaded.get("aws_secret_access_key"),
    ) {
        (Some(access_key), Some(secret_key)) => {
            return Source::Static {
                credentials: Credentials::new(
                    access_key,
                    secret_key,
                    loaded.get("aws_session_token").map(str::to_owned),
                    None,
                    "ProfileFile",
                ),
                origin: format!("profile `{}`", loaded.profile_name),
            };
        }
        _ if !loaded.found => tried.push(format!(
            "profile `{}` (not found in the {files})",
            loaded.profile_name
        )),
        _ => {
            let unsupported: Vec<&str> = UNSUPPORTED_PROFILE_KEYS
                .iter()
                .copied()
                .filter(|k| loaded.get(k).is_some())
                .collect();
            if unsupported.is_empty() {
                tried.push(format!(
                    "profile `{}` in the {files} (no aws_access_key_id / aws_secret_access_key)",
                    loaded.profile_name
                ));
            } else {
                tried.push(format!(
                    "profile `{}` in the {files} (it uses {}, which only the config loader's \
                     default chain supports)",
                    loaded.profile_name,
                    unsupported.join(", ")
                ));
            }
        }
    }

    Source::Missing(format!(
        "no credentials found; tried: {}. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, put \
         static keys in the profile, or pass a provider with \
         `Config::builder().credentials_provider(..)` (for SSO, IMDS/ECS, web identity, \
         assume-role or credential_process load the configuration with the config loader, \
         `load_defaults(BehaviorVersion::latest())`, or aws-config)",
        tried.join("; ")
    ))
}

/// Why credentials could not be loaded; becomes the source of a `ConstructionFailure`.
#[derive(Debug)]
pub(crate) struct CredentialsUnavailable {
    message: String,
    source: Option<BoxError>,
}

impl fmt::Display for CredentialsUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsUnavailable {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Joins an error and its sources into one line: provider errors keep the useful part
/// ("profile file not found") in their sources.
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut next = err.source();
    while let Some(source) = next {
        let text = source.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = source.source();
    }
    out
}

/// How long one credentials load may take, and how long a call waits behind another call's
/// load, before failing (aws-sdk-rust's lazy identity cache: 5 s).
pub(crate) const LOAD_TIMEOUT: Duration = Duration::from_secs(5);
/// Lifetime given to credentials without an expiry before they are loaded again
/// (aws-sdk-rust: 15 minutes).
pub(crate) const DEFAULT_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Cached credentials with the times that matter.
#[derive(Clone)]
struct Entry {
    credentials: Credentials,
    /// Never used at or after this time.
    expires_at: SystemTime,
    /// Loaded again from this time on (ahead of expiry, with jitter).
    refresh_at: SystemTime,
}

/// The per-client credentials cache, with aws-sdk-rust's identity-cache semantics:
///
/// * one load at a time: the lock is held while a provider loads, so concurrent calls wait
///   for one refresh (single flight); a load is cut off after [`LOAD_TIMEOUT`], and a call
///   that waits that long behind another call's load fails with an error saying so;
/// * refresh ahead of expiry: [`REFRESH_BUFFER`] before it, shortened by a random jitter of
///   up to half the buffer so clients sharing credentials do not refresh at once;
/// * credentials without an expiry are kept for [`DEFAULT_LIFETIME`];
/// * expired credentials are never used. Deliberate difference: when a refresh fails (or
///   times out) while the cached credentials have not expired yet, they are used until they
///   do (aws-sdk-rust fails the call instead).
pub(crate) struct Cache {
    source: Source,
    cached: tokio::sync::Mutex<Option<Entry>>,
    time: TimeSource,
    load_timeout: Duration,
    jitter: fn() -> f64,
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// Creates a cache over `source`, using `time` to judge expiry.
    pub(crate) fn new(source: Source, time: TimeSource) -> Self {
        Cache {
            source,
            cached: tokio::sync::Mutex::new(None),
            time,
            load_timeout: LOAD_TIMEOUT,
            jitter: crate::client::rng::next_f64,
        }
    }

    #[cfg(test)]
    fn with_timing(mut self, load_timeout: Duration, jitter: fn() -> f64) -> Self {
        self.load_timeout = load_timeout;
        self.jitter = jitter;
        self
    }

    fn entry(&self, credentials: Credentials, now: SystemTime) -> Entry {
        let expires_at = credentials.expiry().unwrap_or(now + DEFAULT_LIFETIME);
        let jitter = REFRESH_BUFFER.mul_f64((self.jitter)().clamp(0.0, 1.0) * 0.5);
        let refresh_at = expires_at
            .checked_sub(REFRESH_BUFFER)
            .map(|t| t + jitter)
            .unwrap_or(expires_at);
        Entry {
            credentials,
            expires_at,
            refresh_at,
        }
    }

    /// Credentials to sign the next attempt with.
    pub(crate) async fn get(&self) -> Result<Credentials, CredentialsUnavailable> {
        let provider = match &self.source {
            Source::Missing(message) => {
                return Err(CredentialsUnavailable {
                    message: message.clone(),
                    source: None,
                })
            }
            Source::Static { credentials, .. } => return Ok(credentials.clone()),
            Source::Provider(provider) => provider,
        };
        let Ok(mut cached) = tokio::time::timeout(self.load_timeout, self.cached.lock()).await
        else {
            return Err(CredentialsUnavailable {
                message: format!(
                    "timed out after {:?} waiting for another call's credentials load",
                    self.load_timeout
                ),
                source: None,
            });
        };
        let now = self.time.now();
        if let Some(entry) = cached.as_ref().filter(|e| e.refresh_at > now) {
            return Ok(entry.credentials.clone());
        }
        tracing::debug!("loading credentials from the configured provider");
        let failure =
            match tokio::time::timeout(self.load_timeout, provider.provide_credentials()).await {
                Ok(Ok(credentials)) => {
                    let entry = self.entry(credentials, now);
                    if entry.expires_at <= now {
                        format!(
                            "the credentials provider returned credentials that have already \
                         expired (at {})",
                            aws_smithy_types::DateTime::from(entry.expires_at)
                        )
                    } else {
                        let credentials = entry.credentials.clone();
                        *cached = Some(entry);
                        return Ok(credentials);
                    }
                }
                Ok(Err(err)) => format!(
                    "the credentials provider failed to load credentials: {}",
                    error_chain(&err)
                ),
                Err(_) => format!(
                    "the credentials provider did not answer within {:?}",
                    self.load_timeout
                ),
            };
        // A failed refresh ahead of expiry still leaves usable credentials.
        if let Some(entry) = cached.as_ref().filter(|e| e.expires_at > now) {
            tracing::warn!(
                error = %failure,
                "credentials refresh failed; using the cached credentials until they expire"
            );
            return Ok(entry.credentials.clone());
        }
        *cached = None;
        Err(CredentialsUnavailable {
            message: failure,
            source: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    #[derive(Debug)]
    struct Counting {
        calls: Arc<AtomicU32>,
        expiry: SystemTime,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            aws_credential_types::provider::future::ProvideCredentials::ready(Ok(Credentials::new(
                format!("AKID{n}"),
                "secret",
                None,
                Some(self.expiry),
                "test",
            )))
        }
    }

    fn manual_clock(start: SystemTime) -> (Arc<std::sync::Mutex<SystemTime>>, TimeSource) {
        let now = Arc::new(std::sync::Mutex::new(start));
        let clock = {
            let now = now.clone();
            TimeSource::from_fn(move || *now.lock().unwrap_or_else(|e| e.into_inner()))
        };
        (now, clock)
    }

    fn counting(expiry: SystemTime) -> (Arc<AtomicU32>, Source) {
        let calls = Arc::new(AtomicU32::new(0));
        let provider = Counting {
            calls: calls.clone(),
            expiry,
        };
        (
            calls,
            Source::Provider(SharedCredentialsProvider::new(provider)),
        )
    }

    #[tokio::test]
    async fn refreshes_ahead_of_expiry_with_jitter() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let (now, clock) = manual_clock(start);
        let (calls, source) = counting(start + Duration::from_secs(3600));
        // Jitter at its maximum: refresh 10 s - 5 s = 5 s before expiry.
        let cache = Cache::new(source, clock).with_timing(LOAD_TIMEOUT, || 1.0);
        assert_eq!(
            cache.get().await.expect("credentials").access_key_id(),
            "AKID0"
        );
        assert_eq!(
            cache.get().await.expect("credentials").access_key_id(),
            "AKID0"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        *now.lock().unwrap_or_else(|e| e.into_inner()) = start + Duration::from_secs(3594);
        assert_eq!(
            cache.get().await.expect("credentials").access_key_id(),
            "AKID0"
        );
        *now.lock().unwrap_or_else(|e| e.into_inner()) = start + Duration::from_secs(3596);
        assert_eq!(
            cache.get().await.expect("credentials").access_key_id(),
            "AKID1"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn credentials_without_expiry_live_fifteen_minutes() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let (now, clock) = manual_clock(start);
        #[derive(Debug)]
        struct NoExpiry(Arc<AtomicU32>);
        impl ProvideCredentials for NoExpiry {
            fn provide_credentials<'a>(
                &'a self,
            ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
            where
                Self: 'a,
            {
                let n = self.0.fetch_add(1, Ordering::SeqCst);
                aws_credential_types::provider::future::ProvideCredentials::ready(Ok(
                    Credentials::new(format!("AKID{n}"), "s", None, None, "test"),
                ))
            }
        }
        let calls = Arc::new(AtomicU32::new(0));
        let source = Source::Provider(SharedCredentialsProvider::new(NoExpiry(calls.clone())));
        let cache = Cache::new(source, clock).with_timing(LOAD_TIMEOUT, || 0.0);
        cache.get().await.expect("credentials");
        *now.lock().unwrap_or_else(|e| e.into_inner()) = start + Duration::from_secs(14 * 60);
        cache.get().await.expect("credentials");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        *now.lock().unwrap_or_else(|e| e.into_inner()) = start + Duration::from_secs(15 * 60);
        assert_eq!(
            cache.get().await.expect("credentials").access_key_id(),
            "AKID1"
        );
    }

    #[tokio::test]
    async fn expired_credentials_are_never_used() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let (_now, clock) = manual_clock(start);
        let (_calls, source) = counting(start - Duration::from_secs(1));
        let cache = Cache::new(source, clock);
        let err = cache.get().await.expect_err("expired");
        assert!(err.to_string().contains("already expired"), "{err}");
    }

    #[derive(Debug)]
    struct Hangs;
    impl ProvideCredentials for Hangs {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            aws_credential_types::provider::future::ProvideCredentials::new(async {
                std::future::pending::<()>().await;
                unreachable!("pending never resolves")
            })
        }
    }

    #[tokio::test]
    async fn a_hanging_load_times_out_for_the_loader_and_the_waiters() {
        let cache = Arc::new(
            Cache::new(
                Source::Provider(SharedCredentialsProvider::new(Hangs)),
                TimeSource::system(),
            )
            .with_timing(Duration::from_millis(200), || 0.0),
        );
        let first = {
            let cache = cache.clone();
            tokio::spawn(async move { cache.get().await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        let started = std::time::Instant::now();
        let waiter = cache.get().await.expect_err("waiter times out");
        assert!(started.elapsed() < Duration::from_secs(2));
        let loader = first.await.expect("join").expect_err("loader times out");
        assert!(
            loader.to_string().contains("did not answer within"),
            "{loader}"
        );
        // The waiter either timed out waiting or, having got the lock, its own load did.
        let text = waiter.to_string();
        assert!(
            text.contains("waiting for another call") || text.contains("did not answer"),
            "{text}"
        );
    }

    #[test]
    fn missing_names_what_was_tried() {
        let env = Env::from_vars([("HOME", "/nonexistent-home-for-test")]);
        let Source::Missing(message) =
            default_chain(&env, &mut || super::super::profile::load(&env))
        else {
            panic!("expected missing credentials");
        };
        assert!(message.contains("AWS_ACCESS_KEY_ID"), "{message}");
        assert!(message.contains("profile `default`"), "{message}");
        assert!(
            message.contains("/nonexistent-home-for-test/.aws/credentials"),
            "{message}"
        );
    }
}
