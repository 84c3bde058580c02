//! What each `cargo xtask` command does. The xtask binary only parses its arguments and
//! calls these; each prints its own report (long runs print as they go) and returns
//! whether it succeeded, or an error message that names the file or folder concerned.

use std::path::{Path, PathBuf};

use crate::codegen::{self, Options};
use crate::diag::Severity;
use crate::page::Format;
use crate::write::Change;

/// `cargo xtask codegen`: reads the pages, writes (or with `check`, checks) the output
/// folder, prints the diagnostics, the changelog and a summary. Returns whether the run
/// found no error and, in check mode, nothing stale.
///
/// Inputs that hold API version folders (`beta/`, `v1.0/`) are generated one version at a
/// time into `<output>/<version>/`, with crates named per version; `version` keeps only
/// that one.
pub fn codegen(
    root: &Path,
    mut inputs: Vec<PathBuf>,
    output: Option<PathBuf>,
    flags: &CodegenFlags,
) -> Result<bool, String> {
    if inputs.is_empty() {
        inputs.push(root.join("docs-input"));
    }
    let output = output.unwrap_or_else(|| root.join("generated"));
    let cache = (!crate::cache::disabled_by_env()).then(|| crate::cache::default_dir(root));
    let cache = cache.as_deref();
    let Some(mut versions) = codegen::versions(&inputs) else {
        let options = Options {
            inputs,
            output,
            check: flags.check,
            support: Some(root.join("crates/graph-support")),
        };
        return codegen_one(&options, &crate::emit::Target::default(), cache, flags);
    };
    if let Some(wanted) = &flags.version {
        versions.retain(|(name, _)| name == wanted);
        if versions.is_empty() {
            return Err(format!("error: no `{wanted}` folder in the inputs"));
        }
    }
    let mut by_version: std::collections::BTreeMap<String, Vec<PathBuf>> = Default::default();
    for (name, folder) in versions {
        by_version.entry(name).or_default().push(folder);
    }
    let mut ok = true;
    for (name, inputs) in by_version {
        println!("== API version {name}");
        let options = Options {
            inputs,
            output: output.join(&name),
            check: flags.check,
            support: Some(root.join("crates/graph-support")),
        };
        let names = crate::emit::Target::for_version(&name);
        ok &= codegen_one(&options, &names, cache, flags)?;
    }
    Ok(ok)
}

/// How `cargo xtask codegen` runs, besides its inputs and output.
#[derive(Clone, Debug, Default)]
pub struct CodegenFlags {
    /// Of inputs holding version folders, generate only this one.
    pub version: Option<String>,
    /// Write nothing; fail if the output is stale.
    pub check: bool,
    /// Print diagnostics as JSON.
    pub json: bool,
    /// Record the run's errors as accepted ([`crate::accepted`]) so that they stop
    /// failing later runs.
    pub accept_diagnostics: bool,
}

/// One API's run: generate (or check), then print what was found and written.
fn codegen_one(
    options: &Options,
    names: &crate::emit::Target,
    cache: Option<&Path>,
    flags: &CodegenFlags,
) -> Result<bool, String> {
    let report = codegen::run_cached(options, names, cache).map_err(|e| format!("error: {e}"))?;
    let diagnostics = &report.analysis.diagnostics;
    if flags.json {
        let text = serde_json::to_string_pretty(diagnostics).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print_diagnostics(diagnostics);
        if !report.changelog.is_empty() {
            print!("{}", crate::changelog::to_text(&report.changelog));
        }
        print_summary(&report, flags.check);
    }
    let stale = flags.check && !report.changes.is_empty();
    if stale {
        eprintln!("error: generated files are stale; run `cargo xtask codegen` to update them:");
        for change in &report.changes {
            eprintln!("  {}", describe(change));
        }
    }
    let errors_pass = judge_errors(options, diagnostics, flags)?;
    Ok(errors_pass && !stale)
}

