//! Type names across pages: the types a sub-namespace page defines are qualified with
//! its namespace (`callRecords.endpoint`), and every mention of a type takes the
//! spelling of the type it names, so that a type cell `IdentitySet` on one page and the
//! `identitySet` resource page mean one type, and `endpoint` on a `callRecords` page means
//! `callRecords.endpoint` when that type exists.

use std::collections::{BTreeMap, BTreeSet};

use super::SourcedFacts;
use crate::schema::is_primitive;

/// Qualifies sub-namespace names and resolves every type reference (see the module).
pub fn qualify_and_resolve(pages: &mut [SourcedFacts]) {
    let namespaces = namespace_spellings(pages);
    for page in pages.iter_mut() {
        let Some(namespace) = page.facts.namespace.as_mut() else {
            continue;
        };
        if let Some(spelling) = namespaces.get(&namespace.to_ascii_lowercase()) {
            namespace.clone_from(spelling);
        }
        for ty in page.facts.types.iter_mut().filter(|t| t.defining) {
            if !ty.name.contains('.') {
                ty.name = format!("{namespace}.{}", ty.name);
            }
        }
    }
    let spellings = definition_spellings(pages);
    let defined = pages.iter_mut().flat_map(|p| &mut p.facts.types);
    for ty in defined.filter(|t| t.defining) {
        if let Some(spelling) = spellings.get(&ty.name.to_ascii_lowercase()) {
            ty.name.clone_from(spelling);
        }
    }
    let known = KnownTypes::of(pages);
    for page in pages.iter_mut() {
        let namespace = page.facts.namespace.clone();
        let resolve = |name: &mut String| {
            if let Some(found) = known.resolve(name, namespace.as_deref()) {
                *name = found;
            }
        };
        for ty in &mut page.facts.types {
            if !ty.defining {
                resolve(&mut ty.name);
            }
            ty.base.iter_mut().for_each(resolve);
            ty.properties.iter_mut().for_each(|p| resolve(&mut p.ty));
        }
        for op in &mut page.facts.operations {
            op.ty.iter_mut().for_each(resolve);
            op.parameters.iter_mut().for_each(|p| resolve(&mut p.ty));
        }
    }
}

/// Each namespace (lower case) → the spelling most pages give it (`termstore` and
/// `termStore` are one namespace).
fn namespace_spellings(pages: &[SourcedFacts]) -> BTreeMap<String, String> {
    majority_spellings(pages.iter().filter_map(|p| p.facts.namespace.as_deref()))
}

/// Each defined type (lower case) → the spelling most of its defining pages give it: one
/// type several pages define in spellings that differ only in case (a titled copy's
/// `ListInfo`, the title-less learn copy's `listInfo`) is one type.
fn definition_spellings(pages: &[SourcedFacts]) -> BTreeMap<String, String> {
    let defined = pages.iter().flat_map(|p| &p.facts.types);
    majority_spellings(defined.filter(|t| t.defining).map(|t| t.name.as_str()))
}

/// Lower case → the spelling given most often; ties go to the spelling that sorts first.
fn majority_spellings<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<String, String> {
    let mut counts: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for name in names {
        *counts
            .entry(name.to_ascii_lowercase())
            .or_default()
            .entry(name)
            .or_default() += 1;
    }
    counts
        .into_iter()
        .filter_map(|(lower, spellings)| {
            let most = spellings.values().copied().max()?;
            let (spelling, _) = spellings.into_iter().find(|&(_, n)| n == most)?;
            Some((lower, spelling.to_string()))
        })
        .collect()
}

/// The names of the types some page defines.
struct KnownTypes {
    exact: BTreeSet<String>,
    /// Lower case → the one defined name with that spelling; None when several differ
    /// only in case, so that no guess is made between them.
    folded: BTreeMap<String, Option<String>>,
}

impl KnownTypes {
    fn of(pages: &[SourcedFacts]) -> KnownTypes {
        let exact: BTreeSet<String> = pages
            .iter()
            .flat_map(|p| &p.facts.types)
            .filter(|t| t.defining)
            .map(|t| t.name.clone())
            .collect();
        let mut folded: BTreeMap<String, Option<String>> = BTreeMap::new();
        for name in &exact {
            folded
                .entry(name.to_ascii_lowercase())
                .and_modify(|one| *one = None)
                .or_insert_with(|| Some(name.clone()));
        }
        KnownTypes { exact, folded }
    }

    /// The defined type `name` means on a page of `namespace`, when it is not spelled
    /// so: first the type of that name in the page's namespace, then the one type of
    /// that name in any case. None when `name` is right as it is or names nothing known.
    fn resolve(&self, name: &str, namespace: Option<&str>) -> Option<String> {
        if is_primitive(name) || self.exact.contains(name) {
            return None;
        }
        let qualified = namespace
            .filter(|_| !name.contains('.'))
            .map(|ns| format!("{ns}.{name}"));
        qualified
            .iter()
            .map(String::as_str)
            .chain([name])
            .find_map(|candidate| {
                if self.exact.contains(candidate) {
                    return Some(candidate.to_string());
                }
                self.folded
                    .get(&candidate.to_ascii_lowercase())
                    .cloned()
                    .flatten()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{PageFacts, PropertyFacts, TypeFacts};

    fn page(namespace: Option<&str>, defining: &str, property_type: &str) -> SourcedFacts {
        let property = PropertyFacts {
            name: "p".into(),
            ty: property_type.into(),
            ..PropertyFacts::default()
        };
        SourcedFacts {
            file: format!("{defining}.md"),
            facts: PageFacts {
                page: defining.into(),
                namespace: namespace.map(str::to_string),
                types: vec![TypeFacts {
                    name: defining.into(),
                    defining: true,
                    properties: vec![property],
                    ..TypeFacts::default()
                }],
                ..PageFacts::default()
            },
        }
    }

    #[test]
    fn namespace_pages_are_qualified_and_references_take_the_defined_spelling() {
        let mut pages = vec![
            page(Some("callRecords"), "endpoint", "userAgent"),
            page(Some("callrecords"), "userAgent", "String"),
            page(None, "identitySet", "String"),
            page(None, "driveItem", "IdentitySet"),
            page(None, "call", "callrecords.endpoint"),
        ];
        qualify_and_resolve(&mut pages);
        let names: Vec<(&str, &str)> = pages
            .iter()
            .map(|p| {
                (
                    p.facts.types[0].name.as_str(),
                    p.facts.types[0].properties[0].ty.as_str(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("callRecords.endpoint", "callRecords.userAgent"),
                ("callRecords.userAgent", "String"),
                ("identitySet", "String"),
                ("driveItem", "identitySet"),
                ("call", "callRecords.endpoint"),
            ]
        );
    }
}
