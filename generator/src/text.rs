//! Spec text is untrusted input. The IR holds it as [`SpecText`], which has no `Display`: a template
//! can print it only through one of the renderings below, each safe where it lands (a Rust string
//! literal, a code span or prose in doc text, a TOML string). Rust names are not spec text: `names`
//! builds them from it, of ASCII letters, digits and underscores (a keyword as a raw `r#` name).

use std::fmt;

/// A Rust string literal for `s`, written by proc-macro2 (quotes and escapes included).
pub fn lit(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// A string taken from the spec, as the spec wrote it. It cannot be printed as it is:
///
/// ```compile_fail
/// let text = generator::text::SpecText::from("x\n#![doc = include_str!(\"/etc/passwd\")]");
/// let _ = format!("//! {text}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpecText(String);

impl SpecText {
    /// The text itself, for the generator's own decisions (comparing, naming, looking up). Never
    /// for output: the templates' test refuses any template that calls it.
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// A Rust string literal holding the text.
    pub fn lit(&self) -> RustStr {
        RustStr(lit(&self.0))
    }

    /// The text as an inline code span of doc text (backticks included).
    pub fn code(&self) -> DocText {
        DocText(code_span(&self.0))
    }

    /// The text as one line of doc prose.
    pub fn prose(&self) -> DocText {
        DocText(crate::docs::inline_prose(&self.0))
    }

    /// A TOML string holding the text, written by the `toml` crate; characters unsafe in docs (which
    /// a manifest is to its readers) as their `\u{…}` escapes.
    pub fn toml(&self) -> TomlStr {
        TomlStr(toml::Value::String(escape_unsafe(&self.0).into_owned()).to_string())
    }
}

impl From<&str> for SpecText {
    fn from(text: &str) -> Self {
        SpecText(text.to_owned())
    }
}

impl From<String> for SpecText {
    fn from(text: String) -> Self {
        SpecText(text)
    }
}

impl From<&String> for SpecText {
    fn from(text: &String) -> Self {
        SpecText(text.clone())
    }
}

impl PartialEq<str> for SpecText {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for SpecText {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// A Rust string literal (quotes and escapes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustStr(String);

/// Doc text that cannot end its comment, open a code block, or carry HTML, a script link or a
/// character rustc refuses in comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocText(String);

/// A TOML basic string (quotes and escapes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlStr(String);

macro_rules! display_as_written {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
display_as_written!(RustStr, DocText, TomlStr);

/// Characters that must not reach doc text as they are: controls (a line break would end the
/// comment; rustc refuses a bare CR), line and paragraph separators, and the characters that change
/// the direction text reads in (rustc refuses them in comments and literals).
pub fn is_unsafe_in_docs(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with each character [`is_unsafe_in_docs`] written as its `\u{…}` escape.
pub fn escape_unsafe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(is_unsafe_in_docs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_in_docs(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The length of the longest run of backticks in `text`: a code span or block delimited by a longer
/// run cannot be closed from inside.
pub fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A markdown code span showing `text`: delimited by one backtick more than the longest run inside,
/// padded with a space where the text starts or ends with a backtick (CommonMark's rules).
fn code_span(text: &str) -> String {
    let text = escape_unsafe(text);
    if text.trim().is_empty() {
        return format!("`\"{text}\"`");
    }
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one way around the renderings is `raw()`: no template expression calls it.
    #[test]
    fn no_template_prints_raw_spec_text() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates");
        let mut templates = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            templates += 1;
            for (opening, closing) in [("{{", "}}"), ("{%", "%}")] {
                for expression in text.split(opening).skip(1) {
                    let expression = expression.split(closing).next().unwrap_or("");
                    let calls_raw = expression
                        .split("raw")
                        .skip(1)
                        .any(|after| after.trim_start().starts_with('('));
                    assert!(
                        !calls_raw,
                        "{}: `{opening}{expression}{closing}` prints spec text as it is",
                        path.display()
                    );
                }
            }
        }
        assert!(templates >= 10, "only {templates} templates in {dir}");
    }

    #[test]
    fn a_literal_escapes_quotes_line_breaks_and_direction_marks() {
        let text = SpecText::from("a\"b\\c\nd\u{202E}e\0\"#");
        let lit = text.lit().to_string();
        assert!(!lit.contains('\n') && !lit.contains('\u{202E}') && !lit.contains('\0'));
        let parsed: syn::LitStr = syn::parse_str(&lit).unwrap();
        assert_eq!(parsed.value(), text.raw());
    }

    #[test]
    fn a_code_span_outlasts_the_backticks_inside() {
        assert_eq!(SpecText::from("jwk").code().to_string(), "`jwk`");
        assert_eq!(SpecText::from("a`b").code().to_string(), "``a`b``");
        assert_eq!(SpecText::from("`x").code().to_string(), "`` `x ``");
        assert_eq!(
            SpecText::from("x\ny\u{2066}").code().to_string(),
            "`x\\u{a}y\\u{2066}`"
        );
        assert_eq!(SpecText::from("").code().to_string(), "`\"\"`");
    }

    #[test]
    fn a_toml_string_is_one_value() {
        let text = SpecText::from("x\"\n[dependencies.evil]\npath = \"/tmp\"");
        let manifest = format!("description = {}\n", text.toml());
        let table: toml::Table = manifest.parse().unwrap();
        assert_eq!(table.len(), 1);
        assert_eq!(
            table["description"].as_str(),
            Some(escape_unsafe(text.raw()).as_ref())
        );
        let marked = SpecText::from("a\u{202E}b").toml().to_string();
        assert!(!marked.contains('\u{202E}'), "{marked}");
    }
}
