//! `cargo xtask bench --compile`: what the generated crates cost to compile, against a
//! baseline of plain derived serde structs for the same schema, measured in one run.
//!
//! The crates are generated into a work folder with their own workspace. Dependencies
//! are built first and not timed; then each crate is rebuilt alone (its sources touched,
//! incremental compilation off, so every build is a full build of that crate only), timed,
//! with the peak resident memory of its compiler processes and its warnings counted.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::emit::{Plan, emit_baseline, emit_plan_with_seeds};
use crate::pipeline::{analyze_pages, discover, extract_all};
use crate::write::FileSet;

mod runtime;

/// What to measure.
#[derive(Clone, Debug)]
pub struct Options {
    /// The docs folders.
    pub inputs: Vec<PathBuf>,
    /// The work folder (generated workspace); reused between runs.
    pub work: PathBuf,
    /// The cargo target folder.
    pub target: PathBuf,
    /// The support crate's folder (absolute).
    pub support: PathBuf,
    /// The area measured alone; `devices` (or the first area) when not given.
    pub area: Option<String>,
}

/// One timed build.
#[derive(Clone, Debug)]
pub struct Figure {
    /// What was built, e.g. `models (full)`.
    pub label: String,
    /// Wall time of the build.
    pub time: Duration,
    /// Peak resident memory of any compiler process of the build, where the OS tells.
    pub peak: Option<u64>,
    /// Warnings the build printed.
    pub warnings: usize,
}

/// The measurements of one run.
#[derive(Clone, Debug)]
pub struct Report {
    /// Types, operations and lines of generated Rust (models, routes, baseline).
    pub surface: Surface,
    /// The area measured alone.
    pub area: String,
    /// Every figure, the baseline first.
    pub figures: Vec<Figure>,
    /// Example bodies through the models and through the baseline, in release mode.
    pub runtime: Runtime,
}

/// Deserializing and serializing every example body that both the generated model and the
/// baseline struct read, 20 times over, in one release-mode run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Runtime {
    /// Bodies measured.
    pub bodies: usize,
    /// Through the generated models.
    pub models: Duration,
    /// Through the baseline's derived structs.
    pub baseline: Duration,
}

/// The size of what was generated.
#[derive(Clone, Copy, Debug, Default)]
pub struct Surface {
    /// Schema types.
    pub types: usize,
    /// Schema operations.
    pub operations: usize,
    /// Lines of the models crate.
    pub models_lines: usize,
    /// Lines of the routes crate.
    pub routes_lines: usize,
    /// Lines of the client crate.
    pub client_lines: usize,
    /// Lines of the baseline crate.
    pub baseline_lines: usize,
}

impl Report {
    /// The baseline's build time.
    pub fn baseline(&self) -> Duration {
        self.figures.first().map_or(Duration::ZERO, |f| f.time)
    }

    /// A figure's time over the baseline's.
    pub fn ratio(&self, figure: &Figure) -> f64 {
        figure.time.as_secs_f64() / self.baseline().as_secs_f64().max(1e-9)
    }
}

/// A build that failed: the crate and the first compiler error.
#[derive(Clone, Debug)]
pub struct BuildFailure {
    /// What was being built.
    pub label: String,
    /// The first error cargo printed, with its location.
    pub first_error: String,
}

impl std::fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "building {} failed:\n{}", self.label, self.first_error)
    }
}

