//! The mock store seeded from real corpus-graph pages knows the entities their examples
//! talk about (by the documented id, spelled as the HTTP request section spells the
//! path), unknown ids stay 404, and a documented 302 leads the client to its download.

use graph_support::server::{
    Bytes, Context, MemoryStore, OperationInfo, Permissions, Route, Served, fallback, router,
};
use graphgen::examples::{examples_json, match_path, seeds};
use graphgen::pipeline::{discover, extract_file};
use graphgen_tests::corpus_graph;
use serde_json::{Value, json};

static GET: OperationInfo = operation("get", "get", 200, false, "/");

/// A documented GET operation of the given kind, status and path.
const fn operation(
    kind: &'static str,
    name: &'static str,
    status: u16,
    returns_collection: bool,
    path: &'static str,
) -> OperationInfo {
    OperationInfo {
        kind,
        name,
        method: "GET",
        status,
        returns_collection,
        path,
        empty_reply: "{}",
        permissions: Permissions {
            delegated_work: &[],
            delegated_personal: &[],
            application: &[],
        },
    }
}

/// The store seeded from the examples of the named beta pages.
fn seeded_from(pages: &[&str]) -> Option<MemoryStore> {
    let corpus = corpus_graph()?;
    let paths: Vec<_> = pages
        .iter()
        .map(|p| corpus.join(format!("markdown/beta/api/{p}.md")))
        .collect();
    let files = discover(&paths).expect("the pages");
    assert_eq!(files.len(), pages.len());
    let facts: Vec<_> = files.iter().map(|f| extract_file(f).facts).collect();
    let seeds = seeds(facts.iter().flat_map(|f| &f.operations));
    let store = MemoryStore::new();
    store
        .seed_json(&examples_json(&seeds))
        .expect("examples.json reads");
    Some(store)
}

fn get(store: &MemoryStore, template: &'static str, path: &str) -> Result<Value, u16> {
    store
        .get(&Context::new(&GET, template, path, None))
        .map_err(|failure| failure.status)
}

#[test]
fn a_store_seeded_from_examples_answers_the_documented_ids_and_404_for_others() {
    let Some(store) = seeded_from(&[
        "bookingcustomer-get",
        "bookingcustomer-delete",
        "messagerule-get",
    ]) else {
        return;
    };
    let customer = "/bookingBusinesses/{id}/customers/{id}";
    let business = "/bookingBusinesses/Contosolunchdelivery@M365B489948.onmicrosoft.com";
    // The GET example's own object, as documented.
    let got = get(
        &store,
        customer,
        &format!("{business}/customers/8bb19078-0f45-4efb-b2c5-da78b860f73a"),
    )
    .expect("the documented customer");
    assert_eq!(got["displayName"], "Adele Vance");
    assert_eq!(got["id"], "8bb19078-0f45-4efb-b2c5-da78b860f73a");
    // The DELETE example's customer exists too (its page shows no body: just the id).
    let deleted = format!("{business}/customers/80b5ddda-1e3b-4c9d-abe2-d606cc075e2e");
    assert_eq!(
        get(&store, customer, &deleted),
        Ok(json!({"id": "80b5ddda-1e3b-4c9d-abe2-d606cc075e2e"}))
    );
    // `/me/mailfolders/inbox/messagerules('AQAAAJ5dZqA=')` is stored where the documented
    // path puts it: `/me/mailFolders/inbox/messagerules/AQAAAJ5dZqA=`.
    let rule = get(
        &store,
        "/me/mailFolders/inbox/messagerules/{id}",
        "/me/mailFolders/inbox/messagerules/AQAAAJ5dZqA=",
    )
    .expect("the documented rule");
    assert_eq!(rule["displayName"], "From partner");
    // Ids no example names stay unknown.
    let unknown = format!("{business}/customers/00000000-0000-0000-0000-000000000000");
    assert_eq!(get(&store, customer, &unknown), Err(404));
    assert_eq!(
        get(
            &store,
            customer,
            "/bookingBusinesses/other/customers/8bb19078-0f45-4efb-b2c5-da78b860f73a"
        ),
        Err(404),
        "the customer belongs to its documented business only"
    );
}

