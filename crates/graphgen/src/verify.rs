//! `cargo xtask verify`: prove that a docs folder and the code generated from it agree.
//!
//! This module prepares a temporary workspace: the models crate generated from the folder,
//! and a `verify` crate whose program round-trips every example body of every page through
//! its model (deserialize, serialize, compare). The front end writes the files, builds and
//! runs the program; keeping it a separate crate means the check compiles exactly what a
//! user would compile.

use std::path::{Path, PathBuf};

use quote::quote;
use serde::Serialize;

use crate::emit::manifest::{self, Package};
use crate::emit::{Plan, emit_plan_with_seeds, render};
use crate::facts::OperationFacts;
use crate::pipeline::{Analysis, ExtractedPage, analyze_pages, discover, extract_all};
use crate::schema::{OperationKind, is_primitive};
use crate::write::FileSet;

/// One example body and the model it must round-trip through.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BodyCheck {
    /// The page id.
    pub page: String,
    /// Which example: `example 1 request`, `example 2 response`.
    pub example: String,
    /// The Rust type, e.g. `graph_support::Collection<graph_models::RunState>`.
    pub model: String,
    /// The body text as documented.
    pub body: String,
}

/// An example body that has no model to check it against, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Skipped {
    /// The page id.
    pub page: String,
    /// Which example.
    pub example: String,
    /// Why it cannot be checked.
    pub reason: String,
}

/// One documented example request to replay against the mock server.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestCheck {
    /// The page id.
    pub page: String,
    /// Which example.
    pub example: String,
    /// The HTTP method.
    pub method: String,
    /// The path as the example shows it (placeholders are filled when replayed).
    pub path: String,
    /// The body, if any.
    pub body: Option<String>,
    /// The documented success status.
    pub status: u16,
}

/// What a verify run will check.
#[derive(Debug)]
pub struct Prepared {
    /// The merged analysis of the folder.
    pub analysis: Analysis,
    /// The bodies to round-trip.
    pub checks: Vec<BodyCheck>,
    /// Bodies without a model.
    pub skipped: Vec<Skipped>,
    /// Example requests to replay.
    pub requests: Vec<RequestCheck>,
    /// The workspace to build: models crate, verify crate, bodies.
    pub files: FileSet,
}

