//! Mocked operations shaped as aws-smithy-mocks (feature `test-util`): rules that match an
//! operation's typed input and answer with a typed output, a typed error or an HTTP response,
//! so a unit test written with aws-smithy-mocks ports by changing its import line.
//!
//! ```ignore
//! use lightsail::mocks::{mock, mock_client, RuleMode};
//! let rule = mock!(lightsail::Client::get_container_service_deployments)
//!     .match_requests(|input| input.service_name() == Some("web"))
//!     .then_output(|| GetContainerServiceDeploymentsOutput::builder().build());
//! let client = mock_client!(lightsail, [&rule]);
//! ```
//!
//! A mocked call never reaches the HTTP layer: the rule's answer is returned right after the
//! input is built (an HTTP response is parsed as the operation parses real ones, without
//! retries). Differences from aws-smithy-mocks: a call no rule answers fails with a
//! `ConstructionFailure` naming the input instead of panicking.

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::failure::Failure;
use super::{error_response, invoke, Handle, OperationSpec};
use crate::error::SdkError;
use crate::response::HttpResponse;

/// What a rule answers: aws-smithy-mocks' `MockResponse`.
#[derive(Debug)]
pub enum MockResponse<O, E> {
    /// The operation's output.
    Output(O),
    /// The operation's error (a `ServiceError` with a 418 raw response, as aws-smithy-mocks').
    Error(E),
    /// An HTTP response, parsed as the operation parses real ones.
    Http(HttpResponse),
}

type Erased = Box<dyn Any + Send>;
type MatchFn = Arc<dyn Fn(&dyn Any) -> bool + Send + Sync>;
type ServeFn = Arc<dyn Fn(usize) -> Option<MockResponse<Erased, Erased>> + Send + Sync>;

/// A rule: which calls it answers and with what. Build one with `mock!`.
#[derive(Clone)]
pub struct Rule {
    matcher: MatchFn,
    serve: ServeFn,
    calls: Arc<AtomicUsize>,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("calls", &self.num_calls())
            .finish_non_exhaustive()
    }
}

impl Rule {
    /// How many calls this rule answered.
    pub fn num_calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Resets the call count, so a rule answers again from its first response.
    pub fn reset(&self) {
        self.calls.store(0, Ordering::SeqCst);
    }

    /// Whether the rule has no response left.
    pub fn is_exhausted(&self) -> bool {
        (self.serve)(self.num_calls()).is_none()
    }

    /// The next response, counting the call; `None` once exhausted.
    fn next_response(&self) -> Option<MockResponse<Erased, Erased>> {
        let index = self.calls.fetch_add(1, Ordering::SeqCst);
        let response = (self.serve)(index);
        if response.is_none() {
            self.calls.fetch_sub(1, Ordering::SeqCst);
        }
        response
    }
}

/// How rules are picked: aws-smithy-mocks' `RuleMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMode {
    /// Rules answer in the order they were given; each answers until exhausted, then the next
    /// takes over. A call the current rule does not match is an error.
    Sequential,
    /// The first matching rule with a response left answers; rules stay in place.
    MatchAny,
}

/// Builds a [`Rule`] for one operation; `mock!(Client::operation)` returns one.
pub struct RuleBuilder<I, O, E> {
    matcher: MatchFn,
    _types: PhantomData<fn() -> (I, O, E)>,
}

impl<I, O, E> fmt::Debug for RuleBuilder<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleBuilder").finish_non_exhaustive()
    }
}

