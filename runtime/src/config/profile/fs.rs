//! The file system seam: the real one, or an in-memory map for tests.
//!
//! Every file the configuration code reads (profile files, web identity token files, the SSO
//! token cache, container authorization token files) goes through an [`Fs`], so test cases
//! describing a whole machine (`fs/` rooted at `/`) run without touching the real disk. The
//! only write is the SSO token cache after a refresh.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// An in-memory file system's files, shared by its clones.
type Files = Arc<RwLock<HashMap<PathBuf, Vec<u8>>>>;

/// Where files are read from.
#[derive(Clone, Default)]
pub struct Fs {
    files: Option<Files>,
}

impl Fs {
    /// The real file system.
    pub fn real() -> Self {
        Fs { files: None }
    }

    /// An in-memory file system holding exactly `files` (absolute paths to contents).
    pub fn from_map<I, P, C>(files: I) -> Self
    where
        I: IntoIterator<Item = (P, C)>,
        P: Into<PathBuf>,
        C: Into<Vec<u8>>,
    {
        Fs {
            files: Some(Arc::new(RwLock::new(
                files
                    .into_iter()
                    .map(|(p, c)| (p.into(), c.into()))
                    .collect(),
            ))),
        }
    }

    /// An in-memory file system holding the files under the real directory `dir`, mounted at
    /// `/` (`dir/home/.aws/config` becomes `/home/.aws/config`). A missing `dir` gives an
    /// empty file system.
    pub fn from_test_dir(dir: impl AsRef<Path>) -> io::Result<Self> {
        let root = dir.as_ref();
        let mut files = HashMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for entry in entries {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(root) {
                    files.insert(Path::new("/").join(rel), std::fs::read(&path)?);
                }
            }
        }
        Ok(Fs {
            files: Some(Arc::new(RwLock::new(files))),
        })
    }

    /// Reads a whole file. Errors read like the operating system's (`No such file or
    /// directory (os error 2)`), for the in-memory variant too.
    pub fn read(&self, path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
        match &self.files {
            None => std::fs::read(path),
            Some(files) => files
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(path.as_ref())
                .cloned()
                .ok_or_else(|| io::Error::from_raw_os_error(2)),
        }
    }

    /// Replaces a whole file. On the real file system the parent directories are created and
    /// the file is written to a temporary name first, then renamed, so a reader never sees a
    /// half-written file. Clones of an in-memory `Fs` share their files.
    pub fn write(&self, path: impl AsRef<Path>, contents: &[u8]) -> io::Result<()> {
        let path = path.as_ref();
        match &self.files {
            None => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let mut tmp = path.as_os_str().to_owned();
                tmp.push(format!(".tmp-{}", std::process::id()));
                std::fs::write(&tmp, contents)?;
                std::fs::rename(&tmp, path)
            }
            Some(files) => {
                files
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path.to_path_buf(), contents.to_vec());
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Fs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.files {
            None => f.write_str("Fs(real)"),
            Some(files) => write!(
                f,
                "Fs(in-memory, {} files)",
                files.read().unwrap_or_else(|e| e.into_inner()).len()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_in_memory_file_reads_like_enoent() {
        let fs = Fs::from_map([("/a", "x")]);
        assert_eq!(fs.read("/a").unwrap(), b"x");
        let err = fs.read("/b").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(err.to_string().contains("os error 2"), "{err}");
        let clone = fs.clone();
        clone.write("/b", b"y").unwrap();
        assert_eq!(fs.read("/b").unwrap(), b"y");
    }

    #[test]
    fn real_write_creates_directories_and_replaces() {
        let dir = std::env::temp_dir().join(format!("awsjson-fs-{}", std::process::id()));
        let path = dir.join("a/b/c.json");
        let fs = Fs::real();
        fs.write(&path, b"one").unwrap();
        fs.write(&path, b"two").unwrap();
        assert_eq!(fs.read(&path).unwrap(), b"two");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
