//! Every Rust name is decided here, once: case conversion (heck), keyword escaping, readable compound
//! words, and collision-free claiming within a namespace.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Compound words that snake_case conversion would split badly (`oAuth2` → `o_auth2`), rewritten first
/// so they come out as one word (`oauth2`, `getOAuth2Client` → `get_oauth2_client`).
const COMPOUND_WORDS: &[(&str, &str)] = &[
    ("OAuth2", "Oauth2"),
    ("oAuth2", "oauth2"),
    ("OAuth", "Oauth"),
];

/// Rust keywords: strict, reserved and edition-2024 ones.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names a generated type must never take: the prelude, std types users import next to ours, and
/// the names the generated code itself spells unqualified.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "DoubleEndedIterator",
    "Drop",
    "Duration",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    // A model's constructor is `new`: `New::new` trips clippy's `self_named_constructors`.
    "New",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Uuid",
    "Vec",
];

/// Module names that would make a path ambiguous (`use serde::…` beside a module `serde`): the
/// standard crates and the generated crate's dependencies; and names Windows gives no file.
pub const RESERVED_MODULE_NAMES: &[&str] = &[
    "alloc",
    "aux",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "con",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
    "nul",
    "prn",
    "base64",
    "bytes",
    "chrono",
    "core",
    "futures",
    "httpdate",
    "percent_encoding",
    "proc_macro",
    "reqwest",
    "serde",
    "serde_json",
    "std",
    "test",
    "thiserror",
    "tokio",
    "tracing",
    "url",
    "uuid",
];

/// Longer names are shortened: a file system takes at most 255 bytes a file name, and a reader far
/// fewer characters a name.
const MAX_NAME_LEN: usize = 120;

/// `name` if it is short enough; otherwise its first characters, then `separator` and a hash of the
/// whole name, so that two long names that start alike stay apart, and the same name always gives
/// the same result.
fn shortened(name: String, separator: &str) -> String {
    if name.len() <= MAX_NAME_LEN {
        return name;
    }
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(name.as_bytes());
    let hash = format!("{:08x}", hasher.finish() as u32);
    // Names are ASCII here: any byte index is a character boundary.
    let keep = MAX_NAME_LEN - separator.len() - hash.len();
    format!("{}{separator}{hash}", name[..keep].trim_end_matches('_'))
}

fn split_compounds(raw: &str) -> String {
    let mut words = ascii_words(raw);
    for (from, to) in COMPOUND_WORDS {
        if words.contains(from) {
            words = words.replace(from, to);
        }
    }
    words
}

