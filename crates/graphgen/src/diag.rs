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
