//! Operations: one per documented (method, path), whatever the number of pages that
//! document it.
//!
//! The same operation is often documented on the pages of several types: `GET
//! /deviceManagement/deviceConfigurations` appears on the list page of every
//! `*Configuration` type. What it returns is then their nearest common base by the
//! documented inheritance (`deviceConfiguration`), whose `Any` enum holds any of them; a
//! set of types with no common base keeps the first page's type and is a diagnostic
//! naming every page.

use std::collections::BTreeMap;

use super::{SourcedFacts, add_source};
use crate::diag::{Diagnostic, DiagnosticCode};
use crate::schema::{Operation, Property, Type};

/// Where one page documents the operation, and with which type.
struct Documented {
    ty: Option<String>,
    file: String,
    line: u32,
}

/// What makes two documented paths one endpoint: the segments ignoring case, with every
/// parameter alike whatever its name (`/users/{id | userPrincipalName}` on one page and
/// `/users/{Id|userPrincipalName}` on another; `/me/calendargroups/{id}` and
/// `/me/calendarGroups/{calendar_group_id}`). The first page's spelling is kept.
pub(crate) fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    shape.push_str("{}");
                }
                depth += 1;
            }
            '}' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ => shape.extend(c.to_lowercase()),
        }
    }
    shape
}

