//! The engine on the AWS adapters, end to end on moto: a HelloWorld-style
//! execution (Pass, Choice, Wait 1 s, Parallel with a Task, Pass) started,
//! then stepped by draining the SQS queue as the stepper Lambda would
//! (ReceiveMessage, `Engine::handle`, DeleteMessage) until it succeeds; its
//! output, history and status events (through an EventBridge rule into an
//! SQS queue) are checked, and the AWS requests it took are counted.

mod support;

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use stepwise_aws::{DynamoStore, EventBridgeSink, SqsQueue, SystemClock};
use stepwise_engine::memory::FnTasks;
use stepwise_engine::ports::{Page, Store, TaskOutcome};
use stepwise_engine::records::{ExecutionStatus, StateMachineRecord, StateMachineType};
use stepwise_engine::{Config, Engine};
use support::{Local, RuleReader};

fn hello_world() -> StateMachineRecord {
    let definition = json!({"StartAt": "Pass", "States": {
        "Pass": {"Type": "Pass", "Next": "Hello World example?"},
        "Hello World example?": {"Type": "Choice", "Choices": [
            {"Variable": "$.IsHelloWorldExample", "BooleanEquals": true, "Next": "Yes"},
            {"Variable": "$.IsHelloWorldExample", "BooleanEquals": false, "Next": "No"}], "Default": "Yes"},
        "Yes": {"Type": "Pass", "Next": "Wait 1 sec"},
        "No": {"Type": "Fail", "Cause": "Not Hello World"},
        "Wait 1 sec": {"Type": "Wait", "Seconds": 1, "Next": "Parallel State"},
        "Parallel State": {"Type": "Parallel", "Next": "Hello World", "Branches": [
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:hello", "End": true}}},
            {"StartAt": "World", "States": {"World": {"Type": "Pass", "End": true}}}]},
        "Hello World": {"Type": "Pass", "End": true}}});
    StateMachineRecord {
        arn: "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld".into(),
        name: "HelloWorld".into(),
        definition: definition.to_string(),
        role_arn: "arn:aws:iam::123456789012:role/stepwise".into(),
        kind: StateMachineType::Standard,
        creation_date: 1_700_000_000_000,
        revision_id: "1".into(),
        description: None,
        tags: Vec::new(),
    }
}

type AwsEngine = Engine<DynamoStore, SqsQueue, EventBridgeSink, FnTasks, SystemClock>;

/// Receives, handles and deletes step messages until the execution has
/// ended and the queue is empty; returns how many messages were handled.
async fn drain(engine: &AwsEngine, arn: &str) -> usize {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut handled = 0;
    loop {
        assert!(Instant::now() < deadline, "the execution did not finish within 60 s");
        let deliveries = engine.queue.receive_due(1).await.expect("ReceiveMessage");
        if deliveries.is_empty() {
            let execution = engine.store.get_execution(arn).await.unwrap().unwrap();
            if execution.status != ExecutionStatus::Running {
                return handled;
            }
        }
        for delivery in deliveries {
            let message = delivery.message.expect("a step message");
            engine.handle(&message).await.expect("the step is handled");
            engine.queue.delete(&delivery.receipt_handle).await.expect("DeleteMessage");
            handled += 1;
        }
    }
}

#[tokio::test]
async fn hello_world_runs_on_dynamodb_sqs_and_eventbridge() {
    hello_world_on_aws(1).await;
}

// The local server's setting: states that finish at once share a commit.
#[tokio::test]
async fn hello_world_runs_with_several_states_per_message() {
    hello_world_on_aws(16).await;
}

