//! The pull parser.

use std::borrow::Cow;
use std::collections::HashMap;

use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};

use super::errors::{describe_byte, DeserializeError};
use super::number::{clamp_exponent, IntegerError, NumberParts};
use super::timestamp::{epoch_seconds_from_number, parse_string_timestamp, TimestampFormat};
use super::MAX_DEPTH;

/// The kind of the next JSON value, as returned by [`JsonDeserializer::peek_kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// `null`
    Null,
    /// `true` or `false`
    Boolean,
    /// A number.
    Number,
    /// A string.
    String,
    /// `{`
    Object,
    /// `[`
    Array,
}

/// A pull parser over a complete JSON document held in memory.
///
/// The caller drives it with the shape it expects:
///
/// ```
/// use awsjson_runtime::json::JsonDeserializer;
///
/// let mut de = JsonDeserializer::new(br#"{"name":"web-1","ports":[80,443],"extra":{"x":1}}"#);
/// let (mut name, mut ports) = (None, Vec::new());
/// if de.begin_object()? {
///     while let Some(key) = de.next_key()? {
///         match key.as_ref() {
///             "name" => name = de.string()?.map(|s| s.into_owned()),
///             "ports" => {
///                 if de.begin_array()? {
///                     while de.has_next_element()? {
///                         ports.extend(de.i32()?);
///                     }
///                 }
///             }
///             _ => de.skip_value()?,
///         }
///     }
/// }
/// de.finish()?;
/// assert_eq!(name.as_deref(), Some("web-1"));
/// assert_eq!(ports, [80, 443]);
/// # Ok::<(), awsjson_runtime::json::DeserializeError>(())
/// ```
///
/// Every method validates what it consumes against RFC 8259 (including values skipped with
/// [`skip_value`](Self::skip_value)); any problem is a [`DeserializeError`] with the byte
/// offset, never a panic. Nesting is limited to [`MAX_DEPTH`] objects and arrays.
#[derive(Clone, Debug)]
pub struct JsonDeserializer<'a> {
    input: &'a [u8],
    /// `input` as text when all of it is valid UTF-8 (checked once, up front): strings are
    /// then sliced from it without a UTF-8 check per string, which profiles of
    /// string-heavy responses showed as the largest single cost.
    text: Option<&'a str>,
    pos: usize,
    /// Number of open objects and arrays.
    depth: usize,
    /// Bit `d - 1` is set when the container at depth `d` is an object.
    objects: u128,
    /// The innermost open container has not produced a member yet, so no comma is due.
    first: bool,
}

// `objects` must have a bit for every level.
const _: () = assert!(MAX_DEPTH <= u128::BITS as usize);

type Result<T> = std::result::Result<T, DeserializeError>;

