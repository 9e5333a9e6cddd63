//! serde support for the value types of generated shapes (feature `serde`).
//!
//! Generated crates derive `serde::Serialize` and `serde::Deserialize` for their shapes
//! when their own `serde` feature is on, on stable Rust. aws-smithy-types' [`DateTime`],
//! [`Blob`], [`Document`], [`BigInteger`] and [`BigDecimal`] only implement serde behind
//! `--cfg aws_sdk_unstable`, so generated fields holding them (directly or inside
//! `Option`, `Vec`, `HashMap<K, _>` or `Box`) use this module as a `with` adapter:
//!
//! ```ignore
//! #[serde(rename = "createdAt", with = "awsjson_runtime::serde_support")]
//! pub created_at: Option<DateTime>,
//! ```
//!
//! # Formats
//!
//! For human-readable formats (JSON, YAML, TOML, ...):
//!
//! - [`DateTime`]: an RFC 3339 UTC string with as many fraction digits as needed, exact to
//!   the nanosecond: `"2022-05-11T02:11:31.5Z"`, `"2022-05-11T02:11:31.000000001Z"`.
//!   Input may also be an RFC 3339 string with an offset (converted to UTC) or a number
//!   of seconds since the Unix epoch (`1652235091` or `1652235091.5`; fractions of a
//!   float are only as exact as an `f64`). Instants outside the years 1 to 9999, which
//!   RFC 3339 cannot write, are written as epoch seconds: an integer when whole, the
//!   nearest `f64` otherwise.
//! - [`Blob`]: a base64 string (standard alphabet, padded).
//! - [`Document`]: the plain JSON value it holds (objects with sorted keys, so output is
//!   deterministic). A present `null` is `Document::Null`, also in an `Option` (absent
//!   members are `None`), so `Some(Document::Null)` round-trips.
//! - [`BigInteger`] and [`BigDecimal`]: their decimal text as a string (`"1e400"`), so
//!   no precision is lost; numbers are accepted on input.
//!
//! For compact binary formats (`is_human_readable() == false`): a `DateTime` is a tuple
//! `(seconds: i64, subsecond_nanos: u32)` and a `Blob` is bytes. Documents need a
//! self-describing format to be read back.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::json::timestamp::{parse_string_timestamp, write_rfc3339, TimestampFormat};

/// A type this module can (de)serialize: one of the foreign value types, or an `Option`,
/// `Vec`, `Box` or `HashMap` of them (nested to any depth).
pub trait SerdeAdapter: Sized {
    /// Serializes `self` in this module's format.
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;

    /// Deserializes a value in this module's format.
    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// Whether `null` is a value of this type (`Document::Null`), so that an `Option` of it
    /// reads a present `null` as `Some`.
    #[doc(hidden)]
    const NULL_IS_VALUE: bool = false;
}

/// The `serialize` half of `#[serde(with = "awsjson_runtime::serde_support")]`.
pub fn serialize<T: SerdeAdapter, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize_with(serializer)
}

/// The `deserialize` half of `#[serde(with = "awsjson_runtime::serde_support")]`.
pub fn deserialize<'de, T: SerdeAdapter, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::deserialize_with(deserializer)
}

/// Borrows a [`SerdeAdapter`] value as something that implements [`Serialize`].
#[doc(hidden)]
pub struct AsSerialize<'a, T>(pub &'a T);

impl<T: SerdeAdapter> Serialize for AsSerialize<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_with(serializer)
    }
}

/// Owns a [`SerdeAdapter`] value read through [`Deserialize`].
#[doc(hidden)]
pub struct FromDeserialize<T>(pub T);

impl<'de, T: SerdeAdapter> Deserialize<'de> for FromDeserialize<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_with(deserializer).map(FromDeserialize)
    }
}

// --- Containers -----------------------------------------------------------------------

impl<T: SerdeAdapter> SerdeAdapter for Option<T> {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&AsSerialize(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if T::NULL_IS_VALUE {
            // `Some(Document::Null)` is written as `null`; read it back the same.
            return T::deserialize_with(deserializer).map(Some);
        }
        Ok(Option::<FromDeserialize<T>>::deserialize(deserializer)?.map(|v| v.0))
    }
}

