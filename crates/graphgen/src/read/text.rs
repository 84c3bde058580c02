//! Reads plain text copied from the rendered pages, in all three styles.
//!
//! Copied text has no markup, so structure comes from what the lines are:
//! - headings are the known section names, alone on a line;
//! - tables are `a | b |` or `| a | b |` rows under a `---|` separator, or, in the style
//!   with no separators at all, a known header line (`Property Type Description`) whose
//!   rows are split by what each column can hold (see [`split_plain_row`]);
//! - code is a request line (`POST /…`) or status line (`HTTP/1.1 201 Created`) with the
//!   header lines after it, and JSON bodies delimited by balanced braces;
//! - everything else is paragraph text; a line that continues a sentence (it starts in
//!   lower case after a line with no closing punctuation) joins the paragraph before it.

use super::PageBuilder;
use crate::http::{is_request_line, is_status_line};
use crate::page::{
    Block, Code, Page, Row, SectionKind, Table, Text, TitleKind, fold_space, json_end,
    leaked_front_matter_title,
};

/// Whether a line is a known section heading, which ends any table or block above it.
fn is_heading(line: &str) -> bool {
    SectionKind::of(line).is_some()
}

/// The columns of a table header in the style without separators, by what they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    /// One identifier (a property, member, parameter or header name).
    Name,
    /// A type: one identifier, optionally followed by `collection`.
    Type,
    /// One token: an enum member's value.
    Value,
    /// A permission type: `Delegated (work or school account)`, `Application`, …
    PermissionType,
    /// Free text; only ever the last column.
    Rest,
    /// Permission scopes, `A.Read, B.Read` (a comma after each but the last), or
    /// `Not supported.`
    Scopes,
}

/// Known table headers of the style without separators, and the shape of their columns.
fn plain_header(line: &str) -> Option<(Vec<String>, Vec<Column>)> {
    use Column::*;
    let folded = fold_space(line);
    let known: &[(&[&str], &[Column])] = &[
        (&["Property", "Type", "Description"], &[Name, Type, Rest]),
        (&["Parameter", "Type", "Description"], &[Name, Type, Rest]),
        (&["Name", "Type", "Description"], &[Name, Type, Rest]),
        (
            &["Relationship", "Type", "Description"],
            &[Name, Type, Rest],
        ),
        // Tables without a description column.
        (&["Property", "Type"], &[Name, Rest]),
        (&["Relationship", "Type"], &[Name, Rest]),
        (&["Parameter", "Type"], &[Name, Rest]),
        (&["Member", "Value", "Description"], &[Name, Value, Rest]),
        (&["Member", "Description"], &[Name, Rest]),
        (&["Name", "Value", "Description"], &[Name, Value, Rest]),
        (&["Header", "Value"], &[Name, Rest]),
        (&["Name", "Description"], &[Name, Rest]),
        (&["Parameter", "Description"], &[Name, Rest]),
        (&["Method", "Return Type", "Description"], &[Rest]),
    ];
    for (cells, columns) in known {
        if folded.eq_ignore_ascii_case(&cells.join(" ")) {
            let header = cells.iter().map(|c| c.to_string()).collect();
            return Some((header, columns.to_vec()));
        }
    }
    if let Some(header) = property_header_variant(&folded) {
        return Some((header, vec![Name, Type, Rest]));
    }
    let rest = folded.strip_prefix("Permission type Permissions")?;
    // "… acting on self (…) Permissions acting on others (…)": two columns of scopes.
    if let Some(at) = rest
        .find(" Permissions acting on others")
        .filter(|_| rest.starts_with(" acting on self"))
    {
        let header = vec![
            "Permission type".to_string(),
            format!("Permissions{}", &rest[..at]),
            rest[at + 1..].to_string(),
        ];
        return Some((header, vec![PermissionType, Scopes, Rest]));
    }
    if rest.is_empty() || rest.starts_with(" (") {
        let header = vec!["Permission type".to_string(), format!("Permissions{rest}")];
        return Some((header, vec![PermissionType, Rest]));
    }
    None
}

