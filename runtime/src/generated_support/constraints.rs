//! The model's `length` and `range` constraints, checked on inputs before anything is
//! sent. The messages name the member, the bound and the value.

use std::fmt;

use crate::error::BuildError;

/// A number a `range` constraint applies to.
pub trait RangeValue: Copy + fmt::Display {
    /// The value compared with the model's bounds (which are decimals).
    fn as_f64(self) -> f64;
}

macro_rules! range_value {
    ($($t:ty),*) => {
        $(impl RangeValue for $t {
            fn as_f64(self) -> f64 {
                // i64 values beyond 2^53 round, as the model's decimal bounds do.
                self as f64
            }
        })*
    };
}

range_value!(i8, i16, i32, i64, f32, f64);

/// Checks a length (characters of a string, items of a list or map, bytes of a blob)
/// against the model's inclusive bounds.
pub fn check_length(
    field: &'static str,
    len: usize,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), BuildError> {
    if let Some(min) = min.filter(|&min| len < min) {
        return Err(BuildError::invalid_field(
            field,
            format!("length must be at least {min}, got {len}"),
        ));
    }
    if let Some(max) = max.filter(|&max| len > max) {
        return Err(BuildError::invalid_field(
            field,
            format!("length must be at most {max}, got {len}"),
        ));
    }
    Ok(())
}

/// Checks a number against the model's inclusive bounds.
pub fn check_range<T: RangeValue>(
    field: &'static str,
    value: T,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), BuildError> {
    if let Some(min) = min.filter(|&min| value.as_f64() < min) {
        return Err(BuildError::invalid_field(
            field,
            format!("must be at least {min}, got {value}"),
        ));
    }
    if let Some(max) = max.filter(|&max| value.as_f64() > max) {
        return Err(BuildError::invalid_field(
            field,
            format!("must be at most {max}, got {value}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(check_length("name", 3, Some(1), Some(3)), Ok(()));
        assert_eq!(
            check_length("name", 0, Some(1), None),
            Err(BuildError::invalid_field(
                "name",
                "length must be at least 1, got 0"
            ))
        );
        assert_eq!(
            check_length("name", 5, None, Some(4)),
            Err(BuildError::invalid_field(
                "name",
                "length must be at most 4, got 5"
            ))
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(check_range("port", 80i32, Some(0.0), Some(65535.0)), Ok(()));
        assert_eq!(
            check_range("port", 70000i32, Some(0.0), Some(65535.0)),
            Err(BuildError::invalid_field(
                "port",
                "must be at most 65535, got 70000"
            ))
        );
        assert_eq!(
            check_range("ratio", 0.25f64, Some(0.5), None),
            Err(BuildError::invalid_field(
                "ratio",
                "must be at least 0.5, got 0.25"
            ))
        );
    }
}
