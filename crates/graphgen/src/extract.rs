//! Extract: one [`Page`] into one page's [`PageFacts`].
//!
//! Works only on the format-neutral page model, so every format yields the same facts.
//! What a page is comes from its title where it has one ("Create x", "x resource type",
//! "x enum type", "x action"), otherwise from its sections and intro sentence, because
//! the newer copied-text style drops the title.

use crate::diag::{Diagnostic, DiagnosticCode};
use crate::facts::{
    Example, MemberFacts, NamedBy, OperationFacts, PageFacts, PageKind, PropertyFacts, TypeFacts,
};
use crate::http::{balanced_braces, normalize_path, operation_request, parse_http};
use crate::page::{Block, Code, Page, Section, SectionKind, Table, TitleKind};
use crate::schema::{OperationKind, Permissions, TypeKind, is_primitive};

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
    facts.words = prose_words(page);
    (facts, cx.diagnostics)
}

/// The distinct words of a page's title, paragraphs and table cells.
fn prose_words(page: &Page) -> std::collections::BTreeSet<String> {
    let mut words = std::collections::BTreeSet::new();
    let mut add = |text: &str| {
        for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if word.len() >= 2 && !words.contains(word) {
                words.insert(word.to_string());
            }
        }
    };
    if let Some(title) = &page.title {
        add(&title.text);
    }
    for (_, block) in page.blocks() {
        match block {
            Block::Paragraph(p) => add(&p.text),
            Block::Table(t) => t.rows.iter().flat_map(|r| &r.cells).for_each(|c| add(c)),
            Block::Code(_) => {}
        }
    }
    words
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
        &[SectionKind::Properties, SectionKind::JsonRepresentation],
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