#[test]
fn example_paths_match_documented_paths_as_graph_reads_them() {
    let rule = "/me/mailFolders/inbox/messageRules/{id}";
    let key = |path| match_path(rule, path).map(|v| v[0].1.clone());
    // A key in parentheses, and any case.
    assert_eq!(
        key("/me/mailfolders/inbox/messagerules('AQAAAJ5dZqA=')").as_deref(),
        Some("AQAAAJ5dZqA=")
    );
    // A path without its leading slash.
    assert_eq!(
        key("me/mailFolders/inbox/messageRules/x?$select=id").as_deref(),
        Some("x")
    );
    // OData's own segments are no id.
    assert_eq!(
        match_path("/users/{id}/memberOf/{x}", "/users/a/memberOf/$count"),
        None
    );
    assert_eq!(
        match_path(
            "/users/{id}/memberOf/{x}",
            "/users/a/memberOf/microsoft.graph.group"
        ),
        None
    );
    // `/me` is the signed-in user where only `/users/{id}` is documented.
    assert_eq!(
        match_path("/users/{id | userPrincipalName}", "/me"),
        Some(vec![("id | userPrincipalName", "me".to_string())])
    );
    // A function's parameters keep their call syntax.
    assert_eq!(match_path("/a/delta()", "/a/x"), None);
}

struct Mock(MemoryStore);

static REPORT: OperationInfo = operation(
    "function",
    "getEmailActivityCounts",
    302,
    false,
    "/reports/getEmailActivityCounts(period='{period_value}')",
);

fn report(server: &Mock, cx: Context, body: Bytes) -> Served<'_> {
    Ok(fallback(Some(&server.0), cx, body))
}

static MEMBERS: OperationInfo = operation("list", "list", 200, true, "/groups/{id}/members");

static ROUTES: &[Route<Mock>] = &[
    Route {
        operation: &REPORT,
        call: report,
    },
    Route {
        operation: &MEMBERS,
        call: report,
    },
];
static TABLES: &[&[Route<Mock>]] = &[ROUTES];

#[tokio::test]
async fn a_documented_302_function_routes_and_leads_the_client_to_its_download() {
    let app = router(Mock(MemoryStore::new()), TABLES);
    let address = graph_replay::serve(app).await.expect("serve");
    // The call as Graph documents it, parameters in the path.
    let replay = graph_replay::send(
        address,
        "GET",
        "/reports/getEmailActivityCounts(period='D7')",
        None,
    )
    .await;
    assert_eq!(replay.status, 302, "{}", replay.body);
    // The client follows the redirect to the (empty) content.
    let client = graph_support::client::Client::new(format!("http://{address}"));
    let call = client.call::<Value>(
        "GET",
        "/reports/getEmailActivityCounts(period='{period_value}')",
        &["D7"],
    );
    let (status, reply) = call.send_with_status().await.expect("followed");
    assert_eq!((status, reply), (200, Value::Null));
}

