//! JMESPath tokens (the full lexical grammar: what the compiler does not support is
//! rejected later, with a reason, rather than as a syntax error).

use super::JmesPathError;

/// One token and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub kind: Tok,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// `foo`
    Identifier(String),
    /// `"foo"` (never a function name)
    QuotedIdentifier(String),
    /// A backtick JSON literal or a `'raw string'`.
    Literal(serde_json::Value),
    /// An integer (indexes and slices).
    Number(i64),
    Dot,
    Star,
    /// `[]`
    Flatten,
    /// `[?`
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    At,
    Ampersand,
    Pipe,
    Or,
    And,
    Not,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Eof,
}

impl Tok {
    /// How the token reads in error messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Identifier(name) => format!("identifier `{name}`"),
            Tok::QuotedIdentifier(name) => format!("identifier \"{name}\""),
            Tok::Literal(value) => format!("literal `{value}`"),
            Tok::Number(n) => format!("number `{n}`"),
            Tok::Eof => "end of expression".into(),
            other => format!("`{}`", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::Dot => ".",
            Tok::Star => "*",
            Tok::Flatten => "[]",
            Tok::Filter => "[?",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Comma => ",",
            Tok::Colon => ":",
            Tok::At => "@",
            Tok::Ampersand => "&",
            Tok::Pipe => "|",
            Tok::Or => "||",
            Tok::And => "&&",
            Tok::Not => "!",
            Tok::Eq => "==",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            _ => "?",
        }
    }
}

/// Splits `expr` into tokens, ending with [`Tok::Eof`].
pub(super) fn tokenize(expr: &str) -> Result<Vec<Token>, JmesPathError> {
    let err = |offset: usize, reason: String| {
        JmesPathError::new(expr, format!("{reason} at offset {offset}"))
    };
    let bytes = expr.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        let (kind, len) = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let len = bytes[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                (Tok::Identifier(expr[i..i + len].to_string()), len)
            }
            b'0'..=b'9' | b'-' => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let len = 1 + digits;
                if c == b'-' && digits == 0 {
                    return Err(err(start, "`-` must be followed by digits".into()));
                }
                let n = expr[i..i + len]
                    .parse::<i64>()
                    .map_err(|e| err(start, format!("bad number: {e}")))?;
                (Tok::Number(n), len)
            }
            b'"' => {
                let len = delimited_len(bytes, i, b'"')
                    .ok_or_else(|| err(start, "unterminated quoted identifier".into()))?;
                let name: String = serde_json::from_str(&expr[i..i + len])
                    .map_err(|e| err(start, format!("bad quoted identifier: {e}")))?;
                (Tok::QuotedIdentifier(name), len)
            }
            b'\'' => {
                let len = delimited_len(bytes, i, b'\'')
                    .ok_or_else(|| err(start, "unterminated raw string".into()))?;
                let raw = expr[i + 1..i + len - 1].replace("\\'", "'");
                (Tok::Literal(serde_json::Value::String(raw)), len)
            }
            b'`' => {
                let len = delimited_len(bytes, i, b'`')
                    .ok_or_else(|| err(start, "unterminated literal".into()))?;
                let json = expr[i + 1..i + len - 1].replace("\\`", "`");
                let value = serde_json::from_str(json.trim())
                    .map_err(|e| err(start, format!("literal is not JSON ({e})")))?;
                (Tok::Literal(value), len)
            }
            b'[' => match next {
                Some(b']') => (Tok::Flatten, 2),
                Some(b'?') => (Tok::Filter, 2),
                _ => (Tok::LBracket, 1),
            },
            b'|' if next == Some(b'|') => (Tok::Or, 2),
            b'&' if next == Some(b'&') => (Tok::And, 2),
            b'!' if next == Some(b'=') => (Tok::Ne, 2),
            b'=' if next == Some(b'=') => (Tok::Eq, 2),
            b'<' if next == Some(b'=') => (Tok::Le, 2),
            b'>' if next == Some(b'=') => (Tok::Ge, 2),
            b'.' => (Tok::Dot, 1),
            b'*' => (Tok::Star, 1),
            b']' => (Tok::RBracket, 1),
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b',' => (Tok::Comma, 1),
            b':' => (Tok::Colon, 1),
            b'@' => (Tok::At, 1),
            b'&' => (Tok::Ampersand, 1),
            b'|' => (Tok::Pipe, 1),
            b'!' => (Tok::Not, 1),
            b'<' => (Tok::Lt, 1),
            b'>' => (Tok::Gt, 1),
            b'=' => return Err(err(start, "`=` is not an operator (use `==`)".into())),
            _ => {
                let ch = expr[i..].chars().next().unwrap_or('?');
                return Err(err(start, format!("unexpected character `{ch}`")));
            }
        };
        tokens.push(Token {
            kind,
            offset: start,
        });
        i += len;
    }
    tokens.push(Token {
        kind: Tok::Eof,
        offset: expr.len(),
    });
    Ok(tokens)
}

/// The length of a token delimited by `quote` starting at `start` (both quotes included),
/// honouring backslash escapes; `None` when unterminated.
fn delimited_len(bytes: &[u8], start: usize, quote: u8) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i + 1 - start),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(expr: &str) -> Vec<Tok> {
        tokenize(expr)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn tokens_of_every_kind() {
        use serde_json::json;
        assert_eq!(
            kinds(
                r#"a."b c"[0][-1][][?x=='y\'s'] | `{"k": [1]}` && !b || c != @ <= >= < > & * : , {} ()"#
            ),
            vec![
                Tok::Identifier("a".into()),
                Tok::Dot,
                Tok::QuotedIdentifier("b c".into()),
                Tok::LBracket,
                Tok::Number(0),
                Tok::RBracket,
                Tok::LBracket,
                Tok::Number(-1),
                Tok::RBracket,
                Tok::Flatten,
                Tok::Filter,
                Tok::Identifier("x".into()),
                Tok::Eq,
                Tok::Literal(json!("y's")),
                Tok::RBracket,
                Tok::Pipe,
                Tok::Literal(json!({"k": [1]})),
                Tok::And,
                Tok::Not,
                Tok::Identifier("b".into()),
                Tok::Or,
                Tok::Identifier("c".into()),
                Tok::Ne,
                Tok::At,
                Tok::Le,
                Tok::Ge,
                Tok::Lt,
                Tok::Gt,
                Tok::Ampersand,
                Tok::Star,
                Tok::Colon,
                Tok::Comma,
                Tok::LBrace,
                Tok::RBrace,
                Tok::LParen,
                Tok::RParen,
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn lexical_errors_name_the_offset() {
        for (expr, reason) in [
            ("a = 'b'", "`=` is not an operator (use `==`) at offset 2"),
            ("a == 'b", "unterminated raw string at offset 5"),
            ("`{`", "literal is not JSON"),
            ("\"abc", "unterminated quoted identifier at offset 0"),
            ("a.b#", "unexpected character `#` at offset 3"),
            ("a.é", "unexpected character `é` at offset 2"),
            ("[-]", "`-` must be followed by digits at offset 1"),
            ("[99999999999999999999]", "bad number"),
        ] {
            let err = tokenize(expr).unwrap_err();
            assert!(err.reason.contains(reason), "{expr}: {err}");
            assert_eq!(err.expression, expr);
        }
    }
}
