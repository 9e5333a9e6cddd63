//! From the raw AST to the validated IR: pick the service and operations, walk their
//! closure, give every operation its own input and output, attach service errors, type
//! defaults and endpoint tests, box recursive members, record which operations need each
//! serializer and parser, and reject what is unsupported (all problems at once).
//!
//! Rust names are left empty here: the naming pass (`naming::pass`) decides them all.

mod behaviour;
mod defaults;
mod endpoint_tests;
mod enums;
mod event_streams;
mod op_traits;
mod reach;
mod select;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::Error;
use crate::ir::{
    Bounds, DefaultValue, Deprecated, ErrorTrait, Member, Operation, Protocol, Role, SerdeNames,
    Service, Shape, ShapeKind, Structure, TimestampFormat, Type,
};
use crate::model::{shape_name, Model, RawMember, RawShape};

/// Which operations to generate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum OperationSelection {
    /// Every operation bound to the service.
    #[default]
    All,
    /// These operations, by name (e.g. `GetContainerServiceDeployments`).
    Named(Vec<String>),
}

const TRAIT_DOCS: &str = "smithy.api#documentation";
const TRAIT_REQUIRED: &str = "smithy.api#required";
const TRAIT_DEFAULT: &str = "smithy.api#default";
const TRAIT_ERROR: &str = "smithy.api#error";

/// The `sdkId` of the model's one service (its shape name when it has no `aws.api#service`).
pub fn service_sdk_id(model: &Model) -> Result<String, Error> {
    let mut cx = Normalizer::new(model);
    let (service_id, service) = cx.service()?;
    Ok(service
        .traits
        .get("aws.api#service")
        .and_then(|v| v.get("sdkId"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| shape_name(&service_id))
        .to_string())
}

/// Resolves the model into the IR for the selected operations.
pub fn normalize(model: &Model, selection: &OperationSelection) -> Result<Service, Error> {
    let mut cx = Normalizer::new(model);
    let (service_id, service) = cx.service()?;
    let protocol = protocol(&service_id, &service)?;
    let bound = cx.bound_operations(&service_id, &service)?;
    let mut chosen = select::choose(&bound, selection)?;
    let explicit = matches!(selection, OperationSelection::Named(_));
    let skipped_operations = event_streams::set_aside(model, &mut chosen, explicit)?;

    let service_errors: Vec<String> = service.errors.iter().map(|e| e.target.clone()).collect();
    let namespace = service_id
        .split_once('#')
        .map_or("", |(ns, _)| ns)
        .to_string();
    let mut operations = Vec::new();
    for (name, op_id) in chosen {
        match cx.operation(&namespace, &name, &op_id, &service_errors, &service.traits) {
            Ok(mut op) => {
                let traits = cx.raw(&op_id, &op_id)?.traits;
                match behaviour::paginator(&op_id, &traits, &service.traits) {
                    Ok(p) => op.paginator = p,
                    Err(e) => cx.errors.push(e),
                }
                match behaviour::waiters(&op_id, &traits) {
                    Ok(w) => op.waiters = w,
                    Err(e) => cx.errors.push(e),
                }
                operations.push(op);
            }
            Err(e) => cx.errors.push(e),
        }
    }
    Error::collect(std::mem::take(&mut cx.errors))?;
    reach::box_recursive_members(&mut cx.shapes);
    reach::record_serde_needs(&operations, &mut cx.shapes);

    let sigv4 = service.traits.get("aws.auth#sigv4");
    let api = service.traits.get("aws.api#service");
    let target_prefix = shape_name(&service_id).to_string();
    let sdk_id = api
        .and_then(|v| v.get("sdkId"))
        .and_then(Value::as_str)
        .unwrap_or(&target_prefix)
        .to_string();
    let signing_name = sigv4
        .and_then(|v| v.get("name"))
        .and_then(Value::as_str)
        .or_else(|| {
            api.and_then(|v| v.get("endpointPrefix"))
                .and_then(Value::as_str)
        })
        .map(str::to_string)
        .ok_or_else(|| Error::Unsupported {
            shape: service_id.clone(),
            reason: "no `aws.auth#sigv4` trait: the signing name is unknown".into(),
        })?;
    let endpoint_tests = match service.traits.get("smithy.rules#endpointTests") {
        Some(tests) => endpoint_tests::convert(&service_id, tests)?,
        None => Vec::new(),
    };
    let endpoint_rules = service
        .traits
        .get("smithy.rules#endpointRuleSet")
        .map(Value::to_string)
        .ok_or_else(|| Error::Unsupported {
            shape: service_id.clone(),
            reason: "no `smithy.rules#endpointRuleSet` trait: endpoints cannot be resolved".into(),
        })?;
    Ok(Service {
        id: service_id.clone(),
        target_prefix,
        sdk_id,
        version: service.version.clone(),
        signing_name,
        protocol,
        title: string_trait(&service.traits, "smithy.api#title"),
        docs: string_trait(&service.traits, TRAIT_DOCS),
        aws_query_compatible: service
            .traits
            .contains_key("aws.protocols#awsQueryCompatible"),
        endpoint_rules,
        endpoint_tests,
        operations,
        skipped_operations,
        shapes: cx.shapes,
        root_error: Default::default(),
    })
}

fn protocol(id: &str, service: &RawShape) -> Result<Protocol, Error> {
    if service.traits.contains_key("aws.protocols#awsJson1_1") {
        Ok(Protocol::AwsJson1_1)
    } else if service.traits.contains_key("aws.protocols#awsJson1_0") {
        Ok(Protocol::AwsJson1_0)
    } else {
        let found: Vec<&str> = service
            .traits
            .keys()
            .filter(|k| k.starts_with("aws.protocols#"))
            .map(String::as_str)
            .collect();
        Err(Error::Unsupported {
            shape: id.to_string(),
            reason: if found.is_empty() {
                "the service has no protocol trait; only awsJson1_0 and awsJson1_1 are supported"
                    .into()
            } else {
                format!(
                    "protocol {} is not supported; only awsJson1_0 and awsJson1_1 are",
                    found.join(", ")
                )
            },
        })
    }
}

struct Normalizer<'m> {
    model: &'m Model,
    v1: bool,
    cache: BTreeMap<String, RawShape>,
    shapes: BTreeMap<String, Shape>,
    errors: Vec<Error>,
}