impl<T: SerdeAdapter> SerdeAdapter for Box<T> {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_with(serializer)
    }

    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_with(deserializer).map(Box::new)
    }

    const NULL_IS_VALUE: bool = T::NULL_IS_VALUE;
}

impl<T: SerdeAdapter> SerdeAdapter for Vec<T> {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(AsSerialize))
    }

    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<FromDeserialize<T>>::deserialize(deserializer)?;
        Ok(items.into_iter().map(|v| v.0).collect())
    }
}

impl<K, T> SerdeAdapter for HashMap<K, T>
where
    K: Serialize + DeserializeOwned + Eq + Hash + Ord,
    T: SerdeAdapter,
{
    /// Entries are written in key order, so the output is deterministic.
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<(&K, &T)> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        serializer.collect_map(entries.into_iter().map(|(k, v)| (k, AsSerialize(v))))
    }

    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = HashMap::<K, FromDeserialize<T>>::deserialize(deserializer)?;
        Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

// --- DateTime -------------------------------------------------------------------------

impl SerdeAdapter for DateTime {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return (self.secs(), self.subsec_nanos()).serialize(serializer);
        }
        let mut out = Vec::with_capacity(32);
        if write_rfc3339(&mut out, self) {
            // Quoted ASCII: strip the quotes.
            let text = std::str::from_utf8(&out[1..out.len() - 1]).map_err(ser::Error::custom)?;
            serializer.serialize_str(text)
        } else if self.subsec_nanos() == 0 {
            serializer.serialize_i64(self.secs())
        } else {
            serializer.serialize_f64(self.as_secs_f64())
        }
    }

    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            let (secs, nanos) = <(i64, u32)>::deserialize(deserializer)?;
            if nanos >= 1_000_000_000 {
                return Err(de::Error::custom(format!(
                    "subsecond nanoseconds out of range: {nanos}"
                )));
            }
            return Ok(DateTime::from_secs_and_nanos(secs, nanos));
        }
        deserializer.deserialize_any(DateTimeVisitor)
    }
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp string or a number of epoch seconds")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        parse_string_timestamp(v, TimestampFormat::DateTime)
            .ok_or_else(|| E::custom(format!("invalid RFC 3339 timestamp: `{v}`")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
        i64::try_from(v)
            .map(DateTime::from_secs)
            .map_err(|_| E::custom(format!("epoch seconds out of range: {v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
        // Within ±2^63 seconds; `from_secs_f64` would saturate silently.
        if v.is_finite() && v.abs() < 9.2e18 {
            Ok(DateTime::from_secs_f64(v))
        } else {
            Err(E::custom(format!("epoch seconds out of range: {v}")))
        }
    }
}

// --- Blob -----------------------------------------------------------------------------

impl SerdeAdapter for Blob {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&aws_smithy_types::base64::encode(self.as_ref()))
        } else {
            serializer.serialize_bytes(self.as_ref())
        }
    }

    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_str(BlobVisitor)
        } else {
            deserializer.deserialize_byte_buf(BlobVisitor)
        }
    }
}

struct BlobVisitor;