/// Whether the run's errors let it pass: none, or (with an accepted-diagnostics file in
/// the output folder) none that the file does not accept. With `--accept-diagnostics`
/// the file is (re)written from this run's errors first.
fn judge_errors(
    options: &Options,
    diagnostics: &[crate::diag::Diagnostic],
    flags: &CodegenFlags,
) -> Result<bool, String> {
    use crate::accepted::{Accepted, FILE_NAME};
    let file = options.output.join(FILE_NAME);
    if flags.accept_diagnostics && !flags.check {
        let accepted = Accepted::from_errors(diagnostics, &options.inputs);
        accepted
            .store(&options.output)
            .map_err(|e| format!("error: writing {}: {e}", file.display()))?;
        let errors: usize = accepted.accepted.iter().map(|e| e.count).sum();
        println!(
            "accepted:    {errors} errors, written to {}",
            file.display()
        );
        return Ok(true);
    }
    let Some(accepted) = Accepted::load(&options.output).map_err(|e| format!("error: {e}"))? else {
        return Ok(!diagnostics.iter().any(|d| d.severity == Severity::Error));
    };
    let judgement = accepted.judge(diagnostics, &options.inputs);
    println!(
        "accepted:    {} errors accepted by {}, {} new",
        judgement.accepted,
        file.display(),
        judgement.new.len()
    );
    for (page, code, count) in &judgement.gone {
        println!(
            "  no longer found: {count} `{code}` on {page} (rerun with --accept-diagnostics to drop it)"
        );
    }
    for new in &judgement.new {
        eprintln!(
            "error: not accepted: {}:{}: {}: {}",
            new.file, new.line, new.code, new.message
        );
    }
    Ok(judgement.new.is_empty())
}

fn describe(change: &Change) -> String {
    let (what, path) = match change {
        Change::Created(p) => ("missing", p),
        Change::Updated(p) => ("changed", p),
        Change::Removed(p) => ("no longer generated", p),
    };
    format!("{} ({what})", path.display())
}

fn print_summary(report: &codegen::Report, check: bool) {
    let analysis = &report.analysis;
    let formats: Vec<String> = Format::ALL
        .iter()
        .filter_map(|f| {
            analysis
                .pages_per_format
                .get(f)
                .map(|n| format!("{n} {}", f.name()))
        })
        .collect();
    let pages: usize = analysis.pages_per_format.values().sum();
    let schema = &analysis.schema;
    let enums = schema
        .types
        .iter()
        .filter(|t| t.kind == crate::schema::TypeKind::Enum)
        .count();
    let errors = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = analysis.diagnostics.len() - errors;
    println!(
        "pages:       {pages} ({}){}",
        formats.join(", "),
        if analysis.unreadable > 0 {
            format!(", {} unreadable", analysis.unreadable)
        } else {
            String::new()
        }
    );
    if analysis.include_files > 0 {
        let n = analysis.include_files;
        let s = if n == 1 { "" } else { "s" };
        println!(
            "skipped:     {n} include file{s} (below `includes/`, pulled into pages by [!INCLUDE])"
        );
    }
    println!(
        "schema:      {} types ({} enums), {} operations",
        schema.types.len() - enums,
        enums,
        schema.operations.len()
    );
    let mut by_code = std::collections::BTreeMap::<&str, usize>::new();
    for diagnostic in &analysis.diagnostics {
        *by_code.entry(diagnostic.code).or_default() += 1;
    }
    let groups: Vec<String> = by_code
        .iter()
        .map(|(code, n)| format!("{n} {code}"))
        .collect();
    println!(
        "diagnostics: {errors} errors, {warnings} warnings{}",
        if groups.is_empty() {
            String::new()
        } else {
            format!(" ({})", groups.join(", "))
        }
    );
    let verb = if check { "stale" } else { "written" };
    println!(
        "files:       {} generated, {} {verb}",
        report.files,
        report.changes.len()
    );
    if let Some(cache) = &report.cache {
        let reused = if cache.analysis_reused && cache.output_unchanged {
            "the last analysis reused, the output folder as the last run left it".to_string()
        } else if cache.analysis_reused && cache.output_reused {
            "the last analysis and output reused (pages unchanged)".to_string()
        } else if cache.output_reused {
            "the last output reused (schema unchanged)".to_string()
        } else {
            format!(
                "{} of {} files' formatting reused",
                cache.hits,
                cache.hits + cache.misses
            )
        };
        println!(
            "cache:       {reused} ({}=off disables it)",
            crate::cache::DISABLE_VAR
        );
    }
}

