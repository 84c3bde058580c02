//! The generated routes as a mock Graph server, tested over real HTTP on 127.0.0.1.

use std::collections::BTreeMap;

use graph_models::{
    DeviceCategory, DeviceComplianceScriptDeviceState, DeviceManagementScriptDeviceState,
    DeviceManagementScriptUserState, HardwareConfigurationUserState,
};
use graphgen::pipeline::{discover, extract_file};
use graphgen_tests::{docs_input, send, start_mock_server, start_server};
use serde_json::{Value, json};

/// Puts the typed model's view of a body into JSON, so that values compare by meaning
/// (a timestamp keeps its instant, not its spelling).
fn normalized(ty: &str, body: &Value) -> Value {
    fn via<T: serde::de::DeserializeOwned + serde::Serialize>(body: &Value) -> Value {
        let model: T = serde_json::from_value(body.clone()).expect("the body fits its model");
        serde_json::to_value(model).expect("serializes")
    }
    match ty {
        "deviceManagementScriptDeviceState" => via::<DeviceManagementScriptDeviceState>(body),
        "deviceComplianceScriptDeviceState" => via::<DeviceComplianceScriptDeviceState>(body),
        "deviceManagementScriptUserState" => via::<DeviceManagementScriptUserState>(body),
        "hardwareConfigurationUserState" => via::<HardwareConfigurationUserState>(body),
        "deviceCategory" => via::<DeviceCategory>(body),
        other => panic!("no model for {other}"),
    }
}