fn tables(section: &Section) -> impl Iterator<Item = &Table> {
    section.blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
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

    // ----- other pages ----------------------------------------------------------------

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
                    let line = title.line;
                    self.error(
                        line,
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

    // ----- resource pages -------------------------------------------------------------

    fn resource_page(&mut self, facts: &mut PageFacts) {
        let (name, named_by) = match self.resource_name() {
            Some(found) => found,
            None => {
                self.error(
                    self.title_line(),
                    DiagnosticCode::NoTypeName,
                    "resource page names no type: expected a title `x resource type` or a JSON representation with `@odata.type`",
                );
                return;
            }
        };
        let mut properties = Vec::new();
        if let Some(section) = section(self.page, &[SectionKind::Properties]) {
            for table in tables(section) {
                properties.extend(self.property_table(table, false));
            }
        }
        if let Some(section) = section(self.page, &[SectionKind::Relationships]) {
            for table in tables(section) {
                properties.extend(self.property_table(table, true));
            }
        }
        let base = self.base_type();
        // Entity types are the ones with methods; the `keyProperty` annotation that says so
        // directly survives only in markdown and HTML, while the Methods section survives
        // in every format.
        let kind = if section(self.page, &[SectionKind::Methods]).is_some() {
            TypeKind::Entity
        } else {
            TypeKind::Complex
        };
        self.possible_values(&properties, facts);
        facts.types.insert(
            0,
            TypeFacts {
                name,
                named_by,
                kind: Some(kind),
                base,
                description: self.description(),
                properties,
                members: Vec::new(),
                defining: true,
                line: self.title_line(),
            },
        );
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

    /// The first intro paragraph that is the page's own prose, not boilerplate.
    fn description(&self) -> String {
        paragraphs(&self.page.intro)
            .map(|(text, _)| text)
            .find(|text| !is_boilerplate(text))
            .unwrap_or_default()
            .to_string()
    }

    // ----- enum pages -----------------------------------------------------------------

    fn enum_page(&mut self, facts: &mut PageFacts) {
        let title = title_name(self.page, TitleKind::Enum).map(type_name);
        let (name, named_by) = match title {
            Some(name) => (name, NamedBy::Page),
            None => {
                // The newer copied style has no title; the file name is all that is left.
                let stem = self
                    .source
                    .page
                    .rsplit('/')
                    .next()
                    .unwrap_or(self.source.page);
                let name = stem.rsplit('-').next().unwrap_or(stem).to_string();
                (name, NamedBy::FileName)
            }
        };
        let mut members = Vec::new();
        if let Some(section) = section(self.page, &[SectionKind::Members]) {
            for table in tables(section) {
                members.extend(self.member_table(table));
            }
        }
        if members.is_empty() {
            self.error(
                self.title_line(),
                DiagnosticCode::NoMembers,
                format!("enum page `{name}` lists no members: expected a `Member | Value | Description` table under `Members`"),
            );
        }
        facts.types.push(TypeFacts {
            name,
            named_by,
            kind: Some(TypeKind::Enum),
            base: None,
            description: self.description(),
            properties: Vec::new(),
            members,
            defining: true,
            line: self.title_line(),
        });
    }

    /// A row with more or fewer cells than its header is malformed (a literal `|` in a
    /// description, a lost cell); what can be read is still read.
    fn check_row_width(&mut self, table: &Table, row: &crate::page::Row) {
        if row.written != 0 && row.written != table.header.len() {
            self.warn(
                row.line,
                DiagnosticCode::RowWidth,
                format!(
                    "table row has {} cells but its header has {} ({}); {}",
                    row.written,
                    table.header.len(),
                    table.header.join(" | "),
                    if row.written > table.header.len() {
                        "a literal `|` in a cell must be escaped as `\\|`"
                    } else {
                        "a cell is missing"
                    }
                ),
            );
        }
    }

    fn member_table(&mut self, table: &Table) -> Vec<MemberFacts> {
        let name_col = column(table, &["Member", "Name"]).unwrap_or(0);
        let value_col = column(table, &["Value"]);
        let description_col = column(table, &["Description"]);
        let mut members = Vec::new();
        for row in &table.rows {
            let Some(name) = row.cells.get(name_col).map(|c| c.trim()) else {
                continue;
            };
            if !is_identifier(name) {
                if !name.is_empty() {
                    self.warn(
                        row.line,
                        DiagnosticCode::OddMember,
                        format!("skipped enum member `{name}`: expected an identifier"),
                    );
                }
                continue;
            }
            let value = value_col
                .and_then(|c| row.cells.get(c))
                .and_then(|v| v.trim().parse().ok());
            let description = description_col
                .and_then(|c| row.cells.get(c))
                .cloned()
                .unwrap_or_default();
            members.push(MemberFacts {
                name: name.to_string(),
                value,
                description,
            });
        }
        members
    }

    // ----- property tables ------------------------------------------------------------

    /// Rows of a `Property | Type | Description` table; a one-cell row continues the
    /// description of the row above it.
    fn property_table(&mut self, table: &Table, relationship: bool) -> Vec<PropertyFacts> {
        let Some(type_col) = column(table, &["Type"]) else {
            return Vec::new();
        };
        let name_col =
            column(table, &["Property", "Name", "Parameter", "Relationship"]).unwrap_or(0);
        let description_col = column(table, &["Description"]);
        let mut properties: Vec<PropertyFacts> = Vec::new();
        for row in &table.rows {
            let name = row.cells.get(name_col).map_or("", |c| c.trim());
            let type_cell = row.cells.get(type_col).map_or("", |c| c.trim());
            let filled = row.cells.iter().filter(|c| !c.trim().is_empty()).count();
            if type_cell.is_empty() && filled <= 1 {
                // A one-cell row is either a description wrapped onto its own row (a
                // sentence) or a group label such as `**Device configuration**`.
                let text = row.cells.iter().find(|c| !c.trim().is_empty());
                if let (Some(text), Some(last)) = (text, properties.last_mut())
                    && is_sentence(text)
                {
                    last.description.push(' ');
                    last.description.push_str(text.trim());
                }
                continue;
            }
            if type_cell.is_empty() && !name.starts_with(|c: char| c.is_lowercase()) {
                // A label row with empty cells after it (`|**On-boarding**||`).
                continue;
            }
            self.check_row_width(table, row);
            if !is_property_name(name) {
                self.warn(
                    row.line,
                    DiagnosticCode::OddProperty,
                    format!("skipped table row `{name}`: expected a property name"),
                );
                continue;
            }
            let Some((ty, collection)) = parse_type_cell(type_cell) else {
                self.warn(
                    row.line,
                    DiagnosticCode::OddType,
                    format!("property `{name}` has type `{type_cell}`: expected a type name, optionally followed by `collection`"),
                );
                continue;
            };
            let description = description_col
                .and_then(|c| row.cells.get(c))
                .cloned()
                .unwrap_or_default();
            properties.push(PropertyFacts {
                name: name.to_string(),
                ty,
                collection,
                relationship,
                description,
                line: row.line,
            });
        }
        properties
    }

    /// "Possible values are: `a`, `b`" in a description lists the members of the
    /// property's enum type.
    fn possible_values(&mut self, properties: &[PropertyFacts], facts: &mut PageFacts) {
        for property in properties {
            if is_primitive(&property.ty) {
                continue;
            }
            let Some(members) = possible_values(&property.description) else {
                continue;
            };
            if members.is_empty() {
                continue;
            }
            let members = members
                .into_iter()
                .map(|name| MemberFacts {
                    name,
                    value: None,
                    description: String::new(),
                })
                .collect();
            facts.types.push(TypeFacts {
                name: property.ty.clone(),
                named_by: NamedBy::Page,
                kind: Some(TypeKind::Enum),
                base: None,
                description: String::new(),
                properties: Vec::new(),
                members,
                defining: false,
                line: property.line,
            });
        }
    }

    // ----- method pages ---------------------------------------------------------------

    fn method_page(&mut self, facts: &mut PageFacts) {
        let Some(request_section) = section(self.page, &[SectionKind::HttpRequest]) else {
            return;
        };
        let (method, paths) = self.request_paths(request_section);
        let Some(method) = method else {
            self.error(
                request_section.heading.line,
                DiagnosticCode::NoRequestLine,
                "the HTTP request section has no request line: expected `METHOD /path`",
            );
            return;
        };
        let (kind, title_type) = self.operation_kind(&method, &paths);
        let response = self.response_sentence();
        let examples = self.examples();
        self.check_example_json(&examples);
        let status = response.status.or_else(|| {
            examples
                .iter()
                .find_map(|e| e.response.as_ref().and_then(|r| r.status))
        });
        if status.is_none() {
            self.error(
                request_section.heading.line,
                DiagnosticCode::NoStatus,
                "no success status: expected `If successful, this method returns a `200 OK` response code` or an example response",
            );
        }
        let ty = match kind {
            OperationKind::Action | OperationKind::Function => response.ty.clone(),
            _ => response.ty.clone().or(title_type),
        };
        let body_properties = match section(self.page, &[SectionKind::RequestBody]) {
            Some(section) => tables(section)
                .flat_map(|t| self.property_table(t, false))
                .collect(),
            None => Vec::new(),
        };
        self.possible_values(&body_properties, facts);
        let mut parameters = Vec::new();
        match kind {
            OperationKind::Create | OperationKind::Update => {
                if let Some(name) = &ty
                    && !body_properties.is_empty()
                    && !is_primitive(name)
                {
                    let kind = body_properties
                        .iter()
                        .any(|p| p.name == "id")
                        .then_some(TypeKind::Entity);
                    facts.types.insert(
                        0,
                        TypeFacts {
                            name: name.clone(),
                            named_by: NamedBy::Page,
                            kind,
                            base: None,
                            description: String::new(),
                            properties: body_properties,
                            members: Vec::new(),
                            defining: false,
                            line: request_section.heading.line,
                        },
                    );
                }
            }
            _ => parameters = body_properties,
        }
        let name = match kind {
            OperationKind::Action | OperationKind::Function => {
                paths.first().map(|p| operation_name(p)).unwrap_or_default()
            }
            other => other.as_str().to_string(),
        };
        facts.operations.push(OperationFacts {
            kind,
            name,
            method,
            paths,
            status,
            ty,
            returns_collection: response.collection,
            parameters,
            permissions: self.permissions(),
            examples,
            line: request_section.heading.line,
        });
    }

    /// The method and every path of the HTTP request section, in page order.
    fn request_paths(&mut self, section: &Section) -> (Option<String>, Vec<String>) {
        let mut method: Option<String> = None;
        let mut paths: Vec<String> = Vec::new();
        let lines = section.blocks.iter().flat_map(|block| match block {
            Block::Code(code) => code
                .text
                .lines()
                .enumerate()
                .map(|(i, l)| (l.trim().to_string(), code.line + i as u32))
                .collect::<Vec<_>>(),
            Block::Paragraph(p) => vec![(p.text.clone(), p.line)],
            Block::Table(_) => Vec::new(),
        });
        let lines: Vec<(String, u32)> = lines.collect();
        for (line, number) in lines {
            let Some((verb, target)) = operation_request(&line) else {
                continue;
            };
            let verb = verb.as_str();
            if target.starts_with("**") || !target.starts_with('/') {
                self.warn(
                    number,
                    DiagnosticCode::NoPath,
                    format!("`{line}` has no usable path: expected `{verb} /path`"),
                );
                continue;
            }
            let path = normalize_path(target);
            if !balanced_braces(&path) {
                self.error(
                    number,
                    DiagnosticCode::BadPath,
                    format!("path `{path}` has unbalanced braces"),
                );
                continue;
            }
            match &method {
                Some(m) if m != verb => {
                    self.warn(
                        number,
                        DiagnosticCode::MixedMethods,
                        format!("`{line}` uses {verb} but the page's first request line uses {m}"),
                    );
                    continue;
                }
                _ => method = Some(verb.to_string()),
            }
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
        (method, paths)
    }

    /// What the operation does, from the title, or else the intro sentence and method;
    /// with the type the title (or intro) names.
    fn operation_kind(&self, method: &str, paths: &[String]) -> (OperationKind, Option<String>) {
        if let Some(title) = &self.page.title {
            let text = title.text.trim();
            match TitleKind::split(text) {
                Some((TitleKind::Action, _)) => return (OperationKind::Action, None),
                Some((TitleKind::Function, _)) => return (OperationKind::Function, None),
                _ => {}
            }
            if let Some((verb, rest)) = text.split_once(' ') {
                let kind = match verb.to_ascii_lowercase().as_str() {
                    "create" => Some(OperationKind::Create),
                    "get" => Some(OperationKind::Get),
                    "list" => Some(OperationKind::List),
                    "update" => Some(OperationKind::Update),
                    "delete" => Some(OperationKind::Delete),
                    _ => None,
                };
                if let Some(kind) = kind {
                    let ty = (kind != OperationKind::List).then(|| type_name(rest.trim()));
                    return (kind, ty);
                }
            }
        }
        // "If successful, this action returns …" / "this function returns …".
        let response = section(self.page, &[SectionKind::Response])
            .and_then(|s| paragraphs(&s.blocks).next())
            .map(|(text, _)| text)
            .unwrap_or("");
        if response.contains("this action returns") {
            return (OperationKind::Action, None);
        }
        if response.contains("this function returns") {
            return (OperationKind::Function, None);
        }
        // No title: the intro sentence says what a CRUD page does.
        let intro = self.description();
        let first = intro.split_whitespace().next().unwrap_or("");
        let kind = match (first, method) {
            ("Create", "POST") => Some(OperationKind::Create),
            ("Read" | "Get", "GET") => Some(OperationKind::Get),
            ("List", "GET") => Some(OperationKind::List),
            ("Update", "PATCH" | "PUT") => Some(OperationKind::Update),
            ("Delete" | "Deletes", "DELETE") => Some(OperationKind::Delete),
            _ => None,
        };
        if let Some(kind) = kind {
            return (kind, intro_type(&intro));
        }
        let kind = match method {
            "GET" if paths.iter().any(|p| p.ends_with(')')) => OperationKind::Function,
            "GET" => OperationKind::Get,
            "PATCH" | "PUT" => OperationKind::Update,
            "DELETE" => OperationKind::Delete,
            _ => OperationKind::Action,
        };
        (kind, None)
    }

    /// "If successful, this method returns a `201 Created` response code and a x object".
    fn response_sentence(&self) -> ResponseSentence {
        let Some(section) = section(self.page, &[SectionKind::Response]) else {
            return ResponseSentence::default();
        };
        paragraphs(&section.blocks)
            .find_map(|(text, _)| parse_response_sentence(text))
            .unwrap_or_default()
    }

    fn examples(&self) -> Vec<Example> {
        let mut examples: Vec<Example> = Vec::new();
        let start = self
            .page
            .sections
            .iter()
            .position(|s| s.heading.text.to_ascii_lowercase().starts_with("example"));
        let Some(start) = start else {
            return examples;
        };
        for section in &self.page.sections[start..] {
            for message in codes(section).flat_map(parse_http) {
                if message.status.is_some() {
                    match examples.last_mut() {
                        Some(example) if example.response.is_none() => {
                            example.response = Some(message)
                        }
                        _ => examples.push(Example {
                            request: None,
                            response: Some(message),
                        }),
                    }
                } else {
                    examples.push(Example {
                        request: Some(message),
                        response: None,
                    });
                }
            }
        }
        examples
    }

    /// An example body that is not JSON cannot be checked or replayed: say where it breaks.
    fn check_example_json(&mut self, examples: &[Example]) {
        for example in examples {
            for message in [&example.request, &example.response].into_iter().flatten() {
                let Some(body) = &message.body else { continue };
                if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
                    self.warn(
                        message.body_line + e.line().saturating_sub(1) as u32,
                        DiagnosticCode::BadExampleJson,
                        format!("the example body is not valid JSON: {e}"),
                    );
                }
            }
        }
    }

    fn permissions(&self) -> Permissions {
        let mut permissions = Permissions::default();
        let Some(section) = section(
            self.page,
            &[SectionKind::Permissions, SectionKind::Prerequisites],
        ) else {
            return permissions;
        };
        let Some(table) = tables(section).find(|t| column(t, &["Permission type"]).is_some())
        else {
            return permissions;
        };
        let mut current: Option<usize> = None;
        for row in &table.rows {
            let kind_cell = row
                .cells
                .first()
                .map_or("", |c| c.as_str())
                .to_ascii_lowercase();
            let kind = if kind_cell.starts_with("delegated (work") {
                Some(0)
            } else if kind_cell.starts_with("delegated (personal") {
                Some(1)
            } else if kind_cell.starts_with("application") {
                Some(2)
            } else {
                None
            };
            // Indented sub-rows (`Policy Set`) add scopes to the kind above them.
            current = kind.or(current);
            let Some(index) = current else {
                continue;
            };
            let list = match index {
                0 => &mut permissions.delegated_work,
                1 => &mut permissions.delegated_personal,
                _ => &mut permissions.application,
            };
            for scope in row.cells.get(1).map_or("", |c| c.as_str()).split(',') {
                // A stray `|` from a row with one cell too many is no part of the scope.
                let scope = scope.trim_matches(|c: char| c == '|' || c.is_whitespace());
                let scope = scope.trim_end_matches('.');
                if scope.contains('.') && !scope.contains(' ') && !list.iter().any(|s| s == scope) {
                    list.push(scope.to_string());
                }
            }
        }
        permissions
    }
}

#[derive(Default)]
struct ResponseSentence {
    status: Option<u16>,
    ty: Option<String>,
    collection: bool,
}

fn parse_response_sentence(text: &str) -> Option<ResponseSentence> {
    let at = text.find("returns")?;
    let rest = &text[at + "returns".len()..];
    let status = rest
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 3)
        .and_then(|w| w.parse().ok())?;
    let mut sentence = ResponseSentence {
        status: Some(status),
        ..ResponseSentence::default()
    };
    let Some(and) = rest.find("response code and") else {
        return Some(sentence);
    };
    let mut words = rest[and + "response code and".len()..]
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == '*' || c == '`' || c == ','))
        .peekable();
    while let Some(&word) = words.peek() {
        match word {
            "a" | "an" | "the" | "updated" | "new" => {
                words.next();
            }
            "collection" => {
                words.next();
                if words.peek() == Some(&"of") {
                    words.next();
                }
                sentence.collection = true;
            }
            _ => break,
        }
    }
    let name = words.next()?;
    if matches!(name, "in" | "response" | "body") || !is_type_name(name) {
        return Some(sentence);
    }
    if let Some(&next) = words.peek()
        && (next == "collection" || next == "objects")
    {
        sentence.collection = true;
    }
    sentence.ty = Some(type_name(name));
    Some(sentence)
}