impl<'a> JsonDeserializer<'a> {
    /// Creates a parser positioned before the first value of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        JsonDeserializer {
            input,
            text: std::str::from_utf8(input).ok(),
            pos: 0,
            depth: 0,
            objects: 0,
            first: false,
        }
    }

    /// The byte offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The number of objects and arrays currently open.
    pub fn depth(&self) -> usize {
        self.depth
    }

    // ----- errors -------------------------------------------------------------------

    fn err(&self, at: usize, message: impl Into<Cow<'static, str>>) -> DeserializeError {
        DeserializeError::new(at, message)
    }

    /// "expected X, found `y`" at the current position, or "unexpected end of input".
    fn unexpected(&self, expected: &str) -> DeserializeError {
        if self.pos >= self.input.len() {
            self.err(self.pos, "unexpected end of input")
        } else {
            let found = describe_byte(self.input, self.pos);
            self.err(self.pos, format!("expected {expected}, found {found}"))
        }
    }

    // ----- lexing -------------------------------------------------------------------

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(&b) = self.input.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.pos += 1;
        }
    }

    /// Skips whitespace and returns the next byte without consuming it.
    #[inline]
    fn peek_byte(&mut self) -> Option<u8> {
        self.skip_ws();
        self.input.get(self.pos).copied()
    }

    /// Consumes `literal` (`true`, `false` or `null`) whose first byte is at `self.pos`.
    fn literal(&mut self, literal: &'static [u8]) -> Result<()> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        if rest.starts_with(literal) {
            self.pos += literal.len();
            return Ok(());
        }
        let matched = rest.iter().zip(literal).take_while(|(a, b)| a == b).count();
        if matched == rest.len() {
            Err(self.err(self.input.len(), "unexpected end of input"))
        } else {
            Err(self.err(self.pos, "invalid literal"))
        }
    }

    /// Consumes `null` if it is next.
    fn null_next(&mut self) -> Result<bool> {
        if self.peek_byte() == Some(b'n') {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn open(&mut self, object: bool) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err(self.pos, format!("nesting deeper than {MAX_DEPTH}")));
        }
        if object {
            self.objects |= 1 << self.depth;
        } else {
            self.objects &= !(1 << self.depth);
        }
        self.depth += 1;
        self.pos += 1;
        self.first = true;
        Ok(())
    }

    fn close(&mut self) {
        self.pos += 1;
        self.depth -= 1;
        // The parent just received this container as a member.
        self.first = false;
    }

    fn in_object(&self) -> bool {
        self.depth > 0 && self.objects & (1 << (self.depth - 1)) != 0
    }

    fn in_array(&self) -> bool {
        self.depth > 0 && self.objects & (1 << (self.depth - 1)) == 0
    }

    /// Scans a string token starting at the opening quote at `self.pos`, validating
    /// escapes, control characters and UTF-8. With `DECODE`, returns its value.
    fn scan_string<const DECODE: bool>(&mut self) -> Result<Cow<'a, str>> {
        let input = self.input;
        let mut i = self.pos + 1;
        let mut run_start = i;
        let mut owned: Option<String> = None;
        loop {
            i = find_string_special(input, i);
            let Some(&b) = input.get(i) else {
                return Err(self.err(input.len(), "unexpected end of input in string"));
            };
            let run = self.utf8(run_start, i)?;
            match b {
                b'"' => {
                    self.pos = i + 1;
                    if !DECODE {
                        return Ok(Cow::Borrowed(""));
                    }
                    return Ok(match owned {
                        None => Cow::Borrowed(run),
                        Some(mut s) => {
                            s.push_str(run);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let (c, len) = self.escape(i)?;
                    if DECODE {
                        let s = owned.get_or_insert_with(String::new);
                        s.push_str(run);
                        s.push(c);
                    }
                    i += len;
                    run_start = i;
                }
                _ => {
                    return Err(self.err(i, "control character in string"));
                }
            }
        }
    }

    fn utf8(&self, start: usize, end: usize) -> Result<&'a str> {
        // Both ends sit next to ASCII (quotes, escapes), so they are character boundaries of
        // valid text; `get` checks that anyway, in constant time.
        if let Some(run) = self.text.and_then(|t| t.get(start..end)) {
            return Ok(run);
        }
        let bytes = self.input.get(start..end).unwrap_or_default();
        std::str::from_utf8(bytes)
            .map_err(|e| self.err(start + e.valid_up_to(), "invalid UTF-8 in string"))
    }

    /// Decodes the escape sequence whose backslash is at `at`; returns the character and
    /// the length of the sequence in bytes.
    fn escape(&self, at: usize) -> Result<(char, usize)> {
        let c = match self.input.get(at + 1) {
            None => return Err(self.err(self.input.len(), "unexpected end of input in string")),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at),
            Some(_) => return Err(self.err(at, "invalid escape in string")),
        };
        Ok((c, 2))
    }

    fn unicode_escape(&self, at: usize) -> Result<(char, usize)> {
        let high = self.hex4(at + 2)?;
        if !(0xD800..0xE000).contains(&high) {
            // Not a surrogate, so always a valid scalar value.
            return Ok((char::from_u32(high).unwrap_or('\u{FFFD}'), 6));
        }
        if high >= 0xDC00 {
            return Err(self.err(at, "lone low surrogate in string"));
        }
        if self.input.get(at + 6..at + 8) != Some(b"\\u") {
            return Err(self.err(at, "lone high surrogate in string"));
        }
        let low = self.hex4(at + 8)?;
        if !(0xDC00..0xE000).contains(&low) {
            return Err(self.err(at, "lone high surrogate in string"));
        }
        let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        // Always a valid scalar value (U+10000..=U+10FFFF).
        Ok((char::from_u32(c).unwrap_or('\u{FFFD}'), 12))
    }

    fn hex4(&self, at: usize) -> Result<u32> {
        let mut value = 0;
        for i in at..at + 4 {
            let digit = match self.input.get(i) {
                None => return Err(self.err(self.input.len(), "unexpected end of input in string")),
                Some(&b) => (b as char).to_digit(16),
            };
            let Some(digit) = digit else {
                return Err(self.err(i, "invalid \\u escape in string"));
            };
            value = value * 16 + digit;
        }
        Ok(value)
    }

    /// Scans a number token at `self.pos` per the RFC 8259 grammar.
    fn scan_number(&mut self) -> Result<NumberParts<'a>> {
        let input = self.input;
        let start = self.pos;
        let mut i = start;
        let negative = input.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        match input.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = skip_digits(input, i),
            _ => return Err(self.number_error(i)),
        }
        let int = &input[int_start..i];
        let mut frac: &[u8] = &[];
        if input.get(i) == Some(&b'.') {
            let frac_start = i + 1;
            i = skip_digits(input, frac_start);
            if i == frac_start {
                return Err(self.number_error(i));
            }
            frac = &input[frac_start..i];
        }
        let mut exp = 0;
        let has_exp = matches!(input.get(i), Some(b'e' | b'E'));
        if has_exp {
            i += 1;
            let exp_negative = input.get(i) == Some(&b'-');
            if matches!(input.get(i), Some(b'-' | b'+')) {
                i += 1;
            }
            let exp_start = i;
            i = skip_digits(input, exp_start);
            if i == exp_start {
                return Err(self.number_error(i));
            }
            exp = clamp_exponent(&input[exp_start..i], exp_negative);
        }
        self.pos = i;
        // The token is ASCII by construction.
        let text = std::str::from_utf8(&input[start..i]).unwrap_or("0");
        Ok(NumberParts {
            text,
            negative,
            int,
            frac,
            exp,
            has_exp,
        })
    }

    fn number_error(&self, at: usize) -> DeserializeError {
        match self.input.get(at) {
            None => self.err(at, "unexpected end of input in number"),
            Some(_) => self.err(
                at,
                format!(
                    "invalid number: expected digit, found {}",
                    describe_byte(self.input, at)
                ),
            ),
        }
    }

    // ----- structure ----------------------------------------------------------------

    /// Consumes `null` and returns `true` if the next value is `null`; otherwise consumes
    /// nothing and returns `false`.
    pub fn take_null(&mut self) -> Result<bool> {
        self.null_next()
    }

    /// Returns the kind of the next value without consuming it.
    pub fn peek_kind(&mut self) -> Result<ValueKind> {
        Ok(match self.peek_byte() {
            Some(b'n') => ValueKind::Null,
            Some(b't' | b'f') => ValueKind::Boolean,
            Some(b'-' | b'0'..=b'9') => ValueKind::Number,
            Some(b'"') => ValueKind::String,
            Some(b'{') => ValueKind::Object,
            Some(b'[') => ValueKind::Array,
            _ => return Err(self.unexpected("value")),
        })
    }

    /// Consumes `{` and returns `true`, or consumes `null` and returns `false`.
    ///
    /// After `true`, call [`next_key`](Self::next_key) until it returns `None`, reading
    /// (or skipping) one value after each key.
    pub fn begin_object(&mut self) -> Result<bool> {
        match self.peek_byte() {
            Some(b'{') => self.open(true).map(|()| true),
            Some(b'n') => self.literal(b"null").map(|()| false),
            _ => Err(self.unexpected("object")),
        }
    }

    /// Returns the next key of the current object and consumes the `:` after it, or
    /// consumes the closing `}` and returns `None`.
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>> {
        if self.key_next()? {
            let key = self.scan_string::<true>()?;
            self.colon()?;
            Ok(Some(key))
        } else {
            Ok(None)
        }
    }

    /// The shared part of `next_key` and skipping: handles `}` and `,` and leaves the
    /// parser on the key's opening quote.
    fn key_next(&mut self) -> Result<bool> {
        if !self.in_object() {
            return Err(self.err(self.pos, "next_key called outside of an object"));
        }
        match self.peek_byte() {
            Some(b'}') => {
                self.close();
                return Ok(false);
            }
            Some(b',') if !self.first => {
                self.pos += 1;
                self.skip_ws();
            }
            None => return Err(self.unexpected("`}`")),
            _ if !self.first => return Err(self.unexpected("`,` or `}`")),
            _ => {}
        }
        if self.input.get(self.pos) != Some(&b'"') {
            return Err(self.unexpected("string key"));
        }
        self.first = false;
        Ok(true)
    }

    fn colon(&mut self) -> Result<()> {
        if self.peek_byte() == Some(b':') {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected("`:`"))
        }
    }

    /// Consumes `[` and returns `true`, or consumes `null` and returns `false`.
    ///
    /// After `true`, call [`has_next_element`](Self::has_next_element) before each element.
    pub fn begin_array(&mut self) -> Result<bool> {
        match self.peek_byte() {
            Some(b'[') => self.open(false).map(|()| true),
            Some(b'n') => self.literal(b"null").map(|()| false),
            _ => Err(self.unexpected("array")),
        }
    }

    /// Returns `true` if another element follows in the current array (consuming the `,`
    /// before it), or consumes the closing `]` and returns `false`.
    pub fn has_next_element(&mut self) -> Result<bool> {
        if !self.in_array() {
            return Err(self.err(self.pos, "has_next_element called outside of an array"));
        }
        match self.peek_byte() {
            Some(b']') => {
                self.close();
                return Ok(false);
            }
            Some(b',') if !self.first => {
                self.pos += 1;
                self.skip_ws();
                if self.input.get(self.pos) == Some(&b']') {
                    return Err(self.unexpected("value"));
                }
            }
            None => return Err(self.unexpected("`]`")),
            _ if !self.first => return Err(self.unexpected("`,` or `]`")),
            _ => {}
        }
        self.first = false;
        Ok(true)
    }

    // ----- scalars ------------------------------------------------------------------

    /// Reads a string; `null` gives `None`. Strings without escapes borrow from the input.
    pub fn string(&mut self) -> Result<Option<Cow<'a, str>>> {
        match self.peek_byte() {
            Some(b'"') => self.scan_string::<true>().map(Some),
            Some(b'n') => self.literal(b"null").map(|()| None),
            _ => Err(self.unexpected("string")),
        }
    }

    /// Reads `true` or `false`; `null` gives `None`.
    pub fn boolean(&mut self) -> Result<Option<bool>> {
        match self.peek_byte() {
            Some(b't') => self.literal(b"true").map(|()| Some(true)),
            Some(b'f') => self.literal(b"false").map(|()| Some(false)),
            Some(b'n') => self.literal(b"null").map(|()| None),
            _ => Err(self.unexpected("boolean")),
        }
    }

    /// Reads a number token; `None` for `null`. Returns the parts and the token's offset.
    fn number(&mut self, expected: &str) -> Result<Option<(NumberParts<'a>, usize)>> {
        match self.peek_byte() {
            Some(b'-' | b'0'..=b'9') => {
                let at = self.pos;
                self.scan_number().map(|parts| Some((parts, at)))
            }
            Some(b'n') => self.literal(b"null").map(|()| None),
            _ => Err(self.unexpected(expected)),
        }
    }

    fn integer<T: TryFrom<i128>>(&mut self, name: &'static str) -> Result<Option<T>> {
        let Some((parts, at)) = self.number(name)? else {
            return Ok(None);
        };
        let value = parts.exact_integer().map_err(|e| match e {
            IntegerError::NotIntegral => self.err(at, format!("expected {name}, found fraction")),
            IntegerError::OutOfRange => self.err(at, format!("number out of range for {name}")),
        })?;
        T::try_from(value)
            .map(Some)
            .map_err(|_| self.err(at, format!("number out of range for {name}")))
    }

    /// Reads an integer in `i8` range; `null` gives `None`. `1.0` and `1e1` are accepted,
    /// `1.5` is not.
    pub fn i8(&mut self) -> Result<Option<i8>> {
        self.integer("i8")
    }

    /// Reads an integer in `i16` range; `null` gives `None`.
    pub fn i16(&mut self) -> Result<Option<i16>> {
        self.integer("i16")
    }

    /// Reads an integer in `i32` range; `null` gives `None`.
    pub fn i32(&mut self) -> Result<Option<i32>> {
        self.integer("i32")
    }

    /// Reads an integer in `i64` range; `null` gives `None`.
    pub fn i64(&mut self) -> Result<Option<i64>> {
        self.integer("i64")
    }

    /// Reads an integer of any size, kept as its text; `null` gives `None`.
    pub fn big_integer(&mut self) -> Result<Option<BigInteger>> {
        self.big_number("big integer")
    }

    /// Reads a number of any size and precision, kept as its text; `null` gives `None`.
    pub fn big_decimal(&mut self) -> Result<Option<BigDecimal>> {
        self.big_number("big decimal")
    }

    fn big_number<T: std::str::FromStr>(&mut self, name: &'static str) -> Result<Option<T>> {
        let Some((_, at)) = self.number(name)? else {
            return Ok(None);
        };
        let text = std::str::from_utf8(&self.input[at..self.pos])
            .map_err(|_| self.err(at, format!("expected {name}")))?;
        text.parse()
            .map(Some)
            .map_err(|_| self.err(at, format!("`{text}` is not a valid {name}")))
    }

    /// Reads a number or one of the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; `null`
    /// gives `None`. Finite numbers too large for `f64` are an error.
    pub fn f64(&mut self) -> Result<Option<f64>> {
        self.float("f64")
    }

    /// Like [`f64`](Self::f64), rounding the number's text directly to `f32`.
    pub fn f32(&mut self) -> Result<Option<f32>> {
        self.float("f32")
    }

    fn float<F: Float>(&mut self, name: &'static str) -> Result<Option<F>> {
        if self.peek_byte() == Some(b'"') {
            let at = self.pos;
            let text = self.scan_string::<true>()?;
            return match text.as_ref() {
                "NaN" => Ok(Some(F::NAN)),
                "Infinity" => Ok(Some(F::INFINITY)),
                "-Infinity" => Ok(Some(F::NEG_INFINITY)),
                _ => Err(self.err(
                    at,
                    format!("expected {name}, found a string other than NaN/Infinity/-Infinity"),
                )),
            };
        }
        let Some((parts, at)) = self.number(name)? else {
            return Ok(None);
        };
        match F::parse(parts.text) {
            Some(v) => Ok(Some(v)),
            None => Err(self.err(at, format!("number out of range for {name}"))),
        }
    }

    /// Reads a timestamp in `format`; `null` gives `None`.
    ///
    /// [`TimestampFormat::EpochSeconds`] must be a JSON number and is converted exactly
    /// from its digits: `1.700000000123E9` is 1700000000 s + 123 ns. Digits finer than a
    /// nanosecond are truncated toward negative infinity (floor), for negative values too
    /// (`-1.0000000001` is one nanosecond before -1 s). Second counts outside `i64` are an
    /// error. The string formats accept RFC 3339 (with `Z` or a numeric offset) and
    /// IMF-fixdate.
    pub fn timestamp(&mut self, format: TimestampFormat) -> Result<Option<DateTime>> {
        match format {
            TimestampFormat::EpochSeconds => {
                if self.peek_byte() == Some(b'"') {
                    return Err(self.err(
                        self.pos,
                        "expected epoch-seconds timestamp (a number), found string",
                    ));
                }
                let Some((parts, at)) = self.number("epoch-seconds timestamp")? else {
                    return Ok(None);
                };
                epoch_seconds_from_number(&parts)
                    .map(Some)
                    .ok_or_else(|| self.err(at, "timestamp out of range"))
            }
            TimestampFormat::DateTime | TimestampFormat::HttpDate => {
                let what = if format == TimestampFormat::DateTime {
                    "RFC 3339 timestamp"
                } else {
                    "HTTP-date timestamp"
                };
                let at = self.offset_of_next();
                let Some(text) = (match self.peek_byte() {
                    Some(b'"') => self.scan_string::<true>().map(Some)?,
                    Some(b'n') => self.literal(b"null").map(|()| None)?,
                    _ => return Err(self.unexpected(&format!("{what} (a string)"))),
                }) else {
                    return Ok(None);
                };
                parse_string_timestamp(&text, format)
                    .map(Some)
                    .ok_or_else(|| self.err(at, format!("invalid {what}")))
            }
        }
    }

    fn offset_of_next(&mut self) -> usize {
        self.skip_ws();
        self.pos
    }

    /// Reads a base64 string (standard alphabet, padded); `null` gives `None`.
    pub fn blob(&mut self) -> Result<Option<Blob>> {
        let at = self.offset_of_next();
        let Some(text) = self.string()? else {
            return Ok(None);
        };
        aws_smithy_types::base64::decode(text.as_ref())
            .map(|bytes| Some(Blob::new(bytes)))
            .map_err(|_| self.err(at, "invalid base64 in blob"))
    }

    /// Reads any value as a [`Document`]; `null` gives `Document::Null`.
    ///
    /// Integers become `Number::PosInt` / `Number::NegInt` when they fit 64 bits; numbers
    /// with a fraction or exponent, `-0`, and larger integers become `Number::Float`.
    pub fn document(&mut self) -> Result<Document> {
        // Recursion is bounded by MAX_DEPTH, enforced in `open`.
        Ok(match self.peek_kind()? {
            ValueKind::Null => {
                self.literal(b"null")?;
                Document::Null
            }
            ValueKind::Boolean => Document::Bool(self.boolean()?.unwrap_or_default()),
            ValueKind::String => Document::String(self.scan_string::<true>()?.into_owned()),
            ValueKind::Number => {
                let at = self.pos;
                let parts = self.scan_number()?;
                Document::Number(
                    document_number(&parts)
                        .ok_or_else(|| self.err(at, "number out of range for a document"))?,
                )
            }
            ValueKind::Object => {
                self.open(true)?;
                let mut map = HashMap::new();
                while let Some(key) = self.next_key()? {
                    let value = self.document()?;
                    map.insert(key.into_owned(), value);
                }
                Document::Object(map)
            }
            ValueKind::Array => {
                self.open(false)?;
                let mut items = Vec::new();
                while self.has_next_element()? {
                    items.push(self.document()?);
                }
                Document::Array(items)
            }
        })
    }

    /// Consumes the next value, whatever it is, validating it.
    ///
    /// Iterative: nesting costs no stack, only the [`MAX_DEPTH`] limit applies.
    pub fn skip_value(&mut self) -> Result<()> {
        let base = self.depth;
        loop {
            // Read one value (or open a container).
            match self.peek_kind()? {
                ValueKind::Null => self.literal(b"null")?,
                ValueKind::Boolean => {
                    self.boolean()?;
                }
                ValueKind::Number => {
                    self.scan_number()?;
                }
                ValueKind::String => {
                    self.scan_string::<false>()?;
                }
                ValueKind::Object => self.open(true)?,
                ValueKind::Array => self.open(false)?,
            }
            // Close finished containers until one has another member, or we are done.
            loop {
                if self.depth == base {
                    return Ok(());
                }
                if self.in_object() {
                    if self.key_next()? {
                        self.scan_string::<false>()?;
                        self.colon()?;
                        break;
                    }
                } else if self.has_next_element()? {
                    break;
                }
            }
        }
    }

    /// Checks that only whitespace remains.
    pub fn finish(mut self) -> Result<()> {
        self.skip_ws();
        if self.pos < self.input.len() {
            let found = describe_byte(self.input, self.pos);
            return Err(self.err(self.pos, format!("trailing characters: found {found}")));
        }
        if self.depth > 0 {
            return Err(self.err(
                self.pos,
                "unexpected end of input: unclosed object or array",
            ));
        }
        Ok(())
    }
}

