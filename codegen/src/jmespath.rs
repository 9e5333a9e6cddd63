//! JMESPath for the paths Smithy models carry: `smithy.waiters#waitable` acceptor paths,
//! `smithy.api#paginated` item/token paths and `smithy.rules#operationContextParams`.
//!
//! [`parse`] reads the whole JMESPath grammar; [`compile`] turns the subset the published
//! AWS models use into plain Rust over the generated types' accessors, through the
//! [`Shapes`] trait the generator implements. Anything else is a [`JmesPathError`] naming
//! the expression and why, never a panic and never silently wrong code.
//!
//! # What the models use (survey of `lightsail.json` and the eight `aws/*.json`)
//!
//! | Where | Expression | Comparator |
//! |---|---|---|
//! | waiter (ACM `CertificateValidated`) | `Certificate.DomainValidationOptions[].ValidationStatus` | `allStringEquals`, `anyStringEquals` |
//! | waiter (ACM) | `Certificate.Status` | `stringEquals` |
//! | waiter (DynamoDB `TableExists`) | `Table.TableStatus` | `stringEquals` |
//! | waiter (ECR `ImageScanComplete`) | `imageScanStatus.status` | `stringEquals` |
//! | waiter (ECR `LifecyclePolicyPreviewComplete`) | `status` | `stringEquals` |
//! | waiter (DynamoDB `TableNotExists`, ACM) | — (`errorType` matchers) | — |
//! | operationContextParams (DynamoDB) | `TableCreationParameters.TableName`, `TransactItems[*].Get.TableName`, `keys(RequestItems)` | — |
//! | paginated (all nine) | one member name each (`NextToken`, `Items`, `LastEvaluatedKey`...) | — |
//!
//! Supported beyond the survey (what other published models use, and the Lightsail
//! deployment waiter): quoted names, `[n]` / `[-n]`, `[*]`, `[]` (flatten), filters
//! `[?a == 'b']`, `==`/`!=`/`<`/`<=`/`>`/`>=` against literals (and `==`/`!=` between two
//! strings), `&&`, `||`, `!`, parentheses, `@`, `|`, and the functions `length`,
//! `contains`, `starts_with`, `ends_with`, `keys`, `values`, `max_by`, `min_by`.
//! Parsed but rejected by the compiler: slices, object wildcards (`*`), multi-selects,
//! other functions, comparisons that are always false (a list with a string...).
//!
//! Values that are absent in the output are JMESPath `null`: a path through them yields
//! nothing, and a comparator never matches it.

mod compile;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

pub use compile::{
    compile, compile_matcher, Compiled, Kind, Matcher, Member, PathType, Root, Shapes,
};
pub use parser::{parse, Ast, Comparator};

/// A JMESPath expression that cannot be parsed or compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("JMESPath expression `{expression}`: {reason}")]
pub struct JmesPathError {
    /// The expression as written in the model.
    pub expression: String,
    /// What is wrong, with the offset for syntax errors.
    pub reason: String,
}

impl JmesPathError {
    fn new(expression: &str, reason: impl Into<String>) -> Self {
        JmesPathError {
            expression: expression.to_string(),
            reason: reason.into(),
        }
    }
}