/// Generates the crates and the baseline for the inputs and measures each build.
pub fn run(options: &Options) -> Result<Report, String> {
    let files = discover(&options.inputs).map_err(|e| format!("reading the inputs: {e}"))?;
    let pages = extract_all(&files);
    let analysis = analyze_pages(pages.clone());
    let plan = Plan::new(&analysis.schema);
    let support = options.support.to_string_lossy().replace('\\', "/");
    let mut out = emit_plan_with_seeds(&plan, &support, &analysis.seeds);
    out.extend(emit_baseline(&plan, &support));
    let typing = crate::doc_values::Typing::new(&analysis.schema);
    let (checks, _) = crate::verify::collect_checks(&pages, &plan, &typing);
    out.extend(runtime::runtime_crate(&plan, &checks, &support));
    out.insert(
        PathBuf::from("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"graph-models\", \"graph-routes\", \"graph-client\", \"baseline\", \"runtime\"]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n".to_string(),
    );
    crate::write::sync(&options.work, &out, |_, _| true, false)
        .map_err(|e| format!("writing {}: {e}", options.work.display()))?;
    let areas = plan.routes.areas();
    let area = options
        .area
        .clone()
        .or_else(|| areas.contains("devices").then(|| "devices".to_string()))
        .or_else(|| areas.first().map(|a| a.to_string()))
        .unwrap_or_default();
    let surface = Surface {
        types: analysis.schema.types.len(),
        operations: analysis.schema.operations.len(),
        models_lines: lines(&out, "graph-models/"),
        routes_lines: lines(&out, "graph-routes/"),
        client_lines: lines(&out, "graph-client/"),
        baseline_lines: lines(&out, "baseline/"),
    };
    let cargo = Cargo::new(options);
    // (label, package, file touched to force the rebuild, cargo flags)
    // The client without TLS: rustls is a dependency's cost, not the generated code's.
    let builds: [(&str, &str, &str, Vec<&str>); 8] = [
        ("baseline (derived serde)", "baseline", "lib.rs", vec![]),
        (
            "models (every area)",
            "graph-models",
            "lib.rs",
            vec!["--features", "full"],
        ),
        (
            "routes library (every area)",
            "graph-routes",
            "lib.rs",
            vec!["--lib"],
        ),
        ("mock binary", "graph-routes", "main.rs", vec!["--bins"]),
        (
            "models (one area)",
            "graph-models",
            "lib.rs",
            vec!["--features", &area],
        ),
        (
            "routes library (one area)",
            "graph-routes",
            "lib.rs",
            vec!["--lib", "--no-default-features", "--features", &area],
        ),
        (
            "client (every area)",
            "graph-client",
            "lib.rs",
            vec!["--no-default-features", "--features", "full"],
        ),
        (
            "client (one area)",
            "graph-client",
            "lib.rs",
            vec!["--no-default-features", "--features", &area],
        ),
    ];
    let mut figures = Vec::new();
    for (label, package, file, flags) in builds {
        let mut args = vec!["-p", package];
        args.extend(flags.iter().copied());
        let label = label.replace("one area", &format!("area `{area}`"));
        // Untimed first (a no-op when nothing changed): the dependencies with exactly
        // this build's features, so that the timed build compiles the crate alone.
        cargo.build(&label, &args)?;
        touch(&options.work.join(package).join("src").join(file))?;
        figures.push(cargo.build(&label, &args)?);
    }
    let runtime = cargo.run_runtime()?;
    Ok(Report {
        surface,
        area,
        figures,
        runtime,
    })
}

fn lines(files: &FileSet, prefix: &str) -> usize {
    files
        .iter()
        .filter(|(path, _)| path.to_string_lossy().starts_with(prefix))
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "rs"))
        .map(|(_, text)| text.lines().count())
        .sum()
}

/// Marks a crate's root as changed, so that the next build compiles it again.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("touching {}: {e}", path.display()))
}

struct Cargo<'o> {
    options: &'o Options,
}

impl<'o> Cargo<'o> {
    fn new(options: &'o Options) -> Self {
        Cargo { options }
    }

    /// `cargo <verb> … --manifest-path <work>/Cargo.toml --target-dir <target>`, with the
    /// caller's `RUSTFLAGS` left out so that every run builds the same way.
    fn command(&self, verb: &str, args: &[&str]) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .arg(verb)
            .args(args)
            .arg("--manifest-path")
            .arg(self.options.work.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&self.options.target)
            .env_remove("RUSTFLAGS");
        command
    }

    /// Builds and runs the runtime program in release mode; reads its one line of figures.
    fn run_runtime(&self) -> Result<Runtime, String> {
        let output = self
            .command("run", &["--quiet", "--release", "-p", "runtime"])
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout.lines().find(|l| l.starts_with("runtime "));
        let Some(fields) = line.map(|l| l.split_whitespace().collect::<Vec<_>>()) else {
            return Err(BuildFailure {
                label: "runtime (release)".to_string(),
                first_error: first_error(&String::from_utf8_lossy(&output.stderr)),
            }
            .to_string());
        };
        let number = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        Ok(Runtime {
            bodies: number(1) as usize,
            models: Duration::from_secs_f64(number(2)),
            baseline: Duration::from_secs_f64(number(3)),
        })
    }

    /// Runs `cargo build` with `args`, timing it and watching its compilers' memory.
    fn build(&self, label: &str, args: &[&str]) -> Result<Figure, String> {
        let start = Instant::now();
        let mut child = self
            .command("build", args)
            .arg("--message-format=short")
            .env("CARGO_INCREMENTAL", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stderr = child.stderr.take();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut stderr) = stderr {
                let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            }
            text
        });
        let mut peak = crate::memory::PeakWatch::new(child.id());
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            peak.sample();
            std::thread::sleep(Duration::from_millis(50));
        };
        let time = start.elapsed();
        let output = reader.join().unwrap_or_default();
        if !status.success() {
            return Err(BuildFailure {
                label: label.to_string(),
                first_error: first_error(&output),
            }
            .to_string());
        }
        Ok(Figure {
            label: label.to_string(),
            time,
            peak: peak.peak(),
            warnings: output
                .lines()
                .filter(|l| l.contains(": warning:") || l.starts_with("warning:"))
                .filter(|l| !l.contains("warning(s)") && !l.contains("generated "))
                .count(),
        })
    }
}

