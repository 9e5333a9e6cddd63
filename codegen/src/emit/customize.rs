//! aws-sdk-rust's per-call customization and mocking on the generated crate: the fluent
//! builder's `customize()`, `config_override(..)` and `send()` (through the runtime's
//! `Customizable`), and the `mocks` module (feature `test-util`) with aws-smithy-mocks'
//! `mock!` / `mock_client!`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::common::inner_doc_attrs;
use crate::ir::Service;

/// The fluent builder's `send()`, `customize()` and `config_override` setters, and its
/// `Customizable` impl whose body builds the input, answers from mock rules (feature
/// `test-util`), serializes and calls the runtime with `invoke`.
pub fn fluent_send_items(
    fluent: &Ident,
    output: &Ident,
    error: &Ident,
    self_param: &TokenStream,
    before_build: &TokenStream,
    serialize: &TokenStream,
    invoke: &TokenStream,
) -> TokenStream {
    quote! {
        impl #fluent {
            /// Sends the request and waits for the response.
            ///
            /// Missing required members and values outside the model's constraints are a
            /// `ConstructionFailure` before anything is sent. Retries and timeouts follow
            /// the client's configuration.
            pub async fn send(
                self,
            ) -> Result<super::#output, awsjson_runtime::error::SdkError<super::#error>> {
                awsjson_runtime::client::customize::Customizable::send_customized(self, Default::default()).await
            }

            /// Customizes this call: a configuration override, hooks on the HTTP request
            /// before it is signed; then `send()`.
            pub fn customize(
                self,
            ) -> crate::client::customize::CustomizableOperation<super::#output, super::#error, Self> {
                crate::client::customize::CustomizableOperation::new(self)
            }

            /// Overrides settings of the client's configuration for this call only.
            pub fn config_override(mut self, config_override: impl Into<crate::config::Builder>) -> Self {
                self.config_override = Some(config_override.into());
                self
            }

            /// Sets or clears the configuration override of this call.
            pub fn set_config_override(&mut self, config_override: Option<crate::config::Builder>) -> &mut Self {
                self.config_override = config_override;
                self
            }
        }

        impl awsjson_runtime::client::customize::Customizable for #fluent {
            type Output = super::#output;
            type Error = super::#error;

            async fn send_customized(
                #self_param
                customization: awsjson_runtime::client::customize::Customization,
            ) -> Result<super::#output, awsjson_runtime::error::SdkError<super::#error>> {
                #before_build
                let input = self
                    .inner
                    .build()
                    .map_err(awsjson_runtime::error::SdkError::construction_failure)?;
                #[cfg(feature = "test-util")]
                if let Some(mocked) = self.handle.mocked(&super::OPERATION, &input) {
                    return mocked;
                }
                let customization = customization.or_config_override(self.config_override);
                let body = #serialize;
                #invoke
            }
        }
    }
}

/// The `mocks` module of `lib.rs` (feature `test-util`).
pub fn mocks_module(service: &Service, krate: &str) -> TokenStream {
    let mut lines: Vec<String> = vec![
        "Mock rules (feature `test-util`), shaped as aws-smithy-mocks: a unit test written with it ports by changing `use aws_smithy_mocks::{..}` to `use ".to_string() + krate + "::mocks::{..}`.",
        String::new(),
        "`mock!(Client::operation)` starts a rule; `match_requests(|input| ..)` narrows it; `then_output(|| ..)`, `then_error(|| ..)`, `then_http_response(|| ..)`, `then_compute_output(|input| ..)` or `sequence()..build()` finish it. `mock_client!(crate_name, [&rule, ..])` builds a client the rules answer, optionally with a [`RuleMode`] and a closure over the config builder. Calls no rule answers fail with a `ConstructionFailure` instead of panicking.".to_string(),
    ];
    if service.operations.is_empty() {
        lines.truncate(1);
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let docs = inner_doc_attrs(&refs);
    quote! {
        #[cfg(feature = "test-util")]
        #[rustfmt::skip]
        pub mod mocks {
            #docs

            pub use awsjson_runtime::{mock, mock_client};
            pub use awsjson_runtime::client::mocks::{
                MockResponse, MockResponseInterceptor, ResponseSequenceBuilder, Rule, RuleBuilder,
                RuleMode,
            };
        }
    }
}
