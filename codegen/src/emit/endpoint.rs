//! `src/endpoint.rs`: the rule set (as data for the runtime's rules engine) and a test per
//! case of the model's `smithy.rules#endpointTests`.
//!
//! A case with `operationInputs` is checked the way a call resolves its endpoint: the
//! operation's input is built with the case's members (`input_values`), its endpoint
//! parameters (`endpoint_params(&input)`: `contextParam` members and `operationContextParams`
//! paths) and static parameters (`OPERATION`) are layered over the case's built-ins by the
//! runtime's `operation_params`. Where that cannot be done (the operation is not generated,
//! as event-stream ones are not; a built-in the runtime does not have; a value the input
//! cannot hold) only the case's `params` are resolved, and the test's docs say why (the
//! `aws_models` test counts such notes).

use proc_macro2::TokenStream;
use quote::quote;

use serde_json::Value;

use super::common::{ident, Types};
use super::crate_files::feature_cfg;
use super::input_values::setters;
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
                use awsjson_runtime::endpoint::{Endpoint, EndpointError, Params, RuleSet};

                fn rules() -> RuleSet {
                    RuleSet::from_json(super::RULE_SET).expect("the generated rule set is valid")
                }

                fn resolve(params: Params) -> Result<Endpoint, EndpointError> {
                    rules().resolve(&params)
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
/// The built-ins `BuiltIns` has fields for (the runtime's `AWS::*` / `SDK::*` set).
const BUILT_INS: [&str; 6] = [
    "AWS::Region",
    "AWS::UseFIPS",
    "AWS::UseDualStack",
    "SDK::Endpoint",
    "AWS::Auth::AccountId",
    "AWS::Auth::AccountIdEndpointMode",
];

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
    let setters = match setters(
        types,
        &op.input,
        &Value::Object(input.params.iter().cloned().collect()),
    ) {
        Ok(setters) => setters,
        Err(why) => return Ok(Err(why)),
    };
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
            _ => return Ok(Err(format!("built-in `{name}` is not one the runtime has"))),
        };
        fields.push(field);
    }
    // With every field given, `..default()` would be clippy's `needless_update`.
    let rest = if fields.len() < BUILT_INS.len() {
        quote! { ..awsjson_runtime::endpoint::BuiltIns::default() }
    } else {
        TokenStream::new()
    };
    let module = ident(&op.module);
    let input_ty = types.rust_type(&Type::Named(op.input.clone()));
    let (input_binding, context) = match &op.endpoint_params_fn {
        Some(f) => {
            let f = ident(f);
            (
                quote! { let input = builder.build().expect("the case's input is valid"); },
                quote! { &crate::operation::#module::#f(&input) },
            )
        }
        None => (
            quote! { let _ = builder.build().expect("the case's input is valid"); },
            quote! { &[] },
        ),
    };
    let cfg = feature_cfg(types, settings, [&op.name])?;
    Ok(Ok(quote! {
        #cfg
        {
            let builder = #input_ty::builder() #(#setters)*;
            #input_binding
            let built_ins = awsjson_runtime::endpoint::BuiltIns { #(#fields,)* #rest };
            // As a call resolves: built-ins, then the input's parameters, then the
            // operation's static ones.
            let rules = rules();
            let params = awsjson_runtime::endpoint::operation_params(
                &rules,
                &built_ins,
                crate::operation::#module::OPERATION.static_endpoint_params,
                #context,
            );
            let result = rules.resolve(&params);
            #check
        }
    }))
}
