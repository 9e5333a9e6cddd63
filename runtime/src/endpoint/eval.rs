//! Rule evaluation: parameters in, an [`Endpoint`] or an error out.
//!
//! Values are `aws_smithy_types::Document`s; "unset" is `None`. Variables live on one stack
//! that each rule truncates back when it does not match, so assignments are visible exactly
//! to later conditions of the same rule and to its sub-rules. Expressions evaluate to
//! `Cow<Document>`, borrowing from the stack where they can, so resolution copies little.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use aws_smithy_types::{Document, Number};

use super::error::{EndpointError, EndpointErrorKind};
use super::functions;
use super::params::{ParamValue, Params};
use super::partitions;
use super::ruleset::{
    EndpointSpec, Expr, FnCall, Function, Literal, Rule, RuleKind, RuleSet, Template, TemplatePart,
};
use super::Endpoint;

type Value<'s> = Option<Cow<'s, Document>>;

/// Variables in scope, innermost last.
struct Scope<'r> {
    vars: Vec<(&'r str, Document)>,
}

impl Scope<'_> {
    fn get(&self, name: &str) -> Option<&Document> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            // A null document is no value at all, as far as `isSet` is concerned.
            .filter(|v| !matches!(v, Document::Null))
    }
}

impl RuleSet {
    /// Resolves the endpoint for `params`.
    ///
    /// Unset parameters take their defaults; a missing required parameter, a value of the
    /// wrong type or an undeclared name is an [`EndpointErrorKind::InvalidParams`] error. An
    /// `error` rule that matches gives an [`EndpointErrorKind::Rule`] error with its message.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        for (name, _) in params.iter() {
            if !self.parameters.iter().any(|p| p.name == name) {
                return Err(EndpointError::params(format!(
                    "`{name}` is not a parameter of this rule set"
                )));
            }
        }
        let mut scope = Scope {
            vars: Vec::with_capacity(self.parameters.len() + 4),
        };
        for p in &self.parameters {
            let value = match params.get(&p.name) {
                Some(v) if !p.ty.accepts(v) => {
                    return Err(EndpointError::params(format!(
                        "`{}` must be a {}, got a {}",
                        p.name,
                        p.ty.name(),
                        v.type_name()
                    )))
                }
                Some(v) => Some(v),
                None => p.default.as_ref(),
            };
            match value {
                Some(v) => scope.vars.push((&p.name, param_document(v))),
                None if p.required => {
                    return Err(EndpointError::params(format!(
                        "missing required parameter `{}`",
                        p.name
                    )))
                }
                None => {}
            }
        }
        eval_rules(&self.rules, &mut scope)?
            .ok_or_else(|| EndpointError::eval("no endpoint rule matched the parameters"))
    }
}

fn param_document(v: &ParamValue) -> Document {
    match v {
        ParamValue::String(s) => Document::String(s.clone()),
        ParamValue::Bool(b) => Document::Bool(*b),
        ParamValue::StringArray(a) => {
            Document::Array(a.iter().cloned().map(Document::String).collect())
        }
    }
}

/// Tries `rules` in order: `Ok(None)` if none matched.
fn eval_rules<'r>(
    rules: &'r [Rule],
    scope: &mut Scope<'r>,
) -> Result<Option<Endpoint>, EndpointError> {
    for rule in rules {
        let mark = scope.vars.len();
        let result = eval_rule(rule, scope);
        scope.vars.truncate(mark);
        if let Some(endpoint) = result? {
            return Ok(Some(endpoint));
        }
    }
    Ok(None)
}

fn eval_rule<'r>(rule: &'r Rule, scope: &mut Scope<'r>) -> Result<Option<Endpoint>, EndpointError> {
    for cond in &rule.conditions {
        // A condition holds when its value is set and not `false`.
        let value = match eval_call(&cond.call, scope)? {
            None => return Ok(None),
            Some(v) if matches!(v.as_ref(), Document::Bool(false) | Document::Null) => {
                return Ok(None)
            }
            // Only an assigned value needs to outlive the borrow of the scope.
            Some(v) => cond.assign.as_ref().map(|name| (name, v.into_owned())),
        };
        if let Some((name, v)) = value {
            scope.vars.push((name, v));
        }
    }
    match &rule.kind {
        RuleKind::Endpoint(spec) => build_endpoint(spec, scope).map(Some),
        RuleKind::Error(message) => Err(EndpointError::new(
            EndpointErrorKind::Rule,
            string_value(message, scope, "error message")?,
        )),
        // Tree rules are terminal (spec): once their conditions hold, a sub-rule must match.
        RuleKind::Tree(rules) => match eval_rules(rules, scope)? {
            Some(endpoint) => Ok(Some(endpoint)),
            None => Err(EndpointError::eval(
                "rules exhausted: a tree rule matched but none of its sub-rules did",
            )),
        },
    }
}

