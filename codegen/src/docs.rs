//! Smithy documentation traits hold HTML fragments; rustdoc wants Markdown. This is a
//! small converter for the subset AWS models use (p, code, a, i/em, b/strong, ul/ol/li,
//! note/important, br, pre, dl/dt/dd). We keep it in-tree rather than pulling an HTML
//! parser (html5ever) into the generator for a few tags: unknown tags keep their text.
//!
//! Output is safe for rustdoc: `[`, `]`, `<`, `>` and `*` in text are escaped, bare URLs
//! are wrapped in `<...>`, so `cargo doc` raises no broken-link or HTML-tag warnings.

/// Converts an HTML documentation string to Markdown lines wrapped at `width` columns.
pub fn to_markdown(html: &str, width: usize) -> Vec<String> {
    let mut r = Renderer::default();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(stripped) = rest.strip_prefix('<') {
            if let Some(end) = stripped.find('>') {
                r.tag(&stripped[..end]);
                rest = &stripped[end + 1..];
                continue;
            }
        }
        // Skip the first character whole: it may be multi-byte (`—`, U+00A0, U+2028).
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let next = rest[first..].find('<').map_or(rest.len(), |i| i + first);
        r.text(&decode_entities(&rest[..next]));
        rest = &rest[next..];
    }
    r.end_block();
    let mut lines = Vec::new();
    for (i, block) in r.blocks.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        wrap(block, width, &mut lines);
    }
    lines
}

#[derive(Default)]
struct Renderer {
    blocks: Vec<Block>,
    current: String,
    prefix: String,
    /// One entry per open list: the next number of an ordered list (`None` for bullets),
    /// the column its bullets start at, and the content column of its current item.
    lists: Vec<List>,
    link: Option<(String, usize)>,
    code_depth: usize,
    pre: bool,
    /// `**Note:** ` and the like, put in front of the next block with text.
    label: Option<&'static str>,
    /// Emphasis markers opened but not yet followed by text: they are written right before
    /// the next word, so `<i> <b>text` becomes `***text` and never `* **text` (a list item).
    pending_emphasis: String,
}

struct List {
    next_number: Option<usize>,
    bullet_column: usize,
    content_column: usize,
}

struct Block {
    prefix: String,
    text: String,
    pre: bool,
}

