//! `openapi.json` parses with an OpenAPI 3.1 crate and holds every type, enum member and
//! operation of the schema.

use graphgen::emit::openapi_json;
use graphgen::pipeline::analyze;
use graphgen::schema::{Schema, TypeKind};
use graphgen_tests::{corpus, docs_input};

/// Parses the document with oas3 and checks it against the schema; returns counts.
fn check(schema: &Schema, text: &str) -> (usize, usize, usize) {
    let spec = oas3::from_json(text).expect("openapi.json parses as OpenAPI 3.1");
    assert!(spec.openapi.starts_with("3.1"));
    let components = spec.components.expect("components");
    let json: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let mut members = 0;
    for ty in &schema.types {
        assert!(
            components.schemas.contains_key(&ty.name),
            "type {} missing",
            ty.name
        );
        if ty.kind == TypeKind::Enum {
            let listed = &json["components"]["schemas"][&ty.name]["enum"];
            for member in &ty.members {
                assert!(
                    listed
                        .as_array()
                        .is_some_and(|l| l.iter().any(|m| m == member)),
                    "member {}.{member} missing",
                    ty.name
                );
                members += 1;
            }
        }
    }
    let paths = spec.paths.expect("paths");
    for op in &schema.operations {
        let item = paths
            .get(&op.path)
            .unwrap_or_else(|| panic!("path {} missing", op.path));
        let operation = match op.method.as_str() {
            "GET" => &item.get,
            "POST" => &item.post,
            "PATCH" => &item.patch,
            "PUT" => &item.put,
            "DELETE" => &item.delete,
            other => panic!("method {other}"),
        };
        let operation = operation
            .as_ref()
            .unwrap_or_else(|| panic!("{} {} missing", op.method, op.path));
        let responses = operation.responses.as_ref().expect("responses");
        assert!(
            responses.contains_key(&op.status.to_string()),
            "{} {}: status {}",
            op.method,
            op.path,
            op.status
        );
    }
    (schema.types.len(), members, schema.operations.len())
}

#[test]
fn docs_input_openapi_is_complete_and_snapshotted() {
    let schema = analyze(&[docs_input()]).expect("docs-input").schema;
    let text = openapi_json(&schema);
    let (types, members, operations) = check(&schema, &text);
    println!(
        "docs-input openapi.json: {types} types, {members} enum members, {operations} operations"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn corpus_openapi_is_complete() {
    let Some(corpus) = corpus() else { return };
    let schema = analyze(&[corpus.join("markdown")]).expect("corpus").schema;
    let (types, members, operations) = check(&schema, &openapi_json(&schema));
    println!(
        "corpus openapi.json: {types} types, {members} enum members, {operations} operations, all present"
    );
    assert!(types > 500 && operations > 900);
}
