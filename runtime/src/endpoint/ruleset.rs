//! The rule-set IR and its loading from a `smithy.rules#endpointRuleSet` document.
//!
//! Loading validates everything that does not depend on parameter values: rule and
//! parameter shapes, function names and arities, `getAttr` paths, template syntax, and that
//! every reference names a parameter or a variable assigned by an enclosing condition. So a
//! rule set that loads can only fail at resolution on a type mismatch the IR cannot see.

use std::collections::HashMap;

use aws_smithy_types::{Document, Number};

use super::error::EndpointError;
use super::functions::AttrPath;
use super::params::{BuiltIns, ParamValue, Params};

/// A loaded endpoint rule set: parameters and rules, ready to [`resolve`](RuleSet::resolve).
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSet {
    pub(crate) version: String,
    /// Sorted by name, so iteration (and error messages) are deterministic.
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
}

/// The type a parameter declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamType {
    String,
    Boolean,
    StringArray,
}

impl ParamType {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "stringArray",
        }
    }

    pub(crate) fn accepts(self, value: &ParamValue) -> bool {
        matches!(
            (self, value),
            (ParamType::String, ParamValue::String(_))
                | (ParamType::Boolean, ParamValue::Bool(_))
                | (ParamType::StringArray, ParamValue::StringArray(_))
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Parameter {
    pub(crate) name: String,
    pub(crate) ty: ParamType,
    pub(crate) required: bool,
    pub(crate) default: Option<ParamValue>,
    pub(crate) built_in: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RuleKind {
    Endpoint(EndpointSpec),
    /// The message expression (usually a template string).
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EndpointSpec {
    pub(crate) url: Expr,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
    pub(crate) properties: Vec<(String, Literal)>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Condition {
    pub(crate) call: FnCall,
    pub(crate) assign: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FnCall {
    pub(crate) func: Function,
    pub(crate) args: Vec<Expr>,
}

/// The functions this engine implements. `getAttr` carries its path, parsed at load time;
/// its only runtime argument is the value to read from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr(AttrPath),
    Partition,
    ParseArn,
    ParseUrl,
    Substring,
    UriEncode,
    IsValidHostLabel,
    IsVirtualHostableS3Bucket,
}

impl Function {
    /// Looks a function up by its rule-set name; returns it with its argument count.
    fn by_name(name: &str) -> Option<(Function, usize)> {
        Some(match name {
            "isSet" => (Function::IsSet, 1),
            "not" => (Function::Not, 1),
            "booleanEquals" => (Function::BooleanEquals, 2),
            "stringEquals" => (Function::StringEquals, 2),
            // Placeholder path: replaced by the parsed second argument in `parse_call`.
            "getAttr" => (Function::GetAttr(AttrPath::default()), 2),
            "aws.partition" => (Function::Partition, 1),
            "aws.parseArn" => (Function::ParseArn, 1),
            "parseURL" => (Function::ParseUrl, 1),
            "substring" => (Function::Substring, 4),
            "uriEncode" => (Function::UriEncode, 1),
            "isValidHostLabel" => (Function::IsValidHostLabel, 2),
            "aws.isVirtualHostableS3Bucket" => (Function::IsVirtualHostableS3Bucket, 2),
            _ => return None,
        })
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::GetAttr(_) => "getAttr",
            Function::Partition => "aws.partition",
            Function::ParseArn => "aws.parseArn",
            Function::ParseUrl => "parseURL",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }
}

/// An expression: a reference, a function call, or a literal.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    Ref(String),
    Call(Box<FnCall>),
    Lit(Literal),
}

/// A literal. Strings are templates; records and arrays hold literals only (the spec forbids
/// references inside them, so `{"ref": ..}` there is just a record with a `ref` key).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Literal {
    Str(Template),
    Bool(bool),
    Int(i64),
    Array(Vec<Literal>),
    Record(Vec<(String, Literal)>),
}

/// A template string such as `https://svc.{Region}.{PartitionResult#dnsSuffix}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Template {
    pub(crate) parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TemplatePart {
    Text(String),
    /// `{name}` or `{name#path}`.
    Var {
        name: String,
        path: Option<AttrPath>,
    },
}

impl Template {
    /// Parses template syntax: `{{` and `}}` are literal braces, `{..}` a variable.
    fn parse(s: &str, at: &str) -> Result<Template, EndpointError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let rest = &s[i + 1..];
                    let Some(end) = rest.find('}') else {
                        return Err(EndpointError::invalid(
                            at,
                            format!("unclosed `{{` in template {s:?}"),
                        ));
                    };
                    let inner = &rest[..end];
                    // Skip the variable's characters and the closing brace.
                    for _ in 0..=inner.chars().count() {
                        chars.next();
                    }
                    let (name, path) = match inner.split_once('#') {
                        Some((name, path)) => (
                            name,
                            Some(AttrPath::parse(path).ok_or_else(|| {
                                EndpointError::invalid(at, format!("bad path in template {s:?}"))
                            })?),
                        ),
                        None => (inner, None),
                    };
                    if !is_identifier(name) {
                        return Err(EndpointError::invalid(
                            at,
                            format!("bad variable `{inner}` in template {s:?}"),
                        ));
                    }
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(TemplatePart::Var {
                        name: name.to_owned(),
                        path,
                    });
                }
                '}' => {
                    return Err(EndpointError::invalid(
                        at,
                        format!("unmatched `}}` in template {s:?}"),
                    ))
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(TemplatePart::Text(text));
        }
        Ok(Template { parts })
    }
}

/// Parameter and variable names: a letter, then letters, digits or `_`.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl RuleSet {
    /// Loads a rule set from its JSON text (the `smithy.rules#endpointRuleSet` trait value).
    pub fn from_json(json: &str) -> Result<RuleSet, EndpointError> {
        RuleSet::from_document(&parse_document(json)?)
    }

    /// Loads a rule set from a document, validating its structure. Errors name the place,
    /// such as `rules[1].rules[0].conditions[0]: unknown function "foo"`.
    pub fn from_document(doc: &Document) -> Result<RuleSet, EndpointError> {
        let root = object(doc, "rule set")?;
        let version = string_field(root, "version", "rule set")?.to_owned();
        // 1.x rule sets share this tree form; a future major version may not.
        if !version.starts_with("1.") {
            return Err(EndpointError::invalid(
                "version",
                format!("unsupported rule set version {version:?}"),
            ));
        }
        let mut parameters = Vec::new();
        if let Some(params) = root.get("parameters") {
            for (name, p) in object(params, "parameters")? {
                parameters.push(parse_parameter(name, p)?);
            }
        }
        parameters.sort_by(|a, b| a.name.cmp(&b.name));
        let mut scope: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
        let rules = parse_rules(field(root, "rules", "rule set")?, "rules", &mut scope)?;
        if rules.is_empty() {
            return Err(EndpointError::invalid(
                "rules",
                "a rule set needs at least one rule",
            ));
        }
        Ok(RuleSet {
            version,
            parameters,
            rules,
        })
    }

    /// The rule-set schema version, such as `1.0`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The declared parameter names, sorted.
    pub fn parameter_names(&self) -> impl Iterator<Item = &str> {
        self.parameters.iter().map(|p| p.name.as_str())
    }

    /// Whether a parameter declares built-in `name` (e.g. `AWS::Auth::AccountId`).
    pub fn uses_built_in(&self, name: &str) -> bool {
        self.parameters
            .iter()
            .any(|p| p.built_in.as_deref() == Some(name))
    }

    /// Maps SDK built-ins onto the parameters that declare them (`builtIn`), by name.
    ///
    /// Parameters with other built-ins or none stay unset, so their defaults apply; add
    /// their values with [`Params::set`].
    pub fn params_from_builtins(&self, built_ins: &BuiltIns) -> Params {
        let mut params = Params::default();
        for p in &self.parameters {
            if let Some(value) = p.built_in.as_deref().and_then(|b| built_ins.value(b)) {
                params.set(p.name.clone(), value);
            }
        }
        params
    }
}

