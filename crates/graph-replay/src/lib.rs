//! Replays documented example requests against a mock server over real HTTP on
//! 127.0.0.1, and the tiny HTTP/1.1 client it uses (so that tests need no client crate).
//!
//! `cargo xtask verify` calls [`run`] from its generated verify program with the router
//! of the routes crate generated for the docs; the tests use [`serve`] and [`send`].
#![deny(missing_docs)]

use std::net::SocketAddr;

use graph_support::server::MemoryStore;
use serde_json::Value;

/// One documented example request, as `cargo xtask verify` writes it.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Request {
    /// The page that documents it.
    pub page: String,
    /// Which example of the page.
    pub example: String,
    /// The HTTP method.
    pub method: String,
    /// The path as documented (placeholders are filled when sent).
    pub path: String,
    /// The body, if any.
    pub body: Option<String>,
    /// The documented success status.
    pub status: u16,
}

/// Runs `work` with the address of `app` served on 127.0.0.1, on a runtime of its own.
fn serving<F: std::future::Future<Output = Result<usize, String>>>(
    app: axum::Router,
    work: impl FnOnce(SocketAddr) -> F,
) -> Result<usize, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    runtime.block_on(async {
        let address = serve(app)
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        work(address).await
    })
}

/// Serves `app` on 127.0.0.1 (a free port) in the background; returns its address.
pub async fn serve(app: axum::Router) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(address)
}

/// A response as the tests see it.
#[derive(Debug)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The body parsed as JSON (`Null` when empty or not JSON).
    pub json: serde_json::Value,
    /// The raw body.
    pub body: String,
}

