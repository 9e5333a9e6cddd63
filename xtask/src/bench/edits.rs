//! The edit loop of `cargo xtask bench`: what a user waits for after changing one line of
//! their program. A clean `cargo check`, then `cargo check` and `cargo build` again after the
//! program's `main.rs` was edited (one string literal changed, so rustc has real work to do,
//! as after a typical one-line change).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::measure::{measure, Measured};
use super::Bench;

/// The literal both SDK programs pass as the service name; the edit changes it.
const EDITED_LITERAL: &str = "\"flask-svc\"";

/// Puts the program's `main.rs` back however the measurement ends.
pub(super) struct Edit {
    path: PathBuf,
    original: String,
}

impl Edit {
    /// Changes the service-name literal in `program_dir/src/main.rs`.
    pub(super) fn apply(program_dir: &Path, round: usize) -> Result<Edit, String> {
        let path = program_dir.join("src").join("main.rs");
        let original =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !original.contains(EDITED_LITERAL) {
            return Err(format!("{}: no {EDITED_LITERAL} to edit", path.display()));
        }
        let edited = original.replacen(EDITED_LITERAL, &format!("\"flask-svc-edit-{round}\""), 1);
        std::fs::write(&path, edited).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Edit { path, original })
    }
}

impl Drop for Edit {
    fn drop(&mut self) {
        if let Err(e) = std::fs::write(&self.path, &self.original) {
            eprintln!("bench: could not restore {}: {e}", self.path.display());
        }
    }
}

impl Bench {
    /// After a clean dev build in `{side}-dev`: edit `main.rs`, time `cargo build`.
    pub(super) fn rebuild_after_edit(&mut self, side: &str) -> Result<Measured, String> {
        self.after_edit(side, "build", "dev")
    }

    /// A clean `cargo check` in `{side}-check`, then the same after an edit.
    pub(super) fn checks(&mut self, side: &str) -> Result<(Measured, Measured), String> {
        let target = self.target_dir(&format!("{side}-check"));
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
        let shown = format!(
            "rm -rf target/bench/{side}-check-target && (cd bench/{side} && CARGO_TARGET_DIR=../../target/bench/{side}-check-target cargo check --offline)"
        );
        eprintln!("bench: {shown}");
        self.commands.push(shown);
        let clean = measure(
            Command::new("cargo")
                .args(["check", "--offline"])
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_TERM_COLOR", "never")
                .current_dir(self.program_dir(side)),
            &self.logs.join(format!("check-{side}.log")),
        )?;
        self.notes.push(format!(
            "{side} clean check: {:.1} s wall, other load {:.2} cores",
            clean.wall, clean.other_cores
        ));
        let edited = self.after_edit(side, "check", "check")?;
        Ok((clean, edited))
    }

    /// Edits the program, runs `cargo <verb>` in the `{side}-{dir}` target dir (already built),
    /// restores the program.
    fn after_edit(&mut self, side: &str, verb: &str, dir: &str) -> Result<Measured, String> {
        let target = self.target_dir(&format!("{side}-{dir}"));
        let edit = Edit::apply(&self.program_dir(side), self.commands.len())?;
        let shown = format!(
            "(cd bench/{side} && sed -i 's/\"flask-svc\"/\"flask-svc-edit-N\"/' src/main.rs && CARGO_TARGET_DIR=../../target/bench/{side}-{dir}-target cargo {verb} --offline)   # timed, main.rs restored after"
        );
        eprintln!("bench: {shown}");
        self.commands.push(shown);
        let m = measure(
            Command::new("cargo")
                .args([verb, "--offline"])
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_TERM_COLOR", "never")
                .current_dir(self.program_dir(side)),
            &self.logs.join(format!("{verb}-after-edit-{side}.log")),
        )?;
        drop(edit);
        self.notes.push(format!(
            "{side} {verb} after an edit: {:.2} s wall, other load {:.2} cores",
            m.wall, m.other_cores
        ));
        Ok(m)
    }
}
