//! Resource pages: the type's name, base type, properties and relationships.

use super::{
    Extractor, codes, is_type_name, named_type, paragraphs, section, section_tables, title_name,
    type_name,
};
use crate::diag::DiagnosticCode;
use crate::facts::{NamedBy, PageFacts, TypeFacts};
use crate::page::{Block, Section, SectionKind, Table, TitleKind, without_remark};
use crate::schema::{TypeKind, is_primitive};

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
            for table in own_tables(section(self.page, &[kind]), &name) {
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
        let intro = self.intro_or_file_name_type();
        if intro.as_ref().is_some_and(|(_, by)| *by == NamedBy::Page) {
            return intro;
        }
        let file = intro.as_ref().map(|(name, _)| name.as_str()).unwrap_or("");
        let methods = self
            .methods_table_type()
            .filter(|name| !name.eq_ignore_ascii_case(file));
        methods.map(|name| (name, NamedBy::Page)).or(intro)
    }

    /// The type a page's Methods table says its own operations return: the return type
    /// of the rows that read, list, create or update the type (`Get`, `List`, or the
    /// verb and the type's name, `List secureScoreControlProfiles | secureScoreControlProfile
    /// collection`) where it is the type the file is named after, spelled as most of them
    /// spell it. Where the page has no title and its file's last word is not its type's
    /// name, this is the name the page gives its type in every format (`UserFlow` on
    /// `identityuserflow`, `usedInsight` on `insights-used`). An all-lower-case spelling
    /// tells no humps, so it is no evidence.
    fn methods_table_type(&self) -> Option<String> {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for table in section_tables(self.page, SectionKind::Methods) {
            let Some(returns) = table
                .header
                .iter()
                .position(|h| h.eq_ignore_ascii_case("Return type"))
            else {
                continue;
            };
            for row in &table.rows {
                let (Some(label), Some(cell)) = (row.cells.first(), row.cells.get(returns)) else {
                    continue;
                };
                let Some((ty, _)) = super::parse_type_cell(cell) else {
                    continue;
                };
                let humped = ty.chars().any(char::is_uppercase);
                if humped && !is_primitive(&ty) && reads_its_type(label, &ty, self.source.page) {
                    *counts.entry(ty).or_default() += 1;
                }
            }
        }
        let most = counts.values().copied().max()?;
        let mut likeliest = counts.into_iter().filter(|&(_, n)| n == most);
        let (name, _) = likeliest.next()?;
        // Two spellings as often: the table does not say.
        likeliest.next().is_none().then_some(name)
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

/// The tables of a Properties or Relationships section that list the type `name`'s own
/// properties: those before a label saying the tables after it are another object's,
/// "Properties of a claims-mapping policy definition" (the JSON a policy's `definition`
/// holds, with its `Version` and `ClaimsSchema`). A label naming the type itself, or
/// one naming no object ("Authoring metadata"), leaves the tables the type's.
fn own_tables<'p>(section: Option<&'p Section>, name: &str) -> impl Iterator<Item = &'p Table> {
    let blocks = section.map_or(&[][..], |s| s.blocks.as_slice());
    let end = blocks
        .iter()
        .position(
            |block| matches!(block, Block::Paragraph(p) if names_another_object(&p.text, name)),
        )
        .unwrap_or(blocks.len());
    blocks[..end].iter().filter_map(|block| match block {
        Block::Table(table) => Some(table),
        _ => None,
    })
}

/// Whether a line is a label "Properties of a/an/the X" (a heading, short and without a
/// closing period: a sentence such as "Properties of an Open Type can be defined by the
/// client." is prose) whose X is not the type `name`.
fn names_another_object(text: &str, name: &str) -> bool {
    let Some(object) = text.strip_prefix("Properties of ") else {
        return false;
    };
    if text.ends_with('.') || text.split_whitespace().count() > 8 {
        return false;
    }
    let object = ["a ", "an ", "the "]
        .iter()
        .find_map(|article| object.strip_prefix(article))
        .unwrap_or(object);
    let joined: String = object
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let own = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    joined != own
}

