//! From the raw AST to the validated IR: pick the service and operations, walk their
//! closure, give every operation its own input and output, attach service errors, box
//! recursive members, and reject what is unsupported (all problems at once).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::Error;
use crate::ir::{
    Bounds, Deprecated, EnumVariant, ErrorTrait, IntEnumVariant, Member, Operation, Protocol, Role,
    Service, Shape, ShapeKind, Structure, TimestampFormat, Type,
};
use crate::model::{shape_name, Model, RawMember, RawShape};
use crate::naming;

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
    let mut cx = Normalizer {
        model,
        v1: model.smithy.starts_with("1."),
        cache: BTreeMap::new(),
        shapes: BTreeMap::new(),
        errors: Vec::new(),
    };
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
    let mut cx = Normalizer {
        model,
        v1: model.smithy.starts_with("1."),
        cache: BTreeMap::new(),
        shapes: BTreeMap::new(),
        errors: Vec::new(),
    };
    let (service_id, service) = cx.service()?;
    let protocol = protocol(&service_id, &service)?;
    let bound = cx.bound_operations(&service_id, &service)?;
    let chosen = choose(&bound, selection)?;

    let service_errors: Vec<String> = service.errors.iter().map(|e| e.target.clone()).collect();
    let namespace = service_id
        .split_once('#')
        .map_or("", |(ns, _)| ns)
        .to_string();
    let mut operations = Vec::new();
    for (name, op_id) in chosen {
        match cx.operation(&namespace, &name, &op_id, &service_errors) {
            Ok(op) => operations.push(op),
            Err(e) => cx.errors.push(e),
        }
    }
    Error::collect(std::mem::take(&mut cx.errors))?;
    box_recursive_members(&mut cx.shapes);

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
    let endpoint_tests = service
        .traits
        .get("smithy.rules#endpointTests")
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(Service {
        id: service_id.clone(),
        target_prefix,
        sdk_id,
        version: service.version.clone().unwrap_or_default(),
        signing_name,
        protocol,
        title: string_trait(&service.traits, "smithy.api#title"),
        docs: string_trait(&service.traits, TRAIT_DOCS),
        endpoint_rules: service.traits.get("smithy.rules#endpointRuleSet").cloned(),
        endpoint_tests,
        operations,
        shapes: cx.shapes,
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

/// Picks the selected operations from those bound to the service, by name.
fn choose(
    bound: &BTreeMap<String, String>,
    selection: &OperationSelection,
) -> Result<BTreeMap<String, String>, Error> {
    match selection {
        OperationSelection::All => Ok(bound.clone()),
        OperationSelection::Named(names) => {
            let mut chosen = BTreeMap::new();
            let mut unknown = Vec::new();
            for name in names {
                match bound.get_key_value(name.as_str()) {
                    Some((k, v)) => {
                        chosen.insert(k.clone(), v.clone());
                    }
                    None => unknown.push((name.clone(), nearest(name, bound.keys()))),
                }
            }
            if unknown.is_empty() {
                Ok(chosen)
            } else {
                Err(Error::UnknownOperations { unknown })
            }
        }
    }
}

/// Up to three known names closest to `name` (case-insensitive edit distance).
fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(usize, &String)> = known
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .collect();
    scored.sort();
    let limit = (name.len() / 2).max(3);
    scored
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(3)
        .map(|(_, k)| k.clone())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

struct Normalizer<'m> {
    model: &'m Model,
    v1: bool,
    cache: BTreeMap<String, RawShape>,
    shapes: BTreeMap<String, Shape>,
    errors: Vec<Error>,
}

impl Normalizer<'_> {
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
    ) -> Result<Operation, Error> {
        let op = self.raw(op_id, op_id)?;
        let module = naming::module_name(name);
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
            let rust_name = naming::type_name(shape_name(synthetic));
            self.shapes.insert(
                synthetic.clone(),
                Shape {
                    id: synthetic.clone(),
                    name: shape_name(synthetic).to_string(),
                    rust_name,
                    module: format!("operation::{module}"),
                    docs,
                    deprecated: None,
                    operations: BTreeSet::from([name.to_string()]),
                    kind: ShapeKind::Structure(Structure {
                        role,
                        members,
                        error: None,
                    }),
                },
            );
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
            module,
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
        })
    }

    /// Converts the members of a structure or union, recording problems and skipping
    /// the members that have them.
    fn members(&mut self, owner: &str, raw: &RawShape, role: Role) -> Vec<Member> {
        let mut out = Vec::new();
        let mut fields = BTreeSet::new();
        for (wire, value) in &raw.members {
            match self.member(owner, wire, value, role) {
                Ok(member) => {
                    if !fields.insert(member.field.clone()) {
                        self.errors.push(Error::Unsupported {
                            shape: format!("{owner}${wire}"),
                            reason: format!("two members map to the Rust name `{}`", member.field),
                        });
                        continue;
                    }
                    out.push(member);
                }
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
            Some(v) => Some(v.clone()),
            None => self.v1_zero_default(&raw, &target_traits, &target),
        };
        let client_optional = raw.traits.contains_key("smithy.api#clientOptional");
        let optional = match role {
            Role::Input => true,
            _ => client_optional || (default.is_none() && !required),
        };
        let trait_of = |name: &str| raw.traits.get(name).or_else(|| target_traits.get(name));
        Ok(Member {
            wire_name: wire.to_string(),
            field: naming::member_field(wire),
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
            target,
        })
    }

    /// In Smithy 1.0, members targeting unboxed primitive shapes are zero by default.
    fn v1_zero_default(
        &self,
        raw: &RawMember,
        target_traits: &serde_json::Map<String, Value>,
        target: &Type,
    ) -> Option<Value> {
        let boxed = raw.traits.contains_key("smithy.api#box")
            || target_traits.contains_key("smithy.api#box")
            || (raw.target.starts_with("smithy.api#") && !raw.target.contains("#Primitive"));
        if !self.v1 || boxed {
            return None;
        }
        match target {
            Type::Boolean => Some(Value::Bool(false)),
            Type::Byte | Type::Short | Type::Integer | Type::Long => Some(Value::from(0)),
            Type::Float | Type::Double => Some(Value::from(0.0)),
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
        let name = shape_name(id).to_string();
        let is_error = raw.traits.contains_key(TRAIT_ERROR);
        let base = Shape {
            id: id.to_string(),
            rust_name: naming::type_name(&name),
            module: if is_error {
                "types::error".into()
            } else {
                "types".into()
            },
            name,
            docs: string_trait(&raw.traits, TRAIT_DOCS),
            deprecated: deprecated(&raw.traits),
            operations: BTreeSet::new(),
            // Placeholder until the members are converted; inserted first so that
            // recursive references terminate.
            kind: ShapeKind::Union(Vec::new()),
        };
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
                    }),
                })
            }
            "union" => ShapeKind::Union(self.members(id, &raw, Role::Plain)),
            "enum" => ShapeKind::Enum(self.enum_variants(id, &raw)?),
            "string" => ShapeKind::Enum(legacy_enum_variants(id, &raw)?),
            "intEnum" => ShapeKind::IntEnum(int_enum_variants(id, &raw)?),
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

    fn enum_variants(&mut self, id: &str, raw: &RawShape) -> Result<Vec<EnumVariant>, Error> {
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
                rust_name: naming::enum_variant(name),
                value: wire,
                docs: string_trait(&member.traits, TRAIT_DOCS),
                deprecated: deprecated(&member.traits),
            });
        }
        check_unique_variants(id, out.iter().map(|v| v.rust_name.as_str()))?;
        Ok(out)
    }
}

