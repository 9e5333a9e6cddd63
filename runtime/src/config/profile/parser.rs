//! The shared config/credentials file grammar: lines to raw sections and properties.
//!
//! Follows the cross-SDK spec exercised by `profile-parser-tests.json`:
//! * a section header starts in column 0 with `[` and must end with `]`; only a comment may
//!   follow it;
//! * blank lines and lines whose first non-blank character is `#` or `;` are comments;
//! * `key = value`: key and value are trimmed; in a value, `#` or `;` preceded by whitespace
//!   starts a comment (`value;x` keeps the `;`);
//! * an indented line continues the previous property; when that property's value was empty
//!   the continuation is a sub-property and must itself be `key = value`;
//! * continuations keep comment characters verbatim.
//!
//! This layer only checks the grammar; which sections are profiles, which names are valid and
//! how duplicates merge is decided by [`super::set`].

use std::fmt;

/// One `[header]` section with its properties in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawSection {
    /// The text between the brackets, trimmed.
    pub(crate) header: String,
    /// `(key, value)` pairs in file order; keys are as written (not yet validated).
    pub(crate) properties: Vec<(String, String)>,
}

/// A grammar error, with the 1-based line it was found on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileParseError {
    pub(crate) line: usize,
    pub(crate) message: &'static str,
}

impl ProfileParseError {
    /// The 1-based line number of the error.
    pub fn line(&self) -> usize {
        self.line
    }
}

impl fmt::Display for ProfileParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (line {})", self.message, self.line)
    }
}

impl std::error::Error for ProfileParseError {}

fn is_comment(trimmed: &str) -> bool {
    trimmed.starts_with('#') || trimmed.starts_with(';')
}

/// Cuts an inline comment off a property value: `#` or `;` preceded by whitespace.
fn strip_inline_comment(value: &str) -> &str {
    let mut prev_ws = false;
    for (i, c) in value.char_indices() {
        if (c == '#' || c == ';') && prev_ws {
            return &value[..i];
        }
        prev_ws = c.is_whitespace();
    }
    value
}

/// Parses one file's text into its sections.
pub(crate) fn parse(text: &str) -> Result<Vec<RawSection>, ProfileParseError> {
    let mut sections: Vec<RawSection> = Vec::new();
    // Whether the last line that was not blank/comment defined a property of the current
    // section (continuations attach to it), and whether that property started empty
    // (sub-properties).
    let mut last_property: Option<bool> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() || is_comment(trimmed) {
            continue;
        }
        let err = |message| ProfileParseError {
            line: line_no,
            message,
        };
        if let Some(rest) = line.strip_prefix('[') {
            let Some((inner, after)) = rest.split_once(']') else {
                return Err(err("Profile definition must end with ']'"));
            };
            let after = after.trim();
            if !after.is_empty() && !is_comment(after) {
                return Err(err("Expected a comment or the end of the line after ']'"));
            }
            sections.push(RawSection {
                header: inner.trim().to_owned(),
                properties: Vec::new(),
            });
            last_property = None;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(err("Expected a profile definition"));
        };
        if line.starts_with([' ', '\t']) {
            let Some(sub_properties) = last_property else {
                return Err(err("Expected a property definition, found continuation"));
            };
            if sub_properties {
                match trimmed.split_once('=') {
                    Some((key, _)) if key.trim().is_empty() => {
                        return Err(err("Sub-property did not have a name"))
                    }
                    Some(_) => {}
                    None => return Err(err("Expected an '=' sign defining a sub-property")),
                }
            }
            if let Some((_, value)) = section.properties.last_mut() {
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(err("Expected an '=' sign defining a property"));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(err("Property did not have a name"));
        }
        let value = strip_inline_comment(value).trim();
        section.properties.push((key.to_owned(), value.to_owned()));
        last_property = Some(value.is_empty());
    }
    Ok(sections)
}

/// Parses a property value made of sub-properties (`\nkey = value\n...`) into pairs;
/// lines without `=` are skipped.
pub(crate) fn sub_properties(value: &str) -> Vec<(String, String)> {
    value
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_comments_need_whitespace() {
        assert_eq!(strip_inline_comment("a #b"), "a ");
        assert_eq!(strip_inline_comment("a#b"), "a#b");
        assert_eq!(strip_inline_comment("a\t;b"), "a\t");
    }

    #[test]
    fn errors_carry_line_numbers() {
        let e = parse("[profile a]\nx = 1\n\nbroken").unwrap_err();
        assert_eq!(e.line(), 4);
        assert!(e.to_string().contains("Expected an '=' sign"), "{e}");
    }

    #[test]
    fn sub_properties_are_split() {
        assert_eq!(
            sub_properties("\nendpoint_url = http://x\nBad"),
            vec![("endpoint_url".to_owned(), "http://x".to_owned())]
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "(?s).{0,300}") {
            let _ = parse(&text);
        }
    }
}
