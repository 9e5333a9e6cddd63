//! The faults of the soak: what the server does for each attempt of a call, and which
//! results of the call are right. Each call names its scenario in its body, so the server
//! (in another process) and the checker agree without sharing state.

use std::time::Duration;

use awsjson_runtime::error::{ErrorMetadata, SdkError};
use awsjson_test_support::server::{Action, Response};

/// One kind of call. Faults on the first attempt only ("then ok") test that retries recover;
/// faults on every attempt test that the call ends with the right error within its limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    Ok,
    ResetThenOk,
    CloseThenOk,
    Error500ThenOk,
    Error503Always,
    ThrottleThenOk,
    ThrottleRetryAfterThenOk,
    StallThenOk,
    StallBodyThenOk,
    TruncatedAlways,
    Trickle,
    HugeHtmlAlways,
    WrongContentType,
    NotFound,
}

/// Every scenario, in the order of the mix.
pub const ALL: [Scenario; 14] = [
    Scenario::Ok,
    Scenario::ResetThenOk,
    Scenario::CloseThenOk,
    Scenario::Error500ThenOk,
    Scenario::Error503Always,
    Scenario::ThrottleThenOk,
    Scenario::ThrottleRetryAfterThenOk,
    Scenario::StallThenOk,
    Scenario::StallBodyThenOk,
    Scenario::TruncatedAlways,
    Scenario::Trickle,
    Scenario::HugeHtmlAlways,
    Scenario::WrongContentType,
    Scenario::NotFound,
];

/// Whether `err` is hyper's report of a request sent on a pooled connection that the server
/// had closed (FIN: "connection closed before message completed"; closed with unread data:
/// "Connection reset by peer").
pub fn is_stale_connection(err: &SdkError<ErrorMetadata>) -> bool {
    let text = err.to_string();
    matches!(err, SdkError::DispatchFailure(_))
        && text.contains("(SendRequest)")
        && (text.contains("connection closed before message completed")
            || text.contains("Connection reset by peer"))
}

/// Size of the HTML error page of [`Scenario::HugeHtmlAlways`]: big enough that reading it
/// whole and excerpting it badly would show in the peak RSS, small enough that 64 of them in
/// flight fit a CI machine.
pub const HUGE_HTML_BYTES: u64 = 4 * 1024 * 1024;

