//! Timestamp formats of Smithy's JSON protocols, and exact epoch-seconds conversion.

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;

use super::number::NumberParts;

/// How a timestamp member is written on the wire (Smithy's `@timestampFormat`).
///
/// awsJson1_0 / awsJson1_1 default to [`TimestampFormat::EpochSeconds`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// A JSON number of seconds since the Unix epoch, with an optional fraction:
    /// `1652235091.5`.
    EpochSeconds,
    /// An RFC 3339 string: `"2022-05-11T02:11:31.5Z"`.
    DateTime,
    /// An IMF-fixdate string (RFC 7231): `"Wed, 11 May 2022 02:11:31 GMT"`.
    HttpDate,
}

const NANOS_PER_SECOND: u128 = 1_000_000_000;

/// Converts a JSON number to a timestamp exactly, from its decimal digits.
///
/// Digits finer than a nanosecond are truncated toward negative infinity (floor), so a
/// value always maps to the latest nanosecond that is not after it: `1.0000000019` is
/// 1 s + 1 ns and `-1.0000000011` is -1 s - 2 ns. Values whose second count does not fit an
/// `i64` are an error.
pub(crate) fn epoch_seconds_from_number(parts: &NumberParts<'_>) -> Option<DateTime> {
    let (magnitude, dropped) = parts.scaled_magnitude(9)?;
    let magnitude = i128::try_from(magnitude).ok()?;
    let nanos = if parts.negative {
        -magnitude - i128::from(dropped)
    } else {
        magnitude
    };
    DateTime::from_nanos(nanos).ok()
}

/// Writes `date_time` as epoch seconds with exactly as many fraction digits as needed
/// (`1652235091`, `1652235091.5`, `-1.000000001`), with no floating point involved.
pub(crate) fn write_epoch_seconds(out: &mut Vec<u8>, date_time: &DateTime) {
    let nanos = date_time.as_nanos();
    if nanos < 0 {
        out.push(b'-');
    }
    let magnitude = nanos.unsigned_abs();
    let whole = magnitude / NANOS_PER_SECOND;
    // < 10^9, so the cast is lossless.
    let mut frac = (magnitude % NANOS_PER_SECOND) as u32;
    super::ser::write_u128(out, whole);
    if frac != 0 {
        let mut digits = 9;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        out.push(b'.');
        let mut buf = [b'0'; 9];
        for slot in buf[..digits].iter_mut().rev() {
            *slot = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        out.extend_from_slice(&buf[..digits]);
    }
}

/// Parses a string timestamp. RFC 3339 offsets other than `Z` are accepted on input
/// (Smithy asks clients to be lenient) and converted to UTC.
pub(crate) fn parse_string_timestamp(text: &str, format: TimestampFormat) -> Option<DateTime> {
    let format = match format {
        TimestampFormat::DateTime => Format::DateTimeWithOffset,
        TimestampFormat::HttpDate => Format::HttpDate,
        TimestampFormat::EpochSeconds => return None,
    };
    DateTime::from_str(text, format).ok()
}
