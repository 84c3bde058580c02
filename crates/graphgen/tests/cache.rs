//! The caches never change output: on docs-input, a run through empty caches, full ones,
//! corrupt ones, ones of another build and ones after a page changed all write exactly
//! what a run without a cache writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use graphgen::cache::{Stats, scope};
use graphgen::codegen::{Options, Report, run_cached, run_named};
use graphgen::emit::Target;

/// The cache is process-wide while a run uses it: one scenario at a time, so that each
/// one's counts are its own.
static SERIAL: Mutex<()> = Mutex::new(());

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("graphgen-cache-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn options(input: &Path, output: &Path, check: bool) -> Options {
    Options {
        inputs: vec![input.to_path_buf()],
        output: output.to_path_buf(),
        check,
        support: None,
    }
}

fn cached(input: &Path, output: &Path, cache: &Path, check: bool) -> (Report, Stats) {
    let report = run_cached(
        &options(input, output, check),
        &Target::default(),
        Some(cache),
    )
    .expect("codegen with a cache");
    let stats = report.cache.expect("the run used the cache");
    (report, stats)
}

/// Every file below `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                out.insert(path.strip_prefix(dir).expect("below").to_path_buf(), bytes);
            }
        }
    }
    out
}

/// What a run without any cache writes for `input`.
fn plain(input: &Path, name: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let output = temp_dir(name);
    run_named(&options(input, &output, false), &Target::default()).expect("codegen");
    let files = snapshot(&output);
    let _ = std::fs::remove_dir_all(&output);
    files
}

fn rust_files(files: &BTreeMap<PathBuf, Vec<u8>>) -> usize {
    files
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .count()
}

/// The cache file of one layer (`format`, `output`, `analysis`, or `stamp`: the output
/// stamp) of an output folder.
fn cache_file(cache: &Path, layer: &str, output: &Path) -> PathBuf {
    let scope = scope(&Target::default().models, output);
    match layer {
        "stamp" => cache.join(format!("output-{scope}.stamp")),
        _ => cache.join(format!("{layer}-{scope}.pack")),
    }
}

/// Removes the whole-run caches (analysis, output, stamp), so that the next run emits
/// every file (through the format cache).
fn forget_whole_runs(cache: &Path, output: &Path) {
    for layer in ["analysis", "output", "stamp"] {
        std::fs::remove_file(cache_file(cache, layer, output)).expect("cache file");
    }
}

#[test]
fn empty_then_full_cache_write_what_no_cache_writes() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let input = workspace().join("docs-input");
    let expected = plain(&input, "plain");
    let (output, cache) = (temp_dir("out"), temp_dir("dir"));

    let (_, cold) = cached(&input, &output, &cache, false);
    assert_eq!(snapshot(&output), expected);
    let files = rust_files(&expected);
    assert!(!cold.analysis_reused && !cold.output_reused, "{cold:?}");
    assert_eq!((cold.loaded, cold.hits), (0, 0), "{cold:?}");
    // Every Rust file is formatted once (the models and client crates share no file).
    assert!(cold.misses >= files, "{cold:?} for {files} Rust files");
    for layer in ["analysis", "output", "format", "stamp"] {
        assert!(cache_file(&cache, layer, &output).is_file(), "{layer}");
    }

    // The same pages: the last analysis and output, compared with the folder. The files
    // were written just before the stamp, too close to trust it ("racy clean").
    let (report, warm) = cached(&input, &output, &cache, false);
    assert!(warm.analysis_reused && warm.output_reused, "{warm:?}");
    assert!(!warm.output_unchanged, "{warm:?}");
    assert_eq!((warm.hits, warm.misses), (0, 0), "{warm:?}");
    assert!(report.changes.is_empty(), "{:?}", report.changes);

    // Stamped again well after the files' times: nothing emitted or read.
    wait_out_the_stamp_window();
    cached(&input, &output, &cache, false);
    let (report, warm) = cached(&input, &output, &cache, false);
    assert!(warm.output_unchanged, "{warm:?}");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(report.files, expected.len());
    // Check mode never trusts the stamp: it compares every file.
    let (report, check) = cached(&input, &output, &cache, true);
    assert!(check.output_reused && !check.output_unchanged, "{check:?}");
    assert!(report.changes.is_empty(), "{:?}", report.changes);

    // Without them: every file's formatting from the format cache.
    forget_whole_runs(&cache, &output);
    let (report, formats) = cached(&input, &output, &cache, true);
    assert!(!formats.analysis_reused && !formats.output_reused);
    assert_eq!(formats.misses, 0, "{formats:?}");
    assert_eq!(formats.hits, cold.misses, "{formats:?}");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(snapshot(&output), expected);
    remove(&[&output, &cache]);
}

#[test]
fn corrupt_whole_run_caches_are_misses_and_rewritten() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let input = workspace().join("docs-input");
    let expected = plain(&input, "plain-whole");
    let (output, cache) = (temp_dir("out-whole"), temp_dir("dir-whole"));
    cached(&input, &output, &cache, false);
    for layer in ["analysis", "output"] {
        let file = cache_file(&cache, layer, &output);
        let good = std::fs::read(&file).expect("cache file");
        let mut bytes = good.clone();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        for damaged in [bytes, good[..good.len() - 1].to_vec()] {
            std::fs::write(&file, damaged).expect("damage");
            let (report, stats) = cached(&input, &output, &cache, true);
            let reused = match layer {
                "analysis" => stats.analysis_reused,
                _ => stats.output_reused,
            };
            assert!(!reused, "a damaged {layer} cache was used: {stats:?}");
            assert!(report.changes.is_empty(), "{:?}", report.changes);
            assert_eq!(std::fs::read(&file).expect("rewritten"), good, "{layer}");
        }
    }
    assert_eq!(snapshot(&output), expected);
    remove(&[&output, &cache]);
}