impl Scenario {
    /// The name sent in the request body.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Ok => "ok",
            Scenario::ResetThenOk => "reset_then_ok",
            Scenario::CloseThenOk => "close_then_ok",
            Scenario::Error500ThenOk => "error500_then_ok",
            Scenario::Error503Always => "error503_always",
            Scenario::ThrottleThenOk => "throttle_then_ok",
            Scenario::ThrottleRetryAfterThenOk => "throttle_retry_after_then_ok",
            Scenario::StallThenOk => "stall_then_ok",
            Scenario::StallBodyThenOk => "stall_body_then_ok",
            Scenario::TruncatedAlways => "truncated_always",
            Scenario::Trickle => "trickle",
            Scenario::HugeHtmlAlways => "huge_html_always",
            Scenario::WrongContentType => "wrong_content_type",
            Scenario::NotFound => "not_found",
        }
    }

    /// The scenario named `name`.
    pub fn from_name(name: &str) -> Option<Scenario> {
        ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the server does with attempt `attempt` (1-based) of call `id`.
    pub fn action(self, id: &str, attempt: u32) -> Action {
        let ok = || {
            Response::json(
                200,
                "req-ok",
                format!(r#"{{"id":"{id}","attempt":{attempt}}}"#),
            )
        };
        let first = attempt == 1;
        match self {
            Scenario::Ok => ok().into(),
            Scenario::ResetThenOk if first => Action::Reset,
            Scenario::CloseThenOk if first => Action::Close,
            Scenario::Error500ThenOk if first => {
                Response::aws_error(500, "InternalFailure", "boom").into()
            }
            Scenario::Error503Always => {
                Response::aws_error(503, "ServiceUnavailableException", "busy").into()
            }
            Scenario::ThrottleThenOk if first => Response::throttling(None).into(),
            Scenario::ThrottleRetryAfterThenOk if first => Response::throttling(Some("3")).into(),
            Scenario::StallThenOk if first => Action::Stall,
            Scenario::StallBodyThenOk if first => Action::StallBody(ok()),
            Scenario::TruncatedAlways => Action::Truncate {
                response: ok(),
                send: 5,
            },
            Scenario::Trickle => Action::Trickle {
                response: ok(),
                chunk: 8,
                every: Duration::from_millis(2),
            },
            Scenario::HugeHtmlAlways => Action::HugeHtml {
                status: 502,
                size: HUGE_HTML_BYTES,
            },
            Scenario::WrongContentType => {
                Response::new(200, "<html><body>maintenance</body></html>")
                    .header("Content-Type", "text/html")
                    .into()
            }
            Scenario::NotFound => {
                Response::aws_error(400, "ResourceNotFoundException", "no such thing").into()
            }
            _ => ok().into(),
        }
    }

    /// Checks a call's result: its attempts when it is one this scenario may give under the
    /// policy (`max` attempts), else why not. `Ok` results carry the attempt that succeeded.
    /// Which failures are retried is checked exactly by the deterministic tests
    /// (`tests/hardening`, `tests/client_e2e`); here, where a stale pooled connection can add
    /// an I/O error to any attempt, the checks are the type of the result and the bounds.
    pub fn check(
        self,
        id: &str,
        max: u32,
        result: &Result<(String, u32), SdkError<ErrorMetadata>>,
    ) -> Result<u32, String> {
        let attempts = match result {
            Ok((_, attempt)) => *attempt,
            Err(err) => err.attempts().unwrap_or(1),
        };
        if attempts == 0 || attempts > max {
            return Err(format!("{attempts} attempts (policy: at most {max})"));
        }
        let service_code = |err: &SdkError<ErrorMetadata>| {
            err.as_service_error()
                .map(|m| (m.status(), m.code().map(str::to_owned)))
        };
        let fine = match (self, result) {
            (_, Ok((got, _))) if got != id => false,
            // The trickle and huge-page faults close their connection after a complete
            // response without `Connection: close`; a request that picks that connection from
            // the pool just as the server's FIN arrives fails like this, in any scenario. Real
            // servers do the same; it is an I/O error, retried while tokens last.
            (_, Err(err)) if is_stale_connection(err) => true,
            // On a starved machine (the soak runs under `nice` beside other work) any attempt
            // may outlast its timeout; a timeout error is then the right result. That every
            // call returns within its timeouts is checked apart.
            (_, Err(SdkError::TimeoutError(_))) => true,
            // Calls that end well at once. A first attempt may also have met a connection
            // the server had closed (above) and been retried.
            (Scenario::Ok | Scenario::Trickle, Ok(_)) => true,
            // Calls that end well once the first attempt's fault is retried away.
            (
                Scenario::ResetThenOk
                | Scenario::CloseThenOk
                | Scenario::Error500ThenOk
                | Scenario::ThrottleThenOk
                | Scenario::ThrottleRetryAfterThenOk
                | Scenario::StallThenOk
                | Scenario::StallBodyThenOk,
                Ok((_, attempt)),
            ) => *attempt >= 2,
            // The same calls when the token bucket was empty: the first fault is final, with
            // its own typed error.
            (Scenario::ResetThenOk | Scenario::CloseThenOk, Err(SdkError::DispatchFailure(_))) => {
                true
            }
            (Scenario::Error500ThenOk, Err(err)) => {
                service_code(err) == Some((Some(500), Some("InternalFailure".into())))
            }
            (Scenario::ThrottleThenOk | Scenario::ThrottleRetryAfterThenOk, Err(err)) => {
                service_code(err) == Some((Some(400), Some("ThrottlingException".into())))
            }
            // Calls that fail on every attempt, with the right typed error.
            (Scenario::Error503Always, Err(err)) => {
                service_code(err) == Some((Some(503), Some("ServiceUnavailableException".into())))
            }
            (Scenario::TruncatedAlways, Err(SdkError::DispatchFailure(_))) => true,
            (Scenario::HugeHtmlAlways, Err(err)) => err.as_service_error().is_some_and(|m| {
                m.status() == Some(502)
                    && m.code().is_none()
                    && m.message()
                        .is_some_and(|t| t.starts_with("unrecognized error response: <"))
            }),
            (Scenario::WrongContentType, Err(SdkError::ResponseError(_))) => true,
            (Scenario::NotFound, Err(err)) => {
                service_code(err) == Some((Some(400), Some("ResourceNotFoundException".into())))
            }
            _ => false,
        };
        if fine {
            Ok(attempts)
        } else {
            Err(format!("unexpected result for {}: {result:?}", self.name()))
        }
    }
}