/// Sends one HTTP/1.1 request and reads the whole response (a tiny client, so that the
/// tests need no HTTP client crate).
pub async fn send(
    address: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> HttpResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(address).await else {
        return HttpResponse {
            status: 0,
            json: Value::Null,
            body: String::new(),
        };
    };
    let body = body.unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    // A server may answer (413) before reading a large body; a write error then is fine.
    let _ = stream.write_all(body).await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
    HttpResponse { status, json, body }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// Fills `{placeholder}` segments (and `{placeholder}` inside function parameters).
fn fill(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                // Only the name's letters and digits: `{id | userPrincipalName}` is one
                // value, which needs no encoding in a path.
                out.push_str("replay-");
                let name = &rest[open + 1..open + close];
                out.extend(name.chars().filter(|c| c.is_ascii_alphanumeric()));
                rest = &rest[open + close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace(' ', "%20").replace('\'', "%27")
}

/// Whether a documented path addresses one item of a collection (`…/{id}`).
fn is_item(template: &str) -> bool {
    template
        .split('?')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .ends_with('}')
}

/// Whether a request sent through the client addresses one item: its path ends in a
/// placeholder, or in the value of the matched get, update or delete's last parameter
/// under a parent the example names by placeholder (no example documents the item
/// there, so it is made like one a placeholder names).
fn addresses_item(sent: &ClientRequest) -> bool {
    let path = sent.request.path.split('?').next().unwrap_or("");
    if is_item(path) {
        return true;
    }
    let Some((parent, last)) = path.trim_end_matches('/').rsplit_once('/') else {
        return false;
    };
    let kind = sent.kind.as_deref().unwrap_or("");
    matches!(kind, "get" | "update" | "delete")
        && parent.contains('{')
        && sent.args.last().is_some_and(|arg| arg == last)
}

/// Makes sure the object a GET, PATCH or DELETE addresses exists (the store answers 404
/// for an unknown id, as Graph does): put in the store directly where the server has one,
/// else created by POST to its collection (then the new id is used). `None` when it
/// cannot be made.
async fn prepare(
    address: SocketAddr,
    store: Option<&MemoryStore>,
    item: bool,
    path: String,
) -> Option<String> {
    if !item {
        return Some(path);
    }
    let (parent, id) = path.rsplit_once('/')?;
    if let Some(store) = store {
        // A seeded object stays as documented.
        if !store.holds(parent, id) {
            let mut object = serde_json::Map::new();
            object.insert("id".to_string(), Value::String(id.to_string()));
            store.insert(parent, object);
        }
        return Some(path);
    }
    let created = send(address, "POST", parent, Some(b"{}")).await;
    let id = created.json["id"]
        .as_str()
        .filter(|_| created.status / 100 == 2)?;
    Some(format!("{parent}/{id}"))
}

/// Puts the documented example objects (`seeds`, a routes crate's `examples.json`) in
/// the store, again after each request that may have changed them, so that every example
/// meets the objects the docs show (a DELETE example does not remove the object a GET
/// example of another page reads).
fn reseed(store: Option<&MemoryStore>, seeds: Option<&str>) {
    if let (Some(store), Some(seeds)) = (store, seeds) {
        let _ = store.seed_json(seeds);
    }
}

fn is_redirect(status: u16) -> bool {
    (300..400).contains(&status)
}

fn changes_store(method: &str) -> bool {
    matches!(method, "POST" | "PATCH" | "PUT" | "DELETE")
}

/// Replays every request of `requests` (the JSON list `cargo xtask verify` writes)
/// against `app` served on 127.0.0.1, with `store` the in-memory store behind `app` (to
/// put in the objects the requests address) and `seeds` the documented example objects
/// it starts with (see [`reseed`]); prints one line per miss and a summary. Returns the
/// unexplained misses, or an error when the requests or the server cannot be set up.
pub fn run(
    requests: &str,
    app: axum::Router,
    store: Option<&MemoryStore>,
    seeds: Option<&str>,
) -> Result<usize, String> {
    let requests: Vec<ClientRequest> =
        serde_json::from_str(requests).map_err(|e| format!("requests.json: {e}"))?;
    serving(app, |address| async move {
        let (mut met, mut missed, mut explained) = (0, 0, 0);
        reseed(store, seeds);
        for matched in &requests {
            let request = &matched.request;
            // An item the request reads, updates or deletes is made first.
            let on_item = matches!(request.method.as_str(), "GET" | "PATCH" | "DELETE");
            let filled = fill(&request.path);
            let (path, creatable) = if on_item {
                match prepare(address, store, addresses_item(matched), filled.clone()).await {
                    Some(path) => (path, true),
                    None => (filled, false),
                }
            } else {
                (filled, true)
            };
            // The mock keeps an item where the docs spell its path (it reads
            // `/policies/tokenIssuancepolicies/x` as `…/tokenIssuancePolicies/x`): the
            // item is made there too.
            if let (true, Some(_), Some(documented)) = (on_item, store, &matched.documented_path) {
                prepare(address, store, is_item(documented), fill(documented)).await;
            }
            let body = request.body.as_deref().unwrap_or("");
            let reply = send(address, &request.method, &path, Some(body.as_bytes())).await;
            if changes_store(&request.method) {
                reseed(store, seeds);
            }
            let status = reply.status;
            if status == request.status {
                met += 1;
            } else if status == 404 && !creatable {
                explained += 1;
                println!(
                    "EXPLAINED {} ({}): {} {} answered 404: no documented POST creates the object it addresses",
                    request.page, request.example, request.method, request.path
                );
            } else if let Some(reason) = explain_miss(
                matched,
                status,
                reply.json["error"]["message"].as_str().unwrap_or(""),
            ) {
                explained += 1;
                println!(
                    "EXPLAINED {} ({}): {} {} answered {status}, documented {}: {reason}",
                    request.page, request.example, request.method, request.path, request.status
                );
            } else {
                missed += 1;
                let message = reply.json["error"]["message"].as_str().unwrap_or("");
                println!(
                    "MISS {} ({}): {} {} answered {status}, documented {}{}",
                    request.page,
                    request.example,
                    request.method,
                    request.path,
                    request.status,
                    if message.is_empty() {
                        String::new()
                    } else {
                        format!(": {message}")
                    }
                );
            }
        }
        println!(
            "replay: {} example requests sent to the mock server on {address}, {met} got the documented status, {explained} explained misses, {missed} unexplained misses",
            requests.len()
        );
        Ok(missed)
    })
}

/// One documented example request as the generated client sends it: the request, the
/// operation (client method) its path matches and the values of its path parameters.
#[derive(Debug, serde::Deserialize)]
pub struct ClientRequest {
    /// The request as replayed.
    #[serde(flatten)]
    pub request: Request,
    /// The client method whose documented path the example's path matches, if any.
    #[serde(default)]
    pub operation: Option<String>,
    /// The path parameters, one per distinct placeholder (`{x}` is filled when sent).
    #[serde(default)]
    pub args: Vec<String>,
    /// The kind of that operation (`get`, `list`, …).
    #[serde(default)]
    pub kind: Option<String>,
    /// The documented example response body, if any.
    #[serde(default)]
    pub response: Option<String>,
    /// OData's cast segment after the list's path (`microsoft.graph.group`), if any.
    #[serde(default)]
    pub cast: Option<String>,
    /// Whether the path ends in OData's `$count` segment after the list's path.
    #[serde(default)]
    pub count: bool,
    /// The statuses other pages document for the same method and path, where they
    /// differ from this one's.
    #[serde(default)]
    pub other_statuses: Vec<u16>,
    /// The example's path spelled as the matched documented path: where the client
    /// sends it.
    #[serde(default)]
    pub documented_path: Option<String>,
    /// The paths the example's own page documents (`GET /a/{id}`).
    #[serde(default)]
    pub page_paths: Vec<String>,
}

impl ClientRequest {
    /// The `i`th path parameter (empty when the example has fewer).
    pub fn arg(&self, i: usize) -> &str {
        self.args.get(i).map_or("", String::as_str)
    }
}

/// Why a request sent through the client did not meet its documented status.
#[derive(Debug)]
pub enum Unmet {
    /// The client or the server is wrong; the status when the service answered one.
    Failed(Option<u16>, String),
    /// The service answered a success the client cannot read as the documented type:
    /// the status, the reply body and why.
    Undecodable(u16, String, String),
    /// The example is: its body does not read as the documented type, say.
    Explained(String),
}

/// What the generated verify program passes: a call of the client method of
/// `request.operation`, answering the success status.
pub type Dispatch = for<'a> fn(
    &'a graph_support::client::Client,
    &'a ClientRequest,
)
    -> graph_support::client::BoxFuture<'a, Result<(u16, Value), Unmet>>;

/// The example's request body as the method's body type; an example body that does not
/// read is an explained miss (its round trip reports it).
pub fn read_body<T: serde::de::DeserializeOwned>(request: &ClientRequest) -> Result<T, Unmet> {
    let body = request.request.body.as_deref().unwrap_or("");
    let body = if body.trim().is_empty() { "{}" } else { body };
    serde_json::from_str(body).map_err(|e| {
        Unmet::Explained(format!(
            "the example body does not read as the documented type: {e}"
        ))
    })
}

/// Path parameter `i` of an example request read as the typed function argument the
/// client method takes; an example value that is no such value is the example's fault.
pub fn typed_arg<T: serde::de::DeserializeOwned>(
    request: &ClientRequest,
    i: usize,
) -> Result<T, Unmet> {
    let text = request.arg(i);
    // The docs write some arguments quoted or escaped (`date=%272018-03-05%27`): the
    // value is what is inside.
    let decoded = graph_support::server::percent_decode(text);
    let value = decoded
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or(&decoded);
    graph_support::from_path_value(value).ok_or_else(|| {
        Unmet::Explained(format!(
            "the example's argument `{text}` is not a value of the documented type"
        ))
    })
}

/// The success status of a client call and its typed reply as JSON, or why it failed.
pub fn outcome<T: serde::Serialize>(
    result: Result<(u16, T), graph_support::client::Error>,
) -> Result<(u16, Value), Unmet> {
    use graph_support::client::Error;
    let e = match result {
        Ok((status, reply)) => {
            return Ok((status, serde_json::to_value(reply).unwrap_or(Value::Null)));
        }
        Err(e) => e,
    };
    let why = e.to_string();
    match e {
        Error::Decode { status, body, .. } => Err(Unmet::Undecodable(status, body, why)),
        e => Err(Unmet::Failed(e.status(), why)),
    }
}

/// Sends every request of `requests` (the JSON list `cargo xtask verify` writes) through
/// the generated client (`dispatch`) to `app` served on 127.0.0.1, with `store` the
/// in-memory store behind `app` and `seeds` the documented example objects it starts with
/// (see [`reseed`]); prints one line per miss and the summary line
/// `client: N requests, K ok, F failed, E explained`. Returns F, or an error when the
/// requests or the server cannot be set up.
pub fn run_client(
    requests: &str,
    app: axum::Router,
    store: Option<&MemoryStore>,
    seeds: Option<&str>,
    bad: &BadExamples,
    dispatch: Dispatch,
) -> Result<usize, String> {
    let requests: Vec<ClientRequest> =
        serde_json::from_str(requests).map_err(|e| format!("client requests: {e}"))?;
    // Every documented response the mock may serve objects of, checked or not (a page
    // that names no type for its response has no round trip).
    let mut bad = bad.clone();
    for sent in &requests {
        if let Some(response) = &sent.response {
            let example = format!("{} ({} response)", sent.request.page, sent.request.example);
            bad.add_documented(example, response);
        }
    }
    let bad = &bad;
    serving(app, |address| async move {
        let client = graph_support::client::Client::new(format!("http://{address}"));
        let (mut ok, mut failed, mut explained) = (0, 0, 0);
        let (mut compared, mut equal) = (0, 0);
        reseed(store, seeds);
        for sent in &requests {
            let request = &sent.request;
            let miss = |what: &str, why: &str| {
                println!(
                    "{what} {} ({}): {} {} through the client: {why}",
                    request.page, request.example, request.method, request.path
                );
            };
            if sent.operation.is_none() {
                explained += 1;
                miss("EXPLAINED", &unmatched(sent));
                continue;
            }
            // The object a request reads, updates or deletes is made first.
            let mut args: Vec<String> = sent.args.iter().map(|a| fill(a)).collect();
            // An item the example names by a placeholder is the one its response shows,
            // where the store holds it (seeded) under the same parent.
            // Where the client sends it: the documented spelling.
            let sent_path = sent.documented_path.as_deref().unwrap_or(&request.path);
            let filled_path = fill(sent_path);
            let parent = filled_path.rsplit_once('/').map_or("", |(p, _)| p);
            if let (Some(last), Some(id), Some(store)) =
                (sent.args.last(), documented_id(sent), store)
                && last.starts_with('{')
                && last.ends_with('}')
                && store.holds(parent, &id)
                && let Some(arg) = args.last_mut()
            {
                *arg = id;
            }
            let mut creatable = true;
            if matches!(request.method.as_str(), "GET" | "PATCH" | "DELETE") {
                let filled = fill(sent_path);
                match prepare(address, store, addresses_item(sent), filled.clone()).await {
                    // A new object's id, for the last parameter.
                    Some(path) if path != filled => {
                        if let (Some(last), Some(id)) = (args.last_mut(), path.rsplit('/').next()) {
                            *last = id.to_string();
                        }
                    }
                    Some(_) => {}
                    None => creatable = false,
                }
            }
            let filled = ClientRequest {
                request: request.clone(),
                operation: sent.operation.clone(),
                args,
                kind: sent.kind.clone(),
                response: sent.response.clone(),
                cast: sent.cast.clone(),
                count: sent.count,
                other_statuses: sent.other_statuses.clone(),
                documented_path: sent.documented_path.clone(),
                page_paths: Vec::new(),
            };
            let answered = dispatch(&client, &filled).await;
            if changes_store(&request.method) {
                reseed(store, seeds);
            }
            // An example whose own documented response does not read as its type is
            // wrong, though the call met its status: its reply cannot be compared. Any
            // other outcome is judged as usual, so that this hides no failure.
            let own_response = format!("{} ({} response)", request.page, request.example);
            let met = answered.as_ref().is_ok_and(|(status, _)| {
                *status == request.status
                    || (is_redirect(request.status) && (200..300).contains(status))
            });
            if met && bad.fails(&own_response) {
                explained += 1;
                miss(
                    "EXPLAINED",
                    "its documented response does not read as its documented type (its round trip fails); the call met its documented status",
                );
                continue;
            }
            match answered {
                Ok((status, reply)) if status == request.status => {
                    ok += 1;
                    if let Some(documented) = documented_object(sent) {
                        compared += 1;
                        match difference(&documented, &reply, "") {
                            None => equal += 1,
                            Some(d) => miss(
                                "DIFFERS",
                                &format!("the reply differs from the documented response at {d}"),
                            ),
                        }
                    }
                }
                // A documented redirect, followed by the client to the content it names.
                Ok((status, _)) if is_redirect(request.status) && (200..300).contains(&status) => {
                    ok += 1
                }
                Ok((status, _)) if sent.other_statuses.contains(&status) => {
                    explained += 1;
                    miss(
                        "EXPLAINED",
                        &format!(
                            "answered {status}, documented {}: another page documents the same request with {status}, and the mock serves one of them",
                            request.status
                        ),
                    );
                }
                Ok((status, _)) => {
                    failed += 1;
                    miss(
                        "FAIL",
                        &format!("answered {status}, documented {}", request.status),
                    );
                }
                Err(Unmet::Failed(Some(status), _))
                    if status == request.status && (300..400).contains(&status) =>
                {
                    explained += 1;
                    miss(
                        "EXPLAINED",
                        &format!(
                            "answered the documented {status} with no Location: the mock has nothing to redirect to"
                        ),
                    );
                }
                Err(Unmet::Failed(Some(404), _)) if !creatable => {
                    explained += 1;
                    miss(
                        "EXPLAINED",
                        "answered 404: no documented POST creates the object it addresses",
                    );
                }
                Err(Unmet::Failed(_, why)) => {
                    failed += 1;
                    miss("FAIL", &why);
                }
                Err(Unmet::Undecodable(_, body, why)) => match bad.source_of(&body, &why) {
                    Some((example, failed)) => {
                        explained += 1;
                        let fault = if failed {
                            "which does not read as its documented type (its round trip fails)"
                        } else {
                            "whose property, as the docs write it, does not read as the type this operation documents"
                        };
                        miss(
                            "EXPLAINED",
                            &format!(
                                "the mock answers the documented object of {example}, {fault}: {why}"
                            ),
                        );
                    }
                    None => {
                        failed += 1;
                        miss("FAIL", &why);
                    }
                },
                Err(Unmet::Explained(why)) => {
                    explained += 1;
                    miss("EXPLAINED", &why);
                }
            }
        }
        println!(
            "client: {} requests, {ok} ok, {failed} failed, {explained} explained",
            requests.len()
        );
        println!(
            "client contents: {compared} replies to documented GETs compared with the documented response, {equal} equal, {} differ",
            compared - equal
        );
        Ok(failed)
    })
}

/// Why an example request matched no client method: what its page documents instead.
fn unmatched(sent: &ClientRequest) -> String {
    let mut why = "the example's path matches no documented path".to_string();
    if !sent.page_paths.is_empty() {
        let shown: Vec<&str> = sent.page_paths.iter().take(3).map(String::as_str).collect();
        let more = sent.page_paths.len().saturating_sub(shown.len());
        why.push_str(&format!("; the page documents `{}`", shown.join("`, `")));
        if more > 0 {
            why.push_str(&format!(" and {more} more"));
        }
    }
    why
}

/// The documented example response bodies, and which of them fail their round trip (the
/// docs show an object its documented type does not read), so that a reply made of
/// documented objects that do not read is told apart from a reply the generated code
/// gets wrong.
#[derive(Clone, Debug, Default)]
pub struct BadExamples {
    /// (which example, as `page (example N response)`, an object it shows, whether the
    /// example's round trip fails).
    objects: Vec<(String, Value, bool)>,
}

impl BadExamples {
    /// Adds the objects of one failing example body: the body, the object it wraps in
    /// `value`, and each item of a `value` list.
    pub fn add(&mut self, example: String, body: &str) {
        self.add_example(example, body, true);
    }

    /// Adds the objects of one example body whose round trip passes: an object of it
    /// may still not read as the type of another operation that serves it (an event
    /// message the mock lists among messages).
    pub fn add_documented(&mut self, example: String, body: &str) {
        self.add_example(example, body, false);
    }

    fn add_example(&mut self, example: String, body: &str, failed: bool) {
        let Ok(value) = serde_json::from_str::<Value>(body) else {
            return;
        };
        for object in objects_of(&value) {
            self.objects
                .push((example.clone(), content(object), failed));
        }
    }

    /// The example whose object a reply body shows, if any: equal but for the `id` (the
    /// store keys an object by the id its request names) and annotations. A failing
    /// example is the source of any reply that shows its object; another documented
    /// object only where it holds the property `why` (the client's decoding error,
    /// `property `a.b`: …`) names, its value as the docs write it.
    /// Returns the example and whether its round trip fails.
    pub fn source_of(&self, body: &str, why: &str) -> Option<(&str, bool)> {
        let reply = serde_json::from_str::<Value>(body).ok()?;
        let shown: Vec<Value> = objects_of(&reply).into_iter().map(content).collect();
        let failing = self
            .objects
            .iter()
            .find(|(_, object, failed)| *failed && shown.contains(object));
        let holding = || {
            let property = failing_property(why)?;
            self.objects
                .iter()
                .find(|(_, object, _)| object.get(property).is_some() && shown.contains(object))
        };
        failing
            .or_else(holding)
            .map(|(example, _, failed)| (example.as_str(), *failed))
    }
}

impl BadExamples {
    /// Whether the example (`page (example N response)`) fails its round trip.
    pub fn fails(&self, example: &str) -> bool {
        self.objects
            .iter()
            .any(|(name, _, failed)| *failed && name == example)
    }

    /// The seeds (a routes crate's `examples.json`) with each object of an example whose
    /// round trip fails reduced to its `id`: the object exists, as the docs say, but
    /// Graph holds no values that contradict its type, so the mock answers none to the
    /// requests of other pages (a list of contacts is not made unreadable by one contact
    /// page's example). The requests of those examples themselves stay explained by their
    /// own response ([`run_client`]).
    pub fn sound_seeds(&self, seeds: &str) -> String {
        let Ok(mut file) = serde_json::from_str::<Value>(seeds) else {
            return seeds.to_string();
        };
        let failing: Vec<&Value> = self
            .objects
            .iter()
            .filter(|(_, _, failed)| *failed)
            .map(|(_, object, _)| object)
            .collect();
        let seeds = file.get_mut("seeds").and_then(Value::as_array_mut);
        for seed in seeds.into_iter().flatten() {
            let Some(Value::Object(object)) = seed.get_mut("object") else {
                continue;
            };
            if failing.contains(&&content(&Value::Object(object.clone()))) {
                object.retain(|key, _| key == "id");
            }
        }
        file.to_string()
    }
}

/// The top-level property a client decoding error names: `a` of ``property `a.b`: …``.
fn failing_property(why: &str) -> Option<&str> {
    let (_, rest) = why.split_once("property `")?;
    let path = &rest[..rest.find('`')?];
    path.split('.').next().filter(|p| !p.is_empty())
}

/// An object without its `id` and `@` annotations.
fn content(object: &Value) -> Value {
    match object {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| *key != "id" && !key.starts_with('@'))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The property a body's decoding failure names, and what went wrong with it:
/// ``does not deserialize: property `size`: invalid type: …`` → (`size`, `: invalid type: …`).
fn property_failure(problem: &str) -> Option<(&str, &str)> {
    let (_, rest) = problem.split_once("does not deserialize: property `")?;
    rest.split_once('`')
}

/// Explains a body that does not read as its type where the failing property's value
/// has another JSON shape than the one `agreed` gives it: the shape the type's table (as
/// read) and its page's JSON representation agree on. The example then contradicts two
/// readings of its own page; a misread table would disagree with the representation and
/// be in no `agreed`, so this hides no extraction fault. Only a property of the body's own
/// objects (not a nested one) is judged.
pub fn contradicts_agreed_shape(
    problem: &str,
    body: &str,
    agreed: &std::collections::BTreeMap<String, String>,
) -> Option<&'static str> {
    let (property, _) = property_failure(problem)?;
    let expected = agreed.get(property)?;
    let body: Value = serde_json::from_str(body).ok()?;
    let contradicted = objects_of(&body)
        .into_iter()
        .filter_map(|object| object.get(property))
        .any(|value| !has_shape(value, expected));
    contradicted.then_some(
        "its value has another shape than the one its type's table and its page's JSON representation agree on",
    )
}

/// Explains a body whose property, documented as one value of an enum (`enums`), holds a
/// JSON number: OData writes an enum value as a string (its member's name, or its number
/// in quotes), never as a bare number, so the example is not what Graph sends.
pub fn number_for_enum(problem: &str, enums: &[String]) -> Option<&'static str> {
    let (property, error) = property_failure(problem)?;
    let number = ["invalid type: integer", "invalid type: floating point"]
        .iter()
        .any(|text| error.contains(text));
    (number && error.contains("expected a string") && enums.iter().any(|e| e == property))
        .then_some("a bare number where an enum is documented, which OData writes as a string")
}

