//! The API change report: what changed between the IR of two specs, for Rust callers and on the
//! wire, each Rust change labelled breaking or compatible as cargo-semver-checks labels it.
//!
//! The rules, as a caller of the generated crate sees it (models are `#[non_exhaustive]`, built with
//! `new(required members)` and `with_` setters; string, oneOf and answer enums are
//! `#[non_exhaustive]`):
//! - an operation, type, optional parameter, field, enum value or variant removed: breaking;
//!   added: compatible, except a required field (a new argument of the model's `new`) and a
//!   required parameter (a new argument of the operation's method);
//! - a type changed in place (a field's, a parameter's, an answer's or an alias's type): breaking,
//!   though cargo-semver-checks has no lint that sees it (said in the entry);
//! - a struct turned into an enum (or any change of kind): breaking;
//! - a JSON member renamed where the Rust name stays, an operation's method or path, security or
//!   server, a discriminator's values: wire changes, the Rust API unchanged; security that no
//!   longer accepts credentials it accepted is a breaking one (calls that worked are refused).

use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What a change does to callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Breaks Rust callers, and cargo-semver-checks reports it.
    Breaking,
    /// Breaks Rust callers, but cargo-semver-checks has no lint for it (a type changed in place).
    BreakingUnlinted,
    /// A compatible change of the Rust API.
    Compatible,
    /// The Rust API is the same; what goes on the wire is not. `breaking`: calls that worked are
    /// refused.
    Wire { breaking: bool },
}

impl Level {
    pub fn is_breaking(self) -> bool {
        matches!(
            self,
            Level::Breaking | Level::BreakingUnlinted | Level::Wire { breaking: true }
        )
    }

    /// The section of the report the change goes to: breaking, compatible or wire.
    fn section(self) -> u8 {
        match self {
            Level::Breaking | Level::BreakingUnlinted => 0,
            Level::Compatible => 1,
            Level::Wire { .. } => 2,
        }
    }

    /// Whether cargo-semver-checks reports the change as breaking the Rust API.
    pub fn breaks_rust_as_linted(self) -> bool {
        self == Level::Breaking
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub level: Level,
    /// `operation \`deleteJsonWebKey\`` or `type \`JsonWebKey\``.
    pub subject: String,
    pub what: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.level.is_breaking())
            .count()
    }

    /// Markdown, for a terminal or a pull-request description.
    pub fn to_markdown(&self) -> String {
        if self.is_empty() {
            return "no API changes\n".to_owned();
        }
        let mut out = format!(
            "## API changes: {} ({} breaking, {} compatible)\n",
            self.changes.len(),
            self.breaking(),
            self.changes.len() - self.breaking()
        );
        let sections = [
            ("Breaking", Level::Breaking),
            ("Compatible", Level::Compatible),
            (
                "Wire only (the Rust API is unchanged)",
                Level::Wire { breaking: false },
            ),
        ];
        for (title, section) in sections {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.level.section() == section.section())
                .collect();
            if changes.is_empty() {
                continue;
            }
            let _ = write!(out, "\n### {title}\n\n");
            for change in changes {
                let note = match change.level {
                    Level::BreakingUnlinted => " (no cargo-semver-checks lint sees this)",
                    Level::Wire { breaking: true } => " (breaking: calls that worked are refused)",
                    _ => "",
                };
                let _ = writeln!(out, "- {}: {}{note}", change.subject, change.what);
            }
        }
        out
    }
}

/// Spec text in the report (an id, a tag, a wire name or value) as a Markdown code span: the report
/// goes into pull requests and terminals, and spec text stays text there too.
fn code(text: &str) -> String {
    SpecText::from(text).code().to_string()
}

struct Collector(Vec<Change>);

impl Collector {
    fn add(&mut self, level: Level, subject: &str, what: String) {
        self.0.push(Change {
            level,
            subject: subject.to_owned(),
            what,
        });
    }
}

