//! Extract: one [`Page`] into one page's [`PageFacts`].
//!
//! Works only on the format-neutral page model, so every format yields the same facts.
//! What a page is comes from its title where it has one ("Create x", "x resource type",
//! "x enum type", "x action"), otherwise from its sections and intro sentence, because
//! the newer copied-text style drops the title.
//!
//! One submodule per page kind (`method`, `resource`, `enum_page`) and one for the
//! tables they share (`table`); this module classifies the page and holds the helpers
//! every kind uses.

mod enum_page;
mod method;
mod resource;
mod table;

use crate::diag::{Diagnostic, DiagnosticCode};
use crate::facts::{NamedBy, PageFacts, PageKind, TypeFacts};
use crate::page::{Block, Code, Page, Section, SectionKind, Table, TitleKind};
use crate::schema::TypeKind;

pub use table::{parse_type_cell, possible_values};

/// Names a page for facts and diagnostics.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// The page id: relative path without extension, e.g. `api/intune-x-create`.
    pub page: &'a str,
    /// The file as the user named it, for diagnostics.
    pub file: &'a str,
}

/// Extracts the facts of one page, with diagnostics for what it could not understand.
pub fn extract(source: Source<'_>, page: &Page) -> (PageFacts, Vec<Diagnostic>) {
    let mut cx = Extractor {
        source,
        page,
        diagnostics: Vec::new(),
    };
    let kind = classify(page);
    let mut facts = PageFacts {
        page: source.page.to_string(),
        kind,
        ..PageFacts::default()
    };
    match kind {
        PageKind::Method => cx.method_page(&mut facts),
        PageKind::Resource => cx.resource_page(&mut facts),
        PageKind::Enum => cx.enum_page(&mut facts),
        PageKind::Other => cx.other_page(),
    }
    facts.namespace = page_namespace(page);
    facts.words = prose_words(page);
    (facts, cx.diagnostics)
}

/// The sub-namespace a "Namespace: microsoft.graph.x" line names; None for the root
/// namespace or a page without the line.
fn page_namespace(page: &Page) -> Option<String> {
    let (line, _) = paragraphs(&page.intro).find(|(text, _)| text.starts_with("Namespace:"))?;
    let value = line["Namespace:".len()..].split_whitespace().next()?;
    let value = value.trim_end_matches(['.', ',']);
    let rest = value.strip_prefix("microsoft.graph.")?;
    is_type_name(rest).then(|| rest.to_string())
}

/// The distinct words of a page's title, paragraphs, table cells and code.
fn prose_words(page: &Page) -> std::collections::BTreeSet<String> {
    // Gathered as borrowed slices in a hash set first: a page repeats its words many
    // times, and ordered string comparisons for each were a quarter of extraction.
    let mut words = std::collections::HashSet::new();
    fn add<'p>(words: &mut std::collections::HashSet<&'p [u8]>, text: &'p str) {
        let separator = |b: &u8| !b.is_ascii_alphanumeric();
        words.extend(text.as_bytes().split(separator).filter(|w| w.len() >= 2));
    }
    if let Some(title) = &page.title {
        add(&mut words, &title.text);
    }
    for (_, block) in page.blocks() {
        match block {
            Block::Paragraph(p) => add(&mut words, &p.text),
            Block::Table(t) => t
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .for_each(|c| add(&mut words, c)),
            // JSON keys and `@odata.type` values spell identifiers exactly.
            Block::Code(code) => add(&mut words, &code.text),
        }
    }
    // ASCII-only words split at ASCII bytes: every slice is whole UTF-8.
    words
        .into_iter()
        .filter_map(|word| std::str::from_utf8(word).ok().map(str::to_string))
        .collect()
}

/// Tells method, resource and enum pages apart by title, then by sections.
pub fn classify(page: &Page) -> PageKind {
    let titled = page.title.as_ref().and_then(|t| TitleKind::split(&t.text));
    match titled {
        Some((TitleKind::Enum, _)) => return PageKind::Enum,
        Some((TitleKind::Resource, _)) => return PageKind::Resource,
        _ => {}
    }
    if section(page, &[SectionKind::HttpRequest]).is_some() {
        PageKind::Method
    } else if section(page, &[SectionKind::Members]).is_some() {
        PageKind::Enum
    } else if section(
        page,
        &[
            SectionKind::Properties,
            SectionKind::JsonRepresentation,
            // A resource with navigation properties alone (the OneNote root).
            SectionKind::Relationships,
        ],
    )
    .is_some()
    {
        PageKind::Resource
    } else {
        PageKind::Other
    }
}

