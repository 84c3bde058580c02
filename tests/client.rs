//! The generated client over real HTTP on 127.0.0.1: against the generated mock server,
//! and against small hand-written servers for paging, throttling and failures.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use graph_client::{Client, Error, RetryPolicy, StaticToken, TryStreamExt};
use graph_models::DeviceCategory;
use graph_support::Field;
use graphgen_tests::start_mock_server;
use serde_json::json;

/// A client for a server on 127.0.0.1 that waits no time between retries.
fn client_for(address: std::net::SocketAddr) -> Client {
    Client::new()
        .with_base_url(format!("http://{address}"))
        .with_retry_policy(RetryPolicy {
            max_retries: 2,
            default_wait: Duration::ZERO,
            max_wait: Duration::from_secs(5),
        })
}

/// Serves one hand-written handler on every path; returns its address.
async fn serve<F, Fut, R>(handler: F) -> std::net::SocketAddr
where
    F: Fn(Uri, HeaderMap) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = R> + Send + 'static,
    R: IntoResponse + 'static,
{
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let handler = handler.clone();
        async move { handler(uri, headers).await.into_response() }
    });
    graph_replay::serve(app).await.expect("serve on 127.0.0.1")
}

/// A 200 JSON reply.
fn json_reply(body: &serde_json::Value) -> axum::response::Response {
    let headers = [("Content-Type", "application/json")];
    (StatusCode::OK, headers, body.to_string()).into_response()
}

fn category(name: &str) -> DeviceCategory {
    DeviceCategory {
        display_name: Field::Value(name.to_string()),
        ..DeviceCategory::default()
    }
}

#[tokio::test]
async fn device_categories_are_created_listed_read_updated_and_deleted_through_the_mock_server() {
    let client = client_for(start_mock_server().await);
    for name in ["Kiosks", "Laptops"] {
        let created = client
            .device_category_create(&category(name))
            .await
            .expect("created");
        assert!(
            created.id.is_present(),
            "the store gives an id: {created:?}"
        );
    }
    let listed = client.device_category_list().await.expect("listed");
    let names: Vec<_> = listed
        .value
        .iter()
        .map(|c| c.display_name.clone())
        .collect();
    assert_eq!(
        names,
        [
            Field::Value("Kiosks".into()),
            Field::Value("Laptops".into())
        ]
    );
    let id = listed.value[0].id.as_option().expect("an id").clone();
    let change = DeviceCategory {
        description: Field::Value("shared devices".into()),
        ..DeviceCategory::default()
    };
    client
        .device_category_update(&id, &change)
        .await
        .expect("updated");
    let read = client.device_category_get(&id).await.expect("read");
    assert_eq!(read.display_name, Field::Value("Kiosks".into()));
    assert_eq!(read.description, Field::Value("shared devices".into()));
    client.device_category_delete(&id).await.expect("deleted");
    let items: Vec<DeviceCategory> = client.device_category_list().all().await.expect("all");
    assert_eq!(items.len(), 1);
}

#[tokio::test]
async fn a_graph_error_is_surfaced_with_its_inner_error() {
    let client = client_for(start_mock_server().await);
    let error = client
        .device_category_get("no-such-id")
        .await
        .expect_err("an unknown id is a 404");
    assert_eq!(error.status(), Some(404));
    let graph = error.graph_error().expect("a Graph error body");
    assert_eq!(graph.error.code, "ResourceNotFound");
    let inner = graph.error.inner_error.as_ref().expect("innerError");
    assert!(inner.request_id.is_some(), "{inner:?}");
    assert!(
        error
            .to_string()
            .starts_with("the service answered 404: ResourceNotFound")
    );
}

