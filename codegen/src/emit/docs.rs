//! Spec text -> rustdoc that builds with no warnings and never runs:
//! HTML is turned into Markdown or escaped, bare URLs get angle brackets,
//! square brackets are escaped (no accidental intra-doc links), and nothing
//! of the document can become a doctest: every fenced block (```` ``` ```` or
//! `~~~`, whatever its info string: `rust`, `should_panic`, `edition2021`,
//! none...) becomes a ```` ```text ```` block, an unterminated one is closed,
//! and indentation that Markdown would read as a code block (after a blank
//! line, after a list marker) is removed. The only runnable blocks of a
//! generated crate are those the generator writes itself (the `no_run`
//! examples of [`super::examples`]). Tabs become spaces (clippy's
//! `tabs_in_doc_comments`); control and bidirectional characters become
//! `\u{..}` text (a bare CR ends a doc comment line for rustc; bidi
//! characters in comments are a deny-by-default lint).

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line. `None`/empty gives `fallback`.
pub fn doc_attrs(text: Option<&str>, fallback: &str) -> TokenStream {
    let lines = doc_values(text, fallback);
    quote! { #( #[doc = #lines] )* }
}

/// The values of [`doc_attrs`]' attributes (the text writer prints them as `///` lines).
pub(crate) fn doc_values(text: Option<&str>, fallback: &str) -> Vec<String> {
    let text = text.map(str::trim).filter(|t| !t.is_empty()).unwrap_or(fallback);
    let cleaned = sanitize(text);
    cleaned.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect()
}

/// Extra doc lines appended after a main doc block (already sanitised text).
pub fn doc_lines(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// A value of the document (a path, a wire name, an enum value) put inside
/// a generated doc line: one line (line breaks and tabs become spaces, so it
/// cannot start a block of its own), special characters as `\u{..}`.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_special(c) => out.push_str(&escape(c)),
            c => out.push(c),
        }
    }
    out
}

/// [`inline`] for text shown between backticks: a backtick would end the
/// code span early, so it becomes `'`.
pub fn code(text: &str) -> String {
    inline(text).replace('`', "'")
}

/// A Rust string literal (quotes included) whose value is exactly `s`,
/// whatever it holds (`"`, `"#`, NUL, control, bidi or line-separator
/// characters): `proc_macro2`'s own escaping (the one `quote!` uses),
/// never a hand-built raw string that a `"#` in the text could close.
pub fn str_literal(s: &str) -> String {
    let lit = proc_macro2::Literal::string(s).to_string();
    // `escape_debug` leaves some characters raw that rustc lints or that
    // editors show as line breaks; they are escaped as `\u{..}` too.
    if !lit.chars().any(is_special) {
        return lit;
    }
    lit.chars().map(|c| if is_special(c) { escape(c) } else { c.to_string() }).collect()
}

/// Characters that are kept out of doc comments and literals as they are:
/// controls (rustc rejects a bare CR in a doc comment), the bidirectional
/// controls (deny-by-default `text_direction_codepoint_in_comment` and
/// `_in_literal`) and the Unicode line and paragraph separators.
pub fn is_special(c: char) -> bool {
    c.is_control() || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// `\u{1f}`: the escape of a character, valid in a Rust string and plain
/// text in Markdown.
fn escape(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// Line endings as `\n` (a lone CR is a line break to Markdown, not to
/// `str::lines`), tabs as four spaces, special characters escaped.
fn normalize_chars(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\n' => out.push('\n'),
            c if is_special(c) => out.push_str(&escape(c)),
            c => out.push(c),
        }
    }
    out
}

/// Whether a line (its indentation and list markers taken off) opens or
/// closes a fenced code block.
fn is_fence(line: &str) -> bool {
    line.starts_with("```") || line.starts_with("~~~")
}

/// The list markers a line starts with (`- `, `* `, `+ `, `1. `, `1) `,
/// nested: `- 1. `) and the rest of the line, its leading spaces dropped
/// (five spaces after a marker would open an indented code block).
fn split_list_markers(line: &str) -> (Vec<&str>, &str) {
    let mut markers = Vec::new();
    let mut rest = line;
    loop {
        let width = match rest.as_bytes().first() {
            Some(b'-' | b'*' | b'+') => 1,
            Some(b'0'..=b'9') => {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 9 || !matches!(rest.as_bytes().get(digits), Some(b'.' | b')')) {
                    break;
                }
                digits + 1
            }
            _ => break,
        };
        if rest.as_bytes().get(width) != Some(&b' ') {
            break;
        }
        markers.push(&rest[..width]);
        rest = rest[width..].trim_start();
    }
    (markers, rest)
}

