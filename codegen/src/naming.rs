//! Every Rust name the generator emits is decided here: field, method, type, module and
//! variant names, keyword escaping, and names that would clash with generated items.
//!
//! The functions are the rules; [`pass`] applies them once to the whole IR after
//! normalize and checks that no two shapes or members end up with the same name.

pub mod pass;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions) that need a raw identifier.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Member names that would clash with methods every generated builder or struct has.
const RESERVED_MEMBERS: &[&str] = &[
    "build",
    "builder",
    "meta",
    "send",
    "customize",
    "config",
    "config_override",
];

/// Type names that would shadow prelude or generated items in generated modules.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Self",
    "Client",
    "Config",
    "Error",
    "Unhandled",
    "Builder",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
];

/// The snake_case form of a Smithy name, with acronyms kept together (`ARN` -> `arn`).
pub fn snake(name: &str) -> String {
    let snake = name.to_snake_case();
    if snake.is_empty() {
        "_".to_string()
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{snake}")
    } else {
        snake
    }
}

/// The UpperCamelCase form of a Smithy name.
pub fn pascal(name: &str) -> String {
    let pascal = name.to_upper_camel_case();
    if pascal.is_empty() {
        "Unnamed".to_string()
    } else if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{pascal}")
    } else {
        pascal
    }
}

/// A snake_case identifier, escaped when it is a keyword (`type` -> `r#type`).
pub fn escape_ident(ident: &str) -> String {
    if NON_RAW.contains(&ident) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident) {
        format!("r#{ident}")
    } else {
        ident.to_string()
    }
}

/// The struct field (and accessor) name of a member.
pub fn member_field(member: &str) -> String {
    let snake = snake(member);
    if RESERVED_MEMBERS.contains(&snake.as_str()) {
        format!("{snake}_value")
    } else {
        escape_ident(&snake)
    }
}

/// The crate-root error enum, as aws-sdk-rust names it.
pub const ROOT_ERROR: &str = "Error";

/// The private module (and file stem) the crate-root error enum is defined in.
pub const ROOT_ERROR_MODULE: &str = "error_meta";

/// The Rust type name of a named shape.
pub fn type_name(shape: &str) -> String {
    let pascal = pascal(shape);
    if RESERVED_TYPES.contains(&pascal.as_str()) {
        format!("{pascal}Value")
    } else {
        pascal
    }
}

/// The module name of a named shape or operation.
pub fn module_name(name: &str) -> String {
    escape_ident(&snake(name))
}

/// The variant name of an enum value; `Unknown` is taken by the catch-all variant.
pub fn enum_variant(member: &str) -> String {
    let pascal = pascal(member);
    match pascal.as_str() {
        "Unknown" => "UnknownValue".to_string(),
        "Self" => "SelfValue".to_string(),
        _ => pascal,
    }
}

