//! From the IR to files. Each submodule emits one concern; this module decides which
//! files exist and what goes in each.

mod common;
mod config_files;
mod crate_files;
mod customize;
mod endpoint;
mod enums;
mod errors;
mod input_values;
mod operation;
mod paginator;
mod paths;
mod protocol;
mod root_error;
mod structure;
mod waiter;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
use crate::format::{format_file, header_text};
use crate::ir::{Role, Service, Shape, ShapeKind};
use crate::{GeneratedFile, Settings};
use common::Types;

/// The tokens of one file, produced on a worker thread (token streams are not `Send`,
/// so each is built where it is formatted).
type Job<'a> = Box<dyn Fn() -> Result<TokenStream, Error> + Sync + 'a>;

/// The Rust files to produce, by path. Adding a path twice is an error, never a silent
/// overwrite (the naming pass should have caught the clash first).
#[derive(Default)]
struct Jobs<'a>(BTreeMap<String, Job<'a>>);

impl<'a> Jobs<'a> {
    fn add(&mut self, path: &str, job: Job<'a>) -> Result<(), Error> {
        if self.0.insert(path.to_string(), job).is_some() {
            return Err(Error::Internal {
                shape: path.to_string(),
                reason: "two generated files have this path".into(),
            });
        }
        Ok(())
    }
}

