//! Table tests for the whole module.

use std::borrow::Cow;
use std::collections::HashMap;

use aws_smithy_types::{Blob, DateTime, Document, Number};
use http::{HeaderMap, HeaderValue};

use super::*;

fn de(input: &str) -> JsonDeserializer<'_> {
    JsonDeserializer::new(input.as_bytes())
}

/// Asserts the Display text of an error.
#[track_caller]
fn assert_err<T: std::fmt::Debug>(result: Result<T, DeserializeError>, expected: &str) {
    match result {
        Ok(v) => panic!("expected error {expected:?}, got Ok({v:?})"),
        Err(e) => assert_eq!(e.to_string(), expected),
    }
}

// ----- structure ------------------------------------------------------------------------

#[test]
fn object_walk() {
    let mut d = de(r#" { "a" : 1 , "b":[true,false,null], "c":{"d":"e"} } "#);
    assert!(d.begin_object().unwrap());
    assert_eq!(d.next_key().unwrap().as_deref(), Some("a"));
    assert_eq!(d.i32().unwrap(), Some(1));
    assert_eq!(d.next_key().unwrap().as_deref(), Some("b"));
    assert!(d.begin_array().unwrap());
    let mut items = vec![];
    while d.has_next_element().unwrap() {
        items.push(d.boolean().unwrap());
    }
    assert_eq!(items, [Some(true), Some(false), None]);
    assert_eq!(d.next_key().unwrap().as_deref(), Some("c"));
    d.skip_value().unwrap();
    assert_eq!(d.next_key().unwrap(), None);
    assert_eq!(d.depth(), 0);
    d.finish().unwrap();
}

#[test]
fn empty_containers_and_null() {
    let mut d = de("{}");
    assert!(d.begin_object().unwrap());
    assert_eq!(d.next_key().unwrap(), None);
    d.finish().unwrap();

    let mut d = de("[ ]");
    assert!(d.begin_array().unwrap());
    assert!(!d.has_next_element().unwrap());
    d.finish().unwrap();

    let mut d = de("null");
    assert!(!d.begin_object().unwrap());
    d.finish().unwrap();
    let mut d = de(" null");
    assert!(!d.begin_array().unwrap());
    d.finish().unwrap();
}

#[test]
fn take_null() {
    let mut d = de(" null");
    assert!(d.take_null().unwrap());
    d.finish().unwrap();
    let mut d = de("1");
    assert!(!d.take_null().unwrap());
    assert_eq!(d.i64().unwrap(), Some(1));
    assert_err(de("nul").take_null(), "unexpected end of input at byte 3");
    assert_err(de("nulL").take_null(), "invalid literal at byte 0");
}

#[test]
fn structure_errors() {
    assert_err(
        de(r#"  {"a":1}"#).begin_array(),
        "expected array, found `{` at byte 2",
    );
    assert_err(
        de("[1]").begin_object(),
        "expected object, found `[` at byte 0",
    );
    assert_err(de("").begin_object(), "unexpected end of input at byte 0");

    let mut d = de(r#"{"a" 1}"#);
    d.begin_object().unwrap();
    assert_err(d.next_key(), "expected `:`, found `1` at byte 5");

    let mut d = de(r#"{"a":1 "b":2}"#);
    d.begin_object().unwrap();
    d.next_key().unwrap();
    d.i32().unwrap();
    assert_err(d.next_key(), "expected `,` or `}`, found `\"` at byte 7");

    let mut d = de(r#"{"a":1,}"#);
    d.begin_object().unwrap();
    d.next_key().unwrap();
    d.i32().unwrap();
    assert_err(d.next_key(), "expected string key, found `}` at byte 7");

    let mut d = de(r#"{a:1}"#);
    d.begin_object().unwrap();
    assert_err(d.next_key(), "expected string key, found `a` at byte 1");

    let mut d = de(r#"{,"a":1}"#);
    d.begin_object().unwrap();
    assert_err(d.next_key(), "expected string key, found `,` at byte 1");

    let mut d = de("[1,]");
    d.begin_array().unwrap();
    assert!(d.has_next_element().unwrap());
    d.i32().unwrap();
    assert_err(d.has_next_element(), "expected value, found `]` at byte 3");

    let mut d = de("[1 2]");
    d.begin_array().unwrap();
    assert!(d.has_next_element().unwrap());
    d.i32().unwrap();
    assert_err(
        d.has_next_element(),
        "expected `,` or `]`, found `2` at byte 3",
    );

    let mut d = de("[1");
    d.begin_array().unwrap();
    assert!(d.has_next_element().unwrap());
    d.i32().unwrap();
    assert_err(d.has_next_element(), "unexpected end of input at byte 2");

    let mut d = de(r#"{"a":1"#);
    d.begin_object().unwrap();
    d.next_key().unwrap();
    d.i32().unwrap();
    assert_err(d.next_key(), "unexpected end of input at byte 6");
}

#[test]
fn misuse_is_an_error_not_a_panic() {
    assert_err(
        de("{}").next_key(),
        "next_key called outside of an object at byte 0",
    );
    assert_err(
        de("[]").has_next_element(),
        "has_next_element called outside of an array at byte 0",
    );
    let mut d = de(r#"{"a":[]}"#);
    d.begin_object().unwrap();
    assert_err(
        d.has_next_element(),
        "has_next_element called outside of an array at byte 1",
    );
    let mut d = de("[{}]");
    d.begin_array().unwrap();
    assert_err(
        d.next_key(),
        "next_key called outside of an object at byte 1",
    );
}

#[test]
fn finish() {
    de(" 1 \n\t\r").finish().ok();
    let mut d = de(" 1 \n\t\r");
    d.i32().unwrap();
    d.finish().unwrap();
    let mut d = de("1 x");
    d.i32().unwrap();
    assert_err(d.finish(), "trailing characters: found `x` at byte 2");
    let mut d = de("{}{}");
    d.skip_value().unwrap();
    assert_err(d.finish(), "trailing characters: found `{` at byte 2");
    let mut d = de("[1]");
    d.begin_array().unwrap();
    assert_err(d.finish(), "trailing characters: found `1` at byte 1");
    let mut d = de("[");
    d.begin_array().unwrap();
    assert_err(
        d.finish(),
        "unexpected end of input: unclosed object or array at byte 1",
    );
    // An input that starts with a value followed by NUL.
    let mut d = JsonDeserializer::new(b"1\0");
    d.i32().unwrap();
    assert_err(d.finish(), "trailing characters: found byte 0x00 at byte 1");
}

/// A generated top-level parser reads `{...}` (here: counts its members) or `null`, as
/// `begin_object` reads them.
fn count_members(d: &mut JsonDeserializer<'_>) -> Result<Option<usize>, DeserializeError> {
    if !d.begin_object()? {
        return Ok(None);
    }
    let mut members = 0;
    while d.next_key()?.is_some() {
        d.skip_value()?;
        members += 1;
    }
    Ok(Some(members))
}

#[test]
fn parse_top_level_names_the_offset_of_a_top_level_null() {
    // An empty body reads as `{}`.
    assert_eq!(parse_top_level(b" \n", count_members).unwrap(), 0);
    assert_eq!(parse_top_level(b"{\"a\":1}", count_members).unwrap(), 1);
    for (body, offset) in [(&b"null"[..], 0), (b"  \r\n\tnull ", 5), (b"\nnull{}", 1)] {
        let err = parse_top_level(body, count_members).expect_err("null at the top level");
        assert_eq!(err.offset(), Some(offset), "{body:?}");
        assert_eq!(
            err.to_string(),
            format!("expected a JSON object at the top level, found null at byte {offset}")
        );
    }
    assert_err(
        parse_top_level(b"{} x", count_members),
        "trailing characters: found `x` at byte 3",
    );
}

#[test]
fn peek_kind() {
    for (input, kind) in [
        ("null", ValueKind::Null),
        ("true", ValueKind::Boolean),
        ("false", ValueKind::Boolean),
        ("-1", ValueKind::Number),
        ("0", ValueKind::Number),
        ("\"\"", ValueKind::String),
        (" {", ValueKind::Object),
        ("[", ValueKind::Array),
    ] {
        assert_eq!(de(input).peek_kind().unwrap(), kind, "{input}");
    }
    assert_err(de("}").peek_kind(), "expected value, found `}` at byte 0");
}

// ----- strings --------------------------------------------------------------------------

#[test]
fn strings_borrow_unless_escaped() {
    let mut d = de(r#""plain text ünïcödé 🎉""#);
    let s = d.string().unwrap().unwrap();
    assert!(matches!(s, Cow::Borrowed(_)));
    assert_eq!(s, "plain text ünïcödé 🎉");

    let mut d = de(r#""a\nb""#);
    let s = d.string().unwrap().unwrap();
    assert!(matches!(s, Cow::Owned(_)));
    assert_eq!(s, "a\nb");

    let mut d = de(r#"{"k\"ey":1}"#);
    d.begin_object().unwrap();
    assert_eq!(d.next_key().unwrap().as_deref(), Some("k\"ey"));

    assert_eq!(de("null").string().unwrap(), None);
    assert_eq!(de(r#""""#).string().unwrap().as_deref(), Some(""));
}

#[test]
fn string_escapes() {
    let cases = [
        (r#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"),
        (r#""\u0041\u00e9\u20AC""#, "Aé€"),
        (r#""\u0000""#, "\0"),
        (r#""x\ud83d\ude00y""#, "x😀y"),
        (r#""\uD834\uDD1E""#, "𝄞"),
        (r#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
        (
            r#""long run before the escape 0123456789\u0021 and after 0123456789""#,
            "long run before the escape 0123456789! and after 0123456789",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(
            de(input).string().unwrap().as_deref(),
            Some(expected),
            "{input}"
        );
    }
}

#[test]
fn string_errors() {
    let cases: [(&[u8], &str); 14] = [
        (br#""abc"#, "unexpected end of input in string at byte 4"),
        (br#""abc\"#, "unexpected end of input in string at byte 5"),
        (br#""\x""#, "invalid escape in string at byte 1"),
        (br#""\u12""#, "invalid \\u escape in string at byte 5"),
        (br#""\u12"#, "unexpected end of input in string at byte 5"),
        (br#""\uZZZZ""#, "invalid \\u escape in string at byte 3"),
        (br#""\ud83d""#, "lone high surrogate in string at byte 1"),
        (br#""\ud83dx""#, "lone high surrogate in string at byte 1"),
        (
            br#""\ud83d\u0041""#,
            "lone high surrogate in string at byte 1",
        ),
        (br#""ab\ude00""#, "lone low surrogate in string at byte 3"),
        (b"\"a\nb\"", "control character in string at byte 2"),
        (b"\"a\x1fb\"", "control character in string at byte 2"),
        (b"\"ab\xffc\"", "invalid UTF-8 in string at byte 3"),
        (b"\"\xe2\x82\"", "invalid UTF-8 in string at byte 1"),
    ];
    for (input, expected) in cases {
        assert_err(JsonDeserializer::new(input).string(), expected);
        // Skipping validates just the same.
        assert_err(JsonDeserializer::new(input).skip_value(), expected);
    }
    assert_err(de("1").string(), "expected string, found `1` at byte 0");
    assert_err(
        de(r#" {"a":1}"#).string(),
        "expected string, found `{` at byte 1",
    );
    // DEL (0x7f) is not a control character in JSON.
    assert_eq!(de("\"\x7f\"").string().unwrap().as_deref(), Some("\x7f"));
}

#[test]
fn string_scanner_chunk_boundaries() {
    // Specials at every offset relative to the 8-byte chunks.
    for pad in 0..20 {
        let body = "x".repeat(pad);
        let input = format!("\"{body}\\\"{body}\"");
        assert_eq!(
            de(&input).string().unwrap().unwrap(),
            format!("{body}\"{body}"),
        );
        let input = format!("\"{body}\u{1}\"");
        assert_err(
            de(&input).string(),
            &format!("control character in string at byte {}", pad + 1),
        );
        let input = format!("\"{body}é{body}\"");
        assert_eq!(
            de(&input).string().unwrap().unwrap(),
            format!("{body}é{body}")
        );
    }
}

// ----- booleans and numbers -------------------------------------------------------------

#[test]
fn booleans() {
    assert_eq!(de("true").boolean().unwrap(), Some(true));
    assert_eq!(de(" false").boolean().unwrap(), Some(false));
    assert_eq!(de("null").boolean().unwrap(), None);
    assert_err(
        de("\"true\"").boolean(),
        "expected boolean, found `\"` at byte 0",
    );
    assert_err(de("tru").boolean(), "unexpected end of input at byte 3");
    assert_err(de("trUe").boolean(), "invalid literal at byte 0");
}

#[test]
fn integers() {
    assert_eq!(de("127").i8().unwrap(), Some(127));
    assert_eq!(de("-128").i8().unwrap(), Some(-128));
    assert_eq!(de("32767").i16().unwrap(), Some(32767));
    assert_eq!(de("-2147483648").i32().unwrap(), Some(i32::MIN));
    assert_eq!(de("9223372036854775807").i64().unwrap(), Some(i64::MAX));
    assert_eq!(de("-9223372036854775808").i64().unwrap(), Some(i64::MIN));
    assert_eq!(de("1.0").i32().unwrap(), Some(1));
    assert_eq!(de("1e3").i32().unwrap(), Some(1000));
    assert_eq!(de("-1.5E1").i64().unwrap(), Some(-15));
    assert_eq!(de("-0").i32().unwrap(), Some(0));
    assert_eq!(de("null").i32().unwrap(), None);

    assert_err(de("128").i8(), "number out of range for i8 at byte 0");
    assert_err(de(" -129").i8(), "number out of range for i8 at byte 1");
    assert_err(de("32768").i16(), "number out of range for i16 at byte 0");
    assert_err(
        de("2147483648").i32(),
        "number out of range for i32 at byte 0",
    );
    assert_err(
        de("9223372036854775808").i64(),
        "number out of range for i64 at byte 0",
    );
    assert_err(de("1e100").i64(), "number out of range for i64 at byte 0");
    assert_err(de("1.5").i32(), "expected i32, found fraction at byte 0");
    assert_err(de("1e-1").i64(), "expected i64, found fraction at byte 0");
    assert_err(de("\"1\"").i32(), "expected i32, found `\"` at byte 0");
    assert_err(de("true").i32(), "expected i32, found `t` at byte 0");
}

#[test]
fn number_grammar() {
    for bad in [
        "-", "-x", "+1", ".5", "1.", "1.e5", "1e", "1e+", "-.5", "--1", "NaN",
    ] {
        let mut d = de(bad);
        let result = d.f64();
        assert!(result.is_err(), "{bad} parsed as {result:?}");
    }
    assert_err(
        de("1.").f64(),
        "unexpected end of input in number at byte 2",
    );
    assert_err(
        de("1.x").f64(),
        "invalid number: expected digit, found `x` at byte 2",
    );
    assert_err(
        de("1e+]").i64(),
        "invalid number: expected digit, found `]` at byte 3",
    );
    assert_err(
        de("-a").i64(),
        "invalid number: expected digit, found `a` at byte 1",
    );
    // Leading zeros: `01` is the number 0 followed by garbage.
    let mut d = de("01");
    assert_eq!(d.i32().unwrap(), Some(0));
    assert_err(d.finish(), "trailing characters: found `1` at byte 1");
    let mut d = de("[01]");
    d.begin_array().unwrap();
    d.has_next_element().unwrap();
    d.i32().unwrap();
    assert_err(
        d.has_next_element(),
        "expected `,` or `]`, found `1` at byte 2",
    );
}

#[test]
fn floats() {
    assert_eq!(de("1.5").f64().unwrap(), Some(1.5));
    assert_eq!(de("-0.1e-2").f64().unwrap(), Some(-0.001));
    assert_eq!(de("1E2").f64().unwrap(), Some(100.0));
    assert_eq!(de("7").f64().unwrap(), Some(7.0));
    assert_eq!(de("5e-324").f64().unwrap(), Some(5e-324));
    assert_eq!(de("1e-400").f64().unwrap(), Some(0.0));
    assert_eq!(de("0.1").f32().unwrap(), Some(0.1f32));
    assert_eq!(de("\"Infinity\"").f64().unwrap(), Some(f64::INFINITY));
    assert_eq!(de("\"-Infinity\"").f32().unwrap(), Some(f32::NEG_INFINITY));
    assert!(de("\"NaN\"").f64().unwrap().unwrap().is_nan());
    assert!(de("\"NaN\"").f32().unwrap().unwrap().is_nan());
    assert_eq!(de("null").f64().unwrap(), None);
    assert_err(de("1e400").f64(), "number out of range for f64 at byte 0");
    assert_err(de("1e39").f32(), "number out of range for f32 at byte 0");
    assert_err(
        de("\"nan\"").f64(),
        "expected f64, found a string other than NaN/Infinity/-Infinity at byte 0",
    );
    assert_err(de("{}").f64(), "expected f64, found `{` at byte 0");
}

// ----- timestamps, blobs, documents -----------------------------------------------------

fn epoch(input: &str) -> Result<Option<DateTime>, DeserializeError> {
    de(input).timestamp(TimestampFormat::EpochSeconds)
}

#[test]
fn epoch_seconds_exact() {
    let cases = [
        ("1652235091", 1652235091, 0),
        ("1652235091.5", 1652235091, 500_000_000),
        ("1.700000000123E9", 1700000000, 123_000_000),
        ("1.700000000000000123E9", 1700000000, 123),
        ("1.7e9", 1700000000, 0),
        ("-1.5", -2, 500_000_000),
        ("1652235091.123456789", 1652235091, 123_456_789),
        ("0", 0, 0),
        ("-0", 0, 0),
        ("0.000000001", 0, 1),
        ("1652235091.0000000019", 1652235091, 1),
        ("1652235091.9999999999", 1652235091, 999_999_999),
        // Floor for negatives: -1.0000000011 s is -1 s - 2 ns.
        ("-1.0000000011", -2, 999_999_998),
        ("-0.0000000001", -1, 999_999_999),
        ("1e-30", 0, 0),
        ("-1e-30", -1, 999_999_999),
        ("1652235091000e-3", 1652235091, 0),
        ("9223372036854775807", i64::MAX, 0),
        ("-9223372036854775808", i64::MIN, 0),
        ("9223372036854775807.999999999", i64::MAX, 999_999_999),
    ];
    for (input, secs, nanos) in cases {
        assert_eq!(
            epoch(input).unwrap(),
            Some(DateTime::from_secs_and_nanos(secs, nanos)),
            "{input}"
        );
    }
    assert_eq!(epoch("null").unwrap(), None);
    assert_err(
        epoch("9223372036854775808"),
        "timestamp out of range at byte 0",
    );
    assert_err(
        epoch("-9223372036854775809"),
        "timestamp out of range at byte 0",
    );
    assert_err(epoch("1e30"), "timestamp out of range at byte 0");
    assert_err(
        epoch("1e99999999999999"),
        "timestamp out of range at byte 0",
    );
    assert_err(
        epoch(" \"1652235091\""),
        "expected epoch-seconds timestamp (a number), found string at byte 1",
    );
    assert_err(
        epoch("true"),
        "expected epoch-seconds timestamp, found `t` at byte 0",
    );
}

#[test]
fn string_timestamps() {
    let dt = |s| de(s).timestamp(TimestampFormat::DateTime);
    let http = |s| de(s).timestamp(TimestampFormat::HttpDate);
    assert_eq!(
        dt(r#""2022-05-11T02:11:31Z""#).unwrap(),
        Some(DateTime::from_secs(1652235091))
    );
    assert_eq!(
        dt(r#""2022-05-11T02:11:31.123456789Z""#).unwrap(),
        Some(DateTime::from_secs_and_nanos(1652235091, 123_456_789))
    );
    assert_eq!(
        dt(r#""2022-05-11T04:11:31+02:00""#).unwrap(),
        Some(DateTime::from_secs(1652235091))
    );
    assert_eq!(
        http(r#""Wed, 11 May 2022 02:11:31 GMT""#).unwrap(),
        Some(DateTime::from_secs(1652235091))
    );
    assert_eq!(dt("null").unwrap(), None);
    assert_err(
        dt(r#" "yesterday""#),
        "invalid RFC 3339 timestamp at byte 1",
    );
    assert_err(
        http(r#""2022-05-11T02:11:31Z""#),
        "invalid HTTP-date timestamp at byte 0",
    );
    assert_err(
        dt("1652235091"),
        "expected RFC 3339 timestamp (a string), found `1` at byte 0",
    );
}

#[test]
fn blobs() {
    assert_eq!(
        de(r#""aGVsbG8=""#).blob().unwrap(),
        Some(Blob::new("hello"))
    );
    assert_eq!(de(r#""""#).blob().unwrap(), Some(Blob::new("")));
    assert_eq!(de("null").blob().unwrap(), None);
    assert_err(
        de(r#" "not base64!""#).blob(),
        "invalid base64 in blob at byte 1",
    );
    assert_err(de("1").blob(), "expected string, found `1` at byte 0");
}

#[test]
fn documents() {
    let mut d = de(
        r#"{"s":"x","n":[0,-0,1,-1,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809,1.5,1e2],"b":true,"z":null,"o":{}}"#,
    );
    let doc = d.document().unwrap();
    d.finish().unwrap();
    let expected = Document::Object(HashMap::from([
        ("s".to_owned(), Document::String("x".into())),
        (
            "n".to_owned(),
            Document::Array(vec![
                Document::Number(Number::PosInt(0)),
                Document::Number(Number::Float(-0.0)),
                Document::Number(Number::PosInt(1)),
                Document::Number(Number::NegInt(-1)),
                Document::Number(Number::PosInt(u64::MAX)),
                Document::Number(Number::Float(18446744073709551616.0)),
                Document::Number(Number::NegInt(i64::MIN)),
                Document::Number(Number::Float(-9223372036854775809.0)),
                Document::Number(Number::Float(1.5)),
                Document::Number(Number::Float(100.0)),
            ]),
        ),
        ("b".to_owned(), Document::Bool(true)),
        ("z".to_owned(), Document::Null),
        ("o".to_owned(), Document::Object(HashMap::new())),
    ]));
    assert_eq!(doc, expected);
    assert_eq!(de("null").document().unwrap(), Document::Null);
    assert_err(
        de("1e999").document(),
        "number out of range for a document at byte 0",
    );
    assert_err(
        de(r#"{"a":}"#).document(),
        "expected value, found `}` at byte 5",
    );
}

// ----- depth ----------------------------------------------------------------------------

#[test]
fn depth_limit() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    de(&ok).skip_value().unwrap();
    de(&ok).document().unwrap();
    let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let msg = format!("nesting deeper than 128 at byte {MAX_DEPTH}");
    assert_err(de(&too_deep).skip_value(), &msg);
    assert_err(de(&too_deep).document(), &msg);

    let objects = format!(
        "{}1{}",
        r#"{"a":"#.repeat(MAX_DEPTH + 1),
        "}".repeat(MAX_DEPTH + 1)
    );
    assert_err(
        de(&objects).skip_value(),
        &format!("nesting deeper than 128 at byte {}", MAX_DEPTH * 5),
    );

    // The pull API counts too.
    let mut d = de(&too_deep);
    for _ in 0..MAX_DEPTH {
        assert!(d.begin_array().unwrap());
        assert!(d.has_next_element().unwrap());
    }
    assert_err(d.begin_array(), &msg);
}

#[test]
fn hundred_thousand_brackets() {
    let input = "[".repeat(100_000);
    assert!(de(&input).skip_value().is_err());
    assert!(de(&input).document().is_err());
    let input = r#"{"a":"#.repeat(100_000);
    assert!(de(&input).skip_value().is_err());
    assert!(de(&input).document().is_err());
}

#[test]
fn skip_value_validates_and_stops_at_the_value_end() {
    let mut d = de(r#"[{"a":[1,{"b":"\u00e9"}],"c":-1.5e3},true,"x"] 7"#);
    d.skip_value().unwrap();
    assert_eq!(d.i32().unwrap(), Some(7));
    d.finish().unwrap();

    for (bad, expected) in [
        (r#"[1,,2]"#, "expected value, found `,` at byte 3"),
        (r#"{"a":1,}"#, "expected string key, found `}` at byte 7"),
        (r#"{"a" 1}"#, "expected `:`, found `1` at byte 5"),
        (r#"[1 2]"#, "expected `,` or `]`, found `2` at byte 3"),
        (r#"{"a":[}"#, "expected value, found `}` at byte 6"),
        (r#"[tru]"#, "invalid literal at byte 1"),
        (
            r#"[1.]"#,
            "invalid number: expected digit, found `]` at byte 3",
        ),
        (r#"{"a":1"#, "unexpected end of input at byte 6"),
    ] {
        assert_err(de(bad).skip_value(), expected);
    }
}

// ----- serializer -----------------------------------------------------------------------

fn ser(f: impl FnOnce(&mut JsonSerializer)) -> String {
    let mut s = JsonSerializer::new();
    f(&mut s);
    String::from_utf8(s.finish()).unwrap()
}

#[test]
fn serializer_structure() {
    assert_eq!(
        ser(|s| {
            s.begin_object();
            s.key("a");
            s.begin_array();
            s.i64(1);
            s.begin_object();
            s.end_object();
            s.begin_array();
            s.end_array();
            s.null();
            s.end_array();
            s.key(String::from("b"));
            s.boolean(false);
            s.key("c");
            s.begin_object();
            s.key("d");
            s.u64(u64::MAX);
            s.end_object();
            s.end_object();
        }),
        r#"{"a":[1,{},[],null],"b":false,"c":{"d":18446744073709551615}}"#
    );
    assert_eq!(ser(|s| s.i64(i64::MIN)), "-9223372036854775808");
    assert_eq!(ser(|s| s.i64(0)), "0");
}

#[test]
fn serializer_strings() {
    assert_eq!(ser(|s| s.string("plain")), r#""plain""#);
    assert_eq!(
        ser(|s| s.string("q\"b\\s/\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}é😀")),
        "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0000\\u001f\u{7f}é😀\""
    );
    assert_eq!(ser(|s| s.string(String::from("owned"))), r#""owned""#);
}

#[test]
fn serializer_floats() {
    let cases = [
        (1.0, "1.0"),
        (-1.5, "-1.5"),
        (0.1, "0.1"),
        (-0.0, "-0.0"),
        (1e21, "1e21"),
        (1e300, "1e300"),
        (1e-7, "1e-7"),
        (123456.789, "123456.789"),
        (f64::MAX, "1.7976931348623157e308"),
        (5e-324, "5e-324"),
        (f64::NAN, "\"NaN\""),
        (f64::INFINITY, "\"Infinity\""),
        (f64::NEG_INFINITY, "\"-Infinity\""),
    ];
    for (value, expected) in cases {
        let text = ser(|s| s.f64(value));
        assert_eq!(text, expected);
        // Every output reads back as the same value.
        let back = de(&text).f64().unwrap().unwrap();
        assert!(back == value || (back.is_nan() && value.is_nan()), "{text}");
    }
    assert_eq!(ser(|s| s.f32(0.1)), "0.1");
    assert_eq!(ser(|s| s.f32(f32::NEG_INFINITY)), "\"-Infinity\"");
}

#[test]
fn serializer_timestamps() {
    let cases = [
        (DateTime::from_secs(1652235091), "1652235091"),
        (
            DateTime::from_secs_and_nanos(1652235091, 500_000_000),
            "1652235091.5",
        ),
        (
            DateTime::from_secs_and_nanos(1652235091, 1),
            "1652235091.000000001",
        ),
        (
            DateTime::from_secs_and_nanos(1652235091, 123_456_789),
            "1652235091.123456789",
        ),
        (DateTime::from_secs_and_nanos(-2, 500_000_000), "-1.5"),
        (
            DateTime::from_secs_and_nanos(-1, 999_999_999),
            "-0.000000001",
        ),
        (DateTime::from_secs(0), "0"),
        (DateTime::from_secs(i64::MIN), "-9223372036854775808"),
        (
            DateTime::from_secs_and_nanos(i64::MAX, 999_999_999),
            "9223372036854775807.999999999",
        ),
    ];
    for (value, expected) in cases {
        let text = ser(|s| s.timestamp(&value, TimestampFormat::EpochSeconds));
        assert_eq!(text, expected);
        assert_eq!(epoch(&text).unwrap(), Some(value), "{text}");
    }
    let t = DateTime::from_secs_and_nanos(1652235091, 500_000_000);
    assert_eq!(
        ser(|s| s.timestamp(&t, TimestampFormat::DateTime)),
        r#""2022-05-11T02:11:31.5Z""#
    );
    assert_eq!(
        ser(|s| s.timestamp(&t, TimestampFormat::HttpDate)),
        r#""Wed, 11 May 2022 02:11:31 GMT""#
    );
    for (value, expected) in [
        (
            DateTime::from_secs_and_nanos(1652235091, 1),
            "2022-05-11T02:11:31.000000001Z",
        ),
        (
            DateTime::from_secs_and_nanos(0, 120_000_000),
            "1970-01-01T00:00:00.12Z",
        ),
        (DateTime::from_secs(-1), "1969-12-31T23:59:59Z"),
        (DateTime::from_secs(951_782_400), "2000-02-29T00:00:00Z"),
        (DateTime::from_secs(-62_135_596_800), "0001-01-01T00:00:00Z"),
        (
            DateTime::from_secs_and_nanos(253_402_300_799, 999_999_999),
            "9999-12-31T23:59:59.999999999Z",
        ),
    ] {
        let text = ser(|s| s.timestamp(&value, TimestampFormat::DateTime));
        assert_eq!(text, format!("\"{expected}\""));
        assert_eq!(
            de(&text).timestamp(TimestampFormat::DateTime).unwrap(),
            Some(value)
        );
    }
    assert_eq!(
        ser(|s| s.timestamp(
            &DateTime::from_secs(-62_135_596_801),
            TimestampFormat::DateTime
        )),
        "-62135596801"
    );
    // Outside RFC 3339's years: epoch seconds.
    let far = DateTime::from_secs(i64::MAX);
    assert_eq!(
        ser(|s| s.timestamp(&far, TimestampFormat::DateTime)),
        "9223372036854775807"
    );
}

#[test]
fn serializer_blob_and_document() {
    assert_eq!(ser(|s| s.blob(Blob::new("hello"))), r#""aGVsbG8=""#);
    let empty = Blob::new("");
    assert_eq!(ser(|s| s.blob(&empty)), r#""""#);
    assert_eq!(ser(|s| s.blob(b"\xff\x00".as_slice())), r#""/wA=""#);
    let doc = Document::Array(vec![
        Document::Number(Number::NegInt(-3)),
        Document::Number(Number::PosInt(3)),
        Document::Number(Number::Float(0.5)),
        Document::Number(Number::Float(f64::NAN)),
        Document::String("s".into()),
        Document::Bool(true),
        Document::Null,
        Document::Object(HashMap::from([("k".to_owned(), Document::Array(vec![]))])),
    ]);
    assert_eq!(
        ser(|s| s.document(&doc)),
        r#"[-3,3,0.5,"NaN","s",true,null,{"k":[]}]"#
    );
}

// ----- error code and message -----------------------------------------------------------

fn headers(error_type: Option<&str>) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Some(t) = error_type {
        h.insert("X-Amzn-Errortype", HeaderValue::from_str(t).unwrap());
    }
    h
}

#[track_caller]
fn check_error(header: Option<&str>, body: &str, code: Option<&str>, message: Option<&str>) {
    let (c, m) = parse_error_code_and_message(&headers(header), body.as_bytes());
    assert_eq!(
        (c.as_deref(), m.as_deref()),
        (code, message),
        "{header:?} {body}"
    );
}

#[test]
fn error_codes() {
    check_error(
        None,
        r#"{"__type":"NotFoundException","code":"NotFound","message":"m"}"#,
        Some("NotFoundException"),
        Some("m"),
    );
    // `__type` wins over `code` whatever the order.
    check_error(
        None,
        r#"{"code":"NotFound","__type":"NotFoundException"}"#,
        Some("NotFoundException"),
        None,
    );
    check_error(
        None,
        r#"{"code":"NotFound","message":"m"}"#,
        Some("NotFound"),
        Some("m"),
    );
    // The header wins over the body.
    check_error(
        Some("AccessDeniedException"),
        r#"{"__type":"NotFoundException","message":"m"}"#,
        Some("AccessDeniedException"),
        Some("m"),
    );
    check_error(
        Some("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
        "{}",
        Some("FooError"),
        None,
    );
    check_error(
        None,
        r#"{"__type":"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#,
        Some("FooError"),
        None,
    );
    check_error(
        None,
        r#"{"__type":"com.amazon.coral.service#ServiceUnavailableException"}"#,
        Some("ServiceUnavailableException"),
        None,
    );
    // Only the first `#` ends the namespace (awsJson rule, as smithy-rs).
    check_error(
        None,
        r#"{"__type":"a#b#FooError"}"#,
        Some("b#FooError"),
        None,
    );
    check_error(None, r#"{"__type":"FooError:"}"#, Some("FooError"), None);
    check_error(None, r#"{"__type":"FooError:x#y"}"#, Some("FooError"), None);
    // Message fallbacks, in priority order regardless of position.
    check_error(None, r#"{"Message":"M","message":"m"}"#, None, Some("m"));
    check_error(
        None,
        r#"{"errorMessage":"e","Message":"M"}"#,
        None,
        Some("M"),
    );
    check_error(None, r#"{"errorMessage":"e"}"#, None, Some("e"));
    check_error(None, r#"{"message":null,"Message":"M"}"#, None, Some("M"));
    check_error(None, r#"{"message":"esc\u00e9"}"#, None, Some("escé"));
    // Only top-level keys count.
    check_error(
        None,
        r#"{"details":{"__type":"Inner","message":"inner"},"list":[{"code":"X"}]}"#,
        None,
        None,
    );
    // Non-string values are ignored.
    check_error(
        None,
        r#"{"__type":5,"code":"C","message":{"a":1}}"#,
        Some("C"),
        None,
    );
    // Empty codes are absent.
    check_error(None, r#"{"__type":"","code":"C"}"#, Some("C"), None);
    check_error(Some(""), r#"{"__type":"T"}"#, Some("T"), None);
}

#[test]
fn error_codes_bad_bodies() {
    check_error(
        None,
        "<html><body>502 Bad Gateway</body></html>",
        None,
        None,
    );
    check_error(Some("Throttling"), "<html>", Some("Throttling"), None);
    check_error(None, "", None, None);
    check_error(Some("X"), "", Some("X"), None);
    check_error(None, r#"{"__type":"T","message":"m""#, None, None);
    check_error(
        Some("H"),
        r#"{"__type":"T","message":"m"} trailing"#,
        Some("H"),
        None,
    );
    check_error(None, r#"["__type","T"]"#, None, None);
    check_error(None, r#""__type""#, None, None);
    check_error(None, "null", None, None);
    let deep = format!(r#"{{"a":{}}}"#, "[".repeat(100_000));
    check_error(None, &deep, None, None);
    // Header values that are not visible ASCII fall back to the body.
    let mut h = HeaderMap::new();
    h.insert(
        "x-amzn-errortype",
        HeaderValue::from_bytes(b"\xffbad").unwrap(),
    );
    assert_eq!(
        parse_error_code_and_message(&h, br#"{"__type":"T"}"#),
        (Some("T".to_owned()), None)
    );
}

#[test]
fn error_display_and_accessors() {
    let e = de("{").string().unwrap_err();
    assert_eq!(e.offset(), Some(0));
    assert_eq!(e.message(), "expected string, found `{`");
    let e = DeserializeError::custom("missing required member `name`");
    assert_eq!(e.to_string(), "missing required member `name`");
    assert_eq!(e.offset(), None);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e.clone());
    assert_eq!(boxed.to_string(), e.to_string());
    // Errors quote at most one byte of a long input.
    let long = format!("[{}", "x".repeat(10_000));
    let e = de(&long).skip_value().unwrap_err();
    assert!(e.to_string().len() < 64, "{e}");
}

#[test]
fn big_numbers_keep_their_text() {
    let mut d =
        JsonDeserializer::new(br#"[123456789012345678901234567890, -1.5e300, null, 1.5, "x"]"#);
    assert!(d.begin_array().unwrap());
    assert!(d.has_next_element().unwrap());
    let big = d.big_integer().unwrap().expect("a number");
    assert_eq!(big.as_ref(), "123456789012345678901234567890");
    assert!(d.has_next_element().unwrap());
    let dec = d.big_decimal().unwrap().expect("a number");
    assert_eq!(dec.as_ref(), "-1.5e300");
    assert!(d.has_next_element().unwrap());
    assert_eq!(d.big_integer().unwrap(), None);
    assert!(d.has_next_element().unwrap());
    let err = d.big_integer().unwrap_err();
    assert!(err.to_string().contains("not a valid big integer"), "{err}");

    let mut s = JsonSerializer::new();
    s.begin_array();
    s.big_number(big.as_ref());
    s.big_number("+7");
    s.big_number(dec.as_ref());
    s.end_array();
    assert_eq!(s.finish(), b"[123456789012345678901234567890,7,-1.5e300]");
}
