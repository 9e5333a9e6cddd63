//! The naming pass: runs once after normalize, writes every Rust identifier and file path
//! into the IR (as smithy-rs's symbol provider decides them), and checks each namespace
//! for collisions. Every clash is reported with both shape (or member) ids, all at once.
//!
//! Names follow from names: a file path follows from its type, a serializer module from
//! its type. So derived namespaces are only checked once the names they derive from are
//! unique; otherwise one clash would be reported three times.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::ir::{
    Operation, Role, RootError, RootErrorVariant, SerdeNames, Service, Shape, ShapeKind,
    VariantNames,
};
use crate::naming;

/// The module of modeled error types, and of the other named types.
const ERRORS_MODULE: &str = "types::error";
const TYPES_MODULE: &str = "types";

/// Files the crate always has.
const FIXED_FILES: &[&str] = &[
    "src/lib.rs",
    "src/client.rs",
    "src/config.rs",
    "src/error.rs",
    "src/error_meta.rs",
    "src/primitives.rs",
    "src/endpoint.rs",
    "src/operation.rs",
    "src/types.rs",
    "src/types/error.rs",
    "src/protocol_serde.rs",
    "src/__private.rs",
];

/// Names every generated crate uses for itself, by namespace.
const CLIENT_METHODS: &[&str] = &["from_conf", "new", "config"];
const FEATURES: &[&str] = &[
    "default",
    "full",
    "serde",
    "test-util",
    "config-loader",
    "aws-config",
    "behavior-version-latest",
    "rustls",
    "rt-tokio",
    "default-https-client",
];
const BUILDER_METHODS: &[&str] = &[
    "build",
    "send",
    "as_input",
    "new",
    "customize",
    "config_override",
];
const ERROR_ENUM_METHODS: &[&str] = &["unhandled", "generic", "meta"];

/// Names every shape and operation, then checks for collisions.
pub fn assign(service: &mut Service) -> Result<(), Error> {
    let mut io_shapes: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
    for op in &mut service.operations {
        name_operation(op);
        io_shapes.insert(op.input.clone(), (op.name.clone(), "input"));
        io_shapes.insert(op.output.clone(), (op.name.clone(), "output"));
    }
    for shape in service.shapes.values_mut() {
        match io_shapes.get(&shape.id) {
            Some((op_name, file)) => {
                let op = service
                    .operations
                    .iter()
                    .find(|o| &o.name == op_name)
                    .ok_or_else(|| Error::Internal {
                        shape: shape.id.clone(),
                        reason: format!("the input or output of unknown operation `{op_name}`"),
                    })?;
                name_io_shape(shape, op, file);
            }
            None => name_shape(shape),
        }
    }
    let shapes = &service.shapes;
    for op in &mut service.operations {
        let has_context_members = shapes.get(&op.input).is_some_and(|s| match &s.kind {
            ShapeKind::Structure(s) => s.members.iter().any(|m| m.context_param.is_some()),
            _ => false,
        });
        op.endpoint_params_fn = (has_context_members || !op.operation_context_params.is_empty())
            .then(naming::operation_endpoint_params);
    }
    service.root_error = name_root_error(service);
    for (index, case) in service.endpoint_tests.iter_mut().enumerate() {
        case.fn_name = naming::test_fn_name(index, &case.doc);
    }
    let mut errors = Vec::new();
    check_primary(service, &mut errors);
    if errors.is_empty() {
        check_derived(service, &mut errors);
    }
    Error::collect(errors)
}

fn name_operation(op: &mut Operation) {
    op.module = naming::module_name(&op.name);
    let stem = naming::unraw(&op.module);
    op.module_file = format!("src/operation/{stem}.rs");
    op.builders_file = format!("src/operation/{stem}/builders.rs");
    op.error_file = format!("src/operation/{stem}/error.rs");
    op.serde_file = format!("src/protocol_serde/{stem}.rs");
    op.error_name = naming::operation_error(&op.name);
    op.fluent_builder = naming::fluent_builder(&op.name);
    op.feature = naming::operation_feature(&op.name);
    op.ser_input = naming::operation_ser_input(&op.module);
    op.de_output = naming::operation_de_output(&op.module);
    op.de_output_payload = naming::operation_de_output_payload(&op.module);
    op.de_error = naming::operation_de_error(&op.module);
    if let Some(p) = &mut op.paginator {
        (p.rust_name, p.items_name) = naming::paginator(&op.name);
        p.file = format!("src/operation/{stem}/paginator.rs");
    }
    for w in &mut op.waiters {
        let names = naming::waiter(&w.name);
        w.file = naming::module_file("waiters", &names.module);
        w.module = names.module;
        w.method = names.method;
        w.fluent_builder = names.fluent_builder;
        w.final_poll = names.final_poll;
        w.error = names.error;
    }
}

