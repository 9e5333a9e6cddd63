//! A fake service for the runtime's own tests, which call `Handle` without a generated crate:
//! Lightsail's identity (SDK id, signing name, target prefix) over a rule set of the test's
//! choosing, and an operation that parses nothing.

use awsjson_runtime::client::{AuthMode, DeserializeError, OperationSpec, ServiceSpec};
use awsjson_runtime::error::ErrorMetadata;
use awsjson_runtime::response::HttpResponse;

/// Endpoint rules with only the endpoint override (`SDK::Endpoint`), so every call goes
/// where the config's `endpoint_url` points, and fails without one.
pub const ENDPOINT_OVERRIDE_RULES: &str = r#"{"version":"1.0",
 "parameters":{"Endpoint":{"type":"string","builtIn":"SDK::Endpoint","required":false}},
 "rules":[
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"type":"endpoint","endpoint":{"url":{"ref":"Endpoint"}}},
  {"conditions":[],"type":"error","error":"no endpoint"}]}"#;

/// The fake service with `endpoint_rules`, optionally `awsQueryCompatible`.
pub const fn spec(endpoint_rules: &'static str, aws_query_compatible: bool) -> ServiceSpec {
    ServiceSpec {
        sdk_id: "Lightsail",
        signing_name: "lightsail",
        target_prefix: "Lightsail_20161128",
        json_version: "1.1",
        endpoint_rules,
        crate_name: "lightsail",
        crate_version: "0.1.0",
        aws_query_compatible,
    }
}

/// The fake service over [`ENDPOINT_OVERRIDE_RULES`].
pub static ENDPOINT_OVERRIDE_SPEC: ServiceSpec = spec(ENDPOINT_OVERRIDE_RULES, false);

/// `GetThing`, signed with SigV4: any 2xx response is `()`, any error response is its
/// metadata.
pub static UNIT_OP: OperationSpec<(), ErrorMetadata> = OperationSpec {
    name: "GetThing",
    parse_output: |_: &HttpResponse| Ok::<(), DeserializeError>(()),
    parse_error: |_: &HttpResponse, meta: ErrorMetadata| meta,
    auth: AuthMode::SigV4,
    retryable_errors: &[],
    static_endpoint_params: &[],
};
