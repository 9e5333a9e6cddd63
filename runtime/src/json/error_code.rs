//! Error code and message of an awsJson error response.

use std::borrow::Cow;

use super::JsonDeserializer;

/// Returns the error code and message of an awsJson1_0 / awsJson1_1 error response.
///
/// The code is taken from the `X-Amzn-Errortype` header, else the body's `__type`, else the
/// body's `code`, and is sanitized as the awsJson protocols specify: anything from the first
/// `:` on is dropped (services may append a URL), then only what follows the first `#` is kept
/// (a Smithy namespace), so `aws.protocoltests.restjson#FooError:http://internal.amazon.com/...`
/// becomes `FooError` and `a#b#c` becomes `b#c` (as smithy-rs's `sanitize_error_code`).
/// A code that is empty after sanitizing counts as absent.
///
/// The message is the body's `message`, else `Message`, else `errorMessage`.
///
/// Only top-level members of a JSON object body are looked at. A body that is not a
/// complete, valid JSON object (HTML from a proxy, a truncated response, an empty body)
/// contributes nothing: the code then comes from the header alone and the message is
/// `None`. Never panics.
pub fn parse_error_code_and_message(
    headers: &http::HeaderMap,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    let header_code = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .and_then(sanitize_error_code)
        .map(str::to_owned);
    let fields = BodyFields::parse(body).unwrap_or_default();
    let code = header_code.or_else(|| {
        [fields.type_, fields.code]
            .iter()
            .flatten()
            .find_map(|c| sanitize_error_code(c))
            .map(str::to_owned)
    });
    let message = [fields.message, fields.message_upper, fields.error_message]
        .into_iter()
        .flatten()
        .next()
        .map(Cow::into_owned);
    (code, message)
}

/// Cuts `code` at the first `:` and keeps what follows the first `#`.
fn sanitize_error_code(code: &str) -> Option<&str> {
    let code = code.split_once(':').map_or(code, |(before, _)| before);
    let code = code.split_once('#').map_or(code, |(_, after)| after);
    (!code.is_empty()).then_some(code)
}

/// The top-level string members of an error body that matter. The last occurrence of a
/// duplicated key wins.
#[derive(Default)]
struct BodyFields<'a> {
    type_: Option<Cow<'a, str>>,
    code: Option<Cow<'a, str>>,
    message: Option<Cow<'a, str>>,
    message_upper: Option<Cow<'a, str>>,
    error_message: Option<Cow<'a, str>>,
}

impl<'a> BodyFields<'a> {
    fn parse(body: &'a [u8]) -> Option<Self> {
        let mut de = JsonDeserializer::new(body);
        let mut fields = BodyFields::default();
        if !de.begin_object().ok()? {
            return None;
        }
        while let Some(key) = de.next_key().ok()? {
            let slot = match key.as_ref() {
                "__type" => &mut fields.type_,
                "code" => &mut fields.code,
                "message" => &mut fields.message,
                "Message" => &mut fields.message_upper,
                "errorMessage" => &mut fields.error_message,
                _ => {
                    de.skip_value().ok()?;
                    continue;
                }
            };
            // A non-string value (say `"message": null` or a number) is ignored.
            if de.peek_kind().ok()? == super::ValueKind::String {
                *slot = de.string().ok()?;
            } else {
                de.skip_value().ok()?;
            }
        }
        de.finish().ok()?;
        Some(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize_error_code;

    /// The awsJson1_0 / awsJson1_1 rule (and smithy-rs's `sanitize_error_code`): cut at the
    /// first `:`, then keep what follows the FIRST `#`.
    #[test]
    fn sanitize_follows_the_aws_json_rule() {
        let cases: &[(&str, Option<&str>)] = &[
            ("FooError", Some("FooError")),
            ("aws.protocoltests.restjson#FooError", Some("FooError")),
            (
                "FooError:http://internal.amazon.com/coral/",
                Some("FooError"),
            ),
            ("ns#Code:http://internal.example/a#b", Some("Code")),
            ("a#b#c", Some("b#c")),
            ("a#b#c:d#e", Some("b#c")),
            ("ns#", None),
            (":x", None),
            ("", None),
            ("#", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(sanitize_error_code(raw), *expected, "{raw}");
        }
    }
}
