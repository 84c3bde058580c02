//! The analysis pass before emitting code: every decision about names, modules and shapes
//! is made here, over the whole schema, so that emitters only print.

mod areas;
mod boxes;
mod operations;

use std::collections::{BTreeMap, BTreeSet};

pub use operations::{OperationPlan, ResourcePlan, Routes, subject};

use crate::naming::{assign, assign_by, field_ident, type_ident, variant_ident};
use crate::schema::{Property, Schema, Type, TypeKind, is_primitive};

/// Names reserved in every struct: the field that keeps unknown properties.
pub const EXTRA_FIELD: &str = "additional_properties";
/// The catch-all variant of every enum.
pub const OTHER_VARIANT: &str = "Other";

/// Everything the emitters need to know about the schema as Rust.
#[derive(Debug)]
pub struct Plan<'s> {
    /// The schema the plan is for.
    pub schema: &'s Schema,
    /// Type name → the type.
    pub types: BTreeMap<&'s str, &'s Type>,
    /// Type name → Rust identifier of its struct or enum.
    pub idents: BTreeMap<String, String>,
    /// Type name → Rust identifier of its polymorphic enum (types with derived types).
    pub any_idents: BTreeMap<String, String>,
    /// Type name → every type derived from it, directly or not, sorted.
    pub derived: BTreeMap<&'s str, Vec<&'s str>>,
    /// Type name → its module (area) and file stem.
    pub modules: BTreeMap<&'s str, (String, String)>,
    /// Type name → its fields (own and inherited), sorted by wire name.
    pub fields: BTreeMap<&'s str, Vec<FieldPlan<'s>>>,
    /// Enum name → (wire member, variant identifier), in documented order.
    pub variants: BTreeMap<&'s str, Vec<(String, String)>>,
    /// Action parameter structs, by Rust identifier.
    pub parameters: BTreeMap<String, ParametersPlan<'s>>,
    /// (method, path) of an action → the identifier of its parameters struct.
    pub operation_parameters: BTreeMap<(String, String), String>,
    /// Type name, or parameters struct identifier → the area features that need it: its
    /// own area and the areas of everything that refers to it. An item is compiled when
    /// any of them is enabled, so a user who needs one area compiles only what it uses.
    pub features: BTreeMap<String, BTreeSet<String>>,
    /// The operations and the handler traits that serve them.
    pub routes: Routes<'s>,
}

/// The Rust items a schema type gives: its struct or enum, and for a base type with
/// derived types, its `Any` enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum TypeItem<'s> {
    Plain(&'s str),
    Any(&'s str),
}

/// The request body of an action: its documented parameters as a struct.
#[derive(Debug)]
pub struct ParametersPlan<'s> {
    /// The action's name.
    pub action: &'s str,
    /// The module (area) and file stem.
    pub module: (String, String),
    /// The fields, sorted by wire name.
    pub fields: Vec<FieldPlan<'s>>,
    /// The pages that document it.
    pub sources: Vec<&'s str>,
    /// The paths it is documented under.
    pub paths: Vec<&'s str>,
}

/// One struct field.
#[derive(Debug)]
pub struct FieldPlan<'s> {
    /// The documented property.
    pub property: &'s Property,
    /// The Rust identifier.
    pub ident: String,
    /// The type that documents it, when inherited from a base type.
    pub inherited_from: Option<&'s str>,
    /// Whether the value is boxed: only where the struct would otherwise contain itself.
    pub boxed: bool,
}

