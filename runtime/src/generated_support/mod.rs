//! Helpers for what every generated operation would otherwise repeat: the `Display` of
//! a modeled error, the error-code dispatch of each operation's error parser, and the
//! length and range checks of inputs. Only generated code calls these; what users read
//! (types, builders, accessors) stays plain generated code.

mod constraints;
mod errors;

pub use constraints::{check_length, check_range, RangeValue};
pub use errors::{
    dispatch_error, fmt_modeled_error, from_sdk_error, parse_modeled_error, ErrorArm, ModeledError,
};
