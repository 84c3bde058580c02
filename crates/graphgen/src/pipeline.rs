//! The whole run: find the pages, read and extract them in parallel, merge, emit.
//!
//! Plain functions over plain data; the xtask front end only parses flags and prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, DiagnosticCode};
use crate::extract::{Source, extract};
use crate::facts::PageFacts;
use crate::merge::{SourcedFacts, merge};
use crate::page::{Format, Page};
use crate::read::{decode, include, read_expanded_markdown, read_str};
use crate::schema::Schema;

/// One page file found in an input folder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// The page id: the path relative to the input folder, `/`-separated, no extension.
    pub page: String,
    /// The file as it is opened and named in diagnostics.
    pub path: PathBuf,
}

impl InputFile {
    /// The path with `/` separators, as diagnostics print it.
    pub fn display(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }
}

/// Extensions of page files; everything else in an input folder is ignored.
const PAGE_EXTENSIONS: [&str; 5] = ["md", "markdown", "txt", "html", "htm"];

/// Finds every page file below the input folders (or the input files themselves), sorted
/// by page id so that everything downstream is in a stable order.
pub fn discover(inputs: &[PathBuf]) -> std::io::Result<Vec<InputFile>> {
    Ok(discover_all(inputs)?.files)
}

/// What the input folders hold.
#[derive(Debug, Default)]
pub struct Found {
    /// The page files, sorted by page id.
    pub files: Vec<InputFile>,
    /// Files below `includes/` folders: snippets that pages pull in with `[!INCLUDE]`,
    /// not pages of their own, so not read as such.
    pub include_files: usize,
}

/// [`discover`], and how many include files were passed over.
pub fn discover_all(inputs: &[PathBuf]) -> std::io::Result<Found> {
    let mut found = Found::default();
    for input in inputs {
        if input.is_file() {
            let page = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.files.push(InputFile {
                page,
                path: input.clone(),
            });
        } else {
            walk(input, input, &mut found)?;
        }
    }
    found.files.sort();
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Found) -> std::io::Result<()> {
    // Every I/O error names the folder it concerns: "No such file or directory" alone
    // does not tell which `--input` was wrong.
    let named =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display()));
    for entry in std::fs::read_dir(dir).map_err(named)? {
        let path = entry.map_err(named)?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.as_deref().is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            if name.is_some_and(|n| n.eq_ignore_ascii_case("includes")) {
                let mut snippets = Found::default();
                walk(&path, &path, &mut snippets)?;
                found.include_files += snippets.files.len() + snippets.include_files;
            } else {
                walk(root, &path, found)?;
            }
            continue;
        }
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if !PAGE_EXTENSIONS.contains(&extension.as_str()) {
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path).with_extension("");
        let page = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        found.files.push(InputFile { page, path });
    }
    Ok(())
}

