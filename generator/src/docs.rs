//! Spec descriptions → rustdoc lines that build with `-D warnings`, can never become doctests, and
//! carry no HTML, script link or character rustc refuses. What the sanitiser makes is read back by
//! the markdown parser rustdoc uses; a text it cannot vouch for is shown whole as a `text` block.

use crate::ir::Docs;
use crate::text::{escape_unsafe, is_unsafe_in_docs};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

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
    // Each part is checked alone; together they are one doc block.
    if summary.is_some() && description.is_some() && !is_inert(&lines.join("\n")) {
        let whole = [summary, description]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        lines = as_text_block(&whole.join("\n\n"));
    }
    Docs { lines }
}

/// Line breaks as a description may write them: CR LF, CR, NEL and the Unicode separators.
fn is_line_break(c: char) -> bool {
    matches!(c, '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// One markdown text → safe rustdoc lines.
///
/// - fenced blocks are kept but always labelled `text`, so rustdoc never compiles them; a fence
///   that would open inside a list item is shown as text;
/// - indentation outside fences is capped at three spaces, so no indented code block (a doctest) forms;
/// - outside code spans and fences: bare URLs become autolinks, `[x]` not followed by `(` is escaped
///   (not an intra-doc link), a link to another scheme than http, https or mailto is shown as text,
///   and `<`/`>` that do not make an autolink are escaped (not an HTML tag);
/// - control and text-direction characters are written as their `\u{…}` escapes.
///
/// The result is read back with rustdoc's markdown parser: where it would still hold a doctest, HTML
/// or a script link, the whole text is shown as a `text` block instead.
pub fn sanitize(text: &str) -> Vec<String> {
    let lines = sanitize_markdown(text);
    if is_inert(&lines.join("\n")) {
        lines
    } else {
        as_text_block(text)
    }
}

fn sanitize_markdown(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The content column of the list item being continued, if any: lines that follow an item are
    // indented to it, so they read as part of the item rather than as a lazy continuation.
    let mut list_content: Option<usize> = None;
    let mut open_fence = "```";
    let text = lines_of(text);
    for raw in text.lines() {
        let escaped = escape_unsafe(raw);
        let line = escaped.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // The fence is closed as it was opened: a `~~~` block does not end at a backtick fence.
            if in_fence {
                out.push(open_fence.to_owned());
            } else {
                open_fence = if trimmed.starts_with('~') {
                    "~~~"
                } else {
                    "```"
                };
                out.push(format!("{open_fence}text"));
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
        let (markers, content) = split_list_markers(trimmed);
        sanitized.push_str(markers);
        if content.starts_with("```") || content.starts_with("~~~") {
            // A fence inside a list item: its backticks are shown, not read as a fence.
            let run = content.len() - content.trim_start_matches(['`', '~']).len();
            for c in content[..run].chars() {
                sanitized.push('\\');
                sanitized.push(c);
            }
            sanitize_inline(&content[run..], &mut sanitized);
        } else {
            sanitize_inline(content, &mut sanitized);
        }
        out.push(sanitized);
    }
    if in_fence {
        out.push(open_fence.to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// `text` with every kind of line break as `\n`.
fn lines_of(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(is_line_break) {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace(is_line_break, "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The whole text as one `text` code block, its fence longer than any run of backticks inside.
fn as_text_block(text: &str) -> Vec<String> {
    let text = lines_of(text);
    let fence = "`".repeat(crate::text::longest_backtick_run(&text).max(2) + 1);
    let mut lines = vec![format!("{fence}text")];
    lines.extend(text.lines().map(|l| escape_unsafe(l).trim_end().to_owned()));
    lines.push(fence);
    lines
}

/// One line of prose that goes inside a sentence (a title): line breaks become spaces.
pub fn inline_prose(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    sanitize_inline(&escape_unsafe(&one_line), &mut out);
    // Inside a sentence nothing may open a block or an HTML element; the lines' test applies.
    if is_inert(&format!("x {out}")) {
        out
    } else {
        crate::text::SpecText::from(one_line).code().to_string()
    }
}

/// The markdown options rustdoc reads doc comments with.
pub fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether rustdoc would read `markdown` with no doctest, no raw HTML, no image, no link to a
/// scheme other than http, https and mailto nor one it takes for an intra-doc link, and no
/// character rustc refuses.
pub fn is_inert(markdown: &str) -> bool {
    if markdown.contains(|c: char| is_unsafe_in_docs(c) && c != '\n') {
        return false;
    }
    // HTML and autolinks need a `<`; links and images a `](` or a `]:` definition; a code block a
    // fence or four columns of indentation (after a list marker too). Text with none of them needs
    // no parsing, and most descriptions are such text.
    const NEEDED: [&str; 7] = ["<", "](", "]:", "```", "~~~", "    ", "\t"];
    if !NEEDED.iter().any(|needed| markdown.contains(needed)) {
        return true;
    }
    Parser::new_ext(markdown, rustdoc_options()).all(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => false,
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.as_ref() == "text",
        Event::Html(_) | Event::InlineHtml(_) => false,
        Event::Start(Tag::Link { dest_url, .. }) => is_safe_link(&dest_url),
        // An image from the spec would be fetched by every reader of the docs.
        Event::Start(Tag::Image { .. }) => false,
        _ => true,
    })
}

/// A link target with http, https or mailto, or a relative one that rustdoc does not read as an
/// intra-doc link (it holds a `/`, a `.` or a `#`: `../flows/login`, `#section`). Browsers ignore
/// whitespace and controls inside a scheme, so they are ignored here too.
fn is_safe_link(target: &str) -> bool {
    let squeezed: String = target
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_len = squeezed
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(squeezed.len());
    if !squeezed[scheme_len..].starts_with(':') || scheme_len == 0 {
        return squeezed.contains(['/', '.', '#']);
    }
    matches!(&squeezed[..scheme_len], "http" | "https" | "mailto")
}

/// The list markers (`- `, `1. `, nested `- - `) a line opens with, and the rest of it.
fn split_list_markers(line: &str) -> (&str, &str) {
    let mut rest = line;
    while let Some(len) = list_marker_len(rest) {
        rest = rest[len..].trim_start();
    }
    line.split_at(line.len() - rest.len())
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

/// `line` sanitised, appended to `out`. Code spans pass through untouched, found as CommonMark
/// finds them: a run of n backticks not escaped by a backslash opens one, which the next run of
/// exactly n backticks closes; a run without such a match is text.
fn sanitize_inline(line: &str, out: &mut String) {
    let mut prose_start = 0;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = run_length(&bytes[i..]);
        let backslashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 1 {
            // An escaped backtick is text; the rest of its run may still open a span.
            i += 1;
            continue;
        }
        match closing_run(&bytes[i + run..], run) {
            Some(close) => {
                sanitize_prose(&line[prose_start..i], out);
                let end = i + run + close + run;
                out.push_str(&line[i..end]);
                i = end;
                prose_start = end;
            }
            None => i += run,
        }
    }
    sanitize_prose(&line[prose_start..], out);
}

/// How many backticks `bytes` opens with.
fn run_length(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|&&b| b == b'`').count()
}

/// Where in `bytes` the first run of exactly `len` backticks starts.
fn closing_run(bytes: &[u8], len: usize) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = run_length(&bytes[i..]);
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
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
                    // A real link to a safe target: copy text and target verbatim.
                    if let Some(paren) = after.find(')').filter(|&p| is_safe_link(&after[1..p])) {
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
    fn a_fence_inside_a_list_item_is_shown_as_text() {
        let lines = sanitize("Steps:\n\n- ```rust\n  fn main() {}\n  ```");
        assert_eq!(lines[2], "- \\`\\`\\`rust");
        assert!(is_inert(&lines.join("\n")), "{lines:?}");
        assert_eq!(sanitize("1. ~~~\nx")[0], "1. \\~\\~\\~");
    }

    #[test]
    fn code_spans_are_found_as_commonmark_finds_them() {
        // The double-backtick span holds a single backtick; the tag after it is prose.
        assert_eq!(sanitize("``a`b`` <b> `c`"), vec!["``a`b`` &lt;b&gt; `c`"]);
        // An escaped backtick opens nothing: the tag is prose.
        assert_eq!(sanitize("\\`<i>\\`"), vec!["\\`&lt;i&gt;\\`"]);
        // A run with no closing run of its length is text.
        assert_eq!(sanitize("``<i>`"), vec!["``&lt;i&gt;`"]);
    }

    #[test]
    fn only_web_and_mail_links_stay_links() {
        assert_eq!(
            sanitize("[a](https://x.y) [b](../flows) [c](mailto:a@b.c)"),
            vec!["[a](https://x.y) [b](../flows) [c](mailto:a@b.c)"]
        );
        assert_eq!(
            sanitize("[a](javascript:alert(1))"),
            vec![r"\[a\](javascript:alert(1))"]
        );
        assert!(!is_safe_link("Java Script:alert(1)"));
        assert!(!is_safe_link("data:text/html,x"));
        assert!(is_safe_link("#section"));
        // A bare word is an intra-doc link to rustdoc, which fails the build when nothing has
        // that name.
        assert!(!is_safe_link("Guide"));
        assert_eq!(sanitize("[see](Guide)"), vec![r"\[see\](Guide)"]);
    }

    #[test]
    fn a_tilde_fence_closes_as_it_opened_and_an_image_is_no_image() {
        assert_eq!(sanitize("~~~\nx"), vec!["~~~text", "x", "~~~"]);
        assert_eq!(
            sanitize("![x](https://example.com/p.png)"),
            vec!["```text", "![x](https://example.com/p.png)", "```"]
        );
    }

    #[test]
    fn what_the_sanitiser_cannot_vouch_for_is_shown_as_a_text_block() {
        // An entity-encoded scheme is decoded by the markdown parser: the check reads it as a link
        // to `javascript:`.
        let text = "[a](&#106;avascript:alert(1)) ```";
        let lines = sanitize(text);
        assert_eq!(lines, vec!["````text", text, "````"]);
        assert!(is_inert(&lines.join("\n")));
    }

    #[test]
    fn control_and_direction_characters_are_escaped() {
        assert_eq!(
            sanitize("a\u{202E}b\u{0}c\td"),
            vec!["a\\u{202e}b\\u{0}c\td"]
        );
        assert_eq!(
            sanitize("one\u{2028}two\u{85}three"),
            vec!["one", "two", "three"]
        );
        assert_eq!(inline_prose("Ory\nAPIs <b>"), "Ory APIs &lt;b&gt;");
    }

    #[test]
    fn summary_then_description() {
        let d = docs(Some("Get a key"), Some("Returns the key."));
        assert_eq!(d.lines, vec!["Get a key", "", "Returns the key."]);
        assert_eq!(docs(Some("Same"), Some("Same")).lines, vec!["Same"]);
    }
}
