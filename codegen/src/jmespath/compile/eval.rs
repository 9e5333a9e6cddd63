//! Paths: fields, indexes, projections, filters and flattening.

use proc_macro2::Literal;
use quote::quote;

use super::value::{
    ident, kind_name, valid_ident, var_tokens, Adapter, Bool, Chain, Conv, Elem, Prec, Ty, Val,
};
use super::{Cx, Kind, Shapes};
use crate::jmespath::{Ast, JmesPathError};

impl<S: Shapes> Cx<'_, S> {
    pub(super) fn eval(
        &self,
        ast: &Ast,
        input: Val<S::Shape>,
    ) -> Result<Val<S::Shape>, JmesPathError> {
        match ast {
            Ast::Identity => Ok(input),
            Ast::Field(name) => self.field(input, name),
            Ast::Subexpr(lhs, rhs) | Ast::Pipe(lhs, rhs) => {
                let lhs = self.eval(lhs, input)?;
                self.eval(rhs, lhs)
            }
            Ast::Index(i) => self.index(input, *i),
            Ast::Projection(lhs, rhs) => {
                let lhs = self.eval(lhs, input)?;
                self.project(lhs, rhs)
            }
            Ast::Flatten(inner) => {
                let inner = self.eval(inner, input)?;
                self.flatten(inner)
            }
            Ast::Comparison(op, lhs, rhs) => Ok(self.comparison(*op, lhs, rhs, input)?.into_val()),
            Ast::And(lhs, rhs) | Ast::Or(lhs, rhs) => {
                let (prec, op) = match ast {
                    Ast::And(..) => (Prec::And, quote!(&&)),
                    _ => (Prec::Or, quote!(||)),
                };
                let l = self.truthy(self.eval(lhs, input.clone())?)?.at(prec);
                let r = self.truthy(self.eval(rhs, input)?)?.at(prec);
                Ok(Bool::new(quote!(#l #op #r), prec).into_val())
            }
            Ast::Not(inner) => Ok(self.truthy(self.eval(inner, input)?)?.not().into_val()),
            Ast::Function(name, args) => self.function(name, args, input),
            Ast::Literal(value) => Err(self.err(format!(
                "a literal (`{value}`) is only supported as an operand of a comparison or function"
            ))),
            Ast::Slice(..) => Err(self.err("slices (`[a:b]`) are not supported")),
            Ast::ObjectValues(_) => Err(self.err("object wildcards (`*`) are not supported")),
            Ast::MultiList(_) | Ast::MultiHash(_) => {
                Err(self.err("multi-select lists and hashes are not supported"))
            }
            Ast::ExpRef(_) => {
                Err(self.err("`&expr` is only supported as an argument of max_by/min_by"))
            }
            Ast::Condition(..) => Err(self.err("a filter outside a projection")),
        }
    }

    fn field(&self, input: Val<S::Shape>, name: &str) -> Result<Val<S::Shape>, JmesPathError> {
        let (kind, shape, optional) = match input.ty {
            Ty::InputOutput { input, output } => {
                let (var, shape) = match name {
                    "input" => input,
                    "output" => output,
                    other => {
                        return Err(self.err(format!(
                            "an `inputOutput` path starts with `input` or `output`, not `{other}`"
                        )))
                    }
                };
                return Ok(Val::one(
                    var_tokens(&var),
                    var,
                    Kind::Structure,
                    Some(shape),
                    false,
                ));
            }
            Ty::One {
                kind,
                shape,
                optional,
            } => (kind, shape, optional),
            Ty::List(_) => {
                return Err(self.err(format!(
                    "`{name}` of a list is always null; project it with `[*].{name}` or `[].{name}`"
                )))
            }
            Ty::Bool(_) => {
                return Err(self.err(format!("`{name}` of a boolean expression is always null")))
            }
        };
        let structure = match (&kind, shape) {
            (Kind::Structure, Some(shape)) => shape,
            _ => {
                return Err(self.err(format!(
                    "`{name}` of a {} is always null (only structures have members)",
                    kind_name(&kind)
                )))
            }
        };
        let member = self
            .shapes
            .member(&structure, name)
            .ok_or_else(|| self.err(format!("`{structure}` has no member `{name}`")))?;
        if !valid_ident(&member.accessor) {
            return Err(self.err(format!(
                "accessor `{}` of `{structure}${name}` is not a Rust identifier",
                member.accessor
            )));
        }
        let acc = ident(&member.accessor);
        let param = ident(&input.name);
        let parent = &input.one;
        let get = match (optional, member.optional) {
            (false, _) => quote!(#parent.#acc()),
            (true, true) => quote!(#parent.and_then(|#param| #param.#acc())),
            (true, false) => quote!(#parent.map(|#param| #param.#acc())),
        };
        let target_kind = self.shapes.kind(&member.target);
        if let Kind::List(elem_shape) = &target_kind {
            let elem_kind = self.shapes.kind(elem_shape);
            if let Kind::List(_) = elem_kind {
                return Err(self.err(format!(
                    "`{structure}${name}` is a list of lists, which paths do not support"
                )));
            }
            let slice = if optional || member.optional {
                quote!(#get.unwrap_or_default())
            } else {
                get
            };
            let conv = Conv::for_kind(&elem_kind);
            return Ok(Val::list(Chain {
                base: conv.apply(quote!(#slice.iter())),
                last: None,
                elem: Elem::One(elem_kind, Some(elem_shape.clone())),
                slice: Some(slice),
                conv,
            }));
        }
        Ok(Val::one(
            get,
            member.accessor.clone(),
            target_kind,
            Some(member.target),
            optional || member.optional,
        ))
    }

    fn index(&self, input: Val<S::Shape>, i: i64) -> Result<Val<S::Shape>, JmesPathError> {
        let Ty::List(chain) = &input.ty else {
            return Err(self.err(format!("`[{i}]` of {} is always null", input.ty.describe())));
        };
        let (kind, shape) = chain.elem_one().map_err(|e| self.err(e))?;
        let n = Literal::u64_unsuffixed(i.unsigned_abs().saturating_sub(u64::from(i < 0)));
        let item = ident("item");
        let tokens = match (&chain.slice, &chain.last) {
            (Some(slice), _) => {
                let pick = match i {
                    0 => quote!(#slice.first()),
                    -1 => quote!(#slice.last()),
                    i if i > 0 => quote!(#slice.get(#n)),
                    _ => quote!(#slice.iter().rev().nth(#n)),
                };
                chain.conv.apply(pick)
            }
            (None, Some(Adapter::Filter(pred))) if i == 0 || i == -1 => {
                let base = &chain.base;
                let find = if i == 0 { quote!(find) } else { quote!(rfind) };
                quote!(#base.#find(|&#item| #pred))
            }
            _ => {
                let iter = chain.render();
                match i {
                    0 => quote!(#iter.next()),
                    -1 => quote!(#iter.next_back()),
                    i if i > 0 => quote!(#iter.nth(#n)),
                    _ => quote!(#iter.rev().nth(#n)),
                }
            }
        };
        Ok(Val::one(tokens, "item".into(), kind, shape, true))
    }

    fn project(&self, lhs: Val<S::Shape>, rhs: &Ast) -> Result<Val<S::Shape>, JmesPathError> {
        let Ty::List(mut chain) = lhs.ty else {
            return Err(self.err(format!(
                "a projection (`[*]`, `[]`, `[?..]`) over {}, which is not a list",
                lhs.ty.describe()
            )));
        };
        let mut rhs = rhs;
        if let Ast::Condition(predicate, then) = rhs {
            let element = self.element(&chain)?;
            let pred = self.truthy(self.eval(predicate, element)?)?;
            chain = chain.then(Adapter::Filter(pred.tokens), chain.elem.clone());
            rhs = then;
        }
        if *rhs == Ast::Identity {
            return Ok(Val::list(chain));
        }
        let out = self.eval(rhs, self.element(&chain)?)?;
        let item = ident("item");
        let next = match out.ty {
            Ty::One {
                kind,
                shape,
                optional: true,
            } => {
                let body = &out.one;
                chain.then_raw(quote!(.filter_map(|#item| #body)), Elem::One(kind, shape))
            }
            Ty::One { kind, shape, .. } => {
                chain.then(Adapter::Map(out.one), Elem::One(kind, shape))
            }
            Ty::Bool(_) => chain.then(Adapter::Map(out.one), Elem::One(Kind::Boolean, None)),
            Ty::List(inner) => chain.then(
                Adapter::Map(inner.render()),
                Elem::List(Box::new(inner.elem.clone())),
            ),
            Ty::InputOutput { .. } => return Err(self.err("a projection of the input/output pair")),
        };
        Ok(Val::list(next))
    }

    /// The current element inside a projection, bound to `item`.
    pub(super) fn element(&self, chain: &Chain<S::Shape>) -> Result<Val<S::Shape>, JmesPathError> {
        match &chain.elem {
            Elem::One(kind, shape) => Ok(Val::one(
                quote!(item),
                "item".into(),
                kind.clone(),
                shape.clone(),
                false,
            )),
            Elem::List(_) => Err(self
                .err("projections over lists of lists are not supported; flatten with `[]` first")),
        }
    }

    fn flatten(&self, inner: Val<S::Shape>) -> Result<Val<S::Shape>, JmesPathError> {
        let Ty::List(chain) = inner.ty else {
            return Err(self.err(format!(
                "`[]` of {}, which is not a list",
                inner.ty.describe()
            )));
        };
        match &chain.elem {
            Elem::One(..) => Ok(Val::list(chain)),
            Elem::List(inner) => {
                let item = ident("item");
                let flat = match &chain.last {
                    // `.map(f).flatten()` is clippy's `map_flatten`.
                    Some(Adapter::Map(body)) => {
                        let base = &chain.base;
                        quote!(#base.flat_map(|#item| #body))
                    }
                    _ => {
                        let iter = chain.render();
                        quote!(#iter.flatten())
                    }
                };
                Ok(Val::list(Chain {
                    base: flat,
                    last: None,
                    elem: (**inner).clone(),
                    slice: None,
                    conv: Conv::None,
                }))
            }
        }
    }
}
