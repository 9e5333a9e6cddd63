//! Helpers every emitter shares: rustdoc attributes, identifiers, type paths.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::docs;
use crate::error::Error;
use crate::ir::{DefaultValue, Deprecated, Member, Service, Shape, ShapeKind, Type};

/// Width at which generated doc comments are wrapped.
const DOC_WIDTH: usize = 92;

/// `#[doc = ...]` attributes from model documentation, or from `fallback` when the model
/// has none (every public item gets rustdoc).
pub fn doc_attrs(docs: Option<&str>, fallback: &str) -> TokenStream {
    match docs.map(|d| docs::to_markdown(d, DOC_WIDTH)) {
        Some(lines) if !lines.is_empty() => doc_lines(&lines),
        _ => doc_lines(&[fallback.to_string()]),
    }
}

/// The rustdoc of an item the model describes: its documentation, or, where the model has
/// none, `#[allow(missing_docs)]` with the reason (as smithy-rs does). The crate warns on
/// undocumented public items; only those the model leaves undocumented are exempt, one
/// by one, and the generator never invents text that reads like documentation.
pub fn model_doc_attrs(docs: Option<&str>) -> TokenStream {
    match docs.map(|d| docs::to_markdown(d, DOC_WIDTH)) {
        Some(lines) if !lines.is_empty() => doc_lines(&lines),
        _ => quote! { #[allow(missing_docs, reason = "documentation missing in model")] },
    }
}

fn doc_lines(lines: &[String]) -> TokenStream {
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

/// Resolves Rust types and paths of IR types within a service. Shapes are looked up by
/// id; `emit` checked first that every id the IR refers to exists.
pub struct Types<'a> {
    /// The service.
    pub service: &'a Service,
    /// Each operation's cargo feature, by operation name.
    pub features: BTreeMap<&'a str, &'a str>,
}

impl<'a> Types<'a> {
    /// The lookups of a service.
    pub fn new(service: &'a Service) -> Self {
        let features = service
            .operations
            .iter()
            .map(|op| (op.name.as_str(), op.feature.as_str()))
            .collect();
        Types { service, features }
    }

    /// A shape by id; a missing one is a generator bug (normalize resolved every id).
    pub fn shape(&self, id: &str) -> Result<&'a Shape, Error> {
        self.service.shapes.get(id).ok_or_else(|| Error::Internal {
            shape: id.to_string(),
            reason: "the IR refers to a shape it does not contain".into(),
        })
    }

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

/// The literal of a member's default value (typed and range-checked by normalize).
pub fn default_literal(
    types: &Types<'_>,
    member_id: &str,
    ty: &Type,
    value: &DefaultValue,
) -> Result<TokenStream, Error> {
    let mismatch = || Error::Internal {
        shape: member_id.to_string(),
        reason: format!("default {value:?} does not fit type {ty:?}"),
    };
    Ok(match (ty, value) {
        (Type::Boolean, DefaultValue::Bool(b)) => quote! { #b },
        (Type::Byte, DefaultValue::Int(n)) => {
            let v = i8::try_from(*n).map_err(|_| mismatch())?;
            quote! { #v }
        }
        (Type::Short, DefaultValue::Int(n)) => {
            let v = i16::try_from(*n).map_err(|_| mismatch())?;
            quote! { #v }
        }
        (Type::Integer, DefaultValue::Int(n)) => {
            let v = i32::try_from(*n).map_err(|_| mismatch())?;
            quote! { #v }
        }
        (Type::Long, DefaultValue::Int(n)) => quote! { #n },
        (Type::Float, DefaultValue::Float(f)) => {
            let v = *f as f32;
            quote! { #v }
        }
        (Type::Double, DefaultValue::Float(f)) => quote! { #f },
        (Type::String, DefaultValue::String(s)) if s.is_empty() => quote! { String::new() },
        (Type::String, DefaultValue::String(s)) => quote! { String::from(#s) },
        (Type::Named(_), DefaultValue::Enum(s)) => {
            let path = types.rust_type(ty);
            quote! { #path::from(#s) }
        }
        (Type::Named(_), DefaultValue::IntEnum(n)) => {
            let path = types.rust_type(ty);
            quote! { #path::from(#n) }
        }
        (Type::List { .. }, DefaultValue::EmptyList) => quote! { Vec::new() },
        (Type::Map { .. }, DefaultValue::EmptyMap) => {
            quote! { std::collections::HashMap::new() }
        }
        (Type::Timestamp(_), DefaultValue::Timestamp(secs)) => {
            quote! { crate::primitives::DateTime::from_secs(#secs) }
        }
        (Type::Blob, DefaultValue::EmptyBlob) => {
            quote! { crate::primitives::Blob::new(Vec::new()) }
        }
        _ => return Err(mismatch()),
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
