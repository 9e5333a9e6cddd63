//! The fake Lightsail behind the demo endpoint: `GetContainerServiceDeployments` answered
//! from recorded responses, each request checked the way the real service would. No I/O:
//! [`handle`] maps a received request to a response; [`crate::server`] serves it over HTTP.
//!
//! Checks, in order ([`handle`]):
//!
//! 1. `POST /`, else `404 UnknownOperationException`;
//! 2. `X-Amz-Target: Lightsail_20161128.GetContainerServiceDeployments`, else
//!    `400 UnknownOperationException`;
//! 3. an `Authorization` header, else `403 MissingAuthenticationTokenException`, of SigV4
//!    shape (`AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/lightsail/aws4_request,
//!    SignedHeaders=..., Signature=<64 hex>`, with a matching `X-Amz-Date`), else
//!    `403 IncompleteSignatureException`. The signature itself is not verified;
//! 4. `Content-Type: application/x-amz-json-1.1` and a JSON object body whose `serviceName` is
//!    a string of length 1..=63 fully matching `^[a-z0-9]{1,2}|[a-z0-9][a-z0-9-]+[a-z0-9]$`,
//!    else `400 InvalidInputException`;
//! 5. a known service ([`SERVICES`]), else `404 NotFoundException`.
//!
//! Errors carry `x-amzn-ErrorType` and a body with `__type` and `message` (Lightsail's own
//! errors also `code`, `docs` and `tip`), as Lightsail sends them.

use awsjson_test_support::{CapturedRequest as Request, Response};
use serde_json::{json, Value};

use crate::rollout::Rollouts;

/// The `X-Amz-Target` of the one operation served.
pub const TARGET: &str = "Lightsail_20161128.GetContainerServiceDeployments";

/// The container services the endpoint knows, with the response body of each (taken from
/// `tests/recorded/get_container_service_deployments/`).
pub const SERVICES: &[(&str, &str)] = &[
    ("demo", include_str!("../demo/responses/demo.json")),
    ("empty", include_str!("../demo/responses/empty.json")),
];

const LIGHTSAIL_DOCS: &str = "https://lightsail.aws.amazon.com/ls/docs/all";

/// The body served for a known service.
pub fn served_body(service: &str) -> Option<&'static str> {
    SERVICES
        .iter()
        .find(|(name, _)| *name == service)
        .map(|(_, body)| *body)
}

fn ok(body: &str) -> Response {
    Response::new(200, body)
}

/// An error as a generic AWS service sends it: `x-amzn-ErrorType`, `__type` and `message`.
fn aws_error(status: u16, code: &str, message: &str) -> Response {
    let body = json!({ "__type": code, "message": message }).to_string();
    Response::new(status, body).header("x-amzn-ErrorType", code)
}

/// A modeled Lightsail error: `__type`, `code`, `docs`, `message` and `tip`.
fn lightsail_error(status: u16, code: &str, short: &str, message: &str, tip: &str) -> Response {
    let body = json!({
        "__type": code,
        "code": short,
        "docs": LIGHTSAIL_DOCS,
        "message": message,
        "tip": tip,
    });
    Response::new(status, body.to_string()).header("x-amzn-ErrorType", code)
}

fn invalid_input(message: &str) -> Response {
    lightsail_error(
        400,
        "InvalidInputException",
        "InvalidInput",
        message,
        "Check the request parameters against the API reference.",
    )
}

/// The error code (`x-amzn-ErrorType`) of a response, if it is an error.
pub fn error_type(response: &Response) -> Option<&str> {
    response.header_value("x-amzn-ErrorType")
}

/// Whether `name` is a valid container service name: 1 to 63 characters fully matching
/// `^[a-z0-9]{1,2}|[a-z0-9][a-z0-9-]+[a-z0-9]$`.
pub fn valid_service_name(name: &str) -> bool {
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let b = name.as_bytes();
    match b.len() {
        0 => false,
        1 | 2 => b.iter().all(alnum),
        n if n > 63 => false,
        n => alnum(&b[0]) && alnum(&b[n - 1]) && b[1..n - 1].iter().all(|c| alnum(c) || *c == b'-'),
    }
}