/// The first error of cargo's short output, or its last lines when no line says `error`.
fn first_error(output: &str) -> String {
    output
        .lines()
        .find(|l| l.contains("error"))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let lines: Vec<&str> = output.lines().collect();
            lines[lines.len().saturating_sub(5)..].join("\n")
        })
}

/// Prints a report as a table, with each figure's ratio to the baseline.
pub fn render(report: &Report) -> String {
    let s = &report.surface;
    let mut out = format!(
        "surface: {} types, {} operations; lines: models {}, routes {}, client {}, baseline {}\n",
        s.types, s.operations, s.models_lines, s.routes_lines, s.client_lines, s.baseline_lines
    );
    out.push_str(&format!(
        "{:<38} {:>9} {:>9} {:>8} {:>9}\n",
        "crate", "seconds", "peak GB", "ratio", "warnings"
    ));
    for figure in &report.figures {
        out.push_str(&format!(
            "{:<38} {:>9.1} {:>9} {:>7.2}x {:>9}\n",
            figure.label,
            figure.time.as_secs_f64(),
            figure
                .peak
                .map_or("-".to_string(), |b| format!("{:.2}", b as f64 / 1e9)),
            report.ratio(figure),
            figure.warnings
        ));
    }
    let sum = |labels: &[&str]| -> f64 {
        report
            .figures
            .iter()
            .filter(|f| labels.iter().any(|l| f.label.starts_with(l)))
            .map(|f| f.time.as_secs_f64())
            .sum()
    };
    let baseline = report.baseline().as_secs_f64().max(1e-9);
    let full = sum(&["models (every", "routes library (every", "mock binary"]);
    let area = sum(&["models (area", "routes library (area"]);
    let client = sum(&["models (every", "client (every"]);
    let client_area = sum(&["models (area", "client (area"]);
    let sums = [
        ("models + routes + binary".to_string(), full),
        (format!("models + routes (`{}`)", report.area), area),
        ("models + client".to_string(), client),
        (format!("models + client (`{}`)", report.area), client_area),
    ];
    for (label, seconds) in sums {
        out.push_str(&format!(
            "{label:<38} {seconds:>9.1} {:>9} {:>7.2}x\n",
            "",
            seconds / baseline
        ));
    }
    if s.operations > 0 && s.types > 0 {
        out.push_str(&format!(
            "per item: models {:.1} ms/type, routes {:.1} ms/operation, client {:.1} ms/operation\n",
            sum(&["models (every"]) * 1e3 / s.types as f64,
            sum(&["routes library (every"]) * 1e3 / s.operations as f64,
            sum(&["client (every"]) * 1e3 / s.operations as f64,
        ));
    }
    let r = &report.runtime;
    out.push_str(&format!(
        "runtime (release, {} example bodies x 20, deserialize + serialize): models {:.1} ms, baseline {:.1} ms, ratio {:.2}x\n",
        r.bodies,
        r.models.as_secs_f64() * 1e3,
        r.baseline.as_secs_f64() * 1e3,
        r.models.as_secs_f64() / r.baseline.as_secs_f64().max(1e-9)
    ));
    out.push_str("(debug builds of each crate alone, dependencies built first; ratio = time / baseline time, same run)\n");
    out
}