/// The name before the title's closing words, when they say the page is of `kind`.
fn title_name(page: &Page, kind: TitleKind) -> Option<&str> {
    let (found, name) = TitleKind::split(&page.title.as_ref()?.text)?;
    (found == kind).then_some(name)
}

/// The first section whose heading names one of `kinds` exactly (ignoring case).
fn section<'p>(page: &'p Page, kinds: &[SectionKind]) -> Option<&'p Section> {
    page.sections
        .iter()
        .find(|s| kinds.iter().any(|kind| kind.is_named_by(&s.heading.text)))
}

/// The text of a resource page's JSON representation (its first code block), as written.
pub fn json_representation(page: &Page) -> Option<&str> {
    let section = section(page, &[SectionKind::JsonRepresentation])?;
    codes(section).next().map(|code| code.text.as_str())
}

fn tables(section: &Section) -> impl Iterator<Item = &Table> {
    section.blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
}

/// The tables of the first section named `kind`, none when the page has no such section.
fn section_tables(page: &Page, kind: SectionKind) -> impl Iterator<Item = &Table> {
    section(page, &[kind]).into_iter().flat_map(tables)
}

fn paragraphs(blocks: &[Block]) -> impl Iterator<Item = (&str, u32)> {
    blocks.iter().filter_map(|b| match b {
        Block::Paragraph(p) => Some((p.text.as_str(), p.line)),
        _ => None,
    })
}

fn codes(section: &Section) -> impl Iterator<Item = &Code> {
    section.blocks.iter().filter_map(|b| match b {
        Block::Code(c) => Some(c),
        _ => None,
    })
}

/// A type a page names, with nothing known of it yet but its kind and where it is
/// named; each page kind fills in what it documents.
fn named_type(name: String, kind: Option<TypeKind>, line: u32) -> TypeFacts {
    TypeFacts {
        name,
        named_by: NamedBy::Page,
        kind,
        base: None,
        description: String::new(),
        properties: Vec::new(),
        members: Vec::new(),
        defining: false,
        line,
    }
}

/// The state of one page's extraction: the page and the diagnostics found so far.
struct Extractor<'a> {
    source: Source<'a>,
    page: &'a Page,
    diagnostics: Vec<Diagnostic>,
}

impl Extractor<'_> {
    fn warn(&mut self, line: u32, code: DiagnosticCode, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(self.source.file, line, code, message));
    }

    fn error(&mut self, line: u32, code: DiagnosticCode, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(self.source.file, line, code, message));
    }

    fn title_line(&self) -> u32 {
        self.page.title.as_ref().map_or(1, |t| t.line)
    }

    /// The type a page's file name gives, lower case, for pages without a title: the
    /// last word of the stem (`callrecords-endpoint` → `endpoint`: the words before it
    /// are the namespace or the workload).
    fn file_name_type(&self) -> Option<(String, NamedBy)> {
        let page = self.source.page;
        let stem = page.rsplit('/').next().unwrap_or(page);
        let name = stem.rsplit('-').next().unwrap_or(stem);
        is_identifier(name).then(|| (name.to_string(), NamedBy::FileName))
    }

    /// The type a title-less page names: its file name's type as the intro spells it
    /// ("The DriveItemVersion resource represents …" in `driveitemversion.txt`), else
    /// the file name. Only a word after an article and before a kind word counts: one
    /// at a sentence's start may be capitalised for the sentence, not for the type.
    fn intro_or_file_name_type(&self) -> Option<(String, NamedBy)> {
        let (lower, named_by) = self.file_name_type()?;
        if self.page.title.is_some() {
            // A title that names no type ("Deleted facet") leaves the file name.
            return Some((lower, named_by));
        }
        let spelled = paragraphs(&self.page.intro)
            .filter(|(text, _)| !is_boilerplate(text))
            .find_map(|(text, _)| intro_spelling(text, &lower));
        Some(spelled.map_or((lower, named_by), |name| (name, NamedBy::Page)))
    }

    /// The first intro paragraph that is the page's own prose, not boilerplate.
    fn description(&self) -> String {
        paragraphs(&self.page.intro)
            .map(|(text, _)| text)
            .find(|text| !is_boilerplate(text))
            .unwrap_or_default()
            .to_string()
    }

    /// A page that is neither a method, resource nor enum page: an error when its title
    /// says it documents an operation, a warning when nothing about it is recognisable.
    fn other_page(&mut self) {
        match &self.page.title {
            Some(title) => {
                let first = title.text.split_whitespace().next().unwrap_or("");
                let verb = matches!(first, "Create" | "Get" | "List" | "Update" | "Delete");
                let named = matches!(
                    TitleKind::spelled(&title.text),
                    Some(TitleKind::Action | TitleKind::Function)
                );
                if verb || named {
                    self.error(
                        title.line,
                        DiagnosticCode::NoHttpRequest,
                        format!(
                            "`{}` reads as a method page but has no HTTP request section: expected a heading `HTTP request` followed by `METHOD /path` lines",
                            title.text
                        ),
                    );
                }
            }
            None if self.page.sections.is_empty() => self.warn(
                1,
                DiagnosticCode::NotAReferencePage,
                "no title and no known section (Properties, Members, HTTP request …): expected a Microsoft Graph reference page",
            ),
            None => {}
        }
    }
}

