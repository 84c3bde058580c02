//! The models crate's `namespaces` module: Graph's sub-namespaces as Rust modules, each
//! type under its own name in it (`callRecords.segment` → `namespaces::call_records::Segment`).
//!
//! Types stay in their areas under crate-unique names (`CallRecordsSegment`), which is
//! what the crate root, the routes and the client use; this tree only re-exports them,
//! so a sub-namespace whose name is also an area (`security`) or a type of the root
//! namespace with the same short name (`alert` and `security.alert`) collides with
//! nothing.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::models::gate;
use super::plan::Plan;
use super::{ident, render};
use crate::naming::{assign, assign_by, field_ident, type_ident};

/// One module of the tree: its re-exports and its sub-modules.
#[derive(Default)]
struct Module {
    /// (name in the namespace, crate-unique identifier, the type's schema name).
    exports: Vec<(String, String, String)>,
    children: BTreeMap<String, Module>,
}

/// `src/namespaces.rs`, or `None` when no type is in a sub-namespace.
pub(super) fn namespaces_rs(plan: &Plan<'_>) -> Option<String> {
    let mut root = Module::default();
    for (namespace, names) in by_namespace(plan) {
        let module = namespace.split('.').fold(&mut root, |module, segment| {
            module.children.entry(segment.to_string()).or_default()
        });
        module.exports = exports(plan, &names);
    }
    if root.children.is_empty() {
        return None;
    }
    let body = module_items(plan, &root, "microsoft.graph");
    Some(render(quote! {
        //! Graph's sub-namespaces as modules, each type under its name in its namespace:
        //! `microsoft.graph.callRecords.segment` is `namespaces::call_records::Segment`,
        //! the same type as the crate's `CallRecordsSegment`.
        #body
    }))
}

/// Namespace → the schema names of its types (`callRecords` → `callRecords.segment`, …).
fn by_namespace<'s>(plan: &Plan<'s>) -> BTreeMap<&'s str, Vec<&'s str>> {
    let mut namespaces: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for name in plan.types.keys() {
        if let Some((namespace, _)) = name.rsplit_once('.') {
            namespaces.entry(namespace).or_default().push(name);
        }
    }
    namespaces
}

/// The re-exports of one namespace: every type, and the `Any` enum of each type with
/// derived types, under names unique within the namespace.
fn exports(plan: &Plan<'_>, names: &[&str]) -> Vec<(String, String, String)> {
    let mut keys = Vec::new();
    for name in names {
        let short = name.rsplit('.').next().unwrap_or(name);
        keys.push((
            type_ident(short),
            plan.idents[*name].clone(),
            name.to_string(),
        ));
        if let Some(any) = plan.any_idents.get(*name) {
            let alias = format!("Any{}", type_ident(short).trim_start_matches("r#"));
            keys.push((alias, any.clone(), name.to_string()));
        }
    }
    // Two names that convert alike (`segment`, `Segment`) are told apart by a number.
    assign_by(keys, |(alias, _, _)| alias.clone(), &[])
        .into_iter()
        .map(|((_, target, name), alias)| (alias, target, name))
        .collect()
}

/// The items of a module whose namespace is `namespace`.
fn module_items(plan: &Plan<'_>, module: &Module, namespace: &str) -> TokenStream {
    let exports = module.exports.iter().map(|(alias, target, name)| {
        let cfg = gate(plan.features.get(name));
        let (alias, target) = (ident(alias), ident(target));
        if alias == target {
            quote! { #cfg pub use crate::#target; }
        } else {
            quote! { #cfg pub use crate::#target as #alias; }
        }
    });
    // Two namespaces that convert alike (`callRecords`, `CallRecords`) get a number.
    let ids = assign(module.children.keys().cloned(), field_ident, &[]);
    let children = module.children.iter().map(|(segment, child)| {
        let id = ident(&ids[segment]);
        let namespace = format!("{namespace}.{segment}");
        let doc = format!(" The `{namespace}` namespace.");
        let items = module_items(plan, child, &namespace);
        quote! {
            #[doc = #doc]
            pub mod #id { #items }
        }
    });
    quote! { #(#exports)* #(#children)* }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn complex(name: &str) -> serde_json::Value {
        serde_json::json!({"name": name, "kind": "complex", "base": null, "properties": [],
            "members": [], "description": "", "sources": []})
    }

    #[test]
    fn namespaces_nest_and_names_that_convert_alike_stay_apart() {
        let names = [
            "alert",
            "security.alert",
            "security.Alert",
            "Security.case",
            "partners.billing.azureUsage",
            "partners.partner",
        ];
        let schema: Schema = serde_json::from_value(serde_json::json!({
            "types": names.iter().map(|n| complex(n)).collect::<Vec<_>>(),
            "operations": []
        }))
        .expect("schema");
        let file = namespaces_rs(&Plan::new(&schema)).expect("a namespaces module");
        let uses: Vec<&str> = file
            .lines()
            .filter(|l| l.contains("pub "))
            .map(str::trim)
            .collect();
        assert_eq!(
            uses,
            [
                "pub mod security {",
                "pub use crate::SecurityCase as Case;",
                "pub mod partners {",
                "pub use crate::PartnersPartner as Partner;",
                "pub mod billing {",
                "pub use crate::PartnersBillingAzureUsage as AzureUsage;",
                "pub mod security_2 {",
                "pub use crate::SecurityAlert as Alert;",
                "pub use crate::SecurityAlert2 as Alert2;",
            ]
        );
    }
}