/// `Number` for a document: exact integers when they fit 64 bits, `Float` otherwise.
fn document_number(parts: &NumberParts<'_>) -> Option<Number> {
    if parts.is_plain_integer() {
        if let Ok(v) = parts.exact_integer() {
            if v > 0 || (v == 0 && !parts.negative) {
                if let Ok(v) = u64::try_from(v) {
                    return Some(Number::PosInt(v));
                }
            } else if let Ok(v) = i64::try_from(v) {
                if v < 0 {
                    return Some(Number::NegInt(v));
                }
            }
        }
    }
    let v: f64 = parts.text.parse().ok()?;
    v.is_finite().then_some(Number::Float(v))
}

/// The float types `JsonDeserializer::float` can produce.
trait Float: Sized {
    const NAN: Self;
    const INFINITY: Self;
    const NEG_INFINITY: Self;
    /// Correctly rounded parse of a validated JSON number; `None` if it overflows.
    fn parse(text: &str) -> Option<Self>;
}

macro_rules! impl_float {
    ($t:ty) => {
        impl Float for $t {
            const NAN: Self = <$t>::NAN;
            const INFINITY: Self = <$t>::INFINITY;
            const NEG_INFINITY: Self = <$t>::NEG_INFINITY;
            fn parse(text: &str) -> Option<Self> {
                text.parse::<$t>().ok().filter(|v| v.is_finite())
            }
        }
    };
}
impl_float!(f32);
impl_float!(f64);

fn skip_digits(input: &[u8], mut i: usize) -> usize {
    while input.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// Index of the first `"`, `\` or control character at or after `i` (or `input.len()`).
///
/// Checks eight bytes at a time: this loop is where string-heavy responses spend their time.
#[inline]
fn find_string_special(input: &[u8], mut i: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = input.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Standard SWAR tests: exact "does any byte match" answers.
        let quote = x ^ (LO * u64::from(b'"'));
        let backslash = x ^ (LO * u64::from(b'\\'));
        let has_quote = quote.wrapping_sub(LO) & !quote & HI;
        let has_backslash = backslash.wrapping_sub(LO) & !backslash & HI;
        let has_control = x.wrapping_sub(LO * 0x20) & !x & HI;
        if has_quote | has_backslash | has_control != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&b) = input.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return i;
        }
        i += 1;
    }
    input.len()
}
