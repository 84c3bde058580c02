//! Hostile names and descriptions never break the generated code: random schemas (property
//! tests) emit files that all parse as Rust; the adversarial fixture pages in
//! `tests/fixtures/hostile` are compiled and round-tripped by `cargo xtask verify` (see
//! `xtask/tests/verify.rs`).

use graphgen::emit::emit;
use graphgen::schema::{
    Member, Operation, OperationKind, Permissions, Property, Schema, Type, TypeKind,
};
use proptest::prelude::*;

const KEYWORDS: [&str; 16] = [
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "gen",
    "match",
    "fn",
    "async",
    "_",
    "Option",
    "Result",
    "String",
    "Box",
    "Vec",
    "additionalProperties",
];

fn hostile_name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(KEYWORDS.to_vec()).prop_map(String::from),
        "[a-zA-Z0-9_.@ü日-]{1,12}",
        "[0-9][a-z]{0,4}",
    ]
}

fn description() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        Just("ends */ opens /* quotes \"# raw r#\"x\"# `tick ``` <b>html</b> [link](x) \\ \u{0}\u{7}\n\t".to_string()),
    ]
}

fn schema() -> impl Strategy<Value = Schema> {
    let property = (hostile_name(), 0usize..6, any::<bool>(), description());
    let ty = (
        hostile_name(),
        prop::collection::vec(property, 0..6),
        description(),
        0usize..3,
        prop::collection::vec(hostile_name(), 0..5),
    );
    prop::collection::vec(ty, 1..6).prop_map(|raw| {
        let mut names: Vec<String> = Vec::new();
        for (name, ..) in &raw {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        let primitives = [
            "String",
            "Int32",
            "DateTimeOffset",
            "Guid",
            "Binary",
            "Duration",
        ];
        let mut types = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let (_, properties, description, kind, members) = raw
                .iter()
                .find(|r| &r.0 == name)
                .cloned()
                .unwrap_or_default();
            let kind = [TypeKind::Entity, TypeKind::Complex, TypeKind::Enum][kind % 3];
            let mut seen = Vec::new();
            let properties: Vec<Property> = properties
                .into_iter()
                .filter(|(p, ..)| {
                    let fresh = !seen.contains(p);
                    seen.push(p.clone());
                    fresh
                })
                .map(|(p, t, collection, description)| Property {
                    name: p,
                    // Refer to another generated type (even an enum, even itself) or a primitive.
                    ty: if t < names.len() {
                        names[t].clone()
                    } else {
                        primitives[t % primitives.len()].to_string()
                    },
                    collection,
                    relationship: false,
                    description,
                })
                .collect();
            let mut member_names = members;
            member_names.dedup();
            types.push(Type {
                name: name.clone(),
                kind,
                base: (i > 0 && kind != TypeKind::Enum).then(|| names[0].clone()),
                properties: if kind == TypeKind::Enum {
                    Vec::new()
                } else {
                    properties
                },
                members: if kind == TypeKind::Enum {
                    member_names.clone()
                } else {
                    Vec::new()
                },
                description,
                member_details: member_names
                    .iter()
                    .map(|m| Member {
                        name: m.clone(),
                        value: None,
                        description: "a */ member".into(),
                    })
                    .collect(),
                sources: vec![format!("pages/{name}")],
            });
        }
        types.sort_by(|a, b| a.name.cmp(&b.name));
        types.dedup_by(|a, b| a.name == b.name);
        let operations = vec![Operation {
            method: "POST".into(),
            path: format!("/things/{{{}}}/do", names[0]),
            ty: Some(names[0].clone()),
            status: 201,
            kind: OperationKind::Create,
            name: "create".into(),
            returns_collection: false,
            parameters: Vec::new(),
            permissions: Permissions::default(),
            sources: vec!["pages/op".into()],
        }];
        Schema { types, operations }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_emitted_file_parses_whatever_the_names(schema in schema()) {
        for (path, text) in emit(&schema) {
            if path.extension().is_some_and(|e| e == "rs") {
                prop_assert!(!text.contains("graphgen emitted invalid Rust"), "{}:\n{}", path.display(), text);
                let parsed = syn::parse_file(&text);
                prop_assert!(parsed.is_ok(), "{} does not parse: {:?}\n{}", path.display(), parsed.err(), text);
            }
        }
    }
}
