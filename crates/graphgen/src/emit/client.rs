//! The client crate: one method per documented operation on a `Client`, each a few lines
//! naming the method and the path template and returning a `graph_support::client::Call`
//! typed with the operation's reply; requests, query options, retries, paging and errors
//! are the support crate's, compiled once.
//!
//! The methods are those of the routes crate's operations (same ids, same areas, same
//! request and reply types), so that a client and the mock server generated from one
//! schema agree by construction.

use std::collections::BTreeSet;
use std::path::PathBuf;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::manifest::{self, Package};
use super::plan::{OperationPlan, Plan};
use super::routes::{area_features, signature};
use super::{doc_attrs, ident, render};
use crate::naming::{assign, field_ident};
use crate::schema::{Operation, OperationKind};
use crate::write::FileSet;

/// Where the client crate goes, what it depends on and which service it calls.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The crate (and folder) name.
    pub crate_name: String,
    /// The models crate's folder name (a sibling).
    pub models_crate: String,
    /// The support crate's folder, relative to the client crate's folder (or absolute).
    pub support_path: String,
    /// The default service root, `https://graph.microsoft.com/beta`.
    pub base_url: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            crate_name: "graph-client".to_string(),
            models_crate: "graph-models".to_string(),
            support_path: "../../crates/graph-support".to_string(),
            base_url: "https://graph.microsoft.com/beta".to_string(),
        }
    }
}

/// Every file of the client crate, keyed by path relative to the output folder.
pub fn emit_client(plan: &Plan<'_>, config: &ClientConfig) -> FileSet {
    let root = PathBuf::from(&config.crate_name);
    let mut files = FileSet::new();
    files.insert(root.join("Cargo.toml"), cargo_toml(plan, config));
    files.insert(root.join("src/lib.rs"), lib_rs(plan, config));
    let models = ident(&config.models_crate.replace('-', "_"));
    let mut mods = Vec::new();
    for resource in plan.routes.resources.values() {
        let indexes: BTreeSet<usize> = resource.methods.values().flatten().copied().collect();
        let methods = indexes
            .iter()
            .map(|i| method(plan, &models, &plan.routes.operations[*i]));
        let file = quote! {
            //! The operations on one resource.
            impl crate::Client {
                #(#methods)*
            }
        };
        let stem = resource.stem.trim_start_matches("r#");
        files.insert(root.join(format!("src/operations/{stem}.rs")), render(file));
        let (stem, area) = (ident(&resource.stem), &resource.area);
        mods.push(quote! {
            #[cfg(feature = #area)]
            mod #stem;
        });
    }
    files.insert(
        root.join("src/operations/mod.rs"),
        render(quote! {
            //! The operations, one file per resource (its handler trait in the routes crate),
            //! each compiled when its area's feature is enabled.
            #(#mods)*
        }),
    );
    files
}

fn cargo_toml(plan: &Plan<'_>, config: &ClientConfig) -> String {
    let models = &config.models_crate;
    let features = format!(
        "\n[features]\n# HTTPS (rustls) by default; one feature per documented area, enabling the models it\n# needs, and `full` for every area. No area is compiled unless enabled.\ndefault = [\"rustls\"]\nrustls = [\"graph-support/rustls\"]\n{}",
        area_features(plan, models)
    );
    let package = Package {
        name: &config.crate_name,
        description: Some(
            "A Microsoft Graph client, one method per documented operation, generated from the API reference pages.",
        ),
    };
    let dependencies = [
        (
            models.as_str(),
            manifest::path(&format!("../{models}"), &[]),
        ),
        (
            "graph-support",
            manifest::path(&config.support_path, &["client"]),
        ),
        ("serde_json", manifest::SERDE_JSON.to_string()),
        // Typed function arguments name dates as the models do.
        ("chrono", manifest::CHRONO.to_string()),
    ];
    manifest::manifest(package, &dependencies, &features)
}

