//! The API changelog between two versions of a docs folder, snapshotted for fixture pairs
//! under `tests/fixtures/changelog/<case>/{old,new}`.

use graphgen::changelog::{diff, to_markdown, to_text};
use graphgen::pipeline::analyze;
use graphgen_tests::workspace;

fn changelog(case: &str) -> Vec<graphgen::changelog::Change> {
    let root = workspace().join("tests/fixtures/changelog").join(case);
    let old = analyze(&[root.join("old")]).expect("old folder");
    let new = analyze(&[root.join("new")]).expect("new folder");
    assert!(
        old.diagnostics.is_empty() && new.diagnostics.is_empty(),
        "{:?} {:?}",
        old.diagnostics,
        new.diagnostics
    );
    diff(&old.schema, &new.schema)
}

/// The changelog's text, which must have no BREAKING line.
fn text_without_breaking(changes: &[graphgen::changelog::Change]) -> String {
    let text = to_text(changes);
    assert!(!text.contains("BREAKING"), "{text}");
    text
}

#[test]
fn property_added() {
    let changes = changelog("property-added");
    assert!(
        changes.iter().all(|c| !c.breaking),
        "an added optional property breaks nothing"
    );
    insta::assert_snapshot!(to_text(&changes));
}

#[test]
fn property_type_changed() {
    let changes = changelog("property-type-changed");
    assert!(
        changes
            .iter()
            .any(|c| c.breaking && c.subject == "property widget.size")
    );
    assert!(to_text(&changes).contains("BREAKING property widget.size"));
    insta::assert_snapshot!(to_text(&changes));
}

#[test]
fn enum_member_removed() {
    let changes = changelog("enum-member-removed");
    assert_eq!(changes.len(), 1);
    assert!(changes[0].breaking);
    insta::assert_snapshot!(to_text(&changes));
}

#[test]
fn enum_member_added() {
    let changes = changelog("enum-member-added");
    assert_eq!(changes.len(), 1);
    assert!(
        !changes[0].breaking,
        "generated enums are #[non_exhaustive]: a new member breaks no match"
    );
    insta::assert_snapshot!(text_without_breaking(&changes));
}

#[test]
fn derived_type_added() {
    // A new page for a type derived from one that already has derived types: a new type
    // and a new variant of the base's #[non_exhaustive] `Any` enum.
    let changes = changelog("derived-type-added");
    assert!(
        changes
            .iter()
            .any(|c| c.subject == "type squareWidget" && c.what.contains("derived from widget"))
    );
    insta::assert_snapshot!(text_without_breaking(&changes));
}

#[test]
fn first_derived_type_added() {
    // The base's first derived type: every use of the base (here the list operation's
    // reply) becomes its `Any` enum, which breaks code that names the base's struct.
    let changes = changelog("first-derived-type-added");
    assert!(
        changes
            .iter()
            .any(|c| c.breaking && c.subject == "type widget" && c.what.contains("GET /widgets")),
        "{changes:?}"
    );
    insta::assert_snapshot!(to_text(&changes));
}

#[test]
fn path_added() {
    let changes = changelog("path-added");
    assert_eq!(changes.len(), 1);
    assert!(!changes[0].breaking);
    insta::assert_snapshot!(to_text(&changes));
}

#[test]
fn type_removed() {
    let changes = changelog("type-removed");
    assert!(
        changes
            .iter()
            .any(|c| c.breaking && c.subject == "type widget")
    );
    insta::assert_snapshot!(to_markdown(&changes));
}

#[test]
fn no_change_is_no_changelog() {
    let root = workspace().join("tests/fixtures/changelog/path-added/new");
    let schema = analyze(&[root]).expect("folder").schema;
    assert!(diff(&schema, &schema).is_empty());
}

#[test]
fn codegen_reports_the_changelog_against_the_previous_schema() {
    let root = workspace().join("tests/fixtures/changelog/property-type-changed");
    let output = graphgen_tests::temp_dir("codegen-changelog");
    let run = |input: &str| {
        graphgen::codegen::run(&graphgen::codegen::Options {
            inputs: vec![root.join(input)],
            output: output.clone(),
            check: false,
            support: None,
        })
        .expect("codegen")
    };
    assert!(
        run("old").changelog.is_empty(),
        "no previous schema, no changelog"
    );
    let report = run("new");
    let old = analyze(&[root.join("old")]).expect("old").schema;
    let new = analyze(&[root.join("new")]).expect("new").schema;
    assert_eq!(report.changelog, diff(&old, &new));
    assert!(report.changelog.iter().any(|c| c.breaking));
    assert!(
        run("new").changelog.is_empty(),
        "an unchanged schema has no changelog"
    );
    std::fs::remove_dir_all(output).ok();
}

#[test]
fn workload_pages_change() {
    // A non-Intune page set in a sub-namespace, in two formats: a property's type changed
    // and a path removed are breaking; a property, an enum member and a (title-less,
    // learn-style) type page added are not.
    let changes = changelog("workload-change");
    let breaking = |subject: &str| {
        changes
            .iter()
            .find(|c| c.subject == subject)
            .unwrap_or_else(|| panic!("no change for {subject}: {changes:?}"))
            .breaking
    };
    assert!(breaking("property callRecords.session.startDateTime"));
    assert!(breaking(
        "operation GET /communications/callRecords/{callRecordId}/legacySessions/{sessionId}"
    ));
    assert!(!breaking("property callRecords.session.endDateTime"));
    assert!(!breaking("enum member callRecords.modality.screenSharing"));
    assert!(!breaking("type callRecords.segment"));
    insta::assert_snapshot!(to_text(&changes));
}
