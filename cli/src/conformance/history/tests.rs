//! Tests of history comparison. Recorded histories come from the corpus
//! (named at each test); ours are the same events in GetExecutionHistory
//! shape (JSON text fields, timestamps), as AWS's API returns them.

use super::*;
use crate::conformance::case::Case;
use serde_json::json;
use std::path::Path;

fn case(history: &[&str], detail: Option<Value>, order: &str) -> Case {
    let text = json!({
        "definition": {}, "expected": {"status": "SUCCEEDED", "history": history},
        "history_detail": detail, "comparison": {"history_order": order, "history_placeholders": ["snf_role_arn"]}
    });
    Case::parse(Path::new("/c/t/c.json"), &text.to_string()).expect("valid case")
}

/// An event of ours: `(id, previousEventId, type, details)` with text fields.
fn ours(events: &[(u64, u64, &str, Value)]) -> Vec<Value> {
    events
        .iter()
        .map(|(id, prev, kind, details)| {
            let mut e =
                json!({"timestamp": "2024-05-01T10:00:00.000Z", "type": kind, "id": id, "previousEventId": prev});
            if let Some(key) = details_key(kind) {
                e[key] = details.clone();
            }
            e
        })
        .collect()
}

fn details_key(kind: &str) -> Option<&'static str> {
    match kind {
        "ExecutionStarted" => Some("executionStartedEventDetails"),
        "ExecutionSucceeded" => Some("executionSucceededEventDetails"),
        k if k.ends_with("StateEntered") => Some("stateEnteredEventDetails"),
        k if k.ends_with("StateExited") => Some("stateExitedEventDetails"),
        _ => None,
    }
}

fn reasons(case: &Case, events: &[Value]) -> Vec<String> {
    compare(case, events, &mut Bindings::default()).iter().map(ToString::to_string).collect()
}

