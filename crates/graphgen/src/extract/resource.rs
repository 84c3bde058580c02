//! Resource pages: the type's name, base type, properties and relationships.

use super::{
    Extractor, codes, is_type_name, named_type, paragraphs, section, section_tables, title_name,
    type_name,
};
use crate::diag::DiagnosticCode;
use crate::facts::{NamedBy, PageFacts, TypeFacts};
use crate::page::{SectionKind, TitleKind, without_remark};
use crate::schema::TypeKind;

impl Extractor<'_> {
    pub(super) fn resource_page(&mut self, facts: &mut PageFacts) {
        let Some((name, named_by)) = self.resource_name() else {
            self.error(
                self.title_line(),
                DiagnosticCode::NoTypeName,
                "resource page names no type: expected a title `x resource type`, a JSON representation with `@odata.type` or a file named after the type",
            );
            return;
        };
        let mut properties = Vec::new();
        for (kind, relationship) in [
            (SectionKind::Properties, false),
            (SectionKind::Relationships, true),
        ] {
            for table in section_tables(self.page, kind) {
                properties.extend(self.property_table(table, relationship));
            }
        }
        self.possible_values(&properties, facts);
        facts.types.insert(
            0,
            TypeFacts {
                named_by,
                base: self.base_type(),
                description: self.description(),
                properties,
                defining: true,
                ..named_type(name, Some(self.resource_kind()), self.title_line())
            },
        );
    }

    /// Entity types are the ones with methods; the `keyProperty` annotation that says so
    /// directly survives only in markdown and HTML, while the Methods section survives
    /// in every format.
    fn resource_kind(&self) -> TypeKind {
        if section(self.page, &[SectionKind::Methods]).is_some() {
            TypeKind::Entity
        } else {
            TypeKind::Complex
        }
    }

    /// The type's name: `x resource type` in the title; else a title that is the name
    /// alone or with `resource` or `facet` (the OneDrive pages' "ListItem resource",
    /// their capital undone: Graph's names are lowerCamel); else `@odata.type` in the
    /// JSON representation; else the file name (the newer copied style has no title).
    fn resource_name(&self) -> Option<(String, NamedBy)> {
        if let Some(name) = title_name(self.page, TitleKind::Resource) {
            return Some((type_name(name), NamedBy::Page));
        }
        if let Some(name) = self.title_identifier() {
            return Some((name, NamedBy::Page));
        }
        if let Some(name) = self.json_type() {
            return Some((name, NamedBy::Page));
        }
        self.file_name_type()
    }

    /// "ListItem resource", "Deleted facet", "insightIdentity": the name, lowerCamel.
    fn title_identifier(&self) -> Option<String> {
        let title = without_remark(&self.page.title.as_ref()?.text);
        let name = [" resource", " facet"]
            .iter()
            .find_map(|suffix| title.strip_suffix(suffix))
            .unwrap_or(title);
        if !is_type_name(name) || name.contains('.') {
            return None;
        }
        let mut chars = name.chars();
        let first = chars.next()?;
        let second_is_lower = chars.next().is_some_and(|c| c.is_lowercase());
        Some(if second_is_lower {
            first
                .to_lowercase()
                .chain(name[first.len_utf8()..].chars())
                .collect()
        } else {
            name.to_string()
        })
    }

    /// `@odata.type` in the JSON representation.
    fn json_type(&self) -> Option<String> {
        let json = section(self.page, &[SectionKind::JsonRepresentation])?;
        let code = codes(json).next()?;
        // JSON representations are often not valid JSON (comments, placeholders), so the
        // annotation is found as text.
        let at = code.text.find("\"@odata.type\"")?;
        let rest = code.text[at + "\"@odata.type\"".len()..].trim_start();
        let value = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
        let odata = &value[..value.find('"')?];
        Some(type_name(odata))
    }

    /// "Inherits from x" anywhere before the first section.
    fn base_type(&self) -> Option<String> {
        paragraphs(&self.page.intro).find_map(|(text, _)| {
            let rest = text.strip_prefix("Inherits from")?;
            let name = rest
                .trim()
                .trim_end_matches('.')
                .split_whitespace()
                .next()?;
            Some(type_name(name))
        })
    }
}