/// The other spellings of a property table's header: `Property name Type Description`,
/// `Relationship name Type Description`, `Property Type Description Supported Resources`
/// (the cells after the type are one description cell here), read as
/// `Property | Type | Description`.
fn property_header_variant(folded: &str) -> Option<Vec<String>> {
    let lower = folded.to_ascii_lowercase();
    let first = ["property", "parameter", "name", "relationship"]
        .into_iter()
        .find(|first| lower.starts_with(first))?;
    let after = lower[first.len()..].trim_start();
    // "Property name", "Relationship name": the word that says the column holds names.
    let after = match after.strip_prefix("name ") {
        Some(rest) if first != "name" => rest,
        _ => after,
    };
    let rest = after.strip_prefix("type")?.trim_start();
    if !rest.starts_with("description") {
        return None;
    }
    let name = folded[..first.len()].to_string();
    Some(vec![name, "Type".to_string(), "Description".to_string()])
}

/// Whether a line is a table header of the style without separators.
pub(crate) fn is_plain_header(line: &str) -> bool {
    plain_header(line).is_some()
}

/// Splits a row of the style without separators by the shape of its columns.
fn split_plain_row(line: &str, columns: &[Column]) -> Vec<String> {
    let mut cells = Vec::with_capacity(columns.len());
    let mut rest = line.trim();
    for (i, column) in columns.iter().enumerate() {
        let last = i + 1 == columns.len();
        if last {
            cells.push(fold_space(rest));
            break;
        }
        let (cell, tail) = match column {
            Column::Name | Column::Value => split_token(rest),
            Column::Type => split_type(rest),
            Column::PermissionType => split_permission_type(rest),
            Column::Scopes => split_scopes(rest),
            Column::Rest => (rest, ""),
        };
        cells.push(fold_space(cell));
        rest = tail.trim_start();
    }
    cells
}

/// A type cell: one identifier and the words a type cell goes on with: `collection`
/// (even twice), a kind word (`fileHashType enum`), a remark in parentheses (`string
/// (url) URL that …`), `Collection of String`, `a or b`; as the other formats show the
/// cell, whole.
fn split_type(s: &str) -> (&str, &str) {
    let (first, mut tail) = split_token(s);
    if first == "Collection" && split_token(tail).0 == "of" {
        tail = split_token(split_token(tail).1).1;
    }
    // `String Collection` right after the type; after that, a capital `Collection`
    // starts the description ("Collection of items …").
    if split_token(tail).0 == "Collection" {
        tail = split_token(tail).1;
    }
    loop {
        let (next, after) = split_token(tail);
        let remark = next.starts_with('(') && next.ends_with(')') && next.len() > 2;
        let kind = ["collection", "enum", "resource", "object"].contains(&next);
        if kind || remark {
            tail = after;
        } else if next == "or" {
            // The type after the connector.
            tail = split_token(after).1;
        } else if next == "JSON" && split_token(after).0 == "object" {
            // `Untyped JSON object`: the cell goes on to say what the type is.
            tail = split_token(after).1;
        } else {
            break;
        }
    }
    (&s[..s.len() - tail.len()], tail)
}

/// `A.Read, B.Read C.Read.All` splits after `B.Read`, the first scope without a comma;
/// `Not supported. C.Read.All` after `Not supported.`.
fn split_scopes(s: &str) -> (&str, &str) {
    if s.starts_with("Not ") {
        let (_, tail) = split_token(s);
        let (_, tail) = split_token(tail);
        return (&s[..s.len() - tail.len()], tail);
    }
    let mut tail = s;
    loop {
        let (token, after) = split_token(tail);
        tail = after;
        if token.is_empty() || !token.ends_with(',') {
            return (&s[..s.len() - tail.len()], tail);
        }
    }
}

fn split_token(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(end) => (&s[..end], &s[end..]),
        None => (s, ""),
    }
}