#[test]
fn corrupt_or_foreign_entries_are_formatted_again_and_rewritten() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let input = workspace().join("docs-input");
    let expected = plain(&input, "plain-corrupt");
    let (output, cache) = (temp_dir("out-corrupt"), temp_dir("dir-corrupt"));
    let (_, cold) = cached(&input, &output, &cache, false);
    let file = cache_file(&cache, "format", &output);
    let good = std::fs::read(&file).expect("cache file");

    // One byte of the last entry's text flipped: that entry alone is ignored, its file
    // formatted again, and check mode finds the output exactly as before.
    let mut bytes = good.clone();
    let at = bytes.len() - 10;
    bytes[at] ^= 0x20;
    std::fs::write(&file, &bytes).expect("corrupt");
    forget_whole_runs(&cache, &output);
    let (report, stats) = cached(&input, &output, &cache, true);
    assert_eq!((stats.ignored, stats.misses), (1, 1), "{stats:?}");
    assert_eq!(stats.hits, cold.misses - 1, "{stats:?}");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    // ... and the entry was rewritten: the file is whole again.
    assert_eq!(std::fs::read(&file).expect("rewritten"), good);

    // Cut short in the middle: the entries before the cut still serve.
    std::fs::write(&file, &good[..good.len() / 2]).expect("truncate");
    forget_whole_runs(&cache, &output);
    let (report, stats) = cached(&input, &output, &cache, true);
    assert_eq!(stats.ignored, 1, "{stats:?}");
    assert!(stats.hits > 0 && stats.misses > 0, "{stats:?}");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(std::fs::read(&file).expect("rewritten"), good);

    // Made by another build of the generator: not one entry is used.
    let mut foreign = good.clone();
    let key_at = b"graphgen format cache 1\n".len();
    foreign[key_at] = if foreign[key_at] == b'0' { b'1' } else { b'0' };
    std::fs::write(&file, &foreign).expect("foreign");
    forget_whole_runs(&cache, &output);
    let (report, stats) = cached(&input, &output, &cache, true);
    assert_eq!((stats.loaded, stats.hits), (0, 0), "{stats:?}");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(std::fs::read(&file).expect("rewritten"), good);
    assert_eq!(snapshot(&output), expected);
    remove(&[&output, &cache]);
}

/// The stamp says the folder is as the last run left it only while it is: a generated
/// file edited by hand, or a stray generated file added, is found and put right.
#[test]
fn an_edited_output_folder_is_compared_again() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let input = workspace().join("docs-input");
    let expected = plain(&input, "plain-edited");
    let (output, cache) = (temp_dir("out-edited"), temp_dir("dir-edited"));
    let stamped = || {
        wait_out_the_stamp_window();
        cached(&input, &output, &cache, false);
        let (_, stats) = cached(&input, &output, &cache, false);
        assert!(stats.output_unchanged, "{stats:?}");
    };
    cached(&input, &output, &cache, false);
    stamped();
    let schema = output.join("schema.json");
    let text = std::fs::read_to_string(&schema).expect("schema.json");
    std::fs::write(&schema, text.replacen('{', "{ ", 1)).expect("edit");
    let (report, stats) = cached(&input, &output, &cache, false);
    assert!(!stats.output_unchanged, "{stats:?}");
    assert_eq!(report.changes.len(), 1, "{:?}", report.changes);
    stamped();
    let stray = output.join("graph-models/src/stray.rs");
    std::fs::write(&stray, "// @generated by an older run\n").expect("stray");
    let (report, stats) = cached(&input, &output, &cache, false);
    assert!(!stats.output_unchanged, "{stats:?}");
    assert_eq!(report.changes.len(), 1, "{:?}", report.changes);
    assert_eq!(snapshot(&output), expected);
    remove(&[&output, &cache]);
}

#[test]
fn a_changed_page_is_formatted_again_and_the_rest_reused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let input = temp_dir("input-changed");
    copy_tree(&workspace().join("docs-input"), &input);
    let (output, cache) = (temp_dir("out-changed"), temp_dir("dir-changed"));
    let (_, cold) = cached(&input, &output, &cache, false);

    let page = input.join("fixtures/intune-devices-deviceactionresult.md");
    let text = std::fs::read_to_string(&page).expect("page");
    let edited = text.replace("|Time the action was initiated|", "|When the action began|");
    assert_ne!(text, edited, "the fixture no longer has the edited cell");
    std::fs::write(&page, edited).expect("edit");
    let expected = plain(&input, "plain-changed");
    let (report, stats) = cached(&input, &output, &cache, false);
    assert!(!stats.analysis_reused && !stats.output_reused, "{stats:?}");
    // The type's own file and the files quoting the description (the client and routes
    // documents it) are new; everything else comes from the cache.
    assert!(stats.misses >= 1 && stats.misses < 5, "{stats:?}");
    assert_eq!(stats.hits + stats.misses, cold.misses, "{stats:?}");
    assert!(!report.changes.is_empty());
    assert_eq!(snapshot(&output), expected);
    remove(&[&input, &output, &cache]);
}

/// Lets the output stamp's "racy clean" window pass: a file written less than that
/// before a stamp does not let the stamp be trusted (a wait, not a timed assertion).
fn wait_out_the_stamp_window() {
    std::thread::sleep(std::time::Duration::from_millis(100));
}

fn remove(dirs: &[&Path]) {
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}
