//! Read: one reader per format, each producing the format-neutral [`Page`].
//!
//! The format comes from the file extension, then from sniffing the content, because a
//! `.txt` file can hold markdown or HTML as easily as copied text.

mod html;
pub mod include;
mod markdown;
mod text;

use crate::page::{Block, Format, Page, Section, SectionKind, Text};

/// Why a file could not be read as a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The file is empty or holds only white space.
    Empty,
    /// The bytes are not UTF-8; `offset` is where decoding stopped.
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of that byte.
        line: u32,
    },
    /// The content is binary (it holds NUL or other control bytes).
    Binary {
        /// 1-based line of the first control byte.
        line: u32,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Empty => write!(f, "the file is empty; expected a Graph reference page"),
            ReadError::NotUtf8 { offset, .. } => write!(
                f,
                "the file is not UTF-8 (invalid byte at offset {offset}); expected a text page"
            ),
            ReadError::Binary { .. } => write!(
                f,
                "the file holds binary data (control bytes); expected a text page"
            ),
        }
    }
}

impl ReadError {
    /// The 1-based line the problem is on.
    pub fn line(&self) -> u32 {
        match self {
            ReadError::Empty => 1,
            ReadError::NotUtf8 { line, .. } | ReadError::Binary { line } => *line,
        }
    }
}

/// Decodes a file's bytes and reads it in the format its extension and content say.
pub fn read_bytes(extension: &str, bytes: &[u8]) -> Result<(Format, Page), ReadError> {
    let (format, src) = decode(extension, bytes)?;
    Ok((format, read_str(format, src)))
}

/// Reads a markdown page whose includes were put in ([`include::expand`]): `lines` gives
/// each line's number in the page.
pub fn read_expanded_markdown(src: &str, lines: Vec<u32>) -> Page {
    markdown::read_with_lines(src, LineIndex::new(src).with_origin(lines))
}

/// Decodes a file's bytes into text and the format its extension and content say.
pub fn decode<'b>(extension: &str, bytes: &'b [u8]) -> Result<(Format, &'b str), ReadError> {
    // NUL and other control bytes say binary before any decoding error can.
    if let Some(pos) = bytes
        .iter()
        .position(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
    {
        let line = 1 + bytes[..pos].iter().filter(|&&b| b == b'\n').count() as u32;
        return Err(ReadError::Binary { line });
    }
    let src = match std::str::from_utf8(bytes) {
        Ok(src) => src,
        Err(e) => {
            let offset = e.valid_up_to();
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u32;
            return Err(ReadError::NotUtf8 { offset, line });
        }
    };
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if src.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok((detect_format(extension, src), src))
}

/// Reads text already known to be in `format`.
pub fn read_str(format: Format, src: &str) -> Page {
    match format {
        Format::Markdown => markdown::read(src),
        Format::Html => html::read(src),
        Format::TextPipe | Format::TextPlain | Format::TextLearn => text::read(src),
    }
}

/// Chooses the format: `.md` and `.html` by extension, anything else by content.
pub fn detect_format(extension: &str, src: &str) -> Format {
    match extension.to_ascii_lowercase().as_str() {
        "md" | "markdown" => Format::Markdown,
        "html" | "htm" => Format::Html,
        _ => sniff(src),
    }
}

fn sniff(src: &str) -> Format {
    let head = src.trim_start();
    let lower_head: String = head
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower_head.starts_with("<!doctype html") || lower_head.starts_with("<html") {
        return Format::Html;
    }
    let lines: Vec<&str> = src.lines().map(str::trim_end).collect();
    let markdown_signs = lines
        .iter()
        .filter(|l| {
            l.starts_with("# ")
                || l.starts_with("## ")
                || l.starts_with("```")
                || l.starts_with("|:--")
                || l.starts_with("<!-- {")
        })
        .count();
    if head.starts_with("---\n") || head.starts_with("---\r\n") || markdown_signs >= 2 {
        return Format::Markdown;
    }
    let learn_preamble = lines
        .iter()
        .take(3)
        .any(|l| l.starts_with("Access to this page requires"));
    if learn_preamble
        || lines
            .iter()
            .any(|l| l.starts_with("|---") || l.starts_with("| ---"))
    {
        Format::TextLearn
    } else if lines.iter().any(|l| l.starts_with("---|")) {
        Format::TextPipe
    } else if lines
        .iter()
        .any(|l| l.is_empty() || text::is_plain_header(l))
    {
        // Text copied with cells joined by spaces keeps blank lines between blocks.
        Format::TextPlain
    } else {
        Format::TextPipe
    }
}

/// Maps byte offsets to 1-based line numbers.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    /// Where the text is not the file's own (includes put in): each line's number in
    /// the file.
    origin: Option<Vec<u32>>,
}

