//! `cargo xtask`: the project's commands. Thin: parses flags, calls the library, prints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use graphgen::codegen::{self, Options};
use graphgen::diag::Severity;
use graphgen::page::Format;
use graphgen::write::Change;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  codegen [--input DIR]... [--output DIR] [--check] [--format text|json]
      read the pages (default: docs-input/), write schema.json and the generated
      crates (default: generated/); --check writes nothing and fails on stale files
  verify [--input DIR]...
      generate the models and routes for a docs folder (default: docs-input/) into a
      temporary workspace, compile them, round-trip every example body through its
      model, and replay every example request against the mock server on 127.0.0.1
  bench [DIR]... [--runs N] [--quick]
      the whole pipeline against its parse-only floor (default: each format folder of
      ../shared/corpus or $GRAPHGEN_CORPUS), at 1x, 2x and 4x the input; --quick does
      one run at 1x (what CI runs)
  diff OLD.json NEW.json [--format text|markdown]
      the API changelog between two schema.json files, breaking changes marked
  extract FILE...
      print the facts of single pages as JSON (for debugging an extraction)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_command(&args[1..]),
        Some("extract") => extract_command(&args[1..]),
        Some("verify") => verify_command(&args[1..]),
        Some("diff") => diff_command(&args[1..]),
        Some("bench") => bench_command(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(USAGE.to_string()),
    };
    result.unwrap_or_else(|message| {
        eprintln!("{message}");
        ExitCode::from(2)
    })
}

/// The workspace root: xtask lives one folder below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn codegen_command(args: &[String]) -> Result<ExitCode, String> {
    let root = workspace_root();
    let mut inputs = Vec::new();
    let mut output = None;
    let mut check = false;
    let mut json = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--input" => inputs.push(PathBuf::from(args.next().ok_or("--input needs a folder")?)),
            "--output" => {
                output = Some(PathBuf::from(args.next().ok_or("--output needs a folder")?))
            }
            "--check" => check = true,
            "--format" => match args.next().map(String::as_str) {
                Some("json") => json = true,
                Some("text") => json = false,
                _ => return Err("--format takes `text` or `json`".into()),
            },
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    if inputs.is_empty() {
        inputs.push(root.join("docs-input"));
    }
    let options = Options {
        inputs,
        output: output.unwrap_or_else(|| root.join("generated")),
        check,
        support: Some(root.join("crates/graph-support")),
    };
    let report = codegen::run(&options).map_err(|e| format!("error: {e}"))?;
    if json {
        let diagnostics = serde_json::to_string_pretty(&report.analysis.diagnostics)
            .map_err(|e| e.to_string())?;
        println!("{diagnostics}");
    } else {
        print_diagnostics(&report.analysis.diagnostics);
        if !report.changelog.is_empty() {
            print!("{}", graphgen::changelog::to_text(&report.changelog));
        }
        print_summary(&report, check);
    }
    let stale = check && !report.changes.is_empty();
    if stale {
        eprintln!("error: generated files are stale; run `cargo xtask codegen` to update them:");
        for change in &report.changes {
            eprintln!("  {}", describe(change));
        }
    }
    Ok(if report.has_errors() || stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
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
        .filter(|t| t.kind == graphgen::schema::TypeKind::Enum)
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
}

fn extract_command(args: &[String]) -> Result<ExitCode, String> {
    if args.is_empty() {
        return Err("usage: cargo xtask extract FILE...".into());
    }
    let files = graphgen::pipeline::discover(&args.iter().map(PathBuf::from).collect::<Vec<_>>())
        .map_err(|e| e.to_string())?;
    for file in &files {
        let page = graphgen::pipeline::extract_file(file);
        for diagnostic in &page.diagnostics {
            eprintln!("{diagnostic}");
        }
        let json = serde_json::to_string_pretty(&page.facts).map_err(|e| e.to_string())?;
        write_stdout(&format!("{json}\n"));
    }
    Ok(ExitCode::SUCCESS)
}

