//! The routes crate: a handler trait per resource, a table of every documented operation,
//! a `Server` that holds the handlers, and a binary serving it as a mock server.
//!
//! Routing is data: each operation is an `OperationInfo` static and a small entry
//! function, collected in one table per resource that the support crate's router
//! dispatches on. Handler traits are object-safe (boxed futures), so nothing is generic
//! over the implementation and every operation is compiled once.

use std::collections::BTreeSet;
use std::path::PathBuf;

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use rayon::prelude::*;

use super::manifest::{self, Package};
use super::plan::{OperationPlan, Plan, ResourcePlan};
use super::{doc_attrs, ident, render};
use crate::examples::{Seed, examples_json};
use crate::schema::{Operation, OperationKind};
use crate::write::FileSet;

/// Where the routes crate goes and what it depends on.
#[derive(Clone, Debug)]
pub struct RoutesConfig {
    /// The crate (and folder) name.
    pub crate_name: String,
    /// The models crate's folder name (a sibling).
    pub models_crate: String,
    /// The support crate's folder, relative to the routes crate's folder (or absolute).
    pub support_path: String,
}

impl Default for RoutesConfig {
    fn default() -> Self {
        RoutesConfig {
            crate_name: "graph-routes".to_string(),
            models_crate: "graph-models".to_string(),
            support_path: "../../crates/graph-support".to_string(),
        }
    }
}

/// Every file of the routes crate, keyed by path relative to the output folder; `seeds`
/// (the documented example objects) go into its `examples.json`.
pub fn emit_routes(plan: &Plan<'_>, config: &RoutesConfig, seeds: &[Seed]) -> FileSet {
    let root = PathBuf::from(&config.crate_name);
    let mut files = FileSet::new();
    files.insert(root.join("Cargo.toml"), cargo_toml(plan, config));
    files.insert(root.join("examples.json"), examples_json(seeds));
    files.insert(root.join("src/lib.rs"), lib_rs());
    files.insert(root.join("src/server.rs"), server_rs(plan));
    // The models crate as a path root: its package name with `_` for `-` (an `Ident` is
    // not `Sync`: each parallel task makes its own).
    let models = config.models_crate.replace('-', "_");
    // Resource files are independent and their formatting dominates: render them in
    // parallel; the BTreeMap puts them back in order.
    let resources: Vec<(PathBuf, String)> = plan
        .routes
        .resources
        .par_iter()
        .map(|(name, resource)| {
            let file = format!("src/handlers/{}.rs", resource.stem.trim_start_matches("r#"));
            let models = ident(&models);
            (
                root.join(file),
                resource_file(plan, &models, name, resource),
            )
        })
        .collect();
    files.extend(resources);
    files.insert(root.join("src/handlers/mod.rs"), handlers_mod(plan));
    files.insert(root.join("src/main.rs"), main_rs(&config.crate_name));
    files
}

/// The `full` feature and one feature per area of the operations, each enabling the
/// models crate's areas its bodies and replies need (shared by the routes and the client
/// crate, so that both offer the same areas).
pub(super) fn area_features(plan: &Plan<'_>, models: &str) -> String {
    let mut needs: std::collections::BTreeMap<&str, BTreeSet<&str>> = Default::default();
    for resource in plan.routes.resources.values() {
        needs
            .entry(resource.area.as_str())
            .or_default()
            .extend(resource.model_areas.iter().map(String::as_str));
    }
    let all: Vec<String> = needs.keys().map(|a| format!("\"{a}\"")).collect();
    let mut features = format!("full = [{}]\n", all.join(", "));
    for (area, model_areas) in &needs {
        let list: Vec<String> = model_areas
            .iter()
            .map(|m| format!("\"{models}/{m}\""))
            .collect();
        features.push_str(&format!("{area} = [{}]\n", list.join(", ")));
    }
    features
}