/// Fills `{placeholder}` segments with a value.
fn fill(path: &str) -> String {
    path.split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => format!("test-{name}"),
                None => segment.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn each_seed_example_request_gets_its_documented_status_and_values_back() {
    let server = graph_routes::Server::new();
    let store = server.clone();
    let address = start_server(server).await;
    let files = discover(&[docs_input()]).expect("list docs-input");
    let mut checked = 0;
    for file in files.iter().filter(|f| !f.page.starts_with("fixtures/")) {
        let facts = extract_file(file).facts;
        let op = &facts.operations[0];
        let ty = op.ty.as_deref().expect("seed type");
        for example in &op.examples {
            let request = example.request.as_ref().expect("an example request");
            let body: Value =
                serde_json::from_str(request.body.as_deref().expect("a body")).expect("JSON");
            let path = fill(&request.path);
            if request.method == "PATCH" {
                // The object an update addresses must exist (else 404, as in Graph).
                let (collection, id) = path.rsplit_once('/').expect("an item path");
                let object = json!({ "id": id });
                let object = object.as_object().cloned().expect("object");
                store.store().expect("a store").insert(collection, object);
            }
            let response = send(
                address,
                &request.method,
                &path,
                Some(body.to_string().as_bytes()),
            )
            .await;
            assert_eq!(
                Some(response.status),
                op.status,
                "{}: {} {} answered {}",
                file.page,
                request.method,
                request.path,
                response.body
            );
            let sent = normalized(ty, &body);
            let got = normalized(ty, &response.json);
            for (key, value) in sent.as_object().expect("object") {
                assert_eq!(
                    &got[key], value,
                    "{}: property {key} not carried back",
                    file.page
                );
            }
            assert!(got["id"].is_string(), "{}: the reply has an id", file.page);
            checked += 1;
        }
    }
    println!("{checked} seed example requests got their documented status");
    assert_eq!(checked, 5);
}

#[tokio::test]
async fn a_full_lifecycle_on_one_resource() {
    let address = start_mock_server().await;
    let collection = "/deviceManagement/deviceCategories";
    let created = send(address, "POST", collection, Some(br#"{"displayName": "Kiosks", "description": "shared devices", "roleScopeTagIds": ["0"]}"#)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let category: DeviceCategory =
        serde_json::from_value(created.json.clone()).expect("a deviceCategory");
    let id = category.id.as_option().expect("a new id").clone();
    let item = format!("{collection}/{id}");

    let got = send(address, "GET", &item, None).await;
    assert_eq!((got.status, &got.json), (200, &created.json));

    let listed = send(address, "GET", collection, None).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json["value"], json!([created.json]));

    // Absent stays, null clears, a value replaces.
    let updated = send(
        address,
        "PATCH",
        &item,
        Some(br#"{"description": null, "displayName": "Kiosk devices"}"#),
    )
    .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(
        updated.json,
        json!({"displayName": "Kiosk devices", "roleScopeTagIds": ["0"], "id": id})
    );

    let deleted = send(address, "DELETE", &item, None).await;
    assert_eq!((deleted.status, deleted.body.as_str()), (204, ""));
    let gone = send(address, "GET", &item, None).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.json["error"]["code"], "ResourceNotFound");
}

#[tokio::test]
async fn lists_page_with_a_next_link_and_undocumented_methods_get_405() {
    let address = start_mock_server().await;
    for _ in 0..5 {
        let created = send(
            address,
            "POST",
            "/deviceManagement/deviceCategories",
            Some(b"{}"),
        )
        .await;
        assert_eq!(created.status, 201);
    }
    let first = send(
        address,
        "GET",
        "/deviceManagement/deviceCategories?$top=2",
        None,
    )
    .await;
    assert_eq!(first.json["value"].as_array().map(Vec::len), Some(2));
    let next = first.json["@odata.nextLink"]
        .as_str()
        .expect("a next link")
        .to_string();
    let second = send(address, "GET", &next, None).await;
    assert_eq!(second.json["value"].as_array().map(Vec::len), Some(2));
    assert_ne!(first.json["value"], second.json["value"]);
    // Run states are documented with POST only: a GET is 405, as a Graph error.
    let run_states = "/deviceManagement/deviceShellScripts/A/deviceRunStates";
    assert_eq!(
        send(address, "POST", run_states, Some(b"{}")).await.status,
        201
    );
    let not_listable = send(address, "GET", run_states, None).await;
    assert_eq!(not_listable.status, 405);
    assert_eq!(not_listable.json["error"]["code"], "MethodNotAllowed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_clients_creating_in_parallel_lose_no_writes() {
    let address = start_mock_server().await;
    let clients: Vec<_> = (0..8)
        .map(|client| {
            tokio::spawn(async move {
                for n in 0..200 {
                    let body = format!(r#"{{"displayName": "client {client} item {n}"}}"#);
                    let response = send(
                        address,
                        "POST",
                        "/deviceManagement/deviceCategories",
                        Some(body.as_bytes()),
                    )
                    .await;
                    assert_eq!(response.status, 201);
                }
            })
        })
        .collect();
    for client in clients {
        client.await.expect("client");
    }
    let listed = send(address, "GET", "/deviceManagement/deviceCategories", None).await;
    let items = listed.json["value"].as_array().expect("value").clone();
    assert_eq!(items.len(), 1600);
    let ids: std::collections::BTreeSet<&str> =
        items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids.len(), 1600, "every id is new");
}

#[tokio::test]
async fn bad_requests_get_graph_errors_never_500() {
    let address = start_mock_server().await;
    let big = vec![b' '; 5 * 1024 * 1024];
    // (method, path, body, expected status, what the message must mention)
    type Case<'a> = (&'a str, &'a str, Option<&'a [u8]>, u16, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "POST",
            "/deviceManagement/deviceCategories",
            Some(b"{\"displayName\": "),
            400,
            "not valid JSON",
        ),
        (
            "POST",
            "/deviceManagement/deviceCategories",
            Some(b"{\"displayName\": 42}"),
            400,
            "`displayName`",
        ),
        (
            "PATCH",
            "/deviceManagement/deviceCategories/x",
            Some(b"{\"roleScopeTagIds\": \"one\"}"),
            400,
            "`roleScopeTagIds`",
        ),
        (
            "POST",
            "/deviceManagement/deviceCategories",
            Some(b"[1, 2]"),
            400,
            "invalid type",
        ),
        (
            "GET",
            "/deviceManagement/nothingHere",
            None,
            404,
            "nothingHere",
        ),
        (
            "DELETE",
            "/deviceManagement/deviceCategories",
            None,
            405,
            "DELETE",
        ),
        (
            "POST",
            "/deviceManagement/deviceCategories",
            Some(&big),
            413,
            "",
        ),
        (
            "GET",
            "/deviceManagement/deviceCategories?$top=lots",
            None,
            400,
            "$top",
        ),
    ];
    let mut seen = BTreeMap::new();
    for (method, path, body, status, needle) in cases {
        let response = send(address, method, path, body).await;
        assert_eq!(
            response.status, status,
            "{method} {path}: {}",
            response.body
        );
        let error = &response.json["error"];
        assert!(
            error["code"].is_string(),
            "{method} {path}: no Graph error body: {}",
            response.body
        );
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(needle),
            "{method} {path}: message {message:?} lacks {needle:?}"
        );
        *seen.entry(status).or_insert(0) += 1;
    }
    println!("bad requests by status: {seen:?}");
}

