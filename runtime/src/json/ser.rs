//! The writer.

use std::io::Write as _;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{DateTime, Document, Number};

use super::timestamp::{write_epoch_seconds, write_rfc3339, TimestampFormat};

/// Writes compact JSON into a byte buffer.
///
/// Commas and colons are inserted automatically; the caller only states structure:
///
/// ```
/// use awsjson_runtime::json::JsonSerializer;
///
/// let mut ser = JsonSerializer::new();
/// ser.begin_object();
/// ser.key("instanceName");
/// ser.string("web-1");
/// ser.key("ports");
/// ser.begin_array();
/// ser.i64(80);
/// ser.i64(443);
/// ser.end_array();
/// ser.end_object();
/// assert_eq!(ser.finish(), br#"{"instanceName":"web-1","ports":[80,443]}"#);
/// ```
///
/// The serializer trusts its caller (generated code) to pair `begin_*`/`end_*` and to put a
/// key before each object member; it does not check.
#[derive(Clone, Debug, Default)]
pub struct JsonSerializer {
    out: Vec<u8>,
    /// A value has been written in the current container, so the next one needs a `,`.
    ///
    /// One flag suffices: entering a container resets it, and after leaving one the parent
    /// always holds at least that container, so it is `true` again.
    need_comma: bool,
}

impl JsonSerializer {
    /// Creates an empty serializer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates an empty serializer whose buffer can hold `capacity` bytes before growing.
    pub fn with_capacity(capacity: usize) -> Self {
        JsonSerializer {
            out: Vec::with_capacity(capacity),
            need_comma: false,
        }
    }

    #[inline]
    fn value_prefix(&mut self) {
        if self.need_comma {
            self.out.push(b',');
        }
        self.need_comma = true;
    }

    /// Writes `{`.
    pub fn begin_object(&mut self) {
        self.value_prefix();
        self.out.push(b'{');
        self.need_comma = false;
    }

    /// Writes the member name `name` and the `:` after it; the next call writes its value.
    pub fn key(&mut self, name: impl AsRef<str>) {
        if self.need_comma {
            self.out.push(b',');
        }
        write_escaped(&mut self.out, name.as_ref());
        self.out.push(b':');
        self.need_comma = false;
    }

