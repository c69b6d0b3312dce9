//! The `stepwise` binary as a user runs it.

use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Command, Output};

fn stepwise(args: &[&str]) -> Output {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    Command::new(env!("CARGO_BIN_EXE_stepwise")).current_dir(root).args(args).output().expect("stepwise runs")
}

// The console's HelloWorld sample: the Parallel state's output is the array
// of its branches' outputs ("Parallel workflow state", AWS Developer Guide).
#[test]
fn hello_world_example_succeeds_with_both_branch_outputs() {
    let out = stepwise(&[
        "run",
        "examples/hello-world.asl.json",
        "--input",
        r#"{"IsHelloWorldExample": true}"#,
        "--wait-time-scale",
        "0",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "SUCCEEDED");
    let output: Value = serde_json::from_str(report["output"].as_str().unwrap()).unwrap();
    assert_eq!(output, json!([{"IsHelloWorldExample": true}, {"IsHelloWorldExample": true}]));
}

#[test]
fn hello_world_fails_with_the_fail_states_cause() {
    let out = stepwise(&[
        "run",
        "examples/hello-world.asl.json",
        "--input",
        r#"{"IsHelloWorldExample": false}"#,
        "--wait-time-scale",
        "0",
        "--json",
        "--history",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "FAILED");
    assert_eq!(report["cause"], "Not Hello World");
    let types: Vec<&str> = report["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types.last(), Some(&"ExecutionFailed"));
    assert!(types.contains(&"FailStateEntered"));
}

// Step Functions Local mock config: Throw twice (retried), then a caught error.
#[test]
fn mock_config_answers_lambda_tasks_by_invocation() {
    let out = stepwise(&[
        "run",
        "examples/retry-catch.asl.json",
        "--mock-config",
        "examples/lambda-mocks.json",
        "--test-case",
        "RetryThenCatch",
        "--input",
        r#"{"order": 7}"#,
        "--wait-time-scale",
        "0",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output, json!({"order": 7, "failed": true, "reason": "CardDeclined"}));
}

#[test]
fn validate_reports_aws_codes_and_fails() {
    let dir = std::env::temp_dir().join(format!("stepwise-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}"#).unwrap();
    let out = stepwise(&["validate", "--json", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let records: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(records[0]["result"], "FAIL");
    assert_eq!(records[0]["diagnostics"][0]["code"], "MISSING_TRANSITION_TARGET");
    assert_eq!(records[0]["diagnostics"][0]["location"], "/States/A/Next");
    let ok = stepwise(&["validate", "examples/hello-world.asl.json"]);
    assert!(ok.status.success());
}

#[test]
fn bad_input_gives_a_clear_error_not_a_panic() {
    let missing = stepwise(&["run", "no/such/file.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read no/such/file.json"));
    let bad_json = stepwise(&["run", "examples/hello-world.asl.json", "--input", "{nope"]);
    assert_eq!(bad_json.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_json.stderr).contains("--input is not valid JSON"));
    let flag = stepwise(&["run", "--no-such-flag"]);
    assert_eq!(flag.status.code(), Some(2));
}

/// A user's own case directory, never seen before: one case naming its
/// definition file, one embedding it; a failing case fails the run.
#[test]
fn test_runs_a_new_directory_of_user_cases() {
    let dir = std::env::temp_dir().join(format!("stepwise-user-cases-{}", std::process::id()));
    let cases = dir.join("orders");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(
        dir.join("order.asl.yaml"),
        "StartAt: Price\nStates:\n  Price:\n    Type: Task\n    Resource: arn:aws:lambda:us-east-1:123456789012:function:price\n    End: true\n",
    )
    .unwrap();
    let passing = json!({
        "name": "order_is_priced", "category": "orders",
        "definition": "../order.asl.yaml",
        "input": {"sku": "apple"},
        "mocks": {"lambda": {"price": {"behavior": "constant", "result": {"total": 3}}}},
        "expected": {"status": "SUCCEEDED", "output": {"total": 3}}
    });
    std::fs::write(cases.join("priced.json"), passing.to_string()).unwrap();
    let out = stepwise(&["test", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 0 failed"));

    let failing = json!({
        "name": "wrong_total", "category": "orders",
        "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"total": 4}, "End": true}}},
        "input": {}, "expected": {"status": "SUCCEEDED", "output": {"total": 3}}
    });
    std::fs::write(cases.join("wrong.json"), failing.to_string()).unwrap();
    let out = stepwise(&["test", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("wrong_total"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 1 failed"));
}

#[test]
fn graph_draws_a_valid_definition_and_refuses_an_invalid_one() {
    let out = stepwise(&["graph", "examples/hello-world.asl.json", "--format", "mermaid"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("flowchart TD\n") && text.contains("Wait 3 sec"), "{text}");

    let svg = stepwise(&["graph", "examples/hello-world.asl.json"]);
    assert!(svg.status.success());
    let svg = String::from_utf8(svg.stdout).unwrap();
    assert_eq!(svg.matches(r#"<g class="state "#).count(), 9, "one group per state, nested ones too");

    let dir = std::env::temp_dir().join(format!("stepwise-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}"#).unwrap();
    let out = stepwise(&["graph", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("MISSING_TRANSITION_TARGET"), "{stderr}");
}

// The progress line is for terminals: a run longer than the half second
// after which a terminal would show it writes nothing to a piped stderr.
#[test]
fn a_long_run_stays_quiet_when_piped() {
    let out = stepwise(&[
        "run",
        "examples/hello-world.asl.json",
        "--input",
        r#"{"IsHelloWorldExample": true}"#,
        "--wait-time-scale",
        "0.3",
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output, json!([{"IsHelloWorldExample": true}, {"IsHelloWorldExample": true}]));
}
