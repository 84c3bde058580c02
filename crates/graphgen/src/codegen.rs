//! `cargo xtask codegen`: read the input folders, write the output folder.

use std::path::{Path, PathBuf};

use crate::diag::Severity;
use crate::emit::emit;
use crate::pipeline::{Analysis, analyze};
use crate::write::{Change, sync};

/// What to generate, from where, to where.
#[derive(Clone, Debug)]
pub struct Options {
    /// Folders (or files) of pages.
    pub inputs: Vec<PathBuf>,
    /// The output folder.
    pub output: PathBuf,
    /// Write nothing; report what is stale.
    pub check: bool,
}

/// The result of a run.
#[derive(Debug)]
pub struct Report {
    /// What was read and merged.
    pub analysis: Analysis,
    /// What was written (or, in check mode, is stale), sorted.
    pub changes: Vec<Change>,
    /// How many files the run produces.
    pub files: usize,
    /// The API changes against the previous `schema.json` in the output folder (empty when
    /// there was none, or nothing changed).
    pub changelog: Vec<crate::changelog::Change>,
}

impl Report {
    /// Whether any error-level diagnostic was found.
    pub fn has_errors(&self) -> bool {
        self.analysis
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Runs the pipeline and brings the output folder up to date (or checks it).
pub fn run(options: &Options) -> std::io::Result<Report> {
    let analysis = analyze(&options.inputs)?;
    let changelog = previous_schema(&options.output)
        .map(|old| crate::changelog::diff(&old, &analysis.schema))
        .unwrap_or_default();
    let files = emit(&analysis.schema);
    let changes = sync(&options.output, &files, is_generated, options.check)?;
    Ok(Report {
        files: files.len(),
        analysis,
        changes,
        changelog,
    })
}

/// The schema the output folder holds from the last run, if it reads.
fn previous_schema(output: &Path) -> Option<crate::schema::Schema> {
    let text = std::fs::read_to_string(output.join("schema.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Whether an existing file in the output folder was made by the generator (and so may
/// be removed when it is no longer produced).
pub fn is_generated(relative: &Path, contents: &str) -> bool {
    relative == Path::new("schema.json")
        || relative == Path::new("openapi.json")
        || contents
            .lines()
            .next()
            .is_some_and(|l| l.contains("@generated"))
}
