//! Helpers every emitter shares: rustdoc attributes, identifiers, type paths.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::docs;
use crate::ir::{Deprecated, Member, Service, ShapeKind, Type};

/// Width at which generated doc comments are wrapped.
const DOC_WIDTH: usize = 92;

/// `#[doc = ...]` attributes from model documentation, or from `fallback` when the model
/// has none (every public item gets rustdoc).
pub fn doc_attrs(docs: Option<&str>, fallback: &str) -> TokenStream {
    let lines = match docs.map(|d| docs::to_markdown(d, DOC_WIDTH)) {
        Some(lines) if !lines.is_empty() => lines,
        _ => vec![fallback.to_string()],
    };
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Inner `#![doc = ...]` attributes for a module.
pub fn inner_doc_attrs(lines: &[&str]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// `#[deprecated(note = ...)]` when deprecated.
pub fn deprecated_attr(deprecated: Option<&Deprecated>) -> TokenStream {
    match deprecated {
        Some(d) => {
            let note = d.note();
            quote! { #[deprecated(note = #note)] }
        }
        None => TokenStream::new(),
    }
}

/// An identifier that may be a raw identifier (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The field identifier of a member.
pub fn field(member: &Member) -> Ident {
    ident(&member.field)
}

/// `set_<field>` / `get_<field>` style identifiers.
pub fn prefixed(prefix: &str, member: &Member) -> Ident {
    format_ident!("{}_{}", prefix, member.bare_field())
}

/// Resolves Rust types and paths of IR types within a service.
pub struct Types<'a> {
    /// The service.
    pub service: &'a Service,
}

impl<'a> Types<'a> {
    /// The path of a named shape's type, e.g. `crate::types::Container`.
    pub fn named_path(&self, id: &str) -> TokenStream {
        let shape = &self.service.shapes[id];
        let name = ident(&shape.rust_name);
        let module = module_path(&shape.module);
        quote! { crate::#module::#name }
    }

    /// The Rust type of an IR type (without the outer `Option`).
    pub fn rust_type(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::String => quote! { String },
            Type::Boolean => quote! { bool },
            Type::Byte => quote! { i8 },
            Type::Short => quote! { i16 },
            Type::Integer => quote! { i32 },
            Type::Long => quote! { i64 },
            Type::Float => quote! { f32 },
            Type::Double => quote! { f64 },
            Type::BigInteger => quote! { crate::primitives::BigInteger },
            Type::BigDecimal => quote! { crate::primitives::BigDecimal },
            Type::Timestamp(_) => quote! { crate::primitives::DateTime },
            Type::Blob => quote! { crate::primitives::Blob },
            Type::Document => quote! { crate::primitives::Document },
            Type::Unit => quote! { () },
            Type::Named(id) => self.named_path(id),
            Type::List { member, sparse } => {
                let inner = self.rust_type(member);
                if *sparse {
                    quote! { Vec<Option<#inner>> }
                } else {
                    quote! { Vec<#inner> }
                }
            }
            Type::Map { key, value, sparse } => {
                let key = self.rust_type(key);
                let value = self.rust_type(value);
                if *sparse {
                    quote! { std::collections::HashMap<#key, Option<#value>> }
                } else {
                    quote! { std::collections::HashMap<#key, #value> }
                }
            }
        }
    }

    /// The member's field type (boxed and optional as decided by the IR).
    pub fn field_type(&self, member: &Member) -> TokenStream {
        let inner = self.rust_type(&member.target);
        let inner = if member.boxed {
            quote! { Box<#inner> }
        } else {
            inner
        };
        if member.optional {
            quote! { Option<#inner> }
        } else {
            inner
        }
    }

    /// Whether a named shape is an enum (string or int) — `Copy`-less but cheap to clone.
    pub fn is_enum(&self, ty: &Type) -> bool {
        match ty {
            Type::Named(id) => matches!(
                self.service.shapes[id].kind,
                ShapeKind::Enum(_) | ShapeKind::IntEnum(_)
            ),
            _ => false,
        }
    }
}

/// `types::error` -> tokens `types::error`.
pub fn module_path(module: &str) -> TokenStream {
    let parts = module.split("::").map(ident);
    quote! { #(#parts)::* }
}

/// A literal for a member's default value of the given type, if it has one.
pub fn default_literal(
    types: &Types<'_>,
    ty: &Type,
    value: &serde_json::Value,
) -> Option<TokenStream> {
    use serde_json::Value;
    Some(match (ty, value) {
        (Type::Boolean, Value::Bool(b)) => quote! { #b },
        (Type::Byte, Value::Number(n)) => {
            let v = i8::try_from(n.as_i64()?).ok()?;
            quote! { #v }
        }
        (Type::Short, Value::Number(n)) => {
            let v = i16::try_from(n.as_i64()?).ok()?;
            quote! { #v }
        }
        (Type::Integer, Value::Number(n)) => {
            let v = i32::try_from(n.as_i64()?).ok()?;
            quote! { #v }
        }
        (Type::Long, Value::Number(n)) => {
            let v = n.as_i64()?;
            quote! { #v }
        }
        (Type::Float, Value::Number(n)) => {
            let v = n.as_f64()? as f32;
            quote! { #v }
        }
        (Type::Double, Value::Number(n)) => {
            let v = n.as_f64()?;
            quote! { #v }
        }
        (Type::String, Value::String(s)) if s.is_empty() => quote! { String::new() },
        (Type::String, Value::String(s)) => quote! { String::from(#s) },
        (Type::Named(_), Value::String(s)) if types.is_enum(ty) => {
            let path = types.rust_type(ty);
            quote! { #path::from(#s) }
        }
        (Type::List { .. }, Value::Array(a)) if a.is_empty() => quote! { Vec::new() },
        (Type::Map { .. }, Value::Object(o)) if o.is_empty() => {
            quote! { std::collections::HashMap::new() }
        }
        (Type::Timestamp(_), Value::Number(n)) => {
            let secs = n.as_i64()?;
            quote! { crate::primitives::DateTime::from_secs(#secs) }
        }
        (Type::Blob, Value::String(s)) if s.is_empty() => {
            quote! { crate::primitives::Blob::new(Vec::new()) }
        }
        (Type::Document, _) => return None,
        _ => return None,
    })
}

/// `value.unwrap_or(literal)`, lazily for literals that allocate, boxed when the field is.
pub fn unwrap_or_literal(
    value: &TokenStream,
    ty: &Type,
    boxed: bool,
    lit: TokenStream,
) -> TokenStream {
    if boxed {
        quote! { #value.unwrap_or_else(|| Box::new(#lit)) }
    } else if ty.is_copy() {
        quote! { #value.unwrap_or(#lit) }
    } else {
        quote! { #value.unwrap_or_else(|| #lit) }
    }
}

/// `#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]`.
pub fn serde_derive_attr() -> TokenStream {
    quote! { #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))] }
}

/// Whether a type holds a value without serde impls of its own on stable Rust
/// (timestamps, blobs, documents, big numbers), so its field needs
/// `awsjson_runtime::serde_support` as a `with` adapter.
pub fn needs_serde_adapter(ty: &Type) -> bool {
    match ty {
        Type::Timestamp(_) | Type::Blob | Type::Document | Type::BigInteger | Type::BigDecimal => {
            true
        }
        Type::List { member, .. } => needs_serde_adapter(member),
        Type::Map { value, .. } => needs_serde_adapter(value),
        _ => false,
    }
}

/// The serde attributes of a structure field: its wire name, absent when `None`, and the
/// runtime adapter for foreign value types.
pub fn serde_field_attrs(member: &Member) -> TokenStream {
    let wire = &member.wire_name;
    let mut args = vec![quote! { rename = #wire }];
    if member.optional {
        args.push(quote! { default });
        args.push(quote! { skip_serializing_if = "Option::is_none" });
    }
    if needs_serde_adapter(&member.target) {
        args.push(quote! { with = "awsjson_runtime::serde_support" });
    }
    quote! { #[cfg_attr(feature = "serde", serde(#(#args),*))] }
}

/// The `serde` entry of the crate docs' `## Features` list: what is serialized and how.
pub fn serde_feature_docs() -> Vec<String> {
    [
        "- `serde`: `serde::Serialize` and `serde::Deserialize` for every structure, enum and \
         union, on stable Rust (no `--cfg aws_sdk_unstable`). The JSON looks like the service's:",
        "  - members under their wire names (`serviceName`); unset (`None`) members are \
           omitted and may be absent on input;",
        "  - enums as their wire string, unknown values kept in `Unknown`; int enums as the \
           integer;",
        "  - unions as an object with one member (`{\"text\":\"x\"}`; a unit member's value is \
           `{}`); an `Unknown` union value cannot be serialized and gives an error;",
        "  - timestamps as RFC 3339 UTC strings exact to the nanosecond \
           (`2022-05-11T02:11:31.5Z`), epoch-second numbers accepted on input; blobs as \
           base64 strings; documents as plain JSON values; big numbers as decimal strings \
           (see `awsjson_runtime::serde_support`);",
        "  - the request id of outputs and the metadata of errors are not members and are \
           not serialized.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}
