//! The in-memory store behind the mock server: JSON objects in collections keyed by their
//! full path, so that nested collections are scoped by their parent (a run state created
//! under script A is not listed under script B).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use axum::body::Bytes;
use axum::response::{IntoResponse, Response};

use super::{Context, Failure, HandlerResult, Reply};

/// Collections and singletons of JSON objects.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
    next_id: AtomicU64,
}

/// One object to put in the store before serving (see [`MemoryStore::seed`]).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Seed {
    /// The request path of the object's collection (e.g.
    /// `/deviceManagement/deviceCategories`), or a singleton's own path.
    pub path: String,
    /// Whether `path` is a singleton's own path rather than a collection's.
    #[serde(default)]
    pub singleton: bool,
    /// The object; an item keeps its `id` (a new one is given where it has none).
    pub object: Map<String, Value>,
}

/// The items of one collection in creation order, as (id, object).
type Items = Vec<(String, Map<String, Value>)>;

#[derive(Debug, Default)]
struct State {
    /// Collection path → its items.
    collections: BTreeMap<String, Items>,
    /// Singleton path (e.g. `/deviceManagement`) → object.
    singletons: BTreeMap<String, Map<String, Value>>,
}

/// Where a request path points: an item of a collection, or a collection or singleton,
/// by its store key (see [`key`]).
enum Target<'p> {
    Item { collection: String, id: &'p str },
    Whole(String),
}

/// An entity path ends in a parameter (`…/{id}`); the collection is the path before it.
fn target(cx: &Context) -> Target<'_> {
    let path = cx.path.trim_end_matches('/');
    // `…/{id}`, or OData's quoted key `…/'{id}'`.
    let item = cx
        .template
        .trim_end_matches('/')
        .trim_end_matches('\'')
        .ends_with('}');
    match path.rsplit_once('/') {
        Some((collection, id)) if item && !id.is_empty() => Target::Item {
            collection: key(collection),
            // OData's quoted key (`…/recoveryKeys/'b465…'`) names the item `b465…`.
            id: super::router::unquoted(id),
        },
        _ => Target::Whole(key(path)),
    }
}

