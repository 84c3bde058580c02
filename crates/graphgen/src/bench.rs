//! `cargo xtask bench`: the whole pipeline against its parse-only floor, in one run.
//!
//! The floor reads the same files and only parses them (pulldown-cmark for markdown,
//! scraper for HTML, line splitting for text), in parallel like the pipeline, so the ratio
//! says what extraction, merging, emitting and formatting cost on top of parsing. The
//! pipeline runs three ways: cold (empty format cache, empty output folder), warm (the
//! cache and output of the run before, same pages) and with one page edited since the
//! run before.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::Stats;
use crate::cache::analysis::analyze_cached;
use crate::codegen::emit_and_sync;
use crate::emit::{ModelsConfig, Target};
use crate::pipeline::{InputFile, discover};

/// How a pipeline run finds the format cache and the output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// An empty cache and an empty output folder: the first run.
    Cold,
    /// The cache and the output of the previous run, and the same pages: a re-run.
    Warm,
    /// As warm, with one page edited since the previous run: a re-run after a docs change.
    OnePageChanged,
}

impl Mode {
    /// Every mode, in the order they are measured.
    pub const ALL: [Mode; 3] = [Mode::Cold, Mode::Warm, Mode::OnePageChanged];

    /// The mode's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Cold => "cold",
            Mode::Warm => "warm",
            Mode::OnePageChanged => "1-page",
        }
    }
}

/// The figures of one mode: medians over the runs.
#[derive(Clone, Debug)]
pub struct Runs {
    /// Which runs.
    pub mode: Mode,
    /// Median wall time of the whole pipeline.
    pub pipeline: Duration,
    /// Median time of each stage: (read + extract + merge; checking the output stamp,
    /// plan + emit + format + saving the caches; write + stamping the output).
    pub stages: (Duration, Duration, Duration),
    /// The cache's counts in the median run.
    pub cache: Stats,
    /// Files written (or removed) by the median run.
    pub written: usize,
}

/// The figures for one folder at one repetition.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// What was measured (the folder name, with the repetition).
    pub label: String,
    /// Pages read.
    pub pages: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Median wall time of reading and parsing only, measured between the pipeline runs.
    pub floor: Duration,
    /// Peak resident memory during the pipeline runs, in bytes, where the OS tells.
    pub peak_memory: Option<u64>,
    /// Cold, warm and one-page-changed runs, in that order.
    pub runs: Vec<Runs>,
    /// The page edited for the one-page-changed runs.
    pub edited: Option<String>,
}

impl Measurement {
    /// A mode's pipeline time over the floor time.
    pub fn ratio(&self, runs: &Runs) -> f64 {
        runs.pipeline.as_secs_f64() / self.floor.as_secs_f64().max(1e-9)
    }

    /// Pages per second through a mode's pipeline.
    pub fn pages_per_second(&self, runs: &Runs) -> f64 {
        self.pages as f64 / runs.pipeline.as_secs_f64().max(1e-9)
    }
}

/// One pipeline run's figures.
struct Run {
    total: Duration,
    stages: (Duration, Duration, Duration),
    cache: Stats,
    written: usize,
}

