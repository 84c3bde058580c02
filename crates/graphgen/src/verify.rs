//! `cargo xtask verify`: prove that a docs folder and the code generated from it agree.
//!
//! This module prepares a temporary workspace: the models crate generated from the folder,
//! and a `verify` crate whose program round-trips every example body of every page through
//! its model (deserialize, serialize, compare). The front end writes the files, builds and
//! runs the program; keeping it a separate crate means the check compiles exactly what a
//! user would compile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::quote;
use serde::Serialize;

use crate::doc_json;
use crate::doc_values::{Readings, Root, Typing};
use crate::emit::manifest::{self, Package};
use crate::emit::{Plan, emit_plan_with_seeds, render};
use crate::examples::{example_readings, match_segments};
use crate::facts::{OperationFacts, PageKind};
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
    /// The body as documented, or, where the docs abbreviate it (`...`, comments,
    /// trailing commas), as the JSON it abbreviates (see [`crate::doc_json`]).
    pub body: String,
    /// Whether the documented body is such an abbreviation.
    pub abbreviated: bool,
    /// Whether the model is an action's parameters (typed by the page's own table).
    pub parameters: bool,
    /// Whether the body holds values read as the docs mean them rather than as written:
    /// placeholders of typed values, or a request's strings Graph reads as booleans or
    /// numbers (see [`crate::doc_values`]).
    pub read_as_meant: bool,
    /// The JSON shape (`string`, `number`, `boolean`, `object`, `array of string`, …) of each property
    /// of the body's type where its table and its page's JSON representation agree on
    /// it: two readings of the page that an example's value of another shape contradicts.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub agreed_shapes: BTreeMap<String, String>,
    /// The properties of the body's type that its table documents as one value of an
    /// enum, which OData writes as a string, never as a JSON number.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub enum_properties: Vec<String>,
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
    /// The client method (operation entry) whose documented path the example's path
    /// matches, if any.
    pub operation: Option<String>,
    /// The example's values of that method's path parameters, in order.
    pub args: Vec<String>,
    /// The kind of that operation (`get`, `list`, …).
    pub kind: Option<String>,
    /// The documented example response body, if any.
    pub response: Option<String>,
    /// OData's cast segment after the list's path (`microsoft.graph.group`), if any.
    pub cast: Option<String>,
    /// Whether the path ends in OData's `$count` segment after the list's path.
    pub count: bool,
    /// The statuses other pages document for the same method and path (up to parameter
    /// names), where they differ from this one's: the mock serves one of them.
    pub other_statuses: Vec<u16>,
    /// The example's path spelled as the matched documented path (its literal text, the
    /// example's values): where the client sends it.
    pub documented_path: Option<String>,
    /// The paths the example's own page documents, to say what an example that matches
    /// no documented path differs from.
    pub page_paths: Vec<String>,
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
    /// Example requests to hosts other than Graph's, not sent.
    pub other_hosts: usize,
    /// The workspace to build: models crate, verify crate, bodies.
    pub files: FileSet,
    /// The verify program's package (and binary) name, one per set of inputs: runs on
    /// different folders share a target folder (and its built dependencies) but never
    /// run each other's program.
    pub program: String,
}

