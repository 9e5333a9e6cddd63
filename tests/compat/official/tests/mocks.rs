//! The mocks unit test with aws-smithy-mocks.

use aws_smithy_mocks::{mock, mock_client, RuleMode};

include!("../../programs/mocks_test.rs");
