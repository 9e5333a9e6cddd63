//! Property tests for `awsjson_runtime::json`: round trips through the serializer and
//! deserializer, exact timestamps, and no panics on arbitrary input.

use std::collections::HashMap;

use aws_smithy_types::{Blob, DateTime, Document, Number};
use awsjson_runtime::json::{
    parse_error_code_and_message, JsonDeserializer, JsonSerializer, TimestampFormat, ValueKind,
};
use proptest::prelude::*;

fn document_strategy() -> impl Strategy<Value = Document> {
    let leaf = prop_oneof![
        Just(Document::Null),
        any::<bool>().prop_map(Document::Bool),
        any::<u64>().prop_map(|v| Document::Number(Number::PosInt(v))),
        (i64::MIN..0).prop_map(|v| Document::Number(Number::NegInt(v))),
        any::<f64>()
            .prop_filter("finite", |v| v.is_finite())
            .prop_map(|v| Document::Number(Number::Float(v))),
        any::<String>().prop_map(Document::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Document::Array),
            prop::collection::hash_map(any::<String>(), inner, 0..8).prop_map(Document::Object),
        ]
    })
}

fn serialize_document(doc: &Document) -> Vec<u8> {
    let mut ser = JsonSerializer::new();
    ser.document(doc);
    ser.finish()
}

/// Walks any input with the pull API, choosing a getter for each value from `choices`,
/// so every typed getter sees hostile input. Returns whether the walk succeeded.
fn walk(input: &[u8], choices: &[u8]) -> bool {
    let mut de = JsonDeserializer::new(input);
    let mut choice = choices.iter().copied().cycle();
    let mut steps = 0;
    let result = (|| {
        walk_value(&mut de, &mut choice, &mut steps)?;
        de.finish()
    })();
    result.is_ok()
}

fn walk_value(
    de: &mut JsonDeserializer<'_>,
    choice: &mut impl Iterator<Item = u8>,
    steps: &mut usize,
) -> Result<(), awsjson_runtime::json::DeserializeError> {
    *steps += 1;
    if *steps > 10_000 {
        return de.skip_value();
    }
    let c = choice.next().unwrap_or(0);
    match de.peek_kind()? {
        ValueKind::Object => {
            if de.begin_object()? {
                while de.next_key()?.is_some() {
                    walk_value(de, choice, steps)?;
                }
            }
        }
        ValueKind::Array => {
            if de.begin_array()? {
                while de.has_next_element()? {
                    walk_value(de, choice, steps)?;
                }
            }
        }
        _ => match c % 16 {
            0 => drop(de.string()?),
            1 => drop(de.boolean()?),
            2 => drop(de.i8()?),
            3 => drop(de.i16()?),
            4 => drop(de.i32()?),
            5 => drop(de.i64()?),
            6 => drop(de.f32()?),
            7 => drop(de.f64()?),
            8 => drop(de.timestamp(TimestampFormat::EpochSeconds)?),
            9 => drop(de.timestamp(TimestampFormat::DateTime)?),
            10 => drop(de.timestamp(TimestampFormat::HttpDate)?),
            11 => drop(de.blob()?),
            12 => drop(de.document()?),
            13 => drop(de.take_null()?),
            _ => de.skip_value()?,
        },
    }
    Ok(())
}

/// Feeds `input` to every entry point; none may panic.
fn exercise(input: &[u8], choices: &[u8]) {
    let mut de = JsonDeserializer::new(input);
    let skipped = de.skip_value().and_then(|()| de.finish());
    let mut de = JsonDeserializer::new(input);
    let document = de.document().and_then(|d| de.finish().map(|()| d));
    // The two validating paths agree, except that `document` also rejects numbers that
    // overflow f64.
    match (&skipped, &document) {
        (Ok(()), Err(e)) => assert!(e.message().contains("out of range"), "{e}"),
        (Err(e), Ok(_)) => panic!("skip_value rejected what document accepted: {e}"),
        _ => {}
    }
    walk(input, choices);
    let _ = parse_error_code_and_message(&http::HeaderMap::new(), input);
}

