//! Generates a Rust SDK crate from a Smithy JSON AST model of an AWS JSON
//! (awsJson1_0 / awsJson1_1) service.
//!
//! The generator is pure: [`generate`] takes the parsed model and settings and returns
//! the files; reading and writing them is the caller's job (see the `xtask` crate).
//!
//! Pipeline: [`model`] (the JSON AST as read) -> [`normalize`] (closure of the chosen
//! operations, validation, nullability, reachability) -> [`naming::pass`] (every Rust
//! name, checked for collisions) -> [`ir`] -> `emit` (tokens per concern, reading only
//! IR fields) -> [`format`] (prettyplease).

pub mod docs;
mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod jmespath;
pub mod model;
pub mod naming;
pub mod normalize;

pub use error::Error;
pub use model::Model;
pub use normalize::OperationSelection;

/// What to generate and how to name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The package and library name of the generated crate.
    pub crate_name: String,
    /// The version of the generated crate.
    pub crate_version: String,
    /// The `path` of the runtime crate, relative to the generated crate.
    pub runtime_path: String,
    /// The operations to generate.
    pub operations: OperationSelection,
    /// Put each operation behind its own cargo feature (plus `full`, the default).
    pub operation_features: bool,
    /// The command that regenerates the output, for the header of every file.
    pub command: String,
    /// Where the model came from, for the header of every file.
    pub model_description: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            crate_name: "lightsail".into(),
            crate_version: "0.1.0".into(),
            runtime_path: "../../runtime".into(),
            operations: OperationSelection::All,
            operation_features: false,
            command: "cargo xtask codegen".into(),
            model_description: "model/lightsail.json".into(),
        }
    }
}

/// A generated file: a path relative to the crate root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path, `/`-separated (e.g. `src/types/container.rs`).
    pub path: String,
    /// The full contents.
    pub contents: String,
}

/// The crate name to use when the caller gives none: from the service's `sdkId`
/// ([`naming::crate_name_from_sdk_id`]), or the service shape's name when it has no
/// `aws.api#service` trait. Fails as generation would when the model has no single service.
pub fn default_crate_name(model: &Model) -> Result<String, Error> {
    let sdk_id = normalize::service_sdk_id(model)?;
    Ok(naming::crate_name_from_sdk_id(&sdk_id))
}

/// The final IR of the selected operations: normalized, with every Rust name decided.
/// This is what the emitters read (and what tools such as the protocol tests read to
/// call the generated API).
pub fn resolve(model: &Model, operations: &OperationSelection) -> Result<ir::Service, Error> {
    let mut service = normalize::normalize(model, operations)?;
    naming::pass::assign(&mut service)?;
    Ok(service)
}

/// Generates the crate for the selected operations of the model's service.
pub fn generate(model: &Model, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    generate_with_notes(model, settings).map(|generated| generated.files)
}

/// The generated files and what the caller should tell the user about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The files of the crate.
    pub files: Vec<GeneratedFile>,
    /// Generation-time notes, e.g. operations left out of `--operations all` and why.
    pub notes: Vec<String>,
}

/// [`generate`], also returning the notes a command-line tool should print (operations
/// left out because they use event streams, ...).
pub fn generate_with_notes(model: &Model, settings: &Settings) -> Result<Generated, Error> {
    let service = resolve(model, &settings.operations)?;
    let notes = service
        .skipped_operations
        .iter()
        .map(|s| format!("operation `{}` ({}) left out: {}", s.name, s.id, s.reason))
        .collect();
    Ok(Generated {
        files: emit::emit(&service, settings)?,
        notes,
    })
}