/// Reads the folders and prepares the verify workspace. `support` is the absolute path of
/// the support crate.
pub fn prepare(inputs: &[PathBuf], support: &Path) -> std::io::Result<Prepared> {
    let program = format!("verify-{}", inputs_key(inputs));
    let files = discover(inputs)?;
    let pages = extract_all(&files);
    let analysis = analyze_pages(pages.clone());
    let support_path = support.to_string_lossy().replace('\\', "/");
    // One analysis of the schema serves the body checks and every generated file.
    let (checks, skipped, requests, mut out) = {
        let plan = Plan::new(&analysis.schema);
        let typing = Typing::new(&analysis.schema);
        let (mut checks, skipped) = collect_checks(&pages, &plan, &typing);
        add_page_readings(&mut checks, &pages, &plan);
        let mut requests = collect_requests(&pages, &plan, &typing);
        match_operations(&mut requests, &plan);
        let mut files = emit_plan_with_seeds(&plan, &support_path, &analysis.seeds);
        files.insert(
            PathBuf::from("verify/src/client.rs"),
            client_dispatch(&plan, &requests),
        );
        (checks, skipped, requests, files)
    };
    out.insert(
        PathBuf::from("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"graph-models\", \"graph-routes\", \"graph-client\", \"verify\"]\n"
            .to_string(),
    );
    out.insert(
        PathBuf::from("verify/Cargo.toml"),
        verify_cargo_toml(&program, support),
    );
    out.insert(PathBuf::from("verify/src/main.rs"), verify_main(&checks));
    let bodies = serde_json::to_string_pretty(&checks).map_err(std::io::Error::other)?;
    out.insert(PathBuf::from("verify/bodies.json"), bodies);
    let replay = serde_json::to_string_pretty(&requests).map_err(std::io::Error::other)?;
    out.insert(PathBuf::from("verify/requests.json"), replay);
    let other_hosts = pages
        .iter()
        .flat_map(|page| &page.facts.operations)
        .flat_map(|op| &op.examples)
        .filter(|example| example.request.as_ref().is_some_and(|r| r.other_host))
        .count();
    Ok(Prepared {
        analysis,
        checks,
        skipped,
        requests,
        other_hosts,
        files: out,
        program,
    })
}

/// A name per set of inputs (their canonical paths, hashed), so that runs on different
/// folders (in parallel tests, say) never share a work folder or a program.
pub fn inputs_key(inputs: &[PathBuf]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for input in inputs {
        std::fs::canonicalize(input)
            .unwrap_or_else(|_| input.clone())
            .hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// Every example request of every method page, with the page's documented status; its
/// body and response read as the docs mean them (see [`meant_body`]).
fn collect_requests(
    pages: &[ExtractedPage],
    plan: &Plan<'_>,
    typing: &Typing<'_>,
) -> Vec<RequestCheck> {
    let mut requests = Vec::new();
    for page in pages {
        for op in &page.facts.operations {
            let Some(status) = op.status else { continue };
            let meant = |text: &str, request: bool| {
                let root = body_root(op, request, plan);
                meant_body(text, root.as_ref(), request, typing).0
            };
            for (i, example) in op.examples.iter().enumerate() {
                let Some(request) = &example.request else {
                    continue;
                };
                // An upload or download URL on another host is no call of the API.
                if request.path.is_empty() || request.other_host {
                    continue;
                }
                requests.push(RequestCheck {
                    page: page.file.page.clone(),
                    example: format!("example {}", i + 1),
                    method: request.method.clone(),
                    path: rooted(&request.path),
                    body: request.body.as_deref().map(|body| meant(body, true)),
                    status,
                    operation: None,
                    args: Vec::new(),
                    kind: None,
                    response: example
                        .response
                        .as_ref()
                        .and_then(|r| r.body.as_deref())
                        .map(|body| meant(body, false)),
                    cast: None,
                    count: false,
                    other_statuses: Vec::new(),
                    documented_path: None,
                    page_paths: op
                        .paths
                        .iter()
                        .map(|path| format!("{} {path}", op.method))
                        .collect(),
                });
            }
        }
    }
    requests
}

/// An example's request path as sent: with its leading `/` where the docs leave it out
/// (`GET me/devices`), since an HTTP request's target starts with one.
fn rooted(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

/// Every example body of the pages with the model it must fit, and those without one.
pub fn collect_checks(
    pages: &[ExtractedPage],
    plan: &Plan<'_>,
    typing: &Typing<'_>,
) -> (Vec<BodyCheck>, Vec<Skipped>) {
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
                    let request = label == "request";
                    match body_model(op, body, request, plan) {
                        Ok(model) => {
                            let root = body_root(op, request, plan);
                            let (body, abbreviated, readings) =
                                meant_body(body, root.as_ref(), request, typing);
                            checks.push(BodyCheck {
                                page: page.file.page.clone(),
                                example: name,
                                model,
                                body,
                                abbreviated,
                                parameters: matches!(root, Some(Root::Parameters(_))),
                                read_as_meant: readings.any(),
                                agreed_shapes: BTreeMap::new(),
                                enum_properties: Vec::new(),
                            });
                        }
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

/// Gives each check whose body is of a documented type the shapes its type's table and
/// its resource page's JSON representation agree on, and its enum properties.
fn add_page_readings(checks: &mut [BodyCheck], pages: &[ExtractedPage], plan: &Plan<'_>) {
    let shapes = agreed_shapes(pages, plan);
    let by_page: BTreeMap<&str, &ExtractedPage> =
        pages.iter().map(|p| (p.file.page.as_str(), p)).collect();
    for check in checks.iter_mut().filter(|c| !c.parameters) {
        let ty = by_page.get(check.page.as_str()).and_then(|page| {
            let op = page.facts.operations.first()?;
            documented_spelling(op.ty.as_deref()?, plan)
        });
        let Some(ty) = ty else { continue };
        if let Some(found) = shapes.get(ty) {
            check.agreed_shapes = found.clone();
        }
        check.enum_properties = plan
            .fields
            .get(ty)
            .into_iter()
            .flatten()
            .filter(|f| !f.property.collection && plan.is_enum(&f.property.ty))
            .map(|f| f.property.name.clone())
            .collect();
    }
}

/// Type name → the JSON shape of each property where the type's table (as read) and its
/// resource page's JSON representation agree.
fn agreed_shapes(
    pages: &[ExtractedPage],
    plan: &Plan<'_>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for page in pages.iter().filter(|p| p.facts.kind == PageKind::Resource) {
        let Some(own) = page.facts.types.first().filter(|t| t.defining) else {
            continue;
        };
        let name = match &page.facts.namespace {
            Some(namespace) => format!("{namespace}.{}", own.name),
            None => own.name.clone(),
        };
        let Some(ty) = documented_spelling(&name, plan) else {
            continue;
        };
        let Some(fields) = plan.fields.get(ty) else {
            continue;
        };
        let Some(represented) = represented_shapes(page) else {
            continue;
        };
        let agreed: BTreeMap<String, String> = fields
            .iter()
            .filter_map(|field| {
                let wire = &field.property.name;
                let table = table_shape(plan, field.property)?;
                (represented.get(wire) == Some(&table)).then(|| (wire.clone(), table))
            })
            .collect();
        if !agreed.is_empty() {
            out.insert(ty.to_string(), agreed);
        }
    }
    out
}

/// The top-level properties of a resource page's JSON representation and their shapes;
/// `None` where the page has none or it does not read as an object.
fn represented_shapes(page: &ExtractedPage) -> Option<BTreeMap<String, String>> {
    let (_, read) = crate::pipeline::read_file(&page.file).ok()?;
    let text = crate::extract::json_representation(&read)?;
    let value = doc_json::read(text).ok()?.value;
    let object = value.as_object()?;
    Some(
        object
            .iter()
            .filter(|(key, _)| !key.starts_with('@'))
            .filter_map(|(key, value)| Some((key.clone(), json_shape(value)?)))
            .collect(),
    )
}

/// The shape of a JSON value (`string`, `number`, `boolean`, `object`, `array of
/// string`, …; an array by its first item that is not `null`); `None` for `null`, which
/// says nothing of it. The verify program judges examples by the same words
/// (`graph_replay::contradicts_agreed_shape`).
fn json_shape(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    Some(match value {
        Value::Null => return None,
        Value::Bool(_) => "boolean".into(),
        Value::Number(_) => "number".into(),
        Value::String(_) => "string".into(),
        Value::Object(_) => "object".into(),
        Value::Array(items) => match items.iter().find_map(json_shape) {
            Some(item) => format!("array of {item}"),
            None => "array".into(),
        },
    })
}

/// The JSON shape a property's documented type gives its values; `None` for an untyped
/// (`Json`) or undocumented one.
fn table_shape(plan: &Plan<'_>, property: &crate::schema::Property) -> Option<String> {
    let ty = property.ty.as_str();
    let one = if plan.is_enum(ty) {
        "string"
    } else if plan.types.contains_key(ty) {
        "object"
    } else {
        match crate::primitive::Primitive::parse(ty)?.openapi().ty {
            "string" => "string",
            "integer" | "number" => "number",
            "boolean" => "boolean",
            _ => return None,
        }
    };
    Some(if property.collection {
        format!("array of {one}")
    } else {
        one.to_string()
    })
}

/// An example body as the docs mean it: read without its abbreviations
/// ([`doc_json`]), and with its values read by their documented types where `root` is
/// known ([`crate::doc_values`]), as compact JSON where either changed it, else as
/// written (a body that is no JSON stays as written, to fail where the page breaks).
/// Whether it was abbreviated, and how its values were read.
fn meant_body(
    text: &str,
    root: Option<&Root<'_>>,
    request: bool,
    typing: &Typing<'_>,
) -> (String, bool, Readings) {
    let Ok(read) = doc_json::read(text) else {
        return (text.to_string(), false, Readings::default());
    };
    let mut value = read.value;
    let readings = root.map_or_else(Readings::default, |root| {
        typing.read(&mut value, root, request)
    });
    let body = if read.abbreviated || readings.any() {
        value.to_string()
    } else {
        text.to_string()
    };
    (body, read.abbreviated, readings)
}

/// What an example body's top level is, as [`body_model`] reads it: an action's
/// parameters for an action's request, else the operation's documented type.
fn body_root<'p>(op: &'p OperationFacts, request: bool, plan: &'p Plan<'_>) -> Option<Root<'p>> {
    if request && !matches!(op.kind, OperationKind::Create | OperationKind::Update) {
        let path = op.paths.first()?;
        let id = plan
            .operation_parameters
            .get(&(op.method.clone(), path.clone()))?;
        let parameters = plan.parameters.get(id)?;
        return Some(Root::Parameters(
            parameters.fields.iter().map(|f| f.property).collect(),
        ));
    }
    documented_spelling(op.ty.as_deref()?, plan).map(Root::Type)
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
    let ty = documented_spelling(ty, plan).ok_or(format!("type `{ty}` is not documented"))?;
    let element = model_path(ty, plan);
    if request {
        return Ok(element);
    }
    let value = doc_json::read(body)
        .map_err(|e| format!("the body is not JSON: {e}"))?
        .value;
    let wrapped = value.as_object().and_then(|o| o.get("value"));
    // `{"value": "Welcome"}` for a type with properties: the example reads one property
    // (`…/signInPageText`), which is no object of the type.
    if is_wrapper_only(&value)
        && plan.is_struct(ty)
        && wrapped.is_some_and(|v| !v.is_object() && !v.is_array() && !v.is_null())
    {
        return Err("the response is one property's value, not the documented type".to_string());
    }
    Ok(match wrapped {
        Some(serde_json::Value::Array(_)) => format!("::graph_support::Collection<{element}>"),
        Some(_) if op.returns_collection || !plan.is_struct(ty) || is_wrapper_only(&value) => {
            format!("::graph_support::Value<{element}>")
        }
        _ => element,
    })
}

/// The documented type a page's type name means: itself, else the one type spelled the
/// same but for case (a method page's "returns an `Attachment` object" for `attachment`).
fn documented_spelling<'p>(ty: &'p str, plan: &'p Plan<'_>) -> Option<&'p str> {
    if plan.is_known(ty) {
        return Some(ty);
    }
    let mut same = plan.types.keys().filter(|k| k.eq_ignore_ascii_case(ty));
    let first = same.next()?;
    same.next().is_none().then_some(*first)
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

fn verify_cargo_toml(program: &str, support: &Path) -> String {
    let slashes = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let dependencies = [
        ("graph-models", manifest::path("../graph-models", &["full"])),
        ("graph-routes", manifest::path("../graph-routes", &[])),
        (
            "graph-client",
            r#"{ path = "../graph-client", default-features = false, features = ["full"] }"#
                .to_string(),
        ),
        (
            "graph-support",
            manifest::path(&slashes(support), &["client"]),
        ),
        (
            "graph-replay",
            manifest::path(&slashes(&support.with_file_name("graph-replay")), &[]),
        ),
        ("serde", "\"1\"".to_string()),
        ("serde_json", manifest::SERDE_JSON.to_string()),
    ];
    let package = Package {
        name: program,
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

        mod client;

        /// The documented example objects the mock server starts with.
        static SEEDS: &str = include_str!("../../graph-routes/examples.json");

        #[derive(serde::Deserialize)]
        struct Check {
            page: String,
            example: String,
            model: String,
            body: String,
            parameters: bool,
            #[serde(default)]
            agreed_shapes: std::collections::BTreeMap<String, String>,
            #[serde(default)]
            enum_properties: Vec<String>,
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
            let (mut failed, mut explained) = (0, 0);
            // The documented responses that do not read as their type, for the client's
            // account of replies made of them.
            let mut bad = graph_replay::BadExamples::default();
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
                let example = format!("{} ({})", check.page, check.example);
                let response = check.example.ends_with("response");
                if outcome.is_ok() && response {
                    bad.add_documented(example.clone(), &check.body);
                }
                if let Err(problem) = outcome {
                    if response {
                        bad.add(example, &check.body);
                    }
                    // A response typed as no model is typed by its page's own sentence.
                    let sentence_typed = response && !check.model.contains("graph_models::");
                    let reason = graph_replay::wrong_example_value(&problem).or_else(|| {
                        graph_replay::self_contradiction(&problem, check.parameters, sentence_typed)
                    }).or_else(|| {
                        graph_replay::contradicts_agreed_shape(&problem, &check.body, &check.agreed_shapes)
                    }).or_else(|| graph_replay::number_for_enum(&problem, &check.enum_properties));
                    match reason {
                        Some(reason) => {
                            explained += 1;
                            println!("EXPLAINED {} ({}) as {}: {reason}: {problem}", check.page, check.example, check.model);
                        }
                        None => {
                            failed += 1;
                            println!("FAIL {} ({}) as {}: {problem}", check.page, check.example, check.model);
                        }
                    }
                }
            }
            println!(
                "round trip: {} pages, {} bodies checked, {} failed, {} explained (values the docs got wrong)",
                pages.len(),
                checks.len(),
                failed,
                explained
            );
            // The mock holds only documented objects that read as their types.
            let seeds = bad.sound_seeds(SEEDS);
            // The server's store is shared with its router, so that replay can put in the
            // objects the example requests address.
            let server = graph_routes::Server::new();
            let app = server.clone().router();
            let missed = match graph_replay::run(include_str!("../requests.json"), app, server.store(), Some(&seeds)) {
                Ok(missed) => missed,
                Err(e) => {
                    println!("replay: {e}");
                    1
                }
            };
            // The same requests through the generated client, against a fresh server.
            let server = graph_routes::Server::new();
            let app = server.clone().router();
            let client_failed = match graph_replay::run_client(include_str!("../requests.json"), app, server.store(), Some(&seeds), &bad, client::dispatch) {
                Ok(failed) => failed,
                Err(e) => {
                    println!("client: {e}");
                    1
                }
            };
            if failed > 0 || missed > 0 || client_failed > 0 {
                std::process::exit(1);
            }
        }
    })
}

