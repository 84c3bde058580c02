//! Merge: every page's facts into one [`Schema`].
//!
//! Types are created by the pages that define them (resource and enum pages); create and
//! update pages add their request-body properties to those types, and "Possible values"
//! lists add members to enums. Pages are visited in page-id order and every collection is
//! keyed by name, so the result never depends on the order pages were read in. A property
//! documented with two different types is a diagnostic naming both places; the defining
//! page wins.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, DiagnosticCode};
use crate::facts::{NamedBy, PageFacts, PropertyFacts, TypeFacts};
use crate::naming::{humps, lower_camel};
use crate::schema::{Member, Property, Schema, Type, TypeKind, canonical_type, is_primitive};

mod names;
mod operations;

pub(crate) use operations::path_shape;

/// A page's facts and the file they came from, for diagnostics.
#[derive(Clone, Debug)]
pub struct SourcedFacts {
    /// The file as the user named it.
    pub file: String,
    /// What the page says.
    pub facts: PageFacts,
}

/// Merges the facts of every page into one schema.
pub fn merge(mut pages: Vec<SourcedFacts>) -> (Schema, Vec<Diagnostic>) {
    pages.sort_by(|a, b| a.facts.page.cmp(&b.facts.page).then(a.file.cmp(&b.file)));
    resolve_file_names(&mut pages);
    names::qualify_and_resolve(&mut pages);
    let mut diagnostics = Vec::new();
    let types = merge_types(&pages, &mut diagnostics);
    let operations = operations::merge_operations(&pages, &types, &mut diagnostics);
    undefined_types(&pages, &types, &mut diagnostics);
    diagnostics.sort();
    (Schema { types, operations }, diagnostics)
}

/// Gives types named only by their (lower-case) file name the spelling other pages use,
/// or, for a type no other page names, a lowerCamel spelling rebuilt from the words of
/// every identifier the pages use (`androidenterprisealwaysonvpnpackagetype` →
/// `androidEnterpriseAlwaysOnVpnPackageType`).
pub fn resolve_file_names(pages: &mut [SourcedFacts]) {
    if !pages.iter().any(|p| {
        p.facts
            .types
            .iter()
            .any(|t| t.named_by == NamedBy::FileName)
    }) {
        return;
    }
    // Lower case → spelling → how many mentions spell it so.
    let mut spellings: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut words = Vocabulary::default();
    let mut note = |name: &str| {
        *spellings
            .entry(name.to_ascii_lowercase())
            .or_default()
            .entry(name.to_string())
            .or_default() += 1;
        words.learn(name);
    };
    for page in pages.iter() {
        for ty in &page.facts.types {
            if ty.named_by == NamedBy::Page {
                note(&ty.name);
            }

            ty.base.iter().for_each(|b| note(b));
            for property in &ty.properties {
                note(&property.ty);
                note(&property.name);
            }
            ty.members.iter().for_each(|m| note(&m.name));
        }
        for op in &page.facts.operations {
            op.ty.iter().for_each(|t| note(t));
            op.parameters.iter().for_each(|p| note(&p.ty));
        }
    }
    // Lower case → whole-word spelling → how many pages write it so.
    let mut written: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for page in pages.iter() {
        page.facts.words.iter().for_each(|w| words.learn_prose(w));
        for word in &page.facts.words {
            *written
                .entry(word.to_ascii_lowercase())
                .or_default()
                .entry(word.clone())
                .or_default() += 1;
        }
    }
    for page in pages.iter_mut() {
        let own_words = &page.facts.words;
        for ty in &mut page.facts.types {
            if ty.named_by != NamedBy::FileName {
                continue;
            }
            let lower = file_stem_type(&page.facts.page, &ty.name, &spellings);
            // A capital first letter in a type cell is the cell's, not the type's
            // (`OnlineMeetingInfo`): a lowerCamel spelling written elsewhere wins.
            let known = match spellings.get(&lower).and_then(likeliest_spelling) {
                Some(fact) if fact.starts_with(char::is_uppercase) => {
                    written_spelling(&written, &lower).or(Some(fact))
                }
                Some(fact) => Some(fact),
                None => {
                    own_spelling(own_words, &lower).or_else(|| written_spelling(&written, &lower))
                }
            };
            // A page named by its file has no title to capitalise its name: it takes
            // Graph's lowerCamel, whichever spelling is found.
            if let Some(name) = known.or_else(|| words.camel_case(&lower)) {
                ty.name = lower_camel(&name);
            }
        }
    }
}