/// `Delegated (work or school account) Scope.A, Scope.B` splits after the closing
/// parenthesis; `Application Scope.A` after the first word; an indented sub-row such as
/// `Policy Set Scope.A` before the first word that looks like a permission scope.
fn split_permission_type(s: &str) -> (&str, &str) {
    if s.starts_with("Delegated")
        && let Some(close) = s.find(')')
    {
        return (&s[..=close], &s[close + 1..]);
    }
    if s.starts_with("Application") {
        return split_token(s);
    }
    let mut offset = 0;
    for word in s.split(' ') {
        if word.contains('.') || word == "Not" {
            return (&s[..offset], &s[offset..]);
        }
        offset += word.len() + 1;
    }
    (s, "")
}

/// Reads a page of copied text.
pub fn read(src: &str) -> Page {
    let lines: Vec<&str> = src.lines().map(|l| l.trim_end()).collect();
    let mut reader = Reader {
        lines: &lines,
        at: skip_learn_preamble(&lines),
        page: PageBuilder::default(),
        seen_example: false,
        paragraph: None,
    };
    reader.title();
    while reader.at < lines.len() {
        reader.step();
    }
    reader.flush_paragraph();
    reader.page.finish()
}

/// The newer copy style starts with a sign-in notice that is no part of the page.
fn skip_learn_preamble(lines: &[&str]) -> usize {
    let mut at = 0;
    while at < lines.len() && lines[at].trim().is_empty() {
        at += 1;
    }
    if lines.get(at).map(|l| l.trim()) != Some("Note") {
        return 0;
    }
    let mut end = at + 1;
    while end < lines.len()
        && lines[end]
            .trim_start()
            .starts_with("Access to this page requires authorization")
    {
        end += 1;
    }
    if end > at + 1 { end } else { 0 }
}

struct Reader<'a> {
    lines: &'a [&'a str],
    at: usize,
    page: PageBuilder,
    seen_example: bool,
    paragraph: Option<Text>,
}

