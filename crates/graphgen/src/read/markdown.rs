//! Reads GitHub markdown pages with pulldown-cmark.
//!
//! YAML front matter and `<!-- -->` annotation comments are skipped; links, inline code
//! and entities are reduced to their text so that cells read the same as in the other
//! formats.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::{LineIndex, PageBuilder};
use crate::page::{Block, Code, Page, Row, Table, Text, fold_space};

/// Reads a markdown page.
pub fn read(src: &str) -> Page {
    read_with_lines(src, LineIndex::new(src))
}

/// Reads a markdown page, numbering its lines with `lines`.
pub(super) fn read_with_lines(src: &str, lines: LineIndex) -> Page {
    // Byte for byte as long as `src`, so `lines` still holds.
    let untabbed = untab_table_rows(src);
    let src = untabbed.as_str();
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut page = PageBuilder::default();
    let mut text = String::new();
    let mut text_line = 0;
    let mut in_metadata = false;
    let mut code: Option<Code> = None;
    let mut table: Option<Table> = None;
    let mut row = Row::default();

    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        let line = lines.line_of(range.start);
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Start(Tag::Heading { .. }) => {
                flush_paragraph(&mut page, &mut text, text_line);
                text_line = line;
            }
            Event::End(TagEnd::Heading(level)) => {
                let heading = Text {
                    text: fold_space(&text),
                    line: text_line,
                };
                text.clear();
                // `# [HTTP](#tab/http)` marks a tab of code samples, which the rendered
                // page shows inside the section it is in, not as a heading.
                if !is_tab_marker(&src[range]) {
                    page.heading(heading, level as u8);
                }
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                flush_paragraph(&mut page, &mut text, text_line);
                text_line = line;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                flush_paragraph(&mut page, &mut text, text_line);
            }
            Event::Start(Tag::Table(_)) => {
                flush_paragraph(&mut page, &mut text, text_line);
                table = Some(Table {
                    line,
                    ..Table::default()
                });
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                row = Row {
                    cells: Vec::new(),
                    line,
                    written: 0,
                };
            }
            Event::Start(Tag::TableCell) => text.clear(),
            Event::End(TagEnd::TableCell) => {
                row.cells.push(fold_space(&text));
                text.clear();
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(table) = table.as_mut() {
                    table.header = std::mem::take(&mut row.cells);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(table) = table.as_mut() {
                    let mut row = std::mem::take(&mut row);
                    keep_overflow(&mut row, &src[range], table.header.len());
                    table.rows.push(row);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(table) = table.take() {
                    page.block(Block::Table(table));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                flush_paragraph(&mut page, &mut text, text_line);
                let (lang, first_line) = match kind {
                    CodeBlockKind::Fenced(info) => (info.trim().to_string(), line + 1),
                    CodeBlockKind::Indented => (String::new(), line),
                };
                code = Some(Code {
                    lang,
                    text: String::new(),
                    line: first_line,
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(mut code) = code.take() {
                    code.text = code.text.trim_end().to_string();
                    page.block(Block::Code(code));
                }
            }
            Event::Text(t) if !in_metadata => match code.as_mut() {
                Some(code) => code.text.push_str(&t),
                None => text.push_str(&t),
            },
            Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::InlineHtml(html) if is_line_break(&html) => text.push(' '),
            // `<languagecode2>` in prose is text, not a tag: the rendered pages show it.
            Event::InlineHtml(html) if !is_html_tag(&html) => text.push_str(&html),
            _ => {}
        }
    }
    flush_paragraph(&mut page, &mut text, text_line);
    page.finish()
}

/// Table rows with tabs as spaces. A tab beside a bar of the delimiter row
/// (`| --- \t\t|---|`) stops pulldown-cmark reading the table, where the docs' own
/// renderer (and so every rendered form of the page) shows it. One byte for one, so
/// offsets and lines stay those of the source.
fn untab_table_rows(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.split_inclusive('\n') {
        if line.trim_start().starts_with('|') {
            out.extend(line.chars().map(|c| if c == '\t' { ' ' } else { c }));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `<br>`, `<br/>` and `<br />` separate words; other inline tags are dropped.
fn is_line_break(html: &str) -> bool {
    html.trim_start_matches('<')
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("br")
}

/// Whether inline HTML is a real tag (dropped) rather than angle-bracketed text.
fn is_html_tag(html: &str) -> bool {
    const TAGS: [&str; 22] = [
        "a", "b", "i", "em", "strong", "code", "sup", "sub", "span", "div", "p", "ul", "ol", "li",
        "img", "br", "table", "tr", "td", "th", "pre", "!--",
    ];
    let name = html
        .trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    TAGS.contains(&name.as_str()) || name.starts_with("!--")
}

/// GFM drops cells beyond the header's count, but every rendered form of the page keeps
/// them as part of the last cell (a literal `|` in a description), so the last cell
/// takes the rest of the source line.
fn keep_overflow(row: &mut Row, source: &str, columns: usize) {
    let raw = split_raw_row(source.lines().next().unwrap_or(source));
    row.written = raw.len();
    if columns == 0 {
        return;
    }
    if raw.len() <= columns || row.cells.len() < columns {
        return;
    }
    let rest = raw[columns - 1..].join("|");
    row.cells.truncate(columns);
    row.cells[columns - 1] = fold_space(&strip_inline_markdown(&rest));
}

/// Splits a source table row on unescaped bars, without the outer ones.
fn split_raw_row(line: &str) -> Vec<&str> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            cells.push(&line[start..i]);
            start = i + 1;
        }
    }
    cells.push(&line[start..]);
    cells
}

/// Reduces inline markdown to its text: code spans to their content (paired as
/// CommonMark pairs them, an unpaired backtick staying literal), links to their text,
/// emphasis markers and backslash escapes removed, the common entities decoded.
fn strip_inline_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                let rest: String = chars.clone().collect();
                match rest.find('`') {
                    Some(end) => {
                        let content = &rest[..end];
                        let content =
                            match content.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
                                Some(inner) if !inner.trim().is_empty() => inner,
                                _ => content,
                            };
                        out.push_str(content);
                        for _ in 0..rest[..=end].chars().count() {
                            chars.next();
                        }
                    }
                    None => out.push('`'),
                }
            }
            '\\' => {
                if let Some(&next) = chars.peek()
                    && next.is_ascii_punctuation()
                {
                    out.push(next);
                    chars.next();
                    continue;
                }
                out.push(c);
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
            }
            ']' if chars.peek() == Some(&'(') => {
                // Skip the link target.
                for t in chars.by_ref() {
                    if t == ')' {
                        break;
                    }
                }
            }
            '[' => {}
            _ => out.push(c),
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `[!IMPORTANT] text`, a GitHub alert, as the rendered page shows it: "Important: text".
fn alert_text(text: String) -> String {
    let Some((kind, rest)) = text
        .strip_prefix("[!")
        .and_then(|t| t.split_once(']'))
        .filter(|(kind, _)| !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphabetic()))
    else {
        return text;
    };
    let title = kind[..1].to_ascii_uppercase() + &kind[1..].to_ascii_lowercase();
    match rest.trim() {
        "" => title,
        rest => format!("{title}: {rest}"),
    }
}

