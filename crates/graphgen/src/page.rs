//! The format-neutral page model that every reader produces.
//!
//! A page is a title and a list of sections; each section holds blocks (paragraphs,
//! tables, code). Text is plain: markdown links, inline code and HTML tags are reduced to
//! their text, so that the extractor sees the same page whatever format it came from.
//! Every block keeps the 1-based source line it started on, for diagnostics.

use serde::Serialize;

/// The format a page was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// GitHub markdown source.
    Markdown,
    /// Plain text copied from the rendered page, table rows as `a | b |`.
    TextPipe,
    /// Plain text copied from the rendered page, table cells joined by spaces.
    TextPlain,
    /// Plain text in the newer copy style, rows as `| a | b |`, no title line.
    TextLearn,
    /// The saved HTML page.
    Html,
}

impl Format {
    /// Every format, in the order summaries list them.
    pub const ALL: [Format; 5] = [
        Format::Markdown,
        Format::TextPipe,
        Format::TextPlain,
        Format::TextLearn,
        Format::Html,
    ];

    /// The short name used in summaries and in the corpus folder names.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::TextPipe => "text-pipe",
            Format::TextPlain => "text-plain",
            Format::TextLearn => "text-learn",
            Format::Html => "html",
        }
    }
}

/// One page, read into sections.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Page {
    /// The page title (the `#` heading), when the format carries one.
    pub title: Option<Text>,
    /// Blocks before the first section heading (namespace line, notes, intro sentence).
    pub intro: Vec<Block>,
    /// The sections in page order.
    pub sections: Vec<Section>,
}

/// A line of text with the source line it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    /// The text, with markup removed and white space folded.
    pub text: String,
    /// 1-based source line.
    pub line: u32,
}

/// A heading and the blocks below it, up to the next heading.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Section {
    /// The heading text.
    pub heading: Text,
    /// 2 for `##`, 3 for `###`; text formats guess from the heading name.
    pub level: u8,
    /// The blocks in page order.
    pub blocks: Vec<Block>,
}

/// A block of content.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Block {
    /// A paragraph (or list item, or note) as plain text.
    Paragraph(Text),
    /// A table.
    Table(Table),
    /// A code block: an HTTP request or response, or JSON.
    Code(Code),
}

/// A table: header cells and rows of cells, all plain text.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Table {
    /// The header cells.
    pub header: Vec<String>,
    /// The body rows.
    pub rows: Vec<Row>,
    /// Line of the header row.
    pub line: u32,
}

/// A table row.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Row {
    /// The cells, as plain text.
    pub cells: Vec<String>,
    /// 1-based source line.
    pub line: u32,
    /// How many cells the source row has as written, where the format tells (0: unknown).
    /// A count other than the header's is a malformed row.
    pub written: usize,
}

/// A code block.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Code {
    /// The info string (`http`, `json`), empty when the format does not say.
    pub lang: String,
    /// The code, lines joined by `\n`.
    pub text: String,
    /// Line of the first code line.
    pub line: u32,
}

impl Page {
    /// Every block of the page, intro first, with the section it belongs to.
    pub fn blocks(&self) -> impl Iterator<Item = (Option<&Section>, &Block)> {
        self.intro.iter().map(|b| (None, b)).chain(
            self.sections
                .iter()
                .flat_map(|s| s.blocks.iter().map(move |b| (Some(s), b))),
        )
    }
}

/// Folds runs of white space (including non-breaking spaces) into one space and trims.
/// A space before `,` `.` `;` or `:` that ends a word is dropped: text copied from the
/// rendered pages puts one after every inline code span (`a , b .`).
pub fn fold_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        let punctuation_only = word.len() == 1 && matches!(word, "," | "." | ";" | ":");
        if !out.is_empty() && !punctuation_only {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The line after a JSON value that starts on line `start`, found by balancing brackets
/// outside strings; an unbalanced value runs to the next section heading or the end.
pub fn json_end(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        if i > start && depth == 0 {
            return i;
        }
        if i > start && crate::read::known_heading(line.trim()) && !in_string {
            return i;
        }
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
            } else {
                match c {
                    '"' => in_string = true,
                    '{' | '[' => depth += 1,
                    '}' | ']' => depth -= 1,
                    _ => {}
                }
            }
        }
        // A string never spans lines in these bodies; a stray quote must not swallow the page.
        in_string = false;
        if depth <= 0 {
            return i + 1;
        }
    }
    lines.len()
}

#[cfg(test)]
mod tests {
    use super::{fold_space, json_end};

    #[test]
    fn json_extent_balances_brackets() {
        let lines = ["{", "\"a\": \"}\",", "\"b\": [1, 2]", "}", "after"];
        assert_eq!(json_end(&lines, 0), 4);
    }

    #[test]
    fn folding_joins_copied_code_spans_to_their_punctuation() {
        assert_eq!(fold_space("  a ,\u{a0}b  .\n"), "a, b.");
        assert_eq!(fold_space("x . y"), "x. y");
        assert_eq!(fold_space("1 .. 2"), "1 .. 2");
    }
}