/// One page after reading and extraction.
#[derive(Clone, Debug)]
pub struct ExtractedPage {
    /// Which file.
    pub file: InputFile,
    /// The format it was read as; `None` when it could not be read.
    pub format: Option<Format>,
    /// What it says.
    pub facts: PageFacts,
    /// Problems found reading or extracting it.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one file into the page model, in the format its extension and content say; a
/// file that cannot be read is an error diagnostic.
pub fn read_file(file: &InputFile) -> Result<(Format, Page), Diagnostic> {
    read_page(file).map(|(format, page, _)| (format, page))
}

/// [`read_file`], with the warnings of reading: `[!INCLUDE]`s of a markdown page whose
/// file is missing (the page is read without them).
fn read_page(file: &InputFile) -> Result<(Format, Page, Vec<Diagnostic>), Diagnostic> {
    let display = file.display();
    let unreadable =
        |line, message| Diagnostic::error(&display, line, DiagnosticCode::Unreadable, message);
    let bytes = std::fs::read(&file.path)
        .map_err(|e| unreadable(1, format!("cannot read the file: {e}")))?;
    let (format, src) =
        decode(&extension(file), &bytes).map_err(|e| unreadable(e.line(), e.to_string()))?;
    let Some(expanded) = includes(file, format, src) else {
        return Ok((format, read_str(format, src), Vec::new()));
    };
    // One warning per page: a docs folder without its `includes/` would otherwise give
    // one per code sample tab of every page.
    let warnings = expanded
        .missing
        .first()
        .map(|(line, target)| {
            let target = target.to_string_lossy().replace('\\', "/");
            let more = match expanded.missing.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            Diagnostic::warning(
                &display,
                *line,
                DiagnosticCode::MissingInclude,
                format!(
                    "the included file `{target}` is not there{more}; the page is read without it"
                ),
            )
        })
        .into_iter()
        .collect();
    let page = read_expanded_markdown(&expanded.text, expanded.lines);
    Ok((format, page, warnings))
}

fn extension(file: &InputFile) -> String {
    file.path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A markdown page's text with its `[!INCLUDE]`s put in, when it has any.
fn includes(file: &InputFile, format: Format, src: &str) -> Option<include::Expanded> {
    (format == Format::Markdown)
        .then(|| include::expand(src, &file.path))
        .flatten()
}

/// What a file's `[!INCLUDE]`s bring, decided as reading the file decides it (a `.txt`
/// holding markdown included): for caches, whose key must change with any include.
pub(crate) fn included_text(file: &InputFile, bytes: &[u8]) -> Option<include::Expanded> {
    let (format, src) = decode(&extension(file), bytes).ok()?;
    includes(file, format, src)
}

/// Reads and extracts one file.
pub fn extract_file(file: &InputFile) -> ExtractedPage {
    match read_page(file) {
        Ok((format, page, warnings)) => {
            let display = file.display();
            let source = Source {
                page: &file.page,
                file: &display,
            };
            let (facts, mut diagnostics) = extract(source, &page);
            diagnostics.extend(warnings);
            ExtractedPage {
                file: file.clone(),
                format: Some(format),
                facts,
                diagnostics,
            }
        }
        Err(diagnostic) => ExtractedPage {
            file: file.clone(),
            format: None,
            facts: PageFacts {
                page: file.page.clone(),
                ..PageFacts::default()
            },
            diagnostics: vec![diagnostic],
        },
    }
}

/// Reads and extracts every file in parallel; the result is in the order of `files`.
pub fn extract_all(files: &[InputFile]) -> Vec<ExtractedPage> {
    files.par_iter().map(extract_file).collect()
}

/// The outcome of reading a set of pages into a schema.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// The merged schema.
    pub schema: Schema,
    /// Every diagnostic, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// How many pages were read in each format.
    pub pages_per_format: BTreeMap<Format, usize>,
    /// How many files could not be read at all.
    pub unreadable: usize,
    /// The objects the example responses document, to seed the mock server with.
    pub seeds: Vec<crate::examples::Seed>,
    /// Include files passed over (below `includes/` folders): not pages.
    pub include_files: usize,
}

/// Reads, extracts and merges the pages below the input folders.
pub fn analyze(inputs: &[PathBuf]) -> std::io::Result<Analysis> {
    let found = discover_all(inputs)?;
    let mut analysis = analyze_files(&found.files);
    analysis.include_files = found.include_files;
    Ok(analysis)
}

/// Extracts and merges the given files.
pub fn analyze_files(files: &[InputFile]) -> Analysis {
    let pages = extract_all(files);
    analyze_pages(pages)
}

/// Merges already extracted pages.
pub fn analyze_pages(pages: Vec<ExtractedPage>) -> Analysis {
    let candidates = crate::examples::candidates(pages.iter().flat_map(|p| &p.facts.operations));
    let mut analysis = Analysis::default();
    let mut sourced = Vec::with_capacity(pages.len());
    for page in pages {
        match page.format {
            Some(format) => *analysis.pages_per_format.entry(format).or_default() += 1,
            None => analysis.unreadable += 1,
        }
        analysis.diagnostics.extend(page.diagnostics);
        sourced.push(SourcedFacts {
            file: page.file.display(),
            facts: page.facts,
        });
    }
    let (schema, merge_diagnostics) = merge(sourced);
    // The mock answers the examples' objects with values of their documented types.
    analysis.seeds = candidates.seeds(Some(&crate::doc_values::Typing::new(&schema)));
    analysis.schema = schema;
    analysis.diagnostics.extend(merge_diagnostics);
    analysis.diagnostics.sort();
    analysis.diagnostics.dedup();
    analysis
}