/// Whether a value has a shape as verify names them (`string`, `object`, `array of
/// number`, …); `null` has every shape.
fn has_shape(value: &Value, shape: &str) -> bool {
    if let Some(item) = shape.strip_prefix("array of ") {
        return match value {
            Value::Array(items) => items.iter().all(|i| has_shape(i, item)),
            other => other.is_null(),
        };
    }
    match value {
        Value::Null => true,
        Value::Bool(_) => shape == "boolean",
        Value::Number(_) => shape == "number",
        Value::String(_) => shape == "string",
        Value::Array(_) => shape == "array",
        Value::Object(_) => shape == "object",
    }
}

/// A body's objects: itself, and the object or each item in its `value`.
fn objects_of(value: &Value) -> Vec<&Value> {
    let mut out = vec![value];
    match value.get("value") {
        Some(Value::Array(items)) => out.extend(items.iter().filter(|i| i.is_object())),
        Some(inner @ Value::Object(_)) => out.push(inner),
        _ => {}
    }
    out
}

/// The `id` of the object a documented GET of one item answers.
fn documented_id(sent: &ClientRequest) -> Option<String> {
    let object = documented_object(sent)?;
    Some(object.get("id")?.as_str()?.to_string())
}

/// The object a documented GET of one item answers, where the mock is to answer it as
/// documented: the example's response (its `value` where it wraps one).
fn documented_object(sent: &ClientRequest) -> Option<Value> {
    if sent.kind.as_deref() != Some("get") || sent.request.method != "GET" {
        return None;
    }
    // Query options (`$select`, `$expand`) shape the documented reply; the mock ignores them.
    if sent.request.path.contains('?') {
        return None;
    }
    let value: Value = serde_json::from_str(sent.response.as_deref()?).ok()?;
    let object = match value.get("value") {
        Some(inner @ Value::Object(_)) => inner.clone(),
        _ => value,
    };
    object.is_object().then_some(object)
}

