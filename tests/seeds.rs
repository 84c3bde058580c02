//! The five seed pages in `docs-input/`, each checked field by field, and the merged
//! schema.json snapshotted.

use graphgen::emit::schema_json;
use graphgen::pipeline::{analyze, discover, extract_file};
use graphgen::schema::{Operation, Schema, Type, TypeKind};
use graphgen_tests::docs_input;

fn schema() -> Schema {
    let analysis = analyze(&[docs_input()]).expect("read docs-input");
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    analysis.schema
}

fn ty<'s>(schema: &'s Schema, name: &str) -> &'s Type {
    schema
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn operations_from<'s>(schema: &'s Schema, page: &str) -> Vec<&'s Operation> {
    schema
        .operations
        .iter()
        .filter(|o| o.sources.iter().any(|s| s.starts_with(page)))
        .collect()
}

fn property_names(ty: &Type) -> Vec<&str> {
    ty.properties.iter().map(|p| p.name.as_str()).collect()
}

/// The facts of one seed page on its own, as (method, paths, status, type, properties).
fn page_facts(prefix: &str) -> graphgen::facts::PageFacts {
    let files = discover(&[docs_input()]).expect("list docs-input");
    let file = files
        .iter()
        .find(|f| f.page.starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}"));
    let page = extract_file(file);
    assert!(page.diagnostics.is_empty(), "{:?}", page.diagnostics);
    page.facts
}

#[test]
fn seed_000_text_pipe_create_device_run_state() {
    let facts = page_facts("000_");
    let op = &facts.operations[0];
    assert_eq!(op.method, "POST");
    assert_eq!(op.status, Some(201));
    assert_eq!(op.paths.len(), 4);
    assert_eq!(
        op.paths[3],
        "/deviceManagement/deviceManagementScripts/{deviceManagementScriptId}/userRunStates/{deviceManagementScriptUserStateId}/deviceRunStates"
    );
    assert_eq!(op.ty.as_deref(), Some("deviceManagementScriptDeviceState"));
    assert_eq!(
        op.permissions.delegated_work,
        [
            "DeviceManagementConfiguration.ReadWrite.All",
            "DeviceManagementManagedDevices.ReadWrite.All"
        ]
    );
    assert!(op.permissions.delegated_personal.is_empty());
    let body = &facts.types[0];
    assert_eq!(body.name, "deviceManagementScriptDeviceState");
    assert_eq!(body.properties.len(), 6);
    let run_state = body
        .properties
        .iter()
        .find(|p| p.name == "runState")
        .expect("runState");
    assert_eq!(
        (run_state.ty.as_str(), run_state.collection),
        ("runState", false)
    );
    let run_state_enum = facts
        .types
        .iter()
        .find(|t| t.name == "runState")
        .expect("runState enum");
    let members: Vec<&str> = run_state_enum
        .members
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(
        members,
        [
            "unknown",
            "success",
            "fail",
            "scriptError",
            "pending",
            "notApplicable"
        ]
    );
}

#[test]
fn seed_003_markdown_is_an_older_version_of_000() {
    let facts = page_facts("003_");
    let op = &facts.operations[0];
    assert_eq!((op.method.as_str(), op.status), ("POST", Some(201)));
    assert_eq!(
        op.paths,
        [
            "/deviceManagement/deviceManagementScripts/{deviceManagementScriptId}/deviceRunStates",
            "/deviceManagement/deviceManagementScripts/{deviceManagementScriptId}/userRunStates/{deviceManagementScriptUserStateId}/deviceRunStates",
        ]
    );
    // Older permissions table: "most to least privileged", application not supported.
    assert_eq!(
        op.permissions.delegated_work,
        ["DeviceManagementManagedDevices.ReadWrite.All"]
    );
    assert!(op.permissions.application.is_empty());
    let run_state_enum = facts
        .types
        .iter()
        .find(|t| t.name == "runState")
        .expect("runState enum");
    assert_eq!(run_state_enum.members.len(), 3);
    assert_eq!(facts.types[0].properties.len(), 6);
}

