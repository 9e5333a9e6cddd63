//! The resolved, validated shape graph the emitters read. Every name here is final:
//! both the wire name (as in the model) and the Rust name are kept.
//!
//! `normalize` builds the graph and leaves the Rust names empty; the naming pass
//! (`naming::pass`) fills every one of them and checks them for collisions. Emitters only
//! read these fields: they never build an identifier or a path themselves.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;

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
    /// The service version, when the model gives one.
    pub version: Option<String>,
    /// The SigV4 signing name.
    pub signing_name: String,
    /// The protocol.
    pub protocol: Protocol,
    /// `smithy.api#title`.
    pub title: Option<String>,
    /// The service's documentation (HTML).
    pub docs: Option<String>,
    /// `aws.protocols#awsQueryCompatible`: error codes may come from `x-amzn-query-error`
    /// and errors also match their `awsQueryError` code.
    pub aws_query_compatible: bool,
    /// `smithy.rules#endpointRuleSet`, as JSON text (the runtime parses it).
    pub endpoint_rules: String,
    /// `smithy.rules#endpointTests` test cases.
    pub endpoint_tests: Vec<EndpointTest>,
    /// The chosen operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Operations of `--operations all` left out because they cannot be generated (event
    /// streams), sorted by name.
    pub skipped_operations: Vec<SkippedOperation>,
    /// Named shapes (structures, unions, enums) by shape id.
    pub shapes: BTreeMap<String, Shape>,
    /// The crate-root `Error` enum (filled by the naming pass).
    pub root_error: RootError,
}

/// The service-wide error enum at the crate root (`crate::Error`, as aws-sdk-rust's): one
/// variant per modeled error of the generated operations, plus `Unhandled`.
#[derive(Debug, Clone, Default)]
pub struct RootError {
    /// The enum's name.
    pub name: String,
    /// The module it is defined in (re-exported at the crate root).
    pub module: String,
    /// Its file.
    pub file: String,
    /// The modeled variants, sorted by variant name.
    pub variants: Vec<RootErrorVariant>,
}

/// A modeled variant of the crate-root `Error`.
#[derive(Debug, Clone)]
pub struct RootErrorVariant {
    /// The variant's name (the error type's name, as in the operations' error enums).
    pub variant: String,
    /// The error shape's id.
    pub shape: String,
    /// The names of the operations that can return it, for feature gating.
    pub operations: Vec<String>,
}

/// An operation left out of the generated crate, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOperation {
    /// The operation's name.
    pub name: String,
    /// Its shape id.
    pub id: String,
    /// Why it was left out.
    pub reason: String,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Absolute shape id.
    pub id: String,
    /// The wire name (`X-Amz-Target` suffix), e.g. `GetContainerServiceDeployments`.
    pub name: String,
    /// The Rust module (under `operation` and `protocol_serde`) and client method name.
    pub module: String,
    /// The operation module's file, e.g. `src/operation/get_foo.rs`.
    pub module_file: String,
    /// Its fluent builder's file, e.g. `src/operation/get_foo/builders.rs`.
    pub builders_file: String,
    /// Its error enum's file, e.g. `src/operation/get_foo/error.rs`.
    pub error_file: String,
    /// The file of its (de)serializers, e.g. `src/protocol_serde/get_foo.rs`.
    pub serde_file: String,
    /// The error enum, e.g. `GetFooError`.
    pub error_name: String,
    /// The fluent builder the client method returns, e.g. `GetFooFluentBuilder`.
    pub fluent_builder: String,
    /// The cargo feature that enables it (with `--operation-features`).
    pub feature: String,
    /// The request body serializer, e.g. `ser_get_foo_input`.
    pub ser_input: String,
    /// The response parser, e.g. `de_get_foo_output`.
    pub de_output: String,
    /// The parser of the response body, e.g. `de_get_foo_output_payload`.
    pub de_output_payload: String,
    /// The error response parser, e.g. `de_get_foo_error`.
    pub de_error: String,
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
    /// How its requests are authenticated.
    pub auth: AuthKind,
    /// `smithy.rules#staticContextParams`, in model order.
    pub static_context_params: Vec<(String, EndpointParam)>,
    /// `smithy.rules#operationContextParams`: (endpoint parameter, JMESPath over the input),
    /// in model order.
    pub operation_context_params: Vec<(String, String)>,
    /// The operation module's function giving the endpoint parameters of an input
    /// (`contextParam` members and `operationContextParams` paths); `None` when it has none.
    pub endpoint_params_fn: Option<String>,
    /// `smithy.api#paginated` (merged with the service's defaults), if paginated.
    pub paginator: Option<Paginator>,
    /// `smithy.waiters#waitable`, in model order (by waiter name).
    pub waiters: Vec<Waiter>,
}