/// The first place a reply misses what the documented response shows: each documented
/// property must come back equal (numbers by value; annotations such as
/// `@odata.context` are the service's, not the object's, and are skipped).
fn difference(want: &Value, got: &Value, at: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .filter(|(key, _)| !key.starts_with("@odata.context"))
            .find_map(|(key, value)| match b.get(key) {
                Some(other) => difference(value, other, &format!("{at}.{key}")),
                None => Some(format!("{at}.{key}: missing")),
            }),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, &format!("{at}[{i}]"))),
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
        _ if want == got => None,
        _ => Some(format!("{at}: {want} became {got}")),
    }
}

/// Why a replayed example's answer differs from its documented status, where the docs
/// are the cause: its path is none the docs document, another page documents the status
/// the mock answered for the same request, or its body holds a value the docs got wrong
/// (a 400 naming it).
fn explain_miss(request: &ClientRequest, status: u16, message: &str) -> Option<String> {
    if request.operation.is_none() {
        return Some("the example's path is none the docs document".to_string());
    }
    if request.other_statuses.contains(&status) {
        return Some(format!("another page documents {status} for this request"));
    }
    if status == 404
        && let Some(documented) = relative_to_user(request)
    {
        return Some(format!(
            "its page documents the path relative to the user (`{documented}`), where the mock serves it"
        ));
    }
    if status != 400 {
        return None;
    }
    if message.starts_with("the request body is not valid JSON") {
        return Some(format!("the example body is {NOT_JSON}"));
    }
    let (_, problem) = message.split_once(" is invalid: ")?;
    if let Some(reason) = value_fault(problem) {
        return Some(format!("the example body holds {reason}"));
    }
    let action = request.kind.as_deref() == Some("action");
    // A request body is typed by a resource page or a parameter table, never by a
    // sentence of the example's page.
    self_contradiction(message, action, false)
        .map(|reason| format!("the example body holds {reason}"))
}

