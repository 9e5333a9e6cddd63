//! JMESPath AST -> Rust expression over the generated types' accessors.
//!
//! Every sub-expression compiles to a [`Val`]: Rust tokens plus what they evaluate to:
//!
//! * one value (`Ty::One`), as the generated accessor returns it: `&str` (string),
//!   `&Enum`, `bool` / numbers by value, `&T` otherwise, wrapped in `Option` when the
//!   accessor returns one (`optional`);
//! * a list (`Ty::List`): an iterator over the elements, each in the same non-optional
//!   view (`&str` for `String` elements, numbers by value...), built as a [`Chain`] so the
//!   last adapter can be fused (`filter(..).next()` -> `find(..)`), keeping clippy quiet in
//!   generated crates;
//! * a `bool` (`Ty::Bool`) from comparisons, functions and `&&`/`||`/`!`.
//!
//! JMESPath `null` is `None`: comparators never match it, projections drop it.

use std::fmt;

use proc_macro2::TokenStream;
use quote::quote;

use super::parser::{parse, Comparator};
use super::JmesPathError;

/// What the compiler needs to know about the generated types; the generator implements
/// it over its IR. `Shape` names a shape (its id is a good choice: it appears in errors).
pub trait Shapes {
    /// A reference to a shape.
    type Shape: Clone + fmt::Display;

    /// The kind of a shape.
    fn kind(&self, shape: &Self::Shape) -> Kind<Self::Shape>;

    /// The member of `structure` whose wire (model) name is `wire_name`, if any.
    fn member(&self, structure: &Self::Shape, wire_name: &str) -> Option<Member<Self::Shape>>;
}

/// The kind of a shape, as far as paths care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind<S> {
    /// A string: the accessor gives `&str` (or `Option<&str>`).
    String,
    /// An enum with `as_str()`: the accessor gives `&E` (or `Option<&E>`).
    Enum,
    /// A boolean, by value.
    Boolean,
    /// An integer of any width, by value.
    Integer,
    /// A float or double, by value.
    Float,
    /// A structure with accessors, by reference.
    Structure,
    /// A list of the given member shape: the accessor gives `&[T]` (or `Option<&[T]>`).
    List(S),
    /// A map with the given key and value shapes, by reference (`&HashMap<K, V>`).
    Map {
        /// The key shape (a string or an enum).
        key: S,
        /// The value shape.
        value: S,
    },
    /// Anything paths cannot look into (timestamp, blob, document, union, big numbers);
    /// the name is used in error messages.
    Other(&'static str),
}

/// A structure member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<S> {
    /// The generated accessor method (`table_status`; `r#type` for a keyword).
    pub accessor: String,
    /// The target shape.
    pub target: S,
    /// Whether the accessor returns an `Option` (lists returned as `&[T]`, as aws-sdk does
    /// for optional lists, are not optional).
    pub optional: bool,
}

/// Where a path starts.
#[derive(Debug, Clone)]
pub enum Root<S> {
    /// A value bound to `var` (the output for `output` matchers and paginators, the input
    /// for operationContextParams).
    Value {
        /// The Rust variable holding a reference to the value.
        var: String,
        /// Its shape (a structure).
        shape: S,
    },
    /// `inputOutput` matchers: the path starts at `{"input": .., "output": ..}`.
    InputOutput {
        /// The variable holding `&Input`.
        input_var: String,
        /// The input shape.
        input: S,
        /// The variable holding `&Output`.
        output_var: String,
        /// The output shape.
        output: S,
    },
}

/// A waiter acceptor's comparator with its expected value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// `stringEquals`: the path gives a string (or enum) equal to this.
    StringEquals(String),
    /// `booleanEquals`: the path gives this boolean.
    BooleanEquals(bool),
    /// `allStringEquals`: the path gives a non-empty list whose elements all equal this.
    AllStringEquals(String),
    /// `anyStringEquals`: the path gives a list with an element equal to this.
    AnyStringEquals(String),
}

impl Matcher {
    /// From the trait's `comparator` and `expected` strings.
    pub fn from_model(comparator: &str, expected: &str) -> Result<Self, String> {
        Ok(match comparator {
            "stringEquals" => Matcher::StringEquals(expected.into()),
            "allStringEquals" => Matcher::AllStringEquals(expected.into()),
            "anyStringEquals" => Matcher::AnyStringEquals(expected.into()),
            "booleanEquals" => match expected {
                "true" => Matcher::BooleanEquals(true),
                "false" => Matcher::BooleanEquals(false),
                other => {
                    return Err(format!(
                        "booleanEquals expects `true` or `false`, not `{other}`"
                    ))
                }
            },
            other => return Err(format!("unknown waiter comparator `{other}`")),
        })
    }
}

/// A compiled path: Rust tokens and what they evaluate to.
#[derive(Debug, Clone)]
pub struct Compiled<S> {
    /// A Rust expression over the root variable(s).
    pub tokens: TokenStream,
    /// Its type.
    pub ty: PathType<S>,
}