/// Reads the folders and prepares the verify workspace. `support` is the absolute path of
/// the support crate.
pub fn prepare(inputs: &[PathBuf], support: &Path) -> std::io::Result<Prepared> {
    let files = discover(inputs)?;
    let pages = extract_all(&files);
    let requests = collect_requests(&pages);
    let analysis = analyze_pages(pages.clone());
    let support_path = support.to_string_lossy().replace('\\', "/");
    // One analysis of the schema serves the body checks and every generated file.
    let (checks, skipped, mut out) = {
        let plan = Plan::new(&analysis.schema);
        let (checks, skipped) = collect_checks(&pages, &plan);
        (
            checks,
            skipped,
            emit_plan_with_seeds(&plan, &support_path, &analysis.seeds),
        )
    };
    out.insert(
        PathBuf::from("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"graph-models\", \"graph-routes\", \"verify\"]\n"
            .to_string(),
    );
    out.insert(
        PathBuf::from("verify/Cargo.toml"),
        verify_cargo_toml(support),
    );
    out.insert(PathBuf::from("verify/src/main.rs"), verify_main(&checks));
    let bodies = serde_json::to_string_pretty(&checks).map_err(std::io::Error::other)?;
    out.insert(PathBuf::from("verify/bodies.json"), bodies);
    let replay = serde_json::to_string_pretty(&requests).map_err(std::io::Error::other)?;
    out.insert(PathBuf::from("verify/requests.json"), replay);
    Ok(Prepared {
        analysis,
        checks,
        skipped,
        requests,
        files: out,
    })
}

/// Every example request of every method page, with the page's documented status.
fn collect_requests(pages: &[ExtractedPage]) -> Vec<RequestCheck> {
    let mut requests = Vec::new();
    for page in pages {
        for op in &page.facts.operations {
            let Some(status) = op.status else { continue };
            for (i, example) in op.examples.iter().enumerate() {
                let Some(request) = &example.request else {
                    continue;
                };
                if request.path.is_empty() {
                    continue;
                }
                requests.push(RequestCheck {
                    page: page.file.page.clone(),
                    example: format!("example {}", i + 1),
                    method: request.method.clone(),
                    path: request.path.clone(),
                    body: request.body.clone(),
                    status,
                });
            }
        }
    }
    requests
}

/// Every example body of the pages with the model it must fit, and those without one.
pub fn collect_checks(pages: &[ExtractedPage], plan: &Plan<'_>) -> (Vec<BodyCheck>, Vec<Skipped>) {
    let mut checks = Vec::new();
    let mut skipped = Vec::new();
    for page in pages {
        for op in &page.facts.operations {
            for (i, example) in op.examples.iter().enumerate() {
                let messages = [
                    ("request", &example.request),
                    ("response", &example.response),
                ];
                for (label, message) in messages {
                    let Some(message) = message else { continue };
                    let Some(body) = &message.body else { continue };
                    let name = format!("example {} {label}", i + 1);
                    match body_model(op, body, label == "request", plan) {
                        Ok(model) => checks.push(BodyCheck {
                            page: page.file.page.clone(),
                            example: name,
                            model,
                            body: body.clone(),
                        }),
                        Err(reason) => skipped.push(Skipped {
                            page: page.file.page.clone(),
                            example: name,
                            reason,
                        }),
                    }
                }
            }
        }
    }
    (checks, skipped)
}

/// The model an example body must fit: the operation's type, wrapped as the body shows
/// (`{"value": [...]}` is a collection, `{"value": x}` a wrapped value).
fn body_model(
    op: &OperationFacts,
    body: &str,
    request: bool,
    plan: &Plan<'_>,
) -> Result<String, String> {
    if request && !matches!(op.kind, OperationKind::Create | OperationKind::Update) {
        let path = op.paths.first().ok_or("the operation has no path")?;
        return match plan
            .operation_parameters
            .get(&(op.method.clone(), path.clone()))
        {
            Some(id) => Ok(format!("::graph_models::{id}")),
            None => Err("the page documents no parameters for this request body".to_string()),
        };
    }
    let ty = op
        .ty
        .as_deref()
        .ok_or("the page names no type for this body")?;
    if !plan.is_known(ty) {
        return Err(format!("type `{ty}` is not documented"));
    }
    let element = model_path(ty, plan);
    if request {
        return Ok(element);
    }
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let wrapped = value.as_object().and_then(|o| o.get("value"));
    Ok(match wrapped {
        Some(serde_json::Value::Array(_)) => format!("::graph_support::Collection<{element}>"),
        Some(_) if op.returns_collection || !plan.is_struct(ty) || is_wrapper_only(&value) => {
            format!("::graph_support::Value<{element}>")
        }
        _ => element,
    })
}

/// `{"value": x}` (with annotations only) wraps a single value.
fn is_wrapper_only(value: &serde_json::Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.keys().all(|k| k == "value" || k.starts_with('@')))
}

fn model_path(ty: &str, plan: &Plan<'_>) -> String {
    if let Some(id) = plan.model_ident(ty) {
        return format!("::graph_models::{id}");
    }
    debug_assert!(is_primitive(ty));
    crate::emit::primitive_path(ty).to_string()
}

fn verify_cargo_toml(support: &Path) -> String {
    let slashes = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let dependencies = [
        ("graph-models", manifest::path("../graph-models", &["full"])),
        ("graph-routes", manifest::path("../graph-routes", &[])),
        ("graph-support", manifest::path(&slashes(support), &[])),
        (
            "graph-replay",
            manifest::path(&slashes(&support.with_file_name("graph-replay")), &[]),
        ),
        ("serde", "\"1\"".to_string()),
        ("serde_json", manifest::SERDE_JSON.to_string()),
        ("uuid", manifest::UUID.to_string()),
    ];
    let package = Package {
        name: "verify",
        description: None,
    };
    manifest::manifest(package, &dependencies, "")
}

