//! Endpoint parameters that come from the operation rather than the client:
//! `smithy.rules#staticContextParams` (constants of the operation, [`StaticParam`]) and
//! `smithy.rules#contextParam` (input members, computed by the generated code per call),
//! layered over the SDK built-ins with the Smithy precedence
//! (static > context > built-in > rule-set default).

use super::params::{BuiltIns, ParamValue, Params};
use super::RuleSet;

/// A `staticContextParams` value, as a `static` of the generated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaticParam {
    /// A string.
    String(&'static str),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StringArray(&'static [&'static str]),
}

impl StaticParam {
    /// The owned parameter value.
    pub fn to_value(self) -> ParamValue {
        match self {
            StaticParam::String(s) => ParamValue::String(s.to_owned()),
            StaticParam::Bool(b) => ParamValue::Bool(b),
            StaticParam::StringArray(items) => {
                ParamValue::StringArray(items.iter().map(|s| (*s).to_owned()).collect())
            }
        }
    }
}

/// The parameters of one operation call: the built-ins, then the input's context
/// parameters, then the operation's static ones. Names the rule set does not declare are
/// ignored (a model may bind parameters an older rule set lacks).
pub fn operation_params(
    rules: &RuleSet,
    built_ins: &BuiltIns,
    static_params: &[(&'static str, StaticParam)],
    context_params: &[(&'static str, ParamValue)],
) -> Params {
    let mut params = rules.params_from_builtins(built_ins);
    let declared = |name: &str| rules.parameter_names().any(|p| p == name);
    for (name, value) in context_params {
        if declared(name) {
            params.set(*name, value.clone());
        }
    }
    for (name, value) in static_params {
        if declared(name) {
            params.set(*name, value.to_value());
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_beats_context_beats_builtin_and_undeclared_names_are_ignored() {
        let rules = RuleSet::from_json(
            r#"{"version":"1.0","parameters":{
                "Region":{"type":"string","builtIn":"AWS::Region","required":false},
                "Arn":{"type":"string","required":false},
                "Ctl":{"type":"boolean","required":false},
                "List":{"type":"stringArray","required":false}},
              "rules":[{"conditions":[],"type":"error","error":"x"}]}"#,
        )
        .expect("rules");
        let built_ins = BuiltIns {
            region: Some("us-east-1".into()),
            ..BuiltIns::default()
        };
        let params = operation_params(
            &rules,
            &built_ins,
            &[
                ("Ctl", StaticParam::Bool(true)),
                ("List", StaticParam::StringArray(&["a", "b"])),
                ("Nope", StaticParam::String("z")),
            ],
            &[
                ("Arn", ParamValue::String("arn".into())),
                ("Ctl", ParamValue::Bool(false)),
                ("Other", ParamValue::Bool(true)),
            ],
        );
        assert_eq!(params.get("Ctl"), Some(&ParamValue::Bool(true)));
        assert_eq!(params.get("Arn"), Some(&ParamValue::String("arn".into())));
        assert_eq!(
            params.get("List"),
            Some(&ParamValue::StringArray(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            params.get("Region"),
            Some(&ParamValue::String("us-east-1".into()))
        );
        assert_eq!(params.get("Nope"), None);
        assert_eq!(params.get("Other"), None);
    }
}