/// The key of a request path in the store: without a trailing `/`, and the signed-in
/// user's `/users/me/…` as `/me/…`, since Graph documents one object under both
/// spellings (a message an example reads at `/me/messages/{id}` is the one another page
/// addresses at `/users/{id}/messages/{id}` with the id `me`).
fn key(path: &str) -> String {
    let path = path.trim_end_matches('/');
    match path.strip_prefix("/users/me") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("/me{rest}"),
        _ => path.to_string(),
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A handler that panicked while holding the lock left consistent data (every
        // change is a single insert or remove), so the store stays usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn new_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        // Shaped like a GUID, as Graph ids are.
        format!("00000000-0000-4000-8000-{n:012x}")
    }

    /// Creates an object in the collection at the request path, with a new `id`.
    pub fn create(&self, cx: &Context, body: Value) -> Result<Value, Failure> {
        let mut object = into_object(body)?;
        let id = self.new_id();
        object.insert("id".to_string(), Value::String(id.clone()));
        let collection = key(&cx.path);
        self.lock()
            .collections
            .entry(collection)
            .or_default()
            .push((id, object.clone()));
        Ok(Value::Object(object))
    }

    /// The object at the request path: an item (404 if absent) or a singleton.
    pub fn get(&self, cx: &Context) -> Result<Value, Failure> {
        let state = self.lock();
        match target(cx) {
            Target::Item { collection, id } => state
                .collections
                .get(&collection)
                .and_then(|items| items.iter().find(|(item, _)| item == id))
                .map(|(_, object)| Value::Object(object.clone()))
                .ok_or_else(|| Failure::not_found(&cx.path)),
            Target::Whole(path) => Ok(Value::Object(
                state.singletons.get(&path).cloned().unwrap_or_default(),
            )),
        }
    }

    /// The collection at the request path as `{"value": [...]}`, paged by `$top` and
    /// `$skip` with an `@odata.nextLink`.
    pub fn list(&self, cx: &Context) -> Result<Value, Failure> {
        let options = super::QueryOptions::parse(&cx.query)?;
        let (top, skip) = (options.top, options.skip.unwrap_or(0));
        let state = self.lock();
        let items = state
            .collections
            .get(&key(&cx.path))
            .map(Vec::as_slice)
            .unwrap_or_default();
        // Saturating: `$skip` and `$top` may be anything up to `usize::MAX`.
        let start = skip.min(items.len());
        let end = top.map_or(items.len(), |top| {
            start.saturating_add(top).min(items.len())
        });
        let page: Vec<Value> = items
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|(_, object)| Value::Object(object.clone()))
            .collect();
        let mut out = Map::new();
        out.insert("value".to_string(), Value::Array(page));
        // A next page only after a page that moved on (`$top=0` would loop forever).
        if end < items.len() && end > start {
            let top = top.unwrap_or(items.len());
            let link = format!("{}?$top={top}&$skip={end}", cx.path);
            out.insert("@odata.nextLink".to_string(), Value::String(link));
        }
        Ok(Value::Object(out))
    }

    /// Merges a patch into the object at the request path: absent properties stay as they
    /// are, `null` clears a property. Returns the updated object; 404 for an item the store
    /// does not hold, as Graph answers (a singleton always exists).
    pub fn update(&self, cx: &Context, patch: Value) -> Result<Value, Failure> {
        let patch = into_object(patch)?;
        let mut state = self.lock();
        let object = match target(cx) {
            Target::Item { collection, id } => state
                .collections
                .get_mut(&collection)
                .and_then(|items| items.iter_mut().find(|(item, _)| item == id))
                .map(|(_, object)| object)
                .ok_or_else(|| Failure::not_found(&cx.path))?,
            Target::Whole(path) => state.singletons.entry(path).or_default(),
        };
        for (key, value) in patch {
            if key == "id" {
                continue; // The id is the server's.
            }
            if value.is_null() {
                object.remove(&key);
            } else {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object.clone()))
    }

    /// Puts `object` in the collection at `collection` (a request path, e.g.
    /// `/deviceManagement/deviceCategories`), keeping its string `id` or giving it a new
    /// one, and replacing an item with the same id. Returns the id. This is how a test or
    /// a seeded server makes objects exist that no documented route creates.
    pub fn insert(&self, collection: &str, mut object: Map<String, Value>) -> String {
        let id = match object.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            _ => {
                let id = self.new_id();
                object.insert("id".to_string(), Value::String(id.clone()));
                id
            }
        };
        let mut state = self.lock();
        let items = state.collections.entry(key(collection)).or_default();
        match items.iter_mut().find(|(item, _)| *item == id) {
            Some((_, existing)) => *existing = object,
            None => items.push((id.clone(), object)),
        }
        id
    }

    /// Whether the collection at `collection` (a request path) holds an item `id`.
    pub fn holds(&self, collection: &str, id: &str) -> bool {
        self.lock()
            .collections
            .get(&key(collection))
            .is_some_and(|items| items.iter().any(|(item, _)| item == id))
    }

    /// Puts every object of `seeds` in the store: each item in its collection (replacing
    /// one with the same id), each singleton at its path. Returns how many were put.
    pub fn seed(&self, seeds: impl IntoIterator<Item = Seed>) -> usize {
        let mut count = 0;
        for seed in seeds {
            if seed.singleton {
                self.insert_singleton(&seed.path, seed.object);
            } else {
                self.insert(&seed.path, seed.object);
            }
            count += 1;
        }
        count
    }

    /// [`MemoryStore::seed`] from a seed file, the JSON a generated routes crate carries
    /// as `examples.json`: `{"seeds": [{"path": …, "singleton": …, "object": {…}}, …]}`.
    /// A file that does not read puts nothing and says why.
    pub fn seed_json(&self, text: &str) -> Result<usize, serde_json::Error> {
        #[derive(serde::Deserialize)]
        struct SeedFile {
            seeds: Vec<Seed>,
        }
        let file: SeedFile = serde_json::from_str(text)?;
        Ok(self.seed(file.seeds))
    }

    /// Puts `object` at the singleton path `path` (e.g. `/deviceManagement`), replacing
    /// what was there.
    pub fn insert_singleton(&self, path: &str, object: Map<String, Value>) {
        self.lock().singletons.insert(key(path), object);
    }

    /// Deletes the object at the request path (404 if absent).
    pub fn delete(&self, cx: &Context) -> Result<(), Failure> {
        let mut state = self.lock();
        match target(cx) {
            Target::Item { collection, id } => {
                let items = state
                    .collections
                    .get_mut(&collection)
                    .ok_or_else(|| Failure::not_found(&cx.path))?;
                let before = items.len();
                items.retain(|(item, _)| item != id);
                if items.len() == before {
                    return Err(Failure::not_found(&cx.path));
                }
                // Whatever was nested below the deleted object goes with it.
                let prefix = format!("{}/", key(&cx.path));
                state
                    .collections
                    .retain(|path, _| !path.starts_with(&prefix));
                Ok(())
            }
            Target::Whole(path) => {
                state.singletons.remove(&path);
                Ok(())
            }
        }
    }
}

impl MemoryStore {
    /// Answers any documented operation from the store, as the mock server does for
    /// every operation no handler implements: create, get, list, update and delete work
    /// on the object at the request path; actions and functions answer the documented
    /// status with an empty result of their type (`{"value": []}` where they return a
    /// collection, else the operation's `empty_reply`).
    /// The body has already been checked against its model by the generated code.
    pub fn respond(&self, cx: &Context, body: &Bytes) -> Response {
        match self.outcome(cx, body) {
            Ok(reply) => reply.into_response(),
            Err(failure) => failure.into_response(),
        }
    }

