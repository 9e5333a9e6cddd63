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

/// The first and last second RFC 3339 can write: 0001-01-01T00:00:00Z and
/// 9999-12-31T23:59:59Z.
const RFC3339_MIN_SECS: i64 = -62_135_596_800;
const RFC3339_MAX_SECS: i64 = 253_402_300_799;

/// Writes `date_time` as a quoted RFC 3339 UTC timestamp with all significant fraction
/// digits (`"2022-05-11T02:11:31.000000001Z"`). aws-smithy-types' formatter stops at
/// microseconds; this one keeps the nanoseconds `DateTime` holds. Returns `false`, writing
/// nothing, when the year is outside 1..=9999.
pub(crate) fn write_rfc3339(out: &mut Vec<u8>, date_time: &DateTime) -> bool {
    let secs = date_time.secs();
    if !(RFC3339_MIN_SECS..=RFC3339_MAX_SECS).contains(&secs) {
        return false;
    }
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let second_of_day = secs.rem_euclid(86_400);
    let mut buf = *b"\"0000-00-00T00:00:00";
    put_digits(&mut buf[1..5], year);
    put_digits(&mut buf[6..8], i64::from(month));
    put_digits(&mut buf[9..11], i64::from(day));
    put_digits(&mut buf[12..14], second_of_day / 3600);
    put_digits(&mut buf[15..17], second_of_day / 60 % 60);
    put_digits(&mut buf[18..20], second_of_day % 60);
    out.extend_from_slice(&buf);
    let mut nanos = date_time.subsec_nanos();
    if nanos != 0 {
        let mut digits = 9;
        while nanos % 10 == 0 {
            nanos /= 10;
            digits -= 1;
        }
        let mut frac = [b'.', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0'];
        put_digits(&mut frac[1..=digits], i64::from(nanos));
        out.extend_from_slice(&frac[..=digits]);
    }
    out.extend_from_slice(b"Z\"");
    true
}

/// Writes `value` right-aligned into `slot` as zero-padded decimal digits.
fn put_digits(slot: &mut [u8], mut value: i64) {
    for b in slot.iter_mut().rev() {
        *b = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// (year, month, day) of the proleptic Gregorian calendar for a count of days since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Both in range by construction: day 1..=31, month 1..=12.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