/// Parses rule-set JSON with the runtime's own parser (no serde_json at run time).
fn parse_document(json: &str) -> Result<Document, EndpointError> {
    let mut d = crate::json::JsonDeserializer::new(json.as_bytes());
    let doc = d
        .document()
        .map_err(|e| EndpointError::invalid("json", e))?;
    d.finish().map_err(|e| EndpointError::invalid("json", e))?;
    Ok(doc)
}

type Obj = HashMap<String, Document>;

fn object<'d>(doc: &'d Document, at: &str) -> Result<&'d Obj, EndpointError> {
    doc.as_object()
        .ok_or_else(|| EndpointError::invalid(at, "expected an object"))
}

fn field<'d>(obj: &'d Obj, key: &str, at: &str) -> Result<&'d Document, EndpointError> {
    obj.get(key)
        .ok_or_else(|| EndpointError::invalid(at, format!("missing `{key}`")))
}

fn string_field<'d>(obj: &'d Obj, key: &str, at: &str) -> Result<&'d str, EndpointError> {
    field(obj, key, at)?
        .as_string()
        .ok_or_else(|| EndpointError::invalid(at, format!("`{key}` must be a string")))
}

fn array<'d>(doc: &'d Document, at: &str) -> Result<&'d [Document], EndpointError> {
    doc.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| EndpointError::invalid(at, "expected an array"))
}