    fn outcome(&self, cx: &Context, body: &Bytes) -> HandlerResult<Value> {
        let status = cx.operation.status;
        let value = match cx.operation.kind {
            "create" => self.create(cx, super::parse_body(body)?)?,
            "get" => self.get(cx)?,
            "list" => self.list(cx)?,
            "update" => self.update(cx, super::parse_body(body)?)?,
            "delete" => {
                self.delete(cx)?;
                return Ok(Reply::empty(status));
            }
            _ if cx.operation.returns_collection => serde_json::json!({"value": []}),
            _ => serde_json::from_str(cx.operation.empty_reply)
                .unwrap_or_else(|_| serde_json::json!({})),
        };
        Ok(if status == 204 {
            Reply::empty(status)
        } else {
            Reply::new(status, value)
        })
    }
}

fn into_object(body: Value) -> Result<Map<String, Value>, Failure> {
    match body {
        Value::Object(object) => Ok(object),
        other => Err(Failure::new(
            400,
            "BadRequest",
            format!("the request body must be a JSON object, not {other}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{OperationInfo, Permissions};
    use super::*;
    use serde_json::json;

    static OP: OperationInfo = OperationInfo {
        kind: "create",
        name: "create",
        method: "POST",
        status: 201,
        returns_collection: false,
        path: "/s",
        empty_reply: "{}",
        permissions: Permissions {
            delegated_work: &[],
            delegated_personal: &[],
            application: &[],
        },
    };

    fn cx(template: &'static str, path: &str) -> Context {
        let (path, query) = path
            .split_once('?')
            .map_or((path, None), |(p, q)| (p, Some(q)));
        Context::new(&OP, template, path, query)
    }

    #[test]
    fn lifecycle_with_scoping_paging_and_merge() {
        let store = MemoryStore::new();
        let a = cx("/s/{sId}/runs", "/s/A/runs");
        let created = store.create(&a, json!({"name": "one", "n": 1})).unwrap();
        let id = created["id"].as_str().unwrap().to_string();
        store.create(&a, json!({"name": "two"})).unwrap();
        store
            .create(&cx("/s/{sId}/runs", "/s/B/runs"), json!({"name": "other"}))
            .unwrap();
        let listed = store.list(&cx("/s/{sId}/runs", "/s/A/runs")).unwrap();
        assert_eq!(
            listed["value"].as_array().unwrap().len(),
            2,
            "B's run is not A's"
        );
        let page = store
            .list(&cx("/s/{sId}/runs", "/s/A/runs?$top=1"))
            .unwrap();
        assert_eq!(page["value"].as_array().unwrap().len(), 1);
        assert_eq!(page["@odata.nextLink"], "/s/A/runs?$top=1&$skip=1");
        let item = cx("/s/{sId}/runs/{rId}", &format!("/s/A/runs/{id}"));
        let updated = store.update(&item, json!({"name": null, "m": 2})).unwrap();
        assert_eq!(updated, json!({"n": 1, "id": id, "m": 2}));
        store.delete(&item).unwrap();
        assert_eq!(store.get(&item).unwrap_err().status, 404);
        let unknown = cx("/s/{sId}/runs/{rId}", "/s/A/runs/new-one");
        assert_eq!(
            store.update(&unknown, json!({"a": 1})).unwrap_err().status,
            404
        );
        assert_eq!(
            store.get(&unknown).unwrap_err().status,
            404,
            "PATCH made nothing"
        );
        let mut object = Map::new();
        object.insert("a".to_string(), json!(1));
        object.insert("id".to_string(), json!("new-one"));
        assert_eq!(store.insert("/s/A/runs", object), "new-one");
        assert_eq!(
            store.update(&unknown, json!({"b": 2})).unwrap(),
            json!({"a": 1, "id": "new-one", "b": 2})
        );
        assert_eq!(store.delete(&item).unwrap_err().status, 404);
    }

    #[test]
    fn seeds_are_items_and_singletons() {
        let store = MemoryStore::new();
        let text = r#"{"@generated": "x", "seeds": [
            {"path": "/s", "object": {"id": "a", "n": 1}},
            {"path": "/s", "object": {"n": 2}},
            {"path": "/root", "singleton": true, "object": {"k": true}}
        ]}"#;
        assert_eq!(store.seed_json(text).unwrap(), 3);
        let got = store.get(&cx("/s/{sId}", "/s/a")).unwrap();
        assert_eq!(got, json!({"id": "a", "n": 1}));
        assert_eq!(
            store.list(&cx("/s", "/s")).unwrap()["value"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            store.get(&cx("/root", "/root")).unwrap(),
            json!({"k": true})
        );
        assert!(store.seed_json("{\"seeds\": 3}").is_err());
    }

    #[test]
    fn bad_paging_and_bodies_are_400() {
        let store = MemoryStore::new();
        assert_eq!(store.list(&cx("/s", "/s?$top=x")).unwrap_err().status, 400);
        let huge = format!("/s?$top={}&$skip={}", usize::MAX, usize::MAX);
        assert!(
            store.list(&cx("/s", &huge)).is_ok(),
            "paging never overflows"
        );
        assert_eq!(
            store
                .create(&cx("/s", "/s"), json!([1]))
                .unwrap_err()
                .status,
            400
        );
    }
}
