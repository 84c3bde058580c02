//! Replays every documented example request against the generated mock server on
//! 127.0.0.1 and counts the documented statuses met and missed. (Copied into the verify
//! workspace by `cargo xtask verify`; not compiled as part of graphgen.)

use serde_json::Value;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(serde::Deserialize)]
struct Request {
    page: String,
    example: String,
    method: String,
    path: String,
    body: Option<String>,
    status: u16,
}

/// Sends one request; returns the status and the body as JSON.
async fn send(address: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Value) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(address).await else {
        return (0, Value::Null);
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw);
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let json = text
        .split_once("\r\n\r\n")
        .and_then(|(_, body)| serde_json::from_str(body).ok())
        .unwrap_or(Value::Null);
    (status, json)
}

/// Fills `{placeholder}` segments (and `{placeholder}` inside function parameters).
fn fill(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str("replay-");
                out.push_str(&rest[open + 1..open + close]);
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

/// Makes sure the object a GET or DELETE addresses exists: PATCH creates it where the
/// docs document a PATCH for it, else POST to its collection (then the new id is used).
/// `None` when the docs document no way to create it.
async fn prepare(address: SocketAddr, request: &Request, path: String) -> Option<String> {
    let template_is_item = request.path.split('?').next().unwrap_or("").trim_end_matches('/').ends_with('}');
    if !template_is_item {
        return Some(path);
    }
    if send(address, "PATCH", &path, "{}").await.0 / 100 == 2 {
        return Some(path);
    }
    let (parent, _) = path.rsplit_once('/')?;
    let (status, created) = send(address, "POST", parent, "{}").await;
    let id = created["id"].as_str().filter(|_| status / 100 == 2)?;
    Some(format!("{parent}/{id}"))
}

/// Replays every request; prints one line per miss and a summary; returns the misses.
pub fn run(requests: &str) -> usize {
    let requests: Vec<Request> = serde_json::from_str(requests).expect("requests.json");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("address");
        let app = graph_routes::router(std::sync::Arc::new(graph_routes::Memory::default()));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let (mut met, mut missed, mut explained) = (0, 0, 0);
        for request in &requests {
            // An item the request reads or deletes is made first where the docs allow.
            let is_item_read = matches!(request.method.as_str(), "GET" | "DELETE");
            let filled = fill(&request.path);
            let (path, creatable) = if is_item_read {
                match prepare(address, request, filled.clone()).await {
                    Some(path) => (path, true),
                    None => (filled, false),
                }
            } else {
                (filled, true)
            };
            let body = request.body.as_deref().unwrap_or("");
            let (status, reply) = send(address, &request.method, &path, body).await;
            if status == request.status {
                met += 1;
            } else if status == 404 && !creatable {
                explained += 1;
                println!(
                    "EXPLAINED {} ({}): {} {} answered 404: no documented route (PATCH or POST) creates the object it reads",
                    request.page, request.example, request.method, request.path
                );
            } else {
                missed += 1;
                let message = reply["error"]["message"].as_str().unwrap_or("");
                println!(
                    "MISS {} ({}): {} {} answered {status}, documented {}{}",
                    request.page,
                    request.example,
                    request.method,
                    request.path,
                    request.status,
                    if message.is_empty() { String::new() } else { format!(": {message}") }
                );
            }
        }
        println!(
            "replay: {} example requests sent to the mock server on {address}, {met} got the documented status, {explained} explained misses, {missed} unexplained misses",
            requests.len()
        );
        missed
    })
}