impl Renderer {
    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name = body
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div" | "dl" | "dd", _) => self.end_block(),
            ("dt", false) => {
                self.end_block();
                self.current.push_str("**");
            }
            ("dt", true) => {
                self.current.push_str("**");
                self.end_block();
            }
            ("br", _) => self.end_block(),
            ("note" | "important", false) => {
                self.end_block();
                self.label = Some(if name == "note" {
                    "**Note:** "
                } else {
                    "**Important:** "
                });
            }
            ("note" | "important", true) => self.end_block(),
            ("ul" | "ol", false) => {
                self.end_block();
                // A nested list starts at its parent item's content column, so Markdown
                // sees it inside that item.
                let column = self.lists.last().map_or(0, |l| l.content_column);
                self.lists.push(List {
                    next_number: (name == "ol").then_some(0),
                    bullet_column: column,
                    content_column: column,
                });
            }
            ("ul" | "ol", true) => {
                self.end_block();
                self.lists.pop();
            }
            ("li", false) => {
                self.end_block();
                let Some(list) = self.lists.last_mut() else {
                    return; // an `<li>` outside any list: plain text
                };
                let bullet = match &mut list.next_number {
                    Some(n) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    None => "- ".to_string(),
                };
                let indent = " ".repeat(list.bullet_column);
                list.content_column = list.bullet_column + bullet.len();
                self.prefix = format!("{indent}{bullet}");
            }
            ("li", true) => self.end_block(),
            ("code" | "tt", false) => {
                if self.code_depth == 0 && !self.pre {
                    self.current.push('`');
                }
                self.code_depth += 1;
            }
            ("code" | "tt", true) => {
                self.code_depth = self.code_depth.saturating_sub(1);
                if self.code_depth == 0 && !self.pre {
                    if self.current.ends_with('`') {
                        self.current.pop();
                    } else {
                        self.current.push('`');
                    }
                }
            }
            ("i" | "em", _) => self.emphasis("*", closing),
            ("b" | "strong", _) => self.emphasis("**", closing),
            ("pre", false) => {
                self.end_block();
                self.pre = true;
            }
            ("pre", true) => {
                self.end_block();
                self.pre = false;
            }
            ("a", false) => {
                let href = attribute(body, "href");
                self.link = href.map(|h| (h, self.current.len()));
                if self.link.is_some() {
                    self.current.push('[');
                }
            }
            ("a", true) => {
                if let Some((href, start)) = self.link.take() {
                    // A block may have ended inside the link (`<a><p>..</a>`): then `start`
                    // no longer points into `current`, and the text is kept as is.
                    if self.current.get(start..) == Some("[") {
                        // An empty link text: show the URL itself.
                        self.current.truncate(start);
                        self.current.push_str(&format!("<{href}>"));
                    } else {
                        self.current.push_str(&format!("]({href})"));
                    }
                }
            }
            _ => {}
        }
    }

    fn emphasis(&mut self, marker: &'static str, closing: bool) {
        if !closing {
            self.pending_emphasis.push_str(marker);
        } else if self.pending_emphasis.ends_with(marker) {
            // Nothing was emphasized: drop the pair.
            let keep = self.pending_emphasis.len() - marker.len();
            self.pending_emphasis.truncate(keep);
        } else {
            // The closing marker goes right after the last word, before any space.
            let spaced = self.current.ends_with(' ');
            let trimmed = self.current.trim_end().len();
            self.current.truncate(trimmed);
            self.current.push_str(marker);
            if spaced {
                self.current.push(' ');
            }
        }
    }

    fn text(&mut self, text: &str) {
        if !self.pending_emphasis.is_empty() && !self.pre && !text.trim().is_empty() {
            let rest = text.trim_start();
            if rest.len() < text.len() {
                self.text_run(" ");
            }
            let markers = std::mem::take(&mut self.pending_emphasis);
            self.current.push_str(&markers);
            return self.text_run(rest);
        }
        self.text_run(text);
    }

    fn text_run(&mut self, text: &str) {
        if self.pre {
            self.current.push_str(text);
            return;
        }
        if self.code_depth > 0 {
            let collapsed = collapse(text);
            self.current.push_str(&collapsed.replace('`', "'"));
            return;
        }
        let collapsed = collapse(text);
        let starts_block = self.current.is_empty() || self.current.ends_with(' ');
        let collapsed = if starts_block {
            collapsed.trim_start()
        } else {
            &collapsed
        };
        let in_link = self.link.is_some();
        for word in collapsed.split_inclusive(' ') {
            let bare = word.trim_end();
            if !in_link && (bare.starts_with("http://") || bare.starts_with("https://")) {
                let url = bare.trim_end_matches(['.', ',', ')', ';']);
                let tail = &bare[url.len()..];
                self.current.push_str(&format!("<{url}>{}", escape(tail)));
                if word.ends_with(' ') {
                    self.current.push(' ');
                }
            } else {
                self.current.push_str(&escape(word));
            }
        }
    }

    fn end_block(&mut self) {
        self.pending_emphasis.clear();
        let text = if self.pre {
            self.current.trim_matches('\n').to_string()
        } else {
            self.current.trim().to_string()
        };
        if !text.is_empty() {
            let text = match self.label.take() {
                Some(label) => format!("{label}{text}"),
                None => text,
            };
            let mut prefix = std::mem::take(&mut self.prefix);
            if prefix.is_empty() {
                // A later paragraph, note or `<pre>` of a list item stays inside the item.
                prefix = " ".repeat(self.lists.last().map_or(0, |l| l.content_column));
            }
            self.blocks.push(Block {
                prefix,
                text,
                pre: self.pre,
            });
        }
        self.current.clear();
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let (quote, rest) = match rest.chars().next()? {
        q @ ('"' | '\'') => (q, &rest[1..]),
        _ => (' ', rest),
    };
    let end = rest.find(quote).unwrap_or(rest.len());
    Some(decode_entities(&rest[..end]).trim().to_string())
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' | ']' | '*' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let c = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn wrap(block: &Block, width: usize, lines: &mut Vec<String>) {
    if block.pre {
        // Fenced at the block's indent, so a `<pre>` in a list item stays in the item.
        let indent = " ".repeat(block.prefix.len());
        lines.push(format!("{indent}```text"));
        // `lines` also splits on `\r\n`; a lone `\r` is not allowed in a doc comment.
        lines.extend(
            block
                .text
                .lines()
                .map(|l| format!("{indent}{}", l.replace('\r', ""))),
        );
        lines.push(format!("{indent}```"));
        return;
    }
    let indent = " ".repeat(block.prefix.len());
    let mut line = block.prefix.clone();
    let mut line_has_word = false;
    for word in block.text.split(' ').filter(|w| !w.is_empty()) {
        if line_has_word && line.len() + 1 + word.len() > width && !opens_a_block(word) {
            lines.push(std::mem::replace(&mut line, indent.clone()));
            line_has_word = false;
        }
        if line_has_word {
            line.push(' ');
        }
        line.push_str(word);
        line_has_word = true;
    }
    if line_has_word {
        lines.push(line);
    }
}

