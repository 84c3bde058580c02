//! The analysis cache (`analysis-<scope>.pack`): the merged schema, the diagnostics, the
//! seeds and the page counts of the last run, keyed by a hash of every page read (its id,
//! its file name as diagnostics print it, its bytes). A re-run over the same pages reads
//! them, hashes them and skips extraction and merging.
//!
//! Stored as JSON through the types' own serialization, read back field by field; a file
//! that does not read back whole is a miss.

use std::hash::Hasher;
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Map, Value, json};
use siphasher::sip128::{Hasher128, SipHasher13 as SipHasher128};

use super::{hash_text, load_blob, save_blob};
use crate::diag::{Diagnostic, DiagnosticCode, Severity};
use crate::examples::Seed;
use crate::page::Format;
use crate::pipeline::{Analysis, InputFile, analyze_files};

/// The first bytes of an analysis cache file; the number is the file format's version.
const MAGIC: &[u8] = b"graphgen analysis cache 1\n";

/// [`analyze_files`], through the analysis cache of `scope` in the folder `dir` when
/// given; and whether the cached analysis was used.
pub fn analyze_cached(files: &[InputFile], cache: Option<(&Path, &str)>) -> (Analysis, bool) {
    let Some((dir, scope)) = cache else {
        return (analyze_files(files), false);
    };
    let path = dir.join(format!("analysis-{scope}.pack"));
    let key = inputs_key(files);
    let cached = key
        .and_then(|key| load_blob(&path, MAGIC, key))
        .and_then(|payload| decode(&payload));
    if let Some(analysis) = cached {
        return (analysis, true);
    }
    let analysis = analyze_files(files);
    if let Some(key) = key {
        // The cache only saves time: a run whose cache cannot be written still succeeded.
        let _ = save_blob(&path, MAGIC, key, &encode(&analysis));
    }
    (analysis, false)
}

/// A hash of every page's id, file name and bytes, in order; None when a file cannot be
/// read (its analysis is then an unreadable-file diagnostic, not worth keeping).
pub fn inputs_key(files: &[InputFile]) -> Option<u128> {
    let hashes: Option<Vec<u128>> = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(&file.path).ok()?;
            let mut hasher =
                SipHasher128::new_with_keys(0x6772_6170_6867_656e, 0x7061_6765_7300_0001);
            hash_text(b'p', &file.page, &mut hasher);
            hash_text(b'f', &file.display(), &mut hasher);
            hasher.write_u64(bytes.len() as u64);
            hasher.write(&bytes);
            // A page's `[!INCLUDE]`s are part of what it says: their files count too.
            if let Some(expanded) = expanded_includes(file, &bytes) {
                hash_text(b'i', &expanded, &mut hasher);
            }
            Some(hasher.finish128().as_u128())
        })
        .collect();
    let mut hasher = SipHasher128::new_with_keys(0x6772_6170_6867_656e, 0x696e_7075_7400_0001);
    for hash in hashes? {
        hasher.write(&hash.to_le_bytes());
    }
    Some(hasher.finish128().as_u128())
}

/// A page's text with its includes put in, when it has any (missing ones listed too, so
/// that adding the file changes the key).
fn expanded_includes(file: &InputFile, bytes: &[u8]) -> Option<String> {
    let expanded = crate::pipeline::included_text(file, bytes)?;
    Some(format!("{}\n{:?}", expanded.text, expanded.missing))
}

fn encode(analysis: &Analysis) -> Vec<u8> {
    let pages: Map<String, Value> = analysis
        .pages_per_format
        .iter()
        .map(|(format, n)| (format.name().to_string(), json!(n)))
        .collect();
    let value = json!({
        "schema": analysis.schema,
        "diagnostics": analysis.diagnostics,
        "pages_per_format": pages,
        "unreadable": analysis.unreadable,
        "seeds": analysis.seeds,
    });
    serde_json::to_vec(&value).unwrap_or_default()
}

