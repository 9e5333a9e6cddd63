//! The rules-engine function library, as plain Rust functions over strings.
//!
//! The evaluator wraps these into rule-set values; they are public so callers and tests can
//! use them directly. "Empty optional" results of the spec are `None` here.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use aws_smithy_types::Document;

/// A `getAttr` path such as `resourceId[1]` or `a.b[0]`, parsed once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AttrPath {
    steps: Vec<AttrStep>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum AttrStep {
    Key(String),
    Index(usize),
}

impl AttrPath {
    /// Parses a path: dot-separated keys, each optionally followed by one `[index]`
    /// (the spec allows an index only at the end of a part). `None` if malformed.
    pub(crate) fn parse(path: &str) -> Option<AttrPath> {
        let mut steps = Vec::new();
        for part in path.split('.') {
            match part.split_once('[') {
                None => {
                    if part.is_empty() {
                        return None;
                    }
                    steps.push(AttrStep::Key(part.to_owned()));
                }
                Some((key, rest)) => {
                    let index = rest.strip_suffix(']')?;
                    if !index.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    if !key.is_empty() {
                        steps.push(AttrStep::Key(key.to_owned()));
                    }
                    steps.push(AttrStep::Index(index.parse().ok()?));
                }
            }
        }
        Some(AttrPath { steps })
    }

    /// Walks the path; `None` when a key is missing, an index is out of range, or a step
    /// meets a value of the wrong kind.
    pub(crate) fn get<'a>(&self, mut value: &'a Document) -> Option<&'a Document> {
        for step in &self.steps {
            value = match (step, value) {
                (AttrStep::Key(k), Document::Object(o)) => o.get(k)?,
                (AttrStep::Index(i), Document::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(value)
    }
}

/// `getAttr`: the value at `path` (such as `a.b[0]`) inside `value`, if present.
/// A malformed path gives `None`.
pub fn get_attr<'a>(value: &'a Document, path: &str) -> Option<&'a Document> {
    AttrPath::parse(path)?.get(value)
}

/// The result of [`parse_url`] (the spec's `URL` structure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, lowercased, without `://`.
    pub scheme: String,
    /// Host and port as written, such as `example.com:8443` or `[fe80::1]`.
    pub authority: String,
    /// The path as written; empty when the URL has none.
    pub path: String,
    /// The path, starting and ending with `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

/// `parseURL`: splits an `http(s)` URL into its parts.
///
/// Returns `None` for anything that is not a plain `scheme://host[:port][/path]` URL: other
/// schemes, a query (the spec requires rejecting it), a fragment, user info, a bad port or
/// host, whitespace or control characters. Rejecting rather than guessing is deliberate: the
/// result becomes the address that requests are sent to.
pub fn parse_url(url: &str) -> Option<Url> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains(['?', '#', '@']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let is_ip = check_authority(authority)?;
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme,
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// Validates `host[:port]`; returns whether the host is an IP address.
fn check_authority(authority: &str) -> Option<bool> {
    let (host, port, is_ip) = if let Some(rest) = authority.strip_prefix('[') {
        let (addr, after) = rest.split_once(']')?;
        // A zone id (`fe80::1%25en0`) is not part of the address proper.
        let addr = addr.split_once('%').map_or(addr, |(a, _)| a);
        addr.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (addr, port, true)
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let ok = |c: char| c.is_ascii_alphanumeric() || "-._~%!$&'()*+,;=".contains(c);
        if !host.chars().all(ok) {
            return None;
        }
        (host, port, host.parse::<Ipv4Addr>().is_ok())
    };
    if host.is_empty() {
        return None;
    }
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        port.parse::<u16>().ok()?;
    }
    Some(is_ip)
}

/// The result of [`parse_arn`] (the spec's `ARN` structure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    /// Partition, such as `aws`.
    pub partition: String,
    /// Service namespace, such as `s3`.
    pub service: String,
    /// Region; empty for global resources.
    pub region: String,
    /// Account id; empty for resources not owned by an account.
    pub account_id: String,
    /// The resource part split on `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, or `None`.
/// Partition, service and resource must be non-empty; region and account may be empty.
pub fn parse_arn(arn: &str) -> Option<Arn> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next().filter(|s| !s.is_empty())?;
    let service = parts.next().filter(|s| !s.is_empty())?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next().filter(|s| !s.is_empty())?;
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// `substring`: characters `start..stop` of `input`, counted from the end when `reverse`.
///
/// `None` when `start >= stop`, when `input` is shorter than `stop`, or when it has non-ASCII
/// characters (the spec says so, which also keeps byte indices on char boundaries).
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if !input.is_ascii() || start >= stop || stop > input.len() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to)
}

/// `uriEncode`: RFC 3986 percent-encoding of everything but `A-Z a-z 0-9 - _ . ~`,
/// with uppercase hex digits.
pub fn uri_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `isValidHostLabel`: an RFC 1123 label (1 to 63 letters, digits and `-`, not starting with
/// `-`); with `allow_sub_domains`, one or more such labels joined by `.`.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(is_label)
    } else {
        is_label(value)
    }
}

fn is_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `aws.isVirtualHostableS3Bucket`: whether a bucket name can be used as a host label:
/// 3 to 63 characters, lowercase letters, digits and `-` (and `.` between labels when
/// `allow_sub_domains`), each label starting and ending with a letter or digit, and not an
/// IPv4 address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    (3..=63).contains(&value.len())
        && !value.bytes().any(|b| b.is_ascii_uppercase())
        && is_valid_host_label(value, allow_sub_domains)
        && value.split('.').all(|l| !l.ends_with('-'))
        && value.parse::<Ipv4Addr>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_path_parses_keys_and_indexes() {
        let p = AttrPath::parse("a.b[2]").expect("valid");
        assert_eq!(
            p.steps,
            [
                AttrStep::Key("a".into()),
                AttrStep::Key("b".into()),
                AttrStep::Index(2)
            ]
        );
        assert_eq!(AttrPath::parse("[0]").map(|p| p.steps.len()), Some(1));
        for bad in ["", "a..b", "a[", "a[x]", "a[-1]", "a[0]b", "a.[1"] {
            assert_eq!(AttrPath::parse(bad), None, "{bad:?}");
        }
    }
}