fn cargo_toml(plan: &Plan<'_>, config: &RoutesConfig) -> String {
    let models = &config.models_crate;
    let features = format!(
        "\n[features]\n# One feature per documented area, enabling the models it needs; `full` is every\n# area, and the default, so that the mock server serves the whole API.\ndefault = [\"full\"]\n{}",
        area_features(plan, models)
    );
    let package = Package {
        name: &config.crate_name,
        description: Some(
            "Microsoft Graph route stubs and an in-memory mock server, generated from the API reference pages.",
        ),
    };
    let dependencies = [
        (
            models.as_str(),
            manifest::path(&format!("../{models}"), &[]),
        ),
        (
            "graph-support",
            manifest::path(&config.support_path, &["server"]),
        ),
        (
            "axum",
            r#"{ version = "0.8", default-features = false, features = ["tokio", "http1"] }"#
                .to_string(),
        ),
        (
            "tokio",
            r#"{ version = "1", features = ["rt-multi-thread", "macros", "net", "signal"] }"#
                .to_string(),
        ),
        ("serde_json", manifest::SERDE_JSON.to_string()),
    ];
    manifest::manifest(package, &dependencies, &features)
}

fn lib_rs() -> String {
    render(quote! {
        //! Microsoft Graph route stubs, generated from the API reference pages.
        //!
        //! Each resource has a handler trait (in [`handlers`]) with one method per documented
        //! operation. A [`Server`] holds the handlers you register and answers every other
        //! operation from an in-memory store, which makes it a working mock server
        //! (`cargo run -p graph-routes -- --listen 127.0.0.1:8080`); [`Server::router`] serves
        //! every documented path. One cargo feature per area, so a user of one area compiles
        //! only its routes.

        #[rustfmt::skip]
        pub mod handlers;
        #[rustfmt::skip]
        mod server;

        pub use server::{Server, route_count};
    })
}

fn handlers_mod(plan: &Plan<'_>) -> String {
    let mods = plan.routes.resources.iter().map(|(name, resource)| {
        let stem = ident(&resource.stem);
        let trait_id = ident(name);
        let area = &resource.area;
        quote! {
            #[cfg(feature = #area)]
            pub mod #stem;
            #[cfg(feature = #area)]
            pub use #stem::#trait_id;
        }
    });
    render(quote! {
        //! One handler trait per resource, with its operations as data.
        #(#mods)*
    })
}

