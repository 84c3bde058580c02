//! `cargo xtask codegen`: read the input folders, write the output folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cache;
use crate::diag::Severity;
use crate::emit::Target;
use crate::examples::Seed;
use crate::pipeline::{Analysis, discover_all};
use crate::schema::Schema;
use crate::write::{Change, FileSet, sync};

/// What to generate, from where, to where.
#[derive(Clone, Debug)]
pub struct Options {
    /// Folders (or files) of pages.
    pub inputs: Vec<PathBuf>,
    /// The output folder.
    pub output: PathBuf,
    /// Write nothing; report what is stale.
    pub check: bool,
    /// The support crate (`crates/graph-support`) the generated crates depend on; `None`
    /// assumes the output folder is the workspace's `generated/`.
    pub support: Option<PathBuf>,
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
    /// What the caches did, when they were used.
    pub cache: Option<cache::Stats>,
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
    run_named(options, &crate::emit::Target::default())
}

/// [`run`] with the generated crates named `names` (one API version among several).
pub fn run_named(options: &Options, names: &crate::emit::Target) -> std::io::Result<Report> {
    run_cached(options, names, None)
}

/// [`run_named`] through the caches kept in the folder `cache` (see [`crate::cache`];
/// their files are named per output folder), when given. The output is the same either
/// way.
pub fn run_cached(
    options: &Options,
    names: &crate::emit::Target,
    cache: Option<&Path>,
) -> std::io::Result<Report> {
    let scope = cache::scope(&names.models, &options.output);
    let caches = cache.map(|dir| (dir, scope.as_str()));
    let found = discover_all(&options.inputs)?;
    let inputs = found.files;
    let (mut analysis, analysis_reused) = cache::analysis::analyze_cached(&inputs, caches);
    analysis.include_files = found.include_files;
    let support_path = match &options.support {
        Some(support) => support_path_from(&options.output, support),
        None => crate::emit::ModelsConfig::default().support_path,
    };
    let written = emit_and_sync(
        &analysis.schema,
        &analysis.seeds,
        &support_path,
        names,
        caches,
        &options.output,
        options.check,
    )?;
    let cache = written.cache.map(|stats| cache::Stats {
        analysis_reused,
        ..stats
    });
    Ok(Report {
        files: written.files,
        analysis,
        changes: written.changes,
        changelog: written.changelog,
        cache,
    })
}

/// What emitting a schema into an output folder did.
#[derive(Debug)]
pub struct Synced {
    /// What was written (or, in check mode, is stale), sorted.
    pub changes: Vec<Change>,
    /// How many files the output has.
    pub files: usize,
    /// The API changes against the `schema.json` the folder held.
    pub changelog: Vec<crate::changelog::Change>,
    /// What the caches did, when they were used.
    pub cache: Option<cache::Stats>,
    /// How long planning and emitting took (the rest was comparing and writing).
    pub emitting: std::time::Duration,
}

/// Emits a schema (through the caches, when given) and brings `output` up to date with
/// it, or checks it. With the caches, an output folder exactly as the last run of the
/// same output key left it (every file's size and modification time, see
/// [`cache::output_unchanged`]) is up to date without emitting or reading a file; check
/// mode always compares the files.
pub fn emit_and_sync(
    schema: &Schema,
    seeds: &[Seed],
    support_path: &str,
    names: &Target,
    caches: Option<(&Path, &str)>,
    output: &Path,
    check: bool,
) -> std::io::Result<Synced> {
    let start = std::time::Instant::now();
    let key = caches.and_then(|_| output_key(schema, seeds, support_path, names));
    // Check mode compares every file: it is what CI trusts, and a file's time can be put
    // back after an edit (`cp -p`, `touch -r`).
    if let (Some((dir, scope)), Some(key), false) = (caches, key, check)
        && let Some(files) = cache::output_unchanged(dir, scope, key, output)
    {
        return Ok(Synced {
            changes: Vec::new(),
            files,
            changelog: Vec::new(),
            cache: Some(cache::Stats {
                output_reused: true,
                output_unchanged: true,
                ..cache::Stats::default()
            }),
            emitting: start.elapsed(),
        });
    }
    let (files, cache) = emit_cached(schema, seeds, support_path, names, caches, key);
    let emitting = start.elapsed();
    let changelog = previous_schema(output, files.get(Path::new("schema.json")))
        .map(|old| crate::changelog::diff(&old, schema))
        .unwrap_or_default();
    if let (Some((dir, scope)), false) = (caches, check) {
        // A stamp outliving the files it describes must not be found after a run that
        // failed midway, or whose new stamp cannot be written.
        cache::forget_stamp(dir, scope);
    }
    let changes = sync(output, &files, is_generated, check)?;
    if let (Some((dir, scope)), Some(key)) = (caches, key)
        && (changes.is_empty() || !check)
    {
        // Only saves time: a run whose stamp cannot be written still succeeded.
        let _ = cache::stamp_output(dir, scope, key, output, files.len());
    }
    Ok(Synced {
        changes,
        files: files.len(),
        changelog,
        cache,
        emitting,
    })
}