#[tokio::test]
async fn a_list_is_read_across_three_pages_with_query_options_and_the_token() {
    let address_cell = Arc::new(std::sync::OnceLock::<String>::new());
    let cell = address_cell.clone();
    let address = serve(move |uri: Uri, headers: HeaderMap| {
        let base = cell.get().cloned().unwrap_or_default();
        async move {
            assert_eq!(
                headers.get("authorization").and_then(|v| v.to_str().ok()),
                Some("Bearer secret")
            );
            let query = uri.query().unwrap_or_default().to_string();
            let page = match query.as_str() {
                "$filter=startswith(displayName,%27K%20%26%20L%27)&$top=2" => 1,
                "$skiptoken=2" => 2,
                "$skiptoken=3" => 3,
                other => panic!("unexpected query {other}"),
            };
            let mut body = json!({"value": [{"id": format!("c{page}"), "displayName": format!("page {page}")}]});
            if page < 3 {
                body["@odata.nextLink"] = json!(format!(
                    "{base}/deviceManagement/deviceCategories?$skiptoken={}",
                    page + 1
                ));
            }
            json_reply(&body)
        }
    })
    .await;
    let _ = address_cell.set(format!("http://{address}"));
    let client = client_for(address).with_token_provider(StaticToken("secret".into()));
    let items: Vec<DeviceCategory> = client
        .device_category_list()
        .filter("startswith(displayName,'K & L')")
        .top(2)
        .items()
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<_> = items.iter().map(|c| c.id.clone()).collect();
    assert_eq!(
        ids,
        [
            Field::Value("c1".into()),
            Field::Value("c2".into()),
            Field::Value("c3".into())
        ]
    );
}

#[tokio::test]
async fn throttled_requests_are_retried_a_bounded_number_of_times() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let seen = attempts.clone();
    let address = serve(move |_: Uri, _: HeaderMap| {
        let attempt = seen.fetch_add(1, Ordering::SeqCst);
        async move {
            if attempt == 0 {
                (StatusCode::TOO_MANY_REQUESTS, [("Retry-After", "0")], "").into_response()
            } else {
                json_reply(&json!({"id": "c1"})).into_response()
            }
        }
    })
    .await;
    let read = client_for(address)
        .device_category_get("c1")
        .await
        .expect("the second attempt");
    assert_eq!(read.id, Field::Value("c1".into()));
    assert_eq!(attempts.load(Ordering::SeqCst), 2);

    let attempts = Arc::new(AtomicUsize::new(0));
    let seen = attempts.clone();
    let address = serve(move |_: Uri, _: HeaderMap| {
        seen.fetch_add(1, Ordering::SeqCst);
        async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [("Retry-After", "0")],
                "busy",
            )
        }
    })
    .await;
    let error = client_for(address)
        .device_category_get("c1")
        .await
        .expect_err("still unavailable");
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "one try and two retries"
    );
}

#[tokio::test]
async fn a_bad_base_url_or_a_refused_connection_is_a_clear_error() {
    let error = Client::new()
        .with_base_url("not a url")
        .device_category_list()
        .await
        .expect_err("no URL");
    assert!(matches!(error, Error::InvalidUrl { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("invalid request URL `not a url/deviceManagement")
    );

    // A port nobody listens on: bound, then released.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let error = client_for(address)
        .device_category_list()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot connect to http://{address}/")),
        "{error}"
    );
}

/// A function's typed arguments travel in its path as OData's call syntax writes them,
/// and the mock server answers the call (an empty collection of the documented type).
#[tokio::test]
async fn a_function_is_called_with_its_typed_arguments_in_the_path() {
    let from: graph_support::DateTimeOffset =
        serde_json::from_value(json!("2019-11-01T00:00:00Z")).expect("a date-time");
    let to: graph_support::DateTimeOffset =
        serde_json::from_value(json!("2019-12-01T00:00:00.1234567Z")).expect("a date-time");
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorder = seen.clone();
    let address = serve(move |uri: Uri, _| {
        recorder.lock().unwrap().push(uri.to_string());
        async { json_reply(&json!({"value": [{"id": "1", "duration": 42}]})) }
    })
    .await;
    let rows = client_for(address)
        .get_direct_routing_calls_function(from.clone(), to.clone())
        .await
        .expect("the rows");
    assert_eq!(rows.value[0].duration, Field::Value(42));
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [
            "/communications/callRecords/getDirectRoutingCalls(fromDateTime=2019-11-01T00:00:00Z,toDateTime=2019-12-01T00:00:00.1234567Z)"
        ]
    );
    let mock = client_for(start_mock_server().await);
    let (status, rows) = mock
        .get_direct_routing_calls_function(from, to)
        .send_with_status()
        .await
        .expect("the mock answers the function");
    assert_eq!((status, rows.value.len()), (200, 0));
}
