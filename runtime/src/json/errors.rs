//! The error type of [`JsonDeserializer`](super::JsonDeserializer).

use std::borrow::Cow;
use std::fmt;

/// A JSON document did not have the expected shape, or was not JSON at all.
///
/// `Display` reads `"<what> at byte <offset>"`, for example
/// ``expected string, found `{` at byte 17``. The text never quotes more than a single
/// byte of the input, so errors on large or hostile bodies stay short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeserializeError {
    message: Cow<'static, str>,
    offset: Option<usize>,
}

impl DeserializeError {
    /// An error at byte `offset` of the input.
    pub fn new(offset: usize, message: impl Into<Cow<'static, str>>) -> Self {
        DeserializeError {
            message: message.into(),
            offset: Some(offset),
        }
    }

    /// An error that is not tied to a position in the input, such as a missing
    /// required member noticed after the whole object was read.
    pub fn custom(message: impl Into<Cow<'static, str>>) -> Self {
        DeserializeError {
            message: message.into(),
            offset: None,
        }
    }

    /// What went wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The byte offset in the input at which the problem was found, if any.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(offset) = self.offset {
            write!(f, " at byte {offset}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DeserializeError {}

/// Describes the byte at `pos` for an error message: `` `{` `` for printable ASCII, a hex
/// code otherwise, "end of input" past the end.
pub(crate) fn describe_byte(input: &[u8], pos: usize) -> Cow<'static, str> {
    match input.get(pos) {
        None => Cow::Borrowed("end of input"),
        Some(&b) if b.is_ascii_graphic() => Cow::Owned(format!("`{}`", b as char)),
        Some(&b) => Cow::Owned(format!("byte 0x{b:02x}")),
    }
}
