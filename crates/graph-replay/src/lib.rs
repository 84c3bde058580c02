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

/// Makes sure the object a GET, PATCH or DELETE addresses exists (the store answers 404
/// for an unknown id, as Graph does): put in the store directly where the server has one,
/// else created by POST to its collection (then the new id is used). `None` when it
/// cannot be made.
async fn prepare(
    address: SocketAddr,
    store: Option<&MemoryStore>,
    request: &Request,
    path: String,
) -> Option<String> {
    if !is_item(&request.path) {
        return Some(path);
    }
    let (parent, id) = path.rsplit_once('/')?;
    if let Some(store) = store {
        let mut object = serde_json::Map::new();
        object.insert("id".to_string(), Value::String(id.to_string()));
        store.insert(parent, object);
        return Some(path);
    }
    let created = send(address, "POST", parent, Some(b"{}")).await;
    let id = created.json["id"]
        .as_str()
        .filter(|_| created.status / 100 == 2)?;
    Some(format!("{parent}/{id}"))
}

/// Replays every request of `requests` (the JSON list `cargo xtask verify` writes)
/// against `app` served on 127.0.0.1, with `store` the in-memory store behind `app` (to
/// put in the objects the requests address); prints one line per miss and a summary.
/// Returns the unexplained misses, or an error when the requests or the server cannot be
/// set up.
pub fn run(
    requests: &str,
    app: axum::Router,
    store: Option<&MemoryStore>,
) -> Result<usize, String> {
    let requests: Vec<Request> =
        serde_json::from_str(requests).map_err(|e| format!("requests.json: {e}"))?;
    serving(app, |address| async move {
        let (mut met, mut missed, mut explained) = (0, 0, 0);
        for request in &requests {
            // An item the request reads, updates or deletes is made first.
            let on_item = matches!(request.method.as_str(), "GET" | "PATCH" | "DELETE");
            let filled = fill(&request.path);
            let (path, creatable) = if on_item {
                match prepare(address, store, request, filled.clone()).await {
                    Some(path) => (path, true),
                    None => (filled, false),
                }
            } else {
                (filled, true)
            };
            let body = request.body.as_deref().unwrap_or("");
            let reply = send(address, &request.method, &path, Some(body.as_bytes())).await;
            let status = reply.status;
            if status == request.status {
                met += 1;
            } else if status == 404 && !creatable {
                explained += 1;
                println!(
                    "EXPLAINED {} ({}): {} {} answered 404: no documented POST creates the object it addresses",
                    request.page, request.example, request.method, request.path
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
    /// The example is: its body does not read as the documented type, say.
    Explained(String),
}

/// What the generated verify program passes: a call of the client method of
/// `request.operation`, answering the success status.
pub type Dispatch = for<'a> fn(
    &'a graph_support::client::Client,
    &'a ClientRequest,
) -> graph_support::client::BoxFuture<'a, Result<u16, Unmet>>;

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
    graph_support::from_path_value(text).ok_or_else(|| {
        Unmet::Explained(format!(
            "the example's argument `{text}` is not a value of the documented type"
        ))
    })
}

/// The success status of a client call, or why it failed.
pub fn outcome<T>(result: Result<(u16, T), graph_support::client::Error>) -> Result<u16, Unmet> {
    result
        .map(|(status, _)| status)
        .map_err(|e| Unmet::Failed(e.status(), e.to_string()))
}

/// Sends every request of `requests` (the JSON list `cargo xtask verify` writes) through
/// the generated client (`dispatch`) to `app` served on 127.0.0.1, with `store` the
/// in-memory store behind `app`; prints one line per miss and the summary line
/// `client: N requests, K ok, F failed, E explained`. Returns F, or an error when the
/// requests or the server cannot be set up.
pub fn run_client(
    requests: &str,
    app: axum::Router,
    store: Option<&MemoryStore>,
    dispatch: Dispatch,
) -> Result<usize, String> {
    let requests: Vec<ClientRequest> =
        serde_json::from_str(requests).map_err(|e| format!("client requests: {e}"))?;
    serving(app, |address| async move {
        let client = graph_support::client::Client::new(format!("http://{address}"));
        let (mut ok, mut failed, mut explained) = (0, 0, 0);
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
                miss("EXPLAINED", "the example's path matches no documented path");
                continue;
            }
            // The object a request reads, updates or deletes is made first.
            let mut args: Vec<String> = sent.args.iter().map(|a| fill(a)).collect();
            let mut creatable = true;
            if matches!(request.method.as_str(), "GET" | "PATCH" | "DELETE") {
                let filled = fill(&request.path);
                match prepare(address, store, request, filled.clone()).await {
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
            };
            match dispatch(&client, &filled).await {
                Ok(status) if status == request.status => ok += 1,
                Ok(status) => {
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
        Ok(failed)
    })
}