fn legacy_enum_variants(id: &str, raw: &RawShape) -> Result<Vec<EnumVariant>, Error> {
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
            rust_name: naming::enum_variant(name),
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
    check_unique_variants(id, out.iter().map(|v| v.rust_name.as_str()))?;
    Ok(out)
}

fn int_enum_variants(id: &str, raw: &RawShape) -> Result<Vec<IntEnumVariant>, Error> {
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
            rust_name: naming::enum_variant(name),
            value: wire,
            docs: string_trait(&member.traits, TRAIT_DOCS),
        });
    }
    check_unique_variants(id, out.iter().map(|v| v.rust_name.as_str()))?;
    Ok(out)
}

fn check_unique_variants<'a>(id: &str, names: impl Iterator<Item = &'a str>) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(Error::Unsupported {
                shape: id.to_string(),
                reason: format!("two enum values map to the Rust variant `{name}`"),
            });
        }
    }
    Ok(())
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

/// Boxes members whose type leads back to their own shape without passing through a
/// list or map (which already allocate), so every generated type has a finite size.
fn box_recursive_members(shapes: &mut BTreeMap<String, Shape>) {
    let direct = |shape: &Shape| -> Vec<String> {
        shape
            .kind
            .members()
            .iter()
            .filter_map(|m| match &m.target {
                Type::Named(id) => Some(id.clone()),
                _ => None,
            })
            .collect()
    };
    let edges: BTreeMap<String, Vec<String>> = shapes
        .iter()
        .map(|(id, s)| (id.clone(), direct(s)))
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == to {
                return true;
            }
            if seen.insert(id.clone()) {
                stack.extend(edges.get(&id).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (id, targets) in &edges {
        for target in targets {
            if reaches(target, id) {
                to_box.push((id.clone(), target.clone()));
            }
        }
    }
    for (id, target) in to_box {
        if let Some(shape) = shapes.get_mut(&id) {
            for m in shape.kind.members_mut() {
                if m.target == Type::Named(target.clone()) {
                    m.boxed = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names() {
        let known: Vec<String> = [
            "GetContainerServiceDeployments",
            "GetContainerServices",
            "GetBundles",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            nearest("GetContainerServiceDeployment", known.iter()),
            vec!["GetContainerServiceDeployments", "GetContainerServices"]
        );
        assert!(nearest("Zzzzzzzzzzzzzzzzzzzzzzzzzz", known.iter()).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