/// Gives each example request the client method whose documented path (of the same
/// method) its path matches, and the values of that method's path parameters. Where
/// several match, an operation of the example's own page wins, then the one with the
/// most literal text (`/a/delta()` over `/a/{id}`).
fn match_operations(requests: &mut [RequestCheck], plan: &Plan<'_>) {
    for request in requests {
        let mut best = best_operation(request, plan, &example_readings(&request.path), Only::Any);
        // OData's `…/microsoft.graph.group` and `…/$count` after a documented list.
        if best.is_none() {
            let (readings, cast, count) = odata_segments(&request.path);
            if cast.is_some() || count {
                best = best_operation(request, plan, &readings, Only::Lists);
                if best.is_some() {
                    request.cast = cast;
                    request.count = count;
                }
            }
        }
        // A page that documents its path relative to the user (`/settings/…`) and
        // shows the example at `/me/settings/…`.
        if best.is_none()
            && let Some(relative) = under_user(&request.path)
        {
            best = best_operation(request, plan, &[relative], Only::OwnPage);
        }
        if let Some((index, args, spelled)) = best {
            request.documented_path = Some(spelled);
            let planned = &plan.routes.operations[index];
            request.operation = Some(planned.entry.trim_start_matches("r#").to_string());
            request.args = args;
            request.kind = Some(planned.op.kind.as_str().to_string());
            request.other_statuses = other_statuses(plan, index);
            // Pages that document one operation with different statuses (a
            // `status-conflict`) merge into one, which the mock serves with one of them.
            let merged = planned.op.status;
            if merged != request.status && !request.other_statuses.contains(&merged) {
                request.other_statuses.push(merged);
            }
        }
    }
}