/// The documented path an example under the user (`/me/settings/x`) was matched to
/// where its page documents it below the user (`/settings/x`), if it was.
fn relative_to_user(request: &ClientRequest) -> Option<&str> {
    let documented = request.documented_path.as_deref()?;
    let path = request.request.path.split('?').next().unwrap_or("");
    let under_user = path.starts_with("/me/") || path.starts_with("/users/");
    let below = path.len() > documented.len()
        && path.is_char_boundary(path.len() - documented.len())
        && path[path.len() - documented.len()..].eq_ignore_ascii_case(documented);
    (under_user && below && !documented.starts_with("/me/") && !documented.starts_with("/users/"))
        .then_some(documented)
}

/// An example that is no JSON even read as an abbreviation.
const NOT_JSON: &str = "not JSON, even read as an abbreviation";

/// Why an example body that failed its round trip is the docs' fault, if it is: it is
/// no JSON even read as an abbreviation, or a value in it is no value of the primitive
/// type the page documents for its property (see [`value_fault`]). A body that reads but
/// comes back changed, or a value of another shape than its type (an object for a
/// string), is never explained here: that may be the models' fault.
pub fn wrong_example_value(problem: &str) -> Option<&'static str> {
    if problem.starts_with("the example is not JSON") {
        return Some(NOT_JSON);
    }
    value_fault(problem.strip_prefix("does not deserialize: ")?)
}