/// How an operation is authenticated (`smithy.api#auth`, `smithy.api#optionalAuth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// SigV4, required.
    SigV4,
    /// SigV4 when credentials are available, else unsigned.
    Optional,
    /// Never signed (`smithy.api#auth: []`).
    None,
}

/// A paginated operation (`smithy.api#paginated`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginator {
    /// The wire name of the input member holding the token.
    pub input_token: String,
    /// The JMESPath of the output token.
    pub output_token: String,
    /// The JMESPath of the items, if any.
    pub items: Option<String>,
    /// The wire name of the input member holding the page size, if any.
    pub page_size: Option<String>,
    /// The paginator type, e.g. `ListFooPaginator`.
    pub rust_name: String,
    /// The items paginator type, e.g. `ListFooPaginatorItems`.
    pub items_name: String,
    /// Its file, e.g. `src/operation/list_foo/paginator.rs`.
    pub file: String,
}

/// A waiter (`smithy.waiters#waitable`) on an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiter {
    /// The name in the model, e.g. `TableExists`.
    pub name: String,
    /// Documentation (CommonMark or HTML).
    pub docs: Option<String>,
    /// `minDelay` in seconds (default 2).
    pub min_delay: u64,
    /// `maxDelay` in seconds (default 120).
    pub max_delay: u64,
    /// `deprecated`.
    pub deprecated: bool,
    /// Acceptors, in model order.
    pub acceptors: Vec<Acceptor>,
    /// Its module under `waiters`, e.g. `table_exists`.
    pub module: String,
    /// Its file, e.g. `src/waiters/table_exists.rs`.
    pub file: String,
    /// The `client::Waiters` method, e.g. `wait_until_table_exists`.
    pub method: String,
    /// Its fluent builder, e.g. `TableExistsFluentBuilder`.
    pub fluent_builder: String,
    /// Its final-poll alias, e.g. `TableExistsFinalPoll`.
    pub final_poll: String,
    /// Its error alias, e.g. `WaitUntilTableExistsError`.
    pub error: String,
}

/// One waiter acceptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptor {
    /// What a match means.
    pub state: AcceptorState,
    /// What it matches.
    pub matcher: AcceptorMatcher,
}

/// A waiter acceptor's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait succeeded.
    Success,
    /// The wait failed.
    Failure,
    /// Poll again.
    Retry,
}

/// A waiter acceptor's matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcceptorMatcher {
    /// `output`: a path of the output compared with a value.
    Output {
        /// The JMESPath.
        path: String,
        /// The comparator and its expected value.
        matcher: crate::jmespath::Matcher,
    },
    /// `inputOutput`: a path over `{input, output}`.
    InputOutput {
        /// The JMESPath.
        path: String,
        /// The comparator and its expected value.
        matcher: crate::jmespath::Matcher,
    },
    /// `success`: true matches any output, false any error.
    Success(bool),
    /// `errorType`: a service error with this code.
    ErrorType(String),
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
    /// The Rust module that exports the type, e.g. `types` or `operation::get_foo`.
    pub module: String,
    /// The private module holding the type inside `module`, e.g. `container` or `input`.
    pub module_ident: String,
    /// The file of that module, e.g. `src/types/container.rs`.
    pub file: String,
    /// Its serializer and parser functions.
    pub serde: SerdeNames,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
    /// The operations that reach this shape (for per-operation features).
    pub operations: BTreeSet<String>,
    /// The operations whose input reaches this shape: they need its serializer.
    pub ser_operations: BTreeSet<String>,
    /// The operations whose output or errors reach this shape: they need its parser.
    pub de_operations: BTreeSet<String>,
    /// The shape's kind and contents.
    pub kind: ShapeKind,
}