fn parse_parameter(name: &str, doc: &Document) -> Result<Parameter, EndpointError> {
    let at = format!("parameters.{name}");
    if !is_identifier(name) {
        return Err(EndpointError::invalid(&at, "bad parameter name"));
    }
    let obj = object(doc, &at)?;
    let ty = match string_field(obj, "type", &at)? {
        // The spec says `boolean`; some older models spell it `Boolean`/`String`.
        t if t.eq_ignore_ascii_case("string") => ParamType::String,
        t if t.eq_ignore_ascii_case("boolean") => ParamType::Boolean,
        t if t.eq_ignore_ascii_case("stringArray") => ParamType::StringArray,
        t => return Err(EndpointError::invalid(&at, format!("unknown type {t:?}"))),
    };
    let required = match obj.get("required") {
        None => false,
        Some(Document::Bool(b)) => *b,
        Some(_) => return Err(EndpointError::invalid(&at, "`required` must be a boolean")),
    };
    let default = match obj.get("default") {
        None | Some(Document::Null) => None,
        Some(d) => {
            let value = match (ty, d) {
                (ParamType::String, Document::String(s)) => ParamValue::String(s.clone()),
                (ParamType::Boolean, Document::Bool(b)) => ParamValue::Bool(*b),
                (ParamType::StringArray, Document::Array(items)) => ParamValue::StringArray(
                    items
                        .iter()
                        .map(|i| i.as_string().map(str::to_owned))
                        .collect::<Option<_>>()
                        .ok_or_else(|| {
                            EndpointError::invalid(&at, "`default` must be an array of strings")
                        })?,
                ),
                _ => {
                    return Err(EndpointError::invalid(
                        &at,
                        format!("`default` must be of type {}", ty.name()),
                    ))
                }
            };
            Some(value)
        }
    };
    let built_in = match obj.get("builtIn") {
        None => None,
        Some(Document::String(s)) => Some(s.clone()),
        Some(_) => return Err(EndpointError::invalid(&at, "`builtIn` must be a string")),
    };
    Ok(Parameter {
        name: name.to_owned(),
        ty,
        required,
        default,
        built_in,
    })
}

