//! Per-call options some operations need: a host prefix (`smithy.api#endpoint`),
//! request compression (`smithy.api#requestCompression`) and endpoint parameters from the
//! input (`smithy.rules#contextParam`).

use crate::endpoint::ParamValue;
use crate::error::BuildError;

/// Options of one operation call beyond its body.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Prepended to the endpoint's host, e.g. `foo.bar.` (from [`expand_host_prefix`]).
    pub host_prefix: Option<String>,
    /// Gzip the body when it is at least [`MIN_COMPRESSION_SIZE`] bytes (needs the
    /// `request-compression` feature, which generated crates enable when an operation
    /// asks for it).
    pub compress_request: bool,
    /// Endpoint parameters from the input's `smithy.rules#contextParam` members (set
    /// ones only); the endpoint is then resolved for this call.
    pub endpoint_params: Vec<(&'static str, ParamValue)>,
    /// What the caller's `customize()` changed (configuration override, request hooks).
    pub customization: super::customize::Customization,
}

/// Bodies smaller than this are sent as they are (the AWS SDKs' default threshold).
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// Fills a host prefix template (`foo.{label}.`) from the input's `hostLabel` members.
///
/// Every label must be set and be a valid host label (letters, digits and `-`, at most 63
/// characters, not starting with `-`); otherwise the call fails before anything is sent.
pub fn expand_host_prefix(
    template: &str,
    labels: &[(&'static str, Option<&str>)],
) -> Result<String, BuildError> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            BuildError::other(format!("invalid host prefix template `{template}`"))
        })?;
        let name = &after[..close];
        let (field, value) = labels
            .iter()
            .find(|(label, _)| *label == name)
            .copied()
            .ok_or_else(|| {
                BuildError::other(format!(
                    "host prefix `{template}` names an unknown label `{name}`"
                ))
            })?;
        let value = value.ok_or_else(|| BuildError::missing_field(field, "the host prefix"))?;
        if !crate::endpoint::functions::is_valid_host_label(value, false) {
            return Err(BuildError::invalid_field(
                field,
                format!("`{value}` is not a valid host label"),
            ));
        }
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The URL with `prefix` put in front of its host.
pub(crate) fn with_host_prefix(url: &reqwest::Url, prefix: &str) -> Result<reqwest::Url, String> {
    let host = url.host_str().ok_or("the endpoint has no host")?;
    let mut prefixed = url.clone();
    prefixed
        .set_host(Some(&format!("{prefix}{host}")))
        .map_err(|e| format!("host prefix `{prefix}` gives an invalid host: {e}"))?;
    Ok(prefixed)
}

/// Gzips `body` if asked and large enough; returns the body to send and whether it was
/// compressed.
#[cfg(feature = "request-compression")]
pub(crate) fn maybe_compress(body: bytes::Bytes, options: &CallOptions) -> (bytes::Bytes, bool) {
    use std::io::Write;
    if !options.compress_request || body.len() < MIN_COMPRESSION_SIZE {
        return (body, false);
    }
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 2),
        flate2::Compression::default(),
    );
    match encoder.write_all(&body).and_then(|()| encoder.finish()) {
        Ok(compressed) => (bytes::Bytes::from(compressed), true),
        // Writing to memory cannot fail; sending uncompressed is still correct.
        Err(_) => (body, false),
    }
}

/// Without the `request-compression` feature bodies are always sent as they are.
#[cfg(not(feature = "request-compression"))]
pub(crate) fn maybe_compress(body: bytes::Bytes, _options: &CallOptions) -> (bytes::Bytes, bool) {
    (body, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_prefixes() {
        assert_eq!(expand_host_prefix("foo.", &[]).as_deref(), Ok("foo."));
        assert_eq!(
            expand_host_prefix("foo.{label}.", &[("label", Some("bar"))]).as_deref(),
            Ok("foo.bar.")
        );
        let missing = expand_host_prefix("foo.{label}.", &[("label", None)]).unwrap_err();
        assert!(
            missing.to_string().contains("`label` was not specified"),
            "{missing}"
        );
        let invalid = expand_host_prefix("{label}.", &[("label", Some("a.b"))]).unwrap_err();
        assert!(
            invalid.to_string().contains("not a valid host label"),
            "{invalid}"
        );
        assert!(expand_host_prefix("{label}.", &[("label", Some(""))]).is_err());
        assert!(expand_host_prefix("{other}.", &[("label", Some("x"))]).is_err());
        assert!(expand_host_prefix("{label.", &[("label", Some("x"))]).is_err());
    }

    #[test]
    fn prefixed_urls() {
        let url = reqwest::Url::parse("https://example.com:8443/base/").unwrap();
        assert_eq!(
            with_host_prefix(&url, "foo.bar.").unwrap().as_str(),
            "https://foo.bar.example.com:8443/base/"
        );
    }

    #[cfg(feature = "request-compression")]
    #[test]
    fn large_bodies_are_gzipped_small_ones_are_not() {
        use std::io::Read;
        let options = CallOptions {
            compress_request: true,
            ..CallOptions::default()
        };
        let small = bytes::Bytes::from_static(b"{}");
        assert_eq!(maybe_compress(small.clone(), &options), (small, false));
        let large = bytes::Bytes::from(vec![b'a'; MIN_COMPRESSION_SIZE]);
        let (compressed, done) = maybe_compress(large.clone(), &options);
        assert!(done && compressed.len() < large.len());
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, large);
        let off = CallOptions::default();
        assert_eq!(maybe_compress(large.clone(), &off), (large, false));
    }
}
