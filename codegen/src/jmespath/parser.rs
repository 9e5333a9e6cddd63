//! JMESPath parser: a Pratt parser over the full grammar, producing the AST the JMESPath
//! reference implementations use (projections as `Projection(lhs, rhs)` nodes, filters as
//! a projection whose right side is a `Condition`).

use std::fmt;

use super::lexer::{tokenize, Tok, Token};
use super::JmesPathError;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparator {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "==",
            Comparator::Ne => "!=",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }

    /// The operator with its operands swapped (`a < b` is `b > a`).
    pub fn flipped(self) -> Self {
        match self {
            Comparator::Lt => Comparator::Gt,
            Comparator::Le => Comparator::Ge,
            Comparator::Gt => Comparator::Lt,
            Comparator::Ge => Comparator::Le,
            same => same,
        }
    }
}

/// A parsed JMESPath expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// `@`, and the implicit right side of a projection.
    Identity,
    /// `foo` or `"foo"`.
    Field(String),
    /// `lhs.rhs`: `rhs` evaluated on the result of `lhs`.
    Subexpr(Box<Ast>, Box<Ast>),
    /// `a | b`: like a sub-expression, but it ends any projection on the left.
    Pipe(Box<Ast>, Box<Ast>),
    /// `[n]` (negative counts from the end).
    Index(i64),
    /// `[start:stop:step]` (a projection over the slice).
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `lhs[*].rhs`, `lhs[].rhs`, `lhs[?p].rhs`: `rhs` on every element of the list `lhs`
    /// (elements for which it is null are dropped).
    Projection(Box<Ast>, Box<Ast>),
    /// The values of an object (`*`); the left side of an object projection.
    ObjectValues(Box<Ast>),
    /// `lhs[]`: one level of nested lists flattened.
    Flatten(Box<Ast>),
    /// Inside a filter projection: the element is kept when `predicate` is truthy, then
    /// `then` is evaluated on it.
    Condition(Box<Ast>, Box<Ast>),
    /// `lhs <op> rhs`.
    Comparison(Comparator, Box<Ast>, Box<Ast>),
    /// `a && b`
    And(Box<Ast>, Box<Ast>),
    /// `a || b`
    Or(Box<Ast>, Box<Ast>),
    /// `!a`
    Not(Box<Ast>),
    /// `` `json` `` or `'raw string'`.
    Literal(serde_json::Value),
    /// `name(args...)`
    Function(String, Vec<Ast>),
    /// `&expr` (an argument of `max_by`, `sort_by`...).
    ExpRef(Box<Ast>),
    /// `[a, b]`
    MultiList(Vec<Ast>),
    /// `{k: a, ...}`
    MultiHash(Vec<(String, Ast)>),
}

/// Parses a JMESPath expression.
pub fn parse(expr: &str) -> Result<Ast, JmesPathError> {
    let tokens = tokenize(expr)?;
    let mut parser = Parser {
        expr,
        tokens,
        pos: 0,
    };
    let ast = parser.expression(0)?;
    match parser.peek() {
        Tok::Eof => Ok(ast),
        _ => Err(parser.unexpected()),
    }
}

