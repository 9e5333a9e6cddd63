//! The code and message of an error response, with a short excerpt of bodies that are not
//! JSON (an HTML page from a proxy) so the error still says what came back.

/// The longest excerpt of a non-JSON error body kept in the error message.
const EXCERPT_CHARS: usize = 200;

/// Error code and message of an error response (awsJson rules: `X-Amzn-Errortype`, then
/// `__type`, then `code`; sanitized). A body that is not JSON (an HTML page from a proxy,
/// say) gives no code, and a short excerpt of it as the message so the error still says
/// what came back.
pub(crate) fn error_code_and_message(
    headers: &http::HeaderMap,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    let (code, message) = crate::json::parse_error_code_and_message(headers, body);
    if code.is_some() || message.is_some() || body.iter().all(u8::is_ascii_whitespace) {
        return (code, message);
    }
    let text = String::from_utf8_lossy(body);
    let mut excerpt: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if excerpt.chars().count() > EXCERPT_CHARS {
        excerpt = excerpt.chars().take(EXCERPT_CHARS).collect::<String>() + "...";
    }
    (
        None,
        Some(format!("unrecognized error response: {excerpt}")),
    )
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
}
