//! Wire JSON for the AWS JSON protocols, without serde.
//!
//! - [`JsonDeserializer`]: a strict RFC 8259 pull parser over a response body. Strings
//!   without escapes are borrowed from the input; numbers are kept as text until the
//!   caller says what it wants, so integers are range-checked exactly and epoch-second
//!   timestamps are exact to the nanosecond.
//! - [`JsonSerializer`]: a compact writer for request bodies.
//! - [`parse_error_code_and_message`]: the awsJson rules for an error response's code
//!   and message.
//!
//! Smithy's JSON conventions apply: non-finite floats travel as the strings `"NaN"`,
//! `"Infinity"` and `"-Infinity"`, blobs as base64 strings, and timestamps in one of the
//! [`TimestampFormat`]s.

mod de;
mod error_code;
mod errors;
mod number;
mod ser;
pub(crate) mod timestamp;

#[cfg(test)]
mod tests;

pub use de::{JsonDeserializer, ValueKind};
pub use error_code::parse_error_code_and_message;
pub use errors::DeserializeError;
pub use ser::JsonSerializer;
pub use timestamp::TimestampFormat;

/// The deepest nesting of objects and arrays the deserializer accepts.
///
/// Bodies of real services nest a handful of levels; the limit keeps hostile input from
/// costing unbounded memory or stack (for [`JsonDeserializer::document`]).
pub const MAX_DEPTH: usize = 128;

/// Parses a whole response body with a generated shape parser.
///
/// An empty (or all-whitespace) body reads as `{}`, as AWS SDKs treat it; a body that is
/// `null` at the top level, or has anything after the value, is an error.
pub fn parse_top_level<'a, T>(
    body: &'a [u8],
    parse: fn(&mut JsonDeserializer<'a>) -> Result<Option<T>, DeserializeError>,
) -> Result<T, DeserializeError> {
    let body: &'a [u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let mut d = JsonDeserializer::new(body);
    let value = parse(&mut d)?.ok_or_else(|| {
        // The parser gave `None` for the first value, so the first non-whitespace byte is
        // where that `null` starts.
        let offset = body
            .iter()
            .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
            .unwrap_or(0);
        DeserializeError::new(
            offset,
            "expected a JSON object at the top level, found null",
        )
    })?;
    d.finish()?;
    Ok(value)
}