/// The type named by an intro sentence: "Create a new x object.", "Deletes a x.".
fn intro_type(intro: &str) -> Option<String> {
    let words: Vec<&str> = intro
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', ',']))
        .collect();
    if let Some(i) = words.iter().position(|w| *w == "object" || *w == "objects") {
        return words.get(i.checked_sub(1)?).map(|w| type_name(w));
    }
    let last = words.last()?;
    is_type_name(last).then(|| type_name(last))
}

/// The name of an action or function: the last path segment without its parameters.
fn operation_name(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or(path);
    let last = last.split('(').next().unwrap_or(last);
    last.rsplit('.').next().unwrap_or(last).to_string()
}

/// Parses a type cell: `String`, `x collection`, `microsoft.graph.x`, `Edm.Int32`.
pub fn parse_type_cell(cell: &str) -> Option<(String, bool)> {
    let cell = cell.trim().trim_matches('*');
    let (ty, collection) =
        match cell.len().checked_sub(" collection".len()).filter(|&at| {
            cell.is_char_boundary(at) && cell[at..].eq_ignore_ascii_case(" collection")
        }) {
            Some(at) => (cell[..at].trim(), true),
            None => (cell, false),
        };
    let ty = ty
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
        .map(|t| (t, true))
        .unwrap_or((ty, collection));
    let (ty, collection) = ty;
    let name = type_name(ty);
    is_type_name(&name).then_some((name, collection))
}