impl<'de> Visitor<'de> for BlobVisitor {
    type Value = Blob;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
        aws_smithy_types::base64::decode(v)
            .map(Blob::new)
            .map_err(|_| E::custom("invalid base64 in blob"))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Blob, E> {
        Ok(Blob::new(v.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Blob, E> {
        Ok(Blob::new(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Blob, A::Error> {
        let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(b) = seq.next_element::<u8>()? {
            bytes.push(b);
        }
        Ok(Blob::new(bytes))
    }
}

// --- Document -------------------------------------------------------------------------

impl SerdeAdapter for Document {
    fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut m = serializer.serialize_map(Some(map.len()))?;
                for k in keys {
                    m.serialize_entry(k, &AsSerialize(&map[k]))?;
                }
                m.end()
            }
            Document::Array(items) => serializer.collect_seq(items.iter().map(AsSerialize)),
            Document::Number(Number::PosInt(v)) => serializer.serialize_u64(*v),
            Document::Number(Number::NegInt(v)) => serializer.serialize_i64(*v),
            Document::Number(Number::Float(v)) => serializer.serialize_f64(*v),
            Document::String(s) => serializer.serialize_str(s),
            Document::Bool(b) => serializer.serialize_bool(*b),
            Document::Null => serializer.serialize_unit(),
        }
    }

    fn deserialize_with<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }

    const NULL_IS_VALUE: bool = true;
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Document, D::Error> {
        Document::deserialize_with(deserializer)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Document, E> {
        Ok(Document::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Document, E> {
        Ok(Document::Number(Number::PosInt(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Document, E> {
        Ok(Document::Number(if v < 0 {
            Number::NegInt(v)
        } else {
            Number::PosInt(v.unsigned_abs())
        }))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Document, E> {
        Ok(Document::Number(Number::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Document, E> {
        Ok(Document::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Document, E> {
        Ok(Document::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<FromDeserialize<Document>>()? {
            items.push(item.0);
        }
        Ok(Document::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut out = HashMap::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some((k, v)) = map.next_entry::<String, FromDeserialize<Document>>()? {
            out.insert(k, v.0);
        }
        Ok(Document::Object(out))
    }
}

// --- BigInteger, BigDecimal -----------------------------------------------------------

macro_rules! big_number {
    ($ty:ident, $what:literal) => {
        impl SerdeAdapter for $ty {
            fn serialize_with<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_ref())
            }

            fn deserialize_with<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                struct BigVisitor;

                impl Visitor<'_> for BigVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", $what, " as a string or a number"))
                    }

                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse()
                            .map_err(|e| E::custom(format!(concat!("invalid ", $what, ": {}"), e)))
                    }

                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }

                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }

                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                        self.visit_str(&v.to_string())
                    }
                }

                deserializer.deserialize_any(BigVisitor)
            }
        }
    };
}

big_number!(BigInteger, "big integer");
big_number!(BigDecimal, "big decimal");

// --- Helpers for generated enums and unions -------------------------------------------

/// Deserializes a string enum from any string (`From<&str>` keeps unknown values).
#[doc(hidden)]
pub fn deserialize_string_enum<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    struct EnumVisitor<T>(std::marker::PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }

    deserializer.deserialize_str(EnumVisitor(std::marker::PhantomData))
}

/// The value of a unit member of a union: an empty object (`{}`), as on the wire.
#[doc(hidden)]
pub struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

/// The error for serializing a union's `Unknown` variant, which holds no value.
#[doc(hidden)]
pub fn unknown_union_variant<E: ser::Error>(union: &str) -> E {
    E::custom(format!(
        "cannot serialize `{union}::Unknown`: the variant was received from a newer service \
         and its value was not kept"
    ))
}

/// The error for a union object without a member.
#[doc(hidden)]
pub fn empty_union<E: de::Error>(union: &str) -> E {
    E::custom(format!(
        "expected an object with one member of union `{union}`"
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
    use serde::{Deserialize, Serialize};

    /// Every container shape generated fields can have.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Fields {
        #[serde(with = "super")]
        at: DateTime,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        maybe: Option<DateTime>,
        #[serde(with = "super")]
        list: Vec<Option<Blob>>,
        #[serde(with = "super")]
        map: HashMap<String, Vec<DateTime>>,
        #[serde(with = "super")]
        boxed: Option<Box<Document>>,
        #[serde(with = "super")]
        big: Option<BigInteger>,
        #[serde(with = "super")]
        dec: BigDecimal,
    }

    fn ts(secs: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    fn sample() -> Fields {
        Fields {
            at: ts(1_652_235_091, 500_000_000),
            maybe: None,
            list: vec![Some(Blob::new(b"hi".to_vec())), None],
            map: HashMap::from([("b".to_string(), vec![ts(0, 1)]), ("a".to_string(), vec![])]),
            boxed: Some(Box::new(Document::Object(HashMap::from([
                ("z".to_string(), Document::Number(Number::NegInt(-1))),
                (
                    "y".to_string(),
                    Document::Array(vec![Document::Null, Document::Bool(true)]),
                ),
                ("x".to_string(), Document::Number(Number::Float(1.5))),
                ("w".to_string(), Document::Number(Number::PosInt(u64::MAX))),
                ("v".to_string(), Document::String("s".into())),
            ])))),
            big: Some("123456789012345678901234567890".parse().unwrap()),
            dec: "-1.5e400".parse().unwrap(),
        }
    }

    #[test]
    fn json_round_trip_and_text() {
        let value = sample();
        let text = serde_json::to_string(&value).unwrap();
        assert_eq!(
            text,
            r#"{"at":"2022-05-11T02:11:31.5Z","list":["aGk=",null],"map":{"a":[],"b":["1970-01-01T00:00:00.000000001Z"]},"boxed":{"v":"s","w":18446744073709551615,"x":1.5,"y":[null,true],"z":-1},"big":"123456789012345678901234567890","dec":"-1.5e400"}"#
        );
        assert_eq!(serde_json::from_str::<Fields>(&text).unwrap(), value);
    }

    #[test]
    fn timestamps_are_exact_and_accept_epoch_seconds() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct T(#[serde(with = "super")] DateTime);
        for (t, text) in [
            (
                ts(1_652_235_091, 123_456_789),
                r#""2022-05-11T02:11:31.123456789Z""#,
            ),
            (ts(-1, 999_999_999), r#""1969-12-31T23:59:59.999999999Z""#),
            (ts(0, 0), r#""1970-01-01T00:00:00Z""#),
            // Outside RFC 3339's years: epoch seconds.
            (ts(-62_135_596_801, 0), "-62135596801"),
            (ts(253_402_300_800, 0), "253402300800"),
        ] {
            assert_eq!(serde_json::to_string(&T(t)).unwrap(), text);
            assert_eq!(serde_json::from_str::<T>(text).unwrap(), T(t));
        }
        assert_eq!(
            serde_json::from_str::<T>("1652235091.5").unwrap(),
            T(ts(1_652_235_091, 500_000_000))
        );
        assert_eq!(
            serde_json::from_str::<T>("1652235091").unwrap(),
            T(ts(1_652_235_091, 0))
        );
        assert_eq!(
            serde_json::from_str::<T>(r#""2022-05-11T04:11:31.5+02:00""#).unwrap(),
            T(ts(1_652_235_091, 500_000_000))
        );
        for bad in [r#""yesterday""#, "true", "1e300", r#"{}"#] {
            assert!(serde_json::from_str::<T>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_present_null_document_is_some() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct D {
            #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
            doc: Option<Document>,
        }
        assert_eq!(serde_json::from_str::<D>("{}").unwrap(), D { doc: None });
        let null = D {
            doc: Some(Document::Null),
        };
        assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"doc":null}"#);
        assert_eq!(serde_json::from_str::<D>(r#"{"doc":null}"#).unwrap(), null);
    }

    #[test]
    fn blobs_reject_bad_base64() {
        #[derive(Debug, Deserialize)]
        struct B(
            #[serde(with = "super")]
            #[allow(dead_code)]
            Blob,
        );
        assert!(serde_json::from_str::<B>(r#""!!""#).is_err());
        assert!(serde_json::from_str::<B>(r#""""#).is_ok());
    }

    #[test]
    fn string_enum_helper_and_union_errors() {
        #[derive(Debug, PartialEq)]
        struct E(String);
        impl From<&str> for E {
            fn from(v: &str) -> Self {
                E(v.to_string())
            }
        }
        let mut d = serde_json::Deserializer::from_str(r#""ACTIVE""#);
        let e: E = super::deserialize_string_enum(&mut d).unwrap();
        assert_eq!(e, E("ACTIVE".into()));
        assert_eq!(serde_json::to_string(&super::EmptyObject).unwrap(), "{}");
        let err: serde_json::Error = super::unknown_union_variant("Value");
        assert!(err.to_string().contains("`Value::Unknown`"), "{err}");
    }
}