impl<'a> Reader<'a> {
    fn line(&self, at: usize) -> &'a str {
        self.lines.get(at).copied().unwrap_or("")
    }

    fn next_nonblank(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&i| !self.lines[i].trim().is_empty())
    }

    /// The first line is the title unless it is a heading, the namespace line or prose.
    /// A front matter the page failed to hide goes first: its title stands in for the
    /// title line where the copy has none (the newer style drops it).
    fn title(&mut self) {
        let Some(mut first) = self.next_nonblank(self.at) else {
            return;
        };
        let leaked = leaked_front_matter_title(self.lines[first]).map(|title| Text {
            text: title,
            line: first as u32 + 1,
        });
        if leaked.is_some() {
            self.at = first + 1;
            match self.next_nonblank(self.at) {
                Some(next) => first = next,
                None => return self.leaked_title(leaked),
            }
        }
        let line = self.lines[first].trim();
        let next = self
            .next_nonblank(first + 1)
            .map(|i| self.lines[i].trim())
            .unwrap_or("");
        let looks_like_title = next.starts_with("Namespace:") || TitleKind::spelled(line).is_some();
        if looks_like_title && !is_heading(line) && !line.starts_with("Namespace:") {
            self.page.heading(
                Text {
                    text: fold_space(line),
                    line: first as u32 + 1,
                },
                1,
            );
            self.at = first + 1;
        } else {
            self.leaked_title(leaked);
        }
    }

    /// The title a leaked front matter gives, a resource page's "x resource type": the
    /// page's title as the other formats show it.
    fn leaked_title(&mut self, title: Option<Text>) {
        if let Some(title) = title.filter(|t| TitleKind::spelled(&t.text).is_some()) {
            self.page.heading(title, 1);
        }
    }

    fn step(&mut self) {
        let at = self.at;
        let line = self.line(at);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            // An alert's title ("Important") waits for its text across the blank line.
            if !self
                .paragraph
                .as_ref()
                .is_some_and(|p| is_alert_title(&p.text))
            {
                self.flush_paragraph();
            }
            self.at += 1;
        } else if let Some(level) = SectionKind::of(trimmed).map(SectionKind::level) {
            self.flush_paragraph();
            self.heading(trimmed, level);
            self.at += 1;
        } else if is_pipe_row(trimmed) && is_separator(self.line(at + 1)) {
            self.flush_paragraph();
            self.pipe_table();
        } else if let Some((header, columns)) = plain_header(trimmed) {
            self.flush_paragraph();
            self.plain_table(header, &columns);
        } else if is_request_line(trimmed) || is_status_line(trimmed) {
            self.flush_paragraph();
            self.http_block();
        } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
            self.flush_paragraph();
            let start = self.at;
            let end = json_end(self.lines, start);
            self.code("json", start, end);
        } else {
            self.paragraph_line(trimmed);
            self.at += 1;
        }
    }

    fn heading(&mut self, text: &str, level: u8) {
        let lower = text.to_ascii_lowercase();
        let level = if lower.starts_with("example") {
            self.seen_example = true;
            2
        } else if lower == "request" || lower == "response" {
            // "Response" is a section of its own before the examples, a sub-heading after.
            if self.seen_example { 3 } else { 2 }
        } else {
            level
        };
        self.page.heading(
            Text {
                text: text.to_string(),
                line: self.at as u32 + 1,
            },
            level,
        );
    }

    fn paragraph_line(&mut self, text: &str) {
        let line = self.at as u32 + 1;
        if let Some(open) = self.paragraph.as_mut() {
            // The rendered alert box shows its title on a line of its own: it leads
            // the text as in HTML (and markdown), "Important: …".
            if is_alert_title(&open.text) {
                open.text = format!("{}: {}", open.text, fold_space(text));
                return;
            }
            let continues = !open.text.ends_with(['.', ':', '!', '?'])
                && text.chars().next().is_some_and(char::is_lowercase);
            if continues {
                open.text.push(' ');
                open.text.push_str(&fold_space(text));
                return;
            }
        }
        self.flush_paragraph();
        self.paragraph = Some(Text {
            text: fold_space(text),
            line,
        });
    }

    fn flush_paragraph(&mut self) {
        if let Some(text) = self.paragraph.take() {
            self.page.block(Block::Paragraph(text));
        }
    }

    fn pipe_table(&mut self) {
        let header_line = self.at;
        let header = split_pipe_row(self.line(header_line), usize::MAX);
        let columns = header.len();
        let mut table = Table {
            header,
            rows: Vec::new(),
            line: header_line as u32 + 1,
        };
        self.at += 2;
        while self.at < self.lines.len() {
            let trimmed = self.line(self.at).trim();
            // A row whose cell wrapped onto a new line may lack its closing bar.
            // A row over a separator heads the next table, which the copy may put
            // right under this one without a blank line.
            if !trimmed.contains('|') || is_heading(trimmed) || is_separator(self.line(self.at + 1))
            {
                break;
            }
            table.rows.push(Row {
                cells: split_pipe_row(trimmed, columns),
                line: self.at as u32 + 1,
                written: split_pipe_row(trimmed, usize::MAX).len(),
            });
            self.at += 1;
        }
        self.page.block(Block::Table(table));
    }

    fn plain_table(&mut self, header: Vec<String>, columns: &[Column]) {
        let mut table = Table {
            header,
            rows: Vec::new(),
            line: self.at as u32 + 1,
        };
        self.at += 1;
        while self.at < self.lines.len() {
            let line = self.line(self.at);
            let trimmed = line.trim();
            if trimmed.is_empty() || is_heading(trimmed) {
                break;
            }
            // Property names are lowerCamel: a line starting in upper case is a group
            // label or a wrapped description, a row with one cell, unless its second
            // word is a primitive type (`Version Integer Set value of 1.`,
            // `SaveToSentItems Boolean`: the page's other formats read these as rows too).
            let one_cell = columns.get(1) == Some(&Column::Type)
                && trimmed.chars().next().is_some_and(char::is_uppercase)
                && !names_a_type_second(trimmed);
            let cells = if one_cell {
                vec![fold_space(trimmed)]
            } else {
                split_plain_row(line, columns)
            };
            table.rows.push(Row {
                cells,
                line: self.at as u32 + 1,
                written: 0,
            });
            self.at += 1;
        }
        self.page.block(Block::Table(table));
    }

    /// Request or status lines, the header lines after them, and a JSON body.
    fn http_block(&mut self) {
        let start = self.at;
        let mut end = start + 1;
        // More request lines (the HTTP request section lists every path).
        while end < self.lines.len() && is_request_line(self.line(end).trim()) {
            end += 1;
        }
        // Header lines, possibly after one blank line.
        let mut probe = end;
        while let Some(next) = self.next_nonblank(probe) {
            if next > probe + 1 || !is_header_line(self.line(next).trim()) {
                break;
            }
            end = next + 1;
            probe = end;
        }
        // A JSON body, possibly after blank lines.
        if let Some(next) = self.next_nonblank(end) {
            let body = self.line(next).trim();
            if body.starts_with('{') || body.starts_with('[') {
                end = json_end(self.lines, next);
            }
        }
        self.code("http", start, end);
    }

    fn code(&mut self, lang: &str, start: usize, end: usize) {
        let text = self.lines[start..end].join("\n").trim_end().to_string();
        self.page.block(Block::Code(Code {
            lang: lang.to_string(),
            text,
            line: start as u32 + 1,
        }));
        self.at = end;
    }
}