/// Merges the operations of every page; `types` gives the inheritance.
pub(super) fn merge_operations(
    pages: &[SourcedFacts],
    types: &[Type],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Operation> {
    let mut operations: BTreeMap<(String, String), (Operation, Vec<Documented>)> = BTreeMap::new();
    for page in pages {
        for op in &page.facts.operations {
            let Some(status) = op.status else {
                continue;
            };
            for path in &op.paths {
                let key = (path_shape(path), op.method.clone());
                let documented = Documented {
                    ty: op.ty.clone(),
                    file: page.file.clone(),
                    line: op.line,
                };
                if let Some((existing, places)) = operations.get_mut(&key) {
                    add_source(&mut existing.sources, &page.facts.page);
                    if existing.status != status {
                        let first = &places[0];
                        diagnostics.push(
                            Diagnostic::warning(
                                &page.file,
                                op.line,
                                DiagnosticCode::StatusConflict,
                                format!(
                                    "{} {path} returns {status} here but {} at {}:{}",
                                    op.method, existing.status, first.file, first.line
                                ),
                            )
                            .with_related(&first.file, first.line),
                        );
                    }
                    places.push(documented);
                    continue;
                }
                let operation = Operation {
                    method: op.method.clone(),
                    path: path.clone(),
                    ty: op.ty.clone(),
                    status,
                    kind: op.kind,
                    name: op.name.clone(),
                    returns_collection: op.returns_collection,
                    parameters: op
                        .parameters
                        .iter()
                        .map(|p| Property {
                            name: p.name.clone(),
                            ty: p.ty.clone(),
                            collection: p.collection,
                            relationship: false,
                            description: p.description.clone(),
                        })
                        .collect(),
                    permissions: op.permissions.clone(),
                    sources: vec![page.facts.page.clone()],
                };
                operations.insert(key, (operation, vec![documented]));
            }
        }
    }
    let bases: BTreeMap<&str, &str> = types
        .iter()
        .filter_map(|t| Some((t.name.as_str(), t.base.as_deref()?)))
        .collect();
    operations
        .into_values()
        .map(|(mut op, places)| {
            op.ty = operation_type(&op, &places, &bases, diagnostics);
            op
        })
        .collect()
}

/// The type of an operation documented at `places`: the one type they name, or their
/// nearest common base; a diagnostic when they name types with no common base.
fn operation_type(
    op: &Operation,
    places: &[Documented],
    bases: &BTreeMap<&str, &str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let mut named: Vec<&str> = places.iter().filter_map(|p| p.ty.as_deref()).collect();
    named.sort_unstable();
    named.dedup();
    let (first, rest) = named.split_first()?;
    if rest.is_empty() {
        return Some(first.to_string());
    }
    let common = lineage(first, bases)
        .into_iter()
        .find(|candidate| rest.iter().all(|t| lineage(t, bases).contains(candidate)));
    if let Some(common) = common {
        return Some(common.to_string());
    }
    let chosen = places.iter().find_map(|p| p.ty.clone());
    let first_place = &places[0];
    let others: Vec<String> = places
        .iter()
        .skip(1)
        .map(|p| {
            format!(
                "{}:{} (`{}`)",
                p.file,
                p.line,
                p.ty.as_deref().unwrap_or("?")
            )
        })
        .collect();
    diagnostics.push(
        Diagnostic::warning(
            &first_place.file,
            first_place.line,
            DiagnosticCode::OperationTypeConflict,
            format!(
                "{} {} is documented with types that share no base: `{}` here, {}; keeping `{}`",
                op.method,
                op.path,
                first_place.ty.as_deref().unwrap_or("?"),
                others.join(", "),
                chosen.as_deref().unwrap_or("?"),
            ),
        )
        .with_related(&places[1].file, places[1].line),
    );
    chosen
}

/// A type and its bases, nearest first (a cycle in the docs ends the walk).
fn lineage<'a>(ty: &'a str, bases: &BTreeMap<&'a str, &'a str>) -> Vec<&'a str> {
    let mut out = vec![ty];
    let mut current = ty;
    while let Some(&base) = bases.get(current) {
        if out.contains(&base) {
            break;
        }
        out.push(base);
        current = base;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_differing_in_parameter_names_or_case_are_one_endpoint() {
        assert_eq!(
            path_shape("/users/{id | userPrincipalName}/calendarGroups/{calendar_group_id}"),
            path_shape("/users/{Id|userPrincipalName}/calendargroups/{id}")
        );
        assert_ne!(path_shape("/users/{id}"), path_shape("/users/{id}/events"));
        assert_ne!(path_shape("/users/{id}"), path_shape("/users/delta"));
    }

    #[test]
    fn the_nearest_common_base_is_chosen() {
        let bases = BTreeMap::from([
            ("androidConfiguration", "deviceConfiguration"),
            ("iosConfiguration", "deviceConfiguration"),
            ("deviceConfiguration", "entity"),
            ("a", "b"),
            ("b", "a"),
        ]);
        let lineage_of = |t| lineage(t, &bases);
        assert_eq!(
            lineage_of("androidConfiguration"),
            ["androidConfiguration", "deviceConfiguration", "entity"]
        );
        assert_eq!(lineage_of("a"), ["a", "b"], "a cycle ends the walk");
        let op = Operation {
            method: "GET".into(),
            path: "/deviceManagement/deviceConfigurations".into(),
            ty: None,
            status: 200,
            kind: crate::schema::OperationKind::List,
            name: "list".into(),
            returns_collection: true,
            parameters: vec![],
            permissions: Default::default(),
            sources: vec![],
        };
        let place = |ty: &str| Documented {
            ty: Some(ty.to_string()),
            file: format!("{ty}.md"),
            line: 1,
        };
        let mut diagnostics = Vec::new();
        let places = [place("iosConfiguration"), place("androidConfiguration")];
        let chosen = operation_type(&op, &places, &bases, &mut diagnostics);
        assert_eq!(chosen.as_deref(), Some("deviceConfiguration"));
        let places = [place("deviceConfiguration"), place("iosConfiguration")];
        let chosen = operation_type(&op, &places, &bases, &mut diagnostics);
        assert_eq!(
            chosen.as_deref(),
            Some("deviceConfiguration"),
            "a base itself"
        );
        assert!(diagnostics.is_empty());
        let places = [place("iosConfiguration"), place("user")];
        let chosen = operation_type(&op, &places, &bases, &mut diagnostics);
        assert_eq!(
            chosen.as_deref(),
            Some("iosConfiguration"),
            "the first page's"
        );
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0].message.contains("user.md:1"),
            "{}",
            diagnostics[0].message
        );
    }
}