/// The default crate name for a service, derived from its `aws.api#service` `sdkId` the way
/// aws-sdk-rust names its crates (without the `aws-sdk-` prefix): lowercased, with spaces
/// removed (`CloudWatch Logs` -> `cloudwatchlogs`). Anything else that cargo does not accept
/// in a package name is dropped, and a leading digit gets a `_` in front of it.
pub fn crate_name_from_sdk_id(sdk_id: &str) -> String {
    let name: String = sdk_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// An identifier without its `r#` prefix, for names built on it (`set_type`) and paths.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The builder method that sets or clears a member (`set_<field>`).
pub fn setter(field: &str) -> String {
    format!("set_{}", unraw(field))
}

/// The builder method that returns a member as set so far (`get_<field>`).
pub fn getter(field: &str) -> String {
    format!("get_{}", unraw(field))
}

/// The local variable holding a member while its structure is parsed: the field name,
/// unless that would shadow a name the parser code itself uses (`d`, `key`, `value`,
/// `item`, `items0`, `map1`, ...).
pub fn parser_local(field: &str) -> String {
    let name = unraw(field);
    let internal = matches!(name, "d" | "key" | "value" | "item")
        || ["items", "map"].iter().any(|p| {
            name.strip_prefix(p)
                .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
        });
    if internal {
        format!("{name}_member")
    } else {
        field.to_string()
    }
}

/// The `is_<member>` helper of a union variant.
pub fn union_is_fn(field: &str) -> String {
    format!("is_{}", unraw(field))
}

/// The `as_<member>` helper of a union variant.
pub fn union_as_fn(field: &str) -> String {
    format!("as_{}", unraw(field))
}

/// The builder of a structure type.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The snake_case stem of a type's functions and modules (`ContainerService` ->
/// `container_service`).
pub fn type_stem(type_name: &str) -> String {
    snake(type_name)
}

/// The `is_<error>` method an operation's error enum has for each modeled error.
pub fn error_is_fn(type_name: &str) -> String {
    format!("is_{}", type_stem(type_name))
}

/// The module under `protocol_serde` holding a shape's serializer and parser.
pub fn shape_serde_module(type_name: &str) -> String {
    format!("shape_{}", type_stem(type_name))
}

/// A shape's serializer function.
pub fn shape_ser_fn(type_name: &str) -> String {
    format!("ser_{}", type_stem(type_name))
}

/// A shape's parser function.
pub fn shape_de_fn(type_name: &str) -> String {
    format!("de_{}", type_stem(type_name))
}

/// The prefix of an operation's own types: its name with anything but ASCII letters and
/// digits removed (`GetContainerAPIMetadata` stays as the model spells it, as the error
/// enum and fluent builder always have).
fn operation_type_prefix(operation: &str) -> String {
    operation
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// An operation's error enum (`GetFooError`).
pub fn operation_error(operation: &str) -> String {
    format!("{}Error", operation_type_prefix(operation))
}

/// An operation's fluent builder (`GetFooFluentBuilder`).
pub fn fluent_builder(operation: &str) -> String {
    format!("{}FluentBuilder", operation_type_prefix(operation))
}

/// A paginated operation's paginator (`ListFooPaginator`) and items paginator
/// (`ListFooPaginatorItems`), as aws-sdk-rust names them.
pub fn paginator(operation: &str) -> (String, String) {
    let prefix = operation_type_prefix(operation);
    (
        format!("{prefix}Paginator"),
        format!("{prefix}PaginatorItems"),
    )
}

/// A waiter's names, as aws-sdk-rust has them for `TableExists`: module `table_exists`,
/// client method `wait_until_table_exists`, `TableExistsFluentBuilder`,
/// `TableExistsFinalPoll` and `WaitUntilTableExistsError`.
pub fn waiter(name: &str) -> WaiterNames {
    let stem = type_name(name);
    WaiterNames {
        module: module_name(name),
        method: escape_ident(&format!("wait_until_{}", snake(name))),
        fluent_builder: format!("{stem}FluentBuilder"),
        final_poll: format!("{stem}FinalPoll"),
        error: format!("WaitUntil{stem}Error"),
    }
}

/// The Rust names of a waiter (see [`waiter`]).
pub struct WaiterNames {
    /// Module under `waiters`.
    pub module: String,
    /// `client::Waiters` method.
    pub method: String,
    /// Fluent builder type.
    pub fluent_builder: String,
    /// Final-poll alias.
    pub final_poll: String,
    /// Error alias.
    pub error: String,
}

/// An operation's request body serializer (from its module name).
pub fn operation_ser_input(module: &str) -> String {
    format!("ser_{}_input", unraw(module))
}

/// An operation's response parser.
pub fn operation_de_output(module: &str) -> String {
    format!("de_{}_output", unraw(module))
}

/// The parser of an operation's response body.
pub fn operation_de_output_payload(module: &str) -> String {
    format!("de_{}_output_payload", unraw(module))
}

/// An operation's error response parser.
pub fn operation_de_error(module: &str) -> String {
    format!("de_{}_error", unraw(module))
}

/// The function of an operation module giving an input's endpoint parameters (a fixed
/// snake-case name next to the `OPERATION` static and CamelCase types, so it cannot clash).
pub fn operation_endpoint_params() -> String {
    "endpoint_params".to_string()
}

/// The source file of a module, from its path under the crate root (`types::error` and
/// `not_found` -> `src/types/error/not_found.rs`).
pub fn module_file(parent: &str, module: &str) -> String {
    let mut path = String::from("src");
    for part in parent.split("::").filter(|p| !p.is_empty()) {
        path.push('/');
        path.push_str(unraw(part));
    }
    format!("{path}/{}.rs", unraw(module))
}

/// A plain snake_case identifier (never raw, never a keyword) from arbitrary text, for
/// generated test functions.
pub fn plain_ident(text: &str) -> String {
    let snake = snake(text);
    let ident = escape_ident(&snake);
    if ident.starts_with("r#") {
        format!("{snake}_")
    } else {
        ident
    }
}

/// The cargo feature that enables an operation.
pub fn operation_feature(operation: &str) -> String {
    snake(operation).replace('_', "-")
}

/// A valid identifier from arbitrary text (used for generated test names).
pub fn test_fn_name(index: usize, text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    let name = name.trim_matches('_');
    let name: String = name.chars().take(60).collect();
    format!("case_{index}_{}", name.trim_end_matches('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_fields() {
        let table = [
            ("serviceName", "service_name"),
            ("type", "r#type"),
            ("self", "self_"),
            ("build", "build_value"),
            ("meta", "meta_value"),
            ("ARN", "arn"),
            ("resourceARN", "resource_arn"),
            ("ipv6Address", "ipv6_address"),
            ("2fa", "_2fa"),
            ("isDefault", "is_default"),
            ("async", "r#async"),
            ("Message", "message"),
        ];
        for (input, expected) in table {
            assert_eq!(member_field(input), expected, "member {input}");
        }
    }

    #[test]
    fn type_names() {
        let table = [
            ("ContainerServiceDeployment", "ContainerServiceDeployment"),
            ("string", "StringValue"),
            ("Error", "ErrorValue"),
            ("Result", "ResultValue"),
            ("HTTPHeaders", "HttpHeaders"),
            ("v2Config", "V2Config"),
        ];
        for (input, expected) in table {
            assert_eq!(type_name(input), expected, "type {input}");
        }
    }

    #[test]
    fn crate_names_from_sdk_ids() {
        let table = [
            ("Lightsail", "lightsail"),
            ("CloudWatch Logs", "cloudwatchlogs"),
            ("Cognito Identity", "cognitoidentity"),
            ("DynamoDB", "dynamodb"),
            ("SSO OIDC", "ssooidc"),
            ("Route 53", "route53"),
            ("ACM PCA", "acmpca"),
            ("IoT 1Click Projects", "iot1clickprojects"),
            ("1Password", "_1password"),
        ];
        for (input, expected) in table {
            assert_eq!(crate_name_from_sdk_id(input), expected, "sdkId {input}");
        }
    }

    #[test]
    fn enum_variants() {
        let table = [
            ("ACTIVATING", "Activating"),
            ("HTTPS", "Https"),
            ("UNKNOWN", "UnknownValue"),
            ("us_east_1", "UsEast1"),
            ("3D", "_3d"),
        ];
        for (input, expected) in table {
            assert_eq!(enum_variant(input), expected, "variant {input}");
        }
    }

    #[test]
    fn modules_and_features() {
        assert_eq!(
            module_name("GetContainerServiceDeployments"),
            "get_container_service_deployments"
        );
        assert_eq!(module_name("Match"), "r#match");
        assert_eq!(
            operation_feature("GetContainerServiceDeployments"),
            "get-container-service-deployments"
        );
        assert_eq!(
            test_fn_name(3, "For region us-east-1 with FIPS enabled"),
            "case_3_for_region_us_east_1_with_fips_enabled"
        );
        assert_eq!(
            module_file("types::error", "r#match"),
            "src/types/error/match.rs"
        );
        assert_eq!(plain_ident("type"), "type_");
        assert_eq!(plain_ident("1 case"), "_1_case");
        assert_eq!(plain_ident("Sends a request"), "sends_a_request");
    }

    #[test]
    fn derived_names() {
        type Rule = fn(&str) -> String;
        let table: [(Rule, &str, &str); 14] = [
            (setter, "r#type", "set_type"),
            (getter, "service_name", "get_service_name"),
            (parser_local, "key", "key_member"),
            (parser_local, "items2", "items2_member"),
            (parser_local, "itemsx", "itemsx"),
            (parser_local, "r#type", "r#type"),
            (union_is_fn, "r#async", "is_async"),
            (union_as_fn, "text", "as_text"),
            (builder_name, "Container", "ContainerBuilder"),
            (error_is_fn, "NotFoundException", "is_not_found_exception"),
            (shape_serde_module, "HTTPHeaders", "shape_http_headers"),
            (operation_error, "Get_Foo", "GetFooError"),
            (
                fluent_builder,
                "GetContainerAPIMetadata",
                "GetContainerAPIMetadataFluentBuilder",
            ),
            (operation_de_error, "r#match", "de_match_error"),
        ];
        for (f, input, expected) in table {
            assert_eq!(f(input), expected, "{input}");
        }
    }
}