/// Where a shape's serializer and parser live. For a structure or union these are its own
/// module under `protocol_serde`; an operation's input and output use the operation's
/// functions; enums are read and written inline and do not use them.
#[derive(Debug, Clone, Default)]
pub struct SerdeNames {
    /// The module under `protocol_serde`, e.g. `shape_container`.
    pub module: String,
    /// Its file, e.g. `src/protocol_serde/shape_container.rs`.
    pub file: String,
    /// The serializer, e.g. `ser_container`.
    pub ser_fn: String,
    /// The parser, e.g. `de_container`.
    pub de_fn: String,
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
    /// The builder type, e.g. `ContainerBuilder`.
    pub builder: String,
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
    /// The `is_<error>` method of the operation error enums, e.g. `is_not_found_exception`.
    pub is_fn: String,
    /// `smithy.api#retryable`: `Some(throttling)` when the error is retryable.
    pub retryable: Option<bool>,
    /// `aws.protocols#awsQueryError` `code`, e.g. `AWS.SimpleQueueService.NonExistentQueue`.
    pub query_code: Option<String>,
}

/// An enum variant.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The member name in the model (or the legacy enum's `name`, else its value).
    pub name: String,
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
    /// The member name in the model.
    pub name: String,
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
    /// The builder method that sets or clears it, e.g. `set_service_name`.
    pub setter: String,
    /// The builder method that returns it, e.g. `get_service_name`.
    pub getter: String,
    /// The local variable holding it while its structure is parsed.
    pub local: String,
    /// For union members: the variant and its helpers.
    pub variant: Option<VariantNames>,
    /// The member's type.
    pub target: Type,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
    /// `smithy.api#required`.
    pub required: bool,
    /// The default value (`smithy.api#default`), when not null.
    pub default: Option<DefaultValue>,
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
    /// `smithy.rules#contextParam` (input members): the endpoint parameter it sets.
    pub context_param: Option<String>,
    /// `smithy.api#idempotencyToken`: `send()` fills it with a fresh UUID when unset.
    pub idempotency_token: bool,
}

impl Member {
    /// Required without a default: a client must set it; a server must send it.
    pub fn required_no_default(&self) -> bool {
        self.required && self.default.is_none() && !self.optional
    }

    /// The Rust field name without `r#` (for messages and docs).
    pub fn bare_field(&self) -> &str {
        self.field.trim_start_matches("r#")
    }

    /// The variant names of a union member; an error for a structure member.
    pub fn variant_names(&self, owner: &str) -> Result<&VariantNames, Error> {
        self.variant.as_ref().ok_or_else(|| Error::Internal {
            shape: format!("{owner}${}", self.wire_name),
            reason: "a union member without variant names".into(),
        })
    }
}

/// The Rust names of a union member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantNames {
    /// The variant, e.g. `Text`.
    pub variant: String,
    /// `is_text`.
    pub is_fn: String,
    /// `as_text`.
    pub as_fn: String,
}

/// A member's default value (`smithy.api#default`), checked against its type.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// A boolean.
    Bool(bool),
    /// An integer of a `byte`, `short`, `integer` or `long` member (range-checked).
    Int(i64),
    /// A `float` or `double`.
    Float(f64),
    /// A string.
    String(String),
    /// A string enum's value.
    Enum(String),
    /// An intEnum's value.
    IntEnum(i32),
    /// An epoch-seconds timestamp.
    Timestamp(i64),
    /// The empty list.
    EmptyList,
    /// The empty map.
    EmptyMap,
    /// The empty blob.
    EmptyBlob,
}

/// One case of the model's `smithy.rules#endpointTests`.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTest {
    /// The generated test function, e.g. `case_3_for_region_us_east_1`.
    pub fn_name: String,
    /// The case's documentation.
    pub doc: String,
    /// The rule set parameters, by name.
    pub params: Vec<(String, EndpointParam)>,
    /// What resolution must give.
    pub expect: EndpointExpect,
    /// `operationInputs`: calls of operations that must resolve to `expect`.
    pub operation_inputs: Vec<EndpointOperationInput>,
}

/// One `operationInputs` entry of an endpoint test case.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointOperationInput {
    /// The operation's name.
    pub operation: String,
    /// Input members by wire name, as the case's JSON gives them.
    pub params: Vec<(String, serde_json::Value)>,
    /// Built-in values by built-in name (`AWS::Region`, ...).
    pub built_ins: Vec<(String, EndpointParam)>,
}

/// An endpoint rule set parameter value of a test case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointParam {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

/// The expected result of an endpoint test case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointExpect {
    /// An error with this message.
    Error(String),
    /// An endpoint with this URL and these headers.
    Endpoint {
        /// The URL.
        url: String,
        /// Header values by name, in model order.
        headers: Vec<(String, Vec<String>)>,
    },
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
