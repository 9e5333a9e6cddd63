//! The compiler's intermediate values: typed Rust tokens (`Val`), iterator chains whose
//! last adapter can still be fused (`Chain`), and boolean expressions with their
//! precedence and simpler negation (`Bool`).

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::Kind;

/// The element view conversion applied after `slice.iter()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Conv {
    None,
    /// `String` elements -> `&str`.
    AsStr,
    /// Numbers and booleans by value.
    Copied,
}

impl Conv {
    pub(super) fn for_kind<S>(kind: &Kind<S>) -> Conv {
        match kind {
            Kind::String => Conv::AsStr,
            Kind::Boolean | Kind::Integer | Kind::Float => Conv::Copied,
            _ => Conv::None,
        }
    }

    pub(super) fn apply(self, tokens: TokenStream) -> TokenStream {
        match self {
            Conv::None => tokens,
            Conv::AsStr => quote!(#tokens.map(String::as_str)),
            Conv::Copied => quote!(#tokens.copied()),
        }
    }
}

/// What a list's elements are.
#[derive(Debug, Clone)]
pub(super) enum Elem<S> {
    /// Non-optional values of this kind (and shape, for structures and maps).
    One(Kind<S>, Option<S>),
    /// Iterators over elements of the inner kind (a projection whose right side is a list).
    List(Box<Elem<S>>),
}

/// The last iterator adapter, kept apart so the next operation can fuse with it.
#[derive(Debug, Clone)]
pub(super) enum Adapter {
    /// `.filter(|&item| pred)`
    Filter(TokenStream),
    /// `.map(|item| body)`
    Map(TokenStream),
}

/// An iterator expression: `base` then the last adapter.
#[derive(Debug, Clone)]
pub(super) struct Chain<S> {
    pub(super) base: TokenStream,
    pub(super) last: Option<Adapter>,
    pub(super) elem: Elem<S>,
    /// The slice the iterator walks, when it is exactly `slice.iter()` + `conv`.
    pub(super) slice: Option<TokenStream>,
    pub(super) conv: Conv,
}

impl<S: Clone> Chain<S> {
    pub(super) fn render(&self) -> TokenStream {
        let base = &self.base;
        let item = ident("item");
        match &self.last {
            None => base.clone(),
            Some(Adapter::Filter(pred)) => quote!(#base.filter(|&#item| #pred)),
            Some(Adapter::Map(body)) => quote!(#base.map(|#item| #body)),
        }
    }

    /// Appends an adapter (tokens after the rendered chain).
    pub(super) fn then(&self, adapter: Adapter, elem: Elem<S>) -> Chain<S> {
        Chain {
            base: self.render(),
            last: Some(adapter),
            elem,
            slice: None,
            conv: Conv::None,
        }
    }

    pub(super) fn then_raw(&self, tokens: TokenStream, elem: Elem<S>) -> Chain<S> {
        let base = self.render();
        Chain {
            base: quote!(#base #tokens),
            last: None,
            elem,
            slice: None,
            conv: Conv::None,
        }
    }

    pub(super) fn elem_one(&self) -> Result<(Kind<S>, Option<S>), String> {
        match &self.elem {
            Elem::One(kind, shape) => Ok((kind.clone(), shape.clone())),
            Elem::List(_) => Err("the list's elements are lists; flatten them with `[]`".into()),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) enum Ty<S> {
    One {
        kind: Kind<S>,
        shape: Option<S>,
        optional: bool,
    },
    List(Chain<S>),
    /// A `bool`, built with this operator precedence.
    Bool(Prec),
    InputOutput {
        input: (String, S),
        output: (String, S),
    },
}

impl<S> Ty<S> {
    pub(super) fn describe(&self) -> String {
        match self {
            Ty::One { kind, optional, .. } => {
                format!(
                    "{}{}",
                    if *optional { "an optional " } else { "a " },
                    kind_name(kind)
                )
            }
            Ty::List(_) => "a list".into(),
            Ty::Bool(_) => "a boolean expression".into(),
            Ty::InputOutput { .. } => "the input/output pair".into(),
        }
    }
}

pub(super) fn kind_name<S>(kind: &Kind<S>) -> &'static str {
    match kind {
        Kind::String => "string",
        Kind::Enum => "enum",
        Kind::Boolean => "boolean",
        Kind::Integer => "integer",
        Kind::Float => "float",
        Kind::Structure => "structure",
        Kind::List(_) => "list",
        Kind::Map { .. } => "map",
        Kind::Other(name) => name,
    }
}

/// A compiled sub-expression. For `Ty::One` and `Ty::Bool`, `one` holds the tokens; a
/// list renders from its chain.
#[derive(Debug, Clone)]
pub(super) struct Val<S> {
    pub(super) ty: Ty<S>,
    pub(super) one: TokenStream,
    /// The closure parameter name for this value (`table` in `.and_then(|table| ..)`).
    pub(super) name: String,
    /// For `length(x)` of a slice or map: `x`, so comparisons with 0 can use `is_empty()`
    /// (clippy's `len_zero` rejects `x.len() > 0` in generated crates).
    pub(super) len_of: Option<TokenStream>,
    /// For `Ty::Bool`: its simpler negation, see [`Bool::negated`].
    pub(super) negated: Option<TokenStream>,
}

impl<S: Clone> Val<S> {
    pub(super) fn one(
        tokens: TokenStream,
        name: String,
        kind: Kind<S>,
        shape: Option<S>,
        optional: bool,
    ) -> Self {
        Val {
            ty: Ty::One {
                kind,
                shape,
                optional,
            },
            one: tokens,
            name,
            len_of: None,
            negated: None,
        }
    }

    pub(super) fn list(chain: Chain<S>) -> Self {
        Val {
            ty: Ty::List(chain),
            one: TokenStream::new(),
            name: "item".into(),
            len_of: None,
            negated: None,
        }
    }

    pub(super) fn tokens(&self) -> TokenStream {
        match &self.ty {
            Ty::List(chain) => chain.render(),
            _ => self.one.clone(),
        }
    }
}

/// Operator precedence of a bool expression, to parenthesize only where Rust needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prec {
    /// A method call chain or literal.
    Atom,
    /// `!x`
    Unary,
    /// `a == b`
    Compare,
    /// `a && b`
    And,
    /// `a || b`
    Or,
}

pub(super) struct Bool {
    pub(super) tokens: TokenStream,
    pub(super) prec: Prec,
    /// The negation written without a leading `!`, when there is a simpler one than
    /// `!x` (clippy's `nonminimal_bool` rejects `!x.is_some_and(|v| v == 1)`).
    pub(super) negated: Option<TokenStream>,
}

impl Bool {
    pub(super) fn new(tokens: TokenStream, prec: Prec) -> Self {
        Bool {
            tokens,
            prec,
            negated: None,
        }
    }

    /// `value.is_some_and(|param| body)`, negated as `value.is_none_or(|param| negated)`.
    pub(super) fn some_and(
        value: &TokenStream,
        param: &Ident,
        body: TokenStream,
        negated: TokenStream,
    ) -> Self {
        Bool {
            tokens: quote!(#value.is_some_and(|#param| #body)),
            prec: Prec::Atom,
            negated: Some(quote!(#value.is_none_or(|#param| #negated))),
        }
    }
    pub(super) fn atom(tokens: TokenStream) -> Self {
        Bool::new(tokens, Prec::Atom)
    }
    /// The tokens, parenthesized when looser than `max`.
    pub(super) fn at(&self, max: Prec) -> TokenStream {
        let tokens = &self.tokens;
        if self.prec > max {
            quote!((#tokens))
        } else {
            tokens.clone()
        }
    }
    pub(super) fn not(&self) -> Bool {
        match &self.negated {
            Some(negated) => Bool {
                tokens: negated.clone(),
                prec: Prec::Atom,
                negated: Some(self.tokens.clone()),
            },
            None => {
                let inner = self.at(Prec::Unary);
                Bool::new(quote!(!#inner), Prec::Unary)
            }
        }
    }
}

pub(super) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Whether `name` is a valid (possibly raw) Rust identifier, so `ident` cannot panic.
pub(super) fn valid_ident(name: &str) -> bool {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = bare.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && bare != "_"
        && !(name.starts_with("r#") && matches!(bare, "self" | "Self" | "super" | "crate"))
}

pub(super) fn var_tokens(var: &str) -> TokenStream {
    if valid_ident(var) {
        let var = ident(var);
        quote!(#var)
    } else {
        // Not an identifier (e.g. `self.output`): the generator gave an expression.
        var.parse()
            .unwrap_or_else(|_| quote!(compile_error!("invalid root variable")))
    }
}

pub(super) fn lit_str(s: &str) -> Literal {
    Literal::string(s)
}

impl Bool {
    pub(super) fn into_val<S: Clone>(self) -> Val<S> {
        Val {
            ty: Ty::Bool(self.prec),
            one: self.tokens,
            name: "value".into(),
            len_of: None,
            negated: self.negated,
        }
    }
}