impl<'m> Normalizer<'m> {
    fn new(model: &'m Model) -> Self {
        Normalizer {
            model,
            v1: model.smithy.starts_with("1."),
            cache: BTreeMap::new(),
            shapes: BTreeMap::new(),
            errors: Vec::new(),
        }
    }

    fn raw(&mut self, from: &str, id: &str) -> Result<RawShape, Error> {
        if let Some(shape) = self.cache.get(id) {
            return Ok(shape.clone());
        }
        let shape = self.model.shape(id).ok_or_else(|| Error::MissingTarget {
            from: from.to_string(),
            target: id.to_string(),
        })??;
        if !shape.mixins.is_empty() {
            return Err(Error::Unsupported {
                shape: id.to_string(),
                reason: "mixins are not resolved by this generator; flatten the model first".into(),
            });
        }
        self.cache.insert(id.to_string(), shape.clone());
        Ok(shape)
    }

    fn service(&mut self) -> Result<(String, RawShape), Error> {
        let ids: Vec<String> = self
            .model
            .shapes
            .iter()
            .filter(|(_, v)| v.get("type").and_then(Value::as_str) == Some("service"))
            .map(|(k, _)| k.clone())
            .collect();
        match ids.as_slice() {
            [id] => Ok((id.clone(), self.raw("(model)", id)?)),
            [] => Err(Error::Service("the model has no service shape".into())),
            _ => Err(Error::Service(format!(
                "the model has {} service shapes ({}); exactly one is supported",
                ids.len(),
                ids.join(", ")
            ))),
        }
    }