/// The type a page's file names, lower case: the stem's last word as the extractor
/// found it (`callrecords-endpoint` → `endpoint`, the words before being the namespace
/// or workload), unless other pages name a type by the whole stem
/// (`synchronization-quarantine` → `synchronizationQuarantine`). Either may end in the
/// words an enum page's title closes with (`filehashtypeenumtype` for "fileHashType enum
/// type"), which the type's name does not have when the pages name it without them.
fn file_stem_type(
    page: &str,
    last_word: &str,
    spellings: &BTreeMap<String, BTreeMap<String, usize>>,
) -> String {
    let stem = page.rsplit('/').next().unwrap_or(page);
    let joined = stem.replace('-', "").to_ascii_lowercase();
    let last_word = last_word.to_ascii_lowercase();
    let candidates = [joined.as_str(), last_word.as_str()];
    let known = candidates
        .iter()
        .flat_map(|c| {
            [
                c.strip_suffix("enumtype").filter(|s| !s.is_empty()),
                Some(*c),
            ]
        })
        .flatten()
        .find(|c| spellings.contains_key(*c));
    known.unwrap_or(&last_word).to_string()
}

/// The type's name as its own page's prose spells it (`plannerAssignment` in "The
/// plannerAssignment resource …"), when no other page names the type.
fn own_spelling(words: &BTreeSet<String>, lower: &str) -> Option<String> {
    let spellings: BTreeMap<String, usize> = words
        .iter()
        .filter(|w| w.eq_ignore_ascii_case(lower) && w.as_str() != lower)
        .map(|w| (w.clone(), 1))
        .collect();
    likeliest_spelling(&spellings).map(|name| lower_camel(&name))
}

/// The type's name as some page writes it whole, in prose or code (an example's
/// `"@odata.type": "#microsoft.graph.oneDriveUsageFileCounts"`), when neither its
/// own page nor any fact spells it; a spelling other than all lower case.
fn written_spelling(
    written: &BTreeMap<String, BTreeMap<String, usize>>,
    lower: &str,
) -> Option<String> {
    let spellings: BTreeMap<String, usize> = written
        .get(lower)?
        .iter()
        .filter(|(w, _)| w.as_str() != lower)
        .map(|(w, n)| (w.clone(), *n))
        .collect();
    likeliest_spelling(&spellings).map(|name| lower_camel(&name))
}

/// The spelling a type most likely has: Graph's type names are lowerCamel, so a
/// lower-case first letter wins over a capital (`attachment` over the `Attachment` of a
/// sentence's start), then the spelling most mentions use, then the first in order.
fn likeliest_spelling(spellings: &BTreeMap<String, usize>) -> Option<String> {
    let lower_first = |s: &str| s.starts_with(|c: char| c.is_lowercase());
    spellings
        .iter()
        .rev()
        .max_by_key(|(spelling, count)| (lower_first(spelling), **count))
        .map(|(spelling, _)| spelling.clone())
}

/// The words (camel-case humps) of identifiers, with how often each spelling is seen,
/// and the words of descriptions as a weaker second source.
#[derive(Default)]
struct Vocabulary {
    /// Lower-case word → spelling as a capitalised hump → count.
    words: BTreeMap<String, BTreeMap<String, usize>>,
    /// Lower-case word → spelling in prose, capitalised → count.
    prose: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Vocabulary {
    fn learn_prose(&mut self, text: &str) {
        let words = text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .flat_map(humps);
        for word in words {
            if word.len() < 2 {
                continue;
            }
            let capitalised = word[..1].to_ascii_uppercase() + &word[1..];
            *self
                .prose
                .entry(word.to_ascii_lowercase())
                .or_default()
                .entry(capitalised)
                .or_default() += 1;
        }
    }

    /// The best spelling of a word and how common it is: from identifiers where any use
    /// it, else from prose; a plural `s` may follow a known word.
    fn spelling(&self, word: &str) -> Option<(String, usize)> {
        let best = |spellings: &BTreeMap<String, usize>| {
            spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(s, _)| (s.clone(), spellings.values().sum()))
        };
        if let Some(found) = self.words.get(word).or_else(|| self.prose.get(word)) {
            return best(found);
        }
        let singular = word.strip_suffix('s').filter(|s| s.len() >= 2)?;
        let (spelling, count) = self.spelling(singular)?;
        Some((spelling + "s", count))
    }

    fn learn(&mut self, identifier: &str) {
        for hump in humps(identifier).into_iter().filter(|h| h.len() >= 2) {
            let mut capitalised = hump.to_string();
            if let Some(first) = capitalised.get(..1) {
                capitalised = first.to_ascii_uppercase() + &capitalised[1..];
            }
            *self
                .words
                .entry(hump.to_ascii_lowercase())
                .or_default()
                .entry(capitalised)
                .or_default() += 1;
        }
    }