/// The cache file's JSON as written by [`encode`], read straight into typed fields (no
/// intermediate `Value` tree: decoding is most of a re-run over unchanged pages).
#[derive(serde::Deserialize)]
struct Stored {
    schema: crate::schema::Schema,
    diagnostics: Vec<StoredDiagnostic>,
    pages_per_format: std::collections::BTreeMap<String, usize>,
    unreadable: usize,
    seeds: Vec<StoredSeed>,
}

#[derive(serde::Deserialize)]
struct StoredDiagnostic {
    severity: String,
    file: String,
    line: u32,
    code: String,
    message: String,
    related: Option<(String, u32)>,
}

#[derive(serde::Deserialize)]
struct StoredSeed {
    path: String,
    #[serde(default)]
    singleton: bool,
    object: Map<String, Value>,
}

fn decode(payload: &[u8]) -> Option<Analysis> {
    let stored: Stored = serde_json::from_slice(payload).ok()?;
    let diagnostics = stored
        .diagnostics
        .into_iter()
        .map(diagnostic)
        .collect::<Option<Vec<_>>>()?;
    let mut pages_per_format = std::collections::BTreeMap::new();
    for (name, n) in stored.pages_per_format {
        let format = Format::ALL.into_iter().find(|f| f.name() == name)?;
        pages_per_format.insert(format, n);
    }
    let seeds = stored
        .seeds
        .into_iter()
        .map(|seed| Seed {
            path: seed.path,
            singleton: seed.singleton,
            object: seed.object,
        })
        .collect();
    Some(Analysis {
        schema: stored.schema,
        diagnostics,
        pages_per_format,
        unreadable: stored.unreadable,
        seeds,
        include_files: 0,
    })
}

/// A stored diagnostic, if its severity and code are ones this build knows.
fn diagnostic(stored: StoredDiagnostic) -> Option<Diagnostic> {
    let severity = match stored.severity.as_str() {
        "warning" => Severity::Warning,
        "error" => Severity::Error,
        _ => return None,
    };
    Some(Diagnostic {
        severity,
        file: stored.file,
        line: stored.line,
        code: DiagnosticCode::parse(&stored.code)?.as_str(),
        message: stored.message,
        related: stored.related,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cache gives back exactly the analysis it was given: the docs-input pages (every
    /// format, seeds), with diagnostics of both kinds added, as docs-input has none.
    #[test]
    fn an_analysis_reads_back_as_it_was() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs-input");
        let files = crate::pipeline::discover(&[docs]).expect("docs-input");
        let mut analysis = analyze_files(&files);
        assert!(analysis.pages_per_format.len() == 5 && !analysis.seeds.is_empty());
        analysis.diagnostics.extend([
            Diagnostic::error("a.md", 3, DiagnosticCode::NoStatus, "no \"status\" ✓"),
            Diagnostic::warning("b.txt", 9, DiagnosticCode::TypeConflict, "differs")
                .with_related("c.html", 12),
        ]);
        analysis.unreadable = 1;
        let back = decode(&encode(&analysis)).expect("reads back");
        assert_eq!(format!("{back:?}"), format!("{analysis:?}"));
        assert_eq!(decode(b"{}").map(|_| ()), None);
    }

    /// An include file is part of the pages that include it: changing it, or adding a
    /// missing one, changes the key.
    #[test]
    fn the_key_covers_include_files() {
        let dir =
            std::env::temp_dir().join(format!("graphgen-cache-include-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("api")).unwrap();
        std::fs::create_dir_all(dir.join("includes")).unwrap();
        std::fs::write(
            dir.join("api/page.md"),
            "# Get x\n[!INCLUDE [p](../includes/p.md)]\n[!INCLUDE [q](../includes/q.md)]\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("includes/p.md"),
            "| Permission type | Permissions |\n",
        )
        .unwrap();
        let files = crate::pipeline::discover(std::slice::from_ref(&dir)).expect("pages");
        assert_eq!(files.len(), 1, "include files are no pages");
        let first = inputs_key(&files);
        std::fs::write(dir.join("includes/p.md"), "| Permission type | Scopes |\n").unwrap();
        let edited = inputs_key(&files);
        std::fs::write(dir.join("includes/q.md"), "now here\n").unwrap();
        let added = inputs_key(&files);
        assert!(
            first != edited && edited != added,
            "{first:?} {edited:?} {added:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
