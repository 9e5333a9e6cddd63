//! Value types generated shapes are built from, re-exported so generated crates depend
//! on this runtime alone.

use std::fmt;

pub use aws_smithy_types::date_time::Format as DateTimeFormat;
pub use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};

/// The value of an enum variant this version of the SDK does not know.
///
/// Only the runtime and generated code create it, so an `Unknown` variant never holds a
/// value that has a named variant.
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    #[doc(hidden)]
    pub fn from_wire(value: impl Into<String>) -> Self {
        UnknownVariantValue(value.into())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The error of an enum's `try_parse` for a value it does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVariantError {
    value: String,
}

impl UnknownVariantError {
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        UnknownVariantError {
            value: value.into(),
        }
    }
}

impl fmt::Display for UnknownVariantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown enum variant: `{}`", self.value)
    }
}

impl std::error::Error for UnknownVariantError {}