#[test]
fn seeds_000_and_003_merge_into_one_operation_per_path_and_one_enum() {
    let schema = schema();
    let posts: Vec<&Operation> = schema
        .operations
        .iter()
        .filter(|o| o.ty.as_deref() == Some("deviceManagementScriptDeviceState"))
        .collect();
    assert_eq!(posts.len(), 4, "four distinct paths, each once");
    assert!(posts.iter().all(|o| o.method == "POST" && o.status == 201));
    let shared = posts.iter().filter(|o| o.sources.len() == 2).count();
    assert_eq!(shared, 2, "the two paths 003 documents too list both pages");
    let run_state: Vec<&Type> = schema
        .types
        .iter()
        .filter(|t| t.name == "runState")
        .collect();
    assert_eq!(run_state.len(), 1);
    assert_eq!(run_state[0].kind, TypeKind::Enum);
    assert_eq!(
        run_state[0].members,
        [
            "unknown",
            "success",
            "fail",
            "scriptError",
            "pending",
            "notApplicable"
        ]
    );
    let state = ty(&schema, "deviceManagementScriptDeviceState");
    assert_eq!(state.kind, TypeKind::Entity);
    assert_eq!(
        property_names(state),
        [
            "errorCode",
            "errorDescription",
            "id",
            "lastStateUpdateDateTime",
            "resultMessage",
            "runState"
        ]
    );
    let error_code = state
        .properties
        .iter()
        .find(|p| p.name == "errorCode")
        .expect("errorCode");
    assert_eq!(error_code.ty, "Int32");
}

#[test]
fn seed_001_text_pipe_update_compliance_state() {
    let schema = schema();
    let ops = operations_from(&schema, "001_");
    assert_eq!(ops.len(), 1);
    assert_eq!((ops[0].method.as_str(), ops[0].status), ("PATCH", 200));
    let state = ty(&schema, "deviceComplianceScriptDeviceState");
    assert_eq!(state.properties.len(), 7);
    let detection = state
        .properties
        .iter()
        .find(|p| p.name == "detectionState")
        .expect("detectionState");
    assert_eq!(detection.ty, "runState");
    let times: Vec<&str> = state
        .properties
        .iter()
        .filter(|p| p.ty == "DateTimeOffset")
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        times,
        [
            "expectedStateUpdateDateTime",
            "lastStateUpdateDateTime",
            "lastSyncDateTime"
        ]
    );
}

#[test]
fn seed_002_text_without_pipes_update_user_state() {
    let schema = schema();
    let ops = operations_from(&schema, "002_");
    assert_eq!(ops.len(), 3);
    assert!(ops.iter().all(|o| o.method == "PATCH" && o.status == 200));
    assert!(ops.iter().all(|o| {
        o.path
            .ends_with("/userRunStates/{deviceManagementScriptUserStateId}")
    }));
    let state = ty(&schema, "deviceManagementScriptUserState");
    assert_eq!(
        property_names(state),
        [
            "errorDeviceCount",
            "id",
            "successDeviceCount",
            "userPrincipalName"
        ]
    );
    assert!(
        state
            .properties
            .iter()
            .filter(|p| p.name.ends_with("Count"))
            .all(|p| p.ty == "Int32")
    );
    assert_eq!(ops[0].permissions.application.len(), 2);
}

#[test]
fn seed_004_newer_text_without_title_create_user_state() {
    let schema = schema();
    let ops = operations_from(&schema, "004_");
    assert_eq!(ops.len(), 1);
    assert_eq!((ops[0].method.as_str(), ops[0].status), ("POST", 201));
    assert_eq!(
        ops[0].path,
        "/deviceManagement/hardwareConfigurations/{hardwareConfigurationId}/userRunStates"
    );
    assert_eq!(ops[0].ty.as_deref(), Some("hardwareConfigurationUserState"));
    let state = ty(&schema, "hardwareConfigurationUserState");
    assert_eq!(state.properties.len(), 11);
    assert_eq!(
        state.properties.iter().filter(|p| p.ty == "Int32").count(),
        6
    );
}

#[test]
fn seed_examples_are_extracted_with_their_bodies() {
    let facts = page_facts("002_");
    let example = &facts.operations[0].examples[0];
    let request = example.request.as_ref().expect("request");
    assert_eq!(request.method, "PATCH");
    let body: serde_json::Value =
        serde_json::from_str(request.body.as_deref().expect("body")).expect("JSON");
    assert_eq!(body["successDeviceCount"], 2);
    let response = example.response.as_ref().expect("response");
    assert_eq!(response.status, Some(200));
    let body: serde_json::Value =
        serde_json::from_str(response.body.as_deref().expect("body")).expect("JSON");
    assert_eq!(body["id"], "d5a29103-9103-d5a2-0391-a2d50391a2d5");
}

#[test]
fn schema_json_of_docs_input() {
    insta::assert_snapshot!(schema_json(&schema()));
}
