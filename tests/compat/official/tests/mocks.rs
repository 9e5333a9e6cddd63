//! The mocks unit test with aws-smithy-mocks.

use aws_smithy_mocks::{mock, mock_client, RuleMode};

#[path = "../../programs/mocks_test.rs"]
mod shared;