/// The verify program: one round-trip function per model used, dispatched by name.
fn verify_main(checks: &[BodyCheck]) -> String {
    let models: std::collections::BTreeSet<&str> =
        checks.iter().map(|c| c.model.as_str()).collect();
    let arms = models.iter().filter_map(|model| {
        let ty: syn::Type = syn::parse_str(model).ok()?;
        Some(quote! { #model => round_trip::<#ty>(body), })
    });
    render(quote! {
        //! Round-trips every example body through its model; prints one line per failure
        //! and a summary, and exits non-zero on any failure.

        use serde_json::Value;

        #[derive(serde::Deserialize)]
        struct Check {
            page: String,
            example: String,
            model: String,
            body: String,
        }

        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: Value) -> Result<Value, String> {
            let model: T = serde_json::from_value(body).map_err(|e| format!("does not deserialize: {e}"))?;
            serde_json::to_value(&model).map_err(|e| format!("does not serialize: {e}"))
        }

        fn dispatch(model: &str, body: Value) -> Result<Value, String> {
            match model {
                #(#arms)*
                other => Err(format!("no model {other}")),
            }
        }

        /// The first place two JSON values differ. Strings must come back exactly
        /// (timestamps keep their spelling); numbers of equal value are equal (`1` and
        /// `1.0` are one JSON number).
        fn difference(want: &Value, got: &Value, at: &str) -> Option<String> {
            match (want, got) {
                (Value::Object(a), Value::Object(b)) => {
                    for (key, value) in a {
                        match b.get(key) {
                            Some(other) => {
                                if let Some(d) = difference(value, other, &format!("{at}.{key}")) {
                                    return Some(d);
                                }
                            }
                            None => return Some(format!("{at}.{key}: lost")),
                        }
                    }
                    b.keys().find(|k| !a.contains_key(*k)).map(|k| format!("{at}.{k}: added"))
                }
                (Value::Array(a), Value::Array(b)) => {
                    if a.len() != b.len() {
                        return Some(format!("{at}: {} items became {}", a.len(), b.len()));
                    }
                    a.iter().zip(b).enumerate().find_map(|(i, (x, y))| difference(x, y, &format!("{at}[{i}]")))
                }
                (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
                _ if want == got => None,
                _ => Some(format!("{at}: {want} became {got}")),
            }
        }

        fn main() {
            let checks: Vec<Check> = serde_json::from_str(include_str!("../bodies.json")).expect("bodies.json");
            let mut pages = std::collections::BTreeSet::new();
            let mut failed = 0;
            for check in &checks {
                pages.insert(check.page.as_str());
                let outcome = serde_json::from_str::<Value>(&check.body)
                    .map_err(|e| format!("the example is not JSON: {e}"))
                    .and_then(|body| {
                        let back = dispatch(&check.model, body.clone())?;
                        match difference(&body, &back, "") {
                            Some(d) => Err(format!("round trip changed {}", if d.starts_with(':') { format!("the body{d}") } else { d })),
                            None => Ok(()),
                        }
                    });
                if let Err(problem) = outcome {
                    failed += 1;
                    println!("FAIL {} ({}) as {}: {problem}", check.page, check.example, check.model);
                }
            }
            println!(
                "round trip: {} pages, {} bodies checked, {} failed",
                pages.len(),
                checks.len(),
                failed
            );
            // The server's store is shared with its router, so that replay can put in the
            // objects the example requests address.
            let server = graph_routes::Server::new();
            let app = server.clone().router();
            let missed = match graph_replay::run(include_str!("../requests.json"), app, server.store()) {
                Ok(missed) => missed,
                Err(e) => {
                    println!("replay: {e}");
                    1
                }
            };
            if failed > 0 || missed > 0 {
                std::process::exit(1);
            }
        }
    })
}
