//! String enums, int enums and unions: non-exhaustive, with an `Unknown` variant that
//! keeps what an older SDK does not know.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{doc_attrs, ident, Types};
use crate::ir::{EnumVariant, IntEnumVariant, Member, Shape, Type};

/// A string enum.
pub fn string_enum(shape: &Shape, variants: &[EnumVariant]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` enum.", shape.name),
    );
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = variants.iter().map(|v| {
        let mut text = v
            .docs
            .clone()
            .unwrap_or_else(|| format!("The `{}` value.", v.value));
        if let Some(d) = &v.deprecated {
            text.push_str(&format!("<p>Deprecated: {}</p>", d.note()));
        }
        doc_attrs(Some(&text), "")
    });
    let example = values.first().copied().unwrap_or("value");
    let usage = format!(
        " Parse with `\"{example}\".parse::<{}>()` or `{}::from(\"{example}\")`; unknown values are kept in `Unknown`.",
        shape.rust_name, shape.rust_name
    );
    quote! {
        #docs
        #[doc = ""]
        #[doc = #usage]
        #[non_exhaustive]
        #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the SDK does not know; it keeps the value as received.
            Unknown(crate::primitives::UnknownVariantValue),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#idents => #values, )*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the SDK knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }

            /// Parses a known value; unknown values are an error instead of `Unknown`.
            pub fn try_parse(value: &str) -> Result<Self, crate::primitives::UnknownVariantError> {
                match Self::from(value) {
                    #name::Unknown(_) => Err(crate::primitives::UnknownVariantError::new(value)),
                    known => Ok(known),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => #name::#idents, )*
                    other => #name::Unknown(crate::primitives::UnknownVariantValue::from_wire(other)),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// An integer enum.
pub fn int_enum(shape: &Shape, variants: &[IntEnumVariant]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` enum.", shape.name),
    );
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<i32> = variants.iter().map(|v| v.value).collect();
    let variant_docs = variants
        .iter()
        .map(|v| doc_attrs(v.docs.as_deref(), &format!("The value `{}`.", v.value)));
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the SDK does not know.
            Unknown(i32),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #( #name::#idents => #values, )*
                    #name::Unknown(value) => *value,
                }
            }

            /// Every value this version of the SDK knows.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #( #values => #name::#idents, )*
                    other => #name::Unknown(other),
                }
            }
        }
    }
}

/// A union: one variant per member, plus `Unknown` for members added later.
pub fn union(types: &Types<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` union.", shape.name),
    );
    let variant_names: Vec<String> = members
        .iter()
        .map(|m| crate::naming::enum_variant(&m.wire_name))
        .collect();
    let variants = members.iter().zip(&variant_names).map(|(m, v)| {
        let v = ident(v);
        let docs = doc_attrs(
            m.docs.as_deref(),
            &format!("The `{}` variant.", m.wire_name),
        );
        match &m.target {
            Type::Unit => quote! { #docs #v, },
            _ => {
                let ty = union_variant_type(types, m);
                quote! { #docs #v(#ty), }
            }
        }
    });
    let helpers = members.iter().zip(&variant_names).map(|(m, v)| {
        let variant = ident(v);
        let is = format_ident!("is_{}", m.bare_field());
        let is_doc = format!(" Whether this is the `{}` variant.", m.wire_name);
        if m.target == Type::Unit {
            return quote! {
                #[doc = #is_doc]
                pub fn #is(&self) -> bool {
                    matches!(self, #name::#variant)
                }
            };
        }
        let as_fn = format_ident!("as_{}", m.bare_field());
        let ty = types.rust_type(&m.target);
        let value = if m.boxed {
            quote! { value.as_ref() }
        } else {
            quote! { value }
        };
        let as_doc = format!(
            " The `{}` value, or `Err(self)` for another variant.",
            m.wire_name
        );
        quote! {
            #[doc = #as_doc]
            pub fn #as_fn(&self) -> Result<&#ty, &Self> {
                if let #name::#variant(value) = self {
                    Ok(#value)
                } else {
                    Err(self)
                }
            }

            #[doc = #is_doc]
            pub fn #is(&self) -> bool {
                self.#as_fn().is_ok()
            }
        }
    });
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A variant this version of the SDK does not know (a newer service added it).
            #[non_exhaustive]
            Unknown,
        }

        impl #name {
            #(#helpers)*

            /// Whether the service sent a variant this version of the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown)
            }
        }
    }
}

/// The payload type of a union variant (boxed when recursive).
fn union_variant_type(types: &Types<'_>, m: &Member) -> TokenStream {
    let inner = types.rust_type(&m.target);
    if m.boxed {
        quote! { Box<#inner> }
    } else {
        inner
    }
}
