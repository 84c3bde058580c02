//! The operations as the routes crate and the OpenAPI document name them: a stable id per
//! operation, the handler trait (resource) and method that serve it, and its area.

use std::collections::{BTreeMap, BTreeSet};

use super::{Plan, bound_name, last_named, operation_area};
use crate::merge::path_shape;
use crate::naming::{assign, field_ident, type_ident};
use crate::schema::{Operation, OperationKind, Primitive, Property, TypeKind};

/// One documented (method, path) pair.
#[derive(Debug)]
pub struct OperationPlan<'s> {
    /// The operation.
    pub op: &'s Operation,
    /// Its id, `deviceCategory_update`: the subject and the kind, and for the same
    /// operation under a further path the words in which that path differs from the first
    /// (`attachment_get_me_events`). Derived from the operations of one subject and kind
    /// alone, so that a page of another subject renames nothing.
    pub id: String,
    /// The Rust identifier of its entry function (snake case of the id).
    pub entry: String,
    /// The Rust identifier of its `OperationInfo` static (upper snake case of the id).
    pub info: String,
    /// The handler trait that serves it (a key of [`Routes::resources`]).
    pub resource: String,
    /// The trait method that serves it.
    pub method: String,
    /// The path the client requests: the documented path, with a function's parameters
    /// in OData's call syntax (`f(period='{period}',top={top})`; strings and enums quoted).
    pub call_path: String,
    /// What the mock server's store answers this action or function with, as JSON: an
    /// empty value of the documented reply type, which a typed client reads.
    pub empty_reply: String,
    /// For each placeholder of `call_path`, in order: the documented function parameter
    /// it stands for when the docs give it a type other than text (a number, a date, an
    /// enum …), which the client then takes typed; `None` for path keys and text.
    pub arguments: Vec<Option<&'s Property>>,
}

/// A handler trait: one resource's operations.
#[derive(Debug, Default)]
pub struct ResourcePlan {
    /// The type the operations work on, or for actions and functions the type they are
    /// bound to.
    pub key: String,
    /// The module (file stem) of the trait.
    pub stem: String,
    /// The field and builder suffix naming the handler in the server type.
    pub field: String,
    /// The area feature it belongs to.
    pub area: String,
    /// The models crate's areas its bodies and replies need.
    pub model_areas: BTreeSet<String>,
    /// Method name → indexes into [`Routes::operations`] (several paths share a method).
    pub methods: BTreeMap<String, Vec<usize>>,
}

/// Every operation and resource, decided once for every emitter.
#[derive(Debug, Default)]
pub struct Routes<'s> {
    /// One per schema operation, in schema order.
    pub operations: Vec<OperationPlan<'s>>,
    /// Trait identifier → resource.
    pub resources: BTreeMap<String, ResourcePlan>,
}

/// Names reserved in the routes crate's root, which resource traits must not take.
const RESERVED_TRAITS: &[&str] = &["Server", "Handlers", "Memory"];

impl<'s> Routes<'s> {
    /// Groups the operations into resources and names everything.
    pub fn new(plan: &Plan<'s>) -> Self {
        let operations = &plan.schema.operations;
        let ids = operation_ids(operations);
        let entries = assign(ids.iter().cloned(), field_ident, &[]);
        let infos = assign(ids.iter().cloned(), upper_snake, &[]);
        let addressed = addressed_types(plan);
        let keys: Vec<String> = operations
            .iter()
            .map(|op| resource_key(plan, op, &addressed))
            .collect();
        let traits = assign(
            keys.iter().map(|k| format!("{k}Handler")),
            type_ident,
            RESERVED_TRAITS,
        );
        let mut routes = Routes::default();
        for (i, op) in operations.iter().enumerate() {
            let trait_ident = traits[&format!("{}Handler", keys[i])].clone();
            let method = match op.kind {
                OperationKind::Action | OperationKind::Function => field_ident(&op.name),
                kind => kind.as_str().to_string(),
            };
            let resource = routes.resources.entry(trait_ident.clone()).or_default();
            if resource.key.is_empty() {
                // A new resource: its area is its type's, else that of the first page
                // documenting it.
                resource.key = keys[i].clone();
                resource.area = plan
                    .modules
                    .get(resource.key.as_str())
                    .map(|(area, _)| area.clone())
                    .unwrap_or_else(|| {
                        operation_area(op.sources.first().map_or("", String::as_str), &op.path)
                    });
            }
            resource.methods.entry(method.clone()).or_default().push(i);
            resource.model_areas.extend(model_areas(plan, op));
            let call_path = call_path(plan, op);
            let arguments = typed_arguments(plan, op, &call_path);
            routes.operations.push(OperationPlan {
                op,
                id: ids[i].clone(),
                entry: entries[&ids[i]].clone(),
                info: infos[&ids[i]].clone(),
                resource: trait_ident,
                method,
                call_path,
                empty_reply: empty_reply(plan, op),
                arguments,
            });
        }
        let fields = assign(
            routes.resources.values().map(|r| r.key.clone()),
            field_ident,
            &["store"],
        );
        // A resource's own area enables the models' area of the same name, where the
        // models have one (an area of operations alone, `/directory/…` say, has none).
        let model_features = plan.areas();
        for (trait_ident, resource) in routes.resources.iter_mut() {
            resource.stem = field_ident(trait_ident.trim_start_matches("r#"));
            resource.field = fields[&resource.key].clone();
            if model_features.contains(&resource.area) {
                let own = resource.area.clone();
                resource.model_areas.insert(own);
            }
        }
        routes
    }

