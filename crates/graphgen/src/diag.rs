//! Diagnostics: problems found in the pages, as values with a location.
//!
//! Stages return diagnostics; only the front end renders them, with the source line.

use serde::Serialize;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was skipped or guessed; the output is still complete for the rest.
    Warning,
    /// Something the page documents could not be understood; the run fails.
    Error,
}

/// One problem, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The file, as given on the command line (relative to the input folder's parent).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// A short stable code naming the kind of problem, e.g. `no-http-request`.
    pub code: &'static str,
    /// What is wrong, and what was expected.
    pub message: String,
    /// Another place involved (e.g. the other page of a disagreement): file and line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<(String, u32)>,
}

impl Diagnostic {
    /// An error at `file:line`.
    pub fn error(file: &str, line: u32, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            code,
            message: message.into(),
            related: None,
        }
    }

    /// A warning at `file:line`.
    pub fn warning(file: &str, line: u32, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, code, message)
        }
    }

    /// Names a second place involved in the problem.
    pub fn with_related(mut self, file: &str, line: u32) -> Self {
        self.related = Some((file.to_string(), line));
        self
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{severity}[{}]: {}:{}: {}",
            self.code, self.file, self.line, self.message
        )?;
        if let Some((file, line)) = &self.related {
            write!(f, " (see also {file}:{line})")?;
        }
        Ok(())
    }
}

/// A hint for each kind of problem: what to change in the page.
pub fn hint(code: &str) -> Option<&'static str> {
    Some(match code {
        "unreadable" => "save the page as UTF-8 text (markdown, copied text or HTML)",
        "row-width" => "every row needs one cell per header column",
        "odd-property" => "a property name is one identifier, e.g. `displayName`",
        "odd-type" => {
            "a type is one name, optionally followed by `collection`, e.g. `String collection`"
        }
        "odd-member" => "a member name is one identifier, e.g. `notApplicable`",
        "no-request-line" | "no-http-request" => {
            "add `## HTTP request` with lines such as `GET /deviceManagement/widgets/{widgetId}`"
        }
        "no-path" | "bad-path" => "a path starts with `/` and closes every `{` it opens",
        "no-status" => {
            "say `If successful, this method returns a `200 OK` response code` under `## Response`"
        }
        "no-members" => "add a `Member | Value | Description` table under `## Members`",
        "no-type-name" => {
            "title the page `x resource type` or give its JSON representation an `@odata.type`"
        }
        "type-conflict" | "duplicate-property" => "make both places agree on the property's type",
        "kind-conflict" => "a name is either an enum or a resource type, not both",
        "undefined-type" => "add the type's resource or enum page, or fix the type's name",
        "bad-example-json" => "fix the example so that it parses as JSON",
        "not-a-reference-page" => {
            "give the page a title and its sections (`## Properties`, `## HTTP request` …)"
        }
        "mixed-methods" => "document one method per page",
        "status-conflict" => "make both pages document the same success status",
        _ => return None,
    })
}

/// Renders a diagnostic in the style of rustc: `file:line`, the source line, a caret
/// under it, and a hint. `source` is the file's text, when it could be read.
pub fn render(diagnostic: &Diagnostic, source: Option<&str>) -> String {
    use annotate_snippets::{Level, Renderer, Snippet};
    let level = match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let line_text = source
        .and_then(|s| s.lines().nth(diagnostic.line.saturating_sub(1) as usize))
        .map(|l| {
            l.chars()
                .take(200)
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        })
        .unwrap_or_default();
    let related = diagnostic
        .related
        .as_ref()
        .map(|(file, line)| format!("see also {file}:{line}"));
    let mut message = level.title(&diagnostic.message).id(diagnostic.code);
    let start = line_text.len() - line_text.trim_start().len();
    let end = line_text.trim_end().len().max(start);
    if end > start {
        message = message.snippet(
            Snippet::source(&line_text)
                .line_start(diagnostic.line as usize)
                .origin(&diagnostic.file)
                .annotation(level.span(start..end)),
        );
    } else {
        message = message.snippet(
            Snippet::source("")
                .line_start(diagnostic.line as usize)
                .origin(&diagnostic.file),
        );
    }
    if let Some(related) = &related {
        message = message.footer(Level::Note.title(related));
    }
    if let Some(hint) = hint(diagnostic.code) {
        message = message.footer(Level::Help.title(hint));
    }
    Renderer::plain().render(message).to_string()
}