/// Checks the shape of a SigV4 `Authorization` header (not the signature) and that its date
/// is the one of `x_amz_date`.
pub fn check_authorization(authorization: &str, x_amz_date: Option<&str>) -> Result<(), String> {
    let rest = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("Authorization header requires the AWS4-HMAC-SHA256 algorithm.")?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=').ok_or_else(|| {
            format!(
                "Authorization header part `{}` is not key=value.",
                part.trim()
            )
        })?;
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value),
            "Signature" => signature = Some(value),
            _ => {}
        }
    }
    let credential = credential.ok_or("Authorization header requires 'Credential' parameter.")?;
    let signed_headers =
        signed_headers.ok_or("Authorization header requires 'SignedHeaders' parameter.")?;
    let signature = signature.ok_or("Authorization header requires 'Signature' parameter.")?;

    let scope: Vec<&str> = credential.split('/').collect();
    let [key_id, date, region, service, terminator] = scope[..] else {
        return Err(format!(
            "Credential `{credential}` is not <key id>/<date>/<region>/<service>/aws4_request."
        ));
    };
    if key_id.is_empty() || region.is_empty() {
        return Err(format!(
            "Credential `{credential}` has an empty key id or region."
        ));
    }
    if date.len() != 8 || !date.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!("Credential date `{date}` is not yyyymmdd."));
    }
    if service != "lightsail" {
        return Err(format!(
            "Credential should be scoped to correct service: 'lightsail', not '{service}'."
        ));
    }
    if terminator != "aws4_request" {
        return Err(format!("Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."));
    }
    let signed: Vec<&str> = signed_headers.split(';').collect();
    for required in ["host", "x-amz-date"] {
        if !signed.contains(&required) {
            return Err(format!(
                "SignedHeaders `{signed_headers}` must include {required}."
            ));
        }
    }
    if signature.len() != 64
        || !signature
            .bytes()
            .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err("Signature must be 64 lowercase hex digits.".into());
    }
    let x_amz_date = x_amz_date.ok_or("Authorization requires an X-Amz-Date header.")?;
    let well_formed = x_amz_date.len() == 16
        && x_amz_date.is_char_boundary(8)
        && x_amz_date[..8].bytes().all(|c| c.is_ascii_digit())
        && x_amz_date.as_bytes()[8] == b'T'
        && x_amz_date.ends_with('Z');
    if !well_formed {
        return Err(format!(
            "X-Amz-Date `{x_amz_date}` is not yyyymmddThhmmssZ."
        ));
    }
    if &x_amz_date[..8] != date {
        return Err(format!(
            "Date in Credential scope does not match YYYYMMDD from X-Amz-Date: '{date}' != '{}'.",
            &x_amz_date[..8]
        ));
    }
    Ok(())
}

/// Checks a request and answers it (see the module documentation for the checks).
/// Services with a rollout in progress ([`crate::rollout`]) are answered as at their first
/// poll; [`handle_with`] keeps counting polls.
pub fn handle(request: &Request) -> Response {
    handle_with(request, &Rollouts::default())
}

/// [`handle`], with the rollouts whose polls are counted across requests.
pub fn handle_with(request: &Request, rollouts: &Rollouts) -> Response {
    match check(request) {
        Ok(service) => match served_body(&service) {
            Some(body) => ok(body),
            None => match rollouts.poll(&service) {
                Some(body) => ok(&body),
                None => lightsail_error(
                    404,
                    "NotFoundException",
                    "NotFound",
                    &format!("The container service \"{service}\" does not exist."),
                    "Check the name and the region of the container service.",
                ),
            },
        },
        Err(response) => response,
    }
}

