//! Spec descriptions → rustdoc lines that build with `-D warnings` and can never become doctests.

use crate::ir::Docs;

/// Sanitises a description (and an optional summary, which goes first as its own paragraph).
pub fn docs(summary: Option<&str>, description: Option<&str>) -> Docs {
    let mut lines = Vec::new();
    let summary = summary.map(str::trim).filter(|s| !s.is_empty());
    let description = description.map(str::trim).filter(|s| !s.is_empty());
    if let Some(summary) = summary {
        lines.extend(sanitize(summary));
    }
    if let Some(description) = description {
        if summary.is_some_and(|s| s == description) {
            return Docs { lines };
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(sanitize(description));
    }
    Docs { lines }
}

/// One markdown text → safe rustdoc lines.
///
/// - fenced blocks are kept but always labelled `text`, so rustdoc never compiles them;
/// - indentation outside fences is capped at three spaces, so no indented code block (a doctest) forms;
/// - outside code spans and fences: bare URLs become autolinks, `[x]` not followed by `(` is escaped
///   (not an intra-doc link), and `<`/`>` that do not make an autolink are escaped (not an HTML tag).
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The content column of the list item being continued, if any: lines that follow an item are
    // indented to it, so they read as part of the item rather than as a lazy continuation.
    let mut list_content: Option<usize> = None;
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            if in_fence {
                out.push(fence.to_owned());
            } else {
                out.push(format!("{fence}text"));
            }
            in_fence = !in_fence;
            list_content = None;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            list_content = None;
            continue;
        }
        let written = line.len() - trimmed.len();
        // Never 4 or more columns past the enclosing content: that would be an indented code block.
        let allowed = list_content.unwrap_or(0) + 3;
        let indent = match (list_marker_len(trimmed), list_content) {
            (Some(marker), _) => {
                let indent = written.min(allowed);
                list_content = Some(indent + marker);
                indent
            }
            (None, Some(content)) => content,
            (None, None) => written.min(3),
        };
        let mut sanitized = String::with_capacity(indent + trimmed.len());
        sanitized.extend(std::iter::repeat_n(' ', indent));
        sanitize_inline(trimmed, &mut sanitized);
        out.push(sanitized);
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// The width of a list marker (`- `, `* `, `+ `, `12. `) opening `line`, if it opens with one.
fn list_marker_len(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// `line` sanitised, appended to `out`.
fn sanitize_inline(line: &str, out: &mut String) {
    // Code spans pass through untouched: split on backticks, sanitise the even pieces (all of
    // them when a backtick is left unpaired).
    let balanced = line.matches('`').count().is_multiple_of(2);
    for (index, piece) in line.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 1 && balanced {
            out.push_str(piece);
        } else {
            sanitize_prose(piece, out);
        }
    }
}

/// Prose outside code spans, sanitised, appended to `out`.
fn sanitize_prose(text: &str, out: &mut String) {
    // Most prose has nothing to escape or link.
    if !text.contains(['<', '>', '[', ']']) && !text.contains("http") {
        out.push_str(text);
        return;
    }
    // Byte offset into `text`, always on a char boundary.
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let rest = &text[i..];
        // An existing markdown link `[text](url)` or autolink `<http...>` stays as it is.
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let inner = &rest[1..end];
                if (inner.starts_with("http://") || inner.starts_with("https://"))
                    && !inner.contains(' ')
                {
                    out.push_str(&rest[..=end]);
                    i += end + 1;
                    continue;
                }
            }
            out.push_str("&lt;");
            i += 1;
            continue;
        }
        if c == '>' {
            out.push_str("&gt;");
            i += 1;
            continue;
        }
        if c == '[' {
            if let Some(close) = rest.find(']') {
                let after = &rest[close + 1..];
                if after.starts_with('(') {
                    // A real link: copy text and target verbatim.
                    if let Some(paren) = after.find(')') {
                        let len = close + 1 + paren + 1;
                        out.push_str(&rest[..len]);
                        i += len;
                        continue;
                    }
                }
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '<' || c == '>')
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ')', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.len();
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            sanitize("See https://example.com/a?b=c."),
            vec!["See <https://example.com/a?b=c>."]
        );
    }

    #[test]
    fn brackets_and_tags_are_escaped() {
        assert_eq!(
            sanitize("by [JWA] or <id>"),
            vec![r"by \[JWA\] or &lt;id&gt;"]
        );
        assert_eq!(
            sanitize("a [link](https://x.y) stays"),
            vec!["a [link](https://x.y) stays"]
        );
        assert_eq!(
            sanitize("code `<id> [x]` stays"),
            vec!["code `<id> [x]` stays"]
        );
    }

    #[test]
    fn no_doctest_can_form() {
        assert_eq!(
            sanitize("text\n\n    let x = 1;\n```\nfn main() {}\n```"),
            vec![
                "text",
                "",
                "   let x = 1;",
                "```text",
                "fn main() {}",
                "```"
            ]
        );
        assert_eq!(sanitize("```rust\nx\n"), vec!["```text", "x", "```"]);
    }

    #[test]
    fn list_continuations_are_indented_to_the_item() {
        assert_eq!(
            sanitize("Intro:\n- first item\nwraps here\n  - nested\nwraps too\n\nAfter."),
            vec![
                "Intro:",
                "- first item",
                "  wraps here",
                "  - nested",
                "    wraps too",
                "",
                "After."
            ]
        );
        assert_eq!(
            sanitize("1. one\ncontinued"),
            vec!["1. one", "   continued"]
        );
    }

    #[test]
    fn carriage_returns_end_lines_and_plain_prose_passes_unchanged() {
        assert_eq!(sanitize("one\r\ntwo\rthree"), vec!["one", "two", "three"]);
        let plain = "Plain prose: no brackets, tags or links (here).";
        assert_eq!(sanitize(plain), vec![plain]);
    }

    #[test]
    fn summary_then_description() {
        let d = docs(Some("Get a key"), Some("Returns the key."));
        assert_eq!(d.lines, vec!["Get a key", "", "Returns the key."]);
        assert_eq!(docs(Some("Same"), Some("Same")).lines, vec!["Same"]);
    }
}
