//! Every stage on every page of `docs-input/`, one page at a time: the page model the
//! reader makes of it, the facts extracted from that, and the schema those facts alone
//! merge into. A page added to `docs-input/` (or `docs-input/fixtures/`) is snapshotted
//! with no new test code.

use std::path::Path;

use graphgen::merge::{SourcedFacts, merge};
use graphgen::pipeline::{InputFile, discover, extract_file, read_file};
use graphgen_tests::docs_input;

/// The page files, as the pipeline finds them (the extensions it reads).
const PAGES: &str = "**/*.{md,markdown,txt,html,htm}";

#[test]
fn every_stage_of_every_page() {
    let files = discover(&[docs_input()]).expect("list docs-input");
    insta::glob!("../docs-input", PAGES, |path| {
        // Include files are pulled into the pages that name them, not pages themselves.
        if path.components().any(|c| c.as_os_str() == "includes") {
            return;
        }
        let file = input_file(&files, path);

        let (format, page) = read_file(file).unwrap_or_else(|d| panic!("{d:?}"));
        let read = serde_json::json!({ "format": format, "page": page });
        insta::assert_json_snapshot!("page", read);

        let extracted = extract_file(file);
        insta::assert_json_snapshot!("facts", extracted.facts);

        let (schema, _) = merge(vec![SourcedFacts {
            file: file.display(),
            facts: extracted.facts,
        }]);
        insta::assert_json_snapshot!("schema", schema);
    });
}

/// The discovered file at `path`, so that the page id is the pipeline's own.
fn input_file<'f>(files: &'f [InputFile], path: &Path) -> &'f InputFile {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let path = canonical(path);
    files
        .iter()
        .find(|f| canonical(&f.path) == path)
        .unwrap_or_else(|| panic!("{} is no page file the pipeline finds", path.display()))
}

/// The fixture pages written in all five formats (`docs-input/fixtures/formats/<format>/`)
/// give one schema: the same types, properties, members and operations whichever form
/// of the page is read. Only `sources` (the page ids, which name the format folder)
/// differ.
#[test]
fn every_format_of_the_fixture_pages_gives_one_schema() {
    let root = docs_input().join("fixtures/formats");
    let schema_of = |format: &str| {
        let analysis = graphgen::pipeline::analyze(&[root.join(format)]).expect("analyze");
        assert!(
            analysis.diagnostics.is_empty(),
            "{format}: {:?}",
            analysis.diagnostics
        );
        let mut value = serde_json::to_value(&analysis.schema).expect("schema serializes");
        strip_sources(&mut value);
        value
    };
    let markdown = schema_of("markdown");
    assert!(
        markdown["types"].as_array().is_some_and(|t| t.len() == 10)
            && markdown["operations"]
                .as_array()
                .is_some_and(|o| o.len() == 6),
        "the fixtures document ten types and six operations: {markdown:#}"
    );
    // `listinfo`: a title capitalising the name (`ListInfo resource`) its prose spells
    // `listInfo`, a type cell with a remark (`string (url)`), a second property table
    // under a heading no section is named by; `liststateenumtype`: an enum page whose
    // file name ends in its title's closing words; `playpromptoperation`: a front matter
    // the renderer shows as a line of text, the learn copy's only title; `insights-viewed`:
    // a type named otherwise than its file, which its Methods table names, and a table
    // the copies put right under the property table; `tokenrevocationpolicy`: a table
    // under "Properties of a … definition", another object's, and a `collection(string)`
    // cell; `mailboxpreferences-update`: "the updated properties of a mailboxPreferences
    // object" names the response type, and a body table labelled "automaticRepliesSetting
    // object" is that type's; `workbenchroot`: a resource page with relationships alone;
    // `tokenrevocationpolicy-delete`: "`201 No Content`", which its example shows is 204;
    // `tokenrevocationpolicy-unpin`: one call under two methods and addresses, each an
    // operation of its own.
    let list_info = markdown["types"]
        .as_array()
        .and_then(|types| types.iter().find(|t| t["name"] == "ListInfo"))
        .unwrap_or_else(|| panic!("ListInfo, as its title spells it: {markdown:#}"));
    let properties: Vec<(&str, &str)> = list_info["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or(""),
                p["type"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        properties,
        [
            ("contentVersion", "string"),
            ("state", "listState"),
            ("template", "string"),
            ("webUrl", "string")
        ]
    );
    let unpin: Vec<(&str, &str, &str, u64)> = markdown["operations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| {
            o["path"]
                .as_str()
                .is_some_and(|p| p.contains("inned") || p.ends_with("/unpin"))
        })
        .map(|o| {
            (
                o["method"].as_str().unwrap_or(""),
                o["path"].as_str().unwrap_or(""),
                o["kind"].as_str().unwrap_or(""),
                o["status"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        unpin,
        [
            (
                "DELETE",
                "/policies/pinnedTokenRevocationPolicies/{id}",
                "delete",
                204
            ),
            (
                "POST",
                "/policies/tokenRevocationPolicies/{id}/unpin",
                "action",
                204
            )
        ]
    );
    for format in ["text-pipe", "text-plain", "html"] {
        assert_eq!(
            schema_of(format),
            markdown,
            "{format} differs from markdown"
        );
    }
    // The learn style has no title to capitalise a name: it spells `listInfo` as the
    // page's body does, and is otherwise the same schema.
    let learn = schema_of("text-learn");
    assert_ne!(
        learn, markdown,
        "the learn style has no title to spell `ListInfo`"
    );
    assert_eq!(
        case_folded(&learn),
        case_folded(&markdown),
        "text-learn differs from markdown other than in case"
    );
}

/// A schema with every text in lower case and its types in the order of those names.
fn case_folded(schema: &serde_json::Value) -> serde_json::Value {
    let text = schema.to_string().to_lowercase();
    let mut folded: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    if let Some(types) = folded["types"].as_array_mut() {
        types.sort_by_key(|t| t["name"].to_string());
    }
    folded
}

fn strip_sources(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("sources");
            map.values_mut().for_each(strip_sources);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_sources),
        _ => {}
    }
}