/// The crate-root `Error` (aws-sdk-rust's `error_meta.rs`): a variant per modeled error of
/// the generated operations, named like the error type (as in each operation's enum), with
/// the operations that return it for feature gating.
fn name_root_error(service: &Service) -> RootError {
    let mut by_shape: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for op in &service.operations {
        for id in &op.errors {
            by_shape.entry(id).or_default().push(op.name.clone());
        }
    }
    let mut variants: Vec<RootErrorVariant> = by_shape
        .into_iter()
        .filter_map(|(id, operations)| {
            let shape = service.shapes.get(id)?;
            Some(RootErrorVariant {
                variant: shape.rust_name.clone(),
                shape: id.to_string(),
                operations,
            })
        })
        .collect();
    variants.sort_by(|a, b| {
        a.variant
            .cmp(&b.variant)
            .then_with(|| a.shape.cmp(&b.shape))
    });
    RootError {
        name: naming::ROOT_ERROR.to_string(),
        module: naming::ROOT_ERROR_MODULE.to_string(),
        file: format!("src/{}.rs", naming::ROOT_ERROR_MODULE),
        variants,
    }
}

/// An operation's input or output: `operation::<op>::<Op>Input` in `<dir>/input.rs`,
/// (de)serialized by the operation's own functions.
fn name_io_shape(shape: &mut Shape, op: &Operation, file: &str) {
    shape.rust_name = naming::type_name(&shape.name);
    shape.module = format!("operation::{}", op.module);
    shape.module_ident = file.to_string();
    shape.file = format!("src/operation/{}/{file}.rs", naming::unraw(&op.module));
    shape.serde = SerdeNames {
        module: op.module.clone(),
        file: op.serde_file.clone(),
        ser_fn: op.ser_input.clone(),
        de_fn: op.de_output_payload.clone(),
    };
    name_kind(shape);
}

fn name_shape(shape: &mut Shape) {
    let is_error = matches!(&shape.kind, ShapeKind::Structure(s) if s.error.is_some());
    shape.rust_name = naming::type_name(&shape.name);
    shape.module = if is_error {
        ERRORS_MODULE
    } else {
        TYPES_MODULE
    }
    .to_string();
    shape.module_ident = naming::module_name(&shape.rust_name);
    shape.file = naming::module_file(&shape.module, &shape.module_ident);
    let module = naming::shape_serde_module(&shape.rust_name);
    shape.serde = SerdeNames {
        file: format!("src/protocol_serde/{module}.rs"),
        module,
        ser_fn: naming::shape_ser_fn(&shape.rust_name),
        de_fn: naming::shape_de_fn(&shape.rust_name),
    };
    name_kind(shape);
}

fn name_kind(shape: &mut Shape) {
    let rust_name = shape.rust_name.clone();
    match &mut shape.kind {
        ShapeKind::Structure(s) => {
            s.builder = naming::builder_name(&rust_name);
            if let Some(e) = &mut s.error {
                e.is_fn = naming::error_is_fn(&rust_name);
            }
        }
        // Variants in wire-value order, as smithy-rs emits them, so `values()`, the
        // derived `Ord` and `BTreeMap` keys order as with aws-sdk-rust.
        ShapeKind::Enum(variants) => {
            for v in variants.iter_mut() {
                v.rust_name = naming::enum_variant(&v.name);
            }
            variants.sort_by(|a, b| a.value.cmp(&b.value));
        }
        ShapeKind::IntEnum(variants) => {
            for v in variants.iter_mut() {
                v.rust_name = naming::enum_variant(&v.name);
            }
            variants.sort_by_key(|v| v.value);
        }
        ShapeKind::Union(_) => {}
    }
    let union = matches!(shape.kind, ShapeKind::Union(_));
    for m in shape.kind.members_mut() {
        m.field = naming::member_field(&m.wire_name);
        m.setter = naming::setter(&m.field);
        m.getter = naming::getter(&m.field);
        m.local = naming::parser_local(&m.field);
        m.variant = union.then(|| VariantNames {
            variant: naming::enum_variant(&m.wire_name),
            is_fn: naming::union_is_fn(&m.field),
            as_fn: naming::union_as_fn(&m.field),
        });
    }
}

