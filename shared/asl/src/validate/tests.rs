use super::*;
use serde_json::json;

fn codes_at(definition: Value) -> Vec<(String, String, String)> {
    validate(&definition).into_iter().map(|d| (d.code.to_owned(), d.location, d.message)).collect()
}

// AWS's answer for this definition, quoted in localstack/localstack#11978:
// "MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next,
//  MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2"
#[test]
fn missing_target_and_unreachable_state_are_both_reported() {
    let d = codes_at(json!({"StartAt": "pass1", "States": {
        "pass1": {"Type": "Pass", "Next": "pass3"},
        "pass2": {"Type": "Pass", "End": true}}}));
    assert_eq!(
        d,
        vec![(
            "MISSING_TRANSITION_TARGET".to_owned(),
            "/States/pass1/Next".to_owned(),
            "Missing 'Next' target: pass3".to_owned()
        )]
    );
}

#[test]
fn unreachable_state_is_reported_at_its_location() {
    let d = codes_at(json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "End": true},
        "C": {"Type": "Pass", "End": true}}}));
    assert_eq!(
        d,
        vec![("MISSING_TRANSITION_TARGET".into(), "/States/C".into(), "State \"C\" is not reachable.".into())]
    );
}

// AWS: a loop with no terminal state gives MISSING_END_STATE only.
#[test]
fn loop_without_terminal_state_is_missing_end_state() {
    let d = codes_at(json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "A"}}}));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, "MISSING_END_STATE");
    assert_eq!(d[0].2, "Workflow has no terminal state");
}

// AWS: "Field 'TimeoutSeconds' is not supported" at /States/P for a Parallel state.
#[test]
fn unsupported_field_is_reported_at_the_state() {
    let d = codes_at(json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "TimeoutSeconds": 5, "End": true,
              "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}]}}}));
    assert_eq!(
        d,
        vec![("SCHEMA_VALIDATION_FAILED".into(), "/States/P".into(), "Field 'TimeoutSeconds' is not supported".into())]
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let d = codes_at(json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "not-an-arn", "InputPath": "x", "Next": "Nowhere"},
        "B": {"Type": "Bogus"}}}));
    let codes: Vec<&str> = d.iter().map(|(c, _, _)| c.as_str()).collect();
    assert!(codes.contains(&"INVALID_RESOURCE"), "{d:?}");
    assert!(codes.contains(&"MISSING_TRANSITION_TARGET"), "{d:?}");
    assert!(d.iter().any(|(_, at, _)| at == "/States/A/InputPath"), "{d:?}");
    assert!(d.iter().any(|(_, at, _)| at == "/States/B/Type"), "{d:?}");
}

#[test]
fn states_all_must_be_alone_and_last() {
    let d = codes_at(json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true,
              "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}]}}}));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].1, "/States/T/Retry[0]/ErrorEquals");
}

#[test]
fn unknown_states_error_name_is_rejected() {
    let d = codes_at(json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true,
              "Catch": [{"ErrorEquals": ["States.Bogus"], "Next": "T"}]}}}));
    assert_eq!(d.len(), 1, "{d:?}");
}

#[test]
fn nested_branches_are_validated_recursively() {
    let d = codes_at(json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "End": true,
              "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Y"}}}]}}}));
    assert_eq!(
        d,
        vec![(
            "MISSING_TRANSITION_TARGET".into(),
            "/States/P/Branches[0]/States/X/Next".into(),
            "Missing 'Next' target: Y".into()
        )]
    );
}

#[test]
fn state_names_longer_than_80_characters_are_rejected() {
    let long = "x".repeat(81);
    let d = codes_at(json!({"StartAt": long, "States": {long.clone(): {"Type": "Succeed"}}}));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, "INVALID_STATE_NAME");
}

#[test]
fn yaml_definitions_parse() {
    let m = parse_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n").unwrap();
    assert_eq!(m.scopes[0].states[0].name, "A");
}

#[test]
fn bad_text_is_invalid_json_description() {
    let d = parse_text("{\"StartAt\": ").unwrap_err();
    assert_eq!(d[0].code, "INVALID_JSON_DESCRIPTION");
}
