//! The code and message of an error response, with a short excerpt of bodies that are not
//! JSON (an HTML page from a proxy) so the error still says what came back, and the
//! `x-amzn-query-error` code of `awsQueryCompatible` services.

/// The longest excerpt of a non-JSON error body kept in the error message.
const EXCERPT_CHARS: usize = 200;

/// How much of a non-JSON body the excerpt is computed from: enough for 200 characters after
/// collapsing the whitespace of an indented HTML page, and small whatever the body's size (a
/// proxy's page may be up to the 64 MiB body cap).
const EXCERPT_SOURCE_BYTES: usize = 4 * 1024;

/// Error code and message of an error response (awsJson rules: `X-Amzn-Errortype`, then
/// `__type`, then `code`; sanitized). A body that is not JSON (an HTML page from a proxy,
/// say) gives no code, and a short excerpt of its first few KiB as the message so the error
/// still says what came back.
pub(crate) fn error_code_and_message(
    headers: &http::HeaderMap,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    let (code, message) = crate::json::parse_error_code_and_message(headers, body);
    if code.is_some() || message.is_some() {
        return (code, message);
    }
    let message = excerpt(body).map(|excerpt| format!("unrecognized error response: {excerpt}"));
    (None, message)
}

/// `Code;Fault` of an `awsQueryCompatible` service's `x-amzn-query-error` header, as
/// aws-sdk-rust reads it: both parts non-empty, else `None` (the body's code stands).
pub(crate) fn query_compatible_error(headers: &http::HeaderMap) -> Option<(&str, &str)> {
    let value = headers.get("x-amzn-query-error")?.to_str().ok()?;
    let (code, fault) = value.split_once(';')?;
    (!code.is_empty() && !fault.is_empty()).then_some((code, fault))
}

/// The first [`EXCERPT_CHARS`] characters of the first [`EXCERPT_SOURCE_BYTES`] of `body`,
/// with runs of whitespace collapsed to one space and `...` when there is more; `None` when
/// that part of the body is blank. Allocates a few KiB at most, whatever the body's size.
fn excerpt(body: &[u8]) -> Option<String> {
    let source = &body[..body.len().min(EXCERPT_SOURCE_BYTES)];
    let text = String::from_utf8_lossy(source);
    // A character cut in two by the limit is not part of the body's text.
    let text = if source.len() < body.len() {
        text.trim_end_matches(char::REPLACEMENT_CHARACTER)
    } else {
        &text
    };
    let mut chars = text
        .split_whitespace()
        .enumerate()
        .flat_map(|(i, word)| (i > 0).then_some(' ').into_iter().chain(word.chars()));
    let mut excerpt: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if excerpt.is_empty() {
        return None;
    }
    if chars.next().is_some() || source.len() < body.len() {
        excerpt.push_str("...");
    }
    Some(excerpt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_keep_an_excerpt() {
        let body = format!(
            "<html>\n<body>  502 Bad Gateway {}</body></html>",
            "x".repeat(500)
        );
        let (code, message) = error_code_and_message(&http::HeaderMap::new(), body.as_bytes());
        assert_eq!(code, None);
        let message = message.expect("an excerpt");
        assert!(message.starts_with("unrecognized error response: <html> <body> 502 Bad Gateway"));
        assert!(message.ends_with("..."), "{message}");
        assert!(message.len() < 300);
    }

    #[test]
    fn json_errors_and_empty_bodies_are_unchanged() {
        let (code, message) = error_code_and_message(
            &http::HeaderMap::new(),
            br#"{"__type":"a#Foo:x","message":"m"}"#,
        );
        assert_eq!(
            (code.as_deref(), message.as_deref()),
            (Some("Foo"), Some("m"))
        );
        assert_eq!(
            error_code_and_message(&http::HeaderMap::new(), b"  "),
            (None, None)
        );
    }

    #[test]
    fn query_error_header() {
        let mut headers = http::HeaderMap::new();
        assert_eq!(query_compatible_error(&headers), None);
        headers.insert(
            "x-amzn-query-error",
            http::HeaderValue::from_static("AWS.SimpleQueueService.NonExistentQueue;Sender"),
        );
        assert_eq!(
            query_compatible_error(&headers),
            Some(("AWS.SimpleQueueService.NonExistentQueue", "Sender"))
        );
        for bad in ["NoFault", ";Sender", "Code;", ""] {
            headers.insert("x-amzn-query-error", http::HeaderValue::from_static(bad));
            assert_eq!(query_compatible_error(&headers), None, "{bad}");
        }
    }

    #[test]
    fn excerpts_come_from_the_first_few_kib_only() {
        // Text after the first 4 KiB never shows up, however the whitespace falls.
        let mut body = vec![b' '; EXCERPT_SOURCE_BYTES];
        body.extend_from_slice(b"late text");
        assert_eq!(excerpt(&body), None);
        // A multi-byte character cut by the limit is dropped, not shown as U+FFFD.
        let mut body = vec![b'x'; EXCERPT_SOURCE_BYTES - 1];
        body.extend_from_slice("é and more".as_bytes());
        let text = excerpt(&body).expect("an excerpt");
        assert!(!text.contains(char::REPLACEMENT_CHARACTER), "{text}");
        assert!(text.ends_with("..."), "{text}");
        assert_eq!(excerpt(b"short  page\n"), Some("short page".to_owned()));
        assert_eq!(
            excerpt("ü".repeat(300).as_bytes()).map(|e| e.chars().count()),
            Some(203)
        );
    }
}