    /// Every area of the routes crate, sorted.
    pub fn areas(&self) -> BTreeSet<&str> {
        self.resources.values().map(|r| r.area.as_str()).collect()
    }
}

/// What an operation works on, by its own documentation alone: an action's or function's
/// name, else its type, else what its path addresses (`DELETE /policies/pinnedWidgets/{id}`
/// → `pinnedWidgets`; a `$ref` or `$value` is of the segment before it).
pub fn subject(op: &Operation) -> String {
    match (op.kind, &op.ty) {
        (OperationKind::Action | OperationKind::Function, _) => op.name.clone(),
        (_, Some(ty)) => ty.clone(),
        (_, None) => last_named(
            op.path
                .split('/')
                .filter(|s| !s.is_empty() && !s.starts_with('$')),
        )
        .unwrap_or_else(|| op.name.clone()),
    }
}

/// `deviceCategory_update` for the first path of a subject and kind; under a further
/// path, that id and the words in which its path differs from the first one
/// (`attachment_get_me_events` beside `GET /groups/{id}/events/{id}/attachments/{id}`,
/// where numbering would say `attachment_get_7`), so that an id says where it goes.
/// Paths of the same words are numbered (`…_2`).
fn operation_ids(operations: &[Operation]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut first_words: BTreeMap<String, Vec<String>> = BTreeMap::new();
    operations
        .iter()
        .map(|op| {
            let base = format!("{}_{}", subject(op), op.kind.as_str());
            let words = literal_words(&op.path);
            let id = match first_words.get(&base) {
                None => base.clone(),
                Some(first) => {
                    let qualified = format!("{base}_{}", differing_words(&words, first));
                    (1..)
                        .map(|n| match n {
                            1 => qualified.clone(),
                            n => format!("{qualified}_{n}"),
                        })
                        .find(|id| !taken.contains(id))
                        .unwrap_or(qualified)
                }
            };
            first_words.entry(base).or_insert(words);
            taken.insert(id.clone());
            id
        })
        .collect()
}

