//! generated/ must be what the generator makes now, and runs must be deterministic and
//! incremental.

use std::path::PathBuf;

use graphgen::codegen::{self, Options};
use graphgen::emit::emit;
use graphgen::pipeline::{analyze_files, discover};
use graphgen::write::Change;
use graphgen_tests::{corpus, docs_input, temp_dir, workspace};

#[test]
fn generated_folder_is_up_to_date() {
    let report = codegen::run(&Options {
        inputs: vec![docs_input()],
        output: workspace().join("generated"),
        check: true,
        support: None,
    })
    .expect("codegen --check");
    let stale: Vec<String> = report
        .changes
        .iter()
        .map(|c| c.path().display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "generated/ is stale ({}); run `cargo xtask codegen` and commit the result",
        stale.join(", ")
    );
}

/// A fixed permutation, different from the sorted order, that needs no random crate.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut items = items.to_vec();
    let mut state = seed;
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (state >> 33) as usize % (i + 1);
        items.swap(i, j);
    }
    items
}

#[test]
fn reading_order_does_not_change_the_output() {
    let inputs = match corpus() {
        Some(corpus) => vec![corpus.join("markdown"), corpus.join("text-plain")],
        None => vec![docs_input()],
    };
    let files = discover(&inputs).expect("list pages");
    let sorted = emit(&analyze_files(&files).schema);
    for seed in [1, 2, 3] {
        let order = shuffled(&files, seed);
        assert_ne!(order, files, "the shuffle must change the order");
        let again = emit(&analyze_files(&order).schema);
        assert!(
            again == sorted,
            "output differs when pages are read in shuffled order {seed}"
        );
    }
    println!(
        "{} pages read in 4 orders gave byte-identical output",
        files.len()
    );
}

#[test]
fn a_second_run_rewrites_nothing() {
    let output = temp_dir("second-run");
    let options = Options {
        inputs: vec![docs_input()],
        output: output.clone(),
        check: false,
        support: None,
    };
    let first = codegen::run(&options).expect("first run");
    assert!(!first.changes.is_empty());
    assert!(
        first
            .changes
            .iter()
            .all(|c| matches!(c, Change::Created(_)))
    );
    let schema = output.join("schema.json");
    let modified = std::fs::metadata(&schema)
        .and_then(|m| m.modified())
        .expect("mtime");
    let second = codegen::run(&options).expect("second run");
    assert_eq!(
        second.changes,
        [],
        "a second run on unchanged input must write nothing"
    );
    let again = std::fs::metadata(&schema)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(modified, again);
    std::fs::remove_dir_all(output).ok();
}

#[test]
fn check_names_a_hand_edited_file_and_writes_nothing() {
    let output = temp_dir("check");
    let mut options = Options {
        inputs: vec![docs_input()],
        output: output.clone(),
        check: false,
        support: None,
    };
    codegen::run(&options).expect("generate");
    let schema = output.join("schema.json");
    let edited = std::fs::read_to_string(&schema)
        .expect("read")
        .replace("runState", "runStateX");
    std::fs::write(&schema, &edited).expect("edit");
    options.check = true;
    let report = codegen::run(&options).expect("check");
    assert_eq!(
        report.changes,
        [Change::Updated(PathBuf::from("schema.json"))]
    );
    assert_eq!(
        std::fs::read_to_string(&schema).expect("read"),
        edited,
        "check wrote"
    );
    std::fs::remove_dir_all(output).ok();
}