/// Whether Markdown would read `word` at the start of a line as the start of a new block (a
/// list item, heading, quote or rule) instead of a continuation; the wrapper never breaks a
/// line right before such a word.
fn opens_a_block(word: &str) -> bool {
    let digits = word.trim_start_matches(|c: char| c.is_ascii_digit());
    matches!(word, "-" | "+" | "*" | "=" | "==" | "--" | "---")
        || word.starts_with('#')
        || word.starts_with('>')
        || word.starts_with("```")
        || (digits.len() < word.len() && matches!(digits, "." | ")"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html, 60).join("\n")
    }

    #[test]
    fn paragraphs_code_and_links() {
        assert_eq!(
            md("<p>Returns the <code>deployments</code>.</p>\n  <p>See <a href=\"https://x.y/z\">the guide</a>.</p>"),
            "Returns the `deployments`.\n\nSee [the guide](https://x.y/z)."
        );
    }

    #[test]
    fn lists_and_notes() {
        assert_eq!(
            md("<p>States:</p><ul><li><p><code>ACTIVE</code> - running</p></li><li>FAILED</li></ul><note><p>Keep it.</p></note>"),
            "States:\n\n- `ACTIVE` - running\n\n- FAILED\n\n**Note:** Keep it."
        );
        assert_eq!(md("<ol><li>one</li><li>two</li></ol>"), "1. one\n\n2. two");
    }

    #[test]
    fn escapes_what_rustdoc_would_misread() {
        assert_eq!(
            md("Use [brackets] and <b>bold</b> &lt;tag&gt; a*b see https://example.com/x."),
            "Use \\[brackets\\] and **bold** &lt;tag&gt; a\\*b see\n<https://example.com/x>."
        );
        assert_eq!(
            md("a &amp; b &#39;c&#x27; &bogus; &"),
            "a & b 'c' &bogus; &"
        );
    }

    #[test]
    fn wraps_long_paragraphs_with_list_indent() {
        let lines = to_markdown(&format!("<ul><li>{}</li></ul>", "word ".repeat(30)), 40);
        assert!(lines.iter().all(|l| l.len() <= 40), "{lines:?}");
        assert!(lines[0].starts_with("- word"));
        assert!(lines[1].starts_with("  word"));
    }

    #[test]
    fn later_blocks_of_a_list_item_stay_inside_it() {
        // A note after a nested list must not end the outer list: the items after it would
        // become an indented code block (which rustdoc then runs as a doctest).
        assert_eq!(
            md("<ul><li><p>Outer</p><ul><li>inner</li></ul><note>Careful.</note><ul><li>more</li></ul></li></ul>"),
            "- Outer\n\n  - inner\n\n  **Note:** Careful.\n\n  - more"
        );
        assert_eq!(
            md("<ol><li>one<pre>x = 1</pre></li></ol>"),
            "1. one\n\n   ```text\n   x = 1\n   ```"
        );
        assert_eq!(
            md("<ol><li>a<ul><li>b</li></ul></li></ol>"),
            "1. a\n\n   - b"
        );
    }

    #[test]
    fn never_breaks_before_a_word_that_starts_a_block() {
        for word in ["-", "+", "*", "#", "##", ">", "1.", "12)", "="] {
            let html = format!(
                "<ul><li>{} {word} tail words here</li></ul>",
                "x".repeat(17)
            );
            for line in to_markdown(&html, 20).iter().skip(1) {
                assert!(
                    !opens_a_block(line.trim_start().split(' ').next().unwrap_or("")),
                    "{word}: {line:?}"
                );
            }
        }
    }

    #[test]
    fn emphasis_hugs_its_words() {
        // Whitespace between nested tags must not turn `*` into a list bullet.
        assert_eq!(
            md("<p>\n <i>\n  <b>Preview only. See\n</b>\n </i>\n</p>"),
            "***Preview only. See***"
        );
        assert_eq!(md("a <b>bold</b> b"), "a **bold** b");
        assert_eq!(md("a <i> it </i>b"), "a *it* b");
        assert_eq!(md("x<b></b>y<i> </i>z"), "xy z");
    }

    #[test]
    fn multi_byte_characters_anywhere() {
        // Published models use `—`, `“”`, U+00A0 and U+2028 in their documentation.
        for sample in [
            "—x",
            "x—",
            "“q”",
            "a\u{a0}b",
            "l\u{2028}m",
            "é<p>ü</p>ñ",
            "<b>—</b>",
            "€",
        ] {
            let out = md(sample);
            assert!(!out.is_empty(), "{sample:?} lost its text");
        }
        assert_eq!(md("—<code>x</code>—"), "—`x`—");
        assert_eq!(md("a\u{2028}b"), "a b");
        assert_eq!(md("<pre>x\r\ny\rz</pre>"), "```text\nx\nyz\n```");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1000, ..Default::default() })]
        /// Any mix of tags, entities and multi-byte text converts without a panic, and no
        /// output line holds a carriage return (a compile error in a doc comment).
        #[test]
        fn never_panics(html in "(<p>|</p>|<code>|</code>|<a href=\"h\">|</a>|<pre>|</pre>|<li>|&amp;|&#x2014;|&|<|>|—|é|\u{a0}|\u{2028}|\r|\n| |[a-z]{1,12}){0,40}") {
            for line in to_markdown(&html, 20) {
                proptest::prop_assert!(!line.contains('\r'), "{:?}", line);
            }
        }
    }

    #[test]
    fn plain_text_and_unclosed_tags() {
        assert_eq!(md("Just text."), "Just text.");
        assert_eq!(md("a < b"), "a &lt; b");
        assert_eq!(md("<p>unclosed <i>it"), "unclosed *it");
        assert!(md("").is_empty());
    }
}
