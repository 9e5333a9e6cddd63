//! Traits that add behaviour to an operation: `smithy.api#paginated` (merged with the
//! service's defaults, as the Smithy spec says) and `smithy.waiters#waitable`. Shapes of
//! the trait values are checked here, with errors naming the operation; the JMESPath
//! expressions are compiled (and unsupported ones rejected) by the emitters, which know
//! the Rust accessor names.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::ir::{Acceptor, AcceptorMatcher, AcceptorState, Paginator, Waiter};
use crate::jmespath::Matcher;

/// The operation's paginator, if it has `smithy.api#paginated`.
pub fn paginator(
    op_id: &str,
    op_traits: &Map<String, Value>,
    service_traits: &Map<String, Value>,
) -> Result<Option<Paginator>, Error> {
    let Some(own) = op_traits.get("smithy.api#paginated") else {
        return Ok(None);
    };
    let service = service_traits.get("smithy.api#paginated");
    let field = |name: &str| -> Result<Option<String>, Error> {
        match own.get(name).or_else(|| service.and_then(|s| s.get(name))) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(invalid(
                op_id,
                format!("`smithy.api#paginated` `{name}` must be a string, not {other}"),
            )),
        }
    };
    let (Some(input_token), Some(output_token)) = (field("inputToken")?, field("outputToken")?)
    else {
        return Err(invalid(
            op_id,
            "`smithy.api#paginated` needs `inputToken` and `outputToken` (on the operation or \
             the service)",
        ));
    };
    Ok(Some(Paginator {
        input_token,
        output_token,
        items: field("items")?,
        page_size: field("pageSize")?,
        rust_name: String::new(),
        items_name: String::new(),
        file: String::new(),
    }))
}

/// The operation's waiters, sorted by name.
pub fn waiters(op_id: &str, op_traits: &Map<String, Value>) -> Result<Vec<Waiter>, Error> {
    let Some(waitable) = op_traits.get("smithy.waiters#waitable") else {
        return Ok(Vec::new());
    };
    let Some(waitable) = waitable.as_object() else {
        return Err(invalid(
            op_id,
            "`smithy.waiters#waitable` must be an object",
        ));
    };
    let mut out = Vec::new();
    for (name, value) in waitable {
        let at = format!("{op_id} (waiter `{name}`)");
        let delay = |key: &str, default: u64| -> Result<u64, Error> {
            match value.get(key) {
                None => Ok(default),
                Some(v) => v
                    .as_u64()
                    .filter(|d| *d > 0)
                    .ok_or_else(|| invalid(&at, format!("`{key}` must be a positive integer"))),
            }
        };
        let (min_delay, max_delay) = (delay("minDelay", 2)?, delay("maxDelay", 120)?);
        if min_delay > max_delay {
            return Err(invalid(
                &at,
                format!("minDelay ({min_delay}) is greater than maxDelay ({max_delay})"),
            ));
        }
        let acceptors = value
            .get("acceptors")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| invalid(&at, "a waiter needs a non-empty `acceptors` list"))?
            .iter()
            .enumerate()
            .map(|(i, a)| acceptor(&format!("{at} acceptor {i}"), a))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Waiter {
            name: name.clone(),
            docs: value
                .get("documentation")
                .and_then(Value::as_str)
                .map(str::to_string),
            min_delay,
            max_delay,
            deprecated: value
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            acceptors,
            module: String::new(),
            file: String::new(),
            method: String::new(),
            fluent_builder: String::new(),
            final_poll: String::new(),
            error: String::new(),
        });
    }
    Ok(out)
}

fn acceptor(at: &str, value: &Value) -> Result<Acceptor, Error> {
    let state = match value.get("state").and_then(Value::as_str) {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        other => {
            return Err(invalid(
                at,
                format!("unknown acceptor state {other:?} (success, failure or retry)"),
            ))
        }
    };
    let matcher = value
        .get("matcher")
        .and_then(Value::as_object)
        .filter(|m| m.len() == 1)
        .ok_or_else(|| invalid(at, "an acceptor needs a `matcher` with exactly one member"))?;
    let (kind, m) = matcher
        .iter()
        .next()
        .ok_or_else(|| invalid(at, "empty matcher"))?;
    let path_matcher = || -> Result<(String, Matcher), Error> {
        let text = |key: &str| {
            m.get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(at, format!("`{kind}` matcher needs a string `{key}`")))
        };
        let path = text("path")?.to_string();
        let matcher = Matcher::from_model(text("comparator")?, text("expected")?)
            .map_err(|r| invalid(at, r))?;
        Ok((path, matcher))
    };
    let matcher = match kind.as_str() {
        "output" => {
            let (path, matcher) = path_matcher()?;
            AcceptorMatcher::Output { path, matcher }
        }
        "inputOutput" => {
            let (path, matcher) = path_matcher()?;
            AcceptorMatcher::InputOutput { path, matcher }
        }
        "success" => AcceptorMatcher::Success(
            m.as_bool()
                .ok_or_else(|| invalid(at, "`success` matcher must be a boolean"))?,
        ),
        "errorType" => {
            let code = m
                .as_str()
                .ok_or_else(|| invalid(at, "`errorType` matcher must be a string"))?;
            // A shape id names the error by its shape name, which is its code.
            let code = code.rsplit_once('#').map_or(code, |(_, name)| name);
            AcceptorMatcher::ErrorType(code.to_string())
        }
        other => return Err(invalid(at, format!("unknown matcher `{other}`"))),
    };
    Ok(Acceptor { state, matcher })
}

fn invalid(shape: &str, reason: impl Into<String>) -> Error {
    Error::InvalidShape {
        shape: shape.to_string(),
        reason: reason.into(),
    }
}
