//! The catalogue of bad pages (`tests/fixtures/bad/`): each gets a clear diagnostic
//! (snapshotted as rendered, rustc-style), nothing panics, and the good pages of the same
//! run are still read.

use std::path::{Path, PathBuf};

use graphgen::diag::{Severity, render};
use graphgen::pipeline::analyze;

/// A good page read in every run beside the bad one.
const GOOD_PAGE: &str = "../docs-input/fixtures/intune-onboarding-devicecategory.md";

/// Analyzes a bad page (or folder) beside a good page; returns the rendered diagnostics
/// and checks that the good page still made it into the schema.
fn run(bad: &Path) -> (String, graphgen::pipeline::Analysis) {
    let analysis = analyze(&[bad.to_path_buf(), PathBuf::from(GOOD_PAGE)]).expect("analyze");
    assert!(
        analysis
            .schema
            .types
            .iter()
            .any(|t| t.name == "deviceCategory"),
        "the good page of the run was not generated beside {}",
        bad.display()
    );
    let rendered: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let source = std::fs::read(&d.file)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            render(d, source.as_deref())
        })
        .collect();
    (rendered.join("\n"), analysis)
}

/// Fixtures are read by relative path (tests run in `tests/`), so snapshots name no
/// machine's folders.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from("fixtures/bad").join(name)
}

fn has(analysis: &graphgen::pipeline::Analysis, code: &str, severity: Severity) -> bool {
    analysis
        .diagnostics
        .iter()
        .any(|d| d.code == code && d.severity == severity)
}

macro_rules! bad_page {
    ($test:ident, $file:expr, $code:expr, $severity:expr) => {
        #[test]
        fn $test() {
            let (rendered, analysis) = run(&fixture($file));
            assert!(
                has(&analysis, $code, $severity),
                "expected a {:?} `{}` for {}, got:\n{rendered}",
                $severity,
                $code,
                $file
            );
            insta::assert_snapshot!(rendered);
        }
    };
}

bad_page!(empty_file, "empty.md", "unreadable", Severity::Error);
bad_page!(
    binary_garbage,
    "binary-garbage.txt",
    "unreadable",
    Severity::Error
);
bad_page!(not_utf8, "not-utf8.txt", "unreadable", Severity::Error);
bad_page!(
    truncated_mid_table,
    "truncated-mid-table.md",
    "no-status",
    Severity::Error
);
bad_page!(
    wrong_column_count,
    "wrong-column-count.md",
    "row-width",
    Severity::Warning
);
bad_page!(
    duplicated_property,
    "duplicated-property.md",
    "duplicate-property",
    Severity::Error
);
bad_page!(
    no_http_request,
    "no-http-request.md",
    "no-http-request",
    Severity::Error
);
bad_page!(bad_paths, "bad-paths.txt", "bad-path", Severity::Error);
bad_page!(
    undefined_type,
    "undefined-type.md",
    "undefined-type",
    Severity::Warning
);
// The resource page decides; the other page's disagreement is a warning.
bad_page!(
    disagreeing_pages,
    "disagreeing-types",
    "type-conflict",
    Severity::Warning
);
bad_page!(
    placeholder_request_line,
    "placeholder-request-line.md",
    "no-path",
    Severity::Warning
);

/// A request line whose path the docs left as a placeholder is incomplete docs, not a
/// broken page: a warning, no operation, and the run does not fail.
#[test]
fn a_placeholder_request_line_fails_nothing() {
    let (rendered, analysis) = run(&fixture("placeholder-request-line.md"));
    assert!(
        !analysis
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error),
        "{rendered}"
    );
    assert!(
        analysis
            .schema
            .operations
            .iter()
            .all(|op| !op.path.contains("Collection URI")),
        "no operation from a placeholder"
    );
}

bad_page!(
    missing_include,
    "missing-include.md",
    "missing-include",
    Severity::Warning
);

/// The page with the missing include is still read: its operation, without permissions.
#[test]
fn a_page_with_a_missing_include_is_read_without_it() {
    let (_, analysis) = run(&fixture("missing-include.md"));
    let op = analysis
        .schema
        .operations
        .iter()
        .find(|o| o.path == "/deviceManagement/widgets/{widgetId}")
        .expect("the operation is read");
    assert!(op.permissions.application.is_empty());
    let warning = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "missing-include")
        .expect("a warning");
    assert_eq!(warning.line, 13, "the include's line in the page");
    assert!(
        warning.message.contains("widget-get-permissions.md"),
        "names the include file: {}",
        warning.message
    );
}