/// A handler for one resource: `get` answers from code, and every other method of the
/// resource (and of every other resource) is answered by the in-memory store.
struct FixedCategories;

impl graph_routes::handlers::DeviceCategoryHandler for FixedCategories {
    fn get(
        &self,
        cx: graph_support::server::Context,
    ) -> graph_support::server::Pending<'_, DeviceCategory> {
        Box::pin(async move {
            let category = DeviceCategory {
                id: cx.params["deviceCategoryId"].as_str().into(),
                display_name: "from the handler".into(),
                ..DeviceCategory::default()
            };
            Ok(graph_support::server::Reply::new(200, category))
        })
    }
}

#[tokio::test]
async fn one_registered_resource_answers_and_the_store_answers_the_rest() {
    let address =
        start_server(graph_routes::Server::new().with_device_category(FixedCategories)).await;
    let got = send(
        address,
        "GET",
        "/deviceManagement/deviceCategories/abc",
        None,
    )
    .await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(got.json["id"], "abc");
    assert_eq!(got.json["displayName"], "from the handler");
    // `create` is not implemented by the handler: the store creates the object.
    let body = br#"{"displayName": "stored"}"#;
    let created = send(
        address,
        "POST",
        "/deviceManagement/deviceCategories",
        Some(body),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let listed = send(address, "GET", "/deviceManagement/deviceCategories", None).await;
    assert_eq!(listed.json["value"][0]["displayName"], "stored");
    // A body that does not fit its model is refused before any handler sees it.
    let bad = br#"{"displayName": 3}"#;
    let refused = send(
        address,
        "POST",
        "/deviceManagement/deviceCategories",
        Some(bad),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json["error"]["target"], "displayName");
}

#[tokio::test]
async fn without_a_store_unimplemented_operations_answer_501() {
    let address =
        start_server(graph_routes::Server::without_store().with_device_category(FixedCategories))
            .await;
    let got = send(
        address,
        "GET",
        "/deviceManagement/deviceCategories/abc",
        None,
    )
    .await;
    assert_eq!(got.status, 200);
    let listed = send(address, "GET", "/deviceManagement/deviceCategories", None).await;
    assert_eq!(listed.status, 501, "{}", listed.body);
    assert_eq!(listed.json["error"]["code"], "NotImplemented");
}

/// A handler that answers with what its context says about the request.
struct EchoingCategories;

impl graph_routes::handlers::DeviceCategoryHandler for EchoingCategories {
    fn list(
        &self,
        cx: graph_support::server::Context,
    ) -> graph_support::server::Pending<'_, graph_support::Collection<DeviceCategory>> {
        Box::pin(async move {
            let seen = format!(
                "type={} top={:?} select={:?}",
                cx.header("Content-Type").unwrap_or("-"),
                cx.options.top,
                cx.options.select
            );
            let category = DeviceCategory {
                display_name: seen.as_str().into(),
                ..DeviceCategory::default()
            };
            let page = graph_support::Collection {
                value: vec![category],
                ..Default::default()
            };
            Ok(graph_support::server::Reply::new(200, page))
        })
    }
}

