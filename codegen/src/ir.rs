//! The resolved, validated shape graph the emitters read. Every name here is final:
//! both the wire name (as in the model) and the Rust name are kept.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// The AWS JSON protocol version of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
}

impl Protocol {
    /// The version in `application/x-amz-json-{version}`.
    pub fn version(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "1.0",
            Protocol::AwsJson1_1 => "1.1",
        }
    }
}

/// The service and everything reachable from the chosen operations.
#[derive(Debug, Clone)]
pub struct Service {
    /// Absolute shape id of the service.
    pub id: String,
    /// The service shape's name: the `X-Amz-Target` prefix.
    pub target_prefix: String,
    /// `aws.api#service` sdkId.
    pub sdk_id: String,
    /// The service version.
    pub version: String,
    /// The SigV4 signing name.
    pub signing_name: String,
    /// The protocol.
    pub protocol: Protocol,
    /// `smithy.api#title`.
    pub title: Option<String>,
    /// The service's documentation (HTML).
    pub docs: Option<String>,
    /// `smithy.rules#endpointRuleSet`, as JSON.
    pub endpoint_rules: Option<Value>,
    /// `smithy.rules#endpointTests` test cases.
    pub endpoint_tests: Vec<Value>,
    /// The chosen operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Named shapes (structures, unions, enums) by shape id.
    pub shapes: BTreeMap<String, Shape>,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Absolute shape id.
    pub id: String,
    /// The wire name (`X-Amz-Target` suffix), e.g. `GetContainerServiceDeployments`.
    pub name: String,
    /// The Rust module and client method name.
    pub module: String,
    /// Shape id of the (synthesized) input structure.
    pub input: String,
    /// Shape id of the (synthesized) output structure.
    pub output: String,
    /// Shape ids of the errors (operation errors, then service errors), sorted.
    pub errors: Vec<String>,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#endpoint` `hostPrefix`, e.g. `foo.{label}.`.
    pub host_prefix: Option<String>,
    /// `smithy.api#requestCompression`: whether to gzip large request bodies.
    pub request_compression: bool,
}

/// `smithy.api#deprecated`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deprecated {
    /// Why and what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

impl Deprecated {
    /// The note for `#[deprecated(note = ...)]`.
    pub fn note(&self) -> String {
        match (&self.message, &self.since) {
            (Some(m), Some(s)) => format!("{m} (deprecated since {s})"),
            (Some(m), None) => m.clone(),
            (None, Some(s)) => format!("deprecated since {s}"),
            (None, None) => "deprecated".to_string(),
        }
    }
}

/// What a structure is used for; it decides nullability and generated extras.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// An operation input: every member is optional on the client.
    Input,
    /// An operation output: carries a request id.
    Output,
    /// An error structure.
    Error,
    /// Any other structure.
    Plain,
}

/// A named shape that becomes a Rust type.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Absolute shape id.
    pub id: String,
    /// Name in the model (the error code of an error shape).
    pub name: String,
    /// The Rust type name.
    pub rust_name: String,
    /// The Rust module holding the type.
    pub module: String,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
    /// The operations that reach this shape (for per-operation features).
    pub operations: BTreeSet<String>,
    /// The shape's kind and contents.
    pub kind: ShapeKind,
}

/// The contents of a named shape.
#[derive(Debug, Clone)]
pub enum ShapeKind {
    /// A structure.
    Structure(Structure),
    /// A tagged union.
    Union(Vec<Member>),
    /// A string enum.
    Enum(Vec<EnumVariant>),
    /// An integer enum.
    IntEnum(Vec<IntEnumVariant>),
}

impl ShapeKind {
    /// The members of a structure or union; enums have none.
    pub fn members(&self) -> &[Member] {
        match self {
            ShapeKind::Structure(s) => &s.members,
            ShapeKind::Union(members) => members,
            ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => &[],
        }
    }

    /// The members of a structure or union, to change them.
    pub fn members_mut(&mut self) -> &mut [Member] {
        match self {
            ShapeKind::Structure(s) => &mut s.members,
            ShapeKind::Union(members) => members,
            ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => &mut [],
        }
    }

    /// The named shapes the members refer to, directly or through lists and maps.
    pub fn named_targets(&self) -> Vec<String> {
        let mut out = Vec::new();
        for m in self.members() {
            m.target.named(&mut out);
        }
        out
    }
}