/// One namespace: each name and the id that claimed it first.
struct Namespace {
    what: String,
    /// `None` for the generator's own names.
    taken: BTreeMap<String, Option<String>>,
}

impl Namespace {
    fn new(what: impl Into<String>) -> Self {
        Namespace {
            what: what.into(),
            taken: BTreeMap::new(),
        }
    }

    /// A namespace where the generator already uses `reserved`.
    fn with_reserved(what: impl Into<String>, reserved: &[&str]) -> Self {
        let mut ns = Namespace::new(what);
        for name in reserved {
            ns.taken.insert(name.to_string(), None);
        }
        ns
    }

    /// Takes `name` for `owner`; false (and an error naming both) when another has it.
    fn claim(&mut self, name: &str, owner: &str, errors: &mut Vec<Error>) -> bool {
        match self.taken.get(name) {
            Some(first) if first.as_deref() != Some(owner) => {
                errors.push(Error::Collision {
                    what: self.what.clone(),
                    name: name.to_string(),
                    first: first.clone(),
                    second: owner.to_string(),
                });
                false
            }
            Some(_) => true,
            None => {
                self.taken.insert(name.to_string(), Some(owner.to_string()));
                true
            }
        }
    }
}

/// Whether a shape is an operation's input or output.
fn is_io(shape: &Shape) -> bool {
    matches!(&shape.kind, ShapeKind::Structure(s) if matches!(s.role, Role::Input | Role::Output))
}

/// Names the model decides directly: types per module, operation modules, members,
/// variants.
fn check_primary(service: &Service, errors: &mut Vec<Error>) {
    let mut types: BTreeMap<&str, Namespace> = BTreeMap::new();
    for shape in service.shapes.values() {
        // An input or output is named after its operation, in the operation's own
        // module: the operation module check covers it.
        if !is_io(shape) {
            types
                .entry(shape.module.as_str())
                .or_insert_with(|| Namespace::new(format!("types in `crate::{}`", shape.module)))
                .claim(&shape.rust_name, &shape.id, errors);
        }
        check_shape(shape, errors);
    }
    let mut modules =
        Namespace::with_reserved("operation modules and client methods", CLIENT_METHODS);
    for op in &service.operations {
        modules.claim(&op.module, &op.id, errors);
    }
}

fn check_shape(shape: &Shape, errors: &mut Vec<Error>) {
    let rust = &shape.rust_name;
    let member_id = |wire: &str| format!("{}${wire}", shape.id);
    match &shape.kind {
        ShapeKind::Structure(s) => {
            let mut fields = Namespace::with_reserved(format!("fields of `{rust}`"), &["builder"]);
            let extra: &[&str] = match s.role {
                Role::Output => &["_request_id", "_set_request_id"],
                Role::Error => &["meta", "set_meta"],
                Role::Input | Role::Plain => &[],
            };
            let reserved: Vec<&str> = BUILDER_METHODS.iter().chain(extra).copied().collect();
            let mut methods =
                Namespace::with_reserved(format!("builder methods of `{rust}`"), &reserved);
            let mut locals = Namespace::with_reserved(
                format!("parser variables of `{rust}`"),
                &["d", "key", "value", "item"],
            );
            for m in &s.members {
                let id = member_id(&m.wire_name);
                // The other names follow from the field: one clash, one report.
                if fields.claim(&m.field, &id, errors) {
                    for name in [&m.field, &m.setter, &m.getter] {
                        methods.claim(name, &id, errors);
                    }
                    locals.claim(&m.local, &id, errors);
                }
            }
        }
        ShapeKind::Union(members) => {
            let mut variants =
                Namespace::with_reserved(format!("variants of `{rust}`"), &["Unknown"]);
            let mut helpers =
                Namespace::with_reserved(format!("methods of `{rust}`"), &["is_unknown"]);
            for m in members {
                let id = member_id(&m.wire_name);
                if let Some(v) = &m.variant {
                    if variants.claim(&v.variant, &id, errors) {
                        helpers.claim(&v.is_fn, &id, errors);
                        helpers.claim(&v.as_fn, &id, errors);
                    }
                }
            }
        }
        ShapeKind::Enum(vs) => {
            let mut variants =
                Namespace::with_reserved(format!("variants of `{rust}`"), &["Unknown"]);
            for v in vs {
                variants.claim(&v.rust_name, &member_id(&v.name), errors);
            }
        }
        ShapeKind::IntEnum(vs) => {
            let mut variants =
                Namespace::with_reserved(format!("variants of `{rust}`"), &["Unknown"]);
            for v in vs {
                variants.claim(&v.rust_name, &member_id(&v.name), errors);
            }
        }
    }
}