/// Whether a Methods row's label names an operation on the page's own type `ty`: the
/// verb alone (`Get`), or followed by that type's name, singular or plural, in any case
/// and spacing (`List secureScoreControlProfiles`, `List used` for `usedInsight`), and
/// the type is the one the `page`'s file is named after (see [`names_the_file`]): "List
/// messages" on a user's page returns messages, and a derived type's page lists its base
/// type's methods ("Update | eventMessage" on `eventmessageresponse`).
fn reads_its_type(label: &str, ty: &str, page: &str) -> bool {
    const VERBS: [&str; 4] = ["Get", "List", "Create", "Update"];
    let mut words = label.split_whitespace();
    let Some(verb) = words.next() else {
        return false;
    };
    if !VERBS.iter().any(|v| v.eq_ignore_ascii_case(verb)) {
        return false;
    }
    let object: String = words.collect::<Vec<_>>().concat().to_ascii_lowercase();
    let ty = ty.to_ascii_lowercase();
    let named = |object: &str| ty == object || ty.starts_with(object);
    let names_it =
        object.is_empty() || named(&object) || object.strip_suffix('s').is_some_and(named);
    names_it && names_the_file(&ty, page)
}

/// Whether a type (lower case) is the one a page's file is named after, other than by
/// the file's last word alone: the file's name in the plural (`securescorecontrolprofiles`),
/// a prefix before the type's name (`identityuserflow` for `userFlow`), or the file's
/// words in another order and number (`insights-used` for `usedInsight`).
fn names_the_file(ty: &str, page: &str) -> bool {
    let stem = page.rsplit('/').next().unwrap_or(page).to_ascii_lowercase();
    let joined = stem.replace('-', "");
    let singular = |w: &str| w.strip_suffix('s').unwrap_or(w).to_string();
    let mut words: Vec<String> = stem.split('-').map(singular).collect();
    let mut used = 0;
    let mut rest = ty;
    // The type's name as the file's words, each used once.
    while !rest.is_empty() {
        let Some(at) = words
            .iter()
            .position(|w| !w.is_empty() && rest.starts_with(w.as_str()))
        else {
            break;
        };
        let word = words.remove(at);
        rest = &rest[word.len()..];
        used += 1;
    }
    let reordered = rest.is_empty() && words.is_empty() && used > 1;
    joined == format!("{ty}s") || (joined.ends_with(ty) && joined.len() > ty.len()) || reordered
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
    use super::{names_another_object, names_the_file, reads_its_type, top_level_odata_type};

    #[test]
    fn a_label_naming_another_object_ends_the_types_tables() {
        let policy = "claimsMappingPolicy";
        assert!(names_another_object(
            "Properties of a claims-mapping policy definition",
            policy
        ));
        assert!(!names_another_object(
            "Properties of a claims-mapping policy",
            policy
        ));
        assert!(!names_another_object("Authoring metadata", policy));
        let sentence = "Properties of an Open Type can be defined by the client.";
        assert!(!names_another_object(sentence, "plannerChecklistItems"));
    }

    #[test]
    fn a_methods_row_names_the_type_its_file_is_named_after() {
        assert!(names_the_file(
            "securescorecontrolprofile",
            "resources/securescorecontrolprofiles"
        ));
        assert!(names_the_file("userflow", "resources/identityuserflow"));
        assert!(names_the_file("usedinsight", "resources/insights-used"));
        // The file's last word is the type (the extractor's own reading), or a base type
        // whose methods a derived type's page lists.
        assert!(!names_the_file(
            "eventmessage",
            "resources/eventmessageresponse"
        ));
        assert!(!names_the_file(
            "conversationthread",
            "resources/conversation"
        ));
        assert!(reads_its_type(
            "Get",
            "UserFlow",
            "resources/identityuserflow"
        ));
        assert!(reads_its_type(
            "List used",
            "usedInsight",
            "resources/insights-used"
        ));
        assert!(!reads_its_type(
            "List members",
            "usedInsight",
            "resources/insights-used"
        ));
        assert!(!reads_its_type(
            "delta",
            "UserFlow",
            "resources/identityuserflow"
        ));
    }

    #[test]
    fn only_the_outermost_annotation_names_the_resource() {
        let nested = r#"{ "userAgent": {"@odata.type": "microsoft.graph.userAgent"} }"#;
        assert_eq!(top_level_odata_type(nested), None);
        let outer = r##"{ "a": [{"@odata.type": "x"}], "@odata.type": "#microsoft.graph.y" }"##;
        assert_eq!(top_level_odata_type(outer), Some("#microsoft.graph.y"));
    }
}
