//! The API change report: what changed for Rust callers between the IR of two specs, each change
//! marked breaking or compatible.
//!
//! The rules, as a caller of the generated crate sees them:
//! - an operation or type removed, a type's kind changed: breaking; added: compatible;
//! - an operation's method or path, its arguments (required parameters and the body), an optional
//!   parameter's type or removal, its success or error type: breaking when changed; an optional
//!   parameter added, a server change: compatible;
//! - security that no longer accepts credentials it accepted (a caller set up with them still
//!   compiles, but its calls are refused): breaking; accepting more, or needing none: compatible;
//! - a field removed, retyped, or turned required/optional: breaking; a required field added:
//!   breaking; an optional field added: compatible (struct literals need `..Default::default()`);
//! - a string enum value removed: breaking; added: compatible (string enums are
//!   `#[non_exhaustive]` and keep unknown values);
//! - a oneOf variant added or removed, an alias retargeted: breaking.

use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub breaking: bool,
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
        self.changes.iter().filter(|c| c.breaking).count()
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
        for (title, breaking) in [("Breaking", true), ("Compatible", false)] {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if changes.is_empty() {
                continue;
            }
            let _ = write!(out, "\n### {title}\n\n");
            for change in changes {
                let _ = writeln!(out, "- {}: {}", change.subject, change.what);
            }
        }
        out
    }
}

struct Collector(Vec<Change>);

