//! botocore protocol-test suites -> Smithy JSON AST 2.0 models.
//!
//! The suites of one file are merged into as few models (crates) as possible, to keep
//! the build small: shapes with the same name and definition are shared, other
//! same-named non-error shapes are renamed (`String2`), operations with the same name
//! and the same input/output/traits are merged (their errors are unioned). A suite whose
//! operation or error shape cannot be merged goes to the next model.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

/// One suite of a botocore protocol-test file.
#[derive(Debug, Clone)]
pub struct Suite {
    /// `description`.
    pub description: String,
    /// `metadata` (`jsonVersion`, `targetPrefix`, `apiVersion`, ...).
    pub metadata: Value,
    /// `shapes`, botocore format.
    pub shapes: Map<String, Value>,
    /// `cases`.
    pub cases: Vec<Value>,
}

/// Parses the JSON text of a botocore protocol-test file.
pub fn parse_suites(text: &str) -> Result<Vec<Suite>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let list = value.as_array().ok_or("the file is not a list of suites")?;
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            Ok(Suite {
                description: s
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                metadata: s.get("metadata").cloned().unwrap_or(Value::Null),
                shapes: s
                    .get("shapes")
                    .and_then(Value::as_object)
                    .cloned()
                    .ok_or_else(|| format!("suite {i} has no `shapes`"))?,
                cases: s
                    .get("cases")
                    .and_then(Value::as_array)
                    .cloned()
                    .ok_or_else(|| format!("suite {i} has no `cases`"))?,
            })
        })
        .collect()
}

/// One model built from several suites.
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// Indexes of the suites in the file.
    pub suites: Vec<usize>,
    /// botocore shapes by (possibly renamed) name, with references renamed.
    shapes: BTreeMap<String, Value>,
    /// Per suite (same order as `suites`): botocore name -> name in this group.
    pub renames: Vec<BTreeMap<String, String>>,
    /// Operations by name.
    operations: BTreeMap<String, Operation>,
    /// Service metadata (from the first suite).
    metadata: Value,
}

#[derive(Debug, Clone, PartialEq)]
struct Operation {
    input: Option<String>,
    output: Option<String>,
    errors: BTreeSet<String>,
    /// `endpoint`, `requestcompression`, `idempotent` (must agree to merge).
    traits: Value,
}

/// Splits the suites of a file into mergeable groups.
pub fn group_suites(suites: &[Suite]) -> Result<Vec<Group>, String> {
    let mut groups: Vec<Group> = Vec::new();
    for (index, suite) in suites.iter().enumerate() {
        let mut placed = false;
        for group in &mut groups {
            if group.metadata == suite.metadata && group.try_add(index, suite)? {
                placed = true;
                break;
            }
        }
        if !placed {
            let mut group = Group {
                metadata: suite.metadata.clone(),
                ..Group::default()
            };
            if !group.try_add(index, suite)? {
                return Err(format!(
                    "suite {index} ({}) cannot form a model",
                    suite.description
                ));
            }
            groups.push(group);
        }
    }
    Ok(groups)
}

fn without_docs(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("documentation");
    }
    v
}

/// A botocore shape with its references renamed.
fn renamed(shape: &Value, renames: &BTreeMap<String, String>) -> Value {
    let mut shape = without_docs(shape);
    let rename = |m: &mut Value| {
        if let Some(Value::String(s)) = m.get_mut("shape") {
            if let Some(new) = renames.get(s.as_str()) {
                *s = new.clone();
            }
        }
    };
    if let Some(members) = shape.get_mut("members").and_then(Value::as_object_mut) {
        members.values_mut().for_each(rename);
    }
    for key in ["member", "key", "value"] {
        if let Some(m) = shape.get_mut(key) {
            rename(m);
        }
    }
    shape
}

