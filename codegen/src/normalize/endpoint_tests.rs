//! `smithy.rules#endpointTests` as typed [`EndpointTest`]s. A case the generated test could
//! not check (a missing URL, a parameter of an unknown type) is an error with the service
//! id and the case index, never an empty expectation.

use serde_json::Value;

use crate::error::Error;
use crate::ir::{EndpointExpect, EndpointOperationInput, EndpointParam, EndpointTest};

/// Converts the trait's value (`{"testCases": [...]}`).
pub fn convert(service_id: &str, value: &Value) -> Result<Vec<EndpointTest>, Error> {
    let invalid = |index: Option<usize>, reason: String| Error::InvalidShape {
        shape: match index {
            Some(i) => format!("{service_id} (endpoint test case {i})"),
            None => service_id.to_string(),
        },
        reason,
    };
    let cases = value
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            invalid(
                None,
                "`smithy.rules#endpointTests` without `testCases`".into(),
            )
        })?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        match test_case(case) {
            Ok(test) => out.push(test),
            Err(reason) => errors.push(invalid(Some(index), reason)),
        }
    }
    Error::collect(errors)?;
    Ok(out)
}

fn test_case(case: &Value) -> Result<EndpointTest, String> {
    let doc = match case.get("documentation") {
        Some(Value::String(s)) => s.clone(),
        None => "endpoint test".to_string(),
        Some(other) => return Err(format!("`documentation` is not a string: {other}")),
    };
    let mut params = Vec::new();
    if let Some(p) = case.get("params") {
        let p = p.as_object().ok_or("`params` is not an object")?;
        for (name, v) in p {
            let value = match v {
                Value::String(s) => EndpointParam::String(s.clone()),
                Value::Bool(b) => EndpointParam::Bool(*b),
                Value::Array(items) => EndpointParam::StringArray(
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| format!("parameter `{name}` is not a list of strings"))?,
                ),
                other => return Err(format!("parameter `{name}` has unsupported value {other}")),
            };
            params.push((name.clone(), value));
        }
    }
    let expect = case.get("expect").ok_or("no `expect`")?;
    let expect = if let Some(error) = expect.get("error") {
        EndpointExpect::Error(
            error
                .as_str()
                .ok_or("`expect.error` is not a string")?
                .to_string(),
        )
    } else {
        let endpoint = expect
            .get("endpoint")
            .ok_or("`expect` has neither `error` nor `endpoint`")?;
        let url = endpoint
            .get("url")
            .and_then(Value::as_str)
            .ok_or("`expect.endpoint` without a `url` string")?
            .to_string();
        let mut headers = Vec::new();
        if let Some(h) = endpoint.get("headers") {
            let h = h
                .as_object()
                .ok_or("`expect.endpoint.headers` is not an object")?;
            for (name, values) in h {
                let values = values
                    .as_array()
                    .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect())
                    .ok_or_else(|| format!("header `{name}` is not a list of strings"))?;
                headers.push((name.clone(), values));
            }
        }
        // `properties` (auth schemes) are not compared: the runtime signs from the
        // service's SigV4 trait, and the rules engine's own tests cover properties.
        EndpointExpect::Endpoint { url, headers }
    };
    let mut operation_inputs = Vec::new();
    if let Some(inputs) = case.get("operationInputs") {
        let inputs = inputs.as_array().ok_or("`operationInputs` is not a list")?;
        for input in inputs {
            operation_inputs.push(operation_input(input)?);
        }
    }
    Ok(EndpointTest {
        fn_name: String::new(),
        doc,
        params,
        expect,
        operation_inputs,
    })
}

/// A built-in's value: a string, boolean or list of strings.
fn simple_value(v: &Value) -> Option<EndpointParam> {
    match v {
        Value::String(s) => Some(EndpointParam::String(s.clone())),
        Value::Bool(b) => Some(EndpointParam::Bool(*b)),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(EndpointParam::StringArray),
        _ => None,
    }
}

/// One `operationInputs` entry: `operationName`, `operationParams`, `builtInParams`.
fn operation_input(input: &Value) -> Result<EndpointOperationInput, String> {
    let operation = input
        .get("operationName")
        .and_then(Value::as_str)
        .ok_or("an `operationInputs` entry without an `operationName` string")?
        .to_string();
    let object = |key: &str| -> Result<Vec<(String, Value)>, String> {
        match input.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Object(o)) => Ok(o.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            Some(other) => Err(format!(
                "`{key}` of `{operation}` is not an object: {other}"
            )),
        }
    };
    let params = object("operationParams")?;
    let built_ins = object("builtInParams")?
        .into_iter()
        .map(|(k, v)| {
            simple_value(&v)
                .map(|value| (k.clone(), value))
                .ok_or_else(|| format!("built-in `{k}` of `{operation}` has unsupported value {v}"))
        })
        .collect::<Result<_, _>>()?;
    Ok(EndpointOperationInput {
        operation,
        params,
        built_ins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cases_are_typed() {
        let tests = convert(
            "ns#S",
            &json!({"testCases": [
                {"documentation": "ok", "params": {"Region": "us-east-1", "UseFIPS": true},
                 "expect": {"endpoint": {"url": "https://x", "headers": {"a": ["1"]}}}},
                {"params": {}, "expect": {"error": "boom"}}
            ]}),
        )
        .expect("valid");
        assert_eq!(tests.len(), 2);
        assert_eq!(
            tests[0].params,
            vec![
                (
                    "Region".to_string(),
                    EndpointParam::String("us-east-1".into())
                ),
                ("UseFIPS".to_string(), EndpointParam::Bool(true)),
            ]
        );
        assert_eq!(tests[1].expect, EndpointExpect::Error("boom".into()));
    }

    #[test]
    fn incomplete_cases_are_rejected_with_their_index() {
        let err = convert(
            "ns#S",
            &json!({"testCases": [
                {"expect": {"endpoint": {}}},
                {"params": {"N": 1}, "expect": {"error": "x"}}
            ]}),
        )
        .expect_err("rejected");
        let text = err.to_string();
        assert!(
            text.contains("endpoint test case 0") && text.contains("url"),
            "{text}"
        );
        assert!(
            text.contains("endpoint test case 1") && text.contains("`N`"),
            "{text}"
        );
    }
}