    /// Splits a lower-case name into the fewest known words (ties: the more common
    /// words) and joins them in lowerCamel case.
    fn camel_case(&self, lower: &str) -> Option<String> {
        if !lower.is_ascii() {
            return None;
        }
        let n = lower.len();
        // best[i]: (words, -frequency, start of the last word) for lower[..i].
        let mut best: Vec<Option<(usize, i64, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0, 0));
        for end in 1..=n {
            for start in 0..end {
                let (Some((count, score, _)), Some((_, frequency))) =
                    (best[start], self.spelling(&lower[start..end]))
                else {
                    continue;
                };
                let candidate = (count + 1, score - frequency as i64, start);
                if best[end]
                    .is_none_or(|current| (candidate.0, candidate.1) < (current.0, current.1))
                {
                    best[end] = Some(candidate);
                }
            }
        }
        let mut cuts = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, _, start) = best[end]?;
            cuts.push((start, end));
            end = start;
        }
        cuts.reverse();
        let mut out = String::new();
        for (i, (start, end)) in cuts.into_iter().enumerate() {
            let word = &lower[start..end];
            if i == 0 {
                out.push_str(word);
            } else {
                out.push_str(&self.spelling(word)?.0);
            }
        }
        Some(out)
    }
}

/// A type being merged, with where each property came from.
struct TypeAcc {
    ty: Type,
    defined_at: Option<(String, u32)>,
    /// Property name → (property, file, line, from a defining page).
    properties: BTreeMap<String, (Property, String, u32, bool)>,
}

fn merge_types(pages: &[SourcedFacts], diagnostics: &mut Vec<Diagnostic>) -> Vec<Type> {
    let mut types: BTreeMap<String, TypeAcc> = BTreeMap::new();
    // Pass 1: the pages that define types; then types only mentioned (a create page's
    // body, a "Possible values" list) where no page defines them, so that a folder of
    // method pages alone still yields its types.
    for defining in [true, false] {
        for page in pages {
            for facts in page.facts.types.iter().filter(|t| t.defining == defining) {
                if defining || !types.contains_key(&facts.name) {
                    define_type(&mut types, page, facts, diagnostics);
                }
            }
        }
    }
    // Pass 2: defining pages' properties and members, then every other page's.
    for defining in [true, false] {
        for page in pages {
            for facts in page.facts.types.iter().filter(|t| t.defining == defining) {
                let Some(acc) = types.get_mut(&facts.name) else {
                    continue;
                };
                if facts.kind == Some(TypeKind::Enum) && acc.ty.kind != TypeKind::Enum {
                    continue;
                }
                add_source(&mut acc.ty.sources, &page.facts.page);
                for property in &facts.properties {
                    add_property(acc, property, page, defining, diagnostics);
                }
                add_members(&mut acc.ty, facts);
            }
        }
    }
    types
        .into_values()
        .map(|mut acc| {
            acc.ty.properties = acc.properties.into_values().map(|(p, ..)| p).collect();
            acc.ty
        })
        .collect()
}

fn define_type(
    types: &mut BTreeMap<String, TypeAcc>,
    page: &SourcedFacts,
    facts: &TypeFacts,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let kind = facts.kind.unwrap_or(TypeKind::Complex);
    if let Some(acc) = types.get(&facts.name) {
        if let (Some((file, line)), true) = (&acc.defined_at, facts.defining)
            && acc.ty.kind != kind
        {
            diagnostics.push(
                Diagnostic::error(
                    &page.file,
                    facts.line,
                    DiagnosticCode::KindConflict,
                    format!(
                        "`{}` is documented as {} here and as {} on another page",
                        facts.name,
                        kind.title(),
                        acc.ty.kind.title()
                    ),
                )
                .with_related(file, *line),
            );
        }
        return;
    }
    types.insert(
        facts.name.clone(),
        TypeAcc {
            ty: Type {
                name: facts.name.clone(),
                kind,
                base: facts.base.clone(),
                properties: Vec::new(),
                members: Vec::new(),
                description: facts.description.clone(),
                member_details: Vec::new(),
                sources: Vec::new(),
            },
            defined_at: facts.defining.then(|| (page.file.clone(), facts.line)),
            properties: BTreeMap::new(),
        },
    );
}

pub(crate) fn add_source(sources: &mut Vec<String>, page: &str) {
    if let Err(at) = sources.binary_search_by(|s| s.as_str().cmp(page)) {
        sources.insert(at, page.to_string());
    }
}

