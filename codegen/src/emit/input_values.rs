//! Rust expressions that build a value of a generated type from JSON, for the
//! `operationInputs` of endpoint test cases (DynamoDB's `BatchGetItem` cases give a map of
//! structures of lists of unions). Names come from the IR; a value that does not fit its
//! type, or a type tests never need (big numbers, documents), is an `Err` with the reason,
//! which the caller turns into a note on the test rather than wrong code.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::common::{ident, Types};
use crate::ir::{ShapeKind, Type};

/// An expression of type `ty` (as the builder setters take it, unboxed) holding `v`.
pub fn value_expr(types: &Types<'_>, ty: &Type, v: &Value) -> Result<TokenStream, String> {
    let mismatch = || format!("the value {v} does not fit {ty:?}");
    let int = |v: &Value| v.as_i64().ok_or_else(mismatch);
    Ok(match ty {
        Type::String => {
            let s = v.as_str().ok_or_else(mismatch)?;
            quote! { #s.to_string() }
        }
        Type::Boolean => {
            let b = v.as_bool().ok_or_else(mismatch)?;
            quote! { #b }
        }
        Type::Byte => {
            let n = i8::try_from(int(v)?).map_err(|_| mismatch())?;
            quote! { #n }
        }
        Type::Short => {
            let n = i16::try_from(int(v)?).map_err(|_| mismatch())?;
            quote! { #n }
        }
        Type::Integer => {
            let n = i32::try_from(int(v)?).map_err(|_| mismatch())?;
            quote! { #n }
        }
        Type::Long => {
            let n = int(v)?;
            quote! { #n }
        }
        Type::Float | Type::Double => {
            let n = v.as_f64().filter(|n| n.is_finite()).ok_or_else(mismatch)?;
            if *ty == Type::Float {
                // Precision loss is what an f32 member means.
                #[allow(clippy::cast_possible_truncation)]
                let n = n as f32;
                quote! { #n }
            } else {
                quote! { #n }
            }
        }
        Type::Blob => {
            let s = v.as_str().ok_or_else(mismatch)?;
            quote! { crate::primitives::Blob::new(#s.as_bytes()) }
        }
        Type::Timestamp(_) => {
            let secs = int(v)?;
            quote! { crate::primitives::DateTime::from_secs(#secs) }
        }
        Type::BigInteger | Type::BigDecimal | Type::Document | Type::Unit => {
            return Err(format!(
                "a value of type {ty:?} is not built by endpoint tests"
            ))
        }
        Type::List { member, sparse } => {
            let items = v.as_array().ok_or_else(mismatch)?;
            let items = items
                .iter()
                .map(|item| optional(types, member, *sparse, item))
                .collect::<Result<Vec<_>, _>>()?;
            quote! { vec![#(#items),*] }
        }
        Type::Map { key, value, sparse } => {
            let entries = v.as_object().ok_or_else(mismatch)?;
            let entries = entries
                .iter()
                .map(|(k, item)| {
                    let k = value_expr(types, key, &Value::String(k.clone()))?;
                    let item = optional(types, value, *sparse, item)?;
                    Ok(quote! { (#k, #item) })
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote! { std::collections::HashMap::from([#(#entries),*]) }
        }
        Type::Named(id) => named(types, id, v)?,
    })
}

/// A list or map element: `Some(..)` / `None` when `sparse`.
fn optional(types: &Types<'_>, ty: &Type, sparse: bool, v: &Value) -> Result<TokenStream, String> {
    match (sparse, v.is_null()) {
        (true, true) => Ok(quote! { None }),
        (true, false) => {
            let inner = value_expr(types, ty, v)?;
            Ok(quote! { Some(#inner) })
        }
        (false, _) => value_expr(types, ty, v),
    }
}

/// A structure (through its builder), union, enum or int enum.
fn named(types: &Types<'_>, id: &str, v: &Value) -> Result<TokenStream, String> {
    let shape = types.shape(id).map_err(|e| e.to_string())?;
    let path = types.rust_type(&Type::Named(id.to_string()));
    let mismatch = || format!("the value {v} does not fit `{id}`");
    Ok(match &shape.kind {
        ShapeKind::Enum(_) => {
            let s = v.as_str().ok_or_else(mismatch)?;
            quote! { #path::from(#s) }
        }
        ShapeKind::IntEnum(_) => {
            let n = v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(mismatch)?;
            quote! { #path::from(#n) }
        }
        ShapeKind::Union(members) => {
            let obj = v.as_object().ok_or_else(mismatch)?;
            let set: Vec<(&String, &Value)> = obj.iter().filter(|(_, v)| !v.is_null()).collect();
            let [(wire, value)] = set.as_slice() else {
                return Err(format!("the union value {v} must set exactly one member"));
            };
            let m = members
                .iter()
                .find(|m| &m.wire_name == *wire)
                .ok_or_else(|| format!("`{id}` has no member `{wire}`"))?;
            let variant = ident(&m.variant_names(id).map_err(|e| e.to_string())?.variant);
            let inner = boxed(value_expr(types, &m.target, value)?, m.boxed);
            quote! { #path::#variant(#inner) }
        }
        ShapeKind::Structure(s) => {
            let setters = setters(types, id, v)?;
            let build = if s.fallible_build() {
                quote! { .build().expect("the case's value is valid") }
            } else {
                quote! { .build() }
            };
            quote! { #path::builder() #(#setters)* #build }
        }
    })
}

/// `.set_member(Some(value))` for each member of structure `id` that `v` sets.
pub fn setters(types: &Types<'_>, id: &str, v: &Value) -> Result<Vec<TokenStream>, String> {
    let shape = types.shape(id).map_err(|e| e.to_string())?;
    let ShapeKind::Structure(s) = &shape.kind else {
        return Err(format!("`{id}` is not a structure"));
    };
    let obj = v
        .as_object()
        .ok_or_else(|| format!("the value {v} of `{id}` is not an object"))?;
    let mut out = Vec::new();
    for (wire, value) in obj.iter().filter(|(_, v)| !v.is_null()) {
        let m = s
            .members
            .iter()
            .find(|m| &m.wire_name == wire)
            .ok_or_else(|| format!("`{id}` has no member `{wire}`"))?;
        let set = ident(&m.setter);
        let inner = boxed(value_expr(types, &m.target, value)?, m.boxed);
        out.push(quote! { .#set(Some(#inner)) });
    }
    Ok(out)
}

fn boxed(tokens: TokenStream, boxed: bool) -> TokenStream {
    if boxed {
        quote! { Box::new(#tokens) }
    } else {
        tokens
    }
}
