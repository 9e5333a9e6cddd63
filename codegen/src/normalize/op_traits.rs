//! Traits that change how an operation is called rather than what it sends: auth
//! (`smithy.api#auth`, `smithy.api#optionalAuth`), `smithy.api#retryable` errors,
//! `awsQueryError` codes, and endpoint parameters (`smithy.rules#contextParam`,
//! `smithy.rules#staticContextParams`, `smithy.rules#operationContextParams`). Each is read
//! and checked here; problems are errors naming the shape.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::ir::{AuthKind, EndpointParam, Type};

/// The schemes the runtime can sign with.
const SIGV4: &str = "aws.auth#sigv4";

/// How an operation is authenticated: its `smithy.api#auth` list, else the service's, else
/// every scheme the service declares (SigV4 for AWS services). An empty list means no
/// auth; a list without SigV4 is unsupported. `smithy.api#optionalAuth` makes a signed
/// operation's signature optional.
pub fn auth(
    op_id: &str,
    op_traits: &Map<String, Value>,
    service_traits: &Map<String, Value>,
) -> Result<AuthKind, Error> {
    let list = op_traits
        .get("smithy.api#auth")
        .or_else(|| service_traits.get("smithy.api#auth"));
    let schemes: Option<Vec<&str>> = match list {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| {
                    v.as_str().ok_or_else(|| Error::InvalidShape {
                        shape: op_id.to_string(),
                        reason: format!("`smithy.api#auth` lists a non-string {v}"),
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        Some(other) => {
            return Err(Error::InvalidShape {
                shape: op_id.to_string(),
                reason: format!("`smithy.api#auth` is not a list: {other}"),
            })
        }
    };
    let optional = op_traits.contains_key("smithy.api#optionalAuth");
    match schemes {
        Some(s) if s.is_empty() => Ok(AuthKind::None),
        Some(s) if !s.contains(&SIGV4) => Err(Error::Unsupported {
            shape: op_id.to_string(),
            reason: format!(
                "auth scheme(s) {} are not supported; only `{SIGV4}` (or no auth) is",
                s.join(", ")
            ),
        }),
        _ if optional => Ok(AuthKind::Optional),
        _ => Ok(AuthKind::SigV4),
    }
}

/// `smithy.api#retryable` of an error shape: `Some(throttling)` when retryable.
pub fn retryable(traits: &Map<String, Value>) -> Option<bool> {
    traits.get("smithy.api#retryable").map(|v| {
        v.get("throttling")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    })
}

/// `aws.protocols#awsQueryError` `code` of an error shape.
pub fn query_error_code(id: &str, traits: &Map<String, Value>) -> Result<Option<String>, Error> {
    match traits.get("aws.protocols#awsQueryError") {
        None => Ok(None),
        Some(v) => match v.get("code").and_then(Value::as_str) {
            Some(code) if !code.is_empty() => Ok(Some(code.to_string())),
            _ => Err(Error::InvalidShape {
                shape: id.to_string(),
                reason: "`aws.protocols#awsQueryError` without a `code` string".into(),
            }),
        },
    }
}

/// The object of an operation's endpoint-parameter trait `name`, `None` when absent.
fn params_object<'a>(
    op_id: &str,
    traits: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a Map<String, Value>>, Error> {
    let Some(params) = traits.get(name) else {
        return Ok(None);
    };
    params
        .as_object()
        .map(Some)
        .ok_or_else(|| Error::InvalidShape {
            shape: op_id.to_string(),
            reason: format!("`{name}` is not an object"),
        })
}

/// `smithy.rules#staticContextParams`: `{"Name": {"value": v}}`, values string, boolean or
/// list of strings.
pub fn static_context_params(
    op_id: &str,
    traits: &Map<String, Value>,
) -> Result<Vec<(String, EndpointParam)>, Error> {
    let invalid = |reason: String| Error::InvalidShape {
        shape: op_id.to_string(),
        reason,
    };
    let Some(params) = params_object(op_id, traits, "smithy.rules#staticContextParams")? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, param) in params {
        let value = param
            .get("value")
            .ok_or_else(|| invalid(format!("static context parameter `{name}` has no `value`")))?;
        let value = match value {
            Value::String(s) => EndpointParam::String(s.clone()),
            Value::Bool(b) => EndpointParam::Bool(*b),
            Value::Array(items) => EndpointParam::StringArray(
                items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<_>>()
                    .ok_or_else(|| {
                        invalid(format!(
                            "static context parameter `{name}` is not a list of strings"
                        ))
                    })?,
            ),
            other => {
                return Err(invalid(format!(
                    "static context parameter `{name}` has unsupported value {other}"
                )))
            }
        };
        out.push((name.clone(), value));
    }
    Ok(out)
}

/// `smithy.rules#operationContextParams`: `{"Name": {"path": "<JMESPath over the input>"}}`,
/// as (parameter, path) in model order. The paths are compiled against the input's
/// accessors when the operation module is emitted (unsupported ones fail there, naming the
/// operation).
pub fn operation_context_params(
    op_id: &str,
    traits: &Map<String, Value>,
) -> Result<Vec<(String, String)>, Error> {
    let Some(params) = params_object(op_id, traits, "smithy.rules#operationContextParams")? else {
        return Ok(Vec::new());
    };
    let invalid = |reason: String| Error::InvalidShape {
        shape: op_id.to_string(),
        reason,
    };
    params
        .iter()
        .map(|(name, param)| {
            let path = param.get("path").and_then(Value::as_str).ok_or_else(|| {
                invalid(format!(
                    "operation context parameter `{name}` has no `path` string"
                ))
            })?;
            Ok((name.clone(), path.to_string()))
        })
        .collect()
}

/// `smithy.rules#contextParam` of an input member: the endpoint parameter it sets. Only
/// strings, string enums, booleans and lists of strings can be endpoint parameters.
pub fn context_param(
    member_id: &str,
    traits: &Map<String, Value>,
    target: &Type,
) -> Result<Option<String>, Error> {
    let Some(param) = traits.get("smithy.rules#contextParam") else {
        return Ok(None);
    };
    let name = param
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::InvalidShape {
            shape: member_id.to_string(),
            reason: "`smithy.rules#contextParam` without a `name` string".into(),
        })?;
    let supported = match target {
        Type::String | Type::Boolean | Type::Named(_) => true,
        Type::List { member, .. } => **member == Type::String,
        _ => false,
    };
    if !supported {
        return Err(Error::Unsupported {
            shape: member_id.to_string(),
            reason: format!(
                "context parameter `{name}` is bound to a member that is not a string, \
                 boolean or list of strings"
            ),
        });
    }
    Ok(Some(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn traits(v: Value) -> Map<String, Value> {
        v.as_object().cloned().expect("object")
    }

    #[test]
    fn auth_lists() {
        let none = Map::new();
        let sigv4_service = traits(json!({"smithy.api#auth": ["aws.auth#sigv4"]}));
        assert_eq!(auth("a#Op", &none, &none), Ok(AuthKind::SigV4));
        assert_eq!(
            auth(
                "a#Op",
                &traits(json!({"smithy.api#auth": []})),
                &sigv4_service
            ),
            Ok(AuthKind::None)
        );
        assert_eq!(
            auth(
                "a#Op",
                &traits(json!({"smithy.api#optionalAuth": {}})),
                &sigv4_service
            ),
            Ok(AuthKind::Optional)
        );
        assert_eq!(
            auth("a#Op", &none, &traits(json!({"smithy.api#auth": []}))),
            Ok(AuthKind::None)
        );
        let err = auth(
            "a#Op",
            &traits(json!({"smithy.api#auth": ["smithy.api#httpBearerAuth"]})),
            &none,
        )
        .expect_err("bearer only");
        assert!(err.to_string().contains("a#Op"), "{err}");
    }

    #[test]
    fn endpoint_params() {
        let t = traits(json!({"smithy.rules#staticContextParams": {
            "A": {"value": "x"}, "B": {"value": true}, "C": {"value": ["p", "q"]}}}));
        assert_eq!(
            static_context_params("a#Op", &t),
            Ok(vec![
                ("A".into(), EndpointParam::String("x".into())),
                ("B".into(), EndpointParam::Bool(true)),
                (
                    "C".into(),
                    EndpointParam::StringArray(vec!["p".into(), "q".into()])
                ),
            ])
        );
        let bad = traits(json!({"smithy.rules#staticContextParams": {"A": {"value": 1}}}));
        assert!(static_context_params("a#Op", &bad).is_err());
        let paths = traits(json!({"smithy.rules#operationContextParams": {
            "ResourceArnList": {"path": "keys(RequestItems)"}}}));
        assert_eq!(
            operation_context_params("a#Op", &paths),
            Ok(vec![(
                "ResourceArnList".into(),
                "keys(RequestItems)".into()
            )])
        );
        let no_path = traits(json!({"smithy.rules#operationContextParams": {"A": {}}}));
        let err = operation_context_params("a#Op", &no_path).expect_err("no path");
        assert!(err.to_string().contains("a#Op"), "{err}");
        let ctx = traits(json!({"smithy.rules#contextParam": {"name": "ResourceArn"}}));
        assert_eq!(
            context_param("a#In$arn", &ctx, &Type::String),
            Ok(Some("ResourceArn".into()))
        );
        let err = context_param("a#In$n", &ctx, &Type::Integer).expect_err("integer");
        assert!(err.to_string().contains("a#In$n"), "{err}");
        assert_eq!(
            retryable(&traits(json!({"smithy.api#retryable": {}}))),
            Some(false)
        );
        assert_eq!(
            retryable(&traits(
                json!({"smithy.api#retryable": {"throttling": true}})
            )),
            Some(true)
        );
    }
}