fn verify_command(args: &[String]) -> Result<ExitCode, String> {
    let root = workspace_root();
    let mut inputs = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--input" => inputs.push(PathBuf::from(args.next().ok_or("--input needs a folder")?)),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    if inputs.is_empty() {
        inputs.push(root.join("docs-input"));
    }
    let support = root.join("crates/graph-support");
    let prepared =
        graphgen::verify::prepare(&inputs, &support).map_err(|e| format!("error: {e}"))?;
    // One work folder and one target folder, reused, so that repeated runs only rebuild
    // what changed.
    let work = root.join("target/verify").join(work_name(&inputs));
    graphgen::write::sync(&work, &prepared.files, |_, _| true, false)
        .map_err(|e| format!("error: writing {}: {e}", work.display()))?;
    let pages: usize = prepared.analysis.pages_per_format.values().sum();
    println!("workspace: {}", work.display());
    println!(
        "verify: {pages} pages, {} example bodies to check, {} without a model",
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
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--package", "verify", "--manifest-path"])
        .arg(work.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target/verify/target"))
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A work folder name per set of inputs, so that verify runs on different folders (in
/// parallel tests, say) never share generated files.
fn work_name(inputs: &[PathBuf]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for input in inputs {
        std::fs::canonicalize(input)
            .unwrap_or_else(|_| input.clone())
            .hash(&mut hasher);
    }
    format!("work-{:016x}", hasher.finish())
}

fn diff_command(args: &[String]) -> Result<ExitCode, String> {
    let mut files = Vec::new();
    let mut markdown = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => match args.next().map(String::as_str) {
                Some("markdown") => markdown = true,
                Some("text") => markdown = false,
                _ => return Err("--format takes `text` or `markdown`".into()),
            },
            file => files.push(PathBuf::from(file)),
        }
    }
    let [old, new] = files.as_slice() else {
        return Err("usage: cargo xtask diff OLD.json NEW.json [--format text|markdown]".into());
    };
    let read = |path: &PathBuf| -> Result<graphgen::schema::Schema, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("error: {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("error: {} is not a schema.json: {e}", path.display()))
    };
    let changes = graphgen::changelog::diff(&read(old)?, &read(new)?);
    if markdown {
        write_stdout(&graphgen::changelog::to_markdown(&changes));
    } else {
        write_stdout(&graphgen::changelog::to_text(&changes));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output, quietly stopping when the reader has gone (`| head`).
fn write_stdout(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn bench_command(args: &[String]) -> Result<ExitCode, String> {
    let mut folders = Vec::new();
    let mut runs = 5;
    let mut repetitions = vec![1, 2, 4];
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--runs takes a number")?;
            }
            "--quick" => {
                runs = 1;
                repetitions = vec![1];
            }
            folder => folders.push(PathBuf::from(folder)),
        }
    }
    if folders.is_empty() {
        let corpus = std::env::var_os("GRAPHGEN_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("../shared/corpus"));
        folders = graphgen::bench::corpus_folders(&corpus);
        if folders.is_empty() {
            println!(
                "notice: no corpus at {}; benchmarking docs-input/",
                corpus.display()
            );
            folders.push(workspace_root().join("docs-input"));
        }
    }
    let scratch = std::env::temp_dir().join(format!("graphgen-bench-{}", std::process::id()));
    println!(
        "{:<18} {:>6} {:>7} {:>11} {:>11} {:>7} {:>9} {:>9}   read+extract+merge / emit / write",
        "input", "pages", "MB", "pipeline", "floor", "ratio", "pages/s", "peak MB"
    );
    let mut failed = None;
    for folder in &folders {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for &times in &repetitions {
            let result = graphgen::bench::repeated(folder, times, &scratch).and_then(|files| {
                graphgen::bench::measure(&format!("{name} {times}x"), &files, runs, &scratch)
            });
            match result {
                Ok(m) => println!(
                    "{:<18} {:>6} {:>7.1} {:>9.1}ms {:>9.1}ms {:>6.2}x {:>9.0} {:>9}   {:.0} / {:.0} / {:.0} ms",
                    m.label,
                    m.pages,
                    m.bytes as f64 / 1e6,
                    m.pipeline.as_secs_f64() * 1e3,
                    m.floor.as_secs_f64() * 1e3,
                    m.ratio(),
                    m.pages_per_second(),
                    m.peak_memory
                        .map_or("-".to_string(), |b| format!("{:.0}", b as f64 / 1e6)),
                    m.stages.0.as_secs_f64() * 1e3,
                    m.stages.1.as_secs_f64() * 1e3,
                    m.stages.2.as_secs_f64() * 1e3,
                ),
                Err(e) => failed = Some(format!("error: benchmarking {}: {e}", folder.display())),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "(median of {runs} runs; pipeline = read, extract, merge, emit, format, write to a temp dir; floor = read + parse only)"
    );
    match failed {
        Some(message) => Err(message),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Prints diagnostics rustc-style, each with its source line, reading each file once.
fn print_diagnostics(diagnostics: &[graphgen::diag::Diagnostic]) {
    let mut sources = std::collections::BTreeMap::<&str, Option<String>>::new();
    for diagnostic in diagnostics {
        let source = sources.entry(diagnostic.file.as_str()).or_insert_with(|| {
            std::fs::read(&diagnostic.file)
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        });
        eprintln!(
            "{}\n",
            graphgen::diag::render(diagnostic, source.as_deref())
        );
    }
}
