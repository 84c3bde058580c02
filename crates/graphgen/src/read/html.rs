//! Reads saved HTML pages with scraper.
//!
//! Only the article inside `<main>` is read, and site chrome inside it is skipped: the
//! hidden sign-in notice, the "In this article" navigation, the code blocks' "Copy" bars,
//! page metadata and the feedback section. html5ever keeps no source positions, so block
//! lines are found by scanning the source for each block's start tag in document order.
//!
//! The walk over the element tree recurses, so it stops descending at [`MAX_DEPTH`]:
//! deeper content becomes one paragraph of its text, and hostile nesting cannot overflow
//! the stack. Real pages nest a few dozen elements deep.

use scraper::{ElementRef, Html, Node, Selector};

use super::{LineIndex, PageBuilder};
use crate::page::{Block, Code, Page, Row, Table, Text, fold_space};

/// How deep the walk descends into nested elements before it reads what is below as
/// flat text.
pub const MAX_DEPTH: usize = 256;

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
    reader.walk(root, 0);
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
    fn walk(&mut self, element: ElementRef<'_>, depth: usize) {
        if depth >= MAX_DEPTH {
            // Too deep to walk: all the text below as one paragraph, so nothing is lost.
            self.paragraph(element);
            return;
        }
        for child in element.children() {
            let Some(child) = ElementRef::wrap(child) else {
                continue;
            };
            if is_chrome(child) {
                continue;
            }
            let name = child.value().name();
            match name {
                // A heading naming no known section, such as a tab of code samples
                // (`<h1><a href="#tab/http">HTTP</a></h1>`, markdown's tab marker saved
                // unrendered), is prose of the section it is in (`PageBuilder::heading`).
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
                "p" | "li" | "dt" | "dd" if !has_block_children(child) => self.paragraph(child),
                _ => self.walk(child, depth + 1),
            }
        }
    }

    /// An element's text as a paragraph, unless it has none.
    fn paragraph(&mut self, element: ElementRef<'_>) {
        let line = self.line_of_tag(element.value().name());
        let text = fold_space(&inline_text(element));
        if !text.is_empty() {
            self.page.block(Block::Paragraph(Text { text, line }));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_read_flat_without_overflowing_the_stack() {
        // Deep enough to overflow the small stack below without the bound; html5ever
        // takes time quadratic in the depth, so not deeper.
        let depth = 20_000;
        let src = format!(
            "<html><body><main><h1>x resource type</h1>{}deep text{}</main></body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        // A small stack, so that an unbounded walk would overflow at once.
        let page = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || read(&src))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(page.title.as_ref().unwrap().text, "x resource type");
        let texts: Vec<_> = page.blocks().map(|(_, b)| b.clone()).collect();
        assert!(
            matches!(&texts[..], [Block::Paragraph(p)] if p.text == "deep text"),
            "{texts:?}"
        );
    }

    #[test]
    fn tab_markers_stay_inside_their_section() {
        let page = read(concat!(
            "<html><body><main><h1>Get drive</h1><h2>HTTP request</h2>",
            r##"<h1 id="http"><a href="#tab/http">HTTP</a></h1>"##,
            "<pre><code>GET /me/drive\n</code></pre>",
            r##"<h1 id="c"><a href="#tab/csharp">C#</a></h1><p>snippet</p>"##,
            "<h2>Response</h2><p>If successful, 200 OK.</p></main></body></html>",
        ));
        let names: Vec<&str> = page
            .sections
            .iter()
            .map(|s| s.heading.text.as_str())
            .collect();
        assert_eq!(names, ["HTTP request", "Response"], "{page:?}");
        assert!(
            page.sections[0]
                .blocks
                .iter()
                .any(|b| matches!(b, Block::Code(c) if c.text.contains("GET /me/drive")))
        );
    }
}