/// `cargo xtask extract`: prints the facts of single pages as JSON.
pub fn extract(paths: &[PathBuf]) -> Result<bool, String> {
    let files = crate::pipeline::discover(paths).map_err(|e| e.to_string())?;
    for file in &files {
        let page = crate::pipeline::extract_file(file);
        for diagnostic in &page.diagnostics {
            eprintln!("{diagnostic}");
        }
        let json = serde_json::to_string_pretty(&page.facts).map_err(|e| e.to_string())?;
        write_stdout(&format!("{json}\n"));
    }
    Ok(true)
}

/// `cargo xtask verify`: generates the crates for the inputs into a work folder under
/// `root/target/verify`, builds and runs the verify program (round trip of every example
/// body, replay of every example request against the mock server).
pub fn verify(root: &Path, mut inputs: Vec<PathBuf>) -> Result<bool, String> {
    if inputs.is_empty() {
        inputs.push(root.join("docs-input"));
    }
    let support = root.join("crates/graph-support");
    let prepared = crate::verify::prepare(&inputs, &support).map_err(|e| format!("error: {e}"))?;
    // One work folder and one target folder, reused, so that repeated runs only rebuild
    // what changed.
    let work = root.join("target/verify").join(work_name(&inputs));
    crate::write::sync(&work, &prepared.files, |_, _| true, false)
        .map_err(|e| format!("error: writing {}: {e}", work.display()))?;
    let pages: usize = prepared.analysis.pages_per_format.values().sum();
    println!("workspace: {}", work.display());
    let abbreviated = prepared.checks.iter().filter(|c| c.abbreviated).count();
    let meant = prepared.checks.iter().filter(|c| c.read_as_meant).count();
    println!(
        "verify: {pages} pages, {} example bodies to check ({abbreviated} abbreviated or copied loosely by the docs: read without their `...`, comments and trailing commas, non-breaking spaces as spaces; {meant} with values read as the docs mean them: placeholders of typed values as values of their type, a request's strings as the booleans or numbers Graph reads), {} without a model",
        prepared.checks.len(),
        prepared.skipped.len()
    );
    let mut reasons = std::collections::BTreeMap::<&str, usize>::new();
    for skipped in &prepared.skipped {
        *reasons.entry(skipped.reason.as_str()).or_default() += 1;
    }
    for (reason, count) in reasons {
        println!("  not checked ({count}): {reason}");
    }
    if prepared.other_hosts > 0 {
        println!(
            "  not sent ({}): example requests to a host other than Graph's (an upload or download URL the service hands out)",
            prepared.other_hosts
        );
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--package",
            &prepared.program,
            "--manifest-path",
        ])
        .arg(work.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target/verify/target"))
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    Ok(status.success())
}

/// A work folder name per set of inputs, so that verify runs on different folders (in
/// parallel tests, say) never share generated files.
fn work_name(inputs: &[PathBuf]) -> String {
    format!("work-{}", crate::verify::inputs_key(inputs))
}

/// `cargo xtask diff`: the API changelog between two schema.json files.
pub fn diff(old: &Path, new: &Path, markdown: bool) -> Result<bool, String> {
    let read = |path: &Path| -> Result<crate::schema::Schema, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("error: {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("error: {} is not a schema.json: {e}", path.display()))
    };
    let changes = crate::changelog::diff(&read(old)?, &read(new)?);
    if markdown {
        write_stdout(&crate::changelog::to_markdown(&changes));
    } else {
        write_stdout(&crate::changelog::to_text(&changes));
    }
    Ok(true)
}