fn add_property(
    acc: &mut TypeAcc,
    property: &PropertyFacts,
    page: &SourcedFacts,
    defining: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let new = Property {
        name: property.name.clone(),
        ty: property.ty.clone(),
        collection: property.collection,
        relationship: property.relationship,
        description: property.description.clone(),
    };
    match acc.properties.get(&property.name) {
        None => {
            acc.properties.insert(
                property.name.clone(),
                (new, page.file.clone(), property.line, defining),
            );
        }
        Some((old, file, line, old_defining)) => {
            let same_type = canonical_type(&old.ty) == canonical_type(&new.ty);
            if !same_type || old.collection != new.collection {
                let shape = |p: &Property| {
                    format!("{}{}", p.ty, if p.collection { " collection" } else { "" })
                };
                let same_page = *file == page.file;
                // Where the resource page documents the property, it decides: the other
                // page's disagreement is the docs' to fix and fails nothing (a warning);
                // two pages of equal standing, or one page twice, leave it undecided.
                let settled = *old_defining && !same_page;
                let diagnostic = if settled {
                    Diagnostic::warning
                } else {
                    Diagnostic::error
                };
                diagnostics.push(
                    diagnostic(
                        &page.file,
                        property.line,
                        if same_page {
                            DiagnosticCode::DuplicateProperty
                        } else {
                            DiagnosticCode::TypeConflict
                        },
                        format!(
                            "property `{}.{}` has type `{}` here but `{}` at {file}:{line}{}",
                            acc.ty.name,
                            property.name,
                            shape(&new),
                            shape(old),
                            if *old_defining {
                                " (the resource page wins)"
                            } else {
                                ""
                            }
                        ),
                    )
                    .with_related(file, *line),
                );
            }
        }
    }
}

/// Adds the members a page lists that the type lacks. A member another page already
/// spells in another case is that member (`Standard` in an update page's "Possible
/// values", `standard` in the room page's), spelled lowerCamel as Graph spells its
/// members where one page does, else as the page read first.
fn add_members(ty: &mut Type, facts: &TypeFacts) {
    let lower_first = |name: &str| name.starts_with(|c: char| c.is_lowercase());
    for member in &facts.members {
        if let Some(at) = ty
            .members
            .iter()
            .position(|m| m.eq_ignore_ascii_case(&member.name))
        {
            if !lower_first(&ty.members[at]) && lower_first(&member.name) {
                ty.members[at].clone_from(&member.name);
                if let Some(detail) = ty.member_details.get_mut(at) {
                    detail.name.clone_from(&member.name);
                }
            }
            continue;
        }
        ty.members.push(member.name.clone());
        ty.member_details.push(Member {
            name: member.name.clone(),
            value: member.value,
            description: member.description.clone(),
        });
    }
}

/// A property, base or parameter typed by a name no page defines becomes untyped JSON in
/// the generated code: a warning at each place that names it.
fn undefined_types(pages: &[SourcedFacts], types: &[Type], diagnostics: &mut Vec<Diagnostic>) {
    let known: BTreeSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let undefined = |name: &str| !is_primitive(name) && !known.contains(name);
    for page in pages {
        let properties = page
            .facts
            .types
            .iter()
            .flat_map(|t| t.properties.iter().map(move |p| (Some(t), p)))
            .chain(
                page.facts
                    .operations
                    .iter()
                    .flat_map(|o| o.parameters.iter().map(|p| (None, p))),
            );
        for (owner, property) in properties {
            if undefined(&property.ty) {
                let owner = owner.map_or(String::new(), |t| format!("{}.", t.name));
                diagnostics.push(Diagnostic::warning(
                    &page.file,
                    property.line,
                    DiagnosticCode::UndefinedType,
                    format!(
                        "`{owner}{}` has type `{}`, which no page defines; it is kept as untyped JSON",
                        property.name, property.ty
                    ),
                ));
            }
        }
        for ty in &page.facts.types {
            if let Some(base) = ty.base.as_deref().filter(|b| undefined(b)) {
                diagnostics.push(Diagnostic::warning(
                    &page.file,
                    ty.line,
                    DiagnosticCode::UndefinedType,
                    format!(
                        "`{}` inherits from `{base}`, which no page defines",
                        ty.name
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humps_split_camel_case() {
        assert_eq!(
            humps("androidVPNPackage2Type"),
            ["android", "VPN", "Package2", "Type"]
        );
        assert_eq!(humps("@odata.type"), ["odata", "type"]);
    }

    #[test]
    fn lower_case_names_get_their_camel_case_back() {
        let mut words = Vocabulary::default();
        for name in [
            "androidWorkProfile",
            "enterpriseApp",
            "alwaysOnVpnPackage",
            "vpnType",
            "VPN",
        ] {
            words.learn(name);
        }
        assert_eq!(
            words
                .camel_case("androidenterprisealwaysonvpnpackagetype")
                .as_deref(),
            Some("androidEnterpriseAlwaysOnVpnPackageType")
        );
        assert_eq!(words.camel_case("unknownword"), None);
    }
}
