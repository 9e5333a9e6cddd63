//! Rust test code for the cases of one generated crate. Names and types come from the
//! generator's own final IR (`codegen::resolve`), so the code uses exactly the API the
//! generator emits: fluent `set_*` setters, builders, union variants, enum `From<&str>`.
//! No Rust name is derived here: every identifier is an IR field.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use codegen::ir::{Operation, Role, Service, ShapeKind, Type};
use serde_json::Value;

/// What a case checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    /// A request serialization case (`params` -> `serialized`).
    Input,
    /// A response parsing case (`response` -> `result`).
    Output,
    /// An error parsing case (`response` -> `errorCode`, `error`).
    Error,
}

/// The emitted code of one module (one generated crate) and its tests.
#[derive(Debug, Default)]
pub struct Module {
    /// The Rust source of the module.
    pub code: String,
}

/// Emits the render functions of every structure, union and enum of the service.
pub struct Emitter<'a> {
    service: &'a Service,
    crate_ident: String,
    render_fns: BTreeMap<String, String>,
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

impl<'a> Emitter<'a> {
    /// An emitter for the crate `crate_ident` generated from `service`.
    pub fn new(service: &'a Service, crate_ident: &str) -> Self {
        let render_fns = service
            .shapes
            .keys()
            .enumerate()
            .map(|(i, id)| (id.clone(), format!("render_{i}")))
            .collect();
        Emitter {
            service,
            crate_ident: crate_ident.to_string(),
            render_fns,
        }
    }

    /// The Rust path of a named shape.
    fn path(&self, id: &str) -> Result<String, String> {
        let shape = self
            .service
            .shapes
            .get(id)
            .ok_or_else(|| format!("no shape `{id}` in the IR"))?;
        Ok(format!(
            "{}::{}::{}",
            self.crate_ident, shape.module, shape.rust_name
        ))
    }

