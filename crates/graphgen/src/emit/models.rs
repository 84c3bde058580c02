//! The models crate: one Rust type per schema type, one file per type, one module per area.

use std::path::PathBuf;

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, quote};
use rayon::prelude::*;

use super::manifest::{self, Package};
use super::plan::{EXTRA_FIELD, FieldPlan, OTHER_VARIANT, ParametersPlan, Plan};
use super::{doc_attrs, ident, render};
use crate::schema::{Type, TypeKind};
use crate::write::FileSet;

/// Where the models crate goes and what it depends on.
#[derive(Clone, Debug)]
pub struct ModelsConfig {
    /// The crate (and folder) name.
    pub crate_name: String,
    /// The support crate's folder, relative to the models crate's folder (or absolute).
    pub support_path: String,
}

impl Default for ModelsConfig {
    fn default() -> Self {
        ModelsConfig {
            crate_name: "graph-models".to_string(),
            support_path: "../../crates/graph-support".to_string(),
        }
    }
}

/// Every file of the models crate, keyed by path relative to the output folder.
pub fn emit_models(plan: &Plan<'_>, config: &ModelsConfig) -> FileSet {
    let root = PathBuf::from(&config.crate_name);
    let mut files = FileSet::new();
    files.insert(root.join("Cargo.toml"), cargo_toml(config, &plan.areas()));
    // Area → (file stem, the item's features) of the types and parameter structs in it.
    let mut areas: std::collections::BTreeMap<&str, Vec<AreaItem<'_>>> = Default::default();
    for (name, (area, stem)) in &plan.modules {
        areas
            .entry(area.as_str())
            .or_default()
            .push((stem, plan.features.get(*name)));
    }
    // Formatting dominates emission and every file is independent: render in parallel;
    // the BTreeMap puts them back in order.
    let rendered: Vec<(PathBuf, String)> = plan
        .modules
        .par_iter()
        .map(|(name, (area, stem))| {
            // A module named by a raw identifier (`r#type`) lives in `type.rs`.
            let path = root.join(format!("src/{area}/{}.rs", stem.trim_start_matches("r#")));
            (path, type_file(plan, plan.types[name]))
        })
        .collect();
    files.extend(rendered);
    for (id, parameters) in &plan.parameters {
        let (area, stem) = &parameters.module;
        areas
            .entry(area.as_str())
            .or_default()
            .push((stem, plan.features.get(id)));
    }
    let parameters: Vec<(PathBuf, String)> = plan
        .parameters
        .par_iter()
        .map(|(id, parameters)| {
            let (area, stem) = &parameters.module;
            let path = root.join(format!("src/{area}/{}.rs", stem.trim_start_matches("r#")));
            (path, parameters_file(plan, id, parameters))
        })
        .collect();
    files.extend(parameters);
    let namespaces = super::namespaces::namespaces_rs(plan);
    files.insert(
        root.join("src/lib.rs"),
        lib_rs(&areas, namespaces.is_some()),
    );
    if let Some(namespaces) = namespaces {
        files.insert(root.join("src/namespaces.rs"), namespaces);
    }
    for (area, items) in &mut areas {
        items.sort();
        files.insert(
            root.join(format!("src/{area}/mod.rs")),
            area_mod(area, items),
        );
    }
    files
}

fn cargo_toml(config: &ModelsConfig, areas: &std::collections::BTreeSet<String>) -> String {
    let mut features = String::from(
        "\n[features]\n# One feature per documented area; `full` is every area. Nothing by default, so\n# a user compiles only the areas they name.\ndefault = []\n",
    );
    let list: Vec<String> = areas.iter().map(|a| format!("\"{a}\"")).collect();
    features.push_str(&format!("full = [{}]\n", list.join(", ")));
    for area in areas {
        features.push_str(&format!("{area} = []\n"));
    }
    let package = Package {
        name: &config.crate_name,
        description: Some("Microsoft Graph models, generated from the API reference pages."),
    };
    let dependencies = [
        ("graph-support", manifest::path(&config.support_path, &[])),
        ("serde", "\"1\"".to_string()),
        ("serde_json", manifest::SERDE_JSON.to_string()),
        ("chrono", manifest::CHRONO.to_string()),
    ];
    manifest::manifest(package, &dependencies, &features)
}

