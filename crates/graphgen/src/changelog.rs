//! The API changelog between two schemas: what a docs change did to the API, each change
//! marked breaking or not, for people deciding whether a regeneration is safe.
//!
//! Breaking means breaking by the Rust semver rules of the generated crates: removing or
//! retyping anything breaks; a new enum member or a new derived type adds a variant to a
//! `#[non_exhaustive]` enum and breaks nothing; a new optional property adds a field to a
//! struct that derives `Default`; but a type's first derived type turns every use of it
//! into its `Any` enum, which breaks code that uses it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::schema::{Operation, Property, Schema, Type};

/// One change between two schemas.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Whether code written against the old API can break.
    pub breaking: bool,
    /// What changed, e.g. `property deviceCategory.displayName`.
    pub subject: String,
    /// How it changed, e.g. `added (String)`, `type String → Int32`.
    pub what: String,
}

/// Every change from `old` to `new`, breaking changes first, then by subject.
pub fn diff(old: &Schema, new: &Schema) -> Vec<Change> {
    let mut changes = Vec::new();
    let old_types: BTreeMap<&str, &Type> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &Type> = new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for (name, old_type) in &old_types {
        match new_types.get(name) {
            None => changes.push(change(true, format!("type {name}"), "removed")),
            Some(new_type) => diff_type(old_type, new_type, &mut changes),
        }
    }
    for (name, new_type) in &new_types {
        if !old_types.contains_key(name) {
            let kind = new_type.kind.as_str();
            // A derived type is also a new variant of its bases' `#[non_exhaustive]` `Any`
            // enums: nothing breaks.
            let what = match &new_type.base {
                Some(base) => format!("added ({kind}, derived from {base})"),
                None => format!("added ({kind})"),
            };
            changes.push(change(false, format!("type {name}"), what));
        }
    }
    first_derived_types(old, new, &old_types, &mut changes);
    diff_operations(&old.operations, &new.operations, &mut changes);
    changes.sort_by(|a, b| {
        b.breaking
            .cmp(&a.breaking)
            .then(a.subject.cmp(&b.subject))
            .then(a.what.cmp(&b.what))
    });
    changes
}

/// Types that had no derived type and now have one: the generated code uses such a type
/// as its `Any` enum instead of its struct, so every property and operation typed by it
/// changes type (breaking where the old schema uses it; a new enum where nothing does).
fn first_derived_types(
    old: &Schema,
    new: &Schema,
    old_types: &BTreeMap<&str, &Type>,
    changes: &mut Vec<Change>,
) {
    let bases = |schema: &Schema| -> BTreeMap<String, Vec<String>> {
        let mut bases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for ty in &schema.types {
            if let Some(base) = &ty.base {
                bases.entry(base.clone()).or_default().push(ty.name.clone());
            }
        }
        bases
    };
    let (old_bases, new_bases) = (bases(old), bases(new));
    for (base, derived) in &new_bases {
        if old_bases.contains_key(base) || !old_types.contains_key(base.as_str()) {
            continue;
        }
        let uses = uses_of(old, base);
        let what = if uses.is_empty() {
            format!(
                "first derived type ({}): a new `Any` enum",
                derived.join(", ")
            )
        } else {
            let more = match uses.len() {
                0..=3 => String::new(),
                n => format!(" and {} more", n - 3),
            };
            format!(
                "first derived type ({}): its `Any` enum replaces it in {}{more}",
                derived.join(", "),
                uses[..uses.len().min(3)].join(", ")
            )
        };
        changes.push(change(!uses.is_empty(), format!("type {base}"), what));
    }
}

/// Where a schema uses a type: the properties and operations typed by it.
fn uses_of(schema: &Schema, name: &str) -> Vec<String> {
    let properties = schema.types.iter().flat_map(|t| {
        t.properties
            .iter()
            .filter(|p| p.ty == name)
            .map(move |p| format!("{}.{}", t.name, p.name))
    });
    let operations = schema
        .operations
        .iter()
        .filter(|o| o.ty.as_deref() == Some(name))
        .map(|o| format!("{} {}", o.method, o.path));
    properties.chain(operations).collect()
}

fn change(breaking: bool, subject: String, what: impl Into<String>) -> Change {
    Change {
        breaking,
        subject,
        what: what.into(),
    }
}

/// A property's type as the changelog compares it: `string` and `String` are one type.
fn shape(p: &Property) -> String {
    let ty = crate::schema::canonical_type(&p.ty);
    if p.collection {
        format!("{ty} collection")
    } else {
        ty.to_string()
    }
}