#[tokio::test]
async fn casts_and_counts_are_served_on_every_documented_list() {
    let store = MemoryStore::new();
    store.seed(
        [
            json!({"id": "u1", "@odata.type": "#microsoft.graph.user"}),
            json!({"id": "g1", "@odata.type": "#microsoft.graph.group"}),
            json!({"id": "u2", "@odata.type": "#microsoft.graph.user"}),
        ]
        .into_iter()
        .map(|object| graph_support::server::Seed {
            path: "/groups/g/members".to_string(),
            singleton: false,
            object: object.as_object().cloned().unwrap_or_default(),
        }),
    );
    let address = graph_replay::serve(router(Mock(store), TABLES))
        .await
        .expect("serve");
    let cast = graph_replay::send(
        address,
        "GET",
        "/groups/g/members/microsoft.graph.user",
        None,
    )
    .await;
    assert_eq!(cast.status, 200, "{}", cast.body);
    let ids: Vec<&str> = cast.json["value"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, ["u1", "u2"]);
    let count = graph_replay::send(address, "GET", "/groups/g/members/$count", None).await;
    assert_eq!((count.status, count.body.as_str()), (200, "3"));
    // Through the client runtime: a cast list, and the count of a cast.
    let client = graph_support::client::Client::new(format!("http://{address}"));
    let users = client
        .call::<graph_support::Collection<Value>>("GET", "/groups/{id}/members", &["g"])
        .cast("microsoft.graph.user")
        .count_only()
        .send()
        .await
        .expect("count");
    assert_eq!(users, 2);
    // An id is never taken for one: the cast of an unknown group lists nothing.
    let none = graph_replay::send(
        address,
        "GET",
        "/groups/x/members/microsoft.graph.group",
        None,
    )
    .await;
    assert_eq!(none.json["value"], json!([]));
}

/// What `cargo xtask verify` prepares for the named beta pages: the analysis, the body
/// checks and the example requests matched to client methods.
fn verify_prepared(pages: &[&str]) -> Option<graphgen::verify::Prepared> {
    let corpus = corpus_graph()?;
    let paths: Vec<_> = pages
        .iter()
        .map(|p| corpus.join(format!("markdown/beta/api/{p}.md")))
        .collect();
    let support = graphgen_tests::workspace().join("crates/graph-support");
    Some(graphgen::verify::prepare(&paths, &support).expect("prepared"))
}

fn request<'a>(
    prepared: &'a graphgen::verify::Prepared,
    page: &str,
    example: &str,
) -> &'a graphgen::verify::RequestCheck {
    prepared
        .requests
        .iter()
        .find(|r| r.page.ends_with(page) && r.example == example)
        .unwrap_or_else(|| panic!("{page} {example} in {:?}", prepared.requests))
}

#[test]
fn example_requests_match_the_documented_path_they_spell_another_way() {
    let Some(prepared) = verify_prepared(&[
        "regionalandlanguagesettings-get",
        "bitlockerrecoverykey-get",
        "driveitem-search",
    ]) else {
        return;
    };
    // The page documents `/settings/…` relative to the user; its example reads `/me/settings/…`.
    let settings = request(&prepared, "regionalandlanguagesettings-get", "example 1");
    assert_eq!(settings.path, "/me/settings/regionalAndLanguageSettings");
    assert_eq!(
        settings.documented_path.as_deref(),
        Some("/settings/regionalAndLanguageSettings")
    );
    // The docs quote the key (`/recoveryKeys/'{id}'`), the example writes it bare.
    let key = request(&prepared, "bitlockerrecoverykey-get", "example 1");
    assert_eq!(
        key.documented_path.as_deref(),
        Some(
            "/informationProtection/bitlocker/recoveryKeys/'b465e4e8-e4e8-b465-e8e4-65b4e8e465b4'"
        )
    );
    assert_eq!(key.args, ["b465e4e8-e4e8-b465-e8e4-65b4e8e465b4"]);
    // A function's text argument with a space is one request line.
    let search = request(&prepared, "driveitem-search", "example 1");
    assert_eq!(search.path, "/me/drive/root/search(q='Contoso Project')");
    assert!(search.operation.is_some(), "{search:?}");
}