/// `#[cfg(any(feature = "a", …))]` for an item needed by those areas.
pub(super) fn gate(features: Option<&std::collections::BTreeSet<String>>) -> TokenStream {
    let names: Vec<&String> = features.into_iter().flatten().collect();
    match names.as_slice() {
        [one] => quote! { #[cfg(feature = #one)] },
        _ => quote! { #[cfg(any(#(feature = #names),*))] },
    }
}

/// The area features an item is needed by.
type Features = std::collections::BTreeSet<String>;
/// An item of an area module: its file stem and its features.
type AreaItem<'a> = (&'a str, Option<&'a Features>);
type AreaItems<'a> = [AreaItem<'a>];

fn lib_rs(
    areas: &std::collections::BTreeMap<&str, Vec<AreaItem<'_>>>,
    has_namespaces: bool,
) -> String {
    let mods = areas.iter().map(|(area, items)| {
        let id = ident(area);
        let doc = format!(
            " The `{area}` area (cargo feature `{area}`): {} item{}.",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        );
        // The module is compiled when any of its items is.
        let needed: std::collections::BTreeSet<String> = items
            .iter()
            .flat_map(|(_, f)| f.iter().flat_map(|set| set.iter().cloned()))
            .collect();
        let cfg = gate(Some(&needed));
        quote! {
            #[doc = #doc]
            #cfg
            #[rustfmt::skip]
            pub mod #id;
            #cfg
            pub use #id::*;
        }
    });
    let namespaces = has_namespaces.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod namespaces;
        }
    });
    let file = quote! {
        //! Microsoft Graph models, generated from the API reference pages.
        //!
        //! Every property is a [`graph_support::Field`] (absent, `null` or a value), and every
        //! struct keeps the properties the docs do not list in `additional_properties`, so a
        //! body survives a round trip unchanged. Enums keep values the docs do not list in
        //! their `Other` variant.
        #(#mods)*
        #namespaces
    };
    render(file)
}

