//! Smithy endpoint rules engine: resolves a service's endpoint from its
//! `smithy.rules#endpointRuleSet` and the client's settings.
//!
//! A generated crate embeds its rule set as JSON; the client loads it once with
//! [`RuleSet::from_json`], builds [`Params`] from the SDK [`BuiltIns`] with
//! [`RuleSet::params_from_builtins`], and calls [`RuleSet::resolve`]:
//!
//! ```
//! use awsjson_runtime::endpoint::{BuiltIns, RuleSet};
//!
//! let rules = RuleSet::from_json(r#"{
//!     "version": "1.0",
//!     "parameters": { "Region": { "type": "string", "builtIn": "AWS::Region" } },
//!     "rules": [
//!         { "type": "endpoint", "conditions": [{ "fn": "isSet", "argv": [{ "ref": "Region" }] }],
//!           "endpoint": { "url": "https://svc.{Region}.example.com" } },
//!         { "type": "error", "conditions": [], "error": "Missing Region" }
//!     ]
//! }"#)?;
//! let built_ins = BuiltIns { region: Some("eu-west-1".into()), ..BuiltIns::default() };
//! let endpoint = rules.resolve(&rules.params_from_builtins(&built_ins))?;
//! assert_eq!(endpoint.url, "https://svc.eu-west-1.example.com");
//! assert_eq!(rules.resolve(&Default::default()).unwrap_err().to_string(), "Missing Region");
//! # Ok::<(), awsjson_runtime::endpoint::EndpointError>(())
//! ```
//!
//! Supported: rule-set version 1.x in tree form; parameter types `string`, `boolean`,
//! `stringArray`; functions `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`,
//! `parseURL`, `substring`, `uriEncode`, `isValidHostLabel`, `aws.partition`, `aws.parseArn`
//! and `aws.isVirtualHostableS3Bucket`. A rule set using any other function fails to load,
//! naming the function and where it is used.

mod error;
mod eval;
pub mod functions;
mod operation;
mod params;
pub mod partitions;
pub mod region_pattern;
mod ruleset;

use std::collections::{BTreeMap, HashMap};

use aws_smithy_types::Document;

pub use error::{EndpointError, EndpointErrorKind};
pub use operation::{operation_params, StaticParam};
pub use params::{BuiltIns, ParamValue, Params, ParamsBuilder};
pub use ruleset::RuleSet;

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL to send requests to, such as `https://lightsail.us-east-1.amazonaws.com`.
    pub url: String,
    /// Headers to add to every request, by name, each with one or more values.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Endpoint properties by name, such as `authSchemes` (signing name and region
    /// overrides); values are documents of arbitrary shape.
    pub properties: HashMap<String, Document>,
}