fn diff_type(old: &Type, new: &Type, changes: &mut Vec<Change>) {
    let name = &old.name;
    if old.kind != new.kind {
        let what = format!("kind {} → {}", old.kind.as_str(), new.kind.as_str());
        changes.push(change(true, format!("type {name}"), what));
    }
    if old.base != new.base {
        let show = |b: &Option<String>| b.clone().unwrap_or_else(|| "none".to_string());
        let what = format!("base {} → {}", show(&old.base), show(&new.base));
        changes.push(change(true, format!("type {name}"), what));
    }
    let old_props: BTreeMap<&str, &Property> = old
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p))
        .collect();
    let new_props: BTreeMap<&str, &Property> = new
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p))
        .collect();
    for (prop, old_prop) in &old_props {
        let subject = format!("property {name}.{prop}");
        match new_props.get(prop) {
            None => changes.push(change(
                true,
                subject,
                format!("removed (was {})", shape(old_prop)),
            )),
            Some(new_prop) => {
                if old_prop.ty != new_prop.ty {
                    let what = format!("type {} → {}", old_prop.ty, new_prop.ty);
                    changes.push(change(true, subject.clone(), what));
                }
                if old_prop.collection != new_prop.collection {
                    let what = if new_prop.collection {
                        "became a collection"
                    } else {
                        "is no longer a collection"
                    };
                    changes.push(change(true, subject, what));
                }
            }
        }
    }
    for (prop, new_prop) in &new_props {
        if !old_props.contains_key(prop) {
            // Every property is optional, so an added one breaks no reader or writer.
            let subject = format!("property {name}.{prop}");
            changes.push(change(
                false,
                subject,
                format!("added ({})", shape(new_prop)),
            ));
        }
    }
    for member in &old.members {
        if !new.members.contains(member) {
            changes.push(change(
                true,
                format!("enum member {name}.{member}"),
                "removed",
            ));
        }
    }
    for member in &new.members {
        if !old.members.contains(member) {
            // Generated enums are `#[non_exhaustive]` (and keep unknown values as
            // `Other`), so a new member breaks no `match` and no reader.
            changes.push(change(
                false,
                format!("enum member {name}.{member}"),
                "added",
            ));
        }
    }
}

fn diff_operations(old: &[Operation], new: &[Operation], changes: &mut Vec<Change>) {
    let key = |o: &Operation| (o.path.clone(), o.method.clone());
    let old_ops: BTreeMap<_, &Operation> = old.iter().map(|o| (key(o), o)).collect();
    let new_ops: BTreeMap<_, &Operation> = new.iter().map(|o| (key(o), o)).collect();
    for ((path, method), old_op) in &old_ops {
        let subject = format!("operation {method} {path}");
        match new_ops.get(&(path.clone(), method.clone())) {
            None => changes.push(change(true, subject, "removed")),
            Some(new_op) => {
                if old_op.status != new_op.status {
                    let what = format!("status {} → {}", old_op.status, new_op.status);
                    changes.push(change(true, subject.clone(), what));
                }
                if old_op.ty != new_op.ty {
                    let show = |t: &Option<String>| t.clone().unwrap_or_else(|| "none".to_string());
                    let what = format!("type {} → {}", show(&old_op.ty), show(&new_op.ty));
                    changes.push(change(true, subject, what));
                }
            }
        }
    }
    for ((path, method), new_op) in &new_ops {
        if !old_ops.contains_key(&(path.clone(), method.clone())) {
            let what = format!(
                "added ({}, {})",
                new_op.status,
                new_op.ty.as_deref().unwrap_or("no type")
            );
            changes.push(change(false, format!("operation {method} {path}"), what));
        }
    }
}

/// The changelog as plain text, one line per change.
pub fn to_text(changes: &[Change]) -> String {
    render(
        changes,
        "API changelog: no changes\n",
        |n, breaking| format!("API changelog: {n} changes, {breaking} breaking\n"),
        |c| {
            let mark = if c.breaking { "BREAKING" } else { "        " };
            format!("  {mark} {}: {}\n", c.subject, c.what)
        },
    )
}

/// The changelog as markdown, fit for a pull-request comment.
pub fn to_markdown(changes: &[Change]) -> String {
    let escape = |s: &str| s.replace('|', "\\|");
    render(
        changes,
        "### API changelog\n\nNo API changes.\n",
        |n, breaking| {
            format!(
                "### API changelog\n\n{n} changes, **{breaking} breaking**.\n\n| | change | what |\n|---|---|---|\n"
            )
        },
        |c| {
            let mark = if c.breaking { "⚠️ breaking" } else { "" };
            format!(
                "| {mark} | `{}` | {} |\n",
                escape(&c.subject),
                escape(&c.what)
            )
        },
    )
}

/// A header counting the changes (or the text for none), then one line per change.
fn render(
    changes: &[Change],
    none: &str,
    header: impl Fn(usize, usize) -> String,
    line: impl Fn(&Change) -> String,
) -> String {
    if changes.is_empty() {
        return none.to_string();
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut out = header(changes.len(), breaking);
    for change in changes {
        out.push_str(&line(change));
    }
    out
}
