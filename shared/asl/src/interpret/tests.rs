use super::*;
use crate::validate::parse;
use serde_json::json;

/// Runs a definition with no tasks to its end, answering timers at once.
pub(crate) fn run_simple(definition: Value, input: Value) -> (Next, Vec<HistoryEvent>) {
    let machine = parse(&definition).expect("valid definition");
    let execution = ExecutionInfo {
        execution_arn: "arn:aws:states:us-east-1:123456789012:execution:M:e".into(),
        name: "e".into(),
        input: input.clone(),
        input_text: None,
        start_time: 0,
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:M".into(),
        state_machine_name: "M".into(),
        region: "us-east-1".into(),
    };
    let (mut branch, started) = start_execution(&machine, &execution, 0);
    let mut history = vec![started];
    let token: fn() -> String = || "token".to_owned();
    let mut event = Event::Enter;
    loop {
        let mut env = Env {
            machine: &machine,
            execution: &execution,
            now: 0,
            next_event_id: history.len() as i64 + 1,
            rng: crate::rng::Rng::new(7),
            new_token: token,
        };
        let s = step(&mut branch, event, &mut env);
        history.extend(s.history);
        event = match s.next {
            Next::Continue => Event::Enter,
            Next::Timer { .. } => Event::TimerFired,
            done => return (done, history),
        };
    }
}

fn types(history: &[HistoryEvent]) -> Vec<&str> {
    history.iter().map(|e| e.event_type.as_ref()).collect()
}

// "InputPath, Parameters and ResultSelector" example, AWS Developer Guide
// (input-output-inputpath-params.html): ResultPath "$.data" keeps the input.
#[test]
fn pass_result_path_merges_into_input() {
    let (next, history) = run_simple(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.data", "End": true}}}),
        json!({"a": 2}),
    );
    assert_eq!(next, Next::Succeeded(json!({"a": 2, "data": {"x": 1}})));
    assert_eq!(types(&history), ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
}

#[test]
fn output_path_null_gives_empty_object() {
    let (next, _) = run_simple(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": null, "End": true}}}),
        json!({"a": 2}),
    );
    assert_eq!(next, Next::Succeeded(json!({})));
}

// Recorded by AWS (conformance base/test_state_fail): Fail ends the execution
// with its Error and Cause and no FailStateExited event.
#[test]
fn fail_state_fails_with_error_and_cause() {
    let (next, history) = run_simple(
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure", "Cause": "c"}}}),
        json!({}),
    );
    assert_eq!(next, Next::Failed(Failure::new("SomeFailure", "c")));
    assert_eq!(types(&history), ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]);
}

// AWS (conformance scenarios/test_invalid_jsonpath_*): a missing path in
// Parameters is States.Runtime naming the state and its entered event id.
#[test]
fn missing_parameter_path_is_a_runtime_error() {
    let (next, _) = run_simple(
        json!({"StartAt": "pass", "States": {"pass": {"Type": "Pass", "Parameters": {"value.$": "$.no_such_jsonpath"}, "End": true}}}),
        json!({}),
    );
    assert_eq!(
        next,
        Next::Failed(Failure::new(
            "States.Runtime",
            "An error occurred while executing the state 'pass' (entered at the event id #2). The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{}'"
        ))
    );
}

#[test]
fn wait_asks_for_a_timer_then_exits() {
    let (next, history) = run_simple(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}),
        json!({"k": 1}),
    );
    assert_eq!(next, Next::Succeeded(json!({"k": 1})));
    assert_eq!(types(&history), ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]);
}

// AWS (conformance scenarios/test_map_state): the first state entered after
// ExecutionStarted has previousEventId 0; later events chain to the previous one.
#[test]
fn event_ids_chain_within_a_branch() {
    let (_, history) = run_simple(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}),
        json!({}),
    );
    let links: Vec<(i64, i64)> = history.iter().map(|e| (e.id, e.previous_event_id)).collect();
    assert_eq!(links, [(1, 0), (2, 0), (3, 2), (4, 3), (5, 4), (6, 5)]);
}

#[test]
fn retry_delay_grows_by_backoff_and_is_capped() {
    let r = crate::model::Retrier {
        error_equals: vec!["States.ALL".into()],
        interval_seconds: 2,
        max_attempts: 5,
        backoff_rate: 3.0,
        max_delay_seconds: Some(10),
        full_jitter: false,
    };
    let delays: Vec<i64> = (0..3).map(|a| failure::retry_delay_ms(&r, a, 0.5)).collect();
    assert_eq!(delays, [2000, 6000, 10000]);
}

#[test]
fn tolerance_counts_and_percentages() {
    let c = |count, pct| Children {
        branches: vec![ChildStart { scope: 0, input: json!(null), origin: Origin::Execution, detached: false }; 10],
        max_concurrency: 0,
        tolerated_failure_count: count,
        tolerated_failure_percentage: pct,
    };
    assert!(c(None, None).exceeded(1));
    assert!(!c(Some(2), None).exceeded(2));
    assert!(c(Some(2), None).exceeded(3));
    assert!(!c(None, Some(30.0)).exceeded(3));
    assert!(c(None, Some(30.0)).exceeded(4));
}
