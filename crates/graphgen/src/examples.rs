//! The documented example responses as objects for the mock server's store: a GET of an
//! item gives that item, a list gives each of its items, a GET of a singleton gives the
//! singleton. The routes crate carries them as one data file (`examples.json`), read at
//! run time by `Server::seeded_with_examples`, so that examples cost no compiled code.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::doc_values::{Root, Typing};
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
    /// Which example wins where several document one object: lower first.
    rank: Rank,
    object: Map<String, Value>,
    /// The object's documented type, as its operation names it.
    ty: Option<String>,
}

/// Where an object comes from, the most telling first: an item's own GET example, an
/// item of a list example, the object an update example answers, and last the bare id a
/// request addresses (a DELETE, or an update answering 204).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    OwnGet,
    Listed,
    Updated,
    Addressed,
}

fn is_placeholder(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// Every object the examples of `operations` document or address, in a fixed order
/// whatever the order of the pages: the objects of GET and list example responses, and
/// the item each update, delete or get example addresses by a documented id (with the
/// object its response shows, else just that id), so that the mock server knows every
/// entity the docs talk about. A path's placeholders above the object are filled with
/// the id of the first documented object of that collection (a run state is seeded under
/// a documented script); an object whose parent no example documents is left out.
pub fn seeds<'a>(operations: impl IntoIterator<Item = &'a OperationFacts>) -> Vec<Seed> {
    candidates(operations).seeds(None)
}

/// The objects of [`seeds`] before they are ordered and placed, so that they can be read
/// by their documented types once the pages are merged ([`Candidates::seeds`]).
pub struct Candidates(Vec<Candidate>);

/// The objects the examples of `operations` document or address (see [`seeds`]).
pub fn candidates<'a>(operations: impl IntoIterator<Item = &'a OperationFacts>) -> Candidates {
    Candidates(
        operations
            .into_iter()
            .filter(|op| {
                matches!(
                    op.kind,
                    OperationKind::Get
                        | OperationKind::List
                        | OperationKind::Update
                        | OperationKind::Delete
                )
            })
            .flat_map(|op| op.examples.iter().map(move |example| (op, example)))
            .flat_map(|(op, example)| {
                candidates_of(op, example).into_iter().map(|mut candidate| {
                    candidate.ty = op.ty.clone();
                    candidate
                })
            })
            .collect(),
    )
}

impl Candidates {
    /// The seeds, each object's values read as the docs mean them where `typing` is
    /// given (a placeholder `"datetime-value"` as a date-time: the mock answers values of
    /// the documented types, see [`crate::doc_values`]).
    pub fn seeds(self, typing: Option<&Typing<'_>>) -> Vec<Seed> {
        let mut candidates = self.0;
        if let Some(typing) = typing {
            for candidate in &mut candidates {
                let Some(ty) = &candidate.ty else { continue };
                let mut value = Value::Object(std::mem::take(&mut candidate.object));
                typing.read(&mut value, &Root::Type(ty), false);
                if let Value::Object(object) = value {
                    candidate.object = object;
                }
            }
        }
        place(candidates)
    }
}

/// The candidates in a fixed order, each under its filled path, the first of each object.
fn place(mut candidates: Vec<Candidate>) -> Vec<Seed> {
    // Parents before children; then a fixed order, the most telling example first.
    candidates.sort_by(|a, b| {
        let key = |c: &Candidate| {
            (
                c.segments.len(),
                c.segments.join("/"),
                c.id.clone(),
                c.rank,
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

/// The segments of an example's request path as the mock server is asked for them: the
/// page's documented path it matches, spelled as documented, with the example's values
/// (see [`match_path`]); else the example's own segments. Whether that documented path
/// ends in a parameter (an item), or `None` when none matches.
fn documented_segments(op: &OperationFacts, path: &str) -> (Vec<String>, Option<bool>) {
    for template in &op.paths {
        let template = template.split('?').next().unwrap_or_default();
        if let Some((spelled, _)) = spell_example(template, path) {
            let item = template
                .trim_end_matches('/')
                .trim_end_matches('\'')
                .ends_with('}');
            // OData's quoted key (`'b465…'`) is stored as the key it quotes.
            let segments = split_segments(&spelled)
                .into_iter()
                .map(
                    |s| match s.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')) {
                        Some(key) if !key.is_empty() => key.to_string(),
                        _ => s,
                    },
                )
                .collect();
            return (segments, Some(item));
        }
    }
    (split_segments(&example_path(path)), None)
}

fn split_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The objects one example documents or addresses.
fn candidates_of(op: &OperationFacts, example: &crate::facts::Example) -> Vec<Candidate> {
    let Some(request) = example.request.as_ref().filter(|r| !r.other_host) else {
        return Vec::new();
    };
    let (segments, item) = documented_segments(op, &request.path);
    // Only plain paths: a function call or an odd character is no stored object's path.
    let plain = |s: &String| {
        !s.contains(['(', ')', ' ', '\'', '"', '$', '%', '#', '?']) && s.matches('{').count() <= 1
    };
    if segments.is_empty() || !segments.iter().all(plain) {
        return Vec::new();
    }
    let body = example
        .response
        .as_ref()
        .and_then(|response| response.body.as_deref())
        .and_then(|text| crate::doc_json::read(text).ok())
        .map(|read| read.value);
    match (request.method.as_str(), op.kind) {
        ("GET", OperationKind::List) => match body {
            Some(Value::Object(body)) => listed(segments, &body),
            _ => Vec::new(),
        },
        ("GET", OperationKind::Get) => match body {
            Some(Value::Object(body)) => item_or_singleton(op, segments, unwrapped(body)),
            // The entity the example reads exists, though its response shows nothing.
            _ => addressed(segments, item, Rank::Addressed),
        },
        ("PATCH" | "PUT", OperationKind::Update) => match body {
            Some(Value::Object(body)) if item == Some(true) => {
                let object = unwrapped(body);
                let last = segments.last().cloned().unwrap_or_default();
                let same = object.get("id").is_none_or(|id| id.as_str() == Some(&last));
                let mut candidates = addressed(segments, item, Rank::Updated);
                if let (true, Some(candidate)) = (same, candidates.first_mut()) {
                    candidate.object.extend(object);
                }
                candidates
            }
            _ => addressed(segments, item, Rank::Addressed),
        },
        ("DELETE", OperationKind::Delete) => addressed(segments, item, Rank::Addressed),
        _ => Vec::new(),
    }
}

/// Each item of a list example's `value` that has an `id`.
fn listed(segments: Vec<String>, body: &Map<String, Value>) -> Vec<Candidate> {
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
                rank: Rank::Listed,
                object: object.clone(),
                ty: None,
            })
        })
        .collect()
}