fn server_rs(plan: &Plan<'_>) -> String {
    let resources = &plan.routes.resources;
    let fields = resources.iter().map(|(name, r)| {
        let (field, trait_id, area) = (ident(&r.field), ident(name), &r.area);
        quote! {
            #[cfg(feature = #area)]
            pub(crate) #field: ::std::option::Option<::std::sync::Arc<dyn crate::handlers::#trait_id>>,
        }
    });
    let empty = resources.values().map(|r| {
        let (field, area) = (ident(&r.field), &r.area);
        quote! { #[cfg(feature = #area)] #field: ::std::option::Option::None, }
    });
    let builders = resources.iter().map(|(name, r)| {
        let (field, trait_id, area) = (ident(&r.field), ident(name), &r.area);
        let with = ident(&format!("with_{}", r.field.trim_start_matches("r#")));
        let doc = doc_attrs(&format!(
            "Serves the `{}` operations with `handler`; the methods it leaves unimplemented are answered by the store (501 without one).",
            r.key
        ));
        quote! {
            #doc
            #[cfg(feature = #area)]
            pub fn #with(mut self, handler: impl crate::handlers::#trait_id + 'static) -> Self {
                self.#field = ::std::option::Option::Some(::std::sync::Arc::new(handler));
                self
            }
        }
    });
    let tables = resources.values().map(|r| {
        let (stem, area) = (ident(&r.stem), &r.area);
        quote! { #[cfg(feature = #area)] crate::handlers::#stem::ROUTES, }
    });
    render(quote! {
        //! The server: the registered handlers, the in-memory store, and the route table.
        use ::graph_support::server::{MemoryStore, Route};

        /// Every documented operation, one table per resource.
        static ROUTE_TABLES: &[&[Route<Server>]] = &[#(#tables)*];

        /// The objects of the documented example responses (`examples.json`), read only by
        /// [`Server::seeded_with_examples`].
        static EXAMPLES: &str = include_str!("../examples.json");

        /// How many documented (method, path) pairs the server routes.
        pub fn route_count() -> usize {
            ROUTE_TABLES.iter().map(|table| table.len()).sum()
        }

        /// The handlers of the resources you implement, and the in-memory store that
        /// answers every other documented operation: create answers the documented status
        /// with the stored object and a new `id`, get and list read it back, update merges
        /// (absent untouched, `null` clears), delete answers 204; get, update and delete
        /// answer 404 with a Graph error for an id the store does not hold.
        #[derive(Clone)]
        pub struct Server {
            pub(crate) store: ::std::option::Option<::std::sync::Arc<MemoryStore>>,
            #(#fields)*
        }

        impl ::std::default::Default for Server {
            fn default() -> Self {
                Server::new()
            }
        }

        impl ::std::fmt::Debug for Server {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Server").field("store", &self.store).finish_non_exhaustive()
            }
        }

        impl Server {
            /// A mock server: every operation is answered by the in-memory store until a
            /// handler is registered for its resource.
            pub fn new() -> Self {
                Server { store: ::std::option::Option::Some(::std::default::Default::default()), ..Server::without_store() }
            }

            /// A server without a store: every operation no handler implements answers 501.
            pub fn without_store() -> Self {
                Server {
                    store: ::std::option::Option::None,
                    #(#empty)*
                }
            }

            /// The in-memory store, if the server has one.
            pub fn store(&self) -> ::std::option::Option<&MemoryStore> {
                self.store.as_deref()
            }

            /// Fills the store with the objects of the documented example responses, so that
            /// a GET answers the docs' own example (`GET …/{id}` with the example's `id`); a
            /// list example puts in each of its items. Nothing without a store (nor from an
            /// `examples.json` edited into something that does not read).
            pub fn seeded_with_examples(self) -> Self {
                if let ::std::option::Option::Some(store) = &self.store {
                    let _ = store.seed_json(EXAMPLES);
                }
                self
            }

            #(#builders)*

            /// A router for every documented path; undocumented paths answer 404 and
            /// undocumented methods 405, with Graph error bodies.
            pub fn router(self) -> ::axum::Router {
                ::graph_support::server::router(self, ROUTE_TABLES)
            }
        }
    })
}

/// The Rust type of a model for the routes crate (`graph_models::X`, or JSON).
pub(super) fn model_type(plan: &Plan<'_>, models: &Ident, ty: Option<&str>) -> TokenStream {
    match ty.map(|ty| (ty, plan.model_ident(ty))) {
        Some((_, Some(name))) => {
            let id = ident(name);
            quote! { ::#models::#id }
        }
        Some((ty, None)) if crate::schema::is_primitive(ty) => super::models::primitive_type(ty),
        _ => quote! { ::serde_json::Value },
    }
}

/// Whether an operation writes a link (`POST`, `PUT` or `PATCH` of a `…/$ref` path),
/// whose body is `{"@odata.id": …}` whatever type the link leads to.
pub(super) fn sends_reference(op: &Operation) -> bool {
    matches!(op.method.as_str(), "POST" | "PUT" | "PATCH") && op.path.ends_with("/$ref")
}

/// (request body type, reply type) of an operation, or `None` for no request body.
pub(super) fn signature(
    plan: &Plan<'_>,
    models: &Ident,
    op: &Operation,
) -> (Option<TokenStream>, TokenStream) {
    let model = model_type(plan, models, op.ty.as_deref());
    let body = match op.kind {
        // `POST …/members/$ref` links an entity that exists: its body is a reference.
        _ if sends_reference(op) => Some(quote! { ::graph_support::Reference }),
        OperationKind::Create | OperationKind::Update => Some(model.clone()),
        OperationKind::Action => Some(
            match plan
                .operation_parameters
                .get(&(op.method.clone(), op.path.clone()))
            {
                Some(id) => {
                    let id = ident(id);
                    quote! { ::#models::#id }
                }
                None => quote! { ::serde_json::Value },
            },
        ),
        _ => None,
    };
    let reply = match op.kind {
        OperationKind::Create | OperationKind::Get | OperationKind::Update => model,
        OperationKind::List => quote! { ::graph_support::Collection<#model> },
        // A delete answers 204 without a body.
        OperationKind::Delete => quote! { () },
        OperationKind::Action | OperationKind::Function => action_reply(plan, op, model),
    };
    (body, reply)
}

/// What an action or function answers, as Graph sends it: nothing for 204; a collection
/// in a `value` envelope; a primitive or an enum in a `value` envelope too
/// (`{"value": true}`); an object as itself; JSON when the docs name no type.
fn action_reply(plan: &Plan<'_>, op: &Operation, model: TokenStream) -> TokenStream {
    let Some(ty) = op.ty.as_deref().filter(|_| op.status != 204) else {
        return if op.status == 204 {
            quote! { () }
        } else {
            quote! { ::serde_json::Value }
        };
    };
    if op.returns_collection {
        quote! { ::graph_support::Collection<#model> }
    } else if crate::schema::is_primitive(ty) || plan.is_enum(ty) {
        // Graph wraps a primitive or enum reply: `{"value": "notConfigured"}`.
        quote! { ::graph_support::Value<#model> }
    } else if plan.model_ident(ty).is_some() {
        model
    } else {
        quote! { ::serde_json::Value }
    }
}

/// The signature of a trait method serving several operations (one name, several
/// documented paths): each part as they all have it, or JSON where they disagree.
fn group_signature(
    plan: &Plan<'_>,
    models: &Ident,
    ops: &[&Operation],
) -> (Option<TokenStream>, TokenStream) {
    let signatures: Vec<(Option<TokenStream>, TokenStream)> =
        ops.iter().map(|op| signature(plan, models, op)).collect();
    let (first_body, first_reply) = signatures[0].clone();
    let text = |t: &TokenStream| t.to_string();
    let same_body = signatures
        .iter()
        .all(|(b, _)| b.as_ref().map(text) == first_body.as_ref().map(text));
    let same_reply = signatures
        .iter()
        .all(|(_, r)| text(r) == text(&first_reply));
    let body = match first_body {
        Some(_) if !same_body => Some(quote! { ::serde_json::Value }),
        other => other,
    };
    let reply = if same_reply {
        first_reply
    } else {
        quote! { ::serde_json::Value }
    };
    (body, reply)
}

/// A resource's file: its handler trait, its operations as statics, their entry
/// functions and its route table.
fn resource_file(plan: &Plan<'_>, models: &Ident, name: &str, resource: &ResourcePlan) -> String {
    let operations = &plan.routes.operations;
    let trait_id = ident(name);
    let doc = doc_attrs(&format!(
        "The documented operations on `{}`. A method not implemented answers from the server's in-memory store, or 501 without one.",
        resource.key
    ));
    let mut methods = Vec::new();
    let mut statics = Vec::new();
    let mut entries = Vec::new();
    let mut table = Vec::new();
    for (method, indexes) in &resource.methods {
        let ops: Vec<&OperationPlan<'_>> = indexes.iter().map(|i| &operations[*i]).collect();
        let all: Vec<&Operation> = ops.iter().map(|o| o.op).collect();
        // One signature per method, for its trait method and every entry calling it.
        let (body, reply) = group_signature(plan, models, &all);
        methods.push(trait_method(method, &ops, body.as_ref(), &reply));
        // Every path of a method calls it the same way: one entry serves them all, named
        // by the first, so a resource documented under several paths compiles it once.
        entries.push(entry_fn(ops[0], resource, method, body.as_ref()));
        let entry = ident(&ops[0].entry);
        for planned in &ops {
            let info = ident(&planned.info);
            statics.push(operation_static(planned));
            table.push(quote! { Route { operation: &#info, call: #entry }, });
        }
    }
    let file = quote! {
        //! One resource: its handler trait, its operations as data, and their entries.
        use ::graph_support::server::{Bytes, Context, OperationInfo, Pending, Permissions, Route, Served};

        #doc
        pub trait #trait_id: Send + Sync {
            #(#methods)*
        }

        #(#statics)*

        /// The routes of this resource.
        pub(crate) static ROUTES: &[Route<crate::Server>] = &[#(#table)*];

        #(#entries)*
    };
    render(file)
}

fn trait_method(
    method: &str,
    ops: &[&OperationPlan<'_>],
    body: Option<&TokenStream>,
    reply: &TokenStream,
) -> TokenStream {
    let op = ops[0].op;
    let mid = ident(method);
    let paths: Vec<String> = ops
        .iter()
        .map(|o| format!("`{} {}`", o.op.method, o.op.path))
        .collect();
    let what = match op.kind {
        OperationKind::Action | OperationKind::Function => {
            format!("{} `{}`", op.kind.title(), op.name)
        }
        kind => kind.title().to_string(),
    };
    let docs = doc_attrs(&format!(
        "{what}: {}. Documented status {}.",
        paths.join(", "),
        op.status
    ));
    let params = body.map(|b| quote! { , body: #b });
    let ignore = body.map(|_| quote! { let _ = body; });
    quote! {
        #docs
        fn #mid(&self, cx: Context #params) -> Pending<'_, #reply> {
            #ignore
            ::graph_support::server::not_implemented(cx)
        }
    }
}

/// A handler method's entry: checks the body against its model (400 naming the
/// property), then lets the registered handler or the store answer.
fn entry_fn(
    planned: &OperationPlan<'_>,
    resource: &ResourcePlan,
    method: &str,
    body: Option<&TokenStream>,
) -> TokenStream {
    let (entry, field, mid) = (ident(&planned.entry), ident(&resource.field), ident(method));
    let (parse, call) = match body {
        Some(model) => (
            quote! { let parsed = ::graph_support::server::parse_body::<#model>(&body)?; },
            quote! { handler.#mid(cx.clone(), parsed) },
        ),
        None => (quote! {}, quote! { handler.#mid(cx.clone()) }),
    };
    quote! {
        fn #entry(server: &crate::Server, cx: Context, body: Bytes) -> Served<'_> {
            #parse
            let store = server.store.as_deref();
            let ::std::option::Option::Some(handler) = &server.#field else {
                return ::std::result::Result::Ok(::graph_support::server::fallback(store, cx, body));
            };
            ::std::result::Result::Ok(::graph_support::server::serve(#call, store, cx, body))
        }
    }
}

fn operation_static(planned: &OperationPlan<'_>) -> TokenStream {
    let op = planned.op;
    let id = ident(&planned.info);
    let kind = op.kind.as_str();
    let (name, method, status, path) = (&op.name, &op.method, op.status, &op.path);
    let empty_reply = &planned.empty_reply;
    let collection = op.returns_collection;
    let list = |scopes: &[String]| quote! { &[#(#scopes),*] };
    let (work, personal, application) = (
        list(&op.permissions.delegated_work),
        list(&op.permissions.delegated_personal),
        list(&op.permissions.application),
    );
    let doc = format!(" `{method} {path}` (operation `{}`)", planned.id);
    quote! {
        #[doc = #doc]
        pub static #id: OperationInfo = OperationInfo {
            kind: #kind,
            name: #name,
            method: #method,
            status: #status,
            returns_collection: #collection,
            path: #path,
            empty_reply: #empty_reply,
            permissions: Permissions {
                delegated_work: #work,
                delegated_personal: #personal,
                application: #application,
            },
        };
    }
}

fn main_rs(crate_name: &str) -> String {
    let routes = ident(&crate_name.replace('-', "_"));
    let usage = format!("usage: {crate_name} [--listen ADDRESS:PORT] [--seed-examples]");
    let doc = format!(" The mock Graph server: `{crate_name} --listen 127.0.0.1:8080`; with");
    let doc_more = " `--seed-examples` its store starts with the documented example objects.";
    render(quote! {
        #![doc = #doc]
        #![doc = #doc_more]

        const USAGE: &str = #usage;

        // The crate root is formatted by `cargo fmt`; the generated body must stay as
        // generated so that `cargo xtask codegen --check` agrees.
        #[rustfmt::skip]
        #[tokio::main]
        async fn main() -> ::std::process::ExitCode {
            let mut listen = String::from("127.0.0.1:8080");
            let mut seed = false;
            let mut args = std::env::args().skip(1);
            while let Some(arg) = args.next() {
                let understood = match arg.as_str() {
                    "--listen" => args.next().map(|address| listen = address).is_some(),
                    "--seed-examples" => {
                        seed = true;
                        true
                    }
                    _ => false,
                };
                if !understood {
                    eprintln!("{USAGE}");
                    return ::std::process::ExitCode::from(2);
                }
            }
            let listener = match tokio::net::TcpListener::bind(&listen).await {
                Ok(listener) => listener,
                Err(e) => {
                    eprintln!("error: cannot listen on {listen}: {e}");
                    return ::std::process::ExitCode::FAILURE;
                }
            };
            let address = listener.local_addr().map(|a| a.to_string()).unwrap_or(listen);
            let server = #routes::Server::new();
            let (server, seeded) = if seed {
                (server.seeded_with_examples(), ", seeded with the documented examples")
            } else {
                (server, "")
            };
            println!("graph mock server listening on http://{address} ({} routes{seeded})", #routes::route_count());
            let app = server.router();
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            match axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                Ok(()) => ::std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ::std::process::ExitCode::FAILURE
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Actions and functions answer what their docs say, as Graph sends it.
    #[test]
    fn action_and_function_replies_are_typed() {
        let op = |path: &str, kind: &str, ty: Option<&str>, status: u16, collection: bool| {
            serde_json::json!({
                "method": if kind == "function" { "GET" } else { "POST" },
                "path": path, "type": ty, "status": status, "kind": kind,
                "name": path.rsplit('/').next(), "returns_collection": collection,
                "permissions": {"delegated_work": [], "delegated_personal": [], "application": []},
                "sources": []
            })
        };
        let schema: crate::schema::Schema = serde_json::from_value(serde_json::json!({
            "types": [{"name": "summary", "kind": "complex", "base": null, "properties": [],
                       "members": [], "description": "", "sources": []}],
            "operations": [
                op("/a/getSummary", "function", Some("summary"), 200, false),
                op("/a/getSummaries", "function", Some("summary"), 200, true),
                op("/a/isReady", "function", Some("Boolean"), 200, false),
                op("/a/wipe", "action", None, 204, false),
                op("/a/undocumented", "action", None, 200, false),
            ]
        }))
        .expect("schema");
        let plan = Plan::new(&schema);
        let models = ident("graph_models");
        let replies: Vec<String> = schema
            .operations
            .iter()
            .map(|op| signature(&plan, &models, op).1.to_string().replace(' ', ""))
            .collect();
        assert_eq!(
            replies,
            [
                "::graph_models::Summary",
                "::graph_support::Collection<::graph_models::Summary>",
                "::graph_support::Value<bool>",
                "()",
                "::serde_json::Value",
            ]
        );
    }

    /// A `$ref` write sends a link, whatever the type the page names; reading links does
    /// not.
    #[test]
    fn a_ref_write_sends_a_reference() {
        let op = |method: &str, kind: &str| {
            serde_json::json!({
                "method": method, "path": "/groups/{id}/members/$ref", "type": "directoryObject",
                "status": 204, "kind": kind, "name": kind,
                "permissions": {"delegated_work": [], "delegated_personal": [], "application": []},
                "sources": []
            })
        };
        let schema: crate::schema::Schema = serde_json::from_value(serde_json::json!({
            "types": [{"name": "directoryObject", "kind": "entity", "base": null,
                       "properties": [], "members": [], "description": "", "sources": []}],
            "operations": [op("POST", "create"), op("GET", "list"), op("DELETE", "delete")]
        }))
        .expect("schema");
        let plan = Plan::new(&schema);
        let models = ident("graph_models");
        let bodies: Vec<Option<String>> = schema
            .operations
            .iter()
            .map(|op| {
                let body = signature(&plan, &models, op).0;
                body.map(|b| b.to_string().replace(' ', ""))
            })
            .collect();
        assert_eq!(
            bodies,
            [Some("::graph_support::Reference".to_string()), None, None]
        );
    }
}
