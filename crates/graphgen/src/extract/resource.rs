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
    /// alone or with `resource` (the OneDrive pages' "ListItem resource"); else
    /// `@odata.type` in the JSON representation; else the file name (the newer copied
    /// style has no title). A title's name takes the JSON's spelling where the two differ
    /// only in case ("accessreviewnotificationrecipientscope resource type" over
    /// `microsoft.graph.accessReviewNotificationRecipientScope`): the JSON is Graph's
    /// own, and the only spelling a page without a title has.
    fn resource_name(&self) -> Option<(String, NamedBy)> {
        let titled = title_name(self.page, TitleKind::Resource)
            .map(type_name)
            .or_else(|| self.title_identifier());
        let json = self.json_type();
        if let Some(name) = titled {
            let respelled = json.filter(|j| j.eq_ignore_ascii_case(&name));
            return Some((respelled.unwrap_or(name), NamedBy::Page));
        }
        if let Some(name) = json {
            return Some((name, NamedBy::Page));
        }
        self.intro_or_file_name_type()
    }

    /// "ListItem resource", "insightIdentity": the name as spelled.
    fn title_identifier(&self) -> Option<String> {
        let title = without_remark(&self.page.title.as_ref()?.text);
        // "Deleted facet" titles name the facet, not the type (`deleted`): the file name
        // and the type cells that mention it spell that.
        let name = title.strip_suffix(" resource").unwrap_or(title);
        (is_type_name(name) && !name.contains('.')).then(|| name.to_string())
    }

    /// `@odata.type` of the JSON representation's outermost object; a nested object's
    /// annotation names the type of a property, not the resource.
    /// Only a type of Graph's namespace, spelled as Graph spells it, names the resource: an
    /// example's `#Microsoft.Graph.ChatMessage` or another namespace's type is what the
    /// JSON shows, not the page's type.
    fn json_type(&self) -> Option<String> {
        let json = section(self.page, &[SectionKind::JsonRepresentation])?;
        let code = codes(json).next()?;
        let value = top_level_odata_type(&code.text)?;
        value
            .trim_start_matches('#')
            .starts_with("microsoft.graph.")
            .then(|| type_name(value))
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

/// The value of `"@odata.type"` where it is a key of the outermost object. JSON
/// representations are often not valid JSON (comments, placeholders, `...`), so the text
/// is scanned, counting brackets outside strings, instead of parsed.
fn top_level_odata_type(text: &str) -> Option<&str> {
    const KEY: &str = "\"@odata.type\"";
    let mut depth = 0u32;
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if depth == 1 && text[at..].starts_with(KEY) => {
                let rest = text[at + KEY.len()..].trim_start();
                let value = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
                return Some(&value[..value.find('"')?]);
            }
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            '\n' => in_string = false,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::top_level_odata_type;

    #[test]
    fn only_the_outermost_annotation_names_the_resource() {
        let nested = r#"{ "userAgent": {"@odata.type": "microsoft.graph.userAgent"} }"#;
        assert_eq!(top_level_odata_type(nested), None);
        let outer = r##"{ "a": [{"@odata.type": "x"}], "@odata.type": "#microsoft.graph.y" }"##;
        assert_eq!(top_level_odata_type(outer), Some("#microsoft.graph.y"));
    }
}
