//! A durable `stepwise serve` killed with executions in flight (in Wait
//! states and in Map iterations) and started again on the same data
//! directory finishes every execution with a complete history.

mod support;

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::Server;

fn definition() -> String {
    json!({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "MaxConcurrency": 1, "ItemsPath": "$.items", "ResultPath": "$.done",
            "ItemProcessor": {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 1, "End": true}}},
            "Next": "Rest"},
        "Rest": {"Type": "Wait", "Seconds": 1, "End": true}}})
    .to_string()
}

#[test]
fn killed_server_resumes_every_execution_after_restart() {
    let dir = std::env::temp_dir().join(format!("stepwise-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data_dir = dir.to_str().unwrap().to_owned();
    let first = Server::start_with(&["--data-dir", &data_dir]);
    let (status, created) = first.call(
        "CreateStateMachine",
        json!({"name": "Restartable", "definition": definition(), "roleArn": "arn:aws:iam::123456789012:role/r"}),
    );
    assert_eq!(status, 200, "{created}");
    let machine = created["stateMachineArn"].as_str().unwrap().to_owned();
    let mut executions = Vec::new();
    for i in 0..4 {
        let input = json!({"items": [i, i + 1, i + 2]}).to_string();
        let (status, started) =
            first.call("StartExecution", json!({"stateMachineArn": machine, "name": format!("e{i}"), "input": input}));
        assert_eq!(status, 200, "{started}");
        executions.push(started["executionArn"].as_str().unwrap().to_owned());
    }
    // Mid-flight: in the second of three one-second Map iterations.
    std::thread::sleep(Duration::from_millis(1500));
    let (_, running) = first.call("DescribeExecution", json!({"executionArn": executions[0]}));
    assert_eq!(running["status"], "RUNNING");
    first.kill();

    let second = Server::start_with(&["--data-dir", &data_dir]);
    let deadline = Instant::now() + Duration::from_secs(30);
    for arn in &executions {
        let done = loop {
            let (_, d) = second.call("DescribeExecution", json!({"executionArn": arn}));
            if d["status"] != "RUNNING" || Instant::now() > deadline {
                break d;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(done["status"], "SUCCEEDED", "{arn}: {done}");
        let output: Value = serde_json::from_str(done["output"].as_str().unwrap()).unwrap();
        assert_eq!(output["done"].as_array().map(Vec::len), Some(3));
        let (_, history) = second.call("GetExecutionHistory", json!({"executionArn": arn, "maxResults": 1000}));
        let events = history["events"].as_array().unwrap();
        let ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, (1..=ids.len() as i64).collect::<Vec<_>>(), "ids 1..n, none lost or repeated");
        let count = |t: &str| events.iter().filter(|e| e["type"] == t).count();
        assert_eq!(count("MapIterationSucceeded"), 3);
        assert_eq!(count("WaitStateExited"), 4);
        assert_eq!(events.last().unwrap()["type"], "ExecutionSucceeded");
    }
    drop(second);
    let _ = std::fs::remove_dir_all(&dir);
}
