//! The documented example responses as objects for the mock server's store: a GET of an
//! item gives that item, a list gives each of its items, a GET of a singleton gives the
//! singleton. The routes crate carries them as one data file (`examples.json`), read at
//! run time by `Server::seeded_with_examples`, so that examples cost no compiled code.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::facts::OperationFacts;
use crate::schema::OperationKind;

/// One object to put in the mock server's store, as `graph_support::server::Seed` reads
/// it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Seed {
    /// The request path of the object's collection (`/deviceManagement/deviceCategories`),
    /// or of the object itself for a singleton.
    pub path: String,
    /// Whether `path` is a singleton's own path.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub singleton: bool,
    /// The object as the example shows it (an item with its `id`).
    pub object: Map<String, Value>,
}

/// An example object before its path's parent placeholders are filled.
struct Candidate {
    /// The path's segments, `{placeholder}` where the example names no value.
    segments: Vec<String>,
    /// `Some(id)` for an item of the collection at `segments`; `None` for a singleton.
    id: Option<String>,
    /// Whether it comes from a list (an item's own GET example wins over a list's).
    from_list: bool,
    object: Map<String, Value>,
}

fn is_placeholder(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// Every object the GET and list examples of `operations` document, in a fixed order
/// whatever the order of the pages. A path's placeholders above the object are filled
/// with the id of the first documented object of that collection (a run state is seeded
/// under a documented script); an object whose parent no example documents is left out.
pub fn seeds<'a>(operations: impl IntoIterator<Item = &'a OperationFacts>) -> Vec<Seed> {
    let mut candidates: Vec<Candidate> = operations
        .into_iter()
        .filter(|op| matches!(op.kind, OperationKind::Get | OperationKind::List))
        .flat_map(|op| op.examples.iter().map(move |example| (op, example)))
        .flat_map(|(op, example)| candidates_of(op, example))
        .collect();
    // Parents before children; then a fixed order, an item's own example first.
    candidates.sort_by(|a, b| {
        let key = |c: &Candidate| {
            (
                c.segments.len(),
                c.segments.join("/"),
                c.id.clone(),
                c.from_list,
                Value::Object(c.object.clone()).to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    let mut first_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut seen: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    let mut out = Vec::new();
    for candidate in candidates {
        let Some(path) = filled(&candidate.segments, &first_ids) else {
            continue;
        };
        if !seen.insert((path.clone(), candidate.id.clone())) {
            continue;
        }
        if let Some(id) = &candidate.id {
            first_ids.entry(path.clone()).or_insert_with(|| id.clone());
        }
        out.push(Seed {
            path,
            singleton: candidate.id.is_none(),
            object: candidate.object,
        });
    }
    out
}

/// The path with each placeholder replaced by the first id seeded in the collection
/// before it; `None` when one has none.
fn filled(segments: &[String], first_ids: &BTreeMap<String, String>) -> Option<String> {
    let mut path = String::new();
    for segment in segments {
        path.push('/');
        if is_placeholder(segment) {
            path.push_str(first_ids.get(path.trim_end_matches('/'))?);
        } else {
            path.push_str(segment);
        }
    }
    Some(path)
}

/// The objects one example response documents.
fn candidates_of(op: &OperationFacts, example: &crate::facts::Example) -> Vec<Candidate> {
    let (Some(request), Some(response)) = (&example.request, &example.response) else {
        return Vec::new();
    };
    let path = request.path.split('?').next().unwrap_or_default();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    // Only plain paths: a function call or an odd character is no stored object's path.
    let plain = |s: &String| {
        !s.contains(['(', ')', ' ', '\'', '"', '$', '%', '#']) && s.matches('{').count() <= 1
    };
    if request.method != "GET" || segments.is_empty() || !segments.iter().all(plain) {
        return Vec::new();
    }
    let Some(Value::Object(body)) = response
        .body
        .as_deref()
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
    else {
        return Vec::new();
    };
    match op.kind {
        OperationKind::List => {
            let Some(Value::Array(items)) = body.get("value") else {
                return Vec::new();
            };
            items
                .iter()
                .filter_map(|item| match item {
                    Value::Object(object) => Some(object),
                    _ => None,
                })
                .filter_map(|object| {
                    let id = object.get("id")?.as_str()?.to_string();
                    Some(Candidate {
                        segments: segments.clone(),
                        id: Some(id),
                        from_list: true,
                        object: object.clone(),
                    })
                })
                .collect()
        }
        _ => item_or_singleton(op, segments, unwrapped(body)),
    }
}

/// The object of a GET example: Intune's examples wrap it in `{"value": {...}}`.
fn unwrapped(mut body: Map<String, Value>) -> Map<String, Value> {
    let wrapped = matches!(body.get("value"), Some(Value::Object(_)))
        && body
            .keys()
            .all(|k| k == "value" || k.starts_with("@odata."));
    match body.remove("value") {
        Some(Value::Object(inner)) if wrapped => inner,
        Some(value) => {
            body.insert("value".to_string(), value);
            body
        }
        None => body,
    }
}

/// An item of the collection above it (its `id` from the body, else from the path), or a
/// singleton where the documented path ends in no parameter.
fn item_or_singleton(
    op: &OperationFacts,
    mut segments: Vec<String>,
    mut object: Map<String, Value>,
) -> Vec<Candidate> {
    let last = segments.last().cloned().unwrap_or_default();
    let documented_item = op.paths.iter().any(|p| {
        p.split('?')
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
            .ends_with('}')
    });
    if !documented_item && !is_placeholder(&last) {
        return vec![Candidate {
            segments,
            id: None,
            from_list: false,
            object,
        }];
    }
    segments.pop();
    let id = match object.get("id") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        _ if !is_placeholder(&last) => {
            object.insert("id".to_string(), Value::String(last.clone()));
            last
        }
        _ => return Vec::new(),
    };
    if id.contains(['/', '?', '#', ' ', '%']) {
        return Vec::new();
    }
    vec![Candidate {
        segments,
        id: Some(id),
        from_list: false,
        object,
    }]
}

/// The routes crate's `examples.json`: the seeds, with the generated marker on its first
/// line.
pub fn examples_json(seeds: &[Seed]) -> String {
    let seeds = crate::emit::pretty_json(&seeds);
    format!(
        "{{\"@generated\": \"by `cargo xtask codegen`. Do not edit.\",\n\"seeds\": {}}}\n",
        seeds.trim_end()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Example, HttpMessage};

    fn op(kind: OperationKind, path: &str, example_path: &str, body: &str) -> OperationFacts {
        OperationFacts {
            kind,
            name: kind.as_str().to_string(),
            method: "GET".to_string(),
            paths: vec![path.to_string()],
            status: Some(200),
            ty: None,
            returns_collection: kind == OperationKind::List,
            parameters: Vec::new(),
            permissions: Default::default(),
            examples: vec![Example {
                request: Some(HttpMessage {
                    method: "GET".to_string(),
                    path: example_path.to_string(),
                    ..HttpMessage::default()
                }),
                response: Some(HttpMessage {
                    status: Some(200),
                    body: Some(body.to_string()),
                    ..HttpMessage::default()
                }),
            }],
            line: 1,
        }
    }

    #[test]
    fn items_lists_singletons_and_nested_items() {
        let ops = [
            op(
                OperationKind::Get,
                "/s/{sId}/runs/{rId}",
                "/s/{sId}/runs/{rId}",
                r#"{"value": {"id": "r1", "n": 1}}"#,
            ),
            op(
                OperationKind::List,
                "/s",
                "/s?$top=2",
                r#"{"value": [{"id": "s2"}, {"id": "s1", "name": "list"}, 3]}"#,
            ),
            op(
                OperationKind::Get,
                "/s/{sId}",
                "/s/{sId}",
                r#"{"id": "s1", "name": "own"}"#,
            ),
            op(OperationKind::Get, "/settings", "/settings", r#"{"a": 1}"#),
            op(
                OperationKind::Get,
                "/orphans/{oId}/x/{xId}",
                "/orphans/{oId}/x/{xId}",
                r#"{"id": "x"}"#,
            ),
            op(OperationKind::Get, "/t/{tId}", "/t/t9", r#"{"a": 2}"#),
        ];
        let seeds = seeds(&ops);
        let shown: Vec<String> = seeds
            .iter()
            .map(|s| {
                format!(
                    "{} {} {}",
                    s.path,
                    s.singleton,
                    Value::Object(s.object.clone())
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                r#"/s false {"id":"s1","name":"own"}"#,
                r#"/s false {"id":"s2"}"#,
                r#"/settings true {"a":1}"#,
                r#"/t false {"a":2,"id":"t9"}"#,
                r#"/s/s1/runs false {"id":"r1","n":1}"#,
            ]
        );
        let text = examples_json(&seeds);
        assert!(
            text.lines()
                .next()
                .is_some_and(|l| l.contains("@generated"))
        );
        let back: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(back["seeds"].as_array().map(Vec::len), Some(5));
    }
}
