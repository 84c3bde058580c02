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