/// Names that follow from the primary ones: module and file paths, serializer modules,
/// features, and each operation error enum's variants and methods.
fn check_derived(service: &Service, errors: &mut Vec<Error>) {
    let mut files = Namespace::with_reserved("files", FIXED_FILES);
    let mut submodules: BTreeMap<&str, Namespace> = BTreeMap::new();
    let mut serde_modules = Namespace::new("modules in `crate::protocol_serde`");
    for op in &service.operations {
        for file in [
            &op.module_file,
            &op.builders_file,
            &op.error_file,
            &op.serde_file,
        ] {
            files.claim(file, &op.id, errors);
        }
        serde_modules.claim(&op.module, &op.id, errors);
        if let Some(p) = &op.paginator {
            files.claim(&p.file, &op.id, errors);
        }
    }
    // Waiter names are service-wide: one module and one `Waiters` method each.
    let mut waiter_modules = Namespace::new("modules in `crate::waiters`");
    let mut waiter_methods = Namespace::new("methods of `client::Waiters`");
    for op in &service.operations {
        for w in &op.waiters {
            let owner = format!("{} (waiter `{}`)", op.id, w.name);
            waiter_modules.claim(&w.module, &owner, errors);
            waiter_methods.claim(&w.method, &owner, errors);
            files.claim(&w.file, &owner, errors);
        }
    }
    for shape in service.shapes.values() {
        files.claim(&shape.file, &shape.id, errors);
        if is_io(shape) {
            continue;
        }
        submodules
            .entry(shape.module.as_str())
            .or_insert_with(|| {
                let reserved: &[&str] = if shape.module == TYPES_MODULE {
                    &["builders", "error"]
                } else {
                    &["builders"]
                };
                Namespace::with_reserved(format!("modules in `crate::{}`", shape.module), reserved)
            })
            .claim(&shape.module_ident, &shape.id, errors);
        let has_serde = matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_))
            && !(shape.ser_operations.is_empty() && shape.de_operations.is_empty());
        if has_serde {
            serde_modules.claim(&shape.serde.module, &shape.id, errors);
            files.claim(&shape.serde.file, &shape.id, errors);
        }
    }
    let before_errors = errors.len();
    let mut features = Namespace::with_reserved("cargo features", FEATURES);
    for op in &service.operations {
        features.claim(&op.feature, &op.id, errors);
        let mut variants =
            Namespace::with_reserved(format!("variants of `{}`", op.error_name), &["Unhandled"]);
        let mut methods = Namespace::with_reserved(
            format!("methods of `{}`", op.error_name),
            ERROR_ENUM_METHODS,
        );
        for id in &op.errors {
            let Some(shape) = service.shapes.get(id) else {
                continue;
            };
            variants.claim(&shape.rust_name, id, errors);
            if let ShapeKind::Structure(s) = &shape.kind {
                if let Some(e) = &s.error {
                    methods.claim(&e.is_fn, id, errors);
                }
            }
        }
    }
    // The root enum's variants are the error types' names, so a clash there is almost always
    // one already reported (same module, or `Unhandled` in an operation's enum): only check
    // it when nothing else clashed, so one clash gives one report.
    if errors.len() == before_errors {
        let root = &service.root_error;
        let mut root_variants = Namespace::with_reserved(
            format!("variants of `crate::{}`", root.name),
            &["Unhandled"],
        );
        for v in &root.variants {
            root_variants.claim(&v.variant, &v.shape, errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespace_reports_both_owners() {
        let mut errors = Vec::new();
        let mut ns = Namespace::with_reserved("types in `crate::types`", &["Config"]);
        ns.claim("FooBar", "a#FooBar", &mut errors);
        ns.claim("FooBar", "a#fooBar", &mut errors);
        ns.claim("Config", "b#Config", &mut errors);
        ns.claim("Other", "a#Other", &mut errors);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "name collision among the types in `crate::types`: `a#FooBar` and \
                 `a#fooBar` both become `FooBar`",
                "name collision among the types in `crate::types`: the generated code's \
                 own item and `b#Config` both become `Config`",
            ]
        );
    }
}
