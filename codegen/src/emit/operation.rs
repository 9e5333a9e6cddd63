//! One module per operation: input, output, error enum, the fluent builder the client
//! returns, and the static that tells the runtime how to call it.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::common::{deprecated_attr, doc_attrs, field, ident, inner_doc_attrs, Types};
use super::structure::{builder_field_type, self_convention_allow, setter_signature};
use crate::error::Error;
use crate::ir::{Member, Operation, Shape, ShapeKind, Structure};

/// The identifiers of an operation's items, read from the IR.
pub struct OperationNames<'a> {
    /// The input structure.
    pub input: &'a Shape,
    /// The output structure.
    pub output: &'a Shape,
    /// `GetContainerServiceDeploymentsError`.
    pub error: Ident,
    /// `GetContainerServiceDeploymentsFluentBuilder`.
    pub fluent: Ident,
    /// `get_container_service_deployments` (maybe raw): the module and client method.
    pub module: Ident,
}

impl<'a> OperationNames<'a> {
    /// The names of an operation's items.
    pub fn new(types: &Types<'a>, op: &Operation) -> Result<Self, Error> {
        Ok(OperationNames {
            input: types.shape(&op.input)?,
            output: types.shape(&op.output)?,
            error: ident(&op.error_name),
            fluent: ident(&op.fluent_builder),
            module: ident(&op.module),
        })
    }
}

/// The structure of an operation's input or output; anything else is a generator bug.
pub fn io_structure(shape: &Shape) -> Result<&Structure, Error> {
    match &shape.kind {
        ShapeKind::Structure(s) => Ok(s),
        _ => Err(Error::Internal {
            shape: shape.id.clone(),
            reason: "an operation input or output that is not a structure".into(),
        }),
    }
}

/// `operation/<op>.rs`.
pub fn operation_module(types: &Types<'_>, op: &Operation) -> Result<TokenStream, Error> {
    let n = OperationNames::new(types, op)?;
    let (input, output, error) = (
        ident(&n.input.rust_name),
        ident(&n.output.rust_name),
        &n.error,
    );
    let (input_mod, output_mod) = (ident(&n.input.module_ident), ident(&n.output.module_ident));
    let title = format!("The `{}` operation.", op.name);
    let module_docs = inner_doc_attrs(&[&title]);
    let ser_module = &n.module;
    let de_output = ident(&op.de_output);
    let de_error = ident(&op.de_error);
    let name = &op.name;
    let paginator_mod = if op.paginator.is_some() {
        quote! { pub mod paginator; }
    } else {
        TokenStream::new()
    };
    Ok(quote! {
        #module_docs

        pub mod builders;
        #paginator_mod
        mod error;
        mod #input_mod;
        mod #output_mod;

        pub use error::#error;
        pub use #input_mod::#input;
        pub use #output_mod::#output;

        /// How the runtime calls this operation and reads its responses.
        pub(crate) static OPERATION: awsjson_runtime::client::OperationSpec<#output, #error> =
            awsjson_runtime::client::OperationSpec {
                name: #name,
                parse_output: crate::protocol_serde::#ser_module::#de_output,
                parse_error: crate::protocol_serde::#ser_module::#de_error,
            };
    })
}

