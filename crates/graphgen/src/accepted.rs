//! Accepted diagnostics: docs defects a team has decided to live with, so that they stop
//! failing CI while any new one still does.
//!
//! `cargo xtask codegen --accept-diagnostics` writes the errors of the run to
//! `accepted-diagnostics.json` in the output folder (committed with the generated code).
//! Later runs pass when every error is accepted there and fail naming each one that is
//! not. Entries are keyed by page and code with a count, never by line, so that editing
//! another part of a page does not disturb them; the messages are kept for the reader.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Severity};

/// The file's name in the output folder.
pub const FILE_NAME: &str = "accepted-diagnostics.json";

/// The accepted errors, sorted by page and code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    /// One entry per page and code.
    pub accepted: Vec<Entry>,
}

/// The errors of one code on one page that are accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The page: its path below the input folder, without extension.
    pub page: String,
    /// The diagnostic code, e.g. `no-status`.
    pub code: String,
    /// How many such errors the page may have.
    pub count: usize,
    /// Their messages when they were accepted, for the reader.
    pub messages: Vec<String>,
}

/// How a run's errors compare with the accepted ones.
#[derive(Debug, Default)]
pub struct Judgement<'d> {
    /// Errors covered by an entry.
    pub accepted: usize,
    /// Errors no entry covers: these fail the run.
    pub new: Vec<&'d Diagnostic>,
    /// Entries that cover more than now occurs (the docs were fixed): page, code, and
    /// how many no longer occur.
    pub gone: Vec<(String, String, usize)>,
}

impl Accepted {
    /// The errors among `diagnostics`, as entries; `inputs` are the input folders, which
    /// page keys are relative to.
    pub fn from_errors(diagnostics: &[Diagnostic], inputs: &[PathBuf]) -> Self {
        let mut entries: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for d in errors(diagnostics) {
            let key = (page_key(&d.file, inputs), d.code.to_string());
            entries.entry(key).or_default().push(d.message.clone());
        }
        let accepted = entries
            .into_iter()
            .map(|((page, code), mut messages)| {
                messages.sort();
                Entry {
                    page,
                    code,
                    count: messages.len(),
                    messages,
                }
            })
            .collect();
        Accepted { accepted }
    }

    /// Reads the file in `output`; `Ok(None)` when there is none.
    pub fn load(output: &Path) -> Result<Option<Self>, String> {
        let path = output.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
                format!(
                    "{}: not a list of accepted diagnostics: {e}",
                    path.display()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Writes the file in `output` (only when its contents change); whether it changed.
    pub fn store(&self, output: &Path) -> std::io::Result<bool> {
        let path = output.join(FILE_NAME);
        let text = crate::emit::pretty_json(self);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(false);
        }
        std::fs::create_dir_all(output)?;
        std::fs::write(&path, text)?;
        Ok(true)
    }

    /// Sorts `diagnostics`' errors into accepted and new ones.
    pub fn judge<'d>(&self, diagnostics: &'d [Diagnostic], inputs: &[PathBuf]) -> Judgement<'d> {
        let mut left: BTreeMap<(String, String), usize> = self
            .accepted
            .iter()
            .map(|e| ((e.page.clone(), e.code.clone()), e.count))
            .collect();
        let mut judgement = Judgement::default();
        for d in errors(diagnostics) {
            let key = (page_key(&d.file, inputs), d.code.to_string());
            match left.get_mut(&key) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    judgement.accepted += 1;
                }
                _ => judgement.new.push(d),
            }
        }
        judgement.gone = left
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|((page, code), count)| (page, code, count))
            .collect();
        judgement
    }
}

fn errors(diagnostics: &[Diagnostic]) -> impl Iterator<Item = &Diagnostic> {
    diagnostics.iter().filter(|d| d.severity == Severity::Error)
}

/// A diagnostic's file as a page key: relative to the input folder it is in, `/`
/// separated, without extension; the same whichever way the folder was named on the
/// command line.
fn page_key(file: &str, inputs: &[PathBuf]) -> String {
    let file = file.replace('\\', "/");
    let relative = inputs
        .iter()
        .map(|input| input.to_string_lossy().replace('\\', "/"))
        .filter_map(|input| {
            file.strip_prefix(input.trim_end_matches('/'))?
                .strip_prefix('/')
        })
        .min_by_key(|rest| rest.len())
        .unwrap_or(&file);
    match relative.rsplit_once('.') {
        Some((stem, extension)) if !extension.contains('/') => stem.to_string(),
        _ => relative.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::DiagnosticCode;

    fn error(file: &str, line: u32, code: DiagnosticCode) -> Diagnostic {
        Diagnostic::error(file, line, code, "what is wrong")
    }

    /// Accepted errors are matched by page and code whatever their line; one more of the
    /// same code, or another code, is new; a fixed one is reported as gone.
    #[test]
    fn errors_are_accepted_by_page_and_code_not_line() {
        let inputs = [PathBuf::from("docs/api-reference/beta")];
        let before = [
            error(
                "docs/api-reference/beta/api/a.md",
                10,
                DiagnosticCode::NoStatus,
            ),
            error(
                "docs/api-reference/beta/api/b.md",
                3,
                DiagnosticCode::NoHttpRequest,
            ),
            Diagnostic::warning(
                "docs/api-reference/beta/api/c.md",
                1,
                DiagnosticCode::NoPath,
                "w",
            ),
        ];
        let accepted = Accepted::from_errors(&before, &inputs);
        let keys: Vec<(&str, &str, usize)> = accepted
            .accepted
            .iter()
            .map(|e| (e.page.as_str(), e.code.as_str(), e.count))
            .collect();
        assert_eq!(
            keys,
            [("api/a", "no-status", 1), ("api/b", "no-http-request", 1)]
        );
        let after = [
            error(
                "docs/api-reference/beta/api/a.md",
                42,
                DiagnosticCode::NoStatus,
            ),
            error(
                "docs/api-reference/beta/api/a.md",
                43,
                DiagnosticCode::NoStatus,
            ),
            error(
                "docs/api-reference/beta/api/d.md",
                1,
                DiagnosticCode::NoStatus,
            ),
        ];
        let judgement = accepted.judge(&after, &inputs);
        assert_eq!(judgement.accepted, 1);
        let new: Vec<(&str, u32)> = judgement
            .new
            .iter()
            .map(|d| (d.file.as_str(), d.line))
            .collect();
        assert_eq!(
            new,
            [
                ("docs/api-reference/beta/api/a.md", 43),
                ("docs/api-reference/beta/api/d.md", 1)
            ]
        );
        assert_eq!(
            judgement.gone,
            [("api/b".to_string(), "no-http-request".to_string(), 1)]
        );
    }

    #[test]
    fn page_keys_do_not_depend_on_how_the_folder_was_named() {
        let inputs = [PathBuf::from("./docs/")];
        assert_eq!(page_key("./docs/api/x.md", &inputs), "api/x");
        assert_eq!(page_key("elsewhere/y.txt", &inputs), "elsewhere/y");
    }
}
