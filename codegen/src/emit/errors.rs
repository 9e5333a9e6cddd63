//! Error shapes (the traits every modeled error implements) and the error enum of each
//! operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, model_doc_attrs, Types};
use crate::error::Error;
use crate::ir::{Operation, Shape, ShapeKind, Type};

/// Display, Error, ProvideErrorMetadata and RequestId for a modeled error structure.
pub fn error_impls(shape: &Shape) -> Result<TokenStream, Error> {
    let name = ident(&shape.rust_name);
    let code = &shape.name;
    let ShapeKind::Structure(s) = &shape.kind else {
        return Err(Error::Internal {
            shape: shape.id.clone(),
            reason: "error impls for a shape that is not a structure".into(),
        });
    };
    // The modeled message member, if any; the metadata's message otherwise.
    let message = s
        .members
        .iter()
        .find(|m| m.wire_name.eq_ignore_ascii_case("message") && m.target == Type::String);
    let message_expr = match message {
        Some(m) if m.optional => {
            let f = ident(&m.field);
            quote! { self.#f.as_deref().or_else(|| self.meta.message()) }
        }
        Some(m) => {
            let f = ident(&m.field);
            quote! { Some(self.#f.as_str()) }
        }
        None => quote! { self.meta.message() },
    };
    Ok(quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                awsjson_runtime::generated_support::fmt_modeled_error(f, #code, #message_expr, &self.meta)
            }
        }

        impl std::error::Error for #name {}

        impl awsjson_runtime::generated_support::ModeledError for #name {
            fn set_meta(&mut self, meta: awsjson_runtime::error::ErrorMetadata) {
                self.meta = meta;
            }
        }

        impl awsjson_runtime::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &awsjson_runtime::error::ErrorMetadata {
                &self.meta
            }
        }

        impl awsjson_runtime::error::RequestId for #name {
            fn request_id(&self) -> Option<&str> {
                self.meta.request_id()
            }
        }
    })
}

/// The error enum of an operation: a variant per modeled error, plus `Unhandled`.
pub fn operation_error(types: &Types<'_>, op: &Operation) -> Result<TokenStream, Error> {
    let name = ident(&op.error_name);
    let doc = format!(" Errors of the `{}` operation.", op.name);
    let mut shapes = Vec::new();
    let mut is_names = Vec::new();
    for id in &op.errors {
        let shape = types.shape(id)?;
        match &shape.kind {
            ShapeKind::Structure(s) if s.error.is_some() => {
                is_names.extend(s.error.as_ref().map(|e| e.is_fn.as_str()));
            }
            _ => {
                return Err(Error::Internal {
                    shape: id.clone(),
                    reason: format!("error of `{}` without the error trait", op.id),
                })
            }
        }
        shapes.push(shape);
    }
    let variants: Vec<_> = shapes.iter().map(|s| ident(&s.rust_name)).collect();
    let paths: Vec<_> = op.errors.iter().map(|id| types.named_path(id)).collect();
    let variant_docs = shapes.iter().map(|s| model_doc_attrs(s.docs.as_deref()));
    let is_fns = shapes.iter().zip(&is_names).map(|(s, is)| {
        let is = ident(is);
        let v = ident(&s.rust_name);
        let doc = format!(" Whether this is a `{}`.", s.name);
        quote! {
            #[doc = #doc]
            pub fn #is(&self) -> bool {
                matches!(self, Self::#v(_))
            }
        }
    });
    Ok(quote! {
        #[doc = #doc]
        ///
        /// Match on the variants to handle the errors the model describes; every other
        /// error (unknown codes, unreadable error bodies) is `Unhandled`, which still
        /// carries the code, message, status and request id.
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #( #variant_docs #variants(#paths), )*
            /// An error the model does not describe. Inspect it with `code()`, `message()`
            /// and `meta()`.
            Unhandled(awsjson_runtime::error::Unhandled),
        }

        impl #name {
            /// An unhandled error from any error source.
            pub fn unhandled(source: impl Into<awsjson_runtime::error::BoxError>) -> Self {
                Self::Unhandled(awsjson_runtime::error::Unhandled::new(source.into(), None))
            }

            /// An unhandled error from the metadata of an unknown error code.
            pub fn generic(meta: awsjson_runtime::error::ErrorMetadata) -> Self {
                Self::Unhandled(awsjson_runtime::error::Unhandled::new(Box::new(meta.clone()), Some(meta)))
            }

            /// The error metadata (code, message, request id).
            pub fn meta(&self) -> &awsjson_runtime::error::ErrorMetadata {
                match self {
                    #( Self::#variants(e) => &e.meta, )*
                    Self::Unhandled(e) => e.meta(),
                }
            }

            #(#is_fns)*
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #( Self::#variants(e) => std::fmt::Display::fmt(e, f), )*
                    Self::Unhandled(e) => std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #( Self::#variants(e) => Some(e), )*
                    Self::Unhandled(e) => Some(e),
                }
            }
        }

        impl awsjson_runtime::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &awsjson_runtime::error::ErrorMetadata {
                self.meta()
            }
        }

        impl awsjson_runtime::error::RequestId for #name {
            fn request_id(&self) -> Option<&str> {
                self.meta().request_id()
            }
        }

        impl awsjson_runtime::error::CreateUnhandledError for #name {
            fn create_unhandled_error(
                source: awsjson_runtime::error::BoxError,
                meta: Option<awsjson_runtime::error::ErrorMetadata>,
            ) -> Self {
                Self::Unhandled(awsjson_runtime::error::Unhandled::new(source, meta))
            }
        }
    })
}