/// Strategy for inputs that are close to JSON: a serialized document with a few bytes
/// replaced, inserted or removed.
fn mutated_json() -> impl Strategy<Value = Vec<u8>> {
    (
        document_strategy(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4),
    )
        .prop_map(|(doc, edits)| {
            let mut bytes = serialize_document(&doc);
            for (index, byte, op) in edits {
                if bytes.is_empty() {
                    bytes.push(byte);
                    continue;
                }
                let i = index.index(bytes.len());
                match op {
                    0 => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            bytes
        })
}

/// Bytes JSON is made of, to make random inputs reach deeper than the first byte.
fn json_alphabet_bytes() -> impl Strategy<Value = Vec<u8>> {
    let alphabet: Vec<u8> = br#"{}[]:,"\ 0123456789.eE+-tfnrulsaxu"#.to_vec();
    prop::collection::vec(prop::sample::select(alphabet), 0..64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..256), choices in prop::collection::vec(any::<u8>(), 1..8)) {
        exercise(&input, &choices);
    }

    #[test]
    fn json_like_bytes_never_panic(input in json_alphabet_bytes(), choices in prop::collection::vec(any::<u8>(), 1..8)) {
        exercise(&input, &choices);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn mutated_json_never_panics(input in mutated_json(), choices in prop::collection::vec(any::<u8>(), 1..8)) {
        exercise(&input, &choices);
    }
}

proptest! {
    #[test]
    fn document_round_trip(doc in document_strategy()) {
        let bytes = serialize_document(&doc);
        let mut de = JsonDeserializer::new(&bytes);
        let back = de.document().unwrap();
        de.finish().unwrap();
        prop_assert_eq!(back, doc);
        // skip_value accepts everything the serializer writes.
        let mut de = JsonDeserializer::new(&bytes);
        de.skip_value().unwrap();
        de.finish().unwrap();
    }

    #[test]
    fn string_round_trip(s in any::<String>()) {
        let mut ser = JsonSerializer::new();
        ser.string(&s);
        let bytes = ser.finish();
        let mut de = JsonDeserializer::new(&bytes);
        let back = de.string().unwrap();
        prop_assert_eq!(back.as_deref(), Some(s.as_str()));
        de.finish().unwrap();
    }

    #[test]
    fn unicode_escapes_decode(s in any::<String>()) {
        // Every character as \uXXXX, with surrogate pairs above the BMP.
        let mut json = String::from("\"");
        for unit in s.encode_utf16() {
            json.push_str(&format!("\\u{unit:04X}"));
        }
        json.push('"');
        let mut de = JsonDeserializer::new(json.as_bytes());
        let back = de.string().unwrap();
        prop_assert_eq!(back.as_deref(), Some(s.as_str()));
    }

    #[test]
    fn integer_round_trip(v in any::<i64>()) {
        let mut ser = JsonSerializer::new();
        ser.i64(v);
        let bytes = ser.finish();
        prop_assert_eq!(JsonDeserializer::new(&bytes).i64().unwrap(), Some(v));
        prop_assert_eq!(JsonDeserializer::new(&bytes).i32().ok().flatten(), i32::try_from(v).ok());
        // Integral values written with a fraction or exponent are still integers.
        for text in [format!("{v}.000"), format!("{v}e0"), format!("{v}0e-1")] {
            prop_assert_eq!(JsonDeserializer::new(text.as_bytes()).i64().unwrap(), Some(v));
        }
    }

    #[test]
    fn float_round_trip(v in any::<f64>(), w in any::<f32>()) {
        let mut ser = JsonSerializer::new();
        ser.begin_array();
        ser.f64(v);
        ser.f32(w);
        ser.end_array();
        let bytes = ser.finish();
        let mut de = JsonDeserializer::new(&bytes);
        prop_assert!(de.begin_array().unwrap());
        prop_assert!(de.has_next_element().unwrap());
        let back = de.f64().unwrap().unwrap();
        prop_assert!(back.to_bits() == v.to_bits() || (v.is_nan() && back.is_nan()));
        prop_assert!(de.has_next_element().unwrap());
        let back = de.f32().unwrap().unwrap();
        prop_assert!(back.to_bits() == w.to_bits() || (w.is_nan() && back.is_nan()));
        prop_assert!(!de.has_next_element().unwrap());
        de.finish().unwrap();
    }

    #[test]
    fn epoch_seconds_round_trip(secs in any::<i64>(), nanos in 0u32..1_000_000_000) {
        let t = DateTime::from_secs_and_nanos(secs, nanos);
        let mut ser = JsonSerializer::new();
        ser.timestamp(&t, TimestampFormat::EpochSeconds);
        let bytes = ser.finish();
        let back = JsonDeserializer::new(&bytes).timestamp(TimestampFormat::EpochSeconds).unwrap();
        prop_assert_eq!(back, Some(t));
    }

    #[test]
    fn epoch_seconds_exact_in_any_notation(
        nanos in -9_000_000_000_000_000_000_000_000i128..9_000_000_000_000_000_000_000_000i128,
        shift in -5i32..25,
        upper in any::<bool>(),
        extra_zeros in 0usize..3,
    ) {
        // Write `nanos` as mantissa × 10^(exp) with the decimal point moved by `shift`.
        let digits = nanos.unsigned_abs().to_string();
        let sign = if nanos < 0 { "-" } else { "" };
        let point = digits.len() as i32 - shift;
        let mantissa = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        let e = if upper { 'E' } else { 'e' };
        let text = format!("{sign}{mantissa}{}{e}{}", "0".repeat(if mantissa.contains('.') { extra_zeros } else { 0 }), shift - 9);
        let expected = DateTime::from_nanos(nanos).unwrap();
        let back = JsonDeserializer::new(text.as_bytes()).timestamp(TimestampFormat::EpochSeconds).unwrap();
        prop_assert_eq!(back, Some(expected), "{}", text);
    }

    #[test]
    fn epoch_seconds_floor_sub_nanosecond(nanos in any::<i64>(), sub in 1u32..1000) {
        // nanos + sub/1000 ns, written with 12 fraction digits: the result is floor(value).
        let total = i128::from(nanos) * 1000 + i128::from(sub);
        let sign = if total < 0 { "-" } else { "" };
        let abs = total.unsigned_abs();
        let text = format!("{sign}{}.{:012}", abs / 1_000_000_000_000, abs % 1_000_000_000_000);
        let expected = DateTime::from_nanos(total.div_euclid(1000)).unwrap();
        let back = JsonDeserializer::new(text.as_bytes()).timestamp(TimestampFormat::EpochSeconds).unwrap();
        prop_assert_eq!(back, Some(expected), "{}", text);
    }

    #[test]
    fn string_timestamp_round_trip(secs in -62_135_596_800i64..253_402_300_799, nanos in 0u32..1_000_000_000) {
        let t = DateTime::from_secs_and_nanos(secs, nanos);
        let mut ser = JsonSerializer::new();
        ser.timestamp(&t, TimestampFormat::DateTime);
        let bytes = ser.finish();
        let back = JsonDeserializer::new(&bytes).timestamp(TimestampFormat::DateTime).unwrap();
        prop_assert_eq!(back, Some(t));
        // Same text as aws-smithy-types' formatter, which stops at microseconds.
        let micros = DateTime::from_secs_and_nanos(secs, nanos / 1000 * 1000);
        let mut ser = JsonSerializer::new();
        ser.timestamp(&micros, TimestampFormat::DateTime);
        let ours = String::from_utf8(ser.finish()).unwrap();
        let theirs = micros.fmt(aws_smithy_types::date_time::Format::DateTime).unwrap();
        prop_assert_eq!(ours, format!("\"{theirs}\""));

        let whole = DateTime::from_secs(secs);
        let mut ser = JsonSerializer::new();
        ser.timestamp(&whole, TimestampFormat::HttpDate);
        let bytes = ser.finish();
        let back = JsonDeserializer::new(&bytes).timestamp(TimestampFormat::HttpDate).unwrap();
        prop_assert_eq!(back, Some(whole));
    }

    #[test]
    fn blob_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut ser = JsonSerializer::new();
        ser.blob(&bytes);
        let json = ser.finish();
        prop_assert_eq!(JsonDeserializer::new(&json).blob().unwrap(), Some(Blob::new(bytes)));
    }

    #[test]
    fn error_code_from_any_object(
        type_ in proptest::option::of("[A-Za-z.]{1,10}#[A-Za-z]{1,12}(:[a-z/:.]{0,10})?"),
        message in proptest::option::of(any::<String>()),
    ) {
        let mut fields = HashMap::new();
        if let Some(t) = &type_ {
            fields.insert("__type".to_owned(), Document::String(t.clone()));
        }
        if let Some(m) = &message {
            fields.insert("message".to_owned(), Document::String(m.clone()));
        }
        fields.insert("other".to_owned(), Document::Array(vec![Document::Null]));
        let body = serialize_document(&Document::Object(fields));
        let (code, msg) = parse_error_code_and_message(&http::HeaderMap::new(), &body);
        let expected_code = type_.map(|t| {
            let t = t.split(':').next().unwrap_or_default().to_owned();
            t.rsplit('#').next().unwrap_or_default().to_owned()
        });
        prop_assert_eq!(code, expected_code);
        prop_assert_eq!(msg, message);
    }
}