pub fn diff(old: &Api, new: &Api) -> Report {
    let mut changes = Collector(Vec::new());
    let ops = |api: &Api| -> BTreeMap<String, (String, Operation)> {
        api.tags
            .iter()
            .flat_map(|t| {
                t.operations
                    .iter()
                    .map(move |o| (o.id.raw().to_owned(), (t.name.raw().to_owned(), o.clone())))
            })
            .collect()
    };
    let (old_ops, new_ops) = (ops(old), ops(new));
    for (id, (tag, op)) in &old_ops {
        let subject = format!("operation {} ({})", code(id), code(tag));
        match new_ops.get(id) {
            None => changes.add(
                Level::Breaking,
                &subject,
                format!("removed ({})", op.route().code()),
            ),
            Some((_, new_op)) => operation(&mut changes, &subject, op, new_op),
        }
    }
    for (id, (tag, op)) in &new_ops {
        if !old_ops.contains_key(id) {
            let subject = format!("operation {} ({})", code(id), code(tag));
            changes.add(
                Level::Compatible,
                &subject,
                format!("added ({})", op.route().code()),
            );
        }
    }
    let types = |api: &Api| -> BTreeMap<String, TypeDef> {
        api.types
            .iter()
            .map(|t| (t.rust_name.clone(), t.clone()))
            .collect()
    };
    let (old_types, new_types) = (types(old), types(new));
    for (name, ty) in &old_types {
        let subject = format!("type `{name}`");
        match new_types.get(name) {
            // cargo-semver-checks has no lint for a type alias that is gone.
            None if matches!(ty.kind, TypeKind::Alias(_)) => {
                changes.add(Level::BreakingUnlinted, &subject, "removed".to_owned())
            }
            None => changes.add(Level::Breaking, &subject, "removed".to_owned()),
            Some(new_ty) => type_def(&mut changes, &subject, ty, new_ty),
        }
    }
    for name in new_types.keys().filter(|n| !old_types.contains_key(*n)) {
        changes.add(
            Level::Compatible,
            &format!("type `{name}`"),
            "added".to_owned(),
        );
    }
    let mut changes = changes.0;
    changes.sort();
    Report { changes }
}