impl Collector {
    fn add(&mut self, breaking: bool, subject: &str, what: String) {
        self.0.push(Change {
            breaking,
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
        let subject = format!("operation `{id}` (`{tag}`)");
        match new_ops.get(id) {
            None => changes.add(
                true,
                &subject,
                format!(
                    "removed (`{} {}`)",
                    op.method.as_str(),
                    op.path_template.raw()
                ),
            ),
            Some((_, new_op)) => operation(&mut changes, &subject, op, new_op),
        }
    }
    for (id, (tag, op)) in &new_ops {
        if !old_ops.contains_key(id) {
            let subject = format!("operation `{id}` (`{tag}`)");
            changes.add(
                false,
                &subject,
                format!(
                    "added (`{} {}`)",
                    op.method.as_str(),
                    op.path_template.raw()
                ),
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
            None => changes.add(true, &subject, "removed".to_owned()),
            Some(new_ty) => type_def(&mut changes, &subject, ty, new_ty),
        }
    }
    for name in new_types.keys().filter(|n| !old_types.contains_key(*n)) {
        changes.add(false, &format!("type `{name}`"), "added".to_owned());
    }
    let mut changes = changes.0;
    changes.sort();
    Report { changes }
}

fn operation(changes: &mut Collector, subject: &str, old: &Operation, new: &Operation) {
    if old.method != new.method || old.path_template != new.path_template {
        changes.add(
            true,
            subject,
            format!(
                "moved from `{} {}` to `{} {}`",
                old.method.as_str(),
                old.path_template.raw(),
                new.method.as_str(),
                new.path_template.raw()
            ),
        );
    }
    let required = |op: &Operation| -> Vec<(String, String)> {
        op.params
            .iter()
            .filter(|p| p.required)
            .map(|p| (p.wire_name.raw().to_owned(), p.ty.to_string()))
            .chain(op.body.iter().map(|b| {
                (
                    "body".to_owned(),
                    format!("{} (required: {})", b.ty, b.required),
                )
            }))
            .collect()
    };
    let (old_required, new_required) = (required(old), required(new));
    if old_required != new_required {
        let show = |args: &[(String, String)]| {
            args.iter()
                .map(|(n, t)| format!("{n}: {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        changes.add(
            true,
            subject,
            format!(
                "arguments changed from ({}) to ({})",
                show(&old_required),
                show(&new_required)
            ),
        );
    }
    let optional = |op: &Operation| -> BTreeMap<String, String> {
        op.params
            .iter()
            .filter(|p| !p.required)
            .map(|p| (p.wire_name.raw().to_owned(), p.ty.to_string()))
            .collect()
    };
    let (old_optional, new_optional) = (optional(old), optional(new));
    for (name, ty) in &old_optional {
        match new_optional.get(name) {
            None if new_required.iter().any(|(n, _)| n == name) => {}
            None => changes.add(
                true,
                subject,
                format!("optional parameter `{name}` removed"),
            ),
            Some(new_ty) if new_ty != ty => changes.add(
                true,
                subject,
                format!("optional parameter `{name}` retyped from `{ty}` to `{new_ty}`"),
            ),
            Some(_) => {}
        }
    }
    for name in new_optional
        .keys()
        .filter(|n| !old_optional.contains_key(*n))
    {
        changes.add(false, subject, format!("optional parameter `{name}` added"));
    }
    for (side, old_outcome, new_outcome) in [
        ("success", &old.success, &new.success),
        ("error", &old.error, &new.error),
    ] {
        if old_outcome != new_outcome {
            changes.add(
                true,
                subject,
                format!(
                    "{side} answers changed: {} → {}",
                    describe(old_outcome),
                    describe(new_outcome)
                ),
            );
        }
    }
    let alternatives = |security: &[Vec<String>]| security.iter().cloned().collect::<BTreeSet<_>>();
    if alternatives(&old.security) != alternatives(&new.security) {
        changes.add(
            security_narrowed(&old.security, &new.security),
            subject,
            format!(
                "security changed from {} to {}",
                describe_security(&old.security),
                describe_security(&new.security)
            ),
        );
    }
    if old.server_override != new.server_override {
        changes.add(false, subject, "server changed".to_owned());
    }
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
                .map(|scheme| format!("`{scheme}`"))
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
                    .map(|f| (f.wire_name.raw().to_owned(), f.clone()))
                    .collect()
            };
            let (old_fields, new_fields) = (fields(a), fields(b));
            for (wire, field) in &old_fields {
                match new_fields.get(wire) {
                    None => changes.add(true, subject, format!("field `{wire}` removed")),
                    Some(new_field) if new_field.ty != field.ty => changes.add(
                        true,
                        subject,
                        format!(
                            "field `{wire}` retyped from `{}` to `{}`",
                            field.ty, new_field.ty
                        ),
                    ),
                    Some(_) => {}
                }
            }
            for (wire, field) in new_fields
                .iter()
                .filter(|(w, _)| !old_fields.contains_key(*w))
            {
                let optional = field.ty.is_option();
                let what = if optional { "optional" } else { "required" };
                changes.add(
                    !optional,
                    subject,
                    format!("field `{wire}` added ({what}, `{}`)", field.ty),
                );
            }
            if a.additional != b.additional {
                changes.add(true, subject, "additional properties changed".to_owned());
            }
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            let values = |e: &StringEnum| -> Vec<String> {
                e.variants
                    .iter()
                    .map(|v| v.wire_value.raw().to_owned())
                    .collect()
            };
            let (old_values, new_values) = (values(a), values(b));
            for value in old_values.iter().filter(|v| !new_values.contains(v)) {
                changes.add(true, subject, format!("enum value `{value}` removed"));
            }
            for value in new_values.iter().filter(|v| !old_values.contains(v)) {
                changes.add(false, subject, format!("enum value `{value}` added"));
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
            for name in old_variants
                .keys()
                .filter(|n| !new_variants.contains_key(*n))
            {
                changes.add(true, subject, format!("variant `{name}` removed"));
            }
            for name in new_variants
                .keys()
                .filter(|n| !old_variants.contains_key(*n))
            {
                changes.add(true, subject, format!("variant `{name}` added"));
            }
            for (name, old_variant) in &old_variants {
                if new_variants
                    .get(name)
                    .is_some_and(|new_variant| new_variant != old_variant)
                {
                    changes.add(true, subject, format!("variant `{name}` changed"));
                }
            }
            if a.discriminator != b.discriminator {
                changes.add(true, subject, "discriminator changed".to_owned());
            }
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) if a != b => changes.add(
            true,
            subject,
            format!("now stands for `{b}` instead of `{a}`"),
        ),
        (TypeKind::Alias(_), TypeKind::Alias(_)) => {}
        (a, b) => changes.add(
            true,
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