/// The item a request addresses by a documented id (`…/{id}` documented, a value in the
/// example): just its `id`.
fn addressed(mut segments: Vec<String>, item: Option<bool>, rank: Rank) -> Vec<Candidate> {
    let last = segments.last().cloned().unwrap_or_default();
    if item != Some(true) || is_placeholder(&last) || !is_plain_id(&last) {
        return Vec::new();
    }
    segments.pop();
    let mut object = Map::new();
    object.insert("id".to_string(), Value::String(last.clone()));
    vec![Candidate {
        segments,
        id: Some(last),
        rank,
        object,
        ty: None,
    }]
}

fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && !id.contains(['/', '?', '#', ' ', '%'])
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
            rank: Rank::OwnGet,
            object,
            ty: None,
        }];
    }
    segments.pop();
    let id = match object.get("id") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        _ if !is_placeholder(&last) => {
            object.insert("id".to_string(), Value::String(last.clone()));
            last.clone()
        }
        _ => return Vec::new(),
    };
    // The object under its own id, and under the key the request names where that
    // differs (an alternate key: `/places/{id | emailAddress}` read by address,
    // `/directoryRoles/roleTemplateId={id}`), so that the documented request finds it.
    let named = (!is_placeholder(&last) && last != id).then_some(last);
    [Some(id), named]
        .into_iter()
        .flatten()
        .filter(|id| is_plain_id(id))
        .map(|id| {
            // The store keys an object by its `id`: the alias names it so.
            let mut object = object.clone();
            object.insert("id".to_string(), Value::String(id.clone()));
            Candidate {
                segments: segments.clone(),
                id: Some(id),
                rank: Rank::OwnGet,
                object,
                ty: None,
            }
        })
        .collect()
}

/// An example's request path as Graph reads it: without its query, with a leading `/`,
/// and a key in parentheses read as the segment it stands for (`messages('AAM=')` is
/// `messages/AAM=`; a function's `f(a='x')` names its parameter and stays).
pub fn example_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default().trim();
    let mut out = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        match key_segment(segment) {
            Some((name, key)) => {
                out.push_str(name);
                out.push('/');
                out.push_str(key);
            }
            None => out.push_str(segment),
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// `name('key')` as (name, key); `None` for anything else (`f(a='x')`, `delta()`).
fn key_segment(segment: &str) -> Option<(&str, &str)> {
    let (name, rest) = segment.split_once("('")?;
    let key = rest.strip_suffix("')")?;
    let simple = !name.is_empty() && !name.contains(['(', '=', '{']);
    (simple && !key.is_empty() && !key.contains(['\'', '/'])).then_some((name, key))
}

/// Matches an example's request path against a documented path: the path as
/// [`example_path`] reads it, literal text equal but for ASCII case (Graph's paths are
/// case-insensitive: `/me/mailfolders` is `/me/mailFolders`), each `{name}` standing for
/// text without `/` that is no OData segment (`$count`, `$ref`) or type cast
/// (`microsoft.graph.user`). Where the documented path has no match, `/me` is read as
/// the signed-in user's `/users/{id}` (id `me`), as Graph documents it. The (name, value)
/// of each placeholder, or `None`.
pub fn match_path<'t>(template: &'t str, path: &str) -> Option<Vec<(&'t str, String)>> {
    spell_example(template, path).map(|(_, values)| values)
}