/// `cargo xtask score`: how the schema read from `inputs` agrees with a reference
/// schema.json; false when any precision or recall is below `minimum`.
pub fn score(
    inputs: &[PathBuf],
    reference: &Path,
    examples: usize,
    minimum: f64,
) -> Result<bool, String> {
    let text = std::fs::read_to_string(reference)
        .map_err(|e| format!("error: {}: {e}", reference.display()))?;
    let reference: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("error: the reference is not JSON: {e}"))?;
    let analysis = crate::pipeline::analyze(inputs).map_err(|e| format!("error: {e}"))?;
    use crate::score::{Facts, TypeCase, compare, report};
    let scored = |case| {
        let ours = Facts::from_schema(&analysis.schema, case);
        compare(&ours, &Facts::from_json_with(&reference, case))
    };
    let agreements = scored(TypeCase::Exact);
    write_stdout(&report(&agreements, examples));
    // A reference may name a type by its title's capitals (`BaseItem`) and refer to it by
    // Graph's lowerCamel name (`baseItem`): this second table tells a misread fact from a
    // spelling of a type name.
    let folded = report(&scored(TypeCase::Folded), examples);
    write_stdout(&format!("type names compared ignoring case:\n{folded}"));
    Ok(agreements
        .iter()
        .all(|a| a.precision() >= minimum && a.recall() >= minimum))
}