/// Parses a list of rules. `scope` holds the names visible here; each rule may extend it with
/// its conditions' `assign`s for its own body, and is truncated back afterwards.
fn parse_rules<'d>(
    doc: &'d Document,
    at: &str,
    scope: &mut Vec<&'d str>,
) -> Result<Vec<Rule>, EndpointError> {
    array(doc, at)?
        .iter()
        .enumerate()
        .map(|(i, r)| parse_rule(r, &format!("{at}[{i}]"), scope))
        .collect()
}

fn parse_rule<'d>(
    doc: &'d Document,
    at: &str,
    scope: &mut Vec<&'d str>,
) -> Result<Rule, EndpointError> {
    let obj = object(doc, at)?;
    let outer = scope.len();
    let mut conditions = Vec::new();
    let conds_at = format!("{at}.conditions");
    // `conditions` is required by the spec, but an absent list means the same as an empty one.
    if let Some(conds) = obj.get("conditions") {
        for (i, c) in array(conds, &conds_at)?.iter().enumerate() {
            let c_at = format!("{conds_at}[{i}]");
            let c_obj = object(c, &c_at)?;
            let call = parse_call(c_obj, &c_at, scope)?;
            let assign = match c_obj.get("assign") {
                None => None,
                Some(Document::String(name)) => {
                    if !is_identifier(name) {
                        return Err(EndpointError::invalid(&c_at, "bad `assign` name"));
                    }
                    // The spec forbids shadowing: a name means one thing within a rule path.
                    if scope.contains(&name.as_str()) {
                        return Err(EndpointError::invalid(
                            &c_at,
                            format!("`assign` would shadow `{name}`"),
                        ));
                    }
                    scope.push(name);
                    Some(name.clone())
                }
                Some(_) => return Err(EndpointError::invalid(&c_at, "`assign` must be a string")),
            };
            conditions.push(Condition { call, assign });
        }
    }
    let kind = match string_field(obj, "type", at)? {
        "endpoint" => {
            let e_at = format!("{at}.endpoint");
            RuleKind::Endpoint(parse_endpoint(field(obj, "endpoint", at)?, &e_at, scope)?)
        }
        "error" => RuleKind::Error(parse_expr(
            field(obj, "error", at)?,
            &format!("{at}.error"),
            scope,
        )?),
        "tree" => {
            let rules = parse_rules(field(obj, "rules", at)?, &format!("{at}.rules"), scope)?;
            if rules.is_empty() {
                return Err(EndpointError::invalid(
                    at,
                    "a tree rule needs at least one rule",
                ));
            }
            RuleKind::Tree(rules)
        }
        t => {
            return Err(EndpointError::invalid(
                at,
                format!("unknown rule type {t:?}"),
            ))
        }
    };
    scope.truncate(outer);
    Ok(Rule { conditions, kind })
}

