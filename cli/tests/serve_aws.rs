//! `stepwise serve --backend aws --bootstrap` on moto's DynamoDB, SQS and
//! EventBridge, driven by boto3 (`tests/clients/serve_aws.py`): the
//! console's HelloWorld sample and a Map of Waits run to SUCCEEDED through
//! the in-process stepper, with their whole history.

mod support;

#[path = "../../shared/aws/tests/support/moto.rs"]
#[allow(dead_code)] // the shared server is for the aws crate's tests
mod moto;

use std::process::Command;
use support::{Server, client_env, python_clients, workspace};

#[test]
fn boto3_runs_hello_world_and_a_map_of_waits_on_the_aws_backend() {
    let bin = python_clients();
    let moto = moto::Moto::start();
    let name = format!("serve-aws-{}", std::process::id());
    let bus = format!("{name}-bus");
    let env = [
        ("AWS_ENDPOINT_URL", moto.endpoint.as_str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("STEPWISE_TABLE", name.as_str()),
        ("STEPWISE_QUEUE_NAME", name.as_str()),
        ("STEPWISE_EVENT_BUS", bus.as_str()),
    ];
    let server = Server::start_with_env(&["--backend", "aws", "--bootstrap"], &env);
    let mut cmd = Command::new(bin.join("python"));
    client_env(&mut cmd, &bin);
    let out = cmd
        .arg(workspace().join("tests/clients/serve_aws.py"))
        .env("STEPWISE_ENDPOINT", &server.endpoint)
        .env("MOTO_ENDPOINT", &moto.endpoint)
        .env("STEPWISE_TABLE", &name)
        .env("STEPWISE_EVENT_BUS", &bus)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stderr);
    println!("{report}");
    assert!(out.status.success(), "boto3 tests failed:\n{report}");
}

/// Options that name what the AWS backend keeps elsewhere are refused with
/// a message saying so, before anything is created.
#[test]
fn local_only_options_are_refused_with_the_aws_backend() {
    for extra in
        [&["--data-dir", "/tmp/x"][..], &["--events-file", "/tmp/e"], &["--wait-time-scale", "0.5"], &["--in-memory"]]
    {
        let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
            .args(["serve", "--port", "0", "--backend", "aws"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(extra[0]), "{extra:?}: {stderr}");
    }
    let out =
        Command::new(env!("CARGO_BIN_EXE_stepwise")).args(["serve", "--port", "0", "--bootstrap"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--backend aws"));
}
