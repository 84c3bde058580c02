//! The real `xtask` binary: exit codes and messages of `codegen` and `codegen --check`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn xtask(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run xtask");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_fails_naming_the_stale_file_and_passes_when_fresh() {
    let out = std::env::temp_dir().join(format!("xtask-cli-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let input = workspace().join("docs-input");
    let (input, out_arg) = (input.to_str().expect("utf-8"), out.to_str().expect("utf-8"));

    let (ok, stdout, _) = xtask(&["codegen", "--input", input, "--output", out_arg]);
    assert!(ok, "codegen failed: {stdout}");
    assert!(
        stdout.contains("pages:") && stdout.contains("text-plain") && stdout.contains("html"),
        "{stdout}"
    );

    let (ok, stdout, stderr) =
        xtask(&["codegen", "--input", input, "--output", out_arg, "--check"]);
    assert!(ok, "fresh output must pass --check: {stdout}{stderr}");

    let schema = out.join("schema.json");
    let text = std::fs::read_to_string(&schema).expect("read");
    std::fs::write(&schema, text.replace("POST", "PUT")).expect("edit");
    let (ok, _, stderr) = xtask(&["codegen", "--input", input, "--output", out_arg, "--check"]);
    assert!(!ok, "--check must fail after a hand edit");
    assert!(stderr.contains("schema.json (changed)"), "{stderr}");
    assert!(stderr.contains("cargo xtask codegen"), "{stderr}");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn unknown_options_are_usage_errors() {
    let (ok, _, stderr) = xtask(&["codegen", "--frobnicate"]);
    assert!(!ok);
    assert!(
        stderr.contains("unexpected argument '--frobnicate'"),
        "{stderr}"
    );
    let (ok, _, stderr) = xtask(&["codegen", "--input"]);
    assert!(!ok, "a missing value is an error");
    assert!(stderr.contains("--input <DIR>"), "{stderr}");
    let (ok, _, stderr) = xtask(&["codegen", "--input", "/nonexistent/graphgen-input"]);
    assert!(!ok);
    assert!(
        stderr.contains("/nonexistent/graphgen-input"),
        "an I/O error names its path: {stderr}"
    );
}

#[test]
fn the_benchmark_runs_in_its_short_mode() {
    // One run at 1x over each corpus format folder (or docs-input when there is no corpus),
    // so that the benchmark cannot rot; the figures themselves are not asserted.
    let (ok, stdout, stderr) = xtask(&["bench", "--quick"]);
    assert!(ok, "{stdout}{stderr}");
    let rows: Vec<&str> = stdout.lines().filter(|l| l.contains(" 1x ")).collect();
    assert!(!rows.is_empty(), "{stdout}");
    for row in rows {
        let pages: usize = row
            .split_whitespace()
            .nth(2)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        assert!(pages > 0, "a bench row without pages: {row}");
        assert!(row.contains("ms"), "{row}");
    }
    println!("{stdout}");
}

/// Copies a folder of pages (flat or nested) to `to`.
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

fn snapshot_of(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside").to_path_buf();
                out.insert(relative, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

#[test]
fn a_run_stopped_midway_leaves_every_file_old_or_new() {
    let base = std::env::temp_dir().join(format!("xtask-cli-midway-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (input, out, fresh) = (base.join("input"), base.join("out"), base.join("fresh"));
    std::fs::create_dir_all(&input).expect("mkdir");
    copy_tree(&workspace().join("docs-input"), &input);
    let arg = |p: &Path| p.to_str().expect("utf-8").to_string();
    let (ok, _, stderr) = xtask(&["codegen", "--input", &arg(&input), "--output", &arg(&out)]);
    assert!(ok, "{stderr}");
    let old = snapshot_of(&out);

    // A docs change that touches many files: a type gains a property.
    let page = input.join("fixtures/intune-onboarding-devicecategory.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        text.replace("|id|String|", "|colour|String|The colour.|\n|id|String|"),
    )
    .expect("edit");
    let (ok, _, _) = xtask(&["codegen", "--input", &arg(&input), "--output", &arg(&fresh)]);
    assert!(ok);
    let new = snapshot_of(&fresh);

    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--input", &arg(&input), "--output", &arg(&out)])
        .env("GRAPHGEN_FAIL_AFTER_WRITES", "1")
        .output()
        .expect("run xtask");
    assert!(
        !output.status.success(),
        "the forced failure must fail the run"
    );
    let after = snapshot_of(&out);
    let mut changed = 0;
    for (path, contents) in &after {
        let is_old = old.get(path) == Some(contents);
        let is_new = new.get(path) == Some(contents);
        assert!(
            is_old || is_new,
            "{} is neither old nor new",
            path.display()
        );
        changed += usize::from(!is_old);
    }
    assert!(
        changed <= 1,
        "only the first write may have landed, {changed} did"
    );
    assert!(
        after.keys().all(|p| !p.to_string_lossy().contains(".tmp")),
        "a temp file was left"
    );
    std::fs::remove_dir_all(&base).ok();
}