/// Whether a line's first word is an identifier and its second a primitive type
/// (`String`, `Boolean`, or the pages' looser `Integer` and `Json`): a property or
/// parameter row, whatever the case of its name. A group label ("Policy Set", "Group
/// Policy Analytics") has no type in it.
fn names_a_type_second(line: &str) -> bool {
    const LOOSE: [&str; 2] = ["Integer", "Json"];
    let mut words = line.split_whitespace();
    let (Some(name), Some(ty)) = (words.next(), words.next()) else {
        return false;
    };
    let identifier = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let primitive = crate::primitive::Primitive::parse(ty).is_some()
        || LOOSE.iter().any(|l| l.eq_ignore_ascii_case(ty));
    identifier && primitive
}

/// The title of a rendered alert box, alone on its line.
fn is_alert_title(text: &str) -> bool {
    matches!(text, "Note" | "Important" | "Caution" | "Warning" | "Tip")
}

fn is_pipe_row(line: &str) -> bool {
    line.ends_with('|') || line.starts_with('|')
}

fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.contains("---") && line.chars().all(|c| matches!(c, '-' | '|' | ':' | ' '))
}

/// Splits `a | b |` or `| a | b |` into at most `columns` cells; `\|` stays a literal
/// bar, and so does every bar after the last column starts (a bar inside a description).
fn split_pipe_row(line: &str, columns: usize) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' if cells.len() + 1 < columns => cells.push(fold_space(&std::mem::take(&mut cell))),
            _ => cell.push(c),
        }
    }
    cells.push(fold_space(&cell));
    cells
}