fn operation(changes: &mut Collector, subject: &str, old: &Operation, new: &Operation) {
    if old.route() != new.route() {
        changes.add(
            Level::Wire { breaking: false },
            subject,
            format!(
                "moved from {} to {}",
                old.route().code(),
                new.route().code()
            ),
        );
    }
    // The method's arguments: required parameters (path ones in path order), then the body.
    let (old_args, new_args) = (old.required_args(), new.required_args());
    if old_args != new_args {
        let show = |args: &[(String, String)]| {
            args.iter()
                .map(|(n, t)| format!("{n}: {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // A count that changed is a lint of cargo-semver-checks; a type in place is not.
        let level = if old_args.len() != new_args.len() {
            Level::Breaking
        } else {
            Level::BreakingUnlinted
        };
        changes.add(
            level,
            subject,
            format!(
                "arguments changed from ({}) to ({})",
                show(&old_args),
                show(&new_args)
            ),
        );
    }
    let optional = |op: &Operation| -> BTreeMap<String, (String, String)> {
        op.params
            .iter()
            .filter(|p| !p.required)
            .map(|p| {
                (
                    p.rust_name.clone(),
                    (p.wire_name.raw().to_owned(), p.ty.to_string()),
                )
            })
            .collect()
    };
    let (old_optional, new_optional) = (optional(old), optional(new));
    for (name, (wire, ty)) in &old_optional {
        match new_optional.get(name) {
            None => changes.add(
                Level::Breaking,
                subject,
                format!("optional parameter `{name}` removed"),
            ),
            Some((_, new_ty)) if new_ty != ty => changes.add(
                Level::BreakingUnlinted,
                subject,
                format!("optional parameter `{name}` retyped from `{ty}` to `{new_ty}`"),
            ),
            Some((new_wire, _)) if new_wire != wire => changes.add(
                Level::Wire { breaking: false },
                subject,
                format!(
                    "optional parameter `{name}` sent as {} instead of {}",
                    code(new_wire),
                    code(wire)
                ),
            ),
            Some(_) => {}
        }
    }
    for name in new_optional
        .keys()
        .filter(|n| !old_optional.contains_key(*n))
    {
        changes.add(
            Level::Compatible,
            subject,
            format!("optional parameter `{name}` added"),
        );
    }
    for (side, old_outcome, new_outcome) in [
        ("success", &old.success, &new.success),
        ("error", &old.error, &new.error),
    ] {
        outcome(changes, subject, side, old_outcome, new_outcome);
    }
    let alternatives = |security: &[Vec<String>]| security.iter().cloned().collect::<BTreeSet<_>>();
    if alternatives(&old.security) != alternatives(&new.security) {
        changes.add(
            Level::Wire {
                breaking: security_narrowed(&old.security, &new.security),
            },
            subject,
            format!(
                "security changed from {} to {}",
                describe_security(&old.security),
                describe_security(&new.security)
            ),
        );
    }
    if old.server_override != new.server_override {
        changes.add(
            Level::Wire { breaking: false },
            subject,
            "server changed".to_owned(),
        );
    }
}

/// One side of an operation's answers: an answer enum (`#[non_exhaustive]`) may gain variants.
fn outcome(changes: &mut Collector, subject: &str, side: &str, old: &Outcome, new: &Outcome) {
    if old == new {
        return;
    }
    if let (
        Outcome::Enum {
            rust_name: old_name,
            variants: old_variants,
        },
        Outcome::Enum {
            rust_name: new_name,
            variants: new_variants,
        },
    ) = (old, new)
    {
        if old_name == new_name {
            let by_name = |variants: &[OutcomeVariant]| -> BTreeMap<String, Option<TypeRef>> {
                variants
                    .iter()
                    .map(|v| (v.rust_name.clone(), v.ty.clone()))
                    .collect()
            };
            let (old_by_name, new_by_name) = (by_name(old_variants), by_name(new_variants));
            for (name, ty) in &old_by_name {
                match new_by_name.get(name) {
                    None => changes.add(
                        Level::Breaking,
                        subject,
                        format!("{side} answer `{old_name}::{name}` removed"),
                    ),
                    Some(new_ty) if new_ty != ty => changes.add(
                        Level::BreakingUnlinted,
                        subject,
                        format!("{side} answer `{old_name}::{name}` retyped"),
                    ),
                    Some(_) => {}
                }
            }
            for name in new_by_name.keys().filter(|n| !old_by_name.contains_key(*n)) {
                changes.add(
                    Level::Compatible,
                    subject,
                    format!("{side} answer `{old_name}::{name}` added"),
                );
            }
            let statuses = |variants: &[OutcomeVariant]| -> Vec<StatusMatch> {
                variants.iter().map(|v| v.status).collect()
            };
            if statuses(old_variants) != statuses(new_variants)
                && old_by_name.keys().eq(new_by_name.keys())
            {
                changes.add(
                    Level::Wire { breaking: false },
                    subject,
                    format!("{side} answers' statuses changed"),
                );
            }
            return;
        }
    }
    // An answer enum that is gone is a removed type to cargo-semver-checks; a return type changed
    // in place it does not see.
    let level = if matches!(old, Outcome::Enum { .. }) {
        Level::Breaking
    } else {
        Level::BreakingUnlinted
    };
    changes.add(
        level,
        subject,
        format!(
            "{side} answers changed: {} → {}",
            describe(old),
            describe(new)
        ),
    );
}

/// Whether credentials that authorised a call under `old` may not under `new`: some old alternative
/// (no credentials at all, when `old` needs none) that no new alternative is contained in.
fn security_narrowed(old: &[Vec<String>], new: &[Vec<String>]) -> bool {
    if new.is_empty() {
        return false;
    }
    let none: &[Vec<String>] = &[Vec::new()];
    let old = if old.is_empty() { none } else { old };
    old.iter().any(|held| {
        !new.iter()
            .any(|needed| needed.iter().all(|scheme| held.contains(scheme)))
    })
}

/// `none`, or the alternatives: `` `a` or `b` + `c` ``.
fn describe_security(security: &[Vec<String>]) -> String {
    if security.is_empty() {
        return "none".to_owned();
    }
    security
        .iter()
        .map(|schemes| match schemes.as_slice() {
            [] => "none".to_owned(),
            _ => schemes
                .iter()
                .map(|scheme| code(scheme))
                .collect::<Vec<_>>()
                .join(" + "),
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Single(Some(ty)) => format!("`{ty}`"),
        Outcome::Single(None) => "no body".to_owned(),
        Outcome::Enum {
            rust_name,
            variants,
        } => {
            let statuses: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
            format!("`{rust_name}` ({})", statuses.join(", "))
        }
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "string enum",
        TypeKind::OneOf(_) => "oneOf enum",
        TypeKind::Alias(_) => "alias",
    }
}

fn type_def(changes: &mut Collector, subject: &str, old: &TypeDef, new: &TypeDef) {
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            let fields = |s: &Struct| -> BTreeMap<String, Field> {
                s.fields
                    .iter()
                    .map(|f| (f.rust_name.clone(), f.clone()))
                    .collect()
            };
            let (old_fields, new_fields) = (fields(a), fields(b));
            // A field turned required or optional changes the constructor's arguments, a
            // cargo-semver-checks lint, beside its own type.
            let arguments_changed =
                a.constructor_fields().count() != b.constructor_fields().count();
            for (name, field) in &old_fields {
                match new_fields.get(name) {
                    None => {
                        changes.add(Level::Breaking, subject, format!("field `{name}` removed"))
                    }
                    Some(new_field) if new_field.ty != field.ty => changes.add(
                        if arguments_changed && field.ty.is_option() != new_field.ty.is_option() {
                            Level::Breaking
                        } else {
                            Level::BreakingUnlinted
                        },
                        subject,
                        format!(
                            "field `{name}` retyped from `{}` to `{}`",
                            field.ty, new_field.ty
                        ),
                    ),
                    Some(new_field) if new_field.wire_name != field.wire_name => changes.add(
                        Level::Wire { breaking: false },
                        subject,
                        format!(
                            "field `{name}` read and written as {} instead of {}",
                            new_field.wire_name.code(),
                            field.wire_name.code()
                        ),
                    ),
                    Some(_) => {}
                }
            }
            for (name, field) in new_fields
                .iter()
                .filter(|(n, _)| !old_fields.contains_key(*n))
            {
                let optional = field.ty.is_option();
                let (what, level) = if optional {
                    ("optional", Level::Compatible)
                } else {
                    ("required", Level::Breaking)
                };
                changes.add(
                    level,
                    subject,
                    format!("field `{name}` added ({what}, `{}`)", field.ty),
                );
            }
            match (&a.additional, &b.additional) {
                (Some(_), None) => changes.add(
                    Level::Breaking,
                    subject,
                    "additional properties removed".to_owned(),
                ),
                (None, Some(_)) => changes.add(
                    Level::Compatible,
                    subject,
                    "additional properties added".to_owned(),
                ),
                (Some(x), Some(y)) if x != y => changes.add(
                    Level::BreakingUnlinted,
                    subject,
                    "additional properties retyped".to_owned(),
                ),
                _ => {}
            }
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            let values = |e: &StringEnum| -> BTreeMap<String, String> {
                e.variants
                    .iter()
                    .map(|v| (v.rust_name.clone(), v.wire_value.raw().to_owned()))
                    .collect()
            };
            let (old_values, new_values) = (values(a), values(b));
            for (name, value) in &old_values {
                match new_values.get(name) {
                    None => changes.add(
                        Level::Breaking,
                        subject,
                        format!("enum value {} removed", code(value)),
                    ),
                    Some(new_value) if new_value != value => changes.add(
                        Level::Wire { breaking: false },
                        subject,
                        format!(
                            "enum value `{name}` is {} on the wire instead of {}",
                            code(new_value),
                            code(value)
                        ),
                    ),
                    Some(_) => {}
                }
            }
            for (name, value) in &new_values {
                if !old_values.contains_key(name) {
                    changes.add(
                        Level::Compatible,
                        subject,
                        format!("enum value {} added", code(value)),
                    );
                }
            }
        }
        (TypeKind::OneOf(a), TypeKind::OneOf(b)) => {
            let variants = |o: &OneOf| -> BTreeMap<String, (TypeRef, Vec<String>)> {
                o.variants
                    .iter()
                    .map(|v| {
                        (
                            v.rust_name.clone(),
                            (
                                v.ty.clone(),
                                v.tag_values.iter().map(|t| t.raw().to_owned()).collect(),
                            ),
                        )
                    })
                    .collect()
            };
            let (old_variants, new_variants) = (variants(a), variants(b));
            for (name, (ty, tags)) in &old_variants {
                match new_variants.get(name) {
                    None => changes.add(
                        Level::Breaking,
                        subject,
                        format!("variant `{name}` removed"),
                    ),
                    Some((new_ty, _)) if new_ty != ty => changes.add(
                        Level::BreakingUnlinted,
                        subject,
                        format!("variant `{name}` retyped from `{ty}` to `{new_ty}`"),
                    ),
                    Some((_, new_tags)) if new_tags != tags => changes.add(
                        Level::Wire { breaking: false },
                        subject,
                        format!("variant `{name}` is told by other discriminator values"),
                    ),
                    Some(_) => {}
                }
            }
            for name in new_variants
                .keys()
                .filter(|n| !old_variants.contains_key(*n))
            {
                changes.add(
                    Level::Compatible,
                    subject,
                    format!("variant `{name}` added"),
                );
            }
            if a.discriminator != b.discriminator {
                changes.add(
                    Level::Wire { breaking: false },
                    subject,
                    "discriminator changed".to_owned(),
                );
            }
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) if a != b => changes.add(
            Level::BreakingUnlinted,
            subject,
            format!("now stands for `{b}` instead of `{a}`"),
        ),
        (TypeKind::Alias(_), TypeKind::Alias(_)) => {}
        (a, b) => changes.add(
            Level::Breaking,
            subject,
            format!("changed from a {} to a {}", kind_name(a), kind_name(b)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alternatives(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter()
            .map(|schemes| schemes.iter().map(|s| (*s).to_owned()).collect())
            .collect()
    }

    #[test]
    fn security_is_breaking_only_when_it_refuses_credentials_it_accepted() {
        let token = alternatives(&[&["oryAccessToken"]]);
        let key = alternatives(&[&["oryWorkspaceApiKey"]]);
        let either = alternatives(&[&["oryAccessToken"], &["oryWorkspaceApiKey"]]);
        let both = alternatives(&[&["oryAccessToken", "oryWorkspaceApiKey"]]);
        let optional = alternatives(&[&[]]);
        let none = alternatives(&[]);
        // Ory client spec v1.1.0 -> v1.22.65: project operations went from the access token to
        // the workspace key.
        assert!(security_narrowed(&token, &key));
        assert!(security_narrowed(&either, &token));
        assert!(security_narrowed(&token, &both));
        assert!(security_narrowed(&none, &token));
        assert!(security_narrowed(&optional, &token));
        assert!(!security_narrowed(&token, &either));
        assert!(!security_narrowed(&both, &token));
        assert!(!security_narrowed(&token, &none));
        assert!(!security_narrowed(&token, &optional));
        assert!(!security_narrowed(&none, &optional));
    }

    #[test]
    fn security_is_described_as_alternatives() {
        assert_eq!(describe_security(&[]), "none");
        assert_eq!(
            describe_security(&alternatives(&[&["a"], &["b", "c"], &[]])),
            "`a` or `b` + `c` or none"
        );
    }
}