/// base/test_base__test_state_fail_path style: a Pass state, exact order.
#[test]
fn exact_histories_compare_types_details_and_ids() {
    let detail = json!([
        {"executionStartedEventDetails": {"input": {"a": 1}, "inputDetails": {"truncated": false}, "roleArn": "snf_role_arn"},
         "id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
        {"id": 2, "previousEventId": 0, "stateEnteredEventDetails": {"input": {"a": 1}, "inputDetails": {"truncated": false}, "name": "P"},
         "type": "PassStateEntered"},
        {"id": 3, "previousEventId": 2, "stateExitedEventDetails": {"name": "P", "output": "[1]", "outputDetails": {"truncated": false}},
         "type": "PassStateExited"}
    ]);
    let c = case(&["ExecutionStarted", "PassStateEntered", "PassStateExited"], Some(detail), "exact");
    let started =
        json!({"input": "{\"a\":1}", "inputDetails": {"truncated": false}, "roleArn": "arn:aws:iam::1:role/R"});
    let entered = json!({"input": "{\"a\":1}", "inputDetails": {"truncated": false}, "name": "P"});
    let exited = json!({"name": "P", "output": "[1]", "outputDetails": {"truncated": false}});
    let good = ours(&[
        (1, 0, "ExecutionStarted", started.clone()),
        (2, 0, "PassStateEntered", entered.clone()),
        (3, 2, "PassStateExited", exited.clone()),
    ]);
    assert_eq!(reasons(&c, &good), Vec::<String>::new());

    let wrong_ids = ours(&[
        (1, 0, "ExecutionStarted", started.clone()),
        (2, 1, "PassStateEntered", entered.clone()),
        (3, 2, "PassStateExited", exited.clone()),
    ]);
    assert_eq!(
        reasons(&c, &wrong_ids),
        ["history ids: event #2 (PassStateEntered): previousEventId expected 0, got 1"]
    );

    let spaced = json!({"name": "P", "output": "[ 1 ]", "outputDetails": {"truncated": false}});
    let wrong_text = ours(&[
        (1, 0, "ExecutionStarted", started.clone()),
        (2, 0, "PassStateEntered", entered.clone()),
        (3, 2, "PassStateExited", spaced),
    ]);
    assert_eq!(
        reasons(&c, &wrong_text),
        [
            "history detail: event #3 (PassStateExited): at /stateExitedEventDetails/output: expected \"[1]\", got \"[ 1 ]\""
        ]
    );

    let short = ours(&[(1, 0, "ExecutionStarted", started), (2, 0, "PassStateEntered", entered)]);
    assert_eq!(reasons(&c, &short), ["history: 3 events expected, got 2; missing from #3: PassStateExited"]);
}

/// scenarios/test_base_scenarios__test_map_state_retry: a retried Map stays one run.
#[test]
fn classify_marks_runs_inside_top_level_maps_and_parallels() {
    let types = [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapIterationStarted",
        "FailStateEntered",
        "MapIterationFailed",
        "MapStateStarted",
        "MapIterationStarted",
        "FailStateEntered",
        "MapIterationFailed",
        "MapStateFailed",
        "ExecutionFailed",
    ];
    let top = classify(&types, false);
    let want = [true, true, true, false, false, false, false, false, false, false, true, true];
    assert_eq!(top, want);

    // A nested Parallel inside a Map iteration, and a Map that fails before starting.
    let types = [
        "MapStateEntered",
        "MapStateStarted",
        "MapIterationStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "PassStateEntered",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "MapIterationSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "MapStateEntered",
        "EvaluationFailed",
        "MapStateFailed",
    ];
    let top = classify(&types, false);
    let want = [true, true, false, false, false, false, false, false, false, true, true, true, true, true];
    assert_eq!(top, want);

    // Recorder-sorted Parallels have no end event: ParallelStateExited closes the run.
    let types = [
        "ParallelStateEntered",
        "ParallelStateStarted",
        "PassStateEntered",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ];
    assert_eq!(classify(&types, true), [true, true, false, true, true]);
}

/// scenarios/test_base_scenarios__test_parallel_state_order: sorted inner
/// events with ids `[0]`, ParallelStateSucceeded dropped by the recorder.
#[test]
fn parallel_sorted_compares_runs_as_multisets() {
    let entered = |name: &str| {
        json!({"id": [0], "previousEventId": 0, "type": "PassStateEntered",
        "stateEnteredEventDetails": {"input": {}, "inputDetails": {"truncated": false}, "name": name}})
    };
    let detail = json!([
        {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
        {"id": 2, "previousEventId": 0, "type": "ParallelStateEntered"},
        {"id": 3, "previousEventId": 2, "type": "ParallelStateStarted"},
        entered("A"), entered("B"),
        {"id": 7, "previousEventId": 5, "type": "ParallelStateExited"},
    ]);
    let types = [
        "ExecutionStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "PassStateEntered",
        "PassStateEntered",
        "ParallelStateExited",
    ];
    let c = case(&types, Some(detail), "parallel_sorted");
    let e = |name: &str| json!({"input": "{}", "inputDetails": {"truncated": false}, "name": name});
    let run = |first: &str, second: &str| {
        let mut events = ours(&[
            (1, 0, "ExecutionStarted", json!(null)),
            (2, 0, "ParallelStateEntered", json!(null)),
            (3, 2, "ParallelStateStarted", json!(null)),
            (4, 3, "PassStateEntered", e(first)),
            (5, 3, "PassStateEntered", e(second)),
            (6, 5, "ParallelStateSucceeded", json!(null)),
            (7, 5, "ParallelStateExited", json!(null)),
        ]);
        for event in &mut events {
            if let Some(map) = event.as_object_mut() {
                map.retain(|k, v| !(k.ends_with("EventDetails") && v.is_null()));
            }
        }
        events
    };
    assert_eq!(reasons(&c, &run("B", "A")), Vec::<String>::new());
    let got = reasons(&c, &run("B", "C"));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0]
            .starts_with("history detail: event #4 (PassStateEntered, inside a Map or Parallel): none of ours matches"),
        "{got:?}"
    );
}

#[test]
fn interleaved_runs_report_missing_and_extra_types() {
    let types = [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapIterationStarted",
        "MapIterationStarted",
        "MapStateSucceeded",
    ];
    let c = case(&types, None, "interleaving_nondeterministic");
    let mut events = ours(&[
        (1, 0, "ExecutionStarted", json!({})),
        (2, 0, "MapStateEntered", json!({})),
        (3, 2, "MapStateStarted", json!({})),
        (4, 3, "MapIterationStarted", json!({})),
        (5, 3, "MapIterationSucceeded", json!({})),
        (6, 5, "MapStateSucceeded", json!({})),
    ]);
    assert_eq!(
        reasons(&c, &events),
        [
            "history: events #4-#5 (inside a Map or Parallel, any order): missing 1 × MapIterationStarted; extra 1 × MapIterationSucceeded"
        ]
    );
    events[4]["type"] = json!("MapIterationStarted");
    assert_eq!(reasons(&c, &events), Vec::<String>::new());
}