/// `Content-Type: application/json`.
fn is_header_line(line: &str) -> bool {
    match line.split_once(':') {
        Some((name, _)) => {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A front matter whose opening `---` has a space after it is shown by the renderer
    /// as one line of text: that line is no part of the page, and its title is the
    /// page's where the copy has no title line (the newer style).
    #[test]
    fn a_leaked_front_matter_is_skipped_and_gives_a_missing_title() {
        let leaked =
            "--- title: \"PlayPromptOperation resource type\" description: \"A prompt.\" ---";
        let learn = format!("{leaked}\nNamespace: microsoft.graph\nThe operation.\nProperties\n");
        let page = read(&learn);
        let title = page.title.expect("the front matter's title");
        assert_eq!(
            (title.text.as_str(), title.line),
            ("PlayPromptOperation resource type", 1)
        );
        let pipe =
            format!("{leaked}\nPlayPromptOperation resource type\nNamespace: microsoft.graph\n");
        let page = read(&pipe);
        assert_eq!(page.title.map(|t| t.line), Some(2));
        assert!(
            page.intro
                .iter()
                .all(|b| !matches!(b, Block::Paragraph(p) if p.text.starts_with("---")))
        );
        assert_eq!(leaked_front_matter_title("--- a horizontal rule ---"), None);
    }

    #[test]
    fn property_header_variants_are_read() {
        for line in [
            "Property name Type Description",
            "Property Type Description Supported Resources",
            "Property Type",
        ] {
            let (header, _) = plain_header(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(&header[..2], ["Property", "Type"], "{line}");
        }
        assert!(plain_header("Property Type of the thing").is_none());
        let (header, _) = plain_header("Relationship name Type Description").expect("a header");
        assert_eq!(header, ["Relationship", "Type", "Description"]);
        assert!(plain_header("Name Type Description").is_some());
        assert!(plain_header("Named types Description").is_none());
    }

    #[test]
    fn plain_rows_split_by_column_shape() {
        use Column::*;
        let cols = [Name, Type, Rest];
        assert_eq!(
            split_plain_row("roleScopeTagIds String collection List of tags.", &cols),
            ["roleScopeTagIds", "String collection", "List of tags."]
        );
        assert_eq!(
            split_plain_row("id String Key of the entity.", &cols),
            ["id", "String", "Key of the entity."]
        );
        assert_eq!(
            split_plain_row("webUrl string (url) URL of the list.", &cols),
            ["webUrl", "string (url)", "URL of the list."]
        );
        for (row, cell) in [
            (
                "a x collection collection This is.",
                "x collection collection",
            ),
            ("a fileHashType enum File hash type.", "fileHashType enum"),
            ("a Collection of String The roles.", "Collection of String"),
            ("a b or c The config.", "b or c"),
            ("a x collection Collection of items.", "x collection"),
            ("a String Collection List of threats.", "String Collection"),
            (
                "a Untyped JSON object Optional data.",
                "Untyped JSON object",
            ),
        ] {
            assert_eq!(split_plain_row(row, &cols)[1], cell, "{row}");
        }
        let perms = [PermissionType, Rest];
        assert_eq!(
            split_plain_row(
                "Delegated (work or school account) A.Read.All, B.Read.All",
                &perms
            ),
            [
                "Delegated (work or school account)",
                "A.Read.All, B.Read.All"
            ]
        );
        assert_eq!(
            split_plain_row(
                "Delegated (work or school account) A.Read, A.ReadWrite B.Read.All, B.ReadWrite.All",
                &[PermissionType, Scopes, Rest]
            ),
            [
                "Delegated (work or school account)",
                "A.Read, A.ReadWrite",
                "B.Read.All, B.ReadWrite.All"
            ]
        );
        assert_eq!(
            split_plain_row(
                "Application Not applicable. B.Read.All",
                &[PermissionType, Scopes, Rest]
            ),
            ["Application", "Not applicable.", "B.Read.All"]
        );
        assert_eq!(
            split_plain_row("    Policy Set A.ReadWrite.All", &perms),
            ["Policy Set", "A.ReadWrite.All"]
        );
        assert_eq!(
            split_plain_row(
                "Delegated (personal Microsoft account) Not supported.",
                &perms
            ),
            ["Delegated (personal Microsoft account)", "Not supported."]
        );
    }

    #[test]
    fn a_capitalised_name_is_a_row_when_a_type_follows() {
        assert!(names_a_type_second("Version Integer Set value of 1."));
        assert!(names_a_type_second(
            "SaveToSentItems Boolean Whether to save."
        ));
        assert!(!names_a_type_second("Indicator observables - email"));
        assert!(!names_a_type_second("Policy Set"));
        assert!(!names_a_type_second("Group Policy Analytics"));
        assert!(!names_a_type_second("The thing wraps onto its own line."));
        let page = read(
            "Properties\n\nProperty Type Description\nVersion Integer Set value of 1.\nGroup label\n",
        );
        let Some(Block::Table(table)) = page.sections[0].blocks.first() else {
            panic!("a table: {page:?}");
        };
        assert_eq!(
            table.rows[0].cells,
            ["Version", "Integer", "Set value of 1."]
        );
        assert_eq!(table.rows[1].cells, ["Group label"]);
    }

    #[test]
    fn pipe_rows_keep_escaped_bars() {
        assert_eq!(split_pipe_row("| a | b \\| c |", 2), ["a", "b | c"]);
        assert_eq!(split_pipe_row("a | |", 2), ["a", ""]);
        assert_eq!(
            split_pipe_row("a | b | c (x | y). |", 3),
            ["a", "b", "c (x | y)."]
        );
    }
}