/// The checks of [`handle`]: the requested service name, or the error response.
fn check(request: &Request) -> Result<String, Response> {
    if request.method != "POST" || request.path != "/" {
        return Err(aws_error(
            404,
            "UnknownOperationException",
            &format!(
                "{} {} is not an operation of this service.",
                request.method, request.path
            ),
        ));
    }
    match request.header("x-amz-target") {
        Some(TARGET) => {}
        Some(other) => {
            return Err(aws_error(
                400,
                "UnknownOperationException",
                &format!("Unknown operation {other}."),
            ))
        }
        None => {
            return Err(aws_error(
                400,
                "UnknownOperationException",
                "Missing X-Amz-Target header.",
            ))
        }
    }
    let Some(authorization) = request.header("authorization") else {
        return Err(aws_error(
            403,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    check_authorization(authorization, request.header("x-amz-date"))
        .map_err(|message| aws_error(403, "IncompleteSignatureException", &message))?;

    let content_type = request.header("content-type").unwrap_or_default();
    if !content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-amz-json-1.1"))
    {
        return Err(invalid_input(&format!(
            "Content-Type `{content_type}` is not application/x-amz-json-1.1."
        )));
    }
    let body: Value = serde_json::from_slice(&request.body)
        .map_err(|e| invalid_input(&format!("The request body is not valid JSON: {e}.")))?;
    let Value::Object(members) = body else {
        return Err(invalid_input("The request body is not a JSON object."));
    };
    let name = match members.get("serviceName") {
        None | Some(Value::Null) => {
            return Err(invalid_input(
                "1 validation error detected: Value null at 'serviceName' failed to satisfy \
                 constraint: Member must not be null",
            ))
        }
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            return Err(invalid_input(&format!(
                "1 validation error detected: Value {other} at 'serviceName' failed to satisfy \
                 constraint: Member must be a string"
            )))
        }
    };
    let length = name.chars().count();
    if !(1..=63).contains(&length) {
        return Err(invalid_input(&format!(
            "1 validation error detected: Value '{name}' at 'serviceName' failed to satisfy \
             constraint: Member must have length between 1 and 63"
        )));
    }
    if !valid_service_name(&name) {
        return Err(invalid_input(&format!(
            "1 validation error detected: Value '{name}' at 'serviceName' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: \
             ^[a-z0-9]{{1,2}}|[a-z0-9][a-z0-9-]+[a-z0-9]$"
        )));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/lightsail/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn request(body: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/".into(),
            headers: vec![
                ("Content-Type".into(), "application/x-amz-json-1.1".into()),
                ("X-Amz-Target".into(), TARGET.into()),
                ("X-Amz-Date".into(), "20240102T030405Z".into()),
                ("Authorization".into(), AUTH.into()),
            ],
            body: body.as_bytes().to_vec(),
            ..Request::default()
        }
    }

    fn with_header(mut r: Request, name: &str, value: Option<&str>) -> Request {
        r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(value) = value {
            r.headers.push((name.into(), value.into()));
        }
        r
    }

    fn body_json(response: &Response) -> Value {
        serde_json::from_slice(&response.body).expect("JSON body")
    }

    #[test]
    fn good_request_gets_the_recording() {
        let response = handle(&request(r#"{"serviceName":"demo"}"#));
        assert_eq!(response.status, 200);
        assert_eq!(
            body_json(&response)["deployments"].as_array().map(Vec::len),
            Some(4)
        );
        let response = handle(&request(r#"{"serviceName":"empty"}"#));
        assert_eq!(
            response.body,
            br#"{"deployments":[]}
"#
        );
    }

    #[test]
    fn unknown_service_is_not_found() {
        let response = handle(&request(r#"{"serviceName":"nope"}"#));
        assert_eq!(response.status, 404);
        assert_eq!(error_type(&response), Some("NotFoundException"));
        let body = body_json(&response);
        assert_eq!(body["__type"], "NotFoundException");
        assert_eq!(body["code"], "NotFound");
        assert_eq!(
            body["message"],
            "The container service \"nope\" does not exist."
        );
    }

    #[test]
    fn bad_input_is_invalid_input() {
        for body in [
            "",
            "not json",
            "[]",
            "{}",
            r#"{"serviceName":null}"#,
            r#"{"serviceName":7}"#,
            r#"{"serviceName":""}"#,
            r#"{"serviceName":"Demo"}"#,
            r#"{"serviceName":"-ab"}"#,
            r#"{"serviceName":"ab-"}"#,
            r#"{"serviceName":"a_b"}"#,
            r#"{"serviceName":"é"}"#,
        ] {
            let response = handle(&request(body));
            assert_eq!(response.status, 400, "{body}");
            assert_eq!(
                error_type(&response),
                Some("InvalidInputException"),
                "{body}"
            );
            assert_eq!(body_json(&response)["code"], "InvalidInput");
        }
        let long = format!(r#"{{"serviceName":"{}"}}"#, "a".repeat(64));
        let response = handle(&request(&long));
        assert!(String::from_utf8_lossy(&response.body).contains("length between 1 and 63"));
        let wrong_type = with_header(request("{}"), "content-type", Some("application/json"));
        assert_eq!(
            error_type(&handle(&wrong_type)),
            Some("InvalidInputException")
        );
    }

    #[test]
    fn service_name_pattern() {
        for ok in [
            "a",
            "0",
            "ab",
            "a1",
            "a-b",
            "demo",
            "my-service-1",
            &"a".repeat(63),
        ] {
            assert!(valid_service_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-",
            "a-",
            "-a",
            "A",
            "ab_c",
            "a b",
            &"a".repeat(64),
            "é",
        ] {
            assert!(!valid_service_name(bad), "{bad}");
        }
    }

    #[test]
    fn wrong_method_path_or_target() {
        let mut get = request(r#"{"serviceName":"demo"}"#);
        get.method = "GET".into();
        assert_eq!(handle(&get).status, 404);
        assert_eq!(error_type(&handle(&get)), Some("UnknownOperationException"));
        let mut path = request(r#"{"serviceName":"demo"}"#);
        path.path = "/x".into();
        assert_eq!(handle(&path).status, 404);
        for target in [None, Some("Lightsail_20161128.GetInstances")] {
            let r = with_header(request("{}"), "x-amz-target", target);
            assert_eq!(handle(&r).status, 400);
            assert_eq!(error_type(&handle(&r)), Some("UnknownOperationException"));
        }
    }

    #[test]
    fn authorization_is_checked() {
        let missing = with_header(request("{}"), "authorization", None);
        assert_eq!(handle(&missing).status, 403);
        assert_eq!(
            error_type(&handle(&missing)),
            Some("MissingAuthenticationTokenException")
        );
        let bad = [
            "Bearer x".to_owned(),
            AUTH.replace("/lightsail/", "/ec2/"),
            AUTH.replace("aws4_request", "aws4"),
            AUTH.replace("20240102", "2024010"),
            AUTH.replace("Signature=0123", "Signature=XYZ"),
            AUTH.replace("host;", ""),
            AUTH.replace(", Signature", ", Sig"),
            "AWS4-HMAC-SHA256 Credential=/20240102//lightsail/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
                .to_owned(),
        ];
        for value in &bad {
            let r = with_header(request("{}"), "authorization", Some(value));
            assert_eq!(handle(&r).status, 403, "{value}");
            assert_eq!(
                error_type(&handle(&r)),
                Some("IncompleteSignatureException"),
                "{value}"
            );
        }
        for date in [None, Some("20240103T000000Z"), Some("2024é")] {
            let r = with_header(request("{}"), "x-amz-date", date);
            assert_eq!(
                error_type(&handle(&r)),
                Some("IncompleteSignatureException")
            );
        }
    }

    /// A request from the real client, captured with `lightsail::test_util`, passes the checks.
    #[test]
    fn requests_of_the_generated_client_pass() {
        use lightsail::config::{Credentials, Region};
        let (http, rx) = lightsail::test_util::capture_request(None);
        let client = lightsail::Client::from_conf(
            lightsail::Config::builder()
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "t"))
                .http_client_for_tests(http)
                .build(),
        );
        let sent = lightsail::test_util::block_on(
            client
                .get_container_service_deployments()
                .service_name("demo")
                .send(),
        );
        assert!(sent.is_ok(), "{sent:?}");
        let captured = rx.expect_request();
        let request = Request {
            method: captured.method().to_owned(),
            path: "/".into(),
            headers: captured
                .headers()
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
                .collect(),
            body: captured.body().to_vec(),
            ..Request::default()
        };
        let response = handle(&request);
        assert_eq!(
            response.status,
            200,
            "{:?}",
            String::from_utf8_lossy(&response.body)
        );
    }
}