/// Lowercase words of ASCII letters and digits joined by single underscores (`created_at`,
/// `page_size2`): what snake_case conversion gives back unchanged. Most wire names are, and the
/// conversion was a fifth of the analysis.
fn is_snake_case(raw: &str) -> bool {
    !raw.is_empty()
        && !raw.starts_with('_')
        && !raw.ends_with('_')
        && !raw.contains("__")
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Only ASCII letters and digits make identifiers; anything else separates words. (Some non-ASCII
/// characters are alphanumeric to `char` yet not allowed in a Rust identifier, `²` for one.)
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` for types and variants; never empty, never starting with a digit. Compound
/// words need no rewriting here: `oAuth2Client` already comes out as `OAuth2Client`.
pub fn upper_camel(raw: &str) -> String {
    type_name(shortened(ascii_words(raw).to_upper_camel_case(), "H"))
}

/// An UpperCamelCase name that can name a type or a variant: never empty, never `Self`, never
/// starting with a digit. For names built from others' words (a variant's name with the words its
/// siblings share taken away) as for converted ones.
pub fn type_name(name: String) -> String {
    if name.is_empty() {
        "Empty".to_owned()
    } else if name == "Self" {
        // The one UpperCamelCase keyword: neither a type nor a variant may be called that.
        "SelfValue".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

/// `snake_case` for fields, parameters, methods and modules, escaped when it is a keyword.
pub fn snake(raw: &str) -> String {
    let name = if is_snake_case(raw) {
        raw.to_owned()
    } else {
        split_compounds(raw).to_snake_case()
    };
    let name = shortened(name, "_");
    let name = if name.is_empty() {
        "value".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else {
        name
    };
    escape_keyword(name)
}

/// Words that mark a value as a credential, whatever the API calls it.
const SECRET_WORDS: &[&str] = &[
    "authorization",
    "cookie",
    "passwd",
    "password",
    "secret",
    "token",
];

/// Whether a parameter or property name says it carries a credential (`X-Session-Token`, `Cookie`,
/// `client_secret`, `password`, `api_key`). Errs towards hiding: `page_token` counts too.
pub fn looks_secret(name: &str) -> bool {
    let words: Vec<String> = name.to_snake_case().split('_').map(str::to_owned).collect();
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|pair| pair[0] == "api" && pair[1] == "key")
        || words.iter().any(|w| w == "apikey")
}

/// `r#type` for raw-able keywords, `self_` for the others.
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// `name` with `suffix` appended, without doubling an underscore (`self_` + `_api` → `self_api`)
/// or keeping a `r#`.
pub fn suffixed(name: &str, suffix: &str) -> String {
    let base = unraw(name);
    let base = if suffix.starts_with('_') {
        base.trim_end_matches('_')
    } else {
        base
    };
    format!("{base}{suffix}")
}

/// The name without a `r#` prefix, for building derived names (`r#type` → `type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A namespace in which every claimed name is unique. A taken name gets the namespace's suffix, then
/// a number: `NullString` then `NullStringModel`, `NullStringModel2`.
#[derive(Debug, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
    suffix: &'static str,
}

impl Namespace {
    pub fn new(suffix: &'static str) -> Self {
        Namespace {
            taken: BTreeSet::new(),
            suffix,
        }
    }

    /// A namespace for type names, with the reserved names already taken.
    pub fn types() -> Self {
        let mut ns = Namespace::new("Model");
        ns.taken
            .extend(RESERVED_TYPE_NAMES.iter().map(|s| (*s).to_owned()));
        ns
    }

    /// A namespace in which `taken` are already claimed.
    pub fn taken(suffix: &'static str, taken: &[&str]) -> Self {
        Namespace::new(suffix).and_taken(taken)
    }

    /// This namespace with `taken` claimed too.
    pub fn and_taken(mut self, taken: &[&str]) -> Self {
        self.taken.extend(taken.iter().map(|s| unraw(s).to_owned()));
        self
    }

    /// A namespace for names that are also used outside Rust (module files, Cargo features), where
    /// a raw identifier cannot go: a keyword gets the suffix (`type` → `type_api`).
    pub fn without_keywords(suffix: &'static str) -> Self {
        Namespace::taken(suffix, KEYWORDS)
    }

    /// A namespace for module names: keywords (a module's file cannot carry `r#`) and the crates
    /// the generated code names are taken.
    pub fn modules(suffix: &'static str) -> Self {
        Namespace::without_keywords(suffix).and_taken(RESERVED_MODULE_NAMES)
    }

    /// Claims `wanted`, or the first free variant of it.
    pub fn claim(&mut self, wanted: &str) -> String {
        self.claim_suffixed(wanted, self.suffix)
    }

    /// Claims `wanted`, or the first free variant of it with `suffix` instead of the namespace's.
    pub fn claim_suffixed(&mut self, wanted: &str, suffix: &str) -> String {
        // Names are kept in their plain spelling: `r#type` and `type` are one name.
        let raw_free = |ns: &Self, candidate: &str| !ns.taken.contains(unraw(candidate));
        let mut candidate = wanted.to_owned();
        if !raw_free(self, &candidate) {
            let base = suffixed(wanted, suffix);
            candidate = base.clone();
            let mut n = 2;
            while !raw_free(self, &candidate) {
                candidate = format!("{base}{n}");
                n += 1;
            }
        }
        self.taken.insert(unraw(&candidate).to_owned());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_never_claimed_as_they_are() {
        let mut modules = Namespace::modules("_api");
        assert_eq!(modules.claim("serde"), "serde_api");
        assert_eq!(modules.claim("con"), "con_api");
        assert_eq!(modules.claim("type"), "type_api");
        let mut types = Namespace::types();
        assert_eq!(types.claim("From"), "FromModel");
        assert_eq!(types.claim("New"), "NewModel");
        assert_eq!(type_name("Self".to_owned()), "SelfValue");
        assert_eq!(type_name("2Fa".to_owned()), "V2Fa");
        let long = "a".repeat(300);
        let (first, second) = (snake(&long), snake(&format!("{long}b")));
        assert!(
            first.len() <= MAX_NAME_LEN && first != second,
            "{first} {second}"
        );
        assert_eq!(
            first,
            snake(&long),
            "the same name always shortens the same way"
        );
    }

    #[test]
    fn names_already_in_snake_case_are_what_the_conversion_gives() {
        // Every string of up to six characters drawn from a letter, a digit and an underscore (and
        // an uppercase letter, which is never taken as it is).
        let alphabet = ['a', 'z', '0', '9', '_', 'A'];
        let mut strings = vec![String::new()];
        let mut taken_as_is = 0;
        for _ in 0..6 {
            strings = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            for s in &strings {
                if is_snake_case(s) {
                    taken_as_is += 1;
                    assert_eq!(split_compounds(s).to_snake_case(), *s);
                }
            }
        }
        assert!(taken_as_is > 1000, "{taken_as_is}");
        assert!(!is_snake_case("createdAt") && !is_snake_case("_x") && !is_snake_case("a__b"));
    }

    #[test]
    fn case_conversion_keeps_oauth2_whole() {
        assert_eq!(snake("oAuth2"), "oauth2");
        assert_eq!(snake("getOAuth2Client"), "get_oauth2_client");
        assert_eq!(upper_camel("oAuth2Client"), "OAuth2Client");
        assert_eq!(upper_camel("errorOAuth2"), "ErrorOAuth2");
        assert_eq!(snake("ErrorOAuth2"), "error_oauth2");
        assert_eq!(snake("createJsonWebKeySet"), "create_json_web_key_set");
        assert_eq!(upper_camel("jsonWebKeySet"), "JsonWebKeySet");
    }

    #[test]
    fn credential_names_are_recognised() {
        for secret in [
            "X-Session-Token",
            "Cookie",
            "cookie",
            "client_secret",
            "password",
            "api_key",
            "Authorization",
            "session_token",
        ] {
            assert!(looks_secret(secret), "{secret}");
        }
        for plain in [
            "kid",
            "identifier",
            "credentials_identifier",
            "tokenized",
            "set",
            "page_size",
        ] {
            assert!(!looks_secret(plain), "{plain}");
        }
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("use"), "r#use");
        assert_eq!(snake("async"), "r#async");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("@type"), "r#type");
        assert_eq!(upper_camel("self"), "SelfValue");
    }

    #[test]
    fn suffixes_join_without_doubled_underscores() {
        assert_eq!(suffixed("self_", "_api"), "self_api");
        assert_eq!(suffixed("r#type", "_key"), "type_key");
        assert_eq!(suffixed("Error", "Model"), "ErrorModel");
        let mut modules = Namespace::without_keywords("_api");
        assert_eq!(modules.claim(&snake("type")), "type_api");
        assert_eq!(modules.claim(&snake("self")), "self_");
        assert_eq!(modules.claim(&snake("a-b")), "a_b");
        assert_eq!(modules.claim(&snake("a_b")), "a_b_api");
        let mut setters = Namespace::taken("_setting", &["timeout"]);
        assert_eq!(setters.claim("timeout"), "timeout_setting");
        assert_eq!(
            setters.claim_suffixed("timeout", "_scheme"),
            "timeout_scheme"
        );
    }

    #[test]
    fn odd_characters_become_words() {
        assert_eq!(snake("subject_set.namespace"), "subject_set_namespace");
        assert_eq!(snake("max-depth"), "max_depth");
        assert_eq!(upper_camel("brand-100"), "Brand100");
        assert_eq!(upper_camel("100"), "V100");
        assert_eq!(upper_camel(""), "Empty");
        assert_eq!(snake(""), "value");
        assert_eq!(snake("x²ü名"), "x");
        assert_eq!(upper_camel("名前"), "Empty");
        assert_eq!(snake("café_au_lait"), "caf_au_lait");
    }

    #[test]
    fn names_never_collide_or_shadow_std() {
        let mut types = Namespace::types();
        assert_eq!(types.claim(&upper_camel("NullString")), "NullString");
        assert_eq!(types.claim(&upper_camel("nullString")), "NullStringModel");
        assert_eq!(types.claim("NullStringModel"), "NullStringModelModel");
        assert_eq!(types.claim(&upper_camel("String")), "StringModel");
        assert_eq!(types.claim(&upper_camel("UUID")), "UuidModel");
        assert_eq!(types.claim(&upper_camel("Duration")), "DurationModel");
    }

    #[test]
    fn raw_and_plain_spellings_are_one_name() {
        let mut fields = Namespace::new("_");
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("r#type"), "type_");
    }
}
