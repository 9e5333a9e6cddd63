//! One module per operation: input, output, error enum, the fluent builder the client
//! returns, and the static that tells the runtime how to call it.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::common::{deprecated_attr, doc_attrs, field, ident, inner_doc_attrs, Types};
use super::paths::{IrShapes, PathShape};
use super::structure::{builder_field_type, self_convention_allow, setter_signature};
use crate::error::Error;
use crate::ir::{AuthKind, EndpointParam, Member, Operation, Shape, ShapeKind, Structure, Type};
use crate::jmespath::{compile, Kind, PathType, Root};

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
    let auth = match op.auth {
        AuthKind::SigV4 => quote! { SigV4 },
        AuthKind::Optional => quote! { Optional },
        AuthKind::None => quote! { None },
    };
    let retryable = retryable_errors(types, op)?;
    let static_params = op.static_context_params.iter().map(|(name, value)| {
        let value = match value {
            EndpointParam::String(v) => quote! { String(#v) },
            EndpointParam::Bool(v) => quote! { Bool(#v) },
            EndpointParam::StringArray(v) => quote! { StringArray(&[#(#v),*]) },
        };
        quote! { (#name, awsjson_runtime::endpoint::StaticParam::#value), }
    });
    let endpoint_params = endpoint_params_fn(types, op, n.input)?;
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
                auth: awsjson_runtime::client::AuthMode::#auth,
                retryable_errors: &[#(#retryable)*],
                static_endpoint_params: &[#(#static_params)*],
            };

        #endpoint_params
    })
}

/// The operation's `@retryable` errors by code (also by their `awsQueryError` code in an
/// `awsQueryCompatible` service, as responses then carry that code).
fn retryable_errors(types: &Types<'_>, op: &Operation) -> Result<Vec<TokenStream>, Error> {
    let mut out = Vec::new();
    for id in &op.errors {
        let shape = types.shape(id)?;
        let ShapeKind::Structure(Structure { error: Some(e), .. }) = &shape.kind else {
            continue;
        };
        let Some(throttling) = e.retryable else {
            continue;
        };
        let mut codes = vec![shape.name.as_str()];
        if types.service.aws_query_compatible {
            codes.extend(e.query_code.as_deref().filter(|c| *c != shape.name));
        }
        for code in codes {
            out.push(quote! {
                awsjson_runtime::client::RetryableError { code: #code, throttling: #throttling },
            });
        }
    }
    Ok(out)
}

/// `endpoint_params(&input)` (the name is the IR's `endpoint_params_fn`): the endpoint
/// parameters an input gives, from its `smithy.rules#contextParam` members that are set and
/// the operation's `smithy.rules#operationContextParams` paths (compiled to accessor calls;
/// an unsupported path is an error naming the operation). Context parameters come last, so
/// they win over a path naming the same parameter, as the Smithy precedence says. A path
/// giving an empty list leaves its parameter unset, as one through an absent member does.
fn endpoint_params_fn(
    types: &Types<'_>,
    op: &Operation,
    input: &Shape,
) -> Result<TokenStream, Error> {
    let Some(fn_name) = &op.endpoint_params_fn else {
        return Ok(TokenStream::new());
    };
    let s = io_structure(input)?;
    let mut pushes = Vec::new();
    for (name, path) in &op.operation_context_params {
        pushes.push(context_path_push(types, op, name, path)?);
    }
    for m in s.members.iter().filter(|m| m.context_param.is_some()) {
        let name = m.context_param.as_deref().unwrap_or_default();
        let f = field(m);
        let value = match &m.target {
            Type::String => quote! { ParamValue::String(v.clone()) },
            Type::Boolean => quote! { ParamValue::Bool(*v) },
            Type::Named(id) if matches!(types.shape(id)?.kind, ShapeKind::Enum(_)) => {
                quote! { ParamValue::String(v.as_str().to_string()) }
            }
            Type::List { .. } => quote! { ParamValue::StringArray(v.clone()) },
            _ => {
                return Err(Error::Internal {
                    shape: format!("{}${}", input.id, m.wire_name),
                    reason: "a context parameter of a type normalize should have rejected".into(),
                })
            }
        };
        pushes.push(quote! {
            if let Some(v) = &input.#f {
                params.push((#name, #value));
            }
        });
    }
    let (fn_name, input_ty) = (ident(fn_name), ident(&input.rust_name));
    Ok(quote! {
        /// Endpoint parameters from the input (`smithy.rules#operationContextParams` paths,
        /// then `smithy.rules#contextParam` members).
        pub(crate) fn #fn_name(
            input: &#input_ty,
        ) -> Vec<(&'static str, awsjson_runtime::endpoint::ParamValue)> {
            use awsjson_runtime::endpoint::ParamValue;
            let mut params = Vec::new();
            #(#pushes)*
            params
        }
    })
}

/// The push of one `operationContextParams` entry: its JMESPath compiled over the input.
fn context_path_push(
    types: &Types<'_>,
    op: &Operation,
    name: &str,
    path: &str,
) -> Result<TokenStream, Error> {
    let bad = |reason: String| Error::Unsupported {
        shape: op.id.clone(),
        reason: format!("`smithy.rules#operationContextParams` `{name}`: {reason}"),
    };
    let root = Root::Value {
        var: "input".into(),
        shape: PathShape::named(&op.input),
    };
    let compiled =
        compile(&IrShapes(types.service), &root, path).map_err(|e| bad(e.to_string()))?;
    let tokens = &compiled.tokens;
    Ok(match compiled.ty {
        PathType::One { kind, optional } => {
            let value = match kind {
                Kind::String => quote! { ParamValue::String(v.to_string()) },
                Kind::Enum => quote! { ParamValue::String(v.as_str().to_string()) },
                Kind::Boolean => quote! { ParamValue::Bool(v) },
                other => {
                    return Err(bad(format!(
                        "`{path}` gives {other:?}; an endpoint parameter is a string, a boolean \
                         or a list of strings"
                    )))
                }
            };
            if optional {
                quote! {
                    if let Some(v) = #tokens {
                        params.push((#name, #value));
                    }
                }
            } else {
                quote! {
                    let v = #tokens;
                    params.push((#name, #value));
                }
            }
        }
        PathType::List(kind) => {
            let item = match kind {
                Kind::String => quote! { str::to_string },
                Kind::Enum => quote! { |v| v.as_str().to_string() },
                other => {
                    return Err(bad(format!(
                        "`{path}` gives a list of {other:?}; a list parameter holds strings"
                    )))
                }
            };
            quote! {
                let values: Vec<String> = #tokens.map(#item).collect();
                if !values.is_empty() {
                    params.push((#name, ParamValue::StringArray(values)));
                }
            }
        }
        PathType::Bool => quote! {
            params.push((#name, ParamValue::Bool(#tokens)));
        },
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
/// that have a host prefix (filled from `hostLabel` members), compress their requests or take
/// endpoint parameters from their input.
fn invoke_call(op: &Operation, members: &[Member]) -> TokenStream {
    if op.host_prefix.is_none() && !op.request_compression && op.endpoint_params_fn.is_none() {
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
    let endpoint_params = match &op.endpoint_params_fn {
        Some(f) => {
            let f = ident(f);
            quote! { super::#f(&input) }
        }
        None => quote! { Vec::new() },
    };
    quote! {
        let options = awsjson_runtime::client::CallOptions {
            host_prefix: #host_prefix,
            compress_request: #compress,
            endpoint_params: #endpoint_params,
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
