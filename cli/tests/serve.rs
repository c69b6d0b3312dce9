//! `stepwise serve` with the real aws CLI and boto3, installed by the test
//! into a virtualenv.

mod support;

use std::process::Command;
use support::{Server, client_env, python_clients, workspace};

fn aws(bin: &std::path::Path, endpoint: &str, args: &[&str]) -> serde_json::Value {
    let mut cmd = Command::new(bin.join("aws"));
    client_env(&mut cmd, bin);
    let out = cmd.args(["--endpoint-url", endpoint, "--output", "json", "stepfunctions"]).args(args).output().unwrap();
    assert!(out.status.success(), "aws {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

/// The walk-through of "Testing Step Functions Local" in the AWS Developer
/// Guide, command for command: create the HelloWorld machine, start it,
/// describe the execution.
#[test]
fn aws_cli_hello_world_walkthrough() {
    let bin = python_clients();
    let server = Server::start(&[]);
    let definition = r#"{"Comment": "A Hello World example of the Amazon States Language using a Pass state","StartAt": "HelloWorld","States": {"HelloWorld": {"Type": "Pass","End": true}}}"#;
    let created = aws(
        &bin,
        &server.endpoint,
        &[
            "create-state-machine",
            "--definition",
            definition,
            "--name",
            "HelloWorld",
            "--role-arn",
            "arn:aws:iam::012345678901:role/DummyRole",
        ],
    );
    let arn = created["stateMachineArn"].as_str().unwrap().to_owned();
    assert_eq!(arn, "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld");
    let started = aws(&bin, &server.endpoint, &["start-execution", "--state-machine-arn", &arn]);
    let execution = started["executionArn"].as_str().unwrap().to_owned();
    let mut described = serde_json::Value::Null;
    for _ in 0..200 {
        described = aws(&bin, &server.endpoint, &["describe-execution", "--execution-arn", &execution]);
        if described["status"] != "RUNNING" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(described["status"], "SUCCEEDED");
    assert_eq!(described["output"], "{}");
    let listed = aws(&bin, &server.endpoint, &["list-state-machines"]);
    assert_eq!(listed["stateMachines"][0]["name"], "HelloWorld");
}

#[test]
fn boto3_drives_the_api() {
    let bin = python_clients();
    let server = Server::start(&["--wait-time-scale", "1"]);
    let mut cmd = Command::new(bin.join("python"));
    client_env(&mut cmd, &bin);
    let out = cmd
        .arg(workspace().join("tests/clients/serve_api.py"))
        .env("STEPWISE_ENDPOINT", &server.endpoint)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stderr);
    println!("{report}");
    assert!(out.status.success(), "boto3 tests failed:\n{report}");
}
