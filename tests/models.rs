//! The generated models crate (from docs-input/) at work: lossless round trips, evolvable
//! enums, absent versus null, polymorphism by `@odata.type`; and snapshots of its files.

use graph_models::{
    ActionState, AnyDeviceActionResult, DeviceManagementScriptDeviceState,
    LocateDeviceActionResult, RunState,
};
use graph_support::{Collection, Field};
use serde_json::{Value, json};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &Value) -> (T, Value) {
    let model: T = serde_json::from_value(body.clone()).expect("deserializes");
    let back = serde_json::to_value(&model).expect("serializes");
    (model, back)
}

#[test]
fn an_unknown_enum_value_survives_a_round_trip() {
    let body = json!({"runState": "somethingNew", "errorCode": 3});
    let (state, back): (DeviceManagementScriptDeviceState, _) = round_trip(&body);
    assert_eq!(
        state.run_state,
        Field::Value(RunState::Other("somethingNew".into()))
    );
    assert_eq!(back, body);
    let (known, _): (DeviceManagementScriptDeviceState, _) =
        round_trip(&json!({"runState": "scriptError"}));
    assert_eq!(known.run_state, Field::Value(RunState::ScriptError));
}

#[test]
fn an_unknown_property_and_annotations_survive_a_round_trip() {
    let body = json!({
        "@odata.type": "#microsoft.graph.deviceManagementScriptDeviceState",
        "@odata.etag": "W/\"1\"",
        "resultMessage": "ok",
        "futureProperty": {"nested": [1, 2, 3]}
    });
    let (state, back): (DeviceManagementScriptDeviceState, _) = round_trip(&body);
    assert_eq!(state.result_message, Field::Value("ok".to_string()));
    assert_eq!(
        state.additional_properties["futureProperty"],
        json!({"nested": [1, 2, 3]})
    );
    assert_eq!(back, body);
}

#[test]
fn absent_and_null_are_told_apart() {
    let (cleared, back): (DeviceManagementScriptDeviceState, _) =
        round_trip(&json!({"resultMessage": null}));
    assert_eq!(cleared.result_message, Field::Null);
    assert_eq!(cleared.error_code, Field::Absent);
    assert_eq!(back, json!({"resultMessage": null}));
}

#[test]
fn typed_values_parse_and_print_back() {
    let body = json!({
        "id": "39440cba-0cba-3944-ba0c-4439ba0c4439",
        "lastStateUpdateDateTime": "2017-01-01T00:02:58.4418045-08:00",
        "errorCode": 9
    });
    let (state, back): (DeviceManagementScriptDeviceState, _) = round_trip(&body);
    let time = state
        .last_state_update_date_time
        .as_option()
        .expect("a time");
    assert_eq!(time.value().timestamp(), 1483257778);
    // Seven fractional digits and the offset come back exactly as written.
    assert_eq!(back, body);
    assert_eq!(state.error_code, Field::Value(9));
    let wrong =
        serde_json::from_value::<DeviceManagementScriptDeviceState>(json!({"errorCode": "nine"}));
    assert!(wrong.unwrap_err().to_string().contains("invalid type"));
}

#[test]
fn a_polymorphic_collection_deserializes_to_each_derived_type_and_back() {
    let body = json!({
        "value": [
            {"@odata.type": "#microsoft.graph.locateDeviceActionResult", "actionName": "locate",
             "deviceLocation": {"@odata.type": "microsoft.graph.deviceGeoLocation", "latitude": 47.6, "longitude": -122.1}},
            {"@odata.type": "#microsoft.graph.remoteLockActionResult", "actionName": "lock", "unlockPin": "1234",
             "actionState": "done"},
            {"@odata.type": "#microsoft.graph.deviceActionResult", "actionName": "plain"},
            {"@odata.type": "#microsoft.graph.someFutureActionResult", "actionName": "new", "extra": true},
            {"actionName": "untyped"}
        ]
    });
    let (results, back): (Collection<AnyDeviceActionResult>, _) = round_trip(&body);
    assert_eq!(back, body, "nothing lost");
    match &results.value[0] {
        AnyDeviceActionResult::LocateDeviceActionResult(locate) => {
            let location = locate.device_location.as_option().expect("location");
            assert_eq!(location.latitude, Field::Value(47.6));
        }
        other => panic!("expected a locate result, got {other:?}"),
    }
    match &results.value[1] {
        AnyDeviceActionResult::RemoteLockActionResult(lock) => {
            assert_eq!(lock.unlock_pin, Field::Value("1234".into()));
            assert_eq!(lock.action_state, Field::Value(ActionState::Done));
        }
        other => panic!("expected a remote lock result, got {other:?}"),
    }
    for (i, fallback) in results.value[2..].iter().enumerate() {
        assert!(
            matches!(fallback, AnyDeviceActionResult::DeviceActionResult(_)),
            "item {} should fall back to the base type: {fallback:?}",
            i + 2
        );
    }
}

#[test]
fn generated_files_of_docs_input() {
    let analysis =
        graphgen::pipeline::analyze(&[graphgen_tests::docs_input()]).expect("read docs-input");
    let files = graphgen::emit::emit(&analysis.schema);
    for (path, contents) in files {
        if path.extension().is_some_and(|e| e == "rs" || e == "toml") {
            let name = path.to_string_lossy().replace(['/', '\\'], "__");
            insta::assert_snapshot!(name, contents);
        }
    }
}

#[test]
fn a_derived_value_built_in_code_names_its_type() {
    let located = LocateDeviceActionResult {
        action_name: "locateDevice".into(),
        ..LocateDeviceActionResult::default()
    };
    let any = AnyDeviceActionResult::LocateDeviceActionResult(Box::new(located));
    let json = serde_json::to_value(&any).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({
            "@odata.type": "#microsoft.graph.locateDeviceActionResult",
            "actionName": "locateDevice"
        })
    );
    let back: AnyDeviceActionResult = serde_json::from_value(json).expect("reads back");
    assert!(matches!(
        back,
        AnyDeviceActionResult::LocateDeviceActionResult(_)
    ));
}

#[test]
fn a_sub_namespace_type_goes_by_its_own_name_in_its_namespace_module() {
    use graph_models::namespaces::call_records::{FailureInfo, Segment};
    let body = json!({
        "@odata.type": "#microsoft.graph.callRecords.segment",
        "id": "e523d2ed-2966-4b6b-925b-754a88034cc5",
        "failureInfo": {"reason": "unknown", "stage": "callSetup"}
    });
    let (segment, back): (Segment, _) = round_trip(&body);
    let failure: &FailureInfo = match &segment.failure_info {
        Field::Value(failure) => failure,
        other => panic!("failureInfo should be read as a value: {other:?}"),
    };
    assert_eq!(failure.stage, Field::Value("callSetup".to_string()));
    assert_eq!(back, body);
    // The namespace module re-exports the crate's own type: one type, two names.
    let same: graph_models::CallRecordsSegment = segment;
    assert_eq!(
        <Segment as graph_support::Object>::NAME,
        "callRecords.segment"
    );
    assert_eq!(
        same.id,
        Field::Value("e523d2ed-2966-4b6b-925b-754a88034cc5".into())
    );
}
