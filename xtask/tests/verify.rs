//! `cargo xtask verify` end to end: generate the models for a docs folder, compile them,
//! and round-trip every example body. The corpus run also proves that a models crate
//! generated from the whole corpus compiles.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn corpus() -> Option<PathBuf> {
    let path = std::env::var_os("GRAPHGEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"));
    if path.join("markdown").is_dir() {
        Some(path)
    } else {
        println!("notice: corpus not found at {}; skipping", path.display());
        None
    }
}

/// Runs verify and returns (success, stdout); the summary line is printed.
fn verify(input: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["verify", "--input"])
        .arg(input)
        .output()
        .expect("run xtask verify");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    println!("{stdout}");
    if !output.status.success() {
        println!("{}", String::from_utf8_lossy(&output.stderr));
    }
    (output.status.success(), stdout)
}

/// The counts of the summary line `round trip: N pages, M bodies checked, K failed`.
fn counts(stdout: &str) -> (usize, usize, usize) {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("round trip:"))
        .unwrap_or_else(|| panic!("no summary line in:\n{stdout}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

/// The counts of `replay: N example requests …, M got the documented status, E explained
/// misses, U unexplained misses`.
fn replay_counts(stdout: &str) -> (usize, usize, usize, usize) {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("replay:"))
        .unwrap_or_else(|| panic!("no replay line in:\n{stdout}"));
    let numbers: Vec<usize> = line
        .split([' ', ','])
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1], numbers[2], numbers[3])
}

/// `cargo check` of the verify workspace's models crate with only the given features, so
/// that per-area features never break; returns whether it compiled.
fn check_models_with(stdout: &str, features: &[&str]) -> bool {
    let work = stdout
        .lines()
        .find_map(|l| l.strip_prefix("workspace: "))
        .unwrap_or_else(|| panic!("no workspace line in:\n{stdout}"));
    let work = Path::new(work);
    let target = work.parent().expect("verify folder").join("target");
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "check",
            "--quiet",
            "--package",
            "graph-models",
            "--no-default-features",
            "--features",
        ])
        .arg(features.join(","))
        .arg("--manifest-path")
        .arg(work.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .status()
        .expect("run cargo check");
    status.success()
}

/// The area features of a generated models crate.
fn areas(stdout: &str) -> Vec<String> {
    let work = stdout
        .lines()
        .find_map(|l| l.strip_prefix("workspace: "))
        .expect("workspace line");
    let manifest =
        std::fs::read_to_string(Path::new(work).join("graph-models/Cargo.toml")).expect("manifest");
    manifest
        .lines()
        .skip_while(|l| !l.starts_with("full = "))
        .skip(1)
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.to_string()))
        .collect()
}

#[test]
fn every_example_of_docs_input_round_trips_and_replays() {
    let (ok, stdout) = verify(&workspace().join("docs-input"));
    let (pages, bodies, failed) = counts(&stdout);
    assert!(ok && failed == 0, "verify failed:\n{stdout}");
    assert!(pages >= 5 && bodies >= 10, "{stdout}");
    let (sent, met, explained, missed) = replay_counts(&stdout);
    assert!(sent >= 10, "{stdout}");
    assert_eq!((met, explained, missed), (sent, 0, 0), "{stdout}");
    let areas = areas(&stdout);
    assert!(areas.len() >= 3, "{areas:?}");
    for area in &areas {
        assert!(
            check_models_with(&stdout, &[area]),
            "the `{area}` feature alone does not compile"
        );
    }
}

#[test]
fn every_example_of_the_corpus_round_trips_and_replays() {
    let Some(corpus) = corpus() else { return };
    let (ok, stdout) = verify(&corpus.join("markdown"));
    let (pages, bodies, failed) = counts(&stdout);
    assert!(ok && failed == 0, "verify failed:\n{stdout}");
    assert!(pages > 400 && bodies > 600, "{stdout}");
    let (sent, met, explained, missed) = replay_counts(&stdout);
    assert_eq!(missed, 0, "unexplained misses:\n{stdout}");
    assert_eq!(met + explained, sent);
    assert!(sent > 500, "{stdout}");
    // The full set compiled above (verify builds it); one area alone must compile too.
    let areas = areas(&stdout);
    assert!(areas.iter().any(|a| a == "devices"), "{areas:?}");
    assert!(
        check_models_with(&stdout, &["devices"]),
        "the `devices` feature alone does not compile"
    );
}

#[test]
fn hostile_names_compile_and_round_trip() {
    // Keywords, `self`, leading digits, dashes, dots, unicode, names colliding after case
    // conversion or with the generated catch-alls, `*/` and HTML in descriptions.
    let (ok, stdout) = verify(&workspace().join("tests/fixtures/hostile"));
    let (_, bodies, failed) = counts(&stdout);
    assert!(ok && failed == 0 && bodies >= 2, "verify failed:\n{stdout}");
    let (sent, met, _, missed) = replay_counts(&stdout);
    assert_eq!((met, missed), (sent, 0), "{stdout}");
}

#[test]
fn only_an_example_contradicting_two_readings_of_its_page_is_explained() {
    // widget's table and JSON representation agree that `tags` is a list: example 1's
    // single string is the docs' fault. They disagree on `size` (Int32 against a
    // string): example 2's "large" may be our misreading, so it stays a failure, and
    // verify fails. Example 3 writes the enum `color` as a bare number, which OData never
    // sends (an enum is a string), though the representation shows one too.
    let (ok, stdout) = verify(&workspace().join("tests/fixtures/contradicting"));
    let (_, bodies, failed) = counts(&stdout);
    assert!(!ok && bodies == 3 && failed == 1, "{stdout}");
    let line = |prefix: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{stdout}"))
            .to_string()
    };
    let explained = line("EXPLAINED widget-get (example 1 response)");
    assert!(
        explained.contains("table and its page's JSON representation agree")
            && explained.contains("property `tags`"),
        "{explained}"
    );
    assert!(line("FAIL widget-get (example 2 response)").contains("property `size`"));
    let number = line("EXPLAINED widget-get (example 3 response)");
    assert!(
        number.contains("where an enum is documented") && number.contains("property `color`"),
        "{number}"
    );
}

/// `cargo xtask bench --compile --quick`: the compile benchmark on docs-input, so that it
/// cannot rot. The figures are not asserted (timings belong in the benchmark), but every
/// crate must build, and without a single warning.
#[test]
fn the_compile_benchmark_builds_every_crate_without_warnings() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["bench", "--compile", "--quick"])
        .output()
        .expect("run xtask bench --compile");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    println!("{stdout}");
    let labels = [
        "baseline",
        "models (every area)",
        "routes library (every area)",
        "mock binary",
        "models (area",
        "routes library (area",
        "client (every area)",
        "client (area",
    ];
    for label in labels {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no `{label}` row in:\n{stdout}"));
        let cells: Vec<&str> = row.split_whitespace().collect();
        let seconds: f64 = cells[cells.len() - 4].parse().expect("seconds");
        assert!(seconds > 0.0, "{row}");
        assert_eq!(
            cells[cells.len() - 1],
            "0",
            "warnings in a generated crate: {row}"
        );
    }
}
