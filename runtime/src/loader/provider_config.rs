//! What every provider needs: the seams (environment, file system, HTTP client, clock, sleep,
//! host-name resolution)
//! and the settings resolved before credentials (region, profile selection, FIPS/dual-stack).
//!
//! Tests build a [`ProviderConfig`] over an in-memory [`Fs`], a fixed [`Env`], a replay HTTP
//! client and a fixed clock; production uses [`ProviderConfig::default`] (process
//! environment, real disk, reqwest, system clock).

use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_types::region::Region;

use super::http::{
    HttpError, HttpErrorKind, HttpFuture, HttpRequest, ProviderHttpClient, RequestSettings,
    ReqwestProviderClient, SharedProviderHttpClient,
};
use super::profile::{ProfileFileError, ProfileFiles};
use crate::config::profile::{Os, ProfileSet};
use crate::config::{Env, TimeSource};

pub use crate::config::profile::Fs;

/// An async sleep, so retries and refresh delays can be skipped in tests.
pub type Sleep = Arc<dyn Fn(Duration) -> crate::config::SleepFuture + Send + Sync>;

/// What resolving a host name yields.
pub type ResolveFuture = Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;

/// Host-name resolution (the system resolver by default), for the container provider's
/// "resolves only to loopback" rule; tests give a fixed table.
pub type Resolve = Arc<dyn Fn(String) -> ResolveFuture + Send + Sync>;

fn system_resolve() -> Resolve {
    Arc::new(|host| {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    })
}

/// Everything a provider reads from the outside world.
#[derive(Clone)]
pub struct ProviderConfig {
    pub(crate) env: Env,
    pub(crate) fs: Fs,
    pub(crate) os: Os,
    pub(crate) http: SharedProviderHttpClient,
    pub(crate) time: TimeSource,
    pub(crate) sleep: Sleep,
    pub(crate) resolve: Resolve,
    pub(crate) region: Option<Region>,
    pub(crate) use_fips: Option<bool>,
    pub(crate) use_dual_stack: Option<bool>,
    pub(crate) profile_name: Option<String>,
    pub(crate) profile_files: ProfileFiles,
    profiles: Arc<OnceLock<Result<ProfileSet, ProfileFileError>>>,
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("env", &self.env)
            .field("fs", &self.fs)
            .field("http", &self.http)
            .field("region", &self.region)
            .field("profile_name", &self.profile_name)
            .finish_non_exhaustive()
    }
}

/// A client that only reports that it could not be built (the TLS setup failed).
#[derive(Debug)]
struct Unavailable(String);

impl ProviderHttpClient for Unavailable {
    fn send<'a>(&'a self, _: HttpRequest, _: RequestSettings) -> HttpFuture<'a> {
        let message = self.0.clone();
        Box::pin(async move { Err(HttpError::new(HttpErrorKind::Other, message)) })
    }
}

fn default_http() -> SharedProviderHttpClient {
    static CLIENT: OnceLock<SharedProviderHttpClient> = OnceLock::new();
    CLIENT
        .get_or_init(|| match ReqwestProviderClient::new() {
            Ok(client) => Arc::new(client),
            Err(e) => Arc::new(Unavailable(format!("could not build the HTTP client: {e}"))),
        })
        .clone()
}

fn tokio_sleep() -> Sleep {
    Arc::new(|d| Box::pin(tokio::time::sleep(d)))
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            env: Env::real(),
            fs: Fs::real(),
            os: Os::current(),
            http: default_http(),
            time: TimeSource::system(),
            sleep: tokio_sleep(),
            resolve: system_resolve(),
            region: None,
            use_fips: None,
            use_dual_stack: None,
            profile_name: None,
            profile_files: ProfileFiles::default(),
            profiles: Arc::default(),
        }
    }
}

impl ProviderConfig {
    /// Production seams: process environment, real disk, reqwest, system clock.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fixed seams for tests: nothing from the process, an HTTP client given by the caller.
    pub fn for_tests(env: Env, fs: Fs, http: SharedProviderHttpClient) -> Self {
        ProviderConfig {
            env,
            fs,
            os: Os::Unix,
            http,
            ..Self::default()
        }
    }

    fn reset_profiles(mut self) -> Self {
        self.profiles = Arc::default();
        self
    }

    /// Replaces the environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self.reset_profiles()
    }

    /// Replaces the file system.
    pub fn with_fs(mut self, fs: Fs) -> Self {
        self.fs = fs;
        self.reset_profiles()
    }

    /// Replaces the HTTP client.
    pub fn with_http_client(mut self, http: SharedProviderHttpClient) -> Self {
        self.http = http;
        self
    }

    /// Replaces the clock.
    pub fn with_time_source(mut self, time: TimeSource) -> Self {
        self.time = time;
        self
    }

    /// Replaces host-name resolution (used for `AWS_CONTAINER_CREDENTIALS_FULL_URI` host names
    /// over plain HTTP, which must resolve to loopback addresses only).
    pub fn with_resolver(mut self, resolve: Resolve) -> Self {
        self.resolve = resolve;
        self
    }

    /// Replaces the sleep used between retries.
    pub fn with_sleep(mut self, sleep: Sleep) -> Self {
        self.sleep = sleep;
        self
    }

    /// Sets the region used by STS and SSO calls.
    pub fn with_region(mut self, region: Option<Region>) -> Self {
        self.region = region;
        self
    }

    /// Sets FIPS / dual-stack for STS and SSO calls.
    pub fn with_fips_dual_stack(
        mut self,
        use_fips: Option<bool>,
        use_dual_stack: Option<bool>,
    ) -> Self {
        self.use_fips = use_fips;
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// Selects a profile instead of `AWS_PROFILE`.
    pub fn with_profile_name(mut self, name: Option<String>) -> Self {
        self.profile_name = name;
        self.reset_profiles()
    }

    /// Uses these profile files instead of the default locations.
    pub fn with_profile_files(mut self, files: ProfileFiles) -> Self {
        self.profile_files = files;
        self.reset_profiles()
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The file system.
    pub fn fs(&self) -> &Fs {
        &self.fs
    }

    /// The clock.
    pub fn time_source(&self) -> &TimeSource {
        &self.time
    }

    /// The region, if one was resolved.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The profile files, read and parsed once per config (shared by clones).
    pub fn profile_set(&self) -> Result<&ProfileSet, &ProfileFileError> {
        self.profiles
            .get_or_init(|| {
                super::profile::load(
                    &self.fs,
                    &self.env,
                    self.os,
                    &self.profile_files,
                    self.profile_name.as_deref(),
                )
            })
            .as_ref()
    }

    /// FIPS: the explicit setting, else `AWS_USE_FIPS_ENDPOINT`, else the profile.
    pub(crate) fn use_fips(&self) -> bool {
        self.use_fips
            .or_else(|| {
                super::settings::bool_setting(self, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
            })
            .unwrap_or(false)
    }

    /// Dual-stack: the explicit setting, else `AWS_USE_DUALSTACK_ENDPOINT`, else the profile.
    pub(crate) fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
            .or_else(|| {
                super::settings::bool_setting(
                    self,
                    "AWS_USE_DUALSTACK_ENDPOINT",
                    "use_dualstack_endpoint",
                )
            })
            .unwrap_or(false)
    }
}