impl<I, O, E> RuleBuilder<I, O, E>
where
    I: Send + Sync + 'static,
    O: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    /// A rule for the operation whose input and `send()` the two closures name; they are
    /// never called (the `mock!` macro passes them only for their types).
    #[doc(hidden)]
    pub fn new_from_mock<F, R>(_input_hint: impl Fn() -> I, _output_hint: impl Fn() -> F) -> Self
    where
        F: Future<Output = Result<O, SdkError<E, R>>>,
    {
        RuleBuilder {
            matcher: Arc::new(|input: &dyn Any| input.is::<I>()),
            _types: PhantomData,
        }
    }

    /// Answers only the calls whose input `filter` accepts.
    pub fn match_requests<F>(mut self, filter: F) -> Self
    where
        F: Fn(&I) -> bool + Send + Sync + 'static,
    {
        self.matcher = Arc::new(move |input: &dyn Any| input.downcast_ref::<I>().is_some_and(&filter));
        self
    }

    /// Answers one call with `output()`.
    pub fn then_output<F>(self, output: F) -> Rule
    where
        F: Fn() -> O + Send + Sync + 'static,
    {
        self.serve(move |index| (index == 0).then(|| MockResponse::Output(output())))
    }

    /// Answers one call with the error `error()`.
    pub fn then_error<F>(self, error: F) -> Rule
    where
        F: Fn() -> E + Send + Sync + 'static,
    {
        self.serve(move |index| (index == 0).then(|| MockResponse::Error(error())))
    }

    /// Answers one call with the HTTP response `response()`.
    pub fn then_http_response<F>(self, response: F) -> Rule
    where
        F: Fn() -> HttpResponse + Send + Sync + 'static,
    {
        self.serve(move |index| (index == 0).then(|| MockResponse::Http(response())))
    }

    /// Answers the `index`-th call (from 0) with `handler(index)`; `None` exhausts the rule.
    pub fn serve<F>(self, handler: F) -> Rule
    where
        F: Fn(usize) -> Option<MockResponse<O, E>> + Send + Sync + 'static,
    {
        Rule {
            matcher: self.matcher,
            serve: Arc::new(move |index| {
                handler(index).map(|response| match response {
                    MockResponse::Output(o) => MockResponse::Output(Box::new(o) as Erased),
                    MockResponse::Error(e) => MockResponse::Error(Box::new(e) as Erased),
                    MockResponse::Http(h) => MockResponse::Http(h),
                })
            }),
            calls: Arc::new(AtomicUsize::new(0)),
        }
    }
}

/// The rules of a mocked client: aws-smithy-mocks' `MockResponseInterceptor`, given to the
/// config by `mock_client!`.
#[derive(Clone)]
pub struct MockResponseInterceptor {
    rules: Arc<Mutex<VecDeque<Rule>>>,
    rule_mode: RuleMode,
    must_match: bool,
}

impl fmt::Debug for MockResponseInterceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules = self.rules.lock().unwrap_or_else(|e| e.into_inner()).len();
        write!(f, "MockResponseInterceptor({rules} rules, {:?})", self.rule_mode)
    }
}

impl Default for MockResponseInterceptor {
    fn default() -> Self {
        Self::new()
    }
}

impl MockResponseInterceptor {
    /// No rules, [`RuleMode::MatchAny`], every call must match a rule.
    pub fn new() -> Self {
        MockResponseInterceptor {
            rules: Arc::default(),
            rule_mode: RuleMode::MatchAny,
            must_match: true,
        }
    }

    /// Adds a rule (a clone sharing its call count).
    pub fn with_rule(self, rule: &Rule) -> Self {
        self.rules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(rule.clone());
        self
    }

    /// Sets how rules are picked.
    pub fn rule_mode(mut self, rule_mode: RuleMode) -> Self {
        self.rule_mode = rule_mode;
        self
    }

    /// Sends calls no rule answers to the client's HTTP client instead of failing them.
    pub fn allow_passthrough(mut self) -> Self {
        self.must_match = false;
        self
    }

    /// The answer to a call with `input`: `Ok(None)` to pass it through, `Err` when no rule
    /// answers and one must.
    fn answer(&self, input: &dyn Any) -> Result<Option<MockResponse<Erased, Erased>>, String> {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let found = match self.rule_mode {
            RuleMode::Sequential => loop {
                let Some(rule) = rules.front() else {
                    break None;
                };
                // An exhausted rule hands over before matching, so the next one is checked.
                if rule.is_exhausted() {
                    rules.pop_front();
                    continue;
                }
                if !(rule.matcher)(input) {
                    return Err("the next rule in sequence does not match this call".into());
                }
                match rule.next_response() {
                    Some(response) => break Some(response),
                    None => {
                        rules.pop_front();
                    }
                }
            },
            RuleMode::MatchAny => rules
                .iter()
                .filter(|rule| (rule.matcher)(input))
                .find_map(Rule::next_response),
        };
        match found {
            Some(response) => Ok(Some(response)),
            None if self.must_match => {
                Err("no rule matches this call, or every matching rule is exhausted".into())
            }
            None => Ok(None),
        }
    }
}

