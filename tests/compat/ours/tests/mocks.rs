//! The mocks unit test with the generated crate's `mocks` (feature `test-util`).

use lightsail::mocks::{mock, mock_client, RuleMode};

#[path = "../../programs/mocks_test.rs"]
mod shared;
