//! From the IR to files. Each submodule emits one concern; this module decides which
//! files exist and what goes in each.

mod common;
mod crate_files;
mod enums;
mod errors;
mod operation;
mod protocol;
mod structure;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
use crate::format::{format_file, header_text};
use crate::ir::{Service, Shape, ShapeKind};
use crate::{GeneratedFile, Settings};
use common::Types;

/// The tokens of one file, produced on a worker thread (token streams are not `Send`,
/// so each is built where it is formatted).
type Job<'a> = Box<dyn Fn() -> TokenStream + Sync + 'a>;

/// Emits every file of the generated crate, sorted by path.
pub fn emit(service: &Service, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    let types = &Types { service };
    let mut rust: BTreeMap<String, Job<'_>> = BTreeMap::new();

    rust.insert(
        "src/lib.rs".into(),
        Box::new(move || crate_files::lib_rs(service, settings)),
    );
    rust.insert(
        "src/client.rs".into(),
        Box::new(move || crate_files::client_rs(types, settings)),
    );
    rust.insert("src/config.rs".into(), Box::new(crate_files::config_rs));
    rust.insert("src/error.rs".into(), Box::new(crate_files::error_rs));
    rust.insert(
        "src/primitives.rs".into(),
        Box::new(crate_files::primitives_rs),
    );
    rust.insert(
        "src/endpoint.rs".into(),
        Box::new(move || crate_files::endpoint_rs(service)),
    );
    rust.insert(
        "src/operation.rs".into(),
        Box::new(move || crate_files::operation_rs(types, settings)),
    );

    // Named shapes under `types` and `types::error`.
    let plain: Vec<&Shape> = sorted_shapes(service, "types");
    let errors: Vec<&Shape> = sorted_shapes(service, "types::error");
    let has_errors = !errors.is_empty();
    for shape in plain.iter().chain(&errors).copied() {
        let dir = shape.module.replace("::", "/");
        let file = crate::naming::module_name(&shape.rust_name);
        let path = format!("src/{dir}/{}.rs", file.trim_start_matches("r#"));
        rust.insert(path, Box::new(move || shape_file(types, shape)));
    }
    rust.insert(
        "src/types.rs".into(),
        Box::new(move || {
            let doc = "Data types: structures, enums and unions used by the operations.";
            crate_files::types_index(settings, &plain, doc, has_errors)
        }),
    );
    if has_errors {
        rust.insert(
            "src/types/error.rs".into(),
            Box::new(move || {
                crate_files::types_index(
                    settings,
                    &errors,
                    "The modeled errors of the service.",
                    false,
                )
            }),
        );
    }

    // Operations.
    for op in &service.operations {
        let dir = format!("src/operation/{}", op.module.trim_start_matches("r#"));
        rust.insert(
            format!("{dir}.rs"),
            Box::new(move || operation::operation_module(types, op)),
        );
        rust.insert(
            format!("{dir}/builders.rs"),
            Box::new(move || operation::builders_module(types, op)),
        );
        rust.insert(
            format!("{dir}/error.rs"),
            Box::new(move || {
                with_doc(
                    "The operation's error enum.",
                    errors::operation_error(types, op),
                )
            }),
        );
        for (id, file, doc) in [
            (&op.input, "input", "The operation's input."),
            (&op.output, "output", "The operation's output."),
        ] {
            let shape = &service.shapes[id];
            rust.insert(
                format!("{dir}/{file}.rs"),
                Box::new(move || with_doc(doc, shape_tokens(types, shape))),
            );
        }
    }

    // Serializers and parsers, only where they are used.
    let (ser, de) = serde_needs(service);
    let mut serde_modules: Vec<(String, Vec<String>)> = Vec::new();
    for op in &service.operations {
        let module = op.module.trim_start_matches("r#").to_string();
        rust.insert(
            format!("src/protocol_serde/{module}.rs"),
            Box::new(move || types.operation_serde(op)),
        );
        serde_modules.push((op.module.clone(), vec![op.name.clone()]));
    }
    for (id, shape) in &service.shapes {
        if !matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_)) {
            continue;
        }
        let ser_ops: Vec<String> = ser.get(id).into_iter().flatten().cloned().collect();
        let de_ops: Vec<String> = de.get(id).into_iter().flatten().cloned().collect();
        if ser_ops.is_empty() && de_ops.is_empty() {
            continue;
        }
        let module = protocol::shape_module(shape).to_string();
        let mut ops: BTreeSet<String> = ser_ops.iter().cloned().collect();
        ops.extend(de_ops.iter().cloned());
        serde_modules.push((module.clone(), ops.into_iter().collect()));
        rust.insert(
            format!("src/protocol_serde/{module}.rs"),
            Box::new(move || {
                let ser_cfg =
                    (!ser_ops.is_empty()).then(|| crate_files::feature_cfg(settings, &ser_ops));
                let de_cfg =
                    (!de_ops.is_empty()).then(|| crate_files::feature_cfg(settings, &de_ops));
                types.shape_serde(shape, ser_cfg, de_cfg)
            }),
        );
    }
    serde_modules.sort();
    rust.insert(
        "src/protocol_serde.rs".into(),
        Box::new(move || crate_files::protocol_index(&serde_modules, settings)),
    );

    let header = header_text(settings);
    let mut files = vec![GeneratedFile {
        path: "Cargo.toml".into(),
        contents: crate_files::cargo_toml(service, settings, &header),
    }];
    files.extend(format_all(rust, &header)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Builds and formats every file, spread over the machine's cores. The result does not
/// depend on the thread count: each file is produced by one job alone.
fn format_all(jobs: BTreeMap<String, Job<'_>>, header: &str) -> Result<Vec<GeneratedFile>, Error> {
    let jobs: Vec<(String, Job<'_>)> = jobs.into_iter().collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let results: Vec<Vec<Result<GeneratedFile, Error>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let jobs = &jobs;
                scope.spawn(move || {
                    jobs.iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|(path, job)| {
                            format_file(path, job(), header).map(|contents| GeneratedFile {
                                path: path.clone(),
                                contents,
                            })
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.into_iter().flatten().collect()
}

fn with_doc(doc: &str, tokens: TokenStream) -> TokenStream {
    let doc = format!(" {doc}");
    quote! {
        #![doc = #doc]

        #tokens
    }
}

fn sorted_shapes<'a>(service: &'a Service, module: &str) -> Vec<&'a Shape> {
    let mut shapes: Vec<&Shape> = service
        .shapes
        .values()
        .filter(|s| s.module == module)
        .collect();
    shapes.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    shapes
}

/// The file of one named shape under `types`.
fn shape_file(types: &Types<'_>, shape: &Shape) -> TokenStream {
    let doc = format!("The `{}` shape.", shape.name);
    with_doc(&doc, shape_tokens(types, shape))
}

fn shape_tokens(types: &Types<'_>, shape: &Shape) -> TokenStream {
    match &shape.kind {
        ShapeKind::Structure(s) => {
            let mut tokens = structure::structure(types, shape, s);
            if s.error.is_some() {
                tokens.extend(errors::error_impls(shape));
            }
            tokens
        }
        ShapeKind::Union(members) => enums::union(types, shape, members),
        ShapeKind::Enum(variants) => enums::string_enum(shape, variants),
        ShapeKind::IntEnum(variants) => enums::int_enum(shape, variants),
    }
}

/// For each named shape, the operations that need its serializer (reachable from their
/// input) and those that need its parser (reachable from their output or errors). Inputs
/// and outputs themselves are handled by each operation's own functions.
fn serde_needs(service: &Service) -> (OpsByShape, OpsByShape) {
    let walk = |roots: Vec<String>, out: &mut OpsByShape, op: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            let Some(shape) = service.shapes.get(&id) else {
                continue;
            };
            for n in shape.kind.named_targets() {
                if seen.insert(n.clone()) {
                    out.entry(n.clone()).or_default().insert(op.to_string());
                    stack.push(n);
                }
            }
        }
    };
    let mut ser = OpsByShape::new();
    let mut de = OpsByShape::new();
    for op in &service.operations {
        walk(vec![op.input.clone()], &mut ser, &op.name);
        let mut roots = vec![op.output.clone()];
        roots.extend(op.errors.iter().cloned());
        for e in &op.errors {
            de.entry(e.clone()).or_default().insert(op.name.clone());
        }
        walk(roots, &mut de, &op.name);
    }
    (ser, de)
}

/// Operation names by shape id.
type OpsByShape = BTreeMap<String, BTreeSet<String>>;
