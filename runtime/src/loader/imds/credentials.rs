//! aws-config's `ImdsCredentialsProvider`: the instance profile's role credentials from
//! `/latest/meta-data/iam/security-credentials/<role>`.
//!
//! Static stability: credentials whose expiry has passed are still returned, with the expiry
//! moved 15–20 minutes ahead (as aws-config does), and when IMDS fails after an earlier success
//! the earlier credentials are returned the same way — an instance keeps working through an
//! IMDS outage.

use std::time::Duration;

use aws_credential_types::provider::{self, future, ProvideCredentials};
use aws_credential_types::Credentials;

use super::{disabled, Client, ImdsErrorKind};
use crate::loader::json::{credentials_from_object, object, opt_str, parse_document};
use crate::loader::provider_config::ProviderConfig;
use crate::loader::util::{invalid_config, not_loaded, provider_error};

const PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// See the module docs.
#[derive(Debug)]
pub struct ImdsCredentialsProvider {
    client: Client,
    config: ProviderConfig,
    last: std::sync::Mutex<Option<Credentials>>,
}

impl ImdsCredentialsProvider {
    /// A provider over `config` with the default client.
    pub fn new(config: &ProviderConfig) -> Self {
        Self::with_client(config, Client::builder().configure(config).build())
    }

    /// A provider over a given client.
    pub fn with_client(config: &ProviderConfig, client: Client) -> Self {
        ImdsCredentialsProvider {
            client,
            config: config.clone(),
            last: std::sync::Mutex::new(None),
        }
    }

    fn extend(&self, credentials: Credentials) -> Credentials {
        let now = self.config.time.now();
        match credentials.expiry() {
            Some(expiry) if expiry <= now => {
                let jitter = Duration::from_secs(u64::from(
                    now.duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.subsec_nanos())
                        .unwrap_or_default()
                        % 300,
                ));
                tracing::warn!(
                    "IMDS credentials have expired; using them for 15 more minutes \
                     (static stability) and refreshing then"
                );
                let mut b = Credentials::builder()
                    .access_key_id(credentials.access_key_id())
                    .secret_access_key(credentials.secret_access_key())
                    .expiry(now + Duration::from_secs(900) + jitter)
                    .provider_name("IMDSv2");
                if let Some(t) = credentials.session_token() {
                    b = b.session_token(t);
                }
                if let Some(a) = credentials.account_id() {
                    b = b.account_id(a.as_str());
                }
                b.build()
            }
            _ => credentials,
        }
    }

    async fn fetch(&self) -> provider::Result {
        let role = match self.client.get(PATH).await {
            Ok(body) => body.lines().next().unwrap_or_default().trim().to_owned(),
            Err(e) if e.kind() == ImdsErrorKind::NotFound => {
                return Err(not_loaded("IMDS: this instance has no IAM role (HTTP 404)"))
            }
            Err(e) if e.kind() == ImdsErrorKind::Config => {
                return Err(invalid_config(e.to_string()))
            }
            Err(e) => return Err(provider_error(e)),
        };
        if role.is_empty() {
            return Err(not_loaded("IMDS: this instance has no IAM role"));
        }
        let body = self
            .client
            .get(&format!("{PATH}{role}"))
            .await
            .map_err(provider_error)?;
        parse(body.as_bytes()).map_err(|e| provider_error(format!("invalid IMDS credentials: {e}")))
    }

    /// Loads credentials now.
    pub async fn credentials(&self) -> provider::Result {
        if disabled(&self.config) {
            return Err(not_loaded("IMDS is disabled by AWS_EC2_METADATA_DISABLED"));
        }
        match self.fetch().await {
            Ok(c) => {
                let c = self.extend(c);
                *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(c.clone());
                Ok(c)
            }
            Err(e) => {
                let last = self.last.lock().unwrap_or_else(|e| e.into_inner()).clone();
                match last {
                    Some(c) => {
                        tracing::warn!(
                            "IMDS failed; reusing the last credentials (static stability)"
                        );
                        Ok(self.extend(c))
                    }
                    None => Err(e),
                }
            }
        }
    }
}

fn parse(body: &[u8]) -> Result<Credentials, String> {
    let doc = parse_document(body).map_err(|e| e.to_string())?;
    let obj = object(&doc, "the response")?;
    if let Some(code) = opt_str(obj, "Code")? {
        if code != "Success" {
            return Err(format!("Code is `{code}`"));
        }
    }
    credentials_from_object(obj, "IMDSv2")
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}