/// Why an example body that failed its round trip (or a 400 the mock answered for it)
/// is the docs' fault where it holds a value of another shape than its model (an object
/// for a string, one string for a list) and that shape comes from the example's own page:
/// the whole body of a response whose primitive type the page's own sentence gives
/// ("returns a string collection": `sentence_typed`), or a top-level property of an
/// action's request (`parameters`), typed by the page's own parameter table. The page
/// contradicts itself. A property of a type is not, nor a whole body typed as a model:
/// their shape comes from another page, which the models may have misread.
pub fn self_contradiction(
    problem: &str,
    parameters: bool,
    sentence_typed: bool,
) -> Option<&'static str> {
    let at = problem.find("invalid type: ")?;
    if value_fault(&problem[at..]).is_some() {
        return None;
    }
    let path = problem[..at]
        .split_once("property `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(path, _)| path);
    match path {
        None if sentence_typed => {
            Some("an example of another shape than the type its own page names")
        }
        None => None,
        Some(path) if parameters && !path.is_empty() && !path.contains('.') => {
            Some("a value of another shape than its page's parameter table documents")
        }
        Some(_) => None,
    }
}

/// The value fault a model's deserialization error names, if any: a placeholder date,
/// GUID or base64, or a boolean or number written as a string.
fn value_fault(error: &str) -> Option<&'static str> {
    // chrono's words for a text that is no date (EDM `Date` is a `chrono::NaiveDate`).
    const NO_DATE: &str = "a date that is a placeholder or no date";
    const FAULTS: [(&str, &str); 9] = [
        (
            "is not an RFC 3339 date-time",
            "a date-time that is a placeholder or not RFC 3339",
        ),
        ("is not a GUID", "a placeholder where a GUID is documented"),
        ("is not base64", "base64 that the docs cut short or made up"),
        (
            "is not a time of day",
            "a time of day that is a placeholder",
        ),
        (
            "is not an ISO 8601 duration",
            "a duration that is a placeholder",
        ),
        ("input contains invalid characters", NO_DATE),
        ("premature end of input", NO_DATE),
        ("trailing input", NO_DATE),
        ("input is out of range", NO_DATE),
    ];
    if let Some((_, reason)) = FAULTS.iter().find(|(text, _)| error.contains(text)) {
        return Some(reason);
    }
    let scalar = ["a boolean", "i8", "i16", "i32", "i64", "u8", "f64"]
        .iter()
        .any(|ty| error.ends_with(&format!("expected {ty}")));
    let (_, text) = error.split_once("invalid type: string \"")?;
    let text = text
        .rsplit_once("\", expected")
        .map_or(text, |(text, _)| text);
    (scalar && (is_scalar_text(text) || names_a_type(text)))
        .then_some("a boolean or number written as a string, or a placeholder naming its type")
}