/// `operation/<op>/builders.rs`: the fluent builder and re-exported shape builders.
pub fn builders_module(types: &Types<'_>, op: &Operation) -> Result<TokenStream, Error> {
    let n = OperationNames::new(types, op)?;
    let (error, fluent) = (&n.error, &n.fluent);
    let s = io_structure(n.input)?;
    let output = ident(&n.output.rust_name);
    let input_builder = ident(&s.builder);
    let output_builder = ident(&io_structure(n.output)?.builder);
    let (input_mod, output_mod) = (ident(&n.input.module_ident), ident(&n.output.module_ident));
    let docs = doc_attrs(
        op.docs.as_deref(),
        &format!("Calls the `{}` operation.", op.name),
    );
    let ser_module = &n.module;
    let ser_input = ident(&op.ser_input);
    let setters = s.members.iter().map(|m| fluent_setters(types, m));
    let invoke = invoke_call(op, &s.members);
    let into_paginator = super::paginator::into_paginator_method(op);
    let idempotency = idempotency_fill(&s.members);
    let self_param = if s.members.iter().any(|m| m.idempotency_token) {
        quote! { mut self, }
    } else {
        quote! { self, }
    };
    let struct_doc = format!(" Fluent builder for the `{}` operation.", op.name);
    let serialize = quote! { crate::protocol_serde::#ser_module::#ser_input(&input) };
    let send_items = super::customize::fluent_send_items(
        fluent,
        &output,
        error,
        &self_param,
        &idempotency,
        &serialize,
        &invoke,
    );
    Ok(quote! {
        //! Builders of the operation's input and output, and the fluent builder the client returns.

        pub use super::#input_mod::#input_builder;
        pub use super::#output_mod::#output_builder;

        #[doc = #struct_doc]
        ///
        #docs
        #[derive(Clone, Debug)]
        pub struct #fluent {
            handle: std::sync::Arc<awsjson_runtime::client::Handle>,
            inner: #input_builder,
            config_override: Option<crate::config::Builder>,
        }

        impl #fluent {
            pub(crate) fn new(handle: std::sync::Arc<awsjson_runtime::client::Handle>) -> Self {
                Self {
                    handle,
                    inner: #input_builder::default(),
                    config_override: None,
                }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #into_paginator

            #(#setters)*
        }

        #send_items
    })
}

/// Fills unset `smithy.api#idempotencyToken` members from the config's provider before the
/// input is built, as aws-sdk-rust does.
fn idempotency_fill(members: &[Member]) -> TokenStream {
    let fills = members.iter().filter(|m| m.idempotency_token).map(|m| {
        let (get, set) = (ident(&m.getter), ident(&m.setter));
        quote! {
            if self.inner.#get().is_none() {
                let token = self.handle.config().idempotency_token_provider().make_idempotency_token();
                self.inner = self.inner.#set(Some(token));
            }
        }
    });
    quote! { #(#fills)* }
}

/// The runtime call with the caller's customization, and the per-call options of operations
/// that have a host prefix (filled from `hostLabel` members) or compress their requests.
fn invoke_call(op: &Operation, members: &[Member]) -> TokenStream {
    if op.host_prefix.is_none() && !op.request_compression {
        return quote! {
            let options = awsjson_runtime::client::CallOptions {
                customization,
                ..Default::default()
            };
            self.handle.invoke_with(&super::OPERATION, body, options).await
        };
    }
    let host_prefix = match &op.host_prefix {
        Some(template) => {
            let labels = members.iter().filter(|m| m.host_label).map(|m| {
                let name = &m.wire_name;
                let f = field(m);
                quote! { (#name, input.#f.as_deref()) }
            });
            quote! {
                Some(
                    awsjson_runtime::client::expand_host_prefix(#template, &[#(#labels),*])
                        .map_err(awsjson_runtime::error::SdkError::construction_failure)?,
                )
            }
        }
        None => quote! { None },
    };
    let compress = op.request_compression;
    quote! {
        let options = awsjson_runtime::client::CallOptions {
            host_prefix: #host_prefix,
            compress_request: #compress,
            customization,
        };
        self.handle.invoke_with(&super::OPERATION, body, options).await
    }
}

pub(super) fn fluent_setters(types: &Types<'_>, m: &Member) -> TokenStream {
    let f = field(m);
    let set = ident(&m.setter);
    let get = ident(&m.getter);
    let ty = builder_field_type(types, m);
    let deprecated = deprecated_attr(m.deprecated.as_ref());
    let allow = if m.deprecated.is_some() {
        quote! { #[allow(deprecated)] }
    } else {
        TokenStream::new()
    };
    let lint = self_convention_allow(m);
    let sig = setter_signature(types, m);
    let (doc, params, args) = (&sig.doc, &sig.params, &sig.args);
    let single = quote! {
        #doc
        #deprecated
        #allow
        #lint
        pub fn #f(mut self, #params) -> Self {
            self.inner = self.inner.#f(#args);
            self
        }
    };
    let set_doc = format!(" Sets or clears `{}`.", m.bare_field());
    let get_doc = format!(" Returns `{}` as set so far.", m.bare_field());
    quote! {
        #single

        #[doc = #set_doc]
        #deprecated
        #allow
        pub fn #set(mut self, input: #ty) -> Self {
            self.inner = self.inner.#set(input);
            self
        }

        #[doc = #get_doc]
        #deprecated
        #allow
        pub fn #get(&self) -> &#ty {
            self.inner.#get()
        }
    }
}