/// [`match_path`], with the example's path spelled as the documented path (its literal
/// text, the example's values).
pub fn spell_example<'t>(
    template: &'t str,
    path: &str,
) -> Option<(String, Vec<(&'t str, String)>)> {
    example_readings(path)
        .iter()
        .find_map(|path| match_segments(template, path))
}

/// The ways an example's path reads, in order of preference: as [`example_path`] reads
/// it, then with `/me` as the signed-in user's `/users/me`.
pub fn example_readings(path: &str) -> Vec<String> {
    let path = example_path(path);
    let me = path
        .strip_prefix("/me")
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .map(|rest| format!("/users/me{rest}"));
    std::iter::once(path).chain(me).collect()
}

/// Matches one reading of an example's path (see [`example_readings`]) against a
/// documented path: the path spelled as documented and the placeholders' values.
pub fn match_segments<'t>(
    template: &'t str,
    path: &str,
) -> Option<(String, Vec<(&'t str, String)>)> {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    if template.len() != path.len() {
        return None;
    }
    let mut values = Vec::new();
    let mut spelled = Vec::new();
    for (t, p) in template.iter().zip(&path) {
        let found = match_segment(t, p).or_else(|| quoted_key(t, p))?;
        let mut text = (*t).to_string();
        for (name, value) in &found {
            text = text.replacen(&format!("{{{name}}}"), value, 1);
        }
        spelled.push(text);
        values.extend(found);
    }
    Some((spelled.join("/"), values))
}

/// One segment: literal text must agree but for ASCII case, each `{name}` takes the
/// shortest text that lets the rest match (a whole segment never an OData `$` segment or
/// a type cast).
fn match_segment<'t>(template: &'t str, text: &str) -> Option<Vec<(&'t str, String)>> {
    let Some(open) = template.find('{') else {
        return template.eq_ignore_ascii_case(text).then(Vec::new);
    };
    let close = open + template[open..].find('}')?;
    let (before, name, after) = (
        &template[..open],
        &template[open + 1..close],
        &template[close + 1..],
    );
    let rest = strip_prefix_ignore_case(text, before)?;
    // A whole segment is an id: never OData's own segment, nor a stray quote (`AAM='`).
    if before.is_empty() && after.is_empty() && (is_odata_segment(rest) || rest.contains('\'')) {
        return None;
    }
    for end in (0..=rest.len()).filter(|i| rest.is_char_boundary(*i)) {
        if let Some(mut values) = match_segment(after, &rest[end..]) {
            values.insert(0, (name, rest[..end].to_string()));
            return Some(values);
        }
    }
    None
}

/// A key the docs quote in the path (`/recoveryKeys/'{id}'`) and an example writes bare
/// (`/recoveryKeys/b465e4e8-…`): the value is the segment.
fn quoted_key<'t>(template: &'t str, text: &str) -> Option<Vec<(&'t str, String)>> {
    let name = template.strip_prefix("'{")?.strip_suffix("}'")?;
    let bare = !name.contains(['{', '}']) && !text.is_empty() && !text.contains('\'');
    (bare && !is_odata_segment(text)).then(|| vec![(name, text.to_string())])
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `$count`, `$ref`, `$value` and type casts (`microsoft.graph.user`) are OData's own
/// segments, never an id.
fn is_odata_segment(segment: &str) -> bool {
    segment.starts_with('$')
        || segment
            .get(..16)
            .is_some_and(|head| head.eq_ignore_ascii_case("microsoft.graph."))
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
    fn seeded_objects_hold_values_of_their_documented_types() {
        use crate::schema::{Property, Schema, Type, TypeKind};
        let schema = Schema {
            types: vec![Type {
                name: "contact".to_string(),
                kind: TypeKind::Entity,
                base: None,
                properties: vec![Property {
                    name: "createdDateTime".to_string(),
                    ty: "DateTimeOffset".to_string(),
                    collection: false,
                    relationship: false,
                    description: String::new(),
                }],
                members: Vec::new(),
                description: String::new(),
                member_details: Vec::new(),
                sources: Vec::new(),
            }],
            operations: Vec::new(),
        };
        let mut list = op(
            OperationKind::List,
            "/me/contacts",
            "/me/contacts",
            r#"{"value": [{"id": "a", "createdDateTime": "datetime-value"}]}"#,
        );
        list.ty = Some("contact".to_string());
        let typing = Typing::new(&schema);
        let seeds = candidates([&list]).seeds(Some(&typing));
        assert_eq!(seeds[0].object["createdDateTime"], "0001-01-01T00:00:00Z");
        // Without the types, as written.
        assert_eq!(
            seeds_of_list(&list)[0].object["createdDateTime"],
            "datetime-value"
        );
    }

    fn seeds_of_list(op: &OperationFacts) -> Vec<Seed> {
        seeds([op])
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