#[test]
fn abbreviated_example_bodies_are_checked_as_the_json_they_abbreviate() {
    let Some(prepared) = verify_prepared(&["mailfolder-update", "user-update-mailboxsettings"])
    else {
        return;
    };
    let check = |page: &str, example: &str| {
        let found = prepared
            .checks
            .iter()
            .find(|c| c.page.ends_with(page) && c.example == example)
            .unwrap_or_else(|| panic!("{page} {example}"));
        let body: Value = serde_json::from_str(&found.body).expect("the checked body is JSON");
        (found.abbreviated, body)
    };
    // `{"displayName": "displayName-value",}`: the comma a removed line left.
    let (abbreviated, body) = check("mailfolder-update", "example 1 request");
    assert!(abbreviated);
    assert_eq!(body, json!({"displayName": "displayName-value"}));
    // Indented with non-breaking spaces: read as spaces, nothing added.
    let (abbreviated, body) = check("user-update-mailboxsettings", "example 2 request");
    assert!(abbreviated);
    assert_eq!(body["workingHours"]["endTime"], "18:30:00.0000000");
    assert_eq!(body["workingHours"]["timeZone"]["bias"], -300);
    // Strict JSON stays as written.
    let (abbreviated, _) = check("mailfolder-update", "example 1 response");
    assert!(!abbreviated);
    // The replayed request carries the same JSON.
    let replayed = request(&prepared, "mailfolder-update", "example 1");
    assert_eq!(
        replayed.body.as_deref(),
        Some(r#"{"displayName":"displayName-value"}"#)
    );
}

static BRANDING_POST: OperationInfo = OperationInfo {
    method: "POST",
    ..operation(
        "create",
        "create",
        201,
        false,
        "/organization/{id}/branding/localizations",
    )
};
static BRANDING_GET: OperationInfo = operation(
    "get",
    "get",
    200,
    false,
    "/organization/{id}/branding/{property}",
);
static KEY_GET: OperationInfo = operation("get", "get", 200, false, "/keys/'{keyId}'");
static MESSAGE_GET: OperationInfo = operation("get", "get", 200, false, "/me/messages/{id}");
static BRANDING: &[Route<Mock>] = &[
    Route {
        operation: &BRANDING_POST,
        call: report,
    },
    Route {
        operation: &BRANDING_GET,
        call: report,
    },
    Route {
        operation: &KEY_GET,
        call: report,
    },
    Route {
        operation: &MESSAGE_GET,
        call: report,
    },
];
static BRANDING_TABLES: &[&[Route<Mock>]] = &[BRANDING];

#[tokio::test]
async fn a_request_is_served_by_its_methods_route_and_the_store_reads_keys_as_graph_does() {
    let store = MemoryStore::new();
    let object = |id: &str| json!({"id": id}).as_object().cloned().unwrap_or_default();
    store.insert("/keys", object("k1"));
    store.insert("/organization/o/branding", object("localizations"));
    // Seeded where a page spells the signed-in user `/users/me`.
    store.insert("/users/me/messages", object("AAMk==="));
    let address = graph_replay::serve(router(Mock(store), BRANDING_TABLES))
        .await
        .expect("serve");
    let send = |method: &'static str, path: &'static str| async move {
        graph_replay::send(address, method, path, None).await.status
    };
    // A literal path of POST does not hide the GET route whose parameter matches it.
    assert_eq!(
        send("GET", "/organization/o/branding/localizations").await,
        200
    );
    assert_eq!(
        send("PUT", "/organization/o/branding/localizations").await,
        405
    );
    assert_eq!(send("GET", "/nowhere").await, 404);
    // OData's quoted key names the item.
    assert_eq!(send("GET", "/keys/'k1'").await, 200);
    assert_eq!(send("GET", "/keys/%27k1%27").await, 200);
    assert_eq!(send("GET", "/keys/'k2'").await, 404);
    // `/me/…` and `/users/me/…` are one user's.
    assert_eq!(send("GET", "/me/messages/AAMk===").await, 200);
    // Routed by Graph's other spelling of the user when only one is documented.
    assert_eq!(send("GET", "/users/me/messages/AAMk===").await, 200);
    assert_eq!(send("PUT", "/users/me/messages/AAMk===").await, 405);
    assert_eq!(send("GET", "/users/me/messages/other").await, 404);
    // Names in a path ignore case, as Graph's do; ids do not.
    assert_eq!(send("GET", "/ME/Messages/AAMk===").await, 200);
    assert_eq!(send("GET", "/me/messages/aamk===").await, 404);
}
