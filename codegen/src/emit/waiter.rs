//! Waiters (`smithy.waiters#waitable`) with aws-sdk-rust's API: the `client::Waiters`
//! trait (`client.wait_until_table_exists()`), one `waiters::<name>` module per waiter with
//! a fluent builder that takes the operation's input and `wait(max_wait)`, and the
//! `<Name>FinalPoll` / `WaitUntil<Name>Error` aliases. Acceptors become one `if` each, in
//! model order; their paths are compiled to accessor chains by `crate::jmespath`. The
//! polling loop and backoff are the runtime's `waiter::Waiter`.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use super::common::{doc_attrs, ident, inner_doc_attrs, model_doc_attrs, Types};
use super::crate_files::feature_cfg;
use super::operation::{fluent_setters, io_structure, OperationNames};
use super::paths::{IrShapes, PathShape};
use crate::error::Error;
use crate::ir::{AcceptorMatcher, AcceptorState, Operation, Waiter};
use crate::jmespath::{compile_matcher, Root};
use crate::Settings;

/// Whether the service has any waiter.
pub fn has_waiters(types: &Types<'_>) -> bool {
    types
        .service
        .operations
        .iter()
        .any(|op| !op.waiters.is_empty())
}

/// `src/waiters.rs`: one module per waiter.
pub fn waiters_rs(types: &Types<'_>, settings: &Settings) -> Result<TokenStream, Error> {
    let mut mods = Vec::new();
    for op in &types.service.operations {
        let cfg = feature_cfg(types, settings, [&op.name])?;
        for w in &op.waiters {
            let module = ident(&w.module);
            mods.push(quote! { #cfg pub mod #module; });
        }
    }
    Ok(quote! {
        //! Waiters: poll an operation until its result reaches a wanted state. Start one
        //! with the `wait_until_*` methods of [`Waiters`](crate::client::Waiters).

        #(#mods)*
    })
}

/// The `Waiters` trait and its implementation for `Client` (in `src/client.rs`, where the
/// client's handle is visible); nothing when the service has no waiter.
pub fn client_items(types: &Types<'_>, settings: &Settings) -> Result<TokenStream, Error> {
    if !has_waiters(types) {
        return Ok(TokenStream::new());
    }
    let (mut decls, mut impls) = (Vec::new(), Vec::new());
    for op in &types.service.operations {
        let cfg = feature_cfg(types, settings, [&op.name])?;
        for w in &op.waiters {
            let (module, method, fluent) =
                (ident(&w.module), ident(&w.method), ident(&w.fluent_builder));
            let doc = format!(
                " Waits for the `{}` waiter's state, polling `{}`.",
                w.name, op.name
            );
            let docs = doc_attrs(w.docs.as_deref(), &doc);
            let deprecated = if w.deprecated {
                quote! { #[deprecated] }
            } else {
                TokenStream::new()
            };
            decls.push(quote! {
                #docs
                #deprecated
                #cfg
                fn #method(&self) -> crate::waiters::#module::#fluent;
            });
            impls.push(quote! {
                #cfg
                fn #method(&self) -> crate::waiters::#module::#fluent {
                    crate::waiters::#module::#fluent::new(self.handle.clone())
                }
            });
        }
    }
    Ok(quote! {
        /// The service's waiters: `client.wait_until_<name>()`, set the operation's input,
        /// then `.wait(max_wait).await`.
        pub trait Waiters {
            #(#decls)*
        }

        impl Waiters for Client {
            #(#impls)*
        }
    })
}

/// `src/waiters/<name>.rs`.
pub fn waiter_module(types: &Types<'_>, op: &Operation, w: &Waiter) -> Result<TokenStream, Error> {
    let n = OperationNames::new(types, op)?;
    let input = io_structure(n.input)?;
    let (op_module, op_fluent, op_error) = (&n.module, &n.fluent, &n.error);
    let output = ident(&n.output.rust_name);
    let (fluent, final_poll, error) = (
        ident(&w.fluent_builder),
        ident(&w.final_poll),
        ident(&w.error),
    );
    let shapes = IrShapes(types.service);
    let at = |e: crate::jmespath::JmesPathError| Error::Unsupported {
        shape: format!("{} (waiter `{}`)", op.id, w.name),
        reason: e.to_string(),
    };
    let mut uses_input = false;
    let mut checks = Vec::new();
    for a in &w.acceptors {
        let state = match a.state {
            AcceptorState::Success => quote! { Success },
            AcceptorState::Failure => quote! { Failure },
            AcceptorState::Retry => quote! { Retry },
        };
        let cond = match &a.matcher {
            AcceptorMatcher::Output { path, matcher } => {
                let root = Root::Value {
                    var: "output".into(),
                    shape: PathShape::named(&op.output),
                };
                let cond = compile_matcher(&shapes, &root, path, matcher).map_err(at)?;
                output_check(cond)
            }
            AcceptorMatcher::InputOutput { path, matcher } => {
                uses_input = true;
                let root = Root::InputOutput {
                    input_var: "input".into(),
                    input: PathShape::named(&op.input),
                    output_var: "output".into(),
                    output: PathShape::named(&op.output),
                };
                let cond = compile_matcher(&shapes, &root, path, matcher).map_err(at)?;
                output_check(cond)
            }
            AcceptorMatcher::Success(true) => quote! { result.is_ok() },
            AcceptorMatcher::Success(false) => quote! { result.is_err() },
            AcceptorMatcher::ErrorType(code) => {
                quote! { awsjson_runtime::waiter::error_code(result) == Some(#code) }
            }
        };
        checks.push(quote! {
            if #cond {
                return awsjson_runtime::waiter::AcceptorState::#state;
            }
        });
    }
    // `inputOutput` acceptors read the input as sent; build it once up front (a build
    // failure is the waiter's construction failure, as in aws-sdk).
    let input_binding = if uses_input {
        quote! {
            let input = self
                .inner
                .as_input()
                .clone()
                .build()
                .map_err(awsjson_runtime::waiter::WaiterError::construction_failure)?;
            let input = &input;
        }
    } else {
        TokenStream::new()
    };
    let setters = input.members.iter().map(|m| fluent_setters(types, m));
    let (min, max) = (w.min_delay, w.max_delay);
    let struct_doc = format!(
        " Fluent builder for the `{}` waiter: set the `{}` input, then [`wait`](Self::wait).",
        w.name, op.name
    );
    let docs = model_doc_attrs(w.docs.as_deref());
    let module_doc = format!("The `{}` waiter (polls `{}`).", w.name, op.name);
    let module_doc = inner_doc_attrs(&[&module_doc]);
    let wait_doc = format!(
        " Polls `{}` until an acceptor decides, waiting between {min} and {max} seconds \
         between polls (jittered exponential backoff), for at most `max_wait` in all.",
        op.name
    );
    let poll_doc = format!(" The last poll of a finished `{}` wait.", w.name);
    let error_doc = format!(" Why a `{}` wait failed.", w.name);
    Ok(quote! {
        #module_doc

        #[doc = #struct_doc]
        ///
        #docs
        #[derive(Clone, Debug)]
        pub struct #fluent {
            inner: crate::operation::#op_module::builders::#op_fluent,
        }

        impl #fluent {
            pub(crate) fn new(handle: std::sync::Arc<awsjson_runtime::client::Handle>) -> Self {
                Self {
                    inner: crate::operation::#op_module::builders::#op_fluent::new(handle),
                }
            }

            #[doc = #wait_doc]
            pub async fn wait(
                self,
                max_wait: std::time::Duration,
            ) -> Result<#final_poll, #error> {
                #input_binding
                let builder = self.inner;
                awsjson_runtime::waiter::Waiter::new(
                    std::time::Duration::from_secs(#min),
                    std::time::Duration::from_secs(#max),
                    max_wait,
                )
                .wait(
                    || builder.clone().send(),
                    |result: Result<
                        &crate::operation::#op_module::#output,
                        &awsjson_runtime::error::SdkError<crate::operation::#op_module::#op_error>,
                    >| {
                        #(#checks)*
                        awsjson_runtime::waiter::AcceptorState::NoAcceptorsMatched
                    },
                )
                .await
            }

            #(#setters)*
        }

        #[doc = #poll_doc]
        pub type #final_poll = awsjson_runtime::waiter::FinalPoll<
            crate::operation::#op_module::#output,
            awsjson_runtime::error::SdkError<crate::operation::#op_module::#op_error>,
        >;

        #[doc = #error_doc]
        pub type #error = awsjson_runtime::waiter::WaiterError<
            crate::operation::#op_module::#output,
            crate::operation::#op_module::#op_error,
        >;
    })
}

/// `result.is_ok_and(|output| cond)`, naming the closure's argument `_` when the condition
/// only reads the input (so the generated crate has no unused variable).
fn output_check(cond: TokenStream) -> TokenStream {
    if mentions(&cond, "output") {
        quote! { result.is_ok_and(|output| #cond) }
    } else {
        quote! { result.is_ok_and(|_| #cond) }
    }
}

fn mentions(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => mentions(&g.stream(), name),
        _ => false,
    })
}
