//! Per-call customization, shaped as aws-sdk-rust's `customize()`: a configuration override
//! for one call, and hooks that change the HTTP request of every attempt before it is signed.
//!
//! A fluent builder's `customize()` returns a [`CustomizableOperation`]; its `send()` hands a
//! [`Customization`] to the builder (through [`Customizable`]), which passes it to the
//! runtime in [`CallOptions`](super::CallOptions). Request hooks see the request as
//! aws-sdk-rust's hooks do: [`HttpRequest`] (`aws_smithy_runtime_api::http::Request`) with
//! every header but the signature's already set, so `req.headers_mut().insert("k", "v")`
//! compiles and the added header is signed.
//!
//! A call with a configuration override is made by a client built for it from the client's
//! configuration with the override's settings on top; it has its own connection pool,
//! credentials cache and retry budget (aws-sdk-rust shares them). For many calls with the
//! same override, build a second client instead.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_LENGTH};

use super::Handle;
use crate::config::Builder;
use crate::error::{BoxError, SdkError};

/// The HTTP request type of aws-sdk-rust's request hooks.
pub use aws_smithy_runtime_api::client::orchestrator::HttpRequest;

/// A hook run on the request of every attempt, before signing.
pub(super) type RequestHook =
    Arc<dyn Fn(HttpRequest) -> Result<HttpRequest, BoxError> + Send + Sync>;

/// What `customize()` changes for one call. Empty by default.
#[derive(Clone, Default)]
pub struct Customization {
    config_override: Option<Builder>,
    hooks: Vec<RequestHook>,
}

impl fmt::Debug for Customization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customization")
            .field("config_override", &self.config_override.is_some())
            .field("request_hooks", &self.hooks.len())
            .finish()
    }
}

impl Customization {
    /// Sets the configuration override unless one is set already (the one given to
    /// `customize().config_override(..)` wins over the fluent builder's).
    pub fn or_config_override(mut self, config_override: Option<Builder>) -> Self {
        if self.config_override.is_none() {
            self.config_override = config_override;
        }
        self
    }

    /// Whether nothing is customized.
    pub fn is_empty(&self) -> bool {
        self.config_override.is_none() && self.hooks.is_empty()
    }

    /// The handle to make the call with: this one, or one built for the override.
    pub(super) fn handle<'a>(&self, handle: &'a Handle) -> Cow<'a, Handle> {
        match &self.config_override {
            None => Cow::Borrowed(handle),
            Some(config_override) => {
                Cow::Owned(handle.with_override(config_override.clone().build()))
            }
        }
    }

    /// The request hooks, in the order they were added.
    pub(super) fn hooks(&self) -> &[RequestHook] {
        &self.hooks
    }
}

/// Implemented by every fluent builder: sends the call with a [`Customization`]. Used by
/// [`CustomizableOperation::send`]; call the builder's own `send()` instead.
pub trait Customizable: Sized {
    /// The operation's output.
    type Output;
    /// The operation's error.
    type Error;
    /// Sends the call with `customization`.
    fn send_customized(
        self,
        customization: Customization,
    ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error>>> + Send;
}

/// A call with per-call customization, returned by a fluent builder's `customize()`: as
/// aws-sdk-rust's `CustomizableOperation<T, E, B>`.
pub struct CustomizableOperation<T, E, B> {
    customizer: B,
    customization: Customization,
    _output: PhantomData<fn() -> (T, E)>,
}

impl<T, E, B: fmt::Debug> fmt::Debug for CustomizableOperation<T, E, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomizableOperation")
            .field("operation", &self.customizer)
            .field("customization", &self.customization)
            .finish()
    }
}

impl<T, E, B> CustomizableOperation<T, E, B>
where
    B: Customizable<Output = T, Error = E>,
{
    /// Wraps a fluent builder.
    pub fn new(customizer: B) -> Self {
        CustomizableOperation {
            customizer,
            customization: Customization::default(),
            _output: PhantomData,
        }
    }

    /// Changes the request of every attempt before it is signed (a header, the body, ...).
    pub fn mutate_request<F>(mut self, f: F) -> Self
    where
        F: Fn(&mut HttpRequest) + Send + Sync + 'static,
    {
        self.customization.hooks.push(Arc::new(move |mut request| {
            f(&mut request);
            Ok(request)
        }));
        self
    }

    /// Replaces the request of every attempt before it is signed; an error ends the call
    /// with a `ConstructionFailure` carrying it.
    pub fn map_request<F, MapE>(mut self, f: F) -> Self
    where
        F: Fn(HttpRequest) -> Result<HttpRequest, MapE> + Send + Sync + 'static,
        MapE: std::error::Error + Send + Sync + 'static,
    {
        self.customization
            .hooks
            .push(Arc::new(move |request| f(request).map_err(Into::into)));
        self
    }

    /// Overrides settings of the client's configuration for this call only: region,
    /// credentials, endpoint URL, retry and timeout configuration, FIPS, dual-stack, app name.
    pub fn config_override(mut self, config_override: impl Into<Builder>) -> Self {
        self.customization.config_override = Some(config_override.into());
        self
    }

    /// Sends the call.
    pub async fn send(self) -> Result<T, SdkError<E>> {
        self.customizer.send_customized(self.customization).await
    }
}

