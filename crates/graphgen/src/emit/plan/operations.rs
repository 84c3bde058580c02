//! The operations as the routes crate and the OpenAPI document name them: a stable id per
//! operation, the handler trait (resource) and method that serve it, and its area.

use std::collections::{BTreeMap, BTreeSet};

use super::{Plan, bound_name, operation_area};
use crate::naming::{assign, field_ident, type_ident};
use crate::schema::{Operation, OperationKind, Primitive};

/// One documented (method, path) pair.
#[derive(Debug)]
pub struct OperationPlan<'s> {
    /// The operation.
    pub op: &'s Operation,
    /// Its stable id, `deviceCategory_update`: the subject and the kind, with `_2`, `_3` …
    /// for the same operation under further paths (in path order). Derived from the
    /// operation itself, so adding a page never renames another operation.
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
        let keys: Vec<String> = operations.iter().map(resource_key).collect();
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
            routes.operations.push(OperationPlan {
                op,
                id: ids[i].clone(),
                entry: entries[&ids[i]].clone(),
                info: infos[&ids[i]].clone(),
                resource: trait_ident,
                method,
                call_path: call_path(plan, op),
                empty_reply: empty_reply(plan, op),
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

/// `deviceCategory_update`, `…_2` for the same subject and kind under a further path.
fn operation_ids(operations: &[Operation]) -> Vec<String> {
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    operations
        .iter()
        .map(|op| {
            let subject = match op.kind {
                OperationKind::Action | OperationKind::Function => op.name.as_str(),
                _ => op.ty.as_deref().unwrap_or(op.name.as_str()),
            };
            let base = format!("{subject}_{}", op.kind.as_str());
            let count = taken.entry(base.clone()).or_default();
            *count += 1;
            if *count == 1 {
                base
            } else {
                format!("{base}_{count}")
            }
        })
        .collect()
}

/// The resource an operation belongs to: its type, or for actions, functions and
/// untyped operations the type the path binds it to.
fn resource_key(op: &Operation) -> String {
    match (op.kind, &op.ty) {
        (OperationKind::Action | OperationKind::Function, _) | (_, None) => bound_name(&op.path),
        (_, Some(ty)) => ty.clone(),
    }
}

/// The models crate's areas that an operation's bodies and replies live in.
fn model_areas(plan: &Plan<'_>, op: &Operation) -> Vec<String> {
    let mut areas = Vec::new();
    if let Some((area, _)) = op.ty.as_deref().and_then(|ty| plan.modules.get(ty)) {
        areas.push(area.clone());
    }
    let key = (op.method.clone(), op.path.clone());
    if let Some(parameters) = plan.operation_parameters.get(&key) {
        areas.push(plan.parameters[parameters].module.0.clone());
    }
    areas
}

/// The documented path, and for a function with parameters (documented without them)
/// the parameters as the call syntax writes them, each a placeholder.
fn call_path(plan: &Plan<'_>, op: &Operation) -> String {
    if op.kind != OperationKind::Function || op.parameters.is_empty() || op.path.ends_with(')') {
        return op.path.clone();
    }
    let arguments: Vec<String> = op
        .parameters
        .iter()
        .map(|p| {
            let text = !p.collection
                && (Primitive::parse(&p.ty) == Some(Primitive::String) || plan.is_enum(&p.ty));
            if text {
                format!("{0}='{{{0}}}'", p.name)
            } else {
                format!("{0}={{{0}}}", p.name)
            }
        })
        .collect();
    format!("{}({})", op.path, arguments.join(","))
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

    /// Functions are called with their parameters (strings and enums quoted), and the
    /// mock answers each action or function with an empty value of its type.
    #[test]
    fn call_paths_and_empty_replies_follow_the_documented_types() {
        let op = |path: &str, ty: &str, parameters: serde_json::Value| {
            serde_json::json!({
                "method": "GET", "path": path, "type": ty, "status": 200, "kind": "function",
                "name": path.rsplit('/').next(), "parameters": parameters,
                "permissions": {"delegated_work": [], "delegated_personal": [], "application": []},
                "sources": []
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
                ("/r/when", r#"{"value":"0001-01-01T00:00:00Z"}"#),
            ]
        );
    }
}