impl<'s> Plan<'s> {
    /// Analyzes a schema.
    pub fn new(schema: &'s Schema) -> Self {
        let mut plan = Plan {
            schema,
            types: schema.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            idents: BTreeMap::new(),
            any_idents: BTreeMap::new(),
            derived: BTreeMap::new(),
            modules: BTreeMap::new(),
            fields: BTreeMap::new(),
            variants: BTreeMap::new(),
            parameters: BTreeMap::new(),
            operation_parameters: BTreeMap::new(),
            features: BTreeMap::new(),
            routes: Routes::default(),
        };
        plan.derived = derived_types(&plan.types);
        // Plain types before `Any` enums: where two names collide, the type keeps its own.
        let mut keys = Vec::new();
        for name in plan.types.keys() {
            keys.push(TypeItem::Plain(name));
            if plan.derived.contains_key(name) {
                keys.push(TypeItem::Any(name));
            }
        }
        let ids = assign_by(
            keys,
            |key| match key {
                TypeItem::Any(name) => format!("Any{}", type_ident(name).trim_start_matches("r#")),
                TypeItem::Plain(name) => type_ident(name),
            },
            &[],
        );
        for (key, ident) in ids {
            match key {
                TypeItem::Any(name) => plan.any_idents.insert(name.to_string(), ident),
                TypeItem::Plain(name) => plan.idents.insert(name.to_string(), ident),
            };
        }
        let mut areas = areas::type_areas(schema);
        for (name, ty) in &plan.types {
            let ident = &plan.idents[*name];
            let module = areas.remove(*name).unwrap_or_default();
            plan.modules
                .insert(name, (module, field_ident(ident.trim_start_matches("r#"))));
            match ty.kind {
                TypeKind::Enum => {
                    let ids = assign(ty.members.iter().cloned(), variant_ident, &[OTHER_VARIANT]);
                    let variants = ty
                        .members
                        .iter()
                        .map(|m| (m.clone(), ids[m].clone()))
                        .collect();
                    plan.variants.insert(name, variants);
                }
                TypeKind::Entity | TypeKind::Complex => {
                    let fields = plan.struct_fields(ty);
                    plan.fields.insert(name, fields);
                }
            }
        }
        plan.plan_boxes();
        plan.plan_parameters(schema);
        plan.plan_features();
        plan.routes = Routes::new(&plan);
        plan
    }

    /// Boxes the struct-typed fields that close a cycle of structs held by value. A type
    /// with derived types is held as its `Any` enum, whose variants are boxed, so only
    /// plain struct fields hold a struct by value.
    fn plan_boxes(&mut self) {
        let mut graph = boxes::ByValue::new();
        for (name, fields) in &self.fields {
            let held = graph.entry(*name).or_default();
            for field in fields {
                let ty = field.property.ty.as_str();
                let struct_ty = self.types.get(ty).filter(|t| t.kind != TypeKind::Enum);
                let by_value = !field.property.collection && !self.derived.contains_key(ty);
                if let Some(t) = struct_ty.filter(|_| by_value) {
                    held.insert(t.name.as_str());
                }
            }
        }
        let components = boxes::components(&graph);
        for (name, fields) in self.fields.iter_mut() {
            for field in fields {
                field.boxed =
                    boxes::needs_box(&graph, &components, name, field.property.ty.as_str());
            }
        }
    }

    /// The Rust identifier a documented type is used by: its `Any` enum when it has
    /// derived types, else its struct or enum; `None` for primitives and unknown types.
    pub fn model_ident(&self, ty: &str) -> Option<&str> {
        self.any_idents
            .get(ty)
            .or_else(|| self.idents.get(ty))
            .map(String::as_str)
    }