    /// Operations bound to the service directly or through resources, by name.
    fn bound_operations(
        &mut self,
        service_id: &str,
        service: &RawShape,
    ) -> Result<BTreeMap<String, String>, Error> {
        let mut out = BTreeMap::new();
        let mut stack = vec![(service_id.to_string(), service.clone())];
        let mut seen = BTreeSet::new();
        while let Some((id, shape)) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let lifecycle = [
                &shape.create,
                &shape.put,
                &shape.read,
                &shape.update,
                &shape.delete,
                &shape.list,
            ];
            let ops = shape
                .operations
                .iter()
                .chain(shape.collection_operations.iter())
                .chain(lifecycle.into_iter().flatten());
            for op in ops {
                let raw = self.raw(&id, &op.target)?;
                if raw.kind != "operation" {
                    return Err(Error::InvalidShape {
                        shape: id.clone(),
                        reason: format!(
                            "`{}` is bound as an operation but is a {}",
                            op.target, raw.kind
                        ),
                    });
                }
                out.insert(shape_name(&op.target).to_string(), op.target.clone());
            }
            for res in &shape.resources {
                let raw = self.raw(&id, &res.target)?;
                stack.push((res.target.clone(), raw));
            }
        }
        Ok(out)
    }

    fn operation(
        &mut self,
        namespace: &str,
        name: &str,
        op_id: &str,
        service_errors: &[String],
        service_traits: &serde_json::Map<String, Value>,
    ) -> Result<Operation, Error> {
        let op = self.raw(op_id, op_id)?;
        let auth = op_traits::auth(op_id, &op.traits, service_traits)?;
        let static_context_params = op_traits::static_context_params(op_id, &op.traits)?;
        let operation_context_params = op_traits::operation_context_params(op_id, &op.traits)?;
        let input = format!("{namespace}#{name}Input");
        let output = format!("{namespace}#{name}Output");
        for (synthetic, source, role) in [
            (&input, &op.input, Role::Input),
            (&output, &op.output, Role::Output),
        ] {
            let members = match source {
                Some(r) if r.target != "smithy.api#Unit" => {
                    let raw = self.raw(op_id, &r.target)?;
                    if raw.kind != "structure" {
                        return Err(Error::InvalidShape {
                            shape: op_id.to_string(),
                            reason: format!("input/output `{}` is not a structure", r.target),
                        });
                    }
                    self.members(&r.target, &raw, role)
                }
                _ => Vec::new(),
            };
            let docs = source
                .as_ref()
                .and_then(|r| self.model.shape(&r.target))
                .and_then(Result::ok)
                .and_then(|raw| string_trait(&raw.traits, TRAIT_DOCS));
            let mut shape = unnamed_shape(synthetic, docs, None);
            shape.operations = BTreeSet::from([name.to_string()]);
            shape.kind = ShapeKind::Structure(Structure {
                role,
                members,
                error: None,
                builder: String::new(),
            });
            self.shapes.insert(synthetic.clone(), shape);
        }
        let mut errors = BTreeSet::new();
        for e in op
            .errors
            .iter()
            .map(|e| e.target.clone())
            .chain(service_errors.iter().cloned())
        {
            let raw = self.raw(op_id, &e)?;
            if raw.kind != "structure" || !raw.traits.contains_key(TRAIT_ERROR) {
                self.errors.push(Error::InvalidShape {
                    shape: op_id.to_string(),
                    reason: format!(
                        "error `{e}` is not a structure with the `smithy.api#error` trait"
                    ),
                });
                continue;
            }
            self.named(op_id, &e)?;
            errors.insert(e);
        }
        // Every shape reached from this operation records it, for per-operation features.
        let mut stack: Vec<String> = vec![input.clone(), output.clone()];
        stack.extend(errors.iter().cloned());
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(shape) = self.shapes.get_mut(&id) {
                shape.operations.insert(name.to_string());
                stack.extend(shape.kind.named_targets());
            }
        }
        Ok(Operation {
            id: op_id.to_string(),
            name: name.to_string(),
            module: String::new(),
            module_file: String::new(),
            builders_file: String::new(),
            error_file: String::new(),
            serde_file: String::new(),
            error_name: String::new(),
            fluent_builder: String::new(),
            feature: String::new(),
            ser_input: String::new(),
            de_output: String::new(),
            de_output_payload: String::new(),
            de_error: String::new(),
            input,
            output,
            errors: errors.into_iter().collect(),
            docs: string_trait(&op.traits, TRAIT_DOCS),
            deprecated: deprecated(&op.traits),
            host_prefix: op
                .traits
                .get("smithy.api#endpoint")
                .and_then(|e| e.get("hostPrefix"))
                .and_then(Value::as_str)
                .map(str::to_string),
            request_compression: op
                .traits
                .get("smithy.api#requestCompression")
                .and_then(|t| t.get("encodings"))
                .and_then(Value::as_array)
                .is_some_and(|e| e.iter().any(|v| v.as_str() == Some("gzip"))),
            auth,
            static_context_params,
            operation_context_params,
            endpoint_params_fn: None,
            paginator: None,
            waiters: Vec::new(),
        })
    }

    /// Converts the members of a structure or union, recording problems and skipping
    /// the members that have them.
    fn members(&mut self, owner: &str, raw: &RawShape, role: Role) -> Vec<Member> {
        let mut out = Vec::new();
        for (wire, value) in &raw.members {
            match self.member(owner, wire, value, role) {
                Ok(member) => out.push(member),
                Err(e) => self.errors.push(e),
            }
        }
        out
    }

    fn member(
        &mut self,
        owner: &str,
        wire: &str,
        value: &Value,
        role: Role,
    ) -> Result<Member, Error> {
        let member_id = format!("{owner}${wire}");
        let raw = RawMember::parse(owner, wire, value)?;
        let target_traits = self.target_traits(&member_id, &raw.target)?;
        let target = self.resolve_type(&member_id, &raw.target, &raw.traits)?;
        let required = raw.traits.contains_key(TRAIT_REQUIRED);
        let default = match raw
            .traits
            .get(TRAIT_DEFAULT)
            .or_else(|| target_traits.get(TRAIT_DEFAULT))
        {
            Some(Value::Null) => None,
            Some(v) => Some(defaults::convert(&member_id, &target, v, &self.shapes)?),
            None => self.v1_zero_default(&raw, &target_traits, &target),
        };
        let client_optional = raw.traits.contains_key("smithy.api#clientOptional");
        let optional = match role {
            Role::Input => true,
            _ => client_optional || (default.is_none() && !required),
        };
        let context_param = if role == Role::Input {
            op_traits::context_param(&member_id, &raw.traits, &target)?
        } else {
            None
        };
        let trait_of = |name: &str| raw.traits.get(name).or_else(|| target_traits.get(name));
        Ok(Member {
            wire_name: wire.to_string(),
            field: String::new(),
            setter: String::new(),
            getter: String::new(),
            local: String::new(),
            variant: None,
            optional,
            required,
            default,
            boxed: false,
            docs: string_trait(&raw.traits, TRAIT_DOCS)
                .or_else(|| string_trait(&target_traits, TRAIT_DOCS)),
            deprecated: deprecated(&raw.traits),
            sensitive: trait_of("smithy.api#sensitive").is_some(),
            length: trait_of("smithy.api#length").map(bounds),
            range: trait_of("smithy.api#range").map(bounds),
            host_label: raw.traits.contains_key("smithy.api#hostLabel"),
            context_param,
            idempotency_token: raw.traits.contains_key("smithy.api#idempotencyToken"),
            target,
        })
    }

    /// In Smithy 1.0, members targeting unboxed primitive shapes are zero by default.
    fn v1_zero_default(
        &self,
        raw: &RawMember,
        target_traits: &serde_json::Map<String, Value>,
        target: &Type,
    ) -> Option<DefaultValue> {
        let boxed = raw.traits.contains_key("smithy.api#box")
            || target_traits.contains_key("smithy.api#box")
            || (raw.target.starts_with("smithy.api#") && !raw.target.contains("#Primitive"));
        if !self.v1 || boxed {
            return None;
        }
        match target {
            Type::Boolean => Some(DefaultValue::Bool(false)),
            Type::Byte | Type::Short | Type::Integer | Type::Long => Some(DefaultValue::Int(0)),
            Type::Float | Type::Double => Some(DefaultValue::Float(0.0)),
            _ => None,
        }
    }

    fn target_traits(
        &mut self,
        from: &str,
        target: &str,
    ) -> Result<serde_json::Map<String, Value>, Error> {
        if let Some(prelude) = target.strip_prefix("smithy.api#") {
            let mut traits = serde_json::Map::new();
            if let Some(default) = prelude_default(prelude) {
                traits.insert(TRAIT_DEFAULT.into(), default);
            }
            return Ok(traits);
        }
        Ok(self.raw(from, target)?.traits)
    }

    /// The type of a member targeting `target`; named shapes are converted on the way.
    fn resolve_type(
        &mut self,
        from: &str,
        target: &str,
        member_traits: &serde_json::Map<String, Value>,
    ) -> Result<Type, Error> {
        let timestamp_format = |traits: &serde_json::Map<String, Value>| match member_traits
            .get("smithy.api#timestampFormat")
            .or_else(|| traits.get("smithy.api#timestampFormat"))
            .and_then(Value::as_str)
        {
            Some("date-time") => TimestampFormat::DateTime,
            Some("http-date") => TimestampFormat::HttpDate,
            _ => TimestampFormat::EpochSeconds,
        };
        if let Some(prelude) = target.strip_prefix("smithy.api#") {
            return match prelude_type(prelude) {
                Some(Type::Timestamp(_)) => {
                    Ok(Type::Timestamp(timestamp_format(&serde_json::Map::new())))
                }
                Some(t) => Ok(t),
                None => Err(Error::MissingTarget {
                    from: from.to_string(),
                    target: target.to_string(),
                }),
            };
        }
        let raw = self.raw(from, target)?;
        let sparse = raw.traits.contains_key("smithy.api#sparse");
        Ok(match raw.kind.as_str() {
            "string" if raw.traits.contains_key("smithy.api#enum") => {
                self.named(from, target)?;
                Type::Named(target.to_string())
            }
            "string" => Type::String,
            "boolean" => Type::Boolean,
            "byte" => Type::Byte,
            "short" => Type::Short,
            "integer" => Type::Integer,
            "long" => Type::Long,
            "float" => Type::Float,
            "double" => Type::Double,
            "bigInteger" => Type::BigInteger,
            "bigDecimal" => Type::BigDecimal,
            "timestamp" => Type::Timestamp(timestamp_format(&raw.traits)),
            "blob" if raw.traits.contains_key("smithy.api#streaming") => {
                return Err(Error::Unsupported {
                    shape: target.to_string(),
                    reason: "streaming blobs are not supported by awsJson".into(),
                })
            }
            "blob" => Type::Blob,
            "document" => Type::Document,
            "list" | "set" => {
                let member = raw.member.as_ref().ok_or_else(|| Error::InvalidShape {
                    shape: target.to_string(),
                    reason: "a list without `member`".into(),
                })?;
                let id = format!("{target}$member");
                Type::List {
                    member: Box::new(self.resolve_type(&id, &member.target, &member.traits)?),
                    sparse,
                }
            }
            "map" => {
                let (Some(key), Some(value)) = (raw.key.as_ref(), raw.value.as_ref()) else {
                    return Err(Error::InvalidShape {
                        shape: target.to_string(),
                        reason: "a map without `key` and `value`".into(),
                    });
                };
                let key_type =
                    self.resolve_type(&format!("{target}$key"), &key.target, &key.traits)?;
                if !matches!(key_type, Type::String | Type::Named(_)) {
                    return Err(Error::Unsupported {
                        shape: target.to_string(),
                        reason: "map keys must be strings or string enums".into(),
                    });
                }
                Type::Map {
                    key: Box::new(key_type),
                    value: Box::new(self.resolve_type(
                        &format!("{target}$value"),
                        &value.target,
                        &value.traits,
                    )?),
                    sparse,
                }
            }
            "structure" | "union" | "enum" | "intEnum" => {
                self.named(from, target)?;
                Type::Named(target.to_string())
            }
            other => {
                return Err(Error::InvalidShape {
                    shape: from.to_string(),
                    reason: format!("targets `{target}`, a {other}, which cannot be a member"),
                })
            }
        })
    }

    /// Converts a named shape (once).
    fn named(&mut self, from: &str, id: &str) -> Result<(), Error> {
        if self.shapes.contains_key(id) {
            return Ok(());
        }
        let raw = self.raw(from, id)?;
        let is_error = raw.traits.contains_key(TRAIT_ERROR);
        let query_code = op_traits::query_error_code(id, &raw.traits)?;
        // The placeholder kind stays until the members are converted; the shape is
        // inserted first so that recursive references terminate.
        let base = unnamed_shape(
            id,
            string_trait(&raw.traits, TRAIT_DOCS),
            deprecated(&raw.traits),
        );
        self.shapes.insert(id.to_string(), base);
        let kind = match raw.kind.as_str() {
            "structure" => {
                let role = if is_error { Role::Error } else { Role::Plain };
                ShapeKind::Structure(Structure {
                    role,
                    members: self.members(id, &raw, role),
                    error: is_error.then(|| ErrorTrait {
                        server: raw.traits.get(TRAIT_ERROR).and_then(Value::as_str)
                            == Some("server"),
                        http_status: raw
                            .traits
                            .get("smithy.api#httpError")
                            .and_then(Value::as_u64)
                            .and_then(|s| u16::try_from(s).ok()),
                        is_fn: String::new(),
                        retryable: op_traits::retryable(&raw.traits),
                        query_code,
                    }),
                    builder: String::new(),
                })
            }
            "union" => ShapeKind::Union(self.members(id, &raw, Role::Plain)),
            "enum" => ShapeKind::Enum(enums::enum_variants(id, &raw)?),
            "string" => ShapeKind::Enum(enums::legacy_enum_variants(id, &raw)?),
            "intEnum" => ShapeKind::IntEnum(enums::int_enum_variants(id, &raw)?),
            other => {
                return Err(Error::InvalidShape {
                    shape: id.to_string(),
                    reason: format!("expected a structure, union or enum, found {other}"),
                })
            }
        };
        if let Some(shape) = self.shapes.get_mut(id) {
            shape.kind = kind;
        }
        Ok(())
    }
}

