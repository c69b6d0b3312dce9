//! The Step Functions API service driven as the AWS CLI and boto3 drive it:
//! `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body shaped as
//! botocore's `stepfunctions/2016-11-23/service-2.json` says. Error names and
//! messages marked "recorded" were recorded from AWS in localstack's
//! `tests/aws/services/stepfunctions/v2/test_sfn_api.snapshot.json`.

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use stepwise_engine::api::{Response, handle};
use stepwise_engine::memory::{FnTasks, ManualClock, MemoryEvents, MemoryQueue, MemoryStore};
use stepwise_engine::ports::TaskOutcome;
use stepwise_engine::{Config, Engine};

type TestEngine = Engine<MemoryStore, MemoryQueue, MemoryEvents, FnTasks, ManualClock>;

const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld";
const ROLE: &str = "arn:aws:iam::123456789012:role/service-role/StepFunctions-HelloWorld";

struct Env {
    engine: TestEngine,
    queue: MemoryQueue,
    tokens: Arc<Mutex<Vec<String>>>,
}

/// An engine whose tasks all wait for a callback, recording their tokens.
fn env() -> Env {
    let clock = ManualClock::at(1_700_000_000_000);
    let queue = MemoryQueue::new(clock.clone());
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let seen = tokens.clone();
    let tasks = FnTasks::new(move |r| {
        seen.lock().unwrap().extend(r.token.clone());
        TaskOutcome::Waiting
    });
    let config = Config::new("us-east-1", "123456789012");
    let engine = Engine::new(MemoryStore::default(), queue.clone(), MemoryEvents::default(), tasks, clock, config);
    Env { engine, queue, tokens }
}

impl Env {
    async fn raw(&self, operation: &str, body: &[u8]) -> Response {
        handle(&self.engine, &format!("AWSStepFunctions.{operation}"), body).await
    }

    async fn ok(&self, operation: &str, body: Value) -> Value {
        let r = self.raw(operation, body.to_string().as_bytes()).await;
        let answer: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(r.status, 200, "{operation}: {answer}");
        answer
    }

    /// The `(__type, message)` of an error answer, which must be a 400.
    async fn err(&self, operation: &str, body: Value) -> (String, String) {
        let r = self.raw(operation, body.to_string().as_bytes()).await;
        let answer: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(r.status, 400, "{operation}: {answer}");
        (answer["__type"].as_str().unwrap().to_owned(), answer["message"].as_str().unwrap().to_owned())
    }

    /// Asserts an error answer's `__type` and `message`.
    async fn fails(&self, operation: &str, body: Value, kind: &str, message: &str) {
        assert_eq!(self.err(operation, body).await, (kind.to_owned(), message.to_owned()));
    }

    /// An error answer's `__type`.
    async fn kind(&self, operation: &str, body: Value) -> String {
        self.err(operation, body).await.0
    }

    async fn drain(&self) {
        while let Some(message) = self.queue.pop() {
            self.engine.handle(&message).await.expect("handled");
        }
    }

    async fn create(&self, name: &str, definition: &Value) -> Value {
        self.ok("CreateStateMachine", json!({"name": name, "definition": definition.to_string(), "roleArn": ROLE}))
            .await
    }
}

/// The console's HelloWorld sample.
fn hello_world() -> Value {
    json!({"Comment": "A Hello World example", "StartAt": "Pass", "States": {
        "Pass": {"Type": "Pass", "Next": "Hello World example?"},
        "Hello World example?": {"Type": "Choice", "Choices": [
            {"Variable": "$.IsHelloWorldExample", "BooleanEquals": true, "Next": "Yes"},
            {"Variable": "$.IsHelloWorldExample", "BooleanEquals": false, "Next": "No"}], "Default": "Yes"},
        "Yes": {"Type": "Pass", "Next": "Wait 3 sec"},
        "No": {"Type": "Fail", "Cause": "Not Hello World"},
        "Wait 3 sec": {"Type": "Wait", "Seconds": 3, "Next": "Parallel State"},
        "Parallel State": {"Type": "Parallel", "Next": "Hello World", "Branches": [
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": true}}},
            {"StartAt": "World", "States": {"World": {"Type": "Pass", "End": true}}}]},
        "Hello World": {"Type": "Pass", "End": true}}})
}

