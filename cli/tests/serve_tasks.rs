//! `stepwise serve --dynamodb-endpoint … --sqs-endpoint …` on moto's server:
//! a state machine created through boto3 puts and gets a DynamoDB item,
//! sends an SQS message and catches `DynamoDB.ConditionalCheckFailedException`
//! (`tests/clients/serve_tasks.py`).

mod support;

#[path = "../../shared/aws/tests/support/moto.rs"]
#[allow(dead_code)] // the shared server is for the aws crate's tests
mod moto;

use std::process::Command;
use support::{Server, client_env, python_clients, workspace};

#[test]
fn boto3_runs_dynamodb_and_sqs_tasks_against_moto() {
    let bin = python_clients();
    let moto = moto::Moto::start();
    let env = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let server = Server::start_with_env(
        &["--in-memory", "--dynamodb-endpoint", &moto.endpoint, "--sqs-endpoint", &moto.endpoint],
        &env,
    );
    let mut cmd = Command::new(bin.join("python"));
    client_env(&mut cmd, &bin);
    let out = cmd
        .arg(workspace().join("tests/clients/serve_tasks.py"))
        .env("STEPWISE_ENDPOINT", &server.endpoint)
        .env("MOTO_ENDPOINT", &moto.endpoint)
        .output()
        .unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "boto3 run failed:\n{report}");
    assert!(report.contains("serve_tasks: OK"), "{report}");
}
