//! The compile-cost baseline: what a user would write by hand for the same schema, every
//! type as one plain `#[derive(Serialize, Deserialize)]` struct or enum with `Option`
//! fields, in one file. `cargo xtask bench --compile` measures the generated crates
//! against it; it is never written into `generated/`.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::manifest::{self, Package};
use super::plan::{FieldPlan, Plan};
use super::{ident, render};
use crate::schema::{Primitive, TypeKind};
use crate::write::FileSet;

/// The baseline crate (`baseline/`), depending on the support crate at `support_path`
/// for the EDM types the models use too (`Base64`, `IsoDuration`).
pub fn emit_baseline(plan: &Plan<'_>, support_path: &str) -> FileSet {
    let items = plan.types.values().map(|ty| {
        let name = ident(&plan.idents[&ty.name]);
        match ty.kind {
            TypeKind::Enum => {
                let variants = plan.variants[ty.name.as_str()].iter().map(|(wire, v)| {
                    let v = ident(v);
                    quote! { #[serde(rename = #wire)] #v, }
                });
                quote! {
                    #[derive(Clone, Debug, ::serde::Serialize, ::serde::Deserialize)]
                    pub enum #name { #(#variants)* }
                }
            }
            TypeKind::Entity | TypeKind::Complex => {
                plain_struct(plan, &name, &plan.fields[ty.name.as_str()])
            }
        }
    });
    let parameters = plan
        .parameters
        .iter()
        .map(|(id, p)| plain_struct(plan, &ident(id), &p.fields));
    let items: Vec<TokenStream> = items.chain(parameters).collect();
    let mut files = FileSet::new();
    files.insert(
        PathBuf::from("baseline/src/lib.rs"),
        render(quote! {
            //! Every type as a plain derived serde struct: the compile-cost baseline.
            #![allow(missing_docs, clippy::all)]
            #(#items)*
        }),
    );
    let dependencies = [
        ("graph-support", manifest::path(support_path, &[])),
        (
            "serde",
            r#"{ version = "1", features = ["derive"] }"#.to_string(),
        ),
        ("serde_json", manifest::SERDE_JSON.to_string()),
        ("chrono", manifest::CHRONO.to_string()),
        ("uuid", manifest::UUID.to_string()),
    ];
    let package = Package {
        name: "baseline",
        description: None,
    };
    files.insert(
        PathBuf::from("baseline/Cargo.toml"),
        manifest::manifest(package, &dependencies, ""),
    );
    files
}

fn plain_struct(
    plan: &Plan<'_>,
    name: &proc_macro2::Ident,
    fields: &[FieldPlan<'_>],
) -> TokenStream {
    let fields = fields.iter().map(|field| {
        let property = field.property;
        let wire = &property.name;
        let fid = ident(&field.ident);
        // The base type stands for its derived types: a hand-written crate has no `Any`.
        let element = match plan.idents.get(&property.ty) {
            Some(id) => {
                let id = ident(id);
                quote! { #id }
            }
            None => baseline_primitive(&property.ty),
        };
        let ty = if property.collection {
            quote! { ::std::vec::Vec<#element> }
        } else if plan.is_struct(&property.ty) {
            // Without the cycle analysis a hand-written crate boxes every struct field.
            quote! { ::std::boxed::Box<#element> }
        } else {
            element
        };
        quote! {
            #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
            pub #fid: ::std::option::Option<#ty>,
        }
    });
    quote! {
        #[derive(Clone, Debug, Default, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// What a hand-written crate would use for a primitive: chrono for times (the generated
/// models keep their exact text instead), else what the models use.
fn baseline_primitive(ty: &str) -> TokenStream {
    match Primitive::parse(ty) {
        Some(Primitive::DateTimeOffset) => quote! { ::chrono::DateTime<::chrono::FixedOffset> },
        Some(Primitive::TimeOfDay) => quote! { ::chrono::NaiveTime },
        _ => super::models::primitive_type(ty),
    }
}
