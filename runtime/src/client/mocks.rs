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
//! `ConstructionFailure` naming the input instead of panicking; `times(0)` is read as 1 and an
//! empty sequence is a rule exhausted from the start (aws-smithy-mocks panics for both).

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
type ServeFn = Arc<dyn Fn(usize, &dyn Any) -> Option<MockResponse<Erased, Erased>> + Send + Sync>;
/// One step of a response sequence: makes a typed response from the input.
type Generator<O, E> = Arc<dyn Fn(&dyn Any) -> Option<MockResponse<O, E>> + Send + Sync>;

/// A rule: which calls it answers and with what. Build one with `mock!`.
#[derive(Clone)]
pub struct Rule {
    matcher: MatchFn,
    serve: ServeFn,
    calls: Arc<AtomicUsize>,
    max_responses: usize,
    /// Made by `then_*`: answers every matching call in `MatchAny` mode, one call in
    /// `Sequential` mode (aws-smithy-mocks' rule).
    simple: bool,
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

    /// Whether the rule has answered all the responses of its sequence.
    pub fn is_exhausted(&self) -> bool {
        self.num_calls() >= self.max_responses
    }

    /// The next response for `input`, counting the call.
    fn next_response(&self, input: &dyn Any) -> Option<MockResponse<Erased, Erased>> {
        let index = self.calls.fetch_add(1, Ordering::SeqCst);
        (self.serve)(index, input)
    }
}

/// How rules are picked: aws-smithy-mocks' `RuleMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMode {
    /// Rules answer in the order they were given; each answers until exhausted (a `then_*`
    /// rule: once), then the next takes over. A call the current rule does not match is an
    /// error.
    Sequential,
    /// The first matching rule that is not exhausted answers; rules stay in place.
    MatchAny,
}

/// Carries an operation's input, output and error types without holding any.
type Types<I, O, E> = PhantomData<fn() -> (I, O, E)>;

/// Builds a [`Rule`] for one operation; `mock!(Client::operation)` returns one.
pub struct RuleBuilder<I, O, E> {
    matcher: MatchFn,
    _types: Types<I, O, E>,
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
        self.matcher =
            Arc::new(move |input: &dyn Any| input.downcast_ref::<I>().is_some_and(&filter));
        self
    }

    /// A sequence of responses: `.output(..).times(2).error(..).build()`.
    pub fn sequence(self) -> ResponseSequenceBuilder<I, O, E> {
        ResponseSequenceBuilder {
            matcher: self.matcher,
            steps: Vec::new(),
            simple: false,
            _types: PhantomData,
        }
    }

    /// Answers with `output()`.
    pub fn then_output<F>(self, output: F) -> Rule
    where
        F: Fn() -> O + Send + Sync + 'static,
    {
        self.sequence().output(output).simple()
    }

    /// Answers with the error `error()`.
    pub fn then_error<F>(self, error: F) -> Rule
    where
        F: Fn() -> E + Send + Sync + 'static,
    {
        self.sequence().error(error).simple()
    }

    /// Answers with the HTTP response `response()`.
    pub fn then_http_response<F>(self, response: F) -> Rule
    where
        F: Fn() -> HttpResponse + Send + Sync + 'static,
    {
        self.sequence().http_response(response).simple()
    }

    /// Answers with an output computed from the input.
    pub fn then_compute_output<F>(self, compute: F) -> Rule
    where
        F: Fn(&I) -> O + Send + Sync + 'static,
    {
        self.then_compute_response(move |input| MockResponse::Output(compute(input)))
    }

    /// Answers with any response computed from the input.
    pub fn then_compute_response<F>(self, compute: F) -> Rule
    where
        F: Fn(&I) -> MockResponse<O, E> + Send + Sync + 'static,
    {
        let mut sequence = self.sequence();
        sequence.steps.push((
            Arc::new(move |input: &dyn Any| input.downcast_ref::<I>().map(&compute)),
            1,
        ));
        sequence.simple()
    }
}

/// A sequence of responses, each repeated [`times`](Self::times); `build()` makes the rule.
pub struct ResponseSequenceBuilder<I, O, E> {
    matcher: MatchFn,
    steps: Vec<(Generator<O, E>, usize)>,
    simple: bool,
    _types: PhantomData<fn() -> I>,
}

impl<I, O, E> fmt::Debug for ResponseSequenceBuilder<I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseSequenceBuilder")
            .field("steps", &self.steps.len())
            .finish_non_exhaustive()
    }
}