/// The crate docs' example: the first documented list (compiled only with its area's
/// feature, so that the doc test builds with any features), else a bare client.
fn example(plan: &Plan<'_>, krate: &str) -> String {
    let list = plan
        .routes
        .operations
        .iter()
        .find(|o| o.op.kind == OperationKind::List && placeholders(&o.call_path).is_empty());
    let (gate, call) = match list {
        Some(planned) => {
            let area = plan
                .routes
                .resources
                .get(&planned.resource)
                .map_or("full", |r| r.area.as_str());
            (
                format!("# #[cfg(feature = \"{area}\")]\n"),
                format!(
                    "let call = client.{}().select([\"id\"]).top(50);\n// `call.await?` reads one page; `call.items()` streams every item of every page.\n",
                    planned.entry.trim_start_matches("r#")
                ),
            )
        }
        None => (String::new(), String::new()),
    };
    format!(
        "```no_run
{gate}# async fn run() -> Result<(), {krate}::Error> {{
use {krate}::{{Client, StaticToken}};

let client = Client::new().with_token_provider(StaticToken(\"<access token>\".into()));
// Or a mock server: `Client::new().with_base_url(\"http://127.0.0.1:8080\")`.
{call}# Ok(())
# }}
```"
    )
}

fn lib_rs(plan: &Plan<'_>, config: &ClientConfig) -> String {
    let base_url = &config.base_url;
    let base_doc = format!(" The service root these bindings were generated for: `{base_url}`.");
    let krate = config.crate_name.replace('-', "_");
    let models = ident(&config.models_crate.replace('-', "_"));
    let example = example(plan, &krate);
    let example = example.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #![doc = #line] }
    });
    render(quote! {
        //! A Microsoft Graph client, generated from the API reference pages.
        //!
        //! [`Client`] has one method per documented operation, named by the operation's id
        //! (the routes crate and the OpenAPI document use the same ids), for example
        //! `device_category_list()`, `device_category_get(device_category_id)`,
        //! `device_category_update(device_category_id, &body)`. The path parameters are
        //! arguments in path order; request bodies and replies are the models crate's types
        //! (a polymorphic reply is its `Any…` enum, an empty 204 reply is `()`, a list a
        //! `Collection`). Each method returns a [`Call`]: add OData query options
        //! (`select`, `filter`, `top`, `expand`, `order_by`, `count`), then `.await` it, or
        //! read a list page by page or item by item ([`Call::pages`], [`Call::items`],
        //! following `@odata.nextLink`).
        //!
        //! Why flat methods rather than builders grouped by path
        //! (`client.device_management().device_categories().list()`): Graph documents one
        //! operation under several paths (`/me/…` and `/users/{id}/…`), which a tree of
        //! builders repeats per path and per segment, each a generated type; a flat method is
        //! one line of data per operation (method, path template, arguments), the cheapest
        //! code to compile, and its name is the id that every other generated artifact uses.
        //!
        //! Errors keep the service's answer (an HTTP status with the Graph error body:
        //! `code`, `message`, `innerError`) apart from a request that got none (a bad base
        //! URL, a refused connection): [`Error`]. Throttled requests (429, 503) are retried
        //! as `Retry-After` says, a bounded number of times ([`RetryPolicy`]). Tokens come
        //! from a [`TokenProvider`] you implement; there is no login flow here.
        //!
        //! One cargo feature per documented area, as in the models crate, and `full`; HTTPS
        //! (rustls) is the default feature `rustls`.
        //!
        #(#example)*

        #[rustfmt::skip]
        mod operations;

        pub use ::graph_support::client::{BoxError, BoxFuture, Call, Error};
        pub use ::graph_support::client::{RetryPolicy, StaticToken, TokenProvider};
        pub use ::graph_support::client::{Stream, StreamExt, TryStreamExt};
        pub use ::graph_support::{Collection, GraphError, Value};

        #[doc = #base_doc]
        pub const BASE_URL: &str = #base_url;

        /// A Graph client: [`BASE_URL`] (or another service root), a token provider and a
        /// retry policy; one method per documented operation. Cheap to clone.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: ::graph_support::client::Client,
        }

        impl ::std::default::Default for Client {
            fn default() -> Self {
                Client::new()
            }
        }

        impl ::std::convert::From<::graph_support::client::Client> for Client {
            fn from(inner: ::graph_support::client::Client) -> Self {
                Client { inner }
            }
        }

        impl Client {
            /// A client for [`BASE_URL`], without a token, retrying throttled requests
            /// by the default policy.
            pub fn new() -> Self {
                Client::from(::graph_support::client::Client::new(BASE_URL))
            }

            /// The same client for another service root (a mock server's
            /// `http://127.0.0.1:8080`, a national cloud). A bad URL is an
            /// [`Error::InvalidUrl`] when a request is made.
            pub fn with_base_url(self, base_url: impl Into<::std::string::String>) -> Self {
                Client::from(self.inner.with_base_url(base_url))
            }

            /// The same client sending `Authorization: Bearer` with the tokens
            /// `provider` gives.
            pub fn with_token_provider(self, provider: impl TokenProvider + 'static) -> Self {
                Client::from(self.inner.with_token_provider(provider))
            }

            /// The same client retrying throttled requests by `policy`.
            pub fn with_retry_policy(self, policy: RetryPolicy) -> Self {
                Client::from(self.inner.with_retry_policy(policy))
            }

            /// The service root requests go to.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// The untyped client underneath, for a request no documented operation
            /// covers.
            pub fn support(&self) -> &::graph_support::client::Client {
                &self.inner
            }
        }

        /// The models crate these bindings use.
        pub use ::#models as models;
    })
}

