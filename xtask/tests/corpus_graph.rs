//! The crates generated from both versions of `../shared/corpus-graph` (every workload
//! but Intune) compile side by side, without a warning. Skips with a notice when the
//! corpus is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

#[test]
fn both_versions_of_corpus_graph_compile_without_warnings() {
    let corpus = std::env::var_os("GRAPHGEN_CORPUS_GRAPH")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus-graph"));
    if !corpus.join("markdown").is_dir() {
        println!(
            "notice: corpus-graph not found at {}; skipping",
            corpus.display()
        );
        return;
    }
    let out = workspace().join("target/corpus-graph-check");
    let generated = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--input"])
        .arg(corpus.join("markdown"))
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run xtask codegen");
    let summary = String::from_utf8_lossy(&generated.stdout);
    println!(
        "{}",
        summary
            .lines()
            .filter(|l| !l.starts_with(' '))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for version in ["beta", "v1.0"] {
        assert!(
            out.join(version).join("schema.json").is_file(),
            "{version} not generated"
        );
    }
    std::fs::write(
        out.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"beta/graph-routes-beta\", \"v1.0/graph-routes-v1\"]\n",
    )
    .expect("write workspace");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let check = Command::new(cargo)
        .args([
            "check",
            "--all-targets",
            "--message-format",
            "short",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(workspace().join("target/verify/target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo check");
    let stderr = String::from_utf8_lossy(&check.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning") && l.contains("graph-"))
        .collect();
    assert!(check.status.success(), "cargo check failed:\n{stderr}");
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));
    println!("{}", stderr.lines().last().unwrap_or_default());
}
