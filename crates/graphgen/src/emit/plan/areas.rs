//! Areas: the cargo feature and module each type belongs to, from what every format of
//! a page has (page ids, namespaces, operation paths), so that all five formats give
//! the same areas.
//!
//! In order: an Intune page's area (`intune-devices-…` → `devices`); a sub-namespace
//! (`callRecords.endpoint` → `call_records`); the first path segment of the operations
//! that serve the type (`/users/…` and `/me/…` → `users`, `/identity/…` → `identity`);
//! then, round by round, the area most of a type's neighbours have (the types that
//! refer to it, that it refers to, its base and derived types); else `common`.

use std::collections::BTreeMap;

use crate::naming::snake_case;
use crate::schema::{Schema, Type};

/// The area left to types that nothing places.
pub const COMMON: &str = "common";

/// Every type's area.
pub fn type_areas(schema: &Schema) -> BTreeMap<&str, String> {
    let mut areas: BTreeMap<&str, String> = BTreeMap::new();
    for ty in &schema.types {
        let area = intune_area(ty).or_else(|| namespace_area(&ty.name));
        if let Some(area) = area {
            areas.insert(&ty.name, area);
        }
    }
    let mut by_path: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for op in &schema.operations {
        if let (Some(ty), Some(area)) = (op.ty.as_deref(), path_area(&op.path)) {
            *by_path.entry(ty).or_default().entry(area).or_default() += 1;
        }
    }
    for (ty, counts) in &by_path {
        if let Some(area) = most_common(counts) {
            areas.entry(ty).or_insert(area);
        }
    }
    spread_to_neighbours(schema, &mut areas);
    for ty in &schema.types {
        areas.entry(&ty.name).or_insert_with(|| COMMON.to_string());
    }
    areas
}

/// Gives each type without an area the one most of its neighbours have, a round at a
/// time (a round's choices are seen by the next), until nothing changes.
fn spread_to_neighbours<'s>(schema: &'s Schema, areas: &mut BTreeMap<&'s str, String>) {
    let mut neighbours: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let known: BTreeMap<&str, &Type> = schema.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for ty in &schema.types {
        let refers = ty
            .properties
            .iter()
            .map(|p| p.ty.as_str())
            .chain(ty.base.as_deref())
            .filter(|name| known.contains_key(name) && *name != ty.name);
        for other in refers {
            neighbours.entry(&ty.name).or_default().push(other);
            neighbours.entry(other).or_default().push(&ty.name);
        }
    }
    loop {
        let mut chosen = Vec::new();
        for (ty, around) in &neighbours {
            if areas.contains_key(ty) {
                continue;
            }
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for n in around {
                if let Some(area) = areas.get(n) {
                    *counts.entry(area.clone()).or_default() += 1;
                }
            }
            if let Some(area) = most_common(&counts) {
                chosen.push((*ty, area));
            }
        }
        if chosen.is_empty() {
            return;
        }
        areas.extend(chosen);
    }
}

/// The area with the highest count; ties go to the first by name.
fn most_common(counts: &BTreeMap<String, usize>) -> Option<String> {
    let most = counts.values().copied().max()?;
    counts
        .iter()
        .find(|&(_, &n)| n == most)
        .map(|(area, _)| area.clone())
}

/// The area an Intune page names: that of the page that defines the type (named after
/// it, as in `intune-shared-actionstate`), else of a resource page, else of its first.
fn intune_area(ty: &Type) -> Option<String> {
    let own = ty.name.to_ascii_lowercase();
    let page = ty
        .sources
        .iter()
        .find(|s| s.rsplit(['/', '-']).next() == Some(own.as_str()))
        .or_else(|| ty.sources.iter().find(|s| s.contains("resources/")))
        .or_else(|| ty.sources.first())?;
    intune_page_area(page)
}

/// `devices` for a page named `intune-devices-…`.
pub fn intune_page_area(page: &str) -> Option<String> {
    let stem = page.rsplit('/').next().unwrap_or(page);
    let area = stem.strip_prefix("intune-")?.split('-').next()?;
    (!area.is_empty()).then(|| area_ident(area))
}

/// `call_records` for `callRecords.endpoint`.
fn namespace_area(name: &str) -> Option<String> {
    let (namespace, _) = name.rsplit_once('.')?;
    Some(area_ident(namespace))
}

/// The area of a path: its first segment (`/identity/…` → `identity`); `/me` is the
/// signed-in user, so `users`. None for a path that starts with a parameter.
pub fn path_area(path: &str) -> Option<String> {
    let first = path.trim_start_matches('/').split('/').next()?;
    let first = first.split(['(', '?']).next()?;
    if first.is_empty() || first.starts_with(['{', '$', '~']) {
        return None;
    }
    Some(area_ident(if first == "me" { "users" } else { first }))
}

/// A feature and module name: snake case, never a keyword.
fn area_ident(name: &str) -> String {
    crate::naming::ident(&snake_case(name), "a")
        .trim_start_matches("r#")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_come_from_pages_namespaces_and_paths() {
        assert_eq!(
            intune_page_area("api/intune-devices-x-get").as_deref(),
            Some("devices")
        );
        assert_eq!(intune_page_area("api/user-get"), None);
        assert_eq!(
            namespace_area("callRecords.endpoint").as_deref(),
            Some("call_records")
        );
        assert_eq!(path_area("/me/messages").as_deref(), Some("users"));
        assert_eq!(
            path_area("/identity/b2cUserFlows").as_deref(),
            Some("identity")
        );
        assert_eq!(path_area("/{id}/x"), None);
    }
}