/// `5`, `-1.5`, `true`: a value that only its quotes keep from its documented type.
fn is_scalar_text(text: &str) -> bool {
    text.parse::<f64>().is_ok()
        || text.eq_ignore_ascii_case("true")
        || text.eq_ignore_ascii_case("false")
}

/// A placeholder that names a type instead of giving a value (`Boolean`, `Int32`,
/// `string`, `number-value`). Any other text where a number or boolean is documented
/// stays a failure: the property may be misread.
fn names_a_type(text: &str) -> bool {
    const WORDS: [&str; 10] = [
        "bool", "int", "number", "double", "single", "decimal", "float", "byte", "long", "string",
    ];
    let lower = text.to_ascii_lowercase();
    WORDS.iter().any(|word| lower.contains(word)) || lower.ends_with("value")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reply_of_documented_objects_names_the_example_it_comes_from() {
        let mut examples = BadExamples::default();
        examples.add(
            "p (example 1 response)".to_string(),
            r#"{"id": "a", "n": "x"}"#,
        );
        examples.add_documented(
            "q (example 1 response)".to_string(),
            r#"{"value": [{"id": "b", "list": []}]}"#,
        );
        let list = r#"{"value": [{"id": "b", "list": []}, {"id": "c"}]}"#;
        // A documented object holding the property the client could not read.
        assert_eq!(
            examples.source_of(list, "property `list.x`: invalid type"),
            Some(("q (example 1 response)", false))
        );
        // Not when the error names a property no documented object there holds.
        assert_eq!(
            examples.source_of(list, "property `other`: invalid type"),
            None
        );
        assert_eq!(examples.source_of(list, "no property named"), None);
        // An object of an example whose round trip fails, whatever the error, its id aside.
        assert_eq!(
            examples.source_of(r#"{"id": "z", "n": "x"}"#, ""),
            Some(("p (example 1 response)", true))
        );
        assert_eq!(examples.source_of("not JSON", "property `n`"), None);
    }

    #[test]
    fn the_mock_holds_no_object_of_an_example_that_fails_its_round_trip() {
        let mut examples = BadExamples::default();
        examples.add(
            "p (example 1 response)".to_string(),
            r#"{"value": [{"id": "a", "birthday": "1974-07-22"}]}"#,
        );
        examples.add_documented("q (example 1 response)".to_string(), r#"{"id": "b"}"#);
        assert!(examples.fails("p (example 1 response)"));
        assert!(!examples.fails("q (example 1 response)"));
        let seeds = r#"{"seeds": [
            {"path": "/me/contacts", "object": {"id": "a", "birthday": "1974-07-22"}},
            {"path": "/me/contacts", "object": {"id": "b"}}
        ]}"#;
        let sound: Value = serde_json::from_str(&examples.sound_seeds(seeds)).unwrap();
        let objects: Vec<&Value> = sound["seeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|seed| &seed["object"])
            .collect();
        assert_eq!(objects, [&json!({"id": "a"}), &json!({"id": "b"})]);
    }

    #[test]
    fn a_path_its_page_documents_below_the_user_explains_a_404() {
        let sent = |path: &str, documented: &str| ClientRequest {
            request: Request {
                page: "p".to_string(),
                example: "example 1".to_string(),
                method: "GET".to_string(),
                path: path.to_string(),
                body: None,
                status: 200,
            },
            operation: Some("settings_get".to_string()),
            args: Vec::new(),
            kind: Some("get".to_string()),
            response: None,
            cast: None,
            count: false,
            other_statuses: Vec::new(),
            documented_path: Some(documented.to_string()),
            page_paths: Vec::new(),
        };
        let relative = sent("/me/settings/regional", "/settings/Regional");
        assert!(explain_miss(&relative, 404, "").is_some());
        assert_eq!(explain_miss(&relative, 500, ""), None);
        assert_eq!(
            explain_miss(&sent("/me/settings", "/me/settings"), 404, ""),
            None
        );
    }

    #[test]
    fn an_unmatched_example_says_what_its_page_documents() {
        let sent = |paths: &[&str]| ClientRequest {
            request: Request {
                page: "p".to_string(),
                example: "example 1".to_string(),
                method: "GET".to_string(),
                path: "/me/calendar".to_string(),
                body: None,
                status: 200,
            },
            operation: None,
            args: Vec::new(),
            kind: None,
            response: None,
            cast: None,
            count: false,
            other_statuses: Vec::new(),
            documented_path: None,
            page_paths: paths.iter().map(|p| p.to_string()).collect(),
        };
        assert_eq!(
            unmatched(&sent(&[])),
            "the example's path matches no documented path"
        );
        assert_eq!(
            unmatched(&sent(&["GET /a", "GET /b", "GET /c", "GET /d"])),
            "the example's path matches no documented path; the page documents `GET /a`, `GET /b`, `GET /c` and 1 more"
        );
    }

    #[test]
    fn only_values_the_docs_got_wrong_explain_a_round_trip_failure() {
        let explained = [
            "does not deserialize: property `birthday`: `datetime-value` is not an RFC 3339 date-time at line 3 column 2",
            "does not deserialize: property `skuId`: `skuId-value` is not a GUID",
            "does not deserialize: property `key`: `MIIDY...` is not base64: Invalid symbol 46, offset 4.",
            "does not deserialize: property `isSynced`: invalid type: string \"Boolean\", expected a boolean",
            "does not deserialize: property `count`: invalid type: string \"5\", expected i32",
            "does not deserialize: property `size`: invalid type: string \"Int32\", expected i32",
            "the example is not JSON: key must be a string at line 1 column 2",
            "does not deserialize: property `startDate`: input contains invalid characters",
        ];
        for problem in explained {
            assert!(wrong_example_value(problem).is_some(), "{problem}");
        }
        let ours = [
            "round trip changed .skuId: \"A\" became \"a\"",
            "does not deserialize: property `owner`: invalid type: map, expected a string",
            "does not deserialize: property `tags`: invalid type: string \"x\", expected a sequence",
            "does not deserialize: property `size`: invalid type: string \"large\", expected i32",
            "does not serialize: x",
        ];
        for problem in ours {
            assert_eq!(wrong_example_value(problem), None, "{problem}");
        }
    }

    #[test]
    fn a_value_contradicting_two_readings_of_its_page_explains_a_failure() {
        let agreed = std::collections::BTreeMap::from([
            ("unsubscribeData".to_string(), "string".to_string()),
            ("from".to_string(), "object".to_string()),
        ]);
        let problem = "does not deserialize: property `unsubscribeData`: invalid type: sequence, expected a string at line 1 column 40";
        let listed = r#"{"value": [{"subject": "a"}, {"unsubscribeData": ["mailto:x"]}]}"#;
        assert!(contradicts_agreed_shape(problem, listed, &agreed).is_some());
        // No agreement on the property (the table and the representation differ, or the
        // page has no representation): a failure stays a failure.
        let other = problem.replace("unsubscribeData", "tags");
        assert_eq!(contradicts_agreed_shape(&other, listed, &agreed), None);
        // A nested property is not judged by its parent's shape.
        let nested = "does not deserialize: property `from.emailAddress`: invalid type: sequence, expected a map";
        let body = r#"{"from": {"emailAddress": []}}"#;
        assert_eq!(contradicts_agreed_shape(nested, body, &agreed), None);
        // The example's value has the agreed shape: the fault is elsewhere.
        let agreeing = r#"{"unsubscribeData": "mailto:x"}"#;
        assert_eq!(contradicts_agreed_shape(problem, agreeing, &agreed), None);
        // A collection's items are judged one by one.
        let agreed = std::collections::BTreeMap::from([(
            "exceptionOccurrences".to_string(),
            "array of string".to_string(),
        )]);
        let items = "does not deserialize: property `exceptionOccurrences`: invalid type: map, expected a string";
        let body = r#"{"exceptionOccurrences": ["a", {"id": "b"}]}"#;
        assert!(contradicts_agreed_shape(items, body, &agreed).is_some());
        let body = r#"{"exceptionOccurrences": ["a", null, "b"]}"#;
        assert_eq!(contradicts_agreed_shape(items, body, &agreed), None);
    }

    #[test]
    fn a_bare_number_for_an_enum_is_the_examples_fault() {
        let enums = ["volumeType".to_string()];
        let problem = "does not deserialize: property `volumeType`: invalid type: integer `1`, expected a string";
        assert!(number_for_enum(problem, &enums).is_some());
        // A string property holding a number may be misread: it stays a failure.
        let string = problem.replace("volumeType", "label");
        assert_eq!(number_for_enum(&string, &enums), None);
        let map =
            "does not deserialize: property `volumeType`: invalid type: map, expected a string";
        assert_eq!(number_for_enum(map, &enums), None);
    }

    #[test]
    fn a_shape_the_examples_own_page_documents_explains_a_failure() {
        let top = "does not deserialize: invalid type: map, expected a string";
        assert!(self_contradiction(top, false, true).is_some());
        // A whole body typed as a model (by its resource page) stays a failure.
        let model = "does not deserialize: invalid type: sequence, expected a `user` object";
        assert_eq!(self_contradiction(model, false, false), None);
        let parameter = "does not deserialize: property `memberId`: invalid type: string \"x\", expected a sequence";
        assert!(self_contradiction(parameter, true, false).is_some());
        // A property of a type documented elsewhere, or a nested one, stays a failure.
        assert_eq!(self_contradiction(parameter, false, true), None);
        let nested = "does not deserialize: property `a.b`: invalid type: map, expected a string";
        assert_eq!(self_contradiction(nested, true, true), None);
        // A value fault is no shape.
        let value = "does not deserialize: property `n`: invalid type: string \"5\", expected i32";
        assert_eq!(self_contradiction(value, true, true), None);
        // The mock's 400 for an action's body.
        let answered =
            "property `memberId` is invalid: invalid type: string \"x\", expected a sequence";
        assert!(self_contradiction(answered, true, false).is_some());
    }
}