/// `name` as `text` spells it in "the X resource" (or facet, entity, type, object,
/// complex type), when it is spelled so ignoring case.
fn intro_spelling(text: &str, name: &str) -> Option<String> {
    const ARTICLES: [&str; 3] = ["the", "a", "an"];
    const KINDS: [&str; 6] = ["resource", "facet", "entity", "type", "object", "complex"];
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(3).find_map(|w| {
        let fits = ARTICLES.iter().any(|a| w[0].eq_ignore_ascii_case(a))
            && w[1].eq_ignore_ascii_case(name)
            && KINDS.contains(&w[2].trim_end_matches(['.', ',', ';', ':']));
        fits.then(|| w[1].to_string())
    })
}

/// A type name without `#`, `microsoft.graph.` or `Edm.` prefixes.
pub fn type_name(raw: &str) -> String {
    let raw = raw.trim().trim_start_matches('#');
    let raw = raw.strip_prefix("microsoft.graph.").unwrap_or(raw);
    // A primitive keeps the docs' spelling (`string`, `GUID`): the schema records what
    // the page says, and every reader of a type name parses primitives in any case.
    // `edm.DateTime` on some pages: the prefix in any case.
    let raw = match raw.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("Edm.") => &raw[4..],
        _ => raw,
    };
    let raw = raw.trim_matches('*');
    raw.to_string()
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c.is_ascii_digit())
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

fn is_type_name(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_identifier)
}

/// Notices every page carries, which are no description of the page's subject.
fn is_boilerplate(text: &str) -> bool {
    const PREFIXES: [&str; 11] = [
        // `[!INCLUDE [beta-disclaimer](…)]`: the markdown of a notice the rendered page
        // shows in full (and so "Important:").
        "[!INCLUDE",
        "Namespace:",
        "Important:",
        "Note:",
        "Caution:",
        "Warning:",
        "Tip:",
        "Inherits from",
        "This API is available in",
        "Access to this page requires",
        "Note",
    ];
    PREFIXES.iter().any(|p| text.starts_with(p))
        || crate::page::leaked_front_matter_title(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined(page: &Page, id: &str) -> String {
        let source = Source { page: id, file: id };
        let (facts, _) = extract(source, page);
        facts
            .types
            .first()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    #[test]
    fn an_edm_prefix_in_any_case_is_no_part_of_the_type() {
        assert_eq!(type_name("edm.DateTime"), "DateTime");
        assert_eq!(type_name("Edm.Int32"), "Int32");
        assert_eq!(type_name("microsoft.graph.editor"), "editor");
    }

    /// A titled page names its type as the title spells it, capitals and all ("BaseItem
    /// resource type", as the reference reads it); the wire name written in `@odata.type`
    /// is lowerCamel whatever the schema's spelling (`naming::wire_type_name`). The learn
    /// style has no title: its pages are named by their file and body at merge.
    #[test]
    fn a_titled_page_names_its_type_as_the_title_spells_it() {
        let markdown = "# BaseItem resource type\n\nThe **baseItem** resource is abstract.\n\n\
            ## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | The id. |\n";
        let page = crate::read::read_bytes("md", markdown.as_bytes())
            .expect("reads")
            .1;
        assert_eq!(defined(&page, "resources/baseitem"), "BaseItem");
        let enum_page =
            "# RunState enum type\n\n## Members\n\n| Member | Value |\n|:--|:--|\n| done | 0 |\n";
        let page = crate::read::read_bytes("md", enum_page.as_bytes())
            .expect("reads")
            .1;
        assert_eq!(defined(&page, "resources/runstate"), "RunState");
        let acronym = "# IPv6Range resource type\n\n## Properties\n\n| Property | Type |\n|:--|:--|\n| lowerAddress | String |\n";
        let page = crate::read::read_bytes("md", acronym.as_bytes())
            .expect("reads")
            .1;
        assert_eq!(defined(&page, "resources/ipv6range"), "IPv6Range");
    }
}