/// Measures `files` `runs` times in each mode (writing into `scratch`), and the floor
/// as many times, a floor run before each pipeline run so that both see the same load.
pub fn measure(
    label: &str,
    files: &[InputFile],
    runs: usize,
    scratch: &Path,
) -> std::io::Result<Measurement> {
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0))
        .sum();
    let runs = runs.max(1);
    let work = scratch.join(format!("measure-{}", label.replace(' ', "-")));
    let _ = std::fs::remove_dir_all(&work);
    let mut floor = Vec::new();
    let mut floor_run = || {
        let start = Instant::now();
        parse_only(files);
        floor.push(start.elapsed());
    };
    reset_peak_memory();
    let mut figures = Vec::new();
    // Cold: each run from nothing; the last one's output and cache stay for the warm runs.
    let (output, cache) = (work.join("output"), work.join("cache"));
    let mut cold = Vec::new();
    for run in 0..runs {
        floor_run();
        let last = run + 1 == runs;
        let (out, dir) = if last {
            (output.clone(), cache.clone())
        } else {
            (
                work.join(format!("cold-{run}")),
                work.join(format!("cache-{run}")),
            )
        };
        cold.push(run_pipeline(files, &out, &dir)?);
        if !last {
            let _ = std::fs::remove_dir_all(&out);
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    figures.push(summarize(Mode::Cold, cold));
    // Warm: the same pages again.
    let mut warm = Vec::new();
    for _ in 0..runs {
        floor_run();
        warm.push(run_pipeline(files, &output, &cache)?);
    }
    figures.push(summarize(Mode::Warm, warm));
    // One page changed: a copy of one page, edited differently before each run.
    let edited = editable_page(files, &work)?;
    if let Some((index, original, copy)) = &edited {
        let mut inputs = files.to_vec();
        inputs[*index].path = copy.clone();
        let mut changed = Vec::new();
        for run in 0..runs {
            std::fs::write(copy, edit(original, run).unwrap_or_default())?;
            floor_run();
            changed.push(run_pipeline(&inputs, &output, &cache)?);
        }
        figures.push(summarize(Mode::OnePageChanged, changed));
    }
    let peak_memory = peak_memory();
    let _ = std::fs::remove_dir_all(&work);
    Ok(Measurement {
        label: label.to_string(),
        pages: files.len(),
        bytes,
        floor: median(floor),
        peak_memory,
        runs: figures,
        edited: edited.map(|(index, _, _)| files[index].page.clone()),
    })
}

/// The whole pipeline once, as `cargo xtask codegen` runs it with its caches: the last
/// analysis if the pages are unchanged, else read, extract and merge; the last output if
/// the schema is unchanged, else plan and emit (formatting through the format cache);
/// write.
fn run_pipeline(files: &[InputFile], output: &Path, cache_dir: &Path) -> std::io::Result<Run> {
    // GRAPHGEN_CACHE=off measures the pipeline without its caches, as codegen runs then.
    let caches = (!crate::cache::disabled_by_env()).then_some((cache_dir, "bench"));
    let start = Instant::now();
    let (analysis, analysis_reused) = analyze_cached(files, caches);
    let analyzed = Instant::now();
    // As `emit`: the default support path and crate names, no seeds.
    let synced = emit_and_sync(
        &analysis.schema,
        &[],
        &ModelsConfig::default().support_path,
        &Target::default(),
        caches,
        output,
        false,
    )?;
    let written = Instant::now();
    Ok(Run {
        total: written - start,
        stages: (
            analyzed - start,
            synced.emitting,
            (written - analyzed).saturating_sub(synced.emitting),
        ),
        cache: Stats {
            analysis_reused,
            ..synced.cache.unwrap_or_default()
        },
        written: synced.changes.len(),
    })
}

/// The median run of a mode (by total time), with each stage's own median.
fn summarize(mode: Mode, mut runs: Vec<Run>) -> Runs {
    let stages = (
        median(runs.iter().map(|r| r.stages.0).collect()),
        median(runs.iter().map(|r| r.stages.1).collect()),
        median(runs.iter().map(|r| r.stages.2).collect()),
    );
    runs.sort_by_key(|r| r.total);
    let middle = &runs[runs.len() / 2];
    Runs {
        mode,
        pipeline: middle.total,
        stages,
        cache: middle.cache,
        written: middle.written,
    }
}

/// A page to edit for the one-page-changed runs, from the middle of the list on: its
/// index, its text and the path of its copy under `work`. None when no page has a line
/// [`edit`] can change. Reads every page once more (setup, not measured).
fn editable_page(
    files: &[InputFile],
    work: &Path,
) -> std::io::Result<Option<(usize, String, PathBuf)>> {
    let middle = files.len() / 2;
    let texts: Vec<(usize, String)> = (middle..files.len())
        .chain(0..middle)
        .filter_map(|i| Some((i, std::fs::read_to_string(&files[i].path).ok()?)))
        .collect();
    // A property of a resource page (the docs keep them in `resources/`; its edit changes
    // the output) first, else any property table, else any page.
    let has_table = |text: &str| property_row(&text.lines().collect::<Vec<_>>()).is_some();
    let resource = |i: usize| files[i].page.split('/').any(|part| part == "resources");
    let found = texts
        .iter()
        .find(|(i, text)| resource(*i) && has_table(text))
        .or_else(|| texts.iter().find(|(_, text)| has_table(text)))
        .or_else(|| texts.iter().find(|(_, text)| edit(text, 0).is_some()));
    let Some((index, text)) = found else {
        return Ok(None);
    };
    let name = files[*index].path.file_name().unwrap_or_default();
    std::fs::create_dir_all(work.join("edited"))?;
    Ok(Some((*index, text.clone(), work.join("edited").join(name))))
}

/// The first row of a markdown property table (first column headed "Property").
fn property_row(lines: &[&str]) -> Option<usize> {
    let header = lines.iter().position(|l| {
        let cells: Vec<&str> = l.trim().split('|').map(str::trim).collect();
        cells.len() >= 4 && cells[0].is_empty() && cells[1].eq_ignore_ascii_case("property")
    })?;
    // The row after the header's separator.
    let row = header + 2;
    lines
        .get(row)
        .is_some_and(|l| l.trim().ends_with('|'))
        .then_some(row)
}

/// The first long line of prose ending a sentence.
fn prose_line(lines: &[&str]) -> Option<usize> {
    lines.iter().position(|l| {
        let l = l.trim();
        l.len() >= 40 && l.ends_with('.') && l.starts_with(|c: char| c.is_alphabetic())
    })
}

/// The page with one documented description edited (a different edit for each `run`), as
/// a writer would: the first row of a property table, else the first long line of prose
/// ending a sentence. None when the page has neither.
fn edit(text: &str, run: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let target = property_row(&lines).or_else(|| prose_line(&lines))?;
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in lines.iter().enumerate() {
        if i == target {
            let trimmed = line.trim_end();
            match trimmed.strip_suffix('|') {
                Some(cells) => out.push_str(&format!("{cells} Edited {run}.|")),
                None => out.push_str(&format!("{trimmed} Edited {run}.")),
            }
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    Some(out)
}

/// Reads every file and parses it with the plain parser of its format, nothing more.
pub fn parse_only(files: &[InputFile]) -> usize {
    files
        .par_iter()
        .map(|file| {
            let Ok(text) = std::fs::read_to_string(&file.path) else {
                return 0;
            };
            match file.path.extension().and_then(|e| e.to_str()) {
                Some("md") => {
                    pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::ENABLE_TABLES)
                        .count()
                }
                Some("html" | "htm") => scraper::Html::parse_document(&text).tree.nodes().count(),
                _ => text.lines().count(),
            }
        })
        .sum()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Copies a folder `times` times under distinct paths (`copy-0/…`, `copy-1/…`) and lists
/// the pages of all copies, to show how the cost grows with the input.
pub fn repeated(folder: &Path, times: usize, scratch: &Path) -> std::io::Result<Vec<InputFile>> {
    let files = discover(&[folder.to_path_buf()])?;
    if times <= 1 {
        return Ok(files);
    }
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let root = scratch.join(format!("{name}-repeat-{times}"));
    for copy in 0..times {
        let base = root.join(format!("copy-{copy}"));
        for file in &files {
            let relative = file.path.strip_prefix(folder).unwrap_or(&file.path);
            let target = base.join(relative);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            if !target.exists() {
                std::fs::copy(&file.path, &target)?;
            }
        }
    }
    // One input root, so page ids differ by copy (`copy-1/beta/api/…`).
    discover(&[root])
}

/// Forgets the peak resident memory so far (Linux: `/proc/self/clear_refs`), so that the
/// next reading is the peak of what follows. Elsewhere it does nothing.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident memory of this process since the last reset, in bytes (Linux).
fn peak_memory() -> Option<u64> {
    crate::memory::high_water_mark(std::process::id())
}

/// The default folders: each format folder of the corpus, where it is.
pub fn corpus_folders(corpus: &Path) -> Vec<PathBuf> {
    ["markdown", "text-pipe", "text-plain", "text-learn", "html"]
        .iter()
        .map(|f| corpus.join(f))
        .filter(|p| p.is_dir())
        .collect()
}
