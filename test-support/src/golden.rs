//! The canonical text rendering of `GetContainerServiceDeployments` results, for golden
//! files, insta snapshots and the botocore differential (feature `golden`).
//!
//! Success: a JSON document of the output built from its public members (object keys
//! sorted, timestamps as exact decimal seconds strings, enums as their wire strings, absent
//! members omitted, present-but-empty collections kept), plus the request id.
//! Errors: the `SdkError` kind, the variant, code, modeled members, message, request id,
//! status, attempts and `Display`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use lightsail::error::{ProvideErrorMetadata, SdkError};
use lightsail::operation::get_container_service_deployments::{
    GetContainerServiceDeploymentsError, GetContainerServiceDeploymentsOutput,
};
use lightsail::operation::RequestId;
use lightsail::primitives::DateTime;
use lightsail::types::{
    Container, ContainerServiceDeployment, ContainerServiceEndpoint,
    ContainerServiceHealthCheckConfig,
};

/// A JSON value with sorted object keys.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// A number, as text.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object; keys sorted.
    Object(BTreeMap<String, Json>),
}

impl Json {
    /// Pretty JSON, two spaces per level.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(out, s),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(map) if map.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    push_indent(out, indent + 1);
                    item.write(out, indent + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                push_indent(out, indent);
                out.push(']');
            }
            Json::Object(map) => {
                out.push_str("{\n");
                for (i, (key, value)) in map.iter().enumerate() {
                    push_indent(out, indent + 1);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write(out, indent + 1);
                    out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
                }
                push_indent(out, indent);
                out.push('}');
            }
        }
    }
}

fn push_indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An object builder that leaves out absent members.
#[derive(Default)]
struct Obj(BTreeMap<String, Json>);

impl Obj {
    fn opt(mut self, key: &str, value: Option<Json>) -> Self {
        if let Some(value) = value {
            self.0.insert(key.to_owned(), value);
        }
        self
    }
    fn done(self) -> Json {
        Json::Object(self.0)
    }
}

fn string(s: &str) -> Json {
    Json::String(s.to_owned())
}

fn int(n: i32) -> Json {
    Json::Number(n.to_string())
}

fn map<V>(m: &HashMap<String, V>, f: impl Fn(&V) -> Json) -> Json {
    Json::Object(m.iter().map(|(k, v)| (k.clone(), f(v))).collect())
}

/// Exact decimal seconds: `1700000000.123`, `1652235091`, `-1.5`; no trailing zeros.
pub fn timestamp(t: &DateTime) -> String {
    let (secs, nanos) = (t.secs(), t.subsec_nanos());
    if nanos == 0 {
        return secs.to_string();
    }
    // DateTime keeps secs as the floor, so a negative time with a fraction is
    // -(|secs| - 1) - (1e9 - nanos) / 1e9.
    let (sign, whole, frac) = if secs < 0 {
        ("-", (-(secs + 1)) as u64, 1_000_000_000 - nanos)
    } else {
        ("", secs as u64, nanos)
    };
    let frac = format!("{frac:09}");
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

/// The canonical JSON of an output.
pub fn output_json(output: &GetContainerServiceDeploymentsOutput) -> Json {
    Obj::default()
        .opt(
            "deployments",
            output
                .deployments
                .as_ref()
                .map(|ds| Json::Array(ds.iter().map(deployment_json).collect())),
        )
        .done()
}

/// The canonical JSON of a deployment.
pub fn deployment_json(d: &ContainerServiceDeployment) -> Json {
    Obj::default()
        .opt("version", d.version().map(int))
        .opt("state", d.state().map(|s| string(s.as_str())))
        .opt("containers", d.containers().map(|m| map(m, container_json)))
        .opt("publicEndpoint", d.public_endpoint().map(endpoint_json))
        .opt(
            "createdAt",
            d.created_at().map(|t| Json::String(timestamp(t))),
        )
        .done()
}

/// The canonical JSON of a container. `command` is read from the field: its accessor
/// returns a slice and cannot tell "absent" from "empty".
pub fn container_json(c: &Container) -> Json {
    Obj::default()
        .opt("image", c.image().map(string))
        .opt(
            "command",
            c.command
                .as_ref()
                .map(|cmd| Json::Array(cmd.iter().map(|s| string(s)).collect())),
        )
        .opt(
            "environment",
            c.environment().map(|m| map(m, |v| string(v))),
        )
        .opt("ports", c.ports().map(|m| map(m, |p| string(p.as_str()))))
        .done()
}

fn endpoint_json(e: &ContainerServiceEndpoint) -> Json {
    Obj::default()
        .opt("containerName", e.container_name().map(string))
        .opt("containerPort", e.container_port().map(int))
        .opt("healthCheck", e.health_check().map(health_check_json))
        .done()
}

fn health_check_json(h: &ContainerServiceHealthCheckConfig) -> Json {
    Obj::default()
        .opt("healthyThreshold", h.healthy_threshold().map(int))
        .opt("unhealthyThreshold", h.unhealthy_threshold().map(int))
        .opt("timeoutSeconds", h.timeout_seconds().map(int))
        .opt("intervalSeconds", h.interval_seconds().map(int))
        .opt("path", h.path().map(string))
        .opt("successCodes", h.success_codes().map(string))
        .done()
}

/// The variant name of an operation error.
pub fn variant_name(err: &GetContainerServiceDeploymentsError) -> &'static str {
    use GetContainerServiceDeploymentsError as E;
    match err {
        E::AccessDeniedException(_) => "AccessDeniedException",
        E::InvalidInputException(_) => "InvalidInputException",
        E::NotFoundException(_) => "NotFoundException",
        E::RegionSetupInProgressException(_) => "RegionSetupInProgressException",
        E::ServiceException(_) => "ServiceException",
        E::UnauthenticatedException(_) => "UnauthenticatedException",
        E::Unhandled(_) => "Unhandled",
        _ => "<unknown variant>",
    }
}

