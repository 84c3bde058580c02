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
    assert!(stderr.contains("unknown option `--frobnicate`"), "{stderr}");
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