fn is_error(shape: &Value) -> bool {
    shape
        .get("exception")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

impl Group {
    /// Adds the suite if it merges; `Ok(false)` when it conflicts.
    fn try_add(&mut self, index: usize, suite: &Suite) -> Result<bool, String> {
        // Decide names: start with identity, rename on conflicts, repeat until the
        // renamed definitions are stable (a struct referring to a renamed shape differs
        // from the group's one of the same name, so it is renamed too).
        let mut renames: BTreeMap<String, String> = suite
            .shapes
            .keys()
            .map(|k| (k.clone(), k.clone()))
            .collect();
        loop {
            let mut changed = false;
            for (name, shape) in &suite.shapes {
                let current = renames[name].clone();
                let def = renamed(shape, &renames);
                match self.shapes.get(&current) {
                    None => {}
                    Some(existing) if without_docs(existing) == def => {}
                    Some(_) if is_error(shape) => return Ok(false),
                    Some(_) => {
                        let mut n = 2;
                        let new = loop {
                            let candidate = format!("{name}{n}");
                            let taken_in_suite =
                                renames.iter().any(|(k, v)| k != name && *v == candidate)
                                    || suite.shapes.contains_key(&candidate);
                            match self.shapes.get(&candidate) {
                                Some(e) if without_docs(e) == def && !taken_in_suite => {
                                    break candidate
                                }
                                None if !taken_in_suite => break candidate,
                                _ => n += 1,
                            }
                        };
                        renames.insert(name.clone(), new);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // Operations.
        let mut ops = self.operations.clone();
        for case in &suite.cases {
            let given = case.get("given").ok_or("a case without `given`")?;
            let name = given
                .get("name")
                .and_then(Value::as_str)
                .ok_or("`given` without `name`")?;
            let shape_of = |key: &str| -> Option<String> {
                given
                    .get(key)
                    .and_then(|r| r.get("shape"))
                    .and_then(Value::as_str)
                    .map(|s| renames.get(s).cloned().unwrap_or_else(|| s.to_string()))
            };
            let errors: BTreeSet<String> = given
                .get("errors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("shape").and_then(Value::as_str))
                .map(|s| renames.get(s).cloned().unwrap_or_else(|| s.to_string()))
                .collect();
            let op = Operation {
                input: shape_of("input"),
                output: shape_of("output"),
                errors,
                traits: json!({
                    "endpoint": given.get("endpoint"),
                    "requestcompression": given.get("requestcompression"),
                    "idempotent": given.get("idempotent"),
                }),
            };
            match ops.get_mut(name) {
                None => {
                    ops.insert(name.to_string(), op);
                }
                Some(existing) => {
                    if existing.input != op.input
                        || existing.output != op.output
                        || existing.traits != op.traits
                    {
                        return Ok(false);
                    }
                    existing.errors.extend(op.errors);
                }
            }
        }
        // Operation names and shape names share the namespace.
        let shape_names: BTreeSet<&String> = renames.values().chain(self.shapes.keys()).collect();
        if ops.keys().any(|op| shape_names.contains(op)) {
            return Ok(false);
        }
        for (name, shape) in &suite.shapes {
            let def = renamed(shape, &renames);
            // Keep the documentation of the first definition.
            let mut with_docs = def;
            if let (Some(o), Some(doc)) = (with_docs.as_object_mut(), shape.get("documentation")) {
                o.insert("documentation".into(), doc.clone());
            }
            self.shapes
                .entry(renames[name].clone())
                .or_insert(with_docs);
        }
        self.operations = ops;
        self.suites.push(index);
        self.renames.push(renames);
        Ok(true)
    }

    /// The Smithy JSON AST 2.0 model of the group.
    pub fn to_smithy(&self) -> Result<Value, String> {
        let json_version = self
            .metadata
            .get("jsonVersion")
            .and_then(Value::as_str)
            .unwrap_or("1.0");
        let target_prefix = self
            .metadata
            .get("targetPrefix")
            .and_then(Value::as_str)
            .ok_or("metadata without `targetPrefix`")?;
        let namespace = namespace(json_version);
        let id = |name: &str| format!("{namespace}#{name}");
        let mut shapes = Map::new();
        for (name, shape) in &self.shapes {
            shapes.insert(id(name), convert_shape(name, shape, &id)?);
        }
        let mut operation_refs = Vec::new();
        for (name, op) in &self.operations {
            let mut shape = Map::new();
            shape.insert("type".into(), json!("operation"));
            if let Some(input) = &op.input {
                shape.insert("input".into(), json!({ "target": id(input) }));
            }
            if let Some(output) = &op.output {
                shape.insert("output".into(), json!({ "target": id(output) }));
            }
            if !op.errors.is_empty() {
                let errors: Vec<Value> = op
                    .errors
                    .iter()
                    .map(|e| json!({ "target": id(e) }))
                    .collect();
                shape.insert("errors".into(), Value::Array(errors));
            }
            let mut traits = Map::new();
            if let Some(endpoint) = op.traits.get("endpoint").filter(|v| !v.is_null()) {
                traits.insert("smithy.api#endpoint".into(), endpoint.clone());
            }
            if let Some(rc) = op.traits.get("requestcompression").filter(|v| !v.is_null()) {
                traits.insert("smithy.api#requestCompression".into(), rc.clone());
            }
            if op.traits.get("idempotent").and_then(Value::as_bool) == Some(true) {
                traits.insert("smithy.api#idempotent".into(), json!({}));
            }
            if !traits.is_empty() {
                shape.insert("traits".into(), Value::Object(traits));
            }
            shapes.insert(id(name), Value::Object(shape));
            operation_refs.push(json!({ "target": id(name) }));
        }
        let protocol = if json_version == "1.1" {
            "aws.protocols#awsJson1_1"
        } else {
            "aws.protocols#awsJson1_0"
        };
        let mut service_traits = Map::new();
        service_traits.insert(protocol.into(), json!({}));
        service_traits.insert("aws.auth#sigv4".into(), json!({ "name": SIGNING_NAME }));
        service_traits.insert(
            "aws.api#service".into(),
            json!({ "sdkId": target_prefix, "endpointPrefix": SIGNING_NAME }),
        );
        service_traits.insert(
            "smithy.api#title".into(),
            json!(format!("{target_prefix} protocol tests")),
        );
        service_traits.insert("smithy.rules#endpointRuleSet".into(), endpoint_rule_set());
        let mut service = Map::new();
        service.insert("type".into(), json!("service"));
        if let Some(v) = self.metadata.get("apiVersion") {
            service.insert("version".into(), v.clone());
        }
        service.insert("operations".into(), Value::Array(operation_refs));
        service.insert("traits".into(), Value::Object(service_traits));
        // The service shape is named after the target prefix: X-Amz-Target is
        // `{service shape name}.{operation}`.
        shapes.insert(id(target_prefix), Value::Object(service));
        Ok(json!({ "smithy": "2.0", "shapes": shapes }))
    }
}

/// The SigV4 signing name of every test service (botocore's metadata has none).
pub const SIGNING_NAME: &str = "protocoltests";

/// The namespace of the test models, as in the Smithy protocol-test models.
pub fn namespace(json_version: &str) -> &'static str {
    if json_version == "1.1" {
        "aws.protocoltests.json"
    } else {
        "aws.protocoltests.json10"
    }
}

/// A rule set that resolves to the configured endpoint URL (`SDK::Endpoint`) and fails
/// without one.
fn endpoint_rule_set() -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {
                "type": "String",
                "builtIn": "AWS::Region",
                "required": false,
                "documentation": "The AWS region used to dispatch the request."
            },
            "Endpoint": {
                "type": "String",
                "builtIn": "SDK::Endpoint",
                "required": false,
                "documentation": "Override the endpoint used to send this request"
            }
        },
        "rules": [
            {
                "conditions": [{ "fn": "isSet", "argv": [{ "ref": "Endpoint" }] }],
                "endpoint": { "url": { "ref": "Endpoint" }, "properties": {}, "headers": {} },
                "type": "endpoint"
            },
            {
                "conditions": [],
                "error": "the protocol-test service needs an endpoint URL",
                "type": "error"
            }
        ]
    })
}

/// A valid Smithy identifier for an enum value (`1` -> `_1`).
fn enum_member_name(value: &str, taken: &BTreeSet<String>) -> String {
    let mut name: String = value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty()
        || name.starts_with(|c: char| c.is_ascii_digit())
        || name.chars().all(|c| c == '_')
    {
        name = format!("_{name}");
        if name.chars().all(|c| c == '_') {
            name.push('v');
        }
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    candidate
}

/// One botocore shape as a Smithy shape.
fn convert_shape(name: &str, shape: &Value, id: &dyn Fn(&str) -> String) -> Result<Value, String> {
    let kind = shape
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("shape {name} has no type"))?;
    let mut traits = Map::new();
    if let Some(doc) = shape.get("documentation").and_then(Value::as_str) {
        traits.insert("smithy.api#documentation".into(), json!(doc));
    }
    let member_ref = |m: &Value| -> Result<Value, String> {
        let target = m
            .get("shape")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("a member of {name} has no shape"))?;
        Ok(json!({ "target": id(target) }))
    };
    let mut out = Map::new();
    let smithy_kind = match kind {
        "structure" if shape.get("document").and_then(Value::as_bool) == Some(true) => "document",
        "structure" => {
            let required: BTreeSet<&str> = shape
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut members = Map::new();
            for (member_name, m) in shape
                .get("members")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let mut member = member_ref(m)?;
                let mut mt = Map::new();
                if required.contains(member_name.as_str()) {
                    mt.insert("smithy.api#required".into(), json!({}));
                }
                if m.get("hostLabel").and_then(Value::as_bool) == Some(true) {
                    mt.insert("smithy.api#hostLabel".into(), json!({}));
                }
                if let Some(doc) = m.get("documentation").and_then(Value::as_str) {
                    mt.insert("smithy.api#documentation".into(), json!(doc));
                }
                if let Some(format) = m.get("timestampFormat").and_then(Value::as_str) {
                    mt.insert(
                        "smithy.api#timestampFormat".into(),
                        json!(timestamp_format(format)?),
                    );
                }
                // `jsonvalue` (a JSON document in a string) only matters for HTTP
                // headers; in an awsJson body the member is a plain string.
                if !mt.is_empty() {
                    member["traits"] = Value::Object(mt);
                }
                members.insert(member_name.clone(), member);
            }
            out.insert("members".into(), Value::Object(members));
            if shape.get("exception").and_then(Value::as_bool) == Some(true) {
                let fault = shape.get("fault").and_then(Value::as_bool) == Some(true);
                traits.insert(
                    "smithy.api#error".into(),
                    json!(if fault { "server" } else { "client" }),
                );
                if let Some(status) = shape.get("error").and_then(|e| e.get("httpStatusCode")) {
                    traits.insert("smithy.api#httpError".into(), status.clone());
                }
            }
            if shape.get("union").and_then(Value::as_bool) == Some(true) {
                "union"
            } else {
                "structure"
            }
        }
        "list" => {
            out.insert(
                "member".into(),
                member_ref(shape.get("member").ok_or("list without member")?)?,
            );
            "list"
        }
        "map" => {
            out.insert(
                "key".into(),
                member_ref(shape.get("key").ok_or("map without key")?)?,
            );
            out.insert(
                "value".into(),
                member_ref(shape.get("value").ok_or("map without value")?)?,
            );
            "map"
        }
        "string" => match shape.get("enum").and_then(Value::as_array) {
            Some(values) => {
                let mut members = Map::new();
                let mut taken = BTreeSet::new();
                for v in values {
                    let v = v
                        .as_str()
                        .ok_or_else(|| format!("enum {name} has a non-string value"))?;
                    let member_name = enum_member_name(v, &taken);
                    taken.insert(member_name.clone());
                    members.insert(
                        member_name,
                        json!({ "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": v } }),
                    );
                }
                out.insert("members".into(), Value::Object(members));
                "enum"
            }
            None => "string",
        },
        "timestamp" => {
            if let Some(format) = shape.get("timestampFormat").and_then(Value::as_str) {
                traits.insert(
                    "smithy.api#timestampFormat".into(),
                    json!(timestamp_format(format)?),
                );
            }
            "timestamp"
        }
        // `box` is botocore's nullability marker; Smithy 2.0 members without a default
        // are nullable already.
        "integer" | "long" | "float" | "double" | "boolean" | "blob" | "byte" | "short" => kind,
        other => {
            return Err(format!(
                "shape {name}: botocore type `{other}` is not converted"
            ))
        }
    };
    if shape.get("sparse").and_then(Value::as_bool) == Some(true) {
        traits.insert("smithy.api#sparse".into(), json!({}));
    }
    out.insert("type".into(), json!(smithy_kind));
    if !traits.is_empty() {
        out.insert("traits".into(), Value::Object(traits));
    }
    Ok(Value::Object(out))
}