    /// The operation named `name`.
    pub fn operation(&self, name: &str) -> Result<&'a Operation, String> {
        self.service
            .operations
            .iter()
            .find(|o| o.name == name)
            .ok_or_else(|| format!("the generator produced no operation `{name}`"))
    }

    /// The render functions (shape -> `serde_json::Value`), for all shapes.
    pub fn render_functions(&self) -> Result<String, String> {
        let mut out = String::new();
        for (id, shape) in &self.service.shapes {
            let f = &self.render_fns[id];
            let path = self.path(id)?;
            let body = match &shape.kind {
                ShapeKind::Structure(s) => {
                    let mut body = String::from("let mut m = support::Map::new();\n");
                    for m in &s.members {
                        let wire = rust_str(&m.wire_name);
                        let field = &m.field;
                        let render = self.render_expr(&m.target, "x")?;
                        if m.optional {
                            let _ = writeln!(body, "if let Some(x) = &v.{field} {{ m.insert({wire}.to_string(), {render}); }}");
                        } else {
                            let _ = writeln!(
                                body,
                                "{{ let x = &v.{field}; m.insert({wire}.to_string(), {render}); }}"
                            );
                        }
                    }
                    body.push_str("support::Value::Object(m)");
                    body
                }
                ShapeKind::Union(members) => {
                    let mut body = String::from("let mut m = support::Map::new();\n#[allow(unreachable_patterns)]\nmatch v {\n");
                    for m in members {
                        let variant = &m.variant_names(id).map_err(|e| e.to_string())?.variant;
                        let wire = rust_str(&m.wire_name);
                        if m.target == Type::Unit {
                            let _ = writeln!(body, "{path}::{variant} => {{ m.insert({wire}.to_string(), support::Value::Null); }}");
                        } else {
                            let render = self.render_expr(&m.target, "x")?;
                            let _ = writeln!(body, "{path}::{variant}(x) => {{ m.insert({wire}.to_string(), {render}); }}");
                        }
                    }
                    body.push_str("_ => { m.insert(\"$unknown\".to_string(), support::Value::Bool(true)); }\n}\nsupport::Value::Object(m)");
                    body
                }
                ShapeKind::Enum(_) => "support::Value::String(v.as_str().to_string())".to_string(),
                ShapeKind::IntEnum(_) => "support::Value::from(v.value())".to_string(),
            };
            let _ = writeln!(out, "/// Renders `{}`.\n#[allow(dead_code, unused_mut, unused_variables)]\nfn {f}(v: &{path}) -> support::Value {{\n{body}\n}}\n", shape.name);
        }
        Ok(out)
    }

    /// An expression rendering `x` (a reference to a value of type `ty`).
    fn render_expr(&self, ty: &Type, x: &str) -> Result<String, String> {
        Ok(match ty {
            Type::String => format!("support::Value::String({x}.to_string())"),
            Type::Boolean => format!("support::Value::Bool(*{x})"),
            Type::Byte | Type::Short | Type::Integer | Type::Long => {
                format!("support::Value::from(*{x})")
            }
            Type::Float => format!("support::render_f32(*{x})"),
            Type::Double => format!("support::render_f64(*{x})"),
            Type::BigInteger | Type::BigDecimal => {
                format!("support::Value::String({x}.as_ref().to_string())")
            }
            Type::Timestamp(_) => format!("support::render_timestamp({x})"),
            Type::Blob => format!("support::render_blob({x})"),
            Type::Document => format!("support::render_document({x})"),
            Type::Unit => "support::Value::Null".to_string(),
            Type::Named(id) => format!(
                "{}({x})",
                self.render_fns
                    .get(id)
                    .ok_or_else(|| format!("no shape `{id}`"))?
            ),
            Type::List { member, sparse } => {
                let inner = self.render_expr(member, "e")?;
                if *sparse {
                    format!("support::Value::Array({x}.iter().map(|e| match e {{ Some(e) => {inner}, None => support::Value::Null }}).collect())")
                } else {
                    format!("support::Value::Array({x}.iter().map(|e| {inner}).collect())")
                }
            }
            Type::Map { key, value, sparse } => {
                let k = match key.as_ref() {
                    Type::String => "k.to_string()".to_string(),
                    _ => "k.as_str().to_string()".to_string(),
                };
                let inner = self.render_expr(value, "e")?;
                if *sparse {
                    format!("support::Value::Object({x}.iter().map(|(k, e)| ({k}, match e {{ Some(e) => {inner}, None => support::Value::Null }})).collect())")
                } else {
                    format!(
                        "support::Value::Object({x}.iter().map(|(k, e)| ({k}, {inner})).collect())"
                    )
                }
            }
        })
    }

    /// An expression constructing a value of type `ty` from botocore's `params` JSON.
    fn value_expr(&self, ty: &Type, v: &Value) -> Result<String, String> {
        let mismatch = || format!("param {v} does not fit type {ty:?}");
        Ok(match ty {
            Type::String => format!("{}.to_string()", rust_str(v.as_str().ok_or_else(mismatch)?)),
            Type::Boolean => v.as_bool().ok_or_else(mismatch)?.to_string(),
            Type::Byte => format!("{}i8", v.as_i64().ok_or_else(mismatch)?),
            Type::Short => format!("{}i16", v.as_i64().ok_or_else(mismatch)?),
            Type::Integer => format!("{}i32", v.as_i64().ok_or_else(mismatch)?),
            Type::Long => format!("{}i64", v.as_i64().ok_or_else(mismatch)?),
            Type::Float | Type::Double => {
                let t = if *ty == Type::Float { "f32" } else { "f64" };
                match v {
                    Value::String(s) if s == "NaN" => format!("{t}::NAN"),
                    Value::String(s) if s == "Infinity" => format!("{t}::INFINITY"),
                    Value::String(s) if s == "-Infinity" => format!("{t}::NEG_INFINITY"),
                    Value::Number(n) => format!("{:?}_{t}", n.as_f64().ok_or_else(mismatch)?),
                    _ => return Err(mismatch()),
                }
            }
            Type::Timestamp(_) => match v.as_i64() {
                Some(secs) => format!("support::DateTime::from_secs({secs})"),
                None => format!("support::timestamp({:?})", v.as_f64().ok_or_else(mismatch)?),
            },
            Type::Blob => format!(
                "support::blob({})",
                rust_str(v.as_str().ok_or_else(mismatch)?)
            ),
            Type::Document => format!("support::document({})", rust_str(&v.to_string())),
            Type::BigInteger | Type::BigDecimal | Type::Unit => {
                return Err(format!(
                    "params of type {ty:?} are not supported by the harness"
                ))
            }
            Type::List { member, sparse } => {
                let items = v.as_array().ok_or_else(mismatch)?;
                let mut parts = Vec::new();
                for item in items {
                    parts.push(match (sparse, item.is_null()) {
                        (true, true) => "None".to_string(),
                        (true, false) => format!("Some({})", self.value_expr(member, item)?),
                        (false, _) => self.value_expr(member, item)?,
                    });
                }
                format!("vec![{}]", parts.join(", "))
            }
            Type::Map { key, value, sparse } => {
                let entries = v.as_object().ok_or_else(mismatch)?;
                let mut parts = Vec::new();
                for (k, item) in entries {
                    let key = self.value_expr(key, &Value::String(k.clone()))?;
                    let value = match (sparse, item.is_null()) {
                        (true, true) => "None".to_string(),
                        (true, false) => format!("Some({})", self.value_expr(value, item)?),
                        (false, _) => self.value_expr(value, item)?,
                    };
                    parts.push(format!("({key}, {value})"));
                }
                format!("std::collections::HashMap::from([{}])", parts.join(", "))
            }
            Type::Named(id) => {
                let shape = &self.service.shapes[id];
                let path = self.path(id)?;
                match &shape.kind {
                    ShapeKind::Enum(_) => format!(
                        "{path}::from({})",
                        rust_str(v.as_str().ok_or_else(mismatch)?)
                    ),
                    ShapeKind::IntEnum(_) => {
                        format!("{path}::from({}i32)", v.as_i64().ok_or_else(mismatch)?)
                    }
                    ShapeKind::Union(members) => {
                        let obj = v.as_object().ok_or_else(mismatch)?;
                        let set: Vec<(&String, &Value)> =
                            obj.iter().filter(|(_, v)| !v.is_null()).collect();
                        let [(wire, value)] = set.as_slice() else {
                            return Err(format!("union param {v} must set exactly one member"));
                        };
                        let m =
                            members
                                .iter()
                                .find(|m| &m.wire_name == *wire)
                                .ok_or_else(|| {
                                    format!("union {} has no member `{wire}`", shape.name)
                                })?;
                        let variant = &m.variant_names(id).map_err(|e| e.to_string())?.variant;
                        let inner = self.value_expr(&m.target, value)?;
                        let inner = if m.boxed {
                            format!("Box::new({inner})")
                        } else {
                            inner
                        };
                        format!("{path}::{variant}({inner})")
                    }
                    ShapeKind::Structure(s) => {
                        let mut expr = format!("{path}::builder()");
                        expr.push_str(&self.setters(id, v)?);
                        expr.push_str(".build()");
                        if s.fallible_build() {
                            expr.push_str(".expect(\"the params build a valid structure\")");
                        }
                        expr
                    }
                }
            }
        })
    }

    /// `.set_member(Some(value))` calls for the members of structure `id` in `params`.
    fn setters(&self, id: &str, params: &Value) -> Result<String, String> {
        let shape = &self.service.shapes[id];
        let ShapeKind::Structure(s) = &shape.kind else {
            return Err(format!("`{id}` is not a structure"));
        };
        let obj = params
            .as_object()
            .ok_or_else(|| format!("params {params} of {} are not an object", shape.name))?;
        let mut out = String::new();
        for (wire, value) in obj {
            if value.is_null() {
                // botocore drops `None` members before serializing.
                continue;
            }
            let m = s
                .members
                .iter()
                .find(|m| &m.wire_name == wire)
                .ok_or_else(|| format!("{} has no member `{wire}`", shape.name))?;
            let inner = self.value_expr(&m.target, value)?;
            let inner = if m.boxed {
                format!("Box::new({inner})")
            } else {
                inner
            };
            let _ = write!(out, "\n        .{}(Some({inner}))", m.setter);
        }
        Ok(out)
    }

    /// The test function of one case.
    pub fn case(&self, fn_name: &str, case: &Value, kind: CaseKind) -> Result<String, String> {
        let given = case.get("given").ok_or("case without `given`")?;
        let op_name = given
            .get("name")
            .and_then(Value::as_str)
            .ok_or("`given` without `name`")?;
        let op = self.operation(op_name)?;
        let krate = &self.crate_ident;
        let id = case.get("id").and_then(Value::as_str).unwrap_or("");
        let description = case
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("");
        let mut out = String::new();
        let _ = writeln!(
            out,
            "/// `{id}`: {}",
            description.lines().next().unwrap_or("").replace('`', "'")
        );
        let _ = writeln!(out, "#[test]\nfn {fn_name}() {{");
        let params = case
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let setters = if op_has_input_members(self.service, op) {
            self.setters(&op.input, &params)?
        } else {
            if params.as_object().is_some_and(|o| !o.is_empty()) {
                return Err(format!(
                    "params {params} for an operation without input members"
                ));
            }
            String::new()
        };
        match kind {
            CaseKind::Input => {
                let serialized = case
                    .get("serialized")
                    .ok_or("input case without `serialized`")?;
                let host = serialized.get("host").and_then(Value::as_str);
                let _ = writeln!(
                    out,
                    "    let server = support::Server::start(support::Response::empty_ok());"
                );
                let _ = writeln!(out, "    let client = {krate}::Client::from_conf(support::config(&server, {host:?}));");
                let _ = writeln!(
                    out,
                    "    let result = support::block_on(client.{}(){setters}\n        .send());",
                    op.module
                );
                let _ = writeln!(
                    out,
                    "    let outcome = result.err().map(|e| support::error_chain(&e));"
                );
                let _ = writeln!(out, "    let request = server.single_request(outcome);");
                let headers: Vec<String> = serialized
                    .get("headers")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| {
                        format!(
                            "({}, {})",
                            rust_str(k),
                            rust_str(v.as_str().unwrap_or_default())
                        )
                    })
                    .collect();
                let required: Vec<String> = serialized
                    .get("requireHeaders")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(rust_str)
                    .collect();
                let body = serialized.get("body").and_then(Value::as_str);
                let _ = writeln!(
                    out,
                    "    support::check_request(&request, &support::Expected {{\n        method: {},\n        uri: {},\n        headers: &[{}],\n        require_headers: &[{}],\n        host: {host:?},\n        body: {},\n    }});",
                    rust_str(serialized.get("method").and_then(Value::as_str).unwrap_or("POST")),
                    rust_str(serialized.get("uri").and_then(Value::as_str).unwrap_or("/")),
                    headers.join(", "),
                    required.join(", "),
                    match body {
                        Some(b) => format!("Some({})", rust_str(b)),
                        None => "None".into(),
                    },
                );
            }
            CaseKind::Output | CaseKind::Error => {
                let response = case
                    .get("response")
                    .ok_or("output case without `response`")?;
                let status = response
                    .get("status_code")
                    .and_then(Value::as_u64)
                    .unwrap_or(200);
                let headers: Vec<String> = response
                    .get("headers")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| {
                        format!(
                            "({}.to_string(), {}.to_string())",
                            rust_str(k),
                            rust_str(v.as_str().unwrap_or_default())
                        )
                    })
                    .collect();
                let body = response.get("body").and_then(Value::as_str).unwrap_or("");
                let _ = writeln!(
                    out,
                    "    let server = support::Server::start(support::Response {{ status: {status}, headers: vec![{}], body: {}.to_string() }});",
                    headers.join(", "),
                    rust_str(body)
                );
                let _ = writeln!(
                    out,
                    "    let client = {krate}::Client::from_conf(support::config(&server, None));"
                );
                let _ = writeln!(
                    out,
                    "    let result = support::block_on(client.{}(){setters}\n        .send());",
                    op.module
                );
                if kind == CaseKind::Output {
                    let result = case
                        .get("result")
                        .cloned()
                        .unwrap_or(Value::Object(Default::default()));
                    let render = self.render_fns[&op.output].clone();
                    let _ = writeln!(out, "    let output = match result {{\n        Ok(output) => output,\n        Err(e) => panic!(\"expected an output, the call failed: {{}}\", support::error_chain(&e)),\n    }};");
                    let _ = writeln!(
                        out,
                        "    support::assert_json(&{render}(&output), {}, \"output\");",
                        rust_str(&result.to_string())
                    );
                    let request_id = response
                        .get("headers")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                        .find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-requestid"))
                        .and_then(|(_, v)| v.as_str());
                    if let Some(rid) = request_id {
                        let _ = writeln!(
                            out,
                            "    assert_eq!(support::awsjson_runtime::error::RequestId::request_id(&output), Some({}), \"request id\");",
                            rust_str(rid)
                        );
                    }
                } else {
                    let code = case
                        .get("errorCode")
                        .and_then(Value::as_str)
                        .ok_or("error case without `errorCode`")?;
                    let error_shape = op
                        .errors
                        .iter()
                        .find(|e| self.service.shapes[*e].name == code)
                        .ok_or_else(|| format!("operation {op_name} has no error `{code}`"))?;
                    let shape = &self.service.shapes[error_shape];
                    let error_enum =
                        format!("{krate}::operation::{}::{}", op.module, op.error_name);
                    let expected = case
                        .get("error")
                        .cloned()
                        .unwrap_or(Value::Object(Default::default()));
                    let render = &self.render_fns[error_shape];
                    let _ = writeln!(out, "    let err = match result {{\n        Ok(_) => panic!(\"expected error {code}, the call succeeded\"),\n        Err(e) => e,\n    }};");
                    let _ = writeln!(out, "    let service_error = match err.as_service_error() {{\n        Some(e) => e,\n        None => panic!(\"expected error {code}, got {{}}\", support::error_chain(&err)),\n    }};");
                    let _ = writeln!(
                        out,
                        "    assert_eq!(service_error.meta().code(), Some({}), \"error code\");",
                        rust_str(code)
                    );
                    if let Some(message) = case.get("errorMessage").and_then(Value::as_str) {
                        let _ = writeln!(out, "    assert_eq!(service_error.meta().message(), Some({}), \"error message\");", rust_str(message));
                    }
                    let _ = writeln!(
                        out,
                        "    match service_error {{\n        {error_enum}::{}(e) => support::assert_json(&{render}(e), {}, \"error members\"),\n        other => panic!(\"expected the {} variant, got {{other:?}}\"),\n    }}",
                        shape.rust_name,
                        rust_str(&expected.to_string()),
                        shape.rust_name
                    );
                }
            }
        }
        out.push_str("}\n");
        Ok(out)
    }
}

fn op_has_input_members(service: &Service, op: &Operation) -> bool {
    matches!(&service.shapes.get(&op.input).map(|s| &s.kind), Some(ShapeKind::Structure(s)) if s.role == Role::Input && !s.members.is_empty())
}