/// Binding powers from the JMESPath reference grammar.
fn binding_power(tok: &Tok) -> u8 {
    match tok {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBrace => 50,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

/// Tokens after a projection with a lower binding power than this end the projection.
const PROJECTION_STOP: u8 = 10;

struct Parser<'a> {
    expr: &'a str,
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser<'_> {
    /// The token at `pos`; past the end, the final `Eof` (so `advance` then `pos -= 1`
    /// always returns to the token just read).
    fn at(&self, pos: usize) -> &Token {
        &self.tokens[pos.min(self.tokens.len() - 1)]
    }

    fn peek(&self) -> &Tok {
        &self.at(self.pos).kind
    }

    fn peek2(&self) -> &Tok {
        &self.at(self.pos + 1).kind
    }

    fn advance(&mut self) -> Tok {
        let tok = self.peek().clone();
        self.pos += 1;
        tok
    }

    fn error(&self, reason: impl fmt::Display) -> JmesPathError {
        let offset = self.at(self.pos).offset;
        JmesPathError::new(self.expr, format!("{reason} at offset {offset}"))
    }

    fn unexpected(&self) -> JmesPathError {
        self.error(format!("unexpected {}", self.peek().describe()))
    }

    fn expect(&mut self, tok: Tok) -> Result<(), JmesPathError> {
        if *self.peek() == tok {
            self.advance();
            Ok(())
        } else {
            Err(self.error(format!(
                "expected {}, found {}",
                tok.describe(),
                self.peek().describe()
            )))
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<Ast, JmesPathError> {
        let mut left = self.nud()?;
        while rbp < binding_power(self.peek()) {
            left = self.led(left)?;
        }
        Ok(left)
    }

    /// A token at the start of an expression.
    fn nud(&mut self) -> Result<Ast, JmesPathError> {
        let at = self.pos;
        match self.advance() {
            Tok::Identifier(name) | Tok::QuotedIdentifier(name) => Ok(Ast::Field(name)),
            Tok::Literal(value) => Ok(Ast::Literal(value)),
            Tok::At => Ok(Ast::Identity),
            Tok::Ampersand => Ok(Ast::ExpRef(Box::new(self.expression(0)?))),
            Tok::Not => Ok(Ast::Not(Box::new(
                self.expression(binding_power(&Tok::Not))?,
            ))),
            Tok::LParen => {
                let inner = self.expression(0)?;
                self.expect(Tok::RParen)?;
                Ok(inner)
            }
            Tok::Star => {
                let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
                Ok(Ast::Projection(
                    Box::new(Ast::ObjectValues(Box::new(Ast::Identity))),
                    Box::new(rhs),
                ))
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(binding_power(&Tok::Flatten))?;
                Ok(Ast::Projection(
                    Box::new(Ast::Flatten(Box::new(Ast::Identity))),
                    Box::new(rhs),
                ))
            }
            Tok::Filter => self.filter(Ast::Identity),
            Tok::LBracket => match self.peek() {
                Tok::Number(_) | Tok::Colon => self.index_or_slice(Ast::Identity),
                Tok::Star if *self.peek2() == Tok::RBracket => {
                    self.advance();
                    self.advance();
                    let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
                    Ok(Ast::Projection(Box::new(Ast::Identity), Box::new(rhs)))
                }
                _ => self.multi_list(),
            },
            Tok::LBrace => self.multi_hash(),
            _ => {
                self.pos = at;
                Err(self.unexpected())
            }
        }
    }

    /// A token after a complete left-hand expression.
    fn led(&mut self, left: Ast) -> Result<Ast, JmesPathError> {
        let tok = self.advance();
        let bp = binding_power(&tok);
        let binary = |parser: &mut Self| parser.expression(bp).map(Box::new);
        match tok {
            Tok::Dot => {
                if *self.peek() == Tok::Star {
                    self.advance();
                    let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
                    return Ok(Ast::Projection(
                        Box::new(Ast::ObjectValues(Box::new(left))),
                        Box::new(rhs),
                    ));
                }
                Ok(Ast::Subexpr(Box::new(left), Box::new(self.dot_rhs(bp)?)))
            }
            Tok::Pipe => Ok(Ast::Pipe(Box::new(left), binary(self)?)),
            Tok::Or => Ok(Ast::Or(Box::new(left), binary(self)?)),
            Tok::And => Ok(Ast::And(Box::new(left), binary(self)?)),
            Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge => {
                let op = match tok {
                    Tok::Eq => Comparator::Eq,
                    Tok::Ne => Comparator::Ne,
                    Tok::Lt => Comparator::Lt,
                    Tok::Le => Comparator::Le,
                    Tok::Gt => Comparator::Gt,
                    _ => Comparator::Ge,
                };
                Ok(Ast::Comparison(op, Box::new(left), binary(self)?))
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(bp)?;
                Ok(Ast::Projection(
                    Box::new(Ast::Flatten(Box::new(left))),
                    Box::new(rhs),
                ))
            }
            Tok::Filter => self.filter(left),
            Tok::LBracket => match self.peek() {
                Tok::Number(_) | Tok::Colon => self.index_or_slice(left),
                Tok::Star => {
                    self.advance();
                    self.expect(Tok::RBracket)?;
                    let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
                    Ok(Ast::Projection(Box::new(left), Box::new(rhs)))
                }
                _ => Err(self.unexpected()),
            },
            Tok::LParen => match left {
                Ast::Field(name)
                    if !matches!(self.at(self.pos - 2).kind, Tok::QuotedIdentifier(_)) =>
                {
                    let mut args = Vec::new();
                    while *self.peek() != Tok::RParen {
                        if !args.is_empty() {
                            self.expect(Tok::Comma)?;
                        }
                        args.push(self.expression(0)?);
                    }
                    self.advance();
                    Ok(Ast::Function(name, args))
                }
                _ => {
                    self.pos -= 1;
                    Err(self.error("only a plain name can be called as a function"))
                }
            },
            _ => {
                self.pos -= 1;
                Err(self.unexpected())
            }
        }
    }

    /// What may follow a `.`: a name, a multi-select, or a function call.
    fn dot_rhs(&mut self, bp: u8) -> Result<Ast, JmesPathError> {
        match self.peek() {
            Tok::Identifier(_) | Tok::QuotedIdentifier(_) | Tok::LBracket | Tok::LBrace => {
                self.expression(bp)
            }
            _ => Err(self.error(format!(
                "expected a name after `.`, found {}",
                self.peek().describe()
            ))),
        }
    }

    /// The part of a projection applied to each element (`Identity` when none).
    fn projection_rhs(&mut self, bp: u8) -> Result<Ast, JmesPathError> {
        match self.peek() {
            tok if binding_power(tok) < PROJECTION_STOP => Ok(Ast::Identity),
            Tok::LBracket | Tok::Filter => self.expression(bp),
            Tok::Dot => {
                self.advance();
                self.dot_rhs(bp)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn filter(&mut self, left: Ast) -> Result<Ast, JmesPathError> {
        let predicate = self.expression(0)?;
        self.expect(Tok::RBracket)?;
        let then = self.projection_rhs(binding_power(&Tok::Filter))?;
        Ok(Ast::Projection(
            Box::new(left),
            Box::new(Ast::Condition(Box::new(predicate), Box::new(then))),
        ))
    }

    /// After `[` followed by a number or `:`.
    fn index_or_slice(&mut self, left: Ast) -> Result<Ast, JmesPathError> {
        let mut parts: [Option<i64>; 3] = [None; 3];
        let mut part = 0;
        loop {
            match self.advance() {
                Tok::Number(n) if parts[part].is_none() => parts[part] = Some(n),
                Tok::Colon if part < 2 => part += 1,
                Tok::RBracket => break,
                _ => {
                    self.pos -= 1;
                    return Err(self.error(format!(
                        "unexpected {} in an index or slice",
                        self.peek().describe()
                    )));
                }
            }
        }
        if part == 0 {
            let index = parts[0].ok_or_else(|| self.error("empty index"))?;
            return Ok(subexpr(left, Ast::Index(index)));
        }
        if parts[2] == Some(0) {
            return Err(self.error("slice step cannot be 0"));
        }
        let slice = subexpr(left, Ast::Slice(parts[0], parts[1], parts[2]));
        let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
        Ok(Ast::Projection(Box::new(slice), Box::new(rhs)))
    }

    fn multi_list(&mut self) -> Result<Ast, JmesPathError> {
        let mut items = vec![self.expression(0)?];
        while *self.peek() == Tok::Comma {
            self.advance();
            items.push(self.expression(0)?);
        }
        self.expect(Tok::RBracket)?;
        Ok(Ast::MultiList(items))
    }

    fn multi_hash(&mut self) -> Result<Ast, JmesPathError> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.advance() {
                Tok::Identifier(key) | Tok::QuotedIdentifier(key) => key,
                _ => {
                    self.pos -= 1;
                    return Err(self.error(format!(
                        "expected a key in a multi-select hash, found {}",
                        self.peek().describe()
                    )));
                }
            };
            self.expect(Tok::Colon)?;
            pairs.push((key, self.expression(0)?));
            match self.advance() {
                Tok::Comma => {}
                Tok::RBrace => return Ok(Ast::MultiHash(pairs)),
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected());
                }
            }
        }
    }
}

/// `left.right`, without a redundant `@.` when `left` is the identity.
fn subexpr(left: Ast, right: Ast) -> Ast {
    match left {
        Ast::Identity => right,
        left => Ast::Subexpr(Box::new(left), Box::new(right)),
    }
}

/// An s-expression rendering, for tests and error messages.
impl fmt::Display for Ast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn opt(n: &Option<i64>) -> String {
            n.map(|n| n.to_string()).unwrap_or_default()
        }
        match self {
            Ast::Identity => f.write_str("@"),
            Ast::Field(name) => write!(f, "{name}"),
            Ast::Subexpr(l, r) => write!(f, "(. {l} {r})"),
            Ast::Pipe(l, r) => write!(f, "(| {l} {r})"),
            Ast::Index(i) => write!(f, "[{i}]"),
            Ast::Slice(a, b, c) => write!(f, "[{}:{}:{}]", opt(a), opt(b), opt(c)),
            Ast::Projection(l, r) => write!(f, "(project {l} {r})"),
            Ast::ObjectValues(inner) => write!(f, "(values {inner})"),
            Ast::Flatten(inner) => write!(f, "(flatten {inner})"),
            Ast::Condition(p, then) => write!(f, "(if {p} {then})"),
            Ast::Comparison(op, l, r) => write!(f, "({} {l} {r})", op.symbol()),
            Ast::And(l, r) => write!(f, "(&& {l} {r})"),
            Ast::Or(l, r) => write!(f, "(|| {l} {r})"),
            Ast::Not(inner) => write!(f, "(! {inner})"),
            Ast::Literal(value) => write!(f, "`{value}`"),
            Ast::Function(name, args) => {
                write!(f, "({name}")?;
                for arg in args {
                    write!(f, " {arg}")?;
                }
                f.write_str(")")
            }
            Ast::ExpRef(inner) => write!(f, "&{inner}"),
            Ast::MultiList(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Ast::MultiHash(pairs) => {
                f.write_str("{")?;
                for (i, (key, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{key}: {value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

#[cfg(test)]
mod tests;
