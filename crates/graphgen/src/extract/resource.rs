//! Resource pages: the type's name, base type, properties and relationships.

use super::{
    Extractor, codes, named_type, paragraphs, section, section_tables, title_name, type_name,
};
use crate::diag::DiagnosticCode;
use crate::facts::{NamedBy, PageFacts, TypeFacts};
use crate::page::{SectionKind, TitleKind};
use crate::schema::TypeKind;

impl Extractor<'_> {
    pub(super) fn resource_page(&mut self, facts: &mut PageFacts) {
        let Some((name, named_by)) = self.resource_name() else {
            self.error(
                self.title_line(),
                DiagnosticCode::NoTypeName,
                "resource page names no type: expected a title `x resource type` or a JSON representation with `@odata.type`",
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

    /// `x resource type` in the title, else `@odata.type` in the JSON representation.
    fn resource_name(&self) -> Option<(String, NamedBy)> {
        if let Some(name) = title_name(self.page, TitleKind::Resource) {
            return Some((type_name(name), NamedBy::Page));
        }
        let json = section(self.page, &[SectionKind::JsonRepresentation])?;
        let code = codes(json).next()?;
        // JSON representations are often not valid JSON (comments, placeholders), so the
        // annotation is found as text.
        let at = code.text.find("\"@odata.type\"")?;
        let rest = code.text[at + "\"@odata.type\"".len()..].trim_start();
        let value = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
        let odata = &value[..value.find('"')?];
        Some((type_name(odata), NamedBy::Page))
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
