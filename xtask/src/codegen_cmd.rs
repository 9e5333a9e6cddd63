//! `cargo xtask codegen`: read the model, run the generator, write or check the output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::{OperationSelection, Settings};

use crate::files;

/// Parsed command-line options.
#[derive(Debug, Default)]
struct Options {
    model: Option<PathBuf>,
    operations: Option<String>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    operation_features: Option<bool>,
    check: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut opts = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match flag {
            "--model" => opts.model = Some(value("--model")?.into()),
            "--operations" => opts.operations = Some(value("--operations")?),
            "--out" => opts.out = Some(value("--out")?.into()),
            "--crate-name" => opts.crate_name = Some(value("--crate-name")?),
            "--operation-features" => opts.operation_features = Some(true),
            "--no-operation-features" => opts.operation_features = Some(false),
            "--check" => opts.check = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(opts)
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

pub fn run(args: &[String]) -> ExitCode {
    match run_inner(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run_inner(args: &[String]) -> Result<ExitCode, String> {
    let opts = parse(args)?;
    let root = workspace_root();
    let model_arg = opts
        .model
        .clone()
        .unwrap_or_else(|| PathBuf::from("model/lightsail.json"));
    let model_path = if model_arg.is_absolute() {
        model_arg.clone()
    } else {
        root.join(&model_arg)
    };
    let text = std::fs::read_to_string(&model_path)
        .map_err(|e| format!("cannot read model `{}`: {e}", model_path.display()))?;
    let model = codegen::Model::from_json(&text)
        .map_err(|e| format!("model `{}`: {e}", model_path.display()))?;
    // Without `--crate-name`, the name aws-sdk-rust would give the service (from `sdkId`).
    let crate_name = match opts.crate_name.clone() {
        Some(name) => name,
        None => codegen::default_crate_name(&model)
            .map_err(|e| format!("model `{}`: {e}", model_path.display()))?,
    };
    if crate_name.is_empty()
        || !crate_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || crate_name.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!("invalid crate name `{crate_name}`"));
    }
    let out = match &opts.out {
        Some(p) if p.is_absolute() => p.clone(),
        Some(p) => std::env::current_dir().map_err(|e| e.to_string())?.join(p),
        None => root.join("generated").join(&crate_name),
    };

    let operations = match opts.operations.as_deref() {
        None | Some("all") => OperationSelection::All,
        Some(list) => {
            let names: Vec<String> = list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if names.is_empty() {
                return Err("`--operations` is empty: give operation names or `all`".into());
            }
            OperationSelection::Named(names)
        }
    };
    let mut command = String::from("cargo xtask codegen");
    for arg in args.iter().filter(|a| a.as_str() != "--check") {
        command.push(' ');
        command.push_str(arg);
    }
    let mut settings = Settings {
        crate_name,
        runtime_path: files::relative_path(&out, &root.join("runtime")),
        operations,
        command,
        model_description: display_model_path(&model_arg),
        ..Settings::default()
    };
    // Per-operation features only pay off when there is more than one operation.
    settings.operation_features = match opts.operation_features {
        Some(explicit) => explicit,
        None => {
            let count = match &settings.operations {
                OperationSelection::Named(names) => names.len(),
                OperationSelection::All => count_bound_operations(&model),
            };
            count > 1
        }
    };

    let codegen::Generated {
        files: generated,
        notes,
    } = codegen::generate_with_notes(&model, &settings)
        .map_err(|e| format!("model `{}`: {e}", model_path.display()))?;
    for note in &notes {
        eprintln!("note: {note}");
    }

    if opts.check {
        let diff = files::compare(&out, &generated).map_err(|e| e.to_string())?;
        if diff.is_empty() {
            println!(
                "{} is up to date ({} files)",
                out.display(),
                generated.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} is stale:", out.display());
        for line in diff.iter().take(20) {
            eprintln!("  {line}");
        }
        if diff.len() > 20 {
            eprintln!("  ... and {} more", diff.len() - 20);
        }
        eprintln!("run `{}` to regenerate", settings.command);
        return Ok(ExitCode::from(1));
    }
    let changed = files::replace_dir(&out, &generated)
        .map_err(|e| format!("writing {}: {e}", out.display()))?;
    let lines: usize = generated.iter().map(|f| f.contents.lines().count()).sum();
    if changed {
        println!(
            "wrote {} files ({lines} lines) to {}",
            generated.len(),
            out.display()
        );
    } else {
        println!(
            "{} is already up to date ({} files)",
            out.display(),
            generated.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn display_model_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The number of operations bound to the model's service. This runs a full normalize;
/// a model it rejects counts as none, and the generation that follows reports why.
fn count_bound_operations(model: &codegen::Model) -> usize {
    codegen::normalize::normalize(model, &OperationSelection::All)
        .map(|s| s.operations.len())
        .unwrap_or(0)
}