fn timestamp_format(botocore: &str) -> Result<&'static str, String> {
    match botocore {
        "iso8601" => Ok("date-time"),
        "rfc822" => Ok("http-date"),
        "unixTimestamp" => Ok("epoch-seconds"),
        other => Err(format!("unknown timestampFormat `{other}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite(shapes: Value, cases: Value) -> Suite {
        Suite {
            description: "t".into(),
            metadata: json!({ "jsonVersion": "1.0", "targetPrefix": "JsonRpc10", "apiVersion": "2020-07-14" }),
            shapes: shapes.as_object().cloned().unwrap_or_default(),
            cases: cases.as_array().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn service_is_named_after_the_target_prefix() {
        let s = suite(
            json!({ "In": { "type": "structure", "members": { "e": { "shape": "E" } } },
                    "E": { "type": "string", "enum": ["Foo", "1"] } }),
            json!([{ "id": "c", "given": { "name": "Op", "input": { "shape": "In" } } }]),
        );
        let groups = group_suites(&[s]).expect("groups");
        let model = groups[0].to_smithy().expect("model");
        let service = &model["shapes"]["aws.protocoltests.json10#JsonRpc10"];
        assert_eq!(service["type"], "service");
        assert!(service["traits"].get("aws.protocols#awsJson1_0").is_some());
        assert_eq!(
            service["operations"][0]["target"],
            "aws.protocoltests.json10#Op"
        );
        let e = &model["shapes"]["aws.protocoltests.json10#E"];
        assert_eq!(e["type"], "enum");
        assert_eq!(e["members"]["_1"]["traits"]["smithy.api#enumValue"], "1");
        assert_eq!(e["members"]["Foo"]["traits"]["smithy.api#enumValue"], "Foo");
    }

    #[test]
    fn conflicting_shapes_are_renamed_and_operations_merged() {
        let a = suite(
            json!({ "S": { "type": "string" },
                    "Err1": { "type": "structure", "members": {}, "exception": true } }),
            json!([{ "id": "a", "given": { "name": "Op", "errors": [{ "shape": "Err1" }] } }]),
        );
        let b = suite(
            json!({ "S": { "type": "integer" },
                    "Err2": { "type": "structure", "members": {}, "exception": true, "fault": true } }),
            json!([{ "id": "b", "given": { "name": "Op", "errors": [{ "shape": "Err2" }] } }]),
        );
        let groups = group_suites(&[a, b]).expect("groups");
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].renames[1]["S"], "S2");
        let model = groups[0].to_smithy().expect("model");
        let shapes = &model["shapes"];
        assert_eq!(shapes["aws.protocoltests.json10#S2"]["type"], "integer");
        assert_eq!(
            shapes["aws.protocoltests.json10#Op"]["errors"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(
            shapes["aws.protocoltests.json10#Err2"]["traits"]["smithy.api#error"],
            "server"
        );
    }

    #[test]
    fn conflicting_error_shapes_split_the_group() {
        let a = suite(
            json!({ "E": { "type": "structure", "members": {}, "exception": true } }),
            json!([{ "id": "a", "given": { "name": "Op", "errors": [{ "shape": "E" }] } }]),
        );
        let b = suite(
            json!({ "E": { "type": "structure", "members": { "m": { "shape": "E" } }, "exception": true } }),
            json!([{ "id": "b", "given": { "name": "Op2", "errors": [{ "shape": "E" }] } }]),
        );
        assert_eq!(group_suites(&[a, b]).expect("groups").len(), 2);
    }
}
