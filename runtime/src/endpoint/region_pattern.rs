//! The region regexes of `partitions.json`, parsed and matched without a regex engine.
//!
//! Every published pattern has the same shape: `^(us|eu|..)\-\w+\-\d+$`, an anchored
//! sequence of literals, alternations of literals, `\w` and `\d`, each optionally followed by
//! `+`. A regex crate for that costs about 40 KiB of every binary and a crate in every clean
//! build, so this module reads exactly that subset and **refuses everything else**
//! ([`RegionPattern::parse`] returns an error naming the construct): a pattern it would
//! misread fails loudly in `partition_table_matches_partitions_json` instead. The test
//! `region_patterns_agree_with_regex_lite` (runtime/tests/endpoint_rules.rs) compares the
//! matcher with `regex-lite` on the table's patterns.

use std::fmt;

/// A parsed region regex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionPattern {
    items: Vec<Item>,
}

/// Why a region regex is outside the subset this module reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsupportedPattern {
    /// The pattern.
    pub pattern: String,
    /// The construct that is not read, and where.
    pub reason: String,
}

impl fmt::Display for UnsupportedPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "region regex `{}` is not supported: {}",
            self.pattern, self.reason
        )
    }
}

impl std::error::Error for UnsupportedPattern {}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Item {
    atom: Atom,
    /// Followed by `+` (one or more).
    repeated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Atom {
    /// One ASCII byte.
    Literal(u8),
    /// `\w`: ASCII letters, digits and `_` (regex-lite's `\w` is ASCII only too).
    Word,
    /// `\d`: ASCII digits.
    Digit,
    /// `(a|b|..)`: one of several non-empty literal strings.
    OneOf(Vec<Vec<u8>>),
}

impl Atom {
    /// The positions where one occurrence of the atom starting at `pos` can end.
    fn ends<'a>(&'a self, input: &'a [u8], pos: usize) -> impl Iterator<Item = usize> + 'a {
        let rest = input.get(pos..).unwrap_or_default();
        let single = match self {
            Atom::Literal(b) => rest.first() == Some(b),
            Atom::Word => rest
                .first()
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_'),
            Atom::Digit => rest.first().is_some_and(u8::is_ascii_digit),
            Atom::OneOf(_) => false,
        };
        let alternatives: &[Vec<u8>] = match self {
            Atom::OneOf(alternatives) => alternatives,
            _ => &[],
        };
        single.then_some(pos + 1).into_iter().chain(
            alternatives
                .iter()
                .filter(move |alt| rest.starts_with(alt))
                .map(move |alt| pos + alt.len()),
        )
    }
}

impl RegionPattern {
    /// Parses an anchored region regex of the supported subset.
    pub fn parse(pattern: &str) -> Result<Self, UnsupportedPattern> {
        let unsupported = |reason: String| UnsupportedPattern {
            pattern: pattern.to_owned(),
            reason,
        };
        let body = pattern
            .strip_prefix('^')
            .and_then(|p| p.strip_suffix('$'))
            .ok_or_else(|| unsupported("it is not anchored with `^` and `$`".into()))?;
        let bytes = body.as_bytes();
        let mut items: Vec<Item> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let (atom, next) = match bytes[i] {
                b'\\' => (escape(bytes.get(i + 1)).map_err(unsupported)?, i + 2),
                b'(' => group(bytes, i).map_err(unsupported)?,
                b'+' => {
                    match items.last_mut() {
                        Some(item) if !item.repeated => item.repeated = true,
                        _ => return Err(unsupported(format!("`+` at byte {i} repeats nothing"))),
                    }
                    i += 1;
                    continue;
                }
                b if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' => {
                    (Atom::Literal(b), i + 1)
                }
                other => {
                    return Err(unsupported(format!(
                        "`{}` at byte {} of the body",
                        char::from(other).escape_default(),
                        i
                    )))
                }
            };
            items.push(Item {
                atom,
                repeated: false,
            });
            i = next;
        }
        Ok(RegionPattern { items })
    }

    /// Whether the whole of `region` matches.
    pub fn is_match(&self, region: &str) -> bool {
        matches_from(&self.items, region.as_bytes(), 0)
    }
}