fn build_endpoint(spec: &EndpointSpec, scope: &Scope<'_>) -> Result<Endpoint, EndpointError> {
    let url = string_value(&spec.url, scope, "endpoint url")?;
    let mut headers = BTreeMap::new();
    for (name, exprs) in &spec.headers {
        let values = exprs
            .iter()
            .map(|e| string_value(e, scope, "header value"))
            .collect::<Result<Vec<_>, _>>()?;
        headers.insert(name.clone(), values);
    }
    let mut properties = HashMap::with_capacity(spec.properties.len());
    for (name, literal) in &spec.properties {
        properties.insert(name.clone(), literal_document(literal, scope)?);
    }
    Ok(Endpoint {
        url,
        headers,
        properties,
    })
}

/// Evaluates an expression that must give a string (url, header, error message).
fn string_value(expr: &Expr, scope: &Scope<'_>, what: &str) -> Result<String, EndpointError> {
    match eval_expr(expr, scope)? {
        Some(Cow::Owned(Document::String(s))) => Ok(s),
        Some(Cow::Borrowed(Document::String(s))) => Ok(s.clone()),
        Some(_) => Err(EndpointError::eval(format!("the {what} is not a string"))),
        None => Err(EndpointError::eval(format!("the {what} is unset"))),
    }
}

fn eval_expr<'s>(expr: &Expr, scope: &'s Scope<'_>) -> Result<Value<'s>, EndpointError> {
    match expr {
        Expr::Ref(name) => Ok(scope.get(name).map(Cow::Borrowed)),
        Expr::Lit(literal) => Ok(Some(Cow::Owned(literal_document(literal, scope)?))),
        Expr::Call(call) => eval_call(call, scope),
    }
}

fn literal_document(literal: &Literal, scope: &Scope<'_>) -> Result<Document, EndpointError> {
    Ok(match literal {
        Literal::Str(t) => Document::String(eval_template(t, scope)?),
        Literal::Bool(b) => Document::Bool(*b),
        Literal::Int(i) => Document::Number(match u64::try_from(*i) {
            Ok(u) => Number::PosInt(u),
            Err(_) => Number::NegInt(*i),
        }),
        Literal::Array(items) => Document::Array(
            items
                .iter()
                .map(|i| literal_document(i, scope))
                .collect::<Result<_, _>>()?,
        ),
        Literal::Record(fields) => Document::Object(
            fields
                .iter()
                .map(|(k, v)| Ok((k.clone(), literal_document(v, scope)?)))
                .collect::<Result<_, EndpointError>>()?,
        ),
    })
}

fn eval_template(template: &Template, scope: &Scope<'_>) -> Result<String, EndpointError> {
    if let [TemplatePart::Text(text)] = template.parts.as_slice() {
        return Ok(text.clone());
    }
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => out.push_str(text),
            TemplatePart::Var { name, path } => {
                let value = scope.get(name);
                let value = match path {
                    Some(path) => value.and_then(|v| path.get(v)),
                    None => value,
                };
                match value {
                    Some(Document::String(s)) => out.push_str(s),
                    Some(_) => {
                        return Err(EndpointError::eval(format!(
                            "template variable `{name}` is not a string"
                        )))
                    }
                    None => {
                        return Err(EndpointError::eval(format!(
                            "template variable `{name}` is unset"
                        )))
                    }
                }
            }
        }
    }
    Ok(out)
}

