//! `src/endpoint.rs`: the rule set (as data for the runtime's rules engine) and a test per
//! case of the model's `smithy.rules#endpointTests`.
//!
//! A case with `operationInputs` is checked the way a call resolves its endpoint: the
//! operation's input is built with the case's members, its context parameters
//! (`endpoint_params`) and static parameters (`OPERATION`) are layered over the case's
//! built-ins by the runtime's `operation_params`. Where that is not possible yet (the
//! operation uses `operationContextParams`, a member value is a structure or map, the
//! operation is not generated, an unknown built-in) the case's `params` are resolved
//! directly, and the test's docs say why.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, Types};
use super::crate_files::feature_cfg;
use super::operation::io_structure;
use crate::error::Error;
use crate::ir::{EndpointExpect, EndpointOperationInput, EndpointParam, EndpointTest, Type};
use crate::Settings;

/// `src/endpoint.rs`.
pub fn endpoint_rs(types: &Types<'_>, settings: &Settings) -> Result<TokenStream, Error> {
    let service = types.service;
    let rules = &service.endpoint_rules;
    let tests = service
        .endpoint_tests
        .iter()
        .map(|case| endpoint_test(types, settings, case))
        .collect::<Result<Vec<_>, _>>()?;
    let test_module = if service.endpoint_tests.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            #[cfg(test)]
            mod tests {
                #![allow(unused_imports, dead_code)]
                use awsjson_runtime::endpoint::{BuiltIns, Endpoint, EndpointError, ParamValue, Params, RuleSet, StaticParam};

                fn rules() -> RuleSet {
                    RuleSet::from_json(super::RULE_SET).expect("the generated rule set is valid")
                }

                fn resolve(params: Params) -> Result<Endpoint, EndpointError> {
                    rules().resolve(&params)
                }

                /// Resolves as a call of an operation does: built-ins, then the input's
                /// context parameters, then the operation's static parameters.
                fn resolve_operation(
                    built_ins: &BuiltIns,
                    static_params: &[(&'static str, StaticParam)],
                    context_params: &[(&'static str, ParamValue)],
                ) -> Result<Endpoint, EndpointError> {
                    let rules = rules();
                    rules.resolve(&awsjson_runtime::endpoint::operation_params(&rules, built_ins, static_params, context_params))
                }

                #(#tests)*
            }
        }
    };
    Ok(quote! {
        //! Endpoint resolution: the service's Smithy rule set, evaluated by the runtime.

        /// The `smithy.rules#endpointRuleSet` of the service model, as JSON.
        pub(crate) const RULE_SET: &str = #rules;

        #test_module
    })
}

fn check(expect: &EndpointExpect) -> TokenStream {
    match expect {
        EndpointExpect::Error(message) => quote! {
            let error = result.expect_err("expected an error");
            assert_eq!(error.to_string(), #message);
        },
        EndpointExpect::Endpoint { url, headers } => {
            let headers = headers.iter().map(|(k, values)| {
                quote! {
                    assert_eq!(endpoint.headers.get(#k).map(Vec::as_slice), Some(&[#(#values.to_string()),*][..]));
                }
            });
            quote! {
                let endpoint = result.expect("expected an endpoint");
                assert_eq!(endpoint.url, #url);
                #(#headers)*
            }
        }
    }
}

fn endpoint_test(
    types: &Types<'_>,
    settings: &Settings,
    case: &EndpointTest,
) -> Result<TokenStream, Error> {
    let name = ident(&case.fn_name);
    let check = check(&case.expect);
    let mut blocks = Vec::new();
    let mut notes = Vec::new();
    for input in &case.operation_inputs {
        match operation_check(types, settings, input, &check)? {
            Ok(block) => blocks.push(block),
            Err(why) => notes.push(format!(
                " The `{}` input is not checked as a call: {why}; the case's `params` are.",
                input.operation
            )),
        }
    }
    // The case's `params` are always checked against the rule set; the call checks come on
    // top (and are compiled out with their operation's feature).
    let params_check = {
        let params = case.params.iter().map(|(k, v)| match v {
            EndpointParam::String(s) => quote! { .string(#k, #s) },
            EndpointParam::Bool(b) => quote! { .boolean(#k, #b) },
            EndpointParam::StringArray(items) => quote! { .string_array(#k, [#(#items),*]) },
        });
        quote! {
            {
                let result = resolve(Params::builder() #(#params)* .build());
                #check
            }
        }
    };
    let doc = format!(" {}", case.doc);
    let note_docs = notes.iter().map(|n| quote! { #[doc = ""] #[doc = #n] });
    Ok(quote! {
        #[doc = #doc]
        #(#note_docs)*
        #[test]
        fn #name() {
            #params_check
            #(#blocks)*
        }
    })
}

/// The check of one `operationInputs` entry as a call would resolve it, or why it
/// cannot be made.
fn operation_check(
    types: &Types<'_>,
    settings: &Settings,
    input: &EndpointOperationInput,
    check: &TokenStream,
) -> Result<Result<TokenStream, String>, Error> {
    let service = types.service;
    let Some(op) = service
        .operations
        .iter()
        .find(|o| o.name == input.operation)
    else {
        return Ok(Err("the operation is not generated".into()));
    };
    if !op.operation_context_params.is_empty() {
        return Ok(Err(format!(
            "it uses `smithy.rules#operationContextParams` ({}), not evaluated yet",
            op.operation_context_params.join(", ")
        )));
    }
    let input_shape = types.shape(&op.input)?;
    let s = io_structure(input_shape)?;
    let mut setters = Vec::new();
    for (wire, value) in &input.params {
        let Some(member) = s.members.iter().find(|m| &m.wire_name == wire) else {
            return Ok(Err(format!("the input has no member `{wire}`")));
        };
        let set = ident(&member.setter);
        let value = match (value, &member.target) {
            (Some(EndpointParam::String(v)), Type::String) => quote! { Some(#v.to_string()) },
            (Some(EndpointParam::Bool(v)), Type::Boolean) => quote! { Some(#v) },
            (Some(EndpointParam::StringArray(v)), Type::List { member, .. })
                if **member == Type::String =>
            {
                quote! { Some(vec![#(#v.to_string()),*]) }
            }
            _ => {
                return Ok(Err(format!(
                    "the value of `{wire}` cannot be set by the test"
                )))
            }
        };
        setters.push(quote! { .#set(#value) });
    }
    let mut fields = Vec::new();
    for (name, value) in &input.built_ins {
        let field = match (name.as_str(), value) {
            ("AWS::Region", EndpointParam::String(v)) => quote! { region: Some(#v.to_string()) },
            ("AWS::UseFIPS", EndpointParam::Bool(v)) => quote! { use_fips: #v },
            ("AWS::UseDualStack", EndpointParam::Bool(v)) => quote! { use_dual_stack: #v },
            ("SDK::Endpoint", EndpointParam::String(v)) => {
                quote! { endpoint: Some(#v.to_string()) }
            }
            ("AWS::Auth::AccountId", EndpointParam::String(v)) => {
                quote! { account_id: Some(#v.to_string()) }
            }
            ("AWS::Auth::AccountIdEndpointMode", EndpointParam::String(v)) => {
                quote! { account_id_endpoint_mode: Some(#v.to_string()) }
            }
            _ => return Ok(Err(format!("built-in `{name}` is not supported"))),
        };
        fields.push(field);
    }
    // `BuiltIns` has six fields; with all of them given, `..default()` would be a lint.
    let rest = if fields.len() < 6 {
        quote! { ..BuiltIns::default() }
    } else {
        TokenStream::new()
    };
    let module = ident(&op.module);
    let input_ty = ident(&input_shape.rust_name);
    let has_context = s.members.iter().any(|m| m.context_param.is_some());
    let context = if has_context {
        quote! { &crate::operation::#module::endpoint_params(&input) }
    } else {
        quote! { &[] }
    };
    let input_binding = if has_context {
        quote! { let input = builder.build().expect("the case's input is valid"); }
    } else {
        quote! { let _ = builder.build().expect("the case's input is valid"); }
    };
    let cfg = feature_cfg(types, settings, [&op.name])?;
    Ok(Ok(quote! {
        #cfg
        {
            let builder = crate::operation::#module::#input_ty::builder() #(#setters)*;
            #input_binding
            let built_ins = BuiltIns { #(#fields,)* #rest };
            let result = resolve_operation(
                &built_ins,
                crate::operation::#module::OPERATION.static_endpoint_params,
                #context,
            );
            #check
        }
    }))
}