/// `\` followed by `next`: `\w`, `\d`, or an escaped ASCII punctuation byte.
fn escape(next: Option<&u8>) -> Result<Atom, String> {
    match next {
        Some(b'w') => Ok(Atom::Word),
        Some(b'd') => Ok(Atom::Digit),
        Some(b) if b.is_ascii_punctuation() => Ok(Atom::Literal(*b)),
        Some(b) => Err(format!(
            "the escape `\\{}`",
            char::from(*b).escape_default()
        )),
        None => Err("a trailing `\\`".into()),
    }
}

/// The group opening at `open`: literal alternatives separated by `|`.
fn group(bytes: &[u8], open: usize) -> Result<(Atom, usize), String> {
    let close = bytes[open..]
        .iter()
        .position(|b| *b == b')')
        .map(|p| open + p)
        .ok_or_else(|| format!("the group at byte {open} is not closed"))?;
    let alternatives: Vec<Vec<u8>> = bytes[open + 1..close]
        .split(|b| *b == b'|')
        .map(<[u8]>::to_vec)
        .collect();
    for alt in &alternatives {
        if alt.is_empty() || !alt.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-') {
            return Err(format!(
                "the group at byte {open} holds more than non-empty letters, digits and `-`"
            ));
        }
    }
    Ok((Atom::OneOf(alternatives), close + 1))
}

/// Backtracking match of `items` against `input[pos..]`, to its end. Every atom consumes at
/// least one byte, so the recursion ends; region names are short.
fn matches_from(items: &[Item], input: &[u8], pos: usize) -> bool {
    let Some((first, rest)) = items.split_first() else {
        return pos == input.len();
    };
    first.atom.ends(input, pos).any(|end| {
        matches_from(rest, input, end) || (first.repeated && repeats_from(first, rest, input, end))
    })
}

/// Further occurrences of a `+` item at `pos`, then the rest.
fn repeats_from(item: &Item, rest: &[Item], input: &[u8], pos: usize) -> bool {
    item.atom
        .ends(input, pos)
        .any(|end| matches_from(rest, input, end) || repeats_from(item, rest, input, end))
}

#[cfg(test)]
mod tests {
    use super::RegionPattern;

    #[test]
    fn the_published_shape_matches_as_a_regex_would() {
        let p = RegionPattern::parse(r"^(us|eu|ap)\-\w+\-\d+$").expect("supported");
        assert!(p.is_match("us-east-1"));
        assert!(p.is_match("ap-south-12"));
        // `\w+` takes digits and `_` too, and backtracks to leave the `-\d+` tail.
        assert!(p.is_match("eu-x_9-1"));
        assert!(!p.is_match("us-east-"));
        assert!(!p.is_match("us--1"));
        assert!(!p.is_match("cn-north-1"));
        assert!(!p.is_match("us-east-1 "));
        assert!(!p.is_match("us-east-1a"));
        assert!(!p.is_match("us-eást-1"));
        assert!(!p.is_match(""));
        let gov = RegionPattern::parse(r"^us\-gov\-\w+\-\d+$").expect("supported");
        assert!(gov.is_match("us-gov-west-1"));
        assert!(!gov.is_match("us-west-1"));
    }

    #[test]
    fn constructs_outside_the_subset_are_refused_with_the_construct_named() {
        for (pattern, named) in [
            (r"us\-\w+", "anchored"),
            (r"^[a-z]+$", "`[`"),
            (r"^us.\d$", "`.`"),
            (r"^us\-\d*$", "`*`"),
            (r"^us\s$", r"`\s`"),
            (r"^(us|)$", "non-empty"),
            (r"^(us|eu$", "not closed"),
            (r"^+$", "repeats nothing"),
            (r"^\d++$", "repeats nothing"),
            (r"^us\$", "trailing"),
        ] {
            let err = RegionPattern::parse(pattern)
                .expect_err(pattern)
                .to_string();
            assert!(err.contains(named), "{pattern}: {err}");
            assert!(err.contains(pattern), "{pattern}: {err}");
        }
    }
}