/// Cleans one block of spec prose.
pub fn sanitize(text: &str) -> String {
    let text = join_wrapped_links(&html_to_markdown(&normalize_chars(text)));
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut list_indent = 0usize;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if in_fence {
            // Any fence-like line closes the block, as the generator writes
            // the fences: so no content line can close it for rustdoc.
            if is_fence(trimmed) {
                out.push("```".to_string());
                in_fence = false;
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        let trimmed = trimmed.trim_end();
        if trimmed.is_empty() {
            list_indent = 0;
            out.push(String::new());
            continue;
        }
        let (markers, rest) = split_list_markers(trimmed);
        if is_fence(rest) {
            // Whatever its info string (`rust`, `should_panic`, none) and
            // wherever it opens (in a list item too): plain text.
            out.push("```text".to_string());
            in_fence = true;
            list_indent = 0;
            continue;
        }
        let line = if markers.is_empty() { rest.to_string() } else { format!("{} {rest}", markers.join(" ")) };
        match list_marker_width(&line) {
            Some(w) => {
                list_indent = w;
                out.push(escape_line(&line));
            }
            // A lazy continuation of a list item is indented under it.
            None if list_indent > 0 => out.push(format!("{}{}", " ".repeat(list_indent), escape_line(&line))),
            None => out.push(escape_line(&line)),
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    // Collapse runs of blank lines.
    let mut result = String::new();
    let mut blank = false;
    for l in out {
        if l.is_empty() {
            if !blank && !result.is_empty() {
                result.push('\n');
            }
            blank = true;
        } else {
            result.push_str(&l);
            result.push('\n');
            blank = false;
        }
    }
    result.trim_end().to_string()
}

/// Puts a Markdown link whose text was wrapped over lines (`[Search Results
/// With\nShared Links](https://…)`) on one line, so that the line-by-line
/// escaping sees the whole link (else its `](https://…)` half is a bare URL).
fn join_wrapped_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let wrapped = after[1..].find(']').map(|close| (&after[1..close + 1], &after[close + 2..])).filter(|(inner, target)| {
            inner.contains('\n')
                && !inner.contains("\n\n")
                && !inner.contains('[')
                && !inner.contains("```")
                && ["(https://", "(http://"].iter().any(|p| target.starts_with(p))
        });
        match wrapped {
            Some((inner, _)) => {
                let joined: Vec<&str> = inner.lines().map(str::trim).collect();
                out.push('[');
                out.push_str(&joined.join(" "));
                out.push(']');
                rest = &after[inner.len() + 2..];
            }
            None => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Width of a Markdown list marker (`- `, `* `, `1. `) at the line start.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        return Some(digits + 2);
    }
    None
}

/// Escapes brackets and wraps bare URLs, outside inline code spans.
/// Markdown links to absolute URLs stay links (rustdoc renders them and does
/// not take them for intra-doc links), also when their text holds a code
/// span (``[`name`](https://…)``); their text is escaped like the rest.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some((start, end)) = next_link_outside_code(rest) {
        escape_spans(&rest[..start], false, &mut out);
        let link = &rest[start..end];
        let close = link.find("](").unwrap_or(link.len() - 1);
        out.push('[');
        escape_spans(&link[1..close], true, &mut out);
        out.push_str(&link[close..]);
        rest = &rest[end..];
    }
    escape_spans(rest, false, &mut out);
    out
}

/// Escapes the text between inline code spans of `s` (in a link's text:
/// brackets and `<`/`>` only, no autolinks).
fn escape_spans(s: &str, link_text: bool, out: &mut String) {
    // A backtick nobody closes opens no code span for rustdoc: the text
    // after it is escaped (its URLs wrapped) like any other.
    let ticks = s.matches('`').count();
    for (i, part) in s.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && (ticks % 2 == 0 || i < ticks) {
            out.push_str(part);
        } else if link_text {
            out.push_str(&escape_plain(part));
        } else {
            escape_text(part, out);
        }
    }
}

/// [`next_link`], skipping links that start inside a code span or whose text
/// opens one it does not close.
fn next_link_outside_code(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some((start, end)) = next_link(&s[from..]).map(|(a, b)| (a + from, b + from)) {
        let before = s[..start].matches('`').count();
        let inside = s[start..end].matches('`').count();
        if before % 2 == 0 && inside % 2 == 0 {
            return Some((start, end));
        }
        from = start + 1;
    }
    None
}

/// The byte range of the first `[text](https://…)` link in `s`.
fn next_link(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(open) = s[from..].find('[').map(|i| i + from) {
        let close = s[open + 1..].find(']').map(|i| i + open + 1)?;
        let text = &s[open + 1..close];
        let target = &s[close + 1..];
        if !text.is_empty() && !text.contains('[') && target.starts_with('(') {
            if let Some(end) = target.find(')') {
                let url = &target[1..end];
                let absolute = ["https://", "http://", "mailto:"].iter().any(|p| url.starts_with(p));
                if absolute && !url.contains(char::is_whitespace) && !url.contains('(') {
                    return Some((open, close + 1 + end + 1));
                }
            }
        }
        from = open + 1;
    }
    None
}

