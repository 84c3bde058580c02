//! A docs folder holding several API versions (`beta/`, `v1.0/`, as a docs checkout's
//! `api-reference/` does) is generated one version at a time, side by side: one schema,
//! one pair of crates (named per version) and one changelog per version.

use std::path::Path;

use graphgen_tests::{temp_dir, workspace};

/// Copies every file of `from` into `to`, except those whose name starts with `skip`.
fn copy_pages(from: &Path, to: &Path, skip: &str) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read docs-input") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            copy_pages(&entry.path(), &to.join(&name), skip);
        } else if skip.is_empty() || !name.starts_with(skip) {
            std::fs::copy(entry.path(), to.join(&name)).expect("copy page");
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_version_is_its_own_api_side_by_side() {
    let root = workspace();
    let dir = temp_dir("versions");
    let docs = dir.join("api-reference");
    copy_pages(&root.join("docs-input"), &docs.join("beta"), "");
    // v1.0 lacks the fixture pages of the device-category resource and its methods.
    copy_pages(
        &root.join("docs-input"),
        &docs.join("v1.0"),
        "intune-onboarding-devicecategory",
    );
    let output = dir.join("out");
    let run = |version: Option<&str>| {
        let flags = graphgen::commands::CodegenFlags {
            version: version.map(str::to_string),
            ..Default::default()
        };
        graphgen::commands::codegen(&root, vec![docs.clone()], Some(output.clone()), &flags)
            .expect("codegen runs")
    };
    assert!(run(None), "both versions generate without errors");

    // beta is exactly what the same pages give alone (the checked-in generated/).
    let beta_schema = read(&output.join("beta/schema.json"));
    assert_eq!(beta_schema, read(&root.join("generated/schema.json")));
    let v1_schema = read(&output.join("v1.0/schema.json"));
    assert!(beta_schema.contains("\"/deviceManagement/deviceCategories\""));
    assert!(
        !v1_schema.contains("\"/deviceManagement/deviceCategories\""),
        "v1.0 has only its own pages' operations"
    );

    // Each version's OpenAPI document names its own service root.
    assert!(
        read(&output.join("v1.0/openapi.json"))
            .contains("\"url\": \"https://graph.microsoft.com/v1.0\"")
    );
    assert!(
        read(&output.join("beta/openapi.json"))
            .contains("\"url\": \"https://graph.microsoft.com/beta\"")
    );

    // Crates named per version, the routes crate on its own version's models.
    let routes = read(&output.join("v1.0/graph-routes-v1/Cargo.toml"));
    assert!(routes.contains("name = \"graph-routes-v1\""));
    assert!(routes.contains("graph-models-v1 = { path = \"../graph-models-v1\" }"));
    assert!(
        read(&output.join("beta/graph-models-beta/Cargo.toml"))
            .contains("name = \"graph-models-beta\"")
    );

    // One version alone, by flag: the other's files are left as they are, and a second
    // run writes nothing.
    let before = std::fs::metadata(output.join("v1.0/schema.json")).and_then(|m| m.modified());
    assert!(run(Some("beta")));
    let after = std::fs::metadata(output.join("v1.0/schema.json")).and_then(|m| m.modified());
    assert_eq!(before.ok(), after.ok());
    assert!(
        graphgen::commands::codegen(
            &root,
            vec![docs],
            Some(output),
            &graphgen::commands::CodegenFlags {
                version: Some("v9".into()),
                ..Default::default()
            }
        )
        .is_err(),
        "an absent version is an error, not an empty run"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
