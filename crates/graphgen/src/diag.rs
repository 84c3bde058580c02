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
    /// The kind of problem as its short stable code ([`DiagnosticCode::as_str`]), e.g.
    /// `no-http-request`. A string rather than the enum, so that front ends group and
    /// compare diagnostics by the same spelling that JSON output carries.
    pub code: &'static str,
    /// What is wrong, and what was expected.
    pub message: String,
    /// Another place involved (e.g. the other page of a disagreement): file and line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<(String, u32)>,
}

impl Diagnostic {
    /// An error at `file:line`.
    pub fn error(file: &str, line: u32, code: DiagnosticCode, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            code: code.as_str(),
            message: message.into(),
            related: None,
        }
    }

    /// A warning at `file:line`.
    pub fn warning(
        file: &str,
        line: u32,
        code: DiagnosticCode,
        message: impl Into<String>,
    ) -> Self {
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

/// The kinds of problem. Each has a short stable code ([`DiagnosticCode::as_str`]) that
/// JSON output, summaries and tests name it by, so the spelling never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiagnosticCode {
    /// The file could not be read or decoded.
    Unreadable,
    /// A table row has more or fewer cells than its header.
    RowWidth,
    /// A property table row whose name is no property name.
    OddProperty,
    /// A property whose type cell is no type name.
    OddType,
    /// An enum member table row whose name is no identifier.
    OddMember,
    /// An HTTP request section without a request line.
    NoRequestLine,
    /// A page titled like a method page without an HTTP request section.
    NoHttpRequest,
    /// A request line whose target is no path.
    NoPath,
    /// A request path with unbalanced braces.
    BadPath,
    /// A method page that documents no success status.
    NoStatus,
    /// An enum page without members.
    NoMembers,
    /// A resource page that names no type.
    NoTypeName,
    /// Two pages give one property different types.
    TypeConflict,
    /// One page lists a property twice with different types.
    DuplicateProperty,
    /// Pages disagree on whether a type is an enum or a resource type.
    KindConflict,
    /// A type that no page defines.
    UndefinedType,
    /// An example body that is not JSON.
    BadExampleJson,
    /// A page with nothing of a reference page.
    NotAReferencePage,
    /// Pages document different success statuses for one operation.
    StatusConflict,
    /// Pages document one operation with types that share no base type.
    OperationTypeConflict,
    /// A request line's path lacks its leading `/` (read as if it had one).
    RelativePath,
    /// An `[!INCLUDE]` whose file is not there (the page is read without it).
    MissingInclude,
}

impl DiagnosticCode {
    /// Every code, for looking one up by its spelling.
    pub const ALL: [DiagnosticCode; 22] = [
        DiagnosticCode::Unreadable,
        DiagnosticCode::RowWidth,
        DiagnosticCode::OddProperty,
        DiagnosticCode::OddType,
        DiagnosticCode::OddMember,
        DiagnosticCode::NoRequestLine,
        DiagnosticCode::NoHttpRequest,
        DiagnosticCode::NoPath,
        DiagnosticCode::BadPath,
        DiagnosticCode::NoStatus,
        DiagnosticCode::NoMembers,
        DiagnosticCode::NoTypeName,
        DiagnosticCode::TypeConflict,
        DiagnosticCode::DuplicateProperty,
        DiagnosticCode::KindConflict,
        DiagnosticCode::UndefinedType,
        DiagnosticCode::BadExampleJson,
        DiagnosticCode::NotAReferencePage,
        DiagnosticCode::StatusConflict,
        DiagnosticCode::OperationTypeConflict,
        DiagnosticCode::RelativePath,
        DiagnosticCode::MissingInclude,
    ];

