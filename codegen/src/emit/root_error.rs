//! The crate-root `Error` (`src/error_meta.rs`, as aws-sdk-rust's): the service-wide enum
//! every operation's error converts into, so `?` works in a function returning
//! `Result<_, crate::Error>`.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, Types};
use super::crate_files::feature_cfg;
use crate::error::Error;
use crate::Settings;

/// The enum, its trait impls, and one `From` pair per operation error.
pub fn root_error_rs(types: &Types<'_>, settings: &Settings) -> Result<TokenStream, Error> {
    let root = &types.service.root_error;
    let name = ident(&root.name);
    let mut variants = Vec::new();
    let mut cfgs = Vec::new();
    let mut paths = Vec::new();
    for v in &root.variants {
        let shape = types.shape(&v.shape)?;
        variants.push(ident(&v.variant));
        cfgs.push(feature_cfg(types, settings, &v.operations)?);
        paths.push(types.named_path(&shape.id));
    }
    let variant_docs = root.variants.iter().map(|v| {
        format!(
            " The modeled error `{}`.",
            types.service.shapes[&v.shape].name
        )
    });
    let mut conversions = Vec::new();
    for op in &types.service.operations {
        let cfg = feature_cfg(types, settings, [&op.name])?;
        let module = ident(&op.module);
        let op_error = ident(&op.error_name);
        let op_variants: Vec<_> = op
            .errors
            .iter()
            .map(|id| types.shape(id).map(|s| ident(&s.rust_name)))
            .collect::<Result<_, _>>()?;
        conversions.push(quote! {
            #cfg
            impl<R> From<awsjson_runtime::error::SdkError<crate::operation::#module::#op_error, R>> for #name
            where
                R: std::fmt::Debug + Send + Sync + 'static,
            {
                fn from(err: awsjson_runtime::error::SdkError<crate::operation::#module::#op_error, R>) -> Self {
                    awsjson_runtime::generated_support::from_sdk_error(err, Self::from, Self::Unhandled)
                }
            }

            #cfg
            impl From<crate::operation::#module::#op_error> for #name {
                fn from(err: crate::operation::#module::#op_error) -> Self {
                    match err {
                        #( crate::operation::#module::#op_error::#op_variants(e) => Self::#op_variants(e), )*
                        crate::operation::#module::#op_error::Unhandled(e) => Self::Unhandled(e),
                    }
                }
            }
        });
    }
    Ok(quote! {
        //! The service-wide error: every operation's error converts into it.

        /// Any error of any operation of this service: a variant per modeled error, plus
        /// `Unhandled` for the rest (unknown error codes, and failures that are not service
        /// errors: construction, dispatch, timeouts, unreadable responses).
        ///
        /// `From` is implemented for every operation's error enum and for
        /// [`SdkError`](crate::error::SdkError) around it, so `?` works in a function returning
        /// `Result<_, crate::Error>`. `Display` shows the code and the message.
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #( #cfgs #[doc = #variant_docs] #variants(#paths), )*
            /// An error the model does not describe. Inspect it with `code()`, `message()`
            /// and `meta()` of [`ProvideErrorMetadata`](crate::error::ProvideErrorMetadata).
            Unhandled(awsjson_runtime::error::Unhandled),
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #( #cfgs Self::#variants(e) => std::fmt::Display::fmt(e, f), )*
                    Self::Unhandled(e) => std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #( #cfgs Self::#variants(e) => std::error::Error::source(e), )*
                    Self::Unhandled(e) => std::error::Error::source(e),
                }
            }
        }

        impl awsjson_runtime::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &awsjson_runtime::error::ErrorMetadata {
                match self {
                    #( #cfgs Self::#variants(e) => &e.meta, )*
                    Self::Unhandled(e) => e.meta(),
                }
            }
        }

        impl awsjson_runtime::error::RequestId for #name {
            fn request_id(&self) -> Option<&str> {
                awsjson_runtime::error::ProvideErrorMetadata::meta(self).request_id()
            }
        }

        #(#conversions)*
    })
}