/// The client method whose documented path (of the example's method, among the
/// operations `only` allows) a reading of the example's path matches, and its parameters' values. The
/// path as written first; `/me` as `/users/me` only where that matches nothing. Where
/// several match, an operation of the example's own page wins, then the one with the
/// most literal text (`/a/delta()` over `/a/{id}`).
fn best_operation(
    request: &RequestCheck,
    plan: &Plan<'_>,
    readings: &[String],
    only: Only,
) -> Option<(usize, Vec<String>, String)> {
    readings.iter().find_map(|path| {
        plan.routes
            .operations
            .iter()
            .enumerate()
            .filter(|(_, o)| o.op.method == request.method)
            .filter(|(_, o)| match only {
                Only::Any => true,
                Only::Lists => o.op.kind == OperationKind::List,
                Only::OwnPage => o.op.sources.contains(&request.page),
            })
            .filter_map(|(i, o)| {
                let (spelled, values) = match_segments(&o.call_path, path)?;
                let own_page = o.op.sources.contains(&request.page);
                let literal = o
                    .call_path
                    .len()
                    .saturating_sub(values.iter().map(|(n, _)| n.len() + 2).sum::<usize>());
                Some(((own_page, literal), i, values, spelled))
            })
            .max_by_key(|(rank, _, _, _)| *rank)
            .map(|(_, i, values, spelled)| {
                (i, values.into_iter().map(|(_, v)| v).collect(), spelled)
            })
    })
}

