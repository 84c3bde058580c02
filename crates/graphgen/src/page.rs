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

/// The sections the reference pages use, known by their headings. Copied text has no
/// heading markup, so a reader tells a heading from prose only by these names; the
/// extractor finds the sections it reads by them too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// `Permissions`.
    Permissions,
    /// `Prerequisites`.
    Prerequisites,
    /// `HTTP request`.
    HttpRequest,
    /// `Optional query parameters`.
    OptionalQueryParameters,
    /// `Query parameters`.
    QueryParameters,
    /// `Path parameters`.
    PathParameters,
    /// `Function parameters`.
    FunctionParameters,
    /// `Parameters`.
    Parameters,
    /// `Request headers`.
    RequestHeaders,
    /// `Request body`.
    RequestBody,
    /// `Response`.
    Response,
    /// `Responses`.
    Responses,
    /// `Example`. Also every numbered example (`Example 1: …`).
    Example,
    /// `Examples`.
    Examples,
    /// `Request`.
    Request,
    /// `Properties`.
    Properties,
    /// `Relationships`.
    Relationships,
    /// `JSON representation`.
    JsonRepresentation,
    /// `Methods`.
    Methods,
    /// `Members`.
    Members,
    /// `Functions`.
    Functions,
    /// `Actions`.
    Actions,
    /// `See also`.
    SeeAlso,
    /// `Related content`.
    RelatedContent,
}

impl SectionKind {
    /// Every known section, in the order headings are matched.
    pub const ALL: [SectionKind; 24] = [
        SectionKind::Permissions,
        SectionKind::Prerequisites,
        SectionKind::HttpRequest,
        SectionKind::OptionalQueryParameters,
        SectionKind::QueryParameters,
        SectionKind::PathParameters,
        SectionKind::FunctionParameters,
        SectionKind::Parameters,
        SectionKind::RequestHeaders,
        SectionKind::RequestBody,
        SectionKind::Response,
        SectionKind::Responses,
        SectionKind::Example,
        SectionKind::Examples,
        SectionKind::Request,
        SectionKind::Properties,
        SectionKind::Relationships,
        SectionKind::JsonRepresentation,
        SectionKind::Methods,
        SectionKind::Members,
        SectionKind::Functions,
        SectionKind::Actions,
        SectionKind::SeeAlso,
        SectionKind::RelatedContent,
    ];

    /// The heading as the pages spell it.
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Permissions => "Permissions",
            SectionKind::Prerequisites => "Prerequisites",
            SectionKind::HttpRequest => "HTTP request",
            SectionKind::OptionalQueryParameters => "Optional query parameters",
            SectionKind::QueryParameters => "Query parameters",
            SectionKind::PathParameters => "Path parameters",
            SectionKind::FunctionParameters => "Function parameters",
            SectionKind::Parameters => "Parameters",
            SectionKind::RequestHeaders => "Request headers",
            SectionKind::RequestBody => "Request body",
            SectionKind::Response => "Response",
            SectionKind::Responses => "Responses",
            SectionKind::Example => "Example",
            SectionKind::Examples => "Examples",
            SectionKind::Request => "Request",
            SectionKind::Properties => "Properties",
            SectionKind::Relationships => "Relationships",
            SectionKind::JsonRepresentation => "JSON representation",
            SectionKind::Methods => "Methods",
            SectionKind::Members => "Members",
            SectionKind::Functions => "Functions",
            SectionKind::Actions => "Actions",
            SectionKind::SeeAlso => "See also",
            SectionKind::RelatedContent => "Related content",
        }
    }

    /// The known section a heading line names (ignoring case and surrounding space), or
    /// `None` for any other line.
    pub fn of(line: &str) -> Option<SectionKind> {
        let line = line.trim();
        if let Some(kind) = SectionKind::ALL.into_iter().find(|k| k.is_named_by(line)) {
            return Some(kind);
        }
        // "Example 1: Create a ..." and "Example 2" number the examples; "Example (file
        // attachment)" names one.
        let lower = line.to_ascii_lowercase();
        let rest = lower.strip_prefix("example ")?;
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let numbered = digits > 0 && (rest.len() == digits || rest[digits..].starts_with(':'));
        let named = rest.starts_with('(') && rest.ends_with(')');
        (numbered || named).then_some(SectionKind::Example)
    }

    /// Whether a heading is exactly this section's name, ignoring case.
    pub fn is_named_by(self, heading: &str) -> bool {
        heading.eq_ignore_ascii_case(self.name())
    }

    /// The markdown level of the heading: `Request` is a sub-heading of an example.
    pub fn level(self) -> u8 {
        if self == SectionKind::Request { 3 } else { 2 }
    }
}

