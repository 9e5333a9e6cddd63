//! Exact arithmetic on the text of a JSON number.
//!
//! Integers and epoch-second timestamps are computed from the decimal digits rather than
//! through `f64`, so `1.700000000123E9` is exactly 1700000000 s + 123 ns and `1e2` is the
//! integer 100.

/// Exponents are clamped to this magnitude while scanning. Anything this large is out of
/// range (or rounds to zero) for every consumer, and clamping keeps the arithmetic below
/// free of overflow whatever the input.
const EXP_CLAMP: i64 = 1 << 40;

/// Results larger than this many decimal digits are reported as out of range; 10^38 still
/// fits in a `u128`, and nothing we produce (i64, nanoseconds of an i64 second count) needs
/// more than 29 digits.
const MAX_DIGITS: i64 = 38;

/// The pieces of a JSON number that has already been checked against the RFC 8259 grammar.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NumberParts<'a> {
    /// The whole token, for `str::parse::<f64>`.
    pub text: &'a str,
    pub negative: bool,
    /// ASCII digits before the `.`; never empty.
    pub int: &'a [u8],
    /// ASCII digits after the `.`; empty when there is no fraction.
    pub frac: &'a [u8],
    /// The value after `e`/`E`, clamped to ±`EXP_CLAMP`; 0 when absent.
    pub exp: i64,
    pub has_exp: bool,
}

/// Why a number could not be turned into the requested integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntegerError {
    NotIntegral,
    OutOfRange,
}

impl<'a> NumberParts<'a> {
    /// True for `123` or `-7`: no fraction and no exponent.
    pub fn is_plain_integer(&self) -> bool {
        self.frac.is_empty() && !self.has_exp
    }

    fn digit(&self, i: usize) -> u8 {
        // `i` is always < int.len() + frac.len(); the fallback only keeps this panic-free.
        let b = if i < self.int.len() {
            self.int.get(i)
        } else {
            self.frac.get(i - self.int.len())
        };
        b.map_or(0, |b| b.wrapping_sub(b'0'))
    }

    /// `|value| * 10^scale`, truncated toward zero, plus whether non-zero digits were
    /// dropped by the truncation. `None` if the result has more than 38 digits.
    pub fn scaled_magnitude(&self, scale: i64) -> Option<(u128, bool)> {
        let total = self.int.len() + self.frac.len();
        let lead = (0..total).take_while(|&i| self.digit(i) == 0).count();
        if lead == total {
            return Some((0, false));
        }
        let trail = (0..total).rev().take_while(|&i| self.digit(i) == 0).count();
        // The significant digits are lead..total-trail; the first and last are non-zero.
        let sig_len = (total - trail - lead) as i64;
        let exp = self.exp - self.frac.len() as i64 + trail as i64 + scale;
        let keep = sig_len + exp.min(0);
        if keep <= 0 {
            return Some((0, true));
        }
        if sig_len + exp.max(0) > MAX_DIGITS {
            return None;
        }
        let mut acc: u128 = 0;
        for i in lead..lead + keep as usize {
            acc = acc
                .checked_mul(10)?
                .checked_add(u128::from(self.digit(i)))?;
        }
        if exp > 0 {
            acc = acc.checked_mul(10u128.checked_pow(exp as u32)?)?;
        }
        // When exp < 0 at least the last significant digit, which is non-zero, was dropped.
        Some((acc, exp < 0))
    }

    /// The value as an exact integer; `1.0` and `1e2` are integers, `1.5` is not.
    pub fn exact_integer(&self) -> Result<i128, IntegerError> {
        if self.is_plain_integer() && self.int.len() <= 18 {
            // Fast path: 18 digits cannot overflow an i64.
            let mut acc: i64 = 0;
            for &b in self.int {
                acc = acc * 10 + i64::from(b - b'0');
            }
            return Ok(i128::from(if self.negative { -acc } else { acc }));
        }
        match self.scaled_magnitude(0) {
            None => Err(IntegerError::OutOfRange),
            Some((_, true)) => Err(IntegerError::NotIntegral),
            Some((magnitude, false)) => {
                let value = i128::try_from(magnitude).map_err(|_| IntegerError::OutOfRange)?;
                Ok(if self.negative { -value } else { value })
            }
        }
    }
}

/// Parses the digits of an exponent (without sign), saturating at `EXP_CLAMP`.
pub(crate) fn clamp_exponent(digits: &[u8], negative: bool) -> i64 {
    let mut value: i64 = 0;
    for &b in digits {
        value = (value * 10 + i64::from(b - b'0')).min(EXP_CLAMP);
    }
    if negative {
        -value
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &'static str) -> NumberParts<'static> {
        // Test-only splitter; the real one is the scanner in `de.rs`.
        let negative = text.starts_with('-');
        let body = text.trim_start_matches('-');
        let (mantissa, exp, has_exp) = match body.find(['e', 'E']) {
            Some(i) => {
                let e = &body[i + 1..];
                let neg = e.starts_with('-');
                let e = e.trim_start_matches(['-', '+']);
                (&body[..i], clamp_exponent(e.as_bytes(), neg), true)
            }
            None => (body, 0, false),
        };
        let (int, frac) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        NumberParts {
            text,
            negative,
            int: int.as_bytes(),
            frac: frac.as_bytes(),
            exp,
            has_exp,
        }
    }

    #[test]
    fn integers() {
        assert_eq!(parts("0").exact_integer(), Ok(0));
        assert_eq!(parts("-0").exact_integer(), Ok(0));
        assert_eq!(parts("123").exact_integer(), Ok(123));
        assert_eq!(parts("1.0").exact_integer(), Ok(1));
        assert_eq!(parts("1e2").exact_integer(), Ok(100));
        assert_eq!(parts("1.50e1").exact_integer(), Ok(15));
        assert_eq!(parts("-2.5E+1").exact_integer(), Ok(-25));
        assert_eq!(parts("1500e-2").exact_integer(), Ok(15));
        assert_eq!(parts("0.000e99999999999").exact_integer(), Ok(0));
        assert_eq!(parts("1.5").exact_integer(), Err(IntegerError::NotIntegral));
        assert_eq!(
            parts("1e-1").exact_integer(),
            Err(IntegerError::NotIntegral)
        );
        assert_eq!(
            parts("1e-99999999999").exact_integer(),
            Err(IntegerError::NotIntegral)
        );
        assert_eq!(parts("1e39").exact_integer(), Err(IntegerError::OutOfRange));
        assert_eq!(
            parts("1e99999999999").exact_integer(),
            Err(IntegerError::OutOfRange)
        );
        assert_eq!(
            parts("-9223372036854775808").exact_integer(),
            Ok(i128::from(i64::MIN))
        );
        assert_eq!(
            parts("99999999999999999999999999999999999999").exact_integer(),
            Ok(99999999999999999999999999999999999999)
        );
    }

    #[test]
    fn scaled() {
        assert_eq!(
            parts("1.5").scaled_magnitude(9),
            Some((1_500_000_000, false))
        );
        assert_eq!(
            parts("1.0000000001").scaled_magnitude(9),
            Some((1_000_000_000, true))
        );
        assert_eq!(parts("0.0000000001").scaled_magnitude(9), Some((0, true)));
        assert_eq!(parts("1e-40").scaled_magnitude(9), Some((0, true)));
    }
}
