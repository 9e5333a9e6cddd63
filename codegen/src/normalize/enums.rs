//! The variants of string enums (`enum` shapes and legacy `@enum` strings) and intEnums,
//! with their wire values. Their Rust names come later, from the naming pass.

use serde_json::Value;

use super::{deprecated, string_trait, TRAIT_DOCS};
use crate::error::Error;
use crate::ir::{Deprecated, EnumVariant, IntEnumVariant};
use crate::model::{RawMember, RawShape};

/// The variants of an `enum` shape.
pub fn enum_variants(id: &str, raw: &RawShape) -> Result<Vec<EnumVariant>, Error> {
    let mut out = Vec::new();
    for (name, value) in &raw.members {
        let member = RawMember::parse(id, name, value)?;
        let wire = match member.traits.get("smithy.api#enumValue") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(Error::InvalidShape {
                    shape: format!("{id}${name}"),
                    reason: "`enumValue` of a string enum must be a string".into(),
                })
            }
            None => name.clone(),
        };
        out.push(EnumVariant {
            name: name.clone(),
            rust_name: String::new(),
            value: wire,
            docs: string_trait(&member.traits, TRAIT_DOCS),
            deprecated: deprecated(&member.traits),
        });
    }
    Ok(out)
}

pub fn legacy_enum_variants(id: &str, raw: &RawShape) -> Result<Vec<EnumVariant>, Error> {
    let defs = raw
        .traits
        .get("smithy.api#enum")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::InvalidShape {
            shape: id.to_string(),
            reason: "`smithy.api#enum` must be a list".into(),
        })?;
    let mut out = Vec::new();
    for def in defs {
        let value =
            def.get("value")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::InvalidShape {
                    shape: id.to_string(),
                    reason: "an enum definition without `value`".into(),
                })?;
        let name = def.get("name").and_then(Value::as_str).unwrap_or(value);
        out.push(EnumVariant {
            name: name.to_string(),
            rust_name: String::new(),
            value: value.to_string(),
            docs: def
                .get("documentation")
                .and_then(Value::as_str)
                .map(str::to_string),
            deprecated: def
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                .then(Deprecated::default),
        });
    }
    Ok(out)
}

pub fn int_enum_variants(id: &str, raw: &RawShape) -> Result<Vec<IntEnumVariant>, Error> {
    let mut out = Vec::new();
    for (name, value) in &raw.members {
        let member = RawMember::parse(id, name, value)?;
        let wire = member
            .traits
            .get("smithy.api#enumValue")
            .and_then(Value::as_i64)
            .and_then(|v| i32::try_from(v).ok())
            .ok_or_else(|| Error::InvalidShape {
                shape: format!("{id}${name}"),
                reason: "an intEnum member needs an integer `enumValue`".into(),
            })?;
        out.push(IntEnumVariant {
            name: name.clone(),
            rust_name: String::new(),
            value: wire,
            docs: string_trait(&member.traits, TRAIT_DOCS),
        });
    }
    Ok(out)
}