/// What a page's title says the page documents, from its closing words:
/// "x resource type", "x enum type", "x action", "x function".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleKind {
    /// `x resource type` or `x complex type`.
    Resource,
    /// `x enum type` or `x enumeration type`.
    Enum,
    /// `x action`.
    Action,
    /// `x function`.
    Function,
}

impl TitleKind {
    /// The closing words of each kind, as the pages spell them.
    const SUFFIXES: [(&'static str, TitleKind); 6] = [
        (" resource type", TitleKind::Resource),
        (" complex type", TitleKind::Resource),
        (" enum type", TitleKind::Enum),
        (" enumeration type", TitleKind::Enum),
        (" action", TitleKind::Action),
        (" function", TitleKind::Function),
    ];

    /// The kind a title names, ignoring case, with the name before the closing words. A
    /// closing remark in parentheses is no part of the title's kind: "x resource type
    /// (deprecated)".
    pub fn split(title: &str) -> Option<(TitleKind, &str)> {
        let title = without_remark(title);
        TitleKind::SUFFIXES.iter().find_map(|&(suffix, kind)| {
            let at = title.len().checked_sub(suffix.len())?;
            (title.is_char_boundary(at) && title[at..].eq_ignore_ascii_case(suffix))
                .then(|| (kind, &title[..at]))
        })
    }

    /// The kind a line names only when its closing words are spelled as the pages spell
    /// them, in lower case: where a title is guessed rather than marked (the first line
    /// of copied text, a title that reads as a method's), `Resource Type` in capitals is
    /// more likely a heading or a sentence than a title.
    pub fn spelled(line: &str) -> Option<TitleKind> {
        TitleKind::SUFFIXES
            .iter()
            .find(|(suffix, _)| line.ends_with(suffix))
            .map(|&(_, kind)| kind)
    }
}

/// A title without a closing remark in parentheses: "x resource type (deprecated)".
pub fn without_remark(title: &str) -> &str {
    let title = title.trim_end();
    match title.strip_suffix(')').and_then(|t| t.rfind('(')) {
        Some(open) => title[..open].trim_end(),
        None => title,
    }
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

/// The `title:` of a front matter the renderer showed as one line of text, `--- title:
/// "x resource type" description: "…" … ---`: a page whose opening `---` has a space
/// after it is no front matter to the renderer. None for any other line.
pub fn leaked_front_matter_title(line: &str) -> Option<String> {
    let inner = line.trim().strip_prefix("---")?.strip_suffix("---")?.trim();
    let value = inner.strip_prefix("title:")?.trim_start();
    let title = match value.strip_prefix('"') {
        Some(quoted) => &quoted[..quoted.find('"')?],
        // An unquoted title runs to the next key, which the line no longer separates.
        None => value.split(" description:").next()?,
    };
    Some(fold_space(title)).filter(|t| !t.is_empty())
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
        if i > start && SectionKind::of(line).is_some() && !in_string {
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
    use super::{SectionKind, TitleKind, fold_space, json_end};

    #[test]
    fn json_extent_balances_brackets() {
        let lines = ["{", "\"a\": \"}\",", "\"b\": [1, 2]", "}", "after"];
        assert_eq!(json_end(&lines, 0), 4);
    }

    #[test]
    fn numbered_examples_are_headings() {
        assert_eq!(
            SectionKind::of("Example 2: Get a device"),
            Some(SectionKind::Example)
        );
        assert_eq!(
            SectionKind::of(" HTTP Request "),
            Some(SectionKind::HttpRequest)
        );
        assert_eq!(SectionKind::of("Example of the request."), None);
        assert_eq!(
            SectionKind::of("Example (file attachment)"),
            Some(SectionKind::Example)
        );
        assert_eq!(SectionKind::Request.level(), 3);
    }

    #[test]
    fn titles_name_their_kind() {
        assert_eq!(
            TitleKind::split("user Resource Type"),
            Some((TitleKind::Resource, "user"))
        );
        assert_eq!(TitleKind::spelled("user Resource Type"), None);
        assert_eq!(
            TitleKind::spelled("runState enum type"),
            Some(TitleKind::Enum)
        );
        assert_eq!(TitleKind::split("Create user"), None);
        assert_eq!(
            TitleKind::split("accessReview resource type (deprecated)"),
            Some((TitleKind::Resource, "accessReview"))
        );
    }

    #[test]
    fn folding_joins_copied_code_spans_to_their_punctuation() {
        assert_eq!(fold_space("  a ,\u{a0}b  .\n"), "a, b.");
        assert_eq!(fold_space("x . y"), "x. y");
        assert_eq!(fold_space("1 .. 2"), "1 .. 2");
    }
}
