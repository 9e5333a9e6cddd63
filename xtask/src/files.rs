//! Writing generated files atomically and comparing them with what is on disk.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use codegen::GeneratedFile;

/// Writes `files` into a fresh sibling directory, then swaps it in for `out`, so a
/// failure never leaves a half-written crate behind. When `out` already holds exactly
/// these files nothing is written, so file times stay and cargo rebuilds nothing.
/// Returns whether anything changed.
pub fn replace_dir(out: &Path, files: &[GeneratedFile]) -> io::Result<bool> {
    if out.exists() && compare(out, files)?.is_empty() {
        return Ok(false);
    }
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let write = || -> io::Result<()> {
        let dirs: std::collections::BTreeSet<PathBuf> = files
            .iter()
            .filter_map(|f| staging.join(&f.path).parent().map(Path::to_path_buf))
            .collect();
        for dir in dirs {
            std::fs::create_dir_all(dir)?;
        }
        // Thousands of small files (the whole Lightsail service): write them on every core.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = files.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .chunks(chunk)
                .map(|part| {
                    let staging = &staging;
                    scope.spawn(move || {
                        part.iter()
                            .try_for_each(|f| std::fs::write(staging.join(&f.path), &f.contents))
                    })
                })
                .collect();
            handles
                .into_iter()
                .try_for_each(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        })
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if had_old {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(true)
}

/// Differences between `files` and the directory `out`, one line each; empty when equal.
pub fn compare(out: &Path, files: &[GeneratedFile]) -> io::Result<Vec<String>> {
    let mut on_disk = BTreeMap::new();
    if out.exists() {
        collect(out, out, &mut on_disk)?;
    }
    let mut diff = Vec::new();
    for file in files {
        match on_disk.remove(&file.path) {
            None => diff.push(format!("missing: {}", file.path)),
            Some(contents) if contents != file.contents => {
                let line = first_difference(&contents, &file.contents);
                diff.push(format!(
                    "changed: {} (first difference at line {line})",
                    file.path
                ));
            }
            Some(_) => {}
        }
    }
    for path in on_disk.keys() {
        diff.push(format!("not generated (would be removed): {path}"));
    }
    Ok(diff)
}

fn first_difference(a: &str, b: &str) -> usize {
    a.lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()))
        + 1
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let key = rel.to_string_lossy().replace('\\', "/");
            let contents = std::fs::read(&path)?;
            out.insert(key, String::from_utf8_lossy(&contents).into_owned());
        }
    }
    Ok(())
}

/// `to` relative to the directory `from` (both absolute), or `to` itself when they share
/// no prefix; always with `/` separators, as Cargo.toml wants.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from = normalize(from);
    let to = normalize(to);
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return to.to_string_lossy().replace('\\', "/");
    }
    let ups = from.components().count() - common;
    let mut rel = PathBuf::new();
    for _ in 0..ups {
        rel.push("..");
    }
    for c in to.components().skip(common) {
        rel.push(c.as_os_str());
    }
    rel.to_string_lossy().replace('\\', "/")
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/w/generated/lightsail"), Path::new("/w/runtime")),
            "../../runtime"
        );
        assert_eq!(
            relative_path(Path::new("/tmp/x"), Path::new("/w/runtime")),
            "/w/runtime"
        );
        assert_eq!(
            relative_path(Path::new("/w/a/./b/../c"), Path::new("/w/runtime")),
            "../../runtime"
        );
    }

    #[test]
    fn compare_reports_each_kind_of_difference() {
        let dir = std::env::temp_dir().join(format!("xtask-compare-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = vec![
            GeneratedFile {
                path: "a.rs".into(),
                contents: "one\ntwo\n".into(),
            },
            GeneratedFile {
                path: "src/b.rs".into(),
                contents: "b\n".into(),
            },
        ];
        assert!(
            replace_dir(&dir, &files).unwrap(),
            "a new directory is written"
        );
        assert!(compare(&dir, &files).unwrap().is_empty());
        assert!(
            !replace_dir(&dir, &files).unwrap(),
            "an up-to-date directory is left alone"
        );
        std::fs::write(dir.join("a.rs"), "one\nTWO\n").unwrap();
        std::fs::write(dir.join("extra.rs"), "x").unwrap();
        std::fs::remove_file(dir.join("src/b.rs")).unwrap();
        let diff = compare(&dir, &files).unwrap();
        assert_eq!(
            diff,
            vec![
                "changed: a.rs (first difference at line 2)",
                "missing: src/b.rs",
                "not generated (would be removed): extra.rs"
            ]
        );
        replace_dir(&dir, &files).unwrap();
        assert!(
            compare(&dir, &files).unwrap().is_empty(),
            "replace_dir removes stale files"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