/// Whether a heading's source is a tab marker: a link to `#tab/…` and nothing else.
fn is_tab_marker(source: &str) -> bool {
    let text = source.trim().trim_start_matches('#').trim();
    text.starts_with('[') && text.ends_with(')') && text.contains("](#tab/")
}

fn flush_paragraph(page: &mut PageBuilder, text: &mut String, line: u32) {
    let folded = alert_text(fold_space(text));
    text.clear();
    if !folded.is_empty() {
        page.block(Block::Paragraph(Text { text: folded, line }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflowing_cells_join_the_last_cell() {
        let page =
            read("|Property|Type|Description|\n|:---|:---|:---|\n|a|String|x (*.y | *.z).|\n");
        let Some(Block::Table(table)) = page.intro.first() else {
            panic!("no table: {page:?}");
        };
        assert_eq!(table.rows[0].cells, ["a", "String", "x (*.y | *.z)."]);
    }

    #[test]
    fn tabs_beside_the_bars_of_a_table_still_make_a_table() {
        let page = read("| Property \t| Type |\n| --- \t\t|---|\n| title\t| String\t|\n");
        let Some(Block::Table(table)) = page.intro.first() else {
            panic!("no table: {page:?}");
        };
        assert_eq!(table.rows[0].cells, ["title", "String"]);
    }

    #[test]
    fn angle_bracketed_words_are_text() {
        let page = read("Use <languagecode2>-<country> here.<br/>Next.\n");
        let Some(Block::Paragraph(p)) = page.intro.first() else {
            panic!("no paragraph");
        };
        assert_eq!(p.text, "Use <languagecode2>-<country> here. Next.");
    }

    #[test]
    fn tab_markers_stay_inside_their_section() {
        let page = read(
            "# Get drive\n\n## HTTP request\n\n# [HTTP](#tab/http)\n\n```http\nGET /me/drive\n```\n\n# [C#](#tab/csharp)\n\nsnippet\n",
        );
        let names: Vec<&str> = page
            .sections
            .iter()
            .map(|s| s.heading.text.as_str())
            .collect();
        assert_eq!(names, ["HTTP request"], "{page:?}");
        assert!(
            page.sections[0]
                .blocks
                .iter()
                .any(|b| matches!(b, Block::Code(c) if c.text.contains("GET /me/drive")))
        );
        assert!(!is_tab_marker("# [Get drive](drive-get.md)"));
    }
}