#[tokio::test]
async fn handlers_see_headers_and_query_options_typed() {
    let address =
        start_server(graph_routes::Server::new().with_device_category(EchoingCategories)).await;
    let path = "/deviceManagement/deviceCategories?$top=2&$select=id,displayName";
    let listed = send(address, "GET", path, None).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(
        listed.json["value"][0]["displayName"],
        r#"type=application/json top=Some(2) select=["id", "displayName"]"#
    );
    let bad = send(
        address,
        "GET",
        "/deviceManagement/deviceCategories?$count=maybe",
        None,
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.json["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("$count")
    );
}

/// Asserts a Graph 404 error body for `path`: a code, a message naming the path, and an
/// `innerError` with a `request-id` and a `date`.
fn assert_not_found(what: &str, path: &str, response: &graphgen_tests::HttpResponse) {
    assert_eq!(response.status, 404, "{what}: {}", response.body);
    let error = &response.json["error"];
    assert_eq!(
        error["code"], "ResourceNotFound",
        "{what}: {}",
        response.body
    );
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains(path), "{what}: {message:?} names no path");
    let inner = &error["innerError"];
    assert!(
        inner["request-id"]
            .as_str()
            .is_some_and(|id| id.len() == 36),
        "{what}: no request-id: {}",
        response.body
    );
    assert!(
        inner["date"].as_str().is_some_and(|d| d.ends_with('Z')),
        "{what}: no date: {}",
        response.body
    );
}

