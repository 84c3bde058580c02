//! The analysis pass before emitting code: every decision about names, modules and shapes
//! is made here, over the whole schema, so that emitters only print.

use std::collections::{BTreeMap, BTreeSet};

use crate::naming::{assign, field_ident, snake_case, type_ident, variant_ident};
use crate::schema::{Property, Schema, Type, TypeKind, is_primitive};

/// Names reserved in every struct: the field that keeps unknown properties.
pub const EXTRA_FIELD: &str = "additional_properties";
/// The catch-all variant of every enum.
pub const OTHER_VARIANT: &str = "Other";

/// Everything the emitters need to know about the schema as Rust.
#[derive(Debug, Default)]
pub struct Plan<'s> {
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
}

impl<'s> Plan<'s> {
    /// Analyzes a schema.
    pub fn new(schema: &'s Schema) -> Self {
        let mut plan = Plan {
            types: schema.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            ..Plan::default()
        };
        plan.derived = derived_types(&plan.types);
        let mut keys = Vec::new();
        for name in plan.types.keys() {
            keys.push(format!("0:{name}"));
            if plan.derived.contains_key(name) {
                keys.push(format!("1:{name}"));
            }
        }
        let ids = assign(
            keys,
            |key| match key.split_once(':') {
                Some(("1", name)) => format!("Any{}", type_ident(name).trim_start_matches("r#")),
                Some((_, name)) => type_ident(name),
                None => type_ident(key),
            },
            &[],
        );
        for (key, ident) in ids {
            match key.split_once(':') {
                Some(("1", name)) => plan.any_idents.insert(name.to_string(), ident),
                Some((_, name)) => plan.idents.insert(name.to_string(), ident),
                None => None,
            };
        }
        for (name, ty) in &plan.types {
            let ident = &plan.idents[*name];
            let module = area(ty);
            plan.modules
                .insert(name, (module, snake_case(ident.trim_start_matches("r#"))));
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
        plan
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
            })
            .collect()
    }

    /// Whether a type name is a struct (entity or complex) of the schema.
    pub fn is_struct(&self, name: &str) -> bool {
        self.types
            .get(name)
            .is_some_and(|t| t.kind != TypeKind::Enum)
    }

    /// Whether a type name is documented at all (a schema type or an EDM primitive).
    pub fn is_known(&self, name: &str) -> bool {
        is_primitive(name) || self.types.contains_key(name)
    }
}

/// The area of a type: `devices` for pages named `intune-devices-…`, else `common`.
pub fn area(ty: &Type) -> String {
    let page = ty
        .sources
        .iter()
        .find(|s| s.contains("resources/"))
        .or_else(|| ty.sources.first());
    page.and_then(|page| {
        let stem = page.rsplit('/').next()?;
        let rest = stem.strip_prefix("intune-")?;
        let area = rest.split('-').next()?;
        (!area.is_empty()).then(|| snake_case(area))
    })
    .map(|a| {
        crate::naming::ident(&a, "a")
            .trim_start_matches("r#")
            .to_string()
    })
    .unwrap_or_else(|| "common".to_string())
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