fn eval_call<'s>(call: &FnCall, scope: &'s Scope<'_>) -> Result<Value<'s>, EndpointError> {
    let name = call.func.name();
    // Arity is checked at load time; a missing argument here is still an error, not a panic.
    let arg = |i: usize| -> Result<Value<'s>, EndpointError> {
        match call.args.get(i) {
            Some(e) => eval_expr(e, scope),
            None => Err(EndpointError::eval(format!(
                "`{name}` is missing argument {i}"
            ))),
        }
    };
    let mismatch = |i: usize, ty: &str| {
        EndpointError::eval(format!("argument {i} of `{name}` must be a {ty}"))
    };
    // Unset arguments make the result unset (and so the condition false), except for isSet.
    macro_rules! arg_of {
        ($i:expr, $variant:ident, $ty:expr) => {{
            let value: Cow<'s, Document> = match arg($i)? {
                None => return Ok(None),
                Some(v) => match v.as_ref() {
                    Document::$variant(_) => v,
                    _ => return Err(mismatch($i, $ty)),
                },
            };
            value
        }};
    }
    let out = match &call.func {
        Function::IsSet => {
            Document::Bool(arg(0)?.is_some_and(|v| !matches!(v.as_ref(), Document::Null)))
        }
        Function::Not => Document::Bool(!bool_of(&*arg_of!(0, Bool, "boolean"))),
        Function::BooleanEquals => {
            let a = arg_of!(0, Bool, "boolean");
            let b = arg_of!(1, Bool, "boolean");
            Document::Bool(a == b)
        }
        Function::StringEquals => {
            let a = arg_of!(0, String, "string");
            let b = arg_of!(1, String, "string");
            Document::Bool(a == b)
        }
        Function::GetAttr(path) => {
            return Ok(match arg(0)? {
                None => None,
                Some(Cow::Borrowed(v)) => path.get(v).map(Cow::Borrowed),
                Some(Cow::Owned(v)) => path.get(&v).cloned().map(Cow::Owned),
            })
        }
        Function::Partition => {
            let region = arg_of!(0, String, "string");
            match partitions::partition(str_of(&region)) {
                Some(p) => partition_document(&p.outputs),
                None => return Ok(None),
            }
        }
        Function::ParseArn => {
            let value = arg_of!(0, String, "string");
            match functions::parse_arn(str_of(&value)) {
                Some(arn) => record([
                    ("partition", Document::String(arn.partition)),
                    ("service", Document::String(arn.service)),
                    ("region", Document::String(arn.region)),
                    ("accountId", Document::String(arn.account_id)),
                    (
                        "resourceId",
                        Document::Array(
                            arn.resource_id.into_iter().map(Document::String).collect(),
                        ),
                    ),
                ]),
                None => return Ok(None),
            }
        }
        Function::ParseUrl => {
            let value = arg_of!(0, String, "string");
            match functions::parse_url(str_of(&value)) {
                Some(url) => record([
                    ("scheme", Document::String(url.scheme)),
                    ("authority", Document::String(url.authority)),
                    ("path", Document::String(url.path)),
                    ("normalizedPath", Document::String(url.normalized_path)),
                    ("isIp", Document::Bool(url.is_ip)),
                ]),
                None => return Ok(None),
            }
        }
        Function::Substring => {
            let input = arg_of!(0, String, "string");
            let start = arg_of!(1, Number, "integer");
            let stop = arg_of!(2, Number, "integer");
            let reverse = bool_of(&*arg_of!(3, Bool, "boolean"));
            let (Some(start), Some(stop)) = (index(&start), index(&stop)) else {
                return Ok(None);
            };
            match functions::substring(str_of(&input), start, stop, reverse) {
                Some(s) => Document::String(s.to_owned()),
                None => return Ok(None),
            }
        }
        Function::UriEncode => Document::String(functions::uri_encode(str_of(&*arg_of!(
            0, String, "string"
        )))),
        Function::IsValidHostLabel => {
            let value = arg_of!(0, String, "string");
            let sub = bool_of(&*arg_of!(1, Bool, "boolean"));
            Document::Bool(functions::is_valid_host_label(str_of(&value), sub))
        }
        Function::IsVirtualHostableS3Bucket => {
            let value = arg_of!(0, String, "string");
            let sub = bool_of(&*arg_of!(1, Bool, "boolean"));
            Document::Bool(functions::is_virtual_hostable_s3_bucket(
                str_of(&value),
                sub,
            ))
        }
    };
    Ok(Some(Cow::Owned(out)))
}

/// Whether a document is `true` (callers have checked the variant with `arg_of!`).
fn bool_of(v: &Document) -> bool {
    matches!(v, Document::Bool(true))
}

/// The text of a string document (callers have checked the variant with `arg_of!`).
fn str_of(v: &Document) -> &str {
    match v {
        Document::String(s) => s,
        _ => "",
    }
}

/// A non-negative integer argument as an index; `None` for negative or fractional numbers.
fn index(v: &Document) -> Option<usize> {
    match v {
        Document::Number(Number::PosInt(u)) => usize::try_from(*u).ok(),
        _ => None,
    }
}

fn record<const N: usize>(fields: [(&str, Document); N]) -> Document {
    Document::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn partition_document(p: &partitions::PartitionOutputs) -> Document {
    record([
        ("name", Document::String(p.name.to_owned())),
        ("dnsSuffix", Document::String(p.dns_suffix.to_owned())),
        (
            "dualStackDnsSuffix",
            Document::String(p.dual_stack_dns_suffix.to_owned()),
        ),
        ("supportsFIPS", Document::Bool(p.supports_fips)),
        ("supportsDualStack", Document::Bool(p.supports_dual_stack)),
        (
            "implicitGlobalRegion",
            Document::String(p.implicit_global_region.to_owned()),
        ),
    ])
}
