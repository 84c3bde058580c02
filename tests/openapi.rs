//! `openapi.json` parses with an OpenAPI 3.1 crate and holds every type, enum member and
//! operation of the schema.

use graphgen::emit::{component_name, openapi_json, openapi_json_for};
use graphgen::pipeline::analyze;
use graphgen::schema::{Schema, TypeKind};
use graphgen_tests::{corpus, corpus_graph, docs_input};

/// Parses the document with oas3 and checks it against the schema; returns counts.
fn check(schema: &Schema, text: &str) -> (usize, usize, usize) {
    let spec = oas3::from_json(text).expect("openapi.json parses as OpenAPI 3.1");
    assert!(spec.openapi.starts_with("3.1"));
    let components = spec.components.expect("components");
    let json: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let mut members = 0;
    for ty in &schema.types {
        let component = component_name(&ty.name);
        assert!(
            components.schemas.contains_key(&component),
            "type {} missing",
            ty.name
        );
        if ty.kind == TypeKind::Enum {
            let listed = &json["components"]["schemas"][&component]["enum"];
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
    check_names_and_refs(&json);
    (schema.types.len(), members, schema.operations.len())
}

/// Every component name matches the specification's pattern `^[a-zA-Z0-9._-]+$`, and
/// every `$ref` in the document names a component that exists.
fn check_names_and_refs(document: &serde_json::Value) {
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    for name in schemas.keys() {
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')),
            "component name `{name}` is not valid OpenAPI"
        );
    }
    let mut refs = Vec::new();
    collect_refs(document, &mut refs);
    for target in refs {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("$ref {target} is not a component reference"));
        assert!(
            schemas.contains_key(name),
            "$ref {target} resolves to nothing"
        );
    }
}

fn collect_refs<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", serde_json::Value::String(target)) => out.push(target),
                    // Discriminator mappings hold references as plain values.
                    ("mapping", serde_json::Value::Object(mapping)) => {
                        out.extend(mapping.values().filter_map(serde_json::Value::as_str))
                    }
                    _ => collect_refs(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
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

#[test]
fn corpus_graph_openapi_is_valid_for_each_version() {
    let Some(corpus) = corpus_graph() else { return };
    for version in ["beta", "v1.0"] {
        let schema = analyze(&[corpus.join("markdown").join(version)])
            .expect("corpus-graph")
            .schema;
        let text = openapi_json_for(&schema, version);
        let (types, members, operations) = check(&schema, &text);
        let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            json["servers"][0]["url"],
            format!("https://graph.microsoft.com/{version}")
        );
        println!(
            "corpus-graph {version} openapi.json: {types} types, {members} enum members, {operations} operations, names valid, every $ref resolved"
        );
    }
}