fn parse_endpoint(doc: &Document, at: &str, scope: &[&str]) -> Result<EndpointSpec, EndpointError> {
    let obj = object(doc, at)?;
    let url = parse_expr(field(obj, "url", at)?, &format!("{at}.url"), scope)?;
    let mut headers = Vec::new();
    if let Some(h) = obj.get("headers") {
        let h_at = format!("{at}.headers");
        for (name, values) in object(h, &h_at)? {
            let v_at = format!("{h_at}.{name}");
            let values = array(values, &v_at)?
                .iter()
                .enumerate()
                .map(|(i, v)| parse_expr(v, &format!("{v_at}[{i}]"), scope))
                .collect::<Result<Vec<_>, _>>()?;
            headers.push((name.clone(), values));
        }
        headers.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let mut properties = Vec::new();
    if let Some(p) = obj.get("properties") {
        let p_at = format!("{at}.properties");
        for (name, value) in object(p, &p_at)? {
            let literal = parse_literal(value, &format!("{p_at}.{name}"), scope)?;
            properties.push((name.clone(), literal));
        }
        properties.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Ok(EndpointSpec {
        url,
        headers,
        properties,
    })
}

fn parse_call(obj: &Obj, at: &str, scope: &[&str]) -> Result<FnCall, EndpointError> {
    let name = string_field(obj, "fn", at)?;
    let (mut func, arity) = Function::by_name(name)
        .ok_or_else(|| EndpointError::invalid(at, format!("unknown function {name:?}")))?;
    let argv_at = format!("{at}.argv");
    let argv = array(field(obj, "argv", at)?, &argv_at)?;
    if argv.len() != arity {
        return Err(EndpointError::invalid(
            at,
            format!("`{name}` takes {arity} argument(s), got {}", argv.len()),
        ));
    }
    let mut args = argv
        .iter()
        .enumerate()
        .map(|(i, a)| parse_expr(a, &format!("{argv_at}[{i}]"), scope))
        .collect::<Result<Vec<_>, _>>()?;
    if let Function::GetAttr(path) = &mut func {
        // The path must be a plain string: it is parsed once here, never at resolution.
        let parsed = match args.pop() {
            Some(Expr::Lit(Literal::Str(Template { parts }))) => match parts.as_slice() {
                [TemplatePart::Text(p)] => AttrPath::parse(p),
                _ => None,
            },
            _ => None,
        };
        *path = parsed.ok_or_else(|| {
            EndpointError::invalid(
                &format!("{argv_at}[1]"),
                "getAttr needs a path like `a.b[0]`",
            )
        })?;
    }
    Ok(FnCall { func, args })
}

fn parse_expr(doc: &Document, at: &str, scope: &[&str]) -> Result<Expr, EndpointError> {
    if let Document::Object(obj) = doc {
        // In expression position an object is a reference or a function call, never a record.
        if let Some(r) = obj.get("ref") {
            let name = r
                .as_string()
                .ok_or_else(|| EndpointError::invalid(at, "`ref` must be a string"))?;
            check_ref(name, at, scope)?;
            return Ok(Expr::Ref(name.to_owned()));
        }
        if obj.contains_key("fn") {
            return Ok(Expr::Call(Box::new(parse_call(obj, at, scope)?)));
        }
        return Err(EndpointError::invalid(at, "expected `ref` or `fn`"));
    }
    parse_literal(doc, at, scope).map(Expr::Lit)
}

fn parse_literal(doc: &Document, at: &str, scope: &[&str]) -> Result<Literal, EndpointError> {
    Ok(match doc {
        Document::String(s) => {
            let template = Template::parse(s, at)?;
            for part in &template.parts {
                if let TemplatePart::Var { name, .. } = part {
                    check_ref(name, at, scope)?;
                }
            }
            Literal::Str(template)
        }
        Document::Bool(b) => Literal::Bool(*b),
        Document::Number(n) => Literal::Int(
            match *n {
                Number::PosInt(u) => i64::try_from(u).ok(),
                Number::NegInt(i) => Some(i),
                // Integral floats come from parsers that do not keep integers apart.
                Number::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
                Number::Float(_) => None,
            }
            .ok_or_else(|| EndpointError::invalid(at, "numbers must be integers"))?,
        ),
        Document::Array(items) => Literal::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| parse_literal(item, &format!("{at}[{i}]"), scope))
                .collect::<Result<_, _>>()?,
        ),
        Document::Object(obj) => {
            let mut fields = obj
                .iter()
                .map(|(k, v)| Ok((k.clone(), parse_literal(v, &format!("{at}.{k}"), scope)?)))
                .collect::<Result<Vec<_>, EndpointError>>()?;
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            Literal::Record(fields)
        }
        Document::Null => return Err(EndpointError::invalid(at, "null is not a valid literal")),
    })
}

fn check_ref(name: &str, at: &str, scope: &[&str]) -> Result<(), EndpointError> {
    if scope.contains(&name) {
        Ok(())
    } else {
        Err(EndpointError::invalid(
            at,
            format!("`{name}` is neither a parameter nor assigned by an enclosing condition"),
        ))
    }
}
