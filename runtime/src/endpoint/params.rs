//! Endpoint parameters: values by name, and the SDK built-ins that feed them.

use std::collections::BTreeMap;

/// The value of one endpoint parameter, of one of the three types the rules engine knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// A `string` parameter.
    String(String),
    /// A `boolean` parameter.
    Bool(bool),
    /// A `stringArray` parameter.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// The rule-set type name of this value (`string`, `boolean`, `stringArray`), for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            ParamValue::String(_) => "string",
            ParamValue::Bool(_) => "boolean",
            ParamValue::StringArray(_) => "stringArray",
        }
    }
}

/// Endpoint parameter values by parameter name (case-sensitive, as declared by the rule set).
///
/// Unset parameters take their rule-set `default` at resolution time; a `required` parameter
/// with neither a value nor a default makes [`RuleSet::resolve`](super::RuleSet::resolve) fail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    // A BTreeMap keeps Debug output stable; there are only a handful of entries.
    values: BTreeMap<String, ParamValue>,
}

impl Params {
    /// Returns a builder with no parameter set.
    pub fn builder() -> ParamsBuilder {
        ParamsBuilder::default()
    }

    /// The value set for `name`, if any (defaults are not applied here).
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.get(name)
    }

    /// Sets `name` to `value`, replacing any earlier value.
    pub fn set(&mut self, name: impl Into<String>, value: ParamValue) {
        self.values.insert(name.into(), value);
    }

    /// Unsets `name`, returning its value if it was set.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        self.values.remove(name)
    }

    /// Iterates over the parameters that are set, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// Builder for [`Params`]; each call sets one parameter by name.
#[derive(Clone, Debug, Default)]
pub struct ParamsBuilder {
    params: Params,
}

impl ParamsBuilder {
    /// Sets a `string` parameter.
    pub fn string(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.set(name, ParamValue::String(value.into()));
        self
    }

    /// Sets a `boolean` parameter.
    pub fn boolean(mut self, name: impl Into<String>, value: bool) -> Self {
        self.params.set(name, ParamValue::Bool(value));
        self
    }

    /// Sets a `stringArray` parameter.
    pub fn string_array<I, S>(mut self, name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values = values.into_iter().map(Into::into).collect();
        self.params.set(name, ParamValue::StringArray(values));
        self
    }

    /// Sets a parameter of any type.
    pub fn value(mut self, name: impl Into<String>, value: ParamValue) -> Self {
        self.params.set(name, value);
        self
    }

    /// Returns the parameters.
    pub fn build(self) -> Params {
        self.params
    }
}

/// The SDK-level settings that rule sets consume through `builtIn` parameters.
///
/// [`RuleSet::params_from_builtins`](super::RuleSet::params_from_builtins) maps them onto
/// whichever parameters declare `AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack` and
/// `SDK::Endpoint`, so client code never needs to know a service's parameter names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuiltIns {
    /// `AWS::Region`: the configured region, such as `us-east-1`.
    pub region: Option<String>,
    /// `AWS::UseFIPS`: send requests to FIPS endpoints.
    pub use_fips: bool,
    /// `AWS::UseDualStack`: send requests to dual-stack (IPv4 + IPv6) endpoints.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: an endpoint URL that overrides resolution.
    pub endpoint: Option<String>,
    /// `AWS::Auth::AccountId`: the account id of the credentials, when they carry one.
    pub account_id: Option<String>,
    /// `AWS::Auth::AccountIdEndpointMode`: `preferred` (the default), `disabled` or
    /// `required`.
    pub account_id_endpoint_mode: Option<String>,
}

impl BuiltIns {
    /// The value of built-in `name`, or `None` when unset or not one of those above.
    pub(crate) fn value(&self, name: &str) -> Option<ParamValue> {
        match name {
            "AWS::Region" => self.region.clone().map(ParamValue::String),
            "AWS::UseFIPS" => Some(ParamValue::Bool(self.use_fips)),
            "AWS::UseDualStack" => Some(ParamValue::Bool(self.use_dual_stack)),
            "SDK::Endpoint" => self.endpoint.clone().map(ParamValue::String),
            "AWS::Auth::AccountId" => self.account_id.clone().map(ParamValue::String),
            "AWS::Auth::AccountIdEndpointMode" => self
                .account_id_endpoint_mode
                .clone()
                .map(ParamValue::String),
            _ => None,
        }
    }
}