/// The modeled members (`code`, `docs`, `message`, `tip`) of a modeled error.
pub fn modeled_members(err: &GetContainerServiceDeploymentsError) -> Option<Json> {
    use GetContainerServiceDeploymentsError as E;
    let (code, docs, message, tip) = match err {
        E::AccessDeniedException(e) => (e.code(), e.docs(), e.message(), e.tip()),
        E::InvalidInputException(e) => (e.code(), e.docs(), e.message(), e.tip()),
        E::NotFoundException(e) => (e.code(), e.docs(), e.message(), e.tip()),
        E::RegionSetupInProgressException(e) => (e.code(), e.docs(), e.message(), e.tip()),
        E::ServiceException(e) => (e.code(), e.docs(), e.message(), e.tip()),
        E::UnauthenticatedException(e) => (e.code(), e.docs(), e.message(), e.tip()),
        _ => return None,
    };
    Some(
        Obj::default()
            .opt("code", code.map(string))
            .opt("docs", docs.map(string))
            .opt("message", message.map(string))
            .opt("tip", tip.map(string))
            .done(),
    )
}

/// Renders the result of one call.
pub fn result(
    result: &Result<
        GetContainerServiceDeploymentsOutput,
        SdkError<GetContainerServiceDeploymentsError>,
    >,
) -> String {
    match result {
        Ok(output) => {
            format!(
                "result: ok\nrequest_id: {}\noutput:\n{}\n",
                output.request_id().unwrap_or("<none>"),
                output_json(output).pretty()
            )
        }
        Err(err) => error(err),
    }
}

fn or_none(value: Option<&str>) -> String {
    value.map_or_else(|| "<none>".to_owned(), |v| format!("{v:?}"))
}

/// Renders an error.
pub fn error(err: &SdkError<GetContainerServiceDeploymentsError>) -> String {
    let mut out = String::new();
    let kind = match err {
        SdkError::ConstructionFailure(_) => "ConstructionFailure",
        SdkError::TimeoutError(_) => "TimeoutError",
        SdkError::DispatchFailure(_) => "DispatchFailure",
        SdkError::ResponseError(_) => "ResponseError",
        SdkError::ServiceError(_) => "ServiceError",
        // `SdkError` is non-exhaustive, as aws-sdk-rust's.
        _ => "Other",
    };
    let _ = writeln!(out, "result: error\nkind: {kind}");
    if let Some(service) = err.as_service_error() {
        let _ = writeln!(out, "variant: {}", variant_name(service));
        let _ = writeln!(out, "code: {}", or_none(service.code()));
        let _ = writeln!(
            out,
            "message: {}",
            or_none(ProvideErrorMetadata::message(service))
        );
        let _ = writeln!(out, "request_id: {}", or_none(service.request_id()));
        let status = service
            .meta()
            .status()
            .map_or("<none>".into(), |s| s.to_string());
        let _ = writeln!(out, "status: {status}");
        if let Some(members) = modeled_members(service) {
            let _ = writeln!(out, "members: {}", members.pretty());
        }
    }
    if let Some(raw) = err.raw_response() {
        let _ = writeln!(out, "raw_status: {}", raw.status().as_u16());
        let _ = writeln!(out, "raw_request_id: {}", or_none(raw.request_id()));
    }
    let attempts = err.attempts().map_or("<none>".into(), |a| a.to_string());
    let _ = writeln!(out, "attempts: {attempts}");
    let _ = writeln!(out, "display: {err}");
    out
}

/// 64-bit FNV-1a, for summaries of large renderings.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_exact_decimals() {
        assert_eq!(timestamp(&DateTime::from_secs(1_652_235_091)), "1652235091");
        assert_eq!(
            timestamp(&DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000)),
            "1700000000.123"
        );
        assert_eq!(
            timestamp(&DateTime::from_secs_and_nanos(1, 5)),
            "1.000000005"
        );
        assert_eq!(timestamp(&DateTime::from_secs_f64(-1.5)), "-1.5");
    }

    #[test]
    fn json_is_sorted_and_escaped() {
        let j = Obj::default()
            .opt("b", Some(string("x\"\n")))
            .opt("a", Some(Json::Array(vec![])))
            .opt("c", None)
            .done();
        assert_eq!(j.pretty(), "{\n  \"a\": [],\n  \"b\": \"x\\\"\\n\"\n}");
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