    /// Propagates each item's area along "refers to" edges until nothing changes.
    fn plan_features(&mut self) {
        let mut edges: Vec<(String, String)> = Vec::new();
        let mut features: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, (area, _)) in &self.modules {
            features.insert(name.to_string(), BTreeSet::from([area.clone()]));
        }
        for (name, fields) in &self.fields {
            for field in fields {
                if self.types.contains_key(field.property.ty.as_str()) {
                    edges.push((name.to_string(), field.property.ty.clone()));
                }
            }
        }
        for (id, parameters) in &self.parameters {
            features.insert(id.clone(), BTreeSet::from([parameters.module.0.clone()]));
            for field in &parameters.fields {
                if self.types.contains_key(field.property.ty.as_str()) {
                    edges.push((id.clone(), field.property.ty.clone()));
                }
            }
        }
        let mut changed = true;
        while changed {
            changed = false;
            for (from, to) in &edges {
                let needed: Vec<String> =
                    features.get(from).into_iter().flatten().cloned().collect();
                let target = features.entry(to.clone()).or_default();
                for area in needed {
                    changed |= target.insert(area);
                }
            }
        }
        self.features = features;
    }

    /// Every area feature, sorted.
    pub fn areas(&self) -> BTreeSet<String> {
        self.modules
            .values()
            .map(|(area, _)| area.clone())
            .chain(self.parameters.values().map(|p| p.module.0.clone()))
            .collect()
    }

    /// One struct per distinct (action, parameter list); where two actions share a name
    /// but not their parameters, each name is prefixed with the type it is bound to.
    fn plan_parameters(&mut self, schema: &'s Schema) {
        type Signature<'a> = Vec<(&'a str, &'a str, bool)>;
        let mut groups: BTreeMap<(&'s str, Signature<'s>), Vec<&'s crate::schema::Operation>> =
            BTreeMap::new();
        for op in &schema.operations {
            if op.kind != crate::schema::OperationKind::Action || op.parameters.is_empty() {
                continue;
            }
            let signature = op
                .parameters
                .iter()
                .map(|p| (p.name.as_str(), p.ty.as_str(), p.collection))
                .collect();
            groups
                .entry((op.name.as_str(), signature))
                .or_default()
                .push(op);
        }
        let mut per_name: BTreeMap<&str, usize> = BTreeMap::new();
        for (name, _) in groups.keys() {
            *per_name.entry(name).or_default() += 1;
        }
        let mut keys = Vec::new();
        for ((name, _), ops) in &groups {
            let base = if per_name[name] > 1 {
                format!("{}_{name}Parameters", bound_name(&ops[0].path))
            } else {
                format!("{name}Parameters")
            };
            keys.push(base);
        }
        let existing: Vec<&str> = self
            .idents
            .values()
            .chain(self.any_idents.values())
            .map(String::as_str)
            .collect();
        let ids = assign(keys.iter().cloned(), type_ident, &existing);
        for (((name, _), ops), key) in groups.into_iter().zip(keys) {
            let id = ids[&key].clone();
            let first = ops[0];
            let mut by_wire = BTreeMap::new();
            for p in &first.parameters {
                by_wire.entry(p.name.as_str()).or_insert(p);
            }
            let field_ids = assign(
                by_wire.keys().map(|k| k.to_string()),
                field_ident,
                &[EXTRA_FIELD],
            );
            let fields = by_wire
                .into_iter()
                .map(|(wire, property)| FieldPlan {
                    property,
                    ident: field_ids[wire].clone(),
                    inherited_from: None,
                    boxed: false,
                })
                .collect();
            let mut sources: Vec<&str> = ops
                .iter()
                .flat_map(|o| o.sources.iter().map(String::as_str))
                .collect();
            sources.sort();
            sources.dedup();
            for op in &ops {
                self.operation_parameters
                    .insert((op.method.clone(), op.path.clone()), id.clone());
            }
            let module = (
                operation_area(sources.first().copied().unwrap_or_default(), &ops[0].path),
                field_ident(id.trim_start_matches("r#")),
            );
            self.parameters.insert(
                id,
                ParametersPlan {
                    action: name,
                    module,
                    fields,
                    sources,
                    paths: ops.iter().map(|o| o.path.as_str()).collect(),
                },
            );
        }
    }

    /// A type's own properties and those of its base types (nearest first), by wire name.
    fn struct_fields(&self, ty: &'s Type) -> Vec<FieldPlan<'s>> {
        let mut by_wire: BTreeMap<&str, (&'s Property, Option<&'s str>)> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        let mut current = Some(ty);
        while let Some(t) = current {
            if !seen.insert(t.name.as_str()) {
                break; // An inheritance cycle in the docs: stop rather than loop.
            }
            let inherited = (t.name != ty.name).then_some(t.name.as_str());
            for property in &t.properties {
                by_wire
                    .entry(property.name.as_str())
                    .or_insert((property, inherited));
            }
            current = t.base.as_deref().and_then(|b| self.types.get(b).copied());
        }
        let ids = assign(
            by_wire.keys().map(|k| k.to_string()),
            field_ident,
            &[EXTRA_FIELD],
        );
        by_wire
            .into_iter()
            .map(|(wire, (property, inherited_from))| FieldPlan {
                property,
                ident: ids[wire].clone(),
                inherited_from,
                boxed: false,
            })
            .collect()
    }

    /// Whether a type name is a struct (entity or complex) of the schema.
    pub fn is_struct(&self, name: &str) -> bool {
        self.types
            .get(name)
            .is_some_and(|t| t.kind != TypeKind::Enum)
    }

    /// Whether an enum is a flag enum, whose values are sets of members ("a,b"): its page
    /// says so ("Flag enum"), or its documented values are distinct powers of two (and
    /// perhaps 0) reaching at least 4, which only combine as bits.
    pub fn is_flags(&self, name: &str) -> bool {
        let Some(ty) = self.types.get(name).filter(|t| t.kind == TypeKind::Enum) else {
            return false;
        };
        let said = ty.description.to_ascii_lowercase();
        if said.contains("flag enum") || said.contains("flags enum") {
            return true;
        }
        let values: Option<Vec<i64>> = ty.member_details.iter().map(|m| m.value).collect();
        let Some(values) = values.filter(|v| v.len() == ty.members.len()) else {
            return false;
        };
        let bits: BTreeSet<i64> = values.iter().copied().filter(|v| *v != 0).collect();
        bits.len() >= 3
            && bits.len() == values.iter().filter(|v| **v != 0).count()
            && bits.iter().all(|v| *v > 0 && (*v as u64).is_power_of_two())
            && bits.last().is_some_and(|max| *max >= 4)
    }

    /// Whether a type name is an enum of the schema.
    pub fn is_enum(&self, name: &str) -> bool {
        self.types
            .get(name)
            .is_some_and(|t| t.kind == TypeKind::Enum)
    }

    /// Whether a type name is documented at all (a schema type or an EDM primitive).
    pub fn is_known(&self, name: &str) -> bool {
        is_primitive(name) || self.types.contains_key(name)
    }
}