/// The words of `words` that `first` does not share as a common beginning or ending,
/// joined: `[groups, threads, posts, attachments]` against `[me, events, attachments]` →
/// `groups_threads_posts`; all of them where that leaves none.
fn differing_words(words: &[String], first: &[String]) -> String {
    let prefix = words.iter().zip(first).take_while(|(a, b)| a == b).count();
    let suffix = words[prefix..]
        .iter()
        .rev()
        .zip(first[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let differing = &words[prefix..words.len() - suffix];
    if differing.is_empty() {
        words.join("_")
    } else {
        differing.join("_")
    }
}

/// The literal words of a path, in order.
fn literal_words(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|segment| !segment.starts_with('{'))
        .map(|segment| {
            let name = segment.split(['(', ':']).next().unwrap_or(segment);
            let name = name.rsplit('.').next().unwrap_or(name);
            name.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

/// The resource an operation belongs to: its type; for an action or function, the type
/// of the address it is bound to (`POST /groups/{id}/addFavorite` → `group`, which `GET
/// /groups/{id}` documents); for an operation that returns or writes no model, the model
/// another operation documents at its own address. Where no operation types the address,
/// the name the path gives it (`/policies/pinnedPolicies/{id}` → `pinnedPolicies`).
fn resource_key(plan: &Plan<'_>, op: &Operation, addressed: &BTreeMap<String, &str>) -> String {
    let own = model_type(plan, op);
    let bound = match op.kind {
        OperationKind::Action | OperationKind::Function => op.path.rsplit_once('/').map(|(p, _)| p),
        _ if own.is_none() => Some(op.path.as_str()),
        _ => None,
    };
    match (bound, own) {
        (Some(path), _) => addressed
            .get(&path_shape(path))
            .map_or_else(|| bound_name(&op.path), |ty| ty.to_string()),
        (None, Some(ty)) => ty.to_string(),
        (None, None) => bound_name(&op.path),
    }
}

/// The model (a resource or complex type of the schema, not a primitive, an enum or a
/// name no page defines) an operation returns or writes.
fn model_type<'s>(plan: &Plan<'s>, op: &'s Operation) -> Option<&'s str> {
    let ty = op.ty.as_deref()?;
    let model = plan.types.get(ty).is_some_and(|t| t.kind != TypeKind::Enum);
    model.then_some(ty)
}

/// Every address that a create, read, update, delete or list of a model documents, as
/// [`path_shape`] spells it (the endpoint whatever its keys' names and case, as merging
/// reads it), → its model (the first operation's, in schema order).
fn addressed_types<'s>(plan: &Plan<'s>) -> BTreeMap<String, &'s str> {
    let mut addressed = BTreeMap::new();
    for op in &plan.schema.operations {
        let crud = !matches!(op.kind, OperationKind::Action | OperationKind::Function);
        if let (true, Some(ty)) = (crud, model_type(plan, op)) {
            addressed.entry(path_shape(&op.path)).or_insert(ty);
        }
    }
    addressed
}

/// The models crate's areas that an operation's bodies, replies and function arguments
/// live in.
fn model_areas(plan: &Plan<'_>, op: &Operation) -> Vec<String> {
    let mut areas = Vec::new();
    let function_types = op
        .parameters
        .iter()
        .filter(|p| op.kind == OperationKind::Function && plan.is_enum(&p.ty))
        .map(|p| p.ty.as_str());
    for ty in op.ty.as_deref().into_iter().chain(function_types) {
        if let Some((area, _)) = plan.modules.get(ty) {
            areas.push(area.clone());
        }
    }
    let key = (op.method.clone(), op.path.clone());
    if let Some(parameters) = plan.operation_parameters.get(&key) {
        areas.push(plan.parameters[parameters].module.0.clone());
    }
    areas
}

/// The path the client requests. For a function, its arguments in OData's call syntax,
/// each a placeholder named by its parameter (`f(period='{period}',top={top})`): the
/// parameters are appended where the docs leave them out of the path, and a documented
/// example value (`period='D7'`, `top=top-value`) becomes a placeholder too. Text and
/// enum arguments are quoted; a type prefix the docs write (`ns.type'{x}'`) is kept.
fn call_path(plan: &Plan<'_>, op: &Operation) -> String {
    if op.kind != OperationKind::Function {
        return op.path.clone();
    }
    let quoted = |name: &str| {
        parameter(op, name).is_some_and(|p| {
            !p.collection
                && (Primitive::parse(&p.ty) == Some(Primitive::String) || plan.is_enum(&p.ty))
        })
    };
    if !op.parameters.is_empty() && !op.path.ends_with(')') && !called_elsewhere(plan, op) {
        let arguments: Vec<String> = op
            .parameters
            .iter()
            .map(|p| argument(&p.name, "", quoted(&p.name)))
            .collect();
        return format!("{}({})", op.path, arguments.join(","));
    }
    let segments: Vec<String> = op
        .path
        .split('/')
        .map(|segment| call_segment(segment, &quoted).unwrap_or_else(|| segment.to_string()))
        .collect();
    segments.join("/")
}

/// Whether the page documenting a function's bare path (`/me/outlook/supportedTimeZones`)
/// also documents the same path called with arguments (`…/supportedTimeZones(TimeZoneStandard=…)`):
/// then the bare path is the call without them (the parameters are optional), not a path
/// that leaves them out.
fn called_elsewhere(plan: &Plan<'_>, op: &Operation) -> bool {
    plan.schema.operations.iter().any(|other| {
        other.kind == OperationKind::Function
            && other.method == op.method
            && other
                .path
                .strip_prefix(op.path.as_str())
                .is_some_and(|rest| rest.starts_with('('))
            && other.sources.iter().any(|s| op.sources.contains(s))
    })
}

/// A function call segment (`f(a=1,b='x')`) with every argument a placeholder, or `None`
/// when the segment is no call with named arguments.
fn call_segment(segment: &str, quoted: &dyn Fn(&str) -> bool) -> Option<String> {
    let open = segment.find('(')?;
    let inner = segment.strip_suffix(')')?.get(open + 1..)?;
    let arguments = split_arguments(inner);
    if arguments.is_empty() || !arguments.iter().all(|a| a.contains('=')) {
        return None;
    }
    let arguments: Vec<String> = arguments
        .iter()
        .map(|a| {
            let (name, value) = a.split_once('=').unwrap_or_default();
            let name = name.trim();
            // `ns.type'{x}'` keeps its prefix and quotes; `'D7'` its quotes.
            let (prefix, quote) = match value.find('\'') {
                Some(at) => (value[..at].trim(), true),
                None => ("", quoted(name)),
            };
            argument(name, prefix, quote)
        })
        .collect();
    Some(format!("{}({})", &segment[..open], arguments.join(",")))
}

fn argument(name: &str, prefix: &str, quoted: bool) -> String {
    if quoted {
        format!("{name}={prefix}'{{{name}}}'")
    } else {
        format!("{name}={prefix}{{{name}}}")
    }
}

/// Splits `a='x,y',b=2` on the commas outside quotes, dropping empty parts.
fn split_arguments(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut in_quotes) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '\'' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The documented parameter of a function named `name` (the docs' case may differ
/// between the path and the table).
fn parameter<'s>(op: &'s Operation, name: &str) -> Option<&'s Property> {
    op.parameters
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

/// For each placeholder of `call_path`: the documented parameter it stands for, when it
/// is a function argument (inside the call's parentheses) of a type the client takes
/// typed: a single primitive other than text, or an enum that is not a flag set.
fn typed_arguments<'s>(
    plan: &Plan<'_>,
    op: &'s Operation,
    call_path: &str,
) -> Vec<Option<&'s Property>> {
    crate::http::placeholders(call_path)
        .into_iter()
        .map(|placeholder| {
            parameter(op, placeholder.name)
                .filter(|_| placeholder.in_call && op.kind == OperationKind::Function)
                .filter(|p| !p.collection && is_typed(plan, &p.ty))
        })
        .collect()
}

