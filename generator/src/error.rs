//! The one error type of the generator. Every error names where it happened: a JSON pointer into the
//! spec (or a line and column when the document is not even valid JSON/YAML), or the template and item
//! being rendered.

use crate::text::escape_unsafe;
use std::fmt;

/// Where in the input an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A JSON pointer (RFC 6901) into the spec document, `""` for the whole document.
    Pointer(String),
    /// A position in the source text, for documents that do not parse at all.
    Text { line: usize, column: usize },
    /// A file on disk (reading or writing failed).
    File(String),
    /// A rendered output item: the template and the IR item it was rendering.
    Render { template: String, item: String },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Pointer(p) if p.is_empty() => f.write_str("at the document root (``)"),
            Location::Pointer(p) => write!(f, "at `{}`", escape_unsafe(p)),
            Location::Text { line, column } => write!(f, "at line {line}, column {column}"),
            Location::File(path) => write!(f, "in file `{path}`"),
            Location::Render { template, item } => write!(
                f,
                "while rendering `{}` with template `{template}`",
                escape_unsafe(item)
            ),
        }
    }
}

/// A generation failure: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub location: Location,
    pub message: String,
}

impl Error {
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            location: Location::Pointer(pointer.into()),
            message: message.into(),
        }
    }

    /// The JSON pointer this error concerns, if it concerns one.
    pub fn pointer(&self) -> Option<&str> {
        match &self.location {
            Location::Pointer(p) => Some(p),
            _ => None,
        }
    }
}

/// Spec text quoted in a message stays text on a terminal too: line breaks, escape sequences and
/// direction marks are shown as their `\u{…}` escapes.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", escape_unsafe(&self.message), self.location)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
#[test]
fn spec_text_in_a_message_cannot_write_to_the_terminal() {
    let error = Error::at(
        "/paths/~1a\u{1b}[2J\n",
        "path `/a\u{1b}[2J\nfake: line` is bad",
    );
    let shown = error.to_string();
    assert!(!shown.contains(['\u{1b}', '\n']), "{shown}");
    assert!(shown.contains("\\u{1b}[2J\\u{a}fake"), "{shown}");
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds JSON pointers (RFC 6901) piece by piece, escaping `~` and `/`.
pub fn pointer_push(base: &str, token: &str) -> String {
    pointer_join(base, [token])
}

/// Joins several tokens onto a pointer.
pub fn pointer_join<'a>(base: &str, tokens: impl IntoIterator<Item = &'a str>) -> String {
    let mut pointer = base.to_owned();
    for token in tokens {
        pointer.push('/');
        for c in token.chars() {
            match c {
                '~' => pointer.push_str("~0"),
                '/' => pointer.push_str("~1"),
                c => pointer.push(c),
            }
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(
            pointer_join("", ["paths", "/admin/keys/{set}", "get"]),
            "/paths/~1admin~1keys~1{set}/get"
        );
        assert_eq!(pointer_push("/a", "x~y"), "/a/x~0y");
    }

    #[test]
    fn display_names_the_location() {
        let e = Error::at("/components/schemas/a", "dangling reference");
        assert_eq!(
            e.to_string(),
            "dangling reference at `/components/schemas/a`"
        );
    }
}