/// A named shape with its model data and no Rust names yet (the naming pass adds them).
fn unnamed_shape(id: &str, docs: Option<String>, deprecated: Option<Deprecated>) -> Shape {
    Shape {
        id: id.to_string(),
        name: shape_name(id).to_string(),
        rust_name: String::new(),
        module: String::new(),
        module_ident: String::new(),
        file: String::new(),
        serde: SerdeNames::default(),
        docs,
        deprecated,
        operations: BTreeSet::new(),
        ser_operations: BTreeSet::new(),
        de_operations: BTreeSet::new(),
        kind: ShapeKind::Union(Vec::new()),
    }
}

fn prelude_type(name: &str) -> Option<Type> {
    Some(match name {
        "String" => Type::String,
        "Blob" => Type::Blob,
        "Boolean" | "PrimitiveBoolean" => Type::Boolean,
        "Byte" | "PrimitiveByte" => Type::Byte,
        "Short" | "PrimitiveShort" => Type::Short,
        "Integer" | "PrimitiveInteger" => Type::Integer,
        "Long" | "PrimitiveLong" => Type::Long,
        "Float" | "PrimitiveFloat" => Type::Float,
        "Double" | "PrimitiveDouble" => Type::Double,
        "BigInteger" => Type::BigInteger,
        "BigDecimal" => Type::BigDecimal,
        "Timestamp" => Type::Timestamp(TimestampFormat::EpochSeconds),
        "Document" => Type::Document,
        "Unit" => Type::Unit,
        _ => return None,
    })
}

fn prelude_default(name: &str) -> Option<Value> {
    match name {
        "PrimitiveBoolean" => Some(Value::Bool(false)),
        "PrimitiveByte" | "PrimitiveShort" | "PrimitiveInteger" | "PrimitiveLong" => {
            Some(Value::from(0))
        }
        "PrimitiveFloat" | "PrimitiveDouble" => Some(Value::from(0.0)),
        _ => None,
    }
}

fn string_trait(traits: &serde_json::Map<String, Value>, name: &str) -> Option<String> {
    traits.get(name).and_then(Value::as_str).map(str::to_string)
}

fn deprecated(traits: &serde_json::Map<String, Value>) -> Option<Deprecated> {
    traits.get("smithy.api#deprecated").map(|v| Deprecated {
        message: v.get("message").and_then(Value::as_str).map(str::to_string),
        since: v.get("since").and_then(Value::as_str).map(str::to_string),
    })
}

fn bounds(v: &Value) -> Bounds {
    Bounds {
        min: v.get("min").and_then(Value::as_f64),
        max: v.get("max").and_then(Value::as_f64),
    }
}
