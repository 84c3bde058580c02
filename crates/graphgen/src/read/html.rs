//! Reads saved HTML pages with scraper.
//!
//! Only the article inside `<main>` is read, and site chrome inside it is skipped: the
//! hidden sign-in notice, the "In this article" navigation, the code blocks' "Copy" bars,
//! page metadata and the feedback section. html5ever keeps no source positions, so block
//! lines are found by scanning the source for each block's start tag in document order.

use scraper::{ElementRef, Html, Node, Selector};

use super::{LineIndex, PageBuilder};
use crate::page::{Block, Code, Page, Row, Table, Text, fold_space};

/// Reads an HTML page.
pub fn read(src: &str) -> Page {
    let document = Html::parse_document(src);
    let mut reader = Reader {
        src,
        lines: LineIndex::new(src),
        cursor: 0,
        page: PageBuilder::default(),
    };
    let root = main_selector()
        .and_then(|main| document.select(main).next())
        .unwrap_or_else(|| document.root_element());
    reader.walk(root);
    reader.page.finish()
}

/// The `main` selector, compiled once for every page.
fn main_selector() -> Option<&'static Selector> {
    static MAIN: std::sync::OnceLock<Option<Selector>> = std::sync::OnceLock::new();
    MAIN.get_or_init(|| Selector::parse("main").ok()).as_ref()
}

struct Reader<'a> {
    src: &'a str,
    lines: LineIndex,
    cursor: usize,
    page: PageBuilder,
}

impl Reader<'_> {
    fn walk(&mut self, element: ElementRef<'_>) {
        for child in element.children() {
            let Some(child) = ElementRef::wrap(child) else {
                continue;
            };
            if is_chrome(child) {
                continue;
            }
            let name = child.value().name();
            match name {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    let line = self.line_of_tag(name);
                    let level = name[1..].parse().unwrap_or(2);
                    let text = fold_space(&inline_text(child));
                    self.page.heading(Text { text, line }, level);
                }
                "table" => {
                    let line = self.line_of_tag("table");
                    let table = self.table(child, line);
                    self.page.block(Block::Table(table));
                }
                "pre" => {
                    let line = self.line_of_tag("pre");
                    let code = code_block(child, line + 1);
                    self.page.block(Block::Code(code));
                }
                "div" if child.value().classes().any(|c| c == "alert") => self.alert(child),
                "p" | "li" | "dt" | "dd" if !has_block_children(child) => {
                    let line = self.line_of_tag(name);
                    let text = fold_space(&inline_text(child));
                    if !text.is_empty() {
                        self.page.block(Block::Paragraph(Text { text, line }));
                    }
                }
                _ => self.walk(child),
            }
        }
    }

    /// An alert box ("Important", "Note"): its title becomes the paragraph's prefix, as
    /// in the markdown source (`> **Important:** …`).
    fn alert(&mut self, alert: ElementRef<'_>) {
        let mut title = String::new();
        for child in alert.children().filter_map(ElementRef::wrap) {
            let is_title = child.value().classes().any(|c| c == "alert-title");
            let text = fold_space(&inline_text(child));
            if is_title {
                title = text;
                continue;
            }
            if text.is_empty() || child.value().name() != "p" {
                continue;
            }
            let line = self.line_of_tag("p");
            let text = if title.is_empty() || text.starts_with(&title) {
                text
            } else {
                format!("{title}: {text}")
            };
            self.page.block(Block::Paragraph(Text { text, line }));
        }
    }

    fn table(&mut self, table: ElementRef<'_>, line: u32) -> Table {
        let mut out = Table {
            line,
            ..Table::default()
        };
        for row in table.descendants().filter_map(ElementRef::wrap) {
            if row.value().name() != "tr" {
                continue;
            }
            let row_line = self.line_of_tag("tr");
            let mut is_header = true;
            let cells: Vec<String> = row
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|cell| matches!(cell.value().name(), "td" | "th"))
                .map(|cell| {
                    is_header &= cell.value().name() == "th";
                    fold_space(&inline_text(cell))
                })
                .collect();
            if is_header && out.header.is_empty() && out.rows.is_empty() {
                out.header = cells;
            } else {
                out.rows.push(Row {
                    written: cells.len(),
                    cells,
                    line: row_line,
                });
            }
        }
        out
    }

    /// The line of the next `<tag` at or after the cursor, moving the cursor past it.
    fn line_of_tag(&mut self, tag: &str) -> u32 {
        let needle = format!("<{tag}");
        let mut from = self.cursor;
        while let Some(found) = self.src.get(from..).and_then(|rest| rest.find(&needle)) {
            let at = from + found;
            let after = self.src.as_bytes().get(at + needle.len()).copied();
            if matches!(after, Some(b' ' | b'>' | b'/' | b'\n' | b'\t' | b'\r')) {
                self.cursor = at + needle.len();
                return self.lines.line_of(at);
            }
            from = at + needle.len();
        }
        self.lines.line_of(self.cursor)
    }
}

/// Site chrome that the page's own text never lives in.
fn is_chrome(element: ElementRef<'_>) -> bool {
    let value = element.value();
    if value.attr("hidden").is_some() || value.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(
        value.name(),
        "nav" | "button" | "script" | "style" | "template" | "aside" | "footer" | "header"
    ) {
        return true;
    }
    value.classes().any(|class| {
        matches!(
            class,
            "feedback-section"
                | "codeHeader"
                | "page-metadata-container"
                | "metadata"
                | "alert-title"
                | "breadcrumbs"
                | "page-actions"
        )
    }) || value.id() == Some("article-header")
}

fn has_block_children(element: ElementRef<'_>) -> bool {
    element
        .children()
        .filter_map(ElementRef::wrap)
        .any(|child| {
            matches!(
                child.value().name(),
                "p" | "ul" | "ol" | "table" | "pre" | "div" | "blockquote"
            )
        })
}

/// The text of an element with `<br>` as a space and everything else as its text.
fn inline_text(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in element.descendants() {
        match node.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) if e.name() == "br" => out.push(' '),
            _ => {}
        }
    }
    out
}

fn code_block(pre: ElementRef<'_>, line: u32) -> Code {
    let code = pre
        .children()
        .filter_map(ElementRef::wrap)
        .find(|child| child.value().name() == "code");
    let lang = code
        .and_then(|code| {
            code.value().classes().find_map(|class| {
                class
                    .strip_prefix("lang-")
                    .or(class.strip_prefix("language-"))
            })
        })
        .unwrap_or_default()
        .to_string();
    let text: String = code.unwrap_or(pre).text().collect();
    Code {
        lang,
        text: text.trim_end().to_string(),
        line,
    }
}
