//! Spec text -> rustdoc that builds with no warnings: HTML is turned into
//! Markdown or escaped, bare URLs get angle brackets, square brackets are
//! escaped (no accidental intra-doc links), code fences without a language are
//! marked `text` (no accidental doctests), and indentation that Markdown would
//! read as a code block is removed.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line. `None`/empty gives `fallback`.
pub fn doc_attrs(text: Option<&str>, fallback: &str) -> TokenStream {
    let text = text.map(str::trim).filter(|t| !t.is_empty()).unwrap_or(fallback);
    let cleaned = sanitize(text);
    let lines = cleaned.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// Extra doc lines appended after a main doc block (already sanitised text).
pub fn doc_lines(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// Cleans one block of spec prose.
pub fn sanitize(text: &str) -> String {
    let text = join_wrapped_links(&html_to_markdown(text));
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut list_indent = 0usize;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if !in_fence {
                let lang = trimmed.trim_start_matches('`').trim();
                out.push(if lang.is_empty() || lang == "rust" { "```text".to_string() } else { format!("```{lang}") });
            } else {
                out.push("```".to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        let trimmed = trimmed.trim_end();
        if trimmed.is_empty() {
            list_indent = 0;
            out.push(String::new());
            continue;
        }
        match list_marker_width(trimmed) {
            Some(w) => {
                list_indent = w;
                out.push(escape_line(trimmed));
            }
            // A lazy continuation of a list item is indented under it.
            None if list_indent > 0 => out.push(format!("{}{}", " ".repeat(list_indent), escape_line(trimmed))),
            None => out.push(escape_line(trimmed)),
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
    if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
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
    for (i, part) in s.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
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
                    // Already in a Markdown link or angle brackets: leave it.
                    if out.ends_with("](") || out.ends_with('<') {
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
    use super::sanitize;

    #[test]
    fn sanitises_spec_prose() {
        assert_eq!(sanitize("See https://example.com."), "See <https://example.com>.");
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