/// Emits every file of the generated crate, sorted by path.
pub fn emit(service: &Service, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    check_references(service)?;
    let types = &Types::new(service);
    let mut rust = Jobs::default();

    rust.add(
        "src/lib.rs",
        Box::new(move || Ok(crate_files::lib_rs(service, settings))),
    )?;
    rust.add(
        "src/client.rs",
        Box::new(move || crate_files::client_rs(types, settings)),
    )?;
    rust.add("src/config.rs", Box::new(|| Ok(config_files::config_rs())))?;
    rust.add("src/error.rs", Box::new(|| Ok(config_files::error_rs())))?;
    rust.add(
        &service.root_error.file,
        Box::new(move || root_error::root_error_rs(types, settings)),
    )?;
    rust.add(
        "src/primitives.rs",
        Box::new(|| Ok(crate_files::primitives_rs())),
    )?;
    rust.add(
        "src/endpoint.rs",
        Box::new(move || endpoint::endpoint_rs(types, settings)),
    )?;
    rust.add(
        "src/__private.rs",
        Box::new(move || crate_files::private_rs(types, settings)),
    )?;
    rust.add(
        "src/operation.rs",
        Box::new(move || crate_files::operation_rs(types, settings)),
    )?;

    // Named shapes under `types` and `types::error`.
    let plain: Vec<&Shape> = sorted_shapes(service, "types");
    let errors: Vec<&Shape> = sorted_shapes(service, "types::error");
    let has_errors = !errors.is_empty();
    for shape in plain.iter().chain(&errors).copied() {
        rust.add(&shape.file, Box::new(move || shape_file(types, shape)))?;
    }
    rust.add(
        "src/types.rs",
        Box::new(move || {
            let doc = "Data types: structures, enums and unions used by the operations.";
            crate_files::types_index(types, settings, &plain, doc, has_errors)
        }),
    )?;
    if has_errors {
        rust.add(
            "src/types/error.rs",
            Box::new(move || {
                crate_files::types_index(
                    types,
                    settings,
                    &errors,
                    "The modeled errors of the service.",
                    false,
                )
            }),
        )?;
    }

    // Operations.
    for op in &service.operations {
        rust.add(
            &op.module_file,
            Box::new(move || operation::operation_module(types, op)),
        )?;
        rust.add(
            &op.builders_file,
            Box::new(move || operation::builders_module(types, op)),
        )?;
        rust.add(
            &op.error_file,
            Box::new(move || {
                Ok(with_doc(
                    "The operation's error enum.",
                    errors::operation_error(types, op)?,
                ))
            }),
        )?;
        if let Some(p) = &op.paginator {
            rust.add(
                &p.file,
                Box::new(move || paginator::paginator_module(types, op, p)),
            )?;
        }
        for w in &op.waiters {
            rust.add(
                &w.file,
                Box::new(move || waiter::waiter_module(types, op, w)),
            )?;
        }
        for (id, doc) in [
            (&op.input, "The operation's input."),
            (&op.output, "The operation's output."),
        ] {
            let shape = types.shape(id)?;
            rust.add(
                &shape.file,
                Box::new(move || Ok(with_doc(doc, shape_tokens(types, shape)?))),
            )?;
        }
    }

    if waiter::has_waiters(types) {
        rust.add(
            "src/waiters.rs",
            Box::new(move || waiter::waiters_rs(types, settings)),
        )?;
    }

    // Serializers and parsers, only where normalize found them used.
    let mut serde_modules: Vec<(String, Vec<String>)> = Vec::new();
    for op in &service.operations {
        rust.add(&op.serde_file, Box::new(move || types.operation_serde(op)))?;
        serde_modules.push((op.module.clone(), vec![op.name.clone()]));
    }
    for shape in service.shapes.values() {
        let io = matches!(&shape.kind, ShapeKind::Structure(s) if matches!(s.role, Role::Input | Role::Output));
        if io || !matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Union(_)) {
            continue;
        }
        let (ser_ops, de_ops) = (&shape.ser_operations, &shape.de_operations);
        if ser_ops.is_empty() && de_ops.is_empty() {
            continue;
        }
        let ops: BTreeSet<String> = ser_ops.union(de_ops).cloned().collect();
        serde_modules.push((shape.serde.module.clone(), ops.into_iter().collect()));
        rust.add(
            &shape.serde.file,
            Box::new(move || {
                let cfg = |ops: &BTreeSet<String>| {
                    (!ops.is_empty())
                        .then(|| crate_files::feature_cfg(types, settings, ops))
                        .transpose()
                };
                types.shape_serde(shape, cfg(ser_ops)?, cfg(de_ops)?)
            }),
        )?;
    }
    serde_modules.sort();
    rust.add(
        "src/protocol_serde.rs",
        Box::new(move || crate_files::protocol_index(types, &serde_modules, settings)),
    )?;

    let header = header_text(settings);
    let mut files = vec![GeneratedFile {
        path: "Cargo.toml".into(),
        contents: crate_files::cargo_toml(service, settings, &header),
    }];
    files.extend(format_all(rust.0, &header)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Fails unless every shape id the IR refers to (member targets, operation inputs, outputs
/// and errors) is one of its shapes; the emitters look shapes up by id after this.
fn check_references(service: &Service) -> Result<(), Error> {
    let missing = |from: &str, id: &str| Error::Internal {
        shape: from.to_string(),
        reason: format!("refers to `{id}`, which the IR does not contain"),
    };
    for shape in service.shapes.values() {
        for id in shape.kind.named_targets() {
            if !service.shapes.contains_key(&id) {
                return Err(missing(&shape.id, &id));
            }
        }
    }
    for op in &service.operations {
        for id in [&op.input, &op.output].into_iter().chain(&op.errors) {
            if !service.shapes.contains_key(id) {
                return Err(missing(&op.id, id));
            }
        }
    }
    Ok(())
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
                            let tokens = job()?;
                            format_file(path, tokens, header).map(|contents| GeneratedFile {
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
fn shape_file(types: &Types<'_>, shape: &Shape) -> Result<TokenStream, Error> {
    let doc = format!("The `{}` shape.", shape.name);
    Ok(with_doc(&doc, shape_tokens(types, shape)?))
}

fn shape_tokens(types: &Types<'_>, shape: &Shape) -> Result<TokenStream, Error> {
    Ok(match &shape.kind {
        ShapeKind::Structure(s) => {
            let mut tokens = structure::structure(types, shape, s)?;
            if s.error.is_some() {
                tokens.extend(errors::error_impls(shape)?);
            }
            tokens
        }
        ShapeKind::Union(members) => enums::union(types, shape, members)?,
        ShapeKind::Enum(variants) => enums::string_enum(shape, variants),
        ShapeKind::IntEnum(variants) => enums::int_enum(shape, variants),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_file_at_the_same_path_is_an_error() {
        let mut jobs = Jobs::default();
        jobs.add("src/a.rs", Box::new(|| Ok(TokenStream::new())))
            .expect("first");
        let err = jobs
            .add("src/a.rs", Box::new(|| Ok(TokenStream::new())))
            .expect_err("second");
        assert!(err.to_string().contains("src/a.rs"), "{err}");
    }
}