/// A type name without `#`, `microsoft.graph.` or `Edm.` prefixes.
pub fn type_name(raw: &str) -> String {
    let raw = raw.trim().trim_start_matches('#');
    let raw = raw.strip_prefix("microsoft.graph.").unwrap_or(raw);
    let raw = raw.strip_prefix("Edm.").unwrap_or(raw).trim_matches('*');
    // `GUID` and `string` are the EDM names `Guid` and `String`, spelled loosely.
    crate::schema::PRIMITIVES
        .iter()
        .find(|p| p.eq_ignore_ascii_case(raw))
        .map_or_else(|| raw.to_string(), |p| p.to_string())
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

/// Property names are identifiers, possibly dotted or dashed (`@odata.type`,
/// `content-type`); annotations start with `@`.
fn is_property_name(s: &str) -> bool {
    let s = s.strip_prefix('@').unwrap_or(s);
    !s.is_empty() && s.split(['.', '-']).all(is_identifier)
}

/// The index of the first header cell equal to one of `names` (case-insensitive).
fn column(table: &Table, names: &[&str]) -> Option<usize> {
    table
        .header
        .iter()
        .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
}

/// Whether a lone cell reads as a sentence (a wrapped description) rather than a label.
fn is_sentence(text: &str) -> bool {
    let text = text.trim();
    text.ends_with('.') || text.split_whitespace().count() > 6
}

/// Notices every page carries, which are no description of the page's subject.
fn is_boilerplate(text: &str) -> bool {
    const PREFIXES: [&str; 7] = [
        "Namespace:",
        "Important:",
        "Note:",
        "Inherits from",
        "This API is available in",
        "Access to this page requires",
        "Note",
    ];
    PREFIXES.iter().any(|p| text.starts_with(p))
}

/// The members listed by "Possible values are: `a`, `b`, `c`." in a description.
pub fn possible_values(description: &str) -> Option<Vec<String>> {
    let lower = description.to_ascii_lowercase();
    let at = lower.find("possible values are")?;
    let rest = &description[at + "possible values are".len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')
        .unwrap_or(rest)
        .trim_start();
    let mut members = Vec::new();
    for item in rest.split(',') {
        let item = item.trim();
        let (word, ends_sentence) = match item.find(|c: char| c.is_whitespace() || c == '.') {
            Some(end) => {
                let tail = item[end..].trim_start();
                (
                    &item[..end],
                    !tail.is_empty() || item[end..].starts_with('.'),
                )
            }
            None => (item, false),
        };
        let word = word.trim_matches('`');
        let word = word.strip_prefix("and ").unwrap_or(word);
        if word == "and" || word == "or" {
            // "a, b, and c": the member follows the conjunction.
            let next = item[word.len()..].trim().trim_matches(['`', '.']);
            if is_identifier(next) {
                members.push(next.to_string());
            }
            break;
        }
        if !is_identifier(word) {
            break;
        }
        members.push(word.to_string());
        if ends_sentence {
            break;
        }
    }
    Some(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possible_values_in_every_rendering() {
        let want = ["unknown", "success", "fail"];
        for text in [
            "State. Possible values are: `unknown`, `success`, `fail`.",
            "State. Possible values are: unknown , success , fail .",
            "State. Possible values are: unknown, success, fail. Default is unknown.",
        ] {
            assert_eq!(possible_values(text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn type_cells() {
        assert_eq!(
            parse_type_cell("String collection"),
            Some(("String".into(), true))
        );
        assert_eq!(
            parse_type_cell("microsoft.graph.runState"),
            Some(("runState".into(), false))
        );
        assert_eq!(
            parse_type_cell("Collection(Edm.Int32)"),
            Some(("Int32".into(), true))
        );
        assert_eq!(parse_type_cell("two words"), None);
    }

    #[test]
    fn response_sentences() {
        let s = parse_response_sentence(
            "If successful, this method returns a 200 OK response code and a collection of x objects in the response body.",
        )
        .unwrap();
        assert_eq!(
            (s.status, s.ty.as_deref(), s.collection),
            (Some(200), Some("x"), true)
        );
        let s = parse_response_sentence(
            "If successful, this action returns a 204 No Content response code.",
        )
        .unwrap();
        assert_eq!((s.status, s.ty), (Some(204), None));
    }
}
