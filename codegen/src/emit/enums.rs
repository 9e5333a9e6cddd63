//! String enums, int enums and unions: non-exhaustive, with an `Unknown` variant that
//! keeps what an older SDK does not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, model_doc_attrs, needs_serde_adapter, Types};
use crate::error::Error;
use crate::ir::{EnumVariant, IntEnumVariant, Member, Shape, ShapeKind, Type, VariantNames};

/// A string enum.
pub fn string_enum(shape: &Shape, variants: &[EnumVariant]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = model_doc_attrs(shape.docs.as_deref());
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = variants.iter().map(|v| {
        let mut text = v.docs.clone();
        if let Some(d) = &v.deprecated {
            let text = text.get_or_insert_with(String::new);
            text.push_str(&format!("<p>Deprecated: {}</p>", d.note()));
        }
        model_doc_attrs(text.as_deref())
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
            #[deprecated(note = "Don't directly match on `Unknown`. See the docs on this enum for the correct way to handle unknown variants.")]
            Unknown(crate::primitives::UnknownVariantValue),
        }

        #[allow(deprecated)]
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

        #[allow(deprecated)]
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

        /// As the wire string; unknown values round-trip through `Unknown`.
        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// From any string; unknown values are kept in `Unknown`.
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                awsjson_runtime::serde_support::deserialize_string_enum(deserializer)
            }
        }
    }
}

/// An integer enum.
pub fn int_enum(shape: &Shape, variants: &[IntEnumVariant]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = model_doc_attrs(shape.docs.as_deref());
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<i32> = variants.iter().map(|v| v.value).collect();
    let variant_docs = variants.iter().map(|v| model_doc_attrs(v.docs.as_deref()));
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the SDK does not know.
            #[deprecated(note = "Don't directly match on `Unknown`. See the docs on this enum for the correct way to handle unknown variants.")]
            Unknown(i32),
        }

        #[allow(deprecated)]
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

        #[allow(deprecated)]
        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #( #values => #name::#idents, )*
                    other => #name::Unknown(other),
                }
            }
        }

        /// As the integer on the wire.
        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.value())
            }
        }

        /// From any `i32`; unknown values are kept in `Unknown`.
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i32 as serde::Deserialize>::deserialize(deserializer).map(#name::from)
            }
        }
    }
}

/// A union: one variant per member, plus `Unknown` for members added later.
pub fn union(types: &Types<'_>, shape: &Shape, members: &[Member]) -> Result<TokenStream, Error> {
    let name = ident(&shape.rust_name);
    let docs = model_doc_attrs(shape.docs.as_deref());
    let variant_names: Vec<&VariantNames> = members
        .iter()
        .map(|m| m.variant_names(&shape.id))
        .collect::<Result<_, _>>()?;
    let variants = members.iter().zip(&variant_names).map(|(m, v)| {
        let v = ident(&v.variant);
        let docs = model_doc_attrs(m.docs.as_deref());
        match &m.target {
            Type::Unit => quote! { #docs #v, },
            _ => {
                let ty = union_variant_type(types, m);
                quote! { #docs #v(#ty), }
            }
        }
    });
    let helpers = members.iter().zip(&variant_names).map(|(m, v)| {
        let variant = ident(&v.variant);
        let is = ident(&v.is_fn);
        let is_doc = format!(" Whether this is the `{}` variant.", m.wire_name);
        if m.target == Type::Unit {
            return quote! {
                #[doc = #is_doc]
                pub fn #is(&self) -> bool {
                    matches!(self, #name::#variant)
                }
            };
        }
        let as_fn = ident(&v.as_fn);
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
    let serde_impls = union_serde(types, shape, members, &variant_names);
    // A structure variant can be hundreds of bytes next to `Unknown`; aws-sdk-rust keeps
    // variants unboxed too, so matching code written for it ports unchanged.
    let size_allow = members
        .iter()
        .any(|m| {
            !m.boxed
                && matches!(&m.target, Type::Named(id)
                    if matches!(types.service.shapes[id].kind, ShapeKind::Structure(_)))
        })
        .then(|| {
            quote! {
                #[allow(
                    clippy::large_enum_variant,
                    reason = "variants are unboxed, as in aws-sdk-rust, so matching code ports unchanged"
                )]
            }
        });
    Ok(quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq)]
        #size_allow
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

        #serde_impls
    })
}

/// serde for a union, as on the wire: an object with one member, keyed by its wire name
/// (`{"text":"x"}`; a unit member's value is `{}`). `Unknown` cannot be serialized (its
/// value was not kept); unknown members deserialize to `Unknown`.
fn union_serde(
    types: &Types<'_>,
    shape: &Shape,
    members: &[Member],
    variant_names: &[&VariantNames],
) -> TokenStream {
    let name = ident(&shape.rust_name);
    let rust_name = &shape.rust_name;
    let expecting = format!("an object with one member of union `{}`", shape.rust_name);
    let ser_arms = members.iter().zip(variant_names).map(|(m, v)| {
        let variant = ident(&v.variant);
        let key = &m.wire_name;
        if m.target == Type::Unit {
            return quote! {
                #name::#variant => map.serialize_entry(#key, &awsjson_runtime::serde_support::EmptyObject)?,
            };
        }
        if needs_serde_adapter(&m.target) {
            quote! {
                #name::#variant(value) => map.serialize_entry(#key, &awsjson_runtime::serde_support::AsSerialize(value))?,
            }
        } else {
            quote! { #name::#variant(value) => map.serialize_entry(#key, value)?, }
        }
    });
    let de_arms = members.iter().zip(variant_names).map(|(m, v)| {
        let variant = ident(&v.variant);
        let key = &m.wire_name;
        if m.target == Type::Unit {
            return quote! {
                #key => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    variant = Some(#name::#variant);
                }
            };
        }
        let ty = union_variant_type(types, m);
        let read = if needs_serde_adapter(&m.target) {
            quote! {
                map.next_value::<Option<awsjson_runtime::serde_support::FromDeserialize<#ty>>>()?.map(|v| v.0)
            }
        } else {
            quote! { map.next_value::<Option<#ty>>()? }
        };
        // A `null` member is no member, as on the wire.
        quote! {
            #key => {
                if let Some(value) = #read {
                    variant = Some(#name::#variant(value));
                }
            }
        }
    });
    quote! {
        /// An object with one member, keyed by its wire name; `Unknown` is an error.
        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                if let #name::Unknown = self {
                    return Err(awsjson_runtime::serde_support::unknown_union_variant(#rust_name));
                }
                let mut map = serializer.serialize_map(Some(1))?;
                match self {
                    #(#ser_arms)*
                    #name::Unknown => {}
                }
                map.end()
            }
        }

        /// An object with one member, keyed by its wire name; unknown members give `Unknown`.
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct UnionVisitor;

                impl<'de> serde::de::Visitor<'de> for UnionVisitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let mut variant = None;
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                #(#de_arms)*
                                // Servers may tag union values with their type; it is not a member.
                                "__type" => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                    variant = Some(#name::Unknown);
                                }
                            }
                        }
                        variant.ok_or_else(|| awsjson_runtime::serde_support::empty_union(#rust_name))
                    }
                }

                deserializer.deserialize_map(UnionVisitor)
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