/// Escapes brackets and wraps bare URLs in one run of plain text.
fn escape_text(part: &str, out: &mut String) {
    {
        let mut rest = part;
        while !rest.is_empty() {
            let next_url = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min();
            match next_url {
                Some(pos) => {
                    out.push_str(&escape_plain(&rest[..pos]));
                    let url_len = rest[pos..]
                        .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ',' | '<' | ']'))
                        .unwrap_or(rest.len() - pos);
                    let mut url = &rest[pos..pos + url_len];
                    while url.ends_with(['.', ';', ':']) {
                        url = &url[..url.len() - 1];
                    }
                    // Already in a Markdown link or angle brackets: leave it
                    // (not after an escaped `\](`, which is no link: a link
                    // whose target `next_link` did not take, such as one
                    // with parentheses in its URL).
                    if (out.ends_with("](") && !out.ends_with("\\](")) || out.ends_with('<') {
                        out.push_str(url);
                    } else {
                        out.push('<');
                        out.push_str(url);
                        out.push('>');
                    }
                    rest = &rest[pos + url.len()..];
                }
                None => {
                    out.push_str(&escape_plain(rest));
                    rest = "";
                }
            }
        }
    }
}

fn escape_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Turns the HTML found in API descriptions into Markdown; unknown tags are dropped.
fn html_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = &after[1..end];
        let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("").to_ascii_lowercase();
        let closing = tag.starts_with('/');
        let known = matches!(
            name.as_str(),
            "code" | "br" | "ul" | "ol" | "li" | "p" | "b" | "strong" | "i" | "em" | "a" | "pre" | "span" | "div" | "sup" | "sub" | "table" | "tr" | "td" | "th" | "tbody" | "thead" | "h1" | "h2" | "h3" | "h4"
        );
        if !known || tag.contains(' ') && name.is_empty() {
            // Not a tag (`a < b`, `<id>`): keep the text, escape later.
            out.push('<');
            rest = &after[1..];
            continue;
        }
        match (name.as_str(), closing) {
            ("code", _) => out.push('`'),
            ("br", _) | ("p", _) | ("ul", _) | ("ol", _) | ("tr", true) | ("pre", _) => out.push('\n'),
            ("li", false) => out.push_str("\n- "),
            ("b", _) | ("strong", _) => out.push_str("**"),
            ("i", _) | ("em", _) => out.push('*'),
            ("td", true) | ("th", true) => out.push(' '),
            _ => {}
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{inline, sanitize, str_literal};
    use proptest::prelude::*;

    /// The code blocks rustdoc would find in `doc` and their info strings:
    /// fences opened within three spaces of the margin (after any list
    /// markers), and indented blocks (four spaces after a blank line).
    fn code_blocks(doc: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut fence: Option<char> = None;
        let mut prev_blank = true;
        for line in doc.lines() {
            let indent = line.len() - line.trim_start().len();
            let (_, rest) = super::split_list_markers(line.trim_start());
            match fence {
                Some(c) => {
                    let t = line.trim_start();
                    if indent < 4 && t.starts_with(&c.to_string().repeat(3)) && t.trim_start_matches(c).trim().is_empty() {
                        fence = None;
                    }
                }
                None if (indent < 4 || !prev_blank) && super::is_fence(rest) => {
                    fence = rest.chars().next();
                    found.push(rest.trim_start_matches(['`', '~']).trim().to_string());
                }
                None if prev_blank && indent >= 4 && !line.trim().is_empty() => found.push("indented".to_string()),
                None => {}
            }
            prev_blank = line.trim().is_empty();
        }
        found
    }

    #[test]
    fn every_block_of_the_document_becomes_text() {
        let hostile = [
            "```\nstd::fs::write(\"/tmp/pwned\", \"x\").unwrap();\n```",
            "```rust,should_panic\npanic!()\n```",
            "```edition2021\nfn main() {}\n```",
            "~~~\nstd::fs::write(\"/tmp/pwned\", \"x\").unwrap();\n~~~",
            "~~~rust ignore\nx\n~~~",
            "```rust\nunterminated",
            "para\n\n    std::fs::write(\"/tmp/pwned\", \"x\").unwrap();",
            "para\n\n\tstd::fs::write(\"/tmp/pwned\", \"x\").unwrap();",
            "- ```rust\n  std::fs::write(\"/tmp/pwned\", \"x\").unwrap();\n  ```",
            "1.     std::fs::write(\"/tmp/pwned\", \"x\").unwrap();",
            "- - ~~~\n  x\n  ~~~",
            "a\r```rust\rstd::fs::write(\"/tmp/pwned\", \"x\").unwrap();\r```",
            "````\n```rust\nx\n```\n````",
            "<pre><code>```rust\nx\n```</code></pre>",
            "> ```rust\n> x\n> ```",
            ">\n>     x",
        ];
        for text in hostile {
            let out = sanitize(text);
            let blocks = code_blocks(&out);
            assert!(blocks.iter().all(|b| b == "text"), "{text:?} -> {out:?}: {blocks:?}");
            assert!(!out.contains('\t') && !out.contains('\r'), "{out:?}");
        }
        assert_eq!(sanitize("```rust,should_panic\npanic!()\n```"), "```text\npanic!()\n```");
        assert_eq!(sanitize("~~~\nx"), "```text\nx\n```");
        assert_eq!(sanitize("-     code"), "- code");
        assert_eq!(sanitize("a\tb"), "a    b");
        assert_eq!(sanitize("x\u{1}y\u{202e}"), "x\\u{1}y\\u{202e}");
        assert_eq!(inline("/a\n\n    b"), "/a      b");
    }

    proptest! {
        /// Whatever the text, the only code blocks of its doc are `text` ones.
        #[test]
        fn no_block_of_any_text_runs(text in "([-*+1. >`~\t\r\n]|rust|should_panic|    |```|~~~|<pre>|<code>|a|\\[|]|\\(|\\))*") {
            let out = sanitize(&text);
            let blocks = code_blocks(&out);
            prop_assert!(blocks.iter().all(|b| b == "text"), "{:?} -> {:?}: {:?}", text, out, blocks);
        }

        /// Every string becomes a literal that parses back to itself.
        #[test]
        fn string_literals_parse_to_their_value(s in any::<String>(), t in "[\"#\\\\\u{0}-\u{1f}\u{7f}\u{2028}\u{202e}r0-9]*") {
            for v in [&s, &t] {
                let lit = str_literal(v);
                let parsed = syn::parse_str::<syn::LitStr>(&lit).map_err(|e| TestCaseError::fail(format!("{lit}: {e}")))?;
                prop_assert_eq!(&parsed.value(), v);
                prop_assert!(!lit.chars().any(super::is_special), "{}", lit);
            }
        }
    }

    #[test]
    fn sanitises_spec_prose() {
        assert_eq!(sanitize("See https://example.com."), "See <https://example.com>.");
        // rustdoc's `bare_urls` fired on these (a link `next_link` does not
        // take, a backtick nobody closes).
        assert_eq!(sanitize("[Foo](https://en.wikipedia.org/wiki/Foo_(bar))"), "\\[Foo\\](<https://en.wikipedia.org/wiki/Foo_(bar>))");
        assert_eq!(sanitize("a ` quote then https://x.example.com/a"), "a ` quote then <https://x.example.com/a>");
        assert_eq!(sanitize("`code https://x.y` and `b`"), "`code https://x.y` and `b`");
        assert_eq!(sanitize("filter[name][eq]"), "filter\\[name\\]\\[eq\\]");
        assert_eq!(sanitize("use `filter[x]` here"), "use `filter[x]` here");
        assert_eq!(sanitize("a <code>-</code> prefix<br/>next"), "a `-` prefix\nnext");
        assert_eq!(sanitize("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(sanitize("    indented"), "indented");
        assert_eq!(sanitize("a < b and <id>"), "a &lt; b and &lt;id&gt;");
        // Links to absolute URLs stay Markdown links; relative ones (which
        // rustdoc would take for broken intra-doc links) are escaped.
        assert_eq!(sanitize("see [the docs](https://x.y/z) or [a][b]"), "see [the docs](https://x.y/z) or \\[a\\]\\[b\\]");
        assert_eq!(sanitize("[link](/relative)"), "\\[link\\](/relative)");
        assert_eq!(sanitize("- item\ncontinued\n\npara"), "- item\n  continued\n\npara");
        assert_eq!(sanitize("10. item\nmore"), "10. item\n    more");
        // A link whose text is code, and HTML-like text inside a link.
        assert_eq!(sanitize("be [`trunk-a`](https://x.y/t#a) or `[x]`"), "be [`trunk-a`](https://x.y/t#a) or `[x]`");
        assert_eq!(sanitize("see [<Pay> Connectors](https://x.y/pay)"), "see [&lt;Pay&gt; Connectors](https://x.y/pay)");
        assert_eq!(sanitize("`a [b](https://x.y)` c"), "`a [b](https://x.y)` c");
        // A link wrapped over two lines is joined; other brackets are not.
        assert_eq!(sanitize("See [Search Results With\n  Shared Links](https://x.y/s)."), "See [Search Results With Shared Links](https://x.y/s).");
        assert_eq!(sanitize("a [b\nc] d"), "a \\[b\nc\\] d");
    }
}
