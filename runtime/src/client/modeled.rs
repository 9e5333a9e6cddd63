//! What the model says about one operation that the call path obeys: how it is
//! authenticated (`smithy.api#auth`, `smithy.api#optionalAuth`) and which of its errors are
//! retryable (`smithy.api#retryable`). The generated `OperationSpec` carries them as data.

/// How an operation's requests are authenticated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthMode {
    /// Signed with SigV4; a call without credentials fails before anything is sent.
    #[default]
    SigV4,
    /// `smithy.api#optionalAuth`: signed when credentials are available, else sent
    /// unsigned; never fails for lack of credentials.
    Optional,
    /// `smithy.api#auth: []`: never signed, credentials are not even looked up.
    None,
}

/// An error shape with `smithy.api#retryable`, by its error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryableError {
    /// The error code (the shape's name, or its `awsQueryError` code).
    pub code: &'static str,
    /// `throttling: true`: retried as throttling.
    pub throttling: bool,
}
