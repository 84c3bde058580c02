//! `cargo xtask`: the project's commands. Thin: parses the arguments (clap), calls the
//! library (`graphgen::commands`), and turns the outcome into an exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// The project's commands.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "graphgen: Rust from the Microsoft Graph reference pages"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read the pages (default: docs-input/) and write schema.json, openapi.json and the
    /// generated crates (default: generated/).
    Codegen {
        /// A folder or file of pages; repeatable.
        #[arg(long, value_name = "DIR")]
        input: Vec<PathBuf>,
        /// The output folder.
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Of inputs holding version folders (`beta/`, `v1.0/`), generate only this one.
        #[arg(long)]
        version: Option<String>,
        /// Write nothing; fail, naming each stale file, if the output is out of date.
        #[arg(long)]
        check: bool,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Output::Text)]
        format: Output,
        /// Accept this run's errors (docs defects the team lives with): write them to
        /// `accepted-diagnostics.json` in the output folder, so that later runs fail only
        /// on errors not listed there.
        #[arg(long)]
        accept_diagnostics: bool,
    },
    /// Generate the crates for a docs folder into a work folder, compile them, round-trip
    /// every example body and replay every example request against the mock server.
    Verify {
        /// A folder of pages (default: docs-input/); repeatable.
        #[arg(long, value_name = "DIR")]
        input: Vec<PathBuf>,
    },
    /// The pipeline against its parse-only floor; with --compile, the generated crates'
    /// build cost against a baseline of plain derived serde structs.
    Bench {
        /// Folders to measure (default: each format folder of ../shared/corpus or
        /// $GRAPHGEN_CORPUS; with --compile its markdown folder).
        dirs: Vec<PathBuf>,
        /// Runs per measurement (the median is printed).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// One run at 1x (with --compile: docs-input/), as CI runs it.
        #[arg(long)]
        quick: bool,
        /// Measure the compile cost of the generated crates instead.
        #[arg(long)]
        compile: bool,
        /// With --compile: the area measured alone (default: devices, or the first).
        #[arg(long)]
        area: Option<String>,
    },
    /// The API changelog between two schema.json files, breaking changes marked.
    Diff {
        /// The old schema.json.
        old: PathBuf,
        /// The new schema.json.
        new: PathBuf,
        /// How to print the changelog.
        #[arg(long, value_enum, default_value_t = DiffOutput::Text)]
        format: DiffOutput,
    },
    /// How the schema read from the pages agrees with a reference schema.json (precision
    /// and recall of types, properties, enum members, operations and their status).
    Score {
        /// The pages (folders or files).
        #[arg(required = true)]
        input: Vec<PathBuf>,
        /// The reference schema.json.
        #[arg(long)]
        reference: PathBuf,
        /// How many differing facts to list under each line.
        #[arg(long, default_value_t = 10)]
        examples: usize,
        /// Fail when a precision or recall is below this.
        #[arg(long, default_value_t = 0.0)]
        minimum: f64,
    },
    /// Print the facts of single pages as JSON (for debugging an extraction).
    Extract {
        /// The pages.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Output {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiffOutput {
    Text,
    Markdown,
}

fn main() -> ExitCode {
    let root = workspace_root();
    let outcome = match Cli::parse().command {
        Command::Codegen {
            input,
            output,
            version,
            check,
            format,
            accept_diagnostics,
        } => graphgen::commands::codegen(
            &root,
            input,
            output,
            &graphgen::commands::CodegenFlags {
                version,
                check,
                json: format == Output::Json,
                accept_diagnostics,
            },
        ),
        Command::Verify { input } => graphgen::commands::verify(&root, input),
        Command::Bench {
            dirs,
            area,
            quick,
            compile: true,
            ..
        } => graphgen::commands::compile_bench(&root, dirs, area, quick),
        Command::Bench {
            dirs, runs, quick, ..
        } => {
            let (runs, repetitions): (usize, &[usize]) =
                if quick { (1, &[1]) } else { (runs, &[1, 2, 4]) };
            graphgen::commands::bench(&root, dirs, runs, repetitions)
        }
        Command::Diff { old, new, format } => {
            graphgen::commands::diff(&old, &new, format == DiffOutput::Markdown)
        }
        Command::Score {
            input,
            reference,
            examples,
            minimum,
        } => graphgen::commands::score(&input, &reference, examples, minimum),
        Command::Extract { files } => graphgen::commands::extract(&files),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: xtask lives one folder below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