fn callback_task() -> Value {
    json!({"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "End": true,
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                       "MessageBody": {"token.$": "$$.Task.Token"}}}}})
}

#[tokio::test]
async fn hello_world_runs_through_the_api() {
    let env = env();
    let created = env.create("HelloWorld", &hello_world()).await;
    // Timestamps are epoch seconds in the JSON protocol.
    assert_eq!(created, json!({"stateMachineArn": SM, "creationDate": 1_700_000_000.0}));
    let input = r#"{"IsHelloWorldExample": true}"#;
    let started = env.ok("StartExecution", json!({"stateMachineArn": SM, "name": "first", "input": input})).await;
    let arn = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:first";
    assert_eq!(started, json!({"executionArn": arn, "startDate": 1_700_000_000.0}));
    env.drain().await;

    // A Parallel state's output is the array of its branches' outputs
    // (Developer Guide, "Parallel workflow state"); the Wait adds 3 seconds.
    let described = env.ok("DescribeExecution", json!({"executionArn": arn})).await;
    let output: Value = serde_json::from_str(described["output"].as_str().unwrap()).unwrap();
    assert_eq!(output, json!([{"IsHelloWorldExample": true}, {"IsHelloWorldExample": true}]));
    let mut expected = json!({"executionArn": arn, "stateMachineArn": SM, "name": "first", "status": "SUCCEEDED",
        "startDate": 1_700_000_000.0, "stopDate": 1_700_000_003.0, "input": input,
        "inputDetails": {"included": true}, "outputDetails": {"included": true}, "redriveCount": 0,
        "redriveStatus": "NOT_REDRIVABLE", "redriveStatusReason": "Execution is SUCCEEDED and cannot be redriven"});
    expected["output"] = described["output"].clone();
    assert_eq!(described, expected);

    // History, 4 events a page, oldest first: ids 1..n without gaps.
    let (mut events, mut token) = (Vec::new(), None::<Value>);
    loop {
        let mut request = json!({"executionArn": arn, "maxResults": 4});
        if let Some(t) = token {
            request["nextToken"] = t;
        }
        let page = env.ok("GetExecutionHistory", request).await;
        let page_events = page["events"].as_array().unwrap();
        assert!(page_events.len() <= 4);
        events.extend(page_events.iter().cloned());
        match page.get("nextToken") {
            Some(t) => token = Some(t.clone()),
            None => break,
        }
    }
    assert!(events.iter().enumerate().all(|(i, e)| e["id"] == json!(i + 1)));
    // The ExecutionStarted event as AWS shapes it (recorded).
    assert_eq!(
        events[0],
        json!({"id": 1, "previousEventId": 0, "timestamp": 1_700_000_000.0, "type": "ExecutionStarted",
            "executionStartedEventDetails": {"input": input, "inputDetails": {"truncated": false}, "roleArn": ROLE}})
    );
    let last = events.last().unwrap();
    assert_eq!(last["type"], "ExecutionSucceeded");
    assert_eq!(last["executionSucceededEventDetails"]["output"], described["output"]);
    let newest =
        env.ok("GetExecutionHistory", json!({"executionArn": arn, "reverseOrder": true, "maxResults": 1})).await;
    assert_eq!(newest["events"], json!([last]));
    let bare = env.ok("GetExecutionHistory", json!({"executionArn": arn, "includeExecutionData": false})).await;
    assert_eq!(
        bare["events"][0]["executionStartedEventDetails"],
        json!({"inputDetails": {"truncated": false}, "roleArn": ROLE})
    );

    // A second execution, left running: listings are newest first.
    let second = env.ok("StartExecution", json!({"stateMachineArn": SM, "input": input})).await;
    let second_arn = second["executionArn"].as_str().unwrap();
    let generated = second_arn.rsplit(':').next().unwrap();
    assert_eq!((generated.len(), generated.matches('-').count()), (36, 4), "a UUID names it");
    let running = env.ok("ListExecutions", json!({"stateMachineArn": SM, "statusFilter": "RUNNING"})).await;
    assert_eq!(running["executions"][0]["executionArn"], second_arn);
    assert_eq!(running["executions"].as_array().unwrap().len(), 1);
    let page1 = env.ok("ListExecutions", json!({"stateMachineArn": SM, "maxResults": 1})).await;
    assert_eq!(page1["executions"][0]["executionArn"], second_arn);
    let token = page1["nextToken"].clone();
    let page2 = env.ok("ListExecutions", json!({"stateMachineArn": SM, "maxResults": 1, "nextToken": token})).await;
    assert_eq!(
        page2,
        json!({"executions": [{"executionArn": arn, "stateMachineArn": SM, "name": "first", "status": "SUCCEEDED",
            "startDate": 1_700_000_000.0, "stopDate": 1_700_000_003.0, "redriveCount": 0}]})
    );
}

fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn malformed_requests_get_the_protocol_errors() {
    let env = env();
    // Servers (hyper, lambda_runtime) need the answer's future to be Send.
    assert_send(&handle(&env.engine, "AWSStepFunctions.ListStateMachines", b"{}"));
    for body in [br#"{"stateMachineArn": "#.as_slice(), br#"{"stateMachineArn": 5}"#, b"[]"] {
        let r = env.raw("DescribeStateMachine", body).await;
        let answer: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!((r.status, answer["__type"].as_str()), (400, Some("SerializationException")));
    }
    let targets =
        ["AWSStepFunctions.Frobnicate", "", "DynamoDB_20120810.ListTables", "AWSStepFunctions.CreateActivity"];
    for target in targets {
        let r = handle(&env.engine, target, b"{}").await;
        let answer: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!((r.status, answer["__type"].as_str()), (400, Some("UnknownOperationException")), "{target}");
    }
    let null = "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: \
                Member must not be null";
    env.fails("DescribeStateMachine", json!({}), "ValidationException", null).await;
    let (_, message) = env.err("CreateStateMachine", json!({"name": null, "roleArn": ROLE})).await;
    assert!(message.starts_with("2 validation errors detected: Value null at 'name' failed"), "{message}");
    // Recorded.
    let too_many = "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: \
                    Member must have value less than or equal to 1000";
    env.fails("ListStateMachines", json!({"maxResults": 1001}), "ValidationException", too_many).await;
    env.create("HelloWorld", &hello_world()).await;
    let lower_case = "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: \
        Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]";
    let filter = json!({"stateMachineArn": SM, "statusFilter": "succeeded"});
    env.fails("ListExecutions", filter, "ValidationException", lower_case).await;
}