fn area_mod(area: &str, items: &AreaItems<'_>) -> String {
    let mods = items.iter().map(|(stem, features)| {
        let id = ident(stem);
        let cfg = gate(*features);
        // The `planner` type in the `planner` area: a file named as its module is right
        // here, each type having its own file.
        let inception = (*stem == area).then(|| quote! { #[allow(clippy::module_inception)] });
        quote! {
            #cfg
            #inception
            mod #id;
            #cfg
            pub use #id::*;
        }
    });
    render(quote! { #(#mods)* })
}

fn type_file(plan: &Plan<'_>, ty: &Type) -> String {
    let items = match ty.kind {
        TypeKind::Enum => enum_item(plan, ty),
        TypeKind::Entity | TypeKind::Complex => {
            let mut items = struct_item(plan, ty);
            if plan.derived.contains_key(ty.name.as_str()) {
                items.extend(any_item(plan, ty));
            }
            items
        }
    };
    render(items)
}

/// Documentation shared by every type: its description and where it is documented.
fn type_docs(ty: &Type, ident: &str) -> TokenStream {
    let mut text = String::new();
    if !ty.description.is_empty() {
        text.push_str(&ty.description);
        text.push_str("\n\n");
    }
    let kind = match ty.kind {
        TypeKind::Entity => "entity type",
        TypeKind::Complex => "complex type",
        TypeKind::Enum => "enum type",
    };
    text.push_str(&format!("The `{}` {kind}", ty.name));
    if ident.trim_start_matches("r#") != crate::naming::upper_camel(&ty.name) {
        text.push_str(&format!(
            " (named `{}` in Rust)",
            ident.trim_start_matches("r#")
        ));
    }
    if let Some(base) = &ty.base {
        text.push_str(&format!(", derived from `{base}`"));
    }
    text.push_str(". Documented on: ");
    text.push_str(
        &ty.sources
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    text.push('.');
    doc_attrs(&text)
}

fn struct_item(plan: &Plan<'_>, ty: &Type) -> TokenStream {
    let name = &plan.idents[&ty.name];
    let docs = type_docs(ty, name);
    struct_tokens(plan, (name, &ty.name), docs, &plan.fields[ty.name.as_str()])
}

/// The request body of an action.
fn parameters_file(plan: &Plan<'_>, id: &str, parameters: &ParametersPlan<'_>) -> String {
    let text = format!(
        "The parameters of the `{}` action, sent as its request body to {}. Documented on: {}.",
        parameters.action,
        code_list(&parameters.paths),
        code_list(&parameters.sources),
    );
    render(struct_tokens(
        plan,
        (id, parameters.action),
        doc_attrs(&text),
        &parameters.fields,
    ))
}

/// `` `a`, `b` `` for a list of names.
fn code_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    quoted.join(", ")
}

/// A struct of `Field`s with the unknown properties kept, and its serde impls through
/// `graph_support::Object` (a `match` on the property name, no `flatten`).
fn struct_tokens(
    plan: &Plan<'_>,
    (name, wire_name): (&str, &str),
    docs: TokenStream,
    fields: &[FieldPlan<'_>],
) -> TokenStream {
    let id = ident(name);
    let extra = ident(EXTRA_FIELD);
    let decls = fields.iter().map(|field| {
        let fid = ident(&field.ident);
        let inner = field_type(plan, field);
        let docs = doc_attrs(&field_docs(field));
        quote! {
            #docs
            pub #fid: ::graph_support::Field<#inner>,
        }
    });
    let reads = fields.iter().map(|field| {
        let (wire, fid) = (&field.property.name, ident(&field.ident));
        quote! { #wire => ::graph_support::object::read_field(&mut self.#fid, map), }
    });
    let writes = fields.iter().map(|field| {
        let (wire, fid) = (&field.property.name, ident(&field.ident));
        quote! { .field(#wire, &self.#fid) }
    });
    // One call per property, no `?` (a match and a conversion each): the properties'
    // code was half of what the models crate cost to compile.
    // `match` with only a wildcard arm reads badly; an empty struct has no reads.
    let read_body = if fields.is_empty() {
        quote! { let _ = (key, map); ::std::result::Result::Ok(false) }
    } else {
        quote! {
            match key {
                #(#reads)*
                _ => ::std::result::Result::Ok(false),
            }
        }
    };
    let write_body = if fields.is_empty() {
        quote! { let _ = map; ::std::result::Result::Ok(()) }
    } else {
        quote! { ::graph_support::object::Properties::new(map) #(#writes)* .finish() }
    };
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #id {
            #(#decls)*
            /// Properties the docs do not list, `@odata.type` and other annotations among them.
            pub #extra: ::graph_support::Extra,
        }

        impl ::graph_support::Object for #id {
            const NAME: &'static str = #wire_name;

            fn read_property<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> ::std::result::Result<bool, A::Error> {
                #read_body
            }

            fn write_properties<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> ::std::result::Result<(), M::Error> {
                #write_body
            }

            fn extra(&self) -> &::graph_support::Extra {
                &self.#extra
            }

            fn extra_mut(&mut self) -> &mut ::graph_support::Extra {
                &mut self.#extra
            }
        }

        impl ::serde::Serialize for #id {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::graph_support::object::serialize_object(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #id {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::graph_support::object::deserialize_object(deserializer)
            }
        }
    }
}

/// A field's docs: its description, wire name, documented type and origin.
fn field_docs(field: &FieldPlan<'_>) -> String {
    let property = field.property;
    let mut text = property.description.clone();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("Wire name `{}`", property.name));
    text.push_str(&format!(
        ", type `{}{}`",
        property.ty,
        if property.collection {
            " collection"
        } else {
            ""
        }
    ));
    if property.relationship {
        text.push_str(", a relationship");
    }
    if let Some(from) = field.inherited_from {
        text.push_str(&format!(", inherited from `{from}`"));
    }
    text.push('.');
    text
}

/// The polymorphic enum of a base type: deserializes to the derived type its
/// `@odata.type` names, falling back to the base type. Variants are boxed: the types
/// differ widely in size, and a box keeps every cycle through the enum finite.
fn any_item(plan: &Plan<'_>, ty: &Type) -> TokenStream {
    let any = ident(&plan.any_idents[&ty.name]);
    let base = ident(&plan.idents[&ty.name]);
    let derived = &plan.derived[ty.name.as_str()];
    // A derived type compiled out (its areas not enabled) drops out of the enum; its
    // objects then come back as the base type, with nothing lost.
    let variants: Vec<(String, Ident, TokenStream)> = derived
        .iter()
        .map(|d| {
            (
                crate::naming::wire_type_name(d),
                ident(&plan.idents[*d]),
                gate(plan.features.get(*d)),
            )
        })
        .collect();
    let decls = variants.iter().map(|(wire, id, cfg)| {
        let doc = format!(" A `{wire}`.");
        quote! { #[doc = #doc] #cfg #id(::std::boxed::Box<crate::#id>), }
    });
    let arms_de = variants.iter().map(|(wire, id, cfg)| {
        quote! { #cfg ::std::option::Option::Some(#wire) => ::serde_json::from_value(value).map(|v| #any::#id(::std::boxed::Box::new(v))), }
    });
    // A derived value says what it is: Graph reads an object without `@odata.type` as
    // the base type.
    let arms_ser = variants.iter().map(|(wire, id, cfg)| {
        let tag = format!("#microsoft.graph.{wire}");
        quote! { #cfg #any::#id(inner) => ::graph_support::object::serialize_derived(&**inner, #tag, serializer), }
    });
    let doc = doc_attrs(&format!(
        "A `{}` or any type derived from it, chosen by `@odata.type` (an unknown or missing \
         `@odata.type` gives the base type, with nothing lost).",
        ty.name
    ));
    let base_doc = format!(
        " A `{}`, or a derived type these docs do not list.",
        ty.name
    );
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #any {
            #[doc = #base_doc]
            #base(::std::boxed::Box<crate::#base>),
            #(#decls)*
        }

        impl ::std::default::Default for #any {
            fn default() -> Self {
                #any::#base(::std::default::Default::default())
            }
        }

        impl #any {
            /// Reads a JSON object as the type its `@odata.type` names. Not generic, so
            /// the dispatch is compiled once, whatever the input format.
            pub fn from_json(value: ::serde_json::Value) -> ::std::result::Result<Self, ::serde_json::Error> {
                match ::graph_support::odata_type(&value) {
                    #(#arms_de)*
                    _ => ::serde_json::from_value(value).map(|v| #any::#base(::std::boxed::Box::new(v))),
                }
            }
        }

        impl ::serde::Serialize for #any {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #any::#base(inner) => inner.serialize(serializer),
                    #(#arms_ser)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #any {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #any::from_json(value).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    }
}

fn enum_item(plan: &Plan<'_>, ty: &Type) -> TokenStream {
    let name = &plan.idents[&ty.name];
    let id = ident(name);
    let docs = type_docs(ty, name);
    let other = ident(OTHER_VARIANT);
    let variants = &plan.variants[ty.name.as_str()];
    let decls = variants.iter().map(|(wire, variant)| {
        let detail = ty.member_details.iter().find(|m| &m.name == wire);
        let mut text = detail.map(|d| d.description.clone()).unwrap_or_default();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("Wire value `{wire}`"));
        if let Some(value) = detail.and_then(|d| d.value) {
            text.push_str(&format!(" (documented value {value})"));
        }
        text.push('.');
        let docs = doc_attrs(&text);
        let v = ident(variant);
        quote! { #docs #v, }
    });
    let from = variants.iter().map(|(wire, variant)| {
        let v = ident(variant);
        quote! { #wire => #id::#v, }
    });
    let to = variants.iter().map(|(wire, variant)| {
        let v = ident(variant);
        quote! { #id::#v => #wire, }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #id {
            #(#decls)*
            /// A value the docs do not list, kept as it came.
            #other(::std::string::String),
        }

        impl ::graph_support::WireEnum for #id {
            fn from_wire(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => #id::#other(other.to_string()),
                }
            }

            fn as_wire(&self) -> &str {
                match self {
                    #(#to)*
                    #id::#other(other) => other,
                }
            }
        }

        impl ::serde::Serialize for #id {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::graph_support::serialize_enum(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #id {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::graph_support::deserialize_enum(deserializer)
            }
        }
    }
}

/// The Rust type of a field's value (inside the `Field`).
fn field_type(plan: &Plan<'_>, field: &FieldPlan<'_>) -> TokenStream {
    let property = field.property;
    let element = element_type(plan, &property.ty);
    if plan.is_flags(&property.ty) {
        // A flag enum's value is a set of members, written "a,b".
        let flags = quote! { ::graph_support::Flags<#element> };
        if property.collection {
            quote! { ::std::vec::Vec<#flags> }
        } else {
            flags
        }
    } else if property.collection {
        quote! { ::std::vec::Vec<#element> }
    } else if field.boxed {
        // The struct would otherwise contain itself: a box keeps its size finite.
        quote! { ::std::boxed::Box<#element> }
    } else {
        element
    }
}

/// The Rust type of one value of documented type `ty`.
pub fn element_type(plan: &Plan<'_>, ty: &str) -> TokenStream {
    match plan.model_ident(ty) {
        Some(name) => {
            let id = ident(name);
            quote! { crate::#id }
        }
        None => primitive_type(ty),
    }
}

/// The EDM primitive types as Rust types; anything undocumented is kept as JSON.
pub(crate) fn primitive_type(ty: &str) -> TokenStream {
    // The paths in the primitive table all parse (a unit test there checks it).
    syn::parse_str::<syn::Type>(super::primitive_path(ty)).map_or_else(
        |_| quote! { ::serde_json::Value },
        |ty| ty.to_token_stream(),
    )
}
