//! Round trips of the golden crates' shapes through serde_json (their `serde` feature).
//!
//! Compiled and run as the `serde-roundtrip` crate of the golden workspace by
//! `golden_crates_compile_without_warnings_and_pass_their_tests` in `tests/golden.rs`;
//! not a test target of `codegen` itself.

#![cfg(test)]

use std::collections::HashMap;
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// value -> JSON -> value, which must be equal; returns the JSON.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("serialize");
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(&back, value, "{json}");
    json
}

// Matching `Unknown` is deprecated (as in aws-sdk-rust); these tests check exactly it.
#[allow(deprecated)]
#[test]
fn enums() {
    use enums::operation::put_colors::{PutColorsInput, PutColorsOutput};
    use enums::types::{Color, Level};

    for (color, json) in [
        (Color::Red, r#""red""#),
        (Color::DarkGreen, r#""dark-green""#),
        (Color::UnknownValue, r#""UNKNOWN""#),
        (Color::from("blue"), r#""blue""#),
    ] {
        assert_eq!(round_trip(&color), json);
    }
    assert!(
        matches!(serde_json::from_str(r#""blue""#), Ok(Color::Unknown(v)) if v.as_str() == "blue")
    );
    for (level, json) in [
        (Level::Low, "1"),
        (Level::High, "10"),
        (Level::from(7), "7"),
    ] {
        assert_eq!(round_trip(&level), json);
    }
    assert_eq!(
        serde_json::from_str::<Level>("7").ok(),
        Some(Level::Unknown(7))
    );

    let input = PutColorsInput::builder()
        .color(Color::DarkGreen)
        .palette(Color::Red)
        .palette(Color::from("mauve"))
        .level(Level::High)
        .build()
        .expect("input");
    assert_eq!(
        round_trip(&input),
        r#"{"color":"dark-green","palette":["red","mauve"],"level":10}"#
    );
    // Enum keys of maps are their wire strings.
    let output = PutColorsOutput::builder()
        .by_name(Color::Red, "r".to_string())
        .level(Level::from(3))
        .build();
    assert_eq!(round_trip(&output), r#"{"byName":{"red":"r"},"level":3}"#);
    round_trip(&PutColorsOutput::builder().build());
}

#[test]
fn errors() {
    use errors::error::ProvideErrorMetadata;
    use errors::types::error::{Broken, NotFound, Throttled};

    let broken = Broken::builder().message("boom").build();
    assert_eq!(round_trip(&broken), r#"{"Message":"boom"}"#);
    let not_found = NotFound::builder().message("gone").code("E1").build();
    assert_eq!(round_trip(&not_found), r#"{"message":"gone","code":"E1"}"#);
    assert_eq!(round_trip(&Throttled::builder().build()), "{}");

    // The metadata is not a member: it is not serialized, and a deserialized error has none.
    let meta = errors::error::ErrorMetadata::builder()
        .code("Throttled")
        .request_id("req")
        .build();
    let throttled = Throttled::builder().meta(meta).build();
    assert_eq!(serde_json::to_string(&throttled).expect("serialize"), "{}");
    let back: Throttled = serde_json::from_str("{}").expect("deserialize");
    assert_eq!(back.meta().code(), None);

    let risky = errors::operation::risky::RiskyInput::builder()
        .id("abc")
        .count(2)
        .build()
        .expect("input");
    assert_eq!(round_trip(&risky), r#"{"id":"abc","count":2}"#);
}

#[test]
fn keywords() {
    use keywords::operation::r#match::{MatchInput, MatchOutput};
    use keywords::types::ResultValue;

    let input = MatchInput::builder()
        .r#type("t")
        .self_("s")
        .build_value("b")
        .meta_value("m")
        .key("k")
        .value("v")
        .d("d")
        .build()
        .expect("input");
    assert_eq!(
        round_trip(&input),
        r#"{"type":"t","self":"s","build":"b","meta":"m","key":"k","value":"v","d":"d"}"#
    );
    let output = MatchOutput::builder()
        .r#async(true)
        .to_port(80)
        .key("k")
        .value(ResultValue::builder().option("o").build())
        .build();
    let json = round_trip(&output);
    assert!(
        json.starts_with(r#"{"async":true,"toPort":80,"key":"k","value":{"option":"o"}"#),
        "{json}"
    );
    // The request id is not a member.
    let with_id = MatchOutput::builder()._request_id("req").build();
    assert!(!serde_json::to_string(&with_id)
        .expect("serialize")
        .contains("req"));
}

#[test]
fn legacy_non_optional_members() {
    use legacy::operation::ping::{PingInput, PingOutput};
    use legacy::types::Mode;

    let input = PingInput::builder()
        .mode(Mode::Slow)
        .count(1)
        .build()
        .expect("input");
    assert_eq!(round_trip(&input), r#"{"mode":"slow","count":1}"#);
    // A non-optional member is always written, and must be present on input.
    let output = PingOutput::builder().build();
    let json = round_trip(&output);
    assert!(json.contains(r#""count":"#), "{json}");
    let full = PingOutput::builder().count(3).boxed(4).tags("a").build();
    round_trip(&full);
    assert!(serde_json::from_str::<PingOutput>("{}").is_err());
}

#[test]
fn recursion() {
    use recursion::operation::get_tree::GetTreeOutput;
    use recursion::types::{Node, Partner};

    let leaf = Node::builder().name("leaf").build().expect("node");
    let root = Node::builder()
        .name("root")
        .parent(leaf.clone())
        .children(leaf.clone())
        .attributes("a", leaf.clone())
        .partner(Partner::builder().node(leaf.clone()).build())
        .build()
        .expect("node");
    let json = round_trip(&root);
    assert!(
        json.contains(r#""partner":{"node":{"name":"leaf"}}"#),
        "{json}"
    );
    round_trip(&GetTreeOutput::builder().root(root).build());
    // `name` is required and has no default.
    assert!(serde_json::from_str::<Node>(r#"{"children":[]}"#).is_err());
}

#[test]
#[allow(deprecated)]
fn scalars() {
    use scalars::operation::echo::{EchoInput, EchoOutput};
    use scalars::primitives::{Blob, DateTime, Document, Number};

    let doc = Document::Object(HashMap::from([
        (
            "list".to_string(),
            Document::Array(vec![Document::Null, Document::Bool(false)]),
        ),
        ("n".to_string(), Document::Number(Number::NegInt(-3))),
        ("f".to_string(), Document::Number(Number::Float(0.25))),
        ("s".to_string(), Document::String("x".into())),
    ]));
    let input = EchoInput::builder()
        .epoch(DateTime::from_secs_and_nanos(1_700_000_000, 123))
        .iso(DateTime::from_secs_and_nanos(-1, 5))
        .http(DateTime::from_secs(0))
        .byte(-8)
        .short(300)
        .long(i64::MIN)
        .float(1.5)
        .double(-2.25e300)
        .flag(true)
        .blob(Blob::new(b"\x00\xffbytes".to_vec()))
        .doc(doc.clone())
        .secret("hunter2")
        .sparse_list(Some("a".into()))
        .sparse_list(None)
        .sparse_map("x", Some(1))
        .sparse_map("y", None)
        .nested(vec![Some("n".into()), None])
        .old("legacy")
        .build()
        .expect("input");
    let json = round_trip(&input);
    for part in [
        r#""epoch":"2023-11-14T22:13:20.000000123Z""#,
        r#""iso":"1969-12-31T23:59:59.000000005Z""#,
        r#""http":"1970-01-01T00:00:00Z""#,
        r#""blob":"AP9ieXRlcw==""#,
        r#""doc":{"f":0.25,"list":[null,false],"n":-3,"s":"x"}"#,
        r#""sparseList":["a",null]"#,
        r#""nested":[["n",null]]"#,
        r#""long":-9223372036854775808"#,
    ] {
        assert!(json.contains(part), "{part} in {json}");
    }
    round_trip(&EchoInput::builder().build().expect("input"));
    let output = EchoOutput::builder()
        .epoch(DateTime::from_secs_and_nanos(1, 1))
        .doc(Document::Null)
        .flag(false)
        .build();
    round_trip(&output);
    // Epoch seconds are accepted for timestamps.
    let back: EchoInput = serde_json::from_str(r#"{"epoch":1700000000.5}"#).expect("deserialize");
    assert_eq!(
        back.epoch(),
        Some(&DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000))
    );
}

#[test]
fn unions() {
    use unions::operation::describe::{DescribeInput, DescribeOutput};
    use unions::primitives::Blob;
    use unions::types::Value;

    let cases = [
        (Value::Text("x".into()), r#"{"text":"x"}"#),
        (Value::Count(3), r#"{"count":3}"#),
        (
            Value::Nested(Box::new(Value::Nothing)),
            r#"{"nested":{"nothing":{}}}"#,
        ),
        (
            Value::Items(vec![Value::Count(1), Value::Text("y".into())]),
            r#"{"items":[{"count":1},{"text":"y"}]}"#,
        ),
        (Value::Nothing, r#"{"nothing":{}}"#),
        (Value::Blob(Blob::new(b"hi".to_vec())), r#"{"blob":"aGk="}"#),
    ];
    for (value, json) in cases {
        assert_eq!(round_trip(&value), json);
        let input = DescribeInput::builder()
            .value(value.clone())
            .build()
            .expect("input");
        assert_eq!(round_trip(&input), format!(r#"{{"value":{json}}}"#));
        round_trip(&DescribeOutput::builder().value(value).build());
    }
    // As on the wire: a type tag and null members are not members.
    let tagged: Value =
        serde_json::from_str(r#"{"__type":"Value","text":null,"count":2}"#).expect("deserialize");
    assert_eq!(tagged, Value::Count(2));
    // An unknown member gives `Unknown`, which cannot be serialized back.
    let unknown: Value = serde_json::from_str(r#"{"addedLater":[1]}"#).expect("deserialize");
    assert!(unknown.is_unknown());
    let err = serde_json::to_string(&unknown).expect_err("Unknown is not serializable");
    assert!(
        err.to_string()
            .contains("cannot serialize `Value::Unknown`"),
        "{err}"
    );
    let output = DescribeOutput::builder().value(unknown).build();
    assert!(serde_json::to_string(&output).is_err());
    // An object without a member is not a union value.
    let err = serde_json::from_str::<Value>("{}").expect_err("empty");
    assert!(
        err.to_string().contains("one member of union `Value`"),
        "{err}"
    );
}
