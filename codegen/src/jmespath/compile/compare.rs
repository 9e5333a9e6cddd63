//! Comparisons, with JMESPath's null semantics, and truthiness.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::value::{ident, kind_name, lit_str, Adapter, Bool, Prec, Ty, Val};
use super::{Cx, Kind, Shapes};
use crate::jmespath::{Ast, Comparator, JmesPathError};

impl<S: Shapes> Cx<'_, S> {
    pub(super) fn comparison(
        &self,
        op: Comparator,
        lhs: &Ast,
        rhs: &Ast,
        input: Val<S::Shape>,
    ) -> Result<Bool, JmesPathError> {
        match (lhs, rhs) {
            (Ast::Literal(_), Ast::Literal(_)) => Err(self.err("a comparison of two literals")),
            (value, Ast::Literal(lit)) => {
                let value = self.eval(value, input)?;
                self.compare_literal(value, op, lit)
            }
            (Ast::Literal(lit), value) => {
                let value = self.eval(value, input)?;
                self.compare_literal(value, op.flipped(), lit)
            }
            (l, r) => {
                let l = self.eval(l, input.clone())?;
                let r = self.eval(r, input)?;
                self.compare_values(op, l, r)
            }
        }
    }

    /// `value <op> literal`, with JMESPath semantics (null compares unequal to anything
    /// but null; ordering only between numbers).
    pub(super) fn compare_literal(
        &self,
        value: Val<S::Shape>,
        op: Comparator,
        lit: &serde_json::Value,
    ) -> Result<Bool, JmesPathError> {
        use serde_json::Value as J;
        let (kind, optional) = match &value.ty {
            Ty::One { kind, optional, .. } => (kind.clone(), *optional),
            Ty::Bool(_) => (Kind::Boolean, false),
            other => {
                return Err(self.err(format!(
                    "comparing {} with `{lit}` is always false",
                    other.describe()
                )))
            }
        };
        let v = &value.one;
        let p = ident(&value.name);
        let mismatch = || {
            self.err(format!(
                "comparing {} with `{lit}` is always false",
                value.ty.describe()
            ))
        };
        match lit {
            J::String(s) => {
                if !matches!(kind, Kind::String | Kind::Enum) {
                    return Err(mismatch());
                }
                if !matches!(op, Comparator::Eq | Comparator::Ne) {
                    return Err(self.err(format!(
                        "`{}` between strings is always null (JMESPath orders only numbers)",
                        op.symbol()
                    )));
                }
                let s = lit_str(s);
                let eq = if optional {
                    let view = if matches!(kind, Kind::Enum) {
                        quote!(#p.as_str())
                    } else {
                        quote!(#p)
                    };
                    Bool::some_and(v, &p, quote!(#view == #s), quote!(#view != #s))
                } else if op == Comparator::Ne {
                    let view = if matches!(kind, Kind::Enum) {
                        quote!(#v.as_str())
                    } else {
                        v.clone()
                    };
                    return Ok(Bool::new(quote!(#view != #s), Prec::Compare));
                } else {
                    let view = if matches!(kind, Kind::Enum) {
                        quote!(#v.as_str())
                    } else {
                        v.clone()
                    };
                    Bool::new(quote!(#view == #s), Prec::Compare)
                };
                Ok(if op == Comparator::Ne { eq.not() } else { eq })
            }
            J::Number(n) => {
                if !matches!(kind, Kind::Integer | Kind::Float) {
                    return Err(mismatch());
                }
                if let (Some(collection), Some(0)) = (&value.len_of, n.as_i64()) {
                    match op {
                        Comparator::Gt | Comparator::Ne => {
                            return Ok(Bool::new(quote!(!#collection.is_empty()), Prec::Unary))
                        }
                        Comparator::Eq | Comparator::Le => {
                            return Ok(Bool::atom(quote!(#collection.is_empty())))
                        }
                        _ => {}
                    }
                }
                let (lhs_of, lit) = match (n.as_i64(), &kind) {
                    (Some(i), Kind::Integer) if i < 0 && value.name == "len" => {
                        return Err(self.err("a length compared with a negative number"))
                    }
                    // Model integers are signed, whatever their width.
                    (Some(i), Kind::Integer) => (None, Literal::i64_unsuffixed(i)),
                    _ => (
                        matches!(kind, Kind::Integer).then(|| quote!(f64)),
                        Literal::f64_unsuffixed(n.as_f64().unwrap_or(f64::NAN)),
                    ),
                };
                let cmp = |x: TokenStream, op: Comparator| {
                    let sym: TokenStream = op.symbol().parse().unwrap_or_default();
                    match &lhs_of {
                        Some(ty) => quote!((#x as #ty) #sym #lit),
                        None => quote!(#x #sym #lit),
                    }
                };
                if !optional {
                    return Ok(Bool::new(cmp(v.clone(), op), Prec::Compare));
                }
                // null != n is true; the other operators are false on null.
                if op == Comparator::Ne {
                    let eq = cmp(quote!(#p), Comparator::Eq);
                    let ne = cmp(quote!(#p), Comparator::Ne);
                    return Ok(Bool::some_and(v, &p, eq, ne).not());
                }
                let inverse = match op {
                    Comparator::Lt => Comparator::Ge,
                    Comparator::Le => Comparator::Gt,
                    Comparator::Gt => Comparator::Le,
                    Comparator::Ge => Comparator::Lt,
                    _ => Comparator::Ne,
                };
                let body = cmp(quote!(#p), op);
                // For floats this differs from `!(x < 1.0)` only for NaN, which JSON has not.
                let negated = cmp(quote!(#p), inverse);
                Ok(Bool::some_and(v, &p, body, negated))
            }
            J::Bool(b) => {
                if !matches!(kind, Kind::Boolean) {
                    return Err(mismatch());
                }
                let want_true = *b == (op == Comparator::Eq);
                match op {
                    Comparator::Eq | Comparator::Ne => {}
                    _ => return Err(self.err("ordering booleans is always null")),
                }
                if let Ty::Bool(prec) = value.ty {
                    let b = Bool {
                        tokens: v.clone(),
                        prec,
                        negated: value.negated.clone(),
                    };
                    return Ok(if want_true { b } else { b.not() });
                }
                if optional {
                    let sym = if op == Comparator::Eq {
                        quote!(==)
                    } else {
                        quote!(!=)
                    };
                    let b = if *b { quote!(true) } else { quote!(false) };
                    Ok(Bool::new(quote!(#v #sym Some(#b)), Prec::Compare))
                } else if want_true {
                    Ok(Bool::atom(v.clone()))
                } else {
                    Ok(Bool::atom(v.clone()).not())
                }
            }
            J::Null => {
                if !optional {
                    return Err(self.err(format!(
                        "comparing {} with null: it is never null",
                        value.ty.describe()
                    )));
                }
                match op {
                    Comparator::Eq => Ok(Bool::atom(quote!(#v.is_none()))),
                    Comparator::Ne => Ok(Bool::atom(quote!(#v.is_some()))),
                    _ => Err(self.err("ordering against null is always null")),
                }
            }
            J::Array(_) | J::Object(_) => {
                Err(self.err(format!("comparisons with `{lit}` are not supported")))
            }
        }
    }

    /// `a == b` / `a != b` between two strings (or enums) or two integers.
    fn compare_values(
        &self,
        op: Comparator,
        l: Val<S::Shape>,
        r: Val<S::Shape>,
    ) -> Result<Bool, JmesPathError> {
        let view = |v: &Val<S::Shape>| -> Option<(bool, TokenStream)> {
            let Ty::One { kind, optional, .. } = &v.ty else {
                return None;
            };
            let t = &v.one;
            let p = ident(&v.name);
            let tokens = match (kind, optional) {
                (Kind::Enum, true) => quote!(#t.map(|#p| #p.as_str())),
                (Kind::Enum, false) => quote!(#t.as_str()),
                (Kind::String | Kind::Integer, _) => t.clone(),
                _ => return None,
            };
            Some((
                matches!(kind, Kind::Integer),
                if *optional {
                    tokens
                } else {
                    quote!(Some(#tokens))
                },
            ))
        };
        // The negation is kept (`a != b` for `!(a == b)`): clippy's `nonminimal_bool`
        // rejects the `!(..)` form, e.g. for a `booleanEquals false` acceptor.
        let (sym, inverse) = match op {
            Comparator::Eq => (quote!(==), quote!(!=)),
            Comparator::Ne => (quote!(!=), quote!(==)),
            _ => return Err(self.err("ordering comparisons between two paths are not supported")),
        };
        match (view(&l), view(&r)) {
            (Some((li, lt)), Some((ri, rt))) if li == ri => Ok(Bool {
                tokens: quote!(#lt #sym #rt),
                prec: Prec::Compare,
                negated: Some(quote!(#lt #inverse #rt)),
            }),
            _ => Err(self.err(format!(
                "comparing {} with {} is not supported",
                l.ty.describe(),
                r.ty.describe()
            ))),
        }
    }

    /// JMESPath truthiness: not null, false, "", [] or {}.
    pub(super) fn truthy(&self, value: Val<S::Shape>) -> Result<Bool, JmesPathError> {
        let v = &value.one;
        let p = ident(&value.name);
        Ok(match &value.ty {
            Ty::Bool(prec) => Bool {
                tokens: v.clone(),
                prec: *prec,
                negated: value.negated.clone(),
            },
            Ty::One {
                kind,
                optional: true,
                ..
            } => match kind {
                Kind::String | Kind::Map { .. } => {
                    Bool::some_and(v, &p, quote!(!#p.is_empty()), quote!(#p.is_empty()))
                }
                Kind::Boolean => Bool::new(quote!(#v == Some(true)), Prec::Compare),
                _ => Bool::atom(quote!(#v.is_some())),
            },
            Ty::One { kind, .. } => match kind {
                Kind::String | Kind::Map { .. } => Bool::new(quote!(!#v.is_empty()), Prec::Unary),
                Kind::Boolean => Bool::atom(v.clone()),
                _ => Bool::atom(quote!(true)),
            },
            Ty::List(chain) => match (&chain.slice, &chain.last) {
                (Some(slice), _) => Bool::new(quote!(!#slice.is_empty()), Prec::Unary),
                (None, Some(Adapter::Filter(pred))) => {
                    let base = &chain.base;
                    let item = ident("item");
                    Bool::atom(quote!(#base.any(|#item| #pred)))
                }
                _ => {
                    let iter = chain.render();
                    Bool::atom(quote!(#iter.next().is_some()))
                }
            },
            Ty::InputOutput { .. } => Bool::atom(quote!(true)),
        })
    }

    /// `item == "expected"` for a string or enum element bound to `item`.
    pub(super) fn string_eq(
        &self,
        elem: &(Kind<S::Shape>, Option<S::Shape>),
        item: &Ident,
        expected: &str,
    ) -> Result<TokenStream, JmesPathError> {
        let s = lit_str(expected);
        match elem.0 {
            Kind::String => Ok(quote!(#item == #s)),
            Kind::Enum => Ok(quote!(#item.as_str() == #s)),
            ref other => Err(self.err(format!(
                "the list's elements are {}s, not strings",
                kind_name(other)
            ))),
        }
    }
}
