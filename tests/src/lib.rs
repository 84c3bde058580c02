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
    shared_corpus("GRAPHGEN_CORPUS", "corpus")
}

/// The corpus of the other Graph workloads: `$GRAPHGEN_CORPUS_GRAPH`, else
/// `../shared/corpus-graph`; `None` with a notice when it is absent.
pub fn corpus_graph() -> Option<PathBuf> {
    shared_corpus("GRAPHGEN_CORPUS_GRAPH", "corpus-graph")
}

fn shared_corpus(variable: &str, folder: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared").join(folder));
    if path.join("markdown").is_dir() {
        Some(path)
    } else {
        println!(
            "notice: corpus not found at {}; set {variable} to run this test on it. Skipping.",
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

pub use graph_replay::{HttpResponse, send};

/// Starts the generated mock server on 127.0.0.1, port 0, and returns its address.
pub async fn start_mock_server() -> std::net::SocketAddr {
    start_server(graph_routes::Server::new()).await
}

/// Starts a generated server (with whatever handlers it holds) on 127.0.0.1, port 0.
pub async fn start_server(server: graph_routes::Server) -> std::net::SocketAddr {
    graph_replay::serve(server.router())
        .await
        .expect("serve on 127.0.0.1")
}