bad_page!(
    invalid_json_example,
    "invalid-json-example.md",
    "bad-example-json",
    Severity::Warning
);

#[test]
fn a_txt_holding_markdown_or_html_is_read_as_such() {
    for (file, ty, property) in [
        ("markdown-in-txt.txt", "widget", "displayName"),
        ("html-in-txt.txt", "gadget", "weight"),
    ] {
        let (rendered, analysis) = run(&fixture(file));
        assert!(rendered.is_empty(), "{file}: {rendered}");
        let found = analysis
            .schema
            .types
            .iter()
            .find(|t| t.name == ty)
            .expect("the type");
        assert!(
            found.properties.iter().any(|p| p.name == property),
            "{file}"
        );
    }
}

#[test]
fn a_ten_thousand_row_table_and_a_one_megabyte_line() {
    let dir = graphgen_tests::temp_dir("big-pages");
    let mut table = String::from(
        "# bigTable resource type\n\nNamespace: microsoft.graph\n\nBig.\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n",
    );
    for i in 0..10_000 {
        table.push_str(&format!("|property{i}|Int32|Property number {i}.|\n"));
    }
    std::fs::write(dir.join("intune-shared-bigtable.md"), table).expect("write");
    let line = format!(
        "# longLine resource type\n\nNamespace: microsoft.graph\n\n{}\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|{}|\n",
        "word ".repeat(200_000),
        "x".repeat(1_000_000)
    );
    std::fs::write(dir.join("intune-shared-longline.txt"), line).expect("write");
    let (rendered, analysis) = run(&dir);
    assert!(rendered.is_empty(), "{rendered}");
    let big = analysis
        .schema
        .types
        .iter()
        .find(|t| t.name == "bigTable")
        .expect("bigTable");
    assert_eq!(big.properties.len(), 10_000);
    let long = analysis
        .schema
        .types
        .iter()
        .find(|t| t.name == "longLine")
        .expect("longLine");
    assert_eq!(long.properties[0].description.len(), 1_000_000);
    std::fs::remove_dir_all(dir).ok();
}

/// The accepted-diagnostics workflow: a docs defect fails the run until it is accepted
/// (`--accept-diagnostics`); then the run passes, the same defect moved to another line
/// still passes, and a new defect fails again.
#[test]
fn accepted_diagnostics_stop_failing_and_new_ones_still_fail() {
    let dir = graphgen_tests::temp_dir("accepted");
    let (docs, output) = (dir.join("docs"), dir.join("out"));
    std::fs::create_dir_all(&docs).expect("docs folder");
    let copy = |from: &Path, to: &str| {
        std::fs::copy(from, docs.join(to)).expect("copy a page");
    };
    copy(Path::new(GOOD_PAGE), "good.md");
    copy(&fixture("no-http-request.md"), "broken.md");
    let root = graphgen_tests::workspace();
    let run = |accept: bool| {
        let flags = graphgen::commands::CodegenFlags {
            accept_diagnostics: accept,
            ..Default::default()
        };
        graphgen::commands::codegen(&root, vec![docs.clone()], Some(output.clone()), &flags)
            .expect("codegen runs")
    };
    assert!(!run(false), "an error fails the run");
    assert!(run(true), "accepting passes");
    let accepted = std::fs::read_to_string(output.join("accepted-diagnostics.json"))
        .expect("the accepted diagnostics are written");
    assert!(accepted.contains("\"page\": \"broken\""), "{accepted}");
    assert!(
        accepted.contains("\"code\": \"no-http-request\""),
        "{accepted}"
    );
    assert!(run(false), "the accepted error no longer fails the run");

    // The same defect further down the page is still the accepted one.
    let moved = format!(
        "\n\n{}",
        std::fs::read_to_string(docs.join("broken.md")).expect("read")
    );
    std::fs::write(docs.join("broken.md"), moved).expect("write");
    assert!(run(false), "accepted by page and code, not by line");

    copy(&fixture("no-http-request.md"), "also-broken.md");
    assert!(!run(false), "a new error on another page fails the run");
    let _ = std::fs::remove_dir_all(&dir);
}