#[tokio::test]
async fn arns_are_checked_for_form_type_region_and_account() {
    let env = env();
    // Recorded: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'".
    let prefix = "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'";
    env.fails("DescribeStateMachine", json!({"stateMachineArn": "not_a_valid_arn"}), "InvalidArn", prefix).await;
    let execution = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:x";
    let context = "Invalid Arn: 'Resource type not valid in this context: execution'";
    env.fails("StartExecution", json!({"stateMachineArn": execution}), "InvalidArn", context).await;
    for elsewhere in [
        "arn:aws:states:eu-west-1:123456789012:stateMachine:HelloWorld",
        "arn:aws:states:us-east-1:210987654321:stateMachine:HelloWorld",
    ] {
        assert_eq!(env.kind("DescribeStateMachine", json!({"stateMachineArn": elsewhere})).await, "InvalidArn");
    }
    // Recorded: "State Machine Does Not Exist: '<arn>'", "Execution Does Not Exist: '<arn>'".
    let missing = format!("State Machine Does Not Exist: '{SM}'");
    env.fails("DescribeStateMachine", json!({"stateMachineArn": SM}), "StateMachineDoesNotExist", &missing).await;
    let missing = format!("Execution Does Not Exist: '{execution}'");
    env.fails("DescribeExecution", json!({"executionArn": execution}), "ExecutionDoesNotExist", &missing).await;
    for operation in ["GetExecutionHistory", "StopExecution"] {
        assert_eq!(env.kind(operation, json!({"executionArn": execution})).await, "ExecutionDoesNotExist");
    }
    let bad_role = json!({"name": "m", "definition": hello_world().to_string(), "roleArn": "r"});
    env.fails("CreateStateMachine", bad_role, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: r'").await;
}

#[tokio::test]
async fn invalid_definitions_and_names_are_refused_as_aws_words_it() {
    let env = env();
    let create = |definition: Value| json!({"name": "m", "definition": definition.to_string(), "roleArn": ROLE});
    let dangling = create(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"}}}));
    let message =
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/A/Next'";
    env.fails("CreateStateMachine", dangling, "InvalidDefinition", message).await;
    // Recorded: a definition without States.
    let message =
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'";
    env.fails("CreateStateMachine", create(json!({"StartAt": "State_1"})), "InvalidDefinition", message).await;
    let mut request = create(hello_world());
    request["name"] = json!("Hello World");
    env.fails("CreateStateMachine", request, "InvalidName", "Invalid Name: 'Hello World'").await;
    // ValidateStateMachineDefinition answers with diagnostics instead (recorded shapes).
    let valid = env.ok("ValidateStateMachineDefinition", json!({"definition": hello_world().to_string()})).await;
    assert_eq!(valid, json!({"result": "OK", "diagnostics": [], "truncated": false}));
    let express = json!({"definition": callback_task().to_string(), "type": "EXPRESS"});
    assert_eq!(
        env.ok("ValidateStateMachineDefinition", express).await,
        json!({"result": "FAIL", "truncated": false, "diagnostics": [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
            "location": "/States/Ask/Resource",
            "message": "Express state machine does not support '.waitForTaskToken' service integration "}]})
    );
}

#[tokio::test]
async fn state_machines_are_created_idempotently_updated_listed_and_deleted() {
    let env = env();
    let first = env.create("HelloWorld", &hello_world()).await;
    env.engine.clock.advance_to(1_700_000_100_000);
    // "If a following request has a different roleArn or tags, Step Functions
    // will ignore these differences" (CreateStateMachine).
    let other_role = "arn:aws:iam::123456789012:role/other";
    let again = json!({"name": "HelloWorld", "definition": hello_world().to_string(), "roleArn": other_role});
    assert_eq!(env.ok("CreateStateMachine", again).await, first);
    let different = json!({"name": "HelloWorld", "roleArn": ROLE, "definition": callback_task().to_string()});
    let exists = format!("State Machine Already Exists: '{SM}'");
    env.fails("CreateStateMachine", different, "StateMachineAlreadyExists", &exists).await;

    let described = env.ok("DescribeStateMachine", json!({"stateMachineArn": SM})).await;
    assert_eq!(
        described,
        json!({"stateMachineArn": SM, "name": "HelloWorld", "status": "ACTIVE", "definition": hello_world().to_string(),
            "roleArn": ROLE, "type": "STANDARD", "creationDate": 1_700_000_000.0,
            "loggingConfiguration": {"level": "OFF", "includeExecutionData": false}, "tracingConfiguration": {"enabled": false}})
    );
    let update = json!({"stateMachineArn": SM, "definition": callback_task().to_string(), "roleArn": other_role});
    let updated = env.ok("UpdateStateMachine", update.clone()).await;
    assert_eq!(updated["updateDate"], 1_700_000_100.0);
    let described = env.ok("DescribeStateMachine", json!({"stateMachineArn": SM})).await;
    assert_eq!(described["revisionId"], updated["revisionId"]);
    assert_eq!(
        (&described["definition"], &described["roleArn"]),
        (&json!(callback_task().to_string()), &json!(other_role))
    );
    // Recorded: the same parameters again keep the revision.
    assert_eq!(env.ok("UpdateStateMachine", update).await["revisionId"], updated["revisionId"]);
    let nothing =
        "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified";
    env.fails("UpdateStateMachine", json!({"stateMachineArn": SM}), "MissingRequiredParameter", nothing).await;

    env.create("Alpha", &hello_world()).await;
    env.create("Beta", &hello_world()).await;
    let page1 = env.ok("ListStateMachines", json!({"maxResults": 2})).await;
    let names: Vec<&Value> = page1["stateMachines"].as_array().unwrap().iter().map(|m| &m["name"]).collect();
    assert_eq!(names, [&json!("Alpha"), &json!("Beta")]);
    let page2 = env.ok("ListStateMachines", json!({"maxResults": 2, "nextToken": page1["nextToken"]})).await;
    assert_eq!(page2["stateMachines"][0]["type"], "STANDARD");
    assert_eq!(page2["stateMachines"][0]["stateMachineArn"], SM);
    assert!(page2.get("nextToken").is_none());
    assert_eq!(env.kind("ListStateMachines", json!({"nextToken": "not-a-token"})).await, "InvalidToken");

    assert_eq!(env.ok("DeleteStateMachine", json!({"stateMachineArn": SM})).await, json!({}));
    assert_eq!(env.kind("DescribeStateMachine", json!({"stateMachineArn": SM})).await, "StateMachineDoesNotExist");
    // Recorded: deleting what does not exist succeeds.
    assert_eq!(env.ok("DeleteStateMachine", json!({"stateMachineArn": SM})).await, json!({}));
}

// "If StartExecution is called with the same name and input as a running
// execution, the call succeeds and returns the same response as the original
// request. If the execution is closed or if the input is different, it
// returns a 400 ExecutionAlreadyExists error." (StartExecution)
#[tokio::test]
async fn start_execution_is_idempotent_by_name_and_input() {
    let env = env();
    env.create("HelloWorld", &callback_task()).await;
    let start = |input: &str| json!({"stateMachineArn": SM, "name": "once", "input": input});
    let first = env.ok("StartExecution", start(r#"{"a": 1}"#)).await;
    env.engine.clock.advance_to(1_700_000_005_000);
    assert_eq!(env.ok("StartExecution", start(r#"{"a": 1}"#)).await, first);
    let exists = format!("Execution Already Exists: '{}'", first["executionArn"].as_str().unwrap());
    env.fails("StartExecution", start(r#"{"a": 2}"#), "ExecutionAlreadyExists", &exists).await;
    // Recorded: "Invalid State Machine Execution Input: '…'" for text that is not JSON.
    let (kind, message) = env.err("StartExecution", json!({"stateMachineArn": SM, "input": "not json"})).await;
    assert_eq!(kind, "InvalidExecutionInput");
    assert!(message.starts_with("Invalid State Machine Execution Input: '"), "{message}");
    assert_eq!(env.kind("StartExecution", json!({"stateMachineArn": SM, "name": "a:b"})).await, "InvalidName");
}

#[tokio::test]
async fn stop_execution_aborts_with_the_error_and_cause_given() {
    let env = env();
    env.create("HelloWorld", &callback_task()).await;
    let arn = env.ok("StartExecution", json!({"stateMachineArn": SM, "name": "stop-me"})).await["executionArn"].clone();
    env.drain().await;
    env.engine.clock.advance_to(1_700_000_010_000);
    let stop = json!({"executionArn": arn, "error": "Operator", "cause": "no longer needed"});
    assert_eq!(env.ok("StopExecution", stop).await, json!({"stopDate": 1_700_000_010.0}));
    let described = env.ok("DescribeExecution", json!({"executionArn": arn})).await;
    assert_eq!(
        (&described["status"], &described["error"], &described["cause"]),
        (&json!("ABORTED"), &json!("Operator"), &json!("no longer needed"))
    );
    assert!(described.get("output").is_none());
    let newest = env.ok("GetExecutionHistory", json!({"executionArn": arn, "reverseOrder": true})).await;
    assert_eq!(newest["events"][0]["type"], "ExecutionAborted");
    assert_eq!(
        newest["events"][0]["executionAbortedEventDetails"],
        json!({"error": "Operator", "cause": "no longer needed"})
    );
    let aborted = env.ok("ListExecutions", json!({"stateMachineArn": SM, "statusFilter": "ABORTED"})).await;
    assert_eq!(aborted["executions"][0]["executionArn"], arn);
}

#[tokio::test]
async fn task_tokens_complete_fail_and_refuse_as_aws_does() {
    let env = env();
    env.create("HelloWorld", &callback_task()).await;
    let ok_arn = env.ok("StartExecution", json!({"stateMachineArn": SM, "name": "ok"})).await["executionArn"].clone();
    let bad_arn = env.ok("StartExecution", json!({"stateMachineArn": SM, "name": "bad"})).await["executionArn"].clone();
    env.drain().await;
    let tokens = env.tokens.lock().unwrap().clone();
    assert_eq!(tokens.len(), 2);
    assert_eq!(env.ok("SendTaskHeartbeat", json!({"taskToken": tokens[0]})).await, json!({}));
    assert_eq!(env.kind("SendTaskSuccess", json!({"taskToken": tokens[0], "output": "{oops"})).await, "InvalidOutput");
    let null =
        "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null";
    env.fails("SendTaskSuccess", json!({"taskToken": tokens[0]}), "ValidationException", null).await;
    let success = json!({"taskToken": tokens[0], "output": r#"{"approved": true}"#});
    assert_eq!(env.ok("SendTaskSuccess", success.clone()).await, json!({}));
    let failure = json!({"taskToken": tokens[1], "error": "Rejected", "cause": "by a human"});
    assert_eq!(env.ok("SendTaskFailure", failure).await, json!({}));
    // AWS: "Task Timed Out: 'Provided task does not exist anymore'"; "Invalid Token: 'Invalid token'".
    env.fails("SendTaskSuccess", success, "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
        .await;
    let long = json!({"taskToken": "x".repeat(1500)});
    env.fails("SendTaskHeartbeat", long, "InvalidToken", "Invalid Token: 'Invalid token'").await;
    assert_eq!(env.kind("SendTaskFailure", json!({"taskToken": "0".repeat(32)})).await, "TaskDoesNotExist");
    env.drain().await;
    let ok = env.ok("DescribeExecution", json!({"executionArn": ok_arn})).await;
    assert_eq!((&ok["status"], &ok["output"]), (&json!("SUCCEEDED"), &json!(r#"{"approved":true}"#)));
    let bad = env.ok("DescribeExecution", json!({"executionArn": bad_arn})).await;
    assert_eq!(
        (&bad["status"], &bad["error"], &bad["cause"]),
        (&json!("FAILED"), &json!("Rejected"), &json!("by a human"))
    );
}

// TagResource / UntagResource / ListTagsForResource (API reference):
// tags given at creation are listed, tagging a key again replaces its
// value, untagging a key the resource lacks is not an error, a state
// machine that does not exist is ResourceNotFound, and a resource carries
// at most 50 tags ("Maximum tags per resource: 50", Step Functions quotas).
#[tokio::test]
async fn tags_are_added_replaced_listed_and_removed() {
    let env = env();
    let body = json!({"name": "HelloWorld", "definition": hello_world().to_string(), "roleArn": ROLE,
        "tags": [{"key": "team", "value": "a"}]});
    env.ok("CreateStateMachine", body).await;
    let tag = json!({"resourceArn": SM, "tags": [{"key": "team", "value": "b"}, {"key": "env", "value": "dev"}]});
    assert_eq!(env.ok("TagResource", tag).await, json!({}));
    let listed = env.ok("ListTagsForResource", json!({"resourceArn": SM})).await;
    assert_eq!(listed, json!({"tags": [{"key": "team", "value": "b"}, {"key": "env", "value": "dev"}]}));
    let untag = json!({"resourceArn": SM, "tagKeys": ["team", "absent"]});
    assert_eq!(env.ok("UntagResource", untag).await, json!({}));
    let listed = env.ok("ListTagsForResource", json!({"resourceArn": SM})).await;
    assert_eq!(listed, json!({"tags": [{"key": "env", "value": "dev"}]}));

    let missing = format!("{SM}Gone");
    let (kind, message) = env.err("ListTagsForResource", json!({"resourceArn": missing})).await;
    assert_eq!((kind.as_str(), message), ("ResourceNotFound", format!("Resource not found: '{missing}'")));
    assert_eq!(env.kind("TagResource", json!({"resourceArn": "nope", "tags": []})).await, "InvalidArn");
    assert_eq!(env.kind("TagResource", json!({"resourceArn": SM})).await, "ValidationException");

    let many: Vec<Value> = (0..50).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
    assert_eq!(env.kind("TagResource", json!({"resourceArn": SM, "tags": many})).await, "TooManyTags");
    let listed = env.ok("ListTagsForResource", json!({"resourceArn": SM})).await;
    assert_eq!(listed["tags"].as_array().unwrap().len(), 1, "a refused request changes nothing");
}
