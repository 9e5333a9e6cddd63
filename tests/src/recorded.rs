//! Loader of the recorded responses in `tests/recorded/` (format: `tests/recorded/README.md`).
//!
//! ```text
//! # optional comment lines, before the status line only
//! HTTP/1.1 200 OK
//! Header-Name: value
//! ...
//! <empty line>
//! raw body bytes, up to the end of the file
//! ```
//!
//! Head lines end in LF or CRLF. The body is every byte after the first empty line, as is
//! (a final newline is part of it; JSON allows it). `Content-Length` is not written in the
//! files: the server computes it from the body.

use std::path::{Path, PathBuf};

use awsjson_test_support::Response;

/// The directory of the recorded responses of `operation` (e.g.
/// `get_container_service_deployments`).
pub fn dir(operation: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("recorded")
        .join(operation)
}

/// The names (file stems) of every `.http` file of `operation`, sorted.
pub fn names(operation: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir(operation))
        .expect("read recorded dir")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "http"))
        .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Loads `<operation>/<name>.http`.
pub fn load(operation: &str, name: &str) -> Response {
    let path = dir(operation).join(format!("{name}.http"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parses the file format described in the module docs.
pub fn parse(bytes: &[u8]) -> Result<Response, String> {
    let mut pos = 0;
    let next_line = |pos: &mut usize| -> Option<String> {
        if *pos >= bytes.len() {
            return None;
        }
        let rest = &bytes[*pos..];
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        *pos += (end + 1).min(rest.len());
        let line = &rest[..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        Some(String::from_utf8_lossy(line).into_owned())
    };
    let status_line = loop {
        let line = next_line(&mut pos).ok_or("no status line")?;
        if !line.starts_with('#') {
            break line;
        }
    };
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if version != "HTTP/1.1" {
        return Err(format!(
            "status line must start with HTTP/1.1: `{status_line}`"
        ));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status in `{status_line}`"))?;
    let reason = parts.next().unwrap_or("").to_owned();
    let mut headers = Vec::new();
    loop {
        let line = next_line(&mut pos).ok_or("no empty line after the headers")?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line `{line}`"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(Response {
        status,
        reason,
        headers,
        body: bytes[pos..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_head_and_exact_body() {
        let r = parse(b"# c\nHTTP/1.1 404 Not Found\r\nA: b\nx-y:  z \n\n{\"a\":1}\n").unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(r.reason, "Not Found");
        assert_eq!(
            r.headers,
            vec![("A".into(), "b".into()), ("x-y".into(), "z".into())]
        );
        assert_eq!(r.body, b"{\"a\":1}\n");
        let empty = parse(b"HTTP/1.1 200 OK\nA: b\n\n").unwrap();
        assert!(empty.body.is_empty());
        assert!(parse(b"HTTP/1.1 200 OK\nA: b\n").is_err());
        assert!(parse(b"HTTP/2 200\n\n").is_err());
    }
}