async fn hello_world_on_aws(steps_per_message: usize) {
    let local = Local::new().await;
    let provisioned = local.provision("e2e").await;
    let reader = RuleReader::new(&local, &provisioned.event_bus, "e2e").await;
    let store = DynamoStore::new(local.clients.dynamodb.clone(), &provisioned.table);
    let queue = SqsQueue::new(local.clients.sqs.clone(), &provisioned.queue_url);
    let events = EventBridgeSink::new(local.clients.eventbridge.clone(), &provisioned.event_bus);
    let tasks = FnTasks::new(|request| TaskOutcome::Succeeded(json!({"hello": request.parameters.clone()})));
    let config = Config { steps_per_message, ..Config::new("us-east-1", "123456789012") };
    let engine = Engine::new(store.clone(), queue, events, tasks, SystemClock, config);
    let sm = hello_world();
    engine.store.create_state_machine(sm.clone()).await.unwrap();

    local.counter.reset();
    let capacity_before = store.capacity();
    let input = json!({"IsHelloWorldExample": true}).to_string();
    let started = engine.start_execution(&sm, "hello", &input).await.expect("started");
    let steps = drain(&engine, &started.arn).await;
    let counts = local.counter.snapshot();
    let capacity = store.capacity();

    let done = engine.store.get_execution(&started.arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    let branch_input = json!({"IsHelloWorldExample": true});
    assert_eq!(output, json!([{"hello": branch_input}, branch_input]), "the Parallel's outputs, in branch order");
    assert!(done.stop_date.unwrap() - done.start_date >= 1000, "the Wait held the execution a second");

    let (history, next) = engine.store.history(&done.arn, Page { limit: 1000, token: None }, false).await.unwrap();
    assert_eq!(next, None);
    let types: Vec<&str> = history.iter().map(|e| e.event_type.as_ref()).collect();
    assert!(history.iter().enumerate().all(|(i, e)| e.id == i as i64 + 1), "event ids are 1..n: {types:?}");
    assert_eq!(types.first(), Some(&"ExecutionStarted"));
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
    for expected in ["ChoiceStateEntered", "WaitStateExited", "ParallelStateSucceeded", "LambdaFunctionSucceeded"] {
        assert!(types.contains(&expected), "{expected} in {types:?}");
    }
    let mut backwards = Vec::new();
    let mut token = None;
    loop {
        let (page, next) = engine.store.history(&done.arn, Page { limit: 4, token }, true).await.unwrap();
        backwards.extend(page);
        match next {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    backwards.reverse();
    assert_eq!(backwards, history, "reverse paging reads the same history");

    let mut arrived = Vec::new();
    for _ in 0..10 {
        arrived.extend(reader.events(1).await.expect("the rule's queue"));
        if arrived.len() >= 2 {
            break;
        }
    }
    let statuses: Vec<&str> = arrived.iter().filter_map(|e| e["detail"]["status"].as_str()).collect();
    assert_eq!(statuses, ["RUNNING", "SUCCEEDED"], "status changes through the rule, in order");
    let succeeded = &arrived[1];
    assert_eq!(succeeded["source"], "stepwise.states");
    assert_eq!(succeeded["detail-type"], "Step Functions Execution Status Change");
    assert_eq!(succeeded["resources"], json!([done.arn]));
    assert_eq!(succeeded["detail"]["output"], done.output.as_deref().unwrap());
    assert_eq!(succeeded["detail"]["stopDate"], done.stop_date.unwrap());
    assert_eq!(succeeded["detail"]["inputDetails"], json!({"included": true}));

    println!("{steps_per_message} state(s) per message:");
    report(&types, steps, &counts, capacity_before, capacity);
}

/// Prints the requests per step and per state transition (run with
/// `--nocapture` to see it).
fn report(
    types: &[&str],
    steps: usize,
    counts: &BTreeMap<String, u64>,
    before: stepwise_aws::dynamo::Capacity,
    after: stepwise_aws::dynamo::Capacity,
) {
    let transitions = types.iter().filter(|t| t.ends_with("StateEntered")).count();
    let total = |prefix: &str| counts.iter().filter(|(k, _)| k.starts_with(prefix)).map(|(_, v)| v).sum::<u64>();
    println!("states entered: {transitions}; step messages handled: {steps}; history events: {}", types.len());
    for (target, n) in counts {
        println!("  {target:<45} {n:>4}  ({:.2} per transition)", *n as f64 / transitions as f64);
    }
    for service in ["DynamoDB_20120810.", "AmazonSQS.", "AWSEvents."] {
        let n = total(service);
        println!("  {service:<45} {n:>4}  ({:.2} per transition)", n as f64 / transitions as f64);
    }
    let (reads, writes, index) = (
        after.read_units - before.read_units,
        after.write_units - before.write_units,
        after.index_write_units - before.index_write_units,
    );
    println!(
        "  estimated capacity: {reads} RRU, {writes} WRU, {index} index WRU ({:.2} RRU, {:.2} WRU per transition)",
        reads / transitions as f64,
        (writes + index) / transitions as f64
    );
}

// A Map without MaxConcurrency over 60 items needs more than DynamoDB's 100
// actions to start every item in one commit: the engine starts them in
// chunks (Store::max_commit_writes) and the execution ends normally.
#[tokio::test]
async fn a_map_wider_than_one_transaction_starts_in_chunks_and_succeeds() {
    let local = Local::new().await;
    let provisioned = local.provision("wide").await;
    let store = DynamoStore::new(local.clients.dynamodb.clone(), &provisioned.table);
    let queue = SqsQueue::new(local.clients.sqs.clone(), &provisioned.queue_url);
    let events = EventBridgeSink::new(local.clients.eventbridge.clone(), &provisioned.event_bus);
    let tasks = FnTasks::new(|_| TaskOutcome::Succeeded(Value::Null));
    let engine = Engine::new(store, queue, events, tasks, SystemClock, Config::new("us-east-1", "123456789012"));
    let mut sm = hello_world();
    sm.definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})
    .to_string();
    let items: Vec<u32> = (0..60).collect();
    let started = engine.start_execution(&sm, "wide", &json!(items).to_string()).await.unwrap();
    drain(&engine, &started.arn).await;
    let done = engine.store.get_execution(&started.arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    assert_eq!(output, json!(items));
}