/// The type of a compiled path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathType<S> {
    /// One value of this kind, in the accessor's view, `Option`-wrapped when `optional`.
    One {
        /// Its kind.
        kind: Kind<S>,
        /// Whether the tokens evaluate to an `Option`.
        optional: bool,
    },
    /// `impl Iterator` over elements of this kind (non-optional, in the accessor's view:
    /// `&str` for strings, numbers and booleans by value, `&T` otherwise).
    List(Kind<S>),
    /// A `bool`.
    Bool,
}

/// Compiles `expr` to a Rust expression evaluated from `root`.
pub fn compile<S: Shapes>(
    shapes: &S,
    root: &Root<S::Shape>,
    expr: &str,
) -> Result<Compiled<S::Shape>, JmesPathError> {
    let ast = parse(expr)?;
    let cx = Cx { shapes, expr };
    let val = cx.eval(&ast, root_val(root))?;
    let ty = match &val.ty {
        Ty::One { kind, optional, .. } => PathType::One {
            kind: kind.clone(),
            optional: *optional,
        },
        Ty::List(chain) => match &chain.elem {
            Elem::One(kind, _) => PathType::List(kind.clone()),
            Elem::List(_) => {
                return Err(cx.err("the path gives a list of lists; flatten it with `[]`"))
            }
        },
        Ty::Bool(_) => PathType::Bool,
        Ty::InputOutput { .. } => return Err(cx.err("the path is empty")),
    };
    Ok(Compiled {
        tokens: val.tokens(),
        ty,
    })
}

/// Compiles a waiter acceptor's path and comparator to a Rust `bool` expression.
pub fn compile_matcher<S: Shapes>(
    shapes: &S,
    root: &Root<S::Shape>,
    path: &str,
    matcher: &Matcher,
) -> Result<TokenStream, JmesPathError> {
    let ast = parse(path)?;
    let cx = Cx { shapes, expr: path };
    let val = cx.eval(&ast, root_val(root))?;
    let json = |s: &str| serde_json::Value::String(s.to_string());
    let out = match matcher {
        Matcher::StringEquals(expected) => {
            if let Ty::List(_) = val.ty {
                return Err(cx.err(
                    "`stringEquals` needs one string but the path gives a list \
                     (use `allStringEquals` or `anyStringEquals`)",
                ));
            }
            cx.compare_literal(val, Comparator::Eq, &json(expected))?
        }
        Matcher::BooleanEquals(expected) => {
            cx.compare_literal(val, Comparator::Eq, &serde_json::Value::Bool(*expected))?
        }
        Matcher::AllStringEquals(expected) | Matcher::AnyStringEquals(expected) => {
            let Ty::List(chain) = val.ty else {
                return Err(cx.err(format!(
                    "`{}` needs a list but the path gives {}",
                    if matches!(matcher, Matcher::AllStringEquals(_)) {
                        "allStringEquals"
                    } else {
                        "anyStringEquals"
                    },
                    val.ty.describe()
                )));
            };
            let item = ident("item");
            let elem = chain.elem_one().map_err(|e| cx.err(e))?;
            let eq = cx.string_eq(&elem, &item, expected)?;
            if matches!(matcher, Matcher::AnyStringEquals(_)) {
                let iter = chain.render();
                Bool::atom(quote!(#iter.any(|#item| #eq)))
            } else if let (Some(slice), Conv::None) = (&chain.slice, &chain.conv) {
                // A plain slice: no need to walk it twice.
                Bool::new(
                    quote!(!#slice.is_empty() && #slice.iter().all(|#item| #eq)),
                    Prec::And,
                )
            } else {
                let iter = chain.render();
                let values = ident("values");
                Bool::atom(quote!({
                    let mut #values = #iter.peekable();
                    #values.peek().is_some() && #values.all(|#item| #eq)
                }))
            }
        }
    };
    Ok(out.tokens)
}

fn root_val<S: Clone>(root: &Root<S>) -> Val<S> {
    match root {
        Root::Value { var, shape } => Val::one(
            var_tokens(var),
            var.clone(),
            Kind::Structure,
            Some(shape.clone()),
            false,
        ),
        Root::InputOutput {
            input_var,
            input,
            output_var,
            output,
        } => Val {
            ty: Ty::InputOutput {
                input: (input_var.clone(), input.clone()),
                output: (output_var.clone(), output.clone()),
            },
            one: TokenStream::new(),
            name: String::new(),
            len_of: None,
            negated: None,
        },
    }
}

struct Cx<'a, S> {
    shapes: &'a S,
    expr: &'a str,
}

impl<S: Shapes> Cx<'_, S> {
    fn err(&self, reason: impl Into<String>) -> JmesPathError {
        JmesPathError::new(self.expr, reason)
    }
}

mod compare;
mod eval;
mod functions;
mod value;

use value::{ident, var_tokens, Bool, Conv, Elem, Prec, Ty, Val};
