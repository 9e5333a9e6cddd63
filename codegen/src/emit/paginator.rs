//! `operation/<op>/paginator.rs` for paginated operations (`smithy.api#paginated`), with
//! aws-sdk-rust's API: `into_paginator()` on the fluent builder, `send()` for a stream of
//! pages, `items().send()` for a stream of items, `page_size(n)` and
//! `stop_on_duplicate_token(..)`. The paging loop is the runtime's `paginator::Pages`.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{field, ident, Types};
use super::operation::{io_structure, OperationNames};
use super::paths::{IrShapes, PathShape};
use crate::error::Error;
use crate::ir::{Member, Operation, Paginator, Type};
use crate::jmespath::{compile, Kind, PathType, Root};

/// The `into_paginator` method of a paginated operation's fluent builder (empty otherwise).
pub fn into_paginator_method(op: &Operation) -> TokenStream {
    let Some(p) = &op.paginator else {
        return TokenStream::new();
    };
    let name = ident(&p.rust_name);
    quote! {
        /// Pages through every result: `send()` gives a stream of pages, `items().send()`
        /// a stream of items (when the operation names them).
        pub fn into_paginator(self) -> super::paginator::#name {
            super::paginator::#name::new(self)
        }
    }
}

/// `operation/<op>/paginator.rs`.
pub fn paginator_module(
    types: &Types<'_>,
    op: &Operation,
    p: &Paginator,
) -> Result<TokenStream, Error> {
    let n = OperationNames::new(types, op)?;
    let input = io_structure(n.input)?;
    let output = io_structure(n.output)?;
    let (fluent, error) = (&n.fluent, &n.error);
    let output_ty = ident(&n.output.rust_name);
    let (name, items_name) = (ident(&p.rust_name), ident(&p.items_name));
    let bad = |reason: String| Error::Unsupported {
        shape: op.id.clone(),
        reason: format!("`smithy.api#paginated`: {reason}"),
    };
    let token_member = find(&input.members, &p.input_token).ok_or_else(|| {
        bad(format!(
            "no input member `{}` for inputToken",
            p.input_token
        ))
    })?;
    let (get, set) = (ident(&token_member.getter), ident(&token_member.setter));

    let root = Root::Value {
        var: "output".into(),
        shape: PathShape::named(&op.output),
    };
    let compiled = compile(&IrShapes(types.service), &root, &p.output_token)
        .map_err(|e| bad(format!("outputToken: {e}")))?;
    let path = &compiled.tokens;
    let output_token = match compiled.ty {
        PathType::One {
            kind: Kind::String,
            optional: true,
        } => quote! { #path.map(str::to_owned) },
        PathType::One {
            kind: Kind::String,
            optional: false,
        } => quote! { Some(#path.to_owned()) },
        PathType::One {
            kind: Kind::Map { .. },
            optional: true,
        } => quote! { #path.cloned() },
        PathType::One {
            kind: Kind::Map { .. },
            optional: false,
        } => quote! { Some(#path.clone()) },
        other => {
            return Err(bad(format!(
                "outputToken `{}` must be a string or a map, not {other:?}",
                p.output_token
            )))
        }
    };

    let page_size = match &p.page_size {
        Some(wire) => {
            let m = find(&input.members, wire)
                .ok_or_else(|| bad(format!("no input member `{wire}` for pageSize")))?;
            let f = field(m);
            let ty = types.rust_type(&m.target);
            let doc =
                format!(" Sets the page size (`{wire}`): how many results each request asks for.");
            quote! {
                #[doc = #doc]
                pub fn page_size(mut self, limit: #ty) -> Self {
                    self.inner = self.inner.#f(limit);
                    self
                }
            }
        }
        None => TokenStream::new(),
    };

    let items = match &p.items {
        Some(wire) => {
            // The published models name one top-level output member; deeper paths would
            // need a projection of owned values, which nobody uses.
            let m = find(&output.members, wire).ok_or_else(|| {
                bad(format!(
                    "items `{wire}` must name one member of the output structure"
                ))
            })?;
            let f = field(m);
            let item = match &m.target {
                Type::List { member, sparse } => {
                    let t = types.rust_type(member);
                    if *sparse {
                        quote! { Option<#t> }
                    } else {
                        t
                    }
                }
                Type::Map { key, value, sparse } => {
                    let (k, v) = (types.rust_type(key), types.rust_type(value));
                    if *sparse {
                        quote! { (#k, Option<#v>) }
                    } else {
                        quote! { (#k, #v) }
                    }
                }
                _ => return Err(bad(format!("items `{wire}` is not a list or a map"))),
            };
            let take = if m.optional {
                quote! { page.#f.unwrap_or_default() }
            } else {
                quote! { page.#f }
            };
            let doc = format!(" The items (`{wire}`) of every page, in order.");
            let struct_doc = format!(
                " A stream of the `{wire}` items of every page of `{}`.",
                op.name
            );
            (
                quote! {
                    /// Pages through the items instead of the pages.
                    pub fn items(self) -> #items_name {
                        #items_name(self)
                    }
                },
                quote! {
                    #[doc = #struct_doc]
                    #[derive(Clone, Debug)]
                    pub struct #items_name(#name);

                    impl #items_name {
                        #[doc = #doc]
                        pub fn send(
                            self,
                        ) -> awsjson_runtime::paginator::PaginationStream<
                            Result<#item, awsjson_runtime::error::SdkError<super::#error>>,
                        > {
                            awsjson_runtime::paginator::items(self.0.send(), |page| #take)
                        }
                    }
                },
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let (items_method, items_struct) = items;
    let struct_doc = format!(" Pages through the results of `{}`.", op.name);
    Ok(quote! {
        //! The operation's paginator.

        #[doc = #struct_doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            inner: super::builders::#fluent,
            stop_on_duplicate_token: bool,
        }

        impl #name {
            pub(crate) fn new(inner: super::builders::#fluent) -> Self {
                Self {
                    inner,
                    stop_on_duplicate_token: true,
                }
            }

            #page_size

            /// Whether to stop when a page returns the token just sent (default `true`).
            /// Some services repeat a token while results are still arriving.
            pub fn stop_on_duplicate_token(mut self, stop_on_duplicate_token: bool) -> Self {
                self.stop_on_duplicate_token = stop_on_duplicate_token;
                self
            }

            #items_method

            /// The stream of pages. Paging stops after a page without a next token, after a
            /// repeated token (see `stop_on_duplicate_token`) and after the first error.
            pub fn send(
                self,
            ) -> awsjson_runtime::paginator::PaginationStream<
                Result<super::#output_ty, awsjson_runtime::error::SdkError<super::#error>>,
            > {
                awsjson_runtime::paginator::Pages {
                    input: self.inner,
                    input_token: super::builders::#fluent::#get,
                    set_input_token: super::builders::#fluent::#set,
                    output_token: |output: &super::#output_ty| #output_token,
                    stop_on_duplicate_token: self.stop_on_duplicate_token,
                }
                .send(super::builders::#fluent::send)
            }
        }

        #items_struct
    })
}

fn find<'a>(members: &'a [Member], wire: &str) -> Option<&'a Member> {
    members.iter().find(|m| m.wire_name == wire)
}
