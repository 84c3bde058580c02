//! Shared helpers for the integration tests: where the workspace, the inputs and the
//! corpus are.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The default input folder, `docs-input/`.
pub fn docs_input() -> PathBuf {
    workspace().join("docs-input")
}

/// The shared corpus: `$GRAPHGEN_CORPUS`, else `../shared/corpus` beside the workspace.
/// `None` (with a printed notice) when it is absent, so that corpus tests skip.
pub fn corpus() -> Option<PathBuf> {
    let path = std::env::var_os("GRAPHGEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"));
    if path.join("markdown").is_dir() {
        Some(path)
    } else {
        println!(
            "notice: corpus not found at {}; set GRAPHGEN_CORPUS to run this test on it. Skipping.",
            path.display()
        );
        None
    }
}

/// A fresh empty temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("graphgen-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Recursively removes every `"line"` key, so that facts from different formats (whose
/// source lines differ) can be compared; compares example bodies as JSON values (copied
/// text loses indentation) and descriptions without their white space (text copied from
/// the rendered page puts a space after every inline code span, which cannot be told from
/// a real space unless punctuation follows).
pub fn without_lines(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("line");
            if let Some(serde_json::Value::String(description)) = map.get_mut("description") {
                description.retain(|c| !c.is_whitespace());
            }
            if let Some(serde_json::Value::String(body)) = map.get("body") {
                let parsed = serde_json::from_str::<serde_json::Value>(body)
                    .unwrap_or_else(|_| serde_json::Value::String(fold(body)));
                map.insert("body".into(), parsed);
            }
            map.values_mut().for_each(without_lines);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_lines),
        _ => {}
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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

/// Starts the generated mock server on 127.0.0.1, port 0, and returns its address.
pub async fn start_mock_server() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let app = graph_routes::router(std::sync::Arc::new(graph_routes::Memory::default()));
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    address
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
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let body = body.unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
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