/// Which documented operations an example's path may match.
#[derive(Clone, Copy)]
enum Only {
    Any,
    /// Lists, for a path with OData's cast or `$count` after it.
    Lists,
    /// The example's own page's, for a path read relative to the user.
    OwnPage,
}

/// An example's path under the signed-in user (`/me/x/…`) or a user
/// (`/users/{id}/x/…`) as the path below it (`/x/…`), if it is one.
fn under_user(path: &str) -> Option<String> {
    let path = crate::examples::example_path(path);
    let rest = match path.strip_prefix("/me/") {
        Some(rest) => rest,
        None => path.strip_prefix("/users/")?.split_once('/')?.1,
    };
    (!rest.is_empty()).then(|| format!("/{rest}"))
}

/// The statuses documented for the same method and path (parameters unnamed) as the
/// operation at `index`, where they differ from its own.
fn other_statuses(plan: &Plan<'_>, index: usize) -> Vec<u16> {
    let unnamed = |path: &str| {
        let mut out = String::new();
        let mut depth = 0;
        for c in path.chars() {
            match c {
                '{' => {
                    depth += 1;
                    out.push('{');
                }
                '}' => depth -= 1,
                _ if depth > 0 => {}
                _ => out.push(c.to_ascii_lowercase()),
            }
        }
        out
    };
    let this = &plan.routes.operations[index];
    let key = unnamed(&this.op.path);
    let mut statuses: Vec<u16> = plan
        .routes
        .operations
        .iter()
        .filter(|o| o.op.method == this.op.method && unnamed(&o.op.path) == key)
        .map(|o| o.op.status)
        .filter(|status| *status != this.op.status)
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

/// The readings of an example's path without its trailing OData segments, the cast's
/// type and whether `$count` ends it.
fn odata_segments(path: &str) -> (Vec<String>, Option<String>, bool) {
    let mut path = crate::examples::example_path(path);
    let count = path.ends_with("/$count");
    if count {
        path.truncate(path.len() - "/$count".len());
    }
    let mut cast = None;
    if let Some((rest, last)) = path.rsplit_once('/')
        && last.to_ascii_lowercase().starts_with("microsoft.graph.")
    {
        cast = Some(last.to_string());
        path = rest.to_string();
    }
    (example_readings(&path), cast, count)
}

/// The verify program's `client` module: one arm per operation the examples use, calling
/// its client method with the example's path parameters and body.
fn client_dispatch(plan: &Plan<'_>, requests: &[RequestCheck]) -> String {
    let used: std::collections::BTreeSet<&str> = requests
        .iter()
        .filter_map(|r| r.operation.as_deref())
        .collect();
    // Lists some example asks with OData's cast or `$count` segment.
    let odata: std::collections::BTreeSet<&str> = requests
        .iter()
        .filter(|r| r.cast.is_some() || r.count)
        .filter_map(|r| r.operation.as_deref())
        .collect();
    let arms = plan.routes.operations.iter().filter_map(|planned| {
        let entry = planned.entry.trim_start_matches("r#");
        if !used.contains(entry) {
            return None;
        }
        let method = crate::emit::ident(&planned.entry);
        let count = crate::emit::client::path_parameters(&planned.call_path).len();
        let mut args: Vec<proc_macro2::TokenStream> = (0..count)
            .map(|i| match planned.arguments.get(i) {
                Some(Some(_)) => quote! { graph_replay::typed_arg(request, #i)? },
                _ => quote! { request.arg(#i) },
            })
            .collect();
        if crate::emit::client::takes_body(plan, planned.op) {
            args.push(quote! { &graph_replay::read_body(request)? });
        }
        if odata.contains(entry) {
            return Some(quote! {
                #entry => ::std::boxed::Box::pin(async move {
                    let call = client.#method(#(#args),*);
                    let call = match request.cast.as_deref() {
                        Some(ty) => call.cast(ty),
                        None => call,
                    };
                    if request.count {
                        graph_replay::outcome(call.count_only().send_with_status().await)
                    } else {
                        graph_replay::outcome(call.send_with_status().await)
                    }
                }),
            });
        }
        Some(quote! {
            #entry => ::std::boxed::Box::pin(async move {
                graph_replay::outcome(client.#method(#(#args),*).send_with_status().await)
            }),
        })
    });
    render(quote! {
        //! Each example request through the generated client: the method its path matches.

        use graph_replay::{ClientRequest, Unmet};
        use graph_support::client::BoxFuture;

        /// Calls the client method of `request.operation`.
        pub fn dispatch<'a>(
            support: &'a graph_support::client::Client,
            request: &'a ClientRequest,
        ) -> BoxFuture<'a, Result<(u16, serde_json::Value), Unmet>> {
            let client = graph_client::Client::from(support.clone());
            match request.operation.as_deref().unwrap_or_default() {
                #(#arms)*
                other => {
                    let other = other.to_string();
                    ::std::boxed::Box::pin(async move {
                        Err(Unmet::Failed(None, format!("no client method {other}")))
                    })
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::match_path;
    use crate::schema::{Property, Schema, Type, TypeKind};

    #[test]
    fn a_request_line_without_its_slash_is_sent_with_one() {
        assert_eq!(rooted("me/devices"), "/me/devices");
        assert_eq!(rooted("/me/devices"), "/me/devices");
    }

    #[test]
    fn a_response_holding_one_property_value_is_not_read_as_the_type() {
        let schema = Schema {
            types: vec![Type {
                name: "branding".to_string(),
                kind: TypeKind::Entity,
                base: None,
                properties: vec![Property {
                    name: "signInPageText".to_string(),
                    ty: "String".to_string(),
                    collection: false,
                    relationship: false,
                    description: String::new(),
                }],
                members: Vec::new(),
                description: String::new(),
                member_details: Vec::new(),
                sources: Vec::new(),
            }],
            operations: Vec::new(),
        };
        let plan = Plan::new(&schema);
        let op = OperationFacts {
            kind: OperationKind::Get,
            name: "get".to_string(),
            method: "GET".to_string(),
            paths: vec!["/branding".to_string()],
            status: Some(200),
            ty: Some("branding".to_string()),
            returns_collection: false,
            parameters: Vec::new(),
            permissions: Default::default(),
            examples: Vec::new(),
            line: 1,
        };
        let model = |body: &str| body_model(&op, body, false, &plan);
        assert!(model(r#"{"value": "Welcome"}"#).is_err());
        assert!(
            model(r#"{"value": {"signInPageText": "Welcome"}}"#)
                .is_ok_and(|m| m.contains("Value<"))
        );
        assert!(model(r#"{"signInPageText": "Welcome"}"#).is_ok());
    }

    #[test]
    fn example_paths_match_documented_templates() {
        assert_eq!(
            match_path("/a/{aId}/b", "/a/{id}/b"),
            Some(vec![("aId", "{id}".to_string())])
        );
        assert_eq!(
            match_path("/r/f(period='{period}')", "/r/f(period='D7')"),
            Some(vec![("period", "D7".to_string())])
        );
        assert_eq!(match_path("/a/{aId}", "/a/x/b"), None);
        assert_eq!(match_path("/a/delta()", "/a/x"), None);
    }
}
