//! `smithy.api#default` values, checked against the member's type and turned into a typed
//! [`DefaultValue`]. A default the generator cannot express is an error naming the member,
//! never a silent fallback to the type's zero value.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Error;
use crate::ir::{DefaultValue, Shape, ShapeKind, Type};

/// The typed default of member `member_id` (of type `ty`) from its model value.
pub fn convert(
    member_id: &str,
    ty: &Type,
    value: &Value,
    shapes: &BTreeMap<String, Shape>,
) -> Result<DefaultValue, Error> {
    let unsupported = |what: &str| Error::Unsupported {
        shape: member_id.to_string(),
        reason: format!("default value {value} {what}"),
    };
    let int_in = |min: i64, max: i64| -> Result<DefaultValue, Error> {
        match value.as_i64() {
            Some(n) if (min..=max).contains(&n) => Ok(DefaultValue::Int(n)),
            _ => Err(unsupported(&format!("is not an integer in {min}..={max}"))),
        }
    };
    match (ty, value) {
        (Type::Boolean, Value::Bool(b)) => Ok(DefaultValue::Bool(*b)),
        (Type::Byte, _) => int_in(i8::MIN.into(), i8::MAX.into()),
        (Type::Short, _) => int_in(i16::MIN.into(), i16::MAX.into()),
        (Type::Integer, _) => int_in(i32::MIN.into(), i32::MAX.into()),
        (Type::Long, _) => int_in(i64::MIN, i64::MAX),
        (Type::Float | Type::Double, Value::Number(n)) => n
            .as_f64()
            .map(DefaultValue::Float)
            .ok_or_else(|| unsupported("is not a number")),
        (Type::String, Value::String(s)) => Ok(DefaultValue::String(s.clone())),
        (Type::Timestamp(_), Value::Number(n)) => n
            .as_i64()
            .map(DefaultValue::Timestamp)
            .ok_or_else(|| unsupported("is not whole epoch seconds")),
        (Type::Blob, Value::String(s)) if s.is_empty() => Ok(DefaultValue::EmptyBlob),
        (Type::List { .. }, Value::Array(a)) if a.is_empty() => Ok(DefaultValue::EmptyList),
        (Type::Map { .. }, Value::Object(o)) if o.is_empty() => Ok(DefaultValue::EmptyMap),
        (Type::Named(id), _) => match (shapes.get(id).map(|s| &s.kind), value) {
            (Some(ShapeKind::Enum(_)), Value::String(s)) => Ok(DefaultValue::Enum(s.clone())),
            (Some(ShapeKind::IntEnum(_)), Value::Number(n)) => n
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(DefaultValue::IntEnum)
                .ok_or_else(|| unsupported("is not an i32")),
            _ => Err(unsupported(&format!(
                "for `{id}` is not supported (only string and int enums take defaults)"
            ))),
        },
        (Type::Blob | Type::List { .. } | Type::Map { .. }, _) => Err(unsupported(
            "is not supported: only empty blobs, lists and maps",
        )),
        (Type::Document | Type::BigInteger | Type::BigDecimal | Type::Unit, _) => Err(unsupported(
            &format!("for a {ty:?} member is not supported by this generator"),
        )),
        _ => Err(unsupported(&format!(
            "does not fit the member's type {ty:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(ty: Type, value: Value) -> Result<DefaultValue, Error> {
        convert("ns#S$m", &ty, &value, &BTreeMap::new())
    }

    #[test]
    fn typed_defaults() {
        assert_eq!(
            conv(Type::Boolean, Value::Bool(true)),
            Ok(DefaultValue::Bool(true))
        );
        assert_eq!(conv(Type::Byte, Value::from(-3)), Ok(DefaultValue::Int(-3)));
        assert_eq!(
            conv(Type::Double, Value::from(1.5)),
            Ok(DefaultValue::Float(1.5))
        );
        assert_eq!(
            conv(Type::String, Value::from("")),
            Ok(DefaultValue::String(String::new()))
        );
        assert_eq!(
            conv(Type::Blob, Value::from("")),
            Ok(DefaultValue::EmptyBlob)
        );
        assert_eq!(
            conv(
                Type::Timestamp(crate::ir::TimestampFormat::EpochSeconds),
                Value::from(10)
            ),
            Ok(DefaultValue::Timestamp(10))
        );
    }

    #[test]
    fn unsupported_defaults_name_the_member() {
        for (ty, value) in [
            (Type::Byte, Value::from(300)),
            (Type::Integer, Value::from("1")),
            (Type::Document, Value::from(1)),
            (
                Type::List {
                    member: Box::new(Type::String),
                    sparse: false,
                },
                serde_json::json!(["a"]),
            ),
            (Type::Named("ns#Missing".into()), Value::from("x")),
        ] {
            let err = conv(ty.clone(), value).expect_err("rejected");
            assert!(err.to_string().contains("`ns#S$m`"), "{ty:?}: {err}");
        }
    }
}
