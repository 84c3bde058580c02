//! `cargo xtask bench`: the whole pipeline against its parse-only floor, in one run.
//!
//! The floor reads the same files and only parses them (pulldown-cmark for markdown,
//! scraper for HTML, line splitting for text), in parallel like the pipeline, so the ratio
//! says what extraction, merging, emitting and formatting cost on top of parsing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::emit::emit;
use crate::pipeline::{InputFile, analyze_files, discover};
use crate::write::sync;

/// The figures for one folder at one repetition.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// What was measured (the folder name, with the repetition).
    pub label: String,
    /// Pages read.
    pub pages: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Median wall time of the whole pipeline.
    pub pipeline: Duration,
    /// Median wall time of reading and parsing only.
    pub floor: Duration,
    /// Peak resident memory during the pipeline runs, in bytes, where the OS tells.
    pub peak_memory: Option<u64>,
    /// Median time of each stage: (read + extract + merge, emit + format, write).
    pub stages: (Duration, Duration, Duration),
}

impl Measurement {
    /// Pipeline time over floor time.
    pub fn ratio(&self) -> f64 {
        self.pipeline.as_secs_f64() / self.floor.as_secs_f64().max(1e-9)
    }

    /// Pages per second through the whole pipeline.
    pub fn pages_per_second(&self) -> f64 {
        self.pages as f64 / self.pipeline.as_secs_f64().max(1e-9)
    }
}

/// Measures `files` `runs` times: the pipeline (writing into `scratch`) and the floor.
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
    let mut floor = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        parse_only(files);
        floor.push(start.elapsed());
    }
    reset_peak_memory();
    let mut pipeline = Vec::new();
    let (mut analyze, mut emitting, mut writing) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs.max(1) {
        let output = scratch.join(format!("run-{run}"));
        let start = Instant::now();
        let analysis = analyze_files(files);
        let analyzed = Instant::now();
        let generated = emit(&analysis.schema);
        let emitted = Instant::now();
        sync(&output, &generated, |_, _| true, false)?;
        let written = Instant::now();
        pipeline.push(written - start);
        analyze.push(analyzed - start);
        emitting.push(emitted - analyzed);
        writing.push(written - emitted);
        let _ = std::fs::remove_dir_all(&output);
    }
    Ok(Measurement {
        label: label.to_string(),
        pages: files.len(),
        bytes,
        pipeline: median(pipeline),
        floor: median(floor),
        peak_memory: peak_memory(),
        stages: (median(analyze), median(emitting), median(writing)),
    })
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