/// `{placeholder}` names of a path, in order.
fn placeholders(path: &str) -> Vec<&str> {
    crate::http::placeholders(path)
        .into_iter()
        .map(|p| p.name)
        .collect()
}

/// The reply type the client reads: the routes crate's, but `()` wherever the docs say
/// the service answers 204 (no body to read).
fn client_reply(
    plan: &Plan<'_>,
    models: &Ident,
    op: &Operation,
) -> (Option<TokenStream>, TokenStream) {
    let (body, reply) = signature(plan, models, op);
    if op.status == 204 {
        (body, quote! { () })
    } else {
        (body, reply)
    }
}

/// The path parameters a client method takes, one per placeholder in path order; a name
/// the path repeats (`/flows/{id}/assignments/{id}`) is a parameter each time, the later
/// ones numbered (`id_2`).
pub(crate) fn path_parameters(path: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    placeholders(path)
        .into_iter()
        .map(|name| {
            let count = seen.entry(name).or_default();
            *count += 1;
            match *count {
                1 => name.to_string(),
                n => format!("{name}_{n}"),
            }
        })
        .collect()
}

/// The Rust type of a typed function argument: an enum of the models crate, or a
/// primitive.
fn argument_type(plan: &Plan<'_>, models: &Ident, ty: &str) -> TokenStream {
    match plan.model_ident(ty) {
        Some(name) => {
            let name = ident(name);
            quote! { ::#models::#name }
        }
        None => crate::emit::models::primitive_type(ty),
    }
}

/// Whether a client method takes a request body.
pub(crate) fn takes_body(plan: &Plan<'_>, op: &Operation) -> bool {
    let models = ident("graph_models");
    signature(plan, &models, op).0.is_some()
}

fn method(plan: &Plan<'_>, models: &Ident, planned: &OperationPlan<'_>) -> TokenStream {
    let op = planned.op;
    let (body, reply) = client_reply(plan, models, op);
    let names = path_parameters(&planned.call_path);
    let idents = assign(names.iter().cloned(), field_ident, &["body", "self"]);
    let args: Vec<Ident> = names.iter().map(|n| ident(&idents[n])).collect();
    let typed: Vec<Option<TokenStream>> = planned
        .arguments
        .iter()
        .map(|p| p.map(|p| argument_type(plan, models, &p.ty)))
        .collect();
    let params = args.iter().zip(&typed).map(|(arg, ty)| match ty {
        Some(ty) => quote! { #arg: #ty, },
        None => quote! { #arg: &str, },
    });
    // A typed argument is written as the call syntax writes its value.
    let args: Vec<TokenStream> = args
        .iter()
        .zip(&typed)
        .map(|(arg, ty)| match ty {
            Some(_) => quote! { &::graph_support::path_value(&#arg) },
            None => quote! { #arg },
        })
        .collect();
    let (method, path) = (&op.method, &planned.call_path);
    let what = match op.kind {
        OperationKind::Action | OperationKind::Function => {
            format!("{} `{}`", op.kind.title(), op.name)
        }
        kind => kind.title().to_string(),
    };
    let mut text = format!(
        "{what}: `{method} {path}`. Documented status {}.",
        op.status
    );
    if op.kind == OperationKind::List || op.returns_collection {
        text.push_str("\nRead every page with `.pages()` or `.items()`.");
    }
    let scopes = &op.permissions;
    for (label, list) in [
        ("delegated (work or school)", &scopes.delegated_work),
        ("delegated (personal)", &scopes.delegated_personal),
        ("application", &scopes.application),
    ] {
        if !list.is_empty() {
            let list: Vec<String> = list.iter().map(|scope| format!("`{scope}`")).collect();
            text.push_str(&format!("\nPermissions, {label}: {}.", list.join(", ")));
        }
    }
    let docs = doc_attrs(&text);
    let name = ident(&planned.entry);
    match body {
        Some(body) => quote! {
            #docs
            pub fn #name(&self, #(#params)* body: &#body) -> ::graph_support::client::Call<#reply> {
                self.inner.call_with(#method, #path, &[#(#args),*], body)
            }
        },
        None => quote! {
            #docs
            pub fn #name(&self, #(#params)*) -> ::graph_support::client::Call<#reply> {
                self.inner.call(#method, #path, &[#(#args),*])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_are_read_in_path_order() {
        assert_eq!(
            placeholders("/a/{aId}/f(x='{x}')/{"),
            ["aId", "x"],
            "an unclosed brace is no placeholder"
        );
    }
}