/// A structure.
#[derive(Debug, Clone)]
pub struct Structure {
    /// Input, output, error or plain.
    pub role: Role,
    /// Members in model order.
    pub members: Vec<Member>,
    /// For errors: `client` or `server` and the HTTP status.
    pub error: Option<ErrorTrait>,
}

impl Structure {
    /// Whether the builder's `build()` can fail: inputs always (they are validated),
    /// other structures when a member is required and has no default.
    pub fn fallible_build(&self) -> bool {
        self.role == Role::Input || self.members.iter().any(|m| m.required_no_default())
    }
}

/// `smithy.api#error` and `smithy.api#httpError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorTrait {
    /// `true` for `server` faults.
    pub server: bool,
    /// The HTTP status code, if modeled.
    pub http_status: Option<u16>,
}

/// An enum variant.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: String,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
}

/// An intEnum variant.
#[derive(Debug, Clone)]
pub struct IntEnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub value: i32,
    /// Documentation (HTML).
    pub docs: Option<String>,
}

/// A member of a structure or union.
#[derive(Debug, Clone)]
pub struct Member {
    /// The JSON key.
    pub wire_name: String,
    /// The Rust field / accessor / builder method name (maybe `r#`-escaped).
    pub field: String,
    /// The member's type.
    pub target: Type,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
    /// `smithy.api#required`.
    pub required: bool,
    /// The default value (`smithy.api#default`), when not null.
    pub default: Option<Value>,
    /// Whether the field must be boxed (recursive shape).
    pub boxed: bool,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#sensitive` on the member or its target.
    pub sensitive: bool,
    /// `smithy.api#length` of the member or its target.
    pub length: Option<Bounds>,
    /// `smithy.api#range` of the member or its target.
    pub range: Option<Bounds>,
    /// `smithy.api#hostLabel`: the value fills `{member}` in the operation's host prefix.
    pub host_label: bool,
}

impl Member {
    /// Required without a default: a client must set it; a server must send it.
    pub fn required_no_default(&self) -> bool {
        self.required && self.default.is_none() && !self.optional
    }

    /// The Rust field name without `r#`.
    pub fn bare_field(&self) -> &str {
        self.field.trim_start_matches("r#")
    }
}

/// Inclusive bounds from `length` or `range`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds {
    /// Lower bound.
    pub min: Option<f64>,
    /// Upper bound.
    pub max: Option<f64>,
}

/// The wire format of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimestampFormat {
    /// Seconds since the epoch as a JSON number (the awsJson default).
    EpochSeconds,
    /// RFC 3339 string.
    DateTime,
    /// IMF-fixdate string.
    HttpDate,
}

/// A member's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// `String`.
    String,
    /// `bool`.
    Boolean,
    /// `i8`.
    Byte,
    /// `i16`.
    Short,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `aws_smithy_types::BigInteger`.
    BigInteger,
    /// `aws_smithy_types::BigDecimal`.
    BigDecimal,
    /// `aws_smithy_types::DateTime`.
    Timestamp(TimestampFormat),
    /// `aws_smithy_types::Blob`.
    Blob,
    /// `aws_smithy_types::Document`.
    Document,
    /// A named shape (structure, union, enum, intEnum) by shape id.
    Named(String),
    /// `Vec<T>` (or `Vec<Option<T>>` when sparse).
    List {
        /// The element type.
        member: Box<Type>,
        /// `smithy.api#sparse`.
        sparse: bool,
    },
    /// `HashMap<K, V>` (or `HashMap<K, Option<V>>` when sparse).
    Map {
        /// The key type: `String` or a named enum.
        key: Box<Type>,
        /// The value type.
        value: Box<Type>,
        /// `smithy.api#sparse`.
        sparse: bool,
    },
    /// `smithy.api#Unit` (union variants without a value).
    Unit,
}

impl Type {
    /// Whether the Rust type is `Copy`, so accessors return it by value.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            Type::Boolean
                | Type::Byte
                | Type::Short
                | Type::Integer
                | Type::Long
                | Type::Float
                | Type::Double
        )
    }

    /// The named shapes this type refers to directly or through lists and maps.
    pub fn named(&self, out: &mut Vec<String>) {
        match self {
            Type::Named(id) => out.push(id.clone()),
            Type::List { member, .. } => member.named(out),
            Type::Map { key, value, .. } => {
                key.named(out);
                value.named(out);
            }
            _ => {}
        }
    }
}