/// Writes to standard output, quietly stopping when the reader has gone (`| head`).
fn write_stdout(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// `cargo xtask bench`: the pipeline against its parse-only floor, per folder, at each
/// repetition of the input (the corpus's format folders when none is given).
pub fn bench(
    root: &Path,
    mut folders: Vec<PathBuf>,
    runs: usize,
    repetitions: &[usize],
) -> Result<bool, String> {
    if folders.is_empty() {
        let corpus = std::env::var_os("GRAPHGEN_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/corpus"));
        folders = crate::bench::corpus_folders(&corpus);
        if folders.is_empty() {
            println!(
                "notice: no corpus at {}; benchmarking docs-input/",
                corpus.display()
            );
            folders.push(root.join("docs-input"));
        }
    }
    let scratch = std::env::temp_dir().join(format!("graphgen-bench-{}", std::process::id()));
    println!(
        "{:<18} {:>6} {:<6} {:>6} {:>10} {:>9} {:>7} {:>8} {:>8}   {:<22} cached/formatted, written",
        "input",
        "pages",
        "run",
        "MB",
        "pipeline",
        "floor",
        "ratio",
        "pages/s",
        "peak MB",
        "analyze/emit/write ms",
    );
    let mut failed = None;
    for folder in &folders {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for &times in repetitions {
            let result = crate::bench::repeated(folder, times, &scratch).and_then(|files| {
                crate::bench::measure(&format!("{name} {times}x"), &files, runs, &scratch)
            });
            match result {
                Ok(m) => print_measurement(&m),
                Err(e) => failed = Some(format!("error: benchmarking {}: {e}", folder.display())),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "(median of {runs} runs; pipeline = read, extract, merge, emit, format, write to a temp dir, save the format cache;\n floor = read + parse only, measured before each pipeline run; cold = empty cache and output folder,\n warm = the previous run's cache and output, 1-page = warm with one page's description edited)"
    );
    match failed {
        Some(message) => Err(message),
        None => Ok(true),
    }
}

/// One row per mode of a measurement, each mode's ratio to the floor of the same runs.
fn print_measurement(m: &crate::bench::Measurement) {
    for runs in &m.runs {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        println!(
            "{:<18} {:>6} {:<6} {:>6.1} {:>8.1}ms {:>7.1}ms {:>6.2}x {:>8.0} {:>8}   {:<22} {}, {}",
            m.label,
            m.pages,
            runs.mode.name(),
            m.bytes as f64 / 1e6,
            ms(runs.pipeline),
            ms(m.floor),
            m.ratio(runs),
            m.pages_per_second(runs),
            m.peak_memory
                .map_or("-".to_string(), |b| format!("{:.0}", b as f64 / 1e6)),
            format!(
                "{:.0} / {:.0} / {:.0}",
                ms(runs.stages.0),
                ms(runs.stages.1),
                ms(runs.stages.2)
            ),
            if runs.cache.analysis_reused && runs.cache.output_reused {
                "all".to_string()
            } else if runs.cache.output_reused {
                "output".to_string()
            } else {
                format!("{}/{}", runs.cache.hits, runs.cache.misses)
            },
            runs.written,
        );
    }
    if let Some(page) = &m.edited {
        // Not a row: no repetition label, so that readers of the rows skip it.
        println!("  (1-page runs edit {page})");
    }
}

/// `cargo xtask bench --compile`: the generated crates' build cost against the
/// derived-serde baseline (default input: the corpus's markdown folder; with `quick`,
/// docs-input/).
pub fn compile_bench(
    root: &Path,
    mut inputs: Vec<PathBuf>,
    area: Option<String>,
    quick: bool,
) -> Result<bool, String> {
    if inputs.is_empty() {
        let corpus = std::env::var_os("GRAPHGEN_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/corpus"))
            .join("markdown");
        if quick || !corpus.is_dir() {
            if !quick {
                println!(
                    "notice: no corpus at {}; measuring docs-input/",
                    corpus.display()
                );
            }
            inputs.push(root.join("docs-input"));
        } else {
            inputs.push(corpus);
        }
    }
    let options = crate::compile_bench::Options {
        work: root.join("target/bench-compile").join(work_name(&inputs)),
        // Shared with verify, so that the dependencies are built once for both.
        target: root.join("target/verify/target"),
        support: root.join("crates/graph-support"),
        inputs,
        area,
    };
    println!("workspace: {}", options.work.display());
    let report = crate::compile_bench::run(&options).map_err(|e| format!("error: {e}"))?;
    write_stdout(&crate::compile_bench::render(&report));
    Ok(true)
}

/// Prints diagnostics rustc-style, each with its source line, reading each file once.
fn print_diagnostics(diagnostics: &[crate::diag::Diagnostic]) {
    // Pages that are no reference pages (overviews, concept pages in a docs checkout),
    // and includes missing from a docs folder copied without its `includes/` (every code
    // sample tab is one), get one line each, not one warning per page.
    use crate::diag::DiagnosticCode::{MissingInclude, NotAReferencePage};
    let summarized = [
        (
            NotAReferencePage,
            "pages skipped, not reference pages (no title, no known section)",
        ),
        (
            MissingInclude,
            "pages include files that are not there; they are read without them",
        ),
    ];
    let (grouped, diagnostics): (Vec<_>, Vec<_>) = diagnostics
        .iter()
        .partition(|d| summarized.iter().any(|(code, _)| d.code == code.as_str()));
    for (code, what) in summarized {
        let of_code: Vec<_> = grouped.iter().filter(|d| d.code == code.as_str()).collect();
        if let Some(first) = of_code.first() {
            let code = code.as_str();
            eprintln!(
                "warning[{code}]: {} {what}, e.g. {}:{}: {}\n",
                of_code.len(),
                first.file,
                first.line,
                first.message
            );
        }
    }
    let mut sources = std::collections::BTreeMap::<&str, Option<String>>::new();
    for diagnostic in diagnostics {
        let source = sources.entry(diagnostic.file.as_str()).or_insert_with(|| {
            std::fs::read(&diagnostic.file)
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        });
        eprintln!("{}\n", crate::diag::render(diagnostic, source.as_deref()));
    }
}