/// The key of everything emitting reads, as text: the schema as schema.json spells it
/// (every field), the seeds, the support path, the crate names and version.
fn output_key(schema: &Schema, seeds: &[Seed], support_path: &str, names: &Target) -> Option<u128> {
    let seeds = serde_json::to_string(seeds).ok()?;
    let schema = crate::emit::schema_json(schema);
    Some(cache::output_key(&[
        &schema,
        &seeds,
        support_path,
        &format!("{names:?}"),
    ]))
}

/// Every generated file of a schema, as [`crate::emit::emit_plan_named`] makes them, and
/// what the caches did: with `caches` (a folder, and the scope naming one output's cache
/// files in it), the whole output of the last run when the output `key` (everything
/// emitting reads) is unchanged, else emitted with formatting through the format cache.
fn emit_cached(
    schema: &Schema,
    seeds: &[Seed],
    support_path: &str,
    names: &Target,
    caches: Option<(&Path, &str)>,
    key: Option<u128>,
) -> (FileSet, Option<cache::Stats>) {
    let emit = || {
        let plan = crate::emit::Plan::new(schema);
        crate::emit::emit_plan_named(&plan, support_path, names, seeds)
    };
    let Some((dir, scope)) = caches else {
        return (emit(), None);
    };
    if let Some(files) = key.and_then(|key| cache::load_output(dir, scope, key)) {
        let stats = cache::Stats {
            output_reused: true,
            ..cache::Stats::default()
        };
        return (files, Some(stats));
    }
    let formats = Arc::new(cache::FormatCache::open(dir, scope));
    let files = {
        let _scope = cache::Scope::install(Arc::clone(&formats));
        emit()
    };
    // The caches only save time: a run whose caches cannot be written still succeeded.
    let _ = formats.save();
    if let Some(key) = key {
        let _ = cache::save_output(dir, scope, key, &files);
    }
    (files, Some(formats.stats()))
}

/// The support crate's path as a generated crate (`<output>/<crate>/`) should name it:
/// relative where both are under one root (so the checked-in `generated/` pins no
/// machine's folders), absolute otherwise.
pub fn support_path_from(output: &Path, support: &Path) -> String {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve `..` and `.` by hand: the output folder may not exist yet.
        let mut out = PathBuf::new();
        for component in p.components() {
            match component {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other.as_os_str()),
            }
        }
        out
    };
    let from = absolute(&output.join("crate"));
    let to = absolute(support);
    let from_parts: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return to.to_string_lossy().replace('\\', "/");
    }
    let mut relative: Vec<String> = vec!["..".to_string(); from_parts.len() - common];
    relative.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    relative.join("/")
}

/// The schema the output folder holds from the last run, if it reads and differs from
/// `current` (this run's `schema.json`): an unchanged file has no changelog, and is not
/// worth parsing.
fn previous_schema(output: &Path, current: Option<&String>) -> Option<crate::schema::Schema> {
    let text = std::fs::read_to_string(output.join("schema.json")).ok()?;
    if current.is_some_and(|current| crate::write::same_text(&text, current)) {
        return None;
    }
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

/// The API versions an input covers: a docs checkout's `api-reference/` (or any folder)
/// holding version folders (`beta`, `v1.0`) is one input per version, each read, merged
/// and generated on its own, because each version is its own API. None when no input
/// holds version folders: the inputs are then one API, as given.
pub fn versions(inputs: &[PathBuf]) -> Option<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for input in inputs {
        let entries = std::fs::read_dir(input).ok()?;
        let mut here: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                is_version(&name).then(|| (name, e.path()))
            })
            .collect();
        if here.is_empty() {
            return None;
        }
        here.sort();
        found.extend(here);
    }
    found.sort();
    (!found.is_empty()).then_some(found)
}

/// `beta`, or `v` and a number (`v1.0`, `v2`).
fn is_version(name: &str) -> bool {
    name == "beta"
        || name
            .strip_prefix('v')
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::support_path_from;
    use std::path::Path;

    #[test]
    fn support_path_is_relative_inside_one_root_and_absolute_across() {
        assert_eq!(
            support_path_from(
                Path::new("/w/generated"),
                Path::new("/w/crates/graph-support")
            ),
            "../../crates/graph-support"
        );
        assert_eq!(
            support_path_from(
                Path::new("/w/a/../generated/"),
                Path::new("/w/crates/graph-support")
            ),
            "../../crates/graph-support"
        );
        assert_eq!(
            support_path_from(Path::new("/tmp/out"), Path::new("/w/crates/graph-support")),
            "/w/crates/graph-support"
        );
    }
}