/// The area of an operation or action that no typed resource places: its Intune page's,
/// else its path's, else `common`.
pub fn operation_area(page: &str, path: &str) -> String {
    areas::intune_page_area(page)
        .or_else(|| areas::path_area(path))
        .unwrap_or_else(|| areas::COMMON.to_string())
}

/// The type an action is bound to, from its path: the segment before the action name
/// (`{deviceManagementScriptId}` → `deviceManagementScript`, a cast segment → its type);
/// a key that names nothing (`{id}`, `{id | userPrincipalName}`) is the key of the
/// collection before it (`/groups/{id}/x` → `groups`).
pub fn bound_name(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(last) = segments.len().checked_sub(1) else {
        return String::new();
    };
    last_named(segments[..last].iter().copied())
        // An action at the root (`POST /directoryRoles`) is bound to nothing but itself.
        .unwrap_or_else(|| key_name(segments[last]))
}

/// What the last of `segments` that names something names (see [`key_name`]).
pub(super) fn last_named<'a>(segments: impl DoubleEndedIterator<Item = &'a str>) -> Option<String> {
    segments.rev().map(key_name).find(|name| !name.is_empty())
}

/// What a path segment names: a key's subject (`{deviceCategoryId}`, `{item-id}` →
/// `deviceCategory`, `item`), nothing for a bare key (`{id}`), a cast's type.
fn key_name(segment: &str) -> String {
    let Some(key) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
        return segment.rsplit('.').next().unwrap_or(segment).to_string();
    };
    // `{id | userPrincipalName}` is keyed by `id`; `{id1}`, `{id2}` are numbered `{id}`s.
    let key = key.split('|').next().unwrap_or(key).trim();
    let key = key.trim_end_matches(|c: char| c.is_ascii_digit());
    let lower = key.to_ascii_lowercase();
    let subject = ["-id", "_id", " id", "id"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix).map(|rest| &key[..rest.len()]))
        .unwrap_or(key);
    subject.trim_end_matches(['-', '_', ' ']).to_string()
}

/// Base name → every type that derives from it, directly or through other types.
fn derived_types<'s>(types: &BTreeMap<&'s str, &'s Type>) -> BTreeMap<&'s str, Vec<&'s str>> {
    let mut derived: BTreeMap<&'s str, Vec<&'s str>> = BTreeMap::new();
    for (name, ty) in types {
        if ty.kind == TypeKind::Enum {
            continue;
        }
        let mut seen = BTreeSet::from([*name]);
        let mut base = ty.base.as_deref();
        while let Some(b) = base {
            let Some(base_ty) = types.get(b) else { break };
            if !seen.insert(base_ty.name.as_str()) || base_ty.kind == TypeKind::Enum {
                break;
            }
            derived.entry(base_ty.name.as_str()).or_default().push(name);
            base = base_ty.base.as_deref();
        }
    }
    derived.values_mut().for_each(|list| list.sort());
    derived
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enum_type(name: &str, description: &str, values: &[i64]) -> serde_json::Value {
        let members: Vec<String> = (0..values.len()).map(|i| format!("m{i}")).collect();
        let details: Vec<serde_json::Value> = members
            .iter()
            .zip(values)
            .map(|(m, v)| serde_json::json!({"name": m, "value": v, "description": ""}))
            .collect();
        serde_json::json!({"name": name, "kind": "enum", "base": null, "properties": [],
            "members": members, "description": description, "member_details": details,
            "sources": []})
    }

    #[test]
    fn flag_enums_are_told_by_their_page_or_their_bit_values() {
        let schema: Schema = serde_json::from_value(serde_json::json!({
            "types": [
                enum_type("bits", "", &[0, 1, 2, 4, 8]),
                enum_type("said", "Flag enum of update delays.", &[0, 1, 2]),
                enum_type("counted", "", &[0, 1, 2, 3]),
                enum_type("small", "", &[0, 1, 2]),
            ],
            "operations": []
        }))
        .expect("schema");
        let plan = Plan::new(&schema);
        let flags: Vec<bool> = ["bits", "said", "counted", "small"]
            .iter()
            .map(|t| plan.is_flags(t))
            .collect();
        assert_eq!(flags, [true, true, false, false]);
    }
}