#[tokio::test]
async fn unknown_ids_are_404_for_get_patch_and_delete_and_patch_creates_nothing() {
    let address = start_mock_server().await;
    let item = "/deviceManagement/deviceCategories/no-such-id";
    let got = send(address, "GET", item, None).await;
    assert_not_found("GET", item, &got);
    let patched = send(address, "PATCH", item, Some(br#"{"displayName": "x"}"#)).await;
    assert_not_found("PATCH", item, &patched);
    let deleted = send(address, "DELETE", item, None).await;
    assert_not_found("DELETE", item, &deleted);
    // The PATCH made nothing: the collection is still empty and the GET still 404.
    let listed = send(address, "GET", "/deviceManagement/deviceCategories", None).await;
    assert_eq!(listed.json["value"], json!([]), "{}", listed.body);
    assert_not_found(
        "GET after PATCH",
        item,
        &send(address, "GET", item, None).await,
    );
    // Nested items too: a run state under a script the store does not hold.
    let nested = "/deviceManagement/deviceComplianceScripts/s/deviceRunStates/r";
    let patched = send(address, "PATCH", nested, Some(b"{}")).await;
    assert_not_found("nested PATCH", nested, &patched);
    // Two errors carry two request ids.
    assert_ne!(
        got.json["error"]["innerError"]["request-id"],
        patched.json["error"]["innerError"]["request-id"]
    );
}

mod paging {
    use graph_support::server::{Context, MemoryStore, OperationInfo, Permissions};
    use proptest::prelude::*;
    use serde_json::{Map, json};

    static LIST: OperationInfo = OperationInfo {
        kind: "list",
        name: "list",
        method: "GET",
        status: 200,
        returns_collection: true,
        path: "/items",
        empty_reply: "{}",
        permissions: Permissions {
            delegated_work: &[],
            delegated_personal: &[],
            application: &[],
        },
    };

    fn store_of(size: usize) -> MemoryStore {
        let store = MemoryStore::new();
        for n in 0..size {
            let mut object = Map::new();
            object.insert("id".to_string(), json!(format!("id-{n}")));
            store.insert("/items", object);
        }
        store
    }

    /// The ids of a page, or the failure's status.
    fn page(store: &MemoryStore, query: &str) -> Result<(Vec<String>, Option<String>), u16> {
        let cx = Context::new(&LIST, "/items", "/items", Some(query));
        let listed = store.list(&cx).map_err(|failure| failure.status)?;
        let ids = listed["value"]
            .as_array()
            .expect("a value array")
            .iter()
            .map(|item| item["id"].as_str().expect("an id").to_string())
            .collect();
        let next = listed["@odata.nextLink"].as_str().map(str::to_string);
        Ok((ids, next))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any `$top` and `$skip` (as any u64, so past `usize` on 32-bit targets) on any
        /// list size: never a panic, the page is exactly `items[skip..skip + top]`, and
        /// following `@odata.nextLink` reads the rest, each item once.
        #[test]
        fn paging_never_panics_and_pages_are_consistent(
            size in 0usize..40,
            top in prop_oneof![0u64..50, any::<u64>()],
            skip in prop_oneof![0u64..50, any::<u64>()],
        ) {
            let store = store_of(size);
            let all: Vec<String> = (0..size).map(|n| format!("id-{n}")).collect();
            let query = format!("$top={top}&$skip={skip}");
            let (ids, next) = match page(&store, &query) {
                Ok(page) => page,
                // Only a number the platform cannot hold may be refused, as a 400.
                Err(status) => {
                    prop_assert_eq!(status, 400);
                    prop_assert!(usize::try_from(top).is_err() || usize::try_from(skip).is_err());
                    return Ok(());
                }
            };
            let (top, skip) = (top as usize, skip as usize);
            let start = skip.min(size);
            let end = start.saturating_add(top).min(size);
            prop_assert_eq!(&ids[..], &all[start..end]);
            // Follow the next links: together the pages are everything after `$skip`.
            let mut seen = ids;
            let mut link = next;
            while let Some(next) = link.take() {
                prop_assert!(seen.len() < size, "a next link after the last item");
                let query = next.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
                let (more, after) = page(&store, &query).map_err(|s| TestCaseError::fail(format!("{s}")))?;
                prop_assert!(!more.is_empty(), "a next link to an empty page");
                seen.extend(more);
                link = after;
            }
            if top > 0 {
                prop_assert_eq!(&seen[..], &all[start..]);
            }
        }

        /// Without `$top` a list is everything after `$skip`, with no next link.
        #[test]
        fn skip_alone_reads_the_rest(size in 0usize..40, skip in any::<usize>()) {
            let store = store_of(size);
            let (ids, next) = page(&store, &format!("$skip={skip}")).expect("a page");
            prop_assert_eq!(ids.len(), size - skip.min(size));
            prop_assert_eq!(next, None);
        }
    }

    #[test]
    fn an_empty_store_lists_nothing() {
        let store = MemoryStore::new();
        assert_eq!(page(&store, ""), Ok((Vec::new(), None)));
    }
}

#[tokio::test]
async fn a_seeded_server_answers_the_docs_own_example() {
    let page = docs_input().join("fixtures/intune-onboarding-devicecategory-get.txt");
    let files = discover(&[page]).expect("the get page");
    let facts = extract_file(&files[0]).facts;
    let response = facts.operations[0].examples[0]
        .response
        .as_ref()
        .expect("an example response");
    let documented: Value =
        serde_json::from_str(response.body.as_deref().expect("a body")).expect("JSON");
    // Intune's examples wrap the object in `value`.
    let example = &documented["value"];
    let id = example["id"].as_str().expect("the example's id");
    let item = format!("/deviceManagement/deviceCategories/{id}");

    let seeded = start_server(graph_routes::Server::new().seeded_with_examples()).await;
    let got = send(seeded, "GET", &item, None).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(&got.json, example, "the docs' own example, as documented");
    let listed = send(seeded, "GET", "/deviceManagement/deviceCategories", None).await;
    assert_eq!(listed.json["value"], json!([example]), "{}", listed.body);
    // The seeded objects are the store's like any other: updated, then deleted.
    let patched = send(seeded, "PATCH", &item, Some(br#"{"description": null}"#)).await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert!(patched.json.get("description").is_none());
    assert_eq!(send(seeded, "DELETE", &item, None).await.status, 204);

    // Without seeding the store starts empty.
    let empty = start_mock_server().await;
    assert_not_found(
        "unseeded GET",
        &item,
        &send(empty, "GET", &item, None).await,
    );
}
