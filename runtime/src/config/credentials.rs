//! Credentials: the small default chain (environment, then static keys in the profile
//! files) and the per-client cache that refreshes credentials before they expire.

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;

use super::profile::Loaded;
use super::{Env, TimeSource};
use crate::error::BoxError;

/// Credentials are refreshed this long before they expire, so a request is never signed
/// with credentials that expire while it is in flight (the aws-sdk-rust identity cache
/// uses the same buffer).
pub(crate) const REFRESH_BUFFER: Duration = Duration::from_secs(300);

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
                    "profile `{}` in the {files} (it uses {}, which this runtime's default chain \
                     does not support)",
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
         assume-role or credential_process use aws-config's default provider)",
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

/// The per-client credentials cache.
///
/// The lock is held while a provider loads, so concurrent calls wait for one refresh
/// instead of each calling the provider (single flight).
pub(crate) struct Cache {
    source: Source,
    cached: tokio::sync::Mutex<Option<Credentials>>,
    time: TimeSource,
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Whether `credentials` can still be used at `now` without a refresh.
fn fresh(credentials: &Credentials, now: SystemTime) -> bool {
    match credentials.expiry() {
        None => true,
        Some(expiry) => expiry
            .duration_since(now)
            .map(|left| left > REFRESH_BUFFER)
            .unwrap_or(false),
    }
}

/// Whether `credentials` have not expired yet at `now` (may be within the buffer).
fn unexpired(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expiry().is_none_or(|expiry| expiry > now)
}

impl Cache {
    /// Creates a cache over `source`, using `time` to judge expiry.
    pub(crate) fn new(source: Source, time: TimeSource) -> Self {
        Cache {
            source,
            cached: tokio::sync::Mutex::new(None),
            time,
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
        let mut cached = self.cached.lock().await;
        let now = self.time.now();
        if let Some(credentials) = cached.as_ref().filter(|c| fresh(c, now)) {
            return Ok(credentials.clone());
        }
        tracing::debug!("loading credentials from the configured provider");
        match provider.provide_credentials().await {
            Ok(credentials) => {
                *cached = Some(credentials.clone());
                Ok(credentials)
            }
            Err(err) => {
                // A failed refresh within the buffer still leaves usable credentials.
                if let Some(credentials) = cached.as_ref().filter(|c| unexpired(c, now)) {
                    tracing::warn!(
                        error = %error_chain(&err),
                        "credentials refresh failed; using the cached credentials until they expire"
                    );
                    return Ok(credentials.clone());
                }
                Err(CredentialsUnavailable {
                    message: format!(
                        "the credentials provider failed to load credentials: {}",
                        error_chain(&err)
                    ),
                    source: Some(Box::new(err)),
                })
            }
        }
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

    #[tokio::test]
    async fn refreshes_within_five_minutes_of_expiry() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let now = Arc::new(std::sync::Mutex::new(start));
        let clock = {
            let now = now.clone();
            TimeSource::from_fn(move || *now.lock().unwrap_or_else(|e| e.into_inner()))
        };
        let calls = Arc::new(AtomicU32::new(0));
        let provider = Counting {
            calls: calls.clone(),
            expiry: start + Duration::from_secs(3600),
        };
        let cache = Cache::new(
            Source::Provider(SharedCredentialsProvider::new(provider)),
            clock,
        );
        let first = cache.get().await.expect("credentials");
        assert_eq!(first.access_key_id(), "AKID0");
        let again = cache.get().await.expect("credentials");
        assert_eq!(again.access_key_id(), "AKID0");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // 56 minutes later: 4 minutes left, inside the 5 minute buffer -> refresh.
        *now.lock().unwrap_or_else(|e| e.into_inner()) = start + Duration::from_secs(56 * 60);
        let refreshed = cache.get().await.expect("credentials");
        assert_eq!(refreshed.access_key_id(), "AKID1");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
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