impl<I, O, E> ResponseSequenceBuilder<I, O, E>
where
    I: Send + Sync + 'static,
    O: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    /// Then answers with `output()`.
    pub fn output<F>(mut self, output: F) -> Self
    where
        F: Fn() -> O + Send + Sync + 'static,
    {
        self.steps.push((
            Arc::new(move |_: &dyn Any| Some(MockResponse::Output(output()))),
            1,
        ));
        self
    }

    /// Then answers with the error `error()`.
    pub fn error<F>(mut self, error: F) -> Self
    where
        F: Fn() -> E + Send + Sync + 'static,
    {
        self.steps.push((
            Arc::new(move |_: &dyn Any| Some(MockResponse::Error(error()))),
            1,
        ));
        self
    }

    /// Then answers with an HTTP response of `status` and `body` (empty if `None`).
    pub fn http_status(self, status: u16, body: Option<String>) -> Self {
        let body = Bytes::from(body.unwrap_or_default());
        self.http_response(move || HttpResponse::new(status, http::HeaderMap::new(), body.clone()))
    }

    /// Then answers with the HTTP response `response()`.
    pub fn http_response<F>(mut self, response: F) -> Self
    where
        F: Fn() -> HttpResponse + Send + Sync + 'static,
    {
        self.steps.push((
            Arc::new(move |_: &dyn Any| Some(MockResponse::Http(response()))),
            1,
        ));
        self
    }

    /// Repeats the last response `count` times in all (a count of 0 is read as 1).
    pub fn times(mut self, count: usize) -> Self {
        if let Some(last) = self.steps.last_mut() {
            last.1 = count.max(1);
        }
        self
    }

    /// Repeats the last response forever.
    pub fn repeatedly(self) -> Self {
        self.times(usize::MAX)
    }

    /// The rule.
    pub fn build(self) -> Rule {
        let max_responses = self
            .steps
            .iter()
            .fold(0usize, |total, (_, count)| total.saturating_add(*count));
        let steps = self.steps;
        Rule {
            matcher: self.matcher,
            serve: Arc::new(move |index, input| {
                let mut index = index;
                for (step, count) in &steps {
                    if index < *count {
                        return step(input).map(|response| match response {
                            MockResponse::Output(o) => MockResponse::Output(Box::new(o) as Erased),
                            MockResponse::Error(e) => MockResponse::Error(Box::new(e) as Erased),
                            MockResponse::Http(h) => MockResponse::Http(h),
                        });
                    }
                    index -= count;
                }
                None
            }),
            calls: Arc::new(AtomicUsize::new(0)),
            max_responses,
            simple: self.simple,
        }
    }

    /// A `then_*` rule: its one response forever.
    fn simple(mut self) -> Rule {
        self.simple = true;
        self.repeatedly().build()
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
        write!(
            f,
            "MockResponseInterceptor({rules} rules, {:?})",
            self.rule_mode
        )
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
                // A used-up rule hands over before matching, so the next one is checked.
                if rule.is_exhausted() || (rule.simple && rule.num_calls() > 0) {
                    rules.pop_front();
                    continue;
                }
                if !(rule.matcher)(input) {
                    return Err("the next rule in sequence does not match this call".into());
                }
                break rule.next_response(input);
            },
            RuleMode::MatchAny => rules
                .iter()
                .filter(|rule| !rule.is_exhausted() && (rule.matcher)(input))
                .find_map(|rule| rule.next_response(input)),
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
            MockResponse::Output(output) => {
                output.downcast::<O>().map(|o| *o).map_err(|_| mismatch())
            }
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

/// Reads a mocked HTTP response as the call path reads a real one (without retries). Returns
/// what `send()` returns, so its error is as large as `send()`'s.
#[allow(clippy::result_large_err)]
fn parse<O, E>(op: &'static OperationSpec<O, E>, response: HttpResponse) -> Result<O, SdkError<E>> {
    if response.status().is_success() {
        return invoke::parse_output(op, &response)
            .map_err(|err| SdkError::response_error(err, response));
    }
    let (code, message) =
        error_response::error_code_and_message(response.headers(), response.body());
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
                || {
                    $operation(unreachable!())
                        .as_input()
                        .clone()
                        .build()
                        .unwrap()
                },
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
        $crate::mock_client!(
            $aws_crate,
            $crate::client::mocks::RuleMode::Sequential,
            $rules
        )
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