    /// The code as JSON output and summaries spell it, e.g. `no-http-request`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::Unreadable => "unreadable",
            DiagnosticCode::RowWidth => "row-width",
            DiagnosticCode::OddProperty => "odd-property",
            DiagnosticCode::OddType => "odd-type",
            DiagnosticCode::OddMember => "odd-member",
            DiagnosticCode::NoRequestLine => "no-request-line",
            DiagnosticCode::NoHttpRequest => "no-http-request",
            DiagnosticCode::NoPath => "no-path",
            DiagnosticCode::BadPath => "bad-path",
            DiagnosticCode::NoStatus => "no-status",
            DiagnosticCode::NoMembers => "no-members",
            DiagnosticCode::NoTypeName => "no-type-name",
            DiagnosticCode::TypeConflict => "type-conflict",
            DiagnosticCode::DuplicateProperty => "duplicate-property",
            DiagnosticCode::KindConflict => "kind-conflict",
            DiagnosticCode::UndefinedType => "undefined-type",
            DiagnosticCode::BadExampleJson => "bad-example-json",
            DiagnosticCode::NotAReferencePage => "not-a-reference-page",
            DiagnosticCode::StatusConflict => "status-conflict",
            DiagnosticCode::OperationTypeConflict => "operation-type-conflict",
            DiagnosticCode::RelativePath => "relative-path",
            DiagnosticCode::MissingInclude => "missing-include",
        }
    }

    /// The code a spelling names, if any.
    pub fn parse(code: &str) -> Option<DiagnosticCode> {
        DiagnosticCode::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// What to change in the page to fix this kind of problem.
    pub fn hint(self) -> &'static str {
        match self {
            DiagnosticCode::Unreadable => {
                "save the page as UTF-8 text (markdown, copied text or HTML)"
            }
            DiagnosticCode::RowWidth => "every row needs one cell per header column",
            DiagnosticCode::OddProperty => "a property name is one identifier, e.g. `displayName`",
            DiagnosticCode::OddType => {
                "a type is one name, optionally followed by `collection`, e.g. `String collection`"
            }
            DiagnosticCode::OddMember => "a member name is one identifier, e.g. `notApplicable`",
            DiagnosticCode::NoRequestLine | DiagnosticCode::NoHttpRequest => {
                "add `## HTTP request` with lines such as `GET /deviceManagement/widgets/{widgetId}`"
            }
            DiagnosticCode::NoPath | DiagnosticCode::BadPath => {
                "a path starts with `/` and closes every `{` it opens"
            }
            DiagnosticCode::NoStatus => {
                "say `If successful, this method returns a `200 OK` response code` under `## Response`"
            }
            DiagnosticCode::NoMembers => {
                "add a `Member | Value | Description` table under `## Members`"
            }
            DiagnosticCode::NoTypeName => {
                "title the page `x resource type` or give its JSON representation an `@odata.type`"
            }
            DiagnosticCode::TypeConflict | DiagnosticCode::DuplicateProperty => {
                "make both places agree on the property's type"
            }
            DiagnosticCode::KindConflict => "a name is either an enum or a resource type, not both",
            DiagnosticCode::UndefinedType => {
                "add the type's resource or enum page, or fix the type's name"
            }
            DiagnosticCode::BadExampleJson => "fix the example so that it parses as JSON",
            DiagnosticCode::NotAReferencePage => {
                "give the page a title and its sections (`## Properties`, `## HTTP request` …)"
            }
            DiagnosticCode::StatusConflict => "make both pages document the same success status",
            DiagnosticCode::OperationTypeConflict => {
                "document the operation with one type, or give the types a common base"
            }
            DiagnosticCode::RelativePath => "start the path with `/`",
            DiagnosticCode::MissingInclude => {
                "add the included file, or fix the include's path (relative to the page)"
            }
        }
    }
}

/// A hint for each kind of problem, by its code: what to change in the page.
pub fn hint(code: &str) -> Option<&'static str> {
    DiagnosticCode::parse(code).map(DiagnosticCode::hint)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_found_by_its_spelling_and_has_a_hint() {
        for code in DiagnosticCode::ALL {
            assert_eq!(DiagnosticCode::parse(code.as_str()), Some(code));
            assert_eq!(hint(code.as_str()), Some(code.hint()));
        }
        assert_eq!(hint("no-such-code"), None);
    }
}
