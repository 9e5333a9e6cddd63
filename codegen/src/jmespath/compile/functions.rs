//! The JMESPath functions the compiler supports: `length`, `contains`, `starts_with`,
//! `ends_with`, `keys`, `values`, `max_by`, `min_by`.

use proc_macro2::TokenStream;
use quote::quote;

use super::value::{ident, kind_name, lit_str, Adapter, Bool, Chain, Conv, Elem, Ty, Val};
use super::{Cx, Kind, Shapes};
use crate::jmespath::{Ast, JmesPathError};

impl<S: Shapes> Cx<'_, S> {
    pub(super) fn function(
        &self,
        name: &str,
        args: &[Ast],
        input: Val<S::Shape>,
    ) -> Result<Val<S::Shape>, JmesPathError> {
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(self.err(format!(
                    "`{name}` takes {n} argument(s), not {}",
                    args.len()
                )))
            }
        };
        match name {
            "length" => {
                arity(1)?;
                let value = self.eval(&args[0], input)?;
                self.length(value)
            }
            "contains" | "starts_with" | "ends_with" => {
                arity(2)?;
                let Ast::Literal(search) = &args[1] else {
                    return Err(self.err(format!(
                        "`{name}` is only supported with a literal second argument"
                    )));
                };
                let subject = self.eval(&args[0], input)?;
                self.string_test(name, subject, search)
                    .map(|b| b.into_val())
            }
            "keys" | "values" => {
                arity(1)?;
                let map = self.eval(&args[0], input)?;
                self.map_entries(name, map)
            }
            "max_by" | "min_by" => {
                arity(2)?;
                let Ast::ExpRef(key) = &args[1] else {
                    return Err(self.err(format!(
                        "the second argument of `{name}` must be `&expression`"
                    )));
                };
                let list = self.eval(&args[0], input)?;
                self.extreme_by(name == "max_by", list, key)
            }
            other => Err(self.err(format!("function `{other}` is not supported"))),
        }
    }

    fn length(&self, value: Val<S::Shape>) -> Result<Val<S::Shape>, JmesPathError> {
        let v = &value.one;
        let p = ident(&value.name);
        let mut len_of = None;
        let (tokens, optional) = match &value.ty {
            Ty::List(chain) => match &chain.slice {
                Some(slice) => {
                    len_of = Some(slice.clone());
                    (quote!(#slice.len()), false)
                }
                None => {
                    let iter = chain.render();
                    (quote!(#iter.count()), false)
                }
            },
            Ty::One {
                kind: Kind::String,
                optional,
                ..
            } => {
                if *optional {
                    (quote!(#v.map(|#p| #p.chars().count())), true)
                } else {
                    (quote!(#v.chars().count()), false)
                }
            }
            Ty::One {
                kind: Kind::Map { .. },
                optional,
                ..
            } => {
                if *optional {
                    (quote!(#v.map(|#p| #p.len())), true)
                } else {
                    len_of = Some(v.clone());
                    (quote!(#v.len()), false)
                }
            }
            other => {
                return Err(self.err(format!(
                    "`length` of {} is not supported (only strings, lists and maps)",
                    other.describe()
                )))
            }
        };
        let mut len = Val::one(tokens, "len".into(), Kind::Integer, None, optional);
        len.len_of = len_of;
        Ok(len)
    }

    fn string_test(
        &self,
        name: &str,
        subject: Val<S::Shape>,
        search: &serde_json::Value,
    ) -> Result<Bool, JmesPathError> {
        let v = &subject.one;
        let p = ident(&subject.name);
        match (&subject.ty, search) {
            // `contains(list, value)`: any element equals the value.
            (Ty::List(chain), _) if name == "contains" => {
                let (kind, _) = chain.elem_one().map_err(|e| self.err(e))?;
                let item = ident("item");
                let eq = match (&kind, search) {
                    (Kind::String, serde_json::Value::String(s)) => {
                        let s = lit_str(s);
                        quote!(#item == #s)
                    }
                    (Kind::Enum, serde_json::Value::String(s)) => {
                        let s = lit_str(s);
                        quote!(#item.as_str() == #s)
                    }
                    (Kind::Integer, serde_json::Value::Number(n)) if n.is_i64() => {
                        let n =
                            proc_macro2::Literal::i64_unsuffixed(n.as_i64().unwrap_or_default());
                        quote!(#item == #n)
                    }
                    (Kind::Boolean, serde_json::Value::Bool(b)) => {
                        if *b {
                            quote!(#item)
                        } else {
                            quote!(!#item)
                        }
                    }
                    _ => {
                        return Err(self.err(format!(
                            "`contains` of a list of {}s and `{search}` is not supported",
                            kind_name(&kind)
                        )))
                    }
                };
                Ok(match &chain.last {
                    Some(Adapter::Filter(pred)) => {
                        let base = &chain.base;
                        Bool::atom(quote!(#base.any(|#item| #pred && #eq)))
                    }
                    _ => {
                        let iter = chain.render();
                        Bool::atom(quote!(#iter.any(|#item| #eq)))
                    }
                })
            }
            (
                Ty::One {
                    kind: Kind::String | Kind::Enum,
                    optional,
                    ..
                },
                serde_json::Value::String(s),
            ) => {
                let s = lit_str(s);
                let method = ident(name);
                let is_enum = matches!(
                    &subject.ty,
                    Ty::One {
                        kind: Kind::Enum,
                        ..
                    }
                );
                if *optional {
                    let view = if is_enum {
                        quote!(#p.as_str())
                    } else {
                        quote!(#p)
                    };
                    Ok(Bool::some_and(
                        v,
                        &p,
                        quote!(#view.#method(#s)),
                        quote!(!#view.#method(#s)),
                    ))
                } else {
                    let view = if is_enum {
                        quote!(#v.as_str())
                    } else {
                        v.clone()
                    };
                    Ok(Bool::atom(quote!(#view.#method(#s))))
                }
            }
            (ty, _) => Err(self.err(format!(
                "`{name}` of {} and `{search}` is not supported",
                ty.describe()
            ))),
        }
    }

    fn map_entries(&self, name: &str, map: Val<S::Shape>) -> Result<Val<S::Shape>, JmesPathError> {
        let Ty::One {
            kind: Kind::Map { key, value },
            optional,
            ..
        } = &map.ty
        else {
            return Err(self.err(format!(
                "`{name}` of {} (only maps are supported)",
                map.ty.describe()
            )));
        };
        let (shape, method) = if name == "keys" {
            (key, quote!(keys))
        } else {
            (value, quote!(values))
        };
        let kind = self.shapes.kind(shape);
        if let Kind::List(_) = kind {
            return Err(self.err(format!("`{name}` of a map of lists is not supported")));
        }
        let v = &map.one;
        let p = ident(&map.name);
        let iter = if *optional {
            quote!(#v.into_iter().flat_map(|#p| #p.#method()))
        } else {
            quote!(#v.#method())
        };
        let conv = Conv::for_kind(&kind);
        Ok(Val::list(Chain {
            base: conv.apply(iter),
            last: None,
            elem: Elem::One(kind, Some(shape.clone())),
            slice: None,
            conv: Conv::None,
        }))
    }

    fn extreme_by(
        &self,
        max: bool,
        list: Val<S::Shape>,
        key: &Ast,
    ) -> Result<Val<S::Shape>, JmesPathError> {
        let which = if max { "max_by" } else { "min_by" };
        let Ty::List(chain) = &list.ty else {
            return Err(self.err(format!(
                "`{which}` of {}, which is not a list",
                list.ty.describe()
            )));
        };
        let (kind, shape) = chain.elem_one().map_err(|e| self.err(e))?;
        let key = self.eval(key, self.element(chain)?)?;
        let Ty::One {
            kind: key_kind,
            optional,
            ..
        } = &key.ty
        else {
            return Err(self.err(format!("the key of `{which}` is {}", key.ty.describe())));
        };
        let k = &key.one;
        let p = ident(&key.name);
        let key_tokens: TokenStream = match (key_kind, optional) {
            (Kind::String | Kind::Integer, _) => k.clone(),
            (Kind::Enum, true) => quote!(#k.map(|#p| #p.as_str())),
            (Kind::Enum, false) => quote!(#k.as_str()),
            (other, _) => {
                return Err(self.err(format!(
                    "the key of `{which}` is a {}; only strings, enums and integers are ordered",
                    kind_name(other)
                )))
            }
        };
        let item = ident("item");
        let iter = chain.render();
        let tokens = match (max, optional) {
            (true, _) => quote!(#iter.max_by_key(|&#item| #key_tokens)),
            (false, false) => quote!(#iter.min_by_key(|&#item| #key_tokens)),
            // `None` orders first; a missing key must not win the minimum.
            (false, true) => quote!(#iter.min_by_key(|&#item| (#k.is_none(), #key_tokens))),
        };
        Ok(Val::one(tokens, "item".into(), kind, shape, true))
    }
}