/// Whether a parameter type is taken typed rather than as text.
fn is_typed(plan: &Plan<'_>, ty: &str) -> bool {
    match Primitive::parse(ty) {
        Some(Primitive::String | Primitive::Stream | Primitive::Binary) => false,
        Some(_) => true,
        None => plan.is_enum(ty) && !plan.is_flags(ty),
    }
}

/// An empty reply of an action's or function's documented type, as Graph would shape
/// it: `{"value": …}` around a collection, primitive or enum, an object as itself.
fn empty_reply(plan: &Plan<'_>, op: &Operation) -> String {
    let Some(ty) = op.ty.as_deref() else {
        return "{}".to_string();
    };
    if op.returns_collection {
        return r#"{"value":[]}"#.to_string();
    }
    if plan.is_enum(ty) {
        return r#"{"value":""}"#.to_string();
    }
    let value = match Primitive::parse(ty) {
        None => return "{}".to_string(),
        Some(Primitive::Boolean) => "false",
        Some(
            Primitive::Byte
            | Primitive::SByte
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64
            | Primitive::Decimal
            | Primitive::Double
            | Primitive::Single,
        ) => "0",
        Some(Primitive::Date) => r#""0001-01-01""#,
        Some(Primitive::DateTimeOffset) => r#""0001-01-01T00:00:00Z""#,
        Some(Primitive::TimeOfDay) => r#""00:00:00""#,
        Some(Primitive::Duration) => r#""PT0S""#,
        Some(Primitive::Guid) => r#""00000000-0000-0000-0000-000000000000""#,
        Some(Primitive::Binary | Primitive::Stream | Primitive::String) => r#""""#,
    };
    format!(r#"{{"value":{value}}}"#)
}

/// `DEVICE_CATEGORY_UPDATE` for `deviceCategory_update`.
fn upper_snake(id: &str) -> String {
    field_ident(id)
        .trim_start_matches("r#")
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An action's handler is the type its address is documented with, under whatever
    /// key names and case the pages use; without one, the name its path gives it, never
    /// a bare key (`{id}`).
    #[test]
    fn an_action_belongs_to_the_type_its_address_serves() {
        let op = |method: &str, path: &str, kind: &str, ty: Option<&str>| {
            serde_json::json!({
                "method": method, "path": path, "type": ty, "status": 200, "kind": kind,
                "name": path.rsplit('/').next(), "parameters": [],
                "permissions": {"delegated_work": [], "delegated_personal": [], "application": []},
                "sources": ["api/page"]
            })
        };
        let model = |name: &str| {
            serde_json::json!({"name": name, "kind": "entity", "base": null, "properties": [],
                               "members": [], "sources": []})
        };
        let schema: crate::schema::Schema = serde_json::from_value(serde_json::json!({
            "types": [model("group"), model("calendarGroup")],
            "operations": [
                op("GET", "/groups/{group-id}", "get", Some("group")),
                // A type no page defines names no resource.
                op("GET", "/policies/widgets", "list", Some("acollection")),
                op("POST", "/groups/{id}/addFavorite", "action", None),
                op("GET", "/users/{id | userPrincipalName}/calendarGroups/{id}", "get", Some("calendarGroup")),
                op("POST", "/users/{userId}/calendargroups/{id}/archive", "action", None),
                op("DELETE", "/groups/{id}", "delete", None),
                op("POST", "/policies/widgets/{id}/unpin", "action", None),
                op("POST", "/policies/widgets/{widget-id}/pin", "action", None),
                op("DELETE", "/policies/pinnedWidgets/{id}", "delete", None),
                op("DELETE", "/policies/widgets/{id1}/parts/{id2}", "delete", None),
                op("POST", "/widgets", "action", None),
            ]
        }))
        .expect("schema");
        let plan = Plan::new(&schema);
        let resource = |path: &str| {
            let found = plan.routes.operations.iter().find(|o| o.op.path == path);
            let found = found.unwrap_or_else(|| panic!("no operation {path}"));
            plan.routes.resources[&found.resource].key.clone()
        };
        assert_eq!(resource("/groups/{id}/addFavorite"), "group");
        assert_eq!(
            resource("/users/{userId}/calendargroups/{id}/archive"),
            "calendarGroup"
        );
        assert_eq!(resource("/groups/{id}"), "group");
        assert_eq!(resource("/policies/widgets/{id}/unpin"), "widgets");
        assert_eq!(resource("/policies/widgets/{widget-id}/pin"), "widget");
        assert_eq!(resource("/policies/pinnedWidgets/{id}"), "pinnedWidgets");
        assert_eq!(resource("/policies/widgets"), "policies");
        assert_eq!(resource("/policies/widgets/{id1}/parts/{id2}"), "parts");
        assert_eq!(resource("/widgets"), "widgets");
    }

    /// An operation under a further path is named by the words its path does not share
    /// with the first path, not a number.
    #[test]
    fn further_paths_are_named_by_their_words() {
        let words = |path: &str| literal_words(path).join("_");
        assert_eq!(
            words("/me/mailFolders/{id}/messages('{m}')/$count"),
            "me_mailFolders_messages_count"
        );
        assert_eq!(
            words("/drives/{drive-id}/root:/{item-path}:/content"),
            "drives_root_content"
        );
        let op = |path: &str| {
            serde_json::json!({
                "method": "GET", "path": path, "type": "attachment", "status": 200,
                "kind": "get", "name": "get", "parameters": [],
                "permissions": {"delegated_work": [], "delegated_personal": [], "application": []},
                "sources": []
            })
        };
        let operations: Vec<Operation> = serde_json::from_value(serde_json::json!([
            op("/me/events/{id}/attachments/{id}"),
            op("/me/messages/{id}/attachments/{id}"),
            op("/users/{id}/messages/{id}/attachments/{id}"),
            op("/users/{userId}/messages/{id}/attachments/{id}"),
            op("/me/events/{eventId}/attachments/{id}"),
        ]))
        .expect("operations");
        assert_eq!(
            operation_ids(&operations),
            [
                "attachment_get",
                "attachment_get_messages",
                "attachment_get_users_messages",
                "attachment_get_users_messages_2",
                // Only the keys differ: every word, to tell it from the first.
                "attachment_get_me_events_attachments",
            ]
        );
    }

    /// Functions are called with their parameters (strings and enums quoted), and the
    /// mock answers each action or function with an empty value of its type.
    #[test]
    fn call_paths_and_empty_replies_follow_the_documented_types() {
        let op = |path: &str, ty: &str, parameters: serde_json::Value| {
            serde_json::json!({
                "method": "GET", "path": path, "type": ty, "status": 200, "kind": "function",
                "name": path.rsplit('/').next(), "parameters": parameters,
                "permissions": {"delegated_work": [], "delegated_personal": [], "application": []},
                "sources": ["api/page"]
            })
        };
        let schema: crate::schema::Schema = serde_json::from_value(serde_json::json!({
            "types": [{"name": "period", "kind": "enum", "base": null, "properties": [],
                       "members": ["d7"], "sources": []}],
            "operations": [
                op("/r/report", "Boolean", serde_json::json!([
                    {"name": "period", "type": "period", "collection": false},
                    {"name": "top", "type": "Int32", "collection": false}
                ])),
                op("/r/state", "period", serde_json::json!([])),
                op("/r/zones", "String", serde_json::json!([
                    {"name": "standard", "type": "period", "collection": false}
                ])),
                op("/r/zones(standard='{standard}')", "String", serde_json::json!([
                    {"name": "standard", "type": "period", "collection": false}
                ])),
                op("/r/when", "DateTimeOffset", serde_json::json!([])),
            ]
        }))
        .expect("schema");
        let plan = Plan::new(&schema);
        let got: Vec<(&str, &str)> = plan
            .routes
            .operations
            .iter()
            .map(|o| (o.call_path.as_str(), o.empty_reply.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "/r/report(period='{period}',top={top})",
                    r#"{"value":false}"#
                ),
                ("/r/state", r#"{"value":""}"#),
                // The page documents the bare path beside the call: no arguments.
                ("/r/zones", r#"{"value":""}"#),
                ("/r/zones(standard='{standard}')", r#"{"value":""}"#),
                ("/r/when", r#"{"value":"0001-01-01T00:00:00Z"}"#),
            ]
        );
    }

    /// Documented example values and `-value` stand-ins in a function's path become
    /// placeholders named by the parameter; text stays quoted, a type prefix is kept, and
    /// only function arguments of a non-text type are taken typed.
    #[test]
    fn function_arguments_become_named_typed_placeholders() {
        let function = |path: &str, parameters: serde_json::Value| {
            serde_json::json!({
                "method": "GET", "path": path, "type": null, "status": 200, "kind": "function",
                "name": "f", "parameters": parameters,
                "permissions": {"delegated_work": [], "delegated_personal": [], "application": []},
                "sources": []
            })
        };
        let schema: crate::schema::Schema = serde_json::from_value(serde_json::json!({
            "types": [{"name": "interval", "kind": "enum", "base": null, "properties": [],
                       "members": ["day"], "sources": []}],
            "operations": [
                function("/a/{a-id}/f(period='D7')", serde_json::json!([
                    {"name": "period", "type": "String", "collection": false}])),
                function("/b/f(date=2017-09-01,flag=flag-value,kind={kind})", serde_json::json!([
                    {"name": "Date", "type": "Date", "collection": false},
                    {"name": "flag", "type": "Boolean", "collection": false},
                    {"name": "kind", "type": "interval", "collection": false}])),
                function("/c/f(TimeZone=ns.zone'{zone_format}',x='{y}')", serde_json::json!([])),
                function("/d/items('{id}')/delta()", serde_json::json!([])),
            ]
        }))
        .expect("schema");
        let plan = Plan::new(&schema);
        let got: Vec<(&str, Vec<Option<&str>>)> = plan
            .routes
            .operations
            .iter()
            .map(|o| {
                let types = o
                    .arguments
                    .iter()
                    .map(|p| p.map(|p| p.ty.as_str()))
                    .collect();
                (o.call_path.as_str(), types)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("/a/{a-id}/f(period='{period}')", vec![None, None]),
                (
                    "/b/f(date={date},flag={flag},kind='{kind}')",
                    vec![Some("Date"), Some("Boolean"), Some("interval")]
                ),
                (
                    "/c/f(TimeZone=ns.zone'{TimeZone}',x='{x}')",
                    vec![None, None]
                ),
                ("/d/items('{id}')/delta()", vec![None]),
            ]
        );
    }
}