/// The request of one attempt after the hooks ran: the URL, headers and body to sign and send.
pub(super) struct HookedRequest {
    pub(super) url: reqwest::Url,
    pub(super) headers: http::HeaderMap,
    pub(super) body: Bytes,
}

/// Runs `hooks` over the request of one attempt. `Content-Length` follows the final body.
pub(super) fn apply_hooks(
    hooks: &[RequestHook],
    url: &reqwest::Url,
    headers: http::HeaderMap,
    body: &Bytes,
) -> Result<HookedRequest, BoxError> {
    let mut builder = http::Request::builder()
        .method(http::Method::POST)
        .uri(url.as_str());
    if let Some(map) = builder.headers_mut() {
        *map = headers;
    }
    let request = builder.body(SdkBody::from(body.clone()))?;
    let mut request = HttpRequest::try_from(request)?;
    for hook in hooks {
        request = hook(request)?;
    }
    let request = request.try_into_http1x()?;
    if request.method() != http::Method::POST {
        return Err(format!(
            "a request hook changed the method to {}; AWS JSON requests are POST",
            request.method()
        )
        .into());
    }
    let url = reqwest::Url::parse(&request.uri().to_string())
        .map_err(|e| format!("a request hook set an invalid URI: {e}"))?;
    let (parts, body) = request.into_parts();
    let body = match body.bytes() {
        Some(bytes) => Bytes::copy_from_slice(bytes),
        None => {
            return Err(
                "a request hook set a streaming body; only in-memory bodies can be signed".into(),
            )
        }
    };
    let mut headers = parts.headers;
    headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    Ok(HookedRequest { url, headers, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> reqwest::Url {
        reqwest::Url::parse("https://lightsail.us-east-1.amazonaws.com/").expect("valid")
    }

    fn hook(
        f: impl Fn(HttpRequest) -> Result<HttpRequest, BoxError> + Send + Sync + 'static,
    ) -> RequestHook {
        Arc::new(f)
    }

    #[test]
    fn hooks_run_in_order_and_content_length_follows_the_body() {
        let hooks = [
            hook(|mut req| {
                req.headers_mut().insert("x-order", "first");
                Ok(req)
            }),
            hook(|mut req| {
                let seen = req.headers().get("x-order").unwrap_or_default().to_owned();
                req.headers_mut()
                    .insert("x-order", format!("{seen},second"));
                *req.body_mut() = SdkBody::from("{\"a\":1}");
                Ok(req)
            }),
        ];
        let mut headers = http::HeaderMap::new();
        headers.insert(CONTENT_LENGTH, HeaderValue::from(2));
        let hooked = apply_hooks(&hooks, &url(), headers, &Bytes::from_static(b"{}")).expect("ok");
        assert_eq!(hooked.headers["x-order"], "first,second");
        assert_eq!(hooked.headers[CONTENT_LENGTH], "7");
        assert_eq!(&hooked.body[..], b"{\"a\":1}");
        assert_eq!(hooked.url, url());
    }

    #[test]
    fn a_hook_may_not_change_the_method_or_fail_silently() {
        let change_method = [hook(|mut req| {
            req.set_method("GET")?;
            Ok(req)
        })];
        let err = apply_hooks(
            &change_method,
            &url(),
            http::HeaderMap::new(),
            &Bytes::new(),
        )
        .err()
        .expect("rejected");
        assert!(err.to_string().contains("POST"), "{err}");
        let failing = [hook(|_| Err("no".into()))];
        let err = apply_hooks(&failing, &url(), http::HeaderMap::new(), &Bytes::new())
            .err()
            .expect("the hook's error");
        assert_eq!(err.to_string(), "no");
    }
}