    /// Writes `}`.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.need_comma = true;
    }

    /// Writes `[`.
    pub fn begin_array(&mut self) {
        self.value_prefix();
        self.out.push(b'[');
        self.need_comma = false;
    }

    /// Writes `]`.
    pub fn end_array(&mut self) {
        self.out.push(b']');
        self.need_comma = true;
    }

    /// Writes a string, escaping `"`, `\` and control characters; other characters are
    /// written as UTF-8.
    pub fn string(&mut self, value: impl AsRef<str>) {
        self.value_prefix();
        write_escaped(&mut self.out, value.as_ref());
    }

    /// Writes `true` or `false`.
    pub fn boolean(&mut self, value: bool) {
        self.value_prefix();
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// Writes an integer.
    pub fn i64(&mut self, value: i64) {
        self.value_prefix();
        if value < 0 {
            self.out.push(b'-');
        }
        write_u128(&mut self.out, u128::from(value.unsigned_abs()));
    }

    /// Writes a non-negative integer.
    pub fn u64(&mut self, value: u64) {
        self.value_prefix();
        write_u128(&mut self.out, u128::from(value));
    }

    /// Writes a number in the shortest form that reads back as the same `f64` (`1.0`,
    /// `0.1`, `1e300`); NaN and the infinities are written as the strings `"NaN"`,
    /// `"Infinity"`, `"-Infinity"` as Smithy's JSON protocols require.
    pub fn f64(&mut self, value: f64) {
        self.value_prefix();
        if let Some(s) = non_finite(value.is_nan(), value.is_infinite(), value < 0.0) {
            self.out.extend_from_slice(s);
        } else {
            // `Debug` is the shortest round-trip form and switches to `1e300` / `1e-7`
            // exponent notation for extreme magnitudes (`Display` would print 300 zeros);
            // both forms are valid JSON numbers. Writing to a Vec cannot fail.
            let _ = write!(self.out, "{value:?}");
        }
    }

    /// Like [`f64`](Self::f64), in the shortest form that reads back as the same `f32`
    /// (`0.1`, not `0.10000000149011612`).
    pub fn f32(&mut self, value: f32) {
        self.value_prefix();
        if let Some(s) = non_finite(value.is_nan(), value.is_infinite(), value < 0.0) {
            self.out.extend_from_slice(s);
        } else {
            let _ = write!(self.out, "{value:?}");
        }
    }

    /// Writes a document [`Number`].
    pub fn number(&mut self, value: Number) {
        match value {
            Number::PosInt(v) => self.u64(v),
            Number::NegInt(v) => self.i64(v),
            Number::Float(v) => self.f64(v),
        }
    }

    /// Writes a timestamp.
    ///
    /// [`TimestampFormat::EpochSeconds`] is an exact decimal number of seconds with only
    /// the fraction digits needed (`1652235091`, `1652235091.5`, `1652235091.000000001`).
    /// [`TimestampFormat::DateTime`] is RFC 3339 in UTC with every significant fraction
    /// digit down to the nanosecond (`"2022-05-11T02:11:31.5Z"`).
    /// [`TimestampFormat::HttpDate`] is IMF-fixdate, which has no fraction: sub-second
    /// digits are dropped. The string formats cover years 0001 to 9999; a timestamp
    /// outside that range falls back to epoch seconds, the one format that can represent
    /// any `DateTime`.
    pub fn timestamp(&mut self, value: &DateTime, format: TimestampFormat) {
        self.value_prefix();
        let written = match format {
            TimestampFormat::EpochSeconds => false,
            TimestampFormat::DateTime => write_rfc3339(&mut self.out, value),
            TimestampFormat::HttpDate => match value.fmt(Format::HttpDate) {
                Ok(text) => {
                    write_escaped(&mut self.out, &text);
                    true
                }
                Err(_) => false,
            },
        };
        if !written {
            write_epoch_seconds(&mut self.out, value);
        }
    }

    /// Writes bytes as a base64 string (standard alphabet, padded). Accepts a `Blob`,
    /// `&Blob`, `&[u8]` or `Vec<u8>`.
    pub fn blob(&mut self, value: impl AsRef<[u8]>) {
        self.value_prefix();
        let encoded = aws_smithy_types::base64::encode(value.as_ref());
        // The base64 alphabet needs no escaping.
        self.out.push(b'"');
        self.out.extend_from_slice(encoded.as_bytes());
        self.out.push(b'"');
    }

    /// Writes any [`Document`]. Object members come out in the map's iteration order.
    pub fn document(&mut self, value: &Document) {
        match value {
            Document::Object(map) => {
                self.begin_object();
                for (k, v) in map {
                    self.key(k);
                    self.document(v);
                }
                self.end_object();
            }
            Document::Array(items) => {
                self.begin_array();
                for v in items {
                    self.document(v);
                }
                self.end_array();
            }
            Document::Number(n) => self.number(*n),
            Document::String(s) => self.string(s),
            Document::Bool(b) => self.boolean(*b),
            Document::Null => self.null(),
        }
    }

    /// Writes a big integer or decimal (validated when it was built) as a JSON number.
    pub fn big_number(&mut self, value: &str) {
        // BigInteger / BigDecimal accept a leading `+`, which JSON does not.
        let text = value.strip_prefix('+').unwrap_or(value);
        if text.is_empty() {
            self.null();
            return;
        }
        self.value_prefix();
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.value_prefix();
        self.out.extend_from_slice(b"null");
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.out
    }

    /// Returns the JSON text.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

fn non_finite(nan: bool, infinite: bool, negative: bool) -> Option<&'static [u8]> {
    match (nan, infinite, negative) {
        (true, _, _) => Some(b"\"NaN\""),
        (_, true, false) => Some(b"\"Infinity\""),
        (_, true, true) => Some(b"\"-Infinity\""),
        _ => None,
    }
}

/// Writes the decimal digits of `value`.
pub(crate) fn write_u128(out: &mut Vec<u8>, mut value: u128) {
    let mut buf = [0u8; 39];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// `ESCAPE[b]` is the character after `\` for bytes with a short escape, `u` for other
/// control characters, 0 for bytes written as they are.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

fn write_escaped(out: &mut Vec<u8>, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = ESCAPE[b as usize];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[run_start..i]);
        run_start = i + 1;
        if escape == b'u' {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xf) as usize],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'"');
}