impl LineIndex {
    pub(crate) fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            origin: None,
        }
    }

    /// Numbers each line as `origin` says rather than by its place in the text.
    fn with_origin(mut self, origin: Vec<u32>) -> Self {
        self.origin = Some(origin);
        self
    }

    pub(crate) fn line_of(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&start| start <= offset) as u32;
        match &self.origin {
            Some(origin) => origin
                .get(line as usize - 1)
                .or(origin.last())
                .copied()
                .unwrap_or(line),
            None => line,
        }
    }
}

/// Collects blocks into the title, the intro and sections as a reader finds them.
#[derive(Default)]
pub(crate) struct PageBuilder {
    page: Page,
}

impl PageBuilder {
    /// A heading: level 1 is the title (the first one only), others open a section. A
    /// heading that names no known section ("### Get a specific extension" under
    /// "## HTTP request", "## Page Content" after "## Properties") is prose of the
    /// section it is in: the copied text, which marks no heading levels and knows a
    /// heading only by its name, reads it so, and what follows it still belongs there.
    pub(crate) fn heading(&mut self, heading: Text, level: u8) {
        if heading.text.is_empty() {
            return;
        }
        if level <= 1 && self.page.title.is_none() && self.page.sections.is_empty() {
            self.page.title = Some(heading);
            return;
        }
        if SectionKind::of(&heading.text).is_none() {
            self.block(Block::Paragraph(heading));
            return;
        }
        self.page.sections.push(Section {
            heading,
            level: level.max(2),
            blocks: Vec::new(),
        });
    }

    pub(crate) fn block(&mut self, block: Block) {
        match self.page.sections.last_mut() {
            Some(section) => section.blocks.push(block),
            None => self.page.intro.push(block),
        }
    }

    pub(crate) fn finish(self) -> Page {
        self.page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_sub_headings_stay_in_their_section() {
        let src = "# Get x\n\n## HTTP request\n\n### Get a specific x\n\n```http\nGET /a\n```\n\n### Example 1: read\n\n#### Request\n\n## Response\n";
        let page = read_str(Format::Markdown, src);
        let headings: Vec<&str> = page
            .sections
            .iter()
            .map(|s| s.heading.text.as_str())
            .collect();
        assert_eq!(
            headings,
            ["HTTP request", "Example 1: read", "Request", "Response"]
        );
        assert_eq!(
            page.sections[0].blocks.len(),
            2,
            "the sub-heading and the request"
        );
    }

    #[test]
    fn line_index_counts_from_one() {
        let index = LineIndex::new("a\nbc\n\nd");
        assert_eq!(index.line_of(0), 1);
        assert_eq!(index.line_of(2), 2);
        assert_eq!(index.line_of(5), 3);
        assert_eq!(index.line_of(6), 4);
    }

    #[test]
    fn sniffing_tells_text_styles_apart() {
        assert_eq!(sniff("a | b |\n---|---|\nc | d |\n"), Format::TextPipe);
        assert_eq!(
            sniff("| a | b |\n|---|---|\n| c | d |\n"),
            Format::TextLearn
        );
        assert_eq!(
            sniff("Property Type Description\nid String Key\n"),
            Format::TextPlain
        );
        assert_eq!(sniff("---\ntitle: x\n---\n# X\n"), Format::Markdown);
        assert_eq!(sniff("<!DOCTYPE html><html></html>"), Format::Html);
    }

    #[test]
    fn bad_bytes_are_errors_not_panics() {
        assert_eq!(read_bytes("md", b"  \n"), Err(ReadError::Empty));
        assert!(matches!(
            read_bytes("txt", b"ok\n\xff\xfe"),
            Err(ReadError::NotUtf8 { line: 2, .. })
        ));
        assert!(matches!(
            read_bytes("txt", b"a\0b"),
            Err(ReadError::Binary { line: 1 })
        ));
    }
}