impl Handle {
    /// The mocked answer to a call with `input`, if the client has mock rules and one answers
    /// (called by every generated `send()` with feature `test-util`).
    pub fn mocked<I, O, E>(
        &self,
        op: &'static OperationSpec<O, E>,
        input: &I,
    ) -> Option<Result<O, SdkError<E>>>
    where
        I: fmt::Debug + 'static,
        O: 'static,
        E: 'static,
    {
        let mocks = self.config().mock_responses.as_ref()?;
        let response = match mocks.answer(input) {
            Ok(response) => response?,
            Err(why) => {
                return Some(Err(SdkError::construction_failure(format!(
                    "mocked {}: {why}: {input:?}",
                    op.name
                ))))
            }
        };
        let mismatch = || {
            SdkError::construction_failure(format!(
                "mocked {}: the rule's response is of another operation",
                op.name
            ))
        };
        Some(match response {
            MockResponse::Output(output) => output.downcast::<O>().map(|o| *o).map_err(|_| mismatch()),
            MockResponse::Error(error) => match error.downcast::<E>() {
                Ok(error) => Err(SdkError::service_error(
                    *error,
                    HttpResponse::new(418, http::HeaderMap::new(), Bytes::new()),
                )),
                Err(_) => Err(mismatch()),
            },
            MockResponse::Http(response) => parse(op, response),
        })
    }
}

/// Reads a mocked HTTP response as the call path reads a real one (without retries).
fn parse<O, E>(op: &'static OperationSpec<O, E>, response: HttpResponse) -> Result<O, SdkError<E>> {
    if response.status().is_success() {
        return invoke::parse_output(op, &response)
            .map_err(|err| SdkError::response_error(err, response));
    }
    let (code, message) = error_response::error_code_and_message(response.headers(), response.body());
    Err(Failure::Service {
        response,
        code,
        message,
    }
    .into_sdk_error(op))
}

/// `mock!(Client::operation)`: a [`RuleBuilder`] for that operation, as aws-smithy-mocks'
/// `mock!`.
#[macro_export]
macro_rules! mock {
    ($operation:expr) => {
        #[allow(unreachable_code, clippy::diverging_sub_expression)]
        {
            $crate::client::mocks::RuleBuilder::new_from_mock(
                // Never called: the closures only carry the operation's input, output and
                // error types.
                || $operation(unreachable!()).as_input().clone().build().unwrap(),
                || $operation(unreachable!()).send(),
            )
        }
    };
}

/// `mock_client!(crate_name, [&rule, ..])`, optionally with a [`RuleMode`] and a closure over
/// the config builder: a client whose calls the rules answer, as aws-smithy-mocks'
/// `mock_client!`.
#[macro_export]
macro_rules! mock_client {
    ($aws_crate:ident, $rules:expr) => {
        $crate::mock_client!($aws_crate, $crate::client::mocks::RuleMode::Sequential, $rules)
    };
    ($aws_crate:ident, $rule_mode:expr, $rules:expr) => {
        $crate::mock_client!($aws_crate, $rule_mode, $rules, |conf| conf)
    };
    ($aws_crate:ident, $rule_mode:expr, $rules:expr, $additional_configuration:expr) => {{
        let mut interceptor =
            $crate::client::mocks::MockResponseInterceptor::new().rule_mode($rule_mode);
        for rule in $rules {
            interceptor = interceptor.with_rule(rule);
        }
        // Lets callers leave the closure's parameter type out.
        fn coerce<T: Fn($aws_crate::config::Builder) -> $aws_crate::config::Builder>(f: T) -> T {
            f
        }
        $aws_crate::client::Client::from_conf(
            coerce($additional_configuration)(
                $aws_crate::config::Config::builder()
                    .with_test_defaults()
                    .region($aws_crate::config::Region::from_static("us-east-1"))
                    .mock_response_interceptor(interceptor),
            )
            .build(),
        )
    }};
}
